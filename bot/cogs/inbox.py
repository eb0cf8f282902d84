"""The inbox channel: every file posted there is stored; the bot reacts and answers in a thread.

Each file counts against its poster's upload rate limit and goes through the ingest
queue; when a file has to wait, "queued (position N)" is posted in the thread first.
"""
from __future__ import annotations

import logging

import discord
from discord.ext import commands

from index import IngestResult, ServiceError, UserError

from .. import errors
from ..common import BaseCog, articles_added
from ..engines import queued_text
from ..ingest import ingest_attachment, metadata_from_text, oversize_result
from ..policy import can_upload, member_key, upload_refusal
from ..ratelimit import UPLOADS, limiter_for, retry_text
from ..render import articles as render_articles
from ..render import limits as L
from ..render.primitives import shorten
from ..views import ApplyMetadataView, offers_of

log = logging.getLogger(__name__)


class InboxCog(BaseCog):
    def is_inbox(self, channel: discord.abc.Messageable) -> bool:
        return isinstance(channel, discord.TextChannel) and channel.name == self.settings.inbox_channel

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.guild is None or not message.attachments:
            return
        if not self.is_inbox(message.channel):
            return
        reply = _Reply(message)
        if not can_upload(message.author, self.settings):
            refusal = upload_refusal(self.settings)
            results = [IngestResult(a.filename, "rejected", error=refusal) for a in message.attachments]
        else:
            meta = metadata_from_text(message.content)
            limit = self.settings.max_upload_bytes
            limiter = limiter_for(self.bot)
            told_queued = False

            async def on_queued(position: int) -> None:
                nonlocal told_queued
                if not told_queued:  # once per message, for the first file that waits
                    told_queued = True
                    await reply.send(content=queued_text(position))

            results = []
            for attachment in message.attachments:
                if attachment.size > limit:  # before a token is taken or anything downloaded
                    results.append(oversize_result(attachment.filename, attachment.size, limit))
                    continue
                wait = limiter.hit(message.guild.id, message.author.id, UPLOADS)
                if wait > 0:
                    log.info("rate limited", extra={"guild_id": message.guild.id, "user_id": message.author.id,
                                                    "class": UPLOADS, "wait_s": round(wait, 1)})
                    results.append(IngestResult(attachment.filename, "rejected", error=retry_text(wait)))
                    continue
                try:
                    results.extend(await ingest_attachment(self.hub, message.guild.id, attachment, meta, limit,
                                                           on_queued=on_queued, added_by=member_key(message.author)))
                except UserError as exc:  # the ingest queue is full, or the store is down
                    if isinstance(exc, ServiceError):
                        log.error("inbox ingest: service unavailable", extra={"guild_id": message.guild.id,
                                                                            "error": str(exc)})
                    results.append(IngestResult(attachment.filename, "rejected", error=errors.reason(exc, upload=True)))
                except Exception as exc:  # one bad file never stops the others
                    log.exception("inbox ingest failed", extra={"guild_id": message.guild.id,
                                                                "file_name": attachment.filename})
                    results.append(IngestResult(attachment.filename, "rejected", error=errors.reason(exc)))
        await self.report(message, results, reply)
        articles_added(self.bot, message.guild.id, results)

    async def report(self, message: discord.Message, results: list[IngestResult],
                     reply: "_Reply | None" = None) -> None:
        emoji = render_articles.ingest_status_emoji(results)
        try:
            await message.add_reaction(emoji)
        except discord.HTTPException:
            log.warning("could not react", extra={"guild_id": message.guild.id, "message_id": message.id})
        reply = reply or _Reply(message)
        for page in render_articles.ingest_pages(results):
            await reply.send(content=page.content, embeds=page.embeds)
        if offers := offers_of(results):  # a duplicate brought metadata the stored article lacks
            view = ApplyMetadataView(self.bot, message.guild.id, offers)
            view.message = await reply.send(content=render_articles.offers_text(offers), view=view)


class _Reply:
    """Where the bot answers an inbox message: a thread on it, created on first use, or,
    when a thread cannot be created or written to, replies in the channel."""

    def __init__(self, message: discord.Message) -> None:
        self.message = message
        self._thread: discord.Thread | None = None
        self._in_channel = False

    async def send(self, **kwargs) -> discord.Message:
        message = self.message
        if not self._in_channel:
            try:
                if self._thread is None:
                    name = shorten("sourcedesk: " + ", ".join(a.filename for a in message.attachments),
                                   L.THREAD_NAME)
                    self._thread = await message.create_thread(name=name, auto_archive_duration=1440)
                return await self._thread.send(**kwargs)
            except discord.HTTPException:
                log.warning("could not answer in a thread; replying in the channel",
                            extra={"guild_id": message.guild.id, "message_id": message.id})
                self._in_channel = True
        return await message.reply(mention_author=False, **kwargs)
