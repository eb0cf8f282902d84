"""A background task of the bot that runs what is due, then sleeps until the next due moment
(the digest's scheduler, the feeds' poller). What is due is stored with the work itself (the
digest's schedules and claims, each feed's next poll), so a restart carries on where the last
bot stopped; this class holds only the task: started with the bot, stopped with it, woken
when settings change."""
from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import discord

if TYPE_CHECKING:
    from . import SourcedeskBot

MAX_SLEEP_S = 600.0  # re-check at least this often (clock changes, missed wake-ups, work added elsewhere)
MIN_SLEEP_S = 1.0


class DueLoop:
    task_name = "sourcedesk-due-loop"

    def __init__(self, bot: "SourcedeskBot") -> None:
        self.bot = bot
        self._task: asyncio.Task | None = None
        self._sleeping = False

    def start(self) -> None:
        self._spawn(first=True)

    def _spawn(self, *, first: bool) -> None:
        self._task = asyncio.create_task(self._loop(first=first), name=self.task_name)

    async def _loop(self, *, first: bool) -> None:
        """Run what is due and sleep (``sleep``) until more is; ``first``: the bot's start."""
        raise NotImplementedError

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass

    def wake(self) -> None:
        """Settings changed: a stopped loop starts, a sleeping one starts over (re-reads what
        is due). One that is running is never interrupted; it re-reads when done."""
        if self._task is None or self._task.done():
            self._spawn(first=False)
        elif self._sleeping:
            self._task.cancel()
            self._spawn(first=False)

    async def sleep(self, seconds: float) -> None:
        """Sleep, wakeable: ``wake`` cancels only a loop that is sleeping here."""
        self._sleeping = True
        try:
            await asyncio.sleep(seconds)
        finally:
            self._sleeping = False

    @staticmethod
    def now() -> datetime:
        return discord.utils.utcnow()

    def seconds_until(self, moments: Sequence[datetime]) -> float:
        """Until the soonest moment (half a second past it), within MIN_SLEEP_S..MAX_SLEEP_S."""
        if not moments:
            return MAX_SLEEP_S
        return min(MAX_SLEEP_S, max(MIN_SLEEP_S, (min(moments) - self.now()).total_seconds() + 0.5))
