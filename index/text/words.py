"""Words of stored text with their offsets, as compare sees them: case, accents, quote
styles, hyphens and apostrophes ignored, so typographic variants compare equal."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Dotted acronyms (U.S.) are one word; hyphens and apostrophes join a word's parts, also
# when a tokenizer spaced the apostrophe out ("hadn ’ t", "team ’ s").
_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|\w+ [’'] (?:t|s|d|ll|re|ve|m)\b|\w+(?:[-‐'’]\w+)*")
_SPACES = re.compile(r"\s+")
_JOINERS = re.compile(r"[-‐'’.]")

# Function words: in most passages, so no evidence that two texts say the same thing.
STOPWORDS = frozenset(
    """a about according after all also am an and any are as at be been before being both but by can could
    did do does during each either every few for from had has have having he her here him his how i if in
    into is it it's its just many may me might more most mr mrs ms much must my no nor not of on one only
    onto or other our over own said same say says shall she should so some such than that the their them
    then there these they this those to told too under us very was we were what when where which while who
    whom whose why will with would yet you your""".split()
)
NEGATIONS = frozenset("""not no never none nobody nothing neither nor without dont doesnt didnt isnt arent wasnt
    werent cant cannot couldnt wont wouldnt shouldnt hasnt havent hadnt aint""".split())

# Subject pronouns that open a sentence about whoever the sentence before named ("They argue
# that the operation would be both illegal…" after "…resistance from the Joint Chiefs"),
# also after a connective ("So they are trying to deflect him…").
ANAPHORIC_OPENERS = frozenset({"he", "she", "they"})
_CONNECTIVES = frozenset({"and", "but", "so", "yet", "now", "then", "still"})
# General nouns a sentence names its subject by when the sentence before introduced it
# ("…ordered a plan for the invasion of Greenland. … the initiative is being driven by Stephen
# Miller"), after "the", "this" or "that" within the first ``SHELL_NOUN_WITHIN`` words, as
# the subject of a clause (``_SHELL_NOUN``; ``refers_to``).
SHELL_NOUNS = frozenset({"plan", "plans", "move", "initiative", "operation", "proposal", "idea", "effort", "push",
                         "scheme", "policy", "decision", "measure", "deal", "programme", "program", "project",
                         "campaign", "strategy"})
SHELL_NOUN_WITHIN = 12
# The noun as its clause's subject, before an auxiliary or a comma ("the initiative is
# being driven", "the plan, if executed,"), not a modifier ("the policy hawks").
_SHELL_NOUN = re.compile(rf"\b(?:the|this|that)\s+(?:{'|'.join(sorted(SHELL_NOUNS))})"
                         r"(?:\s*,|\s+(?:is|was|are|were|has|have|had|would|will|could|can|may|might|must|should)\b)",
                         re.IGNORECASE)
# One introduced with "a"/"an", up to two words before it ("a plan", "an invasion plan").
_INTRODUCED = re.compile(rf"\b(?:a|an)\s+(?:[\w-]+\s+){{0,2}}?(?:{'|'.join(sorted(SHELL_NOUNS))})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Word:
    key: str  # lower case, no accents, hyphens and apostrophes dropped
    start: int
    end: int
    capitalized: bool


def word_key(token: str) -> str:
    if token.isascii():  # the common case: no accents to strip
        return _JOINERS.sub("", _SPACES.sub("", token.lower()))
    token = unicodedata.normalize("NFKD", token)
    token = "".join(c for c in token if not unicodedata.combining(c))
    return _JOINERS.sub("", _SPACES.sub("", token.lower()))


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    end = len(text) if end is None else end
    return [
        Word(word_key(m.group()), m.start(), m.end(), m.group()[:1].isupper())
        for m in _WORD.finditer(text, start, end)
    ]


def opens_with_pronoun(text: str) -> bool:
    """The text opens with a subject pronoun (``ANAPHORIC_OPENERS``), or a connective and one."""
    keys = [word_key(m.group()) for _, m in zip(range(2), _WORD.finditer(text))]
    return bool(keys) and (keys[0] in ANAPHORIC_OPENERS
                           or (len(keys) == 2 and keys[0] in _CONNECTIVES and keys[1] in ANAPHORIC_OPENERS))


def refers_to(sentence: str, before: str) -> bool:
    """``sentence`` needs ``before`` to say who or what it is about: it opens with a pronoun
    (``opens_with_pronoun``), or names its subject early by a general noun (``SHELL_NOUNS``)
    that ``before`` introduces ("…to draft a plan for the invasion of Greenland, a move that
    …" / "According to sources close to the White House, the initiative is being driven by
    …"; "The plan was seen as risky" after a sentence on something else names the article's
    plan, not the sentence's)."""
    if opens_with_pronoun(sentence):
        return True
    shell = _SHELL_NOUN.search(sentence)  # read on every candidate of a query: one regex pass
    return (shell is not None and len(_WORD.findall(sentence, 0, shell.start())) < SHELL_NOUN_WITHIN
            and _INTRODUCED.search(before) is not None)


def word_keys(text: str) -> list[str]:
    """The keys of ``text``'s words, in order: what a verbatim match compares."""
    return [w.key for w in words(text)]


def normalized(text: str, start: int = 0, end: int | None = None) -> str:
    """The words of ``text`` (or of ``text[start:end]``) as compared for verbatim matches."""
    return " ".join(w.key for w in words(text, start, end))


# Two stems for two jobs, each measured against the other (issue 20): compare aligns words
# and tells names and meanings apart with the light ``stem``, the judge counts shared
# content words with ``suffix_stem``. Either one in both places costs figures: the suffix
# stem in compare loses a name change and an alignment (bench/eval_compare.py), the light
# stem in the judge, even refitted, loses verdict recall (claims-dev 0.637 -> 0.617).


def stem(key: str) -> str:
    """A plural or possessive "s" dropped: "breaks"/"break", "Trump’s"/"Trump"."""
    return key[:-1] if len(key) > 3 and key.endswith("s") and not key.endswith("ss") else key


def suffix_stem(key: str) -> str:
    """A crude stem: "distracting", "distracted", "distracts" -> "distract"."""
    for suffix in ("ing", "ed", "es", "s"):
        if key.endswith(suffix) and len(key) - len(suffix) >= 4 and not key.endswith("ss"):
            key = key[: -len(suffix)]
            break
    return key[:-1] if len(key) > 4 and key.endswith("e") else key


def content_words(keys: list[str]) -> set[str]:
    """The judge's stems of the content words among word keys: function words and numbers
    left out, negations kept (they are evidence that two texts say different things)."""
    return {suffix_stem(k) for k in keys if (k not in STOPWORDS or k in NEGATIONS) and not k.isdigit()}


def sentence_initial(text: str, w: Word, lo: int) -> bool:
    """True when ``w`` opens a sentence (its capital is grammar, not a name)."""
    k = w.start - 1
    while k >= lo and (text[k].isspace() or text[k] in "\"'“‘([«"):
        k -= 1
    return k < lo or text[k] in ".!?:…"
