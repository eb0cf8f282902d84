"""Bot settings, read from the environment and `.env` files (python-dotenv).

Precedence: real environment variables, then `.env` in the working directory, then
`SOURCEDESK_HOME/.env`. Index settings (home, limits, Chroma) come from
``index.config.Settings.from_env`` so the bot and the CLI agree on every limit.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from index import Settings, UserError

from .ratelimit import Rate

DEFAULT_INBOX_CHANNEL = "sourcedesk-inbox"
# Applied by ``from_env`` when the variable is unset. ``BotSettings(...)`` built in code
# has no rate limits unless given (the tests drive many commands on a frozen clock).
DEFAULT_RATE_QUERIES = Rate(10, 60)
DEFAULT_RATE_UPLOADS = Rate(20, 600)
DEFAULT_INGEST_QUEUE_MAX = 50


def default_ingest_workers() -> int:
    """One ingest worker per four cores, at least one (one on a 2-core host)."""
    return max(1, (os.cpu_count() or 1) // 4)


def _roles(raw: str | None) -> tuple[str, ...]:
    return tuple(r.strip() for r in (raw or "").split(",") if r.strip())


def _guild_id(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise UserError(f"SOURCEDESK_DEV_GUILD must be a numeric guild id, got {raw!r}")
    return int(raw)


def _count(raw: str | None, name: str, default: int, minimum: int) -> int:
    raw = (raw or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < minimum:
        raise UserError(f"{name} must be a whole number of at least {minimum}, got {raw!r}")
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
    engine_workers: int = 4  # threads for queries (ingest has its own, below)
    log_level: str = "INFO"
    rate_queries: Rate | None = None  # None: no limit (from_env applies DEFAULT_RATE_QUERIES)
    rate_uploads: Rate | None = None
    ingest_workers: int = field(default_factory=default_ingest_workers)
    ingest_queue_max: int = DEFAULT_INGEST_QUEUE_MAX  # files waiting for a worker; 0: never wait

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
            rate_queries=Rate.parse(env.get("SOURCEDESK_RATE_QUERIES"), "SOURCEDESK_RATE_QUERIES",
                                    DEFAULT_RATE_QUERIES),
            rate_uploads=Rate.parse(env.get("SOURCEDESK_RATE_UPLOADS"), "SOURCEDESK_RATE_UPLOADS",
                                    DEFAULT_RATE_UPLOADS),
            ingest_workers=_count(env.get("SOURCEDESK_INGEST_WORKERS"), "SOURCEDESK_INGEST_WORKERS",
                                  default_ingest_workers(), 1),
            ingest_queue_max=_count(env.get("SOURCEDESK_INGEST_QUEUE_MAX"), "SOURCEDESK_INGEST_QUEUE_MAX",
                                    DEFAULT_INGEST_QUEUE_MAX, 0),
        )
