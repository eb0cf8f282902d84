"""Which stored outlet a typed filter means (index/outlets.py), and what a filtered answer says."""
from __future__ import annotations

from index.records import Article, Quote
from index.search.outlets import match_outlet, outlet_choices
from index.search.results import SourceHit, SourcesResult

KNOWN = ["The Mail on Sunday", "Daily Mail", "Reuters", "The Times"]


def test_typed_outlets_match_whatever_their_case_or_a_unique_part():
    assert match_outlet("the mail on sunday", KNOWN) == "The Mail on Sunday"
    assert match_outlet("  REUTERS ", KNOWN) == "Reuters"
    assert match_outlet("on sunday", KNOWN) == "The Mail on Sunday"  # names one outlet only
    assert match_outlet("mail", KNOWN) == "mail"  # two outlets: not guessed, stays as typed
    assert match_outlet("Daily Planet", KNOWN) == "Daily Planet"
    assert match_outlet(None, KNOWN) is None


def test_autocomplete_offers_prefix_matches_first():
    assert outlet_choices("the", KNOWN) == ["The Mail on Sunday", "The Times"]
    assert outlet_choices("mail", KNOWN) == ["Daily Mail", "The Mail on Sunday"]
    assert outlet_choices("", KNOWN, limit=2) == ["Daily Mail", "Reuters"]


def test_verdict_counts_named_outlets_and_names_the_first_dated_one():
    def hit(i, outlet, published, match="close"):
        article = Article(f"{i:016x}", None, outlet, [], published, None, 10, 1, added_at=f"2026-01-0{i}")
        return SourceHit(article, Quote(article.article_id, "Words.", 0, 6), 1.0, match, 0.8, 0)

    result = SourcesResult("q", [hit(1, None, None), hit(2, "Reuters", "2026-01-05"), hit(3, "reuters", "2026-01-04"),
                                 hit(4, "The Times", "2026-01-09"), hit(5, "Daily Mail", "2026-01-01", "related")])
    summary = result.summary()
    assert summary.outlets == ["reuters", "The Times"] and summary.unnamed == 1 and summary.passages == 4
    assert result.verdict_lines() == ["Found: stated by 2 outlets and 1 article of unknown outlet in 4 stored "
                                      "passages; first dated: reuters, 2026-01-04."]
    assert "outlet" not in result.to_json()  # unfiltered answers keep the contract's shape
    filtered = SourcesResult("q", [], outlet="Daily Planet", outlet_unmatched=True)
    assert filtered.verdict_lines()[0] == "No stored article is from an outlet named “Daily Planet”."
    assert filtered.to_json()["outlet"] == "Daily Planet" and filtered.to_json()["outlet_matched"] is False
