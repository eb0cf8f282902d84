"""/digest: a daily digest of the articles added since the last one, posted on schedule.

``/digest setup`` (managers) stores a channel, a local time and an IANA time zone
(``bot.digest.store``); the cog's ``DigestScheduler`` (``bot.digest.scheduler``) posts each
server's digest when its day is due, once however often the bot restarts; the rules are in
``bot.digest`` and, for users, in README.md ("Daily digest"). A problem with the channel is
reported to the manager who set the digest up and shown on the next /digest command.
"""
from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands

from ..common import BaseCog
from ..digest.rules import EMPTY_MODES, format_time, parse_time, parse_timezone, timezone_choices, window
from ..digest.scheduler import (
    MANUAL_HEADING,
    DigestScheduler,
    build_digest_pictures,
    missing_permissions,
    send_pages_to,
)
from ..digest.store import AsyncDigestStore, Schedule
from ..policy import is_manager, manager_only
from ..render import digest as render_digest
from ..render import pictures
from ..render.digest import EMPTY_LABELS, schedule_tz, status_embed
from ..render.primitives import content_line, error_text, escape, moment_text

log = logging.getLogger("bot.digest")


class DigestCog(BaseCog):
    # Manage Server by default (``SourcedeskBot._apply_conventions``): Discord sets permissions
    # per top-level command, so status comes along; everyone sees the schedule in /help.
    digest = app_commands.Group(name="digest", description="A daily digest of the articles added since the last one",
                                default_permissions=discord.Permissions(manage_guild=True))

    def __init__(self, bot) -> None:
        super().__init__(bot)
        self.store = AsyncDigestStore.for_home(self.settings.home)
        self.scheduler = DigestScheduler(bot, self.store)

    async def cog_load(self) -> None:
        self.scheduler.start()

    async def cog_unload(self) -> None:
        await self.scheduler.stop()
        await asyncio.to_thread(self.store.close)  # waits for a store call in flight

    def _note(self, sched: Schedule | None) -> str | None:
        if sched is None or not sched.last_error:
            return None
        return error_text(f"last digest problem ({moment_text(sched.last_error_at, schedule_tz(sched))}): "
                          f"{sched.last_error}")

    @digest.command(name="setup")
    @app_commands.describe(
        channel="The channel the digest is posted in",
        time="Local time of day, 24-hour HH:MM (e.g. 08:00)",
        timezone="IANA time zone, e.g. Europe/London or America/New_York",
        empty="On a day with nothing new: post a short line (default) or nothing",
    )
    @app_commands.choices(empty=[app_commands.Choice(name=EMPTY_LABELS[m], value=m) for m in EMPTY_MODES])
    @manager_only("set up the digest")
    async def setup(self, interaction: discord.Interaction, channel: discord.TextChannel, time: str, timezone: str,
                    empty: app_commands.Choice[str] | None = None) -> None:
        """Post a daily digest of new articles in a channel at a local time (managers only)."""
        at, tz = parse_time(time), parse_timezone(timezone)
        if channel.guild.id != interaction.guild_id:
            await self.fail(interaction, "choose a channel of this server")
            return
        missing = missing_permissions(channel, channel.guild.me)
        if missing:
            await self.fail(interaction, f"the bot cannot post in #{channel.name}: it lacks {', '.join(missing)}")
            return
        mode = empty.value if empty is not None else "line"
        now = self.scheduler.now()
        await self.store.set_up(interaction.guild_id, channel_id=channel.id, at=at, tz_name=tz.key, empty_mode=mode,
                                user_id=interaction.user.id, now=now)
        self.scheduler.wake()
        sched = await self.store.get(interaction.guild_id)
        log.info("digest set up", extra={"guild_id": interaction.guild_id, "channel_id": channel.id,
                                         "time": format_time(at), "timezone": tz.key, "empty": mode,
                                         "user_id": interaction.user.id})
        await interaction.response.send_message(content_line(
            "🗓️ digest set", f"channel: {channel.mention}", f"time: {format_time(at)} {escape(tz.key)}",
            f"empty days: {EMPTY_LABELS[mode]}", f"next: {moment_text(sched.next_run_at(now), tz)}"),
            ephemeral=True)

    @setup.autocomplete("timezone")
    async def _timezone(self, interaction: discord.Interaction, current: str):
        return [app_commands.Choice(name=n, value=n) for n in timezone_choices(current)]

    @digest.command(name="now")
    @manager_only("post the digest")
    async def now_(self, interaction: discord.Interaction) -> None:
        """Post the digest of everything added since the last digest, now (managers only)."""
        guild_id = interaction.guild_id
        sched = await self.store.get(guild_id)
        note = self._note(sched)
        if sched is not None and sched.enabled:
            channel, problem = self.scheduler.channel(sched)
            if channel is None:
                await self.fail(interaction, f"{problem}: use /digest setup to choose a channel")
                return
        else:
            channel = interaction.channel
            missing = missing_permissions(channel, channel.guild.me) \
                if isinstance(channel, discord.abc.GuildChannel) else []
            if missing:
                await self.fail(interaction, f"the bot cannot post here: it lacks {', '.join(missing)}")
                return
        await self.defer(interaction, ephemeral=True)
        async with self.scheduler.lock(guild_id):
            sched = await self.store.get(guild_id)
            since, until = window(self.scheduler.now(), sched.last_until if sched else None,
                                  sched.first_set_at if sched else None)
            result, drawn = await self.engine(interaction, lambda e: build_digest_pictures(e, since, until))
            pages = render_digest.digest_pages(result, heading=MANUAL_HEADING, tz=schedule_tz(sched))
            sent, error = await send_pages_to(channel, pages, pictures.digest_attachments(
                pages, result, drawn, pictures.upload_limit(getattr(channel, "guild", None))))
            if sent:
                await self.store.record_manual(guild_id, until=until, posted_at=self.scheduler.now(),
                                               channel_id=channel.id, message_id=sent[0].id)
        if not sent:
            await self.fail(interaction, error or "nothing was posted")
            return
        lines = [content_line("📰 digest posted", f"channel: {channel.mention}", f"{len(sent)} messages",
                              f"{len(result.stories)} stories", f"{result.new_articles} new articles")]
        if error:
            lines.append(error_text(error))
        if note:
            lines.append(note)
        await interaction.followup.send("\n".join(lines), ephemeral=True)

    @digest.command(name="off")
    @manager_only("turn the digest off")
    async def off(self, interaction: discord.Interaction) -> None:
        """Stop the daily digest (managers only)."""
        stopped = await self.store.turn_off(interaction.guild_id)
        self.scheduler.wake()
        await interaction.response.send_message(
            "🛑 digest off" if stopped else error_text("no daily digest is set up in this server"),
            ephemeral=True)

    async def status_embed_for(self, guild_id: int) -> discord.Embed:
        """The digest's settings, for /help (everyone may read them)."""
        return status_embed(await self.store.get(guild_id), self.scheduler.now())

    @digest.command(name="status")
    async def status(self, interaction: discord.Interaction) -> None:
        """Show the digest settings and the last digest posted."""
        sched = await self.store.get(interaction.guild_id)
        await interaction.response.send_message(
            embeds=[status_embed(sched, self.scheduler.now())], content=self._note(sched) if is_manager(
                interaction.user, self.settings) else None, ephemeral=True)
