"""Buttons to page through long answers (one page = one message's worth of embeds)."""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

import discord

from .render import Page, error_text

log = logging.getLogger(__name__)

# Under the 15 minutes an interaction token stays valid, so the timeout can still edit the message.
PAGER_TIMEOUT_S = 10 * 60


class Pager(discord.ui.View):
    """Previous / Next over a fixed list of pages. Only the person who asked may page."""

    def __init__(self, pages: Sequence[Page], owner_id: int, *, timeout: float = PAGER_TIMEOUT_S) -> None:
        super().__init__(timeout=timeout)
        self.pages = list(pages)
        self.owner_id = owner_id
        self.index = 0
        self.message: discord.Message | discord.WebhookMessage | None = None
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
            await interaction.response.send_message(
                error_text("only the person who ran the command can turn its pages"), ephemeral=True)
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
        self.previous.disabled = True
        self.next.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                log.debug("could not disable pager buttons", exc_info=True)


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
