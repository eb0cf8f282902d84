"""How near Chroma's HNSW answers come to the exact nearest passages, and at what cost, at
its default search depth (``ef_search`` 100) and at the engine's (``store.chroma.SEARCH_EF``):
recall of the exact top k (80: what each searcher is asked for at ``--limit 10``) for real
queries (claims-dev tweets, encoded by the bundled model) over a real corpus (the claims-dev
home of ``bench.quality.claims``), and the median query time, in one run.

A collection reads ``ef_search`` when its index is loaded, so each depth is measured in a
process of its own, on a copy of the home; the processes alternate (``--rounds``).

    python -m bench.speed.search_depth --home /tmp/sourcedesk-claims-eval [--queries 300] [--rounds 2]
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from index.store.chroma import SEARCH_EF

DEFAULT_EF = 100  # Chroma's own
K = 80


def _collection(home: Path):
    """The home's passage collection, opened with Chroma alone: the engine would raise its
    depth to ``SEARCH_EF`` on opening it."""
    import chromadb

    client = chromadb.PersistentClient(path=str(home / "chroma"))
    return max(client.list_collections(), key=lambda c: c.count())


def _dev_tweets(n_queries: int) -> list[str]:
    import csv

    from bench.data.claims import DATA

    dev = {row[0] for row in csv.reader((DATA / "CT2022-Task2A-EN-Dev_QRELs.tsv").open(encoding="utf-8"),
                                        delimiter="\t") if row}
    rows = csv.reader((DATA / "CT2022-Task2A-EN-Train-Dev_Queries.tsv").open(encoding="utf-8"),
                      delimiter="\t", quoting=csv.QUOTE_NONE)
    return [text for tid, text, *_ in sorted(r for r in rows if len(r) >= 2 and r[0] in dev)][:n_queries]


def measure(home: Path, n_queries: int) -> dict:
    """In this process: recall and time of the collection at the depth it was loaded with."""
    from index.store.embedder import shared_embedder

    collection = _collection(home)
    got = collection.get(include=["embeddings"])
    ids, stored = got["ids"], np.asarray(got["embeddings"], dtype=np.float32)
    tweets = _dev_tweets(n_queries)
    vectors = shared_embedder().encode(tweets)
    exact = np.argsort(-(vectors @ stored.T), axis=1)[:, :K]
    times, recalls = [], []
    for v, best in zip(vectors, exact):
        start = time.perf_counter()
        found = collection.query(query_embeddings=[v], n_results=K, include=[])["ids"][0]
        times.append(time.perf_counter() - start)
        recalls.append(len(set(found) & {ids[i] for i in best}) / K)
    return {"ef": (collection.configuration_json.get("hnsw") or {}).get("ef_search"), "passages": len(ids),
            "queries": len(tweets), "recall": float(np.mean(recalls)), "p50_ms": float(np.median(times) * 1000)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--set-ef", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.set_ef:
        _collection(args.home).modify(configuration={"hnsw": {"ef_search": args.set_ef}})
        return
    if args.worker:
        print(json.dumps(measure(args.home, args.queries)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        homes = {}
        for ef in (DEFAULT_EF, SEARCH_EF):
            homes[ef] = Path(tmp) / f"ef{ef}"
            shutil.copytree(args.home, homes[ef])
            subprocess.run([sys.executable, "-m", "bench.speed.search_depth", "--home", str(homes[ef]),
                            "--set-ef", str(ef)], check=True)
        runs: dict[int, list[dict]] = {ef: [] for ef in homes}
        for _ in range(args.rounds):
            for ef, home in homes.items():
                out = subprocess.run([sys.executable, "-m", "bench.speed.search_depth", "--home", str(home),
                                      "--queries", str(args.queries), "--worker"],
                                     check=True, capture_output=True, text=True).stdout
                runs[ef].append(json.loads(out.strip().splitlines()[-1]))
    first = runs[DEFAULT_EF][0]
    print(f"**Chroma's search depth** ({first['passages']} passages, {first['queries']} claims-dev tweets, "
          f"top {K}, {args.rounds} alternating rounds)\n")
    print("| ef_search | recall of the exact top 80 | query p50 ms (each round) |\n| --- | --- | --- |")
    for ef, rs in runs.items():
        assert all(r["ef"] == ef for r in rs), rs
        name = "Chroma default" if ef == DEFAULT_EF else "engine"
        times = " / ".join(f"{r['p50_ms']:.2f}" for r in rs)
        print(f"| {ef} ({name}) | {rs[0]['recall']:.4f} | {times} |")


if __name__ == "__main__":
    main()
