"""/watch: claims watched in a channel. After every ingest in the server (upload, inbox,
link, feed poll) each new article is judged against them with /sources' verdicts; an
article that states one is posted once in the watch's channel (``bot.follow.alerts``)."""
from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from index import Limits

from ..common import ARTICLES_ADDED, BaseCog
from ..digest.scheduler import missing_permissions
from ..follow.alerts import AlertPoster
from ..render import follow as render_follow
from ..render.primitives import Page

MAX_QUERY = Limits.max_query_chars


class WatchCog(BaseCog):
    watch = app_commands.Group(name="watch", description="Claims watched: new articles that state them are posted")

    def __init__(self, bot) -> None:
        super().__init__(bot)
        self.poster = AlertPoster(bot)

    @commands.Cog.listener(f"on_{ARTICLES_ADDED}")
    async def on_articles_added(self, guild_id: int) -> None:
        await self.poster.post_pending(guild_id)

    @watch.command(name="add")
    @app_commands.describe(claim="The claim, as a sentence (alerts quote the articles that state it)",
                           channel="Where alerts are posted (default: this channel)")
    async def add(self, interaction: discord.Interaction, claim: app_commands.Range[str, 1, MAX_QUERY],
                  channel: discord.TextChannel | None = None) -> None:
        """Watch a claim: each new article that states it is posted in the channel, quoted."""
        target = channel or interaction.channel
        if getattr(target, "guild", None) is None or target.guild.id != interaction.guild_id:
            await self.fail(interaction, "choose a channel of this server")
            return
        missing = missing_permissions(target, target.guild.me)
        if missing:
            await self.fail(interaction, f"the bot cannot post alerts in #{target.name}: it lacks {', '.join(missing)}")
            return
        # A claim the engine refuses (empty, too long) is a UserError: the tree answers it.
        watch = await self.engine(interaction, lambda e: e.watches().add(claim, channel_id=str(target.id)), quick=True)
        await self.send_pages(interaction, [Page(render_follow.watch_line(watch), [])])

    @watch.command(name="list")
    async def list_watches(self, interaction: discord.Interaction) -> None:
        """The claims this server watches and where their alerts go."""
        watches = await self.engine(interaction, lambda e: e.watches().list(), quick=True)
        await self.send_pages(interaction, render_follow.watch_pages(watches))

    @watch.command(name="remove")
    @app_commands.describe(watch="The watch's number (/watch list shows it)")
    async def remove(self, interaction: discord.Interaction, watch: app_commands.Range[int, 1]) -> None:
        """Stop watching a claim; the alerts already posted stay."""
        await self.engine(interaction, lambda e: e.watches().remove(watch), quick=True)
        await self.send_pages(interaction, [Page(f"watch {watch} removed", [])])
