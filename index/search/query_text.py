"""Claims as reporters paste them, made fit for retrieval.

A tweet arrives with its URLs, ``pic.twitter.com`` links, @handles, #hashtags, emoji and
a trailing "— Name (@handle) January 6, 2020" signature; a headline or a paragraph may
carry the same debris. ``retrieval_text`` removes what only adds noise to BM25 and the
embedding; it is used to search and to judge, never shown and never used to cut quotes.
"""
from __future__ import annotations

import re
import unicodedata

_SIGNATURE = re.compile(
    r"\s*[—–-]{1,2}\s*[^—–\n]{0,80}?\(@\w{1,30}\)\s*"
    r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4})?\s*$",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:https?://|www\.)\S+|pic\.twitter\.com/\S+|\b\w+\.(?:com|org|net|ly|co)/\S*", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@(\w{1,30})")
_HASHTAG = re.compile(r"(?<![\w#])#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)")
_SPACES = re.compile(r"\s+")


def _words_of_tag(tag: str) -> str:
    """#AustralianFires -> "Australian Fires"; #covid19 -> "covid 19"."""
    return _CAMEL.sub(" ", tag.replace("_", " "))


def _no_symbols(text: str) -> str:
    # Emoji and pictographs (Unicode "So"/"Sk"/"Cs") carry no words to match.
    return "".join(" " if unicodedata.category(c) in ("So", "Sk", "Cs", "Co") else c for c in text)


def retrieval_text(query: str) -> str:
    """The query as retrieval sees it; the original when cleaning would leave nothing."""
    text = _SIGNATURE.sub("", query)
    text = _URL.sub(" ", text)
    text = _HASHTAG.sub(lambda m: _words_of_tag(m.group(1)), text)
    text = _HANDLE.sub(lambda m: _words_of_tag(m.group(1)), text)
    text = _no_symbols(text)
    text = _SPACES.sub(" ", text).strip()
    return text if re.search(r"\w", text) else query.strip()
