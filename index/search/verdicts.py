"""A hit's verdict, from a fixed vocabulary, decided on the statement, not the sentence:

- ``contradicts``: the passage, or one of its windows, is on the claim's statement (it holds
  at least ``ON_STATEMENT_MIN`` of the claim's other content stems, cosine at least
  ``CONTRA_COSINE_MIN``) and asserts the opposite (``text/stance.opposition``: stance words
  of opposite signs, a WordNet antonym, negation of the shared predicate, numbers that
  disagree). Decided first: a passage that says the opposite is never ``close``;
- ``verbatim``: the claim's words appear in the passage in order (or the passage's in the
  claim), ignoring case, punctuation and quote styles;
- ``close``: the passage states the claim in other words: the fitted judge (``judge``: a
  logistic model over cosine, word and name coverage, numbers and negation, fitted on
  CheckThat! 2022 claims, see BENCHMARKS.md) gives the passage or one of its windows at
  least its calibrated threshold; or a window on the statement takes the claim's side in
  other words (``stance_agrees``: "oppose" / "faced fierce resistance from"); never when a
  number in the passage contradicts the claim;
- ``related``: anything else retrieved (same subject, does not state it).

Windows are read for the re-rank pool only (``ranking``); other candidates are judged on
the passage alone.
"""
from __future__ import annotations

from dataclasses import dataclass

from index.search.judge import JudgeModel, TextEvidence, statement_probability
from index.search.results import MatchLabel
from index.text.stance import opposition, same_stance, statement_share

MIN_VERBATIM_TOKENS = 4
# A text is on the claim's statement when it holds this share of the claim's content stems
# other than stance words, negators and numbers, and has at least this cosine with it.
# Chosen on the sample corpus (research/issue21 FINDINGS §3): opposites share every word but
# the verb, and their cosine is low ("back the invasion" / "oppose it": 0.28-0.36).
ON_STATEMENT_MIN = 0.6
CONTRA_COSINE_MIN = 0.25


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


@dataclass(frozen=True)
class Piece:
    """The passage or one of its windows, as a verdict reads it."""

    text: str
    evidence: TextEvidence
    cosine: float


@dataclass(frozen=True)
class Claim:
    """The claim as every verdict of one query reads it."""

    text: str
    evidence: TextEvidence


@dataclass
class Verdict:
    match: MatchLabel
    confidence: float | None  # the judge's probability that the passage (or a window) states the claim


def number_conflict(claim: TextEvidence, passage: TextEvidence) -> bool:
    """Both give numbers and the passage has one the claim lacks."""
    return bool(claim.numbers and passage.numbers and not passage.numbers <= claim.numbers)


def _on_statement(claim: Claim, piece: Piece) -> bool:
    return piece.cosine >= CONTRA_COSINE_MIN and statement_share(claim.text, piece.text) >= ON_STATEMENT_MIN


def contradiction(claim: Claim, pieces: list[Piece]) -> str:
    """Why the first piece on the claim's statement that opposes it does, or ""."""
    for piece in pieces:
        if _on_statement(claim, piece):
            why = opposition(claim.text, piece.text)
            if why:
                return why
    return ""


def stance_agrees(claim: Claim, pieces: list[Piece]) -> bool:
    """A piece on the claim's statement takes the claim's side in other words, with every
    name of the claim in it: the symmetric rule of ``contradiction``."""
    names = claim.evidence.names
    return any(_on_statement(claim, p) and same_stance(claim.text, p.text)
               and names <= (p.evidence.names | set(p.evidence.toks)) for p in pieces)


def verdict(claim: Claim, passage: Piece, model: JudgeModel | None, windows: list[Piece] | None = None) -> Verdict:
    """The passage's label; ``windows`` given (even empty) for the re-rank pool, whose
    passages are judged on their windows too and may contradict the claim."""
    pieces = [passage] + list(windows or [])
    p = None if model is None else statement_probability(
        claim.evidence, passage.evidence, passage.cosine, [(w.evidence, w.cosine) for w in windows or []], model)
    if windows is not None:
        if contradiction(claim, pieces):
            return Verdict("contradicts", p)
    if is_verbatim(claim.evidence.toks, passage.evidence.toks):
        return Verdict("verbatim", p)
    if model is None:
        return Verdict("related", None)
    if number_conflict(claim.evidence, passage.evidence):
        return Verdict("related", p)
    if p >= model.close_threshold:
        return Verdict("close", p)
    if windows is not None and stance_agrees(claim, pieces):
        return Verdict("close", p)
    return Verdict("related", p)
