"""The primitives every renderer shares: escaping, shortening within Discord's limits, block
quotes, metadata for display, embed packing and paging, error lines, times (the rules
they keep are in ``bot.render``'s docstring)."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo

import discord

from index import Article, display_name, is_titled

from . import limits as L
from .limits import dlen

UNKNOWN = "unknown"
ELLIPSIS = "…"
QUOTE_PREFIX = "> "
BLANK = "\u200b"  # a field name or value that shows nothing

ARTICLES_PER_PAGE = 10

COLOR_DEFAULT = discord.Colour.blurple()
COLOR_OK = discord.Colour.green()
COLOR_WARN = discord.Colour.gold()
COLOR_ERROR = discord.Colour.red()

_URL = re.compile(r"^https?://[^\s<>]+$", re.IGNORECASE)


@dataclass
class Page:
    """One message: optional content plus up to ten embeds."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)


# -- text primitives ---------------------------------------------------------------------


def shorten(text: str, limit: int, *, keep: str = "start") -> str:
    """``text`` if it fits ``limit`` (Discord length), else a word-boundary cut with "…".

    ``keep="start"`` keeps the beginning, ``"end"`` the end. The kept text is never
    altered: only whitespace at the cut is dropped. A text with no whitespace to cut at
    is cut at a character.
    """
    if dlen(text) <= limit:
        return text
    if limit <= 0:
        return ""
    if limit == 1:
        return ELLIPSIS
    budget = limit - 1
    if keep == "end":
        return ELLIPSIS + _cut_tail(text, budget)
    return _cut_head(text, budget) + ELLIPSIS


def _cut_head(text: str, budget: int) -> str:
    """The longest word-boundary prefix of ``text`` with Discord length <= budget."""
    n = _fit_chars(text, budget)
    prefix = text[:n]
    if n < len(text) and not text[n].isspace():
        cut = max(prefix.rfind(" "), prefix.rfind("\n"), prefix.rfind("\t"))
        if cut > 0 and prefix[:cut].strip():
            prefix = prefix[:cut]
    return prefix.rstrip()


def _cut_tail(text: str, budget: int) -> str:
    rev = _cut_head(text[::-1], budget)
    return rev[::-1].lstrip() if rev else ""


def _fit_chars(text: str, budget: int) -> int:
    """Number of leading characters of ``text`` whose Discord length is <= budget."""
    total = 0
    for i, ch in enumerate(text):
        total += 2 if ord(ch) > 0xFFFF else 1
        if total > budget:
            return i
    return len(text)


_ESCAPE_ANYWHERE = re.compile(r"[\\*_~|`\[\]<]")
_ESCAPE_LINE_START = re.compile(r"^([ \t]*)([>#+\-])", re.MULTILINE)
_ESCAPE_NUMBERED = re.compile(r"^([ \t]*\d+)\.(?=\s)", re.MULTILINE)


def escape(text: str) -> str:
    """Escape Discord Markdown so the text shows literally.

    Every inserted backslash precedes the character it protects (and a backslash of the
    text is doubled), so deleting the backslash before each character gives the text
    back exactly. ``discord.utils.escape_markdown`` is not used because it leaves the
    inside of ``[...](...)`` unescaped, which is not reversible.
    """
    out = _ESCAPE_ANYWHERE.sub(lambda m: "\\" + m.group(0), text)
    out = _ESCAPE_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), out)
    return _ESCAPE_NUMBERED.sub(lambda m: m.group(1) + "\\.", out)


def clip(text: str | None, limit: int, *, markdown: bool = True) -> str:
    """Metadata for display: escaped, shortened to ``limit``; None becomes "unknown"."""
    if text is None or not str(text).strip():
        return UNKNOWN
    text = " ".join(str(text).split())
    out = escape(text) if markdown else text
    budget = limit
    while dlen(out) > limit:
        cut = shorten(text, budget)
        out = escape(cut) if markdown else cut
        budget -= max(1, dlen(out) - limit)
    return out


def blockquote(text: str) -> str:
    return "\n".join(QUOTE_PREFIX + line for line in text.split("\n"))


def quote_block(text: str, limit: int, *, keep: str = "start", italic: bool = False) -> str:
    """A verbatim passage as an escaped block quote of Discord length <= ``limit``;
    ``italic`` for the sentences before a passage (``SourceHit.context``), each line marked."""
    budget = limit
    while True:
        cut = shorten(text, max(budget, 1), keep=keep)
        escaped = escape(cut)
        if italic:
            escaped = "\n".join(f"*{line}*" if line.strip() else line for line in escaped.split("\n"))
        block = blockquote(escaped)
        if dlen(block) <= limit or budget <= 1:
            if dlen(block) > limit:  # pathological: only an ellipsis fits
                return blockquote(ELLIPSIS)[:limit]
            return block
        budget -= max(1, dlen(block) - limit)


def link(url: str | None, limit: int = L.EMBED_FIELD_VALUE) -> str:
    if not url:
        return UNKNOWN
    url = url.strip()
    if _URL.match(url) and dlen(url) <= limit:
        return url
    return clip(url, limit)


def embed_url(url: str | None) -> str | None:
    if url and _URL.match(url.strip()) and dlen(url.strip()) <= L.EMBED_URL:
        return url.strip()
    return None


def short_id(article_id: str) -> str:
    return article_id[:8]


def name_of(article: Article, limit: int = L.EMBED_TITLE) -> str:
    """What to call an article in a title position: its title, else what is known of it
    (``index.naming.display_name``), never a bare "unknown"."""
    return clip(display_name(article), limit)


def authors_of(article: Article, limit: int = L.EMBED_FIELD_VALUE) -> str:
    return clip(", ".join(article.authors) if article.authors else None, limit)


def outlet_colour(outlet: str | None) -> discord.Colour:
    if not outlet:
        return discord.Colour.light_grey()
    digest = hashlib.sha256(outlet.casefold().encode("utf-8")).digest()
    return discord.Colour.from_rgb(64 + digest[0] % 160, 64 + digest[1] % 160, 64 + digest[2] % 160)


def percent(share: float | None) -> str:
    if share is None:
        return UNKNOWN
    return f"{share * 100:.0f}%"


def content_line(*parts: str) -> str:
    return shorten(" · ".join(p for p in parts if p), L.MESSAGE_CONTENT)


def byline(article: Article, limit: int = L.EMBED_FIELD_VALUE) -> str:
    line = (
        f"outlet: {clip(article.outlet, 200)}\n"
        f"date: {day(article.published)}\n"
        f"authors: {clip(', '.join(article.authors) if article.authors else None, 200)}\n"
        f"id: `{short_id(article.article_id)}`\n"
        f"link: {link(article.url, 300)}"
    )
    return line if dlen(line) <= limit else shorten(line, limit)


# -- one line an article -------------------------------------------------------------------

UNDATED = "undated"
NO_OUTLET = "outlet unknown"


def day(published: str | None) -> str:
    """A stored date as a date (its date part: "2026-01-12", "2026-01", "2026"), or "undated"."""
    text = " ".join((published or "").split()).partition("T")[0]
    return clip(text, 40) if text else UNDATED


def outlet_name(article: Article, limit: int = 120) -> str:
    """The outlet, or "outlet unknown" (never guessed)."""
    return clip(article.outlet, limit) if (article.outlet or "").strip() else NO_OUTLET


def when_who(article: Article, limit: int = 120) -> str:
    """"The Mail on Sunday, 2026-01-12": who published it and when, as far as known."""
    return f"{outlet_name(article, limit)}, {day(article.published)}"


def article_line(article: Article, *, title_limit: int = 90, extra: Sequence[str] = ()) -> str:
    """One line an article: outlet · date (or "undated") · title (when it has one) · the
    words of ``extra`` · short id."""
    parts = [outlet_name(article), day(article.published)]
    if is_titled(article):
        parts.append(f"*{clip(article.title, title_limit)}*")
    parts += [x for x in extra if x]
    parts.append(f"`{short_id(article.article_id)}`")
    return " · ".join(parts)


LINES_PER_EMBED = 3800  # a description of lines, leaving room for the embed's title and footer


def line_chunks(lines: Sequence[str], limit: int = LINES_PER_EMBED) -> list[str]:
    """``lines`` joined into as few texts of Discord length <= ``limit`` as they fit in,
    never splitting a line (one longer than ``limit`` is shortened)."""
    chunks: list[list[str]] = [[]]
    for line in lines:
        line = shorten(line, limit)
        if chunks[-1] and dlen("\n".join([*chunks[-1], line])) > limit:
            chunks.append([])
        chunks[-1].append(line)
    return ["\n".join(c) for c in chunks if c]


# -- embed sizing -------------------------------------------------------------------------


def embed_size(embed: discord.Embed) -> int:
    total = dlen(embed.title) + dlen(embed.description)
    total += sum(dlen(f.name) + dlen(f.value) for f in embed.fields)
    total += dlen(embed.footer.text) if embed.footer else 0
    total += dlen(embed.author.name) if embed.author else 0
    return total


class EmbedPacker:
    """Adds fields to embeds, starting a new embed whenever one would overflow."""

    # Leave room in a message for the page's other embeds.
    def __init__(self, title: str | None = None, *, colour: discord.Colour = COLOR_DEFAULT,
                 description: str | None = None, footer: str | None = None, max_size: int = 4000) -> None:
        self.title = title
        self.colour = colour
        self.footer = footer
        self.max_size = max_size
        self.embeds: list[discord.Embed] = []
        self._new(description)

    def _new(self, description: str | None = None) -> discord.Embed:
        title = self.title if not self.embeds else (f"{self.title} (continued)" if self.title else None)
        embed = discord.Embed(title=shorten(title, L.EMBED_TITLE) if title else None,
                              description=description, colour=self.colour)
        if self.footer:
            embed.set_footer(text=shorten(self.footer, L.EMBED_FOOTER))
        self.embeds.append(embed)
        return embed

    @property
    def current(self) -> discord.Embed:
        return self.embeds[-1]

    def add_group(self, fields: Sequence[tuple[str, str, bool]]) -> None:
        """Add fields that belong together (a pair of quotes) to one embed."""
        fields = [(shorten(n, L.EMBED_FIELD_NAME) or BLANK, v or BLANK, inline) for n, v, inline in fields]
        size = sum(dlen(n) + dlen(v) for n, v, _ in fields)
        embed = self.current
        if embed.fields and (len(embed.fields) + len(fields) > L.EMBED_FIELDS
                             or embed_size(embed) + size > self.max_size):
            embed = self._new()
        for name, value, inline in fields:
            embed.add_field(name=name, value=value, inline=inline)

    def add_field(self, name: str, value: str, inline: bool = False) -> None:
        self.add_group([(name, value, inline)])


def paginate(embeds: Sequence[discord.Embed], *, per_page: int = L.EMBEDS_PER_MESSAGE,
             header: str | None = None) -> list[Page]:
    """Group embeds into messages: <= ``per_page`` embeds and <= 6000 characters each.

    Each page's content is ``header`` plus "page i/n" when there is more than one page;
    with no ``header`` the content stays empty (the first embed's title is what the reader
    sees first) and "page i/n" goes at the end of the page's first footer.
    """
    groups: list[list[discord.Embed]] = []
    current: list[discord.Embed] = []
    size = 0
    for embed in embeds:
        n = embed_size(embed)
        # room kept for " · page i/n" in a footer
        if current and (len(current) >= min(per_page, L.EMBEDS_PER_MESSAGE) or size + n > L.EMBED_TOTAL - 24):
            groups.append(current)
            current, size = [], 0
        current.append(embed)
        size += n
    if current or not groups:
        groups.append(current)
    pages = []
    for i, group in enumerate(groups):
        counter = f"page {i + 1}/{len(groups)}" if len(groups) > 1 else ""
        if header is None and counter and group:
            footer = group[0].footer.text if group[0].footer else None
            group[0].set_footer(text=shorten(" · ".join(p for p in (footer, counter) if p), L.EMBED_FOOTER))
            counter = ""
        pages.append(Page(content_line(header or "", counter) or None, group))
    return pages


# -- errors ------------------------------------------------------------------------------


def error_text(message: str) -> str:
    """A short error line (sent ephemerally when Discord allows)."""
    first = " ".join(str(message).split()) or "something went wrong"
    return shorten("⚠️ " + escape(first), 400)


# -- times ---------------------------------------------------------------------------------


def stamp_text(stamp: str | None, tz: tzinfo | None = None) -> str:
    """A stored ISO timestamp (e.g. when an article was added) as ``moment_text`` shows it."""
    try:
        moment = datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        return clip(stamp, 64)
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment_text(moment, tz)


def moment_text(moment: datetime | None, tz: tzinfo | None = None) -> str:
    """A UTC datetime as "YYYY-MM-DD HH:MM <zone>" in ``tz`` (a tzinfo; None: UTC)."""
    if moment is None:
        return UNKNOWN
    zone = tz or timezone.utc
    local = moment.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {escape(str(getattr(zone, 'key', None) or local.tzname() or 'UTC'))}"
