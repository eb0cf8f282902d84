"""Hostile and broken input: every parser on random and damaged bytes, every common text
encoding, huge inputs and zip bombs, and random command options. The rule: a one-line
``UserError`` (CLI: exit status 1, no traceback), never a crash, and nothing stored lost.
"""
from __future__ import annotations

import io
import json
import random
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.test_parsers import make_docx, minimal_pdf

from index.cli.commands import main
from index.config import Limits, Settings, check_corpus_name
from index.engine import Engine
from index.errors import UserError
from index.ingest.decode import decode_bytes
from index.ingest.parsers import ACCEPTED_EXTENSIONS, parse_document

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ARTICLE = ("The mayor of Tarnby said on Tuesday that the new bridge would cost 40 million euros, "
           "twice the original estimate. Residents were not consulted, the council admitted.")
HTML = (f"<html><head><title>Bridge costs double</title><meta name='author' content='Ann Lee'></head>"
        f"<body><article><h1>Bridge costs double</h1><p>{ARTICLE}</p><p>{ARTICLE}</p></article></body></html>")
VALID = {
    "report.pdf": minimal_pdf(ARTICLE[:80]),
    "story.docx": make_docx([ARTICLE, ARTICLE], title="Bridge"),
    "page.html": HTML.encode("utf-8"),
    "notes.md": f"---\ntitle: Bridge\npublished: 2026-01-12\n---\n\n{ARTICLE}\n".encode("utf-8"),
    "feed.jsonl": (json.dumps({"text": ARTICLE, "outlet": "Coastal Courier"}) + "\n").encode("utf-8"),
    "plain.txt": ARTICLE.encode("utf-8"),
}


def parses_or_refuses(data: bytes, name: str) -> None:
    try:
        documents = parse_document(data, name)
    except UserError as err:
        message = str(err)
        assert message and "\n" not in message and "Traceback" not in message
        return
    for doc in documents:  # anything accepted is text an ingest can store
        assert isinstance(doc.text, str)
        assert doc.error is None or "\n" not in doc.error
        doc.text.encode("utf-8")


# -- random and damaged bytes --------------------------------------------------------------


@FAST
@given(data=st.binary(max_size=4096), extension=st.sampled_from(ACCEPTED_EXTENSIONS))
def test_random_bytes_for_every_extension(data, extension):
    parses_or_refuses(data, f"upload{extension}")


@FAST
@given(extension=st.sampled_from(ACCEPTED_EXTENSIONS), magic=st.sampled_from(
    [b"%PDF-1.7\n", b"PK\x03\x04", b"<html><body>", b"\xef\xbb\xbf", b"\xff\xfe", b"---\n", b"{\"text\": "]),
    tail=st.binary(max_size=2048))
def test_random_bytes_behind_a_plausible_header(extension, magic, tail):
    parses_or_refuses(magic + tail, f"upload{extension}")


@FAST
@given(name=st.sampled_from(sorted(VALID)), cut=st.floats(0.0, 1.0), flips=st.lists(
    st.tuples(st.floats(0.0, 1.0, exclude_max=True), st.integers(1, 255)), max_size=8))
def test_truncated_and_garbled_valid_files(name, cut, flips):
    data = bytearray(VALID[name][: max(1, int(len(VALID[name]) * cut))])
    for where, xor in flips:
        data[int(where * len(data))] ^= xor
    parses_or_refuses(bytes(data), name)


def test_the_valid_files_do_parse():
    for name, data in VALID.items():
        (doc,) = parse_document(data, name)
        assert "40" in doc.text or "bridge" in doc.text.lower()


@FAST
@given(st.recursive(st.just("<p>The mayor said the bridge costs 40 million.</p>"),
                    lambda inner: st.tuples(st.sampled_from(["div", "span", "table", "ul", "section", "b"]),
                                            st.lists(inner, max_size=3)).map(
                        lambda t: f"<{t[0]}>" + "".join(t[1]) + f"</{t[0]}>"), max_leaves=40))
def test_random_html_trees(html):
    parses_or_refuses(f"<html><body>{html}</body></html>".encode("utf-8"), "tree.html")


@pytest.mark.parametrize("depth", [300, 5_000, 100_000])
@pytest.mark.parametrize("closed", [True, False])
def test_deeply_nested_html(depth, closed):
    body = "<div>" * depth + f"<p>{ARTICLE}</p>" + ("</div>" * depth if closed else "")
    parses_or_refuses(f"<html><body>{body}</body></html>".encode(), "deep.html")


def test_deeply_nested_json_and_yaml():
    parses_or_refuses(b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n", "deep.jsonl")
    parses_or_refuses(b"---\na: " + b"[" * 50_000 + b"]" * 50_000 + b"\n---\nBody text here.\n", "deep.md")


# -- encodings --------------------------------------------------------------------------------

SAMPLES = {
    "western": "Le maire de Tarnby a déclaré « nous reconstruirons le pont » après la crue. "
               "Les habitants, déçus, réclament 40 millions d'euros.\n",
    "cp1252": "The council said the “new bridge” would cost £40 million — twice the estimate. "
              "Café owners were not consulted, residents’ groups said.\n",
    "russian": "Мэр города заявил, что новый мост обойдётся в 40 миллионов рублей, что вдвое больше "
               "первоначальной оценки. Жители недовольны решением совета.\n",
    "japanese": "市長は、新しい橋の建設費が当初の見積もりの２倍の４０億円になると述べた。住民は市議会の決定に不満を示している。\n",
    "chinese_simplified": "市长表示，新桥的造价将达到四千万元，是最初估计的两倍。居民对市议会的决定表示不满，并要求重新审议。\n",
    "chinese_traditional": "市長表示，新橋的造價將達到四千萬元，是最初估計的兩倍。居民對市議會的決定表示不滿，並要求重新審議。\n",
}
ENCODINGS = [
    ("utf-8", "western"), ("utf-8", "russian"), ("utf-8", "japanese"), ("utf-8-sig", "russian"),
    ("utf-16", "russian"), ("utf-16", "japanese"), ("utf-16-le", "western"), ("utf-32", "chinese_simplified"),
    ("cp1252", "cp1252"), ("cp1252", "western"), ("latin-1", "western"), ("shift_jis", "japanese"),
    ("euc-jp", "japanese"), ("koi8-r", "russian"), ("cp1251", "russian"), ("gb2312", "chinese_simplified"),
    ("gbk", "chinese_simplified"), ("big5", "chinese_traditional"),
]


@pytest.mark.parametrize(("encoding", "sample"), ENCODINGS)
def test_every_common_encoding_decodes_to_the_original(encoding, sample):
    text = SAMPLES[sample]
    data = text.encode(encoding)
    if encoding == "utf-16-le":  # no BOM: refused as binary (NUL bytes) rather than misread
        with pytest.raises(UserError, match="binary"):
            decode_bytes(data, "x.txt")
        return
    assert decode_bytes(data, "x.txt") == text
    (doc,) = parse_document(data, "x.txt")
    assert doc.text == text


@FAST
@given(st.text(min_size=1, max_size=400))
def test_utf8_text_round_trips_exactly(text):
    try:
        decoded = decode_bytes(text.encode("utf-8"), "x.txt")
    except UserError:
        return  # empty, or control characters: refused as binary
    assert decoded == text.replace("\r\n", "\n").replace("\r", "\n")


# -- huge inputs and zip bombs -------------------------------------------------------------------


def zip_bytes(entries: list[tuple[str, bytes]], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def test_docx_zip_bomb_is_refused_before_python_docx_opens_it(monkeypatch):
    import docx

    opened = []
    monkeypatch.setattr(docx, "Document", lambda *a: opened.append(a) or (_ for _ in ()).throw(AssertionError))
    bomb = zip_bytes([("word/document.xml", b"\0" * 50_000_000)])
    assert len(bomb) < 100_000
    limits = Limits(max_file_bytes=1_000_000)  # unzipped limit: 10 x that
    with pytest.raises(UserError, match="would unpack to 47.7 MB"):
        parse_document(bomb, "bomb.docx", limits)
    many = zip_bytes([(f"f{i}.xml", b"") for i in range(3000)])
    with pytest.raises(UserError, match="holds 3,000 files inside"):
        parse_document(many, "many.docx", limits)
    assert opened == []


def test_zip_limits_are_configurable(monkeypatch):
    monkeypatch.setenv("SOURCEDESK_MAX_UNZIPPED_BYTES", "1000")
    monkeypatch.setenv("SOURCEDESK_MAX_ZIP_ENTRIES", "5")
    limits = Settings.from_env("/tmp/unused").limits
    assert limits.unzipped_bytes == 1000 and limits.max_zip_entries == 5
    with pytest.raises(UserError, match="holds 17 files inside; the limit is 5"):
        parse_document(VALID["story.docx"], "story.docx", limits)
    monkeypatch.setenv("SOURCEDESK_MAX_ZIP_ENTRIES", "100")
    with pytest.raises(UserError, match="the limit is 1,000 bytes"):
        parse_document(VALID["story.docx"], "story.docx", Settings.from_env("/tmp/unused").limits)
    monkeypatch.setenv("SOURCEDESK_MAX_ZIP_ENTRIES", "-1")
    with pytest.raises(UserError, match="SOURCEDESK_MAX_ZIP_ENTRIES"):
        Settings.from_env("/tmp/unused")


def test_size_limits_are_checked_before_any_parser(monkeypatch, tmp_path, fresh_engine):
    import index.ingest.parsers as parsers

    called = []
    for ext in list(parsers._PARSERS):
        monkeypatch.setitem(parsers._PARSERS, ext, lambda *a: called.append(a) or [])
    limits = Limits(max_file_bytes=1000)
    for ext in ACCEPTED_EXTENSIONS:
        with pytest.raises(UserError, match="the limit is 1,000 bytes"):
            parse_document(b"x" * 1001, f"big{ext}", limits)
    assert called == []
    monkeypatch.undo()

    stats = fresh_engine.stats()
    lines = b"".join(json.dumps({"text": f"Article {i}. It is short."}).encode() + b"\n" for i in range(10))
    small = Settings(home=fresh_engine.settings.home, limits=Limits(max_jsonl_lines=5, max_article_chars=50))
    engine = Engine(small, fresh_engine.corpus, embedder=fresh_engine.embedder)
    (result,) = engine.ingest_bytes(lines, "feed.jsonl")
    assert result.status == "rejected" and "10 lines" in result.error
    (result,) = engine.ingest_bytes(("Long sentence here. " * 10).encode(), "long.txt")
    assert result.status == "rejected" and "200 characters; the limit is 50" in result.error
    assert engine.stats() == fresh_engine.stats() == stats


# -- command options ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_home(tmp_path_factory, sample_dir):
    home = tmp_path_factory.mktemp("hostile-cli")
    assert main(["--home", str(home), "ingest", str(sample_dir)]) == 0
    return home


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_user_error(code, out, err, json_mode=True):
    assert code == 1, err
    assert "Traceback" not in err and err.startswith("sourcedesk: ") and err.count("\n") == 1
    if json_mode:
        assert set(json.loads(out)) == {"error"}


def corpus_snapshot(capsys, home) -> dict:
    code, out, _ = run_cli(capsys, "--home", str(home), "stats", "--json")
    assert code == 0
    return json.loads(out)


@pytest.mark.parametrize("argv", [
    ["articles", "--limit", "-5"], ["articles", "--limit", "0"], ["articles", "--limit", "ten"],
    ["articles", "--limit", str(10**30)], ["sources", "bridge", "--limit", "-5"], ["sources", "bridge", "--limit", "0"],
    ["search", "Greenland", "--limit", str(10**19)], ["digest", "--since", "garbage"], ["digest", "--since", "99999999d"],
    ["digest", "--max-stories", "0"], ["digest", "--until", "not a date"], ["show", "nosuchid"], ["show", ""],
    ["show", "\udcff\udcfe"], ["show", "x" * 10_000], ["remove", "'; DROP TABLE articles; --"], ["remove", "%"],
    ["compare", "a", "b"], ["lineage", "\x00"], ["sources", "\udcff bridge"], ["sources", " "], ["search", "x" * 5000],
    ["--corpus", "a/b", "stats"], ["--corpus", "../../etc", "stats"], ["--corpus", "café", "stats"],
    ["--corpus", "x\n", "stats"], ["--corpus", "", "stats"], ["--corpus", "-" * 100, "stats"],
    ["ingest", "nofile.txt", "--published", "garbage"], ["ingest", "nofile.txt", "--published", "2026-13-45"],
    ["nosuchcommand"], ["sources", "--queries", "/nonexistent"], ["articles", "--outlet", "\udcff"],
])
def test_bad_options_are_one_line_errors(capsys, cli_home, argv):
    before = corpus_snapshot(capsys, cli_home)
    code, out, err = run_cli(capsys, "--home", str(cli_home), *argv, "--json")
    assert_user_error(code, out, err)
    assert corpus_snapshot(capsys, cli_home) == before


@pytest.mark.parametrize("argv", [["articles", "--limit", "1000000000"], ["sources", "bridge", "--limit", "1000000000"],
                                  ["search", "Greenland", "--limit", "1"], ["digest", "--since", "1w"],
                                  ["digest", "--since", "99999d"]])
def test_extreme_but_valid_options_work(capsys, cli_home, argv):
    code, out, err = run_cli(capsys, "--home", str(cli_home), *argv, "--json")
    assert code == 0, err
    json.loads(out)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(article_id=st.text(max_size=80), command=st.sampled_from(["show", "remove", "lineage"]))
def test_random_ids_never_crash_or_remove(capsys, cli_home, article_id, command):
    if article_id.startswith("-"):
        article_id = " " + article_id  # not an option
    code, out, err = run_cli(capsys, "--home", str(cli_home), command, article_id, "--json")
    assert code == 1 and "Traceback" not in err
    assert json.loads(out)["error"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(min_size=1, max_size=200), limit=st.integers(-10**6, 10**6))
def test_random_queries_answer_or_refuse(sample_engine, query, limit):
    for call in (sample_engine.sources, sample_engine.search_phrase):
        try:
            result = call(query, limit=limit)
        except UserError as err:
            assert "\n" not in str(err)
            continue
        for hit in result.results:
            _, text = sample_engine.show(hit.quote.article_id)
            assert hit.quote.text == text[hit.quote.start : hit.quote.end]


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=70))
def test_corpus_names(name):
    try:
        assert check_corpus_name(name) == name
    except UserError:
        return
    assert "/" not in name and "\\" not in name and "\n" not in name and name.isascii() and not name.startswith("-")


def test_bad_ingest_stores_nothing_and_loses_nothing(capsys, cli_home, tmp_path):
    before = corpus_snapshot(capsys, cli_home)
    rng = random.Random(3)
    bad = []
    for i, ext in enumerate(ACCEPTED_EXTENSIONS):
        path = tmp_path / f"bad{i}{ext}"
        path.write_bytes(bytes(rng.randrange(256) for _ in range(300)) + b"\0")
        bad.append(str(path))
    (tmp_path / "empty.txt").write_bytes(b"")
    code, out, err = run_cli(capsys, "--home", str(cli_home), "ingest", *bad, str(tmp_path / "empty.txt"),
                             str(tmp_path / "missing.pdf"), "--json")
    assert code == 0 and "Traceback" not in err
    results = json.loads(out)["results"]
    assert len(results) == len(bad) + 2 and all(r["status"] == "rejected" and r["error"] for r in results)
    assert corpus_snapshot(capsys, cli_home) == before
