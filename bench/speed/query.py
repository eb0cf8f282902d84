"""`sources` latency (p50/p95) against a raw Chroma query of the same query vector, and
against the raw model encode + Chroma query, in the same run.

    python -m bench.speed.query [--articles N] [--queries Q]
"""
from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

from bench.speed.timing import fresh_engine, interleaved_latencies, percentile
from tests.support import synthetic


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    articles = synthetic.build(args.articles, seed=4)
    rng = random.Random(1)
    queries = [rng.choice(rng.choice(articles).facts)[1] for _ in range(args.queries)]
    with tempfile.TemporaryDirectory() as tmp, fresh_engine() as engine:
        engine.ingest([synthetic.write_jsonl(articles, Path(tmp) / "feed.jsonl")])
        raw_query, raw_both, ours = interleaved_latencies(engine, queries)
        n_passages = engine.stats()["passages"]
    print(f"**Query latency** ({n_passages} passages, {len(queries)} queries, interleaved)\n")
    print("| what | p50 ms | p95 ms |\n| --- | --- | --- |")
    for name, xs in (("raw Chroma query of the same vector", raw_query),
                     ("raw encode + Chroma query", raw_both),
                     ("`sources` (encode, Chroma, BM25, fusion, labels, grouping)", ours)):
        print(f"| {name} | {percentile(xs, 50) * 1000:.1f} | {percentile(xs, 95) * 1000:.1f} |")
    print(f"\nratio p50 `sources` / raw encode + query: **{percentile(ours, 50) / percentile(raw_both, 50):.2f}**; "
          f"/ raw Chroma query: {percentile(ours, 50) / percentile(raw_query, 50):.1f}")


if __name__ == "__main__":
    main()
