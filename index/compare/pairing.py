"""Which passages of two versions stand for each other, from more than one signal.

A pair is aligned when its words are (nearly) the same (``verbatim_matrix`` of
compare/comparison.py), or when a small logistic model (coefficients in
index/alignment_model.json, fitted by bench/fit_compare_alignment.py) finds enough
evidence in four features:

- ``cosine``: embedding cosine of the stored passage vectors;
- ``overlap``: share of the shorter passage's content words (stemmed, no stopwords)
  found in the other;
- ``span``: the longest run of words both share, over the shorter passage's length;
- ``names``: names and numbers both share (capped at 2, over 2).

so a real paraphrase sharing names and phrases pairs at cosine 0.6 while a headline and
an unrelated quotation on the same topic do not at 0.77. Headlines and captions are paired
in other words only with headlines and captions (text/roles.py).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

import numpy as np

from index.text.roles import can_pair_reworded
from index.text.words import STOPWORDS, Word, stem

MODEL_PATH = Path(__file__).with_name("alignment_model.json")
FEATURES = ("cosine", "overlap", "span", "names")
# Pairs below both are never scored in full (the span is the costly feature).
MIN_COSINE = 0.35
MIN_OVERLAP = 0.2


@lru_cache(maxsize=1)
def model() -> dict:
    return json.loads(MODEL_PATH.read_text(encoding="utf-8"))


def content_sets(passage_words: list[list[Word]]) -> list[set[str]]:
    return [{stem(w.key) for w in ws if w.key not in STOPWORDS} for ws in passage_words]


def name_sets(passage_words: list[list[Word]]) -> list[set[str]]:
    """Capitalized words past the first and numbers: what two reports of one fact share."""
    return [{w.key for n, w in enumerate(ws) if (w.capitalized and n > 0 and w.key not in STOPWORDS)
             or any(c.isdigit() for c in w.key)} for ws in passage_words]


def overlap_matrix(sets_a: list[set[str]], sets_b: list[set[str]]) -> np.ndarray:
    vocab = {w: k for k, w in enumerate(set().union(*sets_a, *sets_b))}
    ma = np.zeros((len(sets_a), max(len(vocab), 1)), dtype=np.float32)
    mb = np.zeros((len(sets_b), max(len(vocab), 1)), dtype=np.float32)
    for m, sets in ((ma, sets_a), (mb, sets_b)):
        for row, s in enumerate(sets):
            if s:
                m[row, [vocab[w] for w in s]] = 1.0
    sizes = np.minimum(ma.sum(axis=1)[:, None], mb.sum(axis=1)[None, :])
    return (ma @ mb.T) / np.maximum(sizes, 1.0)


def stem_lists(passage_words: list[list[Word]]) -> list[list[str]]:
    return [[stem(w.key) for w in ws] for ws in passage_words]


@dataclass
class PairEvidence:
    """Feature matrices of every passage pair (0 where not scored) and the model's
    probability that the pair is aligned."""

    cosine: np.ndarray
    overlap: np.ndarray
    span: np.ndarray
    names: np.ndarray
    probability: np.ndarray

    def features(self, i: int, j: int) -> list[float]:
        return [float(self.cosine[i, j]), float(self.overlap[i, j]), float(self.span[i, j]), float(self.names[i, j])]


def pair_evidence(sim: np.ndarray, words_a: list[list[Word]], words_b: list[list[Word]], every_pair: bool = False) -> PairEvidence:
    """The features and the probability. The word-run feature (the costly one) is computed
    only where it could lift the pair to the threshold, unless ``every_pair`` (fitting)."""
    m = model()
    coef = np.array(m["coef"], dtype=np.float32)
    overlap = overlap_matrix(content_sets(words_a), content_sets(words_b))
    names_a, names_b = name_sets(words_a), name_sets(words_b)
    names = np.zeros_like(overlap)
    scored = (sim >= MIN_COSINE) | (overlap >= MIN_OVERLAP)
    for i, j in zip(*np.nonzero(scored)):
        names[i, j] = min(len(names_a[i] & names_b[j]), 2) / 2
    z = m["intercept"] + coef[0] * sim + coef[1] * overlap + coef[3] * names
    threshold = float(m["threshold"])
    reachable = z + max(float(coef[2]), 0.0) >= np.log(threshold / (1.0 - threshold))
    span = np.zeros_like(overlap)
    stems_a, stems_b_ = stem_lists(words_a), stem_lists(words_b)
    todo = scored & (reachable | every_pair)
    for j in np.flatnonzero(todo.any(axis=0)):
        kb = stems_b_[j]
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(kb)  # indexed once for every passage of A
        for i in np.flatnonzero(todo[:, j]):
            ka = stems_a[i]
            if ka and kb:
                matcher.set_seq1(ka)
                span[i, j] = matcher.find_longest_match(0, len(ka), 0, len(kb)).size / min(len(ka), len(kb))
    probability = 1.0 / (1.0 + np.exp(-(z + coef[2] * span)))
    return PairEvidence(sim, overlap, span, names, np.where(scored, probability, 0.0))


def aligned_mask(ev: PairEvidence, verbatim: np.ndarray, roles_a: list[str], roles_b: list[str]) -> np.ndarray:
    """Pairs with enough evidence: near-verbatim, or the model's probability at or above
    its threshold with compatible roles."""
    roles_ok = np.array([[can_pair_reworded(ra, rb) for rb in roles_b] for ra in roles_a], dtype=bool)
    roles_ok = roles_ok.reshape(len(roles_a), len(roles_b))
    return verbatim | ((ev.probability >= model()["threshold"]) & roles_ok)
