"""Text reuse (index/reuse.py): copied spans are the primary evidence; reworded matches
count only with corroboration. Documents here are built by hand (text, sentence spans,
chosen unit vectors), so no model is needed."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from index.compare.reuse import (
    MIN_ORDERED_MATCHES,
    REWORDED_SIMILARITY,
    ordered_run,
    reuse_between,
)
from index.ingest.passages import split_passages
from index.records import Span

DIMS = 16


@dataclass
class FakeDoc:
    text: str
    passages: list[Span]
    vectors: np.ndarray


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def doc(text: str, topics: list[int], rng: np.random.Generator, noise: float = 0.0) -> FakeDoc:
    """Passage k's vector is basis vector topics[k] (+ noise): equal topics = same meaning."""
    spans = split_passages(text)
    assert len(spans) == len(topics)
    vectors = np.eye(DIMS)[topics] + noise * rng.standard_normal((len(topics), DIMS))
    return FakeDoc(text, spans, _unit(vectors).astype(np.float32))


ORIGINAL = (
    "The council of Eastwick voted on Tuesday to build a flood barrier across the old harbour mouth. "
    "The barrier will cost 14 million pounds and is due to be finished by the autumn of 2028. "
    "Fishermen have objected that its gates will close the harbour for up to six hours at high tide. "
    "The regional environment agency will pay half of the cost. "
    "Work on the foundations is expected to begin next spring."
)
# Carried over: two sentences word for word, one with a few words changed.
REWRITE = (
    "The council of Eastwick voted on Tuesday to build a flood barrier across the old harbour mouth. "
    "Fishermen have objected that its gates will close the harbour for up to six hours at high tide. "
    "Half of the cost will be met by the regional environment agency. "
    "Local shops welcomed the decision."
)
# The same event told in other words, in another order.
INDEPENDENT = (
    "Fishing crews in Eastwick say a new barrier could keep them in port for hours. "
    "Councillors approved the scheme this week. "
    "The project is priced at 14 million pounds. "
    "Building should start in the spring."
)


def test_verbatim_copy_is_wholly_reused_both_ways() -> None:
    rng = np.random.default_rng(1)
    a = doc(ORIGINAL, [0, 1, 2, 3, 4], rng)
    b = doc(ORIGINAL, [0, 1, 2, 3, 4], rng)
    reuse = reuse_between(a, b)
    assert reuse.b_from_a_verbatim > 0.97 and reuse.a_from_b_verbatim > 0.97
    assert reuse.b_from_a <= 1.0 + 1e-9


def test_copied_spans_and_corroborated_rewording_make_the_share() -> None:
    rng = np.random.default_rng(2)
    a = doc(ORIGINAL, [0, 1, 2, 3, 4], rng)
    b = doc(REWRITE, [0, 2, 3, 9], rng)
    reuse = reuse_between(a, b)
    chars = [s.end - s.start for s in b.passages]
    total = sum(chars)
    copied = (chars[0] + chars[1]) / total
    # Two sentences copied whole, and "the regional environment agency" inside the third:
    assert copied < reuse.b_from_a_verbatim < copied + chars[2] / total
    # the rest of the reworded third sentence counts too (it sits next to a copied one),
    # the added fourth does not.
    assert reuse.b_from_a == pytest.approx((chars[0] + chars[1] + chars[2]) / total, abs=0.01)
    assert reuse.b_from_a_reworded > 0


def test_independent_coverage_with_matching_meaning_is_not_reuse() -> None:
    """Sentences of INDEPENDENT mean what ORIGINAL's mean (same vectors) but share no word
    run and do not follow its order: no copied span, no corroboration, no reuse."""
    rng = np.random.default_rng(3)
    a = doc(ORIGINAL, [0, 1, 2, 3, 4], rng)
    b = doc(INDEPENDENT, [2, 0, 1, 4], rng)
    reuse = reuse_between(a, b)
    assert reuse.b_from_a_verbatim == 0.0 and reuse.b_from_a_reworded == 0.0
    # Without the corroboration rule every sentence would have counted.
    sim = b.vectors @ a.vectors.T
    assert (sim.max(axis=1) >= REWORDED_SIMILARITY).all()


def test_a_long_run_of_rewordings_in_order_corroborates_itself() -> None:
    rng = np.random.default_rng(4)
    a = doc(ORIGINAL, [0, 1, 2, 3, 4], rng)
    in_order = doc(INDEPENDENT, [0, 1, 2, 3], rng)  # same sentences of meaning, source order
    assert MIN_ORDERED_MATCHES <= 4
    assert reuse_between(a, in_order).b_from_a_reworded == pytest.approx(1.0)


def test_stock_phrase_alone_is_no_copy() -> None:
    rng = np.random.default_rng(5)
    a = doc("Police said the fire at the old church started shortly after midnight. "
            "There were no immediate reports of injuries. The roof collapsed within an hour.", [0, 1, 2], rng)
    b = doc("A warehouse fire in the port district burned for six hours on Monday. "
            "There were no immediate reports of injuries. Firefighters from three towns were called.", [5, 6, 7], rng)
    reuse = reuse_between(a, b)
    chars = [s.end - s.start for s in b.passages]
    # The shared stock sentence is copied text (and says so), but nothing around it is.
    assert reuse.b_from_a_verbatim == pytest.approx(chars[1] / sum(chars), abs=0.02)
    assert reuse.b_from_a_reworded == 0.0


def test_ordered_run() -> None:
    assert ordered_run([(0, 3), (1, 0), (2, 1), (3, 2), (4, 5)]) == [(1, 0), (2, 1), (3, 2), (4, 5)]
    assert ordered_run([]) == []
