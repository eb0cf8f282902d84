"""Text reuse between two articles: which of B's words were carried over from A.

The evidence is sub-sentence, as passim and Churnalism measure it: runs of at least
SPAN_WORDS words that occur in the same order in both texts ("copied spans"), found
through shared word n-grams. A passage whose meaning matches a passage of the other
text (embedding cosine >= REWORDED_SIMILARITY, compare's reworded threshold) counts as
reworded reuse only with corroboration: both passages are largely copied, or it sits
next to a largely copied passage, or it belongs to a run of at least MIN_ORDERED_MATCHES
matches in the other text's order. Shared names and numbers are no corroboration: two
independent reports of one event share them (measured: counting them raised the reuse
of the independent report in tests/data/related from 0.04 to 0.13 and changed no verdict
in bench/eval_reuse.py). Two reports of one event written independently share facts
but few word runs and few sentences in the same order, so their reuse stays low.

``reuse_between(a, b)`` is the one function for both lineage and compare: ``a`` and
``b`` are any objects with ``text``, ``passages`` (objects with ``start``/``end``
offsets into ``text``) and ``vectors`` (one unit row per passage), such as
``compare.Doc``. It returns ``analysis_models.Reuse``:

- ``b_from_a_verbatim``: share of B's passage characters inside copied spans;
- ``b_from_a_reworded``: share of B's passage characters in passages (outside copied
  spans) with a corroborated reworded counterpart in A;
- and the same two shares of A from B.

This module imports nothing from compare (compare calls it).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Protocol, Sequence

import numpy as np

from index.compare.results import Reuse
from index.text.words import STOPWORDS

# Shortest run of words that counts as copied: four words in order, not all function
# words, rarely recur by chance between two texts on one topic, yet catch a clause
# carried over in a rewrite (bench/eval_reuse.py compares 3 to 6: 3 to 5 score alike).
SPAN_WORDS = 4
# A passage counts as copied (corroborating rewording in it and next to it) when copied
# spans cover this share of it: one shared stock phrase in a long sentence does not.
COPIED_PASSAGE_SHARE = 0.3
# Reworded matches that follow the other text's order, this many in a row or more,
# corroborate each other: a rewrite keeps its source's sequence, independent writing on
# the same topic rarely matches more than two or three sentences in order.
MIN_ORDERED_MATCHES = 4
REWORDED_SIMILARITY = 0.725  # compare and lineage import it from here

_WORD = re.compile(r"\w+(?:['’]\w+)*")


class Passage(Protocol):
    start: int
    end: int


class ReuseSource(Protocol):
    text: str
    passages: Sequence[Passage]
    vectors: np.ndarray


@dataclass
class ReuseProfile:
    """One text's words (lower case) with their passage and character extent, its
    word n-grams and passage vectors: computed once, compared with many texts."""

    keys: list[str]
    starts: np.ndarray  # character offset of each word
    ends: np.ndarray
    passage_of: np.ndarray  # passage index of each word
    passage_chars: np.ndarray  # characters of each passage
    passage_spans: list[tuple[int, int]]
    vectors: np.ndarray
    span_words: int = SPAN_WORDS
    grams: dict[tuple[str, ...], list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: ReuseSource, span_words: int = SPAN_WORDS) -> "ReuseProfile":
        keys: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        owner: list[int] = []
        for k, p in enumerate(doc.passages):
            for m in _WORD.finditer(doc.text, p.start, p.end):
                keys.append(m.group().lower())
                starts.append(m.start())
                ends.append(m.end())
                owner.append(k)
        grams: dict[tuple[str, ...], list[int]] = {}
        for i in range(len(keys) - span_words + 1):
            grams.setdefault(tuple(keys[i : i + span_words]), []).append(i)
        return cls(keys, np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64),
                   np.asarray(owner, dtype=np.int64),
                   np.asarray([p.end - p.start for p in doc.passages], dtype=np.int64),
                   [(p.start, p.end) for p in doc.passages],
                   np.asarray(doc.vectors, dtype=np.float32), span_words, grams)

    @property
    def total_chars(self) -> int:
        return int(self.passage_chars.sum())


def _copied_words(own: ReuseProfile, other: ReuseProfile) -> np.ndarray:
    """Mask of ``own``'s words inside a run of >= SPAN_WORDS words that ``other`` also has
    in the same order (the union of shared SPAN_WORDS-grams), skipping runs made only of
    stop words."""
    mask = np.zeros(len(own.keys), dtype=bool)
    for gram, positions in own.grams.items():
        if gram in other.grams and not all(w in STOPWORDS for w in gram):
            for i in positions:
                mask[i : i + own.span_words] = True
    return mask


def _verbatim_chars(own: ReuseProfile, mask: np.ndarray) -> np.ndarray:
    """Characters of each passage covered by copied words: from a copied word's start to
    the end of the last word of its run (the spaces between count too), a run that opens
    or closes its passage taking the passage's leading or trailing marks with it."""
    chars = np.zeros(len(own.passage_chars), dtype=np.int64)
    n = len(mask)
    i = 0
    while i < n:
        if not mask[i]:
            i += 1
            continue
        k = own.passage_of[i]
        j = i
        while j + 1 < n and mask[j + 1] and own.passage_of[j + 1] == k:
            j += 1
        first = i == 0 or own.passage_of[i - 1] != k
        last = j == n - 1 or own.passage_of[j + 1] != k
        start = own.passage_spans[k][0] if first else own.starts[i]
        end = own.passage_spans[k][1] if last else own.ends[j]
        chars[k] += int(end - start)
        i = j + 1
    return np.minimum(chars, own.passage_chars)


def ordered_run(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of (own, other) passage matches, ``pairs`` sorted by own index,
    whose other indices strictly increase: the matches that follow the other text's
    order, as a rewrite does sentence after sentence."""
    tails: list[int] = []
    chains: list[list[tuple[int, int]]] = []
    for k, j in pairs:
        i = bisect.bisect_left(tails, j)
        chain = (chains[i - 1] if i else []) + [(k, j)]
        if i == len(tails):
            tails.append(j)
            chains.append(chain)
        else:
            tails[i], chains[i] = j, chain
    return chains[-1] if chains else []


@dataclass(frozen=True)
class DirectedReuse:
    """Shares of ``own``'s passage characters reused from the other text."""

    verbatim: float
    reworded: float

    @property
    def total(self) -> float:
        return self.verbatim + self.reworded


def _directed(own: ReuseProfile, other: ReuseProfile, sim: np.ndarray, own_mask: np.ndarray,
              other_mask: np.ndarray) -> DirectedReuse:
    total = own.total_chars
    if total == 0:
        return DirectedReuse(0.0, 0.0)
    verbatim = _verbatim_chars(own, own_mask)
    copied_passage = verbatim >= COPIED_PASSAGE_SHARE * own.passage_chars
    other_copied = _verbatim_chars(other, other_mask) >= COPIED_PASSAGE_SHARE * other.passage_chars
    reworded = 0
    if sim.size:
        pairs = [(int(k), int(np.argmax(sim[k]))) for k in np.flatnonzero((sim >= REWORDED_SIMILARITY).any(axis=1))]
        ordered = ordered_run(pairs)
        in_order = set(ordered) if len(ordered) >= MIN_ORDERED_MATCHES else set()
        for k, j in pairs:
            near_copy = any(0 <= n < len(copied_passage) and copied_passage[n] for n in (k - 1, k + 1))
            corroborated = (copied_passage[k] and other_copied[j]) or near_copy or (k, j) in in_order
            if corroborated:
                reworded += int(own.passage_chars[k] - verbatim[k])
    return DirectedReuse(float(verbatim.sum()) / total, reworded / total)


def reuse_profiles(a: ReuseProfile, b: ReuseProfile) -> Reuse:
    """Reuse between two profiled texts (see the module docstring)."""
    mask_a, mask_b = _copied_words(a, b), _copied_words(b, a)
    sim = a.vectors @ b.vectors.T if len(a.vectors) and len(b.vectors) else np.zeros((0, 0), np.float32)
    b_from_a = _directed(b, a, sim.T, mask_b, mask_a)
    a_from_b = _directed(a, b, sim, mask_a, mask_b)
    return Reuse(b_from_a_verbatim=b_from_a.verbatim, b_from_a_reworded=b_from_a.reworded,
                 a_from_b_verbatim=a_from_b.verbatim, a_from_b_reworded=a_from_b.reworded)


def reuse_between(a: ReuseSource, b: ReuseSource, span_words: int = SPAN_WORDS) -> Reuse:
    """Reuse between two texts: ``b_from_a`` is the share of B's text carried over from A
    (copied spans plus corroborated rewording), ``a_from_b`` the converse."""
    return reuse_profiles(ReuseProfile.of(a, span_words), ReuseProfile.of(b, span_words))
