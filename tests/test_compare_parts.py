"""compare's building blocks on their own: words, roles, meaning flags, quotation edits."""
from __future__ import annotations

from index.compare.meaning import Side, meaning_flags
from index.compare.quote_changes import attribution_differs, matched_quotation_flags
from index.ingest.passages import split_passages
from index.records import Span
from index.text.quotations import find_quotations
from index.text.roles import passage_roles
from index.text.words import words


def side(text: str) -> Side:
    ws = words(text)
    return Side(text, Span(0, len(text)), ws, ws)


def kinds(a: str, b: str) -> list[str]:
    return [f.kind for f in meaning_flags(side(a), side(b))]


def test_spaced_apostrophes_are_one_word() -> None:
    assert [w.key for w in words("the case hadn ’ t been")] == ["the", "case", "hadnt", "been"]
    assert [w.key for w in words("team ’ s MVP")] == ["teams", "mvp"]


def test_roles_from_text_and_position() -> None:
    text = "Greenland plan, a compromise\n\nSource: MEGA Donald Trump pushed military leaders.\n\nLast updated 13:26 14 / 09 / 2013\n\nThe plan was drawn up in May.\n"
    spans = split_passages(text)
    # The dateline is no passage (text/datelines: one rule for the splitter and the roles) ...
    assert passage_roles(text, spans) == ["headline", "caption", "body"]
    # ... and a passage that is one (a source's own passages) is labelled so.
    line = text.index("Last updated")
    dated = sorted([*spans, Span(line, text.index("\n", line))], key=lambda s: s.start)
    assert passage_roles(text, dated) == ["headline", "caption", "dateline", "body"]
    # A role stored with the passage wins.
    assert passage_roles(text, spans, ["body", None, None])[0] == "body"


def test_meaning_flags() -> None:
    assert kinds("The suspect was taken into custody, police said.",
                 "Officials are denying the suspect is in custody, police said.") == ["negation_changed"]
    assert kinds("Trump has ordered a plan for the island.", "Trump has allegedly ordered a plan for the island.") == ["hedging_changed"]
    assert kinds("Troops will leave the island.", "Troops will leave the island?") == ["question_changed"]
    assert kinds("The summit on July 7 was delayed.", "The summit on July 9 was delayed.") == ["number_changed"]
    assert kinds("Officials met Smith in Paris.", "Officials met Jones in Paris.") == ["name_changed"]
    # Aliases, acronyms, spelling of the same thing and left-out details are no change.
    assert kinds("Although America already has access, it would be legal.",
                 "Although the United States already has access, it would be legal.") == []
    assert kinds("He shared the team's MVP Award this season.", "He shared the team's Most Valuable Player Award this season.") == []
    assert kinds("The storm hit the coast early Tuesday, officials said.", "The storm hit the coast, officials said.") == []


def test_quotation_edits() -> None:
    a = "One aide said: ‘We will not [sanction] Trump now… and never will.’"
    b = 'One aide stated: "We will not sanction President Trump now and never will."'
    (qa,), (qb,) = find_quotations(a), find_quotations(b)
    found = {f.kind: f for f in matched_quotation_flags(a, qa, b, qb, speech=True)}
    assert set(found) == {"title_changed", "brackets_changed", "ellipsis_changed", "attribution_changed"}
    assert [b[s.start : s.end] for s in found["title_changed"].spans_b] == ["President"]
    assert attribution_differs("A diplomatic source said", "according to a senior officer")
    assert not attribution_differs("It adds", "It adds")
