"""Read an uploaded file into article text plus the metadata the file itself states.

Every problem a user can cause becomes a one-line ``UserError`` naming the file; library
exceptions never escape, because a bad upload must not look like a crash.
"""
from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import PurePath
from typing import Any

import docx
import htmldate
import trafilatura
import yaml
from pypdf import PdfReader

from index.config import Limits, too_large
from index.errors import UserError
from index.ingest.decode import decode_bytes, normalize_newlines
from index.ingest.metadata import normalize_date, split_authors
from index.records import Metadata, ParsedDocument

log = logging.getLogger(__name__)

ACCEPTED_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".jsonl")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*$\n?", re.MULTILINE | re.DOTALL)
_TITLE_KEYS = ("title", "headline")
_OUTLET_KEYS = ("outlet", "source", "publisher", "site_name")
_AUTHOR_KEYS = ("authors", "author", "byline")
_DATE_KEYS = ("published", "date", "published_at")
_URL_KEYS = ("url", "link")
_STANDFIRST_KEYS = ("standfirst", "subtitle", "subheadline", "dek")


def _clean(value: Any) -> str | None:
    """A stripped, storable string, or None (empty, or lone surrogates from JSON escapes)."""
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return text or None


def _first(fields: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    return next((fields[k] for k in keys if fields.get(k) not in (None, "", [])), None)


def _authors(value: Any) -> list[str]:
    if isinstance(value, list):
        return [name for name in map(_clean, value) if name]
    text = _clean(value)
    return split_authors(text) if text else []


def _published(value: Any) -> str | None:
    # YAML reads "date: 2026" as an int; dates and date-times arrive as objects.
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return normalize_date(value)


def _declared(fields: Mapping[Any, Any]) -> Metadata:
    """Metadata from front matter or a JSONL record; keys matched case-insensitively."""
    lowered = {str(k).lower(): v for k, v in fields.items()}
    return Metadata(
        title=_clean(_first(lowered, _TITLE_KEYS)),
        outlet=_clean(_first(lowered, _OUTLET_KEYS)),
        authors=_authors(_first(lowered, _AUTHOR_KEYS)),
        published=_published(_first(lowered, _DATE_KEYS)),
        url=_clean(_first(lowered, _URL_KEYS)),
    )


def _standfirst(fields: Mapping[Any, Any]) -> str | None:
    """A declared standfirst (the line under the headline): stored as a passage."""
    lowered = {str(k).lower(): v for k, v in fields.items()}
    return _clean(_first(lowered, _STANDFIRST_KEYS))


def _require_text(text: str, filename: str) -> str:
    if not text.strip():
        raise UserError(f"no article text found in {filename}")
    return text


def _parse_txt(data: bytes, filename: str) -> list[ParsedDocument]:
    return [ParsedDocument(text=decode_bytes(data, filename), label=filename)]


def _parse_markdown(data: bytes, filename: str) -> list[ParsedDocument]:
    text = decode_bytes(data, filename)
    match = _FRONT_MATTER.match(text)
    if match is None:
        return [ParsedDocument(text=text, label=filename)]
    try:
        fields = yaml.safe_load(match[1])
    except Exception as err:  # YAMLError, or ValueError from e.g. an impossible timestamp
        raise _unreadable(filename, "markdown front matter", err,
                          f"{filename}: the metadata block between the --- lines at the top{_yaml_line(err)} "
                          "is not valid YAML; fix it or remove it") from None
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        # Not metadata after all (e.g. a horizontal rule): keep everything as text.
        return [ParsedDocument(text=text, label=filename)]
    # Blank lines between front matter and body are layout, not article text.
    body = _require_text(text[match.end() :].lstrip("\n"), filename)
    return [ParsedDocument(text=body, declared=_declared(fields), label=filename, standfirst=_standfirst(fields))]


def _paragraphs(text: str) -> str:
    """trafilatura ends each block with a single newline; blank lines mark paragraphs."""
    return re.sub(r"\n+", "\n\n", text.strip())


def _html_date(html: str) -> str | None:
    # htmldate downloads a str that looks like a URL, so hand it a parsed tree; without
    # extensive search it reads only dates marked up in the page, never guesses.
    tree = trafilatura.load_html(html)
    if tree is None:
        return None
    return htmldate.find_date(tree, original_date=True, extensive_search=False)


def _parse_html(data: bytes, filename: str) -> list[ParsedDocument]:
    html = decode_bytes(data, filename)
    try:
        text = trafilatura.extract(
            html,
            output_format="txt",
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
        meta = trafilatura.extract_metadata(html, extensive=False)
        published = meta.date or _html_date(html)
    except Exception as err:  # any library failure, RecursionError included
        raise _unreadable(filename, "HTML", err, f"could not read {filename} as HTML; the file may be damaged") from None
    if not text or not text.strip():
        raise UserError(f"no article text found in {filename}")
    html_meta = Metadata(
        title=_clean(meta.title),
        outlet=_clean(meta.sitename),
        authors=_authors(meta.author.split(";")) if meta.author else [],
        published=normalize_date(published) if published else None,
        url=_clean(meta.url),
    )
    return [ParsedDocument(text=_paragraphs(normalize_newlines(text)), html_meta=html_meta, label=filename)]


def _parse_pdf(data: bytes, filename: str) -> list[ParsedDocument]:
    try:
        reader = PdfReader(io.BytesIO(data))
        # An owner-password-only PDF opens with the empty user password.
        if reader.is_encrypted and not reader.decrypt(""):
            raise UserError(f"{filename} is an encrypted PDF; remove the password and upload it again")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except UserError:
        raise
    except Exception as err:  # any library failure, RecursionError included
        raise _unreadable(filename, "PDF", err, f"could not read {filename} as a PDF; the file may be damaged") from None
    text = "\n\n".join(p.strip("\n") for p in pages if p.strip())
    if not text:
        raise UserError(f"{filename} has no text layer (scanned?); upload a PDF with selectable text")
    # The PDF's creation date is when the file was made, not when the article was published.
    html_meta = Metadata(
        title=_clean(info.title) if info else None,
        authors=_authors(info.author) if info else [],
    )
    return [ParsedDocument(text=normalize_newlines(text), html_meta=html_meta, label=filename)]


def check_zip(data: bytes, filename: str, limits: Limits) -> None:
    """Refuse a zip bomb before anything decompresses it: the entry count and the total
    uncompressed size the archive declares are bounded (zipfile never inflates an entry
    past its declared size: a lying header fails its CRC check instead)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as err:
        raise _unreadable(filename, "docx zip", err,
                          f"could not read {filename} as a Word document: it is not a valid .docx file") from None
    if len(entries) > limits.max_zip_entries:
        raise UserError(f"{filename} holds {len(entries):,} files inside; the limit is {limits.max_zip_entries:,}")
    total = sum(max(0, e.file_size) for e in entries)
    if total > limits.unzipped_bytes:
        raise UserError(too_large(filename, total, limits.unzipped_bytes, what="would unpack to"))


def _parse_docx(data: bytes, filename: str, limits: Limits | None = None) -> list[ParsedDocument]:
    check_zip(data, filename, limits or Limits())
    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
        props = document.core_properties
        title, author = props.title, props.author
    except Exception as err:  # any library failure, RecursionError included
        raise _unreadable(filename, "docx", err, f"could not read {filename} as a Word document; the file may be damaged") from None
    text = _require_text("\n\n".join(paragraphs), filename)
    # core_properties created/modified are file dates, not publication dates.
    html_meta = Metadata(title=_clean(title), authors=_authors(author))
    return [ParsedDocument(text=normalize_newlines(text), html_meta=html_meta, label=filename)]


def jsonl_label(filename: str, line: int) -> str:
    """The label (and the ingest result's ``path``) of one line of a .jsonl file."""
    return f"{filename}:{line}"


_JSONL_LABEL = re.compile(r"(?s)(.+\.jsonl):([1-9][0-9]*)", re.IGNORECASE)


def jsonl_line_of(label: str) -> tuple[str, int] | None:
    """(file name, line number) of a label made by ``jsonl_label``; None for other labels."""
    match = _JSONL_LABEL.fullmatch(label or "")
    return (match[1], int(match[2])) if match else None


def jsonl_line_error(label: str, problem: str) -> str:
    """Reads "line 2: ...", the line as an editor numbers it (blank lines counted); the result's
    ``path`` (the label) names the file."""
    where = jsonl_line_of(label)
    return f"line {where[1]}: {problem}" if where else f"{label}: {problem}"


def jsonl_record(line: str, label: str) -> ParsedDocument:
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as err:
        # the parser's wording (columns, char offsets) goes to the log, not to the reporter
        log.info("invalid JSON line", extra={"label": label, "error": _one_line(err)})
        return ParsedDocument(text="", label=label, error=jsonl_line_error(label, "not valid JSON"))
    if not isinstance(record, dict):
        return ParsedDocument(text="", label=label, error=jsonl_line_error(
            label, 'not an article: each line must be one JSON object such as {"text": "..."}'))
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return ParsedDocument(text="", label=label, error=jsonl_line_error(label, 'no article text: the "text" field is missing or empty'))
    if _clean(text) is None:
        return ParsedDocument(text="", label=label, error=jsonl_line_error(label, '"text" holds characters that are not valid text'))
    return ParsedDocument(text=normalize_newlines(text), declared=_declared(record), label=label,
                          standfirst=_standfirst(record))


def _parse_jsonl(data: bytes, filename: str) -> list[ParsedDocument]:
    # decode_bytes drops a byte-order mark and turns \r\n and \r into \n, so the numbers
    # are the file's lines as an editor counts them; blank lines are counted, then skipped.
    lines = decode_bytes(data, filename).split("\n")
    return [
        jsonl_record(line, jsonl_label(filename, lineno))
        for lineno, line in enumerate(lines, start=1)
        if line.strip()
    ]


def _unreadable(filename: str, kind: str, err: BaseException, message: str) -> UserError:
    """The reporter's message; the library's own wording goes to the log."""
    log.info("unreadable upload", extra={"file": filename, "kind": kind, "error": _one_line(err)})
    return UserError(message)


def _yaml_line(err: BaseException) -> str:
    """ " (line N)": the file's line of a YAML error (the block starts on the file's line 2)."""
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    return f" (line {mark.line + 2})" if mark is not None and isinstance(getattr(mark, "line", None), int) else ""


def _one_line(err: BaseException) -> str:
    message = " ".join(str(err).split()) or type(err).__name__
    return message[:200]


_PARSERS: dict[str, Callable[[bytes, str], list[ParsedDocument]]] = {
    ".txt": _parse_txt,
    ".md": _parse_markdown,
    ".markdown": _parse_markdown,
    ".html": _parse_html,
    ".htm": _parse_html,
    ".pdf": _parse_pdf,
    ".docx": _parse_docx,
    ".jsonl": _parse_jsonl,
}


def parse_document(data: bytes, filename: str, limits: Limits | None = None,
                   kind: str | None = None) -> list[ParsedDocument]:
    """Parse one uploaded file; JSONL gives one document per line, other types one.

    Size limits (``limits``, default ``Limits()``) are checked before any parser runs.
    Whatever the bytes, the result is documents or a ``UserError``, never another
    exception (the hostile-input tests hold it to that). ``kind`` (".html") reads it as
    that type whatever its name says (a page fetched by link is named by its link).
    """
    limits = limits or Limits()
    extension = kind or PurePath(filename).suffix.lower()
    parser = _PARSERS.get(extension)
    if parser is None:
        accepted = ", ".join(ACCEPTED_EXTENSIONS)
        raise UserError(f"{filename}: unsupported file type {extension or '(none)'}; accepted: {accepted}")
    if len(data) > limits.max_file_bytes:
        raise UserError(too_large(filename, len(data), limits.max_file_bytes))
    if extension == ".docx":
        return _parse_docx(data, filename, limits)
    try:
        return parser(data, filename)
    except UserError:
        raise
    except RecursionError:
        raise UserError(f"could not read {filename}: it is nested too deeply") from None
    except MemoryError:
        raise UserError(f"could not read {filename}: it is too large to process") from None
