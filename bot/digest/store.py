"""The digest's schedules in SQLite (``$SOURCEDESK_HOME/bot.sqlite3``, one row per server in
``digest_schedules``), and the same store as the event loop uses it (``AsyncDigestStore``).

Posting is claimed before it is sent and marked done after, in conditional UPDATEs, so a
day is never posted twice: a second claim for a day that is claimed or done fails, a
failed send releases the claim, and a claim left behind by a crash is resolved at
start-up (``bot.digest.scheduler``).
"""
from __future__ import annotations

import asyncio
import sqlite3
import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from index import UserError, utc

from .rules import EMPTY_MODES, RETRY_AFTER, due_day, format_time, next_run_at, parse_time, parse_timezone

DB_NAME = "bot.sqlite3"


@dataclass(frozen=True)
class Schedule:
    """One server's digest: its settings, what was last posted, and a claim in progress."""

    guild_id: int
    enabled: bool
    channel_id: int | None
    time: str | None  # "HH:MM"
    timezone: str | None
    empty_mode: str
    set_by_user_id: int | None
    active_from: datetime | None
    first_set_at: datetime | None
    last_posted_day: date | None
    last_posted_at: datetime | None
    last_until: datetime | None
    last_channel_id: int | None
    last_message_id: int | None
    last_late: bool
    claim_day: date | None
    claim_at: datetime | None
    claim_until: datetime | None
    retry_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None

    @property
    def at(self) -> time:
        return parse_time(self.time or "")

    @property
    def tz(self) -> ZoneInfo:
        return parse_timezone(self.timezone or "")

    def due_day(self, now: datetime) -> date | None:
        if not self.enabled:
            return None
        return due_day(now, self.at, self.tz, active_from=self.active_from, last_posted_day=self.last_posted_day)

    def next_run_at(self, now: datetime) -> datetime | None:
        if not self.enabled:
            return None
        posted = self.last_posted_day
        if self.claim_day is not None:  # being posted, or left by a crash: resolved at start-up
            posted = max(posted or self.claim_day, self.claim_day)
        elif self.due_day(now) is not None:  # due now, or waiting for a retry
            return max(utc(now), self.retry_at or utc(now))
        return next_run_at(now, self.at, self.tz, active_from=self.active_from, last_posted_day=posted)


_COLUMNS = {
    "guild_id": "INTEGER PRIMARY KEY",
    "enabled": "INTEGER NOT NULL DEFAULT 0",
    "channel_id": "INTEGER",
    "time": "TEXT",
    "timezone": "TEXT",
    "empty_mode": "TEXT NOT NULL DEFAULT 'line'",
    "set_by_user_id": "INTEGER",
    "active_from": "TEXT",
    "first_set_at": "TEXT",
    "last_posted_day": "TEXT",
    "last_posted_at": "TEXT",
    "last_until": "TEXT",
    "last_channel_id": "INTEGER",
    "last_message_id": "INTEGER",
    "last_late": "INTEGER NOT NULL DEFAULT 0",
    "claim_day": "TEXT",
    "claim_at": "TEXT",
    "claim_until": "TEXT",
    "retry_at": "TEXT",
    "last_error": "TEXT",
    "last_error_at": "TEXT",
    "error_reported_day": "TEXT",
}


def _iso(moment: datetime | None) -> str | None:
    return utc(moment).isoformat(timespec="microseconds") if moment is not None else None


def _dt(text: str | None) -> datetime | None:
    return utc(datetime.fromisoformat(text)) if text else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


class DigestStore:
    """``digest_schedules`` in ``bot.sqlite3``: one row per server. Every method is one
    short transaction, but may wait (busy timeout) for another process holding the file:
    the bot calls it through ``AsyncDigestStore``, in worker threads.
    Claims are conditional UPDATEs, atomic even between two processes on the same home."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=10000")
        columns = ", ".join(f"{name} {kind}" for name, kind in _COLUMNS.items())
        self._db.execute(f"CREATE TABLE IF NOT EXISTS digest_schedules ({columns})")
        present = {row[1] for row in self._db.execute("PRAGMA table_info(digest_schedules)")}
        for name, kind in _COLUMNS.items():  # a home written by an older version
            if name not in present:
                self._db.execute(f"ALTER TABLE digest_schedules ADD COLUMN {name} {kind.replace('PRIMARY KEY', '')}")

    @classmethod
    def for_home(cls, home: str | Path) -> "DigestStore":
        return cls(Path(home) / DB_NAME)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _execute(self, sql: str, params: tuple = ()) -> int:
        with self._lock:
            return self._db.execute(sql, params).rowcount

    def _ensure(self, guild_id: int) -> None:
        self._execute("INSERT OR IGNORE INTO digest_schedules (guild_id) VALUES (?)", (guild_id,))

    # -- reading --

    def get(self, guild_id: int) -> Schedule | None:
        with self._lock:
            cur = self._db.execute("SELECT * FROM digest_schedules WHERE guild_id = ?", (guild_id,))
            row = cur.fetchone()
            names = [d[0] for d in cur.description]
        return _schedule(dict(zip(names, row))) if row else None

    def enabled(self) -> list[Schedule]:
        with self._lock:
            cur = self._db.execute("SELECT * FROM digest_schedules WHERE enabled = 1 ORDER BY guild_id")
            rows = cur.fetchall()
            names = [d[0] for d in cur.description]
        return [_schedule(dict(zip(names, row))) for row in rows]

    def claimed(self) -> list[Schedule]:
        """Schedules with a claim that was never finished (the bot stopped mid-post)."""
        with self._lock:
            cur = self._db.execute("SELECT * FROM digest_schedules WHERE claim_day IS NOT NULL ORDER BY guild_id")
            rows = cur.fetchall()
            names = [d[0] for d in cur.description]
        return [_schedule(dict(zip(names, row))) for row in rows]

    # -- settings --

    def set_up(self, guild_id: int, *, channel_id: int, at: time, tz_name: str, empty_mode: str,
               user_id: int, now: datetime) -> None:
        if empty_mode not in EMPTY_MODES:
            raise UserError(f"empty must be one of {', '.join(EMPTY_MODES)}")
        self._ensure(guild_id)
        self._execute(
            "UPDATE digest_schedules SET enabled = 1, channel_id = ?, time = ?, timezone = ?, empty_mode = ?, "
            "set_by_user_id = ?, active_from = ?, first_set_at = COALESCE(first_set_at, ?), retry_at = NULL, last_error = NULL, last_error_at = NULL, "
            "error_reported_day = NULL WHERE guild_id = ?",
            (channel_id, format_time(at), tz_name, empty_mode, user_id, _iso(now), _iso(now), guild_id))

    def turn_off(self, guild_id: int) -> bool:
        """Stop posting; the window (last_until) is kept for a later setup."""
        return self._execute(
            "UPDATE digest_schedules SET enabled = 0, retry_at = NULL, last_error = NULL, last_error_at = NULL "
            "WHERE guild_id = ? AND enabled = 1", (guild_id,)) > 0

    # -- posting --

    def claim(self, guild_id: int, day: date, until: datetime, now: datetime) -> bool:
        """Claim the scheduled post of ``day``; False when it is claimed or already posted."""
        return self._execute(
            "UPDATE digest_schedules SET claim_day = ?, claim_at = ?, claim_until = ? "
            "WHERE guild_id = ? AND enabled = 1 AND claim_day IS NULL "
            "AND (last_posted_day IS NULL OR last_posted_day < ?)",
            (day.isoformat(), _iso(now), _iso(until), guild_id, day.isoformat())) > 0

    def finish(self, guild_id: int, day: date, *, until: datetime, posted_at: datetime | None,
               channel_id: int | None, message_id: int | None, late: bool) -> bool:
        """Mark the claimed ``day`` as posted (``posted_at`` None: nothing was posted because
        nothing was new and the schedule says so) and move the window to ``until``."""
        return self._execute(
            "UPDATE digest_schedules SET last_posted_day = ?, last_until = ?, "
            "last_posted_at = COALESCE(?, last_posted_at), last_channel_id = COALESCE(?, last_channel_id), "
            "last_message_id = COALESCE(?, last_message_id), last_late = ?, claim_day = NULL, claim_at = NULL, "
            "claim_until = NULL, retry_at = NULL, last_error = NULL, last_error_at = NULL "
            "WHERE guild_id = ? AND claim_day = ?",
            (day.isoformat(), _iso(until), _iso(posted_at), channel_id if posted_at else None,
             message_id if posted_at else None, int(late), guild_id, day.isoformat())) > 0

    def release(self, guild_id: int, day: date, *, error: str, now: datetime,
                retry_after: timedelta = RETRY_AFTER) -> None:
        """A claimed post failed: drop the claim, keep the error, try again later."""
        self._execute(
            "UPDATE digest_schedules SET claim_day = NULL, claim_at = NULL, claim_until = NULL, retry_at = ?, "
            "last_error = ?, last_error_at = ? WHERE guild_id = ? AND claim_day = ?",
            (_iso(now + retry_after), error, _iso(now), guild_id, day.isoformat()))

    def drop_claim(self, guild_id: int, day: date) -> None:
        """A stale claim whose post never reached the channel: let the day be posted."""
        self._execute("UPDATE digest_schedules SET claim_day = NULL, claim_at = NULL, claim_until = NULL "
                      "WHERE guild_id = ? AND claim_day = ?", (guild_id, day.isoformat()))

    def record_manual(self, guild_id: int, *, until: datetime, posted_at: datetime | None,
                      channel_id: int | None, message_id: int | None) -> None:
        """A /digest now post: the window moves on; the day's scheduled post still comes."""
        self._ensure(guild_id)
        self._execute(
            "UPDATE digest_schedules SET last_until = ?, last_posted_at = COALESCE(?, last_posted_at), "
            "last_channel_id = COALESCE(?, last_channel_id), last_message_id = COALESCE(?, last_message_id), "
            "last_late = 0 WHERE guild_id = ?",
            (_iso(until), _iso(posted_at), channel_id if posted_at else None, message_id if posted_at else None,
             guild_id))

    def record_error(self, guild_id: int, error: str, now: datetime, *, retry_after: timedelta | None = None) -> None:
        self._execute("UPDATE digest_schedules SET last_error = ?, last_error_at = ?, "
                      "retry_at = COALESCE(?, retry_at) WHERE guild_id = ?",
                      (error, _iso(now), _iso(now + retry_after) if retry_after else None, guild_id))

    def mark_reported(self, guild_id: int, day: date) -> bool:
        """True the first time an error of ``day`` is reported (one report per day)."""
        return self._execute(
            "UPDATE digest_schedules SET error_reported_day = ? WHERE guild_id = ? "
            "AND (error_reported_day IS NULL OR error_reported_day != ?)",
            (day.isoformat(), guild_id, day.isoformat())) > 0


def _schedule(row: dict) -> Schedule:
    return Schedule(
        guild_id=int(row["guild_id"]),
        enabled=bool(row["enabled"]),
        channel_id=row["channel_id"],
        time=row["time"],
        timezone=row["timezone"],
        empty_mode=row["empty_mode"] or "line",
        set_by_user_id=row["set_by_user_id"],
        active_from=_dt(row["active_from"]),
        first_set_at=_dt(row["first_set_at"]),
        last_posted_day=_day(row["last_posted_day"]),
        last_posted_at=_dt(row["last_posted_at"]),
        last_until=_dt(row["last_until"]),
        last_channel_id=row["last_channel_id"],
        last_message_id=row["last_message_id"],
        last_late=bool(row["last_late"]),
        claim_day=_day(row["claim_day"]),
        claim_at=_dt(row["claim_at"]),
        claim_until=_dt(row["claim_until"]),
        retry_at=_dt(row["retry_at"]),
        last_error=row["last_error"],
        last_error_at=_dt(row["last_error_at"]),
    )


class AsyncDigestStore:
    """The methods of ``DigestStore``, awaitable, off the event loop: a call can wait up to the
    busy timeout when another process (a second bot on the same home, a backup) holds the
    database, and on the event loop that wait would stall every command. Each call runs with
    ``asyncio.to_thread``; the store's own lock still serialises them on its one connection."""

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
