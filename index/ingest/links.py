"""Articles by link: a page fetched through the guarded client (index/ingest/fetch.py), read
as an uploaded HTML file is (trafilatura), with the facts of what was fetched.

The page becomes one parsed document carrying a ``Snapshot``: the link as given, the final
URL, when it was fetched, Last-Modified and ETag, the sha256 of the raw page, and the
article it is a later version of (the latest stored article fetched from the same URL).
The pipeline stores the snapshot row with the article, in the article's transaction; the
same text again is a duplicate, as for files, and a changed text is a new article linked by
``version_of`` (never an overwrite). Once stored, the raw page is kept in the corpus home
(``snapshots/SHA256.html``), so a quote can be checked against what was fetched. A link that
cannot be fetched or read is a rejected document naming why; nothing of it is kept.

Metadata precedence stays: options > page metadata > ``fallback`` (a feed's outlet and item
fields) > header lines of the text > unknown; the final URL stands for the page's own link
when the page names none.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from index.config import Limits
from index.errors import UserError
from index.ingest.fetch import GuardedClient
from index.ingest.parsers import parse_document
from index.ingest.reading import expand_paths, read_file
from index.ingest.results import IngestResult
from index.records import Metadata, ParsedDocument, Snapshot
from index.store.article_db import ArticleDB

# Anything that starts like a scheme is taken for a link (the fetcher then refuses all but
# http and https, by name), never for a file path.
_LINK = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_link(item: object) -> bool:
    return isinstance(item, str) and _LINK.match(item.strip()) is not None


@dataclass
class LinkReader:
    """Reads links into parsed documents and keeps the raw pages of those stored."""

    client: GuardedClient
    article_db: ArticleDB
    raw_dir: Path
    limits: Limits

    def read(self, link: str, fallback: Metadata | None = None) -> tuple[str, ParsedDocument]:
        """(label, document) for the page at ``link``: the page with its snapshot facts, or a
        rejected document saying why it could not be fetched or read."""
        link = link.strip()
        try:
            fetched = self.client.get(link)
            doc = parse_document(fetched.body, link, self.limits, kind=".html")[0]
        except UserError as exc:
            return link, ParsedDocument(text="", label=link, error=str(exc), snapshot=Snapshot(link))
        doc.label = link
        below_page = (fallback or Metadata()).merged_over(Metadata(url=fetched.final_url))
        doc.html_meta = doc.html_meta.merged_over(below_page)
        doc.snapshot = Snapshot(
            link, fetched.final_url, fetched.fetched_at, fetched.last_modified, fetched.etag,
            sha256=hashlib.sha256(fetched.body).hexdigest(),
            version_of=self.article_db.latest_fetched_from([fetched.final_url, link]),
            raw=fetched.body,
        )
        return link, doc

    def keep_raw(self, results: Iterable[IngestResult]) -> None:
        """Write the raw page of every article just stored from a link (content-addressed, so
        written once however often it is fetched); pages not stored leave nothing behind."""
        for result in results:
            snapshot = result.snapshot
            if result.status != "added" or snapshot is None or not snapshot.raw or snapshot.sha256 is None:
                continue
            path = self.raw_path(snapshot.sha256)
            if not path.exists():
                _write_atomically(path, snapshot.raw)
            snapshot.raw = b""  # kept on disk now; the result need not hold the page

    def drop_raw(self, sha256s: set[str]) -> None:
        """Delete the raw pages no stored article points to any more (after a remove)."""
        for sha256 in sha256s - self.article_db.raw_pages_in_use(sha256s):
            self.raw_path(sha256).unlink(missing_ok=True)

    def raw_path(self, sha256: str) -> Path:
        return self.raw_dir / f"{sha256}.html"


def read_sources(items: Iterable[str | Path], limits: Limits, links: LinkReader) -> list[tuple[str, ParsedDocument]]:
    """(label, document) for files, folders (recursed into for accepted file types) and
    links, in the order given; what cannot be read is a rejected document in its place."""
    documents: list[tuple[str, ParsedDocument]] = []
    for item in items:
        if is_link(item):
            documents.append(links.read(str(item)))
            continue
        for path in expand_paths([item]):
            try:
                documents.extend((d.label or str(path), d) for d in read_file(path, limits))
            except UserError as exc:
                documents.append((str(path), ParsedDocument(text="", label=str(path), error=str(exc))))
    return documents


def _write_atomically(path: Path, data: bytes) -> None:
    """Never a half-written page: a temporary file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
