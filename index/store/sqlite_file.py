"""One SQLite file as every store of a corpus holds it (the article database, the follow
store): one connection shared by worker threads and serialised by a lock, WAL, foreign keys,
its schema created on open, immediate transactions that roll back on any error, and reads
as ``sqlite3.Row`` (columns by name)."""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


class SQLiteFile:
    def __init__(self, path: Path, *schemas: str, busy_timeout_s: float = 5.0) -> None:
        """``busy_timeout_s``: how long a write waits for another process's lock (a cron
        poll beside the bot) before it fails."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None,
                                     timeout=busy_timeout_s)
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            for schema in schemas:
                self._conn.executescript(schema)

    def add_missing_column(self, table: str, column: str, declaration: str) -> None:
        """Bring a file made by an earlier version up to date (a column added since)."""
        with self._lock:
            if column not in {r["name"] for r in self._conn.execute(f"PRAGMA table_info({table})")}:
                self._conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _query(self, sql: str, params: Iterable = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchall()
