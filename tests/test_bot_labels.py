"""Labels, marked quotes and the fixed words of issue 13 on constructed results: every kind
of every vocabulary has a human label, marks keep quotes verbatim slices, changes show
once, omitted flags are named, rejected .jsonl lines are listed, errors keep operator
details out."""
from __future__ import annotations

import re

from tests.support.bot_world import assert_quotes_verbatim, message_problems, quotes_in
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import errors
from bot.render import analysis as render_analysis
from bot.render import digest as render_digest
from bot.render.limits import dlen
from bot.render.quote_marks import marked_quote_block
from index import labels
from index.compare.meaning import MEANING_KINDS
from index.compare.quote_changes import QUOTE_EDIT_KINDS
from index.compare.results import AlignedPair, CompareResult, Flag, QuoteChange, Reuse
from index.errors import ServiceError, UserError
from index.ingest.rejections import line_list, rejected_lines, repost_notes
from index.ingest.results import IngestResult
from index.records import Article, Quote, Span
from index.stories.digest import FLAG_KINDS
from index.stories.results import DigestStory, MissingMetadataFlag

TEXT_A = "One source said: 'They have tried to distract President Trump by talking about *less* measures.'"
TEXT_B = 'One source stated: "They have tried to distract Trump by talking about *less* measures."'


def article(i: int, outlet: str | None = "Harbour Herald") -> Article:
    return Article(f"{i:016x}", None, outlet, [], f"2026-01-0{i % 9 + 1}", None, 100, 3)


def quote(a: Article, text: str, start: int = 0, end: int | None = None) -> Quote:
    end = len(text) if end is None else end
    return Quote(a.article_id, text[start:end], start, end)


def word(a: Article, text: str, w: str) -> Quote:
    start = text.index(w)
    return quote(a, text, start, start + len(w))


# -- labels -----------------------------------------------------------------------------------------


def test_every_kind_of_every_vocabulary_has_a_human_label():
    kinds = {*FLAG_KINDS, *QUOTE_EDIT_KINDS, *MEANING_KINDS, "quote_added", "quote_removed", "wording_changed"}
    for kind in kinds:
        assert kind in labels.FLAG_LABELS, kind
        assert "_" not in labels.flag_label(kind)
    for kind in ("origin", "derived", "related", "single", "one_article", "one_outlet", "all_derived",
                 "headline", "standfirst", "body", "verbatim", "reworded"):
        assert "_" not in labels.label(kind) and labels.label(kind)
    assert labels.flag_label("quote_altered") == "quotation altered"
    assert labels.label("some_new_kind") == "some new kind"  # never shown raw


# -- marked quotes ---------------------------------------------------------------------------------


def test_marked_words_are_bold_and_the_quote_stays_a_verbatim_slice():
    a = article(1)
    q = quote(a, TEXT_A)
    block = marked_quote_block(q, [word(a, TEXT_A, "said"), word(a, TEXT_A, "President")], 1024)
    assert "**said**" in block and "**President**" in block
    assert "\\*less\\*" in block  # the passage's own asterisks stay escaped, never read as marks
    assert quotes_in(block) == [TEXT_A]
    # adjacent marked words are one mark; spans outside the quote are ignored
    both = marked_quote_block(q, [word(a, TEXT_A, "President"), word(a, TEXT_A, "Trump"),
                                  Span(len(TEXT_A) + 5, len(TEXT_A) + 9)], 1024)
    assert "**President Trump**" in both and quotes_in(both) == [TEXT_A]


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab *_~`|>#-[]()\\\n.1") + ["😀", "é"]), min_size=1, max_size=300),
       cuts=st.lists(st.tuples(st.integers(0, 300), st.integers(1, 40)), max_size=6),
       limit=st.integers(8, 1024))
def test_marked_quotes_always_unmark_to_a_slice_and_fit(text, cuts, limit):
    a = article(2)
    q = quote(a, text)
    spans = [Span(s, min(len(text), s + n)) for s, n in cuts if s < len(text)]
    block = marked_quote_block(q, spans, limit)
    assert dlen(block) <= limit
    for shown in quotes_in(block):
        assert shown in text or not shown.strip()


# -- compare: each change once ---------------------------------------------------------------------


def compare_result() -> CompareResult:
    a, b = article(1, "The Mail on Sunday"), article(2, None)
    texts = {a.article_id: TEXT_A, b.article_id: TEXT_B}
    qa, qb = quote(a, TEXT_A), quote(b, TEXT_B)
    pair = AlignedPair("verbatim", qa, qb, 0.99, 0.9, diff_a=(Span(11, 15),), diff_b=(Span(11, 17),))
    inner_a, inner_b = quote(a, TEXT_A, 17), quote(b, TEXT_B, 19)
    president = word(a, TEXT_A, "President")
    changes = [QuoteChange("title_changed", inner_a, inner_b, detail_a=(president,),
                           flags=(Flag("title_changed", (president,)),)),
               QuoteChange("attribution_changed", inner_a, inner_b)]
    result = CompareResult(a, b, [pair], [], [], changes, Reuse(0.9, 0.0, 0.9, 0.0))
    result.texts = texts  # for the test only
    return result


def test_compare_folds_quotation_changes_into_their_pair_with_human_labels():
    result = compare_result()
    rows, left = render_analysis.compare_rows(result)
    assert left == [] and len(rows) == 1
    pages = render_analysis.compare_pages(result)
    embeds = [e for p in pages for e in p.embeds]
    assert [e.title for e in embeds] == ["Compare", "Verbatim"]  # no "Changed quotes" repeating the pair
    [match] = [f.value for f in embeds[1].fields if f.name == "match"]
    assert match == ("verbatim · 0.99 · edited · title or name added/removed in quotation · "
                     "attribution changed (speaker or speech verb)")
    value_a = embeds[1].fields[0].value
    assert "**said**" in value_a and "**President**" in value_a
    assert assert_quotes_verbatim(embeds, result.texts) == 2
    assert embeds[0].footer.text == f"A = {result.a.article_id[:8]} · B = {result.b.article_id[:8]}"


def test_a_change_outside_every_pair_is_listed_once():
    result = compare_result()
    a, b = result.a, result.b
    outside = QuoteChange("quote_altered", quote(a, TEXT_A, 0, 16), quote(b, TEXT_B, 0, 18))
    result.pairs = [AlignedPair("reworded", quote(a, TEXT_A, 17), quote(b, TEXT_B, 19), 0.9, 0.5)]
    result.quote_changes = [outside, outside]
    _, left = render_analysis.compare_rows(result)
    assert len(left) == 1 and left[0].labels == ["quotation altered"]


# -- digest ------------------------------------------------------------------------------------------


def test_digest_names_the_omitted_flags_and_the_unknown_outlets():
    a, b = article(1, "Harbour Herald"), article(2, None)
    story = DigestStory(articles=[a, b], lead=quote(a, TEXT_A), flags=[MissingMetadataFlag("unknown_outlet", (b.article_id,))],
                        outlets=["Harbour Herald", None], new={a.article_id, b.article_id},
                        relations={a.article_id: "related", b.article_id: "related"}, origin=None, size=2,
                        flags_omitted=3, omitted_kinds={"quote_altered": 2, "undated": 1})
    [embed] = render_digest.digest_story_embeds(story, 1, 1)
    fields = {f.name: f.value for f in embed.fields}
    assert fields["more flags, not shown"] == "quotation altered (2) · undated (1)"
    assert fields["origin"] == "not determined"
    assert embed.author.name == "Harbour Herald · outlet unknown (1 article)"
    assert "flag · outlet unknown" in fields and fields["flag · outlet unknown"].startswith(f"`{b.article_id[:8]}`")
    assert b.article_id not in embed.footer.text and a.article_id[:8] in embed.footer.text


# -- upload receipts and errors -----------------------------------------------------------------------


def test_rejected_lines_are_listed_with_how_to_repost():
    assert line_list([9, 2, 3, 4, 7, 11, 12]) == "2–4, 7, 9, 11 and 12"
    assert line_list([5]) == "5"
    assert line_list(list(range(1, 100, 2)), limit=3) == "1, 3, 5 and 47 more"
    results = [IngestResult("feed.jsonl:1", "added", article_id="a" * 16),
               IngestResult("feed.jsonl:2", "rejected", error="line 2: not valid JSON"),
               IngestResult("feed.jsonl:7", "rejected", error="line 7: not valid JSON"),
               IngestResult("other.jsonl:3", "rejected", error="line 3: not valid JSON"),
               IngestResult("story.txt", "rejected", error="story.txt is empty")]
    [feed, _other] = rejected_lines(results)
    assert (feed.filename, feed.lines, feed.accepted) == ("feed.jsonl", (2, 7), 1)
    assert repost_notes(results) == [
        ("feed.jsonl: lines 2 and 7 were not added; fix those lines and upload them again as a .jsonl "
         "(lines already added are recognised as duplicates)"),
        "other.jsonl: line 3 was not added; fix that line and upload it again as a .jsonl"]
    from bot.render import articles as render_articles

    [page] = render_articles.ingest_pages(results)
    assert "feed.jsonl: lines 2 and 7 were not added" in page.content
    assert not message_problems(page.content, page.embeds)


def test_errors_keep_operator_details_in_the_log():
    down = ServiceError("cannot reach the Chroma server at db:8000; check CHROMA_HOST/CHROMA_PORT")
    assert errors.reason(down) == errors.SERVICE_UNAVAILABLE and "CHROMA" not in errors.reason(down)
    assert errors.reason(UserError("unknown article id 'x'")) == "unknown article id 'x'"
    assert errors.reason(KeyError("boom")) == errors.INTERNAL_ERROR
    assert not re.search(r"KeyError|Traceback", errors.reason(KeyError("boom")))


def test_a_quotation_new_in_b_is_marked_inside_its_pair():
    result = compare_result()
    a, b = result.a, result.b
    plain_b = 'The minister said the plan was "a disaster" and left.'
    result.texts[b.article_id] = plain_b
    qb = quote(b, plain_b)
    result.pairs = [AlignedPair("reworded", quote(a, TEXT_A), qb, 0.8, 0.5)]
    result.quote_changes = [QuoteChange("quote_added", quote(a, TEXT_A), word(b, plain_b, '"a disaster"'))]
    [row], left = render_analysis.compare_rows(result)
    assert left == [] and row.labels == ["quotation new in B"]
    embeds = [e for p in render_analysis.compare_pages(result) for e in p.embeds]
    [value_b] = [f.value for e in embeds for f in e.fields if f.name.startswith("B ") and "characters" in f.name]
    assert '**"a disaster"**' in value_b
    assert assert_quotes_verbatim(embeds, result.texts) == 2
