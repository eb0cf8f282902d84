"""Issue 24: whether a rewrite credits what it copied. The sample corpus's must-shows (000
ingested as The Mail on Sunday, 2026-01-12, from its manifest; 001 and 003 rewrite it),
recorded outlet names, and every credit and flag quote a verbatim slice of stored text."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.cli.commands import main
from index.errors import UserError
from index.records import Article, Quote
from index.compare.quote_changes import ATTRIBUTION_KINDS, change_kinds
from index.labels import severity
from index.pictures.compare_page import compare_page
from index.stories.credits import credits_in, exclusive_claim
from tests.conftest import ORIGINAL, REWRITE_DATED, REWRITE_UNDATED, SAMPLE_DIR


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """Its own corpus: these tests record outlet names, which other modules must not see."""
    from index.config import Settings
    from index.engine import Engine

    engine = Engine(Settings.from_env(tmp_path_factory.mktemp("home")), "credits")
    results = engine.ingest([SAMPLE_DIR])
    engine.ids = {Path(r.path).name: r.article_id for r in results}
    return engine


def _flags(doc: dict) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in doc["flags"]:
        out.setdefault(f["kind"], []).append(f["quote"] and f["quote"]["text"])
    return out


def _entries(doc: dict) -> dict[str, dict]:
    return {doc["article"]["article_id"]: doc, **{e["article"]["article_id"]: e for e in doc["related"]}}


def test_001_credits_another_outlet_and_003_claims_an_exclusive_on_a_rewrite(engine):
    ids = engine.ids
    doc = engine.lineage(ids[ORIGINAL]).to_json()
    assert doc["origin"] == ids[ORIGINAL]
    entries = _entries(doc)
    original, dated, undated = (entries[ids[n]] for n in (ORIGINAL, REWRITE_DATED, REWRITE_UNDATED))
    assert original["flags"] == [] and original["credits"] == [] and original["credits_origin"] is None
    assert [c["outlet"]["text"] for c in dated["credits"]] == ["Daily Mail"]
    assert dated["credits_origin"] is False
    assert _flags(dated)["credits_other_outlet"] == ["Daily Mail"]
    assert "exclusive_on_derived" not in _flags(dated)
    assert _flags(undated)["exclusive_on_derived"] == ["Exclusive"]
    assert "credits_other_outlet" not in _flags(undated)
    # 003 names The Mail on Sunday only as where cables were leaked: no credit of the story.
    assert undated["credits_origin"] is False and "uncredited_copy" in _flags(undated)
    # The same fields at the top level when a rewrite is the queried article.
    top = engine.lineage(ids[REWRITE_UNDATED]).to_json()
    assert _flags(top)["exclusive_on_derived"] == ["Exclusive"]
    kinds = [f["kind"] for f in top["flags"]]
    # most serious first: the changed speaker, then the exclusive, then the missing credit
    assert kinds.index("attribution_changed") < kinds.index("exclusive_on_derived") < kinds.index("uncredited_copy")


def test_003_turns_a_diplomatic_source_into_a_senior_officer_as_compare_finds_it(engine):
    ids = engine.ids
    entries = _entries(engine.lineage(ids[ORIGINAL]).to_json())
    changed = [f for f in entries[ids[REWRITE_UNDATED]]["flags"] if f["kind"] == "attribution_changed"]
    first = changed[0]  # the speaker change ranks above speech-verb changes (labels.severity)
    assert first["change"] == "speaker_changed"
    assert first["quote_from"]["text"] == "A diplomatic source said" and first["quote_from"]["article_id"] == ids[ORIGINAL]
    assert first["quote"]["text"] == "according to a senior officer"
    assert first["quote"]["article_id"] == ids[REWRITE_UNDATED]
    assert [f["change"] for f in changed] == sorted((f["change"] for f in changed), key=severity)
    # the same pairs compare finds between the two articles
    result = engine.compare(ids[ORIGINAL], ids[REWRITE_UNDATED])
    found = {(c.attribution_a.text, c.attribution_b.text) for c in result.quote_changes
             if ATTRIBUTION_KINDS & set(change_kinds(c)) and c.attribution_a and c.attribution_b}
    assert {(f["quote_from"]["text"], f["quote"]["text"]) for f in changed} <= found
    assert all(f["kind"] != "attribution_changed" for f in entries[ids[ORIGINAL]]["flags"])


def test_compare_says_whether_the_rewrite_credits_its_origin(engine):
    ids = engine.ids
    result = engine.compare(ids[ORIGINAL], ids[REWRITE_DATED])
    doc = result.to_json()
    assert doc["derived"] == ids[REWRITE_DATED] and doc["credit"]["credits_origin"] is False
    words, quote = result.credit_finding()
    assert words == "B credits another outlet" and quote.text == "Daily Mail"
    # seen from the other side, the same rewrite is A
    mirrored = engine.compare(ids[REWRITE_UNDATED], ids[ORIGINAL])
    assert mirrored.derived == ids[REWRITE_UNDATED] and mirrored.credit_finding() == ("A credits no outlet", None)
    assert any(f.kind == "attribution_changed" and f.quote.article_id == ids[REWRITE_UNDATED]
               for f in mirrored.credit.flags)
    for q in result.credit.quotes() + mirrored.credit.quotes():
        _, text = engine.show(q.article_id)
        assert text[q.start:q.end] == q.text
    page = compare_page(result)
    assert '<p class="summary credit">B credits another outlet: <q' in page and ">Daily Mail</q>" in page


def test_a_sister_title_recorded_makes_the_daily_mail_credit_the_origin(engine, tmp_path):
    ids = engine.ids
    entry = engine.record_group("The Mail on Sunday", "daily  mail")
    assert entry.sister_titles == ["daily  mail"] or entry.sister_titles == ["daily mail"]
    dated = engine.lineage(ids[REWRITE_DATED]).to_json()
    assert dated["credits_origin"] is True
    assert dated["credits"][0]["names_origin"] == "sister_title"
    assert "credits_other_outlet" not in _flags(dated) and "uncredited_copy" not in _flags(dated)
    words, quote = engine.compare(ids[ORIGINAL], ids[REWRITE_DATED]).credit_finding()
    assert words == "B credits its origin (a sister title)" and quote.text == "Daily Mail"
    listed = {e.name: e for e in engine.list_outlets()}
    assert listed["The Mail on Sunday"].stored and listed["The Mail on Sunday"].sister_titles
    with pytest.raises(UserError):
        engine.record_alias("Daily Mail", " ")
    with pytest.raises(UserError):
        engine.record_alias("Daily Mail", "the daily mail")


def test_every_credit_and_flag_quote_is_a_verbatim_slice(engine):
    for aid in engine.ids.values():
        result = engine.lineage(aid)
        for credit in [result.credit, *(e.credit for e in result.related)]:
            for q in credit.quotes():
                _, text = engine.show(q.article_id)
                assert text[q.start:q.end] == q.text and q.text


def test_digest_members_carry_their_credits(engine):
    doc = engine.digest(since="3650d").to_json()
    members = {a["article_id"]: a for s in doc["stories"] for a in s["articles"]}
    assert set(engine.ids.values()) <= set(members)
    for a in members.values():
        assert {"credits", "credits_origin", "flags"} <= set(a)
    undated = members[engine.ids[REWRITE_UNDATED]]
    assert "exclusive_on_derived" in _flags(undated)
    assert "according to a senior officer" in _flags(undated)["attribution_changed"]


def _article(text: str, outlet: str | None = None) -> tuple[Article, list[Quote]]:
    article = Article("x", None, outlet, [], None, None, len(text), 1)
    return article, [Quote.of("x", text, 0, len(text))]


@pytest.mark.parametrize("text, credited", [
    ("The plan was first reported by The Washington Post on Monday.", "The Washington Post"),
    ("Reuters has learned that the deal collapsed.", "Reuters"),
    ("The deal collapsed, according to ABC News.", "ABC News"),
    ("Cables leaked to The Guardian outline the plan.", None),
    ("The Times has learned that the deal collapsed.", None),  # its own outlet
])
def test_credit_phrases(text, credited):
    article, passages = _article(text, "The Times")
    found = [q.text for q in credits_in(article, text, passages, ())]
    assert found == ([credited] if credited else [])


@pytest.mark.parametrize("text, claim", [
    ("EXCLUSIVE: The minister quit.", "EXCLUSIVE"),
    ("The Times has learned that the minister quit.", "The Times has learned"),
    ("We can reveal that the minister quit.", "can reveal"),
    ("\u201cThis is exclusive,\u201d she said.", None),  # in a quotation: not its own voice
    ("The club has exclusive rights to the land.", None),
    ("The minister quit, the BBC has learned.", None),  # another outlet's claim
])
def test_exclusive_claims(text, claim):
    article, passages = _article(text, "The Times")
    found = exclusive_claim(article, text, passages, ())
    assert (found.text if found else None) == claim


def test_cli_outlets(tmp_path, capsys):
    home = ["--home", str(tmp_path)]
    assert main([*home, "outlets", "group", "The Mail on Sunday", "Daily Mail", "--json"]) == 0
    assert main([*home, "outlets", "alias", "Daily Mail", "MailOnline", "--json"]) == 0
    capsys.readouterr()
    assert main([*home, "outlets", "list", "--json"]) == 0
    listed = {e["name"]: e for e in json.loads(capsys.readouterr().out)["outlets"]}
    assert listed["Daily Mail"]["aliases"] == ["MailOnline"]
    assert listed["Daily Mail"]["sister_titles"] == ["The Mail on Sunday"]
    assert main([*home, "outlets", "alias", "Daily Mail", "--json"]) == 1
    assert "needs two names" in json.loads(capsys.readouterr().out)["error"]


def test_names_match_the_same_outlet_an_alias_chain_or_a_sister_title_and_nothing_unrecorded(tmp_path):
    from index.store.article_db import ArticleDB
    from index.stories.outlet_names import OutletNames, record_link

    db = ArticleDB(tmp_path / "registry.sqlite3")
    assert OutletNames(db).match("the mail on  SUNDAY", "The Mail on Sunday") == "same"
    assert OutletNames(db).match("Daily Mail", "The Mail on Sunday") is None
    record_link(db, "Daily Mail", "MailOnline", "alias")
    assert OutletNames(db).match("mailonline", "Daily Mail") == "alias"
    assert OutletNames(db).match("MailOnline", "The Mail on Sunday") is None
    record_link(db, "The Mail on Sunday", "Daily Mail", "group")
    assert OutletNames(db).match("MailOnline", "The Mail on Sunday") == "sister_title"
    assert OutletNames(db).match("MailOnline", None) is None
    db.close()
