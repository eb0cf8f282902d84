"""Discord's own conventions (issue 13), as the real discord.py registers them with SimCord:
manager commands carry Manage Server as their default member permission (so reporters do
not see commands that would refuse them), every command is guild-only, and free-text options
declare the length the bot accepts, so the client refuses longer text before sending it."""
from __future__ import annotations

from dataclasses import replace

import pytest
from tests.support.bot_world import Newsroom, make_settings, running_bot
from simcord import SetupError

from index.config import Limits
from index.ingest.corrections import MAX_CHARS

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.slow]

MANAGE_GUILD = 1 << 5
MANAGER_COMMANDS = {"remove", "digest"}


async def registered(env) -> dict[str, dict]:
    return {c["name"]: c for c in await env.bot.http.get_global_commands(env.bot.application_id)}


def options(command: dict) -> dict[str, dict]:
    return {o["name"]: o for o in command.get("options", [])}


async def test_manager_commands_default_to_manage_server_and_every_command_is_guild_only(tmp_path):
    settings = replace(make_settings(tmp_path), manager_roles=())  # managers = Manage Server
    async with running_bot(settings) as env:
        commands = await registered(env)
        assert MANAGER_COMMANDS <= set(commands)
        for name, command in commands.items():
            assert command["contexts"] == [0] and command["dm_permission"] is False, name
            wanted = MANAGE_GUILD if name in MANAGER_COMMANDS else None
            permissions = command["default_member_permissions"]
            assert (None if permissions is None else int(permissions)) == wanted, name
        room = Newsroom(env)
        with pytest.raises(SetupError, match="default-member-permissions"):
            await room.reporter.slash(room.general, "remove", article="0123456789abcdef")
        with pytest.raises(SetupError, match="default-member-permissions"):
            await room.reporter.slash(room.general, "digest off")
        allowed = await room.admin.slash(room.general, "remove", article="0123456789abcdef")
        assert allowed.ephemeral and "0123456789abcdef" in allowed.response.content  # ran, and answered
        mine = await room.reporter.slash(room.general, "sources", claim="anything at all")  # visible to all
        assert mine.response is not None


async def test_with_manager_roles_the_commands_stay_visible_and_the_check_decides(tmp_path):
    async with running_bot(make_settings(tmp_path)) as env:  # manager role "Editors"
        commands = await registered(env)
        assert all(commands[name]["default_member_permissions"] is None for name in MANAGER_COMMANDS)
        room = Newsroom(env)
        refused = await room.reporter.slash(room.general, "remove", article="0123456789abcdef")
        assert refused.ephemeral and "only managers" in refused.response.content


async def test_text_options_declare_the_lengths_the_bot_accepts(tmp_path):
    async with running_bot(make_settings(tmp_path)) as env:
        commands = await registered(env)
    assert options(commands["sources"])["claim"]["max_length"] == Limits.max_query_chars
    assert options(commands["search"])["text"]["max_length"] == Limits.max_query_chars
    upload = options(commands["upload"])
    for name in ("outlet", "title", "url", "published", "authors"):
        assert upload[name]["max_length"] == MAX_CHARS[name], name
    assert upload["private"]["type"] == 5  # boolean
    assert options(commands["sources"])["outlet"]["autocomplete"] is True
    assert options(commands["articles"])["outlet"]["autocomplete"] is True
