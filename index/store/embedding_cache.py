"""The embedding cache: vectors keyed by model and passage text in one SQLite file per home,
so syndicated copies, re-ingests and lexical-only candidates never run the model twice.

It also keeps each passage's window vectors (issue 21: ``text/clauses.windows``, pooled from
the passage's own forward pass), keyed the same way: ingest stores them, a query only reads
them, ``check`` makes the missing ones again (``store/repair.py``)."""
from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import numpy as np

from index.records import Span
from index.store import batching
from index.store.batching import chunks
from index.store.embedder import WindowVectors
from index.text.clauses import windows


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
            # One row per passage text that has windows: their offsets (int32 start, end
            # pairs) and vectors (float32, a row each). Offsets are kept so a row made under
            # another windowing rule is known to be stale and made again.
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS windows (model TEXT, key BLOB, spans BLOB, vecs BLOB, "
                "PRIMARY KEY (model, key))"
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

    def get_windows(self, model: str, texts: list[str]) -> dict[str, WindowVectors]:
        """Passage text -> its stored window vectors (texts without windows, or whose rows
        are missing, are absent: a passage of one clause, or a home whose windows ``check``
        has not made yet)."""
        by_key: dict[bytes, list[str]] = {}
        for t in texts:
            by_key.setdefault(self.key(t), []).append(t)
        out: dict[str, WindowVectors] = {}
        with self._lock:
            for chunk in chunks(list(by_key), batching.IDS_PER_STATEMENT):
                marks = ",".join("?" * len(chunk))
                for k, spans, vecs in self._conn.execute(
                    f"SELECT key, spans, vecs FROM windows WHERE model = ? AND key IN ({marks})", (model, *chunk)
                ):
                    pairs = np.frombuffer(spans, dtype=np.int32).reshape(-1, 2)
                    found = WindowVectors([Span(int(a), int(b)) for a, b in pairs],
                                          np.frombuffer(vecs, dtype=np.float32).reshape(len(pairs), -1))
                    out.update(dict.fromkeys(by_key[k], found))
        return out

    def put_windows(self, model: str, texts: list[str], found: list[WindowVectors]) -> None:
        rows = [(model, self.key(t), np.asarray([(s.start, s.end) for s in w.spans], dtype=np.int32).tobytes(),
                 np.asarray(w.vectors, dtype=np.float32).tobytes())
                for t, w in zip(texts, found) if w.spans]
        with self._lock:
            self._conn.executemany("INSERT OR REPLACE INTO windows VALUES (?,?,?,?)", rows)

    def missing_windows(self, model: str, texts: list[str]) -> list[str]:
        """The distinct texts that have windows but no stored row for them (or a stale one)."""
        wanted = {t: windows(t) for t in dict.fromkeys(texts)}
        wanted = {t: spans for t, spans in wanted.items() if spans}
        stored = self.get_windows(model, list(wanted))
        return [t for t, spans in wanted.items() if t not in stored or stored[t].spans != spans]


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


def embed_with_windows(embedder, cache: EmbeddingCache, texts: list[str]) -> np.ndarray:
    """Vectors for ``texts`` (as ``embed_with_cache``), their window vectors stored in the
    cache as a side effect: the model runs once on each text that lacks either, in one
    forward pass for both (``Embedder.encode_with_windows``)."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    known = cache.get_many(embedder.name, texts)
    needed = set(cache.missing_windows(embedder.name, texts))
    todo = list(dict.fromkeys(t for t in texts if t in needed or EmbeddingCache.key(t) not in known))
    if todo:
        fresh, found = encode_with_windows(embedder, todo)
        cache.put_many(embedder.name, todo, fresh)
        cache.put_windows(embedder.name, todo, found)
        known.update(zip((EmbeddingCache.key(t) for t in todo), fresh))
    return np.stack([known[EmbeddingCache.key(t)] for t in texts]).astype(np.float32)


def encode_with_windows(embedder, texts: list[str]) -> tuple[np.ndarray, list[WindowVectors]]:
    """The embedder's one-pass ``encode_with_windows``; an embedder without it (a test's
    model-free one) encodes each window as a text of its own."""
    if hasattr(embedder, "encode_with_windows"):
        return embedder.encode_with_windows(texts)
    spans = [windows(t) for t in texts]
    pieces = [t[s.start:s.end] for t, ss in zip(texts, spans) for s in ss]
    vectors = np.asarray(embedder.encode(list(texts) + pieces), dtype=np.float32)
    found, offset = [], len(texts)
    for ss in spans:
        found.append(WindowVectors(ss, vectors[offset:offset + len(ss)]))
        offset += len(ss)
    return vectors[: len(texts)], found

