"""Settings read from the environment (and `.env`), shared by the CLI, the bot and tests."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from index.errors import UserError

DEFAULT_HOME = Path("~/.sourcedesk")
_CORPUS_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise UserError(f"{name} must be a whole number, got {raw!r}") from exc


def human_size(n: int) -> str:
    """Bytes as a newsroom reads them: 900 bytes, 12 KB, 20 MB, 1.5 GB (1 KB = 1,024 bytes)."""
    if n < 1024:
        return f"{n:,} bytes"
    for unit in ("KB", "MB", "GB", "TB"):
        n /= 1024
        if n < 1024 or unit == "TB":
            shown = f"{n:.0f}" if n >= 100 else f"{n:.1f}".removesuffix(".0")
            return f"{shown} {unit}"
    raise AssertionError("unreachable")


def too_large(name: str, size: int, limit: int, what: str = "is") -> str:
    """The one size-limit message (CLI, parsers, /upload, the inbox): sizes in KB/MB, no
    setting names (README.md names the settings)."""
    return f"{name} {what} {human_size(size)}; the limit is {human_size(limit)}"


@dataclass(frozen=True)
class Limits:
    """Checked before any parsing, so a huge upload costs nothing."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_article_chars: int = 2_000_000
    max_jsonl_lines: int = 100_000
    max_query_chars: int = 2_000
    # A .docx is a zip: its declared uncompressed total and entry count are checked
    # before python-docx opens it (zip bombs). 0 means 10 x max_file_bytes.
    max_unzipped_bytes: int = 0
    max_zip_entries: int = 2_000

    @property
    def unzipped_bytes(self) -> int:
        return self.max_unzipped_bytes or 10 * self.max_file_bytes


@dataclass(frozen=True)
class FetchPolicy:
    """How links and feeds are fetched (index/ingest/fetch.py): private, loopback and
    link-local addresses are refused unless allowed; one deadline for a whole fetch."""

    allow_private: bool = False
    timeout_s: float = 30.0


@dataclass(frozen=True)
class Settings:
    home: Path
    chroma_host: str | None = None
    chroma_port: int = 8000
    limits: Limits = field(default_factory=Limits)
    fetch: FetchPolicy = field(default_factory=FetchPolicy)

    @classmethod
    def from_env(cls, home: str | os.PathLike[str] | None = None) -> "Settings":
        chosen = home or os.environ.get("SOURCEDESK_HOME") or DEFAULT_HOME
        limits = Limits(
            max_file_bytes=_env_int("SOURCEDESK_MAX_FILE_BYTES", Limits.max_file_bytes),
            max_article_chars=_env_int("SOURCEDESK_MAX_ARTICLE_CHARS", Limits.max_article_chars),
            max_jsonl_lines=_env_int("SOURCEDESK_MAX_JSONL_LINES", Limits.max_jsonl_lines),
            max_query_chars=_env_int("SOURCEDESK_MAX_QUERY_CHARS", Limits.max_query_chars),
            max_unzipped_bytes=_env_int("SOURCEDESK_MAX_UNZIPPED_BYTES", Limits.max_unzipped_bytes),
            max_zip_entries=_env_int("SOURCEDESK_MAX_ZIP_ENTRIES", Limits.max_zip_entries),
        )
        for name, value in vars(limits).items():
            if value < 0 or (value == 0 and name != "max_unzipped_bytes"):
                raise UserError(f"SOURCEDESK_{name.upper()} must be a positive whole number, got {value}")
        return cls(
            home=Path(chosen).expanduser(),
            chroma_host=os.environ.get("CHROMA_HOST") or None,
            chroma_port=_env_int("CHROMA_PORT", 8000),
            limits=limits,
            fetch=_fetch_policy(),
        )


def _fetch_policy() -> FetchPolicy:
    timeout = _env_int("SOURCEDESK_FETCH_TIMEOUT", int(FetchPolicy.timeout_s))
    if timeout <= 0:
        raise UserError(f"SOURCEDESK_FETCH_TIMEOUT must be a positive whole number of seconds, got {timeout}")
    return FetchPolicy(allow_private=os.environ.get("SOURCEDESK_FETCH_ALLOW_PRIVATE", "").strip() == "1",
                       timeout_s=float(timeout))


def check_corpus_name(name: str) -> str:
    if not isinstance(name, str) or not _CORPUS_NAME.fullmatch(name):
        raise UserError(
            f"invalid corpus name {name!r}: use 1-63 letters, digits, '-' or '_', starting with a letter or digit"
        )
    return name
