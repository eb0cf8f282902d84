"""Does a passage state the claim? Evidence from more than one cosine, combined by a small
tree ensemble (gradient boosting, scikit-learn) fitted on real labelled pairs, msrp-train
and claims-dev together, and on the clause windows of their negatives (bench/fitting/judge.py
writes judge_model.json; issue 21).

The model is applied to the passage and to each of its windows (``text/clauses``: a
clause, or two adjacent ones, with its vector pooled from the passage's own forward pass);
the passage states the claim as strongly as its best window does (``verdicts.verdict``):
a news sentence often holds a claim as one clause of several.

Features of a (claim, passage) pair, cheap to compute from each side's words once:
- ``cosine``: all-MiniLM-L6-v2 similarity of the two texts;
- ``claim_coverage`` / ``passage_coverage``: share of one side's content words found in
  the other (``text.words.content_words``: crude stems, function words left out);
- ``bigram_coverage``: share of the claim's word pairs found in order in the passage;
- ``name_coverage``: share of the claim's names (capitalised words that are not sentence
  openers) present in the passage;
- ``number_conflict``: both give numbers and the passage has one the claim lacks;
- ``negation_mismatch``: one side is negated ("not", "never", "no"...), the other not;
- ``claim_unmatched`` / ``passage_unmatched``: how many content words of one side the
  other lacks (log 1 + n): what the claim says that the passage does not, and the
  material the passage adds (real news pairs on one event differ there: MSRP's hard
  non-equivalents share most words and add a clause, a figure or a name);
- ``claim_number_missing``: the claim gives a number the passage lacks;
- ``passage_number_extra``: the passage gives a number the claim lacks;
- ``passage_names_extra`` / ``claim_names_missing``: names (log 1 + n) on one side only;
- ``length_ratio``: log of the passage's content words over the claim's (1 added to both);
- ``predicate_coverage``: share of the claim's content words other than names that the
  passage holds; a stance word ("oppose") counts as held when the passage takes the same
  side ("fierce resistance"). A clause window often holds every name of a claim and not
  what it says of them ("Stephen Miller ... the White House" for "Stephen Miller resigned
  from the White House");
- ``verb_coverage``: the same share over the claim's verb-like words (``verb_like``: after
  an auxiliary or "to", or ending in "-ed"), the predicate a window must not drop ("the
  zebra crossing was repainted" is not stated by "Zebra crossing report 1").
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from index.text.stance import polarity, stance_stems
from index.text.words import NEGATIONS, STOPWORDS, content_words, suffix_stem, word_keys

MODEL_PATH = Path(__file__).with_name("judge_model.json")
FEATURES = ("cosine", "claim_coverage", "passage_coverage", "bigram_coverage", "name_coverage",
            "number_conflict", "negation_mismatch", "claim_unmatched", "passage_unmatched",
            "claim_number_missing", "passage_number_extra", "passage_names_extra", "claim_names_missing",
            "length_ratio", "predicate_coverage", "verb_coverage")

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"\b[A-Z][a-zà-ÿ]+\b")
# Words capitalised only because they open a sentence; any other capitalised word may
# be a name ("Maria Haddad told ..." must not match "Henrik Haddad told ...").
SENTENCE_OPENERS = frozenset("""a an the this that these those it its he she they we i you there here
    but and or so yet however although though while when whenever if since as because after before
    during despite under over in on at for from with without by to of into one some such many most
    according meanwhile instead also still then thus""".split())
# Share of capitalised words (``title_cased``) from which a text is in a headline's style.
TITLE_CASE_SHARE = 0.75
# A word after one of these is read as a verb ("was repainted", "will resign", "to invade"):
# no tagger ships with the product, and a claim's predicate is what a window may drop.
AUXILIARIES = frozenset("""is are was were be been being am has have had having will would shall should can
    could may might must do does did to""".split())


def facts(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Numbers, and capitalised words that are not mere sentence openers."""
    names = {m.group().lower() for m in _NAME.finditer(text)}
    first = _NAME.match(text.lstrip("\"'“‘("))
    if first and first.group().lower() in SENTENCE_OPENERS:
        names.discard(first.group().lower())
    return frozenset(_NUMBER.findall(text)), frozenset(names)


def title_cased(text: str) -> bool:
    """Most words after the first, function words aside, are capitalised (a headline's
    style): its capitals say nothing of which words are names."""
    tail = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text)[1:] if w.lower() not in STOPWORDS]
    return len(tail) >= 3 and sum(w[0].isupper() for w in tail) >= TITLE_CASE_SHARE * len(tail)


@dataclass(frozen=True)
class TextEvidence:
    """What the judge reads about one side of a pair, computed once per text."""

    toks: tuple[str, ...]
    content: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    numbers: frozenset[str]
    names: frozenset[str]
    negated: bool
    predicate: frozenset[str]  # content stems other than names
    verbs: frozenset[str]  # stems of the verb-like words (``verb_like``)
    side: int  # ``stance.polarity``: +1 for / affirms, -1 against / denies, 0 none

    @classmethod
    def of(cls, text: str) -> "TextEvidence":
        return _evidence(cls, text)


@lru_cache(maxsize=65536)  # a passage is judged for many queries: read its words once
def _evidence(cls: type[TextEvidence], text: str) -> TextEvidence:
    toks = word_keys(text)
    stems = [suffix_stem(t) for t in toks]
    numbers, names = facts(text)
    content = frozenset(content_words(toks))
    name_stems = {suffix_stem(n) for n in names}
    return cls(tuple(toks), content, frozenset(zip(stems, stems[1:])), numbers, names,
               any(t in NEGATIONS for t in toks), content - name_stems,
               frozenset(verb_like(toks, names)) & content - name_stems, polarity(text))


def verb_like(toks: list[str], names: frozenset[str]) -> set[str]:
    """Stems of the words read as verbs: after an auxiliary or "to", or ending in "-ed"
    (names and function words never)."""
    return {suffix_stem(t) for i, t in enumerate(toks)
            if t not in STOPWORDS and t not in names and not t.isdigit()
            and ((i and toks[i - 1] in AUXILIARIES) or (len(t) > 4 and t.endswith("ed")))}


def _share(part: frozenset, whole: frozenset) -> float:
    return len(part & whole) / len(part) if part else 1.0


def _held(words: frozenset[str], claim: TextEvidence, passage: TextEvidence) -> float:
    """Share of ``words`` (the claim's) the passage holds, a stance word held when the
    passage takes the claim's side; 1 when there are none."""
    if not words:
        return 1.0
    same_side = claim.side != 0 and passage.side == claim.side
    stance = stance_stems()
    return sum(1 for w in words if w in passage.content or (same_side and w in stance)) / len(words)


def features(claim: TextEvidence, passage: TextEvidence, cosine: float) -> list[float]:
    conflict = bool(claim.numbers and passage.numbers and not passage.numbers <= claim.numbers)
    passage_words = passage.names | set(passage.toks)
    return [
        cosine,
        _share(claim.content, passage.content) if claim.content else 0.0,
        _share(passage.content, claim.content) if passage.content else 0.0,
        _share(claim.bigrams, passage.bigrams) if claim.bigrams else 0.0,
        _share(claim.names, passage_words) if claim.names else 1.0,
        float(conflict),
        float(claim.negated != passage.negated),
        math.log1p(len(claim.content - passage.content)),
        math.log1p(len(passage.content - claim.content)),
        float(not claim.numbers <= passage.numbers),
        float(not passage.numbers <= claim.numbers),
        math.log1p(len(passage.names - claim.names - set(claim.toks))),
        math.log1p(len(claim.names - passage_words)),
        math.log((1 + len(passage.content)) / (1 + len(claim.content))),
        _held(claim.predicate, claim, passage),
        _held(claim.verbs, claim, passage),
    ]


@dataclass(frozen=True)
class Tree:
    """One regression tree of the ensemble, as flat arrays (scikit-learn's ``tree_``): node
    ``i`` sends ``x[feature[i]] <= threshold[i]`` to ``left[i]``, else to ``right[i]``; a leaf
    (``left[i] == -1``) gives ``value[i]``."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def leaf_value(self, x: list[float]) -> float:
        i = 0
        left, right, feature, threshold = self.left, self.right, self.feature, self.threshold
        while left[i] != -1:
            i = left[i] if x[feature[i]] <= threshold[i] else right[i]
        return self.value[i]


@dataclass(frozen=True)
class JudgeModel:
    """Gradient-boosted trees: log-odds = ``init`` + ``rate`` x the sum of the trees' leaves."""

    trees: tuple[Tree, ...]
    init: float
    rate: float
    close_threshold: float
    # A weaker bar: a related hit at or above it is "on the claim" and joins the claim's
    # statement group (shown under its own label); see bench/fitting/judge.py.
    group_threshold: float

    def probability(self, x: list[float]) -> float:
        z = self.init + self.rate * sum(t.leaf_value(x) for t in self.trees)
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def probabilities(self, rows: list[list[float]]) -> list[float]:
        """``probability`` of many rows in one pass of numpy over every row and tree: a
        query judges ~150 candidates, then the pool's windows, and one tree at a time in
        Python was a fifth of ``sources``' time (issue 21's latency limit)."""
        if len(rows) < 2:
            return [self.probability(x) for x in rows]
        z = self.init + self.rate * self.forest.leaves(np.asarray(rows, dtype=np.float64)).sum(axis=1)
        return [float(v) for v in 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))]

    @cached_property
    def forest(self) -> _Forest:
        """The trees as arrays, made once per model."""
        return _forest(self.trees)


@dataclass(frozen=True)
class _Forest:
    """The trees as arrays (a row per tree, nodes padded with leaves), for ``probabilities``."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    depth: int

    def leaves(self, x: np.ndarray) -> np.ndarray:
        """Each row's leaf value in each tree, rows x trees."""
        trees = np.arange(self.feature.shape[0])[None, :]
        node = np.zeros((x.shape[0], self.feature.shape[0]), dtype=np.int64)
        rows = np.arange(x.shape[0])[:, None]
        for _ in range(self.depth):
            goes_left = x[rows, self.feature[trees, node]] <= self.threshold[trees, node]
            step = np.where(goes_left, self.left[trees, node], self.right[trees, node])
            node = np.where(self.left[trees, node] == -1, node, step)
        return self.value[trees, node]


def _forest(trees: tuple[Tree, ...]) -> _Forest:
    width = max(len(t.left) for t in trees)

    def padded(key: str, fill: float) -> np.ndarray:
        return np.asarray([list(getattr(t, key)) + [fill] * (width - len(t.left)) for t in trees])

    left = padded("left", -1).astype(np.int64)
    return _Forest(np.maximum(padded("feature", 0).astype(np.int64), 0), padded("threshold", 0.0), left,
                   padded("right", -1).astype(np.int64), padded("value", 0.0), max(_depth(t) for t in trees))


def _depth(tree: Tree, node: int = 0) -> int:
    if tree.left[node] == -1:
        return 0
    return 1 + max(_depth(tree, tree.left[node]), _depth(tree, tree.right[node]))


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> JudgeModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path} was fitted on features {data['features']}, not {list(FEATURES)}")
    trees = tuple(Tree(*(tuple(t[k]) for k in ("feature", "threshold", "left", "right", "value"))) for t in data["trees"])
    return JudgeModel(trees, float(data["init"]), float(data["rate"]), float(data["close_threshold"]),
                      float(data["group_threshold"]))


def fitted_model() -> JudgeModel | None:
    """The shipped model, or None while bench/fitting/judge.py builds the first one."""
    try:
        return load_model()
    except FileNotFoundError:
        return None


def states_probability(claim: TextEvidence, passage: TextEvidence, cosine: float, model: JudgeModel | None = None) -> float:
    """Probability that the passage states the claim (not only shares its subject)."""
    return (model or load_model()).probability(features(claim, passage, cosine))


def states_probabilities(claim: TextEvidence, pieces: list[tuple[TextEvidence, float]],
                         model: JudgeModel | None = None) -> list[float]:
    """``states_probability`` of many (passage, cosine) pieces against one claim, in one pass."""
    return (model or load_model()).probabilities([features(claim, e, c) for e, c in pieces])
