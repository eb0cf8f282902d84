"""Uploads from Discord (slash command or inbox channel) and links (``/upload url:``, fetched
by the index's one guarded client) into a guild's corpus.

Every ingest goes through the hub's ingest queue (``EngineHub.ingest``): bounded
concurrency on threads of its own, FIFO waiting with a position, refusal when full.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

import discord

from index import IngestResult, Metadata, split_authors, too_large

from .engines import EngineHub

log = logging.getLogger(__name__)

_META_LINE = re.compile(r"^\s*(title|outlet|url|link|published|date|authors?|byline)\s*[:=]\s*(.+?)\s*$",
                        re.IGNORECASE | re.MULTILINE)


def oversize_result(filename: str, size: int, limit: int) -> IngestResult:
    return IngestResult(filename, "rejected", error=too_large(filename, size, limit))


def metadata_from_text(text: str | None) -> Metadata:
    """``key: value`` lines in an inbox message (title, outlet, url, published, authors)."""
    found: dict[str, str] = {}
    for key, value in _META_LINE.findall(text or ""):
        key = key.lower()
        key = {"link": "url", "date": "published", "author": "authors", "byline": "authors"}.get(key, key)
        found.setdefault(key, value)
    return Metadata(title=found.get("title"), outlet=found.get("outlet"), authors=split_authors(found.get("authors")),
                    published=found.get("published"), url=found.get("url"))


async def ingest_attachment(hub: EngineHub, guild_id: int, attachment: discord.Attachment, meta: Metadata,
                            max_bytes: int, *, on_queued: Callable[[int], Awaitable[None]] | None = None,
                            added_by: str | None = None) -> list[IngestResult]:
    """Size checked before anything is downloaded; then the engine decides, through the
    ingest queue (``on_queued(position)`` when the job has to wait; ``QueueFull``, a
    ``UserError``, when it cannot). ``added_by`` is recorded as the uploader of what is
    added (it gives the right to /edit those articles)."""
    if attachment.size > max_bytes:
        return [oversize_result(attachment.filename, attachment.size, max_bytes)]
    try:
        data = await attachment.read()
    except (discord.HTTPException, discord.NotFound) as exc:
        log.warning("attachment download failed", extra={"guild_id": guild_id, "file_name": attachment.filename,
                                                            "status": getattr(exc, "status", None)})
        return [IngestResult(attachment.filename, "rejected", error="could not download the file from Discord; post it again")]
    if len(data) > max_bytes:  # the declared size was wrong
        return [oversize_result(attachment.filename, len(data), max_bytes)]
    results = await hub.ingest(guild_id, lambda engine: _recorded(
        engine.ingest_bytes(data, attachment.filename, meta, source_name=attachment.filename), engine, added_by),
        on_queued=on_queued)
    log.info("upload ingested", extra={"guild_id": guild_id, "file_name": attachment.filename,
                                       "statuses": [r.status for r in results]})
    return results


async def ingest_link(hub: EngineHub, guild_id: int, link: str, meta: Metadata, *,
                      on_queued: Callable[[int], Awaitable[None]] | None = None,
                      added_by: str | None = None) -> list[IngestResult]:
    """The page at ``link`` fetched and stored in a worker of the ingest queue (the fetch is
    slow and blocking: never on the event loop); a link that cannot be fetched is a rejected
    result whose one-line error names it, and nothing is stored."""
    results = await hub.ingest(guild_id, lambda engine: _recorded(engine.ingest([link], meta), engine, added_by),
                               on_queued=on_queued)
    log.info("link ingested", extra={"guild_id": guild_id, "link": link, "statuses": [r.status for r in results]})
    return results


def _recorded(results: list[IngestResult], engine, added_by: str | None) -> list[IngestResult]:
    """``added_by`` recorded as the uploader of what was added (the right to /edit it)."""
    added = [r.article_id for r in results if r.status == "added" and r.article_id]
    if added_by and added:
        engine.record_uploader(added, added_by)
    return results
