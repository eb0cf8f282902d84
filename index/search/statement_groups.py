"""Statement groups: hits that state the same thing, across outlets, share one group number.

Hits on the claim are compared with the claim, other hits with each other (the pairwise
rule ``_same_statement``); groups split on numbers and on names one side lacks. A group is
one statement, its verdict one verdict (issue 21): a related hit that states the same thing
as a stating hit, and takes the claim's side, states the claim too (``propagate``), and a
group lists its stating members first."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from index.search.judge import JudgeModel, TextEvidence, states_probability
from index.search.results import STATING, SourceHit

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
    statement: TextEvidence | None = None  # what it says of the claim (``Verdict.statement``), when judged so
    # Names of whom the passage gives as its source (its outlet, an outlet it credits:
    # "The Mail on Sunday has learned", "Daily Mail reported"): not part of what it states.
    # Read when asked (``_same_statement``), as most pairs differ in nothing else.
    source_names: Callable[[], frozenset[str]] = frozenset

    def stated(self) -> TextEvidence:
        return self.statement or self.evidence


def _compatible(a: TextEvidence, b: TextEvidence, sources: frozenset[str] = frozenset()) -> bool:
    """The same numbers, and no name in one that the other lacks (a rewrite may drop a
    title: "President Trump" and "Trump"; it may write a name in lower case): "40 jobs" and
    "400 jobs", or "Rafael Tanaka resigned" and "Rafael Verhoeven resigned", are different
    statements. ``sources``: names of the outlets the two give as their sources, which are
    not part of what they state."""
    if a.numbers != b.numbers:
        return False
    a_names, b_names = a.names - sources, b.names - sources
    # A name is lacking when the other has it in no form: "the joint chiefs of staff" holds
    # "the Joint Chiefs of Staff".
    return a_names <= b.names | set(b.toks) or b_names <= a.names | set(a.toks)


def _same_statement(a: ScoredHit, b: ScoredHit, model: JudgeModel | None) -> bool:
    if not (_compatible(a.evidence, b.evidence)
            or _compatible(a.evidence, b.evidence, a.source_names() | b.source_names())):
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


def propagate(scored: list[ScoredHit], model: JudgeModel | None,
              says_claim: Callable[[ScoredHit], bool] = lambda s: True) -> None:
    """A related hit that states the same thing as a stating one (``_same_statement``, and
    the same negation) becomes ``close``: "…is being resisted by the joint chiefs" states
    the claim as much as its rewrite "…the joint chiefs of staff oppose it" does. Only a
    hit that says what the claim says (``says_claim``): "Trump pushed military leaders for
    an invasion plan" is the first half of "Trump has directed commanders to create an
    invasion plan, but top military officials are pushing back", not the claim that they
    push back."""
    stating = [s for s in scored if s.hit.match in STATING]
    for s in scored:
        if s.hit.match == "related" and says_claim(s) and any(
                s.evidence.negated == t.evidence.negated and _same_statement(s, t, model) for t in stating):
            s.hit.match = "close"


def _on_claim(s: ScoredHit, claim: TextEvidence, model: JudgeModel | None) -> bool:
    """The hit states the claim, or nearly (the judge's group threshold), with no number
    against the claim's, every name of the claim present, and nearly all its content
    words (a near miss on the same topic says other things)."""
    if s.hit.match in STATING:
        return True
    if s.hit.match == "contradicts":  # on the claim's statement, saying the opposite
        return False
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
    best hit, members stating first, then by date (earliest first, undated last).

    Hits on the claim (``_on_claim``) are compared with the claim, not with each other,
    so a rewording, a dropped title or a pronoun ("the plan" -> "it") does not split them;
    they split only on numbers ("40 jobs" and "400 jobs" stay apart). Other hits group
    pairwise (``_same_statement``)."""
    groups: list[list[ScoredHit]] = []
    claim_groups: list[int] = []  # groups of hits on the claim, first member stating it
    for s in scored:
        group = None
        if claim is not None and _on_claim(s, claim, model):
            if s.hit.match in STATING:
                # Stating hits with other numbers or other names state other things.
                # Read on what each says of the claim: a name in another clause of the
                # sentence is no other statement.
                group = next((g for g in claim_groups if _compatible(groups[g][0].stated(), s.stated())), None)
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
        ordered.extend(sorted((s.hit for s in members), key=lambda h: (h.match not in STATING, h.article.date_key())))
    return ordered
