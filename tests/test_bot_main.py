"""Starting the bot: settings from the environment, and clear one-line failures."""
from __future__ import annotations

import logging
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import discord
import pytest

from bot.__main__ import main
from bot.engines import corpus_for_guild
from bot.settings import DEFAULT_INBOX_CHANNEL, BotSettings
from index.errors import UserError

ROOT = Path(__file__).resolve().parent.parent
BOT_VARS = ("DISCORD_TOKEN", "SOURCEDESK_INBOX_CHANNEL", "SOURCEDESK_UPLOAD_ROLES", "SOURCEDESK_MANAGER_ROLES",
            "SOURCEDESK_DEV_GUILD", "SOURCEDESK_MAX_FILE_BYTES", "SOURCEDESK_LOG_LEVEL")


@pytest.fixture()
def clean_env(monkeypatch, tmp_path):
    saved = dict(os.environ)  # load_dotenv writes to os.environ: restore it whole afterwards
    for name in BOT_VARS:
        os.environ.pop(name, None)
    os.environ["SOURCEDESK_HOME"] = str(tmp_path / "home")
    monkeypatch.chdir(tmp_path)  # no stray .env
    yield tmp_path
    os.environ.clear()
    os.environ.update(saved)


def test_settings_defaults(clean_env):
    settings = BotSettings.from_env()
    assert settings.token is None and settings.inbox_channel == DEFAULT_INBOX_CHANNEL
    assert settings.upload_roles == () and settings.manager_roles == () and settings.dev_guild is None
    assert settings.home == clean_env / "home"
    assert settings.max_upload_bytes == 20 * 1024 * 1024


def test_settings_from_environment_and_dotenv(clean_env):
    (clean_env / ".env").write_text(
        "DISCORD_TOKEN=from-dotenv\nSOURCEDESK_UPLOAD_ROLES=Reporters, Editors\nSOURCEDESK_MAX_FILE_BYTES=1234\n")
    os.environ.update(SOURCEDESK_MANAGER_ROLES="Desk chiefs,", SOURCEDESK_DEV_GUILD="123456789",
                      SOURCEDESK_INBOX_CHANNEL="drop-box")
    settings = BotSettings.from_env()
    assert settings.token == "from-dotenv"
    assert settings.upload_roles == ("Reporters", "Editors") and settings.manager_roles == ("Desk chiefs",)
    assert settings.dev_guild == 123456789 and settings.inbox_channel == "drop-box"
    assert settings.max_upload_bytes == 1234


def test_bad_dev_guild_is_a_user_error(clean_env):
    os.environ["SOURCEDESK_DEV_GUILD"] = "my-server"
    with pytest.raises(UserError, match="SOURCEDESK_DEV_GUILD"):
        BotSettings.from_env()


def test_one_corpus_per_server():
    assert corpus_for_guild(42) == "guild-42"


def _run_bot(tmp_path, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in BOT_VARS}
    environ.update({"SOURCEDESK_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT), **env})
    return subprocess.run([sys.executable, "-m", "bot"], cwd=tmp_path, env=environ, capture_output=True,
                          text=True, timeout=120)


def test_missing_token_exits_1_with_one_line(tmp_path):
    done = _run_bot(tmp_path)
    assert done.returncode == 1
    assert "DISCORD_TOKEN is not set" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_bad_settings_exit_1_with_one_line(tmp_path):
    done = _run_bot(tmp_path, DISCORD_TOKEN="x", SOURCEDESK_DEV_GUILD="abc")
    assert done.returncode == 1 and "SOURCEDESK_DEV_GUILD" in done.stderr and "Traceback" not in done.stderr


@pytest.fixture()
def restore_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_invalid_token_exits_1_with_one_line(clean_env, monkeypatch, capsys, restore_logging):
    """Discord answers an invalid token with HTTP 401, which discord.py's login turns
    into LoginFailure; stand in for that one network answer (no network in tests)."""

    async def rejected(self, token):
        raise discord.LoginFailure("Improper token has been passed.")

    monkeypatch.setattr(discord.http.HTTPClient, "static_login", rejected)
    os.environ["DISCORD_TOKEN"] = "not-a-real-token"
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "invalid token" in err and "Traceback" not in err
    assert [line for line in err.splitlines() if line.startswith("sourcedesk bot:")] == [err.strip().splitlines()[-1]]


@pytest.mark.slow
async def test_dev_guild_gets_the_commands_at_once(tmp_path):
    """With SOURCEDESK_DEV_GUILD the commands are synced to that server only."""
    from tests.support.bot_world import make_settings, running_bot

    dev_id = (1 << 40) + 12345
    async with running_bot(replace(make_settings(tmp_path / "home"), dev_guild=dev_id)) as env:
        dev = env.create_guild("Dev", id=dev_id)
        other = env.create_guild("Elsewhere")
        tester = dev.add_member(env.create_user("tester"))
        visitor = other.add_member(env.create_user("visitor"))
        assert "sources" in tester.available_commands(dev.create_text_channel("general"))
        assert "sources" not in visitor.available_commands(other.create_text_channel("general"))
        result = await tester.slash(dev.channels["general"], "help")
        assert result.ephemeral and result.response.embeds


def test_sourcedesk_bot_comes_from_the_bot_package_without_index_importing_it(clean_env):
    """`sourcedesk bot` is registered by the bot package (entry point); index/ never imports
    discord or bot (the engine's package must not reach up into Discord)."""
    import re

    from index.cli.commands import build_parser

    assert "bot" in build_parser().format_usage()
    pattern = re.compile(r"^\s*(import|from)\s+(discord|bot)\b", re.MULTILINE)
    offenders = [str(p) for p in (ROOT / "index").rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
    done = subprocess.run([sys.executable, "-m", "index.cli", "bot"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "DISCORD_TOKEN": "", "HF_HUB_OFFLINE": "1"}, timeout=120)
    assert done.returncode == 1 and "DISCORD_TOKEN is not set" in done.stderr
