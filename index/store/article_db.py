"""The article database of one corpus: stored texts, passage offsets, and the lexical
(BM25, SQLite FTS5) indexes, one of passages and one of whole articles, in one SQLite file.
The article index (``articles_fts``, issue 21) reads its text from the articles table
(FTS5 external content), so whole texts are not stored twice.

The article row is the commit point of an ingest: vectors are written to Chroma first,
then text, passages and lexical rows in one SQLite transaction. An article is present
exactly when its row is; vectors without a row are orphans that ``Engine.check`` removes.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from index.records import Article, Metadata, PassageRole, Snapshot, Span
from index.store import batching, snapshots
from index.store.batching import chunks
from index.store.query_terms import add_vocabularies, fts_terms, match_any, search_terms
from index.store.sqlite_file import SQLiteFile

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    article_id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    title TEXT, outlet TEXT, authors TEXT NOT NULL, published TEXT, url TEXT,
    source_name TEXT, added_at TEXT NOT NULL, chars INTEGER NOT NULL, n_passages INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_added ON articles(added_at);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS passages (
    article_id TEXT NOT NULL REFERENCES articles(article_id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    role TEXT NOT NULL DEFAULT 'body',
    PRIMARY KEY (article_id, idx)
);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    text, article_id UNINDEXED, idx UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS added_by (
    article_id TEXT PRIMARY KEY REFERENCES articles(article_id) ON DELETE CASCADE,
    who TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS metadata_edits (
    article_id TEXT NOT NULL REFERENCES articles(article_id) ON DELETE CASCADE,
    field TEXT NOT NULL, old TEXT, new TEXT, who TEXT, at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS metadata_edits_article ON metadata_edits(article_id, at);
CREATE TABLE IF NOT EXISTS outlet_links (
    name TEXT NOT NULL, other TEXT NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (name, other, kind)
);
"""
# Created apart, so that a database made before it (issue 21) is indexed once when opened.
_ARTICLE_INDEX = """
CREATE VIRTUAL TABLE articles_fts USING fts5(
    text, content = 'articles', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
"""

_EDITABLE_COLUMNS = ("title", "outlet", "authors", "published", "url")
_ARTICLE_COLUMNS = "article_id, title, outlet, authors, published, url, chars, n_passages, added_at, source_name"


def _unindex_articles(db: sqlite3.Connection, article_ids: list[str]) -> None:
    """Take articles out of the whole-article index (external content: FTS5 is told the
    indexed text, read from the row before the row goes)."""
    marks = ",".join("?" * len(article_ids))
    db.execute(f"INSERT INTO articles_fts(articles_fts, rowid, text) SELECT 'delete', rowid, text FROM articles "
               f"WHERE article_id IN ({marks})", article_ids)


def _row_to_article(row: sqlite3.Row) -> Article:
    return Article(
        article_id=row["article_id"],
        title=row["title"],
        outlet=row["outlet"],
        authors=json.loads(row["authors"]),
        published=row["published"],
        url=row["url"],
        chars=row["chars"],
        passages=row["n_passages"],
        added_at=row["added_at"],
        source_name=row["source_name"],
    )


class ArticleDB(SQLiteFile):
    def __init__(self, path: Path) -> None:
        super().__init__(path, _SCHEMA, snapshots.SCHEMA)  # snapshots: articles fetched by link
        self.add_missing_column("passages", "role", "TEXT NOT NULL DEFAULT 'body'")  # made before passages had roles
        self._add_missing_article_index()
        with self._lock:
            add_vocabularies(self._conn, ("passages_fts", "articles_fts"))  # common words' counts (query_terms)

    def _add_missing_article_index(self) -> None:
        """The whole-article index, made and filled from the stored texts when the file has none
        (new, or made before issue 21)."""
        with self._lock:
            if not self._conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_fts'").fetchall():
                self._conn.executescript(_ARTICLE_INDEX)

    # -- articles ---------------------------------------------------------------------

    def add_articles(
        self, rows: list[tuple[str, str, Metadata, list[Span], str, str | None]],
        roles: dict[str, list[PassageRole]] | None = None,
        fetched: dict[str, Snapshot] | None = None,
    ) -> set[str]:
        """Add articles (text, passages, lexical rows) in one transaction: all or none.
        Returns the ids actually added; an id already present is left as it is (the same
        text added meanwhile by another process), so re-running an ingest never duplicates.
        ``roles`` gives each article's passage roles (default: all ``body``); ``fetched`` the
        snapshot facts of articles given by link."""
        roles, fetched = roles or {}, fetched or {}
        added: set[str] = set()
        with self._tx() as db:
            for article_id, text, meta, spans, added_at, source_name in rows:
                cur = db.execute(
                    "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(article_id) DO NOTHING",
                    (article_id, text, meta.title, meta.outlet, json.dumps(meta.authors), meta.published,
                     meta.url, source_name, added_at, len(text), len(spans)),
                )
                if cur.rowcount == 0:
                    continue
                added.add(article_id)
                article_roles = roles.get(article_id) or ["body"] * len(spans)
                db.executemany(
                    'INSERT INTO passages (article_id, idx, start, "end", role) VALUES (?,?,?,?,?)',
                    [(article_id, i, s.start, s.end, r) for (i, s), r in zip(enumerate(spans), article_roles)],
                )
                db.executemany(
                    "INSERT INTO passages_fts (text, article_id, idx) VALUES (?,?,?)",
                    [(text[s.start : s.end], article_id, i) for i, s in enumerate(spans)],
                )
                db.execute("INSERT INTO articles_fts (rowid, text) VALUES (?, ?)", (cur.lastrowid, text))
                snapshots.insert(db, article_id, fetched.get(article_id))
        return added

    def remove(self, article_id: str) -> bool:
        with self._tx() as db:
            _unindex_articles(db, [article_id])
            db.execute("DELETE FROM passages_fts WHERE article_id = ?", (article_id,))
            db.execute("DELETE FROM passages WHERE article_id = ?", (article_id,))
            return db.execute("DELETE FROM articles WHERE article_id = ?", (article_id,)).rowcount > 0

    def remove_many(self, article_ids: Iterable[str]) -> list[str]:
        """Remove many articles in one transaction (all or none), ``IDS_PER_STATEMENT`` ids
        per statement; returns the ids that were present, in the order given."""
        ids = list(dict.fromkeys(article_ids))
        present: set[str] = set()
        with self._tx() as db:
            for chunk in chunks(ids, batching.IDS_PER_STATEMENT):
                marks = ",".join("?" * len(chunk))
                present.update(r["article_id"] for r in db.execute(
                    f"SELECT article_id FROM articles WHERE article_id IN ({marks})", chunk))
                _unindex_articles(db, chunk)
                db.execute(f"DELETE FROM passages_fts WHERE article_id IN ({marks})", chunk)
                db.execute(f"DELETE FROM passages WHERE article_id IN ({marks})", chunk)
                db.execute(f"DELETE FROM articles WHERE article_id IN ({marks})", chunk)
        return [aid for aid in ids if aid in present]

    def has(self, article_id: str) -> bool:
        return bool(self._query("SELECT 1 FROM articles WHERE article_id = ?", (article_id,)))

    def get(self, article_id: str) -> Article | None:
        rows = self._query(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE article_id = ?", (article_id,))
        return _row_to_article(rows[0]) if rows else None

    def _rows_for_ids(self, columns: str, article_ids: Iterable[str]) -> list[sqlite3.Row]:
        """Rows of the given articles, in chunks under SQLite's bound-parameter limit."""
        ids = list(dict.fromkeys(article_ids))
        rows: list[sqlite3.Row] = []
        for chunk in chunks(ids, batching.IDS_PER_STATEMENT):
            marks = ",".join("?" * len(chunk))
            rows += self._query(f"SELECT {columns} FROM articles WHERE article_id IN ({marks})", chunk)
        return rows

    def get_many(self, article_ids: Iterable[str]) -> dict[str, Article]:
        return {r["article_id"]: _row_to_article(r) for r in self._rows_for_ids(_ARTICLE_COLUMNS, article_ids)}

    def text(self, article_id: str) -> str | None:
        rows = self._query("SELECT text FROM articles WHERE article_id = ?", (article_id,))
        return rows[0]["text"] if rows else None

    def texts(self, article_ids: Iterable[str]) -> dict[str, str]:
        return {r["article_id"]: r["text"] for r in self._rows_for_ids("article_id, text", article_ids)}

    def find_prefix(self, prefix: str) -> list[str]:
        """Ids starting with ``prefix``, so users can type a short id as in git."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._query("SELECT article_id FROM articles WHERE article_id LIKE ? ESCAPE '\\' LIMIT 3", (escaped + "%",))
        return [r["article_id"] for r in rows]

    def list(self, outlet: str | None = None, limit: int | None = None, offset: int = 0,
             added_since: str | None = None) -> list[Article]:
        where, params = [], []
        if outlet:
            where.append("outlet = ? COLLATE NOCASE")
            params.append(outlet)
        if added_since:
            where.append("added_at >= ?")
            params.append(added_since)
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY added_at DESC, article_id LIMIT ? OFFSET ?"
        params += [-1 if limit is None else limit, offset]
        return [_row_to_article(r) for r in self._query(sql, params)]

    def find(self, typed: str, limit: int) -> list[Article]:
        """Articles whose title, outlet, id or date contains ``typed`` (case-insensitive),
        newest first: autocomplete over the whole corpus, not only recent articles."""
        like = "%" + typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        fields = ("title", "outlet", "article_id", "published", "source_name")
        where = " OR ".join(f"{f} LIKE ? ESCAPE '\\'" for f in fields)
        rows = self._query(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE {where} ORDER BY added_at DESC LIMIT ?",
            [like] * len(fields) + [limit],
        )
        return [_row_to_article(r) for r in rows]

    def count(self) -> int:
        return int(self._query("SELECT count(*) AS n FROM articles")[0]["n"])

    def article_ids(self) -> set[str]:
        return {r["article_id"] for r in self._query("SELECT article_id FROM articles")}

    def outlets(self) -> list[str]:
        rows = self._query("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet")
        return [r["outlet"] for r in rows]

    # -- passages ---------------------------------------------------------------------

    def spans(self, article_id: str) -> list[Span]:
        rows = self._query('SELECT start, "end" FROM passages WHERE article_id = ? ORDER BY idx', (article_id,))
        return [Span(r["start"], r["end"]) for r in rows]

    def span(self, article_id: str, idx: int) -> Span | None:
        rows = self._query('SELECT start, "end" FROM passages WHERE article_id = ? AND idx = ?', (article_id, idx))
        return Span(rows[0]["start"], rows[0]["end"]) if rows else None

    def roles(self, article_id: str) -> list[PassageRole]:
        rows = self._query("SELECT role FROM passages WHERE article_id = ? ORDER BY idx", (article_id,))
        return [r["role"] for r in rows]

    def passage_spans(self, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], tuple[Span, PassageRole]]:
        """Span and role of many passages at once (the candidates of a query)."""
        by_article: dict[str, set[int]] = {}
        for aid, idx in keys:
            by_article.setdefault(aid, set()).add(idx)
        out: dict[tuple[str, int], tuple[Span, PassageRole]] = {}
        for chunk in chunks(list(by_article), batching.IDS_PER_STATEMENT):
            marks = ",".join("?" * len(chunk))
            for r in self._query(f'SELECT article_id, idx, start, "end", role FROM passages '
                                 f"WHERE article_id IN ({marks})", chunk):
                if r["idx"] in by_article[r["article_id"]]:
                    out[(r["article_id"], r["idx"])] = (Span(r["start"], r["end"]), r["role"])
        return out

    def passage_count(self) -> int:
        return int(self._query("SELECT count(*) AS n FROM passages")[0]["n"])

    def passage_counts(self) -> dict[str, int]:
        """Article id -> number of passages, for every article (the consistency check)."""
        return {r["article_id"]: int(r["n_passages"]) for r in self._query("SELECT article_id, n_passages FROM articles")}

    # -- lexical rows: counted and rebuilt by the consistency check ---------------------

    def fts_count(self) -> int:
        return int(self._query("SELECT count(*) AS n FROM passages_fts")[0]["n"])

    def fts_counts(self) -> dict[str, int]:
        rows = self._query("SELECT article_id, count(*) AS n FROM passages_fts GROUP BY article_id")
        return {r["article_id"]: int(r["n"]) for r in rows}

    def rebuild_fts(self, article_ids: Iterable[str]) -> None:
        """The lexical rows of these articles, made again from their stored text and offsets
        (or removed, for articles that are not registered), in one transaction.

        ``article_id`` is UNINDEXED in the FTS5 table, so a ``DELETE ... WHERE article_id``
        scans every row: one scan finds the rows of all the articles, which are then deleted
        by rowid (time linear in the corpus plus the articles, not their product)."""
        wanted = set(article_ids)
        if not wanted:
            return
        with self._tx() as db:
            stale = [(r["rowid"],) for r in db.execute("SELECT rowid, article_id FROM passages_fts")
                     if r["article_id"] in wanted]
            db.executemany("DELETE FROM passages_fts WHERE rowid = ?", stale)
            for chunk in chunks(sorted(wanted), batching.IDS_PER_STATEMENT):
                marks = ",".join("?" * len(chunk))
                texts = {r["article_id"]: r["text"] for r in db.execute(
                    f"SELECT article_id, text FROM articles WHERE article_id IN ({marks})", chunk)}
                spans = db.execute(f'SELECT article_id, idx, start, "end" FROM passages WHERE article_id IN ({marks}) '
                                   "ORDER BY article_id, idx", chunk).fetchall()
                db.executemany(
                    "INSERT INTO passages_fts (text, article_id, idx) VALUES (?,?,?)",
                    [(texts[r["article_id"]][r["start"] : r["end"]], r["article_id"], r["idx"])
                     for r in spans if r["article_id"] in texts],
                )

    def check_article_index(self, repair: bool) -> bool:
        """Whether the whole-article index agrees with the stored texts (FTS5's own
        integrity check); with ``repair``, a disagreeing one is rebuilt from them."""
        with self._lock:
            try:
                self._conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
                return True
            except sqlite3.DatabaseError:
                if repair:
                    self._conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
                return False

    # -- lexical search -----------------------------------------------------------------

    def article_search(self, query: str, k: int, outlet: str | None = None) -> list[tuple[str, float]]:
        """(article_id, bm25 score; higher is better) of whole articles, best first: any of
        the query's words but function words, as ``lexical_search`` (FTS5's BM25, k1 1.2,
        b 0.75, over each article's whole stored text)."""
        with self._lock:
            terms = search_terms(self._conn, "articles_fts", query)
        if not terms:
            return []
        match = match_any(terms)
        sql = ("SELECT a.article_id AS article_id, bm25(articles_fts) AS rank FROM articles_fts "
               "JOIN articles a ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH ?")
        params: list = [match]
        if outlet:
            sql += " AND a.outlet = ? COLLATE NOCASE"
            params.append(outlet)
        sql += " ORDER BY rank LIMIT ?"
        params.append(k)
        return [(r["article_id"], -float(r["rank"])) for r in self._query(sql, params)]

    def unstored_words(self, keys: Iterable[str], prefix: bool = True) -> set[str]:
        """The word keys (lower case, no accents) that no stored passage has, nor (``prefix``)
        a word beginning with them ("iceland", nor "icelandic"): read from the index's
        vocabulary."""
        with self._lock:
            return {k for k in keys if self._conn.execute(
                "SELECT 1 FROM temp.passages_fts_vocab WHERE term >= ? AND term < ? LIMIT 1",
                (k, k + "\U0010ffff" if prefix else k + "\x00")).fetchone() is None}

    def lexical_search(self, query: str, k: int, outlet: str | None = None, phrase: bool = False,
                       all_terms: bool = False, common_terms: bool = False) -> list[tuple[str, int, float]]:
        """(article_id, passage idx, bm25 score; higher is better), best first.

        Any-term matching ranked by BM25 finds names and rare words, without function words
        and words in most rows (``query_terms.search_terms``); ``phrase`` asks for every word
        in sequence (exact-phrase search). Benchmarks' baselines: ``all_terms`` keeps every
        word (before issue 14), ``common_terms`` the common ones (before issue 26).
        """
        if phrase or all_terms:
            terms = fts_terms(query)
        else:
            with self._lock:
                terms = search_terms(self._conn, "passages_fts", query, keep_common=common_terms)
        if not terms:
            return []
        match = '"' + " ".join(terms).replace('"', '""') + '"' if phrase else match_any(terms)
        sql = ("SELECT f.article_id AS article_id, f.idx AS idx, bm25(passages_fts) AS rank "
               "FROM passages_fts f")
        params: list = []
        if outlet:
            sql += " JOIN articles a ON a.article_id = f.article_id WHERE passages_fts MATCH ? AND a.outlet = ? COLLATE NOCASE"
            params = [match, outlet]
        else:
            sql += " WHERE passages_fts MATCH ?"
            params = [match]
        sql += " ORDER BY rank LIMIT ?"
        params.append(k)
        return [(r["article_id"], int(r["idx"]), -float(r["rank"])) for r in self._query(sql, params)]

    # -- metadata corrections and who added an article (ingest/corrections.py) ------------

    def set_added_by(self, article_ids: Iterable[str], who: str) -> None:
        """Record who added these articles (the first record wins: a duplicate upload never
        makes its poster the uploader)."""
        with self._tx() as db:
            db.executemany("INSERT INTO added_by VALUES (?, ?) ON CONFLICT(article_id) DO NOTHING",
                           [(aid, who) for aid in article_ids])

    def added_by(self, article_id: str) -> str | None:
        rows = self._query("SELECT who FROM added_by WHERE article_id = ?", (article_id,))
        return rows[0]["who"] if rows else None

    def apply_edits(self, article_id: str, values: dict, who: str | None, at: str) -> list[tuple[str, object, object]]:
        """Set metadata fields (``values``: field -> new value) and add one audit row per field
        that really changes, in one transaction; returns (field, old, new) of those. The old
        values are read inside the transaction, so concurrent edits are recorded truly."""
        changed: list[tuple[str, object, object]] = []
        with self._tx() as db:
            rows = db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE article_id = ?", (article_id,)).fetchall()
            if not rows:
                return changed
            current = _row_to_article(rows[0])
            for field, new in values.items():
                if field not in _EDITABLE_COLUMNS:
                    raise ValueError(f"not an editable field: {field}")
                old = getattr(current, field)
                if old == new:
                    continue
                stored = json.dumps(new) if field == "authors" else new
                db.execute(f"UPDATE articles SET {field} = ? WHERE article_id = ?", (stored, article_id))
                db.execute("INSERT INTO metadata_edits VALUES (?,?,?,?,?,?)",
                           (article_id, field, json.dumps(old), json.dumps(new), who, at))
                changed.append((field, old, new))
        return changed

    def edits(self, article_id: str) -> list[tuple[str, object, object, str | None, str]]:
        """(field, old, new, who, at) of every recorded change, oldest first."""
        rows = self._query("SELECT field, old, new, who, at FROM metadata_edits WHERE article_id = ? "
                           "ORDER BY at, rowid", (article_id,))
        return [(r["field"], json.loads(r["old"]), json.loads(r["new"]), r["who"], r["at"]) for r in rows]

    # -- articles fetched by link (store/snapshots.py) --------------------------------------

    def snapshot(self, article_id: str) -> Snapshot | None:
        return snapshots.of_article(self._query, article_id)

    def latest_fetched_from(self, urls: Iterable[str]) -> str | None:
        return snapshots.latest_from(self._query, urls)

    def earlier_versions(self, article_ids: Iterable[str]) -> dict[str, str]:
        return snapshots.earlier_versions(self._query, article_ids)

    def raw_pages_of(self, article_ids: Iterable[str]) -> set[str]:
        return snapshots.raw_pages(self._query, "article_id", article_ids)

    def raw_pages_in_use(self, sha256s: Iterable[str]) -> set[str]:
        return snapshots.raw_pages(self._query, "sha256", sha256s)

    # -- outlet names (issue 24): aliases and sister titles a manager recorded ------------

    def add_outlet_link(self, name: str, other: str, kind: str) -> None:
        with self._tx() as db:
            db.execute("INSERT OR IGNORE INTO outlet_links(name, other, kind) VALUES (?, ?, ?)", (name, other, kind))

    def outlet_links(self) -> list[tuple[str, str, str]]:
        return [(r["name"], r["other"], r["kind"]) for r in self._query(
            "SELECT name, other, kind FROM outlet_links ORDER BY name, kind, other")]
