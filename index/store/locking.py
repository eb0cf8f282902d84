"""The corpus write lock: writers (ingest commits, remove) share it; ``check`` takes it alone,
so a repair never mistakes a write in flight for debris. Works across processes (``flock``)."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows: no cross-process lock there
    fcntl = None  # type: ignore[assignment]


class CorpusLock:
    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def held(self, exclusive: bool, wait: bool = True) -> Iterator[bool]:
        """Yields True once held, or False at once when ``wait`` is False and another holder
        excludes us. Each use opens its own descriptor, so threads of one process exclude
        each other too."""
        if fcntl is None:
            yield True
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            flags = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
            try:
                fcntl.flock(fd, flags | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(fd)  # releases the lock
