"""Whether one text derives from another: the one rule lineage and the digest share.

Two tests, either of which makes a derivation (thresholds in ``derivation_model.json``,
fitted by bench/fitting/derivation.py on the Clough & Stevenson development tasks):

- **copy**: the child's reuse share from the parent (reuse.py: copied word runs plus
  corroborated rewording) reaches ``share``;
- **order**: the content words the child shares with the parent follow the parent's
  order well beyond chance. A heavy revision rewords nearly every sentence, so it keeps
  few word runs, but it keeps its source's material in its source's order; an
  independent text on the same topic shares the topic's words in an order of its own.
  The score is the weighted longest common subsequence of the two texts' content words
  minus its mean over ORDER_SHUFFLES fixed shuffles of the child's words (what the same
  words in no particular order give), over the square root of the child's total weight
  (the spread of that chance level grows with it, so a short text gets no easy pass). A
  word's weight is what the topic does not explain: 1 - (share of the story's other
  texts that use it), so the topic's common words count for little and the source's own
  details fully. The test passes at ``order`` or more: ``order_margin`` times the
  highest score of an independent pair in the fitting data.

The order test runs only where the copy test fails (a dynamic programme per pair), and
not at all where the shared words could not reach the threshold.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from index.text.words import STOPWORDS

MODEL_PATH = Path(__file__).with_name("derivation_model.json")
ORDER_SHUFFLES = 6
# Words are compared by their first letters: inflections and misspelt endings
# ("generlisation", "hierarchi") still match.
KEY_LETTERS = 5
_SKIP = STOPWORDS | ENGLISH_STOP_WORDS


@lru_cache(maxsize=1)
def model() -> dict:
    return json.loads(MODEL_PATH.read_text(encoding="utf-8"))


def order_keys(words: Iterable[str]) -> list[str]:
    """The content words among ``words`` (lower case, in text order; reuse.ReuseProfile's
    ``keys``) as the order test compares them."""
    return [w[:KEY_LETTERS] for w in words if len(w) > 2 and w not in _SKIP]


def _weighted_lcs(rows: np.ndarray, parent: np.ndarray, weight_of: np.ndarray) -> np.ndarray:
    """Weighted LCS of each row of ``rows`` (word ids, one sequence per row) with
    ``parent`` (word ids), a word weighing ``weight_of[id]``: one pass over the shorter
    side's positions, each a few array operations (a row of the table is the running
    maximum of its candidates)."""
    if rows.shape[1] <= len(parent):
        best = np.zeros((rows.shape[0], len(parent) + 1))
        for i in range(rows.shape[1]):
            gain = np.where(rows[:, i, None] == parent[None, :], weight_of[rows[:, i, None]], 0.0)
            best[:, 1:] = np.maximum.accumulate(np.maximum(best[:, 1:], best[:, :-1] + gain), axis=1)
        return best[:, -1]
    best = np.zeros((rows.shape[0], rows.shape[1] + 1))
    for word in parent:
        gain = np.where(rows == word, weight_of[word], 0.0)
        best[:, 1:] = np.maximum.accumulate(np.maximum(best[:, 1:], best[:, :-1] + gain), axis=1)
    return best[:, -1]


def order_beyond_chance(child: Sequence[str], parent: Sequence[str], weights: Mapping[str, float]) -> float:
    """How far the child's shared words follow the parent's order beyond chance: weighted
    words of the longest common subsequence beyond its mean over shuffles of the child,
    over the square root of the child's total weight (the shuffles' spread grows with
    it); 0 when they share nothing. ``weights``: word -> weight, 1 when absent."""
    total = sum(weights.get(k, 1.0) for k in child)
    shared = set(child) & set(parent)
    if not shared or total <= 0:
        return 0.0
    vocab = sorted(shared)
    ids = {k: n for n, k in enumerate(vocab)}
    a = np.array([ids[k] for k in child if k in shared])
    orders = [a] + [a[np.random.default_rng(seed).permutation(len(a))] for seed in range(ORDER_SHUFFLES)]
    weight_of = np.array([weights.get(k, 1.0) for k in vocab])
    lcs = _weighted_lcs(np.stack(orders), np.array([ids[k] for k in parent if k in shared]), weight_of)
    return float(lcs[0] - lcs[1:].mean()) / math.sqrt(total)


class StoryDerivation:
    """``derives(parent, child)`` for the texts of one story, each pair's order test
    computed at most once and only where the copy test fails; the topic's words are
    weighed against the story's other texts."""

    def __init__(self, words: Mapping[str, Sequence[str]], shares: Mapping[tuple[str, str], float]) -> None:
        """``words``: each text's lower-case words in order (reuse.ReuseProfile's ``keys``)."""
        self.shares = shares
        self.keys = {aid: order_keys(ws) for aid, ws in words.items()}
        self._sets = {aid: set(keys) for aid, keys in self.keys.items()}
        self._users = Counter(k for s in self._sets.values() for k in s)
        self._order: dict[tuple[str, str], float] = {}
        self._weight_cache: dict[tuple[str, str], dict[str, float]] = {}

    def _weights(self, parent: str, child: str) -> dict[str, float]:
        if (parent, child) not in self._weight_cache:
            others = len(self.keys) - 2
            sp, sc = self._sets[parent], self._sets[child]
            self._weight_cache[(parent, child)] = {k: 1.0 - (self._users[k] - 1 - (k in sp)) / (others + 1) for k in sc}
        return self._weight_cache[(parent, child)]

    def order(self, parent: str, child: str) -> float:
        """The order score of ``child`` against ``parent`` (see the module docstring)."""
        if (parent, child) not in self._order:
            self._order[(parent, child)] = order_beyond_chance(
                self.keys[child], self.keys[parent], self._weights(parent, child))
        return self._order[(parent, child)]

    def _may_reach(self, parent: str, child: str, threshold: float) -> bool:
        """False when even every shared word in order could not reach ``threshold``."""
        weights = self._weights(parent, child)
        total = sum(weights[k] for k in self.keys[child])
        shared = sum(weights[k] for k in self.keys[child] if k in self._sets[parent])
        return total > 0 and shared / math.sqrt(total) >= threshold

    def derives(self, parent: str, child: str) -> bool:
        m = model()
        if self.shares[(parent, child)] >= float(m["share"]):
            return True
        threshold = float(m["order"])
        return self._may_reach(parent, child, threshold) and self.order(parent, child) >= threshold
