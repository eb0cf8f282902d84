"""Retrieval for ``sources`` and ``search``: the query embedded once, its candidates found by
a searcher (``searchers``: what users get is Chroma's nearest passages and FTS5's BM25 hits
fused), lexical-only candidates scored from the embedding cache, then verdicts, the
per-article cap and statement groups (``ranking.rank_hits``). Quotes are sliced from the
stored text by offsets (``Quote.of``), never copied from an index."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import numpy as np

from index.config import Limits
from index.records import Quote
from index.search.outlets import match_outlet
from index.search.query_text import retrieval_text
from index.search.ranking import ANTECEDENT_SENTENCES, Corpus, rank_hits
from index.search.results import SourceHit, SourcesResult
from index.search.searchers import FUSION_WEIGHTS, DenseSearcher, HybridSearcher, LexicalSearcher, Ranking, Searcher
from index.store.article_db import ArticleDB
from index.store.batching import chunks, queries_per_call
from index.store.chroma import VectorStore
from index.store.embedder import Embedder
from index.store.embedding_cache import EmbeddingCache, embed_with_cache
from index.validation import check_query, result_limit, text_option


def candidate_depth(limit: int) -> int:
    """How many candidates each searcher finds for an answer of ``limit`` hits."""
    return max(40, limit * 8)


@dataclass
class Retrieval:
    """The parts of one corpus a query reads (held by the engine)."""

    article_db: ArticleDB
    vectors: VectorStore
    embedder: Embedder
    cache: EmbeddingCache
    limits: Limits
    searcher: Searcher = field(init=False)  # what users get

    def __post_init__(self) -> None:
        self.searcher = HybridSearcher(DenseSearcher(self.vectors), LexicalSearcher(self.article_db), FUSION_WEIGHTS)

    def sources_many(
        self, queries: list[str], limit: int = 10, outlet: str | None = None, searcher: Searcher | None = None
    ) -> list[SourcesResult]:
        """Answer many queries with one model call (evaluation runs, batch scripts).

        ``searcher`` is for evaluation: the answer then keeps that searcher's own order
        (verdicts given, not ranked first); by default, what users get.
        """
        for q in queries:
            check_query(q, self.limits)
        limit = result_limit(limit)
        outlet, unmatched = self._outlet(outlet)
        depth = candidate_depth(limit)
        # Tweets, headlines and paragraphs as pasted: searched and judged without their
        # links, handles and signatures; the answer keeps the query as given.
        cleaned = [retrieval_text(q) for q in queries]
        # One model pass per distinct text: a file that repeats a claim embeds it once.
        distinct = list(dict.fromkeys(cleaned))
        row = {text: i for i, text in enumerate(distinct)}
        qvecs = np.asarray(self.embedder.encode(distinct), dtype=np.float32)[[row[c] for c in cleaned]]
        answers: list[SourcesResult] = []
        known_outlets = tuple(self.article_db.outlets())  # the voice rule's other outlets
        # The nearest passages come with their vectors: fetched and answered one Chroma
        # call's worth of queries at a time, so memory stays flat however long the file.
        for part in chunks(range(len(queries)), queries_per_call(depth)):
            rankings = (searcher or self.searcher).search([cleaned[i] for i in part], qvecs[part.start : part.stop],
                                                          depth, outlet)
            answers += [_filtered(self._answer(queries[i], cleaned[i], qvecs[i], ranking, limit, searcher is None,
                                               outlet, known_outlets), outlet, unmatched)
                        for i, ranking in zip(part, rankings)]
        return answers

    def _answer(self, query: str, cleaned: str, qvec: np.ndarray, candidates: Ranking, limit: int,
                verdict_first: bool, outlet: str | None, known_outlets: tuple[str, ...]) -> SourcesResult:
        articles = self.article_db.get_many(aid for aid, _ in candidates)
        texts = self.article_db.texts(articles)
        # With the passages before each (read in the same pass over the articles' rows): a
        # passage that refers back ("They …", "the initiative …") is judged with them too, and
        # quotes them as its context (``ranking.antecedents``).
        keys = list(candidates) + [(aid, idx - back) for aid, idx in candidates
                                   for back in range(1, ANTECEDENT_SENTENCES + 1) if idx >= back]
        spans = {key: (span.start, span.end, role)
                 for key, (span, role) in self.article_db.passage_spans(keys).items()}
        # Lexical-only candidates have no vector yet: embed them (cached) to score them.
        missing = [k for k, c in candidates.items() if c.vector is None and k in spans and k[0] in texts]
        if missing:
            vecs = embed_with_cache(self.embedder, self.cache, [texts[a][spans[(a, i)][0]:spans[(a, i)][1]] for a, i in missing])
            for key, vec in zip(missing, vecs):
                candidates[key].vector, candidates[key].similarity = vec, float(vec @ qvec)
        depth = len(candidates)
        corpus = Corpus(articles, texts, spans, partial(self.cache.get_windows, self.embedder.name),
                        partial(embed_with_cache, self.embedder, self.cache),
                        [aid for aid, _ in self.article_db.article_search(cleaned, depth, outlet)] if verdict_first else [],
                        known_outlets, self.article_db.unstored_words)
        hits = rank_hits(cleaned, qvec, candidates, corpus, limit, verdict_first=verdict_first)
        return SourcesResult(query, hits)

    def search_phrase(self, phrase: str, limit: int = 10, outlet: str | None = None) -> SourcesResult:
        """Exact-phrase search (names, quotations): every hit contains the phrase's words in order."""
        check_query(phrase, self.limits)
        limit = result_limit(limit)
        outlet, unmatched = self._outlet(outlet)
        found = self.article_db.lexical_search(phrase, limit * 4, outlet=outlet, phrase=True)
        articles = self.article_db.get_many(aid for aid, _, _ in found)
        texts = self.article_db.texts(articles)
        spans = self.article_db.passage_spans((aid, idx) for aid, idx, _ in found)
        hits = []
        for aid, idx, score in found:
            if (aid, idx) not in spans or aid not in texts:
                continue
            span, role = spans[(aid, idx)]
            quote = Quote.of(aid, texts[aid], span.start, span.end)
            hits.append(SourceHit(articles[aid], quote, score, "verbatim", 1.0, len(hits), role=role))
            if len(hits) == limit:
                break
        return _filtered(SourcesResult(phrase, hits), outlet, unmatched)

    def _outlet(self, typed: str | None) -> tuple[str | None, bool]:
        """The stored outlet a typed filter names (``outlets.match_outlet``), and whether it
        names none (the answer then says the filter emptied it)."""
        typed = text_option(typed, "outlet")
        if not typed:
            return None, False
        known = self.article_db.outlets()
        outlet = match_outlet(typed, known)
        return outlet, outlet not in known


def _filtered(result: SourcesResult, outlet: str | None, unmatched: bool) -> SourcesResult:
    result.outlet, result.outlet_unmatched = outlet, unmatched
    return result
