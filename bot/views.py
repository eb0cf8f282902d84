"""The bot's buttons: Previous / Next to page through long answers (one page = one message's
worth of embeds), and "Apply metadata" on the receipt of a duplicate upload that brought
metadata the stored article lacks (applied through ``Engine.edit``, recorded with the
member's id, allowed by ``policy.may_edit``)."""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import discord

from index import Article, IngestResult, Metadata, edit_options, fillable

from .policy import EDIT_REFUSAL, may_edit, member_key
from .render.articles import edit_pages
from .render.primitives import Page
from .replies import reply_ephemeral

if TYPE_CHECKING:
    from . import SourcedeskBot

log = logging.getLogger(__name__)

# Under the 15 minutes an interaction token stays valid, so the timeout can still edit the message.
PAGER_TIMEOUT_S = 10 * 60
APPLY_TIMEOUT_S = 10 * 60


class SentView(discord.ui.View):
    """Buttons that know the message they are on (set once it is sent), so that they can be
    disabled there when they time out or have done their work."""

    message: discord.Message | discord.WebhookMessage | None = None

    async def disable(self, *buttons: discord.ui.Button) -> None:
        for button in buttons:
            button.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                log.debug("could not disable buttons", exc_info=True)


class Pager(SentView):
    """Previous / Next over a fixed list of pages. Only the person who asked may page."""

    def __init__(self, pages: Sequence[Page], owner_id: int, *, timeout: float = PAGER_TIMEOUT_S) -> None:
        super().__init__(timeout=timeout)
        self.pages = list(pages)
        self.owner_id = owner_id
        self.index = 0
        self._sync_buttons()

    # subclasses with lazily loaded pages override these two
    def has_next(self) -> bool:
        return self.index + 1 < len(self.pages)

    async def load(self, interaction: discord.Interaction, index: int) -> Page | None:
        return self.pages[index] if 0 <= index < len(self.pages) else None

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = not self.has_next()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await reply_ephemeral(interaction, "only the person who ran the command can turn its pages")
            return False
        return True

    async def _show(self, interaction: discord.Interaction, index: int) -> None:
        page = await self.load(interaction, index)
        if page is None:
            return
        self.index = index
        self._sync_buttons()
        if interaction.response.is_done():
            await interaction.edit_original_response(content=page.content, embeds=page.embeds, view=self)
        else:
            await interaction.response.edit_message(content=page.content, embeds=page.embeds, view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.index - 1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.index + 1)

    async def on_timeout(self) -> None:
        await self.disable(self.previous, self.next)


class LazyPager(Pager):
    """Pages fetched on demand (e.g. the article list), with the first one given."""

    def __init__(self, first: Page, first_has_next: bool, owner_id: int,
                 fetch: Callable[[int], Awaitable[tuple[Page, bool]]]) -> None:
        self._fetch = fetch
        self._has_next = {0: first_has_next}
        super().__init__([first], owner_id)

    def has_next(self) -> bool:
        return self._has_next.get(self.index, False)

    async def load(self, interaction: discord.Interaction, index: int) -> Page | None:
        if index < 0:
            return None
        await interaction.response.defer()  # the fetch runs on the engine
        page, more = await self._fetch(index)
        self._has_next[index] = more
        return page


# -- "Apply metadata" -------------------------------------------------------------------------


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


class ApplyMetadataView(SentView):
    """One "Apply metadata" button for the duplicates of one receipt. Whoever may /edit an
    article may apply its offer; the changes are posted to the channel like /edit's."""

    def __init__(self, bot: "SourcedeskBot", guild_id: int, offers: list[tuple[Article, dict[str, Any]]]) -> None:
        super().__init__(timeout=APPLY_TIMEOUT_S)
        self.bot = bot
        self.guild_id = guild_id
        self.offers = offers

    @discord.ui.button(label="Apply metadata", style=discord.ButtonStyle.primary)
    async def apply(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        allowed = [(a, v) for a, v in self.offers if await may_edit(interaction, a.article_id)]
        if not allowed:
            await reply_ephemeral(interaction, EDIT_REFUSAL)
            return
        pending = await self.bot.hub.run(self.guild_id, lambda e: [
            (a, still) for a, v in allowed if (still := still_unknown(e, a.article_id, v))], quick=True)
        self.offers = [o for o in self.offers if o not in allowed]
        if not self.offers:
            await self.disable(self.apply)
        if not pending:
            await reply_ephemeral(interaction, "nothing left to apply: those fields are known now")
            return
        await interaction.response.defer(thinking=True)
        editor = member_key(interaction.user)
        for article, values in pending:
            result = await self.bot.hub.run(self.guild_id, lambda e, a=article, v=values: e.edit(
                a.article_id, editor=editor, **edit_options(v)))
            for page in edit_pages(result, interaction.user.display_name):
                await interaction.followup.send(content=page.content, embeds=page.embeds)

    async def on_timeout(self) -> None:
        await self.disable(self.apply)
