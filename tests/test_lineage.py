"""lineage and story_of on the sample corpus, with one independent report of the same
story (tests/data/related) and one unrelated article."""
from __future__ import annotations

from pathlib import Path

import pytest

from index.config import Settings
from index.engine import Engine
from index.stories.lineage import DERIVED_SHARE, story_of

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "sample_corpus"
RELATED = Path(__file__).parent / "data" / "related"


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    eng = Engine(Settings.from_env(tmp_path_factory.mktemp("home")), "t")
    eng.ingest([SAMPLE, RELATED])
    yield eng
    eng.close()


@pytest.fixture(scope="module")
def ids(engine: Engine) -> dict[str, str]:
    return {a.source_name.split("_")[0].removesuffix(".txt"): a.article_id for a in engine.articles()}


@pytest.mark.parametrize("name", ["000", "001", "003"])
def test_sample_lineage_names_the_original(engine: Engine, ids: dict[str, str], name: str) -> None:
    result = engine.lineage(ids[name])
    assert result.origin == ids["000"]
    relations = {e.article.article_id: e.relation for e in result.related}
    relations[ids[name]] = result.role
    assert relations[ids["000"]] == "origin"
    assert relations[ids["001"]] == "derived" and relations[ids["003"]] == "derived"
    assert relations[ids["greenland"]] == "related"
    assert ids["football"] not in relations
    data = result.to_json()
    assert data["origin"] == ids["000"]
    assert {e["relation"] for e in data["related"]} <= {"origin", "derived", "related"}
    for entry in data["related"]:
        assert 0 <= entry["reuse"] <= 1 and 0 <= entry["reuse_of_query"] <= 1
        if entry["relation"] == "derived":
            assert entry["reuse_from_parent"] >= DERIVED_SHARE


def test_rewrites_derive_from_the_original(engine: Engine, ids: dict[str, str]) -> None:
    result = engine.lineage(ids["000"])
    assert result.role == "origin" and result.derived_from is None
    derived = {e.article.article_id: e for e in result.related if e.relation == "derived"}
    assert set(derived) == {ids["001"], ids["003"]}
    assert all(e.derived_from == ids["000"] for e in derived.values())
    # The undated rewrite keeps no date: placed by reuse only.
    assert derived[ids["003"]].article.published is None
    assert [e.relation for e in result.related] == ["derived", "derived", "related"]


def test_undated_rewrite_role(engine: Engine, ids: dict[str, str]) -> None:
    result = engine.lineage(ids["003"])
    assert result.role == "derived" and result.derived_from == ids["000"]
    assert result.reuse_from_parent is not None and result.reuse_from_parent >= DERIVED_SHARE
    assert result.article.published is None
    assert result.to_json()["related"][0]["relation"] == "origin"


def test_independent_report_is_related(engine: Engine, ids: dict[str, str]) -> None:
    result = engine.lineage(ids["greenland"])
    assert result.role == "related" and result.origin == ids["000"]
    assert {e.article.article_id for e in result.related} == {ids["000"], ids["001"], ids["003"]}


def test_story_of_one_article(engine: Engine, ids: dict[str, str]) -> None:
    assert story_of(engine.store, ids["football"]) == []
    result = engine.lineage(ids["football"])
    assert result.origin is None and result.related == [] and result.role is None
    assert result.to_json()["origin"] is None


def test_story_uses_the_index_not_all_pairs(engine: Engine, ids: dict[str, str], monkeypatch) -> None:
    calls: list[int] = []
    query = engine.vectors.query

    def counting(vectors, k, outlet=None):
        calls.append(len(vectors))
        return query(vectors, k, outlet)

    monkeypatch.setattr(engine.vectors, "query", counting)
    assert set(story_of(engine.store, ids["001"])) == {ids["000"], ids["003"], ids["greenland"]}
    # One query per story member reached, each with that member's passages.
    assert len(calls) <= 1 + 3


def test_story_is_symmetric_for_sample(engine: Engine, ids: dict[str, str]) -> None:
    for name in ("000", "001", "003", "greenland"):
        members = set(story_of(engine.store, ids[name])) | {ids[name]}
        assert members == {ids["000"], ids["001"], ids["003"], ids["greenland"]}
