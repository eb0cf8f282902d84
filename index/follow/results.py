"""What following the news answers: feeds and their polls, watched claims and their alerts,
each with the JSON the CLI prints (additions to shared/cli-contract.md, README "Following
the news")."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from index.records import Article, Quote


@dataclass(frozen=True)
class Feed:
    """A followed feed. ``items``: its items stored so far (added or found already stored);
    ``failures``: polls failed in a row (0 after a success), ``last_error`` the latest one's
    reason; ``next_poll_at``: when it is due again (later after each failure)."""

    feed_id: int
    url: str
    title: str | None
    outlet: str | None  # the outlet its pages get when they name none (default: the feed's title)
    added_at: str
    last_polled_at: str | None
    last_error: str | None
    failures: int
    next_poll_at: str
    items: int
    etag: str | None = None
    last_modified: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"feed_id": self.feed_id, "url": self.url, "title": self.title, "outlet": self.outlet,
                "added_at": self.added_at, "last_polled_at": self.last_polled_at, "last_error": self.last_error,
                "failures": self.failures, "next_poll_at": self.next_poll_at, "items": self.items}


@dataclass(frozen=True)
class Alert:
    """A new article that states a watched claim: ``match`` is the /sources verdict of its
    best passage (whatever label the verdict gives other than ``related``), ``quote`` that
    passage, sliced from the stored text."""

    watch_id: int
    claim: str
    article_id: str
    match: str
    quote: Quote
    channel_id: str | None = None  # where the bot posts it (unused by the command line)
    article: Article | None = None

    def to_json(self) -> dict[str, Any]:
        return {"watch_id": self.watch_id, "claim": self.claim, "article_id": self.article_id, "match": self.match,
                "quote": self.quote.to_json()}


@dataclass
class FeedPoll:
    """One poll of one feed: ``items`` the feed listed; ``added``, ``duplicates``, ``failed``:
    what became of the items new to this poll; ``error``: why the feed itself could not be
    read (nothing else was done then)."""

    feed_id: int
    url: str
    items: int = 0
    added: int = 0
    duplicates: int = 0
    failed: int = 0
    error: str | None = None
    article_ids: list[str] = field(default_factory=list)  # the articles added
    alerts: list[Alert] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"feed_id": self.feed_id, "url": self.url, "items": self.items, "added": self.added,
                "duplicates": self.duplicates, "failed": self.failed, "error": self.error,
                "article_ids": list(self.article_ids)}


@dataclass
class PollResult:
    feeds: list[FeedPoll]

    @property
    def alerts(self) -> list[Alert]:
        return [a for poll in self.feeds for a in poll.alerts]

    def to_json(self) -> dict[str, Any]:
        return {"feeds": [p.to_json() for p in self.feeds], "alerts": [a.to_json() for a in self.alerts]}


@dataclass(frozen=True)
class Watch:
    watch_id: int
    claim: str
    channel_id: str | None
    added_at: str
    alerts: int  # alerts it has given

    def to_json(self) -> dict[str, Any]:
        return {"watch_id": self.watch_id, "claim": self.claim, "channel_id": self.channel_id,
                "added_at": self.added_at, "alerts": self.alerts}
