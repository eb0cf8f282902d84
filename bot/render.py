"""The one module that turns result objects into Discord messages (embeds).

Rules:
- Quotes are shown verbatim as block quotes ("> "). A passage too long for its slot is
  shortened only at a word boundary and marked with an ellipsis ("…") where text was
  left out; Markdown characters are escaped so Discord shows them literally. Removing
  the escaping and the ellipses always gives a substring of the stored article.
- Besides quotes, output holds only metadata, numbers and labels; unknown metadata is
  shown as "unknown".
- Every message fits Discord's limits (``discord_limits``): long results are split
  into more embeds, and embeds into pages (one message each).
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import discord

from index.models import Article, IngestResult, Quote, SourceHit, SourcesResult

from . import discord_limits as L
from .discord_limits import dlen

UNKNOWN = "unknown"
ELLIPSIS = "…"
QUOTE_PREFIX = "> "
BLANK = "\u200b"  # a field name or value that shows nothing

HITS_PER_PAGE = 5
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


def quote_block(text: str, limit: int, *, keep: str = "start") -> str:
    """A verbatim passage as an escaped block quote of Discord length <= ``limit``."""
    budget = limit
    while True:
        cut = shorten(text, max(budget, 1), keep=keep)
        block = blockquote(escape(cut))
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


def date_of(article: Article) -> str:
    return clip(article.published, 64)


def outlet_of(article: Article) -> str:
    return clip(article.outlet, L.EMBED_AUTHOR)


def title_of(article: Article, limit: int = L.EMBED_TITLE) -> str:
    return clip(article.title, limit)


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
        f"date: {clip(article.published, 64)}\n"
        f"authors: {clip(', '.join(article.authors) if article.authors else None, 200)}\n"
        f"id: `{article.article_id}`\n"
        f"link: {link(article.url, 300)}"
    )
    return line if dlen(line) <= limit else shorten(line, limit)


# -- embed sizing -------------------------------------------------------------------------


def embed_size(embed: discord.Embed) -> int:
    total = dlen(embed.title) + dlen(embed.description)
    total += sum(dlen(f.name) + dlen(f.value) for f in embed.fields)
    total += dlen(embed.footer.text) if embed.footer else 0
    total += dlen(embed.author.name) if embed.author else 0
    return total


def embed_problems(embed: discord.Embed) -> list[str]:
    """Every way ``embed`` breaks Discord's limits (empty when it fits)."""
    problems = []
    checks = [
        ("title", embed.title, L.EMBED_TITLE),
        ("description", embed.description, L.EMBED_DESCRIPTION),
        ("footer", embed.footer.text if embed.footer else None, L.EMBED_FOOTER),
        ("author", embed.author.name if embed.author else None, L.EMBED_AUTHOR),
    ]
    for name, value, limit in checks:
        if dlen(value) > limit:
            problems.append(f"{name} has {dlen(value)} > {limit}")
    if len(embed.fields) > L.EMBED_FIELDS:
        problems.append(f"{len(embed.fields)} fields > {L.EMBED_FIELDS}")
    for i, f in enumerate(embed.fields):
        if not f.name or dlen(f.name) > L.EMBED_FIELD_NAME:
            problems.append(f"field {i} name has {dlen(f.name)} characters")
        if not f.value or dlen(f.value) > L.EMBED_FIELD_VALUE:
            problems.append(f"field {i} value has {dlen(f.value)} characters")
    if embed_size(embed) > L.EMBED_TOTAL:
        problems.append(f"embed total {embed_size(embed)} > {L.EMBED_TOTAL}")
    if embed.url and dlen(embed.url) > L.EMBED_URL:
        problems.append("url too long")
    return problems


def message_problems(content: str | None, embeds: Sequence[discord.Embed]) -> list[str]:
    problems = []
    if dlen(content) > L.MESSAGE_CONTENT:
        problems.append(f"content has {dlen(content)} > {L.MESSAGE_CONTENT}")
    if len(embeds) > L.EMBEDS_PER_MESSAGE:
        problems.append(f"{len(embeds)} embeds > {L.EMBEDS_PER_MESSAGE}")
    total = sum(embed_size(e) for e in embeds)
    if total > L.EMBED_TOTAL:
        problems.append(f"embeds total {total} > {L.EMBED_TOTAL}")
    for i, e in enumerate(embeds):
        problems.extend(f"embed {i}: {p}" for p in embed_problems(e))
    return problems


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

    Each page's content is ``header`` plus "page i/n" when there is more than one page.
    """
    groups: list[list[discord.Embed]] = []
    current: list[discord.Embed] = []
    size = 0
    for embed in embeds:
        n = embed_size(embed)
        if current and (len(current) >= min(per_page, L.EMBEDS_PER_MESSAGE) or size + n > L.EMBED_TOTAL):
            groups.append(current)
            current, size = [], 0
        current.append(embed)
        size += n
    if current or not groups:
        groups.append(current)
    pages = []
    for i, group in enumerate(groups):
        counter = f"page {i + 1}/{len(groups)}" if len(groups) > 1 else ""
        pages.append(Page(content_line(header or "", counter) or None, group))
    return pages


# -- errors ------------------------------------------------------------------------------


def error_text(message: str) -> str:
    """A short error line (sent ephemerally when Discord allows)."""
    first = " ".join(str(message).split()) or "something went wrong"
    return shorten("⚠️ " + escape(first), 400)


# -- sources / search ----------------------------------------------------------------------


def _date_key(article: Article) -> tuple[int, str]:
    return (0, article.published) if article.published else (1, "")


def order_hits(hits: Sequence[SourceHit]) -> list[SourceHit]:
    """Grouped by outlet; outlets ordered by their earliest article; earliest first inside."""
    rank = {id(h): i for i, h in enumerate(hits)}
    groups: dict[str, list[SourceHit]] = {}
    for h in hits:
        groups.setdefault((h.article.outlet or "").casefold(), []).append(h)
    for members in groups.values():
        members.sort(key=lambda h: (_date_key(h.article), rank[id(h)]))

    def group_key(item: tuple[str, list[SourceHit]]):
        outlet, members = item
        return (outlet == "", _date_key(members[0].article), min(rank[id(h)] for h in members))

    return [h for _, members in sorted(groups.items(), key=group_key) for h in members]


def hit_embed(h: SourceHit) -> discord.Embed:
    a = h.article
    embed = discord.Embed(
        title=title_of(a),
        url=embed_url(a.url),
        description=quote_block(h.quote.text, L.EMBED_DESCRIPTION - 200),
        colour=outlet_colour(a.outlet),
    )
    embed.set_author(name=outlet_of(a))
    embed.add_field(name="date", value=date_of(a), inline=True)
    embed.add_field(name="match", value=h.match, inline=True)
    if h.reported:
        embed.add_field(name="reported", value=REPORTED_FIELD, inline=True)
    if h.role != "body":
        embed.add_field(name="passage", value=h.role, inline=True)
    embed.add_field(name="authors", value=authors_of(a, 300), inline=True)
    embed.add_field(name="link", value=link(a.url, 600), inline=False)
    embed.set_footer(text=f"article {a.article_id} · characters {h.quote.start}–{h.quote.end}")
    return embed


# Fixed words for a hit whose matching words are quoted or attributed (index/reported.py).
REPORTED_FIELD = "quoted or attributed: the outlet reports these words"


def sources_pages(result: SourcesResult, *, label: str = "sources", per_page: int = HITS_PER_PAGE) -> list[Page]:
    query = shorten(" ".join(result.query.split()), 300)
    hits = order_hits(result.results)
    # The fixed found / not-found words lead the message; each embed names its label, so
    # a related passage is shown as related.
    verdict = " ".join(result.verdict_lines()) if label == "sources" else ""
    outlets = len({(h.article.outlet or "").casefold() for h in hits})
    header = content_line(f"**{label}**", f"“{escape(query)}”", f"{len(hits)} passages", f"{outlets} outlets")
    if verdict:
        header = shorten(f"**{verdict}**\n{header}", L.MESSAGE_CONTENT)
    if not hits:
        empty = content_line(f"**{label}**", f"“{escape(query)}”", "0 passages")
        return [Page(shorten(f"**{verdict}**\n{empty}", L.MESSAGE_CONTENT) if verdict else empty, [])]
    return paginate([hit_embed(h) for h in hits], per_page=per_page, header=header)


# -- articles --------------------------------------------------------------------------------


def article_field(a: Article) -> tuple[str, str]:
    name = shorten(title_of(a, 200), L.EMBED_FIELD_NAME)
    value = byline(a) + f"\npassages: {a.passages}"
    return name, shorten(value, L.EMBED_FIELD_VALUE)


def article_pages(article: Article, opening: Quote | None) -> list[Page]:
    embed = discord.Embed(title=title_of(article), url=embed_url(article.url), colour=outlet_colour(article.outlet))
    embed.set_author(name=outlet_of(article))
    if opening is not None:
        embed.description = quote_block(opening.text, 3000)
    embed.add_field(name="date", value=date_of(article), inline=True)
    embed.add_field(name="authors", value=authors_of(article, 500), inline=True)
    embed.add_field(name="passages", value=str(article.passages), inline=True)
    embed.add_field(name="characters", value=str(article.chars), inline=True)
    embed.add_field(name="added", value=clip(article.added_at, 64), inline=True)
    embed.add_field(name="file", value=clip(article.source_name, 200), inline=True)
    embed.add_field(name="link", value=link(article.url, 600), inline=False)
    footer = f"article {article.article_id}"
    if opening is not None:
        footer += f" · opening passage, characters {opening.start}–{opening.end}"
    embed.set_footer(text=footer)
    return [Page(None, [embed])]


def articles_page(articles: Sequence[Article], *, page: int, has_next: bool, outlet: str | None) -> Page:
    label = f"outlet: {clip(outlet, 200)}" if outlet else "all outlets"
    if not articles:
        return Page(content_line("**articles**", label, f"page {page + 1}", "0 articles"), [])
    packer = EmbedPacker("Articles", max_size=5500)
    for a in articles:
        name, value = article_field(a)
        packer.add_field(name, value)
    first = page * ARTICLES_PER_PAGE + 1
    counter = f"{first}–{first + len(articles) - 1}" + ("" if has_next else " (end)")
    embeds = packer.embeds
    while sum(embed_size(e) for e in embeds) > L.EMBED_TOTAL or len(embeds) > L.EMBEDS_PER_MESSAGE:
        embeds = embeds[:-1]  # cannot happen with 10 articles of <= ~1280 characters; defensive
    return Page(content_line("**articles**", label, f"page {page + 1}", counter), embeds)


# -- ingest ----------------------------------------------------------------------------------


STATUS_EMOJI = {"added": "✅", "duplicate": "⚠️", "rejected": "❌"}


def ingest_status_emoji(results: Sequence[IngestResult]) -> str:
    statuses = {r.status for r in results}
    if not statuses or statuses == {"rejected"}:
        return STATUS_EMOJI["rejected"]
    if statuses == {"added"}:
        return STATUS_EMOJI["added"]
    return STATUS_EMOJI["duplicate"]


def ingest_field(r: IngestResult) -> tuple[str, str]:
    name = shorten(f"{STATUS_EMOJI.get(r.status, '')} {r.status} · {clip(r.path, 200)}", L.EMBED_FIELD_NAME)
    if r.status == "rejected":
        value = "reason: " + escape(" ".join((r.error or UNKNOWN).split()))
    elif r.article is not None:
        a = r.article
        prefix = f"duplicate of: `{r.duplicate_of}`\n" if r.status == "duplicate" else ""
        value = prefix + f"title: {title_of(a, 300)}\n" + byline(a, 700) + f"\npassages: {a.passages}"
    else:
        value = f"id: `{r.article_id or r.duplicate_of or UNKNOWN}`"
    return name, shorten(value, L.EMBED_FIELD_VALUE)


def ingest_pages(results: Sequence[IngestResult]) -> list[Page]:
    counts = {s: sum(1 for r in results if r.status == s) for s in ("added", "duplicate", "rejected")}
    colour = COLOR_OK if counts["rejected"] == 0 and counts["duplicate"] == 0 else (
        COLOR_ERROR if counts["added"] == 0 and counts["duplicate"] == 0 else COLOR_WARN)
    packer = EmbedPacker("Upload", colour=colour, max_size=5500)
    if not results:
        packer.current.description = "0 files"
    for r in results:
        packer.add_field(*ingest_field(r))
    header = content_line("**upload**", *(f"{counts[s]} {s}" for s in counts))
    return paginate(packer.embeds, per_page=1, header=header)


# -- compare -----------------------------------------------------------------------------------


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _article_header_field(tag: str, a: Article) -> tuple[str, str, bool]:
    return (shorten(f"{tag} · {title_of(a, 200)}", L.EMBED_FIELD_NAME), byline(a), True)


def _reuse_text(reuse: Any) -> str:
    lines = []
    for key, label in (("b_from_a", "B from A"), ("a_from_b", "A from B")):
        line = f"{label}: {percent(_get(reuse, key))}"
        verbatim, reworded = _get(reuse, key + "_verbatim"), _get(reuse, key + "_reworded")
        if isinstance(verbatim, (int, float)) and isinstance(reworded, (int, float)):
            line += f" (verbatim {percent(verbatim)}, reworded {percent(reworded)})"
        lines.append(line)
    return "\n".join(lines)


QUOTE_SLOT = 900  # a quote in a field value, leaving room for nothing else


def compare_pages(result: Any) -> list[Page]:
    a: Article = _get(result, "a")
    b: Article = _get(result, "b")
    pairs = list(_get(result, "pairs", []) or [])
    only_a = list(_get(result, "only_a", []) or [])
    only_b = list(_get(result, "only_b", []) or [])
    changes = list(_get(result, "quote_changes", []) or [])
    reuse = _get(result, "reuse", {}) or {}
    ta, tb = f"A {short_id(a.article_id)}", f"B {short_id(b.article_id)}"

    kinds = [str(_get(p, "kind", "")) for p in pairs]
    head = discord.Embed(title="Compare", colour=COLOR_DEFAULT)
    for tag, art in ((ta, a), (tb, b)):
        head.add_field(name=_article_header_field(tag, art)[0], value=byline(art), inline=True)
    head.add_field(name="reuse", value=_reuse_text(reuse), inline=False)
    counts = [("verbatim", kinds.count("verbatim")), ("reworded", kinds.count("reworded")),
              ("only in A", len(only_a)), ("only in B", len(only_b)), ("changed quotes", len(changes))]
    for label, n in counts:
        head.add_field(name=label, value=str(n), inline=True)
    head.set_footer(text=f"A = {a.article_id} · B = {b.article_id}")
    embeds = [head]

    def pair_section(title: str, items: Sequence[Any], kind_of) -> None:
        if not items:
            return
        packer = EmbedPacker(title, max_size=5000)
        for p in items:
            qa, qb = _get(p, "a"), _get(p, "b")
            sim = _get(p, "similarity")
            label = str(kind_of(p)) + (f" · {sim:.2f}" if isinstance(sim, (int, float)) else "")
            packer.add_group([
                (f"{ta} · characters {qa.start}–{qa.end}", quote_block(qa.text, QUOTE_SLOT), True),
                (f"{tb} · characters {qb.start}–{qb.end}", quote_block(qb.text, QUOTE_SLOT), True),
                ("match", clip(label, 100), True),
            ])
        embeds.extend(packer.embeds)

    def single_section(title: str, tag: str, quotes: Sequence[Quote]) -> None:
        if not quotes:
            return
        packer = EmbedPacker(title, max_size=5000)
        for q in quotes:
            packer.add_field(f"{tag} · characters {q.start}–{q.end}", quote_block(q.text, QUOTE_SLOT))
        embeds.extend(packer.embeds)

    verbatim = [p for p in pairs if _get(p, "kind") == "verbatim"]
    reworded = [p for p in pairs if _get(p, "kind") != "verbatim"]
    pair_section("Verbatim", verbatim, lambda p: _get(p, "kind", "verbatim"))
    pair_section("Reworded", reworded, lambda p: _get(p, "kind", "reworded"))
    pair_section("Changed quotes", changes, lambda p: _get(p, "kind", "changed"))
    single_section("Only in A", ta, only_a)
    single_section("Only in B", tb, only_b)
    return paginate(embeds, per_page=3, header="**compare**")


# -- lineage -----------------------------------------------------------------------------------


def lineage_pages(result: Any) -> list[Page]:
    article: Article = _get(result, "article")
    origin = _get(result, "origin")
    related = list(_get(result, "related", []) or [])
    role = _get(result, "role")
    parent = _get(result, "derived_from")
    head = discord.Embed(title=title_of(article), url=embed_url(article.url), colour=outlet_colour(article.outlet))
    head.set_author(name=outlet_of(article))
    head.add_field(name="date", value=date_of(article), inline=True)
    head.add_field(name="role", value=clip(role, 64), inline=True)
    head.add_field(name="origin", value=f"`{origin}`" if origin else UNKNOWN, inline=True)
    if parent:
        head.add_field(name="derived from", value=f"`{parent}`", inline=True)
        head.add_field(name="reuse from parent", value=percent(_get(result, "reuse_from_parent")), inline=True)
    head.add_field(name="related articles", value=str(len(related)), inline=True)
    head.set_footer(text=f"article {article.article_id}")
    packer = EmbedPacker("Lineage", max_size=5000)
    if not related:
        packer.current.description = "0 related articles"
    for item in related:
        other: Article = _get(item, "article")
        relation = str(_get(item, "relation", UNKNOWN))
        name = shorten(f"{relation} · {title_of(other, 200)}", L.EMBED_FIELD_NAME)
        lines = [byline(other, 700), f"reuse of this article's text: {_share(_get(item, 'reuse'))}"]
        if _get(item, "reuse_of_query") is not None:
            lines.append(f"reuse of the queried article's text: {_share(_get(item, 'reuse_of_query'))}")
        if _get(item, "derived_from"):
            lines.append(f"derived from: `{_get(item, 'derived_from')}`")
        packer.add_field(name, shorten("\n".join(lines), L.EMBED_FIELD_VALUE))
    return paginate([head, *packer.embeds], per_page=3, header="**lineage**")


def _share(value: Any) -> str:
    return percent(value) if isinstance(value, (int, float)) or value is None else clip(str(value), 100)


# -- help --------------------------------------------------------------------------------------


def help_pages(entries: Iterable[tuple[str, str]]) -> list[Page]:
    packer = EmbedPacker("sourcedesk commands", max_size=5500,
                         footer="Answers are exact quotes from stored articles, with outlet, date and link.")
    for usage, description in entries:
        packer.add_field(shorten(usage, L.EMBED_FIELD_NAME), shorten(description or BLANK, L.EMBED_FIELD_VALUE))
    return paginate(packer.embeds, header="**help**")


# -- digest ------------------------------------------------------------------------------------

DIGEST_QUOTE_SLOT = 600  # a quote of a flag, side by side with its counterpart
DIGEST_LEAD_SLOT = 1500
DIGEST_EXTRA_QUOTES = 3  # differing words / attribution phrases shown per side
FLAG_LABELS = {
    "derived": "derived",
    "attribution_changed": "attribution changed",
    "quote_altered": "quote altered",
    "wording_changed": "wording changed",
    "single_source": "single source",
    "undated": "undated",
    "unknown_outlet": "unknown outlet",
}
SINGLE_SOURCE_BASIS = {"one_article": "one article", "one_outlet": "one outlet", "all_derived": "all derived from the origin"}
NO_NEW_ARTICLES = "no new articles"
NONE = "none"  # a side of a quote change with no such words


def moment_text(moment: Any, tz: Any = None) -> str:
    """A UTC datetime as "YYYY-MM-DD HH:MM <zone>" in ``tz`` (a tzinfo; None: UTC)."""
    if moment is None:
        return UNKNOWN
    from datetime import timezone as _timezone

    zone = tz or _timezone.utc
    local = moment.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {escape(str(getattr(zone, 'key', None) or local.tzname() or 'UTC'))}"


def _flag_label(kind: str) -> str:
    return FLAG_LABELS.get(kind, clip(kind, 64))


def _article_ref(article_id: str | None, articles: dict[str, Article], limit: int = 150) -> str:
    if not article_id:
        return UNKNOWN
    found = articles.get(article_id)
    return f"`{article_id}` · {title_of(found, limit)}" if found is not None else f"`{article_id}`"


def _id_lines(ids: Sequence[str], articles: dict[str, Article], limit: int = L.EMBED_FIELD_VALUE) -> str:
    lines: list[str] = []
    for n, aid in enumerate(ids):
        line = _article_ref(aid, articles, 120)
        more = f"+{len(ids) - n} more"
        if dlen("\n".join([*lines, line, more])) > limit:
            lines.append(more)
            break
        lines.append(line)
    return "\n".join(lines) or UNKNOWN


def _quotes_value(quotes: Sequence[Quote]) -> str:
    """Up to DIGEST_EXTRA_QUOTES quotes, each its own block quote, within a field value."""
    shown = list(quotes)[:DIGEST_EXTRA_QUOTES]
    slot = (L.EMBED_FIELD_VALUE - 2 * len(shown)) // max(1, len(shown))
    return "\n\n".join(quote_block(q.text, slot) for q in shown)


def digest_flag_fields(flag: Any, articles: dict[str, Article]) -> list[tuple[str, str, bool]]:
    """The fields of one digest flag (index/digest.py's vocabulary), kept together."""
    kind = str(_get(flag, "kind", UNKNOWN))
    label = _flag_label(kind)
    if kind == "derived":
        value = (f"article: {_article_ref(flag.article_id, articles)}\n"
                 f"from: {_article_ref(flag.from_article_id, articles)}\n"
                 f"reuse: {percent(flag.reuse)}")
        return [(f"flag · {label} · {short_id(flag.article_id)}", shorten(value, L.EMBED_FIELD_VALUE), False)]
    if kind in ("attribution_changed", "quote_altered", "wording_changed"):
        qa, qb = flag.a, flag.b
        # Inline pairs, each closed by a blank third column so the two sides share a row.
        fields = [
            (f"flag · {label} · parent {qa.article_id} · characters {qa.start}–{qa.end}",
             quote_block(qa.text, DIGEST_QUOTE_SLOT), True),
            (f"flag · {label} · rewrite {qb.article_id} · characters {qb.start}–{qb.end}",
             quote_block(qb.text, DIGEST_QUOTE_SLOT), True),
            (BLANK, BLANK, True),
        ]
        extras = (("differing words", tuple(flag.detail_a), tuple(flag.detail_b)),
                  ("attribution", tuple(q for q in (flag.attribution_a,) if q is not None),
                   tuple(q for q in (flag.attribution_b,) if q is not None)))
        for name, side_a, side_b in extras:
            if side_a or side_b:
                fields.append((f"{name} · parent {qa.article_id}", _quotes_value(side_a) if side_a else NONE, True))
                fields.append((f"{name} · rewrite {qb.article_id}", _quotes_value(side_b) if side_b else NONE, True))
                fields.append((BLANK, BLANK, True))
        return fields
    if kind == "single_source":
        basis = SINGLE_SOURCE_BASIS.get(flag.basis, clip(flag.basis, 64))
        value = f"basis: {basis}\narticle: {_article_ref(flag.article_id, articles)}"
        if flag.outlet:
            value += f"\noutlet: {clip(flag.outlet, 200)}"
        return [(f"flag · {label}", shorten(value, L.EMBED_FIELD_VALUE), False)]
    ids = list(_get(flag, "article_ids", ()) or ())
    return [(f"flag · {label}", _id_lines(ids, articles), False)]


def digest_story_embeds(story: Any, number: int, total: int) -> list[discord.Embed]:
    """One story: its articles in the given order (origin first), the lead quote, its flags."""
    articles = list(story.articles)
    by_id = {a.article_id: a for a in articles}
    first = articles[0]
    lead = story.lead
    packer = EmbedPacker(
        f"story {number}/{total} · {title_of(first, 200)}",
        colour=outlet_colour(first.outlet),
        description=quote_block(lead.text, DIGEST_LEAD_SLOT),
        footer=f"story {story.story_id} · lead: article {lead.article_id} · characters {lead.start}–{lead.end}",
        max_size=4500,
    )
    head = packer.current
    head.url = embed_url(first.url)
    outlets = " · ".join(clip(o, 80) for o in story.outlets) or UNKNOWN
    head.set_author(name=shorten(outlets, L.EMBED_AUTHOR))
    packer.add_group([
        ("articles", str(max(story.size, len(articles))), True),
        ("new", str(len(story.new)), True),
        ("origin", f"`{story.origin}`" if story.origin else UNKNOWN, True),
    ])
    for n, a in enumerate(articles, 1):
        relation = story.relations.get(a.article_id) or "single"
        fresh = "new" if a.article_id in story.new else "earlier"
        name = shorten(f"{n}. {clip(relation, 32)} · {fresh} · {title_of(a, 200)}", L.EMBED_FIELD_NAME)
        value = byline(a, 800)
        parent = story.derived_from.get(a.article_id)
        if parent:
            value += f"\nderived from: `{parent}`"
        packer.add_field(name, shorten(value, L.EMBED_FIELD_VALUE))
    if len(articles) < story.size:
        packer.add_field("articles not listed", str(story.size - len(articles)))
    for flag in story.flags:
        packer.add_group(digest_flag_fields(flag, by_id))
    if story.flags_omitted:
        packer.add_field("flags omitted", str(story.flags_omitted))
    return packer.embeds


def digest_pages(result: Any, *, heading: str = "digest", tz: Any = None, late: str | None = None) -> list[Page]:
    """A DigestResult as messages: a header line (window, counts, "late: …" when late),
    then each story's embeds, split across messages within Discord's limits.

    With no new article it is one short line ending "no new articles"."""
    parts = [f"**{escape(heading)}**", escape(late) if late else "",
             f"{moment_text(result.since, tz)} – {moment_text(result.until, tz)}"]
    stories = list(result.stories)
    if not stories:
        return [Page(content_line(*parts, NO_NEW_ARTICLES), [])]
    counts = [f"{result.new_articles} new articles", f"{len(stories)} stories"]
    if result.stories_omitted:
        counts.append(f"{result.stories_omitted} stories not shown")
    embeds = [e for n, s in enumerate(stories, 1) for e in digest_story_embeds(s, n, len(stories))]
    return paginate(embeds, header=content_line(*parts, *counts))
