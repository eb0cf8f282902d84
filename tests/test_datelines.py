"""Date lines with weekdays, ordinals, times and zones are header lines, not passages."""
from __future__ import annotations

import pytest

from index.ingest.metadata import header_metadata
from index.text.datelines import is_dateline
from index.ingest.passages import split_passages


@pytest.mark.parametrize("line", [
    "September 18th, 2013, 05:31 GMT",
    "Posted on Thu Jun 13, 2013 08:45 AM PDT",
    "SATURDAY, SEPTEMBER 14, 2013, 9:29 PM",
    "May 3rd, 2013 2:00pm EDT",
    "4:31 pm January 5, 2011",
    "14:25 Sun Sep 15 2013",
    "Updated: January 6, 2011, 11:34 AM ET",
    "Aug. 05, 2013 | 2:47 p. m.",
    "WASHINGTON, DC, April 28, 2009",
    "Posted September 26, 2013-3:47pm Updated September 27, 2013-6:56am",
    "January 12, 2026",
])
def test_datelines_are_recognised(line: str) -> None:
    assert is_dateline(line)


@pytest.mark.parametrize("line", [
    "Reid checked herself in on Tuesday, December 9, 2008.",
    "On May 3, 2013 he died.",
    "Cheeks was named the 21st head coach in team history on May 23, 2005.",
    "May 3 was a good day.",
])
def test_sentences_with_dates_are_not_datelines(line: str) -> None:
    assert not is_dateline(line)


def test_dateline_is_not_a_passage_and_gives_the_date() -> None:
    text = "Quake hits coast\n\nSeptember 18th, 2013, 05:31 GMT\n\nA strong earthquake hit the coast on Wednesday. No damage was reported."
    got = [text[s.start : s.end] for s in split_passages(text)]
    assert got == ["Quake hits coast", "A strong earthquake hit the coast on Wednesday.", "No damage was reported."]
    assert header_metadata(text).published == "2013-09-18T05:31:00+00:00"
