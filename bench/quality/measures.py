"""The measures the quality evaluations share, written once: precision and recall of a yes/no
call, average precision at k (CheckThat claims and FNC-1 articles), and the score threshold
a plain baseline needs to reach a given precision (the cosine baselines of MSRP and the
sample claims)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


def precision_recall(said: Iterable[bool], gold: Iterable[bool]) -> tuple[float, float, int, int]:
    """(precision, recall, calls made, gold positives); an empty side counts as 0.0."""
    pairs = [(bool(s), bool(g)) for s, g in zip(said, gold)]
    calls, positives = sum(s for s, _ in pairs), sum(g for _, g in pairs)
    right = sum(s and g for s, g in pairs)
    return right / max(1, calls), right / max(1, positives), calls, positives


def average_precision_at(ranked: Sequence[str], gold: set[str], k: int = 5) -> float:
    """AP@k as CheckThat! scores it: the precision at each relevant item of the top k,
    summed and divided by min(|gold|, k)."""
    hits, total = 0, 0.0
    for i, item in enumerate(ranked[:k], 1):
        if item in gold:
            hits += 1
            total += hits / i
    return total / min(len(gold), k) if gold else 0.0


def recall_at(ranked: Sequence[str], gold: set[str], k: int) -> float:
    return len(set(ranked[:k]) & gold) / len(gold) if gold else 0.0


def threshold_at_precision(scores: Sequence[float], gold: Sequence[bool], precision: float) -> float | None:
    """The lowest threshold t whose calls ``score >= t`` reach ``precision`` (the recall a
    plain score gives at the product's precision is then read at t); None when none does."""
    order = np.argsort(-np.asarray(scores, dtype=float), kind="stable")
    ranked_scores = np.asarray(scores, dtype=float)[order]
    right = np.cumsum(np.asarray(gold, dtype=bool)[order])
    reached = right / np.arange(1, len(order) + 1) >= precision - 1e-12
    # a threshold can only sit between distinct scores: the last position of each score
    last_of_score = np.r_[ranked_scores[1:] != ranked_scores[:-1], True]
    candidates = np.flatnonzero(reached & last_of_score)
    return float(ranked_scores[candidates[-1]]) if len(candidates) else None
