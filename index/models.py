"""Result and record types shared by the engine, the CLI and the bot.

Every object that reaches a user is one of these; ``to_json`` gives the shape fixed by
the command-line contract (shared/cli-contract.md).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass
class Metadata:
    """Bibliographic metadata; ``None`` (or an empty list) means unknown, never guessed."""

    title: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None  # ISO 8601 date or date-time
    url: str | None = None

    def merged_over(self, lower: "Metadata") -> "Metadata":
        """This layer wins; fields it leaves unknown fall through to ``lower``."""
        return Metadata(
            title=self.title or lower.title,
            outlet=self.outlet or lower.outlet,
            authors=list(self.authors) or list(lower.authors),
            published=self.published or lower.published,
            url=self.url or lower.url,
        )


@dataclass
class ParsedDocument:
    """One article as read from a file: the text to store and what the file says of it.

    ``declared`` holds metadata the file states explicitly (front matter, JSONL fields,
    HTML meta tags); header lines of the text are read later, at a lower precedence.
    """

    text: str
    declared: Metadata = field(default_factory=Metadata)
    html_meta: Metadata = field(default_factory=Metadata)
    label: str = ""
    error: str | None = None


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class Article:
    article_id: str
    title: str | None
    outlet: str | None
    authors: list[str]
    published: str | None
    url: str | None
    chars: int
    passages: int
    added_at: str | None = None
    source_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "title": self.title,
            "outlet": self.outlet,
            "authors": list(self.authors),
            "published": self.published,
            "url": self.url,
            "chars": self.chars,
            "passages": self.passages,
            "added_at": self.added_at,
        }


@dataclass(frozen=True)
class Quote:
    """A slice of a stored article: ``text == article_text[start:end]``, always."""

    article_id: str
    text: str
    start: int
    end: int

    @classmethod
    def of(cls, article_id: str, article_text: str, start: int, end: int) -> "Quote":
        return cls(article_id, article_text[start:end], start, end)

    def to_json(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "text": self.text, "start": self.start, "end": self.end}


IngestStatus = Literal["added", "duplicate", "rejected"]


@dataclass
class IngestResult:
    path: str
    status: IngestStatus
    article_id: str | None = None
    duplicate_of: str | None = None
    error: str | None = None
    article: Article | None = None
    # a duplicate's metadata that the stored article lacks (field -> value), to offer as an edit
    offered: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "status": self.status,
            "article_id": self.article_id,
            "duplicate_of": self.duplicate_of,
            "error": self.error,
        }
        if self.article is not None:
            out["article"] = self.article.to_json()
        if self.offered:
            out["offered"] = dict(self.offered)
        return out


MatchLabel = Literal["verbatim", "close", "related"]


@dataclass
class SourceHit:
    article: Article
    quote: Quote
    score: float
    match: MatchLabel
    similarity: float  # cosine similarity of query and passage embeddings
    group: int  # hits stating the same thing share a group number

    def to_json(self) -> dict[str, Any]:
        return {
            "article": self.article.to_json(),
            "quote": self.quote.to_json(),
            "score": round(self.score, 6),
            "match": self.match,
            "similarity": round(self.similarity, 4),
            "group": self.group,
        }


@dataclass
class SourcesResult:
    query: str
    results: list[SourceHit]

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "results": [h.to_json() for h in self.results]}


class UserError(Exception):
    """An error the user can fix (bad file, unknown id): shown as a one-line message."""
