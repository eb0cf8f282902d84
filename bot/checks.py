"""Command checks, as RoboDanny's ``checks``: one decorator per rule, failures answered by the
tree's one error handler (``SourcedeskTree.on_error``) with the check's own message."""
from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from .permissions import describe_roles, is_manager

if TYPE_CHECKING:
    from . import SourcedeskBot

DM_REFUSAL = "sourcedesk works inside a server: use this in a server where the bot is installed."


class Refused(app_commands.CheckFailure):
    """A check that failed for a reason the user can act on; its message is shown as is."""


def manager_only(what: str):
    """Only managers (Manage Server, Administrator, the owner or a manager role) may ``what``."""

    async def predicate(interaction: discord.Interaction) -> bool:
        if interaction.guild_id is None:
            raise Refused(DM_REFUSAL)
        bot: SourcedeskBot = interaction.client  # type: ignore[assignment]
        if not is_manager(interaction.user, bot.settings):
            raise Refused(f"only managers can {what} (Manage Server permission or a manager role: "
                          f"{describe_roles(bot.settings.manager_roles)})")
        return True

    return app_commands.check(predicate)
