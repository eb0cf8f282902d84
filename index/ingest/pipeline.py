"""The ingest pipeline: parsed documents to stored articles.

``prepare`` decides each document (rejected, duplicate, or ready: stored text with the
headline/standfirst the source gives, id, passages and roles, resolved metadata); ``commit``
embeds a batch (the cache first), upserts its vectors, then adds the article rows in one
transaction, the commit point. Results keep the order of the input.
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from index import clock
from index.config import Limits
from index.errors import UserError
from index.ingest.corrections import fillable
from index.ingest.metadata import header_metadata, resolve_metadata
from index.ingest.parsers import jsonl_line_of
from index.ingest.passages import headed_text, passages_with_roles
from index.ingest.results import IngestResult
from index.records import Article, Metadata, ParsedDocument, PassageRole, Snapshot, Span
from index.store.article_db import ArticleDB
from index.store.chroma import VectorStore
from index.store.embedder import Embedder
from index.store.embedding_cache import EmbeddingCache, embed_with_windows
from index.store.locking import CorpusLock

log = logging.getLogger(__name__)

# Passages embedded together during an ingest: large enough for efficient batches,
# small enough that progress moves and memory stays flat.
INGEST_BATCH_PASSAGES = 512


def article_id_for(text: str) -> str:
    """Stable id: the same stored text always gets the same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]



@dataclass
class Pending:
    """A document ready to commit: its stored text, metadata, passages and id."""

    label: str
    text: str
    meta: Metadata
    spans: list[Span]
    article_id: str
    added_at: str | None = None
    roles: list[PassageRole] = field(default_factory=list)
    snapshot: Snapshot | None = None  # a page fetched by link: stored with the article

    def source_name(self) -> str:
        """What it came from: a file's name, or a page's final address (index.naming names an
        untitled article by it)."""
        if self.snapshot is not None and self.snapshot.final_url:
            return self.snapshot.final_url
        return Path(self.label).name


@dataclass
class IngestPipeline:
    """The parts of one corpus an ingest writes (held by the engine)."""

    article_db: ArticleDB
    vectors: VectorStore
    embedder: Embedder
    cache: EmbeddingCache
    write_lock: CorpusLock
    limits: Limits
    corpus: str

    def run(
        self,
        documents: list[tuple[str, ParsedDocument]],
        explicit: Metadata,
        progress: Callable[[int], None] | None,
        source_name: str | None = None,
        added_at: dict[str, str] | None = None,
    ) -> list[IngestResult]:
        # Results keep the order of the input, though adds are committed in batches.
        results: list[IngestResult | None] = [None] * len(documents)
        batch: list[tuple[int, Pending]] = []
        batch_ids: dict[str, str] = {}

        def flush() -> None:
            for slot, result in zip([i for i, _ in batch], self.commit([p for _, p in batch], source_name, progress)):
                results[slot] = result
            batch.clear()
            batch_ids.clear()

        for slot, (label, doc) in enumerate(documents):
            prepared = self.prepare(label, doc, explicit, batch_ids)
            if isinstance(prepared, IngestResult):
                results[slot] = prepared
                if progress:
                    progress(1)
                continue
            if added_at and label in added_at:
                prepared.added_at = added_at[label]
            batch.append((slot, prepared))
            batch_ids[prepared.article_id] = label
            if sum(len(p.spans) for _, p in batch) >= INGEST_BATCH_PASSAGES:
                flush()
        flush()
        done = [r for r in results if r is not None]
        for result, (_, doc) in zip(done, documents):  # one result per document, in order
            result.snapshot = doc.snapshot
        return done

    def prepare(self, label: str, doc: ParsedDocument, explicit: Metadata, batch_ids: dict[str, str]):
        if doc.error:
            return IngestResult(label, "rejected", error=doc.error)
        if len(doc.text) > self.limits.max_article_chars:
            return IngestResult(label, "rejected", error=(
                f"{_subject(label)} has {len(doc.text):,} characters; the limit is {self.limits.max_article_chars:,}"))
        # A headline and standfirst the source gives are stored as lines above the body
        # (unless it already opens with them), so the id is the sha256 of what is stored.
        # Only what the source itself gives (JSONL, front matter, sidecar): an uploader's title
        # option is metadata, so the same file keeps one id whatever options come with it.
        text, heads = headed_text(doc.text, doc.declared.title, doc.standfirst)
        article_id = article_id_for(text)
        if self.article_db.has(article_id) or article_id in batch_ids:
            found = self.article_db.get(article_id)
            return IngestResult(label, "duplicate", article_id=article_id, duplicate_of=article_id,
                                article=found, offered=offered_metadata(found, explicit, doc))
        spans, roles = passages_with_roles(text, heads)
        if not spans:
            return IngestResult(label, "rejected", error=f"{_subject(label)} has no text to index (is it empty?)")
        try:
            meta = resolve_metadata(explicit, doc.declared, doc.html_meta, header_metadata(doc.text))
        except UserError as exc:
            where = jsonl_line_of(label)
            return IngestResult(label, "rejected", error=f"line {where[1]}: {exc}" if where else str(exc))
        return Pending(label, text, meta, spans, article_id, roles=roles, snapshot=doc.snapshot)

    def commit(self, batch: list[Pending], source_name: str | None, progress) -> list[IngestResult]:
        """Embed a batch in one model call (the cache first), upsert the vectors of the
        whole batch, then add the article rows in one transaction: the commit point.

        A crash before the transaction leaves vectors without rows: invisible (every
        read goes through the article database), removed by ``check``, and simply redone by the
        same ingest again (same text, same ids, upsert). A crash after it leaves a
        complete article. Nothing in between is visible.
        """
        if not batch:
            return []
        texts = [p.text[s.start : s.end] for p in batch for s in p.spans]
        # Window vectors come from the same forward pass and go to the cache (issue 21).
        vectors = embed_with_windows(self.embedder, self.cache, texts)
        items, offset = [], 0
        for p in batch:
            items.append((p.article_id, vectors[offset : offset + len(p.spans)], p.meta.outlet))
            offset += len(p.spans)
        added_at = clock.now()
        with self.write_lock.held(exclusive=False):
            self.vectors.add_many(items)
            added = self.article_db.add_articles([
                (p.article_id, p.text, p.meta, p.spans, p.added_at or added_at, source_name or p.source_name())
                for p in batch
            ], roles={p.article_id: p.roles for p in batch},
                fetched={p.article_id: p.snapshot for p in batch if p.snapshot})
        results: list[IngestResult] = []
        for p in batch:
            article = self.article_db.get(p.article_id)
            if p.article_id in added:
                log.info("article added", extra={"corpus": self.corpus, "article_id": p.article_id, "passages": len(p.spans)})
                results.append(IngestResult(p.label, "added", article_id=p.article_id, article=article))
            else:  # another process added the same text meanwhile
                results.append(IngestResult(p.label, "duplicate", article_id=p.article_id,
                                            duplicate_of=p.article_id, article=article))
            if progress:
                progress(1)
        return results


def offered_metadata(stored: Article | None, explicit: Metadata, doc: ParsedDocument) -> dict:
    """What a duplicate brings that the stored article lacks (options, declared metadata)."""
    if stored is None:
        return {}
    try:
        return fillable(stored, resolve_metadata(explicit, doc.declared, doc.html_meta, Metadata()))
    except UserError:  # an unreadable date among the options: nothing to offer
        return {}


def _subject(label: str) -> str:
    """What a rejection speaks of: the file, or "line N: the article" of a .jsonl line."""
    where = jsonl_line_of(label)
    return f"line {where[1]}: the article" if where else label
