"""/compare and /lineage: how two articles overlap, and where a story came from."""
from __future__ import annotations

import discord
from discord import app_commands

from index import compare_page

from ..common import BaseCog
from ..render import analysis as render_analysis
from ..render import pictures


class AnalysisCog(BaseCog):
    @app_commands.command(name="compare")
    @app_commands.describe(
        a="First article (type part of its title, outlet or id)",
        b="Second article (type part of its title, outlet or id)",
    )
    async def compare(self, interaction: discord.Interaction, a: str, b: str) -> None:
        """Compare two articles: verbatim, reworded, one-sided and changed quotes."""
        ids = await self.resolve_ids(interaction, a, b)
        if not await self.admit(interaction):  # rate limit once the ids are good
            return
        await self.defer(interaction)

        def run(engine):  # the page is built in the same worker thread, off the event loop
            result = engine.compare(ids[0], ids[1])
            return result, pictures.drawn(lambda: compare_page(result).encode("utf-8"), "compare page",
                                          a=result.a.article_id, b=result.b.article_id)

        result, page = await self.engine(interaction, run)
        files = pictures.fitting(page, f"compare-{ids[0]}-{ids[1]}.html", pictures.upload_limit(interaction.guild))
        await self.send_pages(interaction, render_analysis.compare_pages(result), files=files)

    @app_commands.command(name="lineage")
    @app_commands.describe(article="The article (type part of its title, outlet or id)")
    async def lineage(self, interaction: discord.Interaction, article: str) -> None:
        """Show a story's probable origin, its rewrites and related coverage."""
        ids = await self.resolve_ids(interaction, article)
        if not await self.admit(interaction):  # rate limit once the ids are good
            return
        await self.defer(interaction)

        def run(engine):  # the picture is drawn in the same worker thread, off the event loop
            result = engine.lineage(ids[0])
            return result, pictures.lineage_picture(result)

        result, png = await self.engine(interaction, run)
        files = pictures.fitting(png, f"lineage-{ids[0]}.png", pictures.upload_limit(interaction.guild))
        await self.send_pages(interaction, render_analysis.lineage_pages(result), files=files)

    @compare.autocomplete("a")
    @compare.autocomplete("b")
    @lineage.autocomplete("article")
    async def _article(self, interaction: discord.Interaction, current: str):
        return await self.article_choices(interaction, current)
