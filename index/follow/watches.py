"""Watched claims: after every ingest (file, upload, link, feed), each new article is judged
against the corpus's watched claims with the verdicts of ``sources``, and an article that
states one gives one alert, recorded so it is never given twice.

The cheapest correct way to get /sources' verdicts on the new articles only: every passage
of a new article is a candidate (vector from the embedding cache, which the ingest has just
filled; similarity to the claim as retrieval would give it), and ``search.ranking.rank_hits``
labels and orders them exactly as it does the candidates of a query. The best passage
labelled anything but ``related`` is the article's alert (``close`` and
``verbatim``, and ``contradicts``: who says the opposite of a watched claim is news too). No other
article is read, so the cost follows the new articles, not the corpus.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial

import numpy as np

from index.config import Limits
from index.errors import UserError
from index.follow.results import Alert, Watch
from index.follow.store import FollowDB
from index.ingest.results import IngestResult
from index.records import Article, PassageRole, Quote
from index.search.query_text import retrieval_text
from index.search.ranking import Corpus, rank_hits
from index.search.results import SourceHit
from index.search.searchers import Candidate
from index.store.article_db import ArticleDB
from index.store.embedder import Embedder, WindowVectors
from index.store.embedding_cache import EmbeddingCache, embed_with_cache
from index.validation import check_query, text_option

log = logging.getLogger(__name__)

NOT_AN_ALERT = "related"  # same subject, does not state the claim
# The article's passages ranked as /sources ranks a query's: its best this many are looked at
# (the judge may rank a "related" passage with a conflicting number above a "close" one).
HITS_JUDGED = 10


@dataclass
class Watches:
    """The watched claims of one corpus (held by the engine, which calls ``check`` after
    every ingest)."""

    db: FollowDB
    article_db: ArticleDB
    embedder: Embedder
    cache: EmbeddingCache
    limits: Limits

    def add(self, claim: str, channel_id: str | None = None, now: datetime | None = None) -> Watch:
        check_query(claim, self.limits)
        channel_id = text_option(channel_id, "channel")
        return self.db.add_watch(" ".join(claim.split()), channel_id or None, now or datetime.now(timezone.utc))

    def list(self) -> list[Watch]:
        return self.db.watches()

    def remove(self, watch_id: int) -> int:
        if not self.db.remove_watch(watch_id):
            raise UserError(f"unknown watch {watch_id}: no watched claim has that number (watch list shows them)")
        return watch_id

    def check(self, results: Iterable[IngestResult], now: datetime | None = None) -> list[Alert]:
        """Judge the articles these results added against every watched claim; record and
        return the alerts not given before."""
        new = [r.article_id for r in results if r.status == "added" and r.article_id]
        watches = self.db.watches() if new else []
        if not watches:
            return []
        claims = [retrieval_text(w.claim) for w in watches]
        claim_vectors = embed_with_cache(self.embedder, self.cache, claims)
        articles, texts = self.article_db.get_many(new), self.article_db.texts(new)
        now = now or datetime.now(timezone.utc)
        known_outlets = tuple(self.article_db.outlets())
        alerts: list[Alert] = []
        for article_id in new:
            if article_id not in articles:
                continue  # removed meanwhile
            judged = _JudgedArticle.of(self, articles[article_id], texts[article_id], known_outlets)
            for watch, claim, claim_vector in zip(watches, claims, claim_vectors):
                hit = judged.best_hit(claim, claim_vector)
                if hit is not None and self.db.record_alert(watch.watch_id, article_id, hit.match, hit.quote.start,
                                                            hit.quote.end, now):
                    alerts.append(Alert(watch.watch_id, watch.claim, article_id, hit.match, hit.quote,
                                        watch.channel_id, hit.article))
        if alerts:
            log.info("watch alerts", extra={"alerts": len(alerts), "articles": len(new)})
        return alerts

    def alerts_for(self, article_ids: Iterable[str]) -> list[Alert]:
        """The alerts these articles gave (quotes sliced from the stored text)."""
        return self._alerts(self.db.alerts_of(article_ids))

    def unposted(self) -> list[Alert]:
        """Alerts of watches with a channel that no one has posted yet, oldest first."""
        return self._alerts(self.db.unposted_alerts())

    def claim_posting(self, alerts: Iterable[Alert], now: datetime | None = None) -> list[Alert]:
        """The alerts this caller may post, each marked posted first: however many bots or
        rounds ask, an alert is handed out once (one lost to a crash while sending is not
        sent again, as the digest's claimed day)."""
        now = now or datetime.now(timezone.utc)
        return [a for a in alerts if self.db.claim_posting(a.watch_id, a.article_id, now)]

    def _alerts(self, rows: list[dict]) -> list[Alert]:
        ids = {r["article_id"] for r in rows}
        articles, texts = self.article_db.get_many(ids), self.article_db.texts(ids)
        return [Alert(r["watch_id"], r["claim"], r["article_id"], r["match"],
                      Quote.of(r["article_id"], texts[r["article_id"]], r["start"], r["end"]), r["channel_id"],
                      articles[r["article_id"]])
                for r in rows if r["article_id"] in texts]


@dataclass
class _JudgedArticle:
    """One new article as /sources' ranking reads a query's candidates: its passages, their
    places and roles, and their vectors (from the embedding cache the ingest just filled)."""

    article: Article
    text: str
    places: dict[tuple[str, int], tuple[int, int, PassageRole]]
    vectors: np.ndarray
    windows: Callable[[list[str]], dict[str, WindowVectors]]  # as /sources reads them
    embed: Callable[[list[str]], np.ndarray]  # as /sources embeds a passage with the sentence before
    known_outlets: tuple[str, ...]  # the voice rule's other outlets

    @classmethod
    def of(cls, watches: Watches, article: Article, text: str, known_outlets: tuple[str, ...]) -> "_JudgedArticle":
        spans = watches.article_db.spans(article.article_id)
        roles = watches.article_db.roles(article.article_id)
        vectors = embed_with_cache(watches.embedder, watches.cache, [text[s.start : s.end] for s in spans])
        places = {(article.article_id, i): (s.start, s.end, role) for i, (s, role) in enumerate(zip(spans, roles))}
        return cls(article, text, places, vectors, partial(watches.cache.get_windows, watches.embedder.name),
                   partial(embed_with_cache, watches.embedder, watches.cache), known_outlets)

    def best_hit(self, claim: str, claim_vector: np.ndarray) -> SourceHit | None:
        """The best passage labelled anything but ``related`` for ``claim`` (its retrieval text)."""
        aid = self.article.article_id
        similarities = self.vectors @ claim_vector if len(self.places) else np.zeros(0)
        candidates = {(aid, i): Candidate(aid, i, score=float(sim), similarity=float(sim), vector=self.vectors[i])
                      for i, sim in enumerate(similarities)}
        corpus = Corpus({aid: self.article}, {aid: self.text}, self.places, self.windows, self.embed, [aid],
                        self.known_outlets)
        hits = rank_hits(claim, claim_vector, candidates, corpus, limit=HITS_JUDGED)
        return next((h for h in hits if h.match != NOT_AN_ALERT), None)
