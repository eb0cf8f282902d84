"""The bot under load, on SimCord (real discord.py, simulated Discord): concurrent /sources
while a large .jsonl upload is indexed.

One bot, two servers: "Newsroom" holds synthetic articles and receives the queries
(rewordings of their sentences, from several members); "Archive" receives one /upload of
other synthetic articles as a .jsonl file, through the ingest queue. Every query is
dispatched at once (no waiting between them) and each answer is compared with the engine's
direct answer, rendered the same way: same embeds, and every quote a verbatim slice of its
article. A task on the event loop sleeps 10 ms in a loop and records the overshoot
(event-loop lag).

The scenario (``run_load``) runs small in tests/test_bot_load.py and full size in
bench/robustness/bot_load.py; bot_restart.py builds on its world.
"""
from __future__ import annotations

import asyncio
import math
import random
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

LAG_INTERVAL_S = 0.010
QUERY_LIMIT = 5  # one page of hits: no page buttons, so nothing waits on a view's timer


# -- measuring -----------------------------------------------------------------------------


class LagMonitor:
    """Sleeps ``interval`` in a loop on the event loop and records how late it wakes (s)."""

    def __init__(self, interval: float = LAG_INTERVAL_S) -> None:
        self.interval = interval
        self.samples: list[float] = []
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(self.interval)
            self.samples.append(max(0.0, time.perf_counter() - started - self.interval))

    def __enter__(self) -> "LagMonitor":
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *exc) -> None:
        if self._task is not None:
            self._task.cancel()


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = math.ceil(p / 100 * len(ordered))
    return ordered[min(len(ordered), max(1, rank)) - 1]


# -- driving SimCord -----------------------------------------------------------------------


@contextmanager
def without_settling(env):
    """Make SimCord's verbs return right after they dispatch, without waiting for the bot.

    Each verb (``member.slash``, ``member.send``) normally settles: it waits until the bot
    has finished all the work the event caused, so verbs never overlap. Here the waiting
    is skipped, so many interactions are in flight at once, as on a busy server; the
    results fill in as the bot answers, and ``env.settle()`` afterwards waits for all of
    it. (This replaces SimCord's private settle step for the duration.)
    """
    async def dispatch_only(*args, **kwargs) -> None:
        return None

    env._settle_internal = dispatch_only
    try:
        yield
    finally:
        del env._settle_internal


@contextmanager
def answer_times(bot):
    """While inside: interaction id -> when the bot sent its /sources answer (the query is
    done then), recorded around the sources cog's ``send_pages``."""
    cog = bot.get_cog("SourcesCog")
    original_send = cog.send_pages
    answered: dict[int, float] = {}

    async def timed_send(interaction, *args, **kwargs):
        try:
            return await original_send(interaction, *args, **kwargs)
        finally:
            answered[interaction.id] = time.perf_counter()

    cog.send_pages = timed_send
    try:
        yield answered
    finally:
        del cog.send_pages


async def wait_for(predicate, timeout: float = 30.0, what: str = "condition") -> None:
    """Poll (real time) until ``predicate()`` holds."""
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(0.02)


@dataclass
class LoadResult:
    queries: int
    ingest_articles: int
    lag_s: list[float]
    latency_s: list[float]
    ingest_s: float | None
    checked_quotes: int
    answers: list = field(default_factory=list)  # (query, InteractionResult)
    wall_s: float = 0.0

    def row(self, label: str) -> str:
        lag = [x * 1000 for x in self.lag_s]
        lat = [x * 1000 for x in self.latency_s]
        ingest = f"{self.ingest_s:.1f}" if self.ingest_s is not None else "–"
        return (f"| {label} | {self.queries} | {self.ingest_articles} | {percentile(lag, 50):.1f} | "
                f"{percentile(lag, 95):.1f} | {percentile(lag, 99):.1f} | {max(lag, default=0):.1f} | "
                f"{percentile(lat, 50):.0f} | {percentile(lat, 95):.0f} | {ingest} | {self.wall_s:.1f} |")


TABLE_HEAD = ("| run | queries | articles ingested | lag p50 ms | lag p95 ms | lag p99 ms | lag max ms | "
              "query p50 ms | query p95 ms | ingest s | wall s |\n"
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")


def bot_settings(home: Path, *, engine_workers: int = 2, ingest_workers: int = 1):
    from bot.ratelimit import Rate
    from bot.settings import BotSettings
    from index.config import Settings

    # warm_model: the bot loads the model at start-up as in production (and then freezes
    # the heap out of full garbage collections, see EngineHub.warm_async)
    return BotSettings(index=Settings(home=home), warm_model=True, engine_workers=engine_workers,
                       ingest_workers=ingest_workers, ingest_queue_max=10,
                       rate_queries=Rate(10_000, 60), rate_uploads=Rate(10_000, 60))


@dataclass
class World:
    env: object
    newsroom: object
    channel: object
    users: list
    archive: object
    archive_channel: object
    uploader: object
    texts: dict  # article id -> stored text (the Newsroom's)


async def build_world(env, base_articles: int, users: int) -> World:
    from tests.support import synthetic

    newsroom = env.create_guild("Newsroom")
    channel = newsroom.create_text_channel("general")
    members = [newsroom.add_member(env.create_user(f"reporter{i}")) for i in range(users)]
    archive = env.create_guild("Archive")
    archive_channel = archive.create_text_channel("general")
    uploader = archive.add_member(env.create_user("archivist"))
    engine = env.bot.hub.engine(newsroom.id)
    base = synthetic.build(base_articles, seed=4)
    with tempfile.TemporaryDirectory() as tmp:
        results = engine.ingest([synthetic.write_jsonl(base, Path(tmp) / "base.jsonl")])
    assert all(r.status == "added" for r in results), [r.error for r in results if r.status != "added"]
    texts = {r.article_id: engine.show(r.article_id)[1] for r in results}
    return World(env, newsroom, channel, members, archive, archive_channel, uploader, texts)


def pick_queries(n: int, base_articles: int, seed: int = 1) -> list[str]:
    from tests.support import synthetic

    articles = synthetic.build(base_articles, seed=4)
    rng = random.Random(seed)
    return [rng.choice(rng.choice(articles).facts)[1] for _ in range(n)]


def feed_bytes(n_articles: int) -> bytes:
    from tests.support import synthetic

    with tempfile.TemporaryDirectory() as tmp:
        return synthetic.write_jsonl(synthetic.build(n_articles, seed=99), Path(tmp) / "feed.jsonl").read_bytes()


def expected_pages(world: World, queries: list[str]) -> dict[str, object]:
    """The engine's direct answer to each query, rendered as the bot renders it."""
    from bot.render import sources as render_sources

    engine = world.env.bot.hub.engine(world.newsroom.id)
    out = {}
    for q in set(queries):
        result = engine.sources(q, limit=QUERY_LIMIT)
        for hit in result.results:  # the engine's own promise, checked here too
            assert world.texts[hit.article.article_id][hit.quote.start:hit.quote.end] == hit.quote.text
        [page] = render_sources.sources_pages(result)
        out[q] = page
    return out


def normal_embeds(embeds) -> list[dict]:
    import discord

    return [discord.Embed.from_dict(e.to_dict()).to_dict() for e in embeds]


def check_answers(world: World, answers, expected: dict[str, object]) -> int:
    """Each answer equals the rendered direct answer; returns the number of quotes checked."""
    checked = 0
    for query, result in answers:
        message = result.response
        assert message is not None, f"no answer to {query!r}"
        page = expected[query]
        assert message.content == page.content, (message.content, page.content)
        assert normal_embeds(message.embeds) == normal_embeds(page.embeds), f"answer differs from the engine's for {query!r}"
        checked += len(page.embeds)
    return checked


async def run_load(world: World, queries: list[str], feed: bytes | None, *, settle_timeout: float = 600.0,
                   expected: dict | None = None) -> LoadResult:
    """Dispatch the upload of ``feed`` (if any) and every query at once; wait for all."""
    env = world.env
    bot = env.bot
    dispatched: dict[int, float] = {}
    ingest_span: list[float] = []
    original_ingest = bot.hub.ingest

    async def timed_ingest(*args, **kwargs):
        started = time.perf_counter()
        try:
            return await original_ingest(*args, **kwargs)
        finally:
            ingest_span.extend([started, time.perf_counter()])

    bot.hub.ingest = timed_ingest
    upload = None
    try:
        with answer_times(bot) as answered, LagMonitor() as lag:
            await asyncio.sleep(0.2)  # a few idle samples first
            started = time.perf_counter()
            with without_settling(env):
                if feed is not None:
                    upload = await world.uploader.slash(world.archive_channel, "upload", file=("feed.jsonl", feed))
                answers = []
                for i, query in enumerate(queries):
                    member = world.users[i % len(world.users)]
                    result = await member.slash(world.channel, "sources", claim=query, limit=QUERY_LIMIT)
                    dispatched[result._interaction.id] = time.perf_counter()
                    answers.append((query, result))
            await env.settle(timeout=settle_timeout)
            wall = time.perf_counter() - started
    finally:
        del bot.hub.ingest
    latency = [answered[i] - t for i, t in dispatched.items()]
    assert len(latency) == len(queries), "some queries were never answered"
    if upload is not None:
        receipt = [m for m in [upload.response, *upload.followups] if m is not None][-1]
        assert receipt.content and "added" in receipt.content, receipt.content
    checked = check_answers(world, answers, expected) if expected is not None else 0
    return LoadResult(
        queries=len(queries), ingest_articles=0 if feed is None else feed.count(b"\n"),
        lag_s=list(lag.samples), latency_s=latency,
        ingest_s=(ingest_span[1] - ingest_span[0]) if ingest_span else None,
        checked_quotes=checked, answers=answers, wall_s=wall,
    )
