"""/help: the commands, as registered in the command tree, with their descriptions."""
from __future__ import annotations

import discord
from discord import app_commands

from .. import render
from ..common import BaseCog


def command_entries(tree: app_commands.CommandTree) -> list[tuple[str, str]]:
    entries: list[tuple[str, str]] = []
    for command in sorted(tree.get_commands(), key=lambda c: (not isinstance(c, app_commands.Command), c.name)):
        if isinstance(command, app_commands.Command):
            usage = "/" + command.name + "".join(
                f" {p.display_name}" if p.required else f" [{p.display_name}]" for p in command.parameters)
            lines = [command.description]
            lines += [f"• {p.display_name}: {p.description}" for p in command.parameters]
            entries.append((usage, "\n".join(lines)))
        elif isinstance(command, app_commands.Group):
            for sub in command.walk_commands():
                entries.append((f"/{sub.qualified_name}", sub.description))
        elif isinstance(command, app_commands.ContextMenu):
            kind = "message" if command.type is discord.AppCommandType.message else "user"
            entries.append((f"{command.name} ({kind} menu: Apps → {command.name})",
                            "Runs /sources on the message's text."))
    return entries


# A newsroom's first five minutes: what to upload, what to ask, what the labels mean. Fixed
# product text, like the command descriptions; answers themselves never hold such sentences.
START = [
    ("1 · Add articles",
     "`/upload file` with a .txt, .md, .html, .pdf, .docx or .jsonl file (add `outlet`, `published`, `url` "
     "if the file does not say them), or drop files in #{inbox}. A .jsonl file holds one article per line: "
     '`{{"text": …, "title": …, "outlet": …, "published": "2026-01-12", "url": …, "authors": […]}}`. '
     "Wrong metadata? `/edit article`."),
    ("2 · Ask",
     "`/sources claim` — who states a claim, earliest first, with the exact quote, outlet, date and link.\n"
     "`/search text` — exact words (a name, a quotation).\n"
     "Right-click a message → Apps → **Find sources** — the same, as a reply to that message.\n"
     "`/compare a b` — what one version copied, reworded, dropped or changed in a quotation.\n"
     "`/lineage article` — which article came first and which rewrote it."),
    ("3 · What the labels mean",
     "**verbatim** the claim's words, in order · **close** the claim in other words · **related** same "
     "subject, does not state it · **reported** the outlet quotes or attributes the words · "
     "**headline**/**standfirst** where the passage sits. Everything shown is an exact quote from a stored "
     "article; unknown metadata is left out or marked unknown, never guessed."),
]


class HelpCog(BaseCog):
    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction) -> None:
        """How to start: what to upload, what to ask, what the labels mean; then every command."""
        entries = command_entries(self.bot.tree)
        entries.append((f"#{self.settings.inbox_channel} (channel)",
                        "Post files there: each attachment is stored; the bot reacts and replies in a thread."))
        start = discord.Embed(title="sourcedesk: start here", colour=render.COLOR_DEFAULT)
        for name, text in START:
            start.add_field(name=name, value=text.format(inbox=render.escape(self.settings.inbox_channel)),
                            inline=False)
        here = [start]
        if interaction.guild_id is not None:
            stats = await self.engine(interaction, lambda e: e.stats(), quick=True)
            start.set_footer(text=f"this server: {stats['articles']} articles · {stats['passages']} passages")
            digest = self.bot.get_cog("DigestCog")
            if digest is not None:  # everyone may see when the digest runs; managers change it
                here.append(await digest.status_embed_for(interaction.guild_id))
        await self.send_pages(interaction, render.help_pages(entries, lead=here), ephemeral=True)
