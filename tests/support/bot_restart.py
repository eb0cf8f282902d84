"""The bot against a `chroma run` server on loopback that is stopped and restarted mid-load.

One bot, several newsrooms (servers of synthetic articles, a few members each) and an
Archive server. The Archive's manager /uploads one .jsonl; meanwhile /sources arrive from
every newsroom, one every ``interval_s``, without waiting for answers. When the Archive
holds ``stop_at`` of the upload's articles the Chroma server is stopped (SIGTERM), left
down ``outage_s`` and until the upload has answered (so that the ingest meets the outage
rather than waiting out a short one in the model), and started again on the same path and
port. Queries go on until ``after`` of them were dispatched after the restart. Then the
same .jsonl is posted again.

Checked (an AssertionError otherwise):
- every query is answered, with either the engine's own answer (the same embeds as the
  engine's direct answer, rendered the same way) or the store-unavailable message; none
  with an internal error; every query dispatched after the restart with the answer;
- the interrupted upload ends with its store-unavailable message (or its receipt, if it
  finished before the stop), never silently;
- nothing lost: after the repost every article of the .jsonl is stored exactly once
  (stored before the outage: duplicate; the rest: added), and a full ``check`` of every
  corpus finds nothing to repair.

The scenario (``run_restart``) runs small in tests/test_bot_restart.py (`make test-server`)
and full size in bench/robustness/bot_restart.py.
"""
from __future__ import annotations

import asyncio
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from tests.support.bot_load import (
    QUERY_LIMIT, LagMonitor, World, answer_times, expected_pages, normal_embeds, wait_for, without_settling,
)
from tests.support.chroma_server import ChromaServer

UNAVAILABLE = "store is unavailable right now"  # bot.errors.SERVICE_UNAVAILABLE
UPLOAD_UNAVAILABLE = "became unavailable during this upload"  # bot.errors.UPLOAD_INTERRUPTED
RECEIPT = re.compile(r"(\d+) (added|duplicate|rejected)")


@dataclass
class Sent:
    world: World
    query: str
    result: object
    at: float


@dataclass
class RestartResult:
    feed_articles: int
    stored_at_stop: int
    stored_after_upload: int
    upload_message: str
    repost: Counter
    stored_final: int
    checks: dict  # corpus -> check summary
    phases: dict  # phase -> Counter of outcomes
    latency_s: dict  # phase -> seconds from dispatch to the last message, answered queries
    lag_s: list[float]
    down_s: float  # from the stop to the restarted server answering
    wall_s: float
    failures: list[str] = field(default_factory=list)
    outage_message: str = ""  # what a query during the outage was told (the first one)


def messages(result) -> list:
    return ([result.response] if result.response is not None else []) + list(result.followups)


def outcome(sent: Sent, expected: dict) -> str:
    """``answer`` (equal to the engine's direct answer), ``unavailable``, or what else came."""
    found = [m for m in messages(sent.result) if m.content or m.embeds]
    if not found:
        return "no answer"
    last = found[-1]
    if UNAVAILABLE in (last.content or ""):
        return "unavailable"
    page = expected[(sent.world.newsroom.id, sent.query)]
    if last.content == page.content and normal_embeds(last.embeds) == normal_embeds(page.embeds):
        return "answer"
    return f"other: {(last.content or '')[:120]!r}"


def final_text(result) -> str:
    return " ".join(m.content or "" for m in messages(result))


async def newsrooms_of(world: World, n: int, base: int, users: int) -> list[World]:
    """The first newsroom is ``world``'s; the others get the same base articles."""
    from tests.support import synthetic

    env = world.env
    out = [world]
    for k in range(1, n):
        guild = env.create_guild(f"Newsroom {k + 1}")
        channel = guild.create_text_channel("general")
        members = [guild.add_member(env.create_user(f"reporter{k}-{i}")) for i in range(users)]
        engine = env.bot.hub.engine(guild.id)
        with tempfile.TemporaryDirectory() as tmp:
            results = engine.ingest([synthetic.write_jsonl(synthetic.build(base, seed=4), Path(tmp) / "base.jsonl")])
        assert all(r.status == "added" for r in results)
        out.append(replace(world, newsroom=guild, channel=channel, users=members,
                           texts={r.article_id: engine.show(r.article_id)[1] for r in results}))
    return out


async def run_restart(rooms: list[World], server: ChromaServer, feed: bytes, queries: list[str], *,
                      stop_at: int, outage_s: float, interval_s: float, after: int,
                      settle_timeout: float = 600.0) -> RestartResult:
    world = rooms[0]
    env = world.env
    hub = env.bot.hub
    expected = {}
    for room in rooms:
        expected.update({(room.newsroom.id, q): page for q, page in expected_pages(room, queries).items()})
    archive = await asyncio.to_thread(hub.engine, world.archive.id)
    n_feed = feed.count(b"\n")
    sent: list[Sent] = []
    marks: dict[str, float] = {}
    stored_at_stop = 0
    upload = None

    async def controller() -> None:
        nonlocal stored_at_stop
        await wait_for(lambda: archive.article_db.count() >= stop_at, timeout=settle_timeout, what="the upload to start")
        stored_at_stop = archive.article_db.count()
        marks["stop"] = time.perf_counter()
        await asyncio.to_thread(server.stop)
        marks["down"] = time.perf_counter()
        await asyncio.sleep(outage_s)
        # down until the upload has met the outage (its answer came), so that its next
        # write fails rather than waiting out a short outage in the model
        await wait_for(lambda: any(m.content for m in messages(upload)), timeout=settle_timeout,
                       what="the upload to answer")
        marks["start"] = time.perf_counter()
        await asyncio.to_thread(server.start)
        marks["up"] = time.perf_counter()

    started = time.perf_counter()
    with answer_times(env.bot) as answered, LagMonitor() as lag:
        with without_settling(env):
            upload = await world.uploader.slash(world.archive_channel, "upload", file=("feed.jsonl", feed))
            control = asyncio.get_running_loop().create_task(controller())
            i = 0
            while not ("up" in marks and sum(s.at >= marks["up"] for s in sent) >= after):
                if control.done() and control.exception():
                    raise control.exception()
                room = rooms[i % len(rooms)]
                query = queries[i % len(queries)]
                member = room.users[(i // len(rooms)) % len(room.users)]
                result = await member.slash(room.channel, "sources", claim=query, limit=QUERY_LIMIT)
                sent.append(Sent(room, query, result, time.perf_counter()))
                i += 1
                await asyncio.sleep(interval_s)
            await control
        await env.settle(timeout=settle_timeout)
    wall = time.perf_counter() - started

    def phase(s: Sent) -> str:
        if s.at < marks["stop"]:
            return "before the stop"
        return "server down or starting" if s.at < marks["up"] else "after the restart"

    phases: dict[str, Counter] = {}
    latency: dict[str, list[float]] = {}
    failures, outage_message = [], ""
    for s in sent:
        got = outcome(s, expected)
        if got == "unavailable" and not outage_message:
            outage_message = final_text(s.result).strip()
        phases.setdefault(phase(s), Counter())[got] += 1
        if got not in ("answer", "unavailable") or (phase(s) == "after the restart" and got != "answer"):
            failures.append(f"{phase(s)}: {s.query!r}: {got}")
        done = answered.get(s.result._interaction.id)
        if done is not None:
            latency.setdefault(phase(s), []).append(done - s.at)
    upload_message = final_text(upload)
    stored_after_upload = archive.article_db.count()

    # The same file again, once the server is back: what was stored is a duplicate.
    repost = await world.uploader.slash(world.archive_channel, "upload", file=("feed.jsonl", feed))
    counts = Counter({word: int(n) for n, word in RECEIPT.findall(final_text(repost))})
    checks = {}
    for guild in [*(r.newsroom for r in rooms), world.archive]:
        engine = await asyncio.to_thread(hub.engine, guild.id)
        report = await asyncio.to_thread(lambda: engine.check(repair=False, full=True))
        checks[engine.corpus] = (report.ok, report.summary().splitlines()[-1])
    return RestartResult(
        feed_articles=n_feed, stored_at_stop=stored_at_stop, stored_after_upload=stored_after_upload,
        upload_message=upload_message, repost=counts, stored_final=archive.article_db.count(), checks=checks,
        phases=phases, latency_s=latency, lag_s=list(lag.samples), down_s=marks["up"] - marks["stop"],
        wall_s=wall, failures=failures, outage_message=outage_message,
    )


def assert_nothing_lost(r: RestartResult) -> None:
    assert not r.failures, r.failures[:5]
    assert r.phases.get("server down or starting", Counter())["unavailable"] > 0, r.phases
    assert UPLOAD_UNAVAILABLE in r.upload_message or f"{r.feed_articles} added" in r.upload_message, r.upload_message
    assert r.stored_final == r.feed_articles, (r.stored_final, r.feed_articles)
    assert r.repost["duplicate"] == r.stored_after_upload and r.repost["added"] == r.feed_articles - r.stored_after_upload, \
        (r.repost, r.stored_after_upload)
    assert all(ok for ok, _ in r.checks.values()), r.checks
