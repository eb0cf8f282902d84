"""The daily digest: /digest commands, the scheduler on SimCord's simulated clock,
restarts, late posts, missing channels; and the pure due-time rules.

Each SimCord test runs its own bot on its own home. The engine stamps ``added_at`` with
the simulated clock here (``index.clock.now`` patched), so that articles uploaded at
simulated 00:05 fall in the digest window that the bot computes from the same clock.
"""
from __future__ import annotations

import re
import sqlite3
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import discord
import pytest
import pytest_asyncio
from tests.support.bot_world import (
    ORIGINAL,
    REWRITE_DATED,
    REWRITE_UNDATED,
    assert_fits_discord,
    assert_quotes_verbatim,
    bot_failures,
    make_settings,
    message_problems,
    messages_of,
    running_bot,
    stored_texts,
    text_of,
    upload_samples,
)

from bot import create_bot
from bot.digest.rules import (
    due_day,
    is_late,
    late_label,
    next_run_at,
    parse_time,
    parse_timezone,
    scheduled_at,
    window,
)
from bot.digest.store import DigestStore
from bot.render import digest as render_digest
from index.errors import UserError

UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
HOUR = 3600.0
MINUTE = 60.0


# -- pure functions: due time across time zones and daylight saving ----------------------------


def test_parse_time_and_timezone():
    assert parse_time("08:00") == time(8, 0) and parse_time("8:05") == time(8, 5) and parse_time("23:59")
    for bad in ("24:00", "8", "08:60", "8am", "", "08:00:00"):
        with pytest.raises(UserError):
            parse_time(bad)
    assert parse_timezone("Europe/London").key == "Europe/London"
    for bad in ("Mars/Olympus", "", "../etc/passwd", "GMT+25"):
        with pytest.raises(UserError):
            parse_timezone(bad)


def test_scheduled_moment_follows_the_local_clock_across_dst():
    at = time(8, 0)
    assert scheduled_at(date(2026, 1, 15), at, LONDON) == datetime(2026, 1, 15, 8, tzinfo=UTC)  # GMT
    assert scheduled_at(date(2026, 7, 15), at, LONDON) == datetime(2026, 7, 15, 7, tzinfo=UTC)  # BST
    assert scheduled_at(date(2026, 1, 15), at, NEW_YORK) == datetime(2026, 1, 15, 13, tzinfo=UTC)
    assert scheduled_at(date(2026, 7, 15), at, NEW_YORK) == datetime(2026, 7, 15, 12, tzinfo=UTC)
    # 01:30 does not exist in London on 2026-03-29 (01:00 -> 02:00): it lands just after the jump
    assert scheduled_at(date(2026, 3, 29), time(1, 30), LONDON) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    # 01:30 happens twice on 2026-10-25: the first time (BST) is used
    assert scheduled_at(date(2026, 10, 25), time(1, 30), LONDON) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_due_day_uses_the_local_date():
    at, tokyo = time(8, 0), ZoneInfo("Asia/Tokyo")
    # 2026-01-01 23:30 UTC is 2026-01-02 08:30 in Tokyo: the digest of 2 January is due
    assert due_day(datetime(2026, 1, 1, 23, 30, tzinfo=UTC), at, tokyo) == date(2026, 1, 2)
    assert due_day(datetime(2026, 1, 1, 22, 30, tzinfo=UTC), at, tokyo) == date(2026, 1, 1)
    # New York 08:00 on 1 January is 13:00 UTC
    assert due_day(datetime(2026, 1, 2, 12, 59, tzinfo=UTC), at, NEW_YORK) == date(2026, 1, 1)
    assert due_day(datetime(2026, 1, 2, 13, 0, tzinfo=UTC), at, NEW_YORK) == date(2026, 1, 2)


def test_due_day_posts_once_and_only_the_latest_missed_day():
    at = time(8, 0)
    now = datetime(2026, 1, 5, 9, tzinfo=UTC)
    assert due_day(now, at, LONDON, last_posted_day=date(2026, 1, 4)) == date(2026, 1, 5)
    assert due_day(now, at, LONDON, last_posted_day=date(2026, 1, 5)) is None
    # down since the 1st: one digest, for the latest day only
    assert due_day(now, at, LONDON, last_posted_day=date(2026, 1, 1)) == date(2026, 1, 5)
    # before today's time, yesterday's missed digest is still due (late)
    early = datetime(2026, 1, 5, 7, tzinfo=UTC)
    assert due_day(early, at, LONDON, last_posted_day=date(2026, 1, 3)) == date(2026, 1, 4)
    assert is_late(early, date(2026, 1, 4), at, LONDON)
    assert not is_late(datetime(2026, 1, 5, 8, 1, tzinfo=UTC), date(2026, 1, 5), at, LONDON)


def test_a_new_schedule_never_posts_for_a_time_already_past():
    at = time(8, 0)
    set_at = datetime(2026, 1, 5, 10, tzinfo=UTC)
    assert due_day(datetime(2026, 1, 5, 11, tzinfo=UTC), at, LONDON, active_from=set_at) is None
    assert next_run_at(datetime(2026, 1, 5, 11, tzinfo=UTC), at, LONDON, active_from=set_at) == \
        datetime(2026, 1, 6, 8, tzinfo=UTC)
    assert due_day(datetime(2026, 1, 6, 8, tzinfo=UTC), at, LONDON, active_from=set_at) == date(2026, 1, 6)


def test_next_run_across_the_spring_forward_night():
    at = time(8, 0)
    # Sat 28 March 08:00 GMT posted; the next is Sunday 08:00 BST = 07:00 UTC, 23 hours later
    after = datetime(2026, 3, 28, 8, 0, 1, tzinfo=UTC)
    assert next_run_at(after, at, LONDON, last_posted_day=date(2026, 3, 28)) == datetime(2026, 3, 29, 7, tzinfo=UTC)
    # and in autumn the day is 25 hours long
    after = datetime(2026, 10, 24, 7, 0, 1, tzinfo=UTC)
    assert next_run_at(after, at, LONDON, last_posted_day=date(2026, 10, 24)) == \
        datetime(2026, 10, 25, 8, tzinfo=UTC)


def test_window_runs_from_the_last_digest_or_24_hours():
    now = datetime(2026, 1, 5, 8, tzinfo=UTC)
    assert window(now, None) == (now - timedelta(hours=24), now)
    last = datetime(2026, 1, 3, 8, tzinfo=UTC)
    assert window(now, last) == (last, now)
    assert window(now, last, now - timedelta(days=9)) == (last, now)
    # a first digest covers the 24 hours, or everything since the digest was first set up
    assert window(now, None, now - timedelta(days=3)) == (now - timedelta(days=3), now)
    assert window(now, None, now - timedelta(hours=2)) == (now - timedelta(hours=24), now)
    assert late_label(time(8, 0), "Europe/London") == "late: scheduled 08:00 Europe/London"


def test_store_claims_a_day_once(tmp_path):
    store = DigestStore(tmp_path / "bot.sqlite3")
    now = datetime(2026, 1, 5, 8, tzinfo=UTC)
    store.set_up(1, channel_id=10, at=time(8, 0), tz_name="Europe/London", empty_mode="line", user_id=7,
                 now=now - timedelta(days=1))
    day = date(2026, 1, 5)
    assert store.claim(1, day, now, now)
    assert not store.claim(1, day, now, now)  # claimed: a second claimant (another process) loses
    # a claimed day is not due again: the scheduler sleeps until the next day's time
    assert store.get(1).next_run_at(now + timedelta(minutes=5)) == datetime(2026, 1, 6, 8, tzinfo=UTC)
    assert DigestStore(tmp_path / "bot.sqlite3").get(1).claim_day == day  # persisted at once
    store.release(1, day, error="gone", now=now)
    assert store.get(1).last_error == "gone" and store.get(1).retry_at > now
    assert store.claim(1, day, now, now)
    assert store.finish(1, day, until=now, posted_at=now, channel_id=10, message_id=99, late=False)
    assert not store.claim(1, day, now, now)  # done
    got = store.get(1)
    assert got.last_posted_day == day and got.last_until == now and got.last_error is None and got.claim_day is None
    assert store.get(1).due_day(now + timedelta(hours=1)) is None
    assert store.get(1).due_day(now + timedelta(days=1)) == date(2026, 1, 6)
    with pytest.raises(UserError):
        store.set_up(1, channel_id=10, at=time(8, 0), tz_name="UTC", empty_mode="sometimes", user_id=7, now=now)


# -- rendering ------------------------------------------------------------------------------------


def test_empty_digest_is_one_short_line():
    from index.stories.digest import DigestResult

    since = datetime(2026, 1, 1, 8, tzinfo=UTC)
    pages = render_digest.digest_pages(DigestResult(since, since + timedelta(days=1), []), heading="daily digest · 2026-01-02",
                                tz=LONDON, late="late: scheduled 08:00 Europe/London")
    assert len(pages) == 1 and not pages[0].embeds
    assert pages[0].content.startswith("**daily digest · 2026-01-02**")
    assert "no new articles" in pages[0].content and "late: scheduled 08:00 Europe/London" in pages[0].content


def test_long_digest_is_split_within_discord_limits(sample_engine):
    """Many stories with long quotes: every message fits, stories keep their order."""
    from index.stories.digest import digest

    result = digest(sample_engine.store, since="2000-01-01")
    story = result.stories[0]
    result.stories = [story] * 14
    pages = render_digest.digest_pages(result, heading="daily digest · 2026-01-02", tz=LONDON)
    assert len(pages) > 1
    texts = {aid: sample_engine.show(aid)[1] for aid in sample_engine.ids.values()}
    titles = []
    for page in pages:
        assert not message_problems(page.content, page.embeds)
        assert len(page.embeds) <= 10
        assert_quotes_verbatim(page.embeds, texts)
        titles += [e.title for e in page.embeds if e.title and not e.title.endswith("(continued)")]
    assert [t.split(" · ")[0] for t in titles] == [f"story {n}/14" for n in range(1, 15)]


# -- the bot on SimCord ----------------------------------------------------------------------------


class World:
    pass


@pytest.fixture()
def sim_clock(monkeypatch):
    """Stamp added_at with the simulated clock of the env set in holder[0]."""
    import index.clock

    holder: list = []
    monkeypatch.setattr(index.clock, "now", lambda: holder[0].now().isoformat(timespec="microseconds"))
    return holder


@pytest_asyncio.fixture()
async def world(tmp_path, sim_clock):
    w = World()
    w.settings = make_settings(tmp_path / "home")
    async with running_bot(w.settings) as env:
        sim_clock.append(env)
        w.env = env
        w.guild = env.create_guild("Newsroom")
        w.general = w.guild.create_text_channel("general")
        w.desk = w.guild.create_text_channel("digest")
        editors = w.guild.create_role("Editors")
        w.editor_user = env.create_user("editor")
        w.editor = w.guild.add_member(w.editor_user, roles=[editors])
        w.reporter = w.guild.add_member(env.create_user("reporter"))
        yield w


def digests_in(w, channel) -> list[discord.Message]:
    bot_id = w.env.bot.user.id
    return [m for m in channel.history() if m.author.id == bot_id and "digest" in (m.content or "")]


def dms_to(w) -> list[discord.Message]:
    """What the bot sent the editor (who set the digest up) by direct message."""
    return [m for m in w.editor_user.dm_channel.history() if m.author.id == w.env.bot.user.id]


def first_pages(messages) -> list[discord.Message]:
    """The first message of each digest (later pages say "page 2/…")."""
    return [m for m in messages if "page " not in m.content or "page 1/" in m.content]


async def setup_digest(w, member=None, channel=None, **options):
    options.setdefault("time", "08:00")
    options.setdefault("timezone", "Europe/London")
    return await (member or w.editor).slash(w.general, "digest setup", channel=channel or w.desk, **options)


async def restart(w, *, down_for: float = 0.0):
    """A new bot instance on the same home; with ``down_for``, the old one's scheduler stops
    first and simulated time passes while no bot runs it."""
    old = w.env.bot
    if down_for:
        await old.remove_cog("DigestCog")
        await w.env.advance_time(down_for)
    await w.env.restart_bot(create_bot(w.settings))
    if not down_for:
        old.get_cog("DigestCog").store.close()
    old.hub.close()
    await w.env.settle()


async def test_scheduled_digest_restart_next_day_and_empty_day(world):
    w = world
    result = await setup_digest(w)
    assert result.ephemeral and "digest set" in result.response.content
    assert "next: 2026-01-01 08:00 Europe/London" in result.response.content
    ids = await upload_samples(w.reporter, w.general)  # at about 00:00 simulated

    await w.env.advance_time(8 * HOUR - 10 * MINUTE)
    assert digests_in(w, w.desk) == []  # not yet
    await w.env.advance_time(11 * MINUTE)
    posted = digests_in(w, w.desk)
    assert len(first_pages(posted)) == 1
    first = posted[0]
    assert first.content.startswith("**daily digest · 2026-01-01**") and "late" not in first.content
    assert "3 new articles" in first.content and "1 stories" in first.content
    embeds = [e for m in posted for e in m.embeds]
    story = embeds[0]
    assert story.title.startswith("story 1/1")
    assert story.author.name.startswith("The Mail on Sunday")
    article_fields = [f for e in embeds for f in e.fields if f.name[:2] in ("1.", "2.", "3.")]
    assert [f.name.split(" · ")[0] for f in article_fields] == ["1. origin", "2. derived", "3. derived"]
    assert f"id: `{ids[ORIGINAL]}`" in article_fields[0].value and "2026-01-12" in article_fields[0].value
    assert "date: unknown" in article_fields[1].value  # the undated rewrite, right after its origin
    derived = [f for e in embeds for f in e.fields if f.name.startswith("flag · derived")]
    assert len(derived) == 2 and all("reuse: " in f.value and "%" in f.value for f in derived)
    assert {ids[REWRITE_DATED][:8], ids[REWRITE_UNDATED][:8]} == {f.name.split(" · ")[-1] for f in derived}
    quote_flags = [f for e in embeds for f in e.fields
                   if f.name.startswith(("flag · quotation altered", "flag · attribution changed",
                                         "flag · quoted words replaced", "flag · title or name"))]
    assert quote_flags and any(" parent " in f.name for f in quote_flags) and any(" rewrite " in f.name
                                                                                  for f in quote_flags)
    for message in posted:
        assert_fits_discord(message)
    assert assert_quotes_verbatim(embeds, stored_texts(w.env, w.guild)) >= 3
    assert digests_in(w, w.general) == []  # only in the configured channel

    # restart later the same day: no duplicate
    await restart(w)
    await w.env.advance_time(2 * HOUR)
    assert len(first_pages(digests_in(w, w.desk))) == 1

    # next day: one new digest; nothing new since, so the short line
    await w.env.advance_time(22 * HOUR)
    posted = first_pages(digests_in(w, w.desk))
    assert len(posted) == 2
    assert posted[1].content.startswith("**daily digest · 2026-01-02**")
    assert "no new articles" in posted[1].content and not posted[1].embeds
    assert "2026-01-01 08:00" in posted[1].content  # the window starts where the last digest ended

    status = await w.reporter.slash(w.general, "digest status")
    fields = {f.name: f.value for f in status.response.embeds[0].fields}
    assert fields["status"] == "on" and fields["last scheduled day"] == "2026-01-02"
    assert fields["time"] == "08:00 Europe/London" and fields["channel"] == w.desk.mention


async def test_bot_down_at_the_scheduled_time_posts_one_late_digest(world):
    w = world
    await setup_digest(w)
    await upload_samples(w.reporter, w.general, (ORIGINAL,))
    await w.env.advance_time(7 * HOUR)
    # the bot stops at 07:00 and comes back at 10:00 two days later
    await restart(w, down_for=2 * 24 * HOUR + 3 * HOUR)
    posted = first_pages(digests_in(w, w.desk))
    assert len(posted) == 1
    assert posted[0].content.startswith("**daily digest · 2026-01-03**")
    assert "late: scheduled 08:00 Europe/London" in posted[0].content
    assert "1 new articles" in posted[0].content
    await w.env.advance_time(2 * HOUR)
    assert len(first_pages(digests_in(w, w.desk))) == 1
    status = await w.editor.slash(w.general, "digest status")
    fields = {f.name: f.value for f in status.response.embeds[0].fields}
    assert fields["last posted"].endswith("· late")


async def test_down_overnight_posts_yesterdays_digest_late_then_todays_on_time(world):
    w = world
    await setup_digest(w, time="18:00")
    await upload_samples(w.reporter, w.general, (ORIGINAL,))
    await w.env.advance_time(17 * HOUR)
    await restart(w, down_for=14 * HOUR)  # back at 07:00 on the 2nd
    posted = first_pages(digests_in(w, w.desk))
    assert len(posted) == 1 and "daily digest · 2026-01-01" in posted[0].content
    assert "late: scheduled 18:00 Europe/London" in posted[0].content
    await w.env.advance_time(11 * HOUR + MINUTE)
    posted = first_pages(digests_in(w, w.desk))
    assert len(posted) == 2 and "daily digest · 2026-01-02" in posted[1].content
    assert "late" not in posted[1].content and "no new articles" in posted[1].content


async def test_empty_nothing_posts_nothing_on_a_quiet_day(world):
    w = world
    await setup_digest(w, empty="nothing")
    await w.env.advance_time(9 * HOUR)
    assert digests_in(w, w.desk) == []
    status = await w.editor.slash(w.general, "digest status")
    fields = {f.name: f.value for f in status.response.embeds[0].fields}
    assert fields["last scheduled day"] == "2026-01-01" and fields["last posted"] == "unknown"
    assert fields["empty days"] == "post nothing"


async def test_digest_now_posts_in_the_current_channel_without_a_schedule(world):
    w = world
    ids = await upload_samples(w.reporter, w.general, (ORIGINAL, REWRITE_DATED))
    await w.env.advance_time(MINUTE)
    result = await w.editor.slash(w.general, "digest now")
    assert result.ephemeral and "digest posted" in messages_of(result)[-1].content
    posted = digests_in(w, w.general)
    assert len(first_pages(posted)) == 1 and posted[0].content.startswith("**digest · on request**")
    embeds = [e for m in posted for e in m.embeds]
    assert ids[ORIGINAL] in text_of(embeds) and ids[REWRITE_DATED] in text_of(embeds)
    assert_quotes_verbatim(embeds, stored_texts(w.env, w.guild))
    # the window moved on: a second request has nothing new
    await w.env.advance_time(MINUTE)
    await w.editor.slash(w.general, "digest now")
    posted = first_pages(digests_in(w, w.general))
    assert len(posted) == 2 and "no new articles" in posted[1].content
    denied = await w.reporter.slash(w.general, "digest now")
    assert denied.ephemeral and "only managers" in denied.response.content


async def test_digest_story_of_three_articles_attaches_its_picture(world):
    from tests.test_pictures import assert_small_png

    w = world
    ids = await upload_samples(w.reporter, w.general)
    await w.env.advance_time(MINUTE)
    result = await w.editor.slash(w.general, "digest now")
    assert "digest posted" in messages_of(result)[-1].content
    posted = digests_in(w, w.general)
    files = [f for m in posted for f in m.attachments]
    assert [f.filename for f in files] == [f"story-1-{ids[ORIGINAL]}.png"]  # the story starts with its origin
    assert [f.filename for f in posted[0].attachments] == [files[0].filename]
    assert posted[0].embeds[0].title.startswith("story 1/1")
    assert_small_png(await files[0].read())


async def test_digest_goes_out_without_a_picture_that_cannot_be_drawn(world, monkeypatch):
    from bot.render import pictures

    def broken(picture):
        raise RuntimeError("matplotlib broke")

    monkeypatch.setattr(pictures, "draw_story", broken)
    w = world
    ids = await upload_samples(w.reporter, w.general)
    await w.env.advance_time(MINUTE)
    cursor = w.env.error_cursor
    result = await w.editor.slash(w.general, "digest now")
    assert "digest posted" in messages_of(result)[-1].content
    posted = digests_in(w, w.general)
    assert posted and all(m.attachments == [] for m in posted)
    assert posted[0].embeds[0].title.startswith("story 1/1") and ids[ORIGINAL] in text_of(posted[0].embeds)
    assert bot_failures(w.env, cursor) == []


async def test_only_managers_set_up_and_bad_input_is_an_ephemeral_error(world):
    w = world
    denied = await setup_digest(w, member=w.reporter)
    assert denied.ephemeral and "only managers" in denied.response.content
    bad_time = await setup_digest(w, time="25:00")
    assert bad_time.ephemeral and "cannot read the time" in bad_time.response.content
    bad_zone = await setup_digest(w, timezone="Europe/Londres")
    assert bad_zone.ephemeral and "unknown time zone" in bad_zone.response.content
    assert DigestStore.for_home(w.settings.home).get(w.guild.id) is None
    choices = await w.editor.autocomplete(w.general, "digest setup", "timezone", "london",
                                          channel=w.desk, time="08:00", timezone="london")
    assert "Europe/London" in [c.value if hasattr(c, "value") else c["value"] for c in choices]
    off = await w.editor.slash(w.general, "digest off")
    assert "no daily digest" in off.response.content
    await setup_digest(w)
    off = await w.reporter.slash(w.general, "digest off")
    assert "only managers" in off.response.content
    off = await w.editor.slash(w.general, "digest off")
    assert "digest off" in off.response.content
    await w.env.advance_time(9 * HOUR)
    assert digests_in(w, w.desk) == []


async def test_setup_refuses_a_channel_the_bot_cannot_post_in(world):
    w = world
    closed = w.guild.create_text_channel("closed", overwrites={
        w.guild.default_role: discord.PermissionOverwrite(send_messages=False)})
    result = await setup_digest(w, channel=closed)
    assert result.ephemeral and "cannot post" in result.response.content and "Send Messages" in result.response.content


async def test_deleted_channel_is_reported_to_the_manager_who_set_it_up(world):
    w = world
    await setup_digest(w)
    await upload_samples(w.reporter, w.general, (ORIGINAL,))
    w.env.backend.delete_channel(w.desk.id)
    await w.env.settle()
    await w.env.advance_time(8 * HOUR + MINUTE)
    dms = dms_to(w)
    assert len(dms) == 1 and "no longer exists" in dms[0].content and "2026-01-01" in dms[0].content
    # retried later without another message the same day; shown on the next /digest command
    await w.env.advance_time(2 * HOUR)
    assert len(dms_to(w)) == 1
    status = await w.editor.slash(w.general, "digest status")
    assert "no longer exists" in status.response.content
    # a new channel: the missed digest goes out (late) with the articles still in its window
    desk2 = w.guild.create_text_channel("digest-2")
    await setup_digest(w, channel=desk2)
    await w.env.advance_time(MINUTE)
    assert digests_in(w, desk2) == []  # a new schedule starts with the next 08:00
    await w.env.advance_time(22 * HOUR)  # 08:02 on the 2nd
    posted = first_pages(digests_in(w, desk2))
    assert len(posted) == 1 and "1 new articles" in posted[0].content


async def test_send_refused_releases_the_claim_and_tells_the_setter(world):
    w = world
    await setup_digest(w)
    await upload_samples(w.reporter, w.general, (ORIGINAL,))
    w.env.inject_error("POST", f"/channels/{w.desk.id}/messages", status=403, code=50013,
                       message="Missing Permissions", times=1)
    await w.env.advance_time(8 * HOUR + MINUTE)
    dms = dms_to(w)
    assert len(dms) == 1 and "may not post" in dms[0].content
    assert digests_in(w, w.desk) == []
    row = DigestStore.for_home(w.settings.home).get(w.guild.id)
    assert row.claim_day is None and row.last_posted_day is None and row.retry_at is not None
    # the retry half an hour later succeeds, once, marked late
    await w.env.advance_time(HOUR)
    posted = first_pages(digests_in(w, w.desk))
    assert len(posted) == 1 and "late: scheduled 08:00 Europe/London" in posted[0].content


async def test_claim_left_by_a_crash_is_resolved_without_a_second_post(world):
    w = world
    await setup_digest(w)
    await upload_samples(w.reporter, w.general, (ORIGINAL,))
    await w.env.advance_time(8 * HOUR + MINUTE)
    assert len(first_pages(digests_in(w, w.desk))) == 1
    # pretend the bot died after sending but before marking the day done
    db = sqlite3.connect(w.settings.home / "bot.sqlite3")
    with db:
        db.execute("UPDATE digest_schedules SET last_posted_day = NULL, claim_day = '2026-01-01', "
                   "claim_at = last_posted_at, claim_until = last_until WHERE guild_id = ?", (w.guild.id,))
    db.close()
    await restart(w)
    await w.env.advance_time(HOUR)
    assert len(first_pages(digests_in(w, w.desk))) == 1
    row = DigestStore.for_home(w.settings.home).get(w.guild.id)
    assert row.last_posted_day == date(2026, 1, 1) and row.claim_day is None
    # a claim whose post never reached the channel is dropped and the day posted
    db = sqlite3.connect(w.settings.home / "bot.sqlite3")
    with db:
        db.execute("UPDATE digest_schedules SET last_posted_day = '2025-12-31', claim_day = '2026-01-02', "
                   "claim_at = ?, claim_until = ? WHERE guild_id = ?",
                   ("2026-01-02T08:00:00+00:00", "2026-01-02T08:00:00+00:00", w.guild.id))
    db.close()
    await w.env.advance_time(24 * HOUR)  # 10:01 on the 2nd: the stale claim blocks the running bot
    assert len(first_pages(digests_in(w, w.desk))) == 1
    await restart(w)
    posted = first_pages(digests_in(w, w.desk))
    assert len(posted) == 2 and "daily digest · 2026-01-02" in posted[1].content
