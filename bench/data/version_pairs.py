"""Hand labels of real article-version pairs for compare (issue 12), in compare_labels.jsonl
beside this file, loaded as compare documents (passages split as ingest splits them,
vectors from the offline model, cached under /tmp) for bench/quality/compare.py and
bench/fitting/compare_alignment.py.

The labels were typed by reading both texts (and a plain word diff) before compare was run
on the pair. One line per pair: ``id``; ``split`` ("tune": used to choose rules and
thresholds and to fit the alignment model; "eval": only evaluated); ``a`` and ``b``, where
each text comes from (``origin``: a file of the repository, or ``ecbplus-dev.jsonl`` with
its ``file`` and ``url``); ``note``; ``changes``, each with its ``kind`` and the words on
side ``a`` and ``b`` (``null``: none on that side), ``a_after``/``b_after`` (the snippet is
the first one after this text) and ``optional`` (ambiguous to a careful reader: counts
neither way); ``aligned``, passage pairs by a snippet of each side, ``maybe`` counting
neither way.

    python -m bench.data.version_pairs    # checks that every snippet occurs in its text
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.ingest.passages import split_passages
from index.records import Article, Quote

ROOT = Path(__file__).resolve().parents[2]
LABELS = Path(__file__).resolve().with_name("compare_labels.jsonl")
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
    at = text.find(snippet, start) if start >= 0 else -1
    if at < 0:
        raise ValueError(f"snippet not found: {snippet!r}" + (f" after {after!r}" if after else ""))
    return Located(at, at + len(snippet))


def overlaps(x: Located | None, start: int, end: int) -> bool:
    return x is not None and x.start < end and start < x.end


def span_of(item: dict, text_a: str, text_b: str) -> tuple[Located | None, Located | None]:
    return (locate(text_a, item.get("a"), item.get("a_after")), locate(text_b, item.get("b"), item.get("b_after")))


def main() -> None:
    """Every snippet of every label occurs in its text (``locate`` raises where one does not)."""
    labels = load_labels()
    for label in labels:
        ta, tb = text_of(label["a"]), text_of(label["b"])
        for item in label["changes"] + label["aligned"]:
            span_of(item, ta, tb)
    print(f"ok: {len(labels)} pairs, {sum(len(x['changes']) for x in labels)} changes, "
          f"{sum(len(x['aligned']) for x in labels)} alignments; every snippet found in its text")


if __name__ == "__main__":
    main()
