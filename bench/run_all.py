"""Run every benchmark in turn and print their markdown (the figures in BENCHMARKS.md).

    python -m bench.run_all            # or: make bench
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys

BENCHES = [
    "bench.eval_retrieval", "bench.eval_windows", "bench.bench_ingest", "bench.bench_reingest", "bench.bench_query",
    "bench.bench_scale", "bench.bench_compare", "bench.bench_compare_page", "bench.bench_digest", "bench.bench_crash",
    "bench.bench_bot_load",
    # verdicts on the real development halves in ../shared/data, each beside its same-run baseline
    "bench.eval_claims", "bench.eval_reported", "bench.eval_compare", "bench.eval_reuse", "bench.eval_stories",
]


def main() -> int:
    failed = 0
    for name in BENCHES:
        if importlib.util.find_spec(name) is None:
            continue
        print(f"\n## {name}\n", flush=True)
        failed += subprocess.call([sys.executable, "-m", name]) != 0
    return failed


if __name__ == "__main__":
    sys.exit(main())
