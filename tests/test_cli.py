"""The command-line JSON contract (shared/cli-contract.md)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from index.cli.commands import main

ARTICLE_KEYS = {"article_id", "title", "outlet", "authors", "published", "url", "chars", "passages"}
QUOTE_KEYS = {"article_id", "text", "start", "end"}


@pytest.fixture(scope="module")
def home(tmp_path_factory, sample_dir):
    home = tmp_path_factory.mktemp("cli-home")
    assert main(["--home", str(home), "ingest", str(sample_dir), "--json"]) == 0
    return home


def run_json(capsys, home, *argv) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["--home", str(home), *argv, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)  # exactly one JSON document, nothing else


def texts_by_id(capsys, home, ids) -> dict[str, str]:
    return {i: run_json(capsys, home, "show", i)[1]["text"] for i in ids}


def check_quote(quote: dict, texts: dict[str, str]) -> None:
    assert set(quote) >= QUOTE_KEYS
    assert quote["text"] == texts[quote["article_id"]][quote["start"] : quote["end"]]


def test_ingest_reports_duplicates_and_rejections(capsys, home, sample_dir, tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    code, doc = run_json(capsys, home, "ingest", str(sample_dir / "000_1929e489469e94e8.txt"), str(bad))
    assert code == 0
    first, second = doc["results"]
    assert set(first) >= {"path", "status", "article_id", "duplicate_of", "error"}
    assert first["status"] == "duplicate" and first["duplicate_of"] == first["article_id"]
    assert second["status"] == "rejected" and "bad.docx" in second["error"]


def test_articles_show_and_sources_contract(capsys, home):
    code, doc = run_json(capsys, home, "articles")
    assert code == 0 and len(doc["articles"]) == 3
    for article in doc["articles"]:
        assert set(article) >= ARTICLE_KEYS
    ids = [a["article_id"] for a in doc["articles"]]
    texts = texts_by_id(capsys, home, ids)
    code, answer = run_json(capsys, home, "sources", "the joint chiefs of staff oppose the plan", "--limit", "5")
    assert code == 0 and answer["query"] == "the joint chiefs of staff oppose the plan"
    assert 0 < len(answer["results"]) <= 5
    for r in answer["results"]:
        assert set(r) >= {"article", "quote", "score", "match"}
        assert r["match"] in {"verbatim", "close", "related"}
        check_quote(r["quote"], texts)


def test_sources_queries_file_answers_in_file_order(capsys, home, tmp_path):
    qfile = tmp_path / "q.txt"
    qfile.write_text("NATO summit\n\nStephen Miller\nghost ships\n", encoding="utf-8")
    code, doc = run_json(capsys, home, "sources", "--queries", str(qfile), "--limit", "3")
    assert code == 0
    assert [a["query"] for a in doc["answers"]] == ["NATO summit", "Stephen Miller", "ghost ships"]


def test_errors_exit_1_with_json_error(capsys, home):
    code, doc = run_json(capsys, home, "show", "doesnotexist")
    assert code == 1 and "unknown article id" in doc["error"]
    code, doc = run_json(capsys, home, "sources", "")
    assert code == 1 and "empty" in doc["error"]
    code, doc = run_json(capsys, home, "sources", "--queries", "/nonexistent/q.txt")
    assert code == 1 and "cannot read" in doc["error"]
    capsys.readouterr()
    assert main(["--home", str(home), "--corpus", "bad/name", "articles", "--json"]) == 1


def test_remove_then_unknown(capsys, home, tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("A short note about the ferry timetable changing in April this year.\n")
    code, doc = run_json(capsys, home, "ingest", str(path))
    article_id = doc["results"][0]["article_id"]
    assert run_json(capsys, home, "remove", article_id) == (0, {"removed": article_id})
    assert run_json(capsys, home, "remove", article_id)[0] == 1


def test_console_script_keeps_stdout_pure_json(home):
    """The installed `sourcedesk` entry point: logs and progress on stderr only."""
    script = Path(sys.executable).with_name("sourcedesk")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([str(script), "--home", str(home), "-v", "sources", "Greenland", "--json"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["results"]
    proc = subprocess.run([str(script), "--home", str(home), "show", "zzzzzz", "--json"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 1
    # the corpus name is for the logs, not the message (run with PYTHONPATH=. to test a worktree's code)
    assert json.loads(proc.stdout) == {
        "error": "unknown article id 'zzzzzz': no stored article has it (the list of articles shows their ids)"}
    assert proc.stderr.strip().count("\n") == 0  # a one-line message


def test_compare_and_lineage_contract(capsys, home):
    ids = [a["article_id"] for a in run_json(capsys, home, "articles")[1]["articles"]]
    texts = texts_by_id(capsys, home, ids)
    original = next(i for i in ids if texts[i].startswith("By GLEN OWEN"))
    rewrite = next(i for i in ids if i != original)
    code, doc = run_json(capsys, home, "compare", original, rewrite)
    assert code == 0
    assert set(doc) >= {"a", "b", "pairs", "only_a", "only_b", "quote_changes", "reuse"}
    assert {p["kind"] for p in doc["pairs"]} <= {"verbatim", "reworded"} and doc["pairs"]
    for p in doc["pairs"]:
        check_quote(p["a"], texts)
        check_quote(p["b"], texts)
    for q in doc["only_a"] + doc["only_b"]:
        check_quote(q, texts)
    for c in doc["quote_changes"]:
        check_quote(c["a"], texts)
        check_quote(c["b"], texts)
    assert 0 <= doc["reuse"]["b_from_a"] <= 1 and 0 <= doc["reuse"]["a_from_b"] <= 1
    code, doc = run_json(capsys, home, "lineage", rewrite)
    assert code == 0 and doc["origin"] == original
    assert {e["relation"] for e in doc["related"]} <= {"origin", "derived", "related"}
    assert any(e["article"]["article_id"] == original and e["relation"] == "origin" for e in doc["related"])


def test_demo_json(capsys, tmp_path):
    capsys.readouterr()
    assert main(["--home", str(tmp_path / "demo"), "demo", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["status"] for r in doc["ingest"]["results"]] == ["added"] * 3
    assert all(a["results"] for a in doc["sources"])
    assert doc["lineage"]["role"] == "origin"


def test_digest_contract(capsys, home):
    code, doc = run_json(capsys, home, "digest", "--since", "7d")
    assert code == 0 and set(doc) >= {"since", "until", "stories"}
    [story] = doc["stories"]
    assert len(story["articles"]) == 3 and story["articles"][0]["outlet"] == "The Mail on Sunday"
    texts = texts_by_id(capsys, home, [a["article_id"] for a in story["articles"]])
    check_quote(story["lead"], texts)
    assert {"derived"} <= {f["kind"] for f in story["flags"]}
    code, doc = run_json(capsys, home, "digest", "--since", "garbage")
    assert code == 1 and "cannot read the time" in doc["error"]
