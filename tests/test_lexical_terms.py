"""BM25 lexical search leaves out function words (a word in most passages made FTS5 score
nearly every row: O(corpus) per query), unless the query has nothing else."""
from __future__ import annotations

from index.models import Metadata
from index.passages import split_passages
from index.registry import Registry


def registry_with(tmp_path, texts: list[str]) -> Registry:
    registry = Registry(tmp_path / "registry.sqlite3")
    for n, text in enumerate(texts):
        registry.add_article(f"a{n}", text, Metadata(), split_passages(text), "2026-01-01T00:00:00+00:00", None)
    return registry


def test_function_words_do_not_match_on_their_own(tmp_path):
    filler = [f"Nothing happened in town number {n} that day." for n in range(30)]
    registry = registry_with(tmp_path, [*filler, "The court case opens in December."])
    now = registry.lexical_search("court case set to open in December", 100)
    every_word = registry.lexical_search("court case set to open in December", 100, all_terms=True)
    assert [(a, i) for a, i, _ in now] == [("a30", 0)]  # only the passage with the content words
    assert len(every_word) == 31 and every_word[0][:2] == ("a30", 0)  # "in" matched all of them
    # a query of function words alone keeps them, so it still finds something
    assert len(registry.lexical_search("in the", 100)) == 31
    # an exact phrase keeps every word
    assert [(a, i) for a, i, _ in registry.lexical_search("opens in December", 10, phrase=True)] == [("a30", 0)]
