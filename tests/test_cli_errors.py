"""Every error, expected or not, honours the CLI contract: with --json, standard output
holds one {"error": ...} object and the exit status is 1; the traceback only in the log."""
from __future__ import annotations

import json

import pytest

from index.cli import commands as cli

ARGS = {
    "ingest": ["ingest", "x.txt"], "articles": ["articles"], "show": ["show", "abcdef"],
    "remove": ["remove", "abcdef"], "sources": ["sources", "a claim"], "search": ["search", "a phrase"],
    "compare": ["compare", "abcdef", "123456"], "lineage": ["lineage", "abcdef"], "digest": ["digest"],
    "stats": ["stats"], "check": ["check"], "export": ["export", "out.jsonl"], "import": ["import", "in.jsonl"],
    "demo": ["demo"], "bot": ["bot"], "edit": ["edit", "abcdef", "--outlet", "X"],
    "feeds": ["feeds", "list"], "watch": ["watch", "list"],
    "outlets": ["outlets", "list"],
}


def test_every_subcommand_is_covered():
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) == set(ARGS)


@pytest.mark.parametrize("command", sorted(ARGS))
def test_internal_error_gives_the_json_error_object(command, monkeypatch, capsys, tmp_path):
    def boom(*args, **kwargs):
        raise RuntimeError("injected failure\nsecond line")

    monkeypatch.setattr(cli, "_engine", boom)
    import bot.__main__
    import index.cli.demo

    monkeypatch.setattr(index.cli.demo, "demo", boom)
    monkeypatch.setattr(bot.__main__, "main", boom)
    capsys.readouterr()
    assert cli.main(["--home", str(tmp_path), *ARGS[command], "--json"]) == 1
    captured = capsys.readouterr()
    doc = json.loads(captured.out)  # exactly one JSON document
    assert list(doc) == ["error"]
    assert doc["error"].startswith(f"internal error in {command}: RuntimeError: injected failure second line")
    assert "Traceback" not in captured.out and "Traceback" not in captured.err
    assert captured.err.strip().count("\n") == 0  # one line on standard error


def test_traceback_goes_to_the_log_with_verbose(monkeypatch, capsys, tmp_path):
    def boom(*args, **kwargs):
        raise ValueError("injected")

    monkeypatch.setattr(cli, "_engine", boom)
    capsys.readouterr()
    assert cli.main(["--home", str(tmp_path), "-v", "stats", "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"error": "internal error in stats: ValueError: injected "
                                                 "(run with -v for the traceback)"}
    logged = [json.loads(line) for line in captured.err.splitlines() if line.startswith("{")]
    assert any("Traceback" in entry.get("exception", "") for entry in logged)


def test_partly_accepted_jsonl_names_the_files_lines_and_how_to_ingest_them_again(capsys, tmp_path):
    """CRLF line ends, a byte-order mark and blank lines: the numbers are the file's."""
    good = [json.dumps({"text": f"The ferry to Skye sailed at {n} o'clock. It carried forty cars."}) for n in (6, 9)]
    lines = [good[0], "", '{"text": "unclosed', good[1], "[1, 2]"]
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode())
    home = tmp_path / "home"
    capsys.readouterr()
    assert cli.main(["--home", str(home), "ingest", str(feed)]) == 0
    out = capsys.readouterr().out
    assert "rejected   feed.jsonl, line 3: not valid JSON" in out
    assert ('feed.jsonl: lines 3 and 5 were not added; fix those lines and ingest them again as a .jsonl '
            '(lines already added are recognised as duplicates)') in out
    assert "column" not in out and "char " not in out
    assert cli.main(["--home", str(home), "ingest", str(feed), "--json"]) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    assert [(r["path"], r["status"], r["error"]) for r in results] == [
        ("feed.jsonl:1", "duplicate", None), ("feed.jsonl:3", "rejected", "line 3: not valid JSON"),
        ("feed.jsonl:4", "duplicate", None),
        ("feed.jsonl:5", "rejected", 'line 5: not an article: each line must be one JSON object such as {"text": "..."}')]


def test_unknown_id_names_no_corpus(capsys, tmp_path):
    capsys.readouterr()
    assert cli.main(["--home", str(tmp_path / "home"), "--corpus", "guild-1456", "show", "deadbeefcafe", "--json"]) == 1
    error = json.loads(capsys.readouterr().out)["error"]
    assert error.startswith("unknown article id 'deadbeefcafe'") and "guild-1456" not in error and "corpus" not in error
