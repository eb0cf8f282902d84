"""The digest's result types: stories, their flags (a fixed vocabulary) and the whole result,
each with the JSON the CLI contract gives. Produced by stories/digest.py, rendered by
bot/render_digest.py and cli/text_output.py."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Literal, Union

from index.compare.results import ArticleCredit, QuoteChange, rounded_share
from index.records import Article, Quote
from index.stories.sourcing import SourcingProfile


@dataclass(frozen=True)
class DerivedFlag:
    article_id: str
    from_article_id: str
    reuse: float
    kind: str = "derived"

    def quotes(self) -> list[Quote]:
        return []

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "article_id": self.article_id, "from_article_id": self.from_article_id,
                "reuse": round(self.reuse, 4)}


@dataclass(frozen=True)
class QuoteChangeFlag(QuoteChange):
    """A quote change (kind from QUOTE_FLAG_KINDS) of ``article_id`` against its parent
    ``from_article_id``: ``a`` quotes the parent, ``b`` the derived article."""

    article_id: str = ""
    from_article_id: str = ""

    @classmethod
    def of(cls, change: QuoteChange) -> "QuoteChangeFlag":
        return cls(**{f.name: getattr(change, f.name) for f in fields(QuoteChange)},
                   article_id=change.b.article_id, from_article_id=change.a.article_id)

    def quotes(self) -> list[Quote]:
        extra = [q for q in (self.attribution_a, self.attribution_b) if q is not None]
        return [self.a, self.b, *self.detail_a, *self.detail_b, *extra]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "article_id": self.article_id, "from_article_id": self.from_article_id,
                **super().to_json()}


@dataclass(frozen=True)
class SingleSourceFlag:
    """``basis``: "one_article" | "one_outlet" | "all_derived"; ``article_id``: the sole
    article or the origin; ``outlet``: the one outlet (one_outlet only)."""

    basis: str
    article_id: str | None
    article_ids: tuple[str, ...]
    outlet: str | None = None
    kind: str = "single_source"

    def quotes(self) -> list[Quote]:
        return []

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "basis": self.basis, "article_id": self.article_id,
                "article_ids": list(self.article_ids), "outlet": self.outlet}


@dataclass(frozen=True)
class MissingMetadataFlag:
    """``kind``: "undated" | "unknown_outlet"."""

    kind: str
    article_ids: tuple[str, ...]

    def quotes(self) -> list[Quote]:
        return []

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "article_ids": list(self.article_ids)}


@dataclass(frozen=True)
class EditedFlag:
    """``article_id`` is a later version of ``from_article_id``: the same link fetched again
    with other text (index/ingest/links.py); ``changes``: the quotations that changed between
    the two, most important first (``a`` in the earlier version, ``b`` in the later)."""

    article_id: str
    from_article_id: str
    changes: tuple[QuoteChangeFlag, ...] = ()
    kind: str = "edited_after_publication"

    @property
    def article_ids(self) -> tuple[str, ...]:
        return (self.from_article_id, self.article_id)

    def quotes(self) -> list[Quote]:
        return [q for change in self.changes for q in change.quotes()]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "article_id": self.article_id, "from_article_id": self.from_article_id,
                "quote_changes": [c.to_json() for c in self.changes]}


DigestFlag = Union[EditedFlag, QuoteChangeFlag, DerivedFlag, SingleSourceFlag, MissingMetadataFlag]


@dataclass
class DigestStory:
    """``articles``: by date (see module docstring); ``new``: ids added in the window;
    ``relations``: id -> "origin" | "derived" | "related" (None for a one-article story);
    ``size``: articles in the story, beyond the MAX_STORY_ARTICLES listed."""

    articles: list[Article]
    lead: Quote
    flags: list[DigestFlag]
    outlets: list[str | None]
    new: set[str] = field(default_factory=set)
    relations: dict[str, str | None] = field(default_factory=dict)
    derived_from: dict[str, str] = field(default_factory=dict)
    # derived id -> share of its text reused from its parent (the story picture's arrows;
    # in the JSON only through the "derived" flags)
    reuse_from_parent: dict[str, float] = field(default_factory=dict)
    origin: str | None = None
    size: int = 0
    flags_omitted: int = 0
    new_not_listed: list[str] = field(default_factory=list)
    # kind -> how many flags of that kind were left out (they sum to flags_omitted)
    omitted_kinds: dict[str, int] = field(default_factory=dict)
    # id -> its credits and credit flags (stories/credits.py), per member
    credits: dict[str, ArticleCredit] = field(default_factory=dict)

    @property
    def story_id(self) -> str:
        return self.articles[0].article_id

    def quotes(self) -> list[Quote]:
        return [self.lead, *(q for f in self.flags for q in f.quotes()),
                *(q for c in self.credits.values() for q in c.quotes())]

    def to_json(self) -> dict[str, Any]:
        articles = []
        for a in self.articles:
            entry = a.to_json()
            entry["new"] = a.article_id in self.new
            entry["relation"] = self.relations.get(a.article_id)
            entry["derived_from"] = self.derived_from.get(a.article_id)
            entry.update(self.credits.get(a.article_id, ArticleCredit()).to_json())
            articles.append(entry)
        return {
            "story_id": self.story_id,
            "articles": articles,
            "lead": self.lead.to_json(),
            "flags": [f.to_json() for f in self.flags],
            "outlets": list(self.outlets),
            "origin": self.origin,
            "new_articles": [a.article_id for a in self.articles if a.article_id in self.new],
            "size": self.size,
            "flags_omitted": self.flags_omitted,
            "new_not_listed": list(self.new_not_listed),
        }


@dataclass
class DigestResult:
    since: datetime
    until: datetime
    stories: list[DigestStory]
    new_articles: int = 0
    stories_omitted: int = 0
    not_shown: list[Article] = field(default_factory=list)  # new articles of omitted stories

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "stories": [s.to_json() for s in self.stories],
            "new_articles": self.new_articles,
            "stories_omitted": self.stories_omitted,
            "not_shown": [a.to_json() for a in self.not_shown],
        }


Relation = Literal["origin", "derived", "related"]


@dataclass
class LineageEntry:
    """Another article of the story. ``reuse``: share of this article's text with a
    counterpart in the queried article; ``reuse_of_query``: the converse share;
    ``derived_from``/``reuse_from_parent``: its parent and the share of its text
    with a counterpart there (derived articles only); ``verbatim_from_parent``: the part
    of that share copied word for word."""

    article: Article
    relation: Relation
    reuse: float
    reuse_of_query: float
    derived_from: str | None = None
    reuse_from_parent: float | None = None
    verbatim_from_parent: float | None = None
    credit: ArticleCredit = field(default_factory=ArticleCredit)
    sourcing: SourcingProfile = field(default_factory=SourcingProfile)

    def to_json(self) -> dict[str, Any]:
        return {
            "article": self.article.to_json(),
            "relation": self.relation,
            "reuse": round(self.reuse, 4),
            "reuse_of_query": round(self.reuse_of_query, 4),
            "derived_from": self.derived_from,
            "reuse_from_parent": None if self.reuse_from_parent is None else round(self.reuse_from_parent, 4),
            "verbatim_from_parent": rounded_share(self.verbatim_from_parent),
            **self.credit.to_json(),
            "sourcing": self.sourcing.to_json(),
        }


@dataclass
class LineageResult:
    """``role`` is the queried article's own relation (None when its story has no other
    article); ``origin`` is None when no article of the story derives from another."""

    article: Article
    origin: str | None
    related: list[LineageEntry] = field(default_factory=list)
    role: Relation | None = None
    derived_from: str | None = None
    reuse_from_parent: float | None = None
    verbatim_from_parent: float | None = None
    credit: ArticleCredit = field(default_factory=ArticleCredit)
    sourcing: SourcingProfile = field(default_factory=SourcingProfile)

    def to_json(self) -> dict[str, Any]:
        return {
            "article": self.article.to_json(),
            "origin": self.origin,
            "related": [e.to_json() for e in self.related],
            "role": self.role,
            "derived_from": self.derived_from,
            "reuse_from_parent": None if self.reuse_from_parent is None else round(self.reuse_from_parent, 4),
            "verbatim_from_parent": rounded_share(self.verbatim_from_parent),
            **self.credit.to_json(),
            "sourcing": self.sourcing.to_json(),
        }
