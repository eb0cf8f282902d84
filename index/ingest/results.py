"""What ingest answers for each file or line: added, duplicate (with the metadata it could
add) or rejected (with the reason), in the command-line contract's shape."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from index.records import Article, Snapshot

IngestStatus = Literal["added", "duplicate", "rejected"]


@dataclass
class IngestResult:
    path: str
    status: IngestStatus
    article_id: str | None = None
    duplicate_of: str | None = None
    error: str | None = None
    article: Article | None = None
    # a duplicate's metadata that the stored article lacks (field -> value), to offer as an edit
    offered: dict[str, Any] = field(default_factory=dict)
    snapshot: Snapshot | None = None  # a link's fetch (index/ingest/links.py); None for files

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "status": self.status,
            "article_id": self.article_id,
            "duplicate_of": self.duplicate_of,
            "error": self.error,
        }
        if self.article is not None:
            out["article"] = self.article.to_json()
        if self.offered:
            out["offered"] = dict(self.offered)
        if self.snapshot is not None:  # links add what was fetched, and the version stored
            out.update(url=self.snapshot.final_url, fetched_at=self.snapshot.fetched_at,
                       version_of=self.snapshot.version_of if self.status == "added" else None)
        return out

