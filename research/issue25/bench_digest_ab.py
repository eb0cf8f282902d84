"""The digest's cost before and after issue 25 on one corpus, in one session (issue 25).

bench/bench_digest.py builds its 20,000-article corpus (1,000 new articles in planted
clusters) in a temporary directory and times one version of the code. Here the same
corpus (its own functions, same seeds) is built once into --home, and each version of
the code times the digest over it in its own process, the versions taking turns so that
the shared machine's load falls on both alike:

    python -m research.issue25.bench_digest_ab --home DIR --build
    R25_INDEX=/path/to/main/checkout python -m research.issue25.bench_digest_ab --home DIR --time
    python -m research.issue25.bench_digest_ab --home DIR --time

``R25_INDEX`` puts another checkout's ``index`` package first (the code before issue 25);
bench/ and research/ come from this worktree. Each --time prints one JSON line: the raw
batched Chroma calls (vector fetch + k-NN, median of 3), the clustering step (1 run), the
digest with max_stories=50 (median of 3), the digest with every story analysed (1 run) and
the stories found.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
if os.environ.get("R25_INDEX"):
    sys.path.insert(0, os.environ["R25_INDEX"])

import numpy as np  # noqa: E402

from bench.bench_compare import insert_synthetic  # noqa: E402
from bench.bench_digest import CORPUS, NEW, SAMPLE, insert_clustered, recovery  # noqa: E402
from bench.common import median_time  # noqa: E402
from index.config import Settings  # noqa: E402
from index.engine import Engine  # noqa: E402
from index.stories.digest import cluster_new_articles, digest, new_articles, passage_vectors_many, query_neighbours  # noqa: E402


def build(home: Path) -> None:
    engine = Engine(Settings.from_env(home), "bench")
    engine.ingest([SAMPLE])
    dims = engine.embedder.dimension
    background_n = CORPUS - NEW - engine.registry.count()
    insert_synthetic(engine, background_n, dims)
    since = datetime.now(timezone.utc)
    planted = insert_clustered(engine, NEW, dims, [f"syn{i:013d}" for i in range(background_n)])
    until = datetime.now(timezone.utc)
    (home / "window.json").write_text(json.dumps({"since": since.isoformat(), "until": until.isoformat(),
                                                  "planted": planted}))
    engine.close()


def measure(home: Path) -> dict:
    window = json.loads((home / "window.json").read_text())
    since, until = datetime.fromisoformat(window["since"]), datetime.fromisoformat(window["until"])
    engine = Engine(Settings.from_env(home), "bench")
    fresh = new_articles(engine, since, until)

    def raw_chroma():
        vectors = passage_vectors_many(engine, fresh)
        return query_neighbours(engine, np.vstack(list(vectors.values())))

    raw_chroma()  # warm the index
    t_raw, _ = median_time(raw_chroma)
    t_cluster, (components, _) = median_time(lambda: cluster_new_articles(engine, fresh, until), runs=1)
    t_digest, result = median_time(lambda: digest(engine, since=since, until=until, max_stories=50))
    t_all, result_all = median_time(lambda: digest(engine, since=since, until=until, max_stories=NEW), runs=1)
    planted_n, exact, found_n, _, _ = recovery(components, window["planted"])
    engine.close()
    return {"index": os.environ.get("R25_INDEX") or str(ROOT), "new": len(fresh), "raw_chroma_s": round(t_raw, 3),
            "cluster_s": round(t_cluster, 3), "digest50_s": round(t_digest, 3), "digest_all_s": round(t_all, 3),
            "stories": found_n, "planted": planted_n, "recovered_exactly": exact,
            "stories_all": len(result_all.stories), "at": time.strftime("%H:%M:%S")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--time", action="store_true")
    args = parser.parse_args()
    if args.build:
        args.home.mkdir(parents=True, exist_ok=True)
        build(args.home)
    if args.time:
        print(json.dumps(measure(args.home)))


if __name__ == "__main__":
    main()
