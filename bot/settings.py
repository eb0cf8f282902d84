"""Bot settings, read from the environment and `.env` files (python-dotenv).

Precedence: real environment variables, then `.env` in the working directory, then
`SOURCEDESK_HOME/.env`. Index settings (home, limits, Chroma) come from
``index.config.Settings.from_env`` so the bot and the CLI agree on every limit.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from index.config import Settings
from index.models import UserError

DEFAULT_INBOX_CHANNEL = "sourcedesk-inbox"

ENV_VARS = {
    "DISCORD_TOKEN": "the bot token from the Discord developer portal (required to run)",
    "SOURCEDESK_HOME": "directory for all persistent state (default ~/.sourcedesk)",
    "SOURCEDESK_INBOX_CHANNEL": f"name of the channel whose attachments are ingested (default {DEFAULT_INBOX_CHANNEL})",
    "SOURCEDESK_UPLOAD_ROLES": "comma-separated role names allowed to upload; empty = every member",
    "SOURCEDESK_MANAGER_ROLES": "comma-separated role names allowed to remove articles (plus Manage Server)",
    "SOURCEDESK_DEV_GUILD": "optional guild id: sync commands to this server only (instant) instead of globally",
    "SOURCEDESK_LOG_LEVEL": "logging level (default INFO)",
    "SOURCEDESK_MAX_FILE_BYTES": "largest accepted upload in bytes (default 20 MiB)",
}


def _roles(raw: str | None) -> tuple[str, ...]:
    return tuple(r.strip() for r in (raw or "").split(",") if r.strip())


def _guild_id(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise UserError(f"SOURCEDESK_DEV_GUILD must be a numeric guild id, got {raw!r}")
    return int(raw)


def load_dotenv_files(home: str | os.PathLike[str] | None = None) -> None:
    """Load `.env` (working directory), then `<home>/.env`; never override real variables."""
    from dotenv import load_dotenv

    load_dotenv(Path.cwd() / ".env", override=False)
    chosen = home or os.environ.get("SOURCEDESK_HOME")
    if chosen:
        load_dotenv(Path(chosen).expanduser() / ".env", override=False)


@dataclass(frozen=True)
class BotSettings:
    index: Settings
    token: str | None = None
    inbox_channel: str = DEFAULT_INBOX_CHANNEL
    upload_roles: tuple[str, ...] = ()  # empty: every member may upload
    manager_roles: tuple[str, ...] = ()  # plus anyone with Manage Server
    dev_guild: int | None = None
    warm_model: bool = True  # load the embedding model in the background at start-up
    engine_workers: int = 4
    log_level: str = "INFO"

    @property
    def home(self) -> Path:
        return self.index.home

    @property
    def max_upload_bytes(self) -> int:
        return self.index.limits.max_file_bytes

    @property
    def max_query_chars(self) -> int:
        return self.index.limits.max_query_chars

    @classmethod
    def from_env(cls, home: str | os.PathLike[str] | None = None, *, dotenv: bool = True) -> "BotSettings":
        if dotenv:
            load_dotenv_files(home)
        env = os.environ
        return cls(
            index=Settings.from_env(home),
            token=(env.get("DISCORD_TOKEN") or "").strip() or None,
            inbox_channel=(env.get("SOURCEDESK_INBOX_CHANNEL") or "").strip() or DEFAULT_INBOX_CHANNEL,
            upload_roles=_roles(env.get("SOURCEDESK_UPLOAD_ROLES")),
            manager_roles=_roles(env.get("SOURCEDESK_MANAGER_ROLES")),
            dev_guild=_guild_id(env.get("SOURCEDESK_DEV_GUILD")),
            log_level=(env.get("SOURCEDESK_LOG_LEVEL") or "INFO").strip().upper(),
        )

    def with_(self, **changes) -> "BotSettings":
        return replace(self, **changes)
