"""/help: short. How to start (what to upload, what to ask), what the labels mean, this
server's state, then every command in one line; ``/help command:NAME`` shows one command
with its options."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import discord

from index import count

from . import limits as L
from .primitives import COLOR_DEFAULT, Page, escape, line_chunks, paginate, shorten

# A newsroom's first five minutes: what to upload, what to ask, what the labels mean. Fixed
# product text, like the command descriptions; answers themselves never hold such sentences.
START = [
    ("Add articles",
     "`/upload file` (.txt, .md, .html, .pdf, .docx, or .jsonl with one article a line), or drop files "
     "in #{inbox} · `/upload url` a page by its link · `/feeds add` follow a feed (managers). Wrong "
     "metadata? `/edit article`."),
    ("Ask",
     "`/sources claim` who states it, first outlet first · `/search text` exact words · right-click a "
     "message → Apps → **Find sources** · `/compare a b` what a version changed · `/lineage article` "
     "who came first · `/watch add claim` new articles stating it, posted here."),
    ("The labels",
     "**verbatim** the claim's words · **close** the claim in other words · **related** same subject, "
     "does not state it · **says the opposite** the other side of the same statement · "
     "**quoted**/**credited**/**disputed** a speaker's words, another outlet's report, given to be denied · "
     "**headline**, **standfirst**, **caption** where the passage sits. Every quote is exact; unknown metadata is "
     "marked unknown, never guessed."),
]
MORE = "Options of a command: `/help command:NAME`."


@dataclass(frozen=True)
class CommandHelp:
    """A command as /help shows it: ``name`` (what ``/help command:`` takes), its usage
    line, description and options (name, description, required)."""

    name: str
    usage: str
    description: str
    options: Sequence[tuple[str, str, bool]] = ()


def help_pages(commands: Sequence[CommandHelp], *, inbox_channel: str, stats: dict, digest: str) -> list[Page]:
    """/help: how to start and the labels, this server's state (articles, passages, the
    digest), then every command in one line."""
    embed = discord.Embed(title="sourcedesk: start here", colour=COLOR_DEFAULT)
    for name, text in START:
        embed.add_field(name=name, value=text.format(inbox=escape(inbox_channel)), inline=False)
    embed.add_field(name="This server", inline=False, value=shorten(
        f"{count(stats['articles'], 'article')} · {count(stats['passages'], 'passage')} · {digest}",
        L.EMBED_FIELD_VALUE))
    lines = [shorten(f"`{c.usage}` {c.description}", 300) for c in commands]
    embeds = [embed]
    for n, text in enumerate(line_chunks([*lines, MORE], 3500)):
        embeds.append(discord.Embed(title="Commands" if n == 0 else "Commands (continued)", colour=COLOR_DEFAULT,
                                    description=text))
    return paginate(embeds)


def command_page(command: CommandHelp) -> Page:
    """``/help command:NAME``: the usage, the description, each option on a line."""
    lines = [command.description]
    lines += [f"• **{name}**{'' if required else ' (optional)'}: {text}" for name, text, required in command.options]
    [text, *_] = line_chunks(lines, 3900)  # a command has at most 25 options of 100 characters
    return Page(None, [discord.Embed(title=shorten(command.usage, L.EMBED_TITLE), colour=COLOR_DEFAULT,
                                     description=text)])
