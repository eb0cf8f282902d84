"""The stored parts of one corpus that analysis reads: the article database and the vector
store, with the reads every analysis starts from (an article with its text, its passages,
their vectors) and the rule that turns a typed id into a stored one. ``compare``,
``lineage`` and the digest take this, not the engine."""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from index.errors import UserError
from index.records import Article, Quote
from index.store.article_db import ArticleDB
from index.store.chroma import VectorStore
from index.validation import storable

log = logging.getLogger(__name__)

MIN_ID_PREFIX = 6
MAX_ID_CHARS = 200


@dataclass(frozen=True)
class CorpusStore:
    article_db: ArticleDB
    vectors: VectorStore
    corpus: str = "default"  # for the logs (guild-<id> in the bot), never shown to a reporter

    def resolve_id(self, article_id: str) -> str:
        """Full id for an id or a unique prefix of at least MIN_ID_PREFIX characters."""
        article_id = (article_id or "").strip()
        if not storable(article_id) or len(article_id) > MAX_ID_CHARS:
            raise self._unknown_id(article_id[:40] + ("…" if len(article_id) > 40 else ""))
        if self.article_db.has(article_id):
            return article_id
        if len(article_id) >= MIN_ID_PREFIX:
            found = self.article_db.find_prefix(article_id)
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise UserError(f"article id {article_id!r} matches {len(found)} articles: give more of its characters")
        raise self._unknown_id(article_id)

    def _unknown_id(self, shown: str) -> UserError:
        log.info("unknown article id", extra={"corpus": self.corpus, "article_id": shown})
        return UserError(f"unknown article id {shown!r}: no stored article has it (the list of articles shows their ids)")

    def article_text(self, article_id: str) -> tuple[Article, str]:
        """A stored article (a full id) and its text."""
        article, text = self.article_db.get(article_id), self.article_db.text(article_id)
        assert article is not None and text is not None
        return article, text

    def passages(self, article_id: str) -> list[Quote]:
        text = self.article_db.text(article_id) or ""
        return [Quote.of(article_id, text, s.start, s.end) for s in self.article_db.spans(article_id)]

    def passage_vectors(self, article_id: str) -> np.ndarray:
        return self.vectors.vectors_of(article_id, len(self.article_db.spans(article_id)))
