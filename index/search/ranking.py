"""`sources`: dense (Chroma) and lexical (BM25) retrieval fused by weighted reciprocal
rank, verdicts from the fitted judge, a per-article cap, and grouping of the same
statement across outlets.

Labels come from a fixed vocabulary:
- ``verbatim``: the claim's words appear in the passage in order (or the passage's in the
  claim), ignoring case, punctuation and quote styles;
- ``close``: the passage states the claim in other words: the judge (index/judge.py, a
  logistic model over cosine, word and name coverage, numbers and negation, fitted on
  CheckThat! 2022 claims, see BENCHMARKS.md) gives it at least its calibrated threshold,
  and no number in the passage contradicts the claim;
- ``related``: anything else retrieved (same subject, does not state it).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.records import Article, PassageRole, Quote
from index.search.judge import (
    Evidence,
    JudgeModel,
    contains_in_order,
    load_model,
    states_probability,
    tokens,
)
from index.search.reported import is_reported
from index.search.results import SourceHit

# "fused" is what users get; the others exist to measure it (bench/eval_retrieval.py,
# bench/eval_claims.py): "rrf" is plain, unweighted fusion.
RETRIEVAL_MODES = ("fused", "rrf", "dense", "lexical")
RRF_K = 60
# Weights of the dense and lexical rankings in the shipped fusion, chosen on the claims-dev
# training queries and checked on every other set (BENCHMARKS.md).
FUSION_WEIGHTS = (6.0, 1.0)
SAME_STATEMENT_SIMILARITY = 0.80
MIN_VERBATIM_TOKENS = 4
# At most this many passages of one article before other articles get their turn; the
# rest follow after them (reachable with a larger --limit or in the article itself).
PER_ARTICLE_CAP = 2
_LABEL_ORDER = {"verbatim": 0, "close": 1, "related": 1}
# A related hit joins the claim's group only if it also has this share of the claim's
# content words (all but one of a five-word claim).
GROUP_MIN_COVERAGE = 0.8
# How many of the best fused candidates the judge re-orders (at least twice the limit).
RERANK_POOL = 20


def normalized_tokens(text: str) -> list[str]:
    """Lower-case word tokens with accents, quote styles and punctuation dropped."""
    return tokens(text)


def is_verbatim(q: tuple[str, ...] | list[str], p: tuple[str, ...] | list[str]) -> bool:
    if len(q) >= MIN_VERBATIM_TOKENS and contains_in_order(p, q):
        return True
    return len(p) >= MIN_VERBATIM_TOKENS and len(p) * 2 >= len(q) and contains_in_order(q, p)


@dataclass
class Verdict:
    match: str
    confidence: float | None


def judge(claim: Evidence, passage: Evidence, similarity: float, model: JudgeModel | None) -> Verdict:
    if is_verbatim(claim.toks, passage.toks):
        return Verdict("verbatim", None if model is None else states_probability(claim, passage, similarity, model))
    if model is None:
        return Verdict("related", None)
    p = states_probability(claim, passage, similarity, model)
    conflict = bool(claim.numbers and passage.numbers and not passage.numbers <= claim.numbers)
    return Verdict("close" if p >= model.close_threshold and not conflict else "related", p)


def match_label(query: str, passage: str, similarity: float) -> str:
    """The label of one passage for one query (the engine computes Evidence once per text)."""
    return judge(Evidence.of(query), Evidence.of(passage), similarity, _model()).match


def _model() -> JudgeModel | None:
    try:
        return load_model()
    except FileNotFoundError:  # only while bench/fit_judge.py builds the first model
        return None


@dataclass
class Candidate:
    article_id: str
    idx: int
    rrf: float = 0.0
    similarity: float | None = None
    vector: np.ndarray | None = None


def fuse(dense: list, lexical: list[tuple[str, int, float]],
         weights: tuple[float, float] = (1.0, 1.0)) -> dict[tuple[str, int], Candidate]:
    """Weighted reciprocal-rank fusion: robust to the two rankings' incomparable scales."""
    w_dense, w_lex = weights
    out: dict[tuple[str, int], Candidate] = {}
    for rank, hit in enumerate(dense):
        c = out.setdefault((hit.article_id, hit.idx), Candidate(hit.article_id, hit.idx))
        c.rrf += w_dense / (RRF_K + rank + 1)
        c.similarity, c.vector = hit.similarity, hit.vector
    for rank, (article_id, idx, _bm25) in enumerate(lexical):
        c = out.setdefault((article_id, idx), Candidate(article_id, idx))
        c.rrf += w_lex / (RRF_K + rank + 1)
    return out


def diversify(ranked: list, article_of, cap: int = PER_ARTICLE_CAP) -> list:
    """At most ``cap`` items of one article before every other article's; the rest keep
    their order after them, so one article cannot fill the first page."""
    seen: dict[str, int] = {}
    first, rest = [], []
    for item in ranked:
        aid = article_of(item)
        seen[aid] = seen.get(aid, 0) + 1
        (first if seen[aid] <= cap else rest).append(item)
    return first + rest


@dataclass
class _Scored:
    hit: SourceHit
    vector: np.ndarray | None
    evidence: Evidence


def _compatible(a: Evidence, b: Evidence) -> bool:
    """The same numbers, and no name in one that the other lacks (a rewrite may drop a
    title: "President Trump" and "Trump"): "40 jobs" and "400 jobs", or "Rafael Tanaka
    resigned" and "Rafael Verhoeven resigned", are different statements."""
    if a.numbers != b.numbers:
        return False
    smaller, larger = sorted((a.names, b.names), key=len)
    return smaller <= larger


def _same_statement(a: _Scored, b: _Scored, model: JudgeModel | None) -> bool:
    if not _compatible(a.evidence, b.evidence):
        return False
    if a.vector is None or b.vector is None:
        return False
    cos = float(a.vector @ b.vector)
    if cos >= SAME_STATEMENT_SIMILARITY:
        return True
    if model is None:
        return False
    # Whatever the wording: each states the other, by the judge's calibrated threshold.
    return (states_probability(a.evidence, b.evidence, cos, model) >= model.close_threshold
            and states_probability(b.evidence, a.evidence, cos, model) >= model.close_threshold)


def same_statement(a: SourceHit, va: np.ndarray | None, b: SourceHit, vb: np.ndarray | None) -> bool:
    """Do two hits state the same thing? (The pairwise rule ``group_statements`` applies.)"""
    return _same_statement(_Scored(a, va, Evidence.of(a.quote.text)), _Scored(b, vb, Evidence.of(b.quote.text)),
                           _model())


def _on_claim(s: _Scored, claim: Evidence, model: JudgeModel | None) -> bool:
    """The hit states the claim, or nearly (the judge's group threshold), with no number
    against the claim's, every name of the claim present, and nearly all its content
    words (a near miss on the same topic says other things)."""
    if s.hit.match in ("verbatim", "close"):
        return True
    if not claim.content or len(claim.content & s.evidence.content) / len(claim.content) < GROUP_MIN_COVERAGE:
        return False
    if model is None or s.hit.confidence is None or s.hit.confidence < model.group_threshold:
        return False
    e = s.evidence
    if claim.numbers and e.numbers and not e.numbers <= claim.numbers:
        return False
    return claim.names <= (e.names | set(e.toks))


def group_statements(scored: list[_Scored], model: JudgeModel | None, claim: Evidence | None = None) -> list[SourceHit]:
    """Give hits that state the same thing one group number; groups in the order of their
    best hit, members by date (earliest first, undated last).

    Hits on the claim (``_on_claim``) are compared with the claim, not with each other,
    so a rewording, a dropped title or a pronoun ("the plan" -> "it") does not split them;
    they split only on numbers ("40 jobs" and "400 jobs" stay apart). Other hits group
    pairwise (``same_statement``)."""
    groups: list[list[_Scored]] = []
    claim_groups: list[int] = []  # groups of hits on the claim, first member stating it
    for s in scored:
        group = None
        if claim is not None and _on_claim(s, claim, model):
            if s.hit.match in ("verbatim", "close"):
                # Stating hits with other numbers or other names state other things.
                group = next((g for g in claim_groups if _compatible(groups[g][0].evidence, s.evidence)), None)
            else:
                # A near hit was checked against the claim itself (names, numbers).
                group = next((g for g in claim_groups if groups[g][0].evidence.numbers == s.evidence.numbers), None)
            if group is None:
                group = len(groups)
                claim_groups.append(group)
                groups.append([])
        else:
            group = next((g for g, members in enumerate(groups)
                          if g not in claim_groups and _same_statement(members[0], s, model)), None)
            if group is None:
                group = len(groups)
                groups.append([])
        s.hit.group = group
        groups[group].append(s)
    ordered: list[SourceHit] = []
    for members in groups:
        ordered.extend(sorted((s.hit for s in members), key=lambda h: h.article.date_key()))
    return ordered


def rank_hits(
    query: str,
    candidates: dict[tuple[str, int], Candidate],
    articles: dict[str, Article],
    texts: dict[str, str],
    spans: dict[tuple[str, int], tuple[int, int, PassageRole]],
    limit: int,
    by_label: bool = True,
    cap: int | None = PER_ARTICLE_CAP,
) -> list[SourceHit]:
    """``query`` is the retrieval text of the claim (index/claims.py)."""
    model = _model()
    claim = Evidence.of(query)
    scored: list[_Scored] = []
    for (article_id, idx), c in candidates.items():
        if article_id not in articles or (article_id, idx) not in spans:
            continue  # removed between retrieval and ranking
        start, end, role = spans[(article_id, idx)]
        quote = Quote.of(article_id, texts[article_id], start, end)
        similarity = float(c.similarity if c.similarity is not None else 0.0)
        evidence = Evidence.of(quote.text)
        verdict = judge(claim, evidence, similarity, model)
        hit = SourceHit(articles[article_id], quote, c.rrf, verdict.match, similarity, 0, role=role,
                        confidence=verdict.confidence)
        scored.append(_Scored(hit, c.vector, evidence))
    scored.sort(key=lambda s: (_LABEL_ORDER[s.hit.match] if by_label else 0, -s.hit.score))
    if by_label and model is not None:
        # The judge re-ranks the best fused candidates: it was fitted to tell the passage
        # that states the claim from its near misses, which fusion alone cannot (on the
        # claims-dev training queries MAP@5 0.843 -> 0.853; BENCHMARKS.md).
        pool = max(RERANK_POOL, 2 * limit)
        scored[:pool] = sorted(scored[:pool], key=lambda s: (_LABEL_ORDER[s.hit.match], -(s.hit.confidence or 0.0)))
    if cap:
        scored = diversify(scored, lambda s: s.hit.article.article_id, cap)
    top = scored[:limit]
    for s in top:
        s.hit.reported = is_reported(query, s.hit.quote.text)
    return group_statements(top, model, claim)

