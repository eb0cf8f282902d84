"""/edit: correct an article's metadata (managers and the member who uploaded it).

No ``@app_commands.default_permissions``: that would hide the command from the uploaders
who may use it; the rule is checked per article (``policy.edit_allowed``)."""
from __future__ import annotations

import discord
from discord import app_commands

from index import MAX_CHARS

from ..common import BaseCog
from ..policy import edit_allowed, member_key
from ..render import articles as render_articles

CLEAR = "-"  # Discord cannot send an empty option: this clears a field back to unknown


def _option(value: str | None) -> str | None:
    if value is None:
        return None
    return "" if value.strip() == CLEAR else value


class EditCog(BaseCog):
    @app_commands.command(name="edit")
    @app_commands.describe(
        article="The article to correct (type part of its title, outlet, date or file name)",
        outlet="The outlet that published it (- to clear)",
        title="The headline (- to clear)",
        url="Link to the original article, http:// or https:// (- to clear)",
        published="Publication date, e.g. 2026-01-12 (- to clear)",
        authors="Authors, separated by commas, \"and\" or \"&\" (- to clear)",
    )
    @edit_allowed("article")
    async def edit(self, interaction: discord.Interaction, article: app_commands.Range[str, 1, 200],
                   outlet: app_commands.Range[str, 1, MAX_CHARS["outlet"]] | None = None,
                   title: app_commands.Range[str, 1, MAX_CHARS["title"]] | None = None,
                   url: app_commands.Range[str, 1, MAX_CHARS["url"]] | None = None,
                   published: app_commands.Range[str, 1, 100] | None = None,
                   authors: app_commands.Range[str, 1, MAX_CHARS["authors"]] | None = None) -> None:
        """Correct an article's metadata (managers and the member who uploaded it); the text never changes."""
        [article_id] = await self.resolve_ids(interaction, article)
        fields = {"outlet": _option(outlet), "title": _option(title), "url": _option(url),
                  "published": _option(published), "authors": _option(authors)}
        # bad input and "nothing to change" are answered privately, before anything is posted
        await self.engine(interaction, lambda e: e.plan_edit(article_id, **fields), quick=True)
        await self.defer(interaction)
        editor = member_key(interaction.user)
        result = await self.engine(interaction, lambda e: e.edit(article_id, editor=editor, **fields))
        await self.send_pages(interaction, render_articles.edit_pages(result, interaction.user.display_name))

    @edit.autocomplete("article")
    async def _article(self, interaction: discord.Interaction, current: str):
        return await self.article_choices(interaction, current)
