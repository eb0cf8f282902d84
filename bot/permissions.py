"""Who may upload and who may remove articles, from the configured role names."""
from __future__ import annotations

import discord

from .settings import BotSettings


def _role_names(member: discord.abc.User) -> set[str]:
    roles = getattr(member, "roles", None) or []
    return {r.name.casefold() for r in roles}


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


def describe_roles(names: tuple[str, ...]) -> str:
    return ", ".join(names) if names else "none configured"
