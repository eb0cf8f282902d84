"""Which stored outlet a typed outlet name means. Reporters type "mail on sunday" for "The
Mail on Sunday": a filter matches case-insensitively, and a part of a name matches when it
names exactly one stored outlet. A name that matches nothing filters to nothing, and the
answer says so (``SourcesResult.outlet_unmatched``) instead of looking like "no sources"."""
from __future__ import annotations

from collections.abc import Iterable


def match_outlet(typed: str | None, known: Iterable[str]) -> str | None:
    """The stored outlet ``typed`` names; ``typed`` itself when it names none or several."""
    if typed is None:
        return None
    wanted = " ".join(typed.split()).casefold()
    names = [k for k in known if k]
    exact = [k for k in names if " ".join(k.split()).casefold() == wanted]
    if exact:
        return exact[0]
    partial = [k for k in names if wanted and wanted in " ".join(k.split()).casefold()]
    return partial[0] if len(partial) == 1 else typed


def outlet_choices(typed: str, known: Iterable[str], limit: int = 25) -> list[str]:
    """Stored outlets containing what was typed (for autocomplete): prefix matches first."""
    wanted = " ".join((typed or "").split()).casefold()
    names = sorted({k for k in known if k and wanted in k.casefold()}, key=str.casefold)
    names.sort(key=lambda k: not k.casefold().startswith(wanted))
    return names[:limit]
