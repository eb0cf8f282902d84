"""One chunking helper for calls whose size follows the input.

SQLite refuses statements with more than 32,766 bound variables, and Chroma's embedded
store turns a query of Q vectors x K results into statements of that size, so every
call whose size grows with the input (ids, queries, texts) goes through ``chunks``.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

# Bound variables per statement we allow ourselves: well under SQLite's 32,766.
SQL_VARIABLES = 20_000
# IN (...) lists in our own SQL.
IDS_PER_STATEMENT = 500


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most ``size`` items (at least one item each)."""
    size = max(1, int(size))
    for i in range(0, len(items), size):
        yield items[i : i + size]


def queries_per_call(results_per_query: int) -> int:
    """How many query vectors one Chroma call may carry when each asks for
    ``results_per_query`` results (Chroma binds about one variable per result)."""
    return max(1, SQL_VARIABLES // max(1, results_per_query))
