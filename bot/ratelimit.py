"""Per-user rate limits for the heavy commands: one token bucket per (server, user, class).

Two classes: ``queries`` (/sources, /search, /compare, /lineage, the "Find sources" menu)
and ``uploads`` (/upload, and each file posted in the inbox channel). A bucket holds up
to ``count`` tokens and refills at ``count / per`` tokens a second, so ``10/60`` allows a
burst of 10 and then one more every 6 s. Nobody is exempt, managers included: the limit
protects the shared worker threads, which a manager's runaway script would hold as much
as anyone's (raise the limit, or turn it off with ``off``, where that is wrong).

The limiter lives on the event loop (no locks) and reads ``time.monotonic`` at each
call, so a simulated clock (SimCord's) refills it too. Buckets of users who have been
idle long enough to be full again are dropped now and then, so memory stays bounded.
"""
from __future__ import annotations

import math
import re
import time
import weakref
from dataclasses import dataclass

from index import UserError

QUERIES = "queries"
UPLOADS = "uploads"

# command (slash command or context menu, by name) -> the class it counts against
COMMAND_CLASSES: dict[str, str] = {
    "sources": QUERIES,
    "search": QUERIES,
    "Find sources": QUERIES,
    "compare": QUERIES,
    "lineage": QUERIES,
    "upload": UPLOADS,
}

_PRUNE_ABOVE = 10_000  # buckets kept before idle (full) ones are dropped


@dataclass(frozen=True)
class Rate:
    """``count`` commands per ``per`` seconds (burst ``count``)."""

    count: int
    per: float

    def __str__(self) -> str:
        return f"{self.count}/{self.per:g}"

    @classmethod
    def parse(cls, raw: str | None, name: str, default: "Rate | None") -> "Rate | None":
        """``"10/60"`` -> Rate(10, 60); empty -> ``default``; ``off``/``0`` -> None (no limit)."""
        text = (raw or "").strip().lower()
        if not text:
            return default
        if text in {"off", "0", "none", "unlimited"}:
            return None
        match = re.fullmatch(r"(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*s?", text)
        if not match or int(match.group(1)) < 1 or float(match.group(2)) <= 0:
            raise UserError(f"{name} must look like 10/60 (10 commands per 60 seconds) or off, got {raw!r}")
        return cls(int(match.group(1)), float(match.group(2)))


def retry_text(seconds: float) -> str:
    """The reply to a limited command: a label and a number."""
    return f"slow down: try again in {max(1, math.ceil(seconds - 1e-9))} s"


class RateLimiter:
    def __init__(self, rates: dict[str, Rate | None]) -> None:
        self.rates = dict(rates)
        self._buckets: dict[tuple[int, int, str], tuple[float, float]] = {}  # key -> (tokens, at)

    def hit(self, guild_id: int | None, user_id: int, kind: str) -> float:
        """Take one token: 0.0 when allowed, else the seconds until one is available."""
        rate = self.rates.get(kind)
        if rate is None:
            return 0.0
        now = time.monotonic()
        key = (guild_id or 0, user_id, kind)
        tokens = self._tokens(key, rate, now)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > _PRUNE_ABOVE:
                self._prune(now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1.0 - tokens) * rate.per / rate.count

    def _tokens(self, key: tuple[int, int, str], rate: Rate, now: float) -> float:
        found = self._buckets.get(key)
        if found is None:
            return float(rate.count)
        tokens, at = found
        return min(float(rate.count), tokens + max(0.0, now - at) * rate.count / rate.per)

    def _prune(self, now: float) -> None:
        for key in list(self._buckets):
            rate = self.rates.get(key[2])
            if rate is None or self._tokens(key, rate, now) >= rate.count:
                del self._buckets[key]

    def __len__(self) -> int:
        return len(self._buckets)


_LIMITERS: "weakref.WeakKeyDictionary[object, RateLimiter]" = weakref.WeakKeyDictionary()


def limiter_for(bot) -> RateLimiter:
    """The bot's limiter (one per bot, shared by every cog), from ``bot.settings``."""
    found = _LIMITERS.get(bot)
    if found is None:
        settings = bot.settings
        found = RateLimiter({QUERIES: settings.rate_queries, UPLOADS: settings.rate_uploads})
        _LIMITERS[bot] = found
    return found


__all__ = ["COMMAND_CLASSES", "QUERIES", "UPLOADS", "Rate", "RateLimiter", "limiter_for", "retry_text"]
