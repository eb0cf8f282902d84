"""MSRP (msrp-train, or any file of its format) as an engine corpus, for bench/quality/msrp.py.

Every distinct sentence of the file is ingested as an article of its own (JSONL: the
sentence as ``text``) whose outlet is a name made from the sentence
(``msrp-<sha1 of the text>``), so ``sources`` can be asked about one sentence against
exactly one other: the claim is the first sentence, the outlet filter names the second.
A sentence that appears twice is stored once and keeps one outlet. Cross-validation
groups are the connected components of sentence ids, so a sentence never sits in a
training fold and a test fold at once.
"""
from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from bench.data.components import components
from bench.data.homes import CACHE_FILE, CachedEmbedder, bench_home, data_digest
from index import Engine, Settings, shared_embedder

DATA = Path("/work/shared/data/msrp-train/msr_paraphrase_train.tsv")
CORPUS = "msrp"


@dataclass(frozen=True)
class Pair:
    equivalent: bool  # MSRP's Quality: both annotators judged the sentences semantically equivalent
    first: str
    second: str
    group: int  # connected component of sentence ids


def outlet_of(sentence: str) -> str:
    return "msrp-" + hashlib.sha1(sentence.encode("utf-8")).hexdigest()[:16]


def read_pairs(path: Path = DATA) -> list[Pair]:
    """Rows ``Quality, #1 ID, #2 ID, #1 String, #2 String`` (a header first); a row without
    five fields is skipped (the file has none)."""
    path = Path(path)
    if path.is_dir():
        path = path / DATA.name
    with path.open(encoding="utf-8-sig") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        rows = [r for r in reader if len(r) == 5]
    group = components((r[1], r[2]) for r in rows)
    return [Pair(r[0].strip() == "1", r[3], r[4], group[r[1]]) for r in rows]


def msrp_engine(pairs: list[Pair], data: Path, home: Path | None = None,
                seed_cache: Path | None = None) -> tuple[Engine, set[str]]:
    """The engine over every sentence of ``pairs`` (ingested when the home lacks them) and the
    outlets that hold a stored passage (a sentence under the passage minimum has none)."""
    home = home or bench_home(f"{CORPUS}-{data_digest(data)}", seed_cache)
    # the claims are stored sentences: their vectors come from the home's cache, no model call
    engine = Engine(Settings.from_env(home), CORPUS, embedder=CachedEmbedder(shared_embedder(), home / CACHE_FILE))
    sentences = list(dict.fromkeys(s for p in pairs for s in (p.first, p.second)))
    stored = set(engine.outlets())
    missing = [s for s in sentences if outlet_of(s) not in stored]
    if missing:
        path = home / "msrp-ingest.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for s in missing:
                fh.write(json.dumps({"text": s, "outlet": outlet_of(s)}) + "\n")
        engine.ingest([path])
    with_passages = {a.outlet for a in engine.articles() if a.outlet and a.passages}
    return engine, with_passages
