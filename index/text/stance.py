"""Does a text take the same side as a claim on the same statement, or the opposite one?
Lexical evidence only (issue 21); ``search/verdicts.py`` adds the cosine gate and decides.

- ``statement_share``: how much of the claim's statement a text holds: the share of the
  claim's content stems, other than stance words, negators and numbers, found in the text
  as they are or in a derived form (``held_by``: WordNet 3.0's derivationally related
  forms, ``data/derivations_wordnet.tsv``, extracted by bench/fitting/wordnet_derivations.py);
- ``polarity``: the sign of a text's stance words after negation ("oppose" -1, "back" +1,
  "no objection" +1, "a lack of support" -1), from ``data/stance_words.tsv``: WordNet 3.0
  has no antonym link between oppose/support or resist/back, so the words are kept by hand,
  each with the synset it comes from;
- ``side_on``: a text's side on the claim's statement: its polarity, or, when its stance
  words cancel, the side of the one followed by most of the claim's statement;
- ``opposition``: why a text says the opposite of a claim, first that applies: stance words
  of opposite signs (``side_on``); a WordNet 3.0 direct antonym pair, one word on each side only
  (``data/antonyms_wordnet.tsv``, extracted by bench/fitting/wordnet_antonyms.py); a negator
  on the predicate the two share, on one side only ("has not ordered" / "has ordered": a
  "DO NOT DOWNLOAD" elsewhere in a tweet does not count); or numbers none of which agree.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from index.text.words import NEGATIONS, content_words, suffix_stem, word_keys

DATA = Path(__file__).with_name("data")
# Words that turn a stance word round within NEG_SCOPE words after them ("no objection",
# "would not be supported", "a lack of support", "without approval").
POLARITY_NEGATORS = NEGATIONS | {"lack", "lacks", "lacking", "without", "fail", "failed", "fails"}
NEG_SCOPE = 4
# A claim whose core is one word ("Trump sanctions") names a subject, not a statement:
# every passage on the subject would be "on the statement", and any stance word an opposite.
MIN_CORE = 2
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Words a shared predicate never is: a negator before them negates nothing the two share.
_FUNCTION_STEMS = frozenset(suffix_stem(w) for w in (
    "the", "a", "an", "be", "is", "are", "was", "were", "been", "to", "of", "it", "that", "this",
    "have", "has", "had", "do", "does", "did"))


# A query's claim is read against ~150 candidate passages and their windows: each text's
# words are read once a query (``sources``' latency limit, issue 21). A small cache: the
# judge's own (``TextEvidence``) keeps words of many more texts across queries, and these
# cost ~2.8 KB a text.
TEXT_WORDS_CACHE = 4096


@lru_cache(maxsize=TEXT_WORDS_CACHE)
def _keys(text: str) -> tuple[str, ...]:
    return tuple(word_keys(text))


@lru_cache(maxsize=TEXT_WORDS_CACHE)
def _stems(text: str) -> tuple[str, ...]:
    return tuple(suffix_stem(k) for k in _keys(text))


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def _stance() -> tuple[dict[str, int], tuple[tuple[tuple[str, ...], int], ...]]:
    single: dict[str, int] = {}
    phrases = []
    for word, sign, _source in _rows("stance_words.tsv"):
        keys = tuple(_stems(word))
        if len(keys) == 1:
            single[keys[0]] = int(sign)
        else:
            phrases.append((keys, int(sign)))
    return single, tuple(phrases)


def _paired_stems(pairs: list[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """Stem -> the stems of the words paired with it, either way round."""
    related: dict[str, set[str]] = {}
    for a, b in pairs:
        sa, sb = suffix_stem(a), suffix_stem(b)
        related.setdefault(sa, set()).add(sb)
        related.setdefault(sb, set()).add(sa)
    return {k: frozenset(v) for k, v in related.items()}


@lru_cache(maxsize=1)
def _antonyms() -> dict[str, frozenset[str]]:
    """Stem -> stems of its WordNet antonyms."""
    return _paired_stems([(a, b) for _pos, a, b in _rows("antonyms_wordnet.tsv")])


@lru_cache(maxsize=1)
def _derived() -> dict[str, frozenset[str]]:
    """Stem -> stems of its other forms: those WordNet derives from it or it from them, and
    a verb's irregular forms ("led" / "lead", ``data/verb_forms_xtag.tsv``), which share
    their base's derived forms ("led" / "leader")."""
    related = {k: set(v) for k, v in _paired_stems([(a, b) for a, b in _rows("derivations_wordnet.tsv")]).items()}
    for form, base in _rows("verb_forms_xtag.tsv"):
        sf, sb = suffix_stem(form), suffix_stem(base)
        for other in related.get(sb, set()) | {sb}:
            if other != sf:
                related.setdefault(sf, set()).add(other)
                related.setdefault(other, set()).add(sf)
    return {k: frozenset(v) for k, v in related.items()}


def held_by(words: frozenset[str] | set[str], stems: frozenset[str] | set[str]) -> set[str]:
    """The stems of ``words`` that ``stems`` hold, as they are or in another form
    ("invade" held by "invasion", "illegal" by "illegality": WordNet's derivationally
    related forms, ``data/derivations_wordnet.tsv``; "lead" by "led": ``_derived``)."""
    derived = _derived()
    return {w for w in words if w in stems or not derived.get(w, frozenset()).isdisjoint(stems)}


@lru_cache(maxsize=1)
def stance_stems() -> frozenset[str]:
    single, phrases = _stance()
    return frozenset(single) | {k for keys, _ in phrases for k in keys}


def _negated_at(keys: tuple[str, ...], i: int) -> int:
    return -1 if any(k in POLARITY_NEGATORS for k in keys[max(0, i - NEG_SCOPE):i]) else 1


@lru_cache(maxsize=65536)
def _stance_marks(text: str) -> tuple[tuple[int, int], ...]:
    """(word index, sign after negation) of each stance word or phrase of the text, in order."""
    single, phrases = _stance()
    keys = _keys(text)
    stems = _stems(text)
    marks, used = [], set()
    for phrase, sign in phrases:
        n = len(phrase)
        for i in range(len(stems) - n + 1):
            if tuple(stems[i:i + n]) == phrase:
                used.update(range(i, i + n))
                marks.append((i, sign * _negated_at(keys, i)))
    marks += [(i, single[s] * _negated_at(keys, i)) for i, s in enumerate(stems) if i not in used and s in single]
    return tuple(sorted(marks))


@lru_cache(maxsize=65536)
def polarity(text: str) -> int:
    """+1 (for, affirms), -1 (against, denies) or 0 (no stance word, or both)."""
    total = sum(sign for _, sign in _stance_marks(text))
    return (total > 0) - (total < 0)


def side_on(claim: str, text: str) -> int:
    """The text's side on the claim's statement: its ``polarity``, or, when its stance
    words cancel, the sign of the one followed (up to the next) by most of the claim's
    statement core ("would agree to give Trump full military access to Greenland and deny
    access to Russia": +1 on Trump's access); 0 on a tie."""
    side = polarity(text)
    if side:
        return side
    marks = _stance_marks(text)
    if len({sign for _, sign in marks}) < 2:
        return 0
    core, stems = statement_core(claim), _stems(text)
    ends = [i for i, _ in marks[1:]] + [len(stems)]
    held = sorted((len(core & set(stems[i + 1:end])), sign) for (i, sign), end in zip(marks, ends))
    return 0 if len(held) > 1 and held[-1][0] == held[-2][0] else held[-1][1]


@lru_cache(maxsize=16384)
def side_takers(text: str) -> tuple[str, ...]:
    """The word keys of who takes the text's side, in order: those before its first stance
    word ("Stephen Miller opposes …"), or, when the stance word is passive, those after its
    "by" ("… is driven by Stephen Miller", "… is being resisted by the joint chiefs"); all
    its keys without a stance word."""
    marks = _stance_marks(text)
    keys = _keys(text)
    if not marks:
        return keys
    first = marks[0][0]
    by = next((j for j in range(first + 1, min(first + 3, len(keys))) if keys[j] == "by"), None)
    return keys[by + 1:] if by is not None else keys[:first]


@lru_cache(maxsize=16384)
def statement_core(claim: str) -> frozenset[str]:
    """The claim's content stems that say what the statement is about: stance words,
    negators and numbers left out (they are what an opposite changes)."""
    stance = stance_stems()
    return frozenset(s for s in content_words(word_keys(claim))
                     if s not in stance and s not in POLARITY_NEGATORS and not any(c.isdigit() for c in s))


def has_statement(claim: str) -> bool:
    """The claim says something about its subject (``MIN_CORE`` core words at least)."""
    return len(statement_core(claim)) >= MIN_CORE


def statement_share(claim: str, text_stems: frozenset[str], context_names: frozenset[str] = frozenset()) -> float:
    """Share of the claim's statement core held by a text, given as its content stems
    (``words.content_words``, which the caller has read once); 0 for a claim whose core is
    shorter than ``MIN_CORE``.
    ``context_names``: names of the claim (word keys) that the text's article gives
    elsewhere; they count as held: a sentence of an article about Greenland says "the
    island", "the initiative"."""
    core = statement_core(claim)
    if not has_statement(claim):
        return 0.0
    held = held_by(core, text_stems | {suffix_stem(n) for n in context_names})
    return len(held) / len(core)


def _negates_shared(text: str, other: set[str]) -> bool:
    keys = _keys(text)
    stems = _stems(text)
    return any(k in NEGATIONS and any(s in other and s not in _FUNCTION_STEMS for s in stems[i + 1:i + 1 + NEG_SCOPE])
               for i, k in enumerate(keys))


def opposition(claim: str, text: str) -> str:
    """Why ``text`` says the opposite of ``claim`` ("stance", "antonym", "negation",
    "numbers"), or "" when nothing says it does. Read only on a text on the same statement."""
    cp, tp = polarity(claim), side_on(claim, text)
    if cp and tp and cp != tp:
        return "stance"
    cs, ts = set(_stems(claim)), set(_stems(text))
    antonyms, text_only = _antonyms(), ts - cs
    if any(not antonyms.get(a, frozenset()).isdisjoint(text_only) for a in cs - ts):
        return "antonym"
    if not cp and not tp and _negates_shared(claim, ts) != _negates_shared(text, cs):
        return "negation"
    cn, tn = set(_NUMBER.findall(claim)), set(_NUMBER.findall(text))
    if cn and tn and not cn & tn:
        return "numbers"
    return ""


def same_stance(claim: str, text: str) -> bool:
    """The claim takes a side and ``text`` takes the same one ("oppose" / "fierce resistance")."""
    cp = polarity(claim)
    return cp != 0 and side_on(claim, text) == cp
