"""`sources` latency and memory as the corpus grows: 10,000 and 100,000 passages.

Synthetic passages (random unit vectors written straight into Chroma, with registry and
lexical rows: ``bench.data.synthetic_vectors.insert_synthetic``) plus the real model for the queries.
Per size: p50/p95 of `sources` against a raw Chroma query of the same query vector (the
baseline) and against raw encode + Chroma query; the time to open an engine (its cheap
open-time check) and a full ``check``; and the peak and current RSS of a fresh process
that opens the engine and answers queries.

    python -m bench.speed.scale [--sizes 10000 100000] [--queries 50]
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.data.synthetic_vectors import SYNTHETIC_PASSAGES, insert_synthetic
from bench.speed.timing import interleaved_latencies, percentile, timed
from index import Engine, Settings
from tests.support import synthetic

ROOT = Path(__file__).resolve().parents[2]

CORPUS = "scale"


def queries(n: int) -> list[str]:
    rng = random.Random(5)
    articles = synthetic.build(50, seed=6)
    return [rng.choice(rng.choice(articles).facts)[1] for _ in range(n)]


def rss_kib() -> tuple[int, int]:
    """(peak, current) resident set size of this process, KiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    current = 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            current = int(line.split()[1])
    return peak, current


def memory_worker(home: str, n_queries: int) -> None:
    engine = Engine(Settings.from_env(home), CORPUS)
    engine.embedder.encode(["warm up"])
    loaded = rss_kib()
    for q in queries(n_queries):
        engine.sources(q, limit=10)
    peak, current = rss_kib()
    print(json.dumps({"after_open_current": loaded[1], "peak": peak, "current": current,
                      "passages": engine.stats()["passages"]}))


def measure_memory(home: Path, n_queries: int) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.speed.scale", "--memory", str(home), "--queries", str(n_queries)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


class KnownQueries:
    """The real embedder, except that the benchmark's queries come from a table: `sources`
    timed without its model call (which swings with machine load), to see how the
    engine's own work (Chroma, BM25, fusion, labels) grows with the corpus."""

    def __init__(self, real, table: dict[str, object]) -> None:
        self.real, self.table, self.name = real, table, real.name

    def encode(self, texts):
        import numpy as np

        if all(t in self.table for t in texts):
            return np.stack([self.table[t] for t in texts])
        return self.real.encode(texts)


def measure(size: int, n_queries: int, tmp: Path) -> dict:
    home = tmp / f"home-{size}"
    engine = Engine(Settings.from_env(home), CORPUS)
    dims = len(engine.embedder.encode(["x"])[0])
    n_articles = size // SYNTHETIC_PASSAGES
    insert_seconds = insert_synthetic(engine, n_articles, dims)
    stats = engine.stats()
    qs = queries(n_queries)
    raw, raw_both, ours = interleaved_latencies(engine, qs)
    qvecs = engine.embedder.encode(qs)
    real = engine.embedder
    engine.retrieval.embedder = KnownQueries(real, dict(zip(qs, qvecs)))  # queries skip the model
    engine.sources(qs[0])
    no_model = [timed(lambda: engine.sources(q, limit=10)) for q in qs]
    engine.retrieval.embedder = real
    open_seconds = timed(lambda: Engine(Settings.from_env(home), CORPUS))
    started = time.perf_counter()
    report = engine.check(repair=False, full=True)
    full_check = time.perf_counter() - started
    assert report.ok, report.summary()
    memory = measure_memory(home, n_queries)
    return {"size": size, "stats": stats, "insert": insert_seconds, "raw": raw, "raw_both": raw_both, "ours": ours,
            "no_model": no_model,
            "open": open_seconds, "full_check": full_check, "memory": memory}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--memory", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory:
        memory_worker(args.memory, args.queries)
        return
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "home-empty"
        Engine(Settings.from_env(empty), CORPUS)
        base_memory = measure_memory(empty, args.queries)
        rows = [measure(size, args.queries, Path(tmp)) for size in args.sizes]
    ms = lambda xs, p: percentile(xs, p) * 1000  # noqa: E731
    print(f"**Scale** (synthetic passages: random unit vectors in Chroma with registry and lexical rows; "
          f"{args.queries} queries per size, real model for the queries)\n")
    print("| passages | raw Chroma query p50 / p95 ms (baseline) | raw encode + query p50 / p95 ms | "
          "`sources` p50 / p95 ms | `sources` without the model call p50 / p95 ms | "
          "`sources` / encode + query (p50) | `sources` without model / raw query (p50) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['stats']['passages']:,} | {ms(r['raw'], 50):.1f} / {ms(r['raw'], 95):.1f} | "
              f"{ms(r['raw_both'], 50):.1f} / {ms(r['raw_both'], 95):.1f} | {ms(r['ours'], 50):.1f} / {ms(r['ours'], 95):.1f} | "
              f"{ms(r['no_model'], 50):.1f} / {ms(r['no_model'], 95):.1f} | "
              f"{percentile(r['ours'], 50) / percentile(r['raw_both'], 50):.2f} | "
              f"{percentile(r['no_model'], 50) / percentile(r['raw'], 50):.1f} |")
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        grow = b["stats"]["passages"] / a["stats"]["passages"]
        print(f"\nGrowth from {a['stats']['passages']:,} to {b['stats']['passages']:,} passages (x{grow:.0f}): "
              f"`sources` p50 x{percentile(b['ours'], 50) / percentile(a['ours'], 50):.2f}, "
              f"`sources` without the model call p50 x{percentile(b['no_model'], 50) / percentile(a['no_model'], 50):.2f}, "
              f"raw Chroma query p50 x{percentile(b['raw'], 50) / percentile(a['raw'], 50):.2f}.")
    print("\n| passages | insert (s) | open an engine, cheap check (s) | full `check` scan (s) | "
          "peak RSS (MiB) | RSS after queries (MiB) |")
    print("| --- | --- | --- | --- | --- | --- |")
    print(f"| 0 (model loaded, empty corpus) | - | - | - | {base_memory['peak'] / 1024:.0f} | "
          f"{base_memory['current'] / 1024:.0f} |")
    for r in rows:
        print(f"| {r['stats']['passages']:,} | {r['insert']:.1f} | {r['open']:.2f} | {r['full_check']:.2f} | "
              f"{r['memory']['peak'] / 1024:.0f} | {r['memory']['current'] / 1024:.0f} |")


if __name__ == "__main__":
    main()
