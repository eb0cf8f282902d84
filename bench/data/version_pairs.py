"""Shared by bench/quality/compare.py and bench/fitting/compare_alignment.py: the labelled
version pairs of tests/data/compare_labels.jsonl loaded as compare documents (passages
split as ingest splits them, vectors from the offline model, cached under /tmp)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.ingest.passages import split_passages
from index.records import Article, Quote

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "tests" / "data" / "compare_labels.jsonl"
ECB = Path("/work/shared/data/ecbplus-dev.jsonl")
CACHE = Path("/tmp/sourcedesk-compare-eval-cache")


def load_labels() -> list[dict]:
    return [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]


_ecb: dict[str, dict] | None = None


def text_of(source: dict) -> str:
    global _ecb
    if source["origin"] == "ecbplus-dev.jsonl":
        if _ecb is None:
            _ecb = {r["file"]: r for r in map(json.loads, ECB.read_text(encoding="utf-8").splitlines())}
        return _ecb[source["file"]]["text"]
    return (ROOT / source["origin"]).read_text(encoding="utf-8")


class CachedEncoder:
    def __init__(self) -> None:
        self._embedder = None

    def encode(self, texts: list[str]) -> np.ndarray:
        CACHE.mkdir(exist_ok=True)
        key = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:24]
        path = CACHE / f"{key}.npy"
        if path.exists():
            return np.load(path)
        if self._embedder is None:
            from index.store.embedder import Embedder
            self._embedder = Embedder()
        vectors = np.asarray(self._embedder.encode(texts), dtype=np.float32)
        np.save(path, vectors)
        return vectors


def make_doc(doc_cls, text: str, article_id: str, encoder: CachedEncoder):
    spans = split_passages(text)
    passages = [Quote.of(article_id, text, s.start, s.end) for s in spans]
    vectors = encoder.encode([q.text for q in passages]) if passages else np.zeros((0, 384), dtype=np.float32)
    article = Article(article_id, None, None, [], None, None, len(text), len(passages))
    return doc_cls(article, text, passages, vectors)


@dataclass
class Located:
    start: int
    end: int


def locate(text: str, snippet: str | None, after: str | None = None) -> Located | None:
    if snippet is None:
        return None
    start = text.find(after) if after else 0
    at = text.find(snippet, max(start, 0))
    if at < 0:
        raise ValueError(f"snippet not found: {snippet!r}")
    return Located(at, at + len(snippet))


def overlaps(x: Located | None, start: int, end: int) -> bool:
    return x is not None and x.start < end and start < x.end


def span_of(item: dict, text_a: str, text_b: str) -> tuple[Located | None, Located | None]:
    return (locate(text_a, item.get("a"), item.get("a_after")), locate(text_b, item.get("b"), item.get("b_after")))
