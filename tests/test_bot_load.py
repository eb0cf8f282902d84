"""Rate limits, the ingest queue, and the bot under load (SimCord: real discord.py).

SimCord's verbs normally wait for the bot to finish before returning, so commands never
overlap; ``without_settling`` (tests/support/bot_load.py) lets a test put many in flight at
once and poll for their answers. Ingests are held in their worker threads by a gate where
a test needs them "in progress" for as long as it looks.
"""
from __future__ import annotations

import asyncio
import re
import threading
from dataclasses import replace

import pytest
from tests.support.bot_world import (
    ORIGINAL,
    REWRITE_DATED,
    all_embeds,
    assert_quotes_verbatim,
    deferred,
    make_settings,
    messages_of,
    running_bot,
    sample_bytes,
    text_of,
)
from tests.support.bot_load import (
    bot_settings,
    build_world,
    expected_pages,
    feed_bytes,
    percentile,
    pick_queries,
    run_load,
    wait_for,
    without_settling,
)

from bot.engines import IngestQueue, QueueFull
from bot.ratelimit import QUERIES, UPLOADS, Rate, RateLimiter, retry_text
from bot.settings import BotSettings
from index import ChunkedEmbedder
from index.errors import UserError

SLOW_DOWN = re.compile(r"slow down: try again in (\d+) s")


def contents(result) -> list[str]:
    return [m.content or "" for m in messages_of(result)]


def answered(result) -> bool:
    """The bot sent something visible (not only "thinking…")."""
    return any(m.content or m.embeds for m in messages_of(result))


# -- settings and the bucket ---------------------------------------------------------------


def test_rates_and_queue_settings_come_from_the_environment(monkeypatch, tmp_path):
    assert Rate.parse("10/60", "X", None) == Rate(10, 60)
    assert Rate.parse(" 3 / 1.5s ", "X", None) == Rate(3, 1.5)
    assert Rate.parse("", "X", Rate(1, 2)) == Rate(1, 2)
    assert Rate.parse("off", "X", Rate(1, 2)) is None
    for bad in ("ten per minute", "0/60", "5/0", "5"):
        with pytest.raises(UserError, match="X must look like 10/60"):
            Rate.parse(bad, "X", None)

    for name in ("SOURCEDESK_RATE_QUERIES", "SOURCEDESK_RATE_UPLOADS", "SOURCEDESK_INGEST_WORKERS",
                 "SOURCEDESK_INGEST_QUEUE_MAX"):
        monkeypatch.delenv(name, raising=False)
    defaults = BotSettings.from_env(tmp_path, dotenv=False)
    assert (defaults.rate_queries, defaults.rate_uploads) == (Rate(10, 60), Rate(20, 600))
    assert defaults.ingest_workers >= 1 and defaults.ingest_queue_max == 50

    monkeypatch.setenv("SOURCEDESK_RATE_QUERIES", "5/30")
    monkeypatch.setenv("SOURCEDESK_RATE_UPLOADS", "off")
    monkeypatch.setenv("SOURCEDESK_INGEST_WORKERS", "3")
    monkeypatch.setenv("SOURCEDESK_INGEST_QUEUE_MAX", "0")
    chosen = BotSettings.from_env(tmp_path, dotenv=False)
    assert (chosen.rate_queries, chosen.rate_uploads) == (Rate(5, 30), None)
    assert (chosen.ingest_workers, chosen.ingest_queue_max) == (3, 0)
    monkeypatch.setenv("SOURCEDESK_INGEST_WORKERS", "0")
    with pytest.raises(UserError, match="SOURCEDESK_INGEST_WORKERS"):
        BotSettings.from_env(tmp_path, dotenv=False)


def test_token_bucket_allows_a_burst_then_one_per_interval(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("time.monotonic", lambda: now[0])
    limiter = RateLimiter({QUERIES: Rate(3, 60), UPLOADS: None})
    assert [limiter.hit(1, 7, QUERIES) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.hit(1, 7, QUERIES) == pytest.approx(20.0)  # one token every 20 s
    assert limiter.hit(2, 7, QUERIES) == 0.0 and limiter.hit(1, 8, QUERIES) == 0.0  # per server, per user
    assert all(limiter.hit(1, 7, UPLOADS) == 0.0 for _ in range(100))  # off: never limited
    now[0] += 19.5
    assert limiter.hit(1, 7, QUERIES) == pytest.approx(0.5)
    assert retry_text(0.5) == "slow down: try again in 1 s" and retry_text(20.0) == "slow down: try again in 20 s"
    now[0] += 0.5
    assert limiter.hit(1, 7, QUERIES) == 0.0
    now[0] += 3600
    assert [limiter.hit(1, 7, QUERIES) for _ in range(4)][-1] > 0  # refills to the burst, not beyond


# -- the ingest queue on its own -----------------------------------------------------------


async def test_ingest_queue_runs_in_order_reports_positions_and_refuses_when_full():
    queue = IngestQueue(workers=1, queue_max=2)
    gate = threading.Event()
    order: list[str] = []
    positions: dict[str, int] = {}

    def job(name):
        def work():
            assert gate.wait(10)
            order.append(name)
            return name
        return work

    def told(name):
        async def on_queued(position):
            positions[name] = position
        return on_queued

    try:
        first = asyncio.create_task(queue.run(job("a"), on_queued=told("a")))
        await asyncio.sleep(0.05)
        second = asyncio.create_task(queue.run(job("b"), on_queued=told("b")))
        third = asyncio.create_task(queue.run(job("c"), on_queued=told("c")))
        await asyncio.sleep(0.05)
        assert positions == {"b": 1, "c": 2} and (queue.running, queue.waiting) == (1, 2)
        assert queue.full()
        with pytest.raises(QueueFull, match=r"the ingest queue is full \(2 files waiting\)"):
            await queue.run(job("d"))
        second.cancel()  # a waiting job given up frees its place
        await asyncio.sleep(0.05)
        assert queue.waiting == 1 and not queue.full()
        fourth = asyncio.create_task(queue.run(job("e"), on_queued=told("e")))
        await asyncio.sleep(0.05)
        assert positions["e"] == 2
        gate.set()
        assert await asyncio.gather(first, third, fourth) == ["a", "c", "e"]
        assert order == ["a", "c", "e"] and (queue.running, queue.waiting) == (0, 0)
        assert await queue.run(lambda: "now") == "now"  # free again: runs at once, no position
        assert "now" not in positions
    finally:
        gate.set()
        assert queue.close(drain_s=5)


async def test_closing_the_ingest_queue_drops_waiting_jobs_and_waits_for_the_running_one():
    queue = IngestQueue(workers=1, queue_max=5)
    gate = threading.Event()
    finished = []

    def slow():
        gate.wait(10)
        finished.append("running")

    running = asyncio.create_task(queue.run(slow))
    await asyncio.sleep(0.05)
    waiting = asyncio.create_task(queue.run(lambda: finished.append("waiting")))
    await asyncio.sleep(0.05)
    threading.Timer(0.2, gate.set).start()
    assert queue.close(drain_s=5)  # blocks until the running job is done
    assert finished == ["running"]
    await asyncio.gather(running, return_exceptions=True)
    with pytest.raises(asyncio.CancelledError):
        await waiting
    with pytest.raises(RuntimeError, match="closed"):
        await queue.run(lambda: None)


def test_large_batches_are_encoded_in_chunks_so_queries_can_take_the_model_between():
    import numpy as np

    class Model:
        name = "fake"
        calls: list[int] = []

        def encode(self, texts):
            self.calls.append(len(texts))
            return np.array([[float(len(t))] for t in texts], dtype=np.float32)

    inner = Model()
    chunked = ChunkedEmbedder(inner, chunk=32)
    texts = [f"passage {i}" for i in range(70)]
    assert chunked.encode(texts).tolist() == inner.encode(texts).tolist()
    assert inner.calls == [32, 32, 6, 70]
    assert chunked.encode(["one query"]).shape == (1, 1) and inner.calls[-1] == 1
    assert chunked.name == "fake"  # everything else is the wrapped embedder's


# -- rate limits through Discord -----------------------------------------------------------


@pytest.mark.slow
async def test_heavy_commands_are_rate_limited_per_user_before_deferring(tmp_path):
    settings = replace(make_settings(tmp_path / "home"), rate_queries=Rate(2, 60), rate_uploads=Rate(1, 600))
    async with running_bot(settings) as env:
        guild = env.create_guild("Desk")
        general = guild.create_text_channel("general")
        inbox = guild.create_text_channel("sourcedesk-inbox")
        editors = guild.create_role("Editors")
        reporter = guild.add_member(env.create_user("reporter"))
        colleague = guild.add_member(env.create_user("colleague"))
        reader = guild.add_member(env.create_user("reader"))
        editor = guild.add_member(env.create_user("editor"), roles=[editors])
        other = env.create_guild("Other")
        other_general = other.create_text_channel("general")
        engine = env.bot.hub.engine(guild.id)
        ids = [r.article_id for name in (ORIGINAL, REWRITE_DATED)
               for r in engine.ingest_bytes(sample_bytes(name), name)]

        # an invalid request costs nothing; then two answers, then the wait
        no_text = await colleague.send(general, "", attachments=[("notes.txt", b"hello")])
        refused = await reporter.context_menu(general, "Find sources", no_text)
        assert "no text" in refused.response.content
        for claim in ("Greenland invasion plan", "joint chiefs of staff"):
            ok = await reporter.slash(general, "sources", claim=claim)
            assert deferred(env, ok) and ok.response.embeds
        limited = await reporter.slash(general, "search", text="Greenland")  # same class as /sources
        assert limited.ephemeral and not deferred(env, limited)
        assert limited.response.content == "⚠️ slow down: try again in 30 s"
        assert not limited.response.embeds

        # other people, and the same person in another server, have their own buckets
        assert deferred(env, await colleague.slash(general, "sources", claim="NATO"))
        outsider = other.add_member(env.create_user("outsider"))
        assert deferred(env, await outsider.slash(other_general, "sources", claim="NATO"))

        # /compare and /lineage count as queries; an unknown id costs nothing
        unknown = await colleague.slash(general, "lineage", article="0123456789abcdef")
        assert "unknown article id" in unknown.response.content
        assert deferred(env, await colleague.slash(general, "compare", a=ids[0], b=ids[1]))
        refused = await colleague.slash(general, "lineage", article=ids[0])
        assert refused.ephemeral and not deferred(env, refused) and SLOW_DOWN.search(refused.response.content)

        # the Find sources menu too
        post = await reader.send(general, "Trump ordered plans for Greenland")
        for _ in range(2):
            assert deferred(env, await reader.context_menu(general, "Find sources", post))
        menu = await reader.context_menu(general, "Find sources", post)
        assert menu.ephemeral and SLOW_DOWN.search(menu.response.content)

        # uploads: managers are not exempt; inbox files count against the same bucket
        first = await editor.slash(general, "upload", file=("a.txt", b"The ferry ran late. Crews said so."))
        assert "added" in first.response.content
        second = await editor.slash(general, "upload", file=("b.txt", b"The bridge opened. It cost more."))
        assert second.ephemeral and not deferred(env, second)
        assert second.response.content == "⚠️ slow down: try again in 600 s"
        await editor.send(inbox, "", attachments=[("c.txt", b"The harbour froze. Boats stayed in.")])
        [thread] = inbox.threads
        [reply] = thread.history()
        assert "rejected" in reply.content and "slow down: try again in 600 s" in text_of(reply.embeds)

        # the bucket refills with time
        await env.advance_time(30)
        again = await reporter.slash(general, "sources", claim="Greenland invasion plan")
        assert deferred(env, again) and again.response.embeds


# -- the ingest queue through Discord ------------------------------------------------------


@pytest.fixture()
def gate(monkeypatch):
    """Ingests wait in their worker thread until the gate opens (then really ingest)."""
    from index.engine import Engine

    gate = threading.Event()
    started = []
    original = Engine.ingest_bytes

    def gated(self, data, filename, *args, **kwargs):
        started.append(filename)
        assert gate.wait(60), "the test never opened the gate"
        return original(self, data, filename, *args, **kwargs)

    monkeypatch.setattr(Engine, "ingest_bytes", gated)
    gate.started = started
    yield gate
    gate.set()


def article(n: int) -> bytes:
    return (f"Council meeting {n}\n\nThe council met for the {n}th time on Monday. "
            f"Members approved budget line {n} after a long debate.").encode()


@pytest.mark.slow
async def test_ingest_queue_positions_refusal_and_queries_answered_meanwhile(tmp_path, gate):
    settings = replace(make_settings(tmp_path / "home"), ingest_workers=2, ingest_queue_max=1)
    async with running_bot(settings) as env:
        guild = env.create_guild("Desk")
        general = guild.create_text_channel("general")
        inbox = guild.create_text_channel("sourcedesk-inbox")
        reporter = guild.add_member(env.create_user("reporter"))
        texts = {}
        engine = env.bot.hub.engine(guild.id)
        gate.set()  # the sample article is stored before the test proper
        [stored] = engine.ingest_bytes(sample_bytes(ORIGINAL), ORIGINAL)
        texts[stored.article_id] = engine.show(stored.article_id)[1]
        gate.clear()
        try:
            with without_settling(env):
                running = [await reporter.slash(general, "upload", file=(f"r{i}.txt", article(i))) for i in (1, 2)]
            await wait_for(lambda: len(gate.started) == 3, what="two ingests running")  # 1 + the sample
            with without_settling(env):
                waiting = await reporter.slash(general, "upload", file=("w.txt", article(3)))
                await wait_for(lambda: any("queued (position 1)" in c for c in contents(waiting)),
                               what="the queued message")
                refused = await reporter.slash(general, "upload", file=("x.txt", article(4)))
                await wait_for(lambda: answered(refused), what="the refusal")
                dropped = await reporter.send(inbox, "", attachments=[("y.txt", article(5))])
                await wait_for(lambda: inbox.threads and inbox.threads[0].history(), what="the inbox reply")
                sources = await reporter.slash(general, "sources", claim="Trump ordered special forces to plan")
                listing = await reporter.slash(general, "articles")
                await wait_for(lambda: answered(sources) and answered(listing), what="queries answered")

            # queries were answered while both ingest workers were busy and one file waited
            assert deferred(env, waiting) and not waiting.ephemeral  # the channel sees the receipt (issue 13)
            assert refused.ephemeral and not deferred(env, refused)
            assert refused.response.content == ("⚠️ the ingest queue is full (1 file waiting): "
                                                "try again in a few minutes")
            [reply] = inbox.threads[0].history()
            assert "rejected" in reply.content and "ingest queue is full" in text_of(reply.embeds)
            assert [str(r.emoji) for r in next(m for m in inbox.history() if m.id == dropped.id).reactions] == ["❌"]
            assert assert_quotes_verbatim(sources.response.embeds, texts) >= 1
            assert stored.article_id in text_of(all_embeds(messages_of(listing)))
            assert not any("added" in c for r in running + [waiting] for c in contents(r))
            assert len(gate.started) == 3  # the waiting file has not reached a worker
        finally:
            gate.set()
        await env.settle(timeout=60)
        for result in running + [waiting]:
            assert "1 added" in contents(result)[-1], contents(result)
        assert contents(waiting)[0].endswith("queued (position 1)") and len(messages_of(waiting)) == 2
        assert engine.stats()["articles"] == 4

        # an inbox file that has to wait says so in its thread, then gets its receipt there
        gate.clear()
        before = len(gate.started)
        with without_settling(env):
            busy = [await reporter.slash(general, "upload", file=(f"b{i}.txt", article(10 + i))) for i in (1, 2)]
            await wait_for(lambda: len(gate.started) == before + 2, what="two ingests running")
            post = await reporter.send(inbox, "outlet: Gazette", attachments=[("z.txt", article(20))])
            await wait_for(lambda: any("z.txt" in t.name and t.history() for t in inbox.threads),
                           what="the queued note")
        thread = next(t for t in inbox.threads if "z.txt" in t.name)
        [note] = thread.history()
        assert note.content.endswith("queued (position 1)")
        gate.set()
        await env.settle(timeout=60)
        receipt = [m for m in thread.history() if m.id != note.id]
        assert len(receipt) == 1 and "1 added" in receipt[0].content and "Gazette" in text_of(receipt[0].embeds)
        assert [str(r.emoji) for r in next(m for m in inbox.history() if m.id == post.id).reactions] == ["✅"]
        assert all("1 added" in contents(r)[-1] for r in busy)


# -- load ----------------------------------------------------------------------------------

# The full-size run (50 queries, a 200-article upload, and a baseline) is
# bench/robustness/bot_load.py, which fails when lag p99 reaches 100 ms. This smaller one runs
# in the suite and asserts a looser 150 ms: on 2 cores it measured 33-70 ms idle and
# 59-65 ms beside a CPU hog, and most of the lag is the Chroma client holding the GIL
# during upserts, which varies with the machine.
LOAD_QUERIES = 20
LOAD_ARTICLES = 40
LOAD_BASE = 20
LAG_P99_BOUND_MS = 150.0


@pytest.mark.slow
async def test_concurrent_sources_during_an_upload_are_all_correct_and_the_loop_stays_responsive(tmp_path):
    import simcord
    from tests.support.bot_world import warm_model

    from bot import create_bot

    warm_model()
    env = simcord.Env(create_bot(bot_settings(tmp_path / "home")), settle_timeout=120)
    await env.start()
    try:
        world = await build_world(env, LOAD_BASE, users=4)
        queries = pick_queries(LOAD_QUERIES, LOAD_BASE)
        expected = expected_pages(world, queries)
        result = await run_load(world, queries, feed_bytes(LOAD_ARTICLES), settle_timeout=120, expected=expected)
        stored = env.bot.hub.engine(world.archive.id).stats()["articles"]
        assert not env.errors
    finally:
        await env.shutdown()
    assert stored == LOAD_ARTICLES
    assert len(result.latency_s) == LOAD_QUERIES and result.checked_quotes >= LOAD_QUERIES
    for query, answer in result.answers:  # independently of the renderer: quotes are verbatim
        assert assert_quotes_verbatim(answer.response.embeds, world.texts) >= 1, query
    # the queries overlapped the ingest (else this would measure nothing)
    assert result.ingest_s is not None and min(result.latency_s) < result.ingest_s
    print("\n" + result.row(f"{LOAD_QUERIES} queries during a {LOAD_ARTICLES}-article upload"))
    lag_ms = [x * 1000 for x in result.lag_s]
    assert len(lag_ms) > 50
    assert percentile(lag_ms, 99) < LAG_P99_BOUND_MS, (
        f"event-loop lag p99 {percentile(lag_ms, 99):.1f} ms, max {max(lag_ms):.1f} ms")
