"""Feeds followed: RSS and Atom (feedparser) fetched through the guarded client, each new
item's link fetched and ingested as a link is (index/ingest/links.py), with the feed's
outlet and the item's title, date and authors below the page's own metadata.

Polling is per feed so that a scheduler can drive it (``due(now)``, then ``poll(id, now)``
for each; the bot's will), and ``poll_due`` does both for cron. A poll sends the feed's
ETag/Last-Modified back (a 304 costs nothing); a success makes the feed due again after
``POLL_INTERVAL``; a failure after a backoff that doubles with each failure in a row, up to
``MAX_BACKOFF``, so a feed that keeps failing is tried rarely and ``list`` shows why.
Each item is claimed in SQLite before its page is fetched (store.FollowDB.claim_item): one
ingest per item across restarts and concurrent polls; an item whose page fails is tried
again on later polls, ``MAX_ITEM_ATTEMPTS`` times in all.
"""
from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import feedparser

from index.clock import utc
from index.errors import UserError
from index.follow.results import Feed, FeedPoll, PollResult
from index.follow.store import FollowDB
from index.follow.watches import Watches
from index.ingest.fetch import Fetched, checked_link
from index.ingest.links import LinkReader
from index.ingest.metadata import normalize_date, split_authors
from index.ingest.results import IngestResult
from index.records import Metadata, ParsedDocument
from index.validation import text_option

log = logging.getLogger(__name__)

POLL_INTERVAL = timedelta(minutes=15)
MAX_BACKOFF = timedelta(days=1)
# A poll that outlives this lets another poll of the feed start (a crashed poll's lease ends).
POLL_LEASE = timedelta(minutes=30)
# An item claimed this long ago by a poll that never finished it is claimed again.
STALE_CLAIM = timedelta(minutes=30)
MAX_ITEM_ATTEMPTS = 3
MAX_ITEMS_PER_POLL = 50  # the feed's newest; the rest wait for later polls if still listed
ITEMS_PER_BATCH = 10  # claimed, fetched and ingested together (claims stay fresh)
BUSY = "another poll of this feed is running"

Ingest = Callable[[list[tuple[str, ParsedDocument]], Metadata, None], list[IngestResult]]


def feed_media(media_type: str) -> bool:
    """Feeds come as many types (application/rss+xml, text/xml, text/plain…): any text or
    XML; feedparser decides."""
    return media_type.startswith("text/") or any(k in media_type for k in ("xml", "rss", "atom"))


@dataclass(frozen=True)
class Item:
    key: str  # the item's id, else its link
    link: str
    meta: Metadata  # what the feed says of it (below the page's own metadata)


def read_feed(fetched: Fetched) -> tuple[str | None, list[Item]]:
    """The feed's title and its items with a web link, newest first as listed; a ``UserError``
    when the bytes are not a feed."""
    parsed = feedparser.parse(io.BytesIO(fetched.body),  # bytes: feedparser never fetches or opens a file
                              response_headers={"content-location": fetched.final_url,
                                                "content-type": fetched.content_type or "application/xml"})
    items = []
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        try:
            checked_link(link)
        except UserError:
            continue  # an item without a web link is nothing to fetch
        meta = Metadata(title=_text(entry.get("title")), authors=split_authors(_text(entry.get("author")) or ""),
                        published=normalize_date(_text(entry.get("published")) or ""))
        items.append(Item(_text(entry.get("id")) or link, link, meta))
    # Malformed XML is read as far as it goes (as feed readers do); nothing usable is an error.
    if not items and (parsed.bozo or not parsed.version):
        raise UserError(f"cannot read {fetched.link} as a feed: it is not valid RSS or Atom")
    return _text(parsed.feed.get("title")), items


def _text(value) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def backoff(failures: int) -> timedelta:
    return min(POLL_INTERVAL * 2 ** min(failures, 16), MAX_BACKOFF)


@dataclass
class Feeds:
    """The feeds one corpus follows (held by the engine). ``ingest`` is the engine's
    ``ingest_documents``, so feed items are judged against watched claims like any ingest."""

    db: FollowDB
    links: LinkReader
    watches: Watches
    ingest: Ingest

    def add(self, url: str, outlet: str | None = None, now: datetime | None = None) -> Feed:
        """Follow the feed at ``url`` (read once now, to know it is a feed and its title);
        due at once. A feed already followed is returned as it is."""
        url = checked_link((url or "").strip())
        outlet = text_option(outlet, "outlet")
        title, _ = read_feed(self.links.client.get(url, accept=feed_media, what="a feed"))
        feed, _new = self.db.add_feed(url, title, (outlet or "").strip() or title, now or datetime.now(timezone.utc))
        return feed

    def list(self) -> list[Feed]:
        return self.db.feeds()

    def remove(self, feed_id: int) -> int:
        if not self.db.remove_feed(feed_id):
            raise UserError(f"unknown feed {feed_id}: no followed feed has that number (feeds list shows them)")
        return feed_id

    def due(self, now: datetime | None = None) -> list[Feed]:
        return self.db.due_feeds(now or datetime.now(timezone.utc))

    def poll_due(self, now: datetime | None = None, every: bool = False) -> PollResult:
        """Poll the feeds that are due (``every``: all of them, due or not)."""
        now = now or datetime.now(timezone.utc)
        feeds = self.db.feeds() if every else self.due(now)
        return PollResult([self.poll(f.feed_id, now) for f in feeds])

    def poll(self, feed_id: int, now: datetime | None = None) -> FeedPoll:
        now = utc(now or datetime.now(timezone.utc))
        feed = self.db.feed(feed_id)
        if feed is None:
            raise UserError(f"unknown feed {feed_id}: no followed feed has that number (feeds list shows them)")
        if not self.db.take_lease(feed_id, now, now + POLL_LEASE):
            return FeedPoll(feed_id, feed.url, error=BUSY)
        try:
            return self._poll(feed, now)
        except BaseException as exc:  # the lease is released and the failure counted, whatever broke
            self.db.end_poll(feed_id, now, now + backoff(feed.failures + 1), f"poll interrupted ({type(exc).__name__})")
            raise

    def _poll(self, feed: Feed, now: datetime) -> FeedPoll:
        headers = {k: v for k, v in (("If-None-Match", feed.etag), ("If-Modified-Since", feed.last_modified)) if v}
        try:
            fetched = self.links.client.get(feed.url, accept=feed_media, headers=headers, what="a feed")
            items = [] if fetched.not_modified else read_feed(fetched)[1]
        except UserError as exc:
            log.info("feed poll failed", extra={"feed_id": feed.feed_id, "error": str(exc)})
            self.db.end_poll(feed.feed_id, now, now + backoff(feed.failures + 1), str(exc))
            return FeedPoll(feed.feed_id, feed.url, error=str(exc))
        poll = FeedPoll(feed.feed_id, feed.url, items=len(items))
        fresh = items[:MAX_ITEMS_PER_POLL][::-1]  # oldest first, so stored order follows the feed
        for start in range(0, len(fresh), ITEMS_PER_BATCH):
            self._ingest_items(feed, fresh[start : start + ITEMS_PER_BATCH], now, poll)
        # A 304 may leave the validators out: the ones sent stay good.
        etag, modified = fetched.etag, fetched.last_modified
        if fetched.not_modified:
            etag, modified = etag or feed.etag, modified or feed.last_modified
        self.db.end_poll(feed.feed_id, now, now + POLL_INTERVAL, None, etag, modified)
        return poll

    def _ingest_items(self, feed: Feed, items: list[Item], now: datetime, poll: FeedPoll) -> None:
        claimed = [i for i in items if self.db.claim_item(feed.feed_id, i.key, i.link, now, now - STALE_CLAIM,
                                                          MAX_ITEM_ATTEMPTS)]
        if not claimed:
            return
        outlet = Metadata(outlet=feed.outlet)
        documents = [self.links.read(i.link, i.meta.merged_over(outlet)) for i in claimed]
        results = self.ingest(documents, Metadata(), None)
        self.links.keep_raw(results)
        added = [r.article_id for r in results if r.status == "added" and r.article_id]
        for item, result in zip(claimed, results):
            self.db.finish_item(feed.feed_id, item.key, result.article_id, result.error)
            if result.status == "duplicate":
                poll.duplicates += 1
            elif result.status == "rejected":
                poll.failed += 1
        poll.added += len(added)
        poll.article_ids += added
        poll.alerts += self.watches.alerts_for(added)
