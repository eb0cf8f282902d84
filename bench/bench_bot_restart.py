"""The bot against a `chroma run` server on loopback that is stopped and restarted mid-load.

    python -m bench.bench_bot_restart [--newsrooms 3] [--articles 1000] [--outage 5]

One bot, several newsrooms (``--newsrooms`` servers of ``--base`` synthetic articles,
``--users`` members each) and an Archive server. The Archive's manager /uploads one
``--articles`` .jsonl; meanwhile /sources arrive from every newsroom, one every
``--interval`` s, without waiting for answers. When the Archive holds ``--stop-at`` of the
upload's articles the Chroma server is stopped (SIGTERM), left down ``--outage`` s and
until the upload has answered (so that the ingest meets the outage rather than waiting out
a short one in the model), and started again on the same ``--path`` and port. Queries go on until ``--after`` of them
were dispatched after the restart. Then the same .jsonl is posted again.

Checked (an AssertionError otherwise):
- every query is answered, with either the engine's own answer (the same embeds as the
  engine's direct answer, rendered the same way) or the store-unavailable message; none
  with an internal error; every query dispatched after the restart with the answer;
- the interrupted upload ends with its store-unavailable message (or its receipt, if it
  finished before the stop), never silently;
- nothing lost: after the repost every article of the .jsonl is stored exactly once
  (stored before the outage: duplicate; the rest: added), and a full ``check`` of every
  corpus finds nothing to repair.

The scenario (``run_restart``) is shared with ``tests/test_bot_restart.py`` (a small one).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from bench.bench_bot_load import (  # noqa: E402
    QUERY_LIMIT, LagMonitor, World, build_world, expected_pages, feed_bytes, normal_embeds, percentile, pick_queries,
    wait_for, without_settling,
)
from bench.chroma_server import ChromaServer  # noqa: E402

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
    from . import synthetic

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

    answered: dict[int, float] = {}
    cog = env.bot.get_cog("SourcesCog")
    original_send = cog.send_pages

    async def timed_send(interaction, *args, **kwargs):  # the answer is sent: the query is done
        try:
            return await original_send(interaction, *args, **kwargs)
        finally:
            answered[interaction.id] = time.perf_counter()

    cog.send_pages = timed_send
    started = time.perf_counter()
    try:
        with LagMonitor() as lag:
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
    finally:
        del cog.send_pages

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


# -- the benchmark -------------------------------------------------------------------------


async def main_async(args) -> RestartResult:
    import simcord

    from bench.bench_bot_load import bot_settings
    from bot import create_bot
    from index.config import Settings
    from index.engine import shared_embedder

    shared_embedder().encode(["warm up"])
    with tempfile.TemporaryDirectory() as tmp:
        server = ChromaServer(Path(tmp) / "chroma").start()
        try:
            index = Settings(home=Path(tmp) / "home", chroma_host="127.0.0.1", chroma_port=server.port)
            settings = replace(bot_settings(Path(tmp) / "home"), index=index)
            env = simcord.Env(create_bot(settings), settle_timeout=600)
            await env.start()
            try:
                world = await build_world(env, args.base, args.users)
                rooms = await newsrooms_of(world, args.newsrooms, args.base, args.users)
                result = await run_restart(
                    rooms, server, feed_bytes(args.articles), pick_queries(40, args.base),
                    stop_at=args.stop_at or args.articles // 3, outage_s=args.outage, interval_s=args.interval,
                    after=args.after)
            finally:
                await env.shutdown()
        finally:
            server.stop()
    return result


def report(r: RestartResult, args) -> None:
    print(f"**Bot with a Chroma server restart** (SimCord, `chroma run` on loopback; {os.cpu_count()} cores; "
          f"{args.newsrooms} newsrooms of {args.base} articles, {args.users} users each, one /sources every "
          f"{args.interval:g} s; an Archive /upload of a {r.feed_articles}-article .jsonl; server stopped when "
          f"{r.stored_at_stop} were stored, down {args.outage:g} s, back after {r.down_s:.1f} s in all)\n")
    print("| queries dispatched | answered (equal to the engine's answer) | \"store unavailable\" message | "
          "other | latency p50 ms | latency p95 ms |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in ("before the stop", "server down or starting", "after the restart"):
        c = r.phases.get(name, Counter())
        lat = [x * 1000 for x in r.latency_s.get(name, [])]
        other = sum(v for k, v in c.items() if k not in ("answer", "unavailable"))
        print(f"| {name}: {sum(c.values())} | {c['answer']} | {c['unavailable']} | {other} | "
              f"{percentile(lat, 50):.0f} | {percentile(lat, 95):.0f} |")
    lag = [x * 1000 for x in r.lag_s]
    print(f"\nA query during the outage was told: \"{r.outage_message}\".")
    print(f"\nThe interrupted upload: {r.stored_after_upload} of {r.feed_articles} stored; its message: "
          f"\"{r.upload_message.strip()[:300]}\". The same file posted again: {r.repost['added']} added, "
          f"{r.repost['duplicate']} duplicate, {r.repost['rejected']} rejected; {r.stored_final} stored in all. "
          f"Full `check` of every corpus: " + "; ".join(f"{k}: {v[1]}" for k, v in r.checks.items()) + ".")
    print(f"\nEvent-loop lag p50/p99/max: {percentile(lag, 50):.1f} / {percentile(lag, 99):.1f} / "
          f"{max(lag, default=0):.1f} ms; wall {r.wall_s:.1f} s.")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--newsrooms", type=int, default=3)
    parser.add_argument("--base", type=int, default=40)
    parser.add_argument("--users", type=int, default=3)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--stop-at", type=int, default=0, help="stop the server when this many are stored (default 1/3)")
    parser.add_argument("--outage", type=float, default=5.0)
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("--after", type=int, default=30)
    args = parser.parse_args()
    result = asyncio.run(main_async(args))
    report(result, args)
    assert_nothing_lost(result)
    print("\nnothing lost: every article of the .jsonl stored once, every corpus checks clean.")


if __name__ == "__main__":
    main()
