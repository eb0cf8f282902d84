"""The two errors every layer raises: what a user can fix, and what only the operator can."""
from __future__ import annotations


class UserError(Exception):
    """An error the user can fix (bad file, unknown id): shown as a one-line message."""


class ServiceError(UserError):
    """A problem the operator fixes (the Chroma server unreachable, the model missing): the
    CLI shows it whole; the bot logs it and tells the reporter the service is unavailable,
    since its hosts, paths and setting names mean nothing to a reporter."""

