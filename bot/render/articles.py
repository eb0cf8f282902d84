"""Discord pages for /article, /articles, upload receipts and metadata corrections (/edit,
"Apply metadata"), typed from their result objects; primitives come from ``primitives``."""
from __future__ import annotations

from collections.abc import Sequence

import discord

from index import Article, EditResult, IngestResult, Quote, repost_notes

from . import limits as L
from .primitives import (
    ARTICLES_PER_PAGE,
    COLOR_ERROR,
    COLOR_OK,
    COLOR_WARN,
    UNKNOWN,
    EmbedPacker,
    Page,
    authors_of,
    byline,
    clip,
    content_line,
    date_of,
    embed_size,
    embed_url,
    escape,
    link,
    name_of,
    outlet_colour,
    outlet_of,
    paginate,
    quote_block,
    short_id,
    shorten,
    title_of,
)

# -- articles --------------------------------------------------------------------------------


def article_field(a: Article) -> tuple[str, str]:
    name = shorten(name_of(a, 200), L.EMBED_FIELD_NAME)
    value = byline(a) + f"\npassages: {a.passages}"
    return name, shorten(value, L.EMBED_FIELD_VALUE)


def opening_passage(article: Article, passages: Sequence[Quote], roles: Sequence[str] = ()) -> Quote | None:
    """The first passage of the body: not the headline or standfirst (shown as the title
    already), nor a passage that only repeats the title; the first passage when all are."""
    title = " ".join((article.title or "").split()).casefold()
    for n, q in enumerate(passages):
        role = roles[n] if n < len(roles) else "body"
        if role in ("headline", "standfirst") or (title and " ".join(q.text.split()).casefold() == title):
            continue
        return q
    return passages[0] if passages else None


def article_pages(article: Article, opening: Quote | None) -> list[Page]:
    embed = discord.Embed(title=name_of(article), url=embed_url(article.url), colour=outlet_colour(article.outlet))
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
    # a .jsonl with bad lines: which lines, and how to re-post them (fixed words)
    notes = [escape(n) for n in repost_notes(results)]
    if notes:
        header = shorten("\n".join([header, *notes]), L.MESSAGE_CONTENT - 20)  # room for "page i/n"
    return paginate(packer.embeds, per_page=1, header=header)


# -- metadata corrections (/edit, "Apply metadata") ------------------------------------------


def field_value(value: str | list[str] | tuple[str, ...] | None, limit: int = 300) -> str:
    """A metadata value as shown in a change: authors joined, None / [] as "unknown"."""
    if isinstance(value, (list, tuple)):
        value = ", ".join(value) if value else None
    return clip(value, limit)


def edit_pages(result: EditResult, editor: str | None = None) -> list[Page]:
    """The article and each change, old → new."""
    a = result.article
    embed = discord.Embed(title=name_of(a), url=embed_url(a.url), colour=outlet_colour(a.outlet))
    for c in result.changes:
        embed.add_field(name=c.field, value=f"{field_value(c.old)} → {field_value(c.new)}", inline=False)
    embed.set_footer(text=f"article {a.article_id}")
    head = content_line("✏️ **edited**", f"`{short_id(a.article_id)}`", f"{len(result.changes)} fields",
                        f"by {clip(editor, 100)}" if editor else "")
    return [Page(head, [embed])]


def offers_text(offers: Sequence[tuple[Article, dict[str, str | list[str]]]]) -> str:
    """What duplicates brought that their stored articles lack, for the "Apply metadata" offer."""
    lines = ["⚠️ **duplicate with new metadata** · the stored article does not have:"]
    for a, values in offers:
        fields = " · ".join(f"{k}: {field_value(v, 150)}" for k, v in values.items())
        lines.append(f"`{short_id(a.article_id)}` {name_of(a, 150)} · {fields}")
    lines.append("**Apply metadata** fills these unknown fields (managers and the article's uploader).")
    return shorten("\n".join(lines), L.MESSAGE_CONTENT)
