"""From paths and uploaded bytes to parsed documents, before the engine decides anything.

Size and line limits are checked on the raw bytes, before any parser runs (a huge upload
costs nothing); a file's sidecar ``FILE.meta.json`` or its folder's ``manifest.json`` adds
declared metadata. Used by ``Engine.ingest`` and ``Engine.ingest_bytes``.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from index.config import Limits, too_large
from index.errors import UserError
from index.ingest.metadata import split_authors
from index.ingest.parsers import ACCEPTED_EXTENSIONS, parse_document
from index.records import Metadata, ParsedDocument

SIDECAR_SUFFIX = ".meta.json"
MANIFEST_NAME = "manifest.json"


def check_size(size: int, name: str, limits: Limits) -> None:
    if size > limits.max_file_bytes:
        raise UserError(too_large(name, size, limits.max_file_bytes))


def parse_bytes(data: bytes, name: str, limits: Limits) -> list[ParsedDocument]:
    """Limits are checked on the raw bytes, before any parser runs."""
    check_size(len(data), name, limits)
    if name.lower().endswith(".jsonl"):
        lines = data.count(b"\n") + (not data.endswith(b"\n"))
        if lines > limits.max_jsonl_lines:
            raise UserError(f"{name} has {lines:,} lines; the limit is {limits.max_jsonl_lines:,}: "
                            "split it into several files")
    return parse_document(data, name, limits)


def read_file(path: Path, limits: Limits) -> list[ParsedDocument]:
    try:
        check_size(path.stat().st_size, path.name, limits)
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from exc
    documents = parse_bytes(data, path.name, limits)
    sidecar = sidecar_metadata(path)
    for doc in documents:
        doc.declared = sidecar.merged_over(doc.declared)
    return documents


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders recursed into for accepted file types (sidecars left out)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in ACCEPTED_EXTENSIONS
                and not p.name.endswith(SIDECAR_SUFFIX) and p.name != MANIFEST_NAME
            )
        else:
            out.append(path)
    return out


def sidecar_metadata(path: Path) -> Metadata:
    """Metadata from ``FILE.meta.json`` or the directory's ``manifest.json``."""
    candidates = [(path.with_name(path.name + SIDECAR_SUFFIX), None), (path.parent / MANIFEST_NAME, path.name)]
    for candidate, key in candidates:
        if not candidate.is_file():
            continue
        try:
            data = json.loads(candidate.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UserError(f"cannot read metadata file {candidate}: {exc}") from exc
        if key is not None:
            data = (data.get("articles") or {}).get(key) if isinstance(data, dict) else None
        if isinstance(data, dict):
            return metadata_from_dict(data)
    return Metadata()


def metadata_from_dict(data: dict) -> Metadata:
    authors = data.get("authors") or []
    return Metadata(
        title=data.get("title") or None,
        outlet=data.get("outlet") or None,
        authors=split_authors(authors if isinstance(authors, str) else [str(a) for a in authors]),
        published=data.get("published") or None,
        url=data.get("url") or None,
    )
