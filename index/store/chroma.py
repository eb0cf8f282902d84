"""Passage vectors in Chroma (embedded PersistentClient, or a `chroma run` server) and the
embedding cache that spares re-embedding text already seen.

We always pass our own vectors: Chroma's default embedding function downloads a model,
so collections are created with ``embedding_function=None``.
"""
from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.config import Settings
from index.errors import ServiceError, UserError
from index.store import batching
from index.store.batching import chunks, queries_per_call, write_batch

log = logging.getLogger(__name__)
_clients: dict[tuple, object] = {}
_clients_lock = threading.Lock()

# How many neighbours Chroma's HNSW index explores per query (its default is 100). A page
# of 10 asks each searcher for 80 candidates: at 100, 199 claims-dev tweets over 42,209
# passages got 93.5% of their true 80 nearest, at 400 99.5%, for about 1 ms more a query
# (bench/speed/search_depth.py, BENCHMARKS.md). At 100 the engine's own dense and fusion
# baselines moved by +-0.005 MAP@5 from one build of the same corpus to the next.
SEARCH_EF = 400


def _search_deep_enough(collection) -> None:
    """Raise a collection made before at a shallower depth to ``SEARCH_EF``. A store that
    refuses (an older server) still answers, at its own depth: logged, not fatal."""
    hnsw = (collection.configuration_json or {}).get("hnsw") or {}
    if hnsw.get("ef_search", SEARCH_EF) >= SEARCH_EF:
        return
    try:
        collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})
    except Exception as exc:  # chromadb raises bare ValueError / HTTP errors here
        log.warning("search depth not raised", extra={"collection": collection.name, "ef_search": hnsw.get("ef_search"),
                                                      "error": _one_line(exc)})


def _where(settings: Settings) -> str:
    return f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else str(settings.home / "chroma")


def _is_unreachable(exc: BaseException) -> bool:
    """A Chroma server that is down, restarting or gone (not a bad request)."""
    try:
        import httpx

        if isinstance(exc, httpx.TransportError):  # connect/read/write errors, timeouts
            return True
    except ImportError:  # pragma: no cover - httpx ships with chromadb
        pass
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return True
    # chromadb's HttpClient raises a bare ValueError when its first heartbeat fails.
    return isinstance(exc, ValueError) and "could not connect" in str(exc).lower()


def unreachable_error(settings: Settings, exc: BaseException) -> UserError:
    return ServiceError(
        f"cannot reach the Chroma server at {settings.chroma_host}:{settings.chroma_port} "
        f"({_one_line(exc)}); start it (chroma run --port {settings.chroma_port}) or check "
        "CHROMA_HOST/CHROMA_PORT, then try again"
    )


def _one_line(exc: BaseException) -> str:
    return (" ".join(str(exc).split()) or type(exc).__name__)[:160]


def chroma_client(settings: Settings):
    """One client per home or server, shared by all corpora of the process.

    A server that cannot be reached gives a ``UserError``; nothing is cached then, so the
    next call tries again (the server may be back).
    """
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
                if settings.chroma_host and _is_unreachable(exc):
                    raise unreachable_error(settings, exc) from None
                raise ServiceError(f"cannot open the Chroma store at {_where(settings)}: {_one_line(exc)}") from None
        return _clients[key]


@dataclass
class VectorHit:
    article_id: str
    idx: int
    similarity: float
    vector: np.ndarray


def passage_id(article_id: str, idx: int) -> str:
    return f"{article_id}:{idx}"


def parse_passage_id(pid: str) -> tuple[str, int] | None:
    article_id, _, idx = pid.rpartition(":")
    return (article_id, int(idx)) if article_id and idx.isdigit() else None


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
    def __init__(self, client, namespace: str, corpus: str, model_name: str, settings: Settings | None = None) -> None:
        self.client = client
        self.settings = settings
        self.corpus = corpus
        self.model_name = model_name
        self.name = f"sourcedesk-{namespace}-{corpus}"
        self._lock = threading.Lock()
        self._collection = None
        self._batch: int | None = None
        self._handle()  # fail now (unreachable server, other model) rather than later

    # -- the collection handle, re-made after a server outage ----------------------------

    def _handle(self):
        with self._lock:
            if self._collection is None:
                try:
                    if self.client is None:
                        assert self.settings is not None
                        self.client = chroma_client(self.settings)
                    collection = self.client.get_or_create_collection(
                        self.name,
                        embedding_function=None,
                        configuration={"hnsw": {"space": "cosine", "ef_search": SEARCH_EF}},
                        metadata={"model": self.model_name},
                    )
                    _search_deep_enough(collection)
                except UserError:
                    raise
                except Exception as exc:
                    raise self._translate(exc) from None
                stored_model = (collection.metadata or {}).get("model")
                if stored_model and stored_model != self.model_name:
                    raise ServiceError(
                        f"corpus {self.corpus!r} was indexed with model {stored_model!r}, not {self.model_name!r}; "
                        "re-index it (export, then import with the new model)"
                    )
                self._collection = collection
            return self._collection

    def _translate(self, exc: BaseException) -> BaseException:
        if self.settings is not None and self.settings.chroma_host and _is_unreachable(exc):
            return unreachable_error(self.settings, exc)
        return exc

    def _call(self, fn):
        """Run ``fn(collection)``. A server outage becomes a ``UserError`` and drops the
        handle, so the next call re-connects; a collection the server no longer knows
        (restarted with fresh data) is re-created once."""
        from chromadb.errors import NotFoundError

        for attempt in (0, 1):
            collection = self._handle()
            try:
                return fn(collection)
            except NotFoundError:
                with self._lock:
                    self._collection = None
                if attempt:
                    raise
            except Exception as exc:
                translated = self._translate(exc)
                if translated is exc:
                    raise
                with self._lock:
                    self._collection = None
                raise translated from None

    @property
    def batch_size(self) -> int:
        """Ids or vectors per write, get or delete (``batching.write_batch``: under the
        client's own maximum batch size, asked once)."""
        if self._batch is None:
            try:
                client_max = self._call(lambda c: self.client.get_max_batch_size())
            except UserError:
                raise
            except Exception:  # an older client or server without the call: our own bound
                client_max = None
            self._batch = write_batch(client_max)
        return self._batch

    # -- operations ----------------------------------------------------------------------

    def add(self, article_id: str, vectors: np.ndarray, outlet: str | None) -> None:
        self.add_many([(article_id, vectors, outlet)])

    def add_many(self, items: list[tuple[str, np.ndarray, str | None]]) -> None:
        """Upsert the passage vectors of several articles in one call (ids are
        ``article_id:idx``, so a repeated ingest overwrites, never duplicates). Metadata is
        only what queries filter or read (each field costs insert time)."""
        ids, metas, vecs = [], [], []
        for article_id, vectors, outlet in items:
            if len(vectors) == 0:
                continue
            ids += [passage_id(article_id, i) for i in range(len(vectors))]
            metas += [
                {"article_id": article_id, "idx": i, "outlet": (outlet or "").lower()}
                for i in range(len(vectors))
            ]
            vecs.append(np.asarray(vectors, dtype=np.float32))
        if not ids:
            return
        matrix = np.vstack(vecs)
        for rows in chunks(range(len(ids)), self.batch_size):
            part = slice(rows.start, rows.stop)
            self._call(lambda c, part=part: c.upsert(
                ids=ids[part], embeddings=matrix[part], metadatas=metas[part]))

    def set_outlet(self, article_id: str, n: int, outlet: str | None) -> None:
        """Re-label an article's ``n`` passage vectors with a corrected outlet (``Engine.edit``):
        the vectors themselves are unchanged, only the metadata queries filter on. Chroma merges
        updated metadata keys into the stored ones, so other keys stay as they are."""
        ids = [passage_id(article_id, i) for i in range(n)]
        label = {"outlet": (outlet or "").lower()}
        for part in chunks(ids, self.batch_size):
            self._call(lambda c, part=part: c.update(ids=list(part), metadatas=[dict(label) for _ in part]))

    def reset(self) -> None:
        """Drop this corpus's collection; the next call creates it empty. Used only to
        rebuild a damaged local store from the article database (Engine.check)."""
        from chromadb.errors import NotFoundError

        with self._lock:
            self._collection = None
            if self.client is None:
                self.client = chroma_client(self.settings)
        try:
            self.client.delete_collection(self.name)
        except NotFoundError:
            pass

    def remove(self, article_id: str) -> None:
        self._call(lambda c: c.delete(where={"article_id": article_id}))

    def remove_articles(self, article_ids: list[str]) -> None:
        """Every vector of these articles, whatever their passage counts (as ``remove``), in
        deletes of ``IDS_PER_STATEMENT`` articles (a ``$in`` filter binds one variable each)."""
        for part in chunks(list(dict.fromkeys(article_ids)), batching.IDS_PER_STATEMENT):
            self._call(lambda c, part=part: c.delete(where={"article_id": {"$in": list(part)}}))

    def remove_ids(self, ids: list[str]) -> None:
        for part in chunks(ids, self.batch_size):
            self._call(lambda c, part=part: c.delete(ids=list(part)))

    def count(self) -> int:
        return int(self._call(lambda c: c.count()))

    def query(self, vectors: np.ndarray, k: int, outlet: str | None = None) -> list[list[VectorHit]]:
        # No count() first: Chroma answers an empty collection with empty rows, and its
        # count is O(corpus) (84 ms a query at 1,000,000 passages, embedded).
        out: list[list[VectorHit]] = []
        # Chroma binds about one SQL variable per result: many queries go in several calls.
        for part in chunks(vectors, queries_per_call(k)):
            res = self._call(lambda c, part=part: c.query(
                query_embeddings=part,
                n_results=k,
                where={"outlet": outlet.lower()} if outlet else None,
                include=["distances", "metadatas", "embeddings"],
            ))
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
        by_id = self.vectors_by_id(ids)
        if len(by_id) != n:
            raise KeyError(f"vectors missing for {article_id}")
        return np.asarray([by_id[i] for i in ids], dtype=np.float32)

    def vectors_by_id(self, ids: list[str], batch: int | None = None) -> dict[str, np.ndarray]:
        """Stored vectors of many passage ids, in batched calls; missing ids are absent."""
        found: dict[str, np.ndarray] = {}
        for part in chunks(ids, min(batch or self.batch_size, self.batch_size)):
            res = self._call(lambda c, part=part: c.get(ids=list(part), include=["embeddings"]))
            found.update((pid, np.asarray(e, dtype=np.float32)) for pid, e in zip(res["ids"], res["embeddings"]))
        return found

    def neighbours(self, vectors: np.ndarray, k: int, batch: int = 2000) -> list[list[tuple[str, int, float]]]:
        """(article id, passage idx, cosine similarity) of the ``k`` nearest passages of each
        vector, in batched queries that return no embeddings (cheaper than ``query``). No
        ``count()`` first, as in ``query``: Chroma answers fewer results than ``k`` (or none)
        by itself, and its count is O(corpus)."""
        out: list[list[tuple[str, int, float]]] = []
        for part in chunks(vectors, min(batch, queries_per_call(k))):
            res = self._call(lambda c, part=part: c.query(query_embeddings=part, n_results=k,
                                                          include=["distances", "metadatas"]))
            for dists, metas in zip(res["distances"], res["metadatas"]):
                out.append([(m["article_id"], int(m["idx"]), 1.0 - float(d)) for d, m in zip(dists, metas)])
        return out

    def passage_ids(self) -> list[str]:
        """Every passage id in the collection (for the consistency check), in ONE call: each
        Chroma ``get`` costs time that grows with the collection, whether it pages by offset
        or asks for ids, so pages make the scan quadratic (15.5 s in 52 pages at 1M). At
        100,000 passages, one call 0.68 s against 2.17 s in pages of 20,000 and 2.03 s by
        id in gets of 5,000. The ids alone: about 70 MiB of Python strings at 1M, briefly."""
        return list(self._call(lambda c: c.get(include=[]))["ids"])

    def article_ids(self) -> set[str]:
        """Every article id that has vectors."""
        return {parsed[0] for parsed in map(parse_passage_id, self.passage_ids()) if parsed}


