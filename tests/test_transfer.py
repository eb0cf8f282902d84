"""export -> import round trips: same ids, texts, passages, metadata and added_at.

Embedded -> a `chroma run` server when `chroma` is installed (also embedded -> embedded);
the importing engine embeds again with the real model, as a real move would.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.support.chroma_server import ChromaServer, chroma_command

from index.cli.commands import main
from index.config import Settings
from index.engine import Engine
from index.ingest.transfer import export_corpus, import_corpus


def corpus_state(engine: Engine) -> dict:
    out = {}
    for article in engine.articles():
        _, text = engine.show(article.article_id)
        out[article.article_id] = {
            "article": article.to_json(),
            "text": text,
            "passages": [(q.start, q.end) for q in engine.passages(article.article_id)],
        }
    return out


def round_trip(source: Engine, target_home: Path, tmp_path: Path, capsys) -> None:
    exported = tmp_path / "corpus.jsonl"
    capsys.readouterr()
    assert main(["--home", str(source.settings.home), "--corpus", source.corpus, "export", str(exported), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["exported"] == source.article_db.count()
    lines = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    assert all({"text", "title", "outlet", "url", "published", "authors", "article_id", "added_at"} <= set(r) for r in lines)
    assert [r["added_at"] for r in lines] == sorted(r["added_at"] for r in lines)  # oldest first

    assert main(["--home", str(target_home), "--corpus", "moved", "import", str(exported), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["added"] == len(lines) and report["rejected"] == 0 and report["id_mismatches"] == []
    target = Engine(Settings.from_env(target_home), "moved")
    assert corpus_state(target) == corpus_state(source)
    assert target.stats() == source.stats()
    a, b = source.sources("military options for Greenland"), target.sources("military options for Greenland")
    # Same passages, same vectors up to float noise: the same best answers (near-ties far
    # down the list may swap places).
    quotes_a, quotes_b = ([(h.quote.article_id, h.quote.start) for h in r.results] for r in (a, b))
    assert quotes_a[:3] == quotes_b[:3] and len(set(quotes_a) & set(quotes_b)) >= 0.8 * len(quotes_a)
    # importing again changes nothing
    assert main(["--home", str(target_home), "--corpus", "moved", "import", str(exported), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["added"] == 0 and again["duplicate"] == len(lines)


def test_export_import_embedded_to_embedded(sample_engine, tmp_path, capsys):
    round_trip(sample_engine, tmp_path / "target", tmp_path, capsys)


@pytest.mark.skipif(chroma_command() is None, reason="`chroma` (chroma run) is not installed")
def test_export_import_embedded_to_server(sample_engine, tmp_path, capsys, monkeypatch):
    server = ChromaServer(tmp_path / "chroma-data").start()
    try:
        monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
        monkeypatch.setenv("CHROMA_PORT", str(server.port))
        round_trip(sample_engine, tmp_path / "server-home", tmp_path, capsys)
    finally:
        server.stop()


def test_import_reports_bad_lines_and_edited_texts(tmp_path, fresh_engine):
    path = tmp_path / "in.jsonl"
    good = {"text": "The harbour strike in Dunmore entered its third week. Talks resumed on Friday.\n",
            "outlet": "Coastal Courier", "article_id": "0123456789abcdef", "added_at": "2026-01-02T03:04:05+00:00"}
    path.write_text("\n".join([
        json.dumps(good), "{not json", json.dumps({"title": "no text"}), "",
        json.dumps({"text": "Another article about the Kellport plant closure. Two hundred jobs go.\n",
                    "added_at": "yesterday-ish"}),
    ]) + "\n", encoding="utf-8")
    report = import_corpus(fresh_engine, path)
    assert (report.added, report.duplicate, report.rejected) == (2, 0, 2)
    assert report.id_mismatches == ["in.jsonl:1"]  # the text was edited after export: a new id
    by_outlet = {a.outlet: a for a in fresh_engine.articles()}
    assert by_outlet["Coastal Courier"].added_at == "2026-01-02T03:04:05.000000+00:00"
    assert by_outlet[None].added_at > "2026-01-02"  # unreadable added_at: the import time


def test_export_to_a_directory_or_unwritable_place_is_a_user_error(tmp_path, capsys, sample_engine):
    home = str(sample_engine.settings.home)
    assert main(["--home", home, "--corpus", sample_engine.corpus, "export", str(tmp_path)]) == 1
    assert main(["--home", home, "--corpus", sample_engine.corpus, "export", str(tmp_path / "no" / "dir.jsonl")]) == 1
    assert main(["--home", home, "import", str(tmp_path / "missing.jsonl")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("sourcedesk:") == 3


def test_import_line_over_the_size_limit_is_rejected_not_loaded(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCEDESK_MAX_FILE_BYTES", "2000")
    engine = Engine(Settings.from_env(tmp_path / "home"), "small")
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"text": "Long. " * 1000}) + "\n"
                    + json.dumps({"text": "A short article about a bridge in Tarnby. It opened today.\n"}) + "\n",
                    encoding="utf-8")
    report = export_corpus(engine, tmp_path / "empty.jsonl")
    assert report == 0 and (tmp_path / "empty.jsonl").read_text() == ""
    report = import_corpus(engine, path)
    assert (report.added, report.rejected) == (1, 1)
    assert "line 1: the line is longer than 2 KB" in report.errors[0] and "SOURCEDESK_" not in report.errors[0]
