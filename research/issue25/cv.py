"""Shared pieces of the issue-25 evaluations: BCubed, folds by topic, threshold sweeps,
and the binary F1 of derived vs independent."""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from index.stories.clusters import cluster_similarity

SWEEP = np.round(np.arange(0.30, 0.995, 0.01), 2)


def bcubed(pred: list, gold: list) -> tuple[float, float, float]:
    by_pred: dict = defaultdict(set)
    by_gold: dict = defaultdict(set)
    for n, (p, g) in enumerate(zip(pred, gold)):
        by_pred[p].add(n)
        by_gold[g].add(n)
    precision = recall = 0.0
    for n in range(len(pred)):
        same = len(by_pred[pred[n]] & by_gold[gold[n]])
        precision += same / len(by_pred[pred[n]])
        recall += same / len(by_gold[gold[n]])
    precision, recall = precision / len(pred), recall / len(pred)
    return precision, recall, 2 * precision * recall / (precision + recall)


def topic_folds(groups: list[str], k: int) -> list[list[int]]:
    """Row indices of each of ``k`` folds: the sorted topics dealt round-robin (k=2 is
    bench/eval_stories.py's odd/even split)."""
    topics = sorted(set(groups), key=lambda t: int(t) if t.isdigit() else t)
    fold_of = {t: n % k for n, t in enumerate(topics)}
    return [[i for i, g in enumerate(groups) if fold_of[g] == f] for f in range(k)]


def tuned_threshold(sim: np.ndarray, gold: list, sweep=SWEEP) -> tuple[float, tuple[float, float, float]]:
    scored = [(t, bcubed(cluster_similarity(sim, t), gold)) for t in sweep]
    return max(scored, key=lambda x: (x[1][2], -x[0]))


def f1_acc(pred: list[bool], gold: list[bool]) -> tuple[float, float]:
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return f1, sum(p == g for p, g in zip(pred, gold)) / len(gold)
