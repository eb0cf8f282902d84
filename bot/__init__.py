"""sourcedesk's Discord bot: slash commands and an inbox channel over the Engine API.

``create_bot(settings)`` builds the bot (used by ``python -m bot`` and by the tests);
every index operation goes through ``index``'s ``Engine``, one corpus per server.
"""
from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from index import ServiceError, UserError

from .engines import EngineHub
from .errors import reason
from .policy import Refused
from .replies import reply_ephemeral
from .settings import BotSettings

log = logging.getLogger(__name__)

__all__ = ["BotSettings", "SourcedeskBot", "create_bot", "intents"]


def intents() -> discord.Intents:
    """Guilds and guild messages, plus message content (privileged) for the inbox's files."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.message_content = True
    return wanted


class SourcedeskTree(app_commands.CommandTree):
    """Answers any error a command did not handle itself, so no interaction is left hanging."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        original = getattr(error, "original", error)
        command = interaction.command.qualified_name if interaction.command else None
        if isinstance(original, ServiceError):
            # hosts, paths and setting names are for the operator's log, not for the reporter
            log.error("service unavailable", extra={"command": command, "guild_id": interaction.guild_id,
                                                    "error": str(original)})
            message = reason(original, upload=command == "upload")
        elif isinstance(original, (UserError, Refused)):
            # the one place a user error is answered: commands let UserError propagate
            log.info("user error", extra={"command": command, "guild_id": interaction.guild_id,
                                          "error": str(original)})
            message = str(original)
        elif isinstance(error, app_commands.CheckFailure):
            message = "you cannot use this command here"
        else:
            log.error("command failed", exc_info=(type(original), original, original.__traceback__),
                      extra={"command": command, "guild_id": interaction.guild_id})
            message = "internal error: the command failed and the problem was logged"
        try:
            await reply_ephemeral(interaction, message)
        except discord.HTTPException:
            log.warning("could not report a command error", exc_info=True)


class SourcedeskBot(commands.Bot):
    def __init__(self, settings: BotSettings) -> None:
        # The bot never joins voice: skip discord.py's warnings about voice libraries.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=SourcedeskTree,
            # Every command works inside a server only (one corpus per server): Discord hides
            # them in DMs instead of the bot refusing there.
            allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False),
        )
        self.settings = settings
        self.hub = EngineHub(settings.index, workers=settings.engine_workers,
                             ingest_workers=settings.ingest_workers, ingest_queue_max=settings.ingest_queue_max)
        self._warm_task: asyncio.Task | None = None

    async def setup_hook(self) -> None:
        from .cogs import COGS

        for cog in COGS:
            await self.add_cog(cog(self))
        self._apply_conventions()
        if self.settings.dev_guild:
            guild = discord.Object(self.settings.dev_guild)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        log.info("commands synced", extra={"count": len(synced), "dev_guild": self.settings.dev_guild})
        if self.settings.warm_model:
            self._warm_task = asyncio.create_task(self.hub.warm_async())

    def _apply_conventions(self) -> None:
        """Discord's own switches, set once for every command: guild-only (also the legacy
        ``dm_permission``); and, for manager commands, Manage Server as the default member
        permission so reporters do not see commands that would refuse them. Discord cannot
        name a role there, so when manager roles are configured the manager commands stay
        visible and the manager check decides (admins can still restrict them per role in
        Server Settings > Integrations)."""
        for command in self.tree.get_commands():
            command.guild_only = True
            if self.settings.manager_roles and getattr(command, "default_permissions", None) is not None:
                command.default_permissions = None

    async def on_ready(self) -> None:
        log.info("ready", extra={"user": str(self.user), "guilds": len(self.guilds)})

    async def close(self) -> None:
        if self._warm_task is not None:
            self._warm_task.cancel()  # stop waiting for a model still loading
        try:
            await super().close()
        finally:
            self.hub.close()


def create_bot(settings: BotSettings | None = None) -> SourcedeskBot:
    return SourcedeskBot(settings or BotSettings.from_env())
