"""The embedding cache: vectors keyed by model and passage text in one SQLite file per home,
so syndicated copies, re-ingests and lexical-only candidates never run the model twice."""
from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import numpy as np

from index.store import batching
from index.store.batching import chunks


class EmbeddingCache:
    """Vectors keyed by (model, sha1 of passage text): syndicated copies and re-ingests
    reuse them instead of running the model again."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key BLOB, vec BLOB, PRIMARY KEY (model, key))"
            )

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.sha1(text.encode("utf-8")).digest()

    def get_many(self, model: str, texts: list[str]) -> dict[bytes, np.ndarray]:
        keys = list({self.key(t) for t in texts})
        out: dict[bytes, np.ndarray] = {}
        with self._lock:
            for chunk in chunks(keys, batching.IDS_PER_STATEMENT):
                marks = ",".join("?" * len(chunk))
                for k, v in self._conn.execute(
                    f"SELECT key, vec FROM vectors WHERE model = ? AND key IN ({marks})", (model, *chunk)
                ):
                    out[k] = np.frombuffer(v, dtype=np.float32)
        return out

    def put_many(self, model: str, texts: list[str], vectors: np.ndarray) -> None:
        rows = [(model, self.key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vectors)]
        with self._lock:
            self._conn.executemany("INSERT OR IGNORE INTO vectors VALUES (?,?,?)", rows)


def embed_with_cache(embedder, cache: EmbeddingCache | None, texts: list[str]) -> np.ndarray:
    """Vectors for ``texts``, running the model only on texts the cache lacks."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    if cache is None:
        return embedder.encode(texts)
    known = cache.get_many(embedder.name, texts)
    missing = list(dict.fromkeys(t for t in texts if EmbeddingCache.key(t) not in known))
    if missing:
        fresh = embedder.encode(missing)
        cache.put_many(embedder.name, missing, fresh)
        known.update(zip((EmbeddingCache.key(t) for t in missing), fresh))
    return np.stack([known[EmbeddingCache.key(t)] for t in texts]).astype(np.float32)

