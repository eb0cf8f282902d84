"""Articles by link (index/ingest/links.py): `ingest URL` against a local server, the snapshot's
facts, versions, the raw page kept, metadata precedence, and hostile pages leaving the corpus
as it was. The sample corpus's texts are served as news pages."""
from __future__ import annotations

import hashlib
import html
from dataclasses import replace
from pathlib import Path

import pytest

from bot.render import digest as render_digest
from index.config import FetchPolicy, Settings
from index.engine import Engine
from index.naming import display_name
from index.ingest.fetch import GuardedClient
from index.ingest.transfer import export_corpus, import_corpus
from tests.conftest import ORIGINAL, REWRITE_UNDATED
from tests.news_server import (
    DialLocal,
    NewsServer,
    article_page,
    cli,
    dribble,
    fake_dns,
    gzip_bomb,
    redirect,
    respond,
    sample_text,
)
from tests.support.bot_world import assert_quotes_verbatim

QUOTATION = "by talking about less controversial measures"
BRIEF = ("The morning ferry to the island was cancelled on Friday because of the storm.\n\n"
         "The harbour master said the afternoon crossing would sail if the wind dropped.")


@pytest.fixture(scope="module")
def server(sample_dir):
    news = NewsServer()
    original = sample_text(sample_dir, ORIGINAL)
    news.routes["/greenland"] = respond(200, article_page(original, title="Trump orders Greenland invasion plan",
                                                          site="The Mail on Sunday", published="2026-01-12"))
    news.routes["/rewrite"] = respond(200, article_page(sample_text(sample_dir, REWRITE_UNDATED)))
    news.routes["/brief"] = respond(200, article_page(BRIEF, title="Ferry cancelled"))
    yield news
    news.close()


def allowing_private(home: Path, corpus: str) -> Engine:
    return Engine(replace(Settings.from_env(home), fetch=FetchPolicy(allow_private=True)), corpus)


@pytest.fixture()
def engine(tmp_path):
    return allowing_private(tmp_path / "home", "links")


def public_web(engine: Engine, server: NewsServer) -> DialLocal:
    """The engine's default-setting client, with news.example a public name dialled locally."""
    dial = DialLocal(server.port)
    engine.links.client = GuardedClient(FetchPolicy(), engine.settings.limits.max_file_bytes,
                                        resolve=fake_dns({"news.example": ["93.184.216.34"]}), network=dial)
    return dial


def assert_verbatim(engine: Engine, quotes) -> None:
    for q in quotes:
        assert q.text == engine.show(q.article_id)[1][q.start : q.end]


# -- the must-shows, through the command line ------------------------------------------


def test_ingest_url_then_unchanged_then_changed(server, sample_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCEDESK_FETCH_ALLOW_PRIVATE", "1")
    home, link = tmp_path / "home", server.url("/page-v")
    original = sample_text(sample_dir, ORIGINAL)
    server.routes["/page-v"] = respond(200, article_page(original, title="Greenland plan", site="The Mail on Sunday"))
    code, first = cli(home, "ingest", link)
    (result,) = first["results"]
    assert code == 0 and result["status"] == "added" and result["path"] == link
    assert result["url"] == link and result["fetched_at"] and result["version_of"] is None
    assert "alerts" not in first  # the corpus watches no claim: the answer keeps its shape

    code, again = cli(home, "ingest", link)
    assert again["results"][0]["status"] == "duplicate"
    assert again["results"][0]["duplicate_of"] == result["article_id"] and again["results"][0]["version_of"] is None

    server.routes["/page-v"] = respond(200, article_page(original.replace("less controversial", "more modest"),
                                                         title="Greenland plan", site="The Mail on Sunday"))
    code, changed = cli(home, "ingest", link)
    (second,) = changed["results"]
    assert second["status"] == "added" and second["article_id"] != result["article_id"]
    assert second["version_of"] == result["article_id"] and second["url"] == link
    assert len(cli(home, "articles")[1]["articles"]) == 2  # the first version is still there

    code, shown = cli(home, "show", second["article_id"])
    assert shown["snapshot"]["version_of"] == result["article_id"] and shown["snapshot"]["final_url"] == link


def test_default_setting_refuses_loopback_directly_and_stores_nothing(server, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCEDESK_FETCH_ALLOW_PRIVATE", raising=False)
    home = tmp_path / "home"
    code, answer = cli(home, "ingest", server.url("/greenland"))
    (result,) = answer["results"]
    assert code == 0 and result["status"] == "rejected" and result["article_id"] is None
    assert result["error"].startswith(f"cannot fetch {server.url('/greenland')}: 127.0.0.1 is a private or local")
    assert result["url"] is None and result["fetched_at"] is None
    assert cli(home, "articles")[1]["articles"] == []
    assert not (home / "corpora" / "default" / "snapshots").exists()


def test_default_setting_refuses_loopback_by_redirect(server, engine):
    server.routes["/sneaky"] = redirect(server.url("/greenland"))
    server.routes["/metadata"] = redirect("http://169.254.169.254/latest/meta-data/")
    dial = public_web(engine, server)
    results = engine.ingest(["http://news.example/sneaky", "http://news.example/metadata"])
    assert [r.status for r in results] == ["rejected", "rejected"]
    assert "redirects to http://127.0.0.1:" in results[0].error and "169.254.169.254" in results[1].error
    assert all(r.error.startswith("cannot fetch http://news.example/") for r in results)
    assert engine.stats()["articles"] == 0 and dial.dialled == ["93.184.216.34"] * 2


# -- what is stored ----------------------------------------------------------------------------


def test_snapshot_facts_and_raw_page_kept(server, engine):
    server.routes["/validators"] = respond(200, article_page("A short story about harbours.\n\nIt has two paragraphs.",
                                                             title="Harbours"),
                                           headers={"ETag": '"abc"', "Last-Modified": "Mon, 12 Jan 2026 08:00:00 GMT"})
    (result,) = engine.ingest([server.url("/validators")])
    snapshot = engine.snapshot(result.article_id)
    assert snapshot.final_url == server.url("/validators") and snapshot.link == server.url("/validators")
    assert snapshot.etag == '"abc"' and snapshot.last_modified == "Mon, 12 Jan 2026 08:00:00 GMT"
    raw = engine.links.raw_path(snapshot.sha256).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == snapshot.sha256
    # Every passage can be checked against what was fetched.
    fetched = html.unescape(raw.decode("utf-8"))
    quotes = engine.passages(result.article_id)
    assert quotes and all(q.text in fetched for q in quotes)
    assert_verbatim(engine, quotes)


def test_every_passage_of_a_sample_page_is_in_the_raw_page(server, engine):
    (result,) = engine.ingest([server.url("/greenland")])
    assert result.status == "added" and result.article.outlet == "The Mail on Sunday"
    raw = html.unescape(engine.links.raw_path(engine.snapshot(result.article_id).sha256).read_text("utf-8"))
    quotes = engine.passages(result.article_id)
    assert len(quotes) > 20 and all(q.text in raw for q in quotes)


def test_final_url_after_redirect(server, engine):
    server.routes["/short"] = redirect("/brief", 301)
    (result,) = engine.ingest([server.url("/short")])
    assert result.to_json()["url"] == server.url("/brief")
    assert result.article.url == server.url("/brief")  # the page names no other link of its own


def test_links_and_paths_mixed_keep_their_order(server, engine, sample_dir):
    results = engine.ingest([server.url("/rewrite"), str(sample_dir / ORIGINAL)])
    assert [r.status for r in results] == ["added", "added"]
    assert results[0].path == server.url("/rewrite") and results[0].snapshot is not None
    assert results[1].path.endswith(ORIGINAL) and results[1].snapshot is None
    assert "url" not in results[1].to_json()  # a file's result keeps the contract's shape


def test_same_text_at_another_link_is_a_duplicate(server, engine):
    server.routes["/copy"] = server.routes["/brief"]
    first, second = engine.ingest([server.url("/brief"), server.url("/copy")])
    assert (first.status, second.status) == ("added", "duplicate")
    assert second.duplicate_of == first.article_id and second.to_json()["version_of"] is None


def test_metadata_precedence_options_over_page_over_header_lines(server, engine):
    from index.records import Metadata

    body = "By Jane Roe\n\nThe harbour master resigned on Monday after the storm damage report."
    server.routes["/meta"] = respond(200, article_page(body, title="Harbour master resigns", site="Coast Gazette"))
    public_web(engine, server)
    (plain,) = engine.ingest(["http://news.example/meta"])
    assert plain.article.outlet == "Coast Gazette" and plain.article.authors == ["Jane Roe"]  # page, header line
    assert plain.article.url == "http://news.example/meta" and plain.article.title == "Harbour master resigns"
    engine.remove(plain.article_id)
    (chosen,) = engine.ingest(["http://news.example/meta"], meta=Metadata(outlet="The Desk", title="Our title"))
    assert chosen.article.outlet == "The Desk" and chosen.article.title == "Our title"
    server.routes["/bare"] = respond(200, article_page("A page that names no outlet of its own, in one sentence."))
    (bare,) = engine.ingest(["http://news.example/bare"])
    assert bare.article.outlet == "news.example"  # from the link's host, as for any known URL


def test_wrong_charset_header_the_bytes_decide(server, engine):
    text = "The café owner said “we will reopen” on Friday, after the flood damaged the kitchen and the cellar."
    page = article_page(text, title="Café reopens")
    server.routes["/cp1252"] = respond(200, page.decode("utf-8").encode("cp1252"), "text/html; charset=utf-8")
    server.routes["/latin"] = respond(200, page.replace(b"Friday", b"Saturday"), "text/html; charset=iso-8859-1")
    server.routes["/bogus"] = respond(200, page.replace(b"Friday", b"Sunday"), "text/html; charset=x-no-such")
    results = engine.ingest([server.url("/cp1252"), server.url("/latin"), server.url("/bogus")])
    assert [r.status for r in results] == ["added"] * 3
    for r, day in zip(results, ("Friday", "Saturday", "Sunday")):
        assert text.replace("Friday", day) in engine.show(r.article_id)[1]


@pytest.mark.parametrize("route, answer, words", [
    ("/h-png", respond(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png"), "not a web page"),
    ("/h-bomb", gzip_bomb(40 * 1024 * 1024), "larger than the limit"),
    ("/h-loop", redirect("/h-loop"), "redirects more than"),
    ("/h-empty", respond(200, b"<html><body></body></html>"), "no article text"),
    ("/h-binary", respond(200, b"\0\1\2\3" * 400, "text/html"), "binary"),
    ("/h-missing", respond(404, b"no", "text/plain"), "answered 404"),
])
def test_hostile_pages_leave_the_corpus_as_it_was(server, engine, route, answer, words):
    server.routes[route] = answer
    (result,) = engine.ingest([server.url(route)])
    assert result.status == "rejected" and words in result.error and server.url(route) in result.error
    assert engine.stats() == {"articles": 0, "passages": 0, "vectors": 0}
    assert not engine.links.raw_dir.exists() or not any(engine.links.raw_dir.iterdir())


def test_slow_page_hits_the_time_limit(server, tmp_path):
    engine = Engine(replace(Settings.from_env(tmp_path / "home"), fetch=FetchPolicy(allow_private=True, timeout_s=1)),
                    "slow")
    server.routes["/h-slow"] = dribble(4.0)
    (result,) = engine.ingest([server.url("/h-slow")])
    assert result.status == "rejected" and "within 1 s" in result.error and engine.stats()["articles"] == 0


# -- versions -------------------------------------------------------------------------------------


def test_versions_compare_and_digest_flag(server, engine, sample_dir):
    original = sample_text(sample_dir, ORIGINAL)
    assert QUOTATION in original
    page = lambda text: respond(200, article_page(text, title="Greenland plan", site="The Mail on Sunday",  # noqa: E731
                                                  published="2026-01-12"))
    server.routes["/edited"] = page(original)
    (first,) = engine.ingest([server.url("/edited")])
    server.routes["/edited"] = page(original.replace(QUOTATION, "by talking about more modest measures"))
    (second,) = engine.ingest([server.url("/edited")])
    assert second.snapshot.version_of == first.article_id and first.article_id != second.article_id

    comparison = engine.compare(first.article_id, second.article_id)
    assert [c.kind for c in comparison.quote_changes] == ["quote_altered"]

    story = next(s for s in engine.digest(since="1h").stories if second.article_id in s.new)
    edited = story.flags[0]
    assert edited.kind == "edited_after_publication" and story.to_json()["flags"][0]["kind"] == edited.kind
    assert (edited.article_id, edited.from_article_id) == (second.article_id, first.article_id)
    assert [c.kind for c in edited.changes] == ["quote_altered"]
    assert "more modest" in edited.changes[0].b.text and "less controversial" in edited.changes[0].a.text
    assert not any(f.kind == "derived" and {f.article_id, f.from_article_id} == {first.article_id, second.article_id}
                   for f in story.flags)  # an edit, not a rewrite
    assert_verbatim(engine, story.quotes())
    # The bot's digest shows the edit first, its changed quotation before which versions they are.
    embeds = render_digest.digest_story_embeds(story, 1, 1)
    assert embeds[0].title.endswith(f"most serious: edited after publication ({second.article_id[:8]})")
    names = [f.name for e in embeds for f in e.fields]
    start = next(n for n, name in enumerate(names) if name.startswith("edited after publication"))
    assert names[start].startswith("edited after publication · quotation altered · earlier ")
    assert names[start].endswith(f"`{first.article_id[:8]}`")
    assert names[start + 1].startswith("later ") and names[start + 1].endswith(f"`{second.article_id[:8]}`")
    assert names[start + 2] == "edited after publication"  # then which versions they are, one line
    versions = next(f.value for e in embeds for f in e.fields if f.name == "edited after publication")
    assert f"`{second.article_id[:8]}` is a later version of " in versions and "1 changed quotation" in versions
    texts = {a: engine.show(a)[1] for a in (first.article_id, second.article_id)}
    assert assert_quotes_verbatim(embeds, texts) >= 2


def test_removing_a_version_keeps_the_other(server, engine):
    original = BRIEF
    server.routes["/rm"] = respond(200, article_page(original, title="One"))
    (first,) = engine.ingest([server.url("/rm")])
    server.routes["/rm"] = respond(200, article_page(original, title="Two"))
    (second,) = engine.ingest([server.url("/rm")])
    raw_first, raw_second = (engine.links.raw_path(r.snapshot.sha256) for r in (first, second))
    assert raw_first.exists() and raw_second.exists()
    engine.remove(first.article_id)
    assert not raw_first.exists() and raw_second.exists()  # a removed article's page goes with it
    assert engine.snapshot(second.article_id).version_of == first.article_id  # the record of what it was
    assert engine.digest(since="1h").stories  # a dangling earlier version is no edit to show
    server.routes["/rm"] = respond(200, article_page(original, title="Three"))
    (third,) = engine.ingest([server.url("/rm")])
    assert third.snapshot.version_of == second.article_id


def test_export_and_import_carry_the_snapshot_facts(server, engine, tmp_path):
    server.routes["/moved"] = respond(200, article_page(BRIEF, title="Ferry"))
    (first,) = engine.ingest([server.url("/moved")])
    server.routes["/moved"] = respond(200, article_page(BRIEF + "\n\nThe ferry sailed on Sunday.", title="Ferry"))
    (second,) = engine.ingest([server.url("/moved")])
    assert export_corpus(engine, tmp_path / "corpus.jsonl") == 2
    elsewhere = allowing_private(tmp_path / "elsewhere", "moved")
    assert import_corpus(elsewhere, tmp_path / "corpus.jsonl").added == 2
    for result in (first, second):
        assert elsewhere.snapshot(result.article_id) == engine.snapshot(result.article_id) is not None
    assert elsewhere.snapshot(second.article_id).version_of == first.article_id


def test_an_untitled_page_is_named_by_its_address(server, engine):
    server.routes["/untitled/"] = respond(200, article_page(BRIEF))
    (result,) = engine.ingest([server.url("/untitled/")])
    # (the outlet, when the page names none, is what trafilatura reads of the site)
    assert display_name(engine.article(result.article_id)).endswith(f"page 127.0.0.1:{server.port}/untitled")
