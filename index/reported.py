"""Reported speech: the words that match a claim sit inside a quotation, or after "claims
that", "said that", "it is false that"... The outlet then *reports* the claim (often to
debunk it) rather than states it; ``sources`` marks such hits ``reported``.

A fixed rule, measured on a small hand-labelled sample (BENCHMARKS.md).
"""
from __future__ import annotations

import re

from .judge import content_words, tokens

_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
# Quoted stretches: straight or curly double quotes, guillemets, and curly single quotes
# that open after a space (so apostrophes are not mistaken for quotes).
_QUOTED = re.compile(r"\"[^\"]{3,}\"|“[^”]{3,}”|«[^»]{3,}»|(?:(?<=\s)|^)‘[^’]{3,}’(?!\w)|(?:(?<=\s)|^)'[^']{3,}'(?!\w)")
_CUE = re.compile(
    r"""\b(?:
        (?:claim|allege|assert|insist|suggest|rumou?r|report|argue|contend|maintain|believe|purport|say|said|state|
           tell|told|write|wrote|tweet|post|share|spread|hint|imply|warn|deny|denie)[a-z]*\s+(?:\w+\s+)?that
      | (?:the|a|this|false|viral|bogus)\s+(?:claim|rumou?r|allegation|myth|idea|notion|story|report|assertion|post|meme)s?\s+(?:that|about)
      | it\s+is\s+(?:false|untrue|not\s+true|a\s+myth|wrong|incorrect)\s+(?:that|to\s+say)
      | (?:falsely|wrongly|erroneously|supposedly|purportedly|allegedly)
      | according\s+to
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
MIN_QUOTED_SHARE = 0.6


def is_reported(claim: str, passage: str) -> bool:
    """True when the passage's words matching the claim are quoted, or follow a reporting
    cue ("X claims that", "it is false that", "according to")."""
    wanted = content_words(tokens(claim))
    matched = [m for m in _WORD.finditer(passage) if content_words(tokens(m.group())) & wanted]
    if not matched:
        return False
    quoted = [(q.start(), q.end()) for q in _QUOTED.finditer(passage)]
    inside = sum(1 for m in matched if any(s <= m.start() < e for s, e in quoted))
    if inside / len(matched) >= MIN_QUOTED_SHARE:
        return True
    return _cue_before_most(passage, matched)


def _cue_before_most(passage: str, matched: list[re.Match]) -> bool:
    """A cue counts when it comes before most of the matching words (the reported clause
    follows it), not at the end of the sentence after them."""
    cues = [c.start() for c in _CUE.finditer(passage)]
    if not cues:
        return False
    before = sum(1 for m in matched if m.start() > cues[0])
    return before / len(matched) >= 0.5
