"""The one guarded HTTP client: everything sourcedesk fetches (pages by link, feeds) goes
through ``GuardedClient.get``.

A link comes from whoever pastes it or from a feed's items, so the fetch is treated as
hostile input:

- only ``http`` and ``https``, no user name or password in the link;
- every connection, the first and each redirect's, is resolved here (``_GuardedBackend``,
  an httpcore network backend): every address the name resolves to is checked, and the
  socket is opened to the checked address itself, so a name cannot resolve to a public
  address for the check and to a private one for the connection (DNS rebinding). TLS
  still verifies the certificate against the host name. Private, loopback, link-local,
  multicast, reserved and unspecified addresses are refused unless the operator allows
  them (``SOURCEDESK_FETCH_ALLOW_PRIVATE=1``, ``FetchPolicy.allow_private``);
- redirects are followed here, at most ``MAX_REDIRECTS``; no proxy from the environment
  (a proxy would make the connection, and the check would see only the proxy);
- size: the upload limit, counted on the decompressed bytes (``_inflate`` never inflates
  past it, so a gzip bomb stops at the limit); time: one deadline for the whole fetch,
  redirects and body included; content type: what the caller accepts.

Every failure is one ``UserError`` line naming the link; nothing is returned half-read.
"""
from __future__ import annotations

import ipaddress
import logging
import socket
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpcore
import httpx

from index import clock
from index.config import FetchPolicy, human_size
from index.errors import UserError

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
MAX_LINK_CHARS = 2_000
# The longest wait for one step (connect, one read) within the fetch's deadline.
STEP_TIMEOUT_S = 10.0
USER_AGENT = "sourcedesk/0.1 (newsroom archive)"
_REDIRECTS = (301, 302, 303, 307, 308)
_INFLATE_STEP = 1024 * 1024  # the most one decompression call may produce

Resolver = Callable[[str, int], Iterable[str]]


def resolve_addresses(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the system resolver), scope ids dropped."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))


def is_public(address: str) -> bool:
    """A public unicast address: not private, loopback, link-local, multicast, reserved,
    unspecified or shared (carrier NAT); an IPv4 address inside IPv6 is judged as IPv4."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None and not is_public(str(inner)):
            return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified or ip.is_loopback
                                 or ip.is_link_local or ip.is_private)


class RefusedAddress(Exception):
    """A connection to an address the policy refuses (raised before any socket opens)."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} resolves to {address}")
        self.host, self.address = host, address


class HostNotFound(Exception):
    def __init__(self, host: str) -> None:
        super().__init__(host)
        self.host = host


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolves, checks every address, then connects to a checked address (never the
    name again): the check and the connection see the same address."""

    def __init__(self, allow_private: bool, resolve: Resolver, network: httpcore.NetworkBackend) -> None:
        self.allow_private = allow_private
        self.resolve = resolve
        self.network = network

    def checked_addresses(self, host: str, port: int) -> list[str]:
        try:
            addresses = list(self.resolve(host, port))
        except (OSError, UnicodeError):
            raise HostNotFound(host) from None
        if not addresses:
            raise HostNotFound(host)
        if not self.allow_private:
            # One refused address refuses the name: it may answer either next time.
            refused = next((a for a in addresses if not is_public(a)), None)
            if refused is not None:
                raise RefusedAddress(host, refused)
        return addresses

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        failure: Exception | None = None
        for address in self.checked_addresses(host, port):
            try:
                return self.network.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc  # the next checked address, as a browser would
        assert failure is not None
        raise failure

    def sleep(self, seconds: float) -> None:
        self.network.sleep(seconds)


# What httpcore raises when a connection or an answer fails (the transport below hands them on).
_TRANSPORT_ERRORS = (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol, httpx.HTTPError)
_TIMEOUTS = (httpcore.TimeoutException, httpx.TimeoutException)


class _GuardedTransport(httpx.BaseTransport):
    """A custom httpx transport (httpx's extension point) over httpcore's connection pool with
    ``_GuardedBackend`` as its network: every connection httpx asks for is checked and pinned.
    httpcore's errors are handed on as they are (``_TRANSPORT_ERRORS``, ``_TIMEOUTS``)."""

    def __init__(self, backend: _GuardedBackend) -> None:
        self.pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(trust_env=False),
                                            network_backend=backend, max_connections=4)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        answer = self.pool.handle_request(httpcore.Request(
            request.method, httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
            headers=request.headers.raw, content=request.stream, extensions=request.extensions))
        return httpx.Response(answer.status, headers=answer.headers, stream=_Body(answer),
                              extensions=answer.extensions)

    def close(self) -> None:
        self.pool.close()


class _Body(httpx.SyncByteStream):
    def __init__(self, answer: httpcore.Response) -> None:
        self.answer = answer

    def __iter__(self) -> Iterator[bytes]:
        yield from self.answer.iter_stream()

    def close(self) -> None:
        self.answer.close()


@dataclass(frozen=True)
class Fetched:
    """One successful fetch: the final URL after redirects and what came back (``body``
    decompressed); ``not_modified`` for a 304 answer to a conditional request."""

    link: str
    final_url: str
    fetched_at: str
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool = False


# What a caller accepts: a media type, lower case, without parameters -> allowed.
Accept = Callable[[str], bool]


def html_only(media_type: str) -> bool:
    return media_type in ("text/html", "application/xhtml+xml")


class GuardedClient:
    """``get(link)``: the guarded fetch (see the module docstring)."""

    def __init__(self, policy: FetchPolicy, max_bytes: int, resolve: Resolver = resolve_addresses,
                 network: httpcore.NetworkBackend | None = None) -> None:
        self.policy = policy
        self.max_bytes = max_bytes
        self._backend = _GuardedBackend(policy.allow_private, resolve, network or httpcore.SyncBackend())

    def get(self, link: str, accept: Accept = html_only, headers: dict[str, str] | None = None,
            what: str = "a web page") -> Fetched:
        """Fetch ``link``; ``accept`` judges the media type (``what`` names it in errors);
        ``headers`` are added to the request (conditional requests)."""
        url = checked_link(link)
        deadline = time.monotonic() + self.policy.timeout_s
        sent = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate", **(headers or {})}
        with httpx.Client(transport=_GuardedTransport(self._backend), trust_env=False,
                          follow_redirects=False) as client:
            for hop in range(MAX_REDIRECTS + 1):
                response = self._send(client, link, url, hop, sent, deadline)
                try:
                    if response.status_code in _REDIRECTS and "location" in response.headers:
                        url = self._redirect(link, response)
                        continue
                    return self._answer(link, response, accept, what, deadline)
                finally:
                    response.close()
        raise UserError(f"cannot fetch {link}: it redirects more than {MAX_REDIRECTS} times")

    def _send(self, client: httpx.Client, link: str, url: str, hop: int, headers: dict[str, str],
              deadline: float) -> httpx.Response:
        left = deadline - time.monotonic()
        if left <= 0:
            raise _too_slow(link, self.policy.timeout_s)
        step = min(left, STEP_TIMEOUT_S)
        where = f"it redirects to {url}, and " if hop else ""
        try:
            request = client.build_request("GET", url, headers=headers, timeout=httpx.Timeout(step))
            return client.send(request, stream=True)
        except RefusedAddress as exc:
            log.info("fetch refused", extra={"link": link, "url": url, "address": exc.address})
            raise UserError(f"cannot fetch {link}: {where}{exc.host} is a private or local address "
                            f"({exc.address}); only public addresses are fetched") from None
        except HostNotFound as exc:
            raise UserError(f"cannot fetch {link}: {where}the host {exc.host} was not found") from None
        except _TIMEOUTS:
            raise _too_slow(link, self.policy.timeout_s) from None
        except httpx.InvalidURL:
            raise UserError(f"cannot fetch {link}: {where}the link is not valid") from None
        except _TRANSPORT_ERRORS as exc:
            log.info("fetch failed", extra={"link": link, "url": url, "error": repr(exc)})
            raise UserError(f"cannot fetch {link}: {where}the connection failed ({type(exc).__name__})") from None

    def _redirect(self, link: str, response: httpx.Response) -> str:
        try:
            target = str(response.url.join(response.headers["location"]))
        except (httpx.InvalidURL, ValueError):
            raise UserError(f"cannot fetch {link}: it redirects to a link that is not valid") from None
        try:
            return checked_link(target)
        except UserError:
            raise UserError(f"cannot fetch {link}: it redirects to {target[:200]}, which is not an http(s) link") \
                from None

    def _answer(self, link: str, response: httpx.Response, accept: Accept, what: str, deadline: float) -> Fetched:
        headers = response.headers
        if response.status_code == 304:
            return Fetched(link, str(response.url), clock.now(), b"", None, headers.get("etag"),
                           headers.get("last-modified"), not_modified=True)
        if response.status_code != 200:
            reason = f" {response.reason_phrase}" if response.reason_phrase else ""
            raise UserError(f"cannot fetch {link}: the server answered {response.status_code}{reason}")
        media = (headers.get("content-type") or "").split(";")[0].strip().lower()
        if media and not accept(media):
            raise UserError(f"cannot fetch {link}: it is not {what} ({media[:60]})")
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise UserError(f"cannot fetch {link}: it is {human_size(int(declared))}; "
                            f"the limit is {human_size(self.max_bytes)}")
        body = self._read(link, response, deadline)
        return Fetched(link, str(response.url), clock.now(), body, media or None, headers.get("etag"),
                       headers.get("last-modified"))

    def _read(self, link: str, response: httpx.Response, deadline: float) -> bytes:
        encoding = (response.headers.get("content-encoding") or "identity").strip().lower()
        decoder = _decoder(encoding)
        if decoder is False:
            raise UserError(f"cannot fetch {link}: it is sent in an encoding sourcedesk does not read "
                            f"({encoding[:40]})")
        parts: list[bytes] = []
        size = 0
        try:
            for part in _inflate(response.iter_raw(), decoder, self.max_bytes):
                size += len(part)
                if size > self.max_bytes:
                    raise UserError(f"cannot fetch {link}: it is larger than the limit of "
                                    f"{human_size(self.max_bytes)}")
                parts.append(part)
                if time.monotonic() > deadline:
                    raise _too_slow(link, self.policy.timeout_s)
        except _TIMEOUTS:
            raise _too_slow(link, self.policy.timeout_s) from None
        except zlib.error:
            raise UserError(f"cannot fetch {link}: its compressed body is damaged") from None
        except _TRANSPORT_ERRORS as exc:
            raise UserError(f"cannot fetch {link}: the connection broke off ({type(exc).__name__})") from None
        return b"".join(parts)


def checked_link(link: str) -> str:
    """The link if sourcedesk may fetch it (http or https, a host, no credentials), else a
    ``UserError`` naming it."""
    shown = link[:200] + ("…" if len(link) > 200 else "")
    if len(link) > MAX_LINK_CHARS:
        raise UserError(f"cannot fetch {shown}: the link is longer than {MAX_LINK_CHARS:,} characters")
    try:
        parts = urlsplit(link)
        host = parts.hostname
        credentials = parts.username is not None or parts.password is not None
        _ = parts.port  # raises ValueError on a port that is not a number
    except ValueError:
        raise UserError(f"cannot fetch {shown}: the link is not valid") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise UserError(f"cannot fetch {shown}: only http and https links are fetched")
    if not host:
        raise UserError(f"cannot fetch {shown}: the link names no host")
    if credentials:
        raise UserError(f"cannot fetch {shown}: links with a user name or password are not fetched")
    return link


def _too_slow(link: str, seconds: float) -> UserError:
    return UserError(f"cannot fetch {link}: no complete answer within {seconds:g} s")


def _decoder(encoding: str):
    """A zlib decompressor for the content encoding, None for none, False for one not read."""
    if encoding in ("identity", ""):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS)
    return False


def _inflate(chunks: Iterable[bytes], decoder, limit: int) -> Iterator[bytes]:
    """The body's bytes, decompressed by ``decoder`` (None: as they come), never inflating
    more than ``_INFLATE_STEP`` bytes at once, so the caller stops a bomb at ``limit``."""
    for chunk in chunks:
        if decoder is None:
            yield chunk
            continue
        data = chunk
        while data:
            out = decoder.decompress(data, min(limit + 1, _INFLATE_STEP))
            yield out
            data = decoder.unconsumed_tail
    if decoder is not None:
        yield decoder.flush()
