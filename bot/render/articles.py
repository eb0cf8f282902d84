"""Discord pages for /article, /articles, upload receipts and metadata corrections (/edit,
"Apply metadata"), typed from their result objects; primitives come from ``primitives``."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

import discord

from index import Article, EditResult, IngestResult, Quote, SourcingProfile, count, is_titled, repost_notes

from . import limits as L
from .credits import sourcing_lines
from .primitives import (
    ARTICLES_PER_PAGE,
    COLOR_DEFAULT,
    COLOR_ERROR,
    COLOR_OK,
    COLOR_WARN,
    UNKNOWN,
    EmbedPacker,
    Page,
    article_line,
    authors_of,
    clip,
    content_line,
    day,
    embed_url,
    escape,
    line_chunks,
    link,
    name_of,
    outlet_colour,
    outlet_name,
    paginate,
    quote_block,
    short_id,
    shorten,
    stamp_text,
)

# -- articles --------------------------------------------------------------------------------


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


def article_pages(article: Article, opening: Quote | None, tz: tzinfo | None = None,
                  sourcing: SourcingProfile | None = None) -> list[Page]:
    """/article: the article's name, then one line of who and when, its opening passage, and
    what else is known (added: a date-time in the server's time zone ``tz``; what its
    statements rest on, ``sourcing``)."""
    embed = discord.Embed(title=name_of(article), url=embed_url(article.url), colour=outlet_colour(article.outlet))
    # an untitled article's name is its outlet and date when both are known; otherwise the
    # line says which is unknown ("outlet unknown · undated")
    if is_titled(article) or not (article.outlet and article.published):
        embed.set_author(name=shorten(f"{outlet_name(article, 200)} · {day(article.published)}", L.EMBED_AUTHOR))
    if opening is not None:
        embed.description = quote_block(opening.text, 3000)
    embed.add_field(name="authors", value=authors_of(article, 500), inline=True)
    embed.add_field(name="passages", value=str(article.passages), inline=True)
    embed.add_field(name="added", value=stamp_text(article.added_at, tz), inline=True)
    embed.add_field(name="file", value=clip(article.source_name, 200), inline=True)
    embed.add_field(name="link", value=link(article.url, 600), inline=False)
    rests_on = sourcing_lines(sourcing, "") if sourcing is not None else []
    if rests_on:
        embed.add_field(name="sourcing", value=shorten(rests_on[0], L.EMBED_FIELD_VALUE), inline=False)
    footer = f"article {short_id(article.article_id)}" + (" · opening passage" if opening is not None else "")
    embed.set_footer(text=footer)
    return [Page(None, [embed])]


def articles_page(articles: Sequence[Article], *, page: int, has_next: bool, outlet: str | None) -> Page:
    """/articles: one line an article (outlet · date · title · short id), newest first."""
    label = f"outlet: {clip(outlet, 200)}" if outlet else "all outlets"
    if not articles:
        return Page(content_line("**articles**", label, f"page {page + 1}", "0 articles"), [])
    first = page * ARTICLES_PER_PAGE + 1
    counter = f"{first}–{first + len(articles) - 1}" + ("" if has_next else " (end)")
    lines = [shorten(article_line(a), 400) for a in articles]
    [text] = line_chunks(lines)  # ten lines of at most 400 characters
    embed = discord.Embed(title="Articles, newest first", colour=COLOR_DEFAULT, description=text)
    return Page(content_line("**articles**", label, f"page {page + 1}", counter), [embed])


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
    """A file's line in an upload receipt: the article in one line (outlet · date · title ·
    short id), then what else is known or missing (to fix with /edit)."""
    name = shorten(f"{STATUS_EMOJI.get(r.status, '')} {r.status} · {clip(r.path, 200)}", L.EMBED_FIELD_NAME)
    if r.status == "rejected":
        value = "reason: " + escape(" ".join((r.error or UNKNOWN).split()))
    elif r.article is not None:
        a = r.article
        prefix = f"duplicate of: `{short_id(r.duplicate_of or a.article_id)}`\n" if r.status == "duplicate" else ""
        known = [f"by {authors_of(a, 200)}" if a.authors else "authors unknown",
                 "" if is_titled(a) else "title unknown",
                 f"link: {link(a.url, 300)}" if a.url else "link unknown", count(a.passages, "passage")]
        value = prefix + article_line(a, title_limit=300) + "\n" + " · ".join(k for k in known if k)
    else:
        shown = r.article_id or r.duplicate_of
        value = f"`{short_id(shown)}`" if shown else UNKNOWN
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
    header = content_line("**upload**", f"{counts['added']} added", count(counts["duplicate"], "duplicate"),
                          f"{counts['rejected']} rejected")
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
    embed.set_footer(text=f"article {short_id(a.article_id)}")
    head = content_line("✏️ **edited**", f"`{short_id(a.article_id)}`",
                        f"{count(len(result.changes), 'field')} changed", f"by {clip(editor, 100)}" if editor else "")
    return [Page(head, [embed])]


def offers_text(offers: Sequence[tuple[Article, dict[str, str | list[str]]]]) -> str:
    """What duplicates brought that their stored articles lack, for the "Apply metadata" offer."""
    lines = ["⚠️ **duplicate with new metadata** · the stored article does not have:"]
    for a, values in offers:
        fields = " · ".join(f"{k}: {field_value(v, 150)}" for k, v in values.items())
        lines.append(f"`{short_id(a.article_id)}` {name_of(a, 150)} · {fields}")
    lines.append("**Apply metadata** fills these unknown fields (managers and the article's uploader).")
    return shorten("\n".join(lines), L.MESSAGE_CONTENT)
