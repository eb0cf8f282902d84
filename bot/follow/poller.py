"""The feeds' polling loop: sleeps until the soonest feed of any server is due (at most
``due_loop.MAX_SLEEP_S``: feeds added by cron's poll are seen then), polls what is due, one
feed at a time through the ingest queue's workers (fetching is slow and blocking: never on
the event loop), then tells the cogs that articles were added, so the watched claims'
alerts are posted.

Nothing about the schedule is kept here: each feed's next poll, its backoff after failures
and its conditional-request validators are stored with it (index ``Feeds``), so a restart
carries on where the last bot stopped, and an item is never ingested twice."""
from __future__ import annotations

import logging
from datetime import datetime

from index import Engine, Feed

from ..common import ARTICLES_ADDED
from ..due_loop import DueLoop
from ..engines import corpus_for_guild

log = logging.getLogger("bot.follow")


class FeedPoller(DueLoop):
    task_name = "sourcedesk-feed-poller"

    def _guilds(self) -> list[int]:
        """Servers whose corpus exists (one that never used sourcedesk follows nothing)."""
        settings = self.bot.settings.index
        return [g.id for g in self.bot.guilds if Engine.follows_anything(settings, corpus_for_guild(g.id))]

    async def _loop(self, *, first: bool) -> None:
        await self.bot.wait_until_ready()
        while True:
            try:
                await self.run_due()
            except Exception:
                log.exception("feed polling round failed")
            await self.sleep(await self.seconds_to_next())

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
        moments = []
        for guild_id in self._guilds():
            feeds = await self.bot.hub.run(guild_id, lambda e: e.feeds().list(), quick=True)
            moments += [datetime.fromisoformat(f.next_poll_at) for f in feeds]
        return self.seconds_until(moments)
