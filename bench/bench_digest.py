"""Benchmark of the daily digest; prints markdown.

A corpus of 20,000 articles: the 3 sample articles, 18,997 background articles with
random passage vectors written straight into Chroma and the registry
(bench_compare.insert_synthetic, no model), then 1,000 new articles in planted
clusters (1 to 8 articles; every fifth cluster rewrites a background article, keeping
its sentences), each passage vector its cluster's base vector plus noise (cosine ~0.93 to
the base, ~0.86 between members: above the passage-link threshold), unrelated to
everything else; the members of a cluster share its made-up names and words. (The
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

Run: .venv/bin/python bench/bench_digest.py  (about 3.5 minutes on 2 CPU cores, of which about
150 s is Chroma indexing the 120,000 synthetic vectors of bench_compare.insert_synthetic)
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_compare import SYNTHETIC_PASSAGES, insert_synthetic  # noqa: E402
from bench.common import median_time  # noqa: E402
from index.config import Settings  # noqa: E402
from index.engine import Engine  # noqa: E402
from index.ingest.passages import split_passages  # noqa: E402
from index.records import Metadata  # noqa: E402
from index.store.chroma import passage_id  # noqa: E402
from index.stories.digest import (
    STORY_K,
    cluster_new_articles,
    digest,
    new_articles,
    passage_vectors_many,
    query_neighbours,
)

SAMPLE = ROOT / "sample_corpus"
CORPUS = 20_000
NEW = 1_000
NOISE = 0.4  # norm of the noise added to a unit base vector
RUNS = 3
PER_ARTICLE_SAMPLE = 100
OUTLETS = ["Daily Planet", "The Bugle", "Morning Post", "Evening Star", None]
SYLLABLES = "ka lo mi ren sa tor vel bri dun fa gor hal jen kes lum nor pim quo rask sel".split()
TOPIC_WORDS = ("council harbour budget vote river court school bridge strike flood fire election "
               "hospital airport factory museum stadium railway tax police").split()


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=-1, keepdims=True)).astype(np.float32)


def insert_clustered(engine: Engine, n: int, dims: int, background: list[str]) -> dict[str, int]:
    """``n`` new articles in planted clusters; returns article id -> cluster number (a
    background article a cluster rewrites belongs to the cluster too)."""
    rng = np.random.default_rng(11)
    pick = random.Random(11)
    cluster_of: dict[str, int] = {}
    ids, vecs, metas = [], [], []
    made, cluster = 0, 0
    while made < n:
        size = min(pick.randint(1, 8), n - made)
        if cluster % 5 == 4:  # a rewrite of an older article
            old = background[pick.randrange(len(background))]
            base = engine.passage_vectors(old)
            cluster_of[old] = cluster
        else:
            base = _unit(rng.standard_normal((SYNTHETIC_PASSAGES, dims)))
        # Each cluster is one event: its own made-up names and words, as real reports share.
        names = [(pick.choice(SYLLABLES) + pick.choice(SYLLABLES)).capitalize() for _ in range(3)]
        topic = [pick.choice(TOPIC_WORDS) for _ in range(3)]
        vocab = ["".join(pick.choice(SYLLABLES) for _ in range(3)) for _ in range(12)]
        for member in range(size):
            words = " ".join(pick.choice(topic) for _ in range(4))
            if cluster % 5 == 4:  # the rewrite keeps the older article's sentences, adding a few words
                text = " ".join(f"Synthetic sentence number {k} about nothing in particular, {words} {member}."
                                for k in range(SYNTHETIC_PASSAGES))
            else:
                text = " ".join(f"{names[k % 3]} {' '.join(pick.choice(vocab) for _ in range(7))} {words} {cluster}."
                                for k in range(SYNTHETIC_PASSAGES))
            spans = split_passages(text)
            assert len(spans) == SYNTHETIC_PASSAGES
            noise = rng.standard_normal((len(spans), dims))
            noise *= NOISE / np.linalg.norm(noise, axis=1, keepdims=True)
            v = _unit(base + noise)
            aid = f"new{made:013d}"
            published = None if member % 3 == 2 else f"2026-03-{1 + (member * 7 + cluster) % 28:02d}"
            meta = Metadata(outlet=OUTLETS[(cluster + member) % len(OUTLETS)], published=published)
            ids += [passage_id(aid, k) for k in range(len(spans))]
            vecs.append(v)
            metas += [{"article_id": aid, "idx": k, "outlet": (meta.outlet or "").lower()}
                      for k in range(len(spans))]
            engine.article_db.add_articles([(aid, text, meta, spans, datetime.now(timezone.utc).isoformat(
                timespec="microseconds"), "synthetic-new")])
            cluster_of[aid] = cluster
            made += 1
            if len(ids) >= 5000:
                engine.vectors._handle().upsert(ids=ids, embeddings=np.vstack(vecs), metadatas=metas)
                ids, vecs, metas = [], [], []
        cluster += 1
    if ids:
        engine.vectors._handle().upsert(ids=ids, embeddings=np.vstack(vecs), metadatas=metas)
    return cluster_of


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

        print("# bench_digest\n")
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
