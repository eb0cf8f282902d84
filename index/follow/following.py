"""What one corpus follows, opened together by the engine: the feeds and the watched claims
in ``corpora/NAME/follow.sqlite3``."""
from __future__ import annotations

from pathlib import Path

from index.config import Limits, Settings
from index.follow.feeds import Feeds, Ingest
from index.follow.store import FollowDB
from index.follow.watches import Watches
from index.ingest.links import LinkReader
from index.store.article_db import ArticleDB
from index.store.embedder import Embedder
from index.store.embedding_cache import EmbeddingCache


def follow_path(settings: Settings, corpus: str) -> Path:
    """Where a corpus keeps its feeds and watches (a scheduler asks whether it exists before
    opening the corpus: a server that never used sourcedesk follows nothing)."""
    return settings.home / "corpora" / corpus / "follow.sqlite3"


class Following:
    def __init__(self, path: Path, article_db: ArticleDB, embedder: Embedder, cache: EmbeddingCache, limits: Limits,
                 links: LinkReader, ingest: Ingest) -> None:
        self.db = FollowDB(path)
        self.watches = Watches(self.db, article_db, embedder, cache, limits)
        self.feeds = Feeds(self.db, links, self.watches, ingest)

    def close(self) -> None:
        self.db.close()
