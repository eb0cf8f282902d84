"""The guarded client (index/ingest/fetch.py) against a local server: what it fetches, and every
hostile answer refused with one line naming the link. No model, no internet: names resolve
through a table (``fake_dns``) and the "public" addresses are dialled to the local server."""
from __future__ import annotations

import gzip
import time

import pytest

from index.config import FetchPolicy, Settings
from index.errors import UserError
from index.ingest.fetch import MAX_REDIRECTS, GuardedClient, is_public
from tests.news_server import (
    DialLocal,
    NewsServer,
    dribble,
    fake_dns,
    gzip_bomb,
    redirect,
    respond,
)

PUBLIC = "93.184.216.34"
LIMIT = 1024 * 1024


@pytest.fixture(scope="module")
def server():
    news = NewsServer()
    news.routes["/page"] = respond(200, b"<html><body><p>A page.</p></body></html>",
                                   headers={"ETag": '"v1"', "Last-Modified": "Mon, 12 Jan 2026 08:00:00 GMT"})
    news.routes["/moved"] = redirect("/page", 301)
    news.routes["/loop"] = redirect("/loop")
    news.routes["/to-loopback"] = redirect(news.url("/page"))
    news.routes["/to-metadata"] = redirect("http://169.254.169.254/latest/meta-data/")
    news.routes["/to-ftp"] = redirect("ftp://news.example/file")
    news.routes["/png"] = respond(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
    news.routes["/gone"] = respond(404, b"gone", "text/plain")
    news.routes["/declared-huge"] = respond(200, b"<p>x</p>", headers={"X-Pad": "1"})
    news.routes["/bomb"] = gzip_bomb(30 * LIMIT)
    news.routes["/slow"] = dribble(5.0)
    news.routes["/brotli"] = respond(200, b"\x1b\x00", headers={"Content-Encoding": "br"})
    news.routes["/broken-gzip"] = respond(200, gzip.compress(b"<p>ok</p>")[:-12] + b"garbage!" * 4,
                                          headers={"Content-Encoding": "gzip"})
    news.routes["/gzipped"] = respond(200, gzip.compress(b"<p>small and zipped</p>"),
                                      headers={"Content-Encoding": "gzip"})
    yield news
    news.close()


def local(timeout: float = 5.0) -> GuardedClient:
    """Private addresses allowed (the operator's setting): the local server is reachable."""
    return GuardedClient(FetchPolicy(allow_private=True, timeout_s=timeout), LIMIT)


def guarded(server: NewsServer, names: dict[str, list[str]] | None = None) -> tuple[GuardedClient, DialLocal]:
    """The default setting, with news.example resolving to a public address (dialled locally)."""
    dial = DialLocal(server.port)
    client = GuardedClient(FetchPolicy(), LIMIT, resolve=fake_dns(names or {"news.example": [PUBLIC]}), network=dial)
    return client, dial


def refused(client: GuardedClient, link: str) -> str:
    with pytest.raises(UserError) as caught:
        client.get(link)
    message = str(caught.value)
    assert "\n" not in message and link in message  # one line, naming the link
    return message


def test_fetches_a_page_with_its_validators(server):
    fetched = local().get(server.url("/page"))
    assert fetched.body == b"<html><body><p>A page.</p></body></html>"
    assert fetched.final_url == server.url("/page") and fetched.content_type == "text/html"
    assert fetched.etag == '"v1"' and fetched.last_modified == "Mon, 12 Jan 2026 08:00:00 GMT"
    assert fetched.fetched_at and not fetched.not_modified


def test_follows_redirects_to_the_final_url(server):
    fetched = local().get(server.url("/moved"))
    assert fetched.final_url == server.url("/page") and b"A page." in fetched.body


def test_gzip_is_decompressed(server):
    assert local().get(server.url("/gzipped")).body == b"<p>small and zipped</p>"


def test_conditional_request_answered_304(server):
    server.routes["/cond"] = lambda h: (respond(304, b"", None, {"ETag": '"v1"'}) if h.headers.get("If-None-Match")
                                        == '"v1"' else respond(200, b"<p>x</p>", headers={"ETag": '"v1"'}))(h)
    client = local()
    assert not client.get(server.url("/cond")).not_modified
    again = client.get(server.url("/cond"), headers={"If-None-Match": '"v1"'})
    assert again.not_modified and again.body == b"" and again.etag == '"v1"'


def test_default_setting_refuses_loopback_directly(server):
    client = GuardedClient(FetchPolicy(), LIMIT)  # the real resolver
    for link in (server.url("/page"), f"http://localhost:{server.port}/page", f"http://[::1]:{server.port}/page",
                 f"http://2130706433:{server.port}/page"):  # 2130706433 is 127.0.0.1 as one number
        assert "private or local address" in refused(client, link)
    before = len(server.requests)
    refused(client, server.url("/page"))
    assert len(server.requests) == before  # refused before any connection


def test_default_setting_refuses_redirects_to_private_addresses(server):
    client, dial = guarded(server)
    message = refused(client, "http://news.example/to-loopback")
    assert f"redirects to {server.url('/page')}" in message and "127.0.0.1" in message
    message = refused(client, "http://news.example/to-metadata")
    assert "169.254.169.254" in message and "private or local address" in message
    assert dial.dialled == [PUBLIC, PUBLIC]  # only the public first hops were ever connected


def test_a_name_with_any_private_address_is_refused(server):
    client, dial = guarded(server, {"news.example": [PUBLIC, "10.0.0.7"]})
    assert "10.0.0.7" in refused(client, "http://news.example/page")
    assert dial.dialled == []


def test_connection_is_pinned_to_the_checked_address(server):
    """DNS rebinding: the name answers public, then private. The check and the connection
    use one resolution, and the socket is opened to the checked address, never the name."""
    answers = iter([[PUBLIC], ["127.0.0.1"], ["127.0.0.1"]])
    lookups: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        lookups.append(host)
        return next(answers)

    dial = DialLocal(server.port)
    client = GuardedClient(FetchPolicy(), LIMIT, resolve=rebinding, network=dial)
    assert b"A page." in client.get("http://news.example/page").body
    assert lookups == ["news.example"] and dial.dialled == [PUBLIC]
    # The next connection resolves afresh, and the private answer is refused.
    assert "127.0.0.1" in refused(client, "http://news.example/page")


@pytest.mark.parametrize("address, public", [
    ("93.184.216.34", True), ("2606:4700:4700::1111", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
    ("255.255.255.255", False), ("240.0.0.1", False), ("::1", False), ("::", False), ("fe80::1", False),
    ("fc00::1", False), ("ff02::1", False), ("::ffff:127.0.0.1", False), ("::ffff:10.0.0.1", False),
    ("2002:7f00:1::", False), ("2002:0a00:1::", False),
])
def test_address_policy(address, public):
    assert is_public(address) is public


@pytest.mark.parametrize("link, words", [
    ("ftp://news.example/file", "only http and https"),
    ("file:///etc/passwd", "only http and https"),
    ("javascript:alert(1)", "only http and https"),
    ("http://user:secret@news.example/", "user name or password"),
    ("http:///nohost", "names no host"),
    ("http://news.example:99999/", "not valid"),
    ("http://news.example/" + "x" * 3000, "longer than"),
])
def test_links_that_are_never_fetched(server, link, words):
    client, dial = guarded(server)
    with pytest.raises(UserError, match=words):
        client.get(link)
    assert dial.dialled == []


def test_endless_redirects_stop(server):
    message = refused(local(), server.url("/loop"))
    assert f"more than {MAX_REDIRECTS} times" in message


def test_redirect_to_another_scheme_is_refused(server):
    assert "not an http(s) link" in refused(local(), server.url("/to-ftp"))


def test_not_html_is_refused(server):
    assert "not a web page (image/png)" in refused(local(), server.url("/png"))


def test_server_errors_name_the_status(server):
    assert "answered 404" in refused(local(), server.url("/gone"))


def test_declared_size_over_the_limit_is_refused_before_reading(server):
    server.routes["/declared-huge"] = lambda h: (h.send_response(200), h.send_header("Content-Type", "text/html"),
                                                 h.send_header("Content-Length", str(30 * LIMIT)), h.end_headers())
    assert "the limit is 1 MB" in refused(local(), server.url("/declared-huge"))


def test_undeclared_huge_body_stops_at_the_limit(server):
    def endless(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        for _ in range(64):
            h.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
    server.routes["/endless"] = endless
    assert "larger than the limit of 1 MB" in refused(local(), server.url("/endless"))


def test_gzip_bomb_stops_at_the_limit(server):
    started = time.monotonic()
    assert "larger than the limit of 1 MB" in refused(local(), server.url("/bomb"))
    assert time.monotonic() - started < 5  # it never inflated the 30 MB


def test_slow_body_hits_the_time_limit(server):
    started = time.monotonic()
    assert "no complete answer within 1 s" in refused(local(timeout=1.0), server.url("/slow"))
    assert time.monotonic() - started < 4


def test_unknown_or_damaged_encodings_are_refused(server):
    assert "encoding sourcedesk does not read (br)" in refused(local(), server.url("/brotli"))
    assert "damaged" in refused(local(), server.url("/broken-gzip"))


def test_unknown_host(server):
    client, _ = guarded(server)
    assert "the host nowhere.example was not found" in refused(client, "http://nowhere.example/page")


def test_no_proxy_from_the_environment(server, monkeypatch):
    """A proxy would make the connection, and the check would see only the proxy."""
    monkeypatch.setenv("HTTP_PROXY", "http://10.9.9.9:3128")
    monkeypatch.setenv("http_proxy", "http://10.9.9.9:3128")
    assert b"A page." in local().get(server.url("/page")).body


def test_fetch_settings_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("SOURCEDESK_FETCH_ALLOW_PRIVATE", raising=False)
    monkeypatch.delenv("SOURCEDESK_FETCH_TIMEOUT", raising=False)
    assert Settings.from_env(tmp_path).fetch == FetchPolicy(allow_private=False, timeout_s=30.0)
    monkeypatch.setenv("SOURCEDESK_FETCH_ALLOW_PRIVATE", "yes")  # only "1" allows
    monkeypatch.setenv("SOURCEDESK_FETCH_TIMEOUT", "5")
    assert Settings.from_env(tmp_path).fetch == FetchPolicy(allow_private=False, timeout_s=5.0)
    monkeypatch.setenv("SOURCEDESK_FETCH_ALLOW_PRIVATE", "1")
    assert Settings.from_env(tmp_path).fetch.allow_private
    monkeypatch.setenv("SOURCEDESK_FETCH_TIMEOUT", "0")
    with pytest.raises(UserError, match="SOURCEDESK_FETCH_TIMEOUT must be a positive"):
        Settings.from_env(tmp_path)
