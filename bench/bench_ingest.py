"""Ingest throughput (passages per second) against the raw model's `encode` of the same
passages, measured alternately in the same run (this machine is noisy).

    python -m bench.bench_ingest [--articles N] [--rounds R]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from index.engine import shared_embedder
from index.passages import split_passages

from . import synthetic
from .common import fresh_engine, median, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    articles = synthetic.build(args.articles, seed=3)
    passages = [a.text[s.start : s.end] for a in articles for s in split_passages(a.text)]
    model = shared_embedder()
    model.encode(passages[:64])  # load and warm up outside the timings
    raw, ours = [], []
    with tempfile.TemporaryDirectory() as tmp:
        feed = synthetic.write_jsonl(articles, Path(tmp) / "feed.jsonl")
        for _ in range(args.rounds):
            raw.append(timed(lambda: model.encode(passages)))
            with fresh_engine() as engine:  # empty embedding cache: every passage is embedded
                ours.append(timed(lambda: engine.ingest([feed])))
                assert engine.stats()["passages"] == len(passages)
    n = len(passages)
    print(f"**Ingest** ({args.articles} articles, {n} passages, median of {args.rounds} alternating rounds)\n")
    print("| what | seconds | passages/s |\n| --- | --- | --- |")
    print(f"| raw `encode` (baseline) | {median(raw):.2f} | {n / median(raw):.0f} |")
    print(f"| `sourcedesk ingest` | {median(ours):.2f} | {n / median(ours):.0f} |")
    print(f"\nthroughput ratio ingest / raw encode: **{median(raw) / median(ours):.2f}**")


if __name__ == "__main__":
    main()
