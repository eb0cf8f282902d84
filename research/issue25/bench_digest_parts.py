"""What issue 25 adds to the digest's cost, measured inside one process on the corpus of
research/issue25/bench_digest_ab.py (--build there first): the digest (max_stories=50)
and its clustering step with and without each addition, the variants taking turns, wall
and CPU seconds (CPU time is less at the mercy of the other jobs on a shared machine).

- without the split: linkage.split_stories replaced by "keep the first pass's labels";
- without the order test: the derivation rule's order threshold set to infinity (the
  copy test alone, as before; the texts are still tokenised once per story).

Run: HF_HUB_OFFLINE=1 .venv/bin/python -m research.issue25.bench_digest_parts --home DIR [--runs 3]
     ... --home /tmp/r25-cache/ecb-home --corpus ecb   (real articles: the ECB+ window of
     research/issue25/cache.py, every article new, no window.json needed)
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from index.compare import derivation  # noqa: E402
from index.config import Settings  # noqa: E402
from index.engine import Engine  # noqa: E402
from index.stories import clusters  # noqa: E402
from index.stories.digest import cluster_new_articles, digest, new_articles  # noqa: E402

VARIANTS = ("issue 25", "without the split", "without the order test", "neither (before issue 25)")


def patches(variant: str, stack: ExitStack) -> None:
    if variant in ("without the split", "neither (before issue 25)"):
        stack.enter_context(mock.patch.object(clusters, "split_stories", lambda sim, labels: labels))
    if variant in ("without the order test", "neither (before issue 25)"):
        copy_only = {**derivation.model(), "order": float("inf")}
        stack.enter_context(mock.patch.object(derivation, "model", lambda: copy_only))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", default="bench")
    args = parser.parse_args()
    if (args.home / "window.json").exists():
        window = json.loads((args.home / "window.json").read_text())
        since, until = datetime.fromisoformat(window["since"]), datetime.fromisoformat(window["until"])
    else:
        since, until = datetime(2000, 1, 1, tzinfo=timezone.utc), datetime.now(timezone.utc)
    engine = Engine(Settings.from_env(args.home), args.corpus)
    fresh = new_articles(engine, since, until)
    digest(engine, since=since, until=until, max_stories=50)  # warm the index and the caches
    times: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _ in range(args.runs):
        for variant in VARIANTS:
            for step, call in (("clustering", lambda: cluster_new_articles(engine, fresh, until)),
                               ("digest(50)", lambda: digest(engine, since=since, until=until, max_stories=50))):
                with ExitStack() as stack:
                    patches(variant, stack)
                    wall, cpu = time.perf_counter(), time.process_time()
                    call()
                    times.setdefault((variant, step), []).append((time.perf_counter() - wall, time.process_time() - cpu))
    engine.close()
    print(f"| variant | clustering wall s | clustering CPU s | digest(50) wall s | digest(50) CPU s |  (median of {args.runs})")
    print("| --- | --- | --- | --- | --- |")
    for variant in VARIANTS:
        cells = []
        for step in ("clustering", "digest(50)"):
            runs = times[(variant, step)]
            cells += [f"{statistics.median(w for w, _ in runs):.2f}", f"{statistics.median(c for _, c in runs):.2f}"]
        print(f"| {variant} | " + " | ".join(cells) + " |")
    new = statistics.median(c for _, c in times[(VARIANTS[0], "digest(50)")])
    old = statistics.median(c for _, c in times[(VARIANTS[3], "digest(50)")])
    print(f"\ndigest(50) CPU, issue 25 / before: {new / old:.2f}")


if __name__ == "__main__":
    main()
