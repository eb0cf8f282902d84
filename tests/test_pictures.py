"""The story (lineage/digest) picture and the claim timeline: the drawn graph as data on the
sample corpus, every text in the picture metadata or a fixed label, undated articles in
their own lane, valid small PNGs, thread-safe drawing, and the CLI's --png."""
from __future__ import annotations

import json
import re
import struct
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import matplotlib.text
import pytest

from index.cli.commands import main
from index.naming import display_name
from index.pictures.claim_timeline import (
    EARLIEST,
    MATCH_STYLE,
    REPORTED,
    REPORTED_LEGEND,
    ClaimTimeline,
    draw_timeline,
    timeline_data,
    timeline_figure,
    timeline_png,
)
from index.pictures.story_picture import (
    ARROW_LABEL,
    QUERIED_LABEL,
    RELATION_STYLE,
    StoryEdge,
    StoryNode,
    StoryPicture,
    draw_story,
    from_digest_story,
    from_lineage,
    lineage_png,
    story_figure,
)
from index.pictures.style import DATE_AXIS, UNDATED_LANE, NothingToDraw, period
from index.search.results import STATING, SourcesResult
from index.stories.digest import digest

ORIGINAL = "000_1929e489469e94e8.txt"
REWRITE_DATED = "001_34ca63989ef690dc.txt"
REWRITE_UNDATED = "003_31c3cd67ccc5e9e6.txt"
CLAIM = "Trump plans to invade Greenland"
MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_PNG_BYTES = 1_000_000  # a picture Discord shows inline and a phone loads quickly


def node_of(picture, article_id: str):
    return next(n for n in picture.nodes if n.article_id == article_id)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk, after checking the signature."""
    assert png[:8] == PNG_MAGIC and png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def assert_small_png(png: bytes) -> None:
    width, height = png_size(png)
    assert len(png) < MAX_PNG_BYTES
    assert width == 1200 and 600 <= height <= 1400


def figure_texts(fig) -> tuple[set[str], set[str]]:
    """(texts drawn outside the date axis's ticks, tick texts of the date axis)."""
    fig.canvas.draw()
    ticks: set[str] = set()
    for ax in fig.axes:
        if ax.get_xlabel() == DATE_AXIS:
            ticks |= {t.get_text() for t in ax.get_xticklabels()} | {ax.xaxis.get_offset_text().get_text()}
    texts = {t.get_text() for t in fig.findobj(matplotlib.text.Text)} - {""}
    return texts - ticks, ticks - {""}


def assert_only_labels_and_dates(fig, allowed: list[str]) -> None:
    texts, ticks = figure_texts(fig)
    assert texts <= set(allowed), texts - set(allowed)
    for tick in ticks:  # numbers and month abbreviations only
        assert all(part.isdigit() or part in MONTHS for part in re.split(r"[-: ]", tick) if part), tick


def scatter_rows(ax) -> set[int]:
    return {round(float(y)) for c in ax.collections for _, y in c.get_offsets()}


# -- the story picture -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ids(sample_engine) -> dict[str, str]:
    return sample_engine.ids


def test_lineage_picture_has_the_story_as_nodes_and_edges(sample_engine, ids):
    result = sample_engine.lineage(ids[REWRITE_UNDATED])
    picture = from_lineage(result)
    origin = ids[ORIGINAL]
    assert picture.origin == origin == result.origin
    # rows: the dated articles by date, then the undated one
    assert [n.article_id for n in picture.nodes] == [ids[ORIGINAL], ids[REWRITE_DATED], ids[REWRITE_UNDATED]]
    assert [n.lane for n in picture.nodes] == ["dated", "dated", "undated"]
    assert [n.date for n in picture.nodes] == ["2026-01-12", "2026-02-09", None]
    assert node_of(picture, origin).relation == "origin"
    assert node_of(picture, ids[REWRITE_UNDATED]).queried and sum(n.queried for n in picture.nodes) == 1
    # outlets as labels; an article without one is named as everywhere else, never invented
    articles = {a.article_id: a for a in [result.article, *(e.article for e in result.related)]}
    for node in picture.nodes:
        article = articles[node.article_id]
        assert node.label == (article.outlet or display_name(article))
        assert node.outlet == article.outlet
    assert node_of(picture, origin).label == "The Mail on Sunday"
    assert node_of(picture, ids[REWRITE_UNDATED]).label.startswith("Exclusive: Inside Sources")
    # one arrow per rewrite to its parent, with the share the lineage result gives
    shares = {e.article.article_id: e.reuse_from_parent for e in result.related if e.derived_from}
    shares[ids[REWRITE_UNDATED]] = result.reuse_from_parent
    expected = {(ids[REWRITE_DATED], origin), (ids[REWRITE_UNDATED], origin)}
    assert {(e.child, e.parent) for e in picture.edges} == expected
    for e in picture.edges:
        assert e.share == shares[e.child] and e.label() == f"{round(100 * e.share)}%"
        assert 0 < e.share <= 1
    assert_small_png(draw_story(picture))
    assert lineage_png(result)[:8] == PNG_MAGIC


def test_story_figure_writes_only_metadata_and_fixed_labels(sample_engine, ids):
    picture = from_lineage(sample_engine.lineage(ids[REWRITE_UNDATED]))
    fig = story_figure(picture)
    assert_only_labels_and_dates(fig, picture.texts())
    texts, _ = figure_texts(fig)
    assert picture.edges and all(e.label() in texts for e in picture.edges)
    assert {RELATION_STYLE["origin"][0], RELATION_STYLE["derived"][0], QUERIED_LABEL, ARROW_LABEL} <= texts
    vocabulary = {label for label, *_ in RELATION_STYLE.values()} | {QUERIED_LABEL, ARROW_LABEL, DATE_AXIS,
                                                                    UNDATED_LANE}
    for node in picture.nodes:  # each row: the name, then the stored date (or "undated") and short id
        name, rest = node.row_label().split("\n")
        assert node.label.startswith(name.rstrip("…"))
        assert rest == f"{node.date or 'undated'} · {node.article_id[:8]}"
    assert set(picture.legend()) <= vocabulary


def test_undated_articles_are_drawn_only_in_their_own_lane(sample_engine, ids):
    picture = from_lineage(sample_engine.lineage(ids[ORIGINAL]))
    fig = story_figure(picture)
    lanes = {ax.get_xlabel(): ax for ax in fig.axes}
    assert set(lanes) == {DATE_AXIS, UNDATED_LANE}
    rows = {n.article_id: i for i, n in enumerate(picture.nodes)}
    undated = {rows[n.article_id] for n in picture.nodes if n.date is None}
    assert undated == {2}
    assert scatter_rows(lanes[UNDATED_LANE]) == undated
    assert scatter_rows(lanes[DATE_AXIS]) == set(rows.values()) - undated
    assert not lanes[UNDATED_LANE].get_xticks().size  # no time axis in the undated lane


def test_a_story_with_only_undated_or_partial_dates():
    nodes = [StoryNode("a" * 16, "Desk A", "Desk A", None, "origin"),
             StoryNode("b" * 16, "article bbbbbbbb", None, None, "derived")]
    picture = StoryPicture("story 1/1 · Desk A", nodes, [StoryEdge("b" * 16, "a" * 16, 0.5)], "a" * 16)
    fig = story_figure(picture)
    assert [ax.get_xlabel() for ax in fig.axes] == [UNDATED_LANE]
    assert_only_labels_and_dates(fig, picture.texts())
    month = StoryPicture("story", [replace(nodes[0], date="2026-01"), replace(nodes[1], date="2026-01-20")],
                         picture.edges, "a" * 16)
    assert period("2026-01").wide and not period("2026-01-20").wide
    fig = story_figure(month)
    assert_only_labels_and_dates(fig, month.texts())
    assert "date known to month/year only" in month.legend()
    assert_small_png(draw_story(month))
    with pytest.raises(NothingToDraw):
        story_figure(StoryPicture("empty", []))


def test_digest_story_picture_has_every_listed_article_and_derived_arrow(sample_engine, ids):
    [story] = digest(sample_engine.store, since="2000-01-01").stories
    picture = from_digest_story(story, 1, 1)
    assert {n.article_id for n in picture.nodes} == {a.article_id for a in story.articles} == set(ids.values())
    assert picture.heading.startswith("story 1/1 · ")
    derived = {f.article_id: (f.from_article_id, f.reuse) for f in story.flags if f.kind == "derived"}
    assert {e.child: (e.parent, e.share) for e in picture.edges} == derived
    assert {n.article_id: n.relation for n in picture.nodes} == story.relations
    assert_small_png(draw_story(picture))


def test_drawing_in_threads_gives_the_same_bytes(sample_engine, ids):
    picture = from_lineage(sample_engine.lineage(ids[REWRITE_DATED]))
    serial = draw_story(picture)
    with ThreadPoolExecutor(4) as pool:
        drawn = list(pool.map(lambda _: draw_story(picture), range(6)))
    assert all(png == serial for png in drawn)


# -- the claim timeline -----------------------------------------------------------------------------


def test_claim_timeline_has_one_mark_per_outlet_at_its_earliest_stating_date(sample_engine, ids):
    answer = sample_engine.sources(CLAIM)
    data = timeline_data(answer)
    stating = [h for h in answer.results if h.match in STATING]
    # the sample's rewrites name no outlet: each is its own row, never merged as "unknown"
    assert {m.article_id for m in data.marks} == {h.article.article_id for h in stating} == set(ids.values())
    assert [m.lane for m in data.marks] == ["dated", "dated", "undated"]
    assert [m.date for m in data.marks] == ["2026-01-12", "2026-02-09", None]
    for mark in data.marks:
        own = [h for h in stating if h.article.article_id == mark.article_id]
        assert mark.match in MATCH_STYLE and mark.match in {h.match for h in own}
        assert mark.label == (own[0].article.outlet or display_name(own[0].article))
        assert mark.mark_label() in (mark.match, f"{mark.match} · {REPORTED}")
    assert [m.article_id for m in data.earliest()] == [ids[ORIGINAL]]
    fig = timeline_figure(data)
    assert_only_labels_and_dates(fig, data.texts())
    lanes = {ax.get_xlabel(): ax for ax in fig.axes}
    assert scatter_rows(lanes[UNDATED_LANE]) == {2} and scatter_rows(lanes[DATE_AXIS]) == {0, 1}
    png = timeline_png(answer)
    assert_small_png(png)


def test_one_outlet_is_nothing_to_draw(sample_engine, ids):
    answer = sample_engine.sources(CLAIM)
    one = SourcesResult(answer.query, [h for h in answer.results if h.article.article_id == ids[ORIGINAL]])
    assert one.found and timeline_data(one) is None and timeline_png(one) is None
    with pytest.raises(NothingToDraw):
        draw_timeline(ClaimTimeline(timeline_data(answer).marks[:1]))
    # two articles of one outlet are one mark, at the earlier article's date
    same = [replace(h, article=replace(h.article, outlet="Same Desk")) for h in answer.results
            if h.article.published]
    assert timeline_data(SourcesResult(answer.query, same)) is None
    mixed = same + [h for h in answer.results if not h.article.published]
    data = timeline_data(SourcesResult(answer.query, mixed))
    assert len(data.marks) == 2 and (data.marks[0].label, data.marks[0].date) == ("Same Desk", "2026-01-12")


def test_reported_and_verbatim_marks_are_labelled_from_the_vocabulary(sample_engine):
    answer = sample_engine.sources(CLAIM)
    hits = [h for h in answer.results if h.match in STATING]
    changed = [replace(hits[0], match="verbatim", reported=True), *hits[1:]]
    data = timeline_data(SourcesResult(answer.query, changed))
    mark = next(m for m in data.marks if m.article_id == hits[0].article.article_id)
    assert mark.mark_label() == f"verbatim · {REPORTED}"  # the strongest label of its earliest date
    assert REPORTED_LEGEND in data.legend() and "verbatim" in data.legend()
    assert EARLIEST in data.legend()
    assert_only_labels_and_dates(timeline_figure(data), data.texts())


# -- the command line --------------------------------------------------------------------------------


def run_json(capsys, engine, *argv) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["--home", str(engine.settings.home), "--corpus", engine.corpus, *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_cli_png_adds_a_file_and_a_field(capsys, sample_engine, ids, tmp_path):
    out = tmp_path / "lineage.png"
    code, plain = run_json(capsys, sample_engine, "lineage", ids[REWRITE_UNDATED])
    code_png, doc = run_json(capsys, sample_engine, "lineage", ids[REWRITE_UNDATED], "--png", str(out))
    assert code == code_png == 0
    assert doc.pop("png") == str(out) and doc == plain  # the contract's JSON is unchanged
    assert_small_png(out.read_bytes())

    timeline = tmp_path / "timeline.png"
    code, doc = run_json(capsys, sample_engine, "sources", CLAIM, "--png", str(timeline))
    assert code == 0 and doc["png"] == str(timeline) and doc["found"]
    assert_small_png(timeline.read_bytes())

    nothing = tmp_path / "none.png"
    code, doc = run_json(capsys, sample_engine, "sources", "zebra crossings in Lisbon", "--png", str(nothing))
    assert code == 0 and doc["png"] is None and "fewer than 2 outlets" in doc["png_note"]
    assert not nothing.exists()


def test_digest_attachments_go_with_their_story_and_keep_within_limits(sample_engine):
    from bot.render import digest as render_digest
    from bot.render import pictures

    result = digest(sample_engine.store, since="2000-01-01")
    drawn = pictures.story_pictures(result)
    [story] = result.stories
    assert set(drawn) == {story.story_id}  # three articles: more than two
    pages = render_digest.digest_pages(result)
    attached = pictures.digest_attachments(pages, result, drawn, limit=10_000_000)
    assert attached[0] == [(f"story-1-{story.story_id}.png", drawn[story.story_id])]
    assert pictures.digest_attachments(pages, result, drawn, limit=len(drawn[story.story_id]) - 1) == [[]] * len(pages)
    two = replace(story, articles=story.articles[:2])
    assert pictures.story_pictures(replace(result, stories=[two])) == {}


def test_earliest_is_never_a_guess_between_overlapping_dates():
    from index.pictures.claim_timeline import TimelineMark

    def mark(name: str, date: str | None) -> TimelineMark:
        return TimelineMark(name, name, name[-1] * 16, date, "close")

    month = ClaimTimeline([mark("Desk a", "2026-01"), mark("Desk b", "2026-01-20"), mark("Desk c", "2026-02-03")])
    assert [m.label for m in month.earliest()] == ["Desk a", "Desk b"]  # January may be before the 20th, or not
    days = ClaimTimeline([mark("Desk a", "2026-01-12"), mark("Desk b", "2026-01-20"), mark("Desk c", None)])
    assert [m.label for m in days.earliest()] == ["Desk a"]
    same = ClaimTimeline([mark("Desk a", "2026-01-12T09:00:00+00:00"), mark("Desk b", "2026-01-12T10:00:00+01:00")])
    assert [m.label for m in same.earliest()] == ["Desk a", "Desk b"]  # the same instant
    assert ClaimTimeline([mark("Desk a", None), mark("Desk b", None)]).earliest() == []
    fig = timeline_figure(month)
    assert_only_labels_and_dates(fig, month.texts())


def test_each_digest_story_picture_goes_on_the_message_where_its_story_starts():
    """The digest renderer names a story by its short id in the footer of the embed that starts
    it; the picture goes on that page, not on the first one."""
    from types import SimpleNamespace

    import discord

    from bot.render.pictures import digest_attachments
    from bot.render.primitives import Page, short_id

    stories = [SimpleNamespace(story_id=f"{n:x}" * 16) for n in (10, 11)]
    pages = []
    for story in stories:
        embed = discord.Embed(title="story")
        embed.set_footer(text=f"story {short_id(story.story_id)} · lead: article 12345678")
        pages.append(Page(None, [embed]))
    attached = digest_attachments(pages, SimpleNamespace(stories=stories),
                                  {s.story_id: b"\x89PNG" for s in stories}, limit=10_000)
    assert [[name for name, _ in page] for page in attached] == [
        [f"story-1-{stories[0].story_id}.png"], [f"story-2-{stories[1].story_id}.png"]]
