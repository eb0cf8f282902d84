"""A local HTTP server for the link and feed tests (http.server in a thread): pages, feeds and
hostile answers, changeable while it runs. No test reaches the internet.

``routes`` maps a path to a function that writes the whole answer; ``requests`` records each
request's path and headers (conditional requests are checked there)."""
from __future__ import annotations

import contextlib
import gzip
import html
import io
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpcore

Answer = Callable[[BaseHTTPRequestHandler], None]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet test output
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        news: NewsServer = self.server.news  # type: ignore[attr-defined]
        news.requests.append((self.path, dict(self.headers)))
        answer = news.routes.get(self.path)
        if answer is None:
            return respond(404, b"not found", "text/plain")(self)
        try:
            answer(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a hostile answer's test)


def respond(status: int, body: bytes, content_type: str | None = "text/html; charset=utf-8",
            headers: dict[str, str] | None = None) -> Answer:
    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        if content_type:
            h.send_header("Content-Type", content_type)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)
    return answer


def redirect(location: str, status: int = 302) -> Answer:
    return respond(status, b"", None, {"Location": location})


def gzip_bomb(size: int) -> Answer:
    """A small gzip body that inflates to ``size`` bytes of HTML-ish zeros."""
    return respond(200, gzip.compress(b"<p>" + b"0" * size, 9), headers={"Content-Encoding": "gzip"})


def dribble(seconds: float) -> Answer:
    """An answer whose body comes a few bytes at a time for ``seconds`` (no Content-Length)."""
    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            h.wfile.write(b"<p>slow</p>")
            h.wfile.flush()
            time.sleep(0.05)
    return answer


def article_page(text: str, title: str | None = None, site: str | None = None, published: str | None = None) -> bytes:
    """A news page: the text's paragraphs (blank-line separated) in an <article>."""
    paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())
    head = f"<title>{html.escape(title)}</title>" if title else ""
    if site:
        head += f'<meta property="og:site_name" content="{html.escape(site)}">'
    if published:
        head += f'<meta property="article:published_time" content="{published}">'
    heading = f"<h1>{html.escape(title)}</h1>" if title else ""
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body><nav>Home · World</nav>"
            f"<article>{heading}{paragraphs}</article><footer>© the site</footer></body></html>").encode()


def rss(title: str, items: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 feed of (guid, link, title) items, newest first."""
    entries = "".join(f"<item><guid>{html.escape(g)}</guid><link>{html.escape(link)}</link>"
                      f"<title>{html.escape(t)}</title></item>" for g, link, t in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{html.escape(title)}</title>'
            f"<link>http://news.example/</link>{entries}</channel></rss>").encode()


def sample_text(sample_dir: Path, name: str) -> str:
    return (sample_dir / name).read_text(encoding="utf-8")


class NewsServer:
    def __init__(self) -> None:
        self.routes: dict[str, Answer] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.news = self  # type: ignore[attr-defined]
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class DialLocal(httpcore.SyncBackend):
    """The inner network of a guarded client in tests: connects to the local server whatever
    checked address it is given, and records the addresses (each must be an address, never
    a name again: the pin)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.dialled: list[str] = []

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        self.dialled.append(host)
        return super().connect_tcp("127.0.0.1", self.port, timeout, local_address, socket_options)


def fake_dns(names: dict[str, list[str]]) -> Callable[[str, int], list[str]]:
    """A resolver from a table; an address literal resolves to itself."""
    def resolve(host: str, port: int) -> list[str]:
        if host in names:
            return list(names[host])
        if host.replace(".", "").isdigit() or ":" in host:
            return [host]
        raise OSError(f"{host} not found")
    return resolve


def cli(home: Path, *argv: str) -> tuple[int, dict]:
    """``sourcedesk --home HOME ARGV --json``: its exit status and its one JSON document."""
    from index.cli.commands import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--home", str(home), *argv, "--json"])
    return code, json.loads(out.getvalue())
