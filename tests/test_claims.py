"""Claims issues 11 and 16: queries as pasted, short items and headlines, one article not
filling the list, reported speech, "found", grouping, chunked calls."""
from __future__ import annotations

import json

from index.ingest.passages import headed_text, passages_with_roles
from index.search.query_text import retrieval_text
from index.search.voice import Speaker, voice_of
from index.text.quotations import find_quotations
from index.store import batching
from tests.conftest import ORIGINAL

TWEET = ("Fact check: The U.S. Army is NOT contacting anyone regarding the draft 🚨 #ArmyDraft @USArmy "
         "https://t.co/abc pic.twitter.com/3S32De8ekP — U.S. Army CGSC (@USACGSC) January 8, 2020")


def write_jsonl(path, records) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def assert_slices(engine, answer) -> None:
    for h in answer.results:
        _, text = engine.show(h.quote.article_id)
        assert h.quote.text == text[h.quote.start : h.quote.end] and h.quote.text.strip()


# -- queries as pasted -----------------------------------------------------------------------


def test_tweet_is_cleaned_for_retrieval_only():
    cleaned = retrieval_text(TWEET)
    assert cleaned == "Fact check: The U.S. Army is NOT contacting anyone regarding the draft Army Draft US Army"
    for debris in ("http", "pic.twitter", "@", "#", "—", "January 8", "🚨"):
        assert debris not in cleaned
    assert retrieval_text("   🚨🚨 ") == "🚨🚨"  # nothing left: the query as given
    assert retrieval_text("Joint chiefs oppose the plan") == "Joint chiefs oppose the plan"


def test_answer_keeps_the_query_as_pasted(sample_engine):
    tweet = "The joint chiefs of staff oppose the plan #Greenland https://t.co/x — Ann (@ann) January 8, 2026"
    answer = sample_engine.sources(tweet)
    assert answer.query == tweet
    assert answer.found and answer.results[0].match in ("verbatim", "close")


# -- sample corpus: one group, found / not found ------------------------------------------------


def test_joint_chiefs_claim_is_one_group_of_three_articles_earliest_first(sample_engine):
    answer = sample_engine.sources("the joint chiefs of staff oppose the plan")
    assert answer.found
    first = [h for h in answer.results if h.group == answer.results[0].group]
    assert {h.article.article_id for h in first} == set(sample_engine.ids.values())
    assert first[0].article.article_id == sample_engine.ids[ORIGINAL]
    near_exact = next(h for h in answer.results if h.quote.text.startswith("However, the joint chiefs of staff oppose it"))
    assert near_exact.match in ("verbatim", "close")
    assert_slices(sample_engine, answer)


def test_absent_claim_is_not_found(sample_engine):
    answer = sample_engine.sources("The lighthouse on the harbour wall was sold to a private buyer for 2 million")
    assert not answer.found
    assert all(h.match == "related" for h in answer.results)
    assert answer.to_json()["found"] is False
    from index.cli import text_output as render_text

    assert render_text.sources(answer).splitlines()[0] == "Not found: no stored passage states this claim."


def test_found_answer_says_so_first(sample_engine):
    from index.cli import text_output as render_text

    answer = sample_engine.sources("the joint chiefs of staff oppose the plan")
    assert answer.to_json()["found"] is True
    assert render_text.sources(answer).startswith("Found: ")


# -- short items, headlines and standfirsts --------------------------------------------------


def test_one_word_item_with_title_is_stored_and_found_by_title(fresh_engine, tmp_path):
    path = write_jsonl(tmp_path / "items.jsonl", [
        {"text": "Heartbleed", "title": "Security flaw in OpenSSL exposes millions of servers"},
        {"text": "The ferry timetable changes in April, the port authority said on Monday."},
    ])
    first, second = fresh_engine.ingest([path])
    assert first.status == "added" and second.status == "added"
    article, text = fresh_engine.show(first.article_id)
    assert text == "Security flaw in OpenSSL exposes millions of servers\n\nHeartbleed"
    assert fresh_engine.passage_roles(first.article_id) == ["headline", "body"]
    answer = fresh_engine.sources("OpenSSL security flaw exposes servers")
    top = answer.results[0]
    assert top.article.article_id == first.article_id and top.role == "headline"
    assert_slices(fresh_engine, answer)
    # Any non-empty text is storable, even one word without a title.
    [alone] = fresh_engine.ingest([write_jsonl(tmp_path / "one.jsonl", [{"text": "Tylenol"}])])
    assert alone.status == "added" and fresh_engine.passages(alone.article_id)[0].text == "Tylenol"


def test_standfirst_is_a_passage_and_nothing_is_invented(fresh_engine, tmp_path):
    body = "The council approved the harbour plan on Tuesday after a long debate."
    path = write_jsonl(tmp_path / "a.jsonl", [
        {"text": body, "title": "Harbour plan approved", "subtitle": "Councillors voted 7 to 2."},
        {"text": body + " Work starts in May."},
    ])
    headed, plain = fresh_engine.ingest([path])
    assert fresh_engine.passage_roles(headed.article_id) == ["headline", "standfirst", "body"]
    assert [q.text for q in fresh_engine.passages(headed.article_id)][:2] == ["Harbour plan approved",
                                                                               "Councillors voted 7 to 2."]
    assert set(fresh_engine.passage_roles(plain.article_id)) == {"body"}
    assert fresh_engine.article(plain.article_id).title is None


def test_headed_text_is_stable_on_a_round_trip():
    text, heads = headed_text("Body sentence one here.", "A headline", "A standfirst")
    assert text == "A headline\n\nA standfirst\n\nBody sentence one here."
    again, heads_again = headed_text(text, "A headline", "A standfirst")
    assert again == text  # exported then re-imported: same stored text, same id
    assert [(text[s.start:s.end], r) for s, r in heads_again] == [("A headline", "headline"),
                                                                  ("A standfirst", "standfirst")]
    spans, roles = passages_with_roles(text, heads)
    assert roles == ["headline", "standfirst", "body"]
    assert headed_text("Body.", None, "  ") == ("Body.", [])


# -- one article cannot fill the list ------------------------------------------------------------


def test_one_article_with_ten_matching_sentences_leaves_room_for_others(fresh_engine, tmp_path):
    many = " ".join(f"The ferry strike in Tarnby entered day {n} as the ferry workers kept striking." for n in range(1, 11))
    others = ["Ferry workers in Tarnby went on strike this week.", "A strike by Tarnby ferry workers disrupted crossings."]
    path = write_jsonl(tmp_path / "f.jsonl", [{"text": many}] + [{"text": t} for t in others])
    ids = [r.article_id for r in fresh_engine.ingest([path])]
    answer = fresh_engine.sources("Tarnby ferry workers are on strike", limit=5)
    shown = {h.article.article_id for h in answer.results}
    assert set(ids) <= shown
    assert sum(h.article.article_id == ids[0] for h in answer.results) <= 3


# -- reported speech --------------------------------------------------------------------------------


def test_each_hit_has_a_voice_and_reported_means_not_own(fresh_engine, tmp_path):
    path = write_jsonl(tmp_path / "r.jsonl", [
        {"text": "Posts on social media claim that the vaccine contains microchips, which is false."},
        {"text": "The vaccine contains microchips, the leaflet said in bold letters on its front page."},
        {"text": "Health officials were asked on Monday whether \"the vaccine contains microchips\"."},
        {"text": "Tests in three laboratories found that the vaccine contains no microchips and no metal."},
    ])
    ids = [r.article_id for r in fresh_engine.ingest([path])]
    answer = fresh_engine.sources("the vaccine contains microchips")
    by_id = {h.article.article_id: h for h in answer.results}
    assert by_id[ids[0]].voice == "disputed"
    assert by_id[ids[1]].voice == "quoted"  # a trailing attribution: "..., the leaflet said"
    assert by_id[ids[2]].voice == "quoted"
    assert by_id[ids[3]].voice == "own"
    assert by_id[ids[0]].reported and by_id[ids[1]].reported and by_id[ids[2]].reported
    assert not by_id[ids[3]].reported
    for h in answer.results:  # the speaker is a verbatim slice of the article
        if h.voice_who is not None:
            text = fresh_engine.article_db.text(h.article.article_id)
            assert text[h.voice_who.start:h.voice_who.end] == h.voice_who.text


def _voice(claim: str, text: str, outlet: str | None = None, known: tuple[str, ...] = ()):
    found = voice_of(claim, 0, len(text), Speaker(text, outlet, known, tuple(find_quotations(text))))
    return found.kind, None if found.who is None else text[found.who.start:found.who.end]


def test_voice_rule_tells_own_quoted_credited_and_disputed():
    claim = "the plan is illegal"
    assert _voice(claim, "It is false that the plan is illegal.")[0] == "disputed"
    assert _voice(claim, "The plan is illegal, and everyone knows it.") == ("own", None)
    assert _voice(claim, "The plan is illegal, according to the sources.")[0] == "own"
    assert _voice(claim, "The Mail on Sunday has learned that the plan is illegal.", "The Mail on Sunday")[0] == "own"
    kind, who = _voice(claim, "The plan is illegal, the Daily Mail reported on Sunday.")
    assert kind == "credited" and who == "the Daily Mail"
    kind, who = _voice(claim, "The plan is illegal, Senator Ruth Kaye said.")
    assert kind == "quoted" and "Ruth Kaye" in who



def test_a_speaker_is_the_subject_of_its_clause_not_a_relative_pronoun():
    """Sample 000: "…in Greenland, which he has described as an “absolute necessity”…" was
    shown as "quoted: which he has"; the speaker is "he", the attribution "he has described".
    A pronoun that is the subject itself leaves its antecedent: "officials who said"."""
    text = ("This development builds on President Trump’s long-standing public interest in Greenland, "
            "which he has described as an “absolute necessity” for U.S. security.")
    assert _voice("Greenland will be sold to Canada", text) == ("quoted", "he")
    (quotation,) = find_quotations(text)
    assert text[quotation.attribution.start:quotation.attribution.end] == "he has described"
    assert _voice("Greenland will be sold", "Greenland, which Trump has described as vital, is not for sale.") == \
        ("quoted", "Trump")
    assert _voice("the plan is illegal", "Officials who said that the plan is illegal were overruled.") == \
        ("quoted", "Officials")
    officials = "Officials who said the plan was “deeply illegal and dangerous” were overruled."
    (quotation,) = find_quotations(officials)
    assert officials[quotation.attribution.start:quotation.attribution.end] == "Officials who said"

# -- chunked calls -------------------------------------------------------------------------------------


def test_many_queries_go_to_chroma_in_chunks(sample_engine, monkeypatch):
    queries = [f"invasion plan {i}" for i in range(12)] + ["the joint chiefs of staff oppose the plan"]
    whole = sample_engine.sources_many(queries, limit=10)
    calls = []
    collection_query = type(sample_engine.vectors)._call

    def counting(self, fn):
        calls.append(fn)
        return collection_query(self, fn)

    monkeypatch.setattr(batching, "SQL_VARIABLES", 200)  # 2 queries of 80 results per call
    monkeypatch.setattr(type(sample_engine.vectors), "_call", counting)
    chunked = sample_engine.sources_many(queries, limit=10)
    assert batching.queries_per_call(80) == 2 and len(calls) >= 7
    assert [[(h.quote.article_id, h.quote.start) for h in a.results] for a in chunked] == \
           [[(h.quote.article_id, h.quote.start) for h in a.results] for a in whole]


def test_chunks_helper():
    assert [list(c) for c in batching.chunks([1, 2, 3, 4, 5], 2)] == [[1, 2], [3, 4], [5]]
    assert list(batching.chunks([], 3)) == []
    assert batching.queries_per_call(10**9) == 1
