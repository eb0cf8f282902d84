"""Repair after a crash: make the vectors and lexical rows agree with the article database.

The article row is the commit point of an ingest (vectors are written first), so after an
interruption the article database is right and the rest is made to agree with it. ``Engine.check``
delegates here; opening an engine runs the cheap form.
"""
from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field

from index.errors import UserError
from index.store.article_db import ArticleDB
from index.store.batching import chunks
from index.store.chroma import VectorStore, parse_passage_id
from index.store.embedder import Embedder
from index.store.embedding_cache import EmbeddingCache, embed_with_cache
from index.store.locking import CorpusLock

log = logging.getLogger(__name__)

# Articles re-embedded and upserted per round (bounds memory; Chroma writes chunk further).
REEMBED_ARTICLES = 200


@dataclass
class CheckReport:
    """What ``Engine.check`` found and, with ``repair``, did.

    Counts are those after the check. ``full_scan`` is False when the cheap comparison of
    counts (passages = vectors = lexical rows) found nothing to look into.
    """

    articles: int = 0
    passages: int = 0
    vectors: int = 0
    fts_rows: int = 0
    full_scan: bool = False
    repaired: bool = False  # repair was asked for (False: only reported)
    skipped: str | None = None  # why nothing was checked (another process is writing)
    orphan_vectors: int = 0  # vectors of no registered passage: deleted
    orphan_articles: list[str] = field(default_factory=list)  # their article ids (half-ingested or half-removed)
    reembedded_articles: list[str] = field(default_factory=list)  # registered, vectors missing: re-embedded
    reembedded_passages: int = 0
    reembedded_from_cache: int = 0  # of those, vectors the embedding cache still had
    fts_fixed_articles: list[str] = field(default_factory=list)  # lexical rows missing or extra: rebuilt
    # The embedded Chroma store failed to read (a crash can damage its HNSW segment): the
    # collection was dropped and rebuilt from the article database and the embedding cache.
    rebuilt_vectors: str | None = None
    seconds: float = 0.0

    @property
    def problems(self) -> int:
        return (self.orphan_vectors + len(self.reembedded_articles) + len(self.fts_fixed_articles)
                + (self.rebuilt_vectors is not None))

    @property
    def ok(self) -> bool:
        return self.skipped is None and self.problems == 0

    def to_json(self) -> dict:
        return {**asdict(self), "ok": self.ok, "problems": self.problems}

    def summary(self) -> str:
        if self.skipped:
            return f"check skipped: {self.skipped}"
        verb = "" if self.repaired else "found (not repaired): "
        head = (f"{self.articles} articles, {self.passages} passages, {self.vectors} vectors, "
                f"{self.fts_rows} lexical rows ({'full scan' if self.full_scan else 'counts agree'}, "
                f"{self.seconds:.2f} s)")
        if self.ok:
            return head + "\nok: nothing to repair"
        lines = [head]
        if self.rebuilt_vectors:
            lines.append(f"vector store unreadable ({self.rebuilt_vectors}): rebuilt from the registry")
        if self.orphan_vectors:
            lines.append(f"{verb}{self.orphan_vectors} orphan vectors of {len(self.orphan_articles)} articles "
                         f"not in the registry{' deleted' if self.repaired else ''}")
        if self.reembedded_articles:
            lines.append(f"{verb}{len(self.reembedded_articles)} articles with missing vectors"
                         + (f" re-embedded ({self.reembedded_passages} passages, "
                            f"{self.reembedded_from_cache} from the embedding cache)" if self.repaired else ""))
        if self.fts_fixed_articles:
            lines.append(f"{verb}{len(self.fts_fixed_articles)} articles with wrong lexical rows"
                         + (" rebuilt" if self.repaired else ""))
        return "\n".join(lines)


@dataclass
class Repair:
    """The parts of one corpus a check reads and mends (held by the engine)."""

    article_db: ArticleDB
    vectors: VectorStore
    cache: EmbeddingCache
    embedder: Embedder
    lock: CorpusLock
    corpus: str
    on_server: bool  # a server's errors stay errors; only a local store is rebuilt

    def run(self, repair: bool = True, full: bool = False, wait: bool = True) -> CheckReport:
        """Make the vectors and lexical rows agree with the article database (the commit point).

        Cheap path: passages, vectors and lexical rows are counted; if they agree (and
        ``full`` is not asked), nothing more is read. Otherwise every passage id in
        Chroma is compared with the article database: vectors of unregistered articles (an
        ingest or a remove interrupted) are deleted; registered articles with missing
        vectors are re-embedded (from the embedding cache when it has them) and
        upserted; articles whose lexical rows are missing or extra get them rebuilt.
        ``wait=False`` gives up at once when another writer holds the corpus.
        """
        started = time.perf_counter()
        report = CheckReport(repaired=repair)
        with self.lock.held(exclusive=True, wait=wait) as acquired:
            if not acquired:
                report.skipped = "another process is writing to this corpus; run `sourcedesk check` later"
                return report
            passages, fts_rows = self.article_db.passage_count(), self.article_db.fts_count()
            try:
                vectors = self.vectors.count()
            except UserError:
                raise
            except Exception as exc:  # a damaged local store; a server's errors stay errors
                if self.on_server or not repair:
                    raise
                log.warning("vector store unreadable, rebuilding it", extra={"corpus": self.corpus, "error": str(exc)})
                self.vectors.reset()
                report.rebuilt_vectors = f"{type(exc).__name__}: {exc}"
                vectors = 0
            if full or not (passages == vectors == fts_rows):
                report.full_scan = True
                self._scan(report, repair)
            report.articles = self.article_db.count()
            report.passages = self.article_db.passage_count()
            report.fts_rows = self.article_db.fts_count()
            report.vectors = self.vectors.count()
        report.seconds = time.perf_counter() - started
        return report

    def _scan(self, report: CheckReport, repair: bool) -> None:
        expected = self.article_db.passage_counts()  # article id -> number of passages
        present: dict[str, set[int]] = {}
        orphans: list[str] = []
        orphan_articles: set[str] = set()
        for pid in self.vectors.passage_ids():
            parsed = parse_passage_id(pid)
            if parsed is None or parsed[0] not in expected or parsed[1] >= expected[parsed[0]]:
                orphans.append(pid)
                orphan_articles.add(parsed[0] if parsed else pid)
            else:
                present.setdefault(parsed[0], set()).add(parsed[1])
        report.orphan_vectors = len(orphans)
        report.orphan_articles = sorted(orphan_articles)
        incomplete = sorted(aid for aid, n in expected.items() if len(present.get(aid, ())) != n)
        report.reembedded_articles = incomplete
        fts = self.article_db.fts_counts()
        report.fts_fixed_articles = sorted(
            {aid for aid, n in expected.items() if fts.get(aid, 0) != n} | (set(fts) - set(expected)))
        if not repair:
            return
        if orphans:
            self.vectors.remove_ids(orphans)
        for chunk in chunks(incomplete, REEMBED_ARTICLES):
            articles, texts = self.article_db.get_many(chunk), self.article_db.texts(chunk)
            passages = [(aid, texts[aid][s.start : s.end]) for aid in chunk for s in self.article_db.spans(aid)]
            cached = self.cache.get_many(self.embedder.name, [t for _, t in passages])
            report.reembedded_from_cache += sum(1 for _, t in passages if EmbeddingCache.key(t) in cached)
            report.reembedded_passages += len(passages)
            vecs = embed_with_cache(self.embedder, self.cache, [t for _, t in passages])
            items, offset = [], 0
            for aid in chunk:
                n = expected[aid]
                items.append((aid, vecs[offset : offset + n], articles[aid].outlet))
                offset += n
            self.vectors.add_many(items)
        for aid in report.fts_fixed_articles:
            self.article_db.rebuild_fts(aid)
