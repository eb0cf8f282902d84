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
    standfirst: str | None = None  # a declared standfirst/subtitle (JSONL, front matter)
    html_meta: Metadata = field(default_factory=Metadata)
    label: str = ""
    error: str | None = None


# Where a passage sits in its article: the headline or standfirst the source gave (stored
# as their own lines above the body), or the body. One vocabulary for search and compare.
PassageRole = Literal["headline", "standfirst", "body"]
PASSAGE_ROLES: tuple[str, ...] = ("headline", "standfirst", "body")


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
    role: PassageRole = "body"
    # The matching words are reported speech (inside quotation marks, or after "claims
    # that", "said that", "it is false that"...): the outlet reports the claim, it does not
    # necessarily state it.
    reported: bool = False
    confidence: float | None = None  # the fitted judge's probability that the passage states the claim

    def to_json(self) -> dict[str, Any]:
        return {
            "article": self.article.to_json(),
            "quote": self.quote.to_json(),
            "score": round(self.score, 6),
            "match": self.match,
            "similarity": round(self.similarity, 4),
            "group": self.group,
            "role": self.role,
            "reported": self.reported,
            "confidence": None if self.confidence is None else round(self.confidence, 4),
        }


# Fixed wording said first about a `sources` answer (CLI text and bot): never generated.
# The slots hold only numbers and metadata (outlet, date).
FOUND_LINE = "Found: {passages} stored passage(s) from {who} state this claim; first dated: {first}."
NOT_FOUND_LINE = "Not found: no stored passage states this claim."
RELATED_ONLY_LINE = "The passages below are only related to it; they do not state it."
NOTHING_RELATED_LINE = "No stored passage is related to it either."
OUTLET_UNMATCHED_LINE = "No stored article is from an outlet named “{outlet}”."
REPORTED_NOTE = "reported: the outlet quotes or attributes these words; it does not necessarily state them"
STATING = ("verbatim", "close")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def who_states(outlets: int, unnamed: int) -> str:
    """"2 outlets and 1 article of unknown outlet": an unknown outlet is never counted as one."""
    parts = [_count(outlets, "outlet", "outlets")] if outlets else []
    if unnamed:
        parts.append(_count(unnamed, "article of unknown outlet", "articles of unknown outlet"))
    return " and ".join(parts)


@dataclass(frozen=True)
class ClaimSummary:
    """Who states a claim: the numbers behind the verdict line."""

    passages: int  # stating (verbatim or close) passages
    outlets: list[str]  # distinct known outlets of those passages, first dated first
    unnamed: int  # stating articles whose outlet is unknown (not counted as outlets)
    first: Article | None  # the earliest dated stating article

    def who(self) -> str:
        return who_states(len(self.outlets), self.unnamed)

    def first_text(self) -> str:
        if self.first is None:
            return "none (no stating article gives a date)"
        outlet = " ".join((self.first.outlet or "").split()) or "unknown outlet"
        return f"{outlet}, {(self.first.published or '').partition('T')[0]}"


@dataclass
class SourcesResult:
    query: str
    results: list[SourceHit]
    outlet: str | None = None  # the stored outlet the filter matched (``index/outlets.py``)
    outlet_unmatched: bool = False  # the filter names no stored outlet, so nothing can match

    @property
    def found(self) -> bool:
        """At least one stored passage states the claim (a verbatim or close hit)."""
        return any(h.match in STATING for h in self.results)

    def summary(self) -> ClaimSummary:
        stating = [h for h in self.results if h.match in STATING]
        by_date = sorted(stating, key=lambda h: h.article.date_key())
        outlets: list[str] = []
        for h in by_date:
            name = " ".join((h.article.outlet or "").split())
            if name and name.casefold() not in {o.casefold() for o in outlets}:
                outlets.append(name)
        unnamed = len({h.article.article_id for h in stating if not (h.article.outlet or "").strip()})
        first = next((h.article for h in by_date if h.article.published), None)
        return ClaimSummary(len(stating), outlets, unnamed, first)

    def verdict_lines(self) -> list[str]:
        """What to say first, in fixed wording: found, or not found and what follows."""
        lines = [OUTLET_UNMATCHED_LINE.format(outlet=" ".join((self.outlet or "").split()))] \
            if self.outlet_unmatched else []
        if self.found:
            s = self.summary()
            return lines + [FOUND_LINE.format(passages=s.passages, who=s.who(), first=s.first_text())]
        return lines + [NOT_FOUND_LINE, RELATED_ONLY_LINE if self.results else NOTHING_RELATED_LINE]

    def group_label(self, group: int) -> str:
        """A group's label is its strongest member's."""
        labels = {h.match for h in self.results if h.group == group}
        return next((m for m in ("verbatim", "close", "related") if m in labels), "related")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"query": self.query, "found": self.found,
                               "results": [h.to_json() for h in self.results]}
        if self.outlet is not None:  # only when filtered, so unfiltered answers are unchanged
            out["outlet"] = self.outlet
            out["outlet_matched"] = not self.outlet_unmatched
        return out


class UserError(Exception):
    """An error the user can fix (bad file, unknown id): shown as a one-line message."""


class ServiceError(UserError):
    """A problem the operator fixes (the Chroma server unreachable, the model missing): the
    CLI shows it whole; the bot logs it and tells the reporter the service is unavailable,
    since its hosts, paths and setting names mean nothing to a reporter."""
