"""Following the news in Discord, on SimCord against a local HTTP server (private addresses
allowed for it; no test reaches the internet): /upload url:, /feeds, the scheduled polling
across a restart, /watch and its alerts in the right channel of the right server only, and
bad input answered clearly with nothing lost."""
from __future__ import annotations

from dataclasses import replace

import discord
import pytest
import pytest_asyncio

from bot import create_bot
from index.config import FetchPolicy
from tests.news_server import NewsServer, article_page, respond, rss
from tests.support.bot_world import (
    Newsroom,
    assert_quotes_verbatim,
    deferred,
    ids_in,
    make_settings,
    messages_of,
    running_bot,
    stored_texts,
    text_of,
)

CLAIM = "the lighthouse keeper sold the island to a shipping magnate"
ISLAND = ("The lighthouse keeper of Skerry Island sold the island to a shipping magnate on Tuesday, ending "
          "200 years of family ownership.\n\nThe sale was confirmed by the county registry on Wednesday. "
          "Neighbours said they had not been told, and the harbour council asked for the papers.")
FERRY = ("The morning ferry to the mainland was cancelled on Friday because of the storm.\n\n"
         "Passengers were told to come back on Saturday, when the sea is expected to be calmer.")
MINUTE = 60.0

pytestmark = pytest.mark.slow
ON_THE_MODULE_BOT = pytest.mark.asyncio(loop_scope="module")  # the shared ``env``; the others run their own bot


@pytest.fixture(scope="module")
def server():
    news = NewsServer()
    news.routes["/island"] = respond(200, article_page(ISLAND, title="Island sold", site="Coast Gazette",
                                                       published="2026-03-01"))
    news.routes["/ferry"] = respond(200, article_page(FERRY, title="Ferry cancelled", site="Coast Gazette"))
    news.routes["/feed"] = respond(200, rss("Coast Gazette", [
        ("island", news.url("/island"), "Island sold"),
        ("ferry", news.url("/ferry"), "Ferry cancelled"),
    ]), "application/rss+xml")
    yield news
    news.close()


def allowing_private(settings):
    """The operator's SOURCEDESK_FETCH_ALLOW_PRIVATE=1, for the local server."""
    return replace(settings, index=replace(settings.index, fetch=FetchPolicy(allow_private=True)))


@pytest.fixture(scope="module")
def bot_settings(tmp_path_factory):
    return allowing_private(make_settings(tmp_path_factory.mktemp("follow-bot")))


def article_count(env, guild) -> int:
    return len(env.bot.hub.engine(guild.id).articles())


def bot_posts(env, channel) -> list[discord.Message]:
    return [m for m in channel.history() if m.author.id == env.bot.user.id]


# -- /upload url: ---------------------------------------------------------------------------------


@ON_THE_MODULE_BOT
async def test_upload_url_stores_the_page_and_bad_links_lose_nothing(env, newsroom, server):
    room = newsroom
    added = await room.reporter.slash(room.general, "upload", url=server.url("/ferry"))
    assert deferred(env, added) and not added.ephemeral
    [article_id] = ids_in(added)
    engine = env.bot.hub.engine(room.guild.id)
    assert engine.snapshot(article_id).final_url == server.url("/ferry")
    assert engine.article(article_id).outlet == "Coast Gazette" and engine.uploader(article_id)
    again = await room.reporter.slash(room.general, "upload", url=server.url("/ferry"))
    assert "duplicate" in text_of(messages_of(again)[0].embeds) + (messages_of(again)[0].content or "")

    missing = await room.reporter.slash(room.general, "upload", url=server.url("/gone"))
    said = "\n".join((m.content or "") + text_of(m.embeds) for m in messages_of(missing))
    assert server.url("/gone") in said and "404" in said  # one line naming the link
    nothing = await room.reporter.slash(room.general, "upload")
    assert nothing.ephemeral and "give a file to upload, or a url" in nothing.response.content
    ftp = await room.reporter.slash(room.general, "upload", url="ftp://example.com/a")
    assert ftp.ephemeral and "http:// or https://" in ftp.response.content
    assert article_count(env, room.guild) == 1


async def test_upload_url_to_loopback_is_refused_by_default(tmp_path, server):
    async with running_bot(make_settings(tmp_path / "home")) as env:  # private addresses not allowed
        room = Newsroom(env)
        refused = await room.reporter.slash(room.general, "upload", url=server.url("/island"))
        said = "\n".join((m.content or "") + text_of(m.embeds) for m in messages_of(refused))
        assert server.url("/island") in said and "private" in said.lower()
        assert article_count(env, room.guild) == 0


# -- /feeds and /watch: commands and bad input ---------------------------------------------------


@ON_THE_MODULE_BOT
async def test_feeds_and_watch_refuse_bad_input_clearly(env, newsroom, server):
    room = newsroom
    reporter = await room.reporter.slash(room.general, "feeds add", url=server.url("/feed"))
    assert reporter.ephemeral and "only managers can follow feeds" in reporter.response.content
    not_a_feed = await room.editor.slash(room.general, "feeds add", url=server.url("/ferry"))
    said = "\n".join(m.content or "" for m in messages_of(not_a_feed))
    assert not_a_feed.ephemeral and server.url("/ferry") in said and "feed" in said
    unknown = await room.editor.slash(room.general, "feeds remove", feed=99)
    assert unknown.ephemeral and "unknown feed 99" in unknown.response.content
    listed = await room.reporter.slash(room.general, "feeds list")
    assert "follows no feeds" in listed.response.content

    blank = await room.reporter.slash(room.general, "watch add", claim="   ")
    assert blank.ephemeral
    gone = await room.reporter.slash(room.general, "watch remove", watch=7)
    assert gone.ephemeral and "unknown watch 7" in gone.response.content
    assert await env.bot.hub.run(room.guild.id, lambda e: (e.feeds().list(), e.watches().list())) == ([], [])
    assert article_count(env, room.guild) == 0


# -- the scheduled poll, alerts, a restart ----------------------------------------------------------


@pytest_asyncio.fixture()
async def two_rooms(tmp_path):
    settings = allowing_private(make_settings(tmp_path / "home"))
    async with running_bot(settings) as env:
        desk, other = Newsroom(env, "Desk"), Newsroom(env, "Other")
        desk.alerts = desk.guild.create_text_channel("alerts")
        other.alerts = other.guild.create_text_channel("alerts")
        yield settings, env, desk, other


async def test_feed_polled_on_schedule_alerts_once_in_the_right_place_across_a_restart(two_rooms, server):
    settings, env, desk, other = two_rooms
    watched = await desk.reporter.slash(desk.general, "watch add", claim=CLAIM, channel=desk.alerts)
    assert "watch 1" in watched.response.content and desk.alerts.mention in watched.response.content
    await other.reporter.slash(other.general, "watch add", claim=CLAIM, channel=other.alerts)

    followed = await desk.editor.slash(desk.general, "feeds add", url=server.url("/feed"))
    assert followed.ephemeral and "feed 1" in followed.response.content and "Coast Gazette" in followed.response.content
    await env.advance_time(5)  # due at once: the poller polls it
    assert article_count(env, desk.guild) == 2 and article_count(env, other.guild) == 0

    alerts = bot_posts(env, desk.alerts)
    assert len(alerts) == 1 and "1 new article stating them" in alerts[0].content
    [embed] = alerts[0].embeds
    island = next(a for a in env.bot.hub.engine(desk.guild.id).articles() if a.title == "Island sold")
    assert embed.footer.text.startswith(f"watch 1 · article {island.article_id[:8]}")
    assert CLAIM in embed.fields[0].value and "Coast Gazette" in embed.fields[1].value
    assert "2026-03-01" in embed.fields[1].value and server.url("/island") in embed.fields[1].value
    assert assert_quotes_verbatim([embed], stored_texts(env, desk.guild)) == 1
    assert bot_posts(env, desk.general) == [] or all("watched claims" not in (m.content or "")
                                                     for m in bot_posts(env, desk.general))
    assert bot_posts(env, other.alerts) == []  # the other server's watch saw nothing of this server's

    listed = await desk.reporter.slash(desk.general, "feeds list")
    assert "articles from it: 2" in text_of(listed.response.embeds) and "state: ok" in text_of(listed.response.embeds)

    # A restart, then the next scheduled poll: nothing stored or posted twice.
    old = env.bot
    await env.restart_bot(create_bot(settings))
    old.get_cog("DigestCog").store.close()
    old.hub.close()
    await env.advance_time(16 * MINUTE)
    assert article_count(env, desk.guild) == 2 and len(bot_posts(env, desk.alerts)) == 1
    assert len([p for p, _ in server.requests if p == "/feed"]) >= 3  # added, polled, polled again

    # A feed that starts failing is reported in /feeds list, with why, and tried later.
    server.routes["/feed"] = respond(500, b"down", "text/plain")
    try:
        await env.advance_time(16 * MINUTE)
        listed = await desk.reporter.slash(desk.general, "feeds list")
        shown = text_of(listed.response.embeds)
        assert "failing: 1 poll in a row" in shown and "500" in shown
    finally:
        server.routes["/feed"] = respond(200, rss("Coast Gazette", [
            ("island", server.url("/island"), "Island sold"), ("ferry", server.url("/ferry"), "Ferry cancelled")]),
            "application/rss+xml")

    # An upload by link that states the claim alerts too, once; removing the feed keeps its articles.
    server.routes["/island-2"] = respond(200, article_page(ISLAND.replace("Tuesday", "Monday"), title="Island sold, again"))
    await desk.reporter.slash(desk.general, "upload", url=server.url("/island-2"))
    assert len(bot_posts(env, desk.alerts)) == 2 and bot_posts(env, other.alerts) == []
    removed = await desk.editor.slash(desk.general, "feeds remove", feed=1)
    assert removed.ephemeral and "no longer followed" in removed.response.content
    assert article_count(env, desk.guild) == 3
