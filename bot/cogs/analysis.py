"""/compare and /lineage: how two articles overlap, and where a story came from."""
from __future__ import annotations

import io
import logging

import discord
from discord import app_commands
from discord.utils import DEFAULT_FILE_SIZE_LIMIT_BYTES

from index import compare_page

from .. import pictures, render_analysis
from ..common import BaseCog

log = logging.getLogger("bot.commands")


def page_bytes(result) -> bytes | None:
    """The side-by-side page of a compare result, or None when it cannot be built: the
    answer then goes out with its embeds only. Runs in the engine's worker thread."""
    try:
        return compare_page(result).encode("utf-8")
    except Exception:
        log.exception("compare page not built", extra={"a": result.a.article_id, "b": result.b.article_id})
        return None


def page_file(interaction: discord.Interaction, page: bytes | None, a_id: str, b_id: str) -> list[discord.File]:
    """The page as an attachment, when there is one and it fits the guild's upload limit."""
    if page is None:
        return []
    limit = interaction.guild.filesize_limit if interaction.guild is not None else DEFAULT_FILE_SIZE_LIMIT_BYTES
    if len(page) > limit:
        log.warning("compare page not attached: too large", extra={"bytes": len(page), "limit": limit})
        return []
    return [discord.File(io.BytesIO(page), filename=f"compare-{a_id}-{b_id}.html")]


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

        def run(engine):  # the page is built in the same worker thread, off the event loop
            result = engine.compare(ids[0], ids[1])
            return result, page_bytes(result)

        result, page = await self.engine(interaction, run)
        await self.send_pages(interaction, render_analysis.compare_pages(result),
                              files=page_file(interaction, page, ids[0], ids[1]))

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

        def run(engine):  # the picture is drawn in the same worker thread, off the event loop
            result = engine.lineage(ids[0])
            return result, pictures.lineage_picture(result)

        result, png = await self.engine(interaction, run)
        files = pictures.fitting(png, f"lineage-{ids[0]}.png", pictures.upload_limit(interaction.guild))
        await self.send_pages(interaction, render_analysis.lineage_pages(result), files=files)

    @lineage.autocomplete("article")
    async def _lineage_article(self, interaction: discord.Interaction, current: str):
        return await self.article_choices(interaction, current)
