"""A query's candidates made into its answer (issue 21: verdicts on the statement):

1. each passage quoted and given its verdict on the passage alone (``verdicts``; one
   that says the opposite is ``contradicts`` already);
2. the best, and any the word rules decide on its passage with its article's names (the
   re-rank pool, ``rerank_pool_of``), judged again on their windows too (clauses, with vectors
   stored at ingest) and, when a passage refers back ("They …", "the initiative …"), on
   it with the sentences before: ``close`` when a piece states the claim, ``contradicts``
   when one says the opposite; a related hit stating the same thing as a stating one, and
   taking the claim's side, states the claim too (``statement_groups.propagate``);
3. whole articles ranked: weighted reciprocal-rank fusion of the article's whole-text BM25
   rank and the rank of its best passage by the judge, so an article that states a claim
   outranks one that only mentions it, and a passage that says the opposite comes before
   related ones; articles take turns, ``PER_ARTICLE_CAP`` passages each (``diversify``);
4. the shown hits get their voice (``voice``) and statement groups (``statement_groups``)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from typing import TypeVar

import numpy as np

from index.records import Article, PassageRole, Quote, Span
from index.search.judge import JudgeModel, TextEvidence, facts, fitted_model
from index.search.results import STATING, SourceHit
from index.search.searchers import RRF_K, Ranking
from index.search.statement_groups import ScoredHit, group_statements, propagate
from index.search.verdicts import Claim, Piece, decided_by_words, judged_pieces, names_decide, says_claim, verdict
from index.search.voice import Speaker, credited, voice_of
from index.store.embedder import WindowVectors
from index.text.names import METONYMS
from index.text.quotations import Quotation, find_quotations
from index.text.words import STOPWORDS, refers_to, suffix_stem, word_key, word_keys

T = TypeVar("T")

# Passages of one article per turn (``diversify``): its next ones wait until every other
# article has had its turn (reachable with a larger --limit, "More related" or /article).
# One, so the first page shows as many different articles as it can (issue 21: with two,
# a 10-hit answer held a median of 5 articles; FNC-1 dev MAP@5 of agreeing bodies 0.5381
# with two, 0.6406 with one).
PER_ARTICLE_CAP = 1
_LABEL_ORDER = {"verbatim": 0, "close": 1, "contradicts": 1, "related": 1}
# How many of the best fused candidates the judge re-orders, reading their windows (at
# least twice the limit): window evidence for every candidate would cost more than the
# query's time budget (issue 21 research: 22-41 ms for 80 candidates against a 13 ms
# query encode).
RERANK_POOL = 20
# Weights of the article's judge rank and its whole-text BM25 rank in the article fusion,
# within articles that state the claim and within those that do not. Checked by
# bench/fitting/article_ranking.py (FNC-1 dev and claims-dev, 5 folds grouped by story):
# no ratio it tries beats them when chosen on the other folds (BENCHMARKS.md).
ARTICLE_WEIGHTS = (3.0, 1.0)
# How many sentences before a passage that refers back are read to find who or what it
# names (``antecedents``).
ANTECEDENT_SENTENCES = 2


@dataclass(frozen=True)
class Corpus:
    """What ranking reads of the corpus for one query, besides its candidates."""

    articles: dict[str, Article]
    texts: dict[str, str]
    spans: dict[tuple[str, int], tuple[int, int, PassageRole]]
    windows: Callable[[list[str]], dict[str, WindowVectors]]  # passage texts -> stored window vectors
    embed: Callable[[list[str]], np.ndarray]  # texts -> their vectors (cached)
    article_ranking: list[str]  # article ids, best first, by whole-text BM25
    known_outlets: tuple[str, ...]
    # (keys, prefix) -> the keys no stored passage has (``ArticleDB.unstored_words``)
    unstored_words: Callable[..., set[str]] = lambda keys, prefix=True: set()


def rerank_pool(limit: int) -> int:
    """How many of the best candidates the judge reads on their windows for ``limit`` hits."""
    return max(RERANK_POOL, 2 * limit)


def rerank_pool_of(claim: Claim, scored: list[ScoredHit], limit: int, corpus: Corpus) -> list[ScoredHit]:
    """The candidates the judge reads on their windows: the best ``rerank_pool(limit)`` (first
    verdict, then fused score), and any other that the word rules decide on its passage with
    its article's names (``verdicts.decided_by_words``: "…but the move has faced fierce
    resistance from the Joint Chiefs of Staff" for "the Joint Chiefs are resisting Trump's
    plan", 35th of 81 by fusion in a corpus where every sentence names Trump's plan; "the
    joint chiefs of staff oppose it" in an article on Greenland, against "… approve of the
    Greenland invasion plan"), at most ``RERANK_POOL`` more."""
    size = rerank_pool(limit)

    def decided(s: ScoredHit) -> bool:
        piece = Piece(s.hit.quote.text, s.evidence, s.hit.similarity)
        # First as if its article gave every name of the claim (the rules can only pass
        # with fewer): most candidates fail there, before their article is read.
        return (decided_by_words(claim, piece, claim.evidence.names)
                and decided_by_words(claim, piece, article_names(corpus.texts[s.hit.article.article_id])))

    return scored[:size] + [s for s in scored[size:] if decided(s)][:RERANK_POOL]


def diversify(ranked: list[T], article_of: Callable[[T], str], cap: int = PER_ARTICLE_CAP) -> list[T]:
    """Articles take turns: the first ``cap`` items of each article in the order of their
    best, then the next ``cap`` of each, and so on (each article's own order kept), so one
    article cannot fill the first page, and a short corpus's page still reaches every
    article's next passages."""
    seen: dict[str, int] = {}
    turns = []
    for item in ranked:
        aid = article_of(item)
        turns.append(seen.get(aid, 0) // cap)
        seen[aid] = seen.get(aid, 0) + 1
    return [item for _, item in sorted(zip(turns, ranked), key=lambda pair: pair[0])]


# What ranking reads of a whole article, kept for the next query of a ``--queries`` file
# or of the bot: the same articles answer many claims.
@lru_cache(maxsize=256)
def article_names(text: str) -> frozenset[str]:
    return facts(text)[1]


@lru_cache(maxsize=256)
def article_quotations(text: str) -> tuple[Quotation, ...]:
    return tuple(find_quotations(text))


def _judge_order(s: ScoredHit) -> tuple[bool, bool, int, float]:
    """Stating hits first (a window may state what the whole sentence's probability does
    not), verbatim ones first among them, then those that say the opposite (a finding of
    the answer, not one more related passage), then by the judge's probability."""
    return (s.hit.match not in STATING, s.hit.match != "contradicts", _LABEL_ORDER[s.hit.match],
            -(s.hit.confidence or 0.0))


def antecedents(candidates: Ranking, corpus: Corpus) -> dict[tuple[str, int], Span]:
    """(article, passage start) -> the span of the sentences before it that say who its
    pronoun is or what its general noun names, for the candidates that refer back
    (``words.refers_to``: "They …", "…, the initiative is being driven by …"):
    the sentence before, and the one before that when it opens with a pronoun too ("The
    generals think … So they are trying … They say it's like dealing with a five-year-old"),
    at most ``ANTECEDENT_SENTENCES``. The passage is judged with them too, and a shown hit
    quotes them as its ``context``."""
    out = {}
    for article_id, idx in candidates:
        text, here = corpus.texts.get(article_id), corpus.spans.get((article_id, idx))
        if text is None or here is None:
            continue
        start, back = None, idx
        while back > idx - ANTECEDENT_SENTENCES and (article_id, back - 1) in corpus.spans:
            lo, hi, _role = corpus.spans[(article_id, back)]
            before_lo, before_hi, _role = corpus.spans[(article_id, back - 1)]
            if not refers_to(text[lo:hi], text[before_lo:before_hi]):
                break
            back -= 1
            start = before_lo
        if start is not None:
            out[(article_id, here[0])] = Span(start, corpus.spans[(article_id, idx - 1)][1])
    return out


def _antecedent_pieces(scored: list[ScoredHit], qvec: np.ndarray, corpus: Corpus,
                       before: dict[tuple[str, int], Span]) -> dict[int, Piece]:
    """Pool position -> the passage with the sentences before it that say who or what it is
    about (``antecedents``; a slice of the article), embedded in one call."""
    slices = {}
    for k, s in enumerate(scored):
        context = before.get((s.hit.article.article_id, s.hit.quote.start))
        if context is not None:
            slices[k] = corpus.texts[s.hit.article.article_id][context.start:s.hit.quote.end]
    if not slices:
        return {}
    cosines = np.asarray(corpus.embed(list(slices.values())), dtype=np.float32) @ qvec
    return {k: Piece(text, TextEvidence.of(text), float(cos)) for (k, text), cos in zip(slices.items(), cosines)}


def _with_windows(claim: Claim, scored: list[ScoredHit], qvec: np.ndarray, corpus: Corpus,
                  model: JudgeModel | None, before: dict[tuple[str, int], Span]) -> None:
    """Judge the pool's passages again, on their windows too (one read of the store), and
    those that refer back with the sentences before (``antecedents``)."""
    stored = corpus.windows([s.hit.quote.text for s in scored])
    names = {aid: article_names(corpus.texts[aid]) for aid in {s.hit.article.article_id for s in scored}}
    with_antecedent = _antecedent_pieces(scored, qvec, corpus, before)
    pieces_of: list[list[Piece]] = []
    for k, s in enumerate(scored):
        found = stored.get(s.hit.quote.text)
        pieces = [Piece(s.hit.quote.text, s.evidence, s.hit.similarity)]
        if found is not None:
            cosines = found.vectors @ qvec
            for span, cos in zip(found.spans, cosines):
                text = s.hit.quote.text[span.start:span.end]
                pieces.append(Piece(text, TextEvidence.of(text), float(cos)))
        if k in with_antecedent:
            pieces.append(with_antecedent[k])
        pieces_of.append(pieces)
    probs = judged_pieces(claim, [x for pieces in pieces_of for x in pieces], model)  # one pass for the pool
    start = 0
    for s, pieces in zip(scored, pieces_of):
        mine = probs[start:start + len(pieces)] if probs else None
        start += len(pieces)
        found_verdict = verdict(claim, pieces[0], model, pieces[1:], names[s.hit.article.article_id], mine)
        s.hit.match, s.hit.confidence = found_verdict.match, found_verdict.confidence
        s.statement = found_verdict.statement


def unstored_names(claim: Claim, unstored_words: Callable[..., set[str]]) -> frozenset[str]:
    """The claim's names that no stored passage gives, looked up by their stems' beginnings
    ("Transgenders" is stored as "transgender"); a function word is no name, though it opens
    a question ("Did the joint chiefs …"), and a place standing for an institution is
    stored when what it stands for is ("the Pentagon": the military, ``names.METONYMS``)."""
    keys = {word_key(n) for n in claim.evidence.names} - STOPWORDS
    missing = unstored_words(sorted({suffix_stem(k) for k in keys}))
    if not missing:
        return frozenset()
    standing = [k for k in keys if suffix_stem(k) in missing and k in METONYMS]
    # What it stands for, as written ("us" would begin "use").
    stored = {k for k in standing if len(unstored_words(list(METONYMS[k]), prefix=False)) < len(METONYMS[k])}
    return frozenset(missing - {suffix_stem(k) for k in stored})


def source_names(hit: SourceHit, known_outlets: tuple[str, ...]) -> frozenset[str]:
    """The words of the outlets the passage gives as its source: its article's own, and one
    it credits ("…, Daily Mail reported", ``voice.credited``)."""
    named = [hit.article.outlet or ""]
    span = credited(hit.quote.text, hit.article.outlet, known_outlets)
    if span is not None:
        named.append(hit.quote.text[span.start:span.end])
    return frozenset(k for name in named for k in word_keys(name))


def rank_articles(scored: list[ScoredHit], article_ranking: list[str],
                  weights: tuple[float, float] = ARTICLE_WEIGHTS) -> list[ScoredHit]:
    """Articles that state the claim before those that do not; within each, by weighted
    reciprocal-rank fusion of their best passage's judge rank (``_judge_order``: a passage
    saying the opposite ranks before related ones) and their whole-text BM25 rank; each
    article's passages after it, best first. (The lexical rank never lifts an
    article that only mentions the claim above one that states it: on claims-dev the
    plain fusion lost MAP@5, 0.9271 -> 0.9202.)"""
    by_article: dict[str, list[ScoredHit]] = {}
    for s in sorted(scored, key=_judge_order):
        by_article.setdefault(s.hit.article.article_id, []).append(s)
    bm25 = {aid: rank for rank, aid in enumerate(article_ranking)}
    judged, lexical = weights

    def score(item: tuple[int, str]) -> float:
        rank, aid = item
        return judged / (RRF_K + rank + 1) + (lexical / (RRF_K + bm25[aid] + 1) if aid in bm25 else 0.0)

    def stating(aid: str) -> bool:
        return by_article[aid][0].hit.match in STATING

    order = sorted(enumerate(by_article), key=lambda item: (not stating(item[1]), -score(item), item[0]))
    return [s for _, aid in order for s in by_article[aid]]


def rank_hits(query: str, qvec: np.ndarray, candidates: Ranking, corpus: Corpus, limit: int,
              verdict_first: bool = True) -> list[SourceHit]:
    """``query`` is the retrieval text of the claim (``query_text``). ``verdict_first``
    (what users get): stating hits first, the best re-judged on their windows, articles
    ranked as wholes; without it (evaluation of a searcher alone) the searcher's order is
    kept and passages are judged alone."""
    model = fitted_model()
    claim = Claim(query, TextEvidence.of(query))
    if names_decide(claim):
        claim = Claim(query, claim.evidence, unstored_names(claim, corpus.unstored_words))
    quoted = []
    for (article_id, idx), c in candidates.items():
        if article_id not in corpus.articles or (article_id, idx) not in corpus.spans:
            continue  # removed between retrieval and ranking
        start, end, role = corpus.spans[(article_id, idx)]
        quote = Quote.of(article_id, corpus.texts[article_id], start, end)
        similarity = float(c.similarity if c.similarity is not None else 0.0)
        quoted.append((c, role, Piece(quote.text, TextEvidence.of(quote.text), similarity), quote))
    probs = judged_pieces(claim, [piece for _, _, piece, _ in quoted], model)  # every candidate in one pass
    before = antecedents(candidates, corpus)
    scored: list[ScoredHit] = []
    for k, (c, role, piece, quote) in enumerate(quoted):
        found = verdict(claim, piece, model, probs=probs[k:k + 1] if probs else None)
        hit = SourceHit(corpus.articles[quote.article_id], quote, c.score, found.match, piece.cosine, 0, role=role,
                        confidence=found.confidence)
        scored.append(ScoredHit(hit, c.vector, piece.evidence))
    if verdict_first:
        scored.sort(key=lambda s: (_LABEL_ORDER[s.hit.match], -s.hit.score))
        pool = rerank_pool_of(claim, scored, limit, corpus)
        pooled = {id(s) for s in pool}
        scored = pool + [s for s in scored if id(s) not in pooled]
        _with_windows(claim, pool, qvec, corpus, model, before)
        for s in pool:
            s.source_names = cache(partial(source_names, s.hit, corpus.known_outlets))
        propagate(pool, model, lambda s: says_claim(claim, Piece(s.hit.quote.text, s.evidence, s.hit.similarity)))
        # The judge re-ranks the pool: it was fitted to tell the passage that states the
        # claim from its near misses, which fusion alone cannot (BENCHMARKS.md).
        scored[: len(pool)] = sorted(pool, key=_judge_order)
        scored = rank_articles(scored, corpus.article_ranking)
    scored = diversify(scored, lambda s: s.hit.article.article_id)
    top = scored[:limit]
    speakers: dict[str, Speaker] = {}
    for s in top:
        aid = s.hit.article.article_id
        if aid not in speakers:
            text = corpus.texts[aid]
            speakers[aid] = Speaker(text, s.hit.article.outlet, corpus.known_outlets, article_quotations(text))
        found_voice = voice_of(query, s.hit.quote.start, s.hit.quote.end, speakers[aid])
        s.hit.voice = found_voice.kind
        if found_voice.who is not None:
            s.hit.voice_who = Quote.of(aid, corpus.texts[aid], found_voice.who.start, found_voice.who.end)
        context = before.get((aid, s.hit.quote.start))
        if context is not None:
            s.hit.context = Quote.of(aid, corpus.texts[aid], context.start, context.end)
    return group_statements(top, model, claim.evidence)
