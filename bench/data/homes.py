"""Engine homes that the evaluations keep between runs (ingesting a real corpus embeds every
passage: minutes to an hour on 2 shared cores).

A home holds what ingest stored, so its name carries a fingerprint of the code that decides
what ingest stores (``INGEST_CODE``): after a change there the next run builds a fresh home
instead of scoring the new search code against passages and vectors an older ingest left.
A new home starts with a copy of the embedding cache of the newest older home of the same
data (or of ``seed_cache``), so the rebuild runs the model only on texts never embedded.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import numpy as np

from index.store.embedding_cache import EmbeddingCache, embed_with_cache

ROOT = Path(__file__).resolve().parents[2]
HOMES = Path(os.environ.get("SOURCEDESK_BENCH_HOMES", "/tmp/sourcedesk-bench"))
INGEST_CODE = ("index/ingest", "index/store", "index/text", "index/records.py", "index/config.py")
CACHE_FILE = "embedding-cache.sqlite3"  # where Engine keeps a home's embedding cache


def ingest_fingerprint() -> str:
    """A digest of every file of ``INGEST_CODE`` in this checkout (working tree)."""
    digest = hashlib.sha1()
    for part in INGEST_CODE:
        path = ROOT / part
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for f in files:
            digest.update(str(f.relative_to(ROOT)).encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def data_digest(*paths: Path) -> str:
    """A short name for a data set given by file or folder (held-out files get their own homes)."""
    return hashlib.sha1("\0".join(str(Path(p).resolve()) for p in paths).encode()).hexdigest()[:8]


def bench_home(name: str, seed_cache: Path | None = None) -> Path:
    """``HOMES/<name>-<ingest fingerprint>``, created with a seeded embedding cache when new."""
    home = HOMES / f"{name}-{ingest_fingerprint()}"
    if not home.exists():
        home.mkdir(parents=True)
        older = sorted(HOMES.glob(f"{name}-*/{CACHE_FILE}"), key=lambda p: p.stat().st_mtime)
        source = seed_cache or (older[-1] if older else None)
        if source is not None and Path(source).exists():
            copy_sqlite(Path(source), home / CACHE_FILE)
    return home


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite file (its write-ahead log included); the source is only read."""
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


class CachedEmbedder:
    """The engine's embedder behind a home's embedding cache: an evaluation that asks about
    texts already embedded as passages (MSRP sentences as claims) runs no model call for
    them. The vectors are the model's own; everything else is the wrapped embedder's."""

    def __init__(self, inner, cache_path: Path) -> None:
        self._inner = inner
        self._cache = EmbeddingCache(cache_path)

    def __getattr__(self, name: str):
        return getattr(self._inner, name)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return self._inner.encode(texts)
        return embed_with_cache(self._inner, self._cache, texts)
