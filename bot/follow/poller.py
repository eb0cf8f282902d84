"""The feeds' polling loop: sleeps until the soonest feed of any server is due (at most
``MAX_SLEEP_S``), polls what is due, one feed at a time through the ingest queue's workers
(fetching is slow and blocking: never on the event loop), then tells the cogs that articles
were added, so the watched claims' alerts are posted.

Nothing about the schedule is kept here: each feed's next poll, its backoff after failures
and its conditional-request validators are stored with it (index ``Feeds``), so a restart
carries on where the last bot stopped, and an item is never ingested twice."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from index import Engine, Feed

from ..common import ARTICLES_ADDED
from ..engines import corpus_for_guild

if TYPE_CHECKING:
    from .. import SourcedeskBot

log = logging.getLogger("bot.follow")

MAX_SLEEP_S = 600.0  # re-check at least this often (feeds added by cron's poll, clock changes)
MIN_SLEEP_S = 1.0


class FeedPoller:
    def __init__(self, bot: "SourcedeskBot") -> None:
        self.bot = bot
        self._task: asyncio.Task | None = None
        self._sleeping = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="sourcedesk-feed-poller")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass

    def wake(self) -> None:
        """A feed was added: a sleeping loop starts over (one that is polling finishes first)."""
        if self._task is None or self._task.done():
            self.start()
        elif self._sleeping:
            self._task.cancel()
            self.start()

    @staticmethod
    def now() -> datetime:
        return discord.utils.utcnow()

    def _guilds(self) -> list[int]:
        """Servers whose corpus exists (one that never used sourcedesk follows nothing)."""
        settings = self.bot.settings.index
        return [g.id for g in self.bot.guilds if Engine.follows_anything(settings, corpus_for_guild(g.id))]

    async def _loop(self) -> None:
        await self.bot.wait_until_ready()
        while True:
            try:
                await self.run_due()
            except Exception:
                log.exception("feed polling round failed")
            self._sleeping = True
            try:
                await asyncio.sleep(await self.seconds_to_next())
            finally:
                self._sleeping = False

    async def run_due(self) -> None:
        now = self.now()
        for guild_id in self._guilds():
            due: list[Feed] = await self.bot.hub.run(guild_id, lambda e: e.feeds().due(now))
            for feed in due:
                await self.poll(guild_id, feed.feed_id, now)

    async def poll(self, guild_id: int, feed_id: int, now: datetime) -> None:
        try:
            poll = await self.bot.hub.ingest(guild_id, lambda e: e.feeds().poll(feed_id, now))
        except Exception:  # the index counted it as a failed poll (backoff); the loop goes on
            log.exception("feed poll failed", extra={"guild_id": guild_id, "feed_id": feed_id})
            return
        log.info("feed polled", extra={"guild_id": guild_id, "feed_id": feed_id, "items": poll.items,
                                       "added": poll.added, "error": poll.error})
        if poll.added:
            self.bot.dispatch(ARTICLES_ADDED, guild_id)

    async def seconds_to_next(self) -> float:
        now = self.now()
        moments = []
        for guild_id in self._guilds():
            feeds = await self.bot.hub.run(guild_id, lambda e: e.feeds().list(), quick=True)
            moments += [datetime.fromisoformat(f.next_poll_at) for f in feeds]
        if not moments:
            return MAX_SLEEP_S
        return min(MAX_SLEEP_S, max(MIN_SLEEP_S, (min(moments) - now).total_seconds() + 0.5))
