"""A query's candidates made into its answer: each passage quoted and given its verdict
(``verdicts``), the best re-ordered by the judge's confidence, at most ``PER_ARTICLE_CAP``
passages of one article before the others, reported speech marked (``reported``) and the
hits grouped by statement (``statement_groups``)."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from index.records import Article, PassageRole, Quote
from index.search.judge import TextEvidence, fitted_model
from index.search.reported import is_reported
from index.search.results import SourceHit
from index.search.searchers import Ranking
from index.search.statement_groups import ScoredHit, group_statements
from index.search.verdicts import verdict

T = TypeVar("T")

# At most this many passages of one article before other articles get their turn; the
# rest follow after them (reachable with a larger --limit or in the article itself).
PER_ARTICLE_CAP = 2
_LABEL_ORDER = {"verbatim": 0, "close": 1, "related": 1}
# How many of the best fused candidates the judge re-orders (at least twice the limit).
RERANK_POOL = 20


def diversify(ranked: list[T], article_of: Callable[[T], str], cap: int = PER_ARTICLE_CAP) -> list[T]:
    """At most ``cap`` items of one article before every other article's; the rest keep
    their order after them, so one article cannot fill the first page."""
    seen: dict[str, int] = {}
    first, rest = [], []
    for item in ranked:
        aid = article_of(item)
        seen[aid] = seen.get(aid, 0) + 1
        (first if seen[aid] <= cap else rest).append(item)
    return first + rest


def rank_hits(
    query: str,
    candidates: Ranking,
    articles: dict[str, Article],
    texts: dict[str, str],
    spans: dict[tuple[str, int], tuple[int, int, PassageRole]],
    limit: int,
    verdict_first: bool = True,
) -> list[SourceHit]:
    """``query`` is the retrieval text of the claim (``query_text``). ``verdict_first``
    (what users get): stating hits first, the best re-ordered by the judge; without it
    (evaluation of a searcher alone) the searcher's order is kept."""
    model = fitted_model()
    claim = TextEvidence.of(query)
    scored: list[ScoredHit] = []
    for (article_id, idx), c in candidates.items():
        if article_id not in articles or (article_id, idx) not in spans:
            continue  # removed between retrieval and ranking
        start, end, role = spans[(article_id, idx)]
        quote = Quote.of(article_id, texts[article_id], start, end)
        similarity = float(c.similarity if c.similarity is not None else 0.0)
        evidence = TextEvidence.of(quote.text)
        found = verdict(claim, evidence, similarity, model)
        hit = SourceHit(articles[article_id], quote, c.score, found.match, similarity, 0, role=role,
                        confidence=found.confidence)
        scored.append(ScoredHit(hit, c.vector, evidence))
    scored.sort(key=lambda s: (_LABEL_ORDER[s.hit.match] if verdict_first else 0, -s.hit.score))
    if verdict_first and model is not None:
        # The judge re-ranks the best fused candidates: it was fitted to tell the passage
        # that states the claim from its near misses, which fusion alone cannot (on the
        # claims-dev training queries MAP@5 0.843 -> 0.853; BENCHMARKS.md).
        pool = max(RERANK_POOL, 2 * limit)
        scored[:pool] = sorted(scored[:pool], key=lambda s: (_LABEL_ORDER[s.hit.match], -(s.hit.confidence or 0.0)))
    scored = diversify(scored, lambda s: s.hit.article.article_id)
    top = scored[:limit]
    for s in top:
        s.hit.reported = is_reported(query, s.hit.quote.text)
    return group_statements(top, model, claim)
