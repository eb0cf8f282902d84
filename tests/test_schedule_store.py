"""The digest schedule store leaves the event loop: a call that waits on the database
(another process holding it) must not stall the bot's other coroutines."""
from __future__ import annotations

import asyncio
import sqlite3
import time as clock
from datetime import date, datetime, time, timezone

from bot.digest.store import AsyncDigestStore, DigestStore

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
HOLD_S = 0.6


async def test_store_call_waiting_on_a_locked_database_does_not_block_the_loop(tmp_path):
    store = AsyncDigestStore(DigestStore(tmp_path / "bot.sqlite3"))
    await store.set_up(1, channel_id=10, at=time(8, 0), tz_name="UTC", empty_mode="line", user_id=7, now=NOW)
    other = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)  # another process, say
    other.execute("BEGIN EXCLUSIVE")  # the store's next write waits (busy timeout) until it commits

    ticks: list[float] = []

    async def ticker() -> None:
        while True:
            ticks.append(clock.monotonic())
            await asyncio.sleep(0.01)

    beat = asyncio.create_task(ticker())
    started = clock.monotonic()
    claim = asyncio.create_task(store.claim(1, date(2026, 1, 5), NOW, NOW))
    await asyncio.sleep(HOLD_S)  # the loop runs on while the claim waits in its thread
    assert not claim.done()
    other.execute("COMMIT")
    assert await claim is True
    waited = clock.monotonic() - started
    beat.cancel()
    other.close()

    assert waited >= HOLD_S
    during = [t for t in ticks if started <= t <= started + HOLD_S]
    assert len(during) >= 10, f"the loop ran {len(during)} times in {HOLD_S} s"
    assert max(b - a for a, b in zip(during, during[1:])) < 0.25  # never stalled
    got = await store.get(1)
    assert got.claim_day == date(2026, 1, 5) and got.enabled
    assert [s.guild_id for s in await store.claimed()] == [1]
    assert not await store.claim(1, date(2026, 1, 5), NOW, NOW)  # a day is claimed once
    store.close()


async def test_every_store_call_has_its_awaitable_form(tmp_path):
    store = AsyncDigestStore.for_home(tmp_path)
    day = date(2026, 1, 5)
    await store.set_up(2, channel_id=20, at=time(8, 0), tz_name="Europe/London", empty_mode="nothing",
                       user_id=3, now=NOW)
    assert [s.guild_id for s in await store.enabled()] == [2]
    assert await store.claim(2, day, NOW, NOW)
    await store.release(2, day, error="gone", now=NOW)
    assert (await store.get(2)).last_error == "gone"
    await store.record_error(2, "again", NOW)
    assert await store.mark_reported(2, day) and not await store.mark_reported(2, day)
    assert await store.claim(2, day, NOW, NOW)
    await store.drop_claim(2, day)
    assert await store.claim(2, day, NOW, NOW)
    assert await store.finish(2, day, until=NOW, posted_at=NOW, channel_id=20, message_id=5, late=False)
    await store.record_manual(2, until=NOW, posted_at=NOW, channel_id=20, message_id=6)
    got = await store.get(2)
    assert got.last_posted_day == day and got.last_message_id == 6 and got.claim_day is None
    assert await store.turn_off(2) and not (await store.get(2)).enabled
    assert await store.get(99) is None
    store.close()
