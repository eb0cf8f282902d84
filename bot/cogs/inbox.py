"""The inbox channel: every file posted there is stored; the bot reacts and answers in a thread."""
from __future__ import annotations

import logging

import discord
from discord.ext import commands

from index.models import IngestResult

from .. import discord_limits as L
from .. import render
from ..common import BaseCog
from ..ingest import ingest_attachment, metadata_from_text
from ..permissions import can_upload, describe_roles

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
        if not can_upload(message.author, self.settings):
            results = [IngestResult(a.filename, "rejected", error="you may not upload articles here (upload roles: "
                                    f"{describe_roles(self.settings.upload_roles)})") for a in message.attachments]
        else:
            meta = metadata_from_text(message.content)
            results = []
            for attachment in message.attachments:
                try:
                    results.extend(await ingest_attachment(self.hub, message.guild.id, attachment, meta,
                                                           self.settings.max_upload_bytes))
                except Exception as exc:  # one bad file never stops the others
                    log.exception("inbox ingest failed", extra={"guild_id": message.guild.id,
                                                                "filename": attachment.filename})
                    results.append(IngestResult(attachment.filename, "rejected", error=f"internal error ({type(exc).__name__})"))
        await self.report(message, results)

    async def report(self, message: discord.Message, results: list[IngestResult]) -> None:
        emoji = render.ingest_status_emoji(results)
        try:
            await message.add_reaction(emoji)
        except discord.HTTPException:
            log.warning("could not react", extra={"guild_id": message.guild.id, "message_id": message.id})
        pages = render.ingest_pages(results)
        name = render.shorten("sourcedesk: " + ", ".join(a.filename for a in message.attachments), L.THREAD_NAME)
        try:
            thread = await message.create_thread(name=name, auto_archive_duration=1440)
            for page in pages:
                await thread.send(content=page.content, embeds=page.embeds)
        except discord.HTTPException:
            log.warning("could not answer in a thread; replying in the channel",
                        extra={"guild_id": message.guild.id, "message_id": message.id})
            for page in pages:
                await message.reply(content=page.content, embeds=page.embeds, mention_author=False)
