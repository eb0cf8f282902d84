"""Statement groups: hits that state the same thing, across outlets, share one group number.

Hits on the claim are compared with the claim, other hits with each other (the pairwise
rule ``_same_statement``); groups split on numbers and on names one side lacks."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.search.judge import JudgeModel, TextEvidence, states_probability
from index.search.results import SourceHit

SAME_STATEMENT_SIMILARITY = 0.80
# A related hit joins the claim's group only if it also has this share of the claim's
# content words (all but one of a five-word claim).
GROUP_MIN_COVERAGE = 0.8


@dataclass
class ScoredHit:
    """A hit with what grouping reads: its passage's vector and the judge's evidence."""

    hit: SourceHit
    vector: np.ndarray | None
    evidence: TextEvidence


def _compatible(a: TextEvidence, b: TextEvidence) -> bool:
    """The same numbers, and no name in one that the other lacks (a rewrite may drop a
    title: "President Trump" and "Trump"): "40 jobs" and "400 jobs", or "Rafael Tanaka
    resigned" and "Rafael Verhoeven resigned", are different statements."""
    if a.numbers != b.numbers:
        return False
    smaller, larger = sorted((a.names, b.names), key=len)
    return smaller <= larger


def _same_statement(a: ScoredHit, b: ScoredHit, model: JudgeModel | None) -> bool:
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


def _on_claim(s: ScoredHit, claim: TextEvidence, model: JudgeModel | None) -> bool:
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


def group_statements(scored: list[ScoredHit], model: JudgeModel | None,
                     claim: TextEvidence | None = None) -> list[SourceHit]:
    """Give hits that state the same thing one group number; groups in the order of their
    best hit, members by date (earliest first, undated last).

    Hits on the claim (``_on_claim``) are compared with the claim, not with each other,
    so a rewording, a dropped title or a pronoun ("the plan" -> "it") does not split them;
    they split only on numbers ("40 jobs" and "400 jobs" stay apart). Other hits group
    pairwise (``_same_statement``)."""
    groups: list[list[ScoredHit]] = []
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
