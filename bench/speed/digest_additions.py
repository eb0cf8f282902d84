"""What issue 25 adds to the digest's cost, measured inside one process, the variants
taking turns: the digest (max_stories=50) and its clustering step with and without each
addition, wall and CPU seconds (CPU time is less at the mercy of the other jobs on a
shared machine than wall time).

- without the split: linkage.split_stories replaced by "keep the first pass's labels";
- without the order test: the derivation rule's order threshold set to infinity (the
  copy test alone, as before issue 25);
- neither: both, the digest's decisions as before issue 25 (the baseline).

Corpora: ``--build`` writes speed.digest's corpus (20,000 articles, 1,000 new in planted
clusters, same seeds; about 3 minutes) into --home with its window; any engine home
without a window.json (the ECB+ home of quality.stories, ``--corpus ecb``) is timed with
every article new.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.speed.digest_additions --home DIR --build
    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.speed.digest_additions --home DIR [--runs 3]
    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.speed.digest_additions --home /tmp/sourcedesk-eval/ecb-home --corpus ecb
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path
from unittest import mock

from bench.data.synthetic_vectors import insert_clustered, insert_synthetic
from bench.speed.digest import CORPUS, NEW, SAMPLE
from index import Engine, Settings
from index.compare import derivation
from index.stories import clusters
from index.stories.digest import cluster_new_articles, digest, new_articles

VARIANTS = ("issue 25", "without the split", "without the order test", "neither (before issue 25)")


def build(home: Path) -> None:
    """speed.digest's corpus in ``home``, the new articles' window in home/window.json."""
    engine = Engine(Settings.from_env(home), "bench")
    engine.ingest([SAMPLE])
    dims = engine.embedder.dimension
    background_n = CORPUS - NEW - engine.article_db.count()
    insert_synthetic(engine, background_n, dims)
    since = datetime.now(timezone.utc)
    insert_clustered(engine, NEW, dims, [f"syn{i:013d}" for i in range(background_n)])
    until = datetime.now(timezone.utc)
    (home / "window.json").write_text(json.dumps({"since": since.isoformat(), "until": until.isoformat()}))
    engine.close()


def patches(variant: str, stack: ExitStack) -> None:
    if variant in ("without the split", "neither (before issue 25)"):
        stack.enter_context(mock.patch.object(clusters, "split_stories", lambda sim, labels: labels))
    if variant in ("without the order test", "neither (before issue 25)"):
        copy_only = {**derivation.model(), "order": float("inf")}
        stack.enter_context(mock.patch.object(derivation, "model", lambda: copy_only))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", default="bench")
    args = parser.parse_args()
    if args.build:
        args.home.mkdir(parents=True, exist_ok=True)
        build(args.home)
        return
    if (args.home / "window.json").exists():
        window = json.loads((args.home / "window.json").read_text())
        since, until = datetime.fromisoformat(window["since"]), datetime.fromisoformat(window["until"])
    else:
        since, until = datetime(2000, 1, 1, tzinfo=timezone.utc), datetime.now(timezone.utc)
    engine = Engine(Settings.from_env(args.home), args.corpus)
    store = engine.store
    fresh = new_articles(store, since, until)
    digest(store, since=since, until=until, max_stories=50)  # warm the index and the caches
    times: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _ in range(args.runs):
        for variant in VARIANTS:
            for step, call in (("clustering", lambda: cluster_new_articles(store, fresh, until)),
                               ("digest(50)", lambda: digest(store, since=since, until=until, max_stories=50))):
                with ExitStack() as stack:
                    patches(variant, stack)
                    wall, cpu = time.perf_counter(), time.process_time()
                    call()
                    times.setdefault((variant, step), []).append((time.perf_counter() - wall, time.process_time() - cpu))
    engine.close()
    print(f"# speed.digest_additions: {args.corpus}, {len(fresh):,} new articles, median of {args.runs}\n")
    print("| variant | clustering wall s | clustering CPU s | digest(50) wall s | digest(50) CPU s |")
    print("| --- | --- | --- | --- | --- |")
    for variant in VARIANTS:
        cells = []
        for step in ("clustering", "digest(50)"):
            runs = times[(variant, step)]
            cells += [f"{statistics.median(w for w, _ in runs):.2f}", f"{statistics.median(c for _, c in runs):.2f}"]
        print(f"| {variant} | " + " | ".join(cells) + " |")
    for unit, at in (("wall", 0), ("CPU", 1)):
        new = statistics.median(t[at] for t in times[(VARIANTS[0], "digest(50)")])
        old = statistics.median(t[at] for t in times[(VARIANTS[3], "digest(50)")])
        print(f"\ndigest(50) {unit}, issue 25 / before: {new / old:.2f}")


if __name__ == "__main__":
    main()
