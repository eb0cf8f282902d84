"""Reported speech: the words that match a claim sit inside a quotation, or are attributed
to someone ("X said", "claims that", "according to", "it is false that"...). The outlet
then *reports* the claim (often to debunk it) rather than states it in its own voice;
``sources`` marks such hits ``reported``.

A fixed rule, measured on a small hand-labelled sample (bench/eval_reported.py).
"""
from __future__ import annotations

import re

from index.text.quotations import quoted_stretches
from index.text.words import content_words, word_keys

_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
_SPEECH = (r"(?:say|says|said|saying|tell|tells|told|claim|claims|claimed|claiming|allege|alleges|alleged|"
           r"state|states|stated|insist|insists|insisted|argue|argues|argued|report|reports|reported|"
           r"write|writes|wrote|tweet|tweets|tweeted|add|adds|added|deny|denies|denied|believe|believes|"
           r"believed|suggest|suggests|suggested|warn|warns|warned|announce|announces|announced|"
           r"confirm|confirms|confirmed|estimate|estimates|estimated|assert|asserts|asserted)")
_CUE = re.compile(
    rf"""\b(?:{_SPEECH}
      | (?:the|a|this|false|viral|bogus)\s+(?:claim|rumou?r|allegation|myth|idea|notion|story|assertion|post|meme)s?\s+(?:that|about)
      | it\s+is\s+(?:false|untrue|not\s+true|a\s+myth|wrong|incorrect)\s+(?:that|to\s+say)
      | falsely|wrongly|erroneously|supposedly|purportedly|allegedly
      | according\s+to
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
MIN_QUOTED_SHARE = 0.6


def matched_words(claim: str, passage: str) -> list[re.Match]:
    """The passage's words that share a content word with the claim."""
    wanted = content_words(word_keys(claim))
    return [m for m in _WORD.finditer(passage) if content_words(word_keys(m.group())) & wanted]


def mostly_quoted(passage: str, matched: list[re.Match]) -> bool:
    """At least MIN_QUOTED_SHARE of the matched words sit inside quotation marks."""
    quoted = quoted_stretches(passage)
    inside = sum(1 for m in matched if any(q.start <= m.start() < q.end for q in quoted))
    return inside / len(matched) >= MIN_QUOTED_SHARE


def is_reported(claim: str, passage: str) -> bool:
    """True when most of the passage's words matching the claim are quoted, or attributed:
    they follow a reporting cue ("X said", "claims that", "according to", "it is false
    that"), or a trailing attribution follows them ('..., the minister said.')."""
    matched = matched_words(claim, passage)
    if not matched:
        return False
    if mostly_quoted(passage, matched):
        return True
    for cue in _CUE.finditer(passage):
        after = sum(1 for m in matched if m.start() > cue.start())
        if after / len(matched) >= 0.5:
            return True
        # A trailing attribution: the cue comes after the matching words, right after a
        # comma or a closing quote ("..., Feldman said", '..." said the spokesman').
        if after == 0 and re.search(r"[,\"”]\s*(?:\S+\s+){0,6}$", passage[: cue.start()]):
            return True
    return False

