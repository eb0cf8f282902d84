"""Crash test: SIGKILL an ingest (and a remove) at random points, restart, re-run; the
result must equal a clean ingest (the experiment: tests/support/crash.py). Most kills use
the hashing embedder; ``--real-kills`` use the real model. Prints a markdown table and
exits 1 when any run differs from its clean ingest.

    python -m bench.robustness.crash [--articles 200] [--kills 24] [--real-kills 3] [--seed 1]
"""
from __future__ import annotations

import argparse
import sys

from tests.support.crash import CrashRun, crash_experiment


def markdown(runs: list[CrashRun]) -> str:
    lines = ["**Crash safety** (SIGKILL at a random time: 1 in 5 anywhere from process start, the rest "
             "uniformly over the remove/ingest work after the engine opened (as long as the last run that "
             "finished took); each kill "
             "followed by a restart (open: check) and a re-run of the same ingest; every run after the first "
             "first removes a random 30-70 % of the feed's articles, so each run has work and kills also land "
             "between a remove's registry delete and its vector delete)\n",
             "| embedder | articles | kills (landed) | killed during | restarts that repaired | orphan vectors "
             "deleted | articles re-embedded | final re-run | equal to a clean ingest |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in runs:
        phases = ", ".join(f"{k} {v}" for k, v in sorted(r.kill_phases.items()))
        verdict = "**yes**" if not r.problems else "NO: " + "; ".join(r.problems[:3])
        lines.append(f"| {'hashing (test)' if r.fake else 'all-MiniLM-L6-v2'} | {r.articles} | {r.kills} ({r.killed}) | "
                     f"{phases} | {r.repairs} | {r.orphan_vectors} | {r.reembedded} | "
                     f"{', '.join(f'{k} {v}' for k, v in sorted(r.final_counts.items()))} | {verdict} |")
    lines.append("\nCompared per article: id, stored text, passage offsets, lexical rows, vector count and "
                 "values (atol 1e-4); plus a full `check` of the crashed home that must find nothing. "
                 + "; ".join(f"{'hashing' if r.fake else 'real model'} run: {r.seconds:.0f} s "
                             f"(clean ingest {r.clean_seconds:.1f} s)" for r in runs) + ".")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--kills", type=int, default=24)
    parser.add_argument("--real-articles", type=int, default=60)
    parser.add_argument("--real-kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    runs = [crash_experiment(args.articles, args.kills, fake=True, seed=args.seed)]
    if args.real_kills:
        runs.append(crash_experiment(args.real_articles, args.real_kills, fake=False, seed=args.seed + 1))
    print(markdown(runs))
    return 1 if any(r.problems for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
