"""Ingest throughput (passages per second) against the raw model's `encode` of the same
passages, measured alternately in the same run (this machine is noisy).

    python -m bench.speed.ingest [--articles N] [--rounds R]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.speed.timing import fresh_engine, median, timed
from index import shared_embedder
from index.ingest.passages import split_passages
from tests.support import synthetic


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    articles = synthetic.build(args.articles, seed=3)
    passages = [a.text[s.start : s.end] for a in articles for s in split_passages(a.text)]
    model = shared_embedder()
    model.encode(passages[:64])  # load and warm up outside the timings
    raw, ours, raw_cpu, ours_cpu = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        feed = synthetic.write_jsonl(articles, Path(tmp) / "feed.jsonl")
        for _ in range(args.rounds):
            cpu = time.process_time()
            raw.append(timed(lambda: model.encode(passages)))
            raw_cpu.append(time.process_time() - cpu)
            with fresh_engine() as engine:  # empty embedding cache: every passage is embedded
                cpu = time.process_time()
                ours.append(timed(lambda: engine.ingest([feed])))
                ours_cpu.append(time.process_time() - cpu)
                assert engine.stats()["passages"] == len(passages)
    n = len(passages)
    # This machine is shared: wall times swing with other load, so the best round and
    # the process CPU time (all threads) are shown beside the median.
    print(f"**Ingest** ({args.articles} articles, {n} passages, {args.rounds} alternating rounds)\n")
    print("| what | median s | passages/s (median) | best s | passages/s (best) | CPU s (median) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, wall, cpu in (("raw `encode` (baseline)", raw, raw_cpu), ("`sourcedesk ingest`", ours, ours_cpu)):
        print(f"| {name} | {median(wall):.2f} | {n / median(wall):.0f} | {min(wall):.2f} | {n / min(wall):.0f} | "
              f"{median(cpu):.2f} |")
    print(f"\nthroughput ratio ingest / raw encode: **{median(raw) / median(ours):.2f}** median, "
          f"**{min(raw) / min(ours):.2f}** best, {median(raw_cpu) / median(ours_cpu):.2f} by CPU time")


if __name__ == "__main__":
    main()
