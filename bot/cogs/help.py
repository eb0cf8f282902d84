"""/help: the commands, as registered in the command tree, with their descriptions."""
from __future__ import annotations

import discord
from discord import app_commands

from ..common import BaseCog
from ..render.help import help_pages, start_embed


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


class HelpCog(BaseCog):
    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction) -> None:
        """How to start: what to upload, what to ask, what the labels mean; then every command."""
        entries = command_entries(self.bot.tree)
        entries.append((f"#{self.settings.inbox_channel} (channel)",
                        "Post files there: each attachment is stored; the bot reacts and replies in a thread."))
        stats = await self.engine(interaction, lambda e: e.stats(), quick=True)
        here = [start_embed(self.settings.inbox_channel, stats)]
        digest = self.bot.get_cog("DigestCog")
        if digest is not None:  # everyone may see when the digest runs; managers change it
            here.append(await digest.status_embed_for(interaction.guild_id))
        await self.send_pages(interaction, help_pages(entries, lead=here), ephemeral=True)
