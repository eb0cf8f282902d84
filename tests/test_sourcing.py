"""Issue 24: what an article's statements rest on (named speakers, unnamed sources, documents,
another outlet), in /article's CLI (`show`) and lineage; every quote a verbatim slice."""
from __future__ import annotations

import json

import pytest

from index.cli.commands import main
from index.records import Article, Quote
from index.stories.sourcing import SOURCING_KINDS, source_kind, sourcing_profile
from tests.conftest import ORIGINAL, REWRITE_DATED, REWRITE_UNDATED


def _kinds(doc: dict) -> dict[str, dict]:
    return {k["kind"]: k for k in doc["sourcing"]["kinds"]}


def _speakers(kind: dict) -> list[str]:
    return [s["text"] for s in kind["speakers"]]


def test_the_original_rests_on_unnamed_sources_and_the_rewrite_on_a_senior_officer(sample_engine):
    engine, ids = sample_engine, sample_engine.ids
    doc = engine.lineage(ids[ORIGINAL]).to_json()
    entries = {doc["article"]["article_id"]: doc, **{e["article"]["article_id"]: e for e in doc["related"]}}
    original = _kinds(entries[ids[ORIGINAL]])
    assert {"Sources", "One source", "A diplomatic source"} <= set(_speakers(original["unnamed"]))
    assert original["unnamed"]["count"] == len(original["unnamed"]["speakers"]) >= 3
    assert "outlet" not in original  # it credits nobody
    assert original["document"]["who"]["text"] in ("One diplomatic cable", "The cable")
    undated = _kinds(entries[ids[REWRITE_UNDATED]])
    assert "a senior officer" in _speakers(undated["unnamed"])
    dated = _kinds(entries[ids[REWRITE_DATED]])
    assert dated["outlet"]["who"]["text"] == "Daily Mail"
    for entry in entries.values():
        assert [k["kind"] for k in entry["sourcing"]["kinds"]] == [k for k in SOURCING_KINDS if k in _kinds(entry)]
        assert all(k["count"] <= entry["sourcing"]["statements"] for k in entry["sourcing"]["kinds"])


def test_every_sourcing_quote_is_a_verbatim_slice(sample_engine):
    engine = sample_engine
    for aid in sample_engine.ids.values():
        profile = engine.sourcing(aid)
        _, text = engine.show(aid)
        assert profile.quotes()
        for q in profile.quotes():
            assert q.article_id == aid and text[q.start:q.end] == q.text
        for k in profile.kinds:
            assert k.quote.start <= k.who.start and k.who.end <= k.quote.end  # the speaker is in its passage


def test_show_gives_the_sourcing_profile(sample_engine, capsys):
    args = ["--home", str(sample_engine.settings.home), "--corpus", sample_engine.corpus]
    aid = sample_engine.ids[ORIGINAL]
    assert main([*args, "show", aid, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert "unnamed" in _kinds(doc) and doc["sourcing"]["statements"] > 0
    assert main([*args, "show", aid]) == 0
    assert "rests on unnamed sources:" in capsys.readouterr().out


@pytest.mark.parametrize("phrase, kind", [
    ("Sources", "unnamed"), ("One source", "unnamed"), ("A diplomatic source", "unnamed"),
    ("a senior officer", "unnamed"), ("European officials", "unnamed"), ("a White House spokesman", "unnamed"),
    ("insider reports", "unnamed"), ("The cable", "document"), ("a report", "document"),
    ("documents seen by the newspaper", "document"), ("Kempthorne", "named"),
    ("Defence Secretary Michael Fallon", "named"), ("he", "named"), ("It", None), ("They", None),
    ("This directive", None), ("the NATO summit on July 7", None), ("Police", "named"), ("the company", "named"),
    ("the U.S. Geological Survey", "named"), ("the lawsuit", "document"), ("Prosecutors", "unnamed"),
])
def test_source_kinds(phrase, kind):
    assert source_kind(phrase) == kind


def profile_of_lines(text: str):
    """The sourcing profile of an article whose every line is one body passage."""
    spans, at = [], 0
    for line in text.split("\n"):
        if line:
            spans.append(Quote.of("x", text, at, at + len(line)))
        at += len(line) + 1
    article = Article("x", None, None, [], None, None, len(text), len(spans))
    return sourcing_profile(article, text, spans, ["body"] * len(spans), ())


def test_a_quoted_verb_is_no_source_and_a_credit_is_an_outlet():
    text = ("Police said the road was closed.\n"
            "‘They say it is over,’ a police officer added.\n"
            "The fire spread overnight, according to the Associated Press.\n"
            "‘Nobody knows what officials said.’\n")
    profile = profile_of_lines(text)
    kinds = {k.kind: k for k in profile.kinds}
    assert profile.statements == 4
    assert kinds["outlet"].who.text == "the Associated Press"
    assert kinds["unnamed"].who.text == "a police officer"  # described, not named
    assert kinds["named"].who.text == "Police"  # a body speaking as itself
    assert kinds["unnamed"].count == 1  # the quoted "officials said" is no source


@pytest.mark.parametrize("line, kind, who", [
    ('"We would probably not be seeing the improvements," said Rick McGuire of the Alpine Lakes Society.',
     "named", "Rick McGuire"),  # the quotation's own tag
    ("John C. Cerar, the former commander for firearms training at the Police Department, said many factors "
     "could explain the wounds to the front and back of Mr. Gray’s body.",
     "named", "John C. Cerar"),  # the speaker before an apposition
    ("Peyton Hillis added 101 yards on the ground for the Chiefs.", None, None),  # no speech
    ("The regulations require no consultation, the lawsuit said.", "document", "the lawsuit"),
])
def test_statement_kinds(line, kind, who):
    article = Article("x", None, None, [], None, None, len(line), 1)
    profile = sourcing_profile(article, line, [Quote.of("x", line, 0, len(line))], ["body"], ())
    assert [(k.kind, k.who.text) for k in profile.kinds] == ([(kind, who)] if kind else [])


def test_a_kind_is_shown_by_a_speaker_more_than_a_pronoun():
    text = ("The talks failed, he said.\n"
            "The deal is dead, Maria Lopez said.\n")
    named = {k.kind: k for k in profile_of_lines(text).kinds}["named"]
    assert named.count == 2 and [w.text for w in named.speakers] == ["he", "Maria Lopez"]
    assert named.who.text == "Maria Lopez" and text[named.quote.start:named.quote.end] == named.quote.text
