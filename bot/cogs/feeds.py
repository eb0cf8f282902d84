"""/feeds: the RSS and Atom feeds whose new articles this server's corpus fetches and stores.

``add`` and ``remove`` are for managers; ``list`` shows every feed, failing ones first with
their last error (a feed that keeps failing is polled less and less often: the index's
backoff). The cog owns the polling loop (``bot.follow.poller``)."""
from __future__ import annotations

import discord
from discord import app_commands

from index import MAX_CHARS

from ..common import BaseCog
from ..follow.poller import FeedPoller
from ..policy import manager_only
from ..render import follow as render_follow
from ..render.primitives import Page


class FeedsCog(BaseCog):
    feeds = app_commands.Group(name="feeds", description="Feeds whose new articles are fetched and stored here")

    def __init__(self, bot) -> None:
        super().__init__(bot)
        self.poller = FeedPoller(bot)

    async def cog_load(self) -> None:
        self.poller.start()

    async def cog_unload(self) -> None:
        await self.poller.stop()

    @feeds.command(name="add")
    @app_commands.describe(url="The feed's link (RSS or Atom, http or https)",
                           outlet="The outlet its articles get when their page names none (default: the feed's title)")
    @manager_only("follow feeds")
    async def add(self, interaction: discord.Interaction, url: app_commands.Range[str, 1, MAX_CHARS["url"]],
                  outlet: app_commands.Range[str, 1, MAX_CHARS["outlet"]] | None = None) -> None:
        """Follow a feed: its new articles are fetched and stored on a schedule (managers only)."""
        await self.defer(interaction, ephemeral=True)  # the feed is fetched once now: slow
        # A link that is not a feed (or not allowed) is a UserError naming it: the tree answers it.
        now = self.poller.now()  # the clock the poller reads (Discord's), so it is due at once
        feed = await self.engine(interaction, lambda e: e.feeds().add(url, outlet=outlet, now=now))
        self.poller.wake()  # due at once
        await self.send_pages(interaction, [Page(render_follow.feed_line(feed), [])], ephemeral=True)

    @feeds.command(name="list")
    async def list_feeds(self, interaction: discord.Interaction) -> None:
        """The feeds this server follows, failing ones first with why."""
        feeds = await self.engine(interaction, lambda e: e.feeds().list(), quick=True)
        await self.send_pages(interaction, render_follow.feed_pages(feeds))

    @feeds.command(name="remove")
    @app_commands.describe(feed="The feed's number (/feeds list shows it)")
    @manager_only("stop following feeds")
    async def remove(self, interaction: discord.Interaction, feed: app_commands.Range[int, 1]) -> None:
        """Stop following a feed; the articles it brought stay (managers only)."""
        await self.engine(interaction, lambda e: e.feeds().remove(feed), quick=True)
        await self.send_pages(interaction, [Page(f"feed {feed} is no longer followed; "
                                                               "its articles stay", [])], ephemeral=True)
