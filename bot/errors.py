"""What a reporter is told when something fails: a ``UserError``'s own one-line message;
for a ``ServiceError`` (an unreachable server, a missing model) or an unexpected
exception, fixed words, the details going to the log for the operator."""
from __future__ import annotations

from index import ServiceError, UserError

SERVICE_UNAVAILABLE = "the article store is unavailable right now; the problem was logged for the bot's operator"
INTERNAL_ERROR = "internal error: the problem was logged for the bot's operator"
# An upload the outage cut short: its earlier batches are committed, the rest is not; the
# same file again adds the rest (what was stored comes back as duplicates).
UPLOAD_INTERRUPTED = ("the article store became unavailable during this upload: articles stored before that "
                      "are kept, the rest were not added; post the same file again later (articles already "
                      "stored show as duplicates)")


def reason(exc: BaseException, *, upload: bool = False) -> str:
    """The words a reporter sees for ``exc`` (never host names, setting names or class names)."""
    if isinstance(exc, ServiceError):
        return UPLOAD_INTERRUPTED if upload else SERVICE_UNAVAILABLE
    if isinstance(exc, UserError):
        return str(exc)
    return INTERNAL_ERROR
