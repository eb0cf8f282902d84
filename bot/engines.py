"""One Engine per Discord server, every call run off the event loop.

Engine methods are synchronous and may take seconds (the model, Chroma, SQLite). The
bot never calls them on its event loop: ``EngineHub.run`` hands them to a thread pool
and awaits the result. Quick look-ups (id checks, autocomplete, article lists) use a
separate small pool so that a long ingest never delays an interaction that must be
answered within three seconds.
"""
from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from index.config import Settings
from index.engine import Engine, shared_embedder

log = logging.getLogger(__name__)

T = TypeVar("T")


def corpus_for_guild(guild_id: int) -> str:
    """The corpus of one Discord server: servers never see each other's articles."""
    return f"guild-{int(guild_id)}"


class EngineHub:
    def __init__(self, settings: Settings, workers: int = 4) -> None:
        self.settings = settings
        self._engines: dict[int, Engine] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="sourcedesk-engine")
        self._quick = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sourcedesk-quick")
        self._closed = False

    def engine(self, guild_id: int) -> Engine:
        """The guild's engine, created on first use (call from a worker thread)."""
        with self._lock:
            found = self._engines.get(guild_id)
            if found is None:
                found = Engine(self.settings, corpus_for_guild(guild_id))
                self._engines[guild_id] = found
                log.info("engine opened", extra={"guild_id": guild_id, "corpus": found.corpus})
            return found

    async def run(self, guild_id: int, call: Callable[[Engine], T], *, quick: bool = False) -> T:
        """Run ``call(engine)`` for the guild in a worker thread and await its result."""
        if self._closed:
            raise RuntimeError("the engine hub is closed")
        loop = asyncio.get_running_loop()
        pool = self._quick if quick else self._pool
        started = time.perf_counter()

        def work() -> T:
            return call(self.engine(guild_id))

        try:
            return await loop.run_in_executor(pool, work)
        finally:
            log.debug("engine call", extra={"guild_id": guild_id, "quick": quick,
                                             "ms": round((time.perf_counter() - started) * 1000)})

    def warm(self) -> None:
        """Load the embedding model (blocking; run in a worker)."""
        shared_embedder().encode(["warm up"])

    async def warm_async(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._pool, self.warm)
            log.info("embedding model loaded")
        except Exception:  # the first command will report the problem to the user
            log.exception("could not load the embedding model")

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._quick.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            for engine in self._engines.values():
                try:
                    engine.close()
                except Exception:
                    log.exception("closing an engine failed")
            self._engines.clear()


__all__ = ["EngineHub", "corpus_for_guild"]
