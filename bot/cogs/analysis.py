"""/compare and /lineage: how two articles overlap, and where a story came from."""
from __future__ import annotations

import discord
from discord import app_commands

from .. import render
from ..common import BaseCog


class AnalysisCog(BaseCog):
    @app_commands.command(name="compare")
    @app_commands.describe(
        a="First article (type part of its title, outlet or id)",
        b="Second article (type part of its title, outlet or id)",
    )
    async def compare(self, interaction: discord.Interaction, a: str, b: str) -> None:
        """Compare two articles: verbatim, reworded, one-sided and changed quotes."""
        if not await self.require_guild(interaction):
            return
        ids = await self.resolve_ids(interaction, a, b)
        if not await self.admit(interaction):  # rate limit once the ids are good
            return
        await self.defer(interaction)
        result = await self.engine(interaction, lambda e: e.compare(ids[0], ids[1]))
        await self.send_pages(interaction, render.compare_pages(result))

    @compare.autocomplete("a")
    async def _compare_a(self, interaction: discord.Interaction, current: str):
        return await self.article_choices(interaction, current)

    @compare.autocomplete("b")
    async def _compare_b(self, interaction: discord.Interaction, current: str):
        return await self.article_choices(interaction, current)

    @app_commands.command(name="lineage")
    @app_commands.describe(article="The article (type part of its title, outlet or id)")
    async def lineage(self, interaction: discord.Interaction, article: str) -> None:
        """Show a story's probable origin, its rewrites and related coverage."""
        if not await self.require_guild(interaction):
            return
        ids = await self.resolve_ids(interaction, article)
        if not await self.admit(interaction):  # rate limit once the ids are good
            return
        await self.defer(interaction)
        result = await self.engine(interaction, lambda e: e.lineage(ids[0]))
        await self.send_pages(interaction, render.lineage_pages(result))

    @lineage.autocomplete("article")
    async def _lineage_article(self, interaction: discord.Interaction, current: str):
        return await self.article_choices(interaction, current)
