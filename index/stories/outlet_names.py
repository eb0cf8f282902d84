"""Outlet names a manager recorded for one corpus (issue 24): aliases ("MailOnline" is
"Daily Mail") and sister titles ("Daily Mail" and "The Mail on Sunday"). A credit names an
article's origin only when it is the origin's outlet or linked to it by these records, in
either direction, through any chain of them: nothing is assumed without a record.

Names compare case- and space-insensitively, a leading "the" ignored, as the voice rule
compares an article's own outlet (search/voice.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from index.errors import UserError
from index.store.article_db import ArticleDB
from index.validation import text_option

LinkKind = Literal["alias", "group"]
# How a credited name relates to an outlet: the same name, an alias, a sister title.
NameMatch = Literal["same", "alias", "sister_title"]
MAX_NAME_CHARS = 300  # as an article's outlet (ingest/corrections.py MAX_CHARS)


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold().removeprefix("the ")


@dataclass
class OutletEntry:
    """One outlet with what was recorded for it (``stored``: articles carry the name)."""

    name: str
    aliases: list[str] = field(default_factory=list)
    sister_titles: list[str] = field(default_factory=list)
    stored: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "aliases": self.aliases, "sister_titles": self.sister_titles,
                "stored": self.stored}


class OutletNames:
    """The recorded links, read once (one corpus's table is small)."""

    def __init__(self, article_db: ArticleDB) -> None:
        self.links = article_db.outlet_links()

    def match(self, credited: str, outlet: str | None) -> NameMatch | None:
        """How ``credited`` names ``outlet``: the same name, an alias (a chain of aliases),
        a sister title (any chain with a group link); None without a record."""
        if not outlet:
            return None
        want, start = name_key(outlet), name_key(credited)
        if want == start:
            return "same"
        seen, frontier = {start: "alias"}, [start]
        while frontier:
            node = frontier.pop()
            for a, b, kind in self.links:
                for here, there in ((name_key(a), name_key(b)), (name_key(b), name_key(a))):
                    if here == node and there not in seen:
                        seen[there] = "sister_title" if kind == "group" or seen[node] == "sister_title" else "alias"
                        frontier.append(there)
        found = seen.get(want)
        return None if found is None else ("sister_title" if found == "sister_title" else "alias")


def check_outlet_name(value: str | None, what: str) -> str:
    name = " ".join((text_option(value, what) or "").split())
    if not name:
        raise UserError(f"{what} is empty: give an outlet's name")
    if len(name) > MAX_NAME_CHARS:
        raise UserError(f"{what} is longer than {MAX_NAME_CHARS} characters")
    return name


def record_link(article_db: ArticleDB, name: str, other: str, kind: LinkKind) -> OutletEntry:
    name, other = check_outlet_name(name, "name"), check_outlet_name(other, "alias" if kind == "alias" else "other")
    if name_key(name) == name_key(other):
        raise UserError(f"{name!r} and {other!r} are the same name")
    article_db.add_outlet_link(name, other, kind)
    return next(e for e in list_outlets(article_db) if name_key(e.name) == name_key(name))


def list_outlets(article_db: ArticleDB) -> list[OutletEntry]:
    """Stored outlets and recorded names, each once, with what was recorded beside it."""
    entries: dict[str, OutletEntry] = {}

    def entry(name: str) -> OutletEntry:
        return entries.setdefault(name_key(name), OutletEntry(name))

    for outlet in article_db.outlets():
        entry(outlet).stored = True
    for name, other, kind in article_db.outlet_links():
        entry(name)
        if kind == "alias":
            entry(name).aliases.append(other)
        else:
            entry(name).sister_titles.append(other)
            entry(other).sister_titles.append(name)
    return sorted(entries.values(), key=lambda e: name_key(e.name))
