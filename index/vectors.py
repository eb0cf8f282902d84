"""Passage vectors in Chroma (embedded PersistentClient, or a `chroma run` server) and the
embedding cache that spares re-embedding text already seen.

We always pass our own vectors: Chroma's default embedding function downloads a model,
so collections are created with ``embedding_function=None``.
"""
from __future__ import annotations

import hashlib
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .config import Settings
from .models import UserError

_clients: dict[tuple, object] = {}
_clients_lock = threading.Lock()


def chroma_client(settings: Settings):
    """One client per home or server, shared by all corpora of the process."""
    import chromadb

    key = (settings.chroma_host, settings.chroma_port) if settings.chroma_host else ("local", str(settings.home))
    with _clients_lock:
        if key not in _clients:
            chroma_settings = chromadb.Settings(anonymized_telemetry=False)
            try:
                if settings.chroma_host:
                    _clients[key] = chromadb.HttpClient(
                        host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
                    )
                else:
                    path = settings.home / "chroma"
                    path.mkdir(parents=True, exist_ok=True)
                    _clients[key] = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            except Exception as exc:  # chromadb raises bare ValueError/ConnectionError here
                where = f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else str(settings.home)
                raise UserError(f"cannot open the Chroma store at {where}: {exc}") from exc
        return _clients[key]


@dataclass
class VectorHit:
    article_id: str
    idx: int
    similarity: float
    vector: np.ndarray


def passage_id(article_id: str, idx: int) -> str:
    return f"{article_id}:{idx}"


def store_id(home: Path) -> str:
    """A random id made once per home. Collections are named with it, so two homes that
    share one Chroma server (two deployments, parallel tests) never share vectors."""
    path = home / "store-id"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="ascii") as fh:
                fh.write(uuid.uuid4().hex[:12])
        except FileExistsError:
            pass  # another process made it first
    return path.read_text(encoding="ascii").strip()


class VectorStore:
    def __init__(self, client, namespace: str, corpus: str, model_name: str) -> None:
        self.client = client
        self.name = f"sourcedesk-{namespace}-{corpus}"
        self.collection = client.get_or_create_collection(
            self.name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"model": model_name},
        )
        stored_model = (self.collection.metadata or {}).get("model")
        if stored_model and stored_model != model_name:
            raise UserError(
                f"corpus {corpus!r} was indexed with model {stored_model!r}, not {model_name!r}; "
                "re-index it (export, then import with the new model)"
            )

    def add(self, article_id: str, vectors: np.ndarray, outlet: str | None, published: str | None) -> None:
        if len(vectors) == 0:
            return
        ids = [passage_id(article_id, i) for i in range(len(vectors))]
        meta = [
            {"article_id": article_id, "idx": i, "outlet": (outlet or "").lower(), "published": published or ""}
            for i in range(len(vectors))
        ]
        self.collection.upsert(ids=ids, embeddings=vectors, metadatas=meta)

    def remove(self, article_id: str) -> None:
        self.collection.delete(where={"article_id": article_id})

    def count(self) -> int:
        return self.collection.count()

    def query(self, vectors: np.ndarray, k: int, outlet: str | None = None) -> list[list[VectorHit]]:
        if self.collection.count() == 0:
            return [[] for _ in range(len(vectors))]
        res = self.collection.query(
            query_embeddings=vectors,
            n_results=k,
            where={"outlet": outlet.lower()} if outlet else None,
            include=["distances", "metadatas", "embeddings"],
        )
        out: list[list[VectorHit]] = []
        for dists, metas, embs in zip(res["distances"], res["metadatas"], res["embeddings"]):
            out.append([
                VectorHit(m["article_id"], int(m["idx"]), 1.0 - float(d), np.asarray(e, dtype=np.float32))
                for d, m, e in zip(dists, metas, embs)
            ])
        return out

    def vectors_of(self, article_id: str, n: int) -> np.ndarray:
        if n == 0:
            return np.zeros((0, 0), dtype=np.float32)
        ids = [passage_id(article_id, i) for i in range(n)]
        res = self.collection.get(ids=ids, include=["embeddings"])
        by_id = dict(zip(res["ids"], res["embeddings"]))
        if len(by_id) != n:
            raise KeyError(f"vectors missing for {article_id}")
        return np.asarray([by_id[i] for i in ids], dtype=np.float32)

    def article_ids(self, batch: int = 5000) -> set[str]:
        """Every article id that has vectors (for the consistency check)."""
        seen: set[str] = set()
        offset = 0
        while True:
            res = self.collection.get(include=["metadatas"], limit=batch, offset=offset)
            if not res["ids"]:
                return seen
            seen.update(m["article_id"] for m in res["metadatas"])
            offset += len(res["ids"])


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
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
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
