"""The compare page (index/compare_page.py): parsed with html.parser, every quoted span is
its article's text sliced by its offsets, every flag label comes from the vocabulary, nothing
runs or is fetched, and the sample pair 000-001 has a row for every pair and one-sided passage."""
from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from index.compare.quote_changes import change_kinds
from index.compare.results import FLAG_LABELS, AlignedPair, CompareResult, Reuse, WordEdit
from index.pictures.compare_page import build_rows, compare_page
from index.records import Article, Quote

URL_ATTRS = {"href", "src", "action", "formaction", "poster", "data", "srcset", "background"}


class PageParser(HTMLParser):
    """Collects the text inside every element carrying data-start, nested marks included;
    flags with their label text; rows; tags; and every URL-bearing attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.open_spans: list[dict] = []  # quoted spans still open, innermost last
        self.spans: list[dict] = []
        self.flags: list[dict] = []
        self.rows: list[str] = []
        self.tags: set[str] = set()
        self.urls: list[str] = []
        self.css_urls: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        self.urls += [v for k, v in attrs if k in URL_ATTRS and v is not None]
        if tag == "style":
            self.in_style = True
        if "data-row" in a:
            self.rows.append(a["data-row"])
        span = None
        if "data-start" in a:
            span = {"tag": tag, "article": a["data-article"], "start": int(a["data-start"]),
                    "end": int(a["data-end"]), "text": "", "cls": a.get("class", "")}
            self.open_spans.append(span)
            self.spans.append(span)
        if "data-flag" in a:
            flag = {"kind": a["data-flag"], "label": None}
            self.flags.append(flag)
        self.stack.append((tag, {"span": span, "label": "label" in a.get("class", "").split()}))

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
        while self.stack:
            t, info = self.stack.pop()
            if info["span"] is not None:
                self.open_spans.remove(info["span"])
            if t == tag:
                break

    def handle_data(self, data):
        if self.in_style:
            self.css_urls += re.findall(r"url\(|@import", data)
            return
        for span in self.open_spans:
            span["text"] += data
        if self.stack and self.stack[-1][1]["label"] and self.flags:
            self.flags[-1]["label"] = (self.flags[-1]["label"] or "") + data


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


def assert_page_is_faithful(page: str, texts: dict[str, str]) -> PageParser:
    parsed = parse(page)
    assert parsed.spans
    for span in parsed.spans:
        assert span["text"] == texts[span["article"]][span["start"]:span["end"]], span
    labels = set(FLAG_LABELS.values())
    for flag in parsed.flags:
        assert flag["kind"] in FLAG_LABELS and flag["label"] == FLAG_LABELS[flag["kind"]], flag
        assert flag["label"] in labels
    assert "script" not in parsed.tags and "iframe" not in parsed.tags and "img" not in parsed.tags
    assert not parsed.css_urls and "<script" not in page.lower() and "@font-face" not in page
    return parsed


# -- the sample pair ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_pair(sample_engine):
    ids = {a.source_name[:3]: a.article_id for a in sample_engine.articles()}
    result = sample_engine.compare(ids["000"], ids["001"])
    texts = {aid: sample_engine.show(aid)[1] for aid in (ids["000"], ids["001"])}
    return result, texts


def test_sample_page_quotes_are_slices_and_rows_cover_everything(sample_pair):
    result, texts = sample_pair
    page = compare_page(result)
    parsed = assert_page_is_faithful(page, texts)
    assert parsed.rows.count("pair") == len(result.pairs)
    assert parsed.rows.count("only_a") == len(result.only_a)
    assert parsed.rows.count("only_b") == len(result.only_b)
    assert result.pairs and result.only_a and result.only_b  # the sample exercises every row kind
    # every passage of both sides appears whole, with its offsets
    passages = {(s["article"], s["start"], s["end"]) for s in parsed.spans if "q" in s["cls"].split()}
    for p in result.pairs:
        assert (p.a.article_id, p.a.start, p.a.end) in passages and (p.b.article_id, p.b.start, p.b.end) in passages
    for q in result.only_a + result.only_b:
        assert (q.article_id, q.start, q.end) in passages
    # every word edit of a verbatim pair is marked on the side(s) that have its words; a
    # reworded pair is shown without word marks (nearly every word would be marked)
    marked = {(s["article"], s["start"], s["end"]) for s in parsed.spans if "edit" in s["cls"].split()}
    for p in result.pairs:
        if p.kind == "reworded":
            assert not any(p.a.start <= start < p.a.end for aid, start, _ in marked if aid == p.a.article_id
                           and not any(c.a.start <= start < c.a.end for c in result.quote_changes))
            continue
        for e in p.edits:
            for q in (e.a, e.b):
                if q is not None:
                    assert (q.article_id, q.start, q.end) in marked
    # every flag of a pair and every quotation change is in the margin (an attribution
    # change named as what it is: a changed speaker or speech verb)
    shown = [f["kind"] for f in parsed.flags]
    for kind in [f.kind for p in result.pairs for f in p.flags]:
        assert kind in shown
    for c in result.quote_changes:
        assert c.kind in shown or set(change_kinds(c)) & set(shown)
    assert sum(k in ("quote_added", "quote_removed") for k in shown) >= len(result.unmatched_quotes)
    assert len(page.encode("utf-8")) < 1_000_000


def test_sample_page_links_only_to_the_articles(sample_pair):
    result, texts = sample_pair
    with_links = replace(result, a=replace(result.a, url="https://example.org/a?x=1&y=<2>"),
                         b=replace(result.b, url="javascript:alert(1)", title="<script>alert(1)</script>"))
    parsed = assert_page_is_faithful(compare_page(with_links), texts)
    outside = [u for u in parsed.urls if not u.startswith("#row-")]  # the summary links to its rows
    assert outside == ["https://example.org/a?x=1&y=<2>"]  # the unsafe one is shown as text only
    plain = parse(compare_page(result))
    assert [u for u in plain.urls if not u.startswith("#row-")] == []  # no link in the sample: none invented


def test_b_only_passages_sit_where_they_fall_in_b(sample_pair):
    result, _ = sample_pair
    rows = build_rows(result)
    for n, row in enumerate(rows):
        if row.kind != "only_b":
            continue
        before = [r for r in rows if r.kind == "pair" and r.b.start < row.b.start]
        if before:  # right after the pair whose B passage comes last before it in B
            last = max(r.b.start for r in before)  # a merged B passage may stand on several rows
            anchor = max(k for k, r in enumerate(rows) if r.kind == "pair" and r.b.start == last)
            assert anchor < n and all(r.kind == "only_b" for r in rows[anchor + 1:n])
            assert all(r.b.start < row.b.start for r in rows[anchor + 1:n])
        else:
            assert all(r.kind != "pair" for r in rows[:n])


def test_unknown_metadata_is_shown_as_unknown_never_invented(sample_pair):
    result, _ = sample_pair
    bare = replace(result, b=replace(result.b, title=None, outlet=None, authors=[], published=None, url=None))
    page = compare_page(bare)
    for what in ("title", "outlet", "date", "authors", "link"):
        assert f'<span class="unknown">{what} unknown</span>' in page
    assert result.a.outlet and result.a.outlet in page  # known metadata is there as given


# -- small hand-made results --------------------------------------------------------------------


TEXT_A = "The army said 15 <soldiers> & officers left on Monday."
TEXT_B = "The army said 20 soldiers left on Monday, officials confirmed."


def _q(aid: str, text: str, start: int, end: int) -> Quote:
    return Quote.of(aid, text, start, end)


def _article(aid: str, text: str) -> Article:
    return Article(aid, None, None, [], None, None, len(text), 1)


def test_edit_marks_escape_and_keep_offsets():
    a, b = _q("a", TEXT_A, 0, len(TEXT_A)), _q("b", TEXT_B, 0, len(TEXT_B))
    edits = (
        WordEdit("replace", _q("a", TEXT_A, 14, 16), _q("b", TEXT_B, 14, 16), 14, 14),  # 15 -> 20
        WordEdit("delete", _q("a", TEXT_A, 17, 41), None, 17, 17),  # "<soldiers> & officers" gone
        WordEdit("insert", None, _q("b", TEXT_B, 17, 25), 17, 17),
        WordEdit("insert", None, _q("b", TEXT_B, 40, 61), 53, 40),
    )
    pair = AlignedPair("verbatim", a, b, 0.9, 0.7, edits=edits, flags=())
    result = CompareResult(_article("a", TEXT_A), _article("b", TEXT_B), [pair], [], [], [], Reuse(1, 0, 1, 0))
    page = compare_page(result)
    parsed = assert_page_is_faithful(page, {"a": TEXT_A, "b": TEXT_B})
    kinds = {(s["article"], s["tag"], s["start"]) for s in parsed.spans}
    assert {("a", "mark", 14), ("a", "del", 17), ("b", "mark", 14), ("b", "ins", 17), ("b", "ins", 40)} <= kinds
    assert "&lt;soldiers&gt; &amp; officers" in page
    assert page.count('class="gap"') >= 2  # where A lacks B's inserted words


def test_reworded_pair_has_no_word_marks_and_no_score():
    a, b = _q("a", TEXT_A, 0, len(TEXT_A)), _q("b", TEXT_B, 0, len(TEXT_B))
    edits = (WordEdit("replace", _q("a", TEXT_A, 14, 16), _q("b", TEXT_B, 14, 16), 14, 14),)
    pair = AlignedPair("reworded", a, b, 0.87, 0.7, edits=edits, flags=())
    page = compare_page(CompareResult(_article("a", TEXT_A), _article("b", TEXT_B), [pair], [], [], [],
                                      Reuse(1, 0, 1, 0)))
    parsed = assert_page_is_faithful(page, {"a": TEXT_A, "b": TEXT_B})
    assert not [s for s in parsed.spans if "edit" in s["cls"].split()]
    assert "0.87" not in page and "similarity" not in page


def test_sample_page_is_headed_by_outlets_and_dates_and_lists_changes_most_serious_first(sample_pair):
    from index.labels import severity
    from index.pictures.compare_page import CHANGES_HEADING, side_name

    result, _ = sample_pair
    page = compare_page(result)
    heading = re.search(r"<h1>(.*?)</h1>", page).group(1)
    assert result.a.article_id not in heading and result.b.article_id not in heading
    assert result.a.outlet in heading and (result.b.published or "undated")[:10] in heading
    assert heading == f"Compare: A {side_name(result.a)} · B {side_name(result.b)}".replace("&", "&amp;")
    assert page.index(CHANGES_HEADING) < page.index("<table")
    summary = page[page.index(CHANGES_HEADING):page.index("<table")]
    firsts = re.findall(r'<li data-first="([a-z_]+)">', summary)
    assert firsts and [severity(k) for k in firsts] == sorted(severity(k) for k in firsts)
    assert "similarity" not in page


# -- the CLI --------------------------------------------------------------------------------------


def test_cli_compare_html_writes_the_page_and_keeps_the_json(capsys, tmp_path, sample_dir):
    import json

    from index.cli.commands import main

    home = tmp_path / "home"
    assert main(["--home", str(home), "ingest", str(sample_dir), "--json"]) == 0
    a, b = sorted(r["article_id"] for r in json.loads(capsys.readouterr().out)["results"])[:2]
    assert main(["--home", str(home), "compare", a, b, "--json"]) == 0
    plain = json.loads(capsys.readouterr().out)
    out = tmp_path / "page.html"
    assert main(["--home", str(home), "compare", a, b, "--html", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == plain  # the JSON answer is unchanged
    texts = {}
    for aid in (a, b):
        assert main(["--home", str(home), "show", aid, "--json"]) == 0
        texts[aid] = json.loads(capsys.readouterr().out)["text"]
    parsed = assert_page_is_faithful(out.read_text(encoding="utf-8"), texts)
    assert parsed.rows.count("pair") == len(plain["pairs"])
    assert main(["--home", str(home), "compare", a, b, "--html", str(tmp_path / "no" / "dir" / "p.html"), "--json"]) == 1
    assert "cannot write" in json.loads(capsys.readouterr().out)["error"]
