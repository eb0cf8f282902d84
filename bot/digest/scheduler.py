"""The digest's scheduler: a task that sleeps until the next schedule is due, posts it, and at
start-up resolves the claims a crash left behind (the guarantees are in ``bot.digest``'s
docstring). ``DigestCog`` owns one and shares its store, lock and channel checks."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord

from index import UserError

from ..due_loop import DueLoop
from ..render import digest as render_digest
from ..render import pictures
from ..render.primitives import error_text, escape
from .rules import RETRY_AFTER, is_late, late_label, window
from .store import AsyncDigestStore, Schedule

if TYPE_CHECKING:
    from .. import SourcedeskBot

log = logging.getLogger("bot.digest")

MAX_STORIES = 15
HISTORY_CHECK = 50  # messages read back when resolving a claim left by a crash
SCHEDULED_HEADING = "daily digest · {day}"
MANUAL_HEADING = "digest · on request"
NEEDED_PERMISSIONS = (("view_channel", "View Channel"), ("send_messages", "Send Messages"),
                      ("embed_links", "Embed Links"))


def build_digest_pictures(engine, since: datetime, until: datetime):
    """The digest of [since, until) and its story pictures (story id -> PNG), built in one
    worker thread; a picture that cannot be drawn is left out (``render.pictures``)."""
    result = engine.digest(since=since, until=until, max_stories=MAX_STORIES, now=until)
    return result, pictures.story_pictures(result)


def missing_permissions(channel: discord.abc.GuildChannel, me: discord.Member | None) -> list[str]:
    if me is None:
        return []
    perms = channel.permissions_for(me)
    return [label for name, label in NEEDED_PERMISSIONS if not getattr(perms, name)]


def scheduled_heading(day) -> str:
    return SCHEDULED_HEADING.format(day=day.isoformat())


async def send_pages_to(channel, pages, attachments=()) -> tuple[list[discord.Message], str | None]:
    """Post ``pages`` in ``channel`` (``attachments``: per page, the (file name, bytes) to attach
    to it); returns the messages sent and, when Discord refused one, why (the rest is not sent)."""
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


class DigestScheduler(DueLoop):
    """Posts each server's digest when its day is due: once per day, however often the bot
    restarts. At the bot's start it first resolves the claims a crash left behind; it stops
    when nothing is scheduled (``/digest setup`` wakes it)."""

    task_name = "sourcedesk-digest-scheduler"

    def __init__(self, bot: "SourcedeskBot", store: AsyncDigestStore) -> None:
        super().__init__(bot)
        self.store = store
        self._locks: dict[int, asyncio.Lock] = {}

    def lock(self, guild_id: int) -> asyncio.Lock:
        """Held while a server's digest is built and posted (scheduled or /digest now)."""
        return self._locks.setdefault(guild_id, asyncio.Lock())

    async def _loop(self, *, first: bool) -> None:
        """Sleep until the next schedule is due (at most MAX_SLEEP_S), post what is due."""
        await self.bot.wait_until_ready()
        if first:
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
            await self.sleep(self.seconds_to_next(schedules))

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
        return self.seconds_until(moments)

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
        async with self.lock(guild_id):
            now = self.now()
            sched = await self.store.get(guild_id)
            if sched is None or not sched.enabled:
                return
            day = sched.due_day(now)
            if day is None or sched.claim_day is not None or (sched.retry_at and now < sched.retry_at):
                return
            late = is_late(now, day, sched.at, sched.tz)
            channel, problem = self.channel(sched)
            if channel is None:
                await self.store.record_error(guild_id, problem, now, retry_after=RETRY_AFTER)
                await self.report(sched, day, problem)
                return
            since, until = window(now, sched.last_until, sched.first_set_at)
            try:
                result, drawn = await self.bot.hub.run(guild_id, lambda e: build_digest_pictures(e, since, until))
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
                sent, error = await send_pages_to(channel, pages, pictures.digest_attachments(
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

    def channel(self, sched: Schedule) -> tuple[discord.abc.Messageable | None, str]:
        """The schedule's channel, or None and why the bot cannot post there."""
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

    async def report(self, sched: Schedule, day, problem: str) -> None:
        """Tell the manager who set the digest up (a direct message, once a day); always log.
        The problem also stays in the database, shown by the next /digest command."""
        log.warning("digest problem", extra={"guild_id": sched.guild_id, "day": day.isoformat(), "error": problem,
                                             "user_id": sched.set_by_user_id})
        if not sched.set_by_user_id or not await self.store.mark_reported(sched.guild_id, day):
            return
        guild = self.bot.get_guild(sched.guild_id)
        where = guild.name if guild is not None else f"server {sched.guild_id}"
        text = error_text(f"sourcedesk daily digest of {day.isoformat()} in {where}: {problem}. "
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
            prefix = f"**{escape(scheduled_heading(day))}**"
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
