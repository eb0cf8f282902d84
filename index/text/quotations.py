"""Direct quotations in stored article text, with offsets and attribution phrases.

A quotation is found from its marks alone; the text is never rewritten. Handled:

- double marks: straight ``"`` and curly ``“ ”`` (mixed pairs such as ``"…”`` too);
- single marks: straight ``'`` and curly ``‘ ’``, where ``’`` (and ``'``) is also the
  apostrophe: a mark opens only after start/whitespace/``([{—–-:;/`` or another opening
  mark, and closes only before whitespace/punctuation/end, never before a letter, so
  "Trump’s" or "it’s" never close a quotation;
- nesting (‘ghost’ inside a ‘…’ quotation): inner quotations get ``depth`` 1;
- the plural possessive ("the generals’ patience"): a mark after -s before a lower-case
  word does not close when a closing mark follows before any opening one;
- the newspaper convention for a quotation running over paragraphs: a paragraph left
  open continues when the next paragraph starts with a new opening mark; a quotation
  still open at the end of a paragraph that is not continued ends there, unclosed.

The attribution is the phrase around a quotation that names its source ("One source
said", "according to a senior officer", "the cables warn"): looked for right after the
quotation, then earlier in the same sentence, then at the end of the sentence before
when that sentence leads into the quotation (``He added:``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.records import Span

_DOUBLE_OPEN, _DOUBLE_CLOSE, _DOUBLE_AMBIGUOUS = "“", "”", '"'
_SINGLE_OPEN, _SINGLE_CLOSE, _SINGLE_AMBIGUOUS = "‘", "’", "'"
_MARKS = frozenset("“”\"‘’'")
_OPEN_AFTER = frozenset("([{—–-:;/“‘\"'")
# A quotation shorter than this is a term in quotes (‘hawks’), not reported speech.
MIN_SPEECH_WORDS = 3

_SPEECH_VERB = (
    r"(?:said|says|say|stated|states|told|tells|added|adds|concluded|concludes|outlined|outlines|outline"
    r"|described|describes|describe|warned|warns|warn|explained|explains|insisted|insists|wrote|writes"
    r"|declared|declares|admitted|admits|argued|argues|announced|announces|revealed|reveals|reveal)"
)
_VERB = re.compile(rf"\b{_SPEECH_VERB}\b")
_ACCORDING = re.compile(r"\baccording to\b[^.,;:!?\"“”‘’()\n]+", re.IGNORECASE)
# A tag right after the quotation: ", according to X" / ", he said" / ", said Mr Smith".
_AFTER_ACCORDING = re.compile(r"[\s,]*(according to [^.,;:!?\"“”‘’()\n]+)", re.IGNORECASE)
_AFTER_TAG = re.compile(
    rf"[\s,]*((?:[\w’'-]+\s+){{0,7}}?{_SPEECH_VERB}\b(?:\s+(?:[A-Z][\w’'.-]*)(?:\s+[A-Z][\w’'.-]*)*)?)"
)
_CLAUSE_BREAK = re.compile(r"[,;:()—–]|\s-\s")
# A relative pronoun with words before the verb opens the speaker's clause: "…, which he has
# described" -> "he has described"; "officials who said" keeps its antecedent.
RELATIVE_PRONOUN = re.compile(r"\b(?:that|which|who|what)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")
_MAX_SUBJECT_WORDS = 8
_MAX_TAG_CHARS = 90


@dataclass(frozen=True)
class Quotation:
    """``start``/``end`` cover the marks; ``parts`` are the quoted words, one span per
    paragraph, without marks. ``closed`` is False when the quotation ran to the end of a
    paragraph with no closing mark."""

    start: int
    end: int
    parts: tuple[Span, ...]
    depth: int
    closed: bool
    attribution: Span | None = None

    def covers(self, start: int, end: int) -> bool:
        """Whether ``start:end`` lies inside the quoted words of one paragraph."""
        return any(p.start <= start and end <= p.end for p in self.parts)


@dataclass
class _Open:
    mark: str
    family: str  # "d" or "s"
    pos: int
    parts: list[Span]
    part_start: int
    depth: int


def find_quotations(text: str) -> list[Quotation]:
    """All quotations of ``text``, ordered by start (outer before inner)."""
    raw = _scan(text)
    return sorted(
        (
            Quotation(q.start, q.end, q.parts, q.depth, q.closed, _attribution(text, q) if q.depth == 0 else None)
            for q in raw
        ),
        key=lambda q: (q.start, -q.end),
    )


# -- scanning -----------------------------------------------------------------------------


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            out.append((pos, end))
        pos = end + 1
    return out


def _can_open(text: str, i: int, lo: int, hi: int) -> bool:
    before = text[i - 1] if i > lo else ""
    after = text[i + 1] if i + 1 < hi else ""
    return (before == "" or before.isspace() or before in _OPEN_AFTER) and after != "" and not after.isspace()


def _can_close(text: str, i: int, lo: int, hi: int) -> bool:
    before = text[i - 1] if i > lo else ""
    after = text[i + 1] if i + 1 < hi else ""
    return before != "" and not before.isspace() and not after.isalnum()


def _spaced_close(text: str, i: int, lo: int, hi: int) -> bool:
    """A double mark after ", " or ". " closes (text tokenized with spaces, as in
    'I'm satisfied, " he said'): it cannot open, nothing follows it but space or punctuation.
    A curly closing mark closes after any word and a space ("Williams, ” he said")."""
    if i - 2 < lo or text[i - 1] != " " or (i + 1 < hi and text[i + 1].isalnum()):
        return False
    return (text[i] in _DOUBLE_AMBIGUOUS + _DOUBLE_CLOSE and text[i - 2] in ",.!?;:") or (
        text[i] == _DOUBLE_CLOSE and not text[i - 2].isspace())


def _spaced_open(text: str, i: int, lo: int, hi: int) -> bool:
    """A curly opening double mark opens even when a tokenizer put a space after it
    ("“ It ’ s disappointing")."""
    return (text[i] == _DOUBLE_OPEN and i + 2 < hi and text[i + 1] == " " and text[i + 2].isalnum()
            and (i == lo or text[i - 1].isspace() or text[i - 1] in _OPEN_AFTER))


def _typewriter_double(text: str, i: int, hi: int) -> bool:
    return text[i] == _SINGLE_AMBIGUOUS and i + 2 < hi and text[i + 1] == _SINGLE_AMBIGUOUS and text[i + 2].isalnum()


def _plural_possessive(text: str, i: int, lo: int, hi: int) -> bool:
    """"the generals’ patience too.’": a single mark after -s, before a lower-case word,
    is an apostrophe when the next single mark in the paragraph closes rather than opens."""
    if text[i] not in _SINGLE_CLOSE + _SINGLE_AMBIGUOUS or text[i - 1] not in "sS":
        return False
    if not (i + 2 < hi and text[i + 1] == " " and text[i + 2].islower()):
        return False
    for k in range(i + 1, hi):
        if text[k] in _SINGLE_OPEN + _SINGLE_CLOSE + _SINGLE_AMBIGUOUS:
            if _can_open(text, k, lo, hi) and text[k] != _SINGLE_CLOSE:
                return False
            if _can_close(text, k, lo, hi):
                return True
    return False


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


def _scan(text: str) -> list[Quotation]:
    found: list[Quotation] = []
    pending: _Open | None = None  # a top-level quotation left open by the last paragraph
    pending_end = 0
    for lo, hi in _paragraphs(text):
        stack: list[_Open] = []
        first = lo
        while first < hi and text[first].isspace():
            first += 1
        if pending is not None:
            same_family = text[first] in (_SINGLE_OPEN + _SINGLE_AMBIGUOUS if pending.family == "s"
                                          else _DOUBLE_OPEN + _DOUBLE_AMBIGUOUS)
            if same_family:
                pending.part_start = first + 1
                stack.append(pending)
                first += 1
            else:
                found.append(_finish(text, pending, pending_end, closed=False))
            pending = None
        skip = -1
        for i in range(first if stack else lo, hi):
            c = text[i]
            if c not in _MARKS or i == skip:
                continue
            family = "d" if c in '“”"' else "s"
            if _typewriter_double(text, i, hi):  # ''Like this," : two single marks open speech
                family, skip = "d", i + 1
            open_idx = next((k for k in range(len(stack) - 1, -1, -1) if stack[k].family == family), None)
            closes = c in (_DOUBLE_CLOSE, _SINGLE_CLOSE, _DOUBLE_AMBIGUOUS, _SINGLE_AMBIGUOUS)
            can_close = _can_close(text, i, lo, hi) or _spaced_close(text, i, lo, hi)
            if closes and open_idx is not None and can_close and not _plural_possessive(text, i, lo, hi):
                opened = stack[open_idx]
                del stack[open_idx:]  # inner marks never closed were apostrophes or strays
                opened.parts.append(Span(opened.part_start, i))
                found.append(_finish(text, opened, i + 1, closed=True))
            elif c not in (_DOUBLE_CLOSE, _SINGLE_CLOSE) and (
                    _can_open(text, i if skip != i + 1 else i + 1, lo, hi) or _spaced_open(text, i, lo, hi)):
                mark = _DOUBLE_AMBIGUOUS if skip == i + 1 else c
                stack.append(_Open(mark, family, i, [], i + (2 if skip == i + 1 else 1), len(stack)))
            else:
                skip = -1
        if stack and stack[0].depth == 0 and stack[0].mark != _SINGLE_AMBIGUOUS:
            # A straight ' left open is far more often an apostrophe ('90s) than speech.
            stack[0].parts.append(Span(stack[0].part_start, hi))
            pending, pending_end = stack[0], hi
    if pending is not None:
        found.append(_finish(text, pending, pending_end, closed=False))
    return found


def _finish(text: str, opened: _Open, end: int, closed: bool) -> Quotation:
    parts = tuple(s for s in (_trim(text, p.start, p.end) for p in opened.parts) if s is not None)
    if not closed:
        while end > opened.pos and text[end - 1].isspace():
            end -= 1
    return Quotation(opened.pos, end, parts, opened.depth, closed)


# -- attribution --------------------------------------------------------------------------


def _paragraph_of(text: str, pos: int) -> tuple[int, int]:
    lo = text.rfind("\n", 0, pos) + 1
    hi = text.find("\n", pos)
    return lo, len(text) if hi < 0 else hi


def _sentence_start(text: str, lo: int, pos: int) -> int:
    start = lo
    for m in _SENTENCE_END.finditer(text, lo, pos):
        start = m.end()
    return start


def _sentence_end(text: str, pos: int, hi: int) -> int:
    m = _SENTENCE_END.search(text, pos, hi)
    return m.start() + 1 if m else hi


def _attribution(text: str, q: Quotation) -> Span | None:
    lo, _ = _paragraph_of(text, q.start)
    if not _ends_sentence(text, q):
        after = _after_tag(text, q.end, _sentence_end(text, q.end, _paragraph_of(text, max(q.end - 1, 0))[1]))
        if after is not None:
            return after
    sentence_start = _sentence_start(text, lo, q.start)
    before = _before_tag(text, sentence_start, q.start)
    if before is not None or sentence_start > lo:
        return before
    # A paragraph opening with the quotation: "He added:" ending the one before leads in.
    prev_end = lo
    while prev_end > 0 and text[prev_end - 1].isspace():
        prev_end -= 1
    if prev_end == 0 or text[prev_end - 1] != ":":
        return None
    prev_lo = text.rfind("\n", 0, prev_end) + 1
    return _before_tag(text, _sentence_start(text, prev_lo, prev_end - 1), prev_end)


def _ends_sentence(text: str, q: Quotation) -> bool:
    """‘… the inside.’ It adds: the sentence ended inside the marks, so what follows
    the quotation is the next sentence, not a tag (‘… now!’ he said: lower case goes on)."""
    if not q.closed or not q.parts:
        return True
    inner_end = text[q.parts[-1].end - 1]
    rest = text[q.end : q.end + 3].lstrip()
    return inner_end in ".!?…" and (not rest or not rest[0].islower())


def _after_tag(text: str, start: int, stop: int) -> Span | None:
    stop = min(stop, start + _MAX_TAG_CHARS)
    segment = text[start:stop]
    for pattern in (_AFTER_ACCORDING, _AFTER_TAG):
        m = pattern.match(segment)
        if m:
            return _trim(text, start + m.start(1), start + m.end(1))
    return None


def _before_tag(text: str, start: int, stop: int) -> Span | None:
    """The nearest 'according to X' or 'SUBJECT VERB' before ``stop`` in this sentence,
    skipping text inside earlier quotations of the sentence."""
    prefix = _mask_quotes(text[start:stop])
    best: Span | None = None
    for m in _ACCORDING.finditer(prefix):
        best = _trim(text, start + m.start(), start + m.end())
    for m in _VERB.finditer(prefix):
        if best is not None and best.end > start + m.start():
            continue
        clause_start = 0
        for b in _CLAUSE_BREAK.finditer(prefix, 0, m.start()):
            clause_start = b.end()
        pronouns = list(RELATIVE_PRONOUN.finditer(prefix, clause_start, m.start()))
        if pronouns and prefix[pronouns[-1].end() : m.start()].strip():  # "which he has described"
            clause_start = pronouns[-1].end()
        words = list(re.finditer(r"\S+", prefix[clause_start : m.start()]))[-_MAX_SUBJECT_WORDS:]
        if not words:
            continue
        best = _trim(text, start + clause_start + words[0].start(), start + m.end())
    return best


def _mask_quotes(segment: str) -> str:
    """Blank the insides of quotations so a verb quoted earlier is not taken as a tag."""
    out = list(segment)
    for q in _scan(segment):
        for k in range(q.start, q.end):
            out[k] = " " if not segment[k].isspace() else segment[k]
    return "".join(out)
