"""Stories = same real-world event (index/story_clusters.py), and the placement of
rewrites (index/stories.py), on made-up articles: sibling events stay apart, a stock
sentence joins nothing, independent coverage is related, a copy of a copy names the
original, and no article of a digest window is left out."""
from __future__ import annotations

from pathlib import Path

import pytest

from index.config import Settings
from index.engine import Engine
from index.records import Article, Metadata
from index.stories.analysis import DERIVED_SHARE, PARENT_MARGIN, placement
from index.stories.clusters import cluster_similarity, story_similarity

FAR_PAST = "2000-01-01"

QUAKE_A1 = """Strong quake collapses school gym in Valdora

A magnitude 6.4 earthquake shook the mountain province of Valdora early on Tuesday, collapsing a school gymnasium in the town of Mirel and cutting power to 40,000 homes.

The quake struck at 4:12 a.m. at a depth of 10 kilometres, the national seismology institute said.

Governor Anita Roscoe said rescue teams had pulled nine people alive from the rubble of the gymnasium in Mirel.

There were no immediate reports of damage in the provincial capital, Oster.

Aftershocks as strong as magnitude 4.8 rattled Mirel through the morning, and schools across Valdora were closed.
"""

QUAKE_A2 = """Rescuers free nine from Mirel gym after Valdora quake

Rescuers in Mirel worked through Tuesday to free people trapped when a 6.4-magnitude quake brought down a school gymnasium in Valdora province.

Nine people were rescued from the ruins of the gym, Governor Anita Roscoe told reporters in Mirel.

The seismology institute put the depth of the pre-dawn quake at 10 kilometres.

About 40,000 homes across Valdora lost electricity, and schools stayed shut.

Many residents of Mirel spent the day outdoors as aftershocks continued.
"""

QUAKE_B1 = """Earthquake damages harbour in Kestrel Bay

A magnitude 5.9 earthquake struck off the coast of Kestrel Bay on Sunday evening, cracking the harbour wall and sinking two fishing boats.

The quake hit at 7:45 p.m. at a depth of 22 kilometres, according to the coastal monitoring agency.

Mayor Tomas Ekdahl said three people were treated for minor injuries at Kestrel Bay hospital.

There were no immediate reports of damage further inland.

A tsunami warning for the Kestrel coast was issued and lifted within an hour.
"""

QUAKE_B2 = """Kestrel Bay counts cost of offshore quake

Fishermen in Kestrel Bay on Monday surveyed two boats sunk in the harbour by Sunday's magnitude 5.9 offshore earthquake.

Mayor Tomas Ekdahl said the cracked harbour wall would be inspected by engineers this week.

Three people hurt in the quake were released from Kestrel Bay hospital.

The coastal monitoring agency said the tremor was centred 22 kilometres below the seabed.

A brief tsunami warning on Sunday sent Kestrel residents to higher ground.
"""

CHURCH_FIRE = """Fire guts historic church in Dunmore

A fire destroyed the roof of St Brigid's church in Dunmore overnight, leaving only the stone walls of the 1840 building standing.

Firefighters from three stations fought the blaze for five hours after a neighbour raised the alarm at 1 a.m.

The parish priest, Father Liam Costa, said the church's organ and stained glass windows were lost.

Police are treating the fire as potentially suspicious.

Anyone with information is asked to contact police.

Sunday services will be held in the Dunmore community hall.
"""

STORE_FIRE = """Blaze destroys furniture store on Hale Road

A furniture store on Hale Road in Brackwell was destroyed by fire on Saturday afternoon, and smoke forced the closure of the nearby railway station.

The owner, Priya Nandakumar, said twelve staff left the building safely before the roof fell in.

Police are treating the fire as potentially suspicious.

Anyone with information is asked to contact police.

Hale Road remained closed to traffic on Sunday while the walls were made safe.
"""

FOOTBALL = """Harbourside win the county cup

Harbourside United won the county cup on Saturday, beating Millbrook 3-1 in front of 4,000 fans at Riverside Park.

Striker Dan Okafor scored twice in the second half after Millbrook had taken an early lead.

Manager Ruth Calloway said the win was the best moment of her twelve years at the club.
"""

RECIPE = """Autumn apple cake

This apple cake needs four eating apples, 200 grams of flour, three eggs and a spoon of cinnamon.

Bake it for forty minutes at 180 degrees, until a skewer comes out clean.

It keeps for three days in a tin and is best served warm with cream.
"""


def _article(aid: str, published: str | None = None) -> Article:
    return Article(article_id=aid, title=None, outlet=None, authors=[], published=published, url=None,
                   chars=0, passages=0)


# -- same-event evidence, no engine ------------------------------------------------------------


def test_sibling_events_stay_apart_in_clustering() -> None:
    texts = [QUAKE_A1, QUAKE_A2, QUAKE_B1, QUAKE_B2, FOOTBALL, RECIPE]
    labels = cluster_similarity(story_similarity(texts, [_article(str(n)) for n in range(len(texts))]))
    assert labels[0] == labels[1] and labels[2] == labels[3]
    assert len({labels[0], labels[2], labels[4], labels[5]}) == 4


def test_stock_sentences_do_not_join_different_events() -> None:
    texts = [CHURCH_FIRE, STORE_FIRE, FOOTBALL, RECIPE]
    labels = cluster_similarity(story_similarity(texts, [_article(str(n)) for n in range(len(texts))]))
    assert len(set(labels)) == 4


def test_dates_years_apart_keep_articles_apart() -> None:
    texts = [QUAKE_A1, QUAKE_A2, FOOTBALL]
    same = story_similarity(texts, [_article("a", "2011-03-01"), _article("b", "2011-03-02"), _article("c")])
    apart = story_similarity(texts, [_article("a", "2011-03-01"), _article("b", "2015-03-02"), _article("c")])
    assert same[0, 1] > 0.3 and apart[0, 1] == 0.0
    assert cluster_similarity(apart)[0] != cluster_similarity(apart)[1]


# -- placement: the parent is the source, not a sibling copy --------------------------------------


def test_copy_of_a_copy_names_the_original_when_it_explains_as_much() -> None:
    articles = {k: _article(k, f"2024-05-0{n}") for n, k in enumerate(("orig", "copy", "copy2"), 1)}
    shares = {("orig", "copy"): 0.9, ("copy", "orig"): 0.8, ("orig", "copy2"): 0.93,
              ("copy2", "orig"): 0.6, ("copy", "copy2"): 0.95, ("copy2", "copy"): 0.7}
    assert 0.95 - 0.93 < PARENT_MARGIN
    parents = placement(articles, "orig", shares)
    assert parents["copy2"] == ("orig", 0.93)
    # A rewrite that took what only the middle copy added is placed under it.
    shares[("copy", "copy2")] = 0.95 + PARENT_MARGIN + 0.05
    assert placement(articles, "orig", shares)["copy2"][0] == "copy"


# -- the engine ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    eng = Engine(Settings.from_env(tmp_path_factory.mktemp("home")), "stories")
    yield eng
    eng.close()


def _ingest(engine: Engine, text: str, name: str, **meta) -> str:
    result = engine.ingest_bytes(text.encode("utf-8"), name, Metadata(**meta))[0]
    assert result.article_id, result
    return result.article_id


@pytest.fixture(scope="module")
def ids(engine: Engine) -> dict[str, str]:
    texts = {"a1": QUAKE_A1, "a2": QUAKE_A2, "b1": QUAKE_B1, "b2": QUAKE_B2, "church": CHURCH_FIRE,
             "store": STORE_FIRE, "football": FOOTBALL, "recipe": RECIPE}
    return {name: _ingest(engine, text, f"{name}.txt") for name, text in texts.items()}


def _stories(result) -> list[set[str]]:
    return [set(s.new) | set(s.new_not_listed) for s in result.stories]


def test_digest_keeps_sibling_events_and_stock_sentences_apart(engine: Engine, ids: dict[str, str]) -> None:
    stories = _stories(engine.digest(since=FAR_PAST, max_stories=50))
    assert {ids["a1"], ids["a2"]} in stories and {ids["b1"], ids["b2"]} in stories
    assert {ids["church"]} in stories and {ids["store"]} in stories


def test_digest_leaves_no_article_out(engine: Engine, ids: dict[str, str]) -> None:
    result = engine.digest(since=FAR_PAST, max_stories=2)
    listed = [aid for s in _stories(result) for aid in s] + [a.article_id for a in result.not_shown]
    assert sorted(listed) == sorted(ids.values())  # each exactly once
    assert result.stories_omitted == len(_stories(engine.digest(since=FAR_PAST, max_stories=50))) - 2
    data = result.to_json()
    assert {a["article_id"] for a in data["not_shown"]} == {a.article_id for a in result.not_shown}


def test_long_story_names_its_unlisted_new_articles(engine: Engine, ids: dict[str, str], monkeypatch) -> None:
    import index.stories.digest as digest_module

    monkeypatch.setattr(digest_module, "MAX_STORY_ARTICLES", 1)
    result = engine.digest(since=FAR_PAST, max_stories=50)
    quake = next(s for s in result.stories if ids["a1"] in set(s.new) | set(s.new_not_listed))
    assert len(quake.articles) == 1 and quake.size == 2
    assert set(quake.new) | set(quake.new_not_listed) == {ids["a1"], ids["a2"]}
    assert quake.to_json()["new_not_listed"] == quake.new_not_listed


def test_independent_coverage_of_one_event_is_related(engine: Engine, ids: dict[str, str]) -> None:
    """A2 reports A1's event in its own words (same names, numbers and facts, sentences
    that mean the same): same story, not derived."""
    result = engine.lineage(ids["a1"])
    relations = {e.article.article_id: e.relation for e in result.related}
    assert relations[ids["a2"]] == "related" and result.role == "related"
    assert result.origin is None
    entry = next(e for e in result.related if e.article.article_id == ids["a2"])
    assert entry.reuse < DERIVED_SHARE and entry.reuse_of_query < DERIVED_SHARE


def test_copy_of_a_copy_names_the_original(tmp_path: Path) -> None:
    eng = Engine(Settings.from_env(tmp_path), "copies")
    try:
        paragraphs = QUAKE_A1.split("\n\n")
        copy = "\n\n".join(paragraphs[:4] + ["Officials said the school had been inspected in 2019."])
        copy_of_copy = "\n\n".join(paragraphs[:4])
        orig = _ingest(eng, QUAKE_A1, "orig.txt", published="2024-05-01")
        middle = _ingest(eng, copy, "copy.txt", published="2024-05-02")
        last = _ingest(eng, copy_of_copy, "copy2.txt", published="2024-05-03")
        result = eng.lineage(last)
        assert result.origin == orig
        assert result.role == "derived" and result.derived_from == orig
        # Copied word for word: the whole share is verbatim.
        assert result.verbatim_from_parent == pytest.approx(result.reuse_from_parent, abs=0.02)
        assert result.to_json()["verbatim_from_parent"] == round(result.verbatim_from_parent, 4)
        entries = {e.article.article_id: e for e in result.related}
        assert entries[middle].relation == "derived" and entries[middle].derived_from == orig
    finally:
        eng.close()


def test_renderers_list_the_articles_of_stories_not_shown(engine: Engine, ids: dict[str, str]) -> None:
    from bot.render.digest import digest_pages
    from index.cli import text_output as render_text

    result = engine.digest(since=FAR_PAST, max_stories=2)
    assert result.not_shown
    text = render_text.digest(result)
    assert "not shown" in text and all(a.article_id in text for a in result.not_shown)
    embeds = [e for page in digest_pages(result) for e in page.embeds]
    listing = next(e for e in embeds if (e.title or "").startswith("not shown"))
    assert all(f"`{a.article_id[:8]}`" in listing.fields[0].value for a in result.not_shown)  # short ids


def test_large_windows_are_clustered_in_chunks_without_losing_articles(engine: Engine, ids: dict[str, str],
                                                                       monkeypatch) -> None:
    import index.stories.clusters as clusters

    monkeypatch.setattr(clusters, "WINDOW_CHUNK", 3)
    result = engine.digest(since=FAR_PAST, max_stories=50)
    listed = [aid for s in _stories(result) for aid in s]
    assert sorted(listed) == sorted(ids.values())
