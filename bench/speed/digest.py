"""Benchmark of the daily digest; prints markdown.

A corpus of 20,000 articles: the 3 sample articles, 18,997 background articles with
random passage vectors written straight into Chroma and the registry, no model, then
1,000 new articles in planted clusters (both from bench/data/synthetic_vectors.py). (The
background articles all share one template text, so the rewrites of older articles,
which keep that text, look alike to the digest's text evidence and merge.)

Measured in the same run:
- the digest of the window holding the 1,000 new articles (the 3 sample articles are
  older), with max_stories 50 and with every story analysed;
- its clustering step alone (vector fetch, batched index queries that link older
  articles, TF-IDF of the window and average-linkage clustering);
- the baseline: the raw Chroma calls alone (fetch the new articles' passage vectors,
  then the k-nearest-neighbour queries the clustering makes), which no digest built on
  the index can avoid;
- how well the planted clusters are recovered.

    python -m bench.speed.digest  (about 3.5 minutes on 2 CPU cores, of which about 150 s is
    Chroma indexing the 120,000 synthetic background vectors)
"""
from __future__ import annotations

import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from bench.data.synthetic_vectors import insert_clustered, insert_synthetic
from bench.speed.timing import median_time
from index import Engine, Settings
from index.stories.digest import (
    STORY_K,
    cluster_new_articles,
    digest,
    new_articles,
    passage_vectors_many,
    query_neighbours,
)

SAMPLE = Path(__file__).resolve().parents[2] / "sample_corpus"
CORPUS = 20_000
NEW = 1_000
RUNS = 3
PER_ARTICLE_SAMPLE = 100


def recovery(components, planted: dict[str, int]) -> tuple[int, int, int, int, int]:
    """(planted clusters, found exactly, stories found, rewrite clusters, of which found
    exactly)."""
    want: dict[int, set[str]] = {}
    for aid, c in planted.items():
        want.setdefault(c, set()).add(aid)
    found = {frozenset(c.members) for c in components}
    rewrites = [c for c in want if c % 5 == 4]
    return (len(want), sum(frozenset(m) in found for m in want.values()), len(components), len(rewrites),
            sum(frozenset(want[c]) in found for c in rewrites))


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        engine = Engine(Settings.from_env(home), "bench")
        engine.ingest([SAMPLE])  # 3 real articles, older than the window
        dims = engine.embedder.dimension
        background_n = CORPUS - NEW - engine.article_db.count()
        t_setup = time.perf_counter()
        insert_synthetic(engine, background_n, dims)
        background = [f"syn{i:013d}" for i in range(background_n)]
        since = datetime.now(timezone.utc)
        planted = insert_clustered(engine, NEW, dims, background)
        until = datetime.now(timezone.utc)
        setup = time.perf_counter() - t_setup

        fresh = new_articles(engine.store, since, until)
        assert len(fresh) == NEW, len(fresh)

        def raw_chroma():
            vectors = passage_vectors_many(engine.store, fresh)
            return query_neighbours(engine.store, np.vstack(list(vectors.values())))

        def raw_chroma_per_article():  # the unbatched way: one get and one query per article
            for a in fresh[:PER_ARTICLE_SAMPLE]:
                engine.vectors.query(engine.passage_vectors(a.article_id), STORY_K)

        raw_chroma()  # warm the index
        t_raw, hits = median_time(raw_chroma)
        t_raw_single = median_time(raw_chroma_per_article, runs=1)[0] * len(fresh) / PER_ARTICLE_SAMPLE
        t_cluster, (components, _) = median_time(lambda: cluster_new_articles(engine.store, fresh, until), runs=1)
        t_digest, result = median_time(lambda: digest(engine.store, since=since, until=until, max_stories=50))
        t_all, result_all = median_time(lambda: digest(engine.store, since=since, until=until, max_stories=NEW), runs=1)
        planted_n, exact, found_n, rewrites_n, rewrites_exact = recovery(components, planted)
        sizes = Counter(len(c.members) for c in components)

        print("# speed.digest\n")
        print(f"Corpus: {engine.article_db.count():,} articles, {engine.vectors.count():,} passage vectors "
              f"({dims} dims; synthetic ones inserted in {setup:.1f} s). Window: {len(fresh):,} new articles, "
              f"{sum(len(r) for r in hits):,} neighbour hits from {len(hits):,} passage queries (k={STORY_K}).\n")
        print(f"Clusters: {planted_n} planted, {found_n} stories found, {exact} planted clusters recovered exactly "
              f"(members and the rewritten older article; of the {rewrites_n} rewrites of older articles, "
              f"{rewrites_exact}). Story sizes found: "
              + ", ".join(f"{k}: {v}" for k, v in sorted(sizes.items())) + ".\n")
        print("| what | median seconds |")
        print("| --- | --- |")
        print(f"| baseline: raw Chroma calls alone, batched (vector fetch + k-NN queries, {RUNS} runs) | {t_raw:.3f} |")
        print(f"| raw Chroma calls unbatched, one get and one query (with embeddings) per article "
              f"({PER_ARTICLE_SAMPLE} articles timed, scaled to {len(fresh):,}) | {t_raw_single:.3f} |")
        print(f"| clustering (Chroma calls + links to older articles + TF-IDF + average linkage, 1 run) "
              f"| {t_cluster:.3f} |")
        print(f"| digest, max_stories=50 ({len(result.stories)} stories analysed, {RUNS} runs) | {t_digest:.3f} |")
        print(f"| digest, every story analysed ({len(result_all.stories)} stories, 1 run) | {t_all:.3f} |")
        print(f"| ratio digest(50) / raw Chroma baseline | {t_digest / t_raw:.2f} |\n")
        engine.close()


if __name__ == "__main__":
    main()
