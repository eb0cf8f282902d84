"""Issue 21: verdicts on the statement, not the sentence. The sample corpus's must-shows
(000 ingested as The Mail on Sunday, 2026-01-12, from its manifest), the fourth label
``contradicts``, the voice of every hit and the verdict fields of the JSON."""
from __future__ import annotations

import random

import pytest

from index.cli import text_output as render_text
from index.records import Span
from index.search.ranking import Corpus, antecedents
from index.search.verdicts import Claim, Piece, statement_held, verdict
from index.search.judge import FEATURES, TextEvidence, features, fitted_model, load_model, title_cased
from index.text.clauses import units, windows
from index.text.stance import held_by, opposition, polarity, same_stance, side_on, side_takers, statement_share
from index.text.words import opens_with_pronoun, refers_to, suffix_stem
from tests.conftest import ORIGINAL, REWRITE_DATED, REWRITE_UNDATED

JOINT_CHIEFS = ("the joint chiefs of staff oppose the plan", "the joint chiefs of staff oppose the invasion plan")
OPPOSITE = "the joint chiefs of staff back the invasion of Greenland"
MILLER = "Stephen Miller is the adviser behind the push to take Greenland"
APPROVE = "the joint chiefs of staff approve of the Greenland invasion plan"
# Wordings of the sample claims (bench/data/sample_claims.jsonl) each rule below was made for.
DRIVEN = "the push to invade Greenland is driven by Stephen Miller"
RESISTING = "The Joint Chiefs are resisting Trump's plan to invade Greenland"
GENERALS = "top generals are against invading Greenland"
FIVE_YEAR_OLD = "the generals compared dealing with Trump to dealing with a five-year-old"
VOICES = {"own", "quoted", "credited", "disputed"}


def stating_articles(answer) -> set[str]:
    return {h.article.article_id for h in answer.results if h.match in ("verbatim", "close") and h.voice != "disputed"}


def assert_verbatim(engine, answer) -> None:
    """Every quote, the speaker or outlet of a voice included, is a slice of the article."""
    for h in answer.results:
        text = engine.show(h.quote.article_id)[1]
        assert h.quote.text == text[h.quote.start:h.quote.end]
        assert h.voice in VOICES and h.reported == (h.voice != "own")
        if h.voice_who is not None:
            assert h.voice_who.article_id == h.article.article_id
            assert h.voice_who.text == text[h.voice_who.start:h.voice_who.end] and h.voice_who.text.strip()
        if h.context is not None:  # the sentences before, ending before the passage begins
            assert h.context.article_id == h.article.article_id and h.context.end <= h.quote.start
            assert h.context.text == text[h.context.start:h.context.end] and h.context.text.strip()


@pytest.fixture(scope="module")
def answers(sample_engine):
    """One process, one call: every must-show claim answered together (``--queries``)."""
    claims = [*JOINT_CHIEFS, OPPOSITE, MILLER, APPROVE, DRIVEN, RESISTING, GENERALS, FIVE_YEAR_OLD]
    return dict(zip(claims, sample_engine.sources_many(claims, limit=10)))


@pytest.mark.parametrize("claim", JOINT_CHIEFS)
def test_joint_chiefs_claim_in_either_wording_is_stated_by_all_three_first_by_the_mail_on_sunday(
        sample_engine, answers, claim):
    answer = answers[claim]
    ids = sample_engine.ids
    assert answer.found
    assert stating_articles(answer) == {ids[ORIGINAL], ids[REWRITE_DATED], ids[REWRITE_UNDATED]}
    doc = answer.to_json()
    assert doc["first"] == {"article_id": ids[ORIGINAL], "date": "2026-01-12", "outlet": "The Mail on Sunday",
                            "dated": True}
    assert doc["outlets_stating"] == ["The Mail on Sunday"] and doc["unnamed_stating"] == 2
    assert doc["outlets_contradicting"] == [] and doc["unnamed_contradicting"] == 0
    # The text reads the same fields: the Mail on Sunday first, not the rewrite.
    first_line = render_text.sources(answer).splitlines()[0]
    assert first_line.startswith("Found: ") and first_line.endswith("first dated: The Mail on Sunday, 2026-01-12.")
    assert_verbatim(sample_engine, answer)


def test_the_opposite_claim_is_not_found_and_the_mail_on_sundays_passage_says_the_opposite(sample_engine, answers):
    answer = answers[OPPOSITE]
    assert not answer.found and answer.to_json()["found"] is False
    original = [h for h in answer.results if h.article.article_id == sample_engine.ids[ORIGINAL]]
    assert any(h.match == "contradicts" for h in original)
    assert not any(h.match in ("verbatim", "close") for h in answer.results)
    doc = answer.to_json()
    assert doc["first"] is None and doc["outlets_stating"] == []
    assert "The Mail on Sunday" in doc["outlets_contradicting"]
    lines = render_text.sources(answer).splitlines()
    assert lines[0] == "Not found: no stored passage states this claim."
    assert any(line.endswith("says the opposite.") or line.endswith("say the opposite.") for line in lines[:3])
    assert_verbatim(sample_engine, answer)


def test_every_article_that_says_the_opposite_shows_it_on_the_first_page(sample_engine, answers):
    """Each article's passage saying the opposite comes before its merely related ones, so
    the page of ten shows all three."""
    answer = answers[APPROVE]
    assert not answer.found
    contradicting = {h.article.article_id for h in answer.results if h.match == "contradicts"}
    assert contradicting == set(sample_engine.ids.values())
    assert_verbatim(sample_engine, answer)


def test_the_stephen_miller_claim_finds_all_three(sample_engine, answers):
    answer = answers[MILLER]
    assert answer.found
    assert stating_articles(answer) == set(sample_engine.ids.values())
    assert answer.to_json()["first"]["article_id"] == sample_engine.ids[ORIGINAL]
    assert_verbatim(sample_engine, answer)


def test_the_initiative_driven_by_miller_is_the_plan_of_the_sentence_before(sample_engine, answers):
    """003 says "the initiative is being driven by … Stephen Miller" after the sentence that
    says what the initiative is (a plan for the invasion of Greenland): it states the claim,
    and shows that sentence as its context."""
    answer = answers[DRIVEN]
    assert stating_articles(answer) == set(sample_engine.ids.values())
    [undated] = [h for h in answer.results if h.article.article_id == sample_engine.ids[REWRITE_UNDATED]
                 and h.match in ("verbatim", "close")]
    assert "the initiative is being driven by" in undated.quote.text
    assert undated.context is not None and "plan for the invasion of Greenland" in undated.context.text
    assert_verbatim(sample_engine, answer)


def test_a_passage_that_takes_the_claims_side_is_judged_wherever_fusion_ranks_it(sample_engine, answers):
    """003's "…but the move has faced fierce resistance from the Joint Chiefs of Staff" ranks
    35th by fusion (every sentence names Trump's plan) and names neither Trump nor Greenland
    (its article does): it takes the claim's side on its statement, so it is judged, and
    states the claim."""
    answer = answers[RESISTING]
    assert stating_articles(answer) == set(sample_engine.ids.values())
    undated = [h.quote.text for h in answer.results if h.article.article_id == sample_engine.ids[REWRITE_UNDATED]
               and h.match in ("verbatim", "close")]
    assert any("fierce resistance from the Joint Chiefs of Staff" in text for text in undated)
    assert answer.to_json()["first"]["article_id"] == sample_engine.ids[ORIGINAL]
    assert_verbatim(sample_engine, answer)


def test_a_rewrite_states_the_claim_only_where_it_takes_the_claims_side(sample_engine, answers):
    """The Mail on Sunday's "…but is being resisted by senior military figures, The Mail on
    Sunday has learned" states what its rewrite's "…but top military officials are pushing
    back, Daily Mail reported" states (the outlets they cite are not what they state), so
    it is first; the rewrite's "Donald Trump pushed military leaders for an invasion plan"
    takes no side and states nothing of the generals."""
    answer = answers[GENERALS]
    assert answer.to_json()["first"]["article_id"] == sample_engine.ids[ORIGINAL]
    original = [h for h in answer.results if h.article.article_id == sample_engine.ids[ORIGINAL]]
    assert any("resisted by senior military figures" in h.quote.text and h.match == "close" for h in original)
    sideless = [h for h in answer.results if h.quote.text.startswith("Donald Trump pushed military leaders")]
    assert sideless and all(h.match == "related" for h in sideless)
    assert_verbatim(sample_engine, answer)


def test_a_passage_holding_nearly_all_of_a_sideless_claim_states_it(sample_engine, answers):
    """"They say it's like dealing with a five-year-old", with the sentence naming the
    generals before it, holds all the claim says but "compared": the Mail on Sunday states
    it, first."""
    answer = answers[FIVE_YEAR_OLD]
    assert sample_engine.ids[ORIGINAL] in stating_articles(answer)
    assert answer.to_json()["first"]["article_id"] == sample_engine.ids[ORIGINAL]
    assert_verbatim(sample_engine, answer)


def test_a_short_claim_or_one_with_a_number_needs_more_than_its_words_held():
    """The rule above is for claims of five statement words or more, numbers included:
    "Maduro was captured on January 3" is not held by a passage without the date, nor
    "Russia has invaded Greenland" by one that holds its three words in other roles."""
    def held(claim_text: str, text: str, article_names: frozenset[str] = frozenset()) -> bool:
        return statement_held(Claim(claim_text, TextEvidence.of(claim_text)), [piece(text, 0.6)], article_names)

    five = "the generals compared dealing with Trump to dealing with a five-year-old"
    assert held(five, "The generals think Trump is crazy. They say it's like dealing with a five-year-old.")
    assert not held(five, "The generals think Trump is crazy. They say it's like dealing with a toddler.")
    assert not held("Maduro was captured on January 3 in Caracas by special forces",
                    "special forces captured Venezuela's leader Nicolas Maduro in Caracas in January")
    assert held("Maduro was captured on January 3 in Caracas by special forces",
                "special forces captured Venezuela's leader Nicolas Maduro in Caracas on January 3")
    assert not held("Russia has invaded Greenland", "Russia could seize the island before an invasion",
                    frozenset({"greenland"}))
    # A claim that takes a side is the stance rule's (``stance_agrees``).
    assert not held("the joint chiefs of staff oppose the invasion of Greenland",
                    "the joint chiefs of staff oppose the invasion of Greenland")


def test_demo_first_answer_names_the_mail_on_sunday_first(tmp_path):
    from index.cli.demo import demo

    document, text = demo(home=tmp_path / "home")
    first = document["sources"][0]
    assert first["found"] and first["first"]["outlet"] == "The Mail on Sunday" and first["first"]["date"] == "2026-01-12"
    assert "first dated: The Mail on Sunday, 2026-01-12" in text


# -- the rules, on their own ----------------------------------------------------------------------


def test_windows_are_clauses_of_the_passage_never_the_whole():
    text = ("According to the sources, the President has asked JSOC to prepare the invasion plan, "
            "but it is being resisted by the joint chiefs of staff on the grounds that it would be illegal.")
    spans = windows(text)
    assert spans and all(0 <= s.start < s.end <= len(text) for s in spans)
    assert (0, len(text)) not in {(s.start, s.end) for s in spans}
    assert any(text[s.start:s.end].startswith("but it is being resisted by the joint chiefs") for s in spans)
    assert windows("The plan is illegal.") == [] and len(units("The plan is illegal.")) == 1


def test_stance_opposites_and_agreement():
    assert polarity("the joint chiefs oppose the plan") == -1 and polarity("they back the plan") == 1
    assert polarity("there is no objection to the plan") == 1 and polarity("a lack of support") == -1
    assert polarity("the initiative is being driven by Stephen Miller") == 1
    assert opposition("the chiefs back the invasion", "the chiefs resisted the invasion") == "stance"
    assert opposition("Trump has ordered a plan", "Trump has not ordered a plan") == "negation"
    assert opposition("the summit is on July 9", "the summit is on July 7") == "numbers"
    assert opposition("the chiefs oppose the plan", "the chiefs resist the plan") == ""
    assert same_stance("the chiefs oppose the plan", "the plan faced fierce resistance from the chiefs")


def test_a_passage_saying_the_opposite_is_never_close():
    model = fitted_model()
    claim_text = "the joint chiefs of staff back the invasion plan"
    claim = Claim(claim_text, TextEvidence.of(claim_text))
    passage = "the joint chiefs of staff oppose the invasion plan"
    # Even at a cosine that makes the judge call it stating, the opposite is "contradicts".
    found = verdict(claim, Piece(passage, TextEvidence.of(passage), 0.95), model, [])
    assert found.match == "contradicts"
    same = verdict(claim, Piece(claim_text, TextEvidence.of(claim_text), 1.0), model, [])
    assert same.match == "verbatim"


def piece(text: str, cosine: float) -> Piece:
    return Piece(text, TextEvidence.of(text), cosine)


def test_a_candidate_outside_the_re_rank_pool_may_say_the_opposite():
    """Judged on the passage alone (no windows), the opposite is still ``contradicts``."""
    claim_text = "the joint chiefs of staff back the invasion of Greenland"
    claim = Claim(claim_text, TextEvidence.of(claim_text))
    found = verdict(claim, piece("However, the joint chiefs of staff oppose it, citing its illegality.", 0.5), fitted_model())
    assert found.match == "contradicts"


def test_the_side_of_a_text_whose_stance_words_cancel_is_the_one_on_the_claims_statement():
    claim = "under the compromise Denmark would refuse Trump military access to Greenland"
    text = ("Under the Compromise Scenario, Denmark would agree to give President Trump full military access "
            "to Greenland and deny access to Russia and China.")
    assert polarity(text) == 0 and side_on(claim, text) == 1 and opposition(claim, text) == "stance"
    # "deny" is followed by more of this claim's statement than "agree": the other side.
    assert side_on("Denmark would deny access to Russia and China", text) == -1


def test_a_side_taken_on_names_alone_does_not_state_the_claim():
    """"pushed back" takes the side of "refuse", with Denmark and Greenland in the passage
    and Trump in its article, but holds none of what the claim says of them (access, the
    compromise): related, not close."""
    claim_text = "under the compromise Denmark would refuse Trump military access to Greenland"
    claim = Claim(claim_text, TextEvidence.of(claim_text))
    passage = ("However, senior military leaders, including the Joint Chiefs of Staff, have pushed back, arguing that "
               "such an action would violate international law, given Greenland's status as a territory of Denmark.")
    found = verdict(claim, piece(passage, 0.68), fitted_model(), [], frozenset({"trump", "greenland", "denmark"}))
    assert found.match == "related"


def test_who_takes_the_other_side_must_be_in_the_piece_other_names_may_be_in_its_article():
    claim_text = "Stephen Miller opposes the push to take Greenland"
    claim = Claim(claim_text, TextEvidence.of(claim_text))
    passage = "the initiative is being driven by Trump's political adviser, Stephen Miller"
    model = fitted_model()
    assert verdict(claim, piece(passage, 0.47), model, [], frozenset({"greenland", "trump"})).match == "contradicts"
    assert verdict(claim, piece(passage, 0.47), model, [], frozenset()).match == "related"
    # Miller, who the claim says takes the side, named only elsewhere in the article: no.
    claim_text = "Miller opposes the invasion plan for Greenland"
    claim = Claim(claim_text, TextEvidence.of(claim_text))
    other = "the invasion of Greenland is being driven by the president's adviser"
    assert verdict(claim, piece(other, 0.47), model, [], frozenset({"greenland", "miller"})).match == "related"


def test_the_opposite_side_counts_only_when_taken_by_who_takes_the_claims():
    """"Denmark would agree to give Trump full military access" takes a side, but not the
    military leaders' side on the invasion; "…is being resisted by senior military figures"
    is not Stephen Miller's side, whom the passive claim names after "by"."""
    model = fitted_model()

    def found(claim_text: str, text: str) -> str:
        claim = Claim(claim_text, TextEvidence.of(claim_text))
        return verdict(claim, piece(text, 0.57), model, [], frozenset({"greenland", "trump"})).match

    leaders = "military leaders oppose Trump's Greenland invasion"
    assert side_takers(leaders) == ("military", "leaders")
    assert found(leaders, "Under the Compromise Scenario, Denmark would agree to give President Trump full military "
                          "access to Greenland and deny access to Russia and China.") != "contradicts"
    assert found(leaders, "Senior military leaders have backed Trump's plan for an invasion of Greenland.") == "contradicts"
    led = "the Greenland invasion plan is led by Stephen Miller"
    assert side_takers(led) == ("stephen", "miller")
    assert found(led, "President Trump has ordered a plan for the invasion of Greenland - but is being resisted by "
                      "senior military figures.") != "contradicts"
    assert found(led, "The Greenland invasion plan is opposed by Stephen Miller.") == "contradicts"


def test_a_word_of_the_statement_is_held_in_a_derived_form():
    assert held_by({"invad", "illegal"}, {"invasion", "illegality"}) == {"invad", "illegal"}
    assert held_by({"invad"}, {"seiz"}) == set()
    text = "an invasion plan for Greenland, but top military officials are pushing back"
    assert statement_share("top generals are against invading Greenland", TextEvidence.of(text).content) == 0.75


def test_a_word_of_the_statement_is_held_in_an_irregular_form():
    """"Stephen Miller leads the hawks" is held by "hawks, led by … Stephen Miller": the
    verb's irregular form, and the forms derived from its base ("leader")."""
    lead, leader = suffix_stem("lead"), suffix_stem("leader")
    assert held_by({lead}, TextEvidence.of("the hawks, led by political adviser Stephen Miller").content) == {lead}
    assert held_by({leader}, {suffix_stem("led")}) == {leader}
    assert held_by({suffix_stem("say")}, {suffix_stem("told")}) == set()


def test_a_claim_of_a_few_words_is_stated_only_where_its_predicate_is():
    """Same names, a close sentence, the judge's probability above its threshold: without
    the claim's predicate it is another statement (who invades whom)."""
    claim_text = "Russia has invaded Greenland"
    claim = Claim(claim_text, TextEvidence.of(claim_text))
    model = fitted_model()
    other = piece("They are eager to act quickly to seize Greenland before Russia or China can make a move.", 0.75)
    assert verdict(claim, other, model).match == "related"
    assert verdict(claim, piece("Russian troops have invaded Greenland, officials said.", 0.8), model).match == "close"


def test_a_short_claim_naming_a_place_no_stored_passage_names_is_not_found(sample_engine):
    """The judge rates "…a plan for the invasion of Greenland" 0.95 for the Iceland claim;
    no stored passage names Iceland, so no passage is on its statement. Names the corpus
    gives, in any form ("Venezuela's", "Nicolás"), or a place standing for what it gives
    ("the Pentagon"), leave the judge to decide."""
    iceland, maduro, asked, pentagon, canada = sample_engine.sources_many(
        ["Trump has ordered the invasion of Iceland", "Venezuela's leader Nicolas Maduro was captured",
         "Did the joint chiefs of staff resist the Greenland plan?", "Pentagon chiefs oppose the Greenland invasion plan",
         "Trump asked the Pentagon to plan an invasion of Canada"], limit=10)
    assert not iceland.found and {h.match for h in iceland.results} == {"related"}
    assert sample_engine.ids[REWRITE_DATED] in stating_articles(maduro)
    assert asked.found  # "Did" opens the question: a function word, no name
    # "the Pentagon" stands for the military, which the corpus names: the judge decides.
    assert sample_engine.ids[ORIGINAL] in stating_articles(pentagon)
    assert not canada.found
    assert_verbatim(sample_engine, iceland)
    assert sample_engine.article_db.unstored_words(["iceland", "greenland", "venezuela", "nicolas", "venez"]) == {
        "iceland"}
    assert sample_engine.article_db.unstored_words(["venez", "military"], prefix=False) == {"venez"}
    assert title_cased("Pregnant Woman Loses Eye After Cops Fire Bean Bag Round")
    assert not title_cased("Trump has ordered the invasion of Iceland")


def test_a_claim_of_a_few_words_stated_nowhere_is_not_found(sample_engine):
    answer = sample_engine.sources("Russia has invaded Greenland", limit=10)
    assert not answer.found and answer.to_json()["first"] is None
    assert_verbatim(sample_engine, answer)


def test_a_passage_that_opens_with_a_pronoun_is_judged_with_the_sentences_naming_who(fresh_engine, tmp_path):
    """"They oppose the expansion" states the union's claim only with the sentence before,
    which says who "they" are; the quote is still the passage alone."""
    path = tmp_path / "union.txt"
    path.write_text("The port workers' union met the Dover council on Monday.\n\n"
                    "They oppose the expansion, saying it would cost jobs.\n", encoding="utf-8")
    [added] = fresh_engine.ingest([path])
    answer = fresh_engine.sources("the port workers' union opposes the Dover harbour expansion")
    assert answer.found
    [stating] = [h for h in answer.results if h.match in ("verbatim", "close")]
    assert stating.quote.text == "They oppose the expansion, saying it would cost jobs."
    assert stating.context.text == "The port workers' union met the Dover council on Monday."  # who "They" are
    assert stating.to_json()["context"]["text"] == stating.context.text
    shown = render_text.sources(answer)  # above the passage, marked apart from it
    assert "    ┆ The port workers' union met the Dover council on Monday.\n    > They oppose" in shown
    assert_verbatim(fresh_engine, answer)


def test_who_a_pronoun_is_comes_from_up_to_two_sentences_before():
    text = "The generals met. So they are trying to deflect him. They say it is like dealing with a child. It rained."
    starts = [0, text.index("So they"), text.index("They say"), text.index("It rained")]
    ends = starts[1:] + [len(text)]
    spans = {("a", i): (s, e - 1 if i < 3 else e, "body") for i, (s, e) in enumerate(zip(starts, ends))}
    corpus = Corpus({}, {"a": text}, spans, lambda texts: {}, lambda texts: None, [], ())
    assert antecedents({("a", 1): None, ("a", 2): None, ("a", 3): None}, corpus) == {
        ("a", starts[1]): Span(0, starts[1] - 1), ("a", starts[2]): Span(0, starts[2] - 1)}
    assert opens_with_pronoun("They say") and opens_with_pronoun("But she said")
    assert not opens_with_pronoun("It rained")


def test_a_sentence_naming_its_subject_by_a_general_noun_refers_to_the_one_introducing_it():
    """"the initiative" is the plan the sentence before introduced: the passage is judged
    with it, and shows it as its context; after a sentence that introduces none, "the plan"
    is the article's, not that sentence's."""
    before = "Trump has ordered his commanders to draft a plan for the invasion of Greenland."
    assert refers_to("According to sources close to the White House, the initiative is being driven by Miller.", before)
    assert refers_to("This move has angered allies.", before) and refers_to("The plan, if executed, would fail.", before)
    assert not refers_to("The plan was seen as risky.", "The US already has free access to the island.")
    assert not refers_to("Sources say that the policy hawks around the President, led by Miller, are emboldened.", before)
    assert not refers_to("President Trump has ordered his commanders to draw up a plan for the invasion.", before)
    assert not refers_to("Officials in Nuuk, Copenhagen, Washington, London, Paris, Berlin, Oslo, Rome and Madrid "
                         "said on Monday that the plan failed.", before)


def test_window_vectors_are_stored_at_ingest_and_check_makes_missing_ones_again(fresh_engine, tmp_path):
    import sqlite3

    text = ("The council approved the harbour plan on Tuesday, but it is being resisted by the port "
            "workers on the grounds that it would cost jobs.")
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    [added] = fresh_engine.ingest([path])
    passage = fresh_engine.passages(added.article_id)[0].text
    name = fresh_engine.embedder.name
    stored = fresh_engine.cache.get_windows(name, [passage])
    [found] = stored.values()
    assert [(s.start, s.end) for s in found.spans] == [(s.start, s.end) for s in windows(passage)]
    assert found.vectors.shape[0] == len(found.spans)
    with sqlite3.connect(fresh_engine.settings.home / "embedding-cache.sqlite3") as db:
        db.execute("DELETE FROM windows")
    report = fresh_engine.check(full=True)
    assert report.rewindowed_passages == 1
    assert fresh_engine.cache.get_windows(name, [passage])
    assert fresh_engine.check(full=True).rewindowed_passages == 0


def test_a_one_word_subject_is_no_statement_to_contradict(sample_engine):
    answer = sample_engine.sources("Trump sanctions", limit=10)
    assert not any(h.match == "contradicts" for h in answer.results)


def test_a_group_is_one_statement_unless_a_name_number_or_negation_differs():
    import numpy as np

    from index.records import Article, Quote
    from index.search.results import SourceHit
    from index.search.statement_groups import ScoredHit, propagate

    def hit(text: str, match: str) -> ScoredHit:
        article = Article("x", None, None, [], None, None, len(text), 1)
        v = np.ones(4, dtype=np.float32) / 2.0  # identical vectors: only the facts decide
        return ScoredHit(SourceHit(article, Quote("x", text, 0, len(text)), 0.0, match, 0.9, 0), v,
                         TextEvidence.of(text))

    stating = hit("The firm will cut 40 jobs in Tarnby.", "close")
    same = hit("The firm is cutting 40 jobs in Tarnby.", "related")
    other_number = hit("The firm will cut 400 jobs in Tarnby.", "related")
    negated = hit("The firm will not cut 40 jobs in Tarnby.", "related")
    other_name = hit("The firm will cut 40 jobs in Velda.", "related")
    propagate([stating, same, other_number, negated, other_name], fitted_model())
    assert same.hit.match == "close"
    assert [h.hit.match for h in (other_number, negated, other_name)] == ["related"] * 3
    # The outlets each gives as its source are not what it states, and a name may be
    # written in lower case; a hit that does not say what the claim says is left related.
    credited = hit("The firm will cut 40 jobs in Tarnby, the Velda Times reported.", "close")
    own = hit("The Firm will cut 40 jobs in Tarnby, the Gazette has learned.", "related")
    credited.source_names = lambda: frozenset({"the", "velda", "times"})
    own.source_names = lambda: frozenset({"the", "gazette"})
    propagate([credited, own], fitted_model(), says_claim=lambda s: False)
    assert own.hit.match == "related"
    propagate([credited, own], fitted_model())
    assert own.hit.match == "close"
    # Read as names of what they state (a Velda Times and a Gazette), they differ.
    credited.source_names = own.source_names = frozenset
    own.hit.match = "related"
    propagate([credited, own], fitted_model())
    assert own.hit.match == "related"


def test_the_judge_gives_many_pieces_in_one_pass_what_it_gives_each():
    """``probabilities`` (numpy over every row and tree, for a query's candidates and its
    pool's windows) equals ``probability`` row by row, on real claim/passage features and
    on rows past every threshold."""
    model = load_model()
    claim = TextEvidence.of("the joint chiefs of staff oppose the plan")
    passages = ["However, the joint chiefs of staff oppose it, citing its illegality.",
                "President Trump has ordered his special forces to draw up a plan.",
                "The plan has faced fierce resistance from the Joint Chiefs of Staff.",
                "Greenland is an autonomous territory of Denmark, with 56,000 people."]
    rng = random.Random(7)
    rows = [features(claim, TextEvidence.of(p), cos) for p in passages for cos in (0.2, 0.55, 0.9)]
    rows += [[rng.uniform(-2.0, 5.0) for _ in FEATURES] for _ in range(200)]
    one_pass = model.probabilities(rows)
    assert len(one_pass) == len(rows)
    assert max(abs(a - model.probability(x)) for a, x in zip(one_pass, rows)) < 1e-12
    assert len({round(p, 6) for p in one_pass}) > 20  # the rows reach many different leaves
