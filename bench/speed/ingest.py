"""Ingest throughput (passages per second) against the raw model's `encode` of the same
passages, measured alternately in the same run (this machine is noisy).

    python -m bench.speed.ingest [--articles N] [--rounds R] [--ecb]

``--ecb``: the first N real news articles of the ECB+ development set (one JSONL feed,
text only) instead of synthetic ones. The baseline encodes exactly the passages that
ingest stores (``passages_with_roles``) in one call of the library itself
(``SentenceTransformer.encode``, batches of the product's size, on every core), not through
the product's ``Embedder``, whose batching is part of what ingest is measured on.
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from bench.data.real import ecb_rows
from bench.speed.timing import fresh_engine, median, timed
from index import shared_embedder
from index.ingest.passages import passages_with_roles
from index.store.embedder import ModelSpec
from tests.support import synthetic


def ecb_feed(n: int, path: Path) -> list[str]:
    """The first ``n`` ECB+ development articles as a JSONL feed; returns their passages."""
    texts = list(dict.fromkeys(row.text for row in ecb_rows()[:n]))  # identical texts are one article
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    return [t[s.start : s.end] for t in texts for s in passages_with_roles(t)[0]]


def raw_model(batch_size: int):
    """The bundled model's own ``encode`` on every core: the floor ingest is held to."""
    import os

    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    model = SentenceTransformer(str(ModelSpec.from_env().path), device="cpu", local_files_only=True)

    def encode(texts: list[str]):
        torch.set_num_threads(os.cpu_count() or 1)  # as the product sets them for a batch
        return model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)

    return encode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ecb", action="store_true", help="real ECB+ development articles")
    args = parser.parse_args()
    raw, ours, raw_cpu, ours_cpu = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        if args.ecb:
            passages = ecb_feed(args.articles, Path(tmp) / "feed.jsonl")
            feed = Path(tmp) / "feed.jsonl"
        else:
            articles = synthetic.build(args.articles, seed=3)
            passages = [a.text[s.start : s.end] for a in articles for s in passages_with_roles(a.text)[0]]
            feed = synthetic.write_jsonl(articles, Path(tmp) / "feed.jsonl")
        product = shared_embedder()
        model = raw_model(product.batch_size)
        product.encode(passages[:64])  # load and warm up both outside the timings
        model(passages[:64])
        for _ in range(args.rounds):
            cpu = time.process_time()
            raw.append(timed(lambda: model(passages)))
            raw_cpu.append(time.process_time() - cpu)
            with fresh_engine() as engine:  # empty embedding cache: every passage is embedded
                cpu = time.process_time()
                ours.append(timed(lambda: engine.ingest([feed])))
                ours_cpu.append(time.process_time() - cpu)
                assert engine.stats()["passages"] == len(passages)
    n = len(passages)
    # This machine is shared: wall times swing with other load, so the best round and
    # the process CPU time (all threads) are shown beside the median.
    kind = "ECB+ development" if args.ecb else "synthetic"
    print(f"**Ingest** ({args.articles} {kind} articles, {n} passages, {args.rounds} alternating rounds)\n")
    print("| what | median s | passages/s (median) | best s | passages/s (best) | CPU s (median) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, wall, cpu in (("raw `encode` (baseline)", raw, raw_cpu), ("`sourcedesk ingest`", ours, ours_cpu)):
        print(f"| {name} | {median(wall):.2f} | {n / median(wall):.0f} | {min(wall):.2f} | {n / min(wall):.0f} | "
              f"{median(cpu):.2f} |")
    print(f"\nthroughput ratio ingest / raw encode: **{median(raw) / median(ours):.2f}** median, "
          f"**{min(raw) / min(ours):.2f}** best, {median(raw_cpu) / median(ours_cpu):.2f} by CPU time")


if __name__ == "__main__":
    main()
