"""digest: window by added_at, stories by index neighbours + union-find, lead quotes and
flags from a fixed vocabulary; every quote a slice of its article."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.compare.comparison import load_doc
from index.config import Settings
from index.engine import Engine
from index.errors import UserError
from index.stories.digest import FLAG_KINDS, MAX_FLAGS, QUOTE_FLAG_KINDS, digest, lead_quote, parse_since
from index.stories.lineage import DERIVED_SHARE
from tests.conftest import ORIGINAL, REWRITE_DATED, REWRITE_UNDATED, SAMPLE_DIR

FOOTBALL = Path(__file__).parent / "data" / "related" / "football_transfer.txt"
FAR_PAST = "2000-01-01"

# A made-up local story on another topic: a report and a rewrite of it.
FLOOD_REPORT = """Harbour town approves flood barrier

The town council of Eastwick voted on Tuesday to build a flood barrier across the old harbour mouth, after two winters of storm surges flooded the market square.

The barrier will cost 14 million pounds and is due to be finished by the autumn of 2028, according to the council's planning committee.

Councillor Mary Holt, who chairs the committee, said: "We cannot ask shopkeepers to bail out their cellars every February."

Fishermen have objected that the barrier's gates will close the harbour for up to six hours during the highest tides.

The regional environment agency will pay half of the cost, with the rest coming from the town's reserves and a loan.

Work on the foundations is expected to begin next spring once the harbour wall survey is complete.
"""

FLOOD_REWRITE = """Eastwick to get harbour flood barrier

The town council of Eastwick voted on Tuesday to build a flood barrier across the old harbour mouth, after two winters of storm surges flooded the market square.

The barrier will cost 14 million pounds and should be completed by autumn 2028, the planning committee said.

Councillor Mary Holt, the committee's chair, said: "We cannot ask shop owners to bail out their cellars every winter."

Fishermen have objected that the barrier's gates will close the harbour for up to six hours during the highest tides.

Half of the cost will be met by the regional environment agency.
"""


def _quotes_in(value):
    """Every quote object anywhere in a JSON value."""
    if isinstance(value, dict):
        if set(value) == {"article_id", "text", "start", "end"}:
            yield value
        for v in value.values():
            yield from _quotes_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from _quotes_in(v)


def assert_quotes_are_slices(engine: Engine, data: dict) -> int:
    n = 0
    for quote in _quotes_in(data):
        text = engine.show(quote["article_id"])[1]
        assert 0 <= quote["start"] < quote["end"] <= len(text)
        assert text[quote["start"] : quote["end"]] == quote["text"]
        n += 1
    return n


def _ingest_text(engine: Engine, text: str, name: str, **meta) -> str:
    from index.records import Metadata

    result = engine.ingest_bytes(text.encode("utf-8"), name, Metadata(**meta))[0]
    assert result.status == "added", result.error
    return result.article_id


@pytest.fixture(scope="module")
def mixed_engine(tmp_path_factory):
    """The sample story (3 articles), a made-up flood story (2), a football report (1)."""
    engine = Engine(Settings.from_env(tmp_path_factory.mktemp("home")), "mixed")
    engine.ingest([SAMPLE_DIR, FOOTBALL])
    engine.flood = [
        _ingest_text(engine, FLOOD_REPORT, "flood.txt", outlet="Eastwick Gazette", published="2026-03-03"),
        _ingest_text(engine, FLOOD_REWRITE, "flood-rewrite.txt", outlet="County Daily", published="2026-03-04"),
    ]
    yield engine
    engine.close()


# -- the sample corpus ------------------------------------------------------------------------


def test_sample_is_one_story_with_the_original_first(sample_engine):
    ids = sample_engine.ids
    result = digest(sample_engine.store, since=FAR_PAST)
    assert len(result.stories) == 1
    story = result.stories[0]
    assert [a.article_id for a in story.articles][0] == ids[ORIGINAL]
    assert story.articles[0].outlet == "The Mail on Sunday"
    assert {a.article_id for a in story.articles} == set(ids.values())
    assert story.origin == ids[ORIGINAL] and story.story_id == ids[ORIGINAL]
    derived = {f.article_id: f for f in story.flags if f.kind == "derived"}
    assert set(derived) == {ids[REWRITE_DATED], ids[REWRITE_UNDATED]}
    assert all(f.from_article_id == ids[ORIGINAL] and f.reuse >= DERIVED_SHARE for f in derived.values())
    assert any(f.kind in ("quote_altered", "attribution_changed") for f in story.flags)
    assert story.lead.article_id == ids[ORIGINAL]
    assert len(story.flags) <= MAX_FLAGS
    assert {f.kind for f in story.flags} <= set(FLAG_KINDS)


def test_sample_digest_json_follows_the_contract(sample_engine):
    ids = sample_engine.ids
    data = digest(sample_engine.store, since=FAR_PAST).to_json()
    assert {"since", "until", "stories"} <= set(data)
    assert datetime.fromisoformat(data["since"]) == datetime(2000, 1, 1, tzinfo=timezone.utc)
    datetime.fromisoformat(data["until"])
    story = data["stories"][0]
    assert {"articles", "lead", "flags"} <= set(story)
    contract_article = {"article_id", "title", "outlet", "authors", "published", "url", "chars", "passages"}
    for article in story["articles"]:
        assert contract_article <= set(article)
        assert article["new"] is True
    assert set(story["lead"]) == {"article_id", "text", "start", "end"}
    by_id = {a["article_id"]: a for a in story["articles"]}
    # The undated rewrite is never given a date; it follows its origin.
    assert by_id[ids[REWRITE_UNDATED]]["published"] is None
    order = [a["article_id"] for a in story["articles"]]
    assert order.index(ids[REWRITE_UNDATED]) == order.index(ids[ORIGINAL]) + 1
    assert by_id[ids[ORIGINAL]]["relation"] == "origin"
    assert by_id[ids[REWRITE_DATED]]["relation"] == by_id[ids[REWRITE_UNDATED]]["relation"] == "derived"
    assert story["outlets"][0] == "The Mail on Sunday" and None in story["outlets"]
    kinds = [f["kind"] for f in story["flags"]]
    assert kinds == sorted(kinds, key=FLAG_KINDS.index)  # most important first
    single = [f for f in story["flags"] if f["kind"] == "single_source"]
    assert all(f["basis"] in ("one_article", "one_outlet", "all_derived") for f in single)
    undated = next(f for f in story["flags"] if f["kind"] == "undated")
    assert undated["article_ids"] == [ids[REWRITE_UNDATED]]


def test_quote_flags_pair_a_parent_quote_with_a_rewrite_quote(sample_engine):
    ids = sample_engine.ids
    story = digest(sample_engine.store, since=FAR_PAST).stories[0]
    quote_flags = [f for f in story.flags if f.kind in QUOTE_FLAG_KINDS]
    assert quote_flags
    for flag in quote_flags:
        assert flag.from_article_id == ids[ORIGINAL] and flag.a.article_id == ids[ORIGINAL]
        assert flag.article_id == flag.b.article_id != ids[ORIGINAL]


def test_default_window_is_the_last_24_hours(sample_engine):
    assert len(digest(sample_engine.store).stories) == 1  # ingested just now
    later = datetime.now(timezone.utc) + timedelta(days=2)
    assert digest(sample_engine.store, until=later).stories == []


# -- quotes are slices ------------------------------------------------------------------------


def test_every_quote_in_the_digest_is_a_slice_of_its_article(sample_engine, mixed_engine):
    for engine in (sample_engine, mixed_engine):
        data = digest(engine.store, since=FAR_PAST).to_json()
        assert assert_quotes_are_slices(engine, data) >= len(data["stories"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), which=st.sampled_from([ORIGINAL, REWRITE_DATED, REWRITE_UNDATED]))
def test_lead_quote_is_always_a_passage_slice(sample_engine, seed, which):
    doc = load_doc(sample_engine.store, sample_engine.ids[which])
    centroid = np.random.default_rng(seed).standard_normal(doc.vectors.shape[1]).astype(np.float32)
    quote = lead_quote(doc, centroid / np.linalg.norm(centroid))
    assert quote in doc.passages
    assert doc.text[quote.start : quote.end] == quote.text


# -- window ---------------------------------------------------------------------------------


def test_empty_window_gives_no_stories(sample_engine):
    result = digest(sample_engine.store, since=FAR_PAST, until="2000-01-02")
    assert result.stories == [] and result.to_json()["stories"] == []
    assert digest(sample_engine.store, since=FAR_PAST, until=FAR_PAST).stories == []
    with pytest.raises(UserError):
        digest(sample_engine.store, since="2001-01-01", until="2000-01-01")


def test_older_articles_of_a_story_are_shown_next_to_the_new_one(fresh_engine):
    original = fresh_engine.ingest([SAMPLE_DIR / ORIGINAL])[0].article_id
    cut = datetime.now(timezone.utc)
    rewrite = fresh_engine.ingest([SAMPLE_DIR / REWRITE_DATED])[0].article_id
    result = digest(fresh_engine.store, since=cut)
    assert result.new_articles == 1 and len(result.stories) == 1
    data = result.stories[0].to_json()
    assert [(a["article_id"], a["new"]) for a in data["articles"]] == [(original, False), (rewrite, True)]
    assert data["new_articles"] == [rewrite]
    assert any(f["kind"] == "derived" and f["article_id"] == rewrite for f in data["flags"])
    # Before the cut, the rewrite did not exist yet: the original stands alone.
    before = digest(fresh_engine.store, since=FAR_PAST, until=cut)
    assert [[a.article_id for a in s.articles] for s in before.stories] == [[original]]
    assert before.stories[0].flags[0].kind == "single_source"
    fresh_engine.close()


@pytest.mark.parametrize("value, expected", [
    ("24h", datetime(2026, 3, 9, 12, tzinfo=timezone.utc)),
    ("24 hours", datetime(2026, 3, 9, 12, tzinfo=timezone.utc)),
    ("7d", datetime(2026, 3, 3, 12, tzinfo=timezone.utc)),
    ("2w", datetime(2026, 2, 24, 12, tzinfo=timezone.utc)),
    ("30m", datetime(2026, 3, 10, 11, 30, tzinfo=timezone.utc)),
    ("2026-01-01", datetime(2026, 1, 1, tzinfo=timezone.utc)),
    ("2026-01-01T08:30:00Z", datetime(2026, 1, 1, 8, 30, tzinfo=timezone.utc)),
    ("2026-01-01T08:30:00+02:00", datetime(2026, 1, 1, 6, 30, tzinfo=timezone.utc)),
    ("2026-01-01T08:30:00", datetime(2026, 1, 1, 8, 30, tzinfo=timezone.utc)),
    ("2026-01-01 08:30", datetime(2026, 1, 1, 8, 30, tzinfo=timezone.utc)),
])
def test_parse_since_accepts(value, expected):
    now = datetime(2026, 3, 10, 12, tzinfo=timezone.utc)
    got = parse_since(value, now)
    assert got == expected and got.tzinfo is not None


@pytest.mark.parametrize("value", ["", "yesterday", "24x", "h24", "-5h", "2026-13-01", "2026-02-30", "2026-01-01T25:00",
                                   "7d ago", "2026/01/01", "1e3h"])
def test_parse_since_rejects_garbage(value):
    with pytest.raises(UserError):
        parse_since(value, datetime(2026, 3, 10, tzinfo=timezone.utc))


# -- several stories ------------------------------------------------------------------------


def test_unrelated_stories_are_separate_and_ordered_by_size(mixed_engine):
    result = digest(mixed_engine.store, since=FAR_PAST)
    groups = [{a.article_id for a in s.articles} for s in result.stories]
    sample_ids = {a.article_id for a in mixed_engine.articles() if (a.source_name or "")[:3] in ("000", "001", "003")}
    football = next(a.article_id for a in mixed_engine.articles() if a.source_name == FOOTBALL.name)
    assert groups == [sample_ids, set(mixed_engine.flood), {football}]
    sizes = [len(s.articles) for s in result.stories]
    assert sizes == sorted(sizes, reverse=True) == [3, 2, 1]
    flood = result.stories[1]
    assert [a.article_id for a in flood.articles] == mixed_engine.flood  # by date
    assert flood.outlets == ["Eastwick Gazette", "County Daily"]
    assert any(f.kind == "derived" and f.article_id == mixed_engine.flood[1] for f in flood.flags)
    assert flood.lead.article_id == mixed_engine.flood[0]
    assert len(flood.lead.text.split()) >= 8  # a sentence, not the headline
    lone = result.stories[2]
    assert [f.to_json() for f in lone.flags if f.kind == "single_source"] == [{
        "kind": "single_source", "basis": "one_article", "article_id": football,
        "article_ids": [football], "outlet": None,
    }]
    assert result.to_json()["new_articles"] == 6


def test_max_stories_keeps_the_largest(mixed_engine):
    result = digest(mixed_engine.store, since=FAR_PAST, max_stories=1)
    assert len(result.stories) == 1 and len(result.stories[0].articles) == 3
    assert result.stories_omitted == 2
