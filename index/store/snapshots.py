"""The snapshot facts of articles fetched by link, in the article database: one row per
article, written in the same transaction as the article (``article_db.add_articles``), so an
article given by link is never stored without them. The raw page itself is a file in the
corpus home named by its sha256 (index/ingest/links.py)."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

from index.records import Snapshot
from index.store import batching

SCHEMA = """
CREATE TABLE IF NOT EXISTS snapshots (
    article_id TEXT PRIMARY KEY REFERENCES articles(article_id) ON DELETE CASCADE,
    link TEXT NOT NULL, final_url TEXT NOT NULL, fetched_at TEXT NOT NULL,
    last_modified TEXT, etag TEXT, sha256 TEXT NOT NULL,
    version_of TEXT  -- an article id; not a foreign key: a removed older version leaves it dangling
);
CREATE INDEX IF NOT EXISTS snapshots_final_url ON snapshots(final_url, fetched_at);
CREATE INDEX IF NOT EXISTS snapshots_link ON snapshots(link, fetched_at);
"""

_COLUMNS = "article_id, link, final_url, fetched_at, last_modified, etag, sha256, version_of"

Query = Callable[[str, Iterable], list[sqlite3.Row]]


def insert(db: sqlite3.Connection, article_id: str, snapshot: Snapshot | None) -> None:
    """The snapshot row of an article being added (inside the article's transaction)."""
    if snapshot is None or snapshot.sha256 is None:
        return
    db.execute(f"INSERT INTO snapshots ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
               (article_id, snapshot.link, snapshot.final_url, snapshot.fetched_at, snapshot.last_modified,
                snapshot.etag, snapshot.sha256, snapshot.version_of))


def _snapshot(row: sqlite3.Row) -> Snapshot:
    return Snapshot(row["link"], row["final_url"], row["fetched_at"], row["last_modified"], row["etag"],
                    row["sha256"], row["version_of"])


def of_article(query: Query, article_id: str) -> Snapshot | None:
    rows = query(f"SELECT {_COLUMNS} FROM snapshots WHERE article_id = ?", (article_id,))
    return _snapshot(rows[0]) if rows else None


def latest_from(query: Query, urls: Iterable[str]) -> str | None:
    """The article most recently fetched from any of ``urls`` (as given or as finally reached)."""
    wanted = list(dict.fromkeys(u for u in urls if u))
    if not wanted:
        return None
    marks = ",".join("?" * len(wanted))
    rows = query(f"SELECT article_id FROM snapshots WHERE final_url IN ({marks}) OR link IN ({marks}) "
                 "ORDER BY fetched_at DESC, rowid DESC LIMIT 1", wanted + wanted)
    return rows[0]["article_id"] if rows else None


def earlier_versions(query: Query, article_ids: Iterable[str]) -> dict[str, str]:
    """Article id -> the article it is a later version of, for those of ``article_ids`` that are."""
    ids = list(dict.fromkeys(article_ids))
    out: dict[str, str] = {}
    for chunk in batching.chunks(ids, batching.IDS_PER_STATEMENT):
        marks = ",".join("?" * len(chunk))
        out.update((r["article_id"], r["version_of"]) for r in query(
            f"SELECT article_id, version_of FROM snapshots WHERE version_of IS NOT NULL AND article_id IN ({marks})",
            list(chunk)))
    return out



def raw_pages(query: Query, column: str, values: Iterable[str]) -> set[str]:
    """The sha256 of the raw pages whose ``column`` ("article_id" or "sha256") is one of
    ``values``: the pages of some articles, or those of some pages still pointed to (a page
    may be two articles' when its text was edited by hand between fetches)."""
    assert column in ("article_id", "sha256")
    wanted = list(dict.fromkeys(values))
    found: set[str] = set()
    for chunk in batching.chunks(wanted, batching.IDS_PER_STATEMENT):
        found.update(r["sha256"] for r in query(
            f"SELECT DISTINCT sha256 FROM snapshots WHERE {column} IN ({','.join('?' * len(chunk))})", list(chunk)))
    return found
