"""The engine's clock: when an article was added, when metadata was edited. One function, so
tests with a simulated clock (SimCord's) patch one place; and ``utc``, the one rule for
reading a moment that may come without a zone."""
from __future__ import annotations

from datetime import datetime, timezone


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def utc(moment: datetime) -> datetime:
    """The moment in UTC; a naive one is taken to be UTC already."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def later_first(stamp: str) -> tuple[int, ...]:
    """A sort key that orders ISO time stamps latest first (inside an ascending key)."""
    return tuple(-ord(ch) for ch in stamp)
