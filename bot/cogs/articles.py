"""/article, /articles and /remove: what is stored in this server's corpus."""
from __future__ import annotations

import discord
from discord import app_commands

from ..common import BaseCog
from ..policy import manager_only
from ..render import articles as render_articles
from ..render.primitives import ARTICLES_PER_PAGE, Page, clip, content_line
from ..views import LazyPager


class ArticlesCog(BaseCog):
    @app_commands.command(name="article")
    @app_commands.describe(id="The article (type part of its title, outlet or id)")
    async def article(self, interaction: discord.Interaction, id: str) -> None:
        """Show an article's metadata and its opening passage."""
        resolved = await self.resolve_ids(interaction, id)
        await self.defer(interaction)
        article, passages, roles, sourcing = await self.engine(
            interaction, lambda e: (e.article(resolved[0]), e.passages(resolved[0]), e.passage_roles(resolved[0]),
                                    e.sourcing(resolved[0])))
        opening = render_articles.opening_passage(article, passages, roles)
        digest = self.bot.get_cog("DigestCog")  # the server's time zone is the digest's, else UTC
        tz = await digest.timezone_for(interaction.guild_id) if digest is not None else None
        await self.send_pages(interaction, render_articles.article_pages(article, opening, tz, sourcing))

    @app_commands.command(name="articles")
    @app_commands.describe(outlet="Only list articles from this outlet (pick one, or type part of its name)")
    async def articles(self, interaction: discord.Interaction, outlet: str | None = None) -> None:
        """List the most recently added articles, newest first."""
        await self.defer(interaction)
        outlet = (outlet or "").strip() or None
        guild_id = interaction.guild_id

        async def fetch(index: int) -> tuple[Page, bool]:
            found = await self.hub.run(guild_id, lambda e: e.articles(
                outlet=outlet, limit=ARTICLES_PER_PAGE + 1, offset=index * ARTICLES_PER_PAGE))
            more = len(found) > ARTICLES_PER_PAGE
            page = render_articles.articles_page(found[:ARTICLES_PER_PAGE], page=index, has_next=more, outlet=outlet)
            return page, more

        first, more = await fetch(0)
        view = LazyPager(first, more, interaction.user.id, fetch) if more else None
        await self.send_pages(interaction, [first], view=view)

    @articles.autocomplete("outlet")
    async def _outlet(self, interaction: discord.Interaction, current: str):
        return await self.outlet_choices(interaction, current)

    @app_commands.command(name="remove")
    @app_commands.describe(article="The article to remove (type part of its title, outlet or id)")
    @app_commands.default_permissions(manage_guild=True)
    @manager_only("remove articles")
    async def remove(self, interaction: discord.Interaction, article: str) -> None:
        """Remove an article from this server's corpus (managers only)."""
        await self.defer(interaction, ephemeral=True)
        removed, title = await self.engine(interaction, lambda e: _remove(e, article))
        await interaction.followup.send(
            content_line("🗑️ removed", f"`{removed}`", f"title: {clip(title, 300)}"), ephemeral=True)

    @article.autocomplete("id")
    @remove.autocomplete("article")
    async def _article(self, interaction: discord.Interaction, current: str):
        return await self.article_choices(interaction, current)


def _remove(engine, article_id: str) -> tuple[str, str | None]:
    found = engine.article(article_id)
    return engine.remove(found.article_id), found.title
