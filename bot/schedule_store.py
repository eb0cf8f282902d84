"""The digest schedule store as the event loop uses it: every SQLite call in a worker thread.

``DigestStore`` (``bot/schedule.py``) is synchronous: a call can wait up to its busy timeout
when another process (a second bot on the same home, a backup) holds the database, and on
the event loop that wait would stall every command. ``AsyncDigestStore`` runs each call with
``asyncio.to_thread``; the store's own lock still serialises them on its one connection.
"""
from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta
from pathlib import Path

from .schedule import RETRY_AFTER, DigestStore, Schedule


class AsyncDigestStore:
    """The methods of ``DigestStore``, awaitable, off the event loop."""

    def __init__(self, store: DigestStore) -> None:
        self.sync = store

    @classmethod
    def for_home(cls, home: str | Path) -> AsyncDigestStore:
        return cls(DigestStore.for_home(home))

    def close(self) -> None:
        """Close the connection (at shutdown; waits for a call in flight to finish)."""
        self.sync.close()

    # -- reading --

    async def get(self, guild_id: int) -> Schedule | None:
        return await asyncio.to_thread(self.sync.get, guild_id)

    async def enabled(self) -> list[Schedule]:
        return await asyncio.to_thread(self.sync.enabled)

    async def claimed(self) -> list[Schedule]:
        return await asyncio.to_thread(self.sync.claimed)

    # -- settings --

    async def set_up(self, guild_id: int, *, channel_id: int, at: time, tz_name: str, empty_mode: str,
                     user_id: int, now: datetime) -> None:
        await asyncio.to_thread(lambda: self.sync.set_up(
            guild_id, channel_id=channel_id, at=at, tz_name=tz_name, empty_mode=empty_mode, user_id=user_id,
            now=now))

    async def turn_off(self, guild_id: int) -> bool:
        return await asyncio.to_thread(self.sync.turn_off, guild_id)

    # -- posting --

    async def claim(self, guild_id: int, day: date, until: datetime, now: datetime) -> bool:
        return await asyncio.to_thread(self.sync.claim, guild_id, day, until, now)

    async def finish(self, guild_id: int, day: date, *, until: datetime, posted_at: datetime | None,
                     channel_id: int | None, message_id: int | None, late: bool) -> bool:
        return await asyncio.to_thread(lambda: self.sync.finish(
            guild_id, day, until=until, posted_at=posted_at, channel_id=channel_id, message_id=message_id,
            late=late))

    async def release(self, guild_id: int, day: date, *, error: str, now: datetime,
                      retry_after: timedelta = RETRY_AFTER) -> None:
        await asyncio.to_thread(lambda: self.sync.release(guild_id, day, error=error, now=now,
                                                          retry_after=retry_after))

    async def drop_claim(self, guild_id: int, day: date) -> None:
        await asyncio.to_thread(self.sync.drop_claim, guild_id, day)

    async def record_manual(self, guild_id: int, *, until: datetime, posted_at: datetime | None,
                            channel_id: int | None, message_id: int | None) -> None:
        await asyncio.to_thread(lambda: self.sync.record_manual(
            guild_id, until=until, posted_at=posted_at, channel_id=channel_id, message_id=message_id))

    async def record_error(self, guild_id: int, error: str, now: datetime, *,
                           retry_after: timedelta | None = None) -> None:
        await asyncio.to_thread(lambda: self.sync.record_error(guild_id, error, now, retry_after=retry_after))

    async def mark_reported(self, guild_id: int, day: date) -> bool:
        return await asyncio.to_thread(self.sync.mark_reported, guild_id, day)


__all__ = ["AsyncDigestStore"]
