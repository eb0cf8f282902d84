"""/sources, /search and the "Find sources" message menu: quotes that support a claim."""
from __future__ import annotations

import discord
from discord import app_commands

from index.validation import check_query

from .. import render
from ..common import BaseCog


class SourcesCog(BaseCog):
    def __init__(self, bot) -> None:
        super().__init__(bot)
        self.find_sources_menu = app_commands.ContextMenu(name="Find sources", callback=self.find_sources)
        bot.tree.add_command(self.find_sources_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.find_sources_menu.name, type=self.find_sources_menu.type)

    async def _answer(self, interaction: discord.Interaction, query: str, limit: int, outlet: str | None,
                      *, phrase: bool = False, empty: str = "give a claim or a question") -> None:
        if not await self.require_guild(interaction):
            return
        # The engine's own rule, checked before deferring so a refusal is ephemeral (the
        # UserError reaches the tree's one error handler).
        check_query(query, self.settings.index.limits, empty)
        if not await self.admit(interaction):  # rate limit (queries), before deferring
            return
        await self.defer(interaction)
        outlet = (outlet or "").strip() or None
        if phrase:
            result = await self.engine(interaction, lambda e: e.search_phrase(query, limit=limit, outlet=outlet))
        else:
            result = await self.engine(interaction, lambda e: e.sources(query, limit=limit, outlet=outlet))
        pages = render.sources_pages(result, label="search" if phrase else "sources")
        await self.send_pages(interaction, pages)

    @app_commands.command(name="sources")
    @app_commands.describe(
        claim="The claim or question to find supporting passages for",
        outlet="Only quote articles from this outlet (exact name)",
        limit="How many passages to return (1-50, default 10)",
    )
    async def sources(self, interaction: discord.Interaction, claim: str, outlet: str | None = None,
                      limit: app_commands.Range[int, 1, 50] = 10) -> None:
        """Find exact quotes in stored articles that state or support a claim."""
        await self._answer(interaction, claim, limit, outlet)

    @app_commands.command(name="search")
    @app_commands.describe(
        text="Exact words to find, in this order (a name, a quotation)",
        outlet="Only search articles from this outlet (exact name)",
        limit="How many passages to return (1-50, default 10)",
    )
    async def search(self, interaction: discord.Interaction, text: str, outlet: str | None = None,
                     limit: app_commands.Range[int, 1, 50] = 10) -> None:
        """Find passages containing an exact phrase."""
        await self._answer(interaction, text, limit, outlet, phrase=True)

    async def find_sources(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Find exact quotes in stored articles that support this message."""
        await self._answer(interaction, message.content or "", 10, None,
                           empty="this message has no text to look up (attachments and embeds are not read)")
