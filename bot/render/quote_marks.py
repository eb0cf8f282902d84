"""A verbatim passage as a block quote with some of its words marked in bold: the words
an edit changed, shown inline in the one quote instead of as quotes of their own.

The marks are ``**`` pairs around escaped text (``primitives.escape`` escapes every ``*`` of
the passage, so an unescaped ``**`` is always a mark). Removing the marks, then the
escaping and the ellipses, gives back a slice of the stored article, as for any quote
(tests/support/bot_world.py ``quotes_in`` does exactly that)."""
from __future__ import annotations

import re
from collections.abc import Iterable

from index import Quote, Span

from .limits import dlen
from .primitives import ELLIPSIS, blockquote, escape, quote_block, shorten

MARK = "**"


def _relative(quote: Quote, spans: Iterable[Span | Quote | None]) -> list[tuple[int, int]]:
    """Spans (absolute offsets of the article) inside ``quote``, relative to it, trimmed of
    whitespace and merged when only spaces or tabs separate them (one mark per run)."""
    text, out = quote.text, []
    for s in spans:
        if s is None:
            continue
        lo, hi = max(s.start, quote.start) - quote.start, min(s.end, quote.end) - quote.start
        while lo < hi and text[lo].isspace():
            lo += 1
        while hi > lo and text[hi - 1].isspace():
            hi -= 1
        if lo < hi:
            out.append((lo, hi))
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(out):
        if merged and (lo <= merged[-1][1] or re.fullmatch(r"[ \t]*", text[merged[-1][1]:lo])):
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` escaped, each span in bold; a mark never crosses a line break (Discord
    would not close it)."""
    parts, at = [], 0
    for lo, hi in spans:
        if lo >= len(text):
            break
        hi = min(hi, len(text))
        parts.append(escape(text[at:lo]))
        for n, line in enumerate(text[lo:hi].split("\n")):
            if n:
                parts.append("\n")
            core = line.strip()
            if core:
                left = line[: len(line) - len(line.lstrip())]
                right = line[len(line.rstrip()):]
                parts.append(escape(left) + MARK + escape(core) + MARK + escape(right))
            else:
                parts.append(escape(line))
        at = hi
    parts.append(escape(text[at:]))
    return "".join(parts)


def marked_quote_block(quote: Quote, spans: Iterable[Span | Quote | None], limit: int) -> str:
    """``quote`` as a block quote of Discord length <= ``limit`` with ``spans`` (absolute
    offsets; parts outside the quote ignored) in bold. Shortened like ``quote_block``: at a
    word boundary, the beginning kept, "…" where text was left out."""
    marks = _relative(quote, spans)
    if not marks:
        return quote_block(quote.text, limit)
    text, budget = quote.text, limit
    while budget > 1:
        cut = shorten(text, budget)
        kept = len(cut) if cut == text else len(cut) - len(ELLIPSIS)  # shorten keeps a prefix
        body = _marked(text[:kept], [(lo, min(hi, kept)) for lo, hi in marks if lo < kept])
        block = blockquote(body + ("" if kept == len(text) else ELLIPSIS))
        if dlen(block) <= limit:
            return block
        budget -= max(1, dlen(block) - limit)
    return quote_block(quote.text, limit)
