"""/digest: a daily digest of the articles added since the last one, posted on schedule.

``/digest setup`` (managers) stores a channel, a local time and an IANA time zone in
``$SOURCEDESK_HOME/bot.sqlite3`` (``bot/schedule.py``); a scheduler task in this cog
sleeps until the next schedule is due and posts it. Every post of a scheduled day is
claimed in the database before it is sent and marked done after it, so a day is posted
once however often the bot restarts; a claim left by a crash mid-post is resolved at
start-up by looking for the post in the channel. A day missed while the bot was down is
posted once, late, and labelled so. A channel that is gone or that the bot may not post
in is reported to the manager who set the digest up (by direct message, once a day), in
the log, and on the next /digest command. The rules are written out in README.md ("Daily digest").
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

import discord
from discord import app_commands

from index import UserError

from .. import pictures, render, render_digest
from ..checks import manager_only
from ..common import BaseCog
from ..permissions import is_manager
from ..render_digest import EMPTY_LABELS, schedule_tz, status_embed
from ..schedule import (
    EMPTY_MODES,
    RETRY_AFTER,
    Schedule,
    format_time,
    is_late,
    late_label,
    parse_time,
    parse_timezone,
    timezone_choices,
    window,
)
from ..schedule_store import AsyncDigestStore

log = logging.getLogger("bot.digest")

MAX_STORIES = 15
MAX_SLEEP_S = 600.0  # re-check at least this often (clock changes, missed wake-ups)
HISTORY_CHECK = 50  # messages read back when resolving a claim left by a crash
SCHEDULED_HEADING = "daily digest · {day}"
MANUAL_HEADING = "digest · on request"
NEEDED_PERMISSIONS = (("view_channel", "View Channel"), ("send_messages", "Send Messages"),
                      ("embed_links", "Embed Links"))


def build_digest(engine, since: datetime, until: datetime):
    """The digest of [since, until) (runs in a worker thread)."""
    return engine.digest(since=since, until=until, max_stories=MAX_STORIES, now=until)


def build_digest_pictures(engine, since: datetime, until: datetime):
    """The digest and its story pictures (story id -> PNG), drawn in the same worker thread;
    a picture that cannot be drawn is left out (``bot.pictures``)."""
    result = build_digest(engine, since, until)
    return result, pictures.story_pictures(result)


def missing_permissions(channel: discord.abc.GuildChannel, me: discord.Member | None) -> list[str]:
    if me is None:
        return []
    perms = channel.permissions_for(me)
    return [label for name, label in NEEDED_PERMISSIONS if not getattr(perms, name)]


def scheduled_heading(day) -> str:
    return SCHEDULED_HEADING.format(day=day.isoformat())


class DigestCog(BaseCog):
    # Manage Server by default (``SourcedeskBot._apply_conventions``): Discord sets permissions
    # per top-level command, so status comes along; everyone sees the schedule in /help.
    digest = app_commands.Group(name="digest", description="A daily digest of the articles added since the last one",
                                guild_only=True, default_permissions=discord.Permissions(manage_guild=True))

    def __init__(self, bot) -> None:
        super().__init__(bot)
        self.store = AsyncDigestStore.for_home(self.settings.home)
        self._locks: dict[int, asyncio.Lock] = {}
        self._task: asyncio.Task | None = None
        self._sleeping = False

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self._scheduler(recover=True), name="sourcedesk-digest-scheduler")

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass
        await asyncio.to_thread(self.store.close)  # waits for a store call in flight

    def _lock(self, guild_id: int) -> asyncio.Lock:
        return self._locks.setdefault(guild_id, asyncio.Lock())

    def wake(self) -> None:
        """Settings changed: a stopped scheduler starts, a sleeping one starts over (re-reads
        every schedule). One that is posting is never interrupted; it re-reads the
        schedules when done."""
        if self._task is None or self._task.done():  # it stops when nothing is scheduled
            self._task = asyncio.create_task(self._scheduler(recover=False), name="sourcedesk-digest-scheduler")
        elif self._sleeping:
            self._task.cancel()
            self._task = asyncio.create_task(self._scheduler(recover=False), name="sourcedesk-digest-scheduler")

    @staticmethod
    def now() -> datetime:
        return discord.utils.utcnow()

    # -- the scheduler ---------------------------------------------------------------------------

    async def _scheduler(self, *, recover: bool) -> None:
        """Sleep until the next schedule is due (at most MAX_SLEEP_S), post what is due."""
        await self.bot.wait_until_ready()
        if recover:
            try:
                await self.recover_claims()
            except Exception:
                log.exception("resolving unfinished digest claims failed")
        while True:
            try:
                await self.run_due()
            except Exception:
                log.exception("digest scheduler round failed")
            schedules = await self.store.enabled()
            if not schedules:
                return  # nothing to wait for; /digest setup wakes the scheduler again
            self._sleeping = True
            try:
                await asyncio.sleep(self.seconds_to_next(schedules))
            finally:
                self._sleeping = False

    def seconds_to_next(self, schedules: list[Schedule]) -> float:
        now = self.now()
        moments = []
        for sched in schedules:
            try:
                moment = sched.next_run_at(now)
            except UserError:  # a stored setting this version cannot read: logged when due
                continue
            if moment is not None:
                moments.append(moment)
        if not moments:
            return MAX_SLEEP_S
        return min(MAX_SLEEP_S, max(1.0, (min(moments) - now).total_seconds() + 0.5))

    async def run_due(self) -> None:
        """Post every schedule whose day is due (one post per server and day)."""
        now = self.now()
        for sched in await self.store.enabled():
            try:
                due = sched.due_day(now)
            except UserError as exc:
                log.error("unreadable digest schedule", extra={"guild_id": sched.guild_id, "error": str(exc)})
                continue
            if due is None or sched.claim_day is not None or (sched.retry_at and now < sched.retry_at):
                continue
            await self.post_scheduled(sched.guild_id)

    async def post_scheduled(self, guild_id: int) -> None:
        async with self._lock(guild_id):
            now = self.now()
            sched = await self.store.get(guild_id)
            if sched is None or not sched.enabled:
                return
            day = sched.due_day(now)
            if day is None or sched.claim_day is not None or (sched.retry_at and now < sched.retry_at):
                return
            late = is_late(now, day, sched.at, sched.tz)
            channel, problem = self._channel(sched)
            if channel is None:
                await self.store.record_error(guild_id, problem, now, retry_after=RETRY_AFTER)
                await self.report(sched, day, problem)
                return
            since, until = window(now, sched.last_until, sched.first_set_at)
            try:
                result, drawn = await self.hub.run(guild_id, lambda e: build_digest_pictures(e, since, until))
            except Exception:
                log.exception("digest failed", extra={"guild_id": guild_id, "day": day.isoformat()})
                problem = "the digest could not be built (internal error, logged); it will be tried again"
                await self.store.record_error(guild_id, problem, now, retry_after=RETRY_AFTER)
                await self.report(sched, day, problem)
                return
            pages = render_digest.digest_pages(result, heading=scheduled_heading(day), tz=sched.tz,
                                        late=late_label(sched.at, sched.timezone) if late else None)
            if not result.stories and sched.empty_mode == "nothing":
                pages = []
            if not await self.store.claim(guild_id, day, until, now):
                log.info("digest already claimed", extra={"guild_id": guild_id, "day": day.isoformat()})
                return
            try:
                sent, error = await self.send_pages_to(channel, pages, pictures.digest_attachments(
                    pages, result, drawn, pictures.upload_limit(channel.guild)))
            except Exception:  # never leave a claim behind in a running bot
                log.exception("digest send failed", extra={"guild_id": guild_id, "day": day.isoformat()})
                sent, error = [], "the digest could not be posted (internal error, logged); it will be tried again"
            if sent or error is None:
                await self.store.finish(guild_id, day, until=until, posted_at=now if sent else None,
                                        channel_id=channel.id, message_id=sent[0].id if sent else None, late=late)
                log.info("digest posted", extra={"guild_id": guild_id, "day": day.isoformat(), "messages": len(sent),
                                                 "stories": len(result.stories), "late": late})
                if error is not None:  # some pages were posted: the day counts as posted
                    problem = f"only {len(sent)} of {len(pages)} digest messages were posted: {error}"
                    await self.store.record_error(guild_id, problem, now)
                    await self.report(sched, day, problem)
            else:
                await self.store.release(guild_id, day, error=error, now=now)
                await self.report(sched, day, error)

    def _channel(self, sched: Schedule) -> tuple[discord.abc.Messageable | None, str]:
        guild = self.bot.get_guild(sched.guild_id)
        if guild is None:
            return None, "the bot cannot see the server of this digest"
        channel = guild.get_channel(sched.channel_id) if sched.channel_id else None
        if channel is None:
            return None, f"the digest channel (id {sched.channel_id}) no longer exists"
        missing = missing_permissions(channel, guild.me)
        if missing:
            return None, f"the bot lacks {', '.join(missing)} in #{channel.name}"
        return channel, ""

    async def send_pages_to(self, channel, pages, attachments=()) -> tuple[list[discord.Message], str | None]:
        """``attachments``: per page, the (file name, bytes) to attach to it."""
        sent: list[discord.Message] = []
        for n, page in enumerate(pages):
            extra = {"files": pictures.files_of(attachments[n])} if n < len(attachments) and attachments[n] else {}
            try:
                sent.append(await channel.send(content=page.content, embeds=page.embeds, **extra))
            except discord.Forbidden:
                return sent, f"the bot may not post in #{getattr(channel, 'name', channel.id)} (missing permission)"
            except discord.NotFound:
                return sent, f"the digest channel (id {channel.id}) no longer exists"
            except discord.HTTPException as exc:
                log.warning("digest message refused", exc_info=True, extra={"channel_id": channel.id})
                return sent, f"Discord refused the digest message (HTTP {exc.status})"
        return sent, None

    async def report(self, sched: Schedule, day, problem: str) -> None:
        """Tell the manager who set the digest up (a direct message, once a day); always log.
        The problem also stays in the database, shown by the next /digest command."""
        log.warning("digest problem", extra={"guild_id": sched.guild_id, "day": day.isoformat(), "error": problem,
                                             "user_id": sched.set_by_user_id})
        if not sched.set_by_user_id or not await self.store.mark_reported(sched.guild_id, day):
            return
        guild = self.bot.get_guild(sched.guild_id)
        where = guild.name if guild is not None else f"server {sched.guild_id}"
        text = render.error_text(f"sourcedesk daily digest of {day.isoformat()} in {where}: {problem}. "
                                 "Use /digest setup to choose a channel, or /digest status.")
        try:
            user = self.bot.get_user(sched.set_by_user_id) or await self.bot.fetch_user(sched.set_by_user_id)
            await user.send(text)
        except discord.HTTPException:
            log.warning("could not send the digest problem by direct message",
                        extra={"guild_id": sched.guild_id, "user_id": sched.set_by_user_id})

    async def recover_claims(self) -> None:
        """A claim never finished means the bot stopped while posting: look for the post in
        the channel; found, the day is done; not found, the claim is dropped and the day
        posted as usual; when the channel cannot be read, the day is skipped (never twice)."""
        for sched in await self.store.claimed():
            day = sched.claim_day
            guild = self.bot.get_guild(sched.guild_id)
            channel = guild.get_channel(sched.channel_id) if guild and sched.channel_id else None
            if channel is None:
                await self.store.drop_claim(sched.guild_id, day)  # nothing can have reached a missing channel
                continue
            prefix = f"**{render.escape(scheduled_heading(day))}**"
            since = (sched.claim_at or self.now()) - timedelta(seconds=5)
            try:
                found = None
                async for message in channel.history(limit=HISTORY_CHECK):
                    if (message.author.id == self.bot.user.id and (message.content or "").startswith(prefix)
                            and message.created_at >= since):
                        found = message  # history is newest first: keep the oldest match
            except discord.HTTPException:
                problem = (f"could not check whether the digest of {day.isoformat()} was posted "
                           "(missing Read Message History); it is not posted again")
                await self.store.finish(sched.guild_id, day, until=sched.claim_until or self.now(), posted_at=None,
                                        channel_id=None, message_id=None, late=False)
                await self.store.record_error(sched.guild_id, problem, self.now())
                await self.report(sched, day, problem)
                continue
            if found is not None:
                await self.store.finish(sched.guild_id, day, until=sched.claim_until or found.created_at,
                                        posted_at=found.created_at, channel_id=channel.id, message_id=found.id,
                                        late=False)
                log.info("unfinished digest claim: post found", extra={"guild_id": sched.guild_id, "day": str(day)})
            else:
                await self.store.drop_claim(sched.guild_id, day)
                log.info("unfinished digest claim: no post, dropped", extra={"guild_id": sched.guild_id,
                                                                             "day": str(day)})

    # -- commands ---------------------------------------------------------------------------------

    def _note(self, sched: Schedule | None) -> str | None:
        if sched is None or not sched.last_error:
            return None
        return render.error_text(f"last digest problem ({render.moment_text(sched.last_error_at, schedule_tz(sched))}): "
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
        guild = interaction.guild
        if channel.guild.id != interaction.guild_id:
            await self.fail(interaction, "choose a channel of this server")
            return
        missing = missing_permissions(channel, guild.me if guild else None)
        if missing:
            await self.fail(interaction, f"the bot cannot post in #{channel.name}: it lacks {', '.join(missing)}")
            return
        mode = empty.value if empty is not None else "line"
        now = self.now()
        await self.store.set_up(interaction.guild_id, channel_id=channel.id, at=at, tz_name=tz.key, empty_mode=mode,
                                user_id=interaction.user.id, now=now)
        self.wake()
        sched = await self.store.get(interaction.guild_id)
        log.info("digest set up", extra={"guild_id": interaction.guild_id, "channel_id": channel.id,
                                         "time": format_time(at), "timezone": tz.key, "empty": mode,
                                         "user_id": interaction.user.id})
        await interaction.response.send_message(render.content_line(
            "🗓️ digest set", f"channel: {channel.mention}", f"time: {format_time(at)} {render.escape(tz.key)}",
            f"empty days: {EMPTY_LABELS[mode]}", f"next: {render.moment_text(sched.next_run_at(now), tz)}"),
            ephemeral=True)

    @setup.autocomplete("timezone")
    async def _setup_timezone(self, interaction: discord.Interaction, current: str):
        return [app_commands.Choice(name=n, value=n) for n in timezone_choices(current)]

    @digest.command(name="now")
    @manager_only("post the digest")
    async def now_(self, interaction: discord.Interaction) -> None:
        """Post the digest of everything added since the last digest, now (managers only)."""
        guild_id = interaction.guild_id
        sched = await self.store.get(guild_id)
        note = self._note(sched)
        if sched is not None and sched.enabled:
            channel, problem = self._channel(sched)
            if channel is None:
                await self.fail(interaction, f"{problem}: use /digest setup to choose a channel")
                return
        else:
            channel = interaction.channel
            missing = missing_permissions(channel, interaction.guild.me if interaction.guild else None) \
                if isinstance(channel, discord.abc.GuildChannel) else []
            if missing:
                await self.fail(interaction, f"the bot cannot post here: it lacks {', '.join(missing)}")
                return
        await self.defer(interaction, ephemeral=True)
        async with self._lock(guild_id):
            sched = await self.store.get(guild_id)
            since, until = window(self.now(), sched.last_until if sched else None,
                                  sched.first_set_at if sched else None)
            result, drawn = await self.engine(interaction, lambda e: build_digest_pictures(e, since, until))
            pages = render_digest.digest_pages(result, heading=MANUAL_HEADING, tz=schedule_tz(sched))
            sent, error = await self.send_pages_to(channel, pages, pictures.digest_attachments(
                pages, result, drawn, pictures.upload_limit(getattr(channel, "guild", None))))
            if sent:
                await self.store.record_manual(guild_id, until=until, posted_at=self.now(), channel_id=channel.id,
                                               message_id=sent[0].id)
        if not sent:
            await self.fail(interaction, error or "nothing was posted")
            return
        lines = [render.content_line("📰 digest posted", f"channel: {channel.mention}", f"{len(sent)} messages",
                                     f"{len(result.stories)} stories", f"{result.new_articles} new articles")]
        if error:
            lines.append(render.error_text(error))
        if note:
            lines.append(note)
        await interaction.followup.send("\n".join(lines), ephemeral=True)

    @digest.command(name="off")
    @manager_only("turn the digest off")
    async def off(self, interaction: discord.Interaction) -> None:
        """Stop the daily digest (managers only)."""
        stopped = await self.store.turn_off(interaction.guild_id)
        self.wake()
        await interaction.response.send_message(
            "🛑 digest off" if stopped else render.error_text("no daily digest is set up in this server"),
            ephemeral=True)

    async def status_embed_for(self, guild_id: int) -> discord.Embed:
        """The digest's settings, for /help (everyone may read them)."""
        return status_embed(await self.store.get(guild_id), self.now())

    @digest.command(name="status")
    async def status(self, interaction: discord.Interaction) -> None:
        """Show the digest settings and the last digest posted."""
        if not await self.require_guild(interaction):
            return
        sched = await self.store.get(interaction.guild_id)
        await interaction.response.send_message(
            embeds=[status_embed(sched, self.now())], content=self._note(sched) if is_manager(
                interaction.user, self.settings) else None, ephemeral=True)
