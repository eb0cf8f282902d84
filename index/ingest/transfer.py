"""Move a corpus between homes or Chroma backends (embedded <-> server) as JSONL.

``export`` writes one article per line in exactly the ingest JSONL format
(``text``, ``title``, ``outlet``, ``url``, ``published``, ``authors``) plus
``article_id`` and ``added_at`` (and ``snapshot``, the facts of a page fetched by link:
final URL, fetched at, validators, sha256, ``version_of``; the raw page itself stays in the
exporting home); ``import`` ingests such a file. Article ids derive from
the text, so they survive the trip unchanged; ``added_at`` is kept (the digest's notion
of "new" does not jump to the import time). Vectors are not exported: the importing side
embeds the passages again (its embedding cache spares repeats), so a corpus can also
move to another embedding model this way.

Both directions stream: memory stays flat for any corpus size. Import is idempotent (an
article already present is a ``duplicate``) and crash-safe like every ingest.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from index.config import human_size
from index.errors import UserError
from index.ingest.parsers import jsonl_label, jsonl_line_error, jsonl_record
from index.ingest.pipeline import article_id_for
from index.ingest.results import IngestResult
from index.records import Metadata, ParsedDocument, Snapshot

EXPORT_PAGE = 500
IMPORT_CHUNK = 500


@dataclass
class ImportReport:
    added: int = 0
    duplicate: int = 0
    rejected: int = 0
    id_mismatches: list[str] = field(default_factory=list)  # lines whose article_id is not their text's
    errors: list[str] = field(default_factory=list)  # first rejections, for the message

    def to_json(self) -> dict:
        return {"added": self.added, "duplicate": self.duplicate, "rejected": self.rejected,
                "id_mismatches": self.id_mismatches, "errors": self.errors}

    def summary(self) -> str:
        lines = [f"imported: {self.added} added, {self.duplicate} already present, {self.rejected} rejected"]
        if self.id_mismatches:
            lines.append(f"{len(self.id_mismatches)} lines had an article_id that is not their text's "
                         "(edited text gets a new id): " + ", ".join(self.id_mismatches[:5]))
        lines += [f"rejected: {e}" for e in self.errors[:10]]
        return "\n".join(lines)


def export_corpus(engine, out: str | os.PathLike[str], progress: Callable[[int], None] | None = None) -> int:
    """Write every article of ``engine``'s corpus to ``out``, oldest first. Returns the count.
    Written to a temporary name and renamed, so a crash never leaves a half file at ``out``."""
    out = Path(out)
    if out.is_dir():
        raise UserError(f"{out} is a directory; give a file name such as corpus.jsonl")
    tmp = out.with_name(out.name + ".partial")
    n = 0
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            for article, text in _articles_oldest_first(engine):
                record = {
                    "text": text,
                    "title": article.title,
                    "outlet": article.outlet,
                    "url": article.url,
                    "published": article.published,
                    "authors": list(article.authors),
                    "article_id": article.article_id,
                    "added_at": article.added_at,
                }
                snapshot = engine.article_db.snapshot(article.article_id)
                if snapshot is not None:
                    record["snapshot"] = snapshot.to_json()
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                n += 1
                if progress:
                    progress(1)
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None
    return n


def _articles_oldest_first(engine) -> Iterator[tuple]:
    total = engine.article_db.count()
    # ArticleDB.list pages newest first; walk the pages from the last one.
    pages = list(range(0, total, EXPORT_PAGE))
    for offset in reversed(pages):
        page = engine.article_db.list(limit=EXPORT_PAGE, offset=offset)
        texts = engine.article_db.texts(a.article_id for a in page)
        for article in reversed(page):
            if article.article_id in texts:
                yield article, texts[article.article_id]


def import_corpus(engine, path: str | os.PathLike[str], progress: Callable[[int], None] | None = None) -> ImportReport:
    """Ingest an exported JSONL file (or any ingest JSONL) into ``engine``'s corpus.

    Unlike ``ingest FILE.jsonl`` the file is read line by line, so the file-size and
    line-count limits for uploads do not apply; each line is still held to the article
    limits (``max_file_bytes`` per line, ``max_article_chars`` per text).
    """
    path = Path(path)
    report = ImportReport()
    limit = engine.settings.limits.max_file_bytes
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    with fh:
        chunk: list[tuple[str, ParsedDocument]] = []
        added_at: dict[str, str] = {}
        for lineno, raw in enumerate(_lines(fh, limit), start=1):
            label = jsonl_label(path.name, lineno)
            if raw is None:
                chunk.append((label, ParsedDocument(text="", label=label, error=jsonl_line_error(
                    label, f"the line is longer than {human_size(limit)}, the limit for one file"))))
            else:
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:
                    line = None
                if line is None:
                    chunk.append((label, ParsedDocument(text="", label=label, error=jsonl_line_error(label, "not UTF-8 text"))))
                elif not line.strip():
                    continue
                else:
                    doc = jsonl_record(line, label)
                    chunk.append((label, doc))
                    if doc.error is None:
                        _declared_extras(line, label, doc, added_at, report, article_id_for)
            if len(chunk) >= IMPORT_CHUNK:
                _ingest_chunk(engine, chunk, added_at, report, progress)
                chunk, added_at = [], {}
        _ingest_chunk(engine, chunk, added_at, report, progress)
    return report


def _lines(fh, limit: int) -> Iterator[bytes | None]:
    """Lines of a binary file; None for a line over ``limit`` bytes (skipped, not held)."""
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # drain the rest of the long line
                line = fh.readline(1 << 20)
            yield None
            continue
        yield line.rstrip(b"\r\n")


def _declared_extras(line: str, label: str, doc: ParsedDocument, added_at: dict[str, str], report: ImportReport,
                     article_id_for) -> None:
    record = json.loads(line)
    declared_id = record.get("article_id")
    if isinstance(declared_id, str) and declared_id and declared_id != article_id_for(doc.text):
        report.id_mismatches.append(label)
    doc.snapshot = _declared_snapshot(record.get("snapshot"))
    stamp = record.get("added_at")
    if isinstance(stamp, str) and len(stamp) <= 64:
        try:
            moment = datetime.fromisoformat(stamp)
        except ValueError:
            return  # unreadable: the import time is used
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        added_at[label] = moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


_SNAPSHOT_NEEDS = ("link", "final_url", "fetched_at", "sha256")
_SNAPSHOT_FIELDS = (*_SNAPSHOT_NEEDS, "last_modified", "etag", "version_of")


def _declared_snapshot(value) -> Snapshot | None:
    """An exported article's snapshot facts, when whole (else the article comes without them)."""
    if not isinstance(value, dict) or not all(isinstance(value.get(k), str) for k in _SNAPSHOT_NEEDS):
        return None
    return Snapshot(**{k: value[k][:2048] for k in _SNAPSHOT_FIELDS if isinstance(value.get(k), str)})


def _ingest_chunk(engine, chunk, added_at, report: ImportReport, progress) -> None:
    if not chunk:
        return
    results: list[IngestResult] = engine.ingest_documents(chunk, Metadata(), progress, added_at=added_at)
    for r in results:
        if r.status == "added":
            report.added += 1
        elif r.status == "duplicate":
            report.duplicate += 1
        else:
            report.rejected += 1
            if len(report.errors) < 20:
                report.errors.append(r.error or r.path)
