"""Clauses and windows of a passage, as offsets (issue 21).

A news sentence often holds a claim as one of its clauses ("…, but it is being resisted by
the joint chiefs of staff on the grounds that it would be illegal"): judged as a whole it
looks unlike the claim. ``units`` cuts a passage into coarse clauses, at , ; : and spaced
dashes and before subordinating or contrasting words (but, while, although, because,
which, who, citing…); a unit of fewer than ``MIN_UNIT_WORDS`` words joins its neighbour.
``windows`` are every unit and every two adjacent units, never the whole passage again, at
most ``MAX_WINDOWS`` (the shortest first: a long passage's single clauses matter most).

"and" and "that" are not cut: too many cuts fall inside a statement ("Russia and China").
Offsets only, so a window is always a slice of the stored text; their vectors are pooled
from the passage's own forward pass (``store/embedder.encode_with_windows``).
"""
from __future__ import annotations

import re

from index.records import Span

_PUNCT_BREAK = re.compile(r"[,;:]|\s[-‐–—]\s|[–—]")
_WORD_BREAK = re.compile(
    r"\s(?=(?:but|while|whereas|although|though|because|unless|which|who|whom|whose|where|"
    r"citing|arguing|saying|after|before|since|however|despite|amid)\b)",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_OPENERS = "\"“‘'$£€"
_CLOSERS = "\"”’'.%"
MIN_UNIT_WORDS = 3
MAX_WINDOWS = 8


def _cuts(text: str) -> list[int]:
    cuts = {0, len(text)}
    for m in _PUNCT_BREAK.finditer(text):
        cuts.update((m.start(), m.end()))
    cuts.update(m.end() for m in _WORD_BREAK.finditer(text))
    return sorted(cuts)


def _trim(text: str, start: int, end: int) -> Span:
    """The span without the punctuation and spaces at its edges (quote marks, currency and
    a final full stop or per cent sign kept)."""
    while start < end and not (text[start].isalnum() or text[start] in _OPENERS):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in _CLOSERS):
        end -= 1
    return Span(start, end)


def _word_count(text: str, span: Span) -> int:
    return len(_WORD.findall(text, span.start, span.end))


def units(text: str) -> list[Span]:
    """Coarse clauses of ``text``, in order."""
    cuts = _cuts(text)
    spans = [s for s in (_trim(text, a, b) for a, b in zip(cuts, cuts[1:])) if s.end > s.start]
    merged: list[Span] = []
    for span in spans:
        if merged and (_word_count(text, span) < MIN_UNIT_WORDS or _word_count(text, merged[-1]) < MIN_UNIT_WORDS):
            merged[-1] = Span(merged[-1].start, span.end)
        else:
            merged.append(span)
    return merged


def windows(text: str) -> list[Span]:
    """Units and adjacent pairs of units, without the whole passage, at most ``MAX_WINDOWS``
    (the shortest kept): the units in order, then the pairs; none for a passage of one unit."""
    parts = units(text)
    if len(parts) < 2:
        return []
    whole = _trim(text, 0, len(text))
    found = list(dict.fromkeys(parts + [Span(a.start, b.end) for a, b in zip(parts, parts[1:])]))
    found = [s for s in found if s != whole]
    if len(found) > MAX_WINDOWS:
        keep = set(sorted(found, key=lambda s: s.end - s.start)[:MAX_WINDOWS])
        found = [s for s in found if s in keep]
    return found
