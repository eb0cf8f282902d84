"""Many queries in one run (issue 14): Chroma's k-NN call chunked by ``index.batching`` against
the old single call, and ``sources --queries`` per query at 5,000 queries.

Corpus: the sample corpus plus ``SYNTHETIC_ARTICLES`` synthetic articles (random unit
vectors, ``bench.data.synthetic_vectors.insert_synthetic``). Queries: short texts of corpus words, embedded
once by the real model; the Chroma timings use those vectors.

- raw Chroma, one call: ``collection.query`` with every query vector at once (what a run did
  before chunking); it fails with "too many SQL variables" past ~409 queries of 80 results.
- ``VectorStore.query``: the same vectors in chunks of ``batching.queries_per_call(80)``.
- ``sources_many``: the whole path per query (model, Chroma, BM25, fusion, verdicts), with
  the chunking, and with one Chroma call (``batching.SQL_VARIABLES`` raised) where it works.

    HF_HUB_OFFLINE=1 nice .venv/bin/python -m bench.speed.query_batch
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from bench.data.synthetic_vectors import insert_synthetic
from bench.speed.timing import fresh_engine, median_time
from index.store import batching

SAMPLE = Path(__file__).resolve().parents[2] / "sample_corpus"
SYNTHETIC_ARTICLES = 2_000
DEPTH = 80  # sources' k-NN depth at --limit 10
SMALL, LARGE = 400, 5_000
RUNS = 3


def main() -> None:
    with fresh_engine("batch") as engine:
        engine.ingest([SAMPLE])
        words = [w for a in engine.articles() for w in engine.show(a.article_id)[1].split() if w.isalpha()]
        insert_synthetic(engine, SYNTHETIC_ARTICLES, engine.embedder.dimension)
        queries = [f"{words[i % len(words)]} {words[(7 * i + 3) % len(words)]} {i}" for i in range(LARGE)]
        started = time.perf_counter()
        vectors = engine.embedder.encode(queries)
        encode_s = time.perf_counter() - started
        raw = engine.vectors._handle()
        per_call = batching.queries_per_call(DEPTH)
        print("# speed.query_batch\n")
        print(f"Corpus: {engine.vectors.count():,} passage vectors. {LARGE:,} queries embedded in "
              f"{encode_s:.1f} s ({encode_s / LARGE * 1000:.1f} ms a query). k = {DEPTH}; chunks of "
              f"{per_call} queries.\n")
        print("| queries | what | calls | median s | ms per query |")
        print("| --- | --- | --- | --- | --- |")

        def raw_single(n: int):
            return raw.query(query_embeddings=vectors[:n], n_results=DEPTH,
                             include=["distances", "metadatas", "embeddings"])

        for n in (SMALL, LARGE):
            try:
                t = median_time(lambda n=n: raw_single(n), RUNS)[0]
                print(f"| {n:,} | raw Chroma, one call (baseline) | 1 | {t:.3f} | {t / n * 1000:.2f} |")
            except Exception as exc:  # the failure this issue is about
                print(f"| {n:,} | raw Chroma, one call (baseline) | 1 | fails: {type(exc).__name__}: "
                      f"{' '.join(str(exc).split())[-40:]} | – |")
            t = median_time(lambda n=n: engine.vectors.query(vectors[:n], DEPTH), RUNS)[0]
            calls = -(-n // per_call)
            print(f"| {n:,} | `VectorStore.query`, chunked | {calls} | {t:.3f} | {t / n * 1000:.2f} |")
        sys.stdout.flush()

        small = queries[:SMALL]
        chunked = median_time(lambda: engine.sources_many(small), RUNS)[0]
        saved = batching.SQL_VARIABLES
        batching.SQL_VARIABLES = 10**9  # the old single Chroma call
        try:
            single = median_time(lambda: engine.sources_many(small), RUNS)[0]
        finally:
            batching.SQL_VARIABLES = saved
        print(f"| {SMALL:,} | `sources_many`, one Chroma call (baseline) | 1 | {single:.3f} | "
              f"{single / SMALL * 1000:.2f} |")
        print(f"| {SMALL:,} | `sources_many`, chunked | {-(-SMALL // per_call)} | {chunked:.3f} | "
              f"{chunked / SMALL * 1000:.2f} |")
        t = median_time(lambda: engine.sources_many(queries), runs=1)[0]
        print(f"| {LARGE:,} | `sources_many`, chunked (one run) | {-(-LARGE // per_call)} | {t:.3f} | "
              f"{t / LARGE * 1000:.2f} |")
        print(f"\nRatio chunked / one call at {SMALL:,} queries: `sources_many` {chunked / single:.3f}.")


if __name__ == "__main__":
    main()
