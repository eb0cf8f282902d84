"""Discord's size limits, in one place: the renderer splits content to fit them.

Lengths are counted in UTF-16 code units (what Discord's clients count), which is
never less than the number of Python characters, so a message that fits here fits
Discord however it counts.
"""
from __future__ import annotations

EMBED_TITLE = 256
EMBED_FIELD_NAME = 256
EMBED_FIELD_VALUE = 1024
EMBED_FOOTER = 2048
EMBED_AUTHOR = 256
EMBED_FIELDS = 25
EMBED_TOTAL = 6000  # title + description + field names and values + footer + author, summed over ALL embeds of a message
EMBEDS_PER_MESSAGE = 10
MESSAGE_CONTENT = 2000
EMBED_URL = 2048
CHOICE_NAME = 100
CHOICES = 25
CHOICE_VALUE = 100
THREAD_NAME = 100


def dlen(text: str | None) -> int:
    """Length as Discord counts it (UTF-16 code units; >= len(text))."""
    if not text:
        return 0
    return len(text.encode("utf-16-le")) // 2
