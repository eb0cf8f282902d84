"""Datelines: a line that holds nothing but when the article was written or updated. The
one rule (``is_dateline``) that both the passage splitter (a dateline is never a passage)
and passage roles (a stored passage that is one is labelled ``dateline``) read.

Two shapes:
- a date, perhaps with a weekday, a time, a time zone, a label and a place in capitals
  ("Posted on Thu Jun 13, 2013 08:45 AM PDT", "September 18th, 2013, 05:31 GMT",
  "4:31 pm January 5, 2011", "WASHINGTON, DC, April 28, 2009"; ``DATELINE``);
- a short line of version times and dates only ("Last updated 13:26 14 / 09 / 2013"): at
  most DATELINE_MAX_WORDS words, each a number, a month or weekday, a zone or an update label.
"""
from __future__ import annotations

import re

MAX_DATELINE_CHARS = 120
DATELINE_MAX_WORDS = 12
_MONTH = r"(?i:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*)\.?"
_WEEKDAY = r"(?i:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*)\.?,?"
_DAY = r"\d{1,2}(?i:st|nd|rd|th)?"
_ZONE = r"(?:\s?\(?[A-Z]{1,5}(?:\s[A-Z]{1,5})?\)?)"
_TIME = (
    r"(?:\d{1,2}(?:[:.]\d{2}){1,2}\s?(?i:[ap]\.?\s?m\b\.?|[ap]\b)?|\d{1,2}\s?(?i:[ap]\.?\s?m\b)\.?)"
    rf"(?:\s?hrs\b)?{_ZONE}{{0,2}}"
)
_DATE_ONLY = (
    rf"(?:{_WEEKDAY}\s+)?(?:{_MONTH}\s+{_DAY},?\s+\d{{4}}|{_DAY}\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|{_MONTH}\s+\d{{4}})"
)
_SEP = r"\s*(?:[,|/\-–—@]\s*)*(?i:\bat\b)?\s*"
_LABEL = (
    r"(?i:(?:date\s+)?(?:published|updated|last\s+updated|posted|first\s+published|story\s+created|edited|found|created)"
    r"(?:\s+(?:time|on|at))?|date|on)\s*[:\-–—|]?\s*"
)
_STAMP = rf"(?:{_TIME}{_SEP}(?:{_WEEKDAY}\s+)?)?{_DATE_ONLY}(?:{_SEP}{_TIME})?"
# Up to a place in capitals ("WASHINGTON, DC,") before the date; a second, "updated" stamp.
DATELINE = re.compile(
    rf"""^\s*(?:[A-Z][A-Z .]{{1,30}},\s*(?:[A-Z]{{2}},\s*)?)?(?:{_LABEL})?{_STAMP}
        (?:{_SEP}{_LABEL}(?:{_STAMP}|{_TIME}))?
        \s*[.]?\s*$""",
    re.VERBOSE,
)
_DATELINE_WORD = re.compile(
    r"^(?:\d+\w*|[ap]m|gmt|bst|utc|[ecmp][sd]t|et|last|updated?|posted|published|released|at|on|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*)$",
    re.IGNORECASE,
)


def is_dateline(line: str) -> bool:
    """Whether ``line`` holds nothing but a date or version times (either shape above)."""
    if len(line) > MAX_DATELINE_CHARS:
        return False
    if DATELINE.match(line) is not None:
        return True
    words = re.findall(r"\w+", line)
    return 0 < len(words) <= DATELINE_MAX_WORDS and all(_DATELINE_WORD.match(w) for w in words)
