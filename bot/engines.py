"""One Engine per Discord server, every call run off the event loop.

Engine methods are synchronous and may take seconds (the model, Chroma, SQLite). The
bot never calls them on its event loop: ``EngineHub.run`` hands them to a thread pool
and awaits the result. Quick look-ups (id checks, autocomplete, article lists) use a
separate small pool so that a long ingest never delays an interaction that must be
answered within three seconds.

Ingests (``/upload``, the inbox) go through ``IngestQueue``: one per process, with its
own threads (``ingest_workers``), so a batch being indexed never takes a query thread.
Jobs beyond the workers wait in FIFO order, up to ``queue_max`` of them; past that a new
job is refused at once (``QueueFull``). Nothing is persisted about a waiting job: if the
bot stops, waiting jobs are dropped (they were never reported as stored), and a running
one is given a bounded time to finish (the registry row is the commit point, so an
interrupted ingest leaves no visible article).

The embedding model is one per process and encodes one call at a time (its lock). An
ingest encodes up to 512 passages in one call, about 1.5 s on two cores, which a query
would wait behind; so the engines get ``ChunkedEmbedder``, which encodes large batches in
chunks of ``ENCODE_CHUNK`` and lets waiting threads in between (queries encode one text).
"""
from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from index import ChunkedEmbedder, Engine, Settings, UserError, shared_embedder

log = logging.getLogger(__name__)

T = TypeVar("T")


def corpus_for_guild(guild_id: int) -> str:
    """The corpus of one Discord server: servers never see each other's articles."""
    return f"guild-{int(guild_id)}"


INGEST_DRAIN_S = 30.0  # on close, how long a running ingest may take to finish


class QueueFull(UserError):
    """The ingest queue holds ``queue_max`` waiting jobs: a new one is refused."""


def queue_full_text(waiting: int) -> str:
    files = "1 file" if waiting == 1 else f"{waiting} files"
    return f"the ingest queue is full ({files} waiting): try again in a few minutes"


def queued_text(position: int) -> str:
    return f"\N{HOURGLASS WITH FLOWING SAND} queued (position {position})"


class IngestQueue:
    """A bounded FIFO of ingest jobs, run by ``workers`` threads of its own.

    ``run`` starts a job at once when a worker is free and nobody waits; otherwise the
    job waits its turn (``on_queued(position)`` is awaited first, position 1 = next),
    or is refused with ``QueueFull`` when ``queue_max`` jobs already wait. Bookkeeping
    happens on the event loop; only the job itself runs in a worker thread.
    """

    def __init__(self, workers: int, queue_max: int) -> None:
        self.workers = max(1, int(workers))
        self.queue_max = max(0, int(queue_max))
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="sourcedesk-ingest")
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._running = 0  # slots taken (jobs running or handed a slot)
        self._active = 0  # jobs inside a worker thread right now
        self._idle = threading.Condition()
        self._closed = False

    @property
    def waiting(self) -> int:
        return sum(1 for f in self._waiting if not f.done())

    @property
    def running(self) -> int:
        return self._running

    def full(self) -> bool:
        """A new job would be refused now."""
        return self._running >= self.workers and self.waiting >= self.queue_max

    async def run(self, fn: Callable[[], T], *,
                  on_queued: Callable[[int], Awaitable[None]] | None = None) -> T:
        if self._closed:
            raise RuntimeError("the ingest queue is closed")
        loop = asyncio.get_running_loop()
        if self._running < self.workers and not self.waiting:
            self._running += 1
        else:
            waiting = self.waiting
            if waiting >= self.queue_max:
                raise QueueFull(queue_full_text(waiting))
            turn: asyncio.Future[None] = loop.create_future()
            self._waiting.append(turn)
            position = waiting + 1
            log.info("ingest queued", extra={"position": position, "running": self.running})
            try:
                if on_queued is not None:
                    try:
                        await on_queued(position)
                    except Exception:  # telling the user failed: the job still keeps its place
                        log.warning("could not report the queue position", exc_info=True)
                await turn  # resolved by _release, which hands over its slot
            except BaseException:
                if turn.done() and not turn.cancelled():
                    self._release()  # the slot was handed to us just now: pass it on
                else:
                    turn.cancel()
                    try:
                        self._waiting.remove(turn)
                    except ValueError:
                        pass
                raise
        try:
            return await loop.run_in_executor(self._pool, self._work, fn)
        finally:
            self._release()

    def _work(self, fn: Callable[[], T]) -> T:
        with self._idle:
            self._active += 1
        try:
            return fn()
        finally:
            with self._idle:
                self._active -= 1
                self._idle.notify_all()

    def _release(self) -> None:
        while self._waiting:
            turn = self._waiting.popleft()
            if not turn.done():
                turn.set_result(None)  # the slot passes to the next job; the count is unchanged
                return
        self._running -= 1

    def close(self, drain_s: float = INGEST_DRAIN_S) -> bool:
        """Drop waiting jobs, wait up to ``drain_s`` for running ones; True if none is left."""
        if self._closed:
            return True
        self._closed = True
        dropped = 0
        while self._waiting:
            turn = self._waiting.popleft()
            if not turn.done():
                turn.cancel()
                dropped += 1
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._idle:
            done = self._idle.wait_for(lambda: self._active == 0, timeout=max(0.0, drain_s))
        if dropped or not done:
            log.warning("ingest queue closed", extra={"dropped_waiting": dropped, "still_running": self._active})
        return done


class EngineHub:
    def __init__(self, settings: Settings, workers: int = 4, *, ingest_workers: int = 1,
                 ingest_queue_max: int = 50) -> None:
        self.settings = settings
        self._engines: dict[int, Engine] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="sourcedesk-engine")
        self._quick = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sourcedesk-quick")
        self._ingest_config = (ingest_workers, ingest_queue_max)
        self._ingest: IngestQueue | None = None
        self._chunked: ChunkedEmbedder | None = None
        self._closed = False

    @property
    def ingest_queue(self) -> IngestQueue:
        """The process's ingest queue, created on first use."""
        if self._ingest is None:
            if self._closed:
                raise RuntimeError("the engine hub is closed")
            self._ingest = IngestQueue(*self._ingest_config)
        return self._ingest

    async def ingest(self, guild_id: int, call: Callable[[Engine], T], *,
                     on_queued: Callable[[int], Awaitable[None]] | None = None) -> T:
        """Run an ingest ``call(engine)`` through the ingest queue (see ``IngestQueue.run``)."""
        if self._closed:
            raise RuntimeError("the engine hub is closed")
        started = time.perf_counter()
        try:
            return await self.ingest_queue.run(lambda: call(self.engine(guild_id)), on_queued=on_queued)
        finally:
            log.debug("ingest call", extra={"guild_id": guild_id,
                                             "ms": round((time.perf_counter() - started) * 1000)})

    def engine(self, guild_id: int) -> Engine:
        """The guild's engine, created on first use (call from a worker thread)."""
        with self._lock:
            found = self._engines.get(guild_id)
            if found is None:
                found = Engine(self.settings, corpus_for_guild(guild_id), embedder=self._embedder())
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

    def _embedder(self) -> ChunkedEmbedder:
        if self._chunked is None:
            self._chunked = ChunkedEmbedder(shared_embedder())
        return self._chunked

    def warm(self) -> None:
        """Load the embedding model (blocking; run in a worker)."""
        shared_embedder().encode(["warm up"])

    async def warm_async(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._pool, self.warm)
            log.info("embedding model loaded")
            # Everything allocated so far (the model, the libraries) lives as long as the
            # process: keep it out of full garbage collections, which otherwise pause the
            # event loop for hundreds of milliseconds once the heap is this large.
            gc.collect()
            gc.freeze()
        except Exception:  # the first command will report the problem to the user
            log.exception("could not load the embedding model")

    def close(self, drain_s: float = INGEST_DRAIN_S) -> None:
        if self._closed:
            return
        self._closed = True
        if self._ingest is not None:  # before the engines close under a running ingest
            self._ingest.close(drain_s)
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._quick.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            for engine in self._engines.values():
                try:
                    engine.close()
                except Exception:
                    log.exception("closing an engine failed")
            self._engines.clear()


__all__ = ["EngineHub", "IngestQueue", "QueueFull", "corpus_for_guild", "queue_full_text", "queued_text"]
