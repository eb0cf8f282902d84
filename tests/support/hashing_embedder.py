"""A model-free embedder for tests and benchmarks: the crash and consistency semantics do
not depend on the model, and the real one costs seconds per ingest."""
from __future__ import annotations

import hashlib
import re

import numpy as np

_WORD = re.compile(r"\w+")


class HashingEmbedder:
    """Deterministic bag-of-words feature hashing to unit vectors: fast, model-free, for
    crash tests and benchmarks only (never the product's embedder)."""

    def __init__(self, dims: int = 384) -> None:
        self.dims = dims
        self.name = f"hashing-test-{dims}"

    @property
    def dimension(self) -> int:
        return self.dims

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                h = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
                out[row, h % self.dims] += 1.0 if (h >> 32) & 1 else -1.0
            out[row, 0] += 1e-3  # no all-zero rows
        return out / np.linalg.norm(out, axis=1, keepdims=True)
