"""A full ``check`` and a lexical rebuild on a cached synthetic home (``bench.speed.million
--build-only --size N --home DIR``), to compare their growth across sizes (run it on a 10k
and a 100k home: the ratio should be near 10, not 100).

- full check: ``check(repair=False, full=True)`` on the healthy corpus, median of 3, beside
  Chroma's own read of every id in one ``get`` (median of 3, same run);
- lexical rebuild: the FTS5 rows of every ``--damage``-th article are deleted, then
  ``check(repair=True, full=True)`` rebuilds them (timed once); the corpus is healthy again
  after it (checked). ``--damage 0`` leaves the home as it is (the full check only).

``--results FILE`` merges the full check's time into ``bench/results/million.json`` as
``check_s_<scale>`` (``bench.speed.million``'s keys).

    python -m bench.speed.check --home DIR [--damage 10] [--results FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import time
from pathlib import Path

CORPUS = "scale"  # bench.speed.scale's corpus, which the million build fills


def damage_lexical_rows(registry: Path, every: int) -> int:
    """Delete the lexical rows of every ``every``-th article; returns how many articles."""
    db = sqlite3.connect(str(registry), isolation_level=None)
    try:
        ids = [r[0] for r in db.execute("SELECT article_id FROM articles WHERE rowid % ? = 0", (every,))]
        wanted = set(ids)
        rows = [(rowid,) for rowid, aid in db.execute("SELECT rowid, article_id FROM passages_fts") if aid in wanted]
        db.execute("BEGIN IMMEDIATE")
        db.executemany("DELETE FROM passages_fts WHERE rowid = ?", rows)
        db.execute("COMMIT")
        return len(ids)
    finally:
        db.close()


def main() -> None:
    from index import Engine, Settings

    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--damage", type=int, default=10, help="rebuild the lexical rows of every N-th article")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--results", type=Path, help="merge check_s_<scale> into this JSON")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    engine = Engine(Settings.from_env(args.home), CORPUS)
    row: dict = {"passages": engine.stats()["passages"]}
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        report = engine.check(repair=False, full=True)
        times.append(time.perf_counter() - t0)
        assert report.ok, report.summary()
    row["full_check_s"] = sorted(times)[len(times) // 2]
    row["full_check_runs_s"] = times
    collection = engine.vectors._handle()
    raw = []
    for _ in range(args.runs):  # the same-run baseline: Chroma's own read of every id, one call
        t0 = time.perf_counter()
        collection.get(include=[])
        raw.append(time.perf_counter() - t0)
    row["raw_all_ids_s"] = sorted(raw)[len(raw) // 2]
    if args.results:
        from bench.speed.million import merge_results, scale_label

        merge_results(args.results, {f"check_s_{scale_label(row['passages'])}": round(row["full_check_s"], 2)})
    if not args.damage:
        print(json.dumps(row))
        return
    row["damaged_articles"] = damage_lexical_rows(engine.article_db.path, args.damage)
    t0 = time.perf_counter()
    report = engine.check(repair=True, full=True)
    row["lexical_rebuild_s"] = time.perf_counter() - t0
    row["rebuilt_articles"] = len(report.fts_fixed_articles)
    row["ok_after"] = engine.check(repair=False, full=True).ok
    print(json.dumps(row))


if __name__ == "__main__":
    main()
