"""The engine's clock: when an article was added, when metadata was edited. One function, so
tests with a simulated clock (SimCord's) patch one place."""
from __future__ import annotations

from datetime import datetime, timezone


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")
