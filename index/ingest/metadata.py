"""Read and combine article metadata without ever guessing what the source does not say."""
from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlsplit

from dateutil import parser as dateparser

from index.errors import UserError
from index.records import Metadata

# Two defaults that differ in every field: a field equal under both was in the input.
_DEFAULT_A = datetime(2000, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(2001, 2, 2, 1, 1, 1)
_MIN_YEAR, _MAX_YEAR = 1800, 2199

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"\d{4}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")

_AUTHOR_SEPARATORS = re.compile(r"\s+&\s+|\s+and\s+|\s*[,;]\s*", re.IGNORECASE)
_BYLINE = re.compile(r"by\s+(.+)", re.IGNORECASE)
_DATE_LABEL = re.compile(
    r"(?:date|published|updated|last updated|posted|first published)(?:\s+on)?\s*[:\-–—|]?\s+(.+)",
    re.IGNORECASE,
)
_HEADER_LINES = 5
_MAX_SHORT_LINE = 120
_MAX_HEADLINE = 200
_MAX_DATE_LINE = 60
_MAX_DATE_WORDS = 6
_MAX_NAME_WORDS = 6
def _iso(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat()


def _in_range(year: int) -> bool:
    return _MIN_YEAR <= year <= _MAX_YEAR


def _normalize_string(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    if _YEAR.fullmatch(text):
        return text if _in_range(int(text)) else None
    if m := _ISO_YEAR_MONTH.fullmatch(text):
        return text if _in_range(int(m[1])) and 1 <= int(m[2]) <= 12 else None
    try:
        if _ISO_DATE.fullmatch(text):
            return normalize_date(date.fromisoformat(text))
        if _ISO_DATETIME.fullmatch(text):
            return normalize_date(datetime.fromisoformat(text))
    except ValueError:
        pass  # not strict ISO after all; dateutil may still read it
    try:
        a = dateparser.parse(text, default=_DEFAULT_A)
        b = dateparser.parse(text, default=_DEFAULT_B)
    except (ValueError, OverflowError, TypeError):
        return None
    # A field that differs between the two parses came from a default, not the text.
    if a.year != b.year or not _in_range(a.year):
        return None
    if a.month != b.month:
        return None if a.day == b.day else f"{a.year:04d}"
    if a.day != b.day:
        return f"{a.year:04d}-{a.month:02d}"
    if a.hour == b.hour and a.minute == b.minute:
        return _iso(a)
    return a.date().isoformat()


def normalize_date(value: object) -> str | None:
    """ISO form of a date as precise as the input: YYYY, YYYY-MM, YYYY-MM-DD or a date-time.

    Missing parts are never filled in (no "today" defaults); unreadable input gives None.
    """
    if isinstance(value, datetime):
        return _iso(value) if _in_range(value.year) else None
    if isinstance(value, date):
        return value.isoformat() if _in_range(value.year) else None
    if isinstance(value, str):
        return _normalize_string(value)
    return None


def split_authors(value: str | list[str] | None) -> list[str]:
    """Split "A & B", "A and B", "A, B", "A; B" into names, each kept exactly as written.

    The one author rule: the CLI (`--author`), /upload, the inbox and the parsers all use it,
    so the same byline gives the same authors whichever way it arrives. A list is split item
    by item (a repeated `--author`)."""
    values = [value] if isinstance(value, str) else list(value or [])
    return [name for v in values for name in (p.strip() for p in _AUTHOR_SEPARATORS.split(v)) if name]


def outlet_from_url(url: str | None) -> str | None:
    """The URL's host without "www.", e.g. "dailymail.co.uk"; None when there is no usable host."""
    if not url or not url.strip():
        return None
    url = url.strip()
    if "//" not in url:
        url = "//" + url  # bare "www.example.com/x": urlsplit needs the slashes to see a host
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


def _byline_authors(line: str) -> list[str]:
    """Authors from a "By NAME & NAME" line; [] if the line is not a byline."""
    if len(line) >= _MAX_SHORT_LINE or not (m := _BYLINE.fullmatch(line)):
        return []
    names = split_authors(m[1])
    # Names start with a capital and carry no digits: rejects prose like "By the numbers".
    for name in names:
        if not name[0].isupper() or any(c.isdigit() for c in name) or len(name.split()) > _MAX_NAME_WORDS:
            return []
    return names


def _leading_date(text: str) -> str | None:
    """The longest run of leading words that reads as a date."""
    words = text.split()
    for n in range(min(len(words), _MAX_DATE_WORDS), 0, -1):
        if found := normalize_date(" ".join(words[:n]).rstrip(",;|")):
            return found
    return None


def _line_date(line: str) -> str | None:
    """Date of a line that is just a date or starts with a date label; else None."""
    if len(line) <= _MAX_DATE_LINE and (found := normalize_date(line)):
        return found
    if m := _DATE_LABEL.fullmatch(line):
        return _leading_date(m[1])
    return None


def _is_prose(line: str) -> bool:
    return len(line) > _MAX_SHORT_LINE or line.endswith((".", "!", "?", '"', "”", "’"))


def _is_headline(lines: list[str], index: int) -> bool:
    """A short first line without a final full stop, then a blank line, then more text."""
    line = lines[index].strip()
    if len(line) > _MAX_HEADLINE or (line.endswith(".") and not line.endswith("...")):
        return False
    rest = lines[index + 1 :]
    return bool(rest) and not rest[0].strip() and any(r.strip() for r in rest[1:])


def header_metadata(text: str) -> Metadata:
    """Byline, date line and headline from the first lines of an article's text.

    Only the first few non-empty lines are read, up to the first line of body prose.
    The outlet is never taken from here: a name in the text is not proof of the source.
    """
    meta = Metadata()
    lines = text.split("\n")
    seen = 0
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > _HEADER_LINES:
            break
        if not meta.authors and (authors := _byline_authors(line)):
            meta.authors = authors
        elif not meta.published and (published := _line_date(line)):
            meta.published = published
        elif seen == 1 and _is_headline(lines, index):
            meta.title = line
        elif _is_prose(line):
            break
    return meta


def _normalized(meta: Metadata) -> Metadata:
    """A copy with ``published`` in ISO form, or unknown when it cannot be read."""
    return Metadata(
        title=meta.title,
        outlet=meta.outlet,
        authors=list(meta.authors),
        published=normalize_date(meta.published) if meta.published else None,
        url=meta.url,
    )


def resolve_metadata(explicit: Metadata, declared: Metadata, html_meta: Metadata, header: Metadata) -> Metadata:
    """Combine metadata tiers: explicit > declared > HTML/PDF/DOCX > header lines.

    An explicit date the user typed must be readable; a lower tier's unreadable date
    is dropped so the tier below can supply one.
    """
    top = _normalized(explicit)
    if explicit.published and top.published is None:
        raise UserError(f"could not read date {explicit.published!r}; use a form like 2026-01-12")
    merged = top.merged_over(_normalized(declared).merged_over(_normalized(html_meta).merged_over(_normalized(header))))
    if not merged.outlet:
        merged.outlet = outlet_from_url(merged.url)
    return merged
