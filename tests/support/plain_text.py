"""What a reporter should never have to decode in the bot's text: full 16-character ids,
"(s)" plurals or "1 fields"-style ones, character offsets, bare scores, raw timestamps,
headings titled by hex ids. Used on live answers (tests/test_bot_newsroom.py) and on the
recorded transcript (tests/test_transcript.py)."""
from __future__ import annotations

import re

NOUNS = ("outlet", "article", "passage", "story", "message", "field", "rewrite", "quotation", "attribution",
         "pair", "duplicate", "change", "file", "line")
PLURALS = {"story": "stories"}
FULL_ID = re.compile(r"\b[0-9a-f]{16}\b")
ONE_PLURAL = re.compile(r"\b1 (?:" + "|".join(PLURALS.get(n, n + "s") for n in NOUNS) + r")\b")
MANY_SINGULAR = re.compile(r"(?<![\d.,:/-])\b(?:0|[2-9]|[1-9]\d+) (?:" + "|".join(NOUNS) + r")\b(?! of\b)")
RULES = [
    (FULL_ID, "a full 16-character id"),
    (re.compile(r"\(s\)"), "an '(s)' plural"),
    (ONE_PLURAL, "a plural after 1"),
    (MANY_SINGULAR, "a singular after a number other than 1"),
    (re.compile(r"characters \d+\s*[–-]\s*\d+"), "character offsets"),
    (re.compile(r"(?<![\d.])\b[01]\.\d{2,}\b"), "a bare score"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d"), "a raw timestamp"),
    (re.compile(r"^\s*## .*\b[0-9a-f]{8,}\b.*\b[0-9a-f]{8,}\b", re.M), "a title of hex ids"),
]


def problems_in(text: str) -> list[str]:
    """Each thing to decode, with the text around it."""
    return [f"{what}: {m.group(0)!r} in {text[max(0, m.start() - 40):m.end() + 40]!r}"
            for pattern, what in RULES for m in pattern.finditer(text)]
