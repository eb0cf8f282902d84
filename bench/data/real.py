"""Loading the development halves of the real labelled data (../shared/data) into an
engine home that is kept between runs (ingesting embeds every passage: minutes on 2 CPU
cores, so a re-run reuses the home when it holds every file)."""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from index import Engine, Metadata, Settings

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
if not DATA.exists():  # a worktree next to /work/shared
    DATA = Path("/work/shared/data")
ECB = DATA / "ecbplus-dev.jsonl"
REUSE = DATA / "reuse-dev"


@dataclass(frozen=True)
class Labelled:
    name: str
    text: str
    label: str  # ECB+: the story; reuse: cut | light | heavy | non | source
    group: str  # ECB+: the topic; reuse: the task


def ecb_rows() -> list[Labelled]:
    rows = [json.loads(line) for line in ECB.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Labelled(r["file"], r["text"], r["story"], str(r["topic"])) for r in rows]


def reuse_rows() -> list[Labelled]:
    out = [Labelled(f"orig_task{t}.txt", (REUSE / f"orig_task{t}.txt").read_text(encoding="utf-8", errors="replace"),
                    "source", t) for t in "abc"]
    with open(REUSE / "file_information.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["Category"].strip() == "orig":  # the sources, read above
                continue
            text = (REUSE / row["File"]).read_text(encoding="utf-8", errors="replace")
            out.append(Labelled(row["File"], text, row["Category"].strip(), row["Task"].strip()))
    return out


def ingest_rows(home: Path, corpus: str, rows: list[Labelled]) -> tuple[Engine, dict[str, str]]:
    """An engine over ``rows`` (no metadata: the texts give none) and file name -> article
    id (identical texts share one article). Reuses ``home`` when it already holds them."""
    engine = Engine(Settings.from_env(home), corpus)
    index_file = home / f"{corpus}-ids.json"
    if index_file.exists():
        ids = json.loads(index_file.read_text())
        if set(ids) == {r.name for r in rows} and set(ids.values()) <= engine.article_db.article_ids():
            return engine, ids
    ids = {}
    for row in rows:
        name = row.name if row.name.endswith(".txt") else f"{row.name}.txt"
        result = engine.ingest_bytes(row.text.encode("utf-8"), name, Metadata())[0]
        aid = result.article_id or result.duplicate_of
        if aid is None:
            raise RuntimeError(f"{row.name}: {result.status} {result.error}")
        ids[row.name] = aid
    index_file.write_text(json.dumps(ids))
    return engine, ids
