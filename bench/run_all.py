"""Run every benchmark in turn and print their markdown (the figures in BENCHMARKS.md).

    python -m bench.run_all            # or: make bench
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys

BENCHES = [
    "bench.quality.retrieval", "bench.quality.windows",
    "bench.speed.ingest", "bench.speed.reingest", "bench.speed.query", "bench.speed.scale",
    "bench.fitting.compare_thresholds", "bench.speed.compare", "bench.speed.compare_page", "bench.speed.digest",
    "bench.robustness.crash", "bench.robustness.bot_load",
    # verdicts on the real development halves in ../shared/data, each beside its same-run baseline
    "bench.quality.claims", "bench.quality.reported", "bench.quality.compare", "bench.quality.reuse",
    "bench.quality.stories",
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
