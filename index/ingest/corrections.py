"""Corrections to an article's stored metadata (``Engine.edit``): which values are
acceptable, what changes, and the audit record of every change. The stored text, the
id and the passage offsets are never touched, so every quote stays what it was."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from index import clock
from index.errors import UserError
from index.ingest.metadata import normalize_date, split_authors
from index.records import Article, Metadata
from index.store.article_db import ArticleDB
from index.store.chroma import VectorStore
from index.store.locking import CorpusLock

EDITABLE_FIELDS = ("title", "outlet", "authors", "published", "url")
MAX_CHARS = {"title": 1000, "outlet": 300, "url": 2000, "authors": 1000, "published": 200}


@dataclass(frozen=True)
class FieldChange:
    """One field of one article: ``old`` became ``new`` (None / [] = unknown)."""

    field: str
    old: Any
    new: Any

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass
class EditResult:
    article: Article
    changes: list[FieldChange]

    def to_json(self) -> dict[str, Any]:
        return {"article": self.article.to_json(), "changes": [c.to_json() for c in self.changes]}


@dataclass(frozen=True)
class EditRecord:
    """A row of the audit table: who changed which field of which article, and when."""

    article_id: str
    field: str
    old: Any
    new: Any
    editor: str | None
    at: str

    def to_json(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "field": self.field, "old": self.old, "new": self.new,
                "editor": self.editor, "at": self.at}


def _valid_text(value: str, name: str) -> str:
    if "\x00" in value or len(value) > MAX_CHARS[name]:
        raise UserError(f"{name} is too long or holds characters that are not valid text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UserError(f"{name} holds characters that are not valid text") from None
    return value


def _plain(value: str, name: str) -> str | None:
    """A one-line text field; an empty string clears it back to unknown."""
    return " ".join(_valid_text(value, name).split()) or None


def _url(value: str) -> str | None:
    value = _valid_text(value, "url").strip()
    if not value:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise UserError(f"url must be a link starting with http:// or https://, got {value[:80]!r}")
    return value


def _published(value: str) -> str | None:
    value = _valid_text(value, "published").strip()
    if not value:
        return None
    found = normalize_date(value)
    if found is None:
        raise UserError(f"could not read date {value[:80]!r}; use a form like 2026-01-12")
    return found


def _authors(value: str | list[str]) -> list[str]:
    items = [value] if isinstance(value, str) else list(value)
    for item in items:
        _valid_text(item, "authors")
    return split_authors(items)


def requested_values(*, outlet: str | None = None, title: str | None = None, url: str | None = None,
                     published: str | None = None, authors: str | list[str] | None = None) -> dict[str, Any]:
    """The validated new value of each field given (None = not given; "" or [""] = clear).
    Validated as ingest does: dates by ``normalize_date``, authors by ``split_authors``."""
    out: dict[str, Any] = {}
    if title is not None:
        out["title"] = _plain(title, "title")
    if outlet is not None:
        out["outlet"] = _plain(outlet, "outlet")
    if authors is not None:
        out["authors"] = _authors(authors)
    if published is not None:
        out["published"] = _published(published)
    if url is not None:
        out["url"] = _url(url)
    if not out:
        raise UserError("nothing to change: give at least one of outlet, title, url, published, authors")
    return out


def current_value(article: Article, field: str) -> Any:
    value = getattr(article, field)
    return list(value) if field == "authors" else value


def fillable(article: Article, offered: Metadata) -> dict[str, Any]:
    """Fields unknown in the stored article that ``offered`` knows: what a duplicate upload
    could add without overwriting anything."""
    out: dict[str, Any] = {}
    for field in EDITABLE_FIELDS:
        new = getattr(offered, field)
        if new and not current_value(article, field):
            out[field] = list(new) if field == "authors" else new
    return out


def edit_options(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` (field -> value) as keyword arguments of ``Engine.edit``."""
    return {k: (list(v) if k == "authors" else v) for k, v in values.items() if k in EDITABLE_FIELDS}


log = logging.getLogger(__name__)


def plan_changes(before: Article, *, outlet: str | None = None, title: str | None = None, url: str | None = None,
                 published: str | None = None, authors: str | list[str] | None = None) -> list[FieldChange]:
    """The changes an edit would make, validated, without making them (a UserError for bad
    input or when nothing would change)."""
    values = requested_values(outlet=outlet, title=title, url=url, published=published, authors=authors)
    changes = [FieldChange(k, current_value(before, k), v) for k, v in values.items()
               if current_value(before, k) != v]
    if not changes:
        raise UserError("nothing to change: the article already has these values")
    return changes


@dataclass
class MetadataEditor:
    """The parts of one corpus an edit writes (held by the engine)."""

    article_db: ArticleDB
    vectors: VectorStore
    write_lock: CorpusLock
    corpus: str

    def apply(self, before: Article, changes: list[FieldChange], editor: str | None) -> EditResult:
        """Write the changes under the shared write lock: the vectors' outlet label first (the
        outlet filter of queries follows the article database), then the article row and its audit
        rows in one transaction; the label is put back if that transaction fails."""
        full, values = before.article_id, {c.field: c.new for c in changes}
        with self.write_lock.held(exclusive=False):
            relabel = "outlet" in values and (values["outlet"] or "").lower() != (before.outlet or "").lower()
            if relabel:
                self.vectors.set_outlet(full, before.passages, values["outlet"])
            try:
                changed = self.article_db.apply_edits(full, values, editor, clock.now())
            except BaseException:
                if relabel:
                    self.vectors.set_outlet(full, before.passages, before.outlet)
                raise
        log.info("metadata edited", extra={"corpus": self.corpus, "article_id": full,
                                           "fields": [f for f, _, _ in changed]})
        return EditResult(self.article_db.get(full), [FieldChange(f, old, new) for f, old, new in changed])

    def records(self, article_id: str) -> list[EditRecord]:
        return [EditRecord(article_id, *row) for row in self.article_db.edits(article_id)]
