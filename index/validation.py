"""The one place for argument rules the CLI, the bot and the engine share, with their messages:
valid text, whole numbers in a range, text options, and the query limits."""
from __future__ import annotations

from index.config import Limits
from index.errors import UserError

EMPTY_QUERY = "the query is empty: give a claim or a question"


def storable(text: str) -> bool:
    """Text SQLite and the model can take: valid UTF-8 (no lone surrogates, which
    undecodable command-line bytes become) and no NUL."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def whole_number(value, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise UserError(f"{name} must be a whole number, got {value!r}") from None
    if not low <= value <= high:
        raise UserError(f"{name} must be between {low:,} and {high:,}, got {value:,}")
    return value


def text_option(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    if not storable(value) or len(value) > 500:
        raise UserError(f"{name} holds characters that are not valid text, or is too long")
    return value


def check_query(query: str, limits: Limits, empty: str = EMPTY_QUERY) -> None:
    """A claim, question or phrase: not empty, within the length limit, valid text."""
    if not query or not query.strip():
        raise UserError(empty)
    if len(query) > limits.max_query_chars:
        raise UserError(f"the query has {len(query):,} characters; the limit is {limits.max_query_chars:,}")
    if not storable(query):
        raise UserError("the query holds characters that are not valid text (undecodable bytes or NUL)")


def result_limit(limit) -> int:
    """How many results a query may ask for: 1 to 50 (larger values are capped, not refused)."""
    return max(1, min(whole_number(limit, "limit", -(10**9), 10**9), 50))
