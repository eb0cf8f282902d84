"""Who may correct an article's metadata, and the "Apply metadata" button that a duplicate
upload's receipt carries. Both go through ``Engine.edit``, recorded with the member's id.

Rule: managers (``permissions.is_manager``) and the member who uploaded the article (its
``added_by`` record, written at /upload and inbox ingest as ``discord:<user id>``).
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord

from index import Article, IngestResult, Metadata, edit_options, fillable

from . import render, render_articles
from .permissions import is_manager

if TYPE_CHECKING:
    from . import SourcedeskBot

log = logging.getLogger(__name__)

APPLY_TIMEOUT_S = 10 * 60
EDIT_REFUSAL = "only managers and the member who uploaded this article can change its metadata"


def member_key(user: discord.abc.User) -> str:
    """How a Discord member is recorded as uploader or editor."""
    return f"discord:{user.id}"


async def may_edit(bot: "SourcedeskBot", interaction: discord.Interaction, article_id: str) -> bool:
    if is_manager(interaction.user, bot.settings):
        return True
    uploader = await bot.hub.run(interaction.guild_id, lambda e: e.uploader(article_id), quick=True)
    return uploader == member_key(interaction.user)


def offers_of(results: Sequence[IngestResult]) -> list[tuple[Article, dict[str, Any]]]:
    """Duplicates whose upload brought metadata the stored article lacks (once per article)."""
    seen: set[str] = set()
    out = []
    for r in results:
        if r.status == "duplicate" and r.offered and r.article is not None and r.article.article_id not in seen:
            seen.add(r.article.article_id)
            out.append((r.article, dict(r.offered)))
    return out


def still_unknown(engine, article_id: str, offered: dict[str, Any]) -> dict[str, Any]:
    """The offered fields that are still unknown now (someone may have filled them meanwhile)."""
    return fillable(engine.article(article_id), Metadata(**offered))


class ApplyMetadataView(discord.ui.View):
    """One "Apply metadata" button for the duplicates of one receipt. Whoever may /edit an
    article may apply its offer; the changes are posted to the channel like /edit's."""

    def __init__(self, bot: "SourcedeskBot", guild_id: int, offers: list[tuple[Article, dict[str, Any]]]) -> None:
        super().__init__(timeout=APPLY_TIMEOUT_S)
        self.bot = bot
        self.guild_id = guild_id
        self.offers = offers
        self.message: discord.Message | discord.WebhookMessage | None = None

    @discord.ui.button(label="Apply metadata", style=discord.ButtonStyle.primary)
    async def apply(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        allowed = [(a, v) for a, v in self.offers if await may_edit(self.bot, interaction, a.article_id)]
        if not allowed:
            await interaction.response.send_message(render.error_text(EDIT_REFUSAL), ephemeral=True)
            return
        pending = await self.bot.hub.run(self.guild_id, lambda e: [
            (a, still) for a, v in allowed if (still := still_unknown(e, a.article_id, v))], quick=True)
        self.offers = [o for o in self.offers if o not in allowed]
        if not self.offers:
            await self._disable()
        if not pending:
            await interaction.response.send_message(
                render.error_text("nothing left to apply: those fields are known now"), ephemeral=True)
            return
        await interaction.response.defer(thinking=True)
        editor = member_key(interaction.user)
        for article, values in pending:
            result = await self.bot.hub.run(self.guild_id, lambda e, a=article, v=values: e.edit(
                a.article_id, editor=editor, **edit_options(v)))
            for page in render_articles.edit_pages(result, interaction.user.display_name):
                await interaction.followup.send(content=page.content, embeds=page.embeds)

    async def _disable(self) -> None:
        self.apply.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                log.debug("could not disable the apply button", exc_info=True)

    async def on_timeout(self) -> None:
        await self._disable()
