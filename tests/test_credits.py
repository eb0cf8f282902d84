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
    assert [f["kind"] for f in top["flags"]][0] == "exclusive_on_derived"  # most serious first


def test_a_sister_title_recorded_makes_the_daily_mail_credit_the_origin(engine, tmp_path):
    ids = engine.ids
    entry = engine.record_group("The Mail on Sunday", "daily  mail")
    assert entry.sister_titles == ["daily  mail"] or entry.sister_titles == ["daily mail"]
    dated = engine.lineage(ids[REWRITE_DATED]).to_json()
    assert dated["credits_origin"] is True
    assert dated["credits"][0]["names_origin"] == "sister_title"
    assert "credits_other_outlet" not in _flags(dated) and "uncredited_copy" not in _flags(dated)
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
