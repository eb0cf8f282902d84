"""What a reporter is told when something fails: a ``UserError``'s own one-line message;
for a ``ServiceError`` (an unreachable server, a missing model) or an unexpected
exception, fixed words, the details going to the log for the operator."""
from __future__ import annotations

from index.models import ServiceError, UserError

SERVICE_UNAVAILABLE = "the article store is unavailable right now; the problem was logged for the bot's operator"
INTERNAL_ERROR = "internal error: the problem was logged for the bot's operator"


def reason(exc: BaseException) -> str:
    """The words a reporter sees for ``exc`` (never host names, setting names or class names)."""
    if isinstance(exc, ServiceError):
        return SERVICE_UNAVAILABLE
    if isinstance(exc, UserError):
        return str(exc)
    return INTERNAL_ERROR
