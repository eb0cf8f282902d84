"""/help: how to start (what to upload, what to ask, what the labels mean), this server's
numbers and digest, then every command as the command tree describes it."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import discord

from . import limits as L
from .primitives import BLANK, COLOR_DEFAULT, EmbedPacker, Page, escape, paginate, shorten

# A newsroom's first five minutes: what to upload, what to ask, what the labels mean. Fixed
# product text, like the command descriptions; answers themselves never hold such sentences.
START = [
    ("1 · Add articles",
     "`/upload file` with a .txt, .md, .html, .pdf, .docx or .jsonl file (add `outlet`, `published`, `url` "
     "if the file does not say them), `/upload url` with a link to fetch the page, `/feeds add` to follow a "
     "feed (managers), or drop files in #{inbox}. A .jsonl file holds one article per line: "
     '`{{"text": …, "title": …, "outlet": …, "published": "2026-01-12", "url": …, "authors": […]}}`. '
     "Wrong metadata? `/edit article`."),
    ("2 · Ask",
     "`/sources claim` — who states a claim, earliest first, with the exact quote, outlet, date and link.\n"
     "`/search text` — exact words (a name, a quotation).\n"
     "Right-click a message → Apps → **Find sources** — the same, as a reply to that message.\n"
     "`/compare a b` — what one version copied, reworded, dropped or changed in a quotation.\n"
     "`/lineage article` — which article came first and which rewrote it.\n"
     "`/watch add claim` — each new article that states the claim is posted here, quoted."),
    ("3 · What the labels mean",
     "**verbatim** the claim's words, in order · **close** the claim in other words · **related** same "
     "subject, does not state it · **reported** the outlet quotes or attributes the words · "
     "**headline**/**standfirst** where the passage sits. Everything shown is an exact quote from a stored "
     "article; unknown metadata is left out or marked unknown, never guessed."),
]


def start_embed(inbox_channel: str, stats: dict) -> discord.Embed:
    """How to start, with the server's article and passage counts in the footer."""
    start = discord.Embed(title="sourcedesk: start here", colour=COLOR_DEFAULT)
    for name, text in START:
        start.add_field(name=name, value=text.format(inbox=escape(inbox_channel)), inline=False)
    start.set_footer(text=f"this server: {stats['articles']} articles · {stats['passages']} passages")
    return start


def help_pages(entries: Iterable[tuple[str, str]], lead: Sequence[discord.Embed] = ()) -> list[Page]:
    """``lead`` (how to start, this server's digest) first, then every command."""
    packer = EmbedPacker("sourcedesk commands", max_size=5500,
                         footer="Answers are exact quotes from stored articles, with outlet, date and link.")
    for usage, description in entries:
        packer.add_field(shorten(usage, L.EMBED_FIELD_NAME), shorten(description or BLANK, L.EMBED_FIELD_VALUE))
    return paginate(list(lead) + packer.embeds, header="**help**")
