"""What a corpus follows, in its own SQLite file (``corpora/NAME/follow.sqlite3``): feeds with
their polling state, each feed item's claim, watched claims and the alerts they gave.

Exactly once: a feed item is claimed (a row inserted) before its page is fetched, as the
digest claims a day before posting, so restarts and concurrent polls never ingest it twice;
a claim left by a crash is taken again once stale (the ingest is idempotent: the same text
is a duplicate). An alert is one row per (watch, article), so it is never given twice.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from index.clock import utc
from index.follow.results import Feed, Watch
from index.store.batching import IDS_PER_STATEMENT, chunks
from index.store.sqlite_file import SQLiteFile

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    feed_id INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL UNIQUE, title TEXT, outlet TEXT, added_at TEXT NOT NULL,
    etag TEXT, last_modified TEXT, last_polled_at TEXT, last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0, next_poll_at TEXT NOT NULL, lease_until TEXT
);
CREATE TABLE IF NOT EXISTS feed_items (
    feed_id INTEGER NOT NULL REFERENCES feeds(feed_id) ON DELETE CASCADE,
    item_key TEXT NOT NULL, link TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('claimed', 'done', 'failed')),
    claimed_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1, article_id TEXT, error TEXT,
    PRIMARY KEY (feed_id, item_key)
);
CREATE TABLE IF NOT EXISTS watches (
    watch_id INTEGER PRIMARY KEY AUTOINCREMENT,
    claim TEXT NOT NULL, channel_id TEXT, added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS alerts (
    watch_id INTEGER NOT NULL REFERENCES watches(watch_id) ON DELETE CASCADE,
    article_id TEXT NOT NULL, match TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    at TEXT NOT NULL, posted_at TEXT,
    PRIMARY KEY (watch_id, article_id)
);
"""

_FEED = """SELECT f.*, (SELECT count(*) FROM feed_items i WHERE i.feed_id = f.feed_id AND i.state = 'done') AS items
           FROM feeds f"""
_ALERT = """SELECT a.watch_id, a.article_id, a.match, a.start, a."end", w.claim, w.channel_id
            FROM alerts a JOIN watches w ON w.watch_id = a.watch_id"""
_WATCH = """SELECT w.*, (SELECT count(*) FROM alerts a WHERE a.watch_id = w.watch_id) AS alerts FROM watches w"""


def stamp(moment: datetime) -> str:
    """One text form for every moment stored here (UTC), so text order is time order."""
    return utc(moment).isoformat(timespec="microseconds")


Row = sqlite3.Row


def _feed(row: Row) -> Feed:
    return Feed(row["feed_id"], row["url"], row["title"], row["outlet"], row["added_at"], row["last_polled_at"],
                row["last_error"], row["failures"], row["next_poll_at"], row["items"], row["etag"],
                row["last_modified"])


def _watch(row: Row) -> Watch:
    return Watch(row["watch_id"], row["claim"], row["channel_id"], row["added_at"], row["alerts"])


class FollowDB(SQLiteFile):
    def __init__(self, path: Path) -> None:
        # Other processes (cron's poll beside the bot) wait up to 30 s for a write lock.
        super().__init__(path, _SCHEMA, busy_timeout_s=30)
        self.add_missing_column("alerts", "posted_at", "TEXT")  # made before the bot posted alerts

    # -- feeds ------------------------------------------------------------------------------

    def add_feed(self, url: str, title: str | None, outlet: str | None, now: datetime) -> tuple[Feed, bool]:
        """The feed of ``url`` (added, due at once, unless already followed) and whether it is new."""
        with self._tx() as db:
            cur = db.execute("INSERT INTO feeds (url, title, outlet, added_at, next_poll_at) VALUES (?,?,?,?,?) "
                             "ON CONFLICT(url) DO NOTHING", (url, title, outlet, stamp(now), stamp(now)))
        found = self._query(f"{_FEED} WHERE f.url = ?", (url,))
        return _feed(found[0]), cur.rowcount == 1

    def feed(self, feed_id: int) -> Feed | None:
        rows = self._query(f"{_FEED} WHERE f.feed_id = ?", (feed_id,))
        return _feed(rows[0]) if rows else None

    def feeds(self) -> list[Feed]:
        return [_feed(r) for r in self._query(f"{_FEED} ORDER BY f.feed_id")]

    def due_feeds(self, now: datetime) -> list[Feed]:
        return [_feed(r) for r in self._query(f"{_FEED} WHERE f.next_poll_at <= ? ORDER BY f.next_poll_at, f.feed_id",
                                              (stamp(now),))]

    def remove_feed(self, feed_id: int) -> bool:
        with self._tx() as db:
            return db.execute("DELETE FROM feeds WHERE feed_id = ?", (feed_id,)).rowcount > 0

    def take_lease(self, feed_id: int, now: datetime, until: datetime) -> bool:
        """Only one poll of a feed at a time, across processes; a lease left by a crash ends."""
        with self._tx() as db:
            return db.execute("UPDATE feeds SET lease_until = ? WHERE feed_id = ? "
                              "AND (lease_until IS NULL OR lease_until <= ?)",
                              (stamp(until), feed_id, stamp(now))).rowcount == 1

    def end_poll(self, feed_id: int, now: datetime, next_poll: datetime, error: str | None,
                 etag: str | None = None, last_modified: str | None = None) -> None:
        """Record a poll and release the lease: a success resets the failures and keeps the
        validators for the next conditional request; a failure counts and keeps the old ones."""
        with self._tx() as db:
            if error is None:
                db.execute("UPDATE feeds SET last_polled_at = ?, last_error = NULL, failures = 0, next_poll_at = ?, "
                           "etag = ?, last_modified = ?, lease_until = NULL WHERE feed_id = ?",
                           (stamp(now), stamp(next_poll), etag, last_modified, feed_id))
            else:
                db.execute("UPDATE feeds SET last_polled_at = ?, last_error = ?, failures = failures + 1, "
                           "next_poll_at = ?, lease_until = NULL WHERE feed_id = ?",
                           (stamp(now), error, stamp(next_poll), feed_id))

    # -- feed items ---------------------------------------------------------------------------

    def claim_item(self, feed_id: int, key: str, link: str, now: datetime, stale_before: datetime,
                   max_attempts: int) -> bool:
        """Claim an item before fetching it: True when this poll owns it (new, failed fewer than
        ``max_attempts`` times, or claimed by a poll that never finished)."""
        with self._tx() as db:
            return db.execute(
                "INSERT INTO feed_items (feed_id, item_key, link, state, claimed_at) VALUES (?,?,?,'claimed',?) "
                "ON CONFLICT(feed_id, item_key) DO UPDATE SET state = 'claimed', claimed_at = excluded.claimed_at, "
                "attempts = attempts + 1 WHERE (state = 'failed' AND attempts < ?) "
                "OR (state = 'claimed' AND claimed_at < ?)",
                (feed_id, key, link, stamp(now), max_attempts, stamp(stale_before))).rowcount == 1

    def finish_item(self, feed_id: int, key: str, article_id: str | None, error: str | None) -> None:
        with self._tx() as db:
            db.execute("UPDATE feed_items SET state = ?, article_id = ?, error = ? WHERE feed_id = ? AND item_key = ?",
                       ("failed" if error else "done", article_id, error, feed_id, key))

    # -- watches and alerts -----------------------------------------------------------------

    def add_watch(self, claim: str, channel_id: str | None, now: datetime) -> Watch:
        """A watch on ``claim`` for ``channel_id``; the same claim for the same channel is the
        existing watch."""
        with self._tx() as db:
            found = db.execute("SELECT watch_id FROM watches WHERE claim = ? AND channel_id IS ?",
                               (claim, channel_id)).fetchall()
            watch_id = found[0][0] if found else db.execute(
                "INSERT INTO watches (claim, channel_id, added_at) VALUES (?,?,?)",
                (claim, channel_id, stamp(now))).lastrowid
        return _watch(self._query(f"{_WATCH} WHERE w.watch_id = ?", (watch_id,))[0])

    def watches(self) -> list[Watch]:
        return [_watch(r) for r in self._query(f"{_WATCH} ORDER BY w.watch_id")]

    def remove_watch(self, watch_id: int) -> bool:
        with self._tx() as db:
            return db.execute("DELETE FROM watches WHERE watch_id = ?", (watch_id,)).rowcount > 0

    def record_alert(self, watch_id: int, article_id: str, match: str, start: int, end: int, now: datetime) -> bool:
        """True when this (watch, article) had no alert yet: the caller gives it; else nothing."""
        with self._tx() as db:
            return db.execute('INSERT INTO alerts (watch_id, article_id, match, start, "end", at) VALUES (?,?,?,?,?,?) '
                              "ON CONFLICT(watch_id, article_id) DO NOTHING",
                              (watch_id, article_id, match, start, end, stamp(now))).rowcount == 1

    def unposted_alerts(self) -> list[Row]:
        """Alerts of watches with a channel (the bot's) not posted yet, oldest first."""
        return self._query(f"{_ALERT} WHERE w.channel_id IS NOT NULL AND a.posted_at IS NULL ORDER BY a.at, a.rowid")

    def claim_posting(self, watch_id: int, article_id: str, now: datetime) -> bool:
        """Mark an alert posted before it is sent: True for the one caller that may send it."""
        with self._tx() as db:
            return db.execute("UPDATE alerts SET posted_at = ? WHERE watch_id = ? AND article_id = ? "
                              "AND posted_at IS NULL", (stamp(now), watch_id, article_id)).rowcount == 1

    def alerts_of(self, article_ids: Iterable[str]) -> list[Row]:
        """The recorded alerts of these articles with their watch's claim and channel, in the
        order given, then by watch."""
        ids = list(dict.fromkeys(article_ids))
        order = {aid: n for n, aid in enumerate(ids)}
        rows: list[Row] = []
        for chunk in chunks(ids, IDS_PER_STATEMENT):
            rows += self._query(f"{_ALERT} WHERE a.article_id IN ({','.join('?' * len(chunk))})", chunk)
        return sorted(rows, key=lambda r: (order[r["article_id"]], r["watch_id"]))
