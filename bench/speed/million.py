"""Figures at 1,000,000 passages, each beside a raw-Chroma baseline from the same run.

The corpus is built ONCE into a cached home (default /tmp/sourcedesk-million/home) and
reused: synthetic passages (random unit vectors, 6 per article) written straight into
Chroma with their registry and lexical rows, the bulk path of
``bench.data.synthetic_vectors.insert_synthetic`` in batches of 833 articles (4,998 passages): vectors
upserted first, then the batch's registry rows in one transaction. The build time and its
rate are the "ingest at scale" figure (no model: the vectors are given). An interrupted
build resumes where its registry stopped.

Then, against that corpus (the embedded store, or a ``chroma run`` server when
CHROMA_HOST/CHROMA_PORT are set: serve the same files with
``chroma run --path HOME/chroma``):
- `sources` p50/p95 against a raw Chroma query of the same vector, and against raw
  encode + query, interleaved query by query (``bench.speed.timing.interleaved_latencies``);
  `sources` without its model call;
- opening an engine (its cheap check) and a full ``check``;
- peak RSS of a fresh process that opens the engine and answers queries
  (``bench.speed.scale --memory``) and of a fresh SimCord bot process answering /sources;
- a digest over a window of 1,000 new articles in planted clusters
  (``synthetic_vectors.insert_clustered``; inserted once, then kept in the cached home) against the raw
  Chroma calls of its clustering (vector fetch + k-NN queries);
- lineage of one of those new articles against the raw Chroma k-NN query of its passages.

Also the lineage of planted real rewrites (the real version pairs of
``bench/data/compare_labels.jsonl``, ingested once into the cached home) against the same
pairs alone in a fresh home; ``--results FILE`` merges the figures into
``bench/results/million.json`` under keys that name their backend and scale.

    python -m bench.speed.million [--home DIR] [--size 1000000] [--queries 50] [--build-only] [--results FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from bench.data.synthetic_vectors import SYNTHETIC_PASSAGES, SYNTHETIC_TEXT, insert_clustered
from bench.speed.scale import CORPUS, KnownQueries, measure_memory, queries, rss_kib
from bench.speed.timing import fresh_engine, interleaved_latencies, median_time, percentile, timed
from index import Engine, Metadata, Settings
from index.ingest.passages import split_passages
from index.search.retrieval import candidate_depth
from index.store.chroma import passage_id

ROOT = Path(__file__).resolve().parents[2]

DEFAULT_HOME = Path("/tmp/sourcedesk-million/home")
BATCH_ARTICLES = 833  # 4,998 passages per Chroma upsert, as insert_synthetic's 5,000
NEW = 1_000
RUNS = 3


def log(msg: str) -> None:
    print(f"[{datetime.now(timezone.utc):%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


# -- the build ------------------------------------------------------------------------------


def build(engine: Engine, size: int, home: Path) -> dict:
    """Fill the corpus up to ``size`` passages (resuming); returns the build record."""
    record_path = home / "build.json"
    record = json.loads(record_path.read_text()) if record_path.exists() else {"seconds": 0.0, "segments": []}
    n_articles = size // SYNTHETIC_PASSAGES
    done = engine.article_db.count()
    if record.get("complete") and done >= n_articles:
        return record
    dims = engine.embedder.dimension
    text = SYNTHETIC_TEXT
    spans = split_passages(text)
    assert len(spans) == SYNTHETIC_PASSAGES
    now = datetime.now(timezone.utc).isoformat()
    collection = engine.vectors._handle()
    start_batch = done // BATCH_ARTICLES  # a batch is all-or-none in the registry
    seg_start, seg_passages = time.perf_counter(), 0
    log(f"build: {done:,} articles present, from batch {start_batch}")
    for b in range(start_batch, (n_articles + BATCH_ARTICLES - 1) // BATCH_ARTICLES):
        t0 = time.perf_counter()
        first, last = b * BATCH_ARTICLES, min(n_articles, (b + 1) * BATCH_ARTICLES)
        rng = np.random.default_rng(1000 + b)  # per batch, so a resumed build gives the same vectors
        vecs = rng.standard_normal(((last - first) * len(spans), dims)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        aids = [f"syn{i:013d}" for i in range(first, last)]
        ids = [passage_id(a, k) for a in aids for k in range(len(spans))]
        metas = [{"article_id": a, "idx": k, "outlet": ""} for a in aids for k in range(len(spans))]
        collection.upsert(ids=ids, embeddings=vecs, metadatas=metas)
        engine.article_db.add_articles([(a, text + f" {i}", Metadata(), spans, now, "synthetic")
                                      for i, a in zip(range(first, last), aids)])
        took = time.perf_counter() - t0
        record["seconds"] += took
        seg_passages += len(ids)
        if b % 20 == 0 or last == n_articles:
            rate = seg_passages / (time.perf_counter() - seg_start)
            record["segments"].append({"passages": last * len(spans), "rate": rate,
                                       "seconds": round(record["seconds"], 1)})
            record_path.write_text(json.dumps(record))
            log(f"build: {last * len(spans):,} passages, {record['seconds']:.0f} s, "
                f"{rate:.0f} passages/s over the last {seg_passages:,}")
            seg_start, seg_passages = time.perf_counter(), 0
    record["complete"] = True
    record["passages"] = n_articles * len(spans)
    record_path.write_text(json.dumps(record))
    return record


# -- the digest window ------------------------------------------------------------------------


def digest_window(engine: Engine, home: Path, n_background: int) -> dict:
    """Insert the 1,000 new clustered articles once; returns {since, until, planted, seconds}."""
    path = home / "digest-window.json"
    if path.exists():
        return json.loads(path.read_text())
    background = [f"syn{i:013d}" for i in range(n_background)]
    since = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    planted = insert_clustered(engine, NEW, engine.embedder.dimension, background)
    seconds = time.perf_counter() - t0
    until = datetime.now(timezone.utc)
    window = {"since": since.isoformat(), "until": until.isoformat(), "planted": planted, "seconds": seconds}
    path.write_text(json.dumps(window))
    return window


# -- planted real rewrites ---------------------------------------------------------------------


def rewrite_texts() -> list[tuple[str, str]]:
    """Both sides of every real article-version pair of ``bench/data/compare_labels.jsonl``
    (ECB+ development articles and the sample corpus's rewrites)."""
    from bench.data.version_pairs import load_labels, text_of

    return [(text_of(label["a"]), text_of(label["b"])) for label in load_labels()]


def ingest_pairs(engine: Engine, texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Ingest both sides of each pair through the real pipeline and model; the pairs as ids."""
    def one(text: str, name: str) -> str:
        result = engine.ingest_bytes(text.encode("utf-8"), name)[0]
        return result.article_id or result.duplicate_of

    return [(one(a, f"pair{i}-a.txt"), one(b, f"pair{i}-b.txt")) for i, (a, b) in enumerate(texts)]


def plant_rewrites(engine: Engine, home: Path) -> list[tuple[str, str]]:
    """The real rewrites planted in the cached corpus (once; then read back)."""
    path = home / "planted-rewrites.json"
    if not path.exists():
        path.write_text(json.dumps(ingest_pairs(engine, rewrite_texts())))
    return [tuple(p) for p in json.loads(path.read_text())]


def rewrites_found(engine: Engine, pairs: list[tuple[str, str]]) -> int:
    """Pairs whose each side has the other in its lineage story."""
    from index.stories.lineage import story_of

    return sum(b in story_of(engine.store, a) and a in story_of(engine.store, b) for a, b in pairs)


def rewrites_found_alone() -> int:
    """The same-run baseline: the pairs found in a home that holds nothing else (exact search)."""
    with fresh_engine("planted") as engine:
        return rewrites_found(engine, ingest_pairs(engine, rewrite_texts()))


# -- measuring -------------------------------------------------------------------------------


def bot_memory_worker(home: str, n_queries: int) -> None:
    """A SimCord bot whose server is backed by the cached corpus; /sources n times; RSS."""
    import asyncio

    import simcord

    import bot.engines
    from bot import create_bot
    from tests.support.bot_load import bot_settings

    bot.engines.corpus_for_guild = lambda guild_id: CORPUS  # the one server reads the cached corpus

    async def run() -> dict:
        settings = replace(bot_settings(Path(home)), index=Settings.from_env(Path(home)))  # CHROMA_HOST/PORT
        # The model loads before the bot starts: SimCord's start-up settles within 5 s, which
        # the bot's own warm-up misses on a loaded machine (the peak RSS is the same either way).
        from index import shared_embedder

        shared_embedder().encode(["warm up"])
        env = simcord.Env(create_bot(settings), settle_timeout=600)
        await env.start()
        try:
            guild = env.create_guild("Newsroom")
            channel = guild.create_text_channel("general")
            member = guild.add_member(env.create_user("reporter"))
            answered = 0
            for q in queries(n_queries):
                result = await member.slash(channel, "sources", claim=q, limit=5)
                answered += result.response is not None and bool(result.response.embeds or result.response.content)
            passages = env.bot.hub.engine(guild.id).stats()["passages"]
        finally:
            await env.shutdown()
        peak, current = rss_kib()
        return {"peak": peak, "current": current, "answered": answered, "passages": passages}

    print(json.dumps(asyncio.run(run())))


def measure_bot_memory(home: Path, n_queries: int) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.speed.million", "--bot-memory", str(home),
                          "--queries", str(n_queries)], cwd=ROOT, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(home: Path, args) -> dict:
    settings = Settings.from_env(home)
    row: dict = {"store": f"chroma run {settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host
                 else "embedded"}
    log(f"open ({row['store']})")
    t0 = time.perf_counter()
    engine = Engine(settings, CORPUS)
    row["first_open"] = time.perf_counter() - t0
    row["build"] = build(engine, args.size, home)
    if args.build_only:
        row["stats"] = engine.stats()
        return row
    window = digest_window(engine, home, args.size // SYNTHETIC_PASSAGES) if not args.no_digest else None
    row["stats"] = engine.stats()
    log(f"corpus {row['stats']}")

    qs = queries(args.queries)
    log("sources vs raw query")
    row["raw"], row["raw_both"], row["ours"] = interleaved_latencies(engine, qs)
    real = engine.embedder
    engine.retrieval.embedder = KnownQueries(real, dict(zip(qs, real.encode(qs))))
    engine.sources(qs[0])
    row["no_model"] = [timed(lambda: engine.sources(q, limit=10)) for q in qs]
    engine.retrieval.embedder = real

    log("lexical search: every word, without function words, without common words")
    depth = candidate_depth(10)
    row["lex_all"], row["lex_content"], row["lex_now"] = [], [], []
    for q in qs:  # interleaved: the query as it was before issue 14, before issue 26, and now
        row["lex_all"].append(timed(lambda: engine.article_db.lexical_search(q, depth, all_terms=True)))
        row["lex_content"].append(timed(lambda: engine.article_db.lexical_search(q, depth, common_terms=True)))
        row["lex_now"].append(timed(lambda: engine.article_db.lexical_search(q, depth)))

    log("open and check")
    row["open"] = median_time(lambda: Engine(settings, CORPUS))[0]
    t0 = time.perf_counter()
    report = engine.check(repair=False, full=True)
    row["full_check"] = time.perf_counter() - t0
    row["check_ok"] = report.ok
    row["check_summary"] = report.summary()

    log("lineage of planted real rewrites")
    pairs = plant_rewrites(engine, home)
    row["lineage_planted_found"], row["lineage_planted_total"] = rewrites_found(engine, pairs), len(pairs)
    row["lineage_planted_found_alone"] = rewrites_found_alone()

    if window is not None:
        from index.stories.clusters import passage_vectors_many, query_neighbours
        from index.stories.digest import digest, new_articles
        from index.stories.lineage import STORY_K, lineage

        since, until = datetime.fromisoformat(window["since"]), datetime.fromisoformat(window["until"])
        fresh = new_articles(engine.store, since, until)
        row["window"] = len(fresh)
        row["window_insert"] = window["seconds"]
        collection = engine.vectors._handle()

        def raw_digest():  # what any digest on this index must ask Chroma
            vectors = passage_vectors_many(engine.store, fresh)
            return query_neighbours(engine.store, np.vstack(list(vectors.values())))

        log("digest")
        raw_digest()
        row["digest_raw"] = median_time(raw_digest)[0]
        row["digest"], result = median_time(lambda: digest(engine.store, since=since, until=until, max_stories=50))
        row["digest_stories"] = len(result.stories)

        log("lineage")
        sizes: dict[int, list[str]] = {}
        for aid, c in window["planted"].items():
            sizes.setdefault(c, []).append(aid)
        cluster = next(c for c, m in sorted(sizes.items()) if len(m) >= 4 and c % 5 != 4)
        target = sorted(a for a in sizes[cluster] if a.startswith("new"))[0]
        vecs = engine.passage_vectors(target)
        lineage(engine.store, target)
        row["lineage_raw"] = median_time(lambda: collection.query(query_embeddings=vecs, n_results=STORY_K))[0]
        row["lineage"], lin = median_time(lambda: lineage(engine.store, target))
        row["lineage_story"] = 1 + len(lin.related)
        row["lineage_planted"] = len(sizes[cluster])
    engine.close()

    if not args.no_memory:
        log("memory: engine process")
        row["memory"] = measure_memory(home, args.queries)
        log("memory: bot process")
        row["bot_memory"] = measure_bot_memory(home, min(args.queries, 20))
    return row


def report(row: dict, args) -> None:
    ms = lambda xs, p: percentile(xs, p) * 1000  # noqa: E731
    b = row["build"]
    st = row["stats"]
    print(f"**{row['store']}**: {st['articles']:,} articles, {st['passages']:,} passages. First open of the "
          f"cached corpus (with its check): {row['first_open']:.1f} s.\n")
    segs = b.get("segments", [])
    if segs:
        print(f"Build (ingest at scale: vectors given, registry + lexical rows + Chroma upsert): "
              f"{b.get('passages', segs[-1]['passages']):,} passages in {b['seconds']:.0f} s "
              f"({segs[-1]['passages'] / b['seconds']:.0f} passages/s overall); rate at "
              + ", ".join(f"{s['passages']:,}: {s['rate']:.0f}/s" for s in segs[:: max(1, len(segs) // 8)])
              + f", last {segs[-1]['passages']:,}: {segs[-1]['rate']:.0f}/s.\n")
    if args.build_only:
        return
    print("| what | p50 ms | p95 ms |")
    print("| --- | --- | --- |")
    print(f"| raw Chroma query of the same vector (baseline) | {ms(row['raw'], 50):.1f} | {ms(row['raw'], 95):.1f} |")
    print(f"| raw encode + Chroma query | {ms(row['raw_both'], 50):.1f} | {ms(row['raw_both'], 95):.1f} |")
    print(f"| `sources` | {ms(row['ours'], 50):.1f} | {ms(row['ours'], 95):.1f} |")
    print(f"| `sources` without the model call | {ms(row['no_model'], 50):.1f} | {ms(row['no_model'], 95):.1f} |")
    print(f"| BM25 lexical search alone, every word of the query (before) | {ms(row['lex_all'], 50):.1f} | "
          f"{ms(row['lex_all'], 95):.1f} |")
    print(f"| BM25 lexical search alone, function words dropped (before issue 26) | {ms(row['lex_content'], 50):.1f} | "
          f"{ms(row['lex_content'], 95):.1f} |")
    print(f"| BM25 lexical search alone, function and common words dropped (now) | {ms(row['lex_now'], 50):.1f} | "
          f"{ms(row['lex_now'], 95):.1f} |")
    print(f"\nRatios (p50): `sources` / encode + query {percentile(row['ours'], 50) / percentile(row['raw_both'], 50):.2f}; "
          f"`sources` without model / raw query {percentile(row['no_model'], 50) / percentile(row['raw'], 50):.1f}.\n")
    print("| what | seconds | same-run baseline | seconds |")
    print("| --- | --- | --- | --- |")
    print(f"| open an engine (cheap check, median of {RUNS}) | {row['open']:.2f} | – | – |")
    print(f"| full `check` (ok: {row['check_ok']}) | {row['full_check']:.1f} | – | – |")
    if "digest" in row:
        print(f"| digest of the window ({row['window']:,} new articles, max_stories 50, {row['digest_stories']} "
              f"stories, median of {RUNS}) | {row['digest']:.2f} | raw Chroma calls of its clustering "
              f"(vector fetch + k-NN) | {row['digest_raw']:.2f} |")
        print(f"| lineage of a new article (story of {row['lineage_story']}; planted {row['lineage_planted']}) "
              f"| {row['lineage']:.3f} | raw k-NN query of its passages | {row['lineage_raw']:.3f} |")
    print(f"\nLineage of planted real rewrites (both sides find each other): {row['lineage_planted_found']} of "
          f"{row['lineage_planted_total']} pairs; the same pairs alone in a fresh home (same run): "
          f"{row['lineage_planted_found_alone']} of {row['lineage_planted_total']}.")
    if "memory" in row:
        m, bm = row["memory"], row["bot_memory"]
        print(f"\nPeak RSS: engine process (model + engine, {args.queries} queries) {m['peak'] / 1024:.0f} MiB "
              f"(after open {m['after_open_current'] / 1024:.0f}, after queries {m['current'] / 1024:.0f}); "
              f"SimCord bot process ({bm['answered']} /sources answered) {bm['peak'] / 1024:.0f} MiB "
              f"(after the queries {bm['current'] / 1024:.0f}).")
    print(f"\n<details><summary>raw</summary>\n\n```\n{json.dumps({k: v for k, v in row.items() if not isinstance(v, list)}, default=str)}\n```\n</details>")


def scale_label(passages: int) -> str:
    """The scale a corpus was built for: 999,996 or 1,000,365 passages are "1m", 100,365 "100k"."""
    return f"{round(passages / 1_000_000)}m" if passages >= 500_000 else f"{round(passages / 1000)}k"


def write_results(row: dict, path: Path) -> None:
    """Merge this run's figures into ``path`` (one file for both backends and every scale),
    under the keys of issue 26; a key names its scale or backend, never another's."""
    ms = lambda xs: round(percentile(xs, 95) * 1000, 1)  # noqa: E731
    backend = "server" if row["store"].startswith("chroma run") else "embedded"
    passages = row["stats"]["passages"]
    merge_results(path, {
        f"sources_p95_ms_{backend}": ms(row["ours"]),
        f"raw_p95_ms_{backend}": ms(row["raw_both"]),  # raw encode + Chroma query, same run
        f"raw_query_p95_ms_{backend}": ms(row["raw"]),
        f"sources_p50_ms_{backend}": round(percentile(row["ours"], 50) * 1000, 1),
        f"sources_no_model_p95_ms_{backend}": ms(row["no_model"]),
        f"raw_p50_ms_{backend}": round(percentile(row["raw_both"], 50) * 1000, 1),
        f"lexical_p95_ms_{backend}": ms(row["lex_now"]),
        f"lexical_common_kept_p95_ms_{backend}": ms(row["lex_content"]),  # before the cap, same run
        f"check_s_{scale_label(passages)}": round(row["full_check"], 2),
        "lineage_planted_found": row["lineage_planted_found"],
        "lineage_planted_total": row["lineage_planted_total"],
        "lineage_planted_found_alone": row["lineage_planted_found_alone"],
        "passages": passages,
        "date": datetime.now(timezone.utc).date().isoformat(),
    })


def merge_results(path: Path, figures: dict) -> None:
    """Merge ``figures`` into the results JSON at ``path`` (made if missing)."""
    results = json.loads(path.read_text()) if path.exists() else {}
    results.update(figures)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, default=DEFAULT_HOME)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--no-digest", action="store_true")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--results", type=Path, help="merge the figures into this JSON (bench/results/million.json)")
    parser.add_argument("--bot-memory", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bot_memory:
        bot_memory_worker(args.bot_memory, args.queries)
        return
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args.home.mkdir(parents=True, exist_ok=True)
    row = measure(args.home, args)
    report(row, args)
    if args.results and not args.build_only:
        write_results(row, args.results)


if __name__ == "__main__":
    main()
