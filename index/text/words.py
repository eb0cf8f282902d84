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

STOPWORDS = frozenset(
    """a an the and or but of to in on at by for from with as into onto over under about after
    before than then that this these those it its it's he she they we i you him her them us his
    their our my your is are was were be been being has have had do does did will would shall
    should can there here which who whom whose what when where while so such also just very
    more most some any all both each other not no""".split()
)


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


def word_keys(text: str) -> list[str]:
    """The keys of ``text``'s words, in order: what a verbatim match compares."""
    return [w.key for w in words(text)]


def normalized(text: str) -> str:
    """The words of ``text`` as compared for verbatim matches."""
    return " ".join(word_keys(text))


def stem(key: str) -> str:
    # Enough to align "breaks"/"break" and "Trump’s"/"Trump" when looking for anchors.
    return key[:-1] if len(key) > 3 and key.endswith("s") and not key.endswith("ss") else key


# The judge's content words (search/judge.py, search/reported.py): function words and
# reporting verbs left out; negations kept (they are evidence).
CONTENT_STOPWORDS = frozenset("""a an the this that these those it its he she they we i you there here his her
    their our my your him them us me and or but so yet if then than as of in on at for from with by to into onto
    over under about after before during while when where which who whom whose what why how is are was were be
    been being am do does did has have had having will would shall should can could may might must just also
    only very too some any all each every both either more most other such own same few many much one says said
    say""".split())
NEGATIONS = frozenset("""not no never none nobody nothing neither nor without dont doesnt didnt isnt arent wasnt
    werent cant cannot couldnt wont wouldnt shouldnt hasnt havent hadnt aint""".split())
_SUFFIXES = ("ing", "ed", "es", "s")


def suffix_stem(key: str) -> str:
    """A crude stem: "distracting", "distracted", "distracts" -> "distract"."""
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= 4 and not key.endswith("ss"):
            key = key[: -len(suffix)]
            break
    return key[:-1] if len(key) > 4 and key.endswith("e") else key


def content_words(keys: list[str]) -> set[str]:
    """Stems of the content words among word keys (numbers left out)."""
    return {suffix_stem(k) for k in keys if k not in CONTENT_STOPWORDS and not k.isdigit()}


def sentence_initial(text: str, w: Word, lo: int) -> bool:
    """True when ``w`` opens a sentence (its capital is grammar, not a name)."""
    k = w.start - 1
    while k >= lo and (text[k].isspace() or text[k] in "\"'“‘([«"):
        k -= 1
    return k < lo or text[k] in ".!?:…"
