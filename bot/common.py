"""Shared plumbing for the cogs: error replies, the rate limit, deferring, engine calls in
worker threads, sending pages, autocomplete."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from index import Article, Engine, IngestResult, UserError, display_name, is_titled
from index import outlet_choices as matching_outlets

from .ratelimit import COMMAND_CLASSES, limiter_for, retry_text
from .render import limits as L
from .render.primitives import ELLIPSIS, Page
from .replies import reply, reply_ephemeral
from .views import Pager, SentView

if TYPE_CHECKING:
    from . import SourcedeskBot

log = logging.getLogger("bot.commands")
T = TypeVar("T")


class BaseCog(commands.Cog):
    def __init__(self, bot: "SourcedeskBot") -> None:
        self.bot = bot

    @property
    def settings(self):
        return self.bot.settings

    @property
    def hub(self):
        return self.bot.hub

    # -- replies -----------------------------------------------------------------------------

    async def fail(self, interaction: discord.Interaction, message: str) -> None:
        """Reply with a short error only the user sees, and log it."""
        log.info("user error", extra={"command": _command_name(interaction), "guild_id": interaction.guild_id,
                                      "error": message})
        await reply_ephemeral(interaction, message)

    async def admit(self, interaction: discord.Interaction, kind: str | None = None) -> bool:
        """Take a token from the user's bucket for this command's class (``ratelimit``).

        Called after the command's own checks and before deferring, so a refused or
        invalid request costs nothing; when the bucket is empty, answers ephemerally
        with the wait and returns False. Commands outside the heavy classes pass.
        """
        kind = kind or COMMAND_CLASSES.get(_command_name(interaction) or "")
        if kind is None:
            return True
        wait = limiter_for(self.bot).hit(interaction.guild_id, interaction.user.id, kind)
        if wait <= 0:
            return True
        log.info("rate limited", extra={"command": _command_name(interaction), "guild_id": interaction.guild_id,
                                        "user_id": interaction.user.id, "class": kind, "wait_s": round(wait, 1)})
        await reply_ephemeral(interaction, retry_text(wait))
        return False

    async def defer(self, interaction: discord.Interaction, *, ephemeral: bool = False) -> None:
        if not interaction.response.is_done():
            await interaction.response.defer(thinking=True, ephemeral=ephemeral)

    async def engine(self, interaction: discord.Interaction, call: Callable[[Engine], T], *, quick: bool = False) -> T:
        started = time.perf_counter()
        try:
            return await self.hub.run(interaction.guild_id, call, quick=quick)
        finally:
            log.info("engine call", extra={"command": _command_name(interaction), "guild_id": interaction.guild_id,
                                          "user_id": interaction.user.id,
                                          "ms": round((time.perf_counter() - started) * 1000)})

    async def resolve_ids(self, interaction: discord.Interaction, *ids: str) -> list[str]:
        """Check article ids before deferring, so an unknown id gets an ephemeral error (the
        ``UserError`` reaches the tree's error handler while the response is still open)."""
        return await self.engine(interaction, lambda e: [e.resolve_id(i) for i in ids], quick=True)

    async def send_pages(self, interaction: discord.Interaction, pages: Sequence[Page], *,
                         ephemeral: bool = False, view: SentView | None = None,
                         files: Sequence[discord.File] = ()) -> discord.Message | discord.WebhookMessage:
        """Send the first page with Previous/Next buttons when there are more; ``files`` are
        attached to it (paging edits only content and embeds, so they stay). Returns the
        message sent."""
        pages = list(pages) or [Page("0 results", [])]
        first = pages[0]
        if view is None and len(pages) > 1:
            view = Pager(pages, interaction.user.id)
        kwargs = {"content": first.content, "embeds": first.embeds}
        if files:
            kwargs["files"] = list(files)
        if view is not None:
            kwargs["view"] = view
        message = await reply(interaction, ephemeral=ephemeral, **kwargs)
        if view is not None:
            view.message = message
        return message

    # -- autocomplete ----------------------------------------------------------------------------

    async def article_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Articles whose title, outlet or id contains what was typed (value = article id)."""
        def find(engine: Engine) -> list[Article]:
            return engine.find_articles(current or "", limit=L.CHOICES)

        try:
            articles = await self.engine(interaction, find, quick=True)
        except UserError:
            return []
        return [app_commands.Choice(name=choice_name(a), value=a.article_id) for a in articles]

    async def outlet_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Stored outlets containing what was typed, whatever its case (value = the stored name)."""
        try:
            known = await self.engine(interaction, lambda e: e.outlets(), quick=True)
        except UserError:
            return []
        return [app_commands.Choice(name=name[: L.CHOICE_NAME], value=name[: L.CHOICE_VALUE])
                for name in matching_outlets(current or "", known, limit=L.CHOICES)]


ARTICLES_ADDED = "sourcedesk_articles_added"  # an event: (guild_id); the watch cog posts alerts on it


def articles_added(bot: commands.Bot, guild_id: int, results: Sequence[IngestResult]) -> None:
    """Tell the cogs that articles were added to a server's corpus (upload, inbox, feeds):
    the watched claims' alerts are posted then, whoever added them."""
    if any(r.status == "added" for r in results):
        bot.dispatch(ARTICLES_ADDED, guild_id)


def choice_name(article: Article) -> str:
    """The article's name (``index.naming.display_name``), then what the name does not
    already say: outlet and date for a titled article, the short id for an untitled one."""
    title = display_name(article)
    if is_titled(article):
        tail = "".join(f" · {v}" for v in (article.outlet, article.published) if v)
    else:  # the short id tells apart untitled articles of one outlet or day
        tail = "" if title.endswith(article.article_id[:8]) else f" · {article.article_id[:8]}"
    tail = tail[:60]
    room = L.CHOICE_NAME - len(tail)
    if len(title) > room:
        title = title[: room - 1].rstrip() + ELLIPSIS
    return (title + tail)[: L.CHOICE_NAME]


def _command_name(interaction: discord.Interaction) -> str | None:
    command = interaction.command
    return command.qualified_name if command is not None else None
