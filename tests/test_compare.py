"""compare: aligned passages, one-sided passages, quotation changes, reuse, symmetry, and
that every quote is a slice of its article."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.compare.comparison import REWORDED_SIMILARITY, verbatim_matrix
from index.compare.results import CompareResult
from index.config import Settings
from index.engine import Engine
from index.ingest.passages import split_passages
from index.text.roles import ROLES
from index.text.words import normalized

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "sample_corpus"
PAIRS = Path(__file__).parent / "data" / "alignment_pairs.jsonl"
ORIGINAL_TEXT = (SAMPLE / "000_1929e489469e94e8.txt").read_text(encoding="utf-8")

MERGED = """Greenland plan, a compromise

Under the ‘Compromise Scenario’, Denmark would agree to give President Trump full military access to Greenland and deny access to Russia and China, and although America already has free access to the island, it would be put on a legal basis.

The NATO summit on July 9 seems like the natural timing for a compromise deal.

Officials first discussed the plan on March 3, according to one diplomat.

A local fisherman said: ‘The weather has been unusually mild this winter.’
"""
VARIANT = MERGED.replace("on March 3", "on April 3").replace("unusually mild", "very mild")

# Small edited versions for one change each (issue 12).
EDIT_A = """Officials met on Monday to discuss the island.

One aide said: “We will meet Trump next week to discuss the plan for the island.”

The suspect was taken into custody on Friday after the attack on the harbour, police said.

Although America already has free access to the island, it would be put on a legal basis.
"""
EDIT_B = """Officials met on Monday to discuss the island.

One aide said: “We will meet President Trump next week to discuss the plan for the island.”

Officials are denying that the suspect is in custody after the attack on the harbour, police said.

Although the United States already has free access to the island, it would be put on a legal basis.
"""
HEAD_A = """Trump orders plan to invade Greenland

The president has ordered his commanders to draw up a plan for the island, officials said.
"""
HEAD_B = HEAD_A.replace("invade Greenland\n", "invade Greenland?\n")


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    eng = Engine(Settings.from_env(tmp_path_factory.mktemp("home")), "t")
    eng.ingest([SAMPLE])
    eng.ingest_bytes(MERGED.encode("utf-8"), "merged.txt")
    eng.ingest_bytes(VARIANT.encode("utf-8"), "variant.txt")
    for text, name in ((EDIT_A, "edita.txt"), (EDIT_B, "editb.txt"), (HEAD_A, "heada.txt"), (HEAD_B, "headb.txt")):
        eng.ingest_bytes(text.encode("utf-8"), name)
    yield eng
    eng.close()


@pytest.fixture(scope="module")
def ids(engine: Engine) -> dict[str, str]:
    return {a.source_name.split("_")[0].removesuffix(".txt"): a.article_id for a in engine.articles()}


def texts_of(result: CompareResult, side: str) -> list[str]:
    return [getattr(p, side).text for p in result.pairs]


def pair(result: CompareResult, a_start: str, b_start: str):
    return next(p for p in result.pairs if p.a.text.startswith(a_start) and p.b.text.startswith(b_start))


def change(result: CompareResult, kind: str, a_start: str, b_start: str):
    found = [c for c in result.quote_changes
             if c.kind == kind and c.a.text.startswith(a_start) and c.b.text.startswith(b_start)]
    assert found, f"no {kind} for {a_start!r} / {b_start!r}"
    return found[0]


def flag(result: CompareResult, kind: str, a_start: str, b_start: str):
    """The flag ``kind`` of a quotation change or an aligned pair whose quotes start so."""
    owners = [*result.quote_changes, *result.pairs]
    found = [f for c in owners if c.a.text.startswith(a_start) and c.b.text.startswith(b_start)
             for f in c.flags if f.kind == kind]
    assert found, f"no {kind} for {a_start!r} / {b_start!r}"
    return found[0]


def kinds_of(result: CompareResult) -> set[str]:
    return {f.kind for c in [*result.quote_changes, *result.pairs] for f in c.flags}


def all_quotes(data) -> list[dict]:
    """Every quote object anywhere in a JSON document."""
    if isinstance(data, dict):
        if set(data) == {"article_id", "text", "start", "end"}:
            return [data]
        return [q for v in data.values() for q in all_quotes(v)]
    if isinstance(data, list):
        return [q for v in data for q in all_quotes(v)]
    return []


def assert_slices(engine: Engine, data: dict) -> None:
    texts: dict[str, str] = {}
    for q in all_quotes(data):
        if q["article_id"] not in texts:
            texts[q["article_id"]] = engine.show(q["article_id"])[1]
        assert q["text"] == texts[q["article_id"]][q["start"] : q["end"]]
        assert q["text"]


def assert_mirror(ab: CompareResult, ba: CompareResult) -> None:
    assert ba.to_json() == ab.mirrored().to_json()
    assert ab.to_json() == ba.mirrored().to_json()


# -- the sample: original against each rewrite ---------------------------------------


def test_original_vs_dated_rewrite(engine: Engine, ids: dict[str, str]) -> None:
    r = engine.compare(ids["000"], ids["001"])
    summit = pair(r, "The NATO summit on July 7", "The NATO summit on July 7")
    assert summit.kind == "verbatim" and summit.exact and not summit.edits
    assert pair(r, "It concludes: ‘The current concerns", 'It concludes: "The current concerns').exact
    assert pair(r, "President Donald Trump has ordered", "Donald Trump has directed").kind == "reworded"
    reworded = pair(r, "British diplomats believe", "British diplomats suspect")
    assert reworded.kind == "reworded" and reworded.diff_a and reworded.diff_b
    _, text_a = engine.show(ids["000"])
    assert any(text_a[s.start : s.end] == "believe" for s in reworded.diff_a)
    hedge = flag(r, "hedging_changed", "British diplomats believe", "British diplomats suspect")
    assert "believe" in [d.text for d in hedge.detail_a] and [d.text for d in hedge.detail_b] == ["suspect"]
    # Word for word except a dropped title: verbatim, not exact, with the edit.
    distract = pair(r, "One source said: ‘They have tried", "One source stated")
    assert distract.kind == "verbatim" and not distract.exact
    assert [(e.op, e.a.text, e.b) for e in distract.edits if e.a and e.a.text == "President"] == [("delete", "President", None)]
    assert "Nicolás Maduro was captured on January 3." in [q.text for q in r.only_b]
    assert any(q.text.startswith("So they are trying to deflect him") for q in r.only_a)
    # said -> stated is an attribution change; the dropped title inside the quotation too.
    said = flag(r, "attribution_changed", "‘They have tried to distract President Trump", '"They have tried to distract Trump')
    assert ([d.text for d in said.detail_a], [d.text for d in said.detail_b]) == (["One source said"], ["One source stated"])
    title = flag(r, "title_changed", "‘They have tried to distract President Trump", '"They have tried to distract Trump')
    assert [d.text for d in title.detail_a] == ["President"] and not title.detail_b
    outlines = flag(r, "attribution_changed", "‘For domestic political reasons", '"For domestic political reasons')
    assert [d.text for d in outlines.detail_b] == ["The cable outlines"]
    concludes = flag(r, "quote_altered", "‘The current concerns", '"The current concerns')
    assert [d.text for d in concludes.detail_a] == ["sticks", "breaks"]
    assert [d.text for d in concludes.detail_b] == ["will stick", "break"]
    brackets = flag(r, "brackets_changed", "‘The current concerns", '"The current concerns')
    assert [d.text for d in brackets.detail_a] == ["[to sanction Trump’s approach]"]
    assert [d.text for d in brackets.detail_b] == ["to sanction Trump's approach"]
    # America -> the United States is no name change.
    assert "name_changed" not in {f.kind for f in pair(r, "Although America", "Although the United States").flags}
    # A dropped quotation that nothing in B stands for has no counterpart.
    generals = [u for u in r.unmatched_quotes if u.quote.text.startswith("‘The generals think")]
    assert [u.kind for u in generals] == ["quote_removed"]
    assert not [c for c in r.quote_changes if c.a.text.startswith("‘The generals think")]
    # Photo captions are never paired with body statements.
    roles = dict(zip([q.text for q in r.only_b], r.only_b_roles))
    assert roles["Nicolás Maduro was captured on January 3."] == "caption"
    assert all(not (p.role_b == "caption" and p.role_a == "body" and p.kind == "reworded") for p in r.pairs)
    assert 0.7 < r.reuse.b_from_a <= 1 and 0.6 < r.reuse.a_from_b <= 1


def test_original_vs_undated_rewrite(engine: Engine, ids: dict[str, str]) -> None:
    r = engine.compare(ids["000"], ids["003"])
    assert pair(r, "Although America already has free access", "Although America already has free access").exact
    assert pair(r, "The UK’s positioning will be key", "Diplomatic sources suggest").kind == "reworded"
    assert any(q.text.startswith("As the situation unfolds") for q in r.only_b)
    attribution = flag(r, "attribution_changed", "‘The generals think", "“managing a five-year-old,”")
    assert [d.text for d in attribution.detail_a] == ["A diplomatic source said"]
    assert [d.text for d in attribution.detail_b] == ["according to a senior officer"]
    five = flag(r, "quote_altered", "‘The generals think", "“managing a five-year-old,”")
    assert [d.text for d in five.detail_b] == ["managing"]
    added = {u.quote.text for u in r.unmatched_quotes if u.kind == "quote_added"}
    added |= {c.b.text for c in r.quote_changes if c.kind == "quote_added"}
    assert {"“cat-and-mouse game,”", "“diplomatic victory”"} <= added
    wording = flag(r, "wording_changed", "‘The current concerns", "Diplomatic sources suggest")
    assert "to sanction" in [d.text for d in wording.detail_a]
    assert "in favor of" in [d.text for d in wording.detail_b]
    removed = {c.a.text for c in r.quote_changes if c.kind == "quote_removed"}
    assert any(t.startswith("‘They have tried to distract") for t in removed)
    # Equal terms in quotes on both sides are no change; a word that only crossed the
    # quote marks (‘the destruction …’ / the “destruction …”) is no alteration.
    assert not [c for c in r.quote_changes if c.a.text == "‘worst-case’"]
    assert not [c for c in r.quote_changes if c.a.text.startswith("‘the destruction") and
                any(f.kind == "quote_altered" for f in c.flags)]
    # The headline has no counterpart among body statements.
    headline = r.only_b[r.only_b_roles.index("headline")]
    assert headline.text.startswith("Exclusive: Inside Sources")


def test_merged_sentence_keeps_both_pairs(engine: Engine, ids: dict[str, str]) -> None:
    r = engine.compare(ids["000"], ids["merged"])
    merged = [p for p in r.pairs if p.b.text.startswith("Under the ‘Compromise Scenario’")]
    assert {p.a.text.split(",")[0] for p in merged} == {"Under the ‘Compromise Scenario’", "Although America already has free access to the island"}
    assert all(p.kind == "verbatim" for p in merged)
    assert len({p.b for p in merged}) == 1
    number = flag(r, "number_changed", "The NATO summit", "The NATO summit")
    assert ([d.text for d in number.detail_a], [d.text for d in number.detail_b]) == (["7"], ["9"])
    # A changed number makes the pair no word-for-word copy.
    assert pair(r, "The NATO summit", "The NATO summit").kind == "reworded"


def test_dates_and_quotes_between_close_variants(engine: Engine, ids: dict[str, str]) -> None:
    r = engine.compare(ids["merged"], ids["variant"])
    date = flag(r, "date_changed", "Officials first discussed", "Officials first discussed")
    assert ([d.text for d in date.detail_a], [d.text for d in date.detail_b]) == (["March"], ["April"])
    altered = flag(r, "quote_altered", "‘The weather", "‘The weather")
    assert ([d.text for d in altered.detail_a], [d.text for d in altered.detail_b]) == (["unusually"], ["very"])
    assert r.reuse.b_from_a == pytest.approx(1.0) and r.reuse.a_from_b == pytest.approx(1.0)


def test_single_edits_are_flagged(engine: Engine, ids: dict[str, str]) -> None:
    r = engine.compare(ids["edita"], ids["editb"])
    # A title inserted before a name inside a quotation.
    title = flag(r, "title_changed", "“We will meet Trump", "“We will meet President Trump")
    assert not title.detail_a and [d.text for d in title.detail_b] == ["President"]
    # A denial added to an unquoted statement.
    denial = flag(r, "negation_changed", "The suspect was taken into custody", "Officials are denying")
    assert [d.text for d in denial.detail_b] == ["denying"] and not denial.detail_a
    # America / the United States is the same country.
    access = pair(r, "Although America", "Although the United States")
    assert not access.flags and access.kind == "verbatim" and not access.exact
    assert "name_changed" not in kinds_of(r)
    assert pair(r, "Officials met on Monday", "Officials met on Monday").exact


def test_headline_turned_into_a_question_is_not_verbatim(engine: Engine, ids: dict[str, str]) -> None:
    r = engine.compare(ids["heada"], ids["headb"])
    head = pair(r, "Trump orders plan", "Trump orders plan")
    assert head.kind == "reworded" and not head.exact
    assert (head.role_a, head.role_b) == ("headline", "headline")
    assert [f.kind for f in head.flags] == ["question_changed"]
    assert pair(r, "The president has ordered", "The president has ordered").exact


def test_article_against_itself(engine: Engine, ids: dict[str, str]) -> None:
    r = engine.compare(ids["001"], ids["001"])
    assert all(p.kind == "verbatim" and p.a == p.b for p in r.pairs)
    assert not r.only_a and not r.only_b and not r.quote_changes
    assert r.reuse.b_from_a_verbatim == pytest.approx(1.0)


# -- properties ------------------------------------------------------------------------


def test_every_ordered_pair_is_sliced_and_symmetric(engine: Engine, ids: dict[str, str]) -> None:
    for a, b in itertools.combinations(sorted(ids.values()), 2):
        ab, ba = engine.compare(a, b), engine.compare(b, a)
        assert_mirror(ab, ba)
        for result in (ab, ba):
            data = result.to_json()
            assert_slices(engine, data)
            reuse = data["reuse"]
            for key in ("b_from_a", "a_from_b"):
                assert 0 <= reuse[key] <= 1
                assert reuse[key] == pytest.approx(reuse[f"{key}_verbatim"] + reuse[f"{key}_reworded"], abs=1e-3)
            for p in data["pairs"]:
                for side in ("a", "b"):
                    text = engine.show(p[side]["article_id"])[1]
                    assert all(p[side]["start"] <= s < e <= p[side]["end"] and text[s:e].strip() for s, e in p["diff"][side])
                for e in p["edits"]:  # edits lie inside their passages, at their own offsets
                    for side in ("a", "b"):
                        assert p[side]["start"] <= e[f"{side}_at"] <= p[side]["end"]
                        assert e[side] is None or e[side]["start"] == e[f"{side}_at"]
                assert p["exact"] == (p["kind"] == "verbatim" and not p["edits"])
                assert p["role_a"] in ROLES and p["role_b"] in ROLES
            positions = [(p["a"]["start"], p["b"]["start"]) for p in data["pairs"]]
            assert positions == sorted(positions)
            # One entry per quotation and counterpart, one pair per two passages.
            keys = [(c["a"]["start"], c["a"]["end"], c["b"]["start"], c["b"]["end"]) for c in data["quote_changes"]]
            assert len(keys) == len(set(keys))
            assert len(positions) == len(set(positions))
            # Every passage is either paired or one-sided, never both.
            paired_a = {p["a"]["start"] for p in data["pairs"]}
            assert not paired_a & {q["start"] for q in data["only_a"]}


_ORIGINAL_SENTENCES = [ORIGINAL_TEXT[s.start : s.end] for s in split_passages(ORIGINAL_TEXT)]
_EDITS = st.sampled_from(["keep", "straight", "drop_word", "president"])


def _edit(sentence: str, how: str) -> str:
    if how == "straight":
        return sentence.replace("‘", '"').replace("’", '"')
    if how == "drop_word":
        words = sentence.split(" ")
        return " ".join(words[: len(words) // 2] + words[len(words) // 2 + 1 :])
    if how == "president":
        return sentence.replace("President ", "")
    return sentence


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.integers(0, len(_ORIGINAL_SENTENCES) - 1), _EDITS), min_size=1, max_size=6),
    st.booleans(),
)
def test_random_rewrites_are_sliced_and_symmetric(engine: Engine, ids: dict[str, str], picks, one_paragraph) -> None:
    sentences = [_edit(_ORIGINAL_SENTENCES[i], how) for i, how in picks]
    text = (" " if one_paragraph else "\n\n").join(sentences) + "\n"
    results = engine.ingest_bytes(text.encode("utf-8"), "rewrite.txt")
    new_id = results[0].article_id
    assert new_id is not None
    ab, ba = engine.compare(ids["000"], new_id), engine.compare(new_id, ids["000"])
    assert_mirror(ab, ba)
    assert_slices(engine, ab.to_json())
    assert_slices(engine, ba.to_json())
    # Sentences carried over unchanged are found verbatim.
    for (i, how), sentence in zip(picks, sentences):
        if how == "keep" and len(normalized(sentence).split()) >= 3:
            assert any(p.kind == "verbatim" and p.b.text == sentence for p in ab.pairs)


# -- calibration -------------------------------------------------------------------------


def test_thresholds_on_the_labelled_pairs(engine: Engine) -> None:
    rows = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 60
    va = engine.embedder.encode([r["a"] for r in rows])
    vb = engine.embedder.encode([r["b"] for r in rows])
    similarity = np.sum(va * vb, axis=1)
    verbatim = np.array([verbatim_matrix([normalized(r["a"])], [normalized(r["b"])])[0][0, 0] for r in rows])
    labels = np.array([r["label"] for r in rows])
    is_verbatim = np.isin(labels, ["verbatim", "verbatim_edited"])
    assert np.array_equal(verbatim, is_verbatim)  # the calibrated gap is clean
    aligned = verbatim | (similarity >= REWORDED_SIMILARITY)
    truth = labels != "different"
    precision = (aligned & truth).sum() / aligned.sum()
    recall = (aligned & truth).sum() / truth.sum()
    assert precision >= 0.9 and recall >= 0.7
