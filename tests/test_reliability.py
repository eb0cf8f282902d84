"""Crash safety, the consistency check, and a Chroma server that goes away and comes back.

Most engines here use ``HashingEmbedder`` (tests/support/hashing_embedder.py): the crash and check
semantics do not depend on the model, and it keeps these tests fast.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tests.support import synthetic
from tests.support.chroma_server import ChromaServer, chroma_command
from tests.support.crash import crash_experiment
from tests.support.hashing_embedder import HashingEmbedder

from index.cli.commands import main
from index.config import Settings
from index.engine import Engine
from index.errors import UserError

TEXTS = [
    "The mayor of Tarnby said the new bridge would cost 40 million euros. Residents were not consulted, "
    "the council admitted on Tuesday.\n\nWork will start in March, officials said.\n",
    "Velda Energy will cut 120 jobs at its Kellport site. The union called the decision a betrayal.\n",
    "Flooding closed 12 schools in Alvika on Monday. The health minister said no one was hurt.\n",
]


def engine_at(home: Path, **kwargs) -> Engine:
    return Engine(Settings.from_env(home), "rel", embedder=HashingEmbedder(), **kwargs)


def ingest_texts(engine: Engine, texts=TEXTS) -> list[str]:
    ids = []
    for i, text in enumerate(texts):
        (result,) = engine.ingest_bytes(text.encode("utf-8"), f"a{i}.txt")
        assert result.status in ("added", "duplicate"), result.error
        ids.append(result.article_id)
    return ids


def consistent(engine: Engine) -> bool:
    stats = engine.stats()
    return stats["passages"] == stats["vectors"] == engine.article_db.fts_count()


# -- crashes --------------------------------------------------------------------------------


def test_sigkill_during_ingest_and_remove_then_rerun_equals_clean_ingest(tmp_path):
    """The small version of bench/robustness/crash.py: 5 kills on 30 articles."""
    run = crash_experiment(30, 5, fake=True, seed=7, workdir=tmp_path, early_share=0.0)
    assert run.problems == []
    assert run.killed >= 3  # most kills land while the worker still works
    assert sum(run.final_counts.values()) == 30 and "rejected" not in run.final_counts


def test_half_ingested_article_is_invisible_then_redone(tmp_path, monkeypatch):
    engine = engine_at(tmp_path)
    ids = ingest_texts(engine, TEXTS[:1])

    def crash(*_args, **_kwargs):  # the process dies after the vectors, before the commit point
        raise KeyboardInterrupt

    monkeypatch.setattr(engine.article_db, "add_articles", crash)
    with pytest.raises(KeyboardInterrupt):
        engine.ingest_bytes(TEXTS[1].encode(), "b.txt")
    monkeypatch.undo()
    assert engine.article_db.count() == 1 and engine.stats()["vectors"] > engine.stats()["passages"]
    assert [a.article_id for a in engine.articles()] == ids  # nothing half-made is visible
    assert all(h.article.article_id in ids for h in engine.sources("Velda Energy jobs Kellport").results)

    reopened = engine_at(tmp_path)  # the restart: the open-time check removes the orphans
    report = reopened.open_report
    assert report.full_scan and report.orphan_vectors == 2 and len(report.orphan_articles) == 1
    assert consistent(reopened)
    (again,) = reopened.ingest_bytes(TEXTS[1].encode(), "b.txt")  # re-running the same ingest
    assert again.status == "added" and again.article_id == report.orphan_articles[0]
    assert consistent(reopened) and reopened.article_db.count() == 2


def test_rerun_after_crash_is_not_blocked_by_orphans(tmp_path, monkeypatch):
    """Without any check in between, re-running the ingest upserts over the orphans."""
    engine = engine_at(tmp_path)
    monkeypatch.setattr(engine.article_db, "add_articles", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        ingest_texts(engine)
    monkeypatch.undo()
    ids = ingest_texts(engine)
    assert len(set(ids)) == 3 and consistent(engine)
    assert [r.status for r in engine.ingest_bytes(TEXTS[0].encode(), "again.txt")] == ["duplicate"]


def test_remove_interrupted_after_the_registry_leaves_orphans_that_check_deletes(tmp_path, monkeypatch):
    engine = engine_at(tmp_path)
    ids = ingest_texts(engine)
    monkeypatch.setattr(engine.vectors, "remove", lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        engine.remove(ids[0])
    monkeypatch.undo()
    with pytest.raises(UserError):
        engine.show(ids[0])  # gone from the commit point on
    report = engine.check()
    assert report.orphan_articles == [ids[0]] and report.orphan_vectors == 3
    assert consistent(engine) and engine.check().ok and not engine.check().full_scan


def test_check_reembeds_missing_vectors_from_the_cache_and_rebuilds_lexical_rows(tmp_path):
    engine = engine_at(tmp_path)
    ids = ingest_texts(engine)
    before = engine.passage_vectors(ids[1])
    engine.vectors.remove(ids[1])  # vectors lost
    engine.vectors.remove_ids([f"{ids[2]}:0"])  # one vector lost
    with engine.article_db._tx() as db:  # lexical rows lost, and stray ones
        db.execute("DELETE FROM passages_fts WHERE article_id = ?", (ids[0],))
        db.execute("INSERT INTO passages_fts (text, article_id, idx) VALUES ('ghost words', 'nosuchid', 0)")
    dry = engine.check(repair=False)
    assert dry.reembedded_articles == sorted(ids[1:]) and not consistent(engine)
    report = engine.check()
    assert report.reembedded_articles == sorted(ids[1:])
    assert report.reembedded_passages == report.reembedded_from_cache == 2 + 2
    assert report.fts_fixed_articles == sorted([ids[0], "nosuchid"])
    assert consistent(engine) and engine.check(full=True).ok
    assert (engine.passage_vectors(ids[1]) == before).all()
    assert engine.search_phrase("new bridge would cost").results[0].article.article_id == ids[0]
    assert engine.search_phrase("ghost words").results == []


def test_unreadable_local_store_is_rebuilt_from_the_registry_on_open(tmp_path, monkeypatch):
    """After a SIGKILL, Chroma's embedded store once failed every read of the collection
    ("Failed to apply logs to the hnsw segment writer", seen in the crash bench): opening the
    engine must rebuild the vectors from the registry and the cache, not fail."""
    from chromadb.errors import InternalError

    from index.store.chroma import VectorStore

    engine = engine_at(tmp_path)
    ids = ingest_texts(engine)
    vectors = {aid: engine.passage_vectors(aid) for aid in ids}
    real_count = VectorStore.count
    failures = iter([InternalError("Failed to apply logs to the hnsw segment writer")])

    def damaged_count(self):
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real_count(self)

    monkeypatch.setattr(VectorStore, "count", damaged_count)
    reopened = engine_at(tmp_path)
    report = reopened.open_report
    assert report.rebuilt_vectors and "hnsw" in report.rebuilt_vectors
    assert sorted(report.reembedded_articles) == sorted(ids)
    assert report.reembedded_from_cache == report.reembedded_passages  # no model needed
    assert consistent(reopened) and reopened.check(full=True).ok
    for aid in ids:
        assert (reopened.passage_vectors(aid) == vectors[aid]).all()


def test_open_check_is_cheap_when_counts_agree(tmp_path):
    engine = engine_at(tmp_path)
    ingest_texts(engine)
    report = engine_at(tmp_path).open_report
    assert report.ok and not report.full_scan and report.articles == 3


def test_check_waits_for_no_one_but_skips_while_a_writer_is_active(tmp_path):
    engine = engine_at(tmp_path)
    ingest_texts(engine, TEXTS[:1])
    with engine.write_lock.held(exclusive=False):  # an ingest or remove in flight (any process)
        other = engine_at(tmp_path)
        assert other.open_report.skipped and "another process" in other.open_report.skipped
        assert other.check(wait=False).skipped
    assert engine.check(wait=False).ok


def test_cli_check_says_what_it_did(tmp_path, capsys, monkeypatch):
    home = tmp_path / "home"
    engine = Engine(Settings.from_env(home), "default")  # the real model, as the CLI uses
    ids = ingest_texts(engine, TEXTS[:2])
    engine.vectors.remove(ids[0])
    capsys.readouterr()
    assert main(["--home", str(home), "check", "--dry-run", "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["reembedded_articles"] == [ids[0]] and not dry["ok"] and dry["repaired"] is False
    assert main(["--home", str(home), "check", "--json"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert done["reembedded_articles"] == [ids[0]] and done["reembedded_from_cache"] == 3
    assert done["vectors"] == done["passages"] == 5
    assert main(["--home", str(home), "check"]) == 0
    assert "ok: nothing to repair" in capsys.readouterr().out


# -- a Chroma server that goes away ------------------------------------------------------------

needs_chroma = pytest.mark.skipif(chroma_command() is None, reason="`chroma` (chroma run) is not installed")


@needs_chroma
def test_server_down_gives_a_clear_error_and_the_engine_recovers(tmp_path, monkeypatch):
    server = ChromaServer(tmp_path / "chroma-data").start()
    try:
        monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
        monkeypatch.setenv("CHROMA_PORT", str(server.port))
        engine = engine_at(tmp_path / "home")
        ids = ingest_texts(engine)
        where = f"cannot reach the Chroma server at 127.0.0.1:{server.port}"

        server.stop()
        for call in (lambda: engine.sources("bridge cost"), engine.stats, lambda: engine.remove(ids[0]),
                     lambda: engine.ingest_bytes(b"A new article about a harbour strike in Dunmore.\n", "n.txt"),
                     lambda: engine_at(tmp_path / "home"), lambda: engine.check(full=True)):
            with pytest.raises(UserError, match=where):
                call()
        # The remove above committed in the registry before the vectors failed: the
        # article is gone; its vectors are orphans for the check.
        assert engine.article_db.count() == 2
        code = main(["--home", str(tmp_path / "home"), "--corpus", "rel", "stats", "--json"])
        assert code == 1

        server.start()  # same port, same data
        assert engine.stats()["articles"] == 2  # the same engine works again
        report = engine.check()
        assert report.orphan_articles == [ids[0]] and consistent(engine)
        assert engine.sources("bridge cost").results
        (added,) = engine.ingest_bytes(b"A new article about a harbour strike in Dunmore.\n", "n.txt")
        assert added.status == "added" and consistent(engine)
        assert engine_at(tmp_path / "home").open_report.ok
    finally:
        server.stop()


@needs_chroma
def test_server_restarted_with_empty_data_is_repaired_by_check(tmp_path, monkeypatch):
    server = ChromaServer(tmp_path / "chroma-a").start()
    try:
        monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
        monkeypatch.setenv("CHROMA_PORT", str(server.port))
        engine = engine_at(tmp_path / "home")
        ingest_texts(engine)
        server.stop()
        server.path = tmp_path / "chroma-b"  # the server lost its data
        server.start()
        assert engine.stats()["vectors"] == 0  # the collection is made again
        report = engine.check()
        assert len(report.reembedded_articles) == 3 and report.reembedded_from_cache == report.reembedded_passages
        assert consistent(engine)
    finally:
        server.stop()


def test_unreachable_server_at_open_is_a_one_line_cli_error(tmp_path, capsys, monkeypatch):
    from tests.support.chroma_server import free_port

    port = free_port()
    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", str(port))
    capsys.readouterr()
    assert main(["--home", str(tmp_path), "articles", "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["error"].startswith(f"cannot reach the Chroma server at 127.0.0.1:{port}")
    assert "Traceback" not in captured.err and captured.err.count("\n") == 1


def test_synthetic_feed_ingests_consistently(tmp_path):
    """Batches that span several commits (the ingest batch is 512 passages)."""
    engine = engine_at(tmp_path)
    feed = synthetic.write_jsonl(synthetic.build(150, seed=5), tmp_path / "feed.jsonl")
    results = engine.ingest([feed])
    assert [r.status for r in results].count("added") == 150
    assert consistent(engine) and engine.check(full=True).ok
    assert os.path.exists(engine.write_lock.path)
