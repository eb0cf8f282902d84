"""What changed in a quotation between two versions, a fixed vocabulary (each flag with
the differing words of both sides as spans):

- ``quote_altered``: words inserted, deleted or replaced inside the quotation;
- ``title_changed``: a title or a name added or removed before a name ("President Trump"
  / "Trump", "Donald Trump" / "Trump");
- ``brackets_changed``: an editorial bracket ([about an invasion]) dropped or added;
- ``ellipsis_changed``: an ellipsis (... or …) dropped or added;
- ``attribution_changed``: the speaker or the speech verb differs ("One source said" /
  "One source stated"; pronouns such as "It adds" count as no speaker).

Words that only cross the quote marks (‘the destruction …’ / the “destruction …”) and a
quotation quoted in part (words missing only at its start or end) are no alteration.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

import numpy as np

from index.labels import severity
from index.records import Span
from index.text.names import TITLES
from index.text.quotations import Quotation
from index.text.word_diff import opcodes
from index.text.words import Word, stem, words

if TYPE_CHECKING:
    from index.compare.results import QuoteChange

# The kinds of change of a quotation both texts have, most telling first (the digest ranks its flags so).
QUOTE_EDIT_KINDS = ("attribution_changed", "quote_altered", "title_changed", "brackets_changed", "ellipsis_changed")
# Two quotations match when they share a run of words this long (in characters of
# normalized words) covering this share of the shorter one.
QUOTE_MATCH_MIN_CHARS = 12
QUOTE_MATCH_MIN_SHARE = 0.5
# Leading or trailing replaced words of a partly matched quotation shown as details.
DETAIL_CONTEXT_WORDS = 3

_BRACKET = re.compile(r"\[[^\]\n]*\]")
_ELLIPSIS = re.compile(r"\.\s?\.\s?\.|…")
_VERB_LEMMA = {
    "said": "say", "says": "say", "say": "say", "stated": "state", "states": "state",
    "told": "tell", "tells": "tell", "added": "add", "adds": "add", "concluded": "conclude",
    "concludes": "conclude", "outlined": "outline", "outlines": "outline", "outline": "outline",
    "described": "describe", "describes": "describe", "describe": "describe", "warned": "warn",
    "warns": "warn", "warn": "warn", "explained": "explain", "explains": "explain",
    "insisted": "insist", "insists": "insist", "wrote": "write", "writes": "write",
    "declared": "declare", "declares": "declare", "admitted": "admit", "admits": "admit",
    "argued": "argue", "argues": "argue", "announced": "announce", "announces": "announce",
    "revealed": "reveal", "reveals": "reveal", "reveal": "reveal", "according": "according",
}
_SPEAKER_NOISE = frozenset(
    """according to the a an one it he she they we i his her their its this that what who which
    have has had been is are was were be and of on in with by from for as also""".split()
) | frozenset(_VERB_LEMMA)


@dataclass(frozen=True)
class QuoteFlag:
    kind: str
    spans_a: tuple[Span, ...]
    spans_b: tuple[Span, ...]


# -- matching -------------------------------------------------------------------------------


def _match_score(ka: list[str], kb: list[str]) -> float:
    """0 unless the quotations are equal or share a run of words long enough to identify
    them with words in common covering QUOTE_MATCH_MIN_SHARE of the shorter; else the
    mean share of both covered, so a term matches its equal term rather than a long
    quotation that happens to contain it."""
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    blocks = SequenceMatcher(None, ka, kb, autojunk=False).get_matching_blocks()
    runs = [len(" ".join(ka[m.a : m.a + m.size])) for m in blocks if m.size]
    common = sum(runs)
    len_a, len_b = len(" ".join(ka)), len(" ".join(kb))
    if not runs or max(runs) < QUOTE_MATCH_MIN_CHARS or common < QUOTE_MATCH_MIN_SHARE * min(len_a, len_b):
        return 0.0
    return (common / len_a + common / len_b) / 2


def match_quotations(ka: list[list[str]], kb: list[list[str]]) -> list[tuple[int, int]]:
    """Pairs where one quotation is the best partner of the other, kept when the pair is
    the shorter one's best: a quotation split in two keeps both halves, and a long
    quotation cannot take a term that has its own equal term on the other side."""
    scores = np.array([[_match_score(x, y) for y in kb] for x in ka]).reshape(len(ka), len(kb))
    best_b = {i: int(np.argmax(scores[i])) for i in range(len(ka)) if len(kb) and scores[i].max() > 0}
    best_a = {j: int(np.argmax(scores[:, j])) for j in range(len(kb)) if len(ka) and scores[:, j].max() > 0}
    candidates = set(best_b.items()) | {(i, j) for j, i in best_a.items()}
    length_a = [len(" ".join(x)) for x in ka]
    length_b = [len(" ".join(y)) for y in kb]
    return sorted(
        (i, j) for i, j in candidates
        if (best_b.get(i) == j if length_a[i] <= length_b[j] else best_a.get(j) == i)
        or (length_a[i] == length_b[j] and (best_b.get(i) == j or best_a.get(j) == i))
    )


# -- word edits inside a matched pair --------------------------------------------------------


def quotation_words(text: str, q: Quotation) -> list[Word]:
    return [w for part in q.parts for w in words(text, part.start, part.end)]


def _is_title_run(run: list[Word], after: Word | None) -> bool:
    """A run of titles or capitalized names right before a capitalized name."""
    return bool(run) and after is not None and after.capitalized and all(
        w.key in TITLES or w.capitalized for w in run)


def _moved_across_marks(run: list[Word], at_start: bool, outside: list[Word]) -> bool:
    """Words missing at one quotation's edge found right outside the other's marks."""
    if not run or not outside:
        return False
    near = outside[-len(run):] if at_start else outside[: len(run)]
    return [w.key for w in near] == [w.key for w in run]


def _span(ws: list[Word]) -> tuple[Span, ...]:
    return (Span(ws[0].start, ws[-1].end),) if ws else ()


def word_flags(wa: list[Word], wb: list[Word], before_b: list[Word], after_b: list[Word],
               before_a: list[Word], after_a: list[Word]) -> list[QuoteFlag]:
    """quote_altered / title_changed runs between two matched quotations' words.
    ``before_*``/``after_*``: the words just outside each quotation's marks."""
    ops = opcodes(wa, wb)
    out: list[QuoteFlag] = []
    last = len(ops) - 1
    for n, (tag, a0, a1, b0, b1) in enumerate(ops):
        if tag == "equal":
            continue
        run_a, run_b = wa[a0:a1], wb[b0:b1]
        if "".join(w.key for w in run_a) == "".join(w.key for w in run_b):
            continue  # spacing or hyphenation only
        edge_start, edge_end = n == 0, n == last
        if tag != "replace" and (edge_start or edge_end):
            # Quoted in part, or words that only crossed the marks.
            continue
        if tag == "replace" and (edge_start or edge_end):
            keep = min(a1 - a0, b1 - b0) + DETAIL_CONTEXT_WORDS
            if edge_start:
                run_a, run_b = run_a[-keep:], run_b[-keep:]
            else:
                run_a, run_b = run_a[:keep], run_b[:keep]
            if edge_start and (_moved_across_marks(run_a, True, before_b) or _moved_across_marks(run_b, True, before_a)):
                continue
            if edge_end and (_moved_across_marks(run_a, False, after_b) or _moved_across_marks(run_b, False, after_a)):
                continue
        after_a_word = wa[a1] if a1 < len(wa) else None
        after_b_word = wb[b1] if b1 < len(wb) else None
        title = (
            (tag == "delete" and _is_title_run(run_a, after_a_word))
            or (tag == "insert" and _is_title_run(run_b, after_b_word))
            or (tag == "replace" and _is_title_run(run_a, after_a_word) and _is_title_run(run_b, after_b_word))
        )
        out.append(QuoteFlag("title_changed" if title else "quote_altered", _span(run_a), _span(run_b)))
    return out


def _merge(flags: list[QuoteFlag]) -> list[QuoteFlag]:
    """One flag per kind, its spans in text order."""
    by_kind: dict[str, tuple[list[Span], list[Span]]] = {}
    for f in flags:
        a, b = by_kind.setdefault(f.kind, ([], []))
        a.extend(f.spans_a)
        b.extend(f.spans_b)
    order = lambda spans: tuple(sorted(set(spans), key=lambda s: (s.start, s.end)))  # noqa: E731
    return [QuoteFlag(k, order(a), order(b)) for k, (a, b) in by_kind.items()]


# -- marks: brackets and ellipses ----------------------------------------------------------


def _brackets(text: str, q: Quotation) -> list[tuple[Span, list[str]]]:
    out = []
    for part in q.parts:
        for m in _BRACKET.finditer(text, part.start, part.end):
            out.append((Span(m.start(), m.end()), [w.key for w in words(text, m.start(), m.end())]))
    return out


def _find_run(ws: list[Word], keys: list[str]) -> tuple[Span, ...]:
    n = len(keys)
    for k in range(len(ws) - n + 1):
        if n and [w.key for w in ws[k : k + n]] == keys:
            return (Span(ws[k].start, ws[k + n - 1].end),)
    return ()


def mark_flags(text_a: str, qa: Quotation, wa: list[Word], text_b: str, qb: Quotation, wb: list[Word]) -> list[QuoteFlag]:
    out: list[QuoteFlag] = []
    ba, bb = _brackets(text_a, qa), _brackets(text_b, qb)
    keys_a, keys_b = {tuple(k) for _, k in ba}, {tuple(k) for _, k in bb}
    for own, other_keys, other_words, side in ((ba, keys_b, wb, "a"), (bb, keys_a, wa, "b")):
        for span, keys in own:
            if tuple(keys) in other_keys:
                continue
            found = _find_run(other_words, keys)
            # A bracket whose words the other quotation lacks and whose neighbours it
            # also lacks was quoted in part, not edited.
            if not found:
                continue
            out.append(QuoteFlag("brackets_changed", (span,) if side == "a" else found, found if side == "a" else (span,)))
    ea = [Span(m.start(), m.end()) for p in qa.parts for m in _ELLIPSIS.finditer(text_a, p.start, p.end)]
    eb = [Span(m.start(), m.end()) for p in qb.parts for m in _ELLIPSIS.finditer(text_b, p.start, p.end)]
    if len(ea) != len(eb) and wa and wb:
        out.append(QuoteFlag("ellipsis_changed", tuple(ea), tuple(eb)))
    return out


# -- attribution ----------------------------------------------------------------------------


def speaker(text: str) -> frozenset[str]:
    return frozenset(stem(w.key) for w in words(text) if w.key not in _SPEAKER_NOISE)


def speech_verb(text: str) -> str | None:
    return next((_VERB_LEMMA[w.key] for w in words(text) if w.key in _VERB_LEMMA), None)


def speaker_differs(att_a: str, att_b: str) -> bool:
    """Two named speakers, neither containing the other ("A diplomatic source" / "a senior officer")."""
    sa, sb = speaker(att_a), speaker(att_b)
    return bool(sa and sb and not (sa <= sb or sb <= sa))


def attribution_differs(att_a: str | None, att_b: str | None) -> bool:
    """Speakers that neither contains, or two different speech verbs."""
    if att_a is None or att_b is None:
        return False
    if speaker_differs(att_a, att_b):
        return True
    va, vb = speech_verb(att_a), speech_verb(att_b)
    return va is not None and vb is not None and va != vb


# The kinds that say a quotation is credited otherwise (``change_kinds`` refines the first).
ATTRIBUTION_KINDS = frozenset({"attribution_changed", "speaker_changed", "speech_verb_changed"})


def change_kinds(change: "QuoteChange") -> list[str]:
    """Every kind of a quotation change, ``attribution_changed`` told apart as
    ``speaker_changed`` or ``speech_verb_changed`` (index/labels.py ranks them far apart):
    the kinds a reporter reads, most serious first. Without both attribution phrases it stays
    as it is."""
    kinds = list(dict.fromkeys([change.kind, *(f.kind for f in change.flags)]))
    att_a, att_b = change.attribution_a, change.attribution_b
    if "attribution_changed" in kinds and att_a is not None and att_b is not None:
        refined = "speaker_changed" if speaker_differs(att_a.text, att_b.text) else "speech_verb_changed"
        kinds[kinds.index("attribution_changed")] = refined
    return sorted(kinds, key=severity)


def matched_quotation_flags(text_a: str, qa: Quotation, text_b: str, qb: Quotation, speech: bool) -> list[QuoteFlag]:
    """Every flag of a matched quotation pair (attribution only for reported speech)."""
    wa, wb = quotation_words(text_a, qa), quotation_words(text_b, qb)
    outside = lambda text, q: (words(text, max(0, q.start - 80), q.start), words(text, q.end, q.end + 80))  # noqa: E731
    before_a, after_a = outside(text_a, qa)
    before_b, after_b = outside(text_b, qb)
    flags = _merge(word_flags(wa, wb, before_b, after_b, before_a, after_a))
    flags += mark_flags(text_a, qa, wa, text_b, qb, wb)
    if speech and qa.attribution and qb.attribution:
        att_a = text_a[qa.attribution.start : qa.attribution.end]
        att_b = text_b[qb.attribution.start : qb.attribution.end]
        if attribution_differs(att_a, att_b):
            flags.append(QuoteFlag("attribution_changed", (qa.attribution,), (qb.attribution,)))
    return flags
