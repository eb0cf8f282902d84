"""Searchers: each finds a batch of queries' candidate passages, best first, and they
compose, as pyserini's do (``DenseSearcher``, ``LexicalSearcher``, ``HybridSearcher(dense,
sparse)``):

- ``DenseSearcher``: Chroma's nearest passages to the query vector, scored by cosine, with
  their vectors (so they are judged without another model call);
- ``LexicalSearcher``: SQLite FTS5's BM25 hits on the query's words;
- ``HybridSearcher``: two searchers' rankings fused by weighted reciprocal rank, robust to
  their incomparable scales. ``sources`` ships ``HybridSearcher(dense, lexical,
  FUSION_WEIGHTS)``; the others exist to measure it (bench/eval_claims.py,
  bench/eval_retrieval.py): plain fusion is the default weights (1, 1).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from index.store.article_db import ArticleDB
from index.store.chroma import VectorStore

RRF_K = 60
# Weights of the dense and lexical rankings in the shipped fusion, chosen on the claims-dev
# training queries and checked on every other set (BENCHMARKS.md).
FUSION_WEIGHTS = (6.0, 1.0)


@dataclass
class Candidate:
    """A passage a searcher found; ``similarity`` and ``vector`` are known when a dense
    searcher found it (retrieval fills them in for the others)."""

    article_id: str
    idx: int
    score: float  # the searcher's own: cosine, BM25 or fused reciprocal rank; higher is better
    similarity: float | None = None
    vector: np.ndarray | None = None


# One query's candidates by (article id, passage index), best first.
Ranking = dict[tuple[str, int], Candidate]


class Searcher(Protocol):
    def search(self, texts: Sequence[str], vectors: np.ndarray, depth: int,
               outlet: str | None = None) -> list[Ranking]:
        """The ``depth`` best candidates of each query (its retrieval text and its vector)."""


@dataclass(frozen=True)
class DenseSearcher:
    vectors: VectorStore

    def search(self, texts: Sequence[str], vectors: np.ndarray, depth: int,
               outlet: str | None = None) -> list[Ranking]:
        return [{(h.article_id, h.idx): Candidate(h.article_id, h.idx, h.similarity, h.similarity, h.vector)
                 for h in hits}
                for hits in self.vectors.query(vectors, depth, outlet=outlet)]


@dataclass(frozen=True)
class LexicalSearcher:
    article_db: ArticleDB

    def search(self, texts: Sequence[str], vectors: np.ndarray, depth: int,
               outlet: str | None = None) -> list[Ranking]:
        return [{(aid, idx): Candidate(aid, idx, bm25)
                 for aid, idx, bm25 in self.article_db.lexical_search(text, depth, outlet=outlet)}
                for text in texts]


@dataclass(frozen=True)
class HybridSearcher:
    dense: Searcher
    sparse: Searcher
    weights: tuple[float, float] = (1.0, 1.0)

    def search(self, texts: Sequence[str], vectors: np.ndarray, depth: int,
               outlet: str | None = None) -> list[Ranking]:
        return [fuse(d, s, self.weights) for d, s in zip(self.dense.search(texts, vectors, depth, outlet),
                                                         self.sparse.search(texts, vectors, depth, outlet))]


def fuse(first: Ranking, second: Ranking, weights: tuple[float, float] = (1.0, 1.0)) -> Ranking:
    """Weighted reciprocal-rank fusion of two rankings, best first (ties keep the first
    ranking's order, then the second's)."""
    out: Ranking = {}
    for weight, ranking in zip(weights, (first, second)):
        for rank, (key, found) in enumerate(ranking.items()):
            fused = out.setdefault(key, Candidate(found.article_id, found.idx, 0.0))
            fused.score += weight / (RRF_K + rank + 1)
            if found.vector is not None and fused.vector is None:
                fused.similarity, fused.vector = found.similarity, found.vector
    return dict(sorted(out.items(), key=lambda item: -item[1].score))
