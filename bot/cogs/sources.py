"""/sources, /search and the "Find sources" message menu: the claim card, quotes that state
or support a claim."""
from __future__ import annotations

import logging

import discord
from discord import app_commands

from index import Limits, SourcesResult, check_query

from ..common import BaseCog
from ..render import pictures
from ..render import sources as render_sources
from ..views import Pager

log = logging.getLogger("bot.sources")

# The client refuses longer text before it is sent (the engine checks the configured limit too).
MAX_QUERY = Limits.max_query_chars
REPLIED = "The sources are in a reply to the message."
TIMELINE_FILE = "claim-timeline.png"


class SourcesCog(BaseCog):
    def __init__(self, bot) -> None:
        super().__init__(bot)
        self.find_sources_menu = app_commands.ContextMenu(name="Find sources", callback=self.find_sources)
        bot.tree.add_command(self.find_sources_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.find_sources_menu.name, type=self.find_sources_menu.type)

    async def _result(self, interaction: discord.Interaction, query: str, limit: int, outlet: str | None,
                      *, phrase: bool = False, empty: str = "give a claim or a question",
                      ephemeral: bool = False) -> SourcesResult | None:
        # The engine's own rule, checked before deferring so a refusal is ephemeral (the
        # UserError reaches the tree's one error handler).
        check_query(query, self.settings.index.limits, empty)
        if not await self.admit(interaction):  # rate limit (queries), before deferring
            return None
        await self.defer(interaction, ephemeral=ephemeral)
        outlet = (outlet or "").strip() or None
        if phrase:
            return await self.engine(interaction, lambda e: e.search_phrase(query, limit=limit, outlet=outlet))
        return await self.engine(interaction, lambda e: e.sources(query, limit=limit, outlet=outlet))

    async def attach_timeline(self, interaction: discord.Interaction, message, result: SourcesResult) -> None:
        """Add the claim timeline (two or more outlets state the claim) to the card already
        sent: the card does not wait for the drawing (~0.4 s in a worker thread). A timeline
        that cannot be drawn or attached is logged and left out."""
        if not result.found:
            return
        png = await self.engine(interaction, lambda e: pictures.claim_timeline(result))
        files = pictures.fitting(png, TIMELINE_FILE, pictures.upload_limit(interaction.guild))
        if not files:
            return
        try:
            await message.edit(attachments=files)
        except discord.HTTPException as exc:
            log.warning("claim timeline not attached", extra={"guild_id": interaction.guild_id, "status": exc.status})

    @app_commands.command(name="sources")
    @app_commands.describe(
        claim="The claim or question to find the passages that state it",
        outlet="Only quote articles from this outlet (pick one, or type part of its name)",
        limit="How many passages to return (1-50, default 10)",
    )
    async def sources(self, interaction: discord.Interaction, claim: app_commands.Range[str, 1, MAX_QUERY],
                      outlet: str | None = None, limit: app_commands.Range[int, 1, 50] = 10) -> None:
        """Who states a claim: found or not, the outlets that state it earliest first, each with its exact quote."""
        result = await self._result(interaction, claim, limit, outlet)
        if result is not None:
            message = await self.send_pages(interaction, render_sources.sources_pages(result))
            await self.attach_timeline(interaction, message, result)

    @app_commands.command(name="search")
    @app_commands.describe(
        text="Exact words to find, in this order (a name, a quotation)",
        outlet="Only search articles from this outlet (pick one, or type part of its name)",
        limit="How many passages to return (1-50, default 10)",
    )
    async def search(self, interaction: discord.Interaction, text: app_commands.Range[str, 1, MAX_QUERY],
                     outlet: str | None = None, limit: app_commands.Range[int, 1, 50] = 10) -> None:
        """Find passages containing an exact phrase."""
        result = await self._result(interaction, text, limit, outlet, phrase=True)
        if result is not None:
            await self.send_pages(interaction, render_sources.sources_pages(result, label="search"))

    @sources.autocomplete("outlet")
    @search.autocomplete("outlet")
    async def _outlet(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await self.outlet_choices(interaction, current)

    async def find_sources(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Find the passages that state this message's claim (the card replies to the message)."""
        result = await self._result(interaction, message.content or "", 10, None, ephemeral=True,
                                    empty="this message has no text to look up (attachments and embeds are not read)")
        if result is None:
            return
        pages = render_sources.sources_pages(result)
        view = Pager(pages, interaction.user.id) if len(pages) > 1 else None
        extra = {"view": view} if view else {}
        try:
            # A reply keeps the card beside the claim it answers, for everyone in the channel.
            sent = await message.reply(content=pages[0].content, embeds=pages[0].embeds, mention_author=False,
                                       **extra)
        except discord.HTTPException as exc:  # no right to post here: answer the asker only
            log.info("find sources could not reply", extra={"guild_id": interaction.guild_id, "status": exc.status})
            await self.attach_timeline(interaction, await self.send_pages(interaction, pages, ephemeral=True), result)
            return
        if view is not None:
            view.message = sent
        await interaction.followup.send(REPLIED, ephemeral=True)
        await self.attach_timeline(interaction, sent, result)
