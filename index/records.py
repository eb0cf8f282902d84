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
class Snapshot:
    """What was fetched for an article given by link (index/ingest/links.py): the link as
    given, the final URL after redirects, when, the response's validators, the sha256 of the
    raw page and the article it is a later version of. A failed fetch has only ``link``."""

    link: str
    final_url: str | None = None
    fetched_at: str | None = None
    last_modified: str | None = None
    etag: str | None = None
    sha256: str | None = None
    version_of: str | None = None  # the latest stored article fetched from the same URL
    raw: bytes = field(default=b"", repr=False, compare=False)  # kept in the corpus home once stored

    def to_json(self) -> dict[str, Any]:
        return {"link": self.link, "final_url": self.final_url, "fetched_at": self.fetched_at,
                "last_modified": self.last_modified, "etag": self.etag, "sha256": self.sha256,
                "version_of": self.version_of}


@dataclass
class ParsedDocument:
    """One article as read from a file: the text to store and what the file says of it.

    ``declared`` holds metadata the file states explicitly (front matter, JSONL fields,
    HTML meta tags); header lines of the text are read later, at a lower precedence.
    """

    text: str
    declared: Metadata = field(default_factory=Metadata)
    standfirst: str | None = None  # a declared standfirst/subtitle (JSONL, front matter)
    html_meta: Metadata = field(default_factory=Metadata)
    label: str = ""
    error: str | None = None
    snapshot: Snapshot | None = None  # a page fetched by link


# Where a passage sits in its article: the headline or standfirst the source gave (stored
# as their own lines above the body), or the body. One vocabulary for search and compare.
PassageRole = Literal["headline", "standfirst", "body"]


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

    def date_key(self) -> tuple[int, str]:
        """The one chronological order: dated articles by date, earliest first; undated ones
        after them, in the order they were added (never given a date)."""
        return (0, self.published) if self.published else (1, self.added_at or "")

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



