"""The derivation rule lineage and the digest share (index/compare/derivation.py): the copy
test, and the order test that catches a heavy revision keeping its source's material in
its source's order though hardly a word run of it."""
from __future__ import annotations

import random
import re

from index.compare.derivation import StoryDerivation, model, order_beyond_chance, order_keys

# Twenty details of one made-up report, each a name, a place or a thing.
DETAILS = ("Marlow council harbour barrier Tuesday engineers granite million autumn fishermen gates tide "
           "agency foundations spring quarry lorries bypass museum ferry").split()
SOURCE = " ".join(f"The {a} and the {b} were named." for a, b in zip(DETAILS[::2], DETAILS[1::2]))
# Every sentence reworded (no run of four words survives), the details in the source's order.
REVISION = " ".join(f"Reports mention {a}, also {b}." for a, b in zip(DETAILS[::2], DETAILS[1::2]))


def _shuffled_details(seed: int) -> str:
    """The same details in another order: what an independent report on the topic shares."""
    details = list(DETAILS)
    random.Random(seed).shuffle(details)
    return " ".join(f"Witnesses described {a} near {b}." for a, b in zip(details[::2], details[1::2]))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def test_order_keys_are_content_words_by_their_first_letters() -> None:
    assert order_keys(_words("The councillors argued the generalisation was wrong")) == ["counc", "argue", "gener", "wrong"]


def test_shared_words_in_the_parents_order_score_above_the_same_words_shuffled() -> None:
    source, revision = order_keys(_words(SOURCE)), order_keys(_words(REVISION))
    in_order = order_beyond_chance(revision, source, {})
    shuffled = [order_beyond_chance(order_keys(_words(_shuffled_details(seed))), source, {}) for seed in range(5)]
    assert in_order >= float(model()["order"])
    assert max(shuffled) < float(model()["order"]) < in_order
    assert order_beyond_chance(["zebra", "yacht"], source, {}) == 0.0


def test_words_every_other_text_uses_count_for_little() -> None:
    source, revision = order_keys(_words(SOURCE)), order_keys(_words(REVISION))
    plain = order_beyond_chance(revision, source, {})
    topical = order_beyond_chance(revision, source, {k: 0.1 for k in source})
    assert topical < plain


def test_copy_or_order_makes_a_derivation_independent_coverage_does_not() -> None:
    texts = {"source": SOURCE, "revision": REVISION, "other": _shuffled_details(1), "copy": SOURCE + " More."}
    shares = {(p, c): 0.0 for p in texts for c in texts if p != c}
    shares[("source", "copy")] = 0.95
    derivation = StoryDerivation({aid: _words(text) for aid, text in texts.items()}, shares)
    assert derivation.derives("source", "copy")  # the copy test
    assert derivation.derives("source", "revision")  # the order test
    assert not derivation.derives("source", "other")
    assert not derivation.derives("revision", "other")
