"""Sentence passages: offsets into the unchanged text, and what is not a passage."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from index.ingest.passages import MAX_PASSAGE_CHARS, split_passages
from tests.conftest import ORIGINAL, REWRITE_DATED, REWRITE_UNDATED, SAMPLE_DIR


def texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_passages(text)]


def test_sample_original_skips_byline_and_date_line():
    got = texts((SAMPLE_DIR / ORIGINAL).read_text(encoding="utf-8"))
    assert not any(t.startswith("By GLEN OWEN") or t == "January 12, 2026" for t in got)
    assert got[0].startswith("President Donald Trump has ordered his special forces")
    assert "BOTTOMLINE" not in got  # a one-word section label is not a passage
    # a quotation running over several sentences is split into its sentences
    assert "So they are trying to deflect him with other major military operations." in got


def test_sample_rewrite_drops_ad_markers_and_photo_credits_but_keeps_captions():
    got = texts((SAMPLE_DIR / REWRITE_DATED).read_text(encoding="utf-8"))
    assert not any("Article continues below advertisement" in t or "Source: MEGA" in t for t in got)
    assert not any(t.startswith("date 2026") for t in got)
    assert "Donald Trump pushed military leaders for an invasion plan for Greenland." in got
    assert "Nicolás Maduro was captured on January 3." in got


def test_headline_without_full_stop_is_its_own_passage():
    got = texts((SAMPLE_DIR / REWRITE_UNDATED).read_text(encoding="utf-8"))
    assert got[0] == "Exclusive: Inside Sources Reveal Trump’s Greenland Invasion Plan Amid Military Tensions"


def test_abbreviations_initials_and_ellipses_do_not_end_sentences():
    text = ("Mr. Smith met Dr. J. Jones at 9 a.m. in the U.S. capital. He said the deal... was off. "
            "“It is over.” Then Gen. Lee left.")
    assert texts(text) == [
        "Mr. Smith met Dr. J. Jones at 9 a.m. in the U.S. capital.",
        "He said the deal... was off.",
        "“It is over.”",
        "Then Gen. Lee left.",
    ]


def test_overlong_sentence_is_cut_at_clause_marks_within_the_limit():
    text = "The council said " + ", ".join(f"item number {i} was approved" for i in range(200)) + "."
    spans = split_passages(text)
    assert len(spans) > 1
    assert all(s.end - s.start <= MAX_PASSAGE_CHARS for s in spans)
    assert all(text[s.start].isalnum() or text[s.start] in "“\"'‘" for s in spans)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=600))
def test_spans_are_ordered_trimmed_slices(text):
    previous_end = 0
    for s in split_passages(text):
        assert previous_end <= s.start < s.end <= len(text)
        assert s.end - s.start <= MAX_PASSAGE_CHARS
        piece = text[s.start : s.end]
        assert piece == piece.strip()
        previous_end = s.end
