"""The crash experiment: SIGKILL an ingest (and a remove) at random points, restart,
re-run; the result must equal a clean ingest.

A worker subprocess (``python -m tests.support.crash --worker HOME FEED``) opens the engine
(which runs the open-time ``check``: the restart), optionally removes some articles, then
ingests a synthetic JSONL feed. The parent kills it with SIGKILL after a random delay, many
times, each time starting the next worker on the same home (restart + re-run of the same
ingest); a last worker runs to completion. Then the home is compared with a clean ingest of
the same feed in another home: same article ids, texts, passage offsets, lexical rows and
vectors per article, and a full ``check`` that finds nothing.

The crash semantics do not depend on the model, so most runs use ``HashingEmbedder``
(``fake=True``). tests/test_reliability.py runs a small experiment; bench/robustness/crash.py
the large one and its table.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tests.support import synthetic
from tests.support.hashing_embedder import HashingEmbedder

ROOT = Path(__file__).resolve().parents[2]
CORPUS = "crash"


# -- the worker (a subprocess) ----------------------------------------------------------


def worker(home: str, feed: str, fake: bool, remove_share: float, remove_seed: int) -> None:
    from index.config import Settings
    from index.engine import Engine
    from index.ingest.pipeline import article_id_for

    embedder = HashingEmbedder() if fake else None
    engine = Engine(Settings.from_env(home), CORPUS, embedder=embedder)  # the restart: check on open
    print(json.dumps({"event": "open", "report": engine.open_report.to_json()}), flush=True)
    if remove_share:
        # Remove a random share of the feed's articles first: every run then has work to
        # do (removes, then adds), and kills land in removes as well as in adds.
        rng = random.Random(remove_seed)
        for line in Path(feed).read_text(encoding="utf-8").splitlines():
            aid = article_id_for(json.loads(line)["text"])
            if rng.random() < remove_share and engine.article_db.has(aid):
                engine.remove(aid)
        print(json.dumps({"event": "removed"}), flush=True)
    results = engine.ingest([feed])
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    print(json.dumps({"event": "done", "counts": counts}), flush=True)


def _worker_cmd(home: Path, feed: Path, fake: bool, remove_share: float = 0.0, remove_seed: int = 0) -> list[str]:
    return [sys.executable, "-m", "tests.support.crash", "--worker", str(home), str(feed),
            "--remove-share", str(remove_share), "--remove-seed", str(remove_seed)] + (["--fake"] if fake else [])


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("CHROMA_HOST", None)  # the crash test is about the embedded store
    return env


def _events(stdout: str) -> list[dict]:
    out = []
    for line in stdout.splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out


def run_worker(home: Path, feed: Path, fake: bool, remove_share: float = 0.0, remove_seed: int = 0,
               kill_after: float | None = None, after_event: str | None = None):
    """(seconds, killed, events, seconds from ``after_event`` to the end).

    ``kill_after``: SIGKILL that many seconds after the start, or after the worker
    reported ``after_event`` ("open": the engine is open and checked) when given."""
    started = time.perf_counter()
    proc = subprocess.Popen(_worker_cmd(home, feed, fake, remove_share, remove_seed), cwd=ROOT, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    marks: dict[str, float] = {}

    def read() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.append(line)
            for e in _events(line):
                marks.setdefault(e.get("event", ""), time.perf_counter())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    err_lines: list[str] = []
    err_reader = threading.Thread(target=lambda: err_lines.extend(proc.stderr), daemon=True)  # type: ignore[arg-type]
    err_reader.start()
    killed = False
    if kill_after is not None:
        deadline = started + kill_after
        while proc.poll() is None:
            if after_event is not None:
                deadline = marks[after_event] + kill_after if after_event in marks else float("inf")
            if time.perf_counter() >= deadline:
                proc.send_signal(signal.SIGKILL)
                killed = True
                break
            time.sleep(0.002)
    proc.wait()
    reader.join()
    err_reader.join()
    seconds = time.perf_counter() - started
    if not killed and proc.returncode != 0:
        raise RuntimeError(f"worker failed ({proc.returncode}):\n{''.join(err_lines)[-3000:]}")
    phase_seconds = (time.perf_counter() - marks["open"]) if "open" in marks else 0.0
    return seconds, killed, _events("".join(lines)), phase_seconds


# -- comparing two homes ------------------------------------------------------------------


def snapshot(home: Path, fake: bool) -> dict[str, dict]:
    """Per article: text, passage offsets, lexical row count, vector count and vectors."""
    from index.config import Settings
    from index.engine import Engine
    from index.store.chroma import parse_passage_id

    settings = dataclasses.replace(Settings.from_env(home), chroma_host=None)  # the workers' embedded store
    engine = Engine(settings, CORPUS, embedder=HashingEmbedder() if fake else None, check_on_open=False)
    try:
        per_article: dict[str, int] = {}
        for pid in engine.vectors.passage_ids():
            parsed = parse_passage_id(pid)
            key = parsed[0] if parsed else pid
            per_article[key] = per_article.get(key, 0) + 1
        fts = engine.article_db.fts_counts()
        snap: dict[str, dict] = {}
        for article in engine.article_db.list():
            aid = article.article_id
            spans = [(s.start, s.end) for s in engine.article_db.spans(aid)]
            try:
                vecs = engine.vectors.vectors_of(aid, len(spans))
            except KeyError:
                vecs = None
            snap[aid] = {"text": engine.article_db.text(aid), "spans": spans, "fts": fts.get(aid, 0),
                         "vectors": per_article.get(aid, 0), "vecs": vecs}
        for aid, n in per_article.items():  # vectors of no article at all
            snap.setdefault(aid, {"text": None, "spans": [], "fts": 0, "vectors": n, "vecs": None})
        check = engine.check(repair=False, full=True)
        return {"articles": snap, "check": check}
    finally:
        engine.close()


def compare(crashed: dict, clean: dict) -> list[str]:
    problems = []
    a, b = crashed["articles"], clean["articles"]
    if set(a) != set(b):
        problems.append(f"article ids differ: {len(set(a) - set(b))} extra, {len(set(b) - set(a))} missing")
    for aid in sorted(set(a) & set(b)):
        x, y = a[aid], b[aid]
        for key in ("text", "spans", "fts", "vectors"):
            if x[key] != y[key]:
                problems.append(f"{aid}: {key} differs")
        if x["vecs"] is None or y["vecs"] is None or not np.allclose(x["vecs"], y["vecs"], atol=1e-4):
            problems.append(f"{aid}: vector values differ")
    if not crashed["check"].ok:
        problems.append(f"full check of the crashed home is not clean: {crashed['check'].summary()}")
    return problems


# -- the experiment -------------------------------------------------------------------------


@dataclass
class CrashRun:
    articles: int
    kills: int
    fake: bool
    clean_seconds: float = 0.0
    killed: int = 0  # workers actually killed (a worker may finish before its kill time)
    kill_phases: dict[str, int] = field(default_factory=dict)
    repairs: int = 0  # restarts whose check repaired something
    orphan_vectors: int = 0
    reembedded: int = 0
    fts_fixed: int = 0
    final_counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def crash_experiment(n_articles: int, kills: int, fake: bool = True, seed: int = 1,
                     workdir: Path | None = None, early_share: float = 0.2) -> CrashRun:
    rng = random.Random(seed)
    run = CrashRun(n_articles, kills, fake)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        tmp_path = Path(tmp)
        feed = synthetic.write_jsonl(synthetic.build(n_articles, seed=seed), tmp_path / "feed.jsonl")
        clean_home, crash_home = tmp_path / "clean", tmp_path / "crash"
        run.clean_seconds, _, _, work_seconds = run_worker(clean_home, feed, fake)
        for k in range(kills):
            share = 0.0 if k == 0 else rng.uniform(0.3, 0.7)  # the first run starts from nothing
            if rng.random() < early_share:  # anywhere from the start: also during the open-time check
                kill_after, after = rng.uniform(0.0, run.clean_seconds), None
            else:  # during the remove and ingest work (as long as the last run that finished took)
                kill_after, after = rng.uniform(0.0, work_seconds * 1.2), "open"
            _, killed, events, worked = run_worker(crash_home, feed, fake, share, rng.randrange(1 << 30), kill_after, after)
            if not killed and worked:
                work_seconds = worked  # re-runs are quicker (the embedding cache): aim inside them
            run.killed += killed
            phase = ("start or open-time check" if not events else
                     {"open": "remove" if share else "ingest", "removed": "ingest"}.get(events[-1]["event"], "exit"))
            if not killed:
                phase = "finished"
            run.kill_phases[phase] = run.kill_phases.get(phase, 0) + 1
            _tally(run, events)
        _, _, events, _ = run_worker(crash_home, feed, fake)  # restart and complete the same ingest
        _tally(run, events)
        run.final_counts = next((e["counts"] for e in events if e["event"] == "done"), {})
        run.problems = compare(snapshot(crash_home, fake), snapshot(clean_home, fake))
    run.seconds = time.perf_counter() - started
    return run


def _tally(run: CrashRun, events: list[dict]) -> None:
    for e in events:
        if e["event"] == "open":
            r = e["report"]
            run.repairs += r["problems"] > 0
            run.orphan_vectors += r["orphan_vectors"]
            run.reembedded += len(r["reembedded_articles"])
            run.fts_fixed += len(r["fts_fixed_articles"])


def main() -> None:
    """The worker's entry point (the experiment starts it as a subprocess)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", nargs=2, metavar=("HOME", "FEED"), required=True)
    parser.add_argument("--fake", action="store_true")
    parser.add_argument("--remove-share", type=float, default=0.0)
    parser.add_argument("--remove-seed", type=int, default=0)
    args = parser.parse_args()
    worker(args.worker[0], args.worker[1], args.fake, args.remove_share, args.remove_seed)


if __name__ == "__main__":
    main()
