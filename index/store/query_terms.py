"""The words of a BM25 query (``ArticleDB.lexical_search`` and ``article_search``).

Any-term BM25 in FTS5 scores every row that holds any of the query's words, so a query's
time follows its words' document frequencies. Two kinds of word are left out, unless
nothing else remains:

- function words (issue 14): "in", "of", "the" are in most passages;
- common words (issue 26): a word in more than ``COMMON_SHARE`` of the index's rows, and
  in more than ``COMMON_FLOOR`` rows. Its BM25 weight is small (FTS5's idf,
  log((N - n + 0.5) / (n + 0.5)), is under 3 at 5%, where a word in one row in a thousand
  has 6.9), but scoring and sorting its rows made the p95 of lexical search at 1,000,000
  passages. The floor keeps small corpora as they were: under it a word costs FTS5 well
  under a millisecond, so there is nothing to save.

A word's document frequency is read from FTS5's own vocabulary table (``fts5vocab``,
made in the connection's temporary schema, so the file is not changed); the row count
is bounded by the index's largest rowid (FTS5 numbers rows in order; removals leave gaps,
which only make the cap a little less eager)."""
from __future__ import annotations

import re
import sqlite3

from index.text.words import STOPWORDS

COMMON_SHARE = 0.05
COMMON_FLOOR = 1_000

_TOKEN = re.compile(r"\w+", re.UNICODE)


def fts_terms(query: str) -> list[str]:
    return [t for t in _TOKEN.findall(query.lower()) if t]


def add_vocabularies(conn: sqlite3.Connection, indexes: tuple[str, ...]) -> None:
    """A ``temp.<index>_vocab`` table of each FTS5 index's words (one per connection)."""
    for index in indexes:
        conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{index}_vocab USING fts5vocab(main, {index}, row)")


def search_terms(conn: sqlite3.Connection, index: str, query: str, keep_common: bool = False) -> list[str]:
    """The words of ``query`` that ``index`` is searched for: without function words, then
    without common words (see the module's note; ``keep_common``: a benchmark's baseline);
    a query of only such words keeps them."""
    terms = fts_terms(query)
    terms = [t for t in terms if t not in STOPWORDS] or terms
    if not terms or keep_common:
        return terms
    marks = ",".join("?" * len(terms))
    frequency = dict(conn.execute(f"SELECT term, doc FROM temp.{index}_vocab WHERE term IN ({marks})", terms).fetchall())
    rows = conn.execute(f"SELECT max(rowid) FROM {index}").fetchone()[0] or 0
    limit = max(COMMON_SHARE * rows, COMMON_FLOOR)
    return [t for t in terms if frequency.get(t, 0) <= limit] or terms


def match_any(terms: list[str]) -> str:
    """An FTS5 query matching any of ``terms``, each quoted (so no word is read as syntax)."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
