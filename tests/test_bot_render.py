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
from index.search.results import REPORTED_NOTE, SourceHit, SourcesResult
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
        # the cut falls on whitespace unless there was no whitespace to cut at
        assert not core or not rest or rest[0].isspace() or not any(c.isspace() for c in text[1:len(core)])
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
    [page] = render_sources.sources_pages(SourcesResult("q", [hit]))
    [embed] = page.embeds
    [entry] = embed.fields
    # an unnamed outlet's article is named by what is known (issue 13), never a bare "unknown"
    assert entry.name == f"article {article.article_id[:8]} · close · `{article.article_id[:8]}`"
    assert entry.value == "> A sentence from the article."  # no title, authors or link to show
    assert embed.title == "close · 1 article of unknown outlet"
    assert page.content.startswith("**Found: 1 stored passage(s) from 1 article of unknown outlet state this claim; "
                                   "first dated: none (no stating article gives a date).**")
    [page] = render_articles.article_pages(article, None)
    assert {f.name: f.value for f in page.embeds[0].fields}["date"] == "unknown"


def test_sources_pages_keep_the_engines_order():
    """Ordering is decided once, in the engine (statement groups by relevance, members
    earliest first); the renderer shows the hits in that order."""
    def art(i, outlet, date):
        return Article(f"{i:016x}", f"t{i}", outlet, [], date, None, 10, 1)

    arts = [art(1, "Late Times", "2026-03-01"), art(2, "Early Post", "2026-01-05"), art(3, None, "2025-01-01")]
    hits = [SourceHit(a, quote_of(a, "Words here."), 1.0, "close", 0.5, n) for n, a in enumerate(arts)]
    hits.append(SourceHit(arts[0], quote_of(arts[0], "Other words."), 0.5, "related", 0.3, 3))
    hits.append(SourceHit(arts[1], quote_of(arts[1], "More words."), 0.4, "close", 0.5, 4))
    embeds = [e for page in render_sources.sources_pages(SourcesResult("q", hits)) for e in page.embeds]
    shown = [f.name.rsplit("`", 2)[1] for e in embeds for f in e.fields]
    # stating groups in the engine's order; the related passages after them, together
    assert shown == [a.article_id[:8] for a in arts] + [arts[1].article_id[:8], arts[0].article_id[:8]]
    assert [e.title for e in embeds] == ["close · 1 outlet", "close · 1 outlet", "close · 1 article of unknown outlet",
                                         "close · 1 outlet", render_sources.RELATED_TITLE]


# -- the longest inputs ----------------------------------------------------------------------------


def test_fifty_long_hits_split_into_pages_that_fit():
    hits = []
    texts = {}
    for i in range(50):
        article = make_article(i, long=True)
        text = long_text(2000, seed=i)  # ~20,000 characters, full of Markdown
        texts[article.article_id] = text
        hits.append(SourceHit(article, quote_of(article, text), 1.0, "verbatim", 1.0, i))
    pages = render_sources.sources_pages(SourcesResult("q " * 1000, hits))
    assert_pages_fit(pages)
    assert sum(len(e.fields) for p in pages for e in p.embeds) == 50
    assert assert_quotes_verbatim([e for p in pages for e in p.embeds], texts) == 50
    # a statement group fits its first page whole, its quotes shortened: 8 passages with
    # outlandish metadata (300-character outlets, 40 authors), or 20 with ordinary metadata
    group = [SourceHit(h.article, h.quote, 1.0, "verbatim", 1.0, 0) for h in hits]
    page = render_sources.sources_pages(SourcesResult("q", group[:8]))[0]
    assert_pages_fit([page])
    assert assert_quotes_verbatim(page.embeds, texts) == 8
    ordinary = [SourceHit(make_article(i), Quote(f"{i:016x}", texts[f"{i:016x}"], 0, len(texts[f"{i:016x}"])),
                          1.0, "verbatim", 1.0, 0) for i in range(20)]
    page = render_sources.sources_pages(SourcesResult("q", ordinary))[0]
    assert_pages_fit([page])
    assert assert_quotes_verbatim(page.embeds, texts) == 20
    pages = render_sources.sources_pages(SourcesResult("q", group))
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
    assert assert_quotes_verbatim(embeds, texts) == 2 * 120 + 2 * 1 + 60 + 60
    head = {f.name: f.value for f in embeds[0].fields}
    assert head["reuse"].startswith("B from A: 70% (verbatim 50%, reworded 20%)")


def test_long_lineage_result_fits():
    article = make_article(0, long=True)
    related = [LineageEntry(make_article(i, long=True), ("origin", "derived", "related")[i % 3], 0.5, 0.25,
                            derived_from=f"{i:016x}") for i in range(1, 120)]
    pages = render_analysis.lineage_pages(LineageResult(article, "0" * 16, related, role="derived"))
    assert_pages_fit(pages)
    text = "".join(f.name + f.value for p in pages for e in p.embeds for f in e.fields)
    assert text.count("reuse of this article's text: 50%") == 119


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
    assert_pages_fit(render_help.help_pages([(f"/cmd{i} " + "x" * 500, "d" * 3000) for i in range(80)]))
    assert dlen(render.error_text("e " * 10_000)) <= L.MESSAGE_CONTENT


def test_embed_checker_catches_overflows():
    embed = discord.Embed(title="t" * 300, description="d" * 5000)
    for _ in range(26):
        embed.add_field(name="n", value="v" * 1100)
    problems = message_problems("c" * 2001, [embed] * 11)
    for expected in ("content", "11 embeds", "title", "description", "26 fields", "value", "embed total"):
        assert any(expected in p for p in problems), expected


def test_sources_page_says_found_or_not_found_first_and_marks_reported():
    a, b = make_article(1), make_article(2)
    related = SourceHit(a, Quote(a.article_id, "The ferry strike continued.", 0, 27), 0.1, "related", 0.4, 0)
    [page] = render_sources.sources_pages(SourcesResult("is the bridge closed", [related]))
    assert page.content.startswith("**Not found: no stored passage states this claim. "
                                   "The passages below are only related to it; they do not state it.**")
    [empty] = render_sources.sources_pages(SourcesResult("is the bridge closed", []))
    assert empty.content.startswith("**Not found: no stored passage states this claim.")
    close = SourceHit(b, Quote(b.article_id, "Workers said the strike would go on.", 0, 36), 0.2, "close", 0.8, 1,
                      role="headline", reported=True)
    [page] = render_sources.sources_pages(SourcesResult("the strike goes on", [related, close]))
    assert page.content.startswith(f"**Found: 1 stored passage(s) from 1 outlet state this claim; "
                                   f"first dated: {render.escape(b.outlet)}, {b.published}.**")
    stating, shown_related = [f for e in page.embeds for f in e.fields]
    assert " · close · headline · reported · " in stating.name
    assert page.embeds[0].footer.text == REPORTED_NOTE
    assert " · related · " in shown_related.name and "reported" not in shown_related.name
    assert page.embeds[1].title == render_sources.RELATED_TITLE
