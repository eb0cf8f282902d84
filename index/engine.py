"""The engine of one corpus: the Python API that the CLI, the bot and the tests share.

Every CLI subcommand is a thin layer over the ``Engine`` method of the same name.
Methods are synchronous and may take seconds (the model, Chroma, SQLite): the bot calls
them off its event loop.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

import numpy as np

from index.compare.comparison import compare_articles
from index.compare.results import CompareResult
from index.config import Settings, check_corpus_name
from index.errors import UserError
from index.follow.feeds import Feeds
from index.follow.following import Following, follow_path
from index.follow.watches import Watches
from index.ingest.corrections import EditRecord, EditResult, FieldChange, MetadataEditor, plan_changes
from index.ingest.fetch import GuardedClient
from index.ingest.links import LinkReader, read_sources
from index.ingest.pipeline import IngestPipeline
from index.ingest.reading import parse_bytes
from index.ingest.results import IngestResult
from index.records import Article, Metadata, ParsedDocument, PassageRole, Quote, Snapshot
from index.search.outlets import match_outlet
from index.search.results import SourcesResult
from index.search.retrieval import Retrieval
from index.search.searchers import Searcher
from index.store.article_db import ArticleDB
from index.store.chroma import VectorStore, chroma_client, store_id
from index.store.corpus import CorpusStore
from index.store.embedder import Embedder, shared_embedder
from index.store.embedding_cache import EmbeddingCache
from index.store.locking import CorpusLock
from index.store.repair import CheckReport, Repair
from index.stories.credits import with_credit
from index.stories.digest import digest
from index.stories.lineage import lineage
from index.stories.outlet_names import OutletEntry, list_outlets, record_link
from index.stories.results import DigestResult, LineageResult
from index.stories.sourcing import SourcingProfile, article_sourcing
from index.validation import storable, text_option, whole_number

log = logging.getLogger(__name__)

MAX_LIST = 10**9  # no practical cap on listing articles


class Engine:
    def __init__(self, settings: Settings, corpus: str = "default", embedder: Embedder | None = None,
                 check_on_open: bool = True) -> None:
        self.settings = settings
        self.corpus = check_corpus_name(corpus)
        self.embedder = embedder or shared_embedder()
        base = settings.home / "corpora" / corpus
        self.article_db = ArticleDB(base / "registry.sqlite3")
        self.write_lock = CorpusLock(base / "write.lock")
        self.cache = EmbeddingCache(settings.home / "embedding-cache.sqlite3")
        self.vectors = VectorStore(chroma_client(settings), store_id(settings.home), corpus, self.embedder.name,
                                   settings=settings)
        self.store = CorpusStore(self.article_db, self.vectors, corpus)
        self.pipeline = IngestPipeline(self.article_db, self.vectors, self.embedder, self.cache, self.write_lock,
                                       settings.limits, corpus)
        self.editor = MetadataEditor(self.article_db, self.vectors, self.write_lock, corpus)
        self.retrieval = Retrieval(self.article_db, self.vectors, self.embedder, self.cache, settings.limits)
        self.links = LinkReader(GuardedClient(settings.fetch, settings.limits.max_file_bytes), self.article_db,
                                base / "snapshots", settings.limits)
        self.following = Following(follow_path(settings, corpus), self.article_db, self.embedder, self.cache,
                                   settings.limits, self.links, self.ingest_documents)
        # Repairs what an interrupted ingest or remove left behind (cheap when nothing did).
        self.open_report: CheckReport | None = self.check(repair=True, wait=False) if check_on_open else None
        if self.open_report is not None and self.open_report.problems:
            log.warning("repaired on open", extra={"corpus": corpus, "report": self.open_report.to_json()})

    def close(self) -> None:
        self.article_db.close()
        self.following.close()

    # -- ids ----------------------------------------------------------------------------

    def resolve_id(self, article_id: str) -> str:
        """Full id for an id or a unique prefix of at least 6 characters."""
        return self.store.resolve_id(article_id)

    # -- ingest -------------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | Path],
        meta: Metadata | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[IngestResult]:
        """Ingest files, directories (recursing into accepted file types) and links (http(s)
        pages, fetched through the guarded client: index/ingest/links.py), in the order given."""
        documents = read_sources(paths, self.settings.limits, self.links)
        results = self.ingest_documents(documents, meta or Metadata(), progress)
        self.links.keep_raw(results)
        return results

    def ingest_bytes(
        self, data: bytes, filename: str, meta: Metadata | None = None, source_name: str | None = None
    ) -> list[IngestResult]:
        """Ingest an upload (a Discord attachment): same rules as a file on disk."""
        try:
            documents = [(d.label or filename, d) for d in parse_bytes(data, filename, self.settings.limits)]
        except UserError as exc:
            return [IngestResult(filename, "rejected", error=str(exc))]
        return self.ingest_documents(documents, meta or Metadata(), None, source_name=source_name or filename)

    def ingest_documents(
        self,
        documents: list[tuple[str, ParsedDocument]],
        explicit: Metadata,
        progress: Callable[[int], None] | None,
        source_name: str | None = None,
        added_at: dict[str, str] | None = None,
    ) -> list[IngestResult]:
        """Parsed documents to stored articles (``ingest/pipeline.py``), in input order; the new
        ones are judged against the watched claims (index/follow/watches.py)."""
        results = self.pipeline.run(documents, explicit, progress, source_name=source_name, added_at=added_at)
        self.following.watches.check(results)
        return results

    # -- reading ------------------------------------------------------------------------

    def articles(self, outlet: str | None = None, limit: int | None = None, offset: int = 0) -> list[Article]:
        if limit is not None:
            limit = whole_number(limit, "limit", 1, MAX_LIST)
        offset = whole_number(offset, "offset", 0, MAX_LIST)
        outlet = text_option(outlet, "outlet")
        if outlet:  # "mail on sunday" lists The Mail on Sunday, as /sources filters it
            outlet = match_outlet(outlet, self.article_db.outlets())
        return self.article_db.list(outlet=outlet, limit=limit, offset=offset)

    def find_articles(self, typed: str, limit: int = 25) -> list[Article]:
        """Articles matching what a user typed (title, outlet, id, date), newest first."""
        typed = (typed or "").strip()
        limit = whole_number(limit, "limit", 1, MAX_LIST)
        if not storable(typed):
            return []
        return self.article_db.find(typed, limit) if typed else self.article_db.list(limit=limit)

    def outlets(self) -> list[str]:
        return self.article_db.outlets()

    def article(self, article_id: str) -> Article:
        found = self.article_db.get(self.resolve_id(article_id))
        assert found is not None
        return found

    def show(self, article_id: str) -> tuple[Article, str]:
        return self.store.article_text(self.resolve_id(article_id))

    def passages(self, article_id: str) -> list[Quote]:
        return self.store.passages(self.resolve_id(article_id))

    def passage_roles(self, article_id: str) -> list[PassageRole]:
        """Role of each passage, in passage order: "headline", "standfirst" or "body"."""
        return self.article_db.roles(self.resolve_id(article_id))

    def passage_vectors(self, article_id: str) -> np.ndarray:
        return self.store.passage_vectors(self.resolve_id(article_id))

    def sourcing(self, article_id: str) -> SourcingProfile:
        """How many of the article's statements rest on named speakers, unnamed sources,
        documents or another outlet, with the first of each kind."""
        return article_sourcing(self.store, self.resolve_id(article_id))

    def remove(self, article_id: str) -> str:
        full = self.resolve_id(article_id)
        pages = self.article_db.raw_pages_of([full])
        with self.write_lock.held(exclusive=False):
            self.article_db.remove(full)  # the commit point: from here the article is gone
            self.vectors.remove(full)  # a crash before this leaves orphans for check
        self.links.drop_raw(pages)  # its raw page, unless another version shares it
        return full

    def remove_many(self, article_ids: Iterable[str]) -> list[str]:
        """Remove many articles at once: every id is resolved first (an unknown one removes
        nothing), then one article-database transaction, then their vectors, in bounded chunks."""
        full = list(dict.fromkeys(self.resolve_id(a) for a in article_ids))
        pages = self.article_db.raw_pages_of(full)
        with self.write_lock.held(exclusive=False):
            removed = self.article_db.remove_many(full)  # the commit point, as in ``remove``
            self.vectors.remove_articles(full)
        self.links.drop_raw(pages)
        return removed

    # -- metadata corrections (ingest/corrections.py) ------------------------------------

    def edit(self, article_id: str, *, outlet: str | None = None, title: str | None = None, url: str | None = None,
             published: str | None = None, authors: str | list[str] | None = None,
             editor: str | None = None) -> EditResult:
        """Correct an article's metadata (never its text, id or offsets); each changed field
        is recorded with ``editor`` and the time. An empty string clears a field to unknown."""
        before = self.article(article_id)
        changes = plan_changes(before, outlet=outlet, title=title, url=url, published=published, authors=authors)
        return self.editor.apply(before, changes, editor)

    def plan_edit(self, article_id: str, *, outlet: str | None = None, title: str | None = None,
                  url: str | None = None, published: str | None = None,
                  authors: str | list[str] | None = None) -> list[FieldChange]:
        """The changes ``edit`` would make, validated, without making them."""
        return plan_changes(self.article(article_id), outlet=outlet, title=title, url=url, published=published,
                            authors=authors)

    def edits(self, article_id: str) -> list[EditRecord]:
        """The audit trail of ``edit`` for one article, oldest first."""
        return self.editor.records(self.resolve_id(article_id))

    def record_uploader(self, article_ids: Iterable[str], who: str) -> None:
        """Remember who added these articles (the bot: a Discord user), for edit rights."""
        self.article_db.set_added_by(article_ids, who)

    def uploader(self, article_id: str) -> str | None:
        return self.article_db.added_by(self.resolve_id(article_id))

    # -- following the news (index/follow/) ---------------------------------------------

    def snapshot(self, article_id: str) -> Snapshot | None:
        """What was fetched for an article given by link (None for one from a file)."""
        return self.article_db.snapshot(self.resolve_id(article_id))

    @staticmethod
    def follows_anything(settings: Settings, corpus: str) -> bool:
        """Whether a corpus may follow feeds (it has been opened before), without opening it."""
        return follow_path(settings, corpus).exists()

    def feeds(self) -> Feeds:
        """The feeds this corpus follows: add, list, remove, due, poll, poll_due."""
        return self.following.feeds

    def watches(self) -> Watches:
        """The claims this corpus watches: add, list, remove, alerts_for."""
        return self.following.watches

    # -- search (search/retrieval.py) -----------------------------------------------------

    def sources(self, query: str, limit: int = 10, outlet: str | None = None) -> SourcesResult:
        return self.retrieval.sources_many([query], limit=limit, outlet=outlet)[0]

    def sources_many(
        self, queries: list[str], limit: int = 10, outlet: str | None = None, searcher: Searcher | None = None
    ) -> list[SourcesResult]:
        """Answer many queries with one model call (evaluation runs, batch scripts); an
        evaluation may pass its own ``searcher`` (``index.search.searchers``)."""
        return self.retrieval.sources_many(queries, limit=limit, outlet=outlet, searcher=searcher)

    def search_phrase(self, phrase: str, limit: int = 10, outlet: str | None = None) -> SourcesResult:
        """Exact-phrase search (names, quotations): every hit contains the phrase's words in order."""
        return self.retrieval.search_phrase(phrase, limit=limit, outlet=outlet)

    # -- analysis (compare/, stories/: over the stored parts, CorpusStore) -------------------

    def compare(self, a_id: str, b_id: str) -> CompareResult:
        """Aligned passages, one-sided passages, changed quotations and reuse shares."""
        return with_credit(self.store, compare_articles(self.store, self.resolve_id(a_id), self.resolve_id(b_id)))

    def lineage(self, article_id: str) -> LineageResult:
        """The story's probable origin, its rewrites with reuse shares, and related coverage."""
        return lineage(self.store, self.resolve_id(article_id))

    def digest(self, since: str | datetime | None = None, until: str | datetime | None = None,
               max_stories: int = 50, now: datetime | None = None) -> DigestResult:
        """Stories among the articles added in [since, until): origin first, lead quote, flags.
        Durations count back from ``now`` (the bot passes its scheduler's clock)."""
        return digest(self.store, since=since, until=until, max_stories=max_stories, now=now)

    # -- outlet names (stories/outlet_names.py): what a credit may name an origin by ------------

    def record_alias(self, name: str, alias: str) -> OutletEntry:
        """Record that ``alias`` is another name of the outlet ``name``."""
        return record_link(self.article_db, name, alias, "alias")

    def record_group(self, name: str, other: str) -> OutletEntry:
        """Record that ``name`` and ``other`` are sister titles (one group)."""
        return record_link(self.article_db, name, other, "group")

    def list_outlets(self) -> list[OutletEntry]:
        """Stored outlets and recorded names, with their aliases and sister titles."""
        return list_outlets(self.article_db)

    # -- health -------------------------------------------------------------------------

    def stats(self) -> dict[str, int]:
        return {
            "articles": self.article_db.count(),
            "passages": self.article_db.passage_count(),
            "vectors": self.vectors.count(),
        }

    def check(self, repair: bool = True, full: bool = False, wait: bool = True) -> CheckReport:
        """Make the vectors and lexical rows agree with the article database (``store/repair.py``).
        ``wait=False`` gives up at once when another writer holds the corpus."""
        return Repair(self.article_db, self.vectors, self.cache, self.embedder, self.write_lock, self.corpus,
                      on_server=bool(self.settings.chroma_host)).run(repair=repair, full=full, wait=wait)
