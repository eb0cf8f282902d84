"""One chunking helper for calls whose size follows the input, and the limits it keeps to.

Every Chroma or SQLite call that carries a list as long as the input (query vectors, ids to
fetch or delete, vectors to upsert, ids in ``IN (...)``) goes through ``chunks`` with one of
the sizes below, so no input is too large for one statement. Results are gathered chunk by
chunk in input order, so a chunked call returns what the single call would have.

The limits, and why these numbers:

- SQLite refuses a statement with more bound variables than ``SQLITE_MAX_VARIABLE_NUMBER``:
  999 in builds before 3.32 (2020), 32,766 since. Our own SQL (``IN (...)`` lists in the
  article database and the embedding cache) binds at most ``IDS_PER_STATEMENT`` ids plus a few other
  parameters: under 999, so it runs on any SQLite a Python may link.
- Chroma (1.x, embedded and ``chroma run`` alike) reads the metadata of a k-NN query's
  results in one SQLite statement of about one variable per result: Q query vectors with
  K results each bind ~Q*K variables. Measured on chromadb 1.5.9: 400 x 80 works, 410 x 80
  fails with "too many SQL variables" (its SQLite allows 32,766). ``SQL_VARIABLES`` is
  half that, leaving room for a ``where`` filter's variables and a smaller build.
- Chroma refuses writes larger than ``client.get_max_batch_size()`` (5,461 embedded on
  chromadb 1.5.9; a server says its own). ``write_batch`` keeps under it and under
  ``MAX_WRITE_BATCH``; ids to get or delete go in batches of the same size.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

# Variables one Chroma k-NN call may bind (about one per result): half SQLite's 32,766.
SQL_VARIABLES = 16_000
# Ids per IN (...) list in our own SQL: under 999, the smallest limit SQLite has had.
IDS_PER_STATEMENT = 500
# Ids or vectors per Chroma write, get or delete, whatever the client allows beyond it.
MAX_WRITE_BATCH = 5_000


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most ``size`` items (at least one item each), in order."""
    size = max(1, int(size))
    for i in range(0, len(items), size):
        yield items[i : i + size]


def queries_per_call(results_per_query: int) -> int:
    """How many query vectors one Chroma call may carry when each asks for
    ``results_per_query`` results (Chroma binds about one variable per result)."""
    return max(1, SQL_VARIABLES // max(1, results_per_query))


def write_batch(client_max: int | None) -> int:
    """Items per Chroma write/get/delete: ``MAX_WRITE_BATCH``, or less when the client's
    ``get_max_batch_size()`` says so."""
    if client_max is None or client_max <= 0:
        return MAX_WRITE_BATCH
    return max(1, min(MAX_WRITE_BATCH, int(client_max)))
