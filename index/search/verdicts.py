"""A hit's verdict, from a fixed vocabulary:

- ``verbatim``: the claim's words appear in the passage in order (or the passage's in the
  claim), ignoring case, punctuation and quote styles;
- ``close``: the passage states the claim in other words: the fitted judge (``judge``: a
  logistic model over cosine, word and name coverage, numbers and negation, fitted on
  CheckThat! 2022 claims, see BENCHMARKS.md) gives it at least its calibrated threshold,
  and no number in the passage contradicts the claim;
- ``related``: anything else retrieved (same subject, does not state it).
"""
from __future__ import annotations

from dataclasses import dataclass

from index.search.judge import JudgeModel, TextEvidence, states_probability
from index.search.results import MatchLabel

MIN_VERBATIM_TOKENS = 4


def contains_in_order(haystack: tuple[str, ...] | list[str], needle: tuple[str, ...] | list[str]) -> bool:
    if not needle or len(needle) > len(haystack):
        return False
    return f" {' '.join(needle)} " in f" {' '.join(haystack)} "


def is_verbatim(q: tuple[str, ...] | list[str], p: tuple[str, ...] | list[str]) -> bool:
    """Word keys of the claim inside the passage's, or (a passage at least half as long)
    the passage's inside the claim's."""
    if len(q) >= MIN_VERBATIM_TOKENS and contains_in_order(p, q):
        return True
    return len(p) >= MIN_VERBATIM_TOKENS and len(p) * 2 >= len(q) and contains_in_order(q, p)


@dataclass
class Verdict:
    match: MatchLabel
    confidence: float | None  # the judge's probability that the passage states the claim


def verdict(claim: TextEvidence, passage: TextEvidence, similarity: float, model: JudgeModel | None) -> Verdict:
    if is_verbatim(claim.toks, passage.toks):
        return Verdict("verbatim", None if model is None else states_probability(claim, passage, similarity, model))
    if model is None:
        return Verdict("related", None)
    p = states_probability(claim, passage, similarity, model)
    conflict = bool(claim.numbers and passage.numbers and not passage.numbers <= claim.numbers)
    return Verdict("close" if p >= model.close_threshold and not conflict else "related", p)
