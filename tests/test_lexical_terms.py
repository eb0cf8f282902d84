"""Per-query work that grew with the corpus (found at 1,000,000 passages): BM25 leaves out
function words (a word in most passages made FTS5 score nearly every row) and, past a floor
of rows, words in more than a share of them (issue 26), unless the query has nothing else;
the vector query no longer counts the collection first."""
from __future__ import annotations

from index.ingest.passages import split_passages
from index.records import Metadata
from index.store import query_terms
from index.store.article_db import ArticleDB


def article_db_with(tmp_path, texts: list[str]) -> ArticleDB:
    article_db = ArticleDB(tmp_path / "registry.sqlite3")
    article_db.add_articles([(f"a{n}", text, Metadata(), split_passages(text), "2026-01-01T00:00:00+00:00", None)
                             for n, text in enumerate(texts)])
    return article_db


def test_function_words_do_not_match_on_their_own(tmp_path):
    filler = [f"Nothing happened in town number {n} that day." for n in range(30)]
    article_db = article_db_with(tmp_path, [*filler, "The court case opens in December."])
    now = article_db.lexical_search("court case set to open in December", 100)
    every_word = article_db.lexical_search("court case set to open in December", 100, all_terms=True)
    assert [(a, i) for a, i, _ in now] == [("a30", 0)]  # only the passage with the content words
    assert len(every_word) == 31 and every_word[0][:2] == ("a30", 0)  # "in" matched all of them
    # a query of function words alone keeps them, so it still finds something
    assert len(article_db.lexical_search("in the", 100)) == 31
    # an exact phrase keeps every word
    assert [(a, i) for a, i, _ in article_db.lexical_search("opens in December", 10, phrase=True)] == [("a30", 0)]


def test_common_words_are_left_out_past_a_floor_of_rows(tmp_path):
    common = query_terms.COMMON_FLOOR + 1  # in more rows than the floor, and than the share
    filler = [f"Nothing happened in town number {n} that day." for n in range(common - 1)]
    article_db = article_db_with(tmp_path, [*filler, "The town court case opens in December."])
    assert [(a, i) for a, i, _ in article_db.lexical_search("town court", 10)] == [(f"a{common - 1}", 0)]
    assert len(article_db.lexical_search("town court", 2 * common, common_terms=True)) == common
    assert [a for a, _ in article_db.article_search("town court", 10)] == [f"a{common - 1}"]
    # a query of common words alone keeps them
    assert len(article_db.lexical_search("town", 2 * common)) == common
    # under the floor nothing is left out: a small corpus answers as before the cap
    small = article_db_with(tmp_path / "small", [*filler[:30], "The town court case opens in December."])
    assert len(small.lexical_search("town court", 100)) == 31


def test_an_empty_corpus_answers_with_no_hits_without_counting_first(fresh_engine, monkeypatch):
    # the vector query no longer asks Chroma for a count first (O(corpus) in Chroma)
    monkeypatch.setattr(type(fresh_engine.vectors), "count", lambda self: (_ for _ in ()).throw(AssertionError))
    vectors = fresh_engine.embedder.encode(["bridge cost", "harbour strike"])
    assert fresh_engine.vectors.query(vectors, 10) == [[], []]
    assert fresh_engine.vectors.query(vectors, 10, outlet="Daily Planet") == [[], []]
    assert fresh_engine.sources("bridge cost").results == []
