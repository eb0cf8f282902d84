"""Feeds followed and claims watched (index/follow/) against a local server: each item stored
once across polls, restarts and concurrent polls; conditional requests and backoff; hostile
feeds; one alert per (watch, article), its quote a verbatim slice. The real model judges."""
from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from index.config import FetchPolicy, Settings
from index.engine import Engine
from index.errors import UserError
from index.follow.feeds import BUSY, MAX_ITEM_ATTEMPTS, POLL_INTERVAL
from tests.conftest import ORIGINAL, REWRITE_DATED, REWRITE_UNDATED
from tests.news_server import NewsServer, article_page, cli, respond, rss, sample_text

CLAIM = "the lighthouse keeper sold the island to a shipping magnate"
LIGHTHOUSE = ("The lighthouse keeper of Skerry Island sold the island to a shipping magnate on Tuesday, ending "
              "200 years of family ownership.\n\nThe sale was confirmed by the county registry on Wednesday. "
              "Neighbours said they had not been told, and the harbour council asked for the papers.")
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def server(sample_dir):
    news = NewsServer()
    news.routes["/island"] = respond(200, article_page(LIGHTHOUSE, title="Island sold", site="Coast Gazette"))
    news.routes["/greenland"] = respond(200, article_page(sample_text(sample_dir, ORIGINAL), title="Greenland plan",
                                                          site="The Mail on Sunday", published="2026-01-12"))
    news.routes["/rewrite"] = respond(200, article_page(sample_text(sample_dir, REWRITE_DATED)))
    news.routes["/undated"] = respond(200, article_page(sample_text(sample_dir, REWRITE_UNDATED)))
    news.routes["/feed"] = respond(200, rss("Coast Gazette", [
        ("island", news.url("/island"), "Island sold"),
        ("greenland", news.url("/greenland"), "Greenland plan"),
        ("rewrite", news.url("/rewrite"), "Greenland, again"),
    ]), "application/rss+xml", {"ETag": '"feed-v1"'})
    yield news
    news.close()


def open_engine(home: Path) -> Engine:
    return Engine(replace(Settings.from_env(home), fetch=FetchPolicy(allow_private=True)), "follow")


@pytest.fixture()
def engine(tmp_path):
    return open_engine(tmp_path / "home")


def assert_verbatim(engine: Engine, quote) -> None:
    assert quote.text == engine.show(quote.article_id)[1][quote.start : quote.end]


# -- the must-shows, through the command line ------------------------------------------


def test_feeds_add_poll_twice_and_one_alert(server, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCEDESK_FETCH_ALLOW_PRIVATE", "1")
    home = tmp_path / "home"
    code, watch = cli(home, "watch", "add", CLAIM)
    assert code == 0 and {"watch_id", "claim"} <= set(watch) and watch["claim"] == CLAIM
    code, feed = cli(home, "feeds", "add", server.url("/feed"))
    assert code == 0 and {"feed_id", "url", "title"} <= set(feed) and feed["title"] == "Coast Gazette"

    code, first = cli(home, "feeds", "poll")
    assert code == 0 and set(first) == {"feeds", "alerts"}
    (poll,) = first["feeds"]
    assert {"feed_id", "url", "items", "added", "duplicates", "failed", "error"} <= set(poll)
    assert (poll["items"], poll["added"], poll["duplicates"], poll["failed"], poll["error"]) == (3, 3, 0, 0, None)

    (alert,) = first["alerts"]  # exactly one: the island item states the claim, the Greenland ones do not
    assert set(alert) == {"watch_id", "claim", "article_id", "match", "quote"}
    island = next(a for a in cli(home, "articles")[1]["articles"] if a["title"] == "Island sold")
    assert alert["article_id"] == island["article_id"] and alert["watch_id"] == watch["watch_id"]
    assert alert["match"] in ("verbatim", "close") and alert["claim"] == CLAIM
    text = cli(home, "show", island["article_id"])[1]["text"]
    assert alert["quote"]["text"] == text[alert["quote"]["start"] : alert["quote"]["end"]]
    assert "sold the island to a shipping magnate" in alert["quote"]["text"]

    code, second = cli(home, "feeds", "poll", "--all")  # not due yet: --all polls it anyway
    assert second["feeds"][0]["added"] == 0 and second["feeds"][0]["items"] == 3 and second["alerts"] == []
    assert len(cli(home, "articles")[1]["articles"]) == 3  # each item stored once
    assert cli(home, "feeds", "poll")[1] == {"feeds": [], "alerts": []}  # nothing due: cron's minute costs nothing

    code, listed = cli(home, "feeds", "list")
    assert listed["feeds"][0]["items"] == 3 and listed["feeds"][0]["failures"] == 0
    code, watches = cli(home, "watch", "list")
    assert watches["watches"][0]["alerts"] == 1


def test_ingest_of_a_file_gives_alerts_once(tmp_path, engine):
    home = tmp_path / "cli-home"
    story = tmp_path / "island.txt"
    story.write_text(LIGHTHOUSE, encoding="utf-8")
    cli(home, "watch", "add", CLAIM)
    cli(home, "watch", "add", CLAIM, "--channel", "42")
    code, answer = cli(home, "ingest", str(story))
    assert code == 0 and answer["results"][0]["status"] == "added"
    assert sorted(a["watch_id"] for a in answer["alerts"]) == [1, 2]  # one per (watch, article)
    text = cli(home, "show", answer["results"][0]["article_id"])[1]["text"]
    assert all(a["quote"]["text"] == text[a["quote"]["start"] : a["quote"]["end"]] for a in answer["alerts"])
    assert cli(home, "ingest", str(story))[1]["alerts"] == []  # a duplicate is no new article
    assert cli(home, "watch", "add", CLAIM)[1]["watch_id"] == 1  # the same claim is the same watch
    assert cli(home, "watch", "remove", "2")[1] == {"removed": 2}
    code, error = cli(home, "watch", "remove", "2")
    assert code == 1 and "unknown watch 2" in error["error"]


def test_alerts_with_a_channel_are_handed_out_for_posting_once(tmp_path):
    """The bot's side: only watches with a channel have alerts to post; each is claimed once,
    across engines (two bots, or one restarted) sharing the corpus."""
    story = tmp_path / "island.txt"
    story.write_text(LIGHTHOUSE, encoding="utf-8")
    engine = open_engine(tmp_path / "home")
    engine.watches().add(CLAIM)  # the command line's: nothing to post
    engine.watches().add(CLAIM, channel_id="42")
    engine.ingest([story])
    [pending] = engine.watches().unposted()
    assert (pending.watch_id, pending.channel_id) == (2, "42") and pending.article.outlet is None
    assert_verbatim(engine, pending.quote)
    again = open_engine(tmp_path / "home")
    assert engine.watches().claim_posting([pending]) == [pending]
    assert again.watches().claim_posting([pending]) == [] and again.watches().unposted() == []


# -- feeds --------------------------------------------------------------------------------------


def test_restart_and_schedule(server, tmp_path):
    home = tmp_path / "home"
    engine = open_engine(home)
    feed = engine.feeds().add(server.url("/feed"), now=T0)
    assert [f.feed_id for f in engine.feeds().due(T0)] == [feed.feed_id]
    assert engine.feeds().poll(feed.feed_id, T0).added == 3
    assert engine.feeds().due(T0 + POLL_INTERVAL - timedelta(seconds=1)) == []
    engine.close()

    restarted = open_engine(home)  # a new process: the claims are in SQLite
    (due,) = restarted.feeds().due(T0 + POLL_INTERVAL)
    again = restarted.feeds().poll(due.feed_id, T0 + POLL_INTERVAL)
    assert (again.items, again.added, again.duplicates, again.failed) == (3, 0, 0, 0)
    assert restarted.stats()["articles"] == 3


def test_conditional_requests(server, engine):
    server.routes["/etag-feed"] = lambda h: (
        respond(304, b"", None, {"ETag": '"e1"'}) if h.headers.get("If-None-Match") == '"e1"'
        else respond(200, rss("Etag News", [("i", server.url("/island"), "Island")]), "application/rss+xml",
                     {"ETag": '"e1"', "Last-Modified": "Sun, 01 Mar 2026 07:00:00 GMT"}))(h)
    feed = engine.feeds().add(server.url("/etag-feed"), now=T0)
    first = engine.feeds().poll(feed.feed_id, T0)
    assert first.added == 1
    second = engine.feeds().poll(feed.feed_id, T0 + POLL_INTERVAL)
    assert (second.items, second.error) == (0, None)
    sent = [headers for path, headers in server.requests if path == "/etag-feed"][-1]
    assert sent.get("If-None-Match") == '"e1"' and sent.get("If-Modified-Since") == "Sun, 01 Mar 2026 07:00:00 GMT"
    assert engine.feeds().list()[0].etag == '"e1"'  # kept across the 304


def test_failing_feed_backs_off_and_is_reported(server, engine):
    server.routes["/flaky"] = respond(200, rss("Flaky", []), "application/rss+xml")
    feed = engine.feeds().add(server.url("/flaky"), now=T0)
    server.routes["/flaky"] = respond(500, b"oops", "text/plain")
    failed = engine.feeds().poll(feed.feed_id, T0)
    assert failed.error.startswith(f"cannot fetch {server.url('/flaky')}: the server answered 500")
    (listed,) = engine.feeds().list()
    assert listed.failures == 1 and listed.last_error == failed.error
    assert engine.feeds().due(T0 + timedelta(minutes=29)) == []  # not retried every minute
    assert engine.feeds().due(T0 + timedelta(minutes=30))
    engine.feeds().poll(feed.feed_id, T0 + timedelta(minutes=30))
    assert engine.feeds().list()[0].failures == 2
    assert engine.feeds().due(T0 + timedelta(minutes=89)) == []  # the wait doubles
    server.routes["/flaky"] = respond(200, rss("Flaky", []), "application/rss+xml")
    ok = engine.feeds().poll(feed.feed_id, T0 + timedelta(minutes=90))
    assert ok.error is None and engine.feeds().list()[0].failures == 0 and engine.feeds().list()[0].last_error is None


@pytest.mark.parametrize("body, content_type", [
    (b"<?xml version='1.0'?><rss version='2.0'><channel><title>Broken</title><item><link>", "application/rss+xml"),
    (b"<html><body><p>Not a feed at all.</p></body></html>", "text/html"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
])
def test_what_is_not_a_feed(server, engine, body, content_type):
    server.routes["/not-feed"] = respond(200, body, content_type)
    with pytest.raises(UserError, match="cannot (read|fetch) " + server.url("/not-feed")):
        engine.feeds().add(server.url("/not-feed"))
    assert engine.feeds().list() == []
    server.routes["/turns-bad"] = respond(200, rss("Fine", []), "application/rss+xml")
    feed = engine.feeds().add(server.url("/turns-bad"), now=T0)
    server.routes["/turns-bad"] = respond(200, body, content_type)
    poll = engine.feeds().poll(feed.feed_id, T0)
    assert poll.error and poll.added == 0 and engine.stats()["articles"] == 0


def test_duplicate_items_and_a_failing_item(server, engine):
    server.routes["/dups"] = respond(200, rss("Dups", [
        ("a", server.url("/island"), "Island"),
        ("a", server.url("/island"), "Island, listed twice"),
        ("b", server.url("/island"), "Island under another id"),
        ("c", server.url("/missing"), "Gone"),
        ("d", "mailto:desk@news.example", "Not a web link"),
    ]), "application/rss+xml")
    feed = engine.feeds().add(server.url("/dups"), now=T0)
    poll = engine.feeds().poll(feed.feed_id, T0)
    assert (poll.items, poll.added, poll.duplicates, poll.failed, poll.error) == (4, 1, 1, 1, None)
    assert engine.stats()["articles"] == 1
    # The failing item is tried again on later polls, MAX_ITEM_ATTEMPTS times in all.
    retries = [engine.feeds().poll(feed.feed_id, T0 + n * POLL_INTERVAL).failed for n in range(1, 4)]
    assert retries == [1] * (MAX_ITEM_ATTEMPTS - 1) + [0]


def test_item_page_that_comes_back_is_stored(server, engine):
    server.routes["/late"] = respond(200, rss("Late", [("x", server.url("/late-page"), "Late")]), "application/rss+xml")
    feed = engine.feeds().add(server.url("/late"), now=T0)
    assert engine.feeds().poll(feed.feed_id, T0).failed == 1
    server.routes["/late-page"] = server.routes["/island"]
    assert engine.feeds().poll(feed.feed_id, T0 + POLL_INTERVAL).added == 1


def test_feed_outlet_and_item_fields_below_the_page(server, engine):
    council = "A council meeting was held on Monday to discuss the budget."
    server.routes["/no-site"] = respond(200, article_page(council))
    server.routes["/outlet-feed"] = respond(200, rss("Valley Times", [
        ("1", server.url("/no-site"), "Council meets"), ("2", server.url("/island"), "Island")]), "application/rss+xml")
    feed = engine.feeds().add(server.url("/outlet-feed"), now=T0)
    poll = engine.feeds().poll(feed.feed_id, T0)
    assert poll.added == 2
    articles = {a.url: a for a in engine.articles()}
    bare, island = articles[server.url("/no-site")], articles[server.url("/island")]
    assert (bare.outlet, bare.title) == ("Valley Times", "Council meets")  # the page names neither
    assert (island.outlet, island.title) == ("Coast Gazette", "Island sold")  # the page's own come first
    server.routes["/outlet-feed?v=2"] = server.routes["/outlet-feed"]
    chosen = engine.feeds().add(server.url("/outlet-feed?v=2"), outlet="The Valley Desk")
    assert chosen.outlet == "The Valley Desk" and chosen.title == "Valley Times"


def test_concurrent_polls_store_each_item_once(server, tmp_path):
    home = tmp_path / "home"
    first, second = open_engine(home), open_engine(home)
    feed = first.feeds().add(server.url("/feed"), now=T0)
    polls = []
    threads = [threading.Thread(target=lambda e=e: polls.append(e.feeds().poll(feed.feed_id, T0)))
               for e in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(p.added for p in polls) == 3 and sum(p.duplicates for p in polls) == 0
    assert sorted(p.error or "" for p in polls) in (["", ""], ["", BUSY])
    assert first.stats()["articles"] == 3


def test_claims_are_taken_once_and_stale_ones_again(engine):
    db = engine.following.db
    feed, _ = db.add_feed("http://news.example/feed", "T", "T", T0)
    stale = T0 - timedelta(minutes=30)
    assert db.claim_item(feed.feed_id, "k", "http://news.example/a", T0, stale, 3)
    assert not db.claim_item(feed.feed_id, "k", "http://news.example/a", T0, stale, 3)  # another poll's
    later = T0 + timedelta(hours=1)  # the poll that claimed it died: its claim is stale
    assert db.claim_item(feed.feed_id, "k", "http://news.example/a", later, later - timedelta(minutes=30), 3)
    db.finish_item(feed.feed_id, "k", "abc", None)
    assert not db.claim_item(feed.feed_id, "k", "http://news.example/a", later + timedelta(days=1), later, 3)


def test_feeds_cli_errors_and_remove(server, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCEDESK_FETCH_ALLOW_PRIVATE", "1")
    home = tmp_path / "home"
    feed = cli(home, "feeds", "add", server.url("/feed"))[1]
    assert cli(home, "feeds", "add", server.url("/feed"))[1]["feed_id"] == feed["feed_id"]  # already followed
    assert cli(home, "feeds", "remove", str(feed["feed_id"]))[1] == {"removed": feed["feed_id"]}
    assert cli(home, "feeds", "list")[1] == {"feeds": []}
    for argv, words in ((("feeds", "remove", "7"), "unknown feed 7"), (("feeds", "remove", "x"), "whole number"),
                        (("feeds", "add", "ftp://news.example/feed"), "only http and https"),
                        (("feeds",), "give an action"), (("watch", "add", "  "), "query is empty")):
        code, error = cli(home, *argv)
        assert code == 1 and words in error["error"], argv


def test_feed_refused_by_default(server, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCEDESK_FETCH_ALLOW_PRIVATE", raising=False)
    code, error = cli(tmp_path / "home", "feeds", "add", server.url("/feed"))
    assert code == 1 and "private or local address" in error["error"]
