"""Passage roles, a fixed vocabulary: ``headline``, ``caption`` and ``body``.

Read from the stored text and the passage's position, never from a model:

- ``caption``: a passage on a line that opens with a photo-credit label ("Source: MEGA",
  "Photo:", "Credit:", ...), which the passage splitter leaves out of the passage;
- ``headline``: the first passage of the article when it fills its line alone, ends with
  no full stop, colon or comma (a question mark may end a headline) and is short
  (HEADLINE_MAX_WORDS);
- ``dateline``: a passage that holds only dates and version times (``datelines``; the
  splitter leaves such lines out, so this comes from passages a source gave);
- ``body``: everything else.

A role stored with the passage (``stored``) takes precedence when one is given.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from index.records import Span
from index.text.datelines import is_dateline

ROLES = ("headline", "caption", "dateline", "body")
HEADLINE_MAX_WORDS = 25
_CREDIT_LABEL = re.compile(r"^\s*(?:Source|Photo|Image|Credit|Picture)s?:", re.IGNORECASE)
_SENTENCE_END = re.compile(r"""[.…:;,]["'”’»)\]]*\s*$""")


def _line(text: str, span: Span) -> tuple[int, int]:
    lo = text.rfind("\n", 0, span.start) + 1
    hi = text.find("\n", span.end)
    return lo, len(text) if hi < 0 else hi


def _is_caption(text: str, span: Span) -> bool:
    lo, _ = _line(text, span)
    return bool(_CREDIT_LABEL.match(text[lo : span.start + 1]))


def _is_headline(text: str, span: Span) -> bool:
    lo, hi = _line(text, span)
    alone = not text[lo : span.start].strip() and not text[span.end : hi].strip()
    passage = text[span.start : span.end]
    return alone and not _SENTENCE_END.search(passage) and len(passage.split()) <= HEADLINE_MAX_WORDS


def passage_roles(text: str, passages: Sequence[Span], stored: Sequence[str | None] | None = None) -> list[str]:
    """The role of each passage of ``text``, in order."""
    roles = []
    for k, span in enumerate(passages):
        given = stored[k] if stored is not None and k < len(stored) else None
        if given in ROLES:
            roles.append(given)
        elif _is_caption(text, span):
            roles.append("caption")
        elif is_dateline(text[span.start : span.end]):
            roles.append("dateline")
        elif k == 0 and _is_headline(text, span):
            roles.append("headline")
        else:
            roles.append("body")
    return roles


def can_pair_reworded(role_a: str, role_b: str) -> bool:
    """Headlines and captions are paired in other words only with their own kind: a
    caption or headline set against a body statement is no report of it."""
    return role_a == role_b or (role_a != "body" and role_b != "body")
