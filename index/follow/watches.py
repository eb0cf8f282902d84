"""Watched claims: after every ingest (file, upload, link, feed), each new article is judged
against the corpus's watched claims with the verdicts of ``sources``, and an article that
states one gives one alert, recorded so it is never given twice.

The cheapest correct way to get /sources' verdicts on the new articles only: every passage
of a new article is a candidate (vector from the embedding cache, which the ingest has just
filled; similarity to the claim as retrieval would give it), and ``search.ranking.rank_hits``
labels and orders them exactly as it does the candidates of a query. The best passage of
the article is its verdict; any label but ``related`` is an alert (``close`` and
``verbatim`` today; a label such as ``contradicts`` will alert as it comes). No other
article is read, so the cost follows the new articles, not the corpus.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np

from index.config import Limits
from index.errors import UserError
from index.follow.results import Alert, Watch
from index.follow.store import FollowDB
from index.ingest.results import IngestResult
from index.records import Quote
from index.search.query_text import retrieval_text
from index.search.ranking import Candidate, rank_hits
from index.store.article_db import Registry
from index.store.embedder import Embedder
from index.store.embedding_cache import EmbeddingCache, embed_with_cache
from index.validation import check_query, text_option

log = logging.getLogger(__name__)

NOT_AN_ALERT = "related"  # same subject, does not state the claim


@dataclass
class Watches:
    """The watched claims of one corpus (held by the engine, which calls ``check`` after
    every ingest)."""

    db: FollowDB
    registry: Registry
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
        articles, texts = self.registry.get_many(new), self.registry.texts(new)
        now = now or datetime.now(timezone.utc)
        alerts: list[Alert] = []
        for article_id in new:
            if article_id not in articles:
                continue  # removed meanwhile
            spans = self.registry.spans(article_id)
            roles = self.registry.roles(article_id)
            text = texts[article_id]
            vectors = embed_with_cache(self.embedder, self.cache, [text[s.start : s.end] for s in spans])
            places = {(article_id, i): (s.start, s.end, role) for i, (s, role) in enumerate(zip(spans, roles))}
            for watch, claim, claim_vector in zip(watches, claims, claim_vectors):
                similarities = vectors @ claim_vector if len(spans) else np.zeros(0)
                candidates = {(article_id, i): Candidate(article_id, i, rrf=float(sim), similarity=float(sim),
                                                         vector=vectors[i])
                              for i, sim in enumerate(similarities)}
                best = rank_hits(claim, candidates, {article_id: articles[article_id]}, {article_id: text}, places,
                                 limit=1, cap=None)
                if not best or best[0].match == NOT_AN_ALERT:
                    continue
                hit = best[0]
                if self.db.record_alert(watch.watch_id, article_id, hit.match, hit.quote.start, hit.quote.end, now):
                    alerts.append(Alert(watch.watch_id, watch.claim, article_id, hit.match, hit.quote,
                                        watch.channel_id, hit.article))
        if alerts:
            log.info("watch alerts", extra={"alerts": len(alerts), "articles": len(new)})
        return alerts

    def alerts_for(self, article_ids: Iterable[str]) -> list[Alert]:
        """The alerts these articles gave (quotes sliced from the stored text)."""
        rows = self.db.alerts_of(article_ids)
        ids = {r["article_id"] for r in rows}
        articles, texts = self.registry.get_many(ids), self.registry.texts(ids)
        return [Alert(r["watch_id"], r["claim"], r["article_id"], r["match"],
                      Quote.of(r["article_id"], texts[r["article_id"]], r["start"], r["end"]), r["channel_id"],
                      articles[r["article_id"]])
                for r in rows if r["article_id"] in texts]
