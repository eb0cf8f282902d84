"""Correcting metadata (Engine.edit, `sourcedesk edit`) and naming untitled articles."""
from __future__ import annotations

import json

import pytest

from index.cli.commands import main
from index.engine import Engine
from index.errors import UserError
from index.ingest.corrections import fillable, requested_values
from index.naming import display_name
from index.records import Article, Metadata
from index.search.searchers import DenseSearcher

ARTICLE = (
    "Harbour plan approved\n\n"
    "The city council approved the harbour plan on Tuesday. "
    "Councillor Maria Okafor said the vote was \"a turning point for the port\". "
    "Opponents argued that the cost had doubled since 2024.\n"
)
OTHER = ("The ferry operator raised prices on Monday. The harbour plan was not mentioned by the operator. "
         "Passengers said the harbour plan would not help them.\n")


@pytest.fixture()
def engine(tmp_path) -> Engine:
    from index.config import Settings

    return Engine(Settings.from_env(tmp_path / "home"), "edits")


def _add(engine: Engine, tmp_path, name: str, text: str, meta: Metadata | None = None) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    [result] = engine.ingest([path], meta=meta)
    assert result.status == "added"
    return result.article_id


def test_edit_changes_metadata_only_and_records_each_change(engine, tmp_path):
    aid = _add(engine, tmp_path, "harbour.txt", ARTICLE)
    text_before = engine.show(aid)[1]
    passages_before = engine.passages(aid)

    result = engine.edit(aid[:8], outlet="Coast Gazette", published="12 January 2026",
                         authors="Ines Alvarez & Tom Reed", url="https://example.org/harbour", editor="discord:42")

    assert [(c.field, c.old, c.new) for c in result.changes] == [
        ("outlet", None, "Coast Gazette"), ("authors", [], ["Ines Alvarez", "Tom Reed"]),
        ("published", None, "2026-01-12"), ("url", None, "https://example.org/harbour")]
    stored = engine.article(aid)
    assert (stored.outlet, stored.published, stored.authors, stored.url) == (
        "Coast Gazette", "2026-01-12", ["Ines Alvarez", "Tom Reed"], "https://example.org/harbour")
    assert stored.title == "Harbour plan approved" and stored.article_id == aid
    assert engine.show(aid)[1] == text_before
    assert engine.passages(aid) == passages_before  # same offsets, same verbatim quotes
    records = engine.edits(aid)
    assert [(r.field, r.old, r.new, r.editor) for r in records] == [
        (c.field, c.old, c.new, "discord:42") for c in result.changes]
    assert all(r.at for r in records)

    cleared = engine.edit(aid, url="", editor="discord:7")  # an empty string: back to unknown
    assert [(c.field, c.old, c.new) for c in cleared.changes] == [("url", "https://example.org/harbour", None)]
    assert engine.article(aid).url is None
    assert [r.editor for r in engine.edits(aid)][-1] == "discord:7"


def test_sources_outlet_filter_follows_an_edited_outlet(engine, tmp_path):
    aid = _add(engine, tmp_path, "harbour.txt", ARTICLE, Metadata(outlet="Old Name"))
    other = _add(engine, tmp_path, "ferry.txt", OTHER, Metadata(outlet="Ferry News"))
    query = "the council approved the harbour plan"
    assert {h.article.article_id for h in engine.sources(query, outlet="old name").results} == {aid}

    engine.edit(aid, outlet="Coast Gazette")

    assert engine.sources(query, outlet="old name").results == []
    hits = engine.sources(query, outlet="coast gazette").results
    assert hits and {h.article.article_id for h in hits} == {aid}
    assert {h.article.outlet for h in hits} == {"Coast Gazette"}
    # dense hits too (the vector metadata), not only the lexical join on the registry
    dense = engine.sources_many([query], outlet="Coast Gazette", searcher=DenseSearcher(engine.vectors))[0].results
    assert dense and {h.article.article_id for h in dense} == {aid}
    assert {h.article.article_id for h in engine.sources(query, outlet="Ferry News").results} <= {other}
    assert [a.article_id for a in engine.articles(outlet="coast gazette")] == [aid]


def test_bad_input_is_a_user_error_and_changes_nothing(engine, tmp_path):
    aid = _add(engine, tmp_path, "harbour.txt", ARTICLE, Metadata(outlet="Coast Gazette"))
    before = engine.article(aid)
    for kwargs, message in (({"published": "the day after tomorrow"}, "could not read date"),
                            ({"url": "ftp://example.org/x"}, "http"),
                            ({"url": "example.org"}, "http"),
                            ({}, "nothing to change"),
                            ({"outlet": "Coast Gazette"}, "nothing to change"),
                            ({"title": "x\x00y"}, "not valid text")):
        with pytest.raises(UserError, match=message):
            engine.edit(aid, **kwargs)
    with pytest.raises(UserError, match="unknown article id"):
        engine.edit("feedfacefeedface", title="Something")
    assert engine.article(aid) == before and engine.edits(aid) == []


def test_removing_an_article_drops_its_audit_rows_and_uploader(engine, tmp_path):
    aid = _add(engine, tmp_path, "harbour.txt", ARTICLE)
    engine.record_uploader([aid], "discord:1")
    engine.record_uploader([aid], "discord:2")  # the first record wins
    assert engine.uploader(aid) == "discord:1"
    engine.edit(aid, outlet="Coast Gazette")
    engine.remove(aid)
    again = _add(engine, tmp_path, "harbour.txt", ARTICLE)
    assert again == aid and engine.edits(aid) == [] and engine.uploader(aid) is None


def test_duplicate_ingest_offers_only_the_fields_the_stored_article_lacks(engine, tmp_path):
    aid = _add(engine, tmp_path, "harbour.txt", ARTICLE, Metadata(published="2026-01-12"))
    [dup] = engine.ingest_bytes(ARTICLE.encode(), "again.txt",
                                Metadata(outlet="Coast Gazette", published="2026-02-01", authors=["Tom Reed"]))
    assert dup.status == "duplicate" and dup.duplicate_of == aid
    assert dup.offered == {"outlet": "Coast Gazette", "authors": ["Tom Reed"]}  # the date is known: not offered
    [plain] = engine.ingest_bytes(ARTICLE.encode(), "again.txt")
    assert plain.offered == {}
    line = json.dumps({"text": ARTICLE, "url": "https://example.org/h"})  # declared metadata counts too
    [declared] = engine.ingest_bytes(line.encode(), "batch.jsonl")
    assert declared.offered == {"url": "https://example.org/h", "outlet": "example.org"}


def test_requested_values_validate_like_ingest():
    values = requested_values(outlet="  The   Mail ", authors=["A B and C D"], published="2026-01-12T10:00:00",
                              title="", url="http://x.org/a")
    assert values == {"title": None, "outlet": "The Mail", "authors": ["A B", "C D"],
                      "published": "2026-01-12T10:00:00", "url": "http://x.org/a"}
    assert requested_values(authors="")["authors"] == []


def _article(**kw) -> Article:
    base = dict(article_id="31c3cd67ccc5e9e6ab", title=None, outlet=None, authors=[], published=None, url=None,
                chars=10, passages=1, source_name=None)
    return Article(**{**base, **kw})


@pytest.mark.parametrize("fields, name", [
    ({"title": " Harbour  plan\napproved ", "outlet": "X"}, "Harbour plan approved"),
    ({"outlet": "The Mail on Sunday", "published": "2026-01-12"}, "The Mail on Sunday, 2026-01-12"),
    ({"outlet": "The Mail on Sunday", "published": "2026-01-12T08:30:00"}, "The Mail on Sunday, 2026-01-12"),
    ({"published": "2026-02-09", "source_name": "001.txt"}, "article from 2026-02-09"),
    ({"source_name": "003_31c3cd67ccc5e9e6.txt"}, "file 003_31c3cd67ccc5e9e6.txt"),
    ({"outlet": "Coast Gazette", "source_name": "h.txt"}, "Coast Gazette, file h.txt"),
    ({"outlet": "Coast Gazette"}, "Coast Gazette, article 31c3cd67"),
    ({}, "article 31c3cd67"),
])
def test_display_name_says_only_what_is_known(fields, name):
    assert display_name(_article(**fields)) == name
    assert "unknown" not in name


def test_fillable_never_overwrites():
    a = _article(outlet="Known", authors=["A"])
    assert fillable(a, Metadata(outlet="Other", authors=["B"], title="T", published="2026")) == {
        "title": "T", "published": "2026"}


# -- the command line ---------------------------------------------------------------------


def _cli(capsys, home, *argv) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["--home", str(home), *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_cli_edit_prints_article_and_changes(capsys, tmp_path):
    home = tmp_path / "home"
    src = tmp_path / "harbour.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    code, doc = _cli(capsys, home, "ingest", str(src))
    aid = doc["results"][0]["article_id"]

    code, doc = _cli(capsys, home, "edit", aid, "--outlet", "Coast Gazette", "--author", "Ines Alvarez",
                     "--author", "Tom Reed", "--published", "2026-01-12")
    assert code == 0
    assert set(doc) == {"article", "changes"}
    assert doc["article"]["article_id"] == aid and doc["article"]["outlet"] == "Coast Gazette"
    assert doc["changes"] == [{"field": "outlet", "old": None, "new": "Coast Gazette"},
                              {"field": "authors", "old": [], "new": ["Ines Alvarez", "Tom Reed"]},
                              {"field": "published", "old": None, "new": "2026-01-12"}]
    code, shown = _cli(capsys, home, "show", aid)
    assert shown["text"] == ARTICLE and shown["outlet"] == "Coast Gazette"

    for argv, message in ((["edit", aid, "--published", "soon"], "could not read date"),
                          (["edit", aid, "--url", "not a link"], "http"),
                          (["edit", "deadbeefcafe", "--title", "T"], "unknown article id"),
                          (["edit", aid], "nothing to change")):
        code, doc = _cli(capsys, home, *argv)
        assert code == 1 and message in doc["error"]

    code, doc = _cli(capsys, home, "ingest", str(src), "--url", "https://example.org/harbour",
                     "--outlet", "Other Name")  # a duplicate: offers only what is unknown
    assert doc["results"][0]["status"] == "duplicate"
    assert doc["results"][0]["offered"] == {"url": "https://example.org/harbour"}
    code, doc = _cli(capsys, home, "ingest", str(src))
    assert "offered" not in doc["results"][0]

    capsys.readouterr()
    assert main(["--home", str(home), "edit", aid, "--title", ""]) == 0
    text = capsys.readouterr().out
    assert "title: Harbour plan approved -> unknown" in text
    assert main(["--home", str(home), "articles"]) == 0
    assert "Coast Gazette, 2026-01-12 (untitled)" in capsys.readouterr().out


def test_any_typed_value_is_stored_or_refused_and_the_text_never_changes(tmp_path):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from index.config import Settings

    engine = Engine(Settings.from_env(tmp_path / "home"), "hostile")
    aid = _add(engine, tmp_path, "harbour.txt", ARTICLE)
    text = engine.show(aid)[1]
    passages = engine.passages(aid)

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(field=st.sampled_from(["outlet", "title", "url", "published", "authors"]), value=st.text(max_size=60))
    def check(field, value):
        try:
            result = engine.edit(aid, **{field: value})
        except UserError:
            pass
        else:
            assert result.changes and all(c.field == field for c in result.changes)
            assert engine.edits(aid)[-1].new == result.changes[-1].new
        assert engine.show(aid)[1] == text and engine.passages(aid) == passages

    check()
