"""Word-level edits between two passages: inserted, deleted and replaced runs of words,
with offsets into both texts. Words compare as text/words.py keys, so case, quote
styles, hyphens, apostrophes and spacing variants ("He ’ d" / "He'd", "2, 000" /
"2,000") are no edit; a passage pair with no edit has identical words."""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from index.text.words import Word, stem

@dataclass(frozen=True)
class WordOpcode:
    """Words ``a0:a1`` of A became words ``b0:b1`` of B (one side empty for an insertion
    or deletion), as indices into the two word lists."""

    op: str
    a0: int
    a1: int
    b0: int
    b1: int


def opcodes(wa: list[Word], wb: list[Word], stemmed: bool = False) -> list[tuple[str, int, int, int, int]]:
    key = stem if stemmed else (lambda k: k)
    return SequenceMatcher(None, [key(w.key) for w in wa], [key(w.key) for w in wb], autojunk=False).get_opcodes()


def _same_letters(wa: list[Word], wb: list[Word]) -> bool:
    return "".join(w.key for w in wa) == "".join(w.key for w in wb)


def word_edits(wa: list[Word], wb: list[Word]) -> list[WordOpcode]:
    """The differing runs of two word lists, typographic variants left out."""
    out = []
    for tag, a0, a1, b0, b1 in opcodes(wa, wb):
        if tag == "equal" or (tag == "replace" and _same_letters(wa[a0:a1], wb[b0:b1])):
            continue
        out.append(WordOpcode(tag, a0, a1, b0, b1))
    return out


def insertion_point(ws: list[Word], k: int, lo: int) -> int:
    """Offset where words would be inserted before word ``k`` (after word k-1)."""
    return ws[k - 1].end if k > 0 else (ws[0].start if ws else lo)
