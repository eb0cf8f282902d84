"""Sentence-level passages with character offsets into the stored text.

A passage is a ``Span``; its text is always ``article_text[start:end]``. The splitter
never rewrites text: it only chooses where to cut, and which lines are not passages
(bylines, date lines, ad markers, photo-credit labels, one-word section labels).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from index.records import PassageRole, Span
from index.text.datelines import is_dateline

# Longest passage we embed whole; all-MiniLM-L6-v2 truncates at 256 word pieces.
MAX_PASSAGE_CHARS = 800
MIN_PASSAGE_WORDS = 3

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st gen gov sen rep lt col capt sgt maj adm rev hon pres
    inc ltd co corp vs etc no nos jan feb mar apr jun jul aug sep sept oct nov dec
    fig approx dept est mt ft u.s u.k u.n e.u a.m p.m""".split()
)

# Sentence-final punctuation, any closing quotes/brackets, then whitespace, then
# something that can open a sentence.
_BOUNDARY = re.compile(
    r"""[.!?…]+["'”’»)\]]*(?P<gap>\s+)(?=["'“‘«(\[]?[A-Z0-9À-Ý])"""
)

# Text inside a block that is not article prose; cut out of passages, kept in the text.
_BOILERPLATE = re.compile(
    r"""(?:
        \b(?:Article\ continues\ below\ advertisement|ADVERTISEMENT|Advertisement)\b
      | ^\s*(?:Source|Photo|Image|Credit|Picture)s?:\ *[A-Z][A-Z0-9/&.\-]*(?:\ [A-Z][A-Z0-9/&.\-]*)*(?=\s+[A-Z][a-z]|\s*$)
      | \b(?:Share\ this\ article|Read\ more|RELATED\ ARTICLES)\b
    )""",
    re.VERBOSE | re.MULTILINE,
)

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_HEADER_LINE = re.compile(
    rf"""^\s*(?:
        By\ [A-Z][^.!?]{{0,110}}                         # byline
      | (?:date|published|updated|posted)\b[:\s]*\S.{{0,40}} # date label line
      | (?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\ )?
        (?:{_MONTH}\ \d{{1,2}},?\ \d{{4}}|\d{{1,2}}\ {_MONTH}\ \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})
        (?:[ T,]+[\d:]+\ ?(?:[AaPp]\.?[Mm]\.?)?)?         # a date on its own
    )\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
_WORD = re.compile(r"\w+")


def split_passages(text: str) -> list[Span]:
    """Sentence spans of ``text``, in order, trimmed, each at most MAX_PASSAGE_CHARS."""
    spans: list[Span] = []
    for block_start, block_end in _blocks(text):
        block = text[block_start:block_end]
        if _HEADER_LINE.match(block) or is_dateline(block):
            continue
        for seg_start, seg_end in _without_boilerplate(text, block_start, block_end):
            if _HEADER_LINE.match(text[seg_start:seg_end]) or is_dateline(text[seg_start:seg_end]):
                continue
            for s, e in _sentences(text, seg_start, seg_end):
                for span in _limit_length(text, s, e):
                    if len(_WORD.findall(text[span.start : span.end])) >= MIN_PASSAGE_WORDS:
                        spans.append(span)
    return spans


def headed_text(body: str, title: str | None, standfirst: str | None) -> tuple[str, list[tuple[Span, PassageRole]]]:
    """The text to store and its headline/standfirst spans.

    A title or standfirst that the source gives (never one that is guessed) becomes its own
    line above the body, so it is searchable and quotable by offsets like any passage. A
    body that already opens with it is kept as it is (an exported article re-imported, or a
    file whose first line is its headline), so the stored text, and hence the article id,
    does not change on a round trip.
    """
    lines = _opening_lines(body)
    found: list[tuple[int, int, PassageRole]] = []
    missing: list[tuple[str, PassageRole]] = []
    for value, role in ((title, "headline"), (standfirst, "standfirst")):
        value = " ".join((value or "").split())
        if not value:
            continue
        at = next(((s, e) for s, e in lines if _same_words(body[s:e], value)), None)
        if at is None:
            missing.append((value, role))
        else:
            found.append((*at, role))
    heads: list[tuple[Span, PassageRole]] = []
    prefix = ""
    for value, role in missing:
        heads.append((Span(len(prefix), len(prefix) + len(value)), role))
        prefix += value + "\n\n"
    heads += [(Span(s + len(prefix), e + len(prefix)), role) for s, e, role in found]
    return prefix + body, heads


def _opening_lines(text: str, n: int = 3) -> list[tuple[int, int]]:
    out = []
    for start, end in _blocks(text):
        out.extend(_trimmed(text, start, end))
        if len(out) >= n:
            break
    return out


def _same_words(a: str, b: str) -> bool:
    return _WORD.findall(a.lower()) == _WORD.findall(b.lower())


def passages_with_roles(text: str, heads: list[tuple[Span, PassageRole]] = ()) -> tuple[list[Span], list[PassageRole]]:
    """Passages of a stored text with their roles: the headline and standfirst spans first
    (whole, however short), then the body's sentences. Any non-empty text gets at least
    one passage: a one-word item, a caption or a tweet is stored whole."""
    spans: list[Span] = []
    roles: list[PassageRole] = []
    taken = sorted(heads, key=lambda hr: hr[0].start)
    for head, role in taken:
        for span in _limit_length(text, head.start, head.end):
            spans.append(span)
            roles.append(role)
    covered = [(h.start, h.end) for h, _ in taken]
    for span in split_passages(text):
        if not any(s < span.end and span.start < e for s, e in covered):
            spans.append(span)
            roles.append("body")
    if "body" not in roles:
        # No sentence long enough: what is left besides the headline is stored whole.
        for start, end in _blocks(text):
            if any(s < end and start < e for s, e in covered):
                continue
            for s, e in _trimmed(text, start, end):
                for span in _limit_length(text, s, e):
                    spans.append(span)
                    roles.append("body")
    order = sorted(range(len(spans)), key=lambda i: spans[i].start)
    return [spans[i] for i in order], [roles[i] for i in order]


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Lines of text: a newline always ends a passage (headlines carry no full stop)."""
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            yield pos, end
        pos = end + 1


def _without_boilerplate(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    pos = start
    for m in _BOILERPLATE.finditer(text, start, end):
        if m.start() > pos:
            yield pos, m.start()
        pos = m.end()
    if pos < end:
        yield pos, end


def _sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    pos = start
    for m in _BOUNDARY.finditer(text, start, end):
        cut = m.start("gap")
        if _is_abbreviation(text, pos, m.start()):
            continue
        yield from _trimmed(text, pos, cut)
        pos = m.end("gap")
    yield from _trimmed(text, pos, end)


def _is_abbreviation(text: str, sentence_start: int, punct_at: int) -> bool:
    if text[punct_at] != ".":
        return False
    i = punct_at
    while i > sentence_start and not text[i - 1].isspace() and text[i - 1] not in "\"'“‘(":
        i -= 1
    token = text[i:punct_at].lower()
    # A lone capital is an initial ("J. Smith"); listed words are abbreviations.
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def _limit_length(text: str, start: int, end: int) -> Iterator[Span]:
    """Cut an over-long sentence at clause marks, else at spaces; never inside a word."""
    while end - start > MAX_PASSAGE_CHARS:
        window = text[start : start + MAX_PASSAGE_CHARS]
        cut = max(window.rfind("; "), window.rfind(", "), window.rfind(" - "), window.rfind(" — "))
        if cut < MAX_PASSAGE_CHARS // 3:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = MAX_PASSAGE_CHARS - 1
        yield from (Span(s, e) for s, e in _trimmed(text, start, start + cut + 1))
        start += cut + 1
        while start < end and text[start].isspace():
            start += 1
    yield from (Span(s, e) for s, e in _trimmed(text, start, end))
