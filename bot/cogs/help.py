"""/help: how to start, the labels, this server's state and the commands in one line each;
``/help command:NAME`` shows one command's options (names from the command tree)."""
from __future__ import annotations

import discord
from discord import app_commands

from ..common import BaseCog
from ..render import limits as L
from ..render.help import CommandHelp, command_page, help_pages

MENU_HELP = "Runs /sources on the message's text; the card replies to the message."
INBOX_HELP = "Post files there: each attachment is stored; the bot reacts and replies in a thread."


def _usage(command: app_commands.Command) -> str:
    return "/" + command.qualified_name + "".join(
        f" {p.display_name}" if p.required else f" [{p.display_name}]" for p in command.parameters)


def command_help(tree: app_commands.CommandTree, inbox_channel: str) -> list[CommandHelp]:
    """Every command as the tree registers it (groups by their subcommands), the message
    menu, and the inbox channel."""
    out: list[CommandHelp] = []
    for command in sorted(tree.get_commands(), key=lambda c: (not isinstance(c, app_commands.Command), c.name)):
        if isinstance(command, app_commands.Group):
            subs = list(command.walk_commands())
        elif isinstance(command, app_commands.Command):
            subs = [command]
        else:  # a context menu
            out.append(CommandHelp(command.name, f"Apps → {command.name} (on a message)", MENU_HELP))
            continue
        out += [CommandHelp(c.qualified_name, _usage(c), c.description,
                            [(p.display_name, p.description, p.required) for p in c.parameters])
                for c in subs if isinstance(c, app_commands.Command)]
    out.append(CommandHelp("inbox", f"#{inbox_channel}", INBOX_HELP))
    return out


class HelpCog(BaseCog):
    @app_commands.command(name="help")
    @app_commands.describe(command="One command, to see its options")
    async def help(self, interaction: discord.Interaction, command: str | None = None) -> None:
        """Start here: what to upload and ask, the labels, this server, every command."""
        commands = command_help(self.bot.tree, self.settings.inbox_channel)
        if command:
            wanted = command.strip().lstrip("/").casefold()
            found = next((c for c in commands if c.name.casefold() == wanted), None)
            if found is None:
                await self.fail(interaction, f"no command named '{command[:100]}': /help lists them all")
                return
            page = command_page(found)
            await self.send_pages(interaction, [page], ephemeral=True)
            return
        stats = await self.engine(interaction, lambda e: e.stats(), quick=True)
        digest = self.bot.get_cog("DigestCog")
        state = await digest.status_line_for(interaction.guild_id) if digest is not None else ""
        await self.send_pages(interaction, help_pages(commands, inbox_channel=self.settings.inbox_channel,
                                                      stats=stats, digest=state), ephemeral=True)

    @help.autocomplete("command")
    async def _command(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        typed = (current or "").strip().lstrip("/").casefold()
        names = [c.name for c in command_help(self.bot.tree, self.settings.inbox_channel)]
        return [app_commands.Choice(name=n[: L.CHOICE_NAME], value=n[: L.CHOICE_VALUE])
                for n in names if typed in n.casefold()][: L.CHOICES]
