"""Meaning changes between two aligned passages, quoted or not, a fixed vocabulary:

- ``negation_changed``: a negation or denial ("not", "never", "denying", "without") on one
  side only;
- ``hedging_changed``: a certainty or hedging marker ("allegedly", "may", "could",
  "suspect"; "reveal", "confirmed") on one side only;
- ``question_changed``: a statement on one side, a question on the other;
- ``number_changed``, ``date_changed``, ``name_changed``: a replaced run of words holds a
  number, a date word or a name on both sides that the other side lacks (names compared
  through text/names.py, titles ignored).

Evidence is local so that rewordings do not flag what they merely leave out: a marker
counts only next to a content word that the other side also has (``ANCHOR_WINDOW``), and a
number, date or name only inside a replaced run. "The other side" is every passage
aligned with this one, so a sentence split in two is read as one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.records import Span
from index.text.names import TITLES, canonical_keys
from index.text.word_diff import opcodes
from index.text.words import NEGATIONS, STOPWORDS, Word, sentence_initial, stem

MEANING_KINDS = ("negation_changed", "hedging_changed", "question_changed",
                 "number_changed", "date_changed", "name_changed")
ANCHOR_WINDOW = 3
NAME_PREFIX = 6
MAX_EQUAL_GAP = 2
# A passage mostly in capitals (a title-case headline) gives no evidence of names.
MAX_CAPITALIZED_SHARE = 0.6

# A negation, or a denial or lack stated in a word: either one on one side only changes
# what the passage says.
NEGATION_MARKERS = NEGATIONS | frozenset(
    "deny denies denied denying denial lack lacks lacked lacking unable".split())
# Hedging and certainty markers by family: a marker is missing from the other side when
# no marker of its family is there ("suspect" / "suspected" is no change).
_HEDGE_FAMILIES = """allegedly alleged allegation | reportedly reported | purportedly | apparently |
    supposedly | may might | could | possibly possible perhaps | probably likely | unlikely |
    suspect suspects suspected | believe believes believed | claim claims claimed |
    suggest suggests suggested | seem seems seemed | appear appears appeared | thought |
    rumoured rumored | unconfirmed | reveal reveals revealed | confirm confirms confirmed |
    learned learnt | definitely certainly clearly undoubtedly | proved proven"""
HEDGE_FAMILY = {w: n for n, group in enumerate(_HEDGE_FAMILIES.split("|")) for w in group.split()}
HEDGES = frozenset(HEDGE_FAMILY)
# "reported" is a hedge only as "reportedly"; as a verb it is attribution.
HEDGES = HEDGES - {"reported"}
DATE_WORDS = frozenset(
    """january february march april may june july august september october november december jan
    feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday
    sunday yesterday today tomorrow tonight""".split()
)
NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20",
    "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100", "thousand": "1000",
    "million": "1000000", "billion": "1000000000", "dozen": "12", "dozens": "dozens",
    "hundreds": "hundreds", "thousands": "thousands", "millions": "millions",
}
_QUESTION_END = re.compile(r"""\?["'”’»)\]]*\s*$""")


@dataclass(frozen=True)
class MeaningFlag:
    kind: str
    spans_a: tuple[Span, ...]
    spans_b: tuple[Span, ...]


@dataclass
class Side:
    """One passage (``span``, ``words``) and the words of everything aligned opposite
    it on the other side (``group_words``)."""

    text: str
    span: Span
    words: list[Word]
    group_words: list[Word]


def _number(w: Word) -> str | None:
    """The digits of a word ("points-13" -> 13, "200ft" -> 200), or a number word's value."""
    digits = "".join(c for c in w.key if c.isdigit())
    return digits or NUMBER_WORDS.get(w.key)


def _date(w: Word) -> str | None:
    return w.key if w.key in DATE_WORDS and (w.capitalized or w.key in ("yesterday", "today", "tomorrow", "tonight")) else None


def _names(side: Side, ws: list[Word]) -> set[str]:
    """Canonical names among ``ws`` (capitalized, not opening a sentence, no title)."""
    capitals = sum(w.capitalized for w in side.words)
    if side.words and capitals > MAX_CAPITALIZED_SHARE * len(side.words):
        return set()
    keys = [w.key for w in ws if w.capitalized and w.key not in TITLES and w.key not in DATE_WORDS
            and not sentence_initial(side.text, w, side.span.start) and w.key not in STOPWORDS]
    return {stem(k) for k in canonical_keys(keys)}


def _group_names(text_words: list[Word]) -> set[str]:
    keys = [w.key for w in text_words if w.capitalized and w.key not in TITLES]
    return {stem(k) for k in canonical_keys(keys)} | {stem(w.key) for w in text_words}


def _unexplained(names: set[str], other: set[str]) -> set[str]:
    """Names with no equal in ``other``; "Venezuela" / "Venezuelan" share a long prefix."""
    return {n for n in names if not any(n == o or n.rstrip("s") == o.rstrip("s") or (
        min(len(n), len(o)) >= NAME_PREFIX and n[:NAME_PREFIX] == o[:NAME_PREFIX]) for o in other)}


def _acronyms(ws: list[Word]) -> set[str]:
    """Initials of runs of two or more capitalized words ("Most Valuable Player" -> mvp)."""
    out, run = set(), ""
    for w in [*ws, None]:
        if w is not None and w.capitalized:
            run += w.key[:1]
        else:
            if len(run) >= 2:
                out |= {run[k:e] for k in range(len(run)) for e in range(k + 2, len(run) + 1)}
            run = ""
    return out


def _changed_runs(a: list[Word], b: list[Word]) -> list[tuple[list[Word], list[Word]]]:
    """Runs of differing words, neighbouring runs joined across MAX_EQUAL_GAP equal words
    ("The Mail on Sunday has learned" / "Daily Mail reported" is one change)."""
    runs: list[tuple[list[Word], list[Word]]] = []
    gap_ok = False
    for tag, a0, a1, b0, b1 in opcodes(a, b, stemmed=True):
        if tag == "equal":
            gap_ok = bool(runs) and a1 - a0 <= MAX_EQUAL_GAP
            if gap_ok:
                runs[-1] = (runs[-1][0] + a[a0:a1], runs[-1][1] + b[b0:b1])
            continue
        if gap_ok:
            runs[-1] = (runs[-1][0] + a[a0:a1], runs[-1][1] + b[b0:b1])
        else:
            runs.append((a[a0:a1], b[b0:b1]))
        gap_ok = False
    return runs


def _anchored(ws: list[Word], k: int, other: set[str], markers: frozenset[str]) -> bool:
    lo, hi = max(0, k - ANCHOR_WINDOW), min(len(ws), k + ANCHOR_WINDOW + 1)
    return any(stem(w.key) in other for n, w in enumerate(ws[lo:hi], lo)
               if n != k and w.key not in STOPWORDS and w.key not in markers)


def _family(key: str, markers: frozenset[str]) -> int:
    return HEDGE_FAMILY.get(key, -1) if markers is HEDGES else 0


def _marker_spans(own: Side, other: Side, markers: frozenset[str]) -> list[Span]:
    """Markers of ``own`` whose family the other side lacks, next to words both share."""
    present = {_family(w.key, markers) for w in other.group_words if w.key in markers and not _is_month(other, w)}
    shared = {stem(w.key) for w in other.group_words}
    return [Span(w.start, w.end) for k, w in enumerate(own.words)
            if w.key in markers and not _is_month(own, w) and _family(w.key, markers) not in present
            and _anchored(own.words, k, shared, markers)]


def _is_month(side: Side, w: Word) -> bool:
    return w.key == "may" and w.capitalized and not sentence_initial(side.text, w, side.span.start)


def _is_question(side: Side) -> bool:
    return bool(_QUESTION_END.search(side.text[side.span.start : side.span.end]))


def _last_word(side: Side) -> tuple[Span, ...]:
    if not side.words:
        return ()
    w = side.words[-1]
    end = side.span.end
    return (Span(w.start, end if side.text[w.end:end].strip(" \"'”’»)]") in ("?", "") else w.end),)


def _run_values(ws: list[Word], other_side: list[Word], value) -> list[Word]:
    """Words of ``ws`` holding a value (number, date) that the other side never has."""
    others = {value(w) for w in other_side} - {None}
    return [w for w in ws if value(w) is not None and value(w) not in others]


def meaning_flags(a: Side, b: Side) -> list[MeaningFlag]:
    out: list[MeaningFlag] = []
    for kind, markers in (("negation_changed", NEGATION_MARKERS), ("hedging_changed", HEDGES)):
        sa, sb = _marker_spans(a, b, markers), _marker_spans(b, a, markers)
        if sa or sb:
            out.append(MeaningFlag(kind, tuple(sa), tuple(sb)))
    if _is_question(a) != _is_question(b):
        out.append(MeaningFlag("question_changed", _last_word(a), _last_word(b)))
    found: dict[str, tuple[list[Span], list[Span]]] = {}
    names_b_side = _group_names(b.group_words)  # names the B side has
    names_a_side = _group_names(a.group_words)
    for run_a, run_b in _changed_runs(a.words, b.words):
        if not run_a or not run_b:
            continue
        for kind, value in (("number_changed", _number), ("date_changed", _date)):
            va, vb = _run_values(run_a, b.group_words, value), _run_values(run_b, a.group_words, value)
            if va and vb:
                spans = found.setdefault(kind, ([], []))
                spans[0].extend(Span(w.start, w.end) for w in va)
                spans[1].extend(Span(w.start, w.end) for w in vb)
        # An acronym of the other side's capitalized words ("MVP" / "Most Valuable Player").
        new_a = _unexplained(_names(a, run_a), names_b_side) - _acronyms(b.words)
        new_b = _unexplained(_names(b, run_b), names_a_side) - _acronyms(a.words)
        if new_a and new_b:
            spans = found.setdefault("name_changed", ([], []))
            spans[0].extend(Span(w.start, w.end) for w in run_a if _names(a, [w]) & new_a)
            spans[1].extend(Span(w.start, w.end) for w in run_b if _names(b, [w]) & new_b)
    for kind in ("number_changed", "date_changed", "name_changed"):
        if kind in found and found[kind][0] and found[kind][1]:
            out.append(MeaningFlag(kind, tuple(found[kind][0]), tuple(found[kind][1])))
    return out
