"""Timing helpers shared by the speed benchmarks, and a fresh engine in a temporary home."""
from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from index import Engine, Settings


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_time(fn: Callable[[], object], runs: int = 3) -> tuple[float, object]:
    """Median seconds of ``runs`` calls of ``fn``, and the last call's result."""
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def median(values: list[float]) -> float:
    return statistics.median(values)


@contextmanager
def fresh_engine(corpus: str = "bench"):
    with tempfile.TemporaryDirectory() as home:
        engine = Engine(Settings.from_env(Path(home)), corpus)
        try:
            yield engine
        finally:
            engine.close()


def interleaved_latencies(engine: Engine, queries: list[str]) -> tuple[list[float], list[float], list[float]]:
    """Seconds per query for (a raw Chroma query of the precomputed vector, raw encode +
    Chroma query, `sources`), measured query by query so that noise hits all three alike."""
    vectors = engine.embedder.encode(queries)
    collection = engine.vectors._handle()
    engine.sources(queries[0])  # warm-up
    raw, raw_both, ours = [], [], []
    for q, v in zip(queries, vectors):
        raw.append(timed(lambda: collection.query(query_embeddings=[v], n_results=10)))
        raw_both.append(timed(lambda: collection.query(query_embeddings=engine.embedder.encode([q]), n_results=10)))
        ours.append(timed(lambda: engine.sources(q, limit=10)))
    return raw, raw_both, ours
