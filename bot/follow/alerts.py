"""Posting the watched claims' alerts: after any ingest in a server (upload, inbox, link,
feed poll), the alerts not posted yet are claimed (index ``Watches.claim_posting``) and
posted in their watch's channel, one batch of messages per channel."""
from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from typing import TYPE_CHECKING

import discord

from index import Alert

from ..render import follow as render_follow

if TYPE_CHECKING:
    from .. import SourcedeskBot

log = logging.getLogger("bot.follow")


class AlertPoster:
    def __init__(self, bot: "SourcedeskBot") -> None:
        self.bot = bot
        self._locks: dict[int, asyncio.Lock] = {}

    async def post_pending(self, guild_id: int) -> int:
        """Post the server's alerts not posted yet; returns how many were posted."""
        guild = self.bot.get_guild(guild_id)
        if guild is None:
            return 0
        async with self._locks.setdefault(guild_id, asyncio.Lock()):
            pending = await self.bot.hub.run(guild_id, lambda e: e.watches().unposted())
            by_channel: dict[str, list[Alert]] = defaultdict(list)
            for alert in pending:
                by_channel[alert.channel_id].append(alert)
            posted = 0
            for channel_id, alerts in by_channel.items():
                channel = guild.get_channel(int(channel_id)) if channel_id.isdigit() else None
                now = discord.utils.utcnow()
                # Claimed before sending: once per (watch, article), even where the channel is gone.
                claimed = await self.bot.hub.run(guild_id, lambda e, a=alerts: e.watches().claim_posting(a, now))
                if not claimed:
                    continue
                if channel is None:
                    log.warning("watch channel gone: alerts dropped", extra={"guild_id": guild_id,
                                                                             "channel_id": channel_id,
                                                                             "alerts": len(claimed)})
                    continue
                posted += await self._send(channel, claimed)
            return posted

    async def _send(self, channel, alerts: list[Alert]) -> int:
        try:
            for page in render_follow.alert_pages(alerts):
                await channel.send(content=page.content, embeds=page.embeds)
        except discord.HTTPException as exc:
            log.warning("alert not posted", extra={"guild_id": channel.guild.id, "channel_id": channel.id,
                                                   "status": exc.status, "alerts": len(alerts)})
            return 0
        log.info("alerts posted", extra={"guild_id": channel.guild.id, "channel_id": channel.id,
                                         "alerts": len(alerts)})
        return len(alerts)
