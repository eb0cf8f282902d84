"""Plain baselines computed in the same run as the product: BM25 over whole texts and
reciprocal-rank fusion, shared by the CheckThat (``claims``) and FNC-1 (``fnc1``)
evaluations so both beat the same baseline code, and the plain "says the opposite" rule
(negation on one side only) of the sample claims and FNC-1."""
from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import CountVectorizer

from index.text.words import NEGATIONS, word_keys

RRF_K = 60


class BM25:
    """Okapi BM25 (k1 1.2, b 0.75, idf log(1 + (N - df + 0.5) / (df + 0.5))) over ``texts``;
    a query's words count once each."""

    def __init__(self, texts: Sequence[str], stop_words: str | None = None, k1: float = 1.2, b: float = 0.75) -> None:
        self.vectorizer = CountVectorizer(token_pattern=r"(?u)\b\w+\b", lowercase=True, stop_words=stop_words)
        tf = self.vectorizer.fit_transform(texts).tocsr().astype(np.float64)
        lengths = np.asarray(tf.sum(axis=1)).ravel()
        df = np.bincount(tf.indices, minlength=tf.shape[1])
        idf = np.log(1 + (len(texts) - df + 0.5) / (df + 0.5))
        tf = tf.tocoo()
        denominator = tf.data + k1 * (1 - b + b * lengths[tf.row] / lengths.mean())
        self.weights = csr_matrix((tf.data * (k1 + 1) / denominator * idf[tf.col], (tf.row, tf.col)), shape=tf.shape)

    def scores(self, queries: Sequence[str]) -> np.ndarray:
        """One row per query, one column per text."""
        q = self.vectorizer.transform(queries)
        q.data[:] = 1.0
        return (self.weights @ q.T).T.toarray()


def rrf(*rankings: Sequence[Hashable], k: int = RRF_K) -> list:
    """Reciprocal-rank fusion: each item scores the sum of 1 / (k + rank) over the rankings
    (ranks from 1); ties keep the order in which items were first met."""
    fused: dict[Hashable, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, 1):
            fused[item] = fused.get(item, 0.0) + 1 / (k + rank)
    return sorted(fused, key=lambda item: -fused[item])


def negation_mismatch(claim: str, passage: str) -> bool:
    """The plain "says the opposite": a negation word on one side only."""
    return bool(NEGATIONS & set(word_keys(claim))) != bool(NEGATIONS & set(word_keys(passage)))
