"""Direct-quotation extraction: marks, apostrophes, nesting, multi-paragraph quotations
and attribution phrases."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from index.text.quotations import Quotation, find_quotations


def quoted_text(text: str, quotation: Quotation) -> str:
    """The quoted words, paragraph by paragraph, without marks."""
    return " ".join(text[p.start : p.end] for p in quotation.parts)


SAMPLE = Path(__file__).parent.parent / "sample_corpus"
ORIGINAL = (SAMPLE / "000_1929e489469e94e8.txt").read_text(encoding="utf-8")
REWRITE = (SAMPLE / "001_34ca63989ef690dc.txt").read_text(encoding="utf-8")
UNDATED = (SAMPLE / "003_31c3cd67ccc5e9e6.txt").read_text(encoding="utf-8")


def texts(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotations(text)]


def attribution(text: str, q: Quotation) -> str | None:
    return text[q.attribution.start : q.attribution.end] if q.attribution else None


def find(text: str, opening: str) -> Quotation:
    return next(q for q in find_quotations(text) if text[q.start : q.end].startswith(opening))


def test_curly_and_straight_double_quotes() -> None:
    text = 'He said “we will win” and she said "we will not".'
    assert texts(text) == ["“we will win”", '"we will not"']


def test_mixed_straight_open_curly_close() -> None:
    text = 'The cable outlines: "For domestic reasons, he can start.”'
    assert texts(text) == ['"For domestic reasons, he can start.”']


def test_apostrophes_do_not_open_or_close() -> None:
    text = "Trump’s aides say it’s over: ‘The plan’s dead, and the generals’ patience too.’ Mr Smith's view differs."
    assert texts(text) == ["‘The plan’s dead, and the generals’ patience too.’"]


def test_straight_apostrophes_in_double_quotes() -> None:
    text = 'Sources reveal that Trump\'s "hawks," led by Miller\'s team, want it.'
    assert texts(text) == ['"hawks,"']


def test_nested_quotation_gets_depth_one() -> None:
    text = "One source said: ‘They talked about Russian ‘ghost’ ships - or a strike on Iran.’"
    found = find_quotations(text)
    assert [text[q.start : q.end] for q in found] == [
        "‘They talked about Russian ‘ghost’ ships - or a strike on Iran.’",
        "‘ghost’",
    ]
    assert [q.depth for q in found] == [0, 1]
    assert attribution(text, found[0]) == "One source said"


def test_unclosed_quotation_continues_into_next_paragraph() -> None:
    text = "The cable says: ‘For domestic reasons, he can start.\n\n‘Officials fear the window is closing’.\n\nNext."
    (q,) = find_quotations(text)
    assert text[q.start : q.end] == "‘For domestic reasons, he can start.\n\n‘Officials fear the window is closing’"
    assert [text[p.start : p.end] for p in q.parts] == [
        "For domestic reasons, he can start.",
        "Officials fear the window is closing",
    ]
    assert q.closed
    assert attribution(text, q) == "The cable says"


def test_unclosed_quotation_ends_with_its_paragraph() -> None:
    text = "A source said: ‘The generals think it is crazy. They say it’s absurd.\n\nBOTTOMLINE\n\nMore text."
    (q,) = find_quotations(text)
    assert text[q.start : q.end] == "‘The generals think it is crazy. They say it’s absurd."
    assert not q.closed


def test_straight_single_mark_left_open_is_an_apostrophe() -> None:
    assert texts("Music of the '90s was louder.\n\nYes.") == []


def test_attribution_after_the_quotation() -> None:
    text = "It was like “managing a five-year-old,” according to a senior officer."
    (q,) = find_quotations(text)
    assert attribution(text, q) == "according to a senior officer"
    text = "‘We will not back down,’ the minister said on Friday."
    (q,) = find_quotations(text)
    assert attribution(text, q) == "the minister said"


def test_no_tag_across_a_sentence_end_inside_the_marks() -> None:
    text = 'The cable describes "the destruction of NATO from the inside." It adds, "Some fear this."'
    first, second = find_quotations(text)
    assert attribution(text, first) == "The cable describes"
    assert attribution(text, second) == "It adds"


def test_attribution_from_a_colon_in_the_previous_paragraph() -> None:
    text = "The minister added:\n\n‘We will not back down.’"
    (q,) = find_quotations(text)
    assert attribution(text, q) == "The minister added"


def test_sample_original() -> None:
    found = find_quotations(ORIGINAL)
    cable = find(ORIGINAL, "‘For domestic political reasons")
    assert len(cable.parts) == 2 and ORIGINAL[cable.end - 1] == "’"
    assert ORIGINAL[cable.parts[1].start :].startswith("European officials fear")
    generals = find(ORIGINAL, "‘The generals think")
    assert not generals.closed and ORIGINAL[generals.start : generals.end].endswith("a five-year-old.")
    assert attribution(ORIGINAL, generals) == "A diplomatic source said"
    ghost = find(ORIGINAL, "‘ghost’")
    assert ghost.depth == 1
    assert attribution(ORIGINAL, find(ORIGINAL, "‘They have tried")) == "One source said"
    assert attribution(ORIGINAL, find(ORIGINAL, "‘The current concerns")) == "It concludes"
    # No apostrophe (Trump’s, it’s, UK’s) ever bounds a quotation.
    for q in found:
        assert ORIGINAL[q.start] in "‘“" and (not q.closed or ORIGINAL[q.end - 1] in "’”")


def test_sample_rewrites() -> None:
    assert attribution(REWRITE, find(REWRITE, '"They have tried')) == "One source stated"
    assert attribution(REWRITE, find(REWRITE, '"For domestic')) == "The cable outlines"
    assert attribution(UNDATED, find(UNDATED, "“managing")) == "according to a senior officer"
    assert attribution(UNDATED, find(UNDATED, "“diplomatic victory”")) == "according to the diplomatic cables"
    assert attribution(UNDATED, find(UNDATED, "“destruction")) == "the cables warn"
    assert attribution(UNDATED, find(UNDATED, "“cat-and-mouse")) == "One insider described"


_PIECES = st.sampled_from(
    ["word", " ", "  ", "\n", "\n\n", "‘", "’", "“", "”", '"', "'", "it’s", "Trump’s", ".", ",", ": ", "said", "(", "—"]
)


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_offsets_always_index_the_text(text: str) -> None:
    for q in find_quotations(text):
        assert 0 <= q.start < q.end <= len(text)
        for part in q.parts:
            assert q.start < part.start <= part.end <= q.end
        if q.attribution:
            assert 0 <= q.attribution.start < q.attribution.end <= len(text)
        assert isinstance(quoted_text(text, q), str)


# -- text tokenized with spaces around marks (real wire copies, issue 12) ----------------


def test_spaced_straight_close_ends_the_quotation() -> None:
    text = '"Thompson was not so easy to box. I\'m satisfied, " Klitschko said after the fight.'
    (q,) = find_quotations(text)
    assert text[q.start : q.end] == '"Thompson was not so easy to box. I\'m satisfied, "'
    assert attribution(text, q) == "Klitschko said"


def test_typewriter_double_single_marks_open_speech() -> None:
    text = "''The fall was unsurvivable,\" Inspector Gaskin said."
    (q,) = find_quotations(text)
    assert quoted_text(text, q) == "The fall was unsurvivable,"
    assert attribution(text, q) == "Inspector Gaskin said"


def test_spaced_curly_marks_and_long_speaker_names() -> None:
    text = "“ It ’ s disappointing to hear about it, ” general manager A. J. Smith said."
    (q,) = find_quotations(text)
    assert quoted_text(text, q) == "It ’ s disappointing to hear about it,"
    text = '"I see many houses were damaged, " central Aceh district resident Bensu Elianita told the Associated Press.'
    (q,) = find_quotations(text)
    assert attribution(text, q) == "central Aceh district resident Bensu Elianita told"
