"""Inputs past the backends' limits (issue 14): 5,000 queries in one ``sources --queries`` run,
and 20,000 articles ingested, checked, removed in one call and checked again.

Before every input-sized call was chunked (``index/batching.py``), the first failed with
Chroma's "too many SQL variables" (1,147 queries were enough). Both tests run on whichever
store the environment names: the embedded one by default, a ``chroma run`` server under
``scripts/with-chroma-server.sh`` (the Makefile's test-server list includes this file).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from index.cli import commands as cli
from index.config import Settings
from index.engine import Engine, shared_embedder
from index.errors import UserError
from index.search.retrieval import candidate_depth
from index.store import batching
from index.store.embedding_cache import EmbeddingCache

pytestmark = pytest.mark.slow

N_QUERIES = 5_000
N_DISTINCT = 1_000
N_ARTICLES = 20_000


def run_cli(capsys, home: Path, corpus: str, *argv: str) -> dict:
    capsys.readouterr()
    status = cli.main(["--home", str(home), "--corpus", corpus, *argv, "--json"])
    out = capsys.readouterr().out
    assert status == 0, out
    return json.loads(out)


def backend(engine: Engine) -> str:
    return "server" if engine.settings.chroma_host else "embedded"


def quoted(answer: dict) -> list[tuple]:
    return [(r["quote"]["article_id"], r["quote"]["start"], r["quote"]["end"], r["match"]) for r in answer["results"]]


def test_chunked_calls_return_what_one_call_returns(tmp_path, sample_dir, monkeypatch):
    """Every chunked site with tiny limits against one raw call (or the default limits):
    the same results, in the same order, from many calls."""
    monkeypatch.setattr(batching, "MAX_WRITE_BATCH", 7)
    monkeypatch.setattr(batching, "IDS_PER_STATEMENT", 2)
    monkeypatch.setattr(batching, "SQL_VARIABLES", 50)
    engine = Engine(Settings.from_env(tmp_path / "home"), "tiny")
    calls = []
    original_call = type(engine.vectors)._call
    monkeypatch.setattr(type(engine.vectors), "_call", lambda self, fn: calls.append(fn) or original_call(self, fn))
    ids = [r.article_id for r in engine.ingest([sample_dir])]
    articles = engine.article_db.get_many(ids)
    pids = [f"{a}:{i}" for a in ids for i in range(articles[a].passages)]
    assert engine.vectors.batch_size == 7 and len(calls) >= len(pids) // 7  # upserts of 7
    raw = engine.vectors._handle()  # Chroma itself, unguarded: the single call to compare with

    got = raw.get(ids=pids, include=["embeddings"])
    one_get = dict(zip(got["ids"], got["embeddings"]))
    calls.clear()
    chunked = engine.vectors.vectors_by_id(pids)
    assert len(calls) == -(-len(pids) // 7) and set(chunked) == set(one_get) == set(pids)
    assert all(np.array_equal(chunked[p], np.asarray(one_get[p], dtype=np.float32)) for p in pids)
    first = np.vstack([chunked[p] for p in pids[: articles[ids[0]].passages]])
    assert np.array_equal(engine.vectors.vectors_of(ids[0], articles[ids[0]].passages), first)

    queries = np.vstack([chunked[p] for p in pids[::5]])
    one_query = raw.query(query_embeddings=queries, n_results=12, include=["distances", "metadatas"])
    calls.clear()
    near = engine.vectors.neighbours(queries, 12)
    assert len(calls) == -(-len(queries) // batching.queries_per_call(12)) >= 2  # the chunks, no count
    assert [[(a, i) for a, i, _ in row] for row in near] == \
           [[(m["article_id"], m["idx"]) for m in row] for row in one_query["metadatas"]]
    hits = engine.vectors.query(queries, 12)
    assert [[(h.article_id, h.idx) for h in row] for row in hits] == [[(a, i) for a, i, _ in row] for row in near]

    keys = [tuple(p.rsplit(":", 1)) for p in pids]
    keys = [(a, int(i)) for a, i in keys]
    small = (engine.article_db.get_many(ids), engine.article_db.texts(ids), engine.article_db.passage_spans(keys))
    cache_small = engine.cache.get_many(engine.embedder.name, [engine.show(a)[1][:40] for a in ids])
    monkeypatch.setattr(batching, "IDS_PER_STATEMENT", 500)
    assert small == (engine.article_db.get_many(ids), engine.article_db.texts(ids), engine.article_db.passage_spans(keys))
    assert cache_small.keys() == engine.cache.get_many(engine.embedder.name, [engine.show(a)[1][:40] for a in ids]).keys()
    monkeypatch.setattr(batching, "IDS_PER_STATEMENT", 2)

    claims = ["the joint chiefs of staff oppose the plan", "invasion", "a plan to invade Greenland"]
    tiny = [quoted(a.to_json()) for a in engine.sources_many(claims)]
    monkeypatch.setattr(batching, "SQL_VARIABLES", 16_000)
    assert tiny == [quoted(a.to_json()) for a in engine.sources_many(claims)]

    with pytest.raises(UserError, match="unknown article id"):
        engine.remove_many([*ids, "0123456789abcdef"])
    assert engine.stats()["articles"] == len(ids)  # an unknown id removes nothing
    calls.clear()
    assert engine.remove_many(ids + ids[:1]) == ids  # duplicates once, order kept
    assert len(calls) == 2  # three articles, two per $in delete
    report = engine.check(full=True)
    assert report.ok and (report.articles, report.passages, report.vectors, report.fts_rows) == (0, 0, 0, 0)


def test_five_thousand_queries_in_one_sources_run(tmp_path, capsys, sample_dir):
    home = tmp_path / "home"
    engine = Engine(Settings.from_env(home), "queries")
    assert [r.status for r in engine.ingest([sample_dir])] == ["added"] * 3
    words = [w for a in engine.articles() for w in engine.show(a.article_id)[1].split() if w.isalpha()]
    # 5,000 short queries: two words of the corpus and a number, 1,000 different texts each
    # asked five times at scattered places (the model embeds each text once; all 5,000 query
    # vectors go to Chroma and every query is answered on its own).
    distinct = [f"{words[i % len(words)]} {words[(7 * i + 3) % len(words)]} {i}" for i in range(N_DISTINCT)]
    distinct[0] = engine.passages(engine.articles()[0].article_id)[2].text  # a sentence of the corpus
    queries = [distinct[(i * 7) % N_DISTINCT] for i in range(N_QUERIES)]
    # More queries than one Chroma call may carry, many times over.
    assert N_QUERIES > 10 * batching.queries_per_call(candidate_depth(5))
    path = tmp_path / "queries.txt"
    path.write_text("\n".join(queries) + "\n", encoding="utf-8")

    answers = run_cli(capsys, home, "queries", "sources", "--queries", str(path), "--limit", "5")["answers"]

    assert len(answers) == N_QUERIES
    assert [a["query"] for a in answers] == queries  # in the order of the file
    assert sum(1 for a in answers if a["results"]) > N_QUERIES * 0.9
    assert answers[0]["results"][0]["match"] == "verbatim"
    assert answers[0]["results"][0]["quote"]["text"] == queries[0]
    # The same text asked again gets the same answer, wherever it stands in the file.
    for i in range(N_DISTINCT, N_QUERIES, 97):
        assert quoted(answers[i]) == quoted(answers[i % N_DISTINCT]), i
    # Chunked answers are the answers each query gets alone (order of hits included).
    for i in (0, 1, 2_499, 2_500, N_QUERIES - 1):
        alone = engine.sources(queries[i], limit=5).to_json()
        assert quoted(answers[i]) == quoted(alone), (backend(engine), i)
    for answer in answers[::250]:  # quotes are slices of the stored text
        for hit in answer["results"]:
            text = engine.show(hit["article"]["article_id"])[1]
            assert text[hit["quote"]["start"] : hit["quote"]["end"]] == hit["quote"]["text"]


def test_twenty_thousand_articles_removed_in_one_call(tmp_path, capsys):
    home = tmp_path / "home"
    engine = Engine(Settings.from_env(home), "many")
    lines = [f"Item {i:05d}: the council of town {i:05d} approved {i % 97} new benches." for i in range(N_ARTICLES)]
    # The real ingest path, with each one-sentence article's vector put in the embedding
    # cache first (random unit vectors): no model time, every store call at full size.
    rng = np.random.default_rng(14)
    vectors = rng.standard_normal((N_ARTICLES, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    EmbeddingCache(home / "embedding-cache.sqlite3").put_many(shared_embedder().name, lines, vectors)
    source = tmp_path / "many.jsonl"
    source.write_text("".join(json.dumps({"text": line}) + "\n" for line in lines), encoding="utf-8")

    results = engine.ingest([source])
    assert [r.status for r in results] == ["added"] * N_ARTICLES
    assert engine.stats() == {"articles": N_ARTICLES, "passages": N_ARTICLES, "vectors": N_ARTICLES}
    full = run_cli(capsys, home, "many", "check")
    assert full["ok"] and full["full_scan"] and full["problems"] == 0
    assert (full["articles"], full["passages"], full["vectors"], full["fts_rows"]) == (N_ARTICLES,) * 4

    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(r.article_id for r in results) + "\n", encoding="utf-8")
    assert cli.main(["--home", str(home), "--corpus", "many", "remove", results[0].article_id, "--ids", str(ids),
                     "--json"]) == 1
    assert "not both" in json.loads(capsys.readouterr().out)["error"]
    removed = run_cli(capsys, home, "many", "remove", "--ids", str(ids))
    assert removed["count"] == N_ARTICLES
    assert removed["removed_ids"] == [r.article_id for r in results]

    for argv in (("check", "--quick"), ("check",)):
        report = run_cli(capsys, home, "many", *argv)
        assert report["ok"] and report["problems"] == 0, (backend(engine), argv, report)
        assert (report["articles"], report["passages"], report["vectors"], report["fts_rows"]) == (0, 0, 0, 0)
        assert report["orphan_vectors"] == 0 and report["reembedded_articles"] == []
    assert report["full_scan"]
    assert engine.stats() == {"articles": 0, "passages": 0, "vectors": 0}
    assert engine.sources("benches approved by the council").results == []


def test_a_query_encodes_on_one_thread_and_a_batch_on_every_core():
    """A query's few texts on one intra-op thread (on a shared machine, each small op of a
    2-thread encode waited for the slowest thread: BENCHMARKS, issue 26); batches on every
    core; the vectors are the same either way."""
    import os

    import torch

    from index.store.embedder import QUERY_TEXTS

    embedder = shared_embedder()
    texts = [f"the joint chiefs of staff oppose the plan, version {i}" for i in range(QUERY_TEXTS + 1)]
    one = embedder.encode(texts[:1])
    assert torch.get_num_threads() == 1
    batch = embedder.encode(texts)
    assert torch.get_num_threads() == max(1, os.cpu_count() or 1)
    np.testing.assert_allclose(one[0], batch[0], atol=1e-5)


def test_a_large_call_runs_in_passes_of_like_token_counts_and_keeps_its_order():
    """A batch is cut into forward passes by token count, longest first, at most the batch
    size and ``TOKENS_PER_BATCH`` padded tokens each (the library's character sort padded
    ingest's passes by 1.42x: BENCHMARKS, issue 26); every text is in one pass, and the
    vectors and windows come back in the input's order, as each text's own."""
    from index.store.embedder import TOKENS_PER_BATCH, forward_batches

    embedder = shared_embedder()
    model = embedder._load()
    words = "the joint chiefs of staff oppose the invasion plan, citing the law".split()
    texts = [" ".join(words[: 2 + i % len(words)]) + f" ({i})" for i in range(150)] + ["word " * 400]
    passes = forward_batches(model, texts, embedder.batch_size)
    assert sorted(i for batch in passes for i in batch) == list(range(len(texts)))
    counts = [len(ids) for ids in model.tokenizer(texts, truncation=True, max_length=model.max_seq_length)["input_ids"]]
    assert passes[0][0] == len(texts) - 1 and len(passes[0]) == TOKENS_PER_BATCH // 256  # the longest first
    longest = [max(counts[i] for i in batch) for batch in passes]
    assert longest == sorted(longest, reverse=True)
    for batch, top in zip(passes, longest):
        assert len(batch) <= embedder.batch_size
        assert len(batch) == 1 or len(batch) * top <= TOKENS_PER_BATCH
    vectors, found = embedder.encode_with_windows(texts)
    for i in (0, 7, 149, 150):
        alone, alone_windows = embedder.encode_with_windows([texts[i]])
        np.testing.assert_allclose(vectors[i], alone[0], atol=1e-5)
        assert found[i].spans == alone_windows[0].spans
        np.testing.assert_allclose(found[i].vectors, alone_windows[0].vectors, atol=1e-5)
    np.testing.assert_allclose(embedder.encode(texts), vectors, atol=1e-5)
