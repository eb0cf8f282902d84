"""Who may do what, as RoboDanny's ``checks``: one function per rule, one decorator per command
rule. A decorator's failed check raises ``Refused``, which the tree's one error handler
(``SourcedeskTree.on_error``) answers ephemerally with the check's own message.

- manage (remove articles, the digest): Manage Server, Administrator, the server's owner or
  a manager role (``is_manager``; ``manager_only``).
- upload: every member when no upload roles are configured, else those roles and managers
  (``can_upload``; ``upload_allowed``; the inbox asks ``can_upload`` for each message).
- edit an article's metadata: managers and the member who uploaded it, its ``added_by``
  record written at /upload and inbox ingest (``may_edit``; ``edit_allowed``; the "Apply
  metadata" button asks ``may_edit`` for each article).

Commands are guild-only (``SourcedeskBot``'s ``allowed_contexts``), so every check runs
with a server and a ``discord.Member``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from index import UserError

from .settings import BotSettings

if TYPE_CHECKING:
    from . import SourcedeskBot

EDIT_REFUSAL = "only managers and the member who uploaded this article can change its metadata"


class Refused(app_commands.CheckFailure):
    """A check that failed for a reason the user can act on; its message is shown as is."""


def _role_names(member: discord.abc.User) -> set[str]:
    roles = getattr(member, "roles", None) or []
    return {r.name.casefold() for r in roles}


def describe_roles(names: tuple[str, ...]) -> str:
    return ", ".join(names) if names else "none configured"


def member_key(user: discord.abc.User) -> str:
    """How a Discord member is recorded as uploader or editor."""
    return f"discord:{user.id}"


# -- the rules --------------------------------------------------------------------------------


def is_manager(member: discord.abc.User, settings: BotSettings) -> bool:
    """Members with Manage Server (or Administrator), the owner, or a manager role."""
    if not isinstance(member, discord.Member):
        return False
    if member.guild is not None and member.guild.owner_id == member.id:
        return True
    perms = member.guild_permissions
    if perms.manage_guild or perms.administrator:
        return True
    wanted = {r.casefold() for r in settings.manager_roles}
    return bool(wanted & _role_names(member))


def can_upload(member: discord.abc.User, settings: BotSettings) -> bool:
    """Everyone when no upload roles are configured; else those roles and managers."""
    if not isinstance(member, discord.Member):
        return False
    if not settings.upload_roles or is_manager(member, settings):
        return True
    wanted = {r.casefold() for r in settings.upload_roles}
    return bool(wanted & _role_names(member))


def upload_refusal(settings: BotSettings) -> str:
    return f"you may not upload articles here (upload roles: {describe_roles(settings.upload_roles)})"


async def may_edit(interaction: discord.Interaction, article_id: str) -> bool:
    """Managers, and the member recorded as the article's uploader."""
    bot: SourcedeskBot = interaction.client  # type: ignore[assignment]
    if is_manager(interaction.user, bot.settings):
        return True
    uploader = await bot.hub.run(interaction.guild_id, lambda e: e.uploader(article_id), quick=True)
    return uploader == member_key(interaction.user)


# -- the decorators ---------------------------------------------------------------------------


def manager_only(what: str):
    """Only managers may ``what`` (words for the refusal: "remove articles")."""

    async def predicate(interaction: discord.Interaction) -> bool:
        settings = interaction.client.settings
        if not is_manager(interaction.user, settings):
            raise Refused(f"only managers can {what} (Manage Server permission or a manager role: "
                          f"{describe_roles(settings.manager_roles)})")
        return True

    return app_commands.check(predicate)


def upload_allowed():
    """Only members who may upload (``can_upload``)."""

    async def predicate(interaction: discord.Interaction) -> bool:
        settings = interaction.client.settings
        if not can_upload(interaction.user, settings):
            raise Refused(upload_refusal(settings))
        return True

    return app_commands.check(predicate)


def edit_allowed(option: str):
    """Only those who may edit (``may_edit``) the article named by the command's ``option``.

    An id that does not resolve passes: the command's own look-up answers it with the
    usual "unknown article id" (a check may raise nothing but a ``CheckFailure``)."""

    async def predicate(interaction: discord.Interaction) -> bool:
        given = getattr(interaction.namespace, option)
        try:
            article_id = await interaction.client.hub.run(interaction.guild_id, lambda e: e.resolve_id(given),
                                                          quick=True)
        except UserError:
            return True
        if not await may_edit(interaction, article_id):
            raise Refused(EDIT_REFUSAL)
        return True

    return app_commands.check(predicate)
