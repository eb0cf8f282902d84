"""bot/render/ on constructed results: quotes stay verbatim, messages fit Discord."""
from __future__ import annotations

import discord
from tests.support.bot_world import assert_quotes_verbatim, message_problems, quotes_in, unescape
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import analysis as render_analysis
from bot.render import articles as render_articles
from bot.render import help as render_help
from bot.render import limits as L
from bot.render import primitives as render
from bot.render import sources as render_sources
from bot.render.limits import dlen
from index.compare.results import AlignedPair, CompareResult, QuoteChange, Reuse
from index.ingest.results import IngestResult
from index.records import Article, Quote
from index.search.results import VOICE_NOTE, SourceHit, SourcesResult
from index.stories.results import LineageEntry, LineageResult

MARKDOWN = "*_~`|>#-[]()\\"
WORDS = ["alpha", "*bold*", "_under_", "`code`", "~~gone~~", "||spoiler||", "> not a quote", "# heading",
         "- item", "[link](https://example.com/a_b)", "back\\slash", "émigré", "😀", "@everyone", "<@123>"]


def make_article(i: int, *, long: bool = False, unknown: bool = False) -> Article:
    if unknown:
        return Article(f"{i:016x}", None, None, [], None, None, 100, 1)
    n = 400 if long else 1
    return Article(
        article_id=f"{i:016x}",
        title=("Headline *with* markdown " * n).strip(),
        outlet=("Outlet_" + "x" * (300 if long else 5)),
        authors=[f"Author {j}" for j in range(40 if long else 2)],
        published=f"2026-01-{i % 28 + 1:02d}",
        url="https://example.com/" + ("a_b/" * (800 if long else 1)),
        chars=10_000,
        passages=50,
        source_name="file_" + "y" * (300 if long else 3) + ".txt",
    )


def long_text(n_words: int, seed: int = 0) -> str:
    return " ".join(WORDS[(seed + k) % len(WORDS)] + str(k) for k in range(n_words))


def quote_of(article: Article, text: str) -> Quote:
    return Quote(article.article_id, text, 0, len(text))


def assert_pages_fit(pages: list[render.Page]) -> None:
    assert pages
    for page in pages:
        problems = message_problems(page.content, page.embeds)
        assert not problems, problems


# -- primitives ----------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab cd\n\t" + MARKDOWN + "é😀")), max_size=400),
       limit=st.integers(min_value=1, max_value=300), keep=st.sampled_from(["start", "end"]))
def test_shorten_cuts_at_word_boundaries_and_keeps_a_substring(text, limit, keep):
    out = render.shorten(text, limit, keep=keep)
    assert dlen(out) <= limit
    if dlen(text) <= limit:
        assert out == text
        return
    core = out.strip(render.ELLIPSIS) if out != render.ELLIPSIS else ""
    assert core in text
    if keep == "start":
        assert out.endswith(render.ELLIPSIS) and text.startswith(core)
        rest = text[len(core):]
        # the cut falls on whitespace unless there was no whitespace to cut at (leading
        # whitespace is none: cutting there would keep nothing)
        assert not core or not rest or rest[0].isspace() or not any(c.isspace() for c in core.lstrip()[1:])
    else:
        assert out.startswith(render.ELLIPSIS) and text.endswith(core)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab cd\n" + MARKDOWN + "…😀")), min_size=1, max_size=600),
       limit=st.integers(min_value=20, max_value=1024))
def test_quote_block_round_trips_to_a_verbatim_substring(text, limit):
    block = render.quote_block(text, limit)
    assert dlen(block) <= limit
    [quote] = quotes_in(block)
    assert quote in text
    whole = render.blockquote(render.escape(text))
    if dlen(whole) <= limit:
        assert block == whole  # nothing left out when it fits


def test_markdown_in_quotes_is_escaped_not_interpreted():
    text = "He said *never* and _always_ ~~maybe~~ `x` ||y|| > z"
    block = render.quote_block(text, 1000)
    assert block.startswith("> ") and "\\*never\\*" in block and "\\_always\\_" in block
    assert unescape(block[2:]) == text


def test_unknown_metadata_is_left_out_of_claim_card_entries():
    article = make_article(1, unknown=True)
    hit = SourceHit(article, quote_of(article, "A sentence from the article."), 1.0, "close", 0.8, 0)
    [page] = render_sources.sources_card(SourcesResult("q", [hit])).pages
    [embed] = page.embeds
    [entry] = embed.fields
    # unknown metadata is said to be unknown, never invented; undated is shown as "undated"
    assert entry.name == f"outlet unknown · undated · close · `{article.article_id[:8]}`"
    assert entry.value == "> A sentence from the article."  # no title, authors or link to show
    assert embed.title == "close · stated by 1 article of unknown outlet"
    assert page.content.startswith("**Found: stated by 1 article of unknown outlet; none of them gives a date.**")
    [page] = render_articles.article_pages(article, None)
    assert page.embeds[0].author.name == "outlet unknown · undated"


def test_sources_pages_keep_the_engines_order():
    """Ordering is decided once, in the engine (statement groups by relevance, members
    earliest first); the renderer shows the hits in that order."""
    def art(i, outlet, date):
        return Article(f"{i:016x}", f"t{i}", outlet, [], date, None, 10, 1)

    arts = [art(1, "Late Times", "2026-03-01"), art(2, "Early Post", "2026-01-05"), art(3, None, "2025-01-01")]
    hits = [SourceHit(a, quote_of(a, "Words here."), 1.0, "close", 0.5, n) for n, a in enumerate(arts)]
    hits.append(SourceHit(arts[0], quote_of(arts[0], "Other words."), 0.5, "related", 0.3, 3))
    hits.append(SourceHit(arts[1], quote_of(arts[1], "More words."), 0.4, "close", 0.5, 4))
    embeds = [e for page in render_sources.sources_card(SourcesResult("q", hits)).pages for e in page.embeds]
    shown = [f.name.rsplit("`", 2)[1] for e in embeds for f in e.fields]
    # stating groups in the engine's order; the related passages after them, together
    assert shown == [a.article_id[:8] for a in arts] + [arts[1].article_id[:8], arts[0].article_id[:8]]
    assert [e.title for e in embeds] == ["close · stated by 1 outlet", "close · stated by 1 outlet",
                                         "close · stated by 1 article of unknown outlet",
                                         "close · stated by 1 outlet", render_sources.RELATED_TITLE]


# -- the longest inputs ----------------------------------------------------------------------------


def test_fifty_long_hits_split_into_pages_that_fit():
    hits = []
    texts = {}
    for i in range(50):
        article = make_article(i, long=True)
        text = long_text(2000, seed=i)  # ~20,000 characters, full of Markdown
        texts[article.article_id] = text
        hits.append(SourceHit(article, quote_of(article, text), 1.0, "verbatim", 1.0, i))
    pages = render_sources.sources_card(SourcesResult("q " * 1000, hits)).pages
    assert_pages_fit(pages)
    assert sum(len(e.fields) for p in pages for e in p.embeds) == 50
    assert assert_quotes_verbatim([e for p in pages for e in p.embeds], texts) == 50
    # a statement group fits its first page whole, its quotes shortened: 8 passages with
    # outlandish metadata (300-character outlets, 40 authors), or 20 with ordinary metadata
    group = [SourceHit(h.article, h.quote, 1.0, "verbatim", 1.0, 0) for h in hits]
    page = render_sources.sources_card(SourcesResult("q", group[:8])).pages[0]
    assert_pages_fit([page])
    assert assert_quotes_verbatim(page.embeds, texts) == 8
    ordinary = [SourceHit(make_article(i), Quote(f"{i:016x}", texts[f"{i:016x}"], 0, len(texts[f"{i:016x}"])),
                          1.0, "verbatim", 1.0, 0) for i in range(20)]
    page = render_sources.sources_card(SourcesResult("q", ordinary)).pages[0]
    assert_pages_fit([page])
    assert assert_quotes_verbatim(page.embeds, texts) == 20
    pages = render_sources.sources_card(SourcesResult("q", group)).pages
    assert_pages_fit(pages)
    assert assert_quotes_verbatim([e for p in pages for e in p.embeds], texts) == 50


def test_long_compare_result_fits():
    a, b = make_article(1, long=True), make_article(2, long=True)
    ta, tb = long_text(3000, 1), long_text(3000, 2)
    texts = {a.article_id: ta, b.article_id: tb}
    qa, qb = quote_of(a, ta), quote_of(b, tb)
    half_a, half_b = ta.index(" ", len(ta) // 2), tb.index(" ", len(tb) // 2)
    pa, pb = Quote(a.article_id, ta[:half_a], 0, half_a), Quote(b.article_id, tb[:half_b], 0, half_b)
    ca = Quote(a.article_id, ta[half_a + 1:], half_a + 1, len(ta))
    cb = Quote(b.article_id, tb[half_b + 1:], half_b + 1, len(tb))
    pairs = [AlignedPair("verbatim" if i % 2 else "reworded", pa, pb, 0.9, 0.8) for i in range(120)]
    # changes of the same two quotations are one row; outside every pair, so not folded
    changes = [QuoteChange("quote_altered", ca, cb) for _ in range(40)]
    result = CompareResult(a, b, pairs, [qa] * 60, [qb] * 60, changes, Reuse(0.5, 0.2, 0.4, 0.1))
    pages = render_analysis.compare_pages(result)
    assert_pages_fit(pages)
    embeds = [e for p in pages for e in p.embeds]
    # pairs without a change are on the attached page only; the 40 changes of one pair of
    # quotations are one row; each passage only in A or only in B is shown
    assert assert_quotes_verbatim(embeds, texts) == 2 * 1 + 60 + 60
    # the finding first, as the first embed's title, then the most serious change in the first embed
    assert embeds[0].title.startswith("B (") and " rewrites A (" in embeds[0].title
    assert embeds[0].title.endswith(": 70% of B comes from A; 1 quotation changed")
    assert "quotation altered" in embeds[0].fields[0].name


def test_long_lineage_result_fits():
    article = make_article(0, long=True)
    related = [LineageEntry(make_article(i, long=True), ("origin", "derived", "related")[i % 3], 0.5, 0.25,
                            derived_from=f"{i:016x}", reuse_from_parent=0.5) for i in range(1, 120)]
    pages = render_analysis.lineage_pages(LineageResult(article, "0" * 16, related, role="derived"))
    assert_pages_fit(pages)
    text = "".join(e.description for p in pages for e in p.embeds)
    assert text.count("50% copied from") == sum(1 for e in related if e.derived_from)
    first = pages[0].embeds[0].title
    assert first.startswith("First: ") and "; 41 rewrites; 40 related" in first


def test_many_long_ingest_results_fit():
    results = [IngestResult("f_" * 300 + f"{i}.txt", "rejected", error="bad *file* " * 500) for i in range(300)]
    results += [IngestResult(f"{i}.txt", "added", article_id=f"{i:016x}", article=make_article(i, long=True))
                for i in range(300)]
    results += [IngestResult("dup.txt", "duplicate", article_id="0" * 16, duplicate_of="0" * 16,
                             article=make_article(0))]
    pages = render_articles.ingest_pages(results)
    assert_pages_fit(pages)
    assert "300 added · 1 duplicate · 300 rejected" in pages[0].content
    assert sum(len(e.fields) for p in pages for e in p.embeds) == len(results)
    assert render_articles.ingest_status_emoji(results) == "⚠️"
    assert render_articles.ingest_status_emoji(results[:1]) == "❌" and render_articles.ingest_status_emoji(results[300:301]) == "✅"


def test_long_article_views_fit():
    articles = [make_article(i, long=True) for i in range(10)]
    assert_pages_fit([render_articles.articles_page(articles, page=3, has_next=True, outlet="o" * 5000)])
    text = long_text(3000)
    pages = render_articles.article_pages(articles[0], quote_of(articles[0], text))
    assert_pages_fit(pages)
    assert_quotes_verbatim(pages[0].embeds, {articles[0].article_id: text})


def test_help_and_errors_fit():
    commands = [render_help.CommandHelp(f"cmd{i}", f"/cmd{i} " + "x" * 500, "d" * 3000,
                                        [(f"opt{j}", "o" * 100, j == 0) for j in range(25)]) for i in range(80)]
    assert_pages_fit(render_help.help_pages(commands, inbox_channel="i" * 200, stats={"articles": 1, "passages": 2},
                                            digest="off"))
    assert_pages_fit([render_help.command_page(c) for c in commands])
    assert dlen(render.error_text("e " * 10_000)) <= L.MESSAGE_CONTENT


def test_embed_checker_catches_overflows():
    embed = discord.Embed(title="t" * 300, description="d" * 5000)
    for _ in range(26):
        embed.add_field(name="n", value="v" * 1100)
    problems = message_problems("c" * 2001, [embed] * 11)
    for expected in ("content", "11 embeds", "title", "description", "26 fields", "value", "embed total"):
        assert any(expected in p for p in problems), expected


def test_sources_page_says_found_or_not_found_first_and_shows_the_voice():
    a, b = make_article(1), make_article(2)
    related = SourceHit(a, Quote(a.article_id, "The ferry strike continued.", 0, 27), 0.1, "related", 0.4, 0)
    [page] = render_sources.sources_card(SourcesResult("is the bridge closed", [related])).pages
    assert page.content.startswith("**Not found: no stored passage states “is the bridge closed”; searched every "
                                   "stored article. The related passages below do not state it.**")
    searched = render_sources.Searched(12, 4)
    [empty] = render_sources.sources_card(SourcesResult("is the bridge closed", []), searched=searched).pages
    # "Not found" says what was searched
    assert empty.content.startswith("**Not found: no stored passage states “is the bridge closed”; searched "
                                    "12 articles from 4 outlets. Nothing stored is related to it either.**")
    close = SourceHit(b, Quote(b.article_id, "Workers said the strike would go on.", 0, 36), 0.2, "close", 0.8, 1,
                      role="headline", voice="quoted",
                      voice_who=Quote(b.article_id, "Workers", 0, 7))
    [page] = render_sources.sources_card(SourcesResult("the strike goes on", [related, close])).pages
    assert page.content.startswith(f"**Found: stated by 1 outlet; first: {render.escape(b.outlet)}, {b.published}.**")
    stating, shown_related = [f for e in page.embeds for f in e.fields]
    assert " · headline · close · quoted: Workers · " in stating.name
    assert page.embeds[0].footer.text == VOICE_NOTE
    assert " · related · " in shown_related.name and "quoted" not in shown_related.name
    assert page.embeds[1].title == render_sources.RELATED_TITLE


def test_card_shows_byline_and_voice_note_once_and_three_related_passages():
    a, b = make_article(1), make_article(2)
    quotes = [f"Sentence number {n} of the story." for n in range(6)]
    stating = [SourceHit(a, quote_of(a, q), 1.0, "close", 0.8, 0, voice="quoted") for q in quotes[:2]]
    stating += [SourceHit(a, quote_of(a, quotes[2]), 1.0, "close", 0.8, 1, voice="quoted")]
    related = [SourceHit(b, quote_of(b, q), 0.1, "related", 0.3, 2 + n) for n, q in enumerate(quotes)]
    card = render_sources.sources_card(SourcesResult("the story", stating + related))
    embeds = [e for p in card.pages for e in p.embeds]
    values = [f.value for e in embeds for f in e.fields]
    assert sum("by Author 0" in v for v in values) == 2  # once per article: a's and b's
    assert [e.footer.text for e in embeds].count(VOICE_NOTE) == 1
    shown_related = [f for e in embeds if e.title == render_sources.RELATED_TITLE for f in e.fields]
    assert len(shown_related) == render_sources.RELATED_ON_CARD and card.more_count == 6 - 3
    assert sum(len(e.fields) for p in card.more for e in p.embeds) == 3


def test_a_passage_saying_the_opposite_is_counted_apart_and_read_as_such():
    a = make_article(3)
    opposite = SourceHit(a, Quote(a.article_id, "The union opposes the strike.", 0, 29), 0.3, "contradicts", 0.6, 0)
    result = SourcesResult("the union backs the strike", [opposite])
    assert not result.found and result.to_json()["outlets_contradicting"] == [a.outlet]
    [page] = render_sources.sources_card(result).pages
    assert page.content.startswith("**Not found: no stored passage states “the union backs the strike”; searched "
                                   "every stored article. 1 outlet says the opposite.")
    [entry] = [f for e in page.embeds for f in e.fields]
    assert " · says the opposite · " in entry.name
    assert page.embeds[0].title == "says the opposite · 1 outlet"


def test_a_passage_opening_with_they_shows_the_sentence_before_it_once():
    """The sentence that says who "They" are comes first, in italics, a verbatim block of its
    own; not again when the entry above is that sentence."""
    a = make_article(4)
    text = "The dock workers met the council. They oppose the harbour expansion."
    before, passage = Quote(a.article_id, text[:33], 0, 33), Quote(a.article_id, text[34:], 34, len(text))
    they = SourceHit(a, passage, 1.0, "close", 0.8, 0, context=before)
    [page] = render_sources.sources_card(SourcesResult("the dock workers oppose the expansion", [they])).pages
    [entry] = [f for e in page.embeds for f in e.fields]
    assert entry.value.startswith("> *The dock workers met the council.*\n\n> They oppose")
    assert quotes_in(entry.value)[:2] == [before.text, passage.text]
    assert assert_quotes_verbatim(page.embeds, {a.article_id: text}) == 2
    first = SourceHit(a, before, 1.0, "close", 0.8, 0)
    [page] = render_sources.sources_card(SourcesResult("the dock workers oppose the expansion", [first, they])).pages
    values = [f.value for e in page.embeds for f in e.fields]
    assert values[1].startswith("> They oppose") and "met the council" not in values[1]
