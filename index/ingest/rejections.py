"""Which lines of a .jsonl upload were not added, and the fixed words that tell a reporter
how to re-post them (the same words for the CLI, /upload and the inbox)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from index.ingest.parsers import jsonl_line_of
from index.ingest.results import IngestResult

MAX_LINES_NAMED = 25  # beyond this, "and N more"


@dataclass(frozen=True)
class RejectedLines:
    """The rejected lines of one .jsonl file (file line numbers, ascending) and how many
    of its lines were stored or found already stored."""

    filename: str
    lines: tuple[int, ...]
    accepted: int

    def text(self, verb: str = "upload") -> str:
        """E.g. "feed.jsonl: lines 2, 7 and 9 were not added; fix those lines and upload
        them again as a .jsonl (lines already added are recognised as duplicates)"."""
        one = len(self.lines) == 1
        named = f"line {self.lines[0]} was" if one else f"lines {line_list(self.lines)} were"
        those = "that line" if one else "those lines"
        again = f"fix {those} and {verb} {'it' if one else 'them'} again as a .jsonl"
        tail = " (lines already added are recognised as duplicates)" if self.accepted else ""
        return f"{self.filename}: {named} not added; {again}{tail}"


def line_list(lines: Sequence[int], limit: int = MAX_LINES_NAMED) -> str:
    """Runs of three or more consecutive lines as ranges: "2–4, 6, 7 and 9"; past ``limit``
    items, "and N more"."""
    runs: list[tuple[int, int]] = []
    for n in sorted(set(lines)):
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    # a run of two reads better as two numbers: "5 and 6", "2–4"
    runs = [r for a, b in runs for r in ([(a, a), (b, b)] if b == a + 1 else [(a, b)])]
    items = [str(a) if a == b else f"{a}–{b}" for a, b in runs]
    if len(items) > limit:
        rest = sum(b - a + 1 for a, b in runs[limit:])
        return ", ".join(items[:limit]) + f" and {rest} more"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def rejected_lines(results: Sequence[IngestResult]) -> list[RejectedLines]:
    """Per .jsonl file with rejected lines, in the order the files first appear."""
    rejected: dict[str, list[int]] = {}
    accepted: dict[str, int] = {}
    for r in results:
        where = jsonl_line_of(r.path)
        if where is None:
            continue
        name, line = where
        if r.status == "rejected":
            rejected.setdefault(name, []).append(line)
        else:
            accepted[name] = accepted.get(name, 0) + 1
    return [RejectedLines(name, tuple(sorted(lines)), accepted.get(name, 0)) for name, lines in rejected.items()]


def repost_notes(results: Sequence[IngestResult], verb: str = "upload") -> list[str]:
    return [r.text(verb) for r in rejected_lines(results)]
