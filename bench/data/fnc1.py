"""FNC-1 (fnc1-dev, or any folder of its format) as an engine corpus, for bench/quality/fnc1.py.

Every body of ``competition_test_bodies.csv`` is ingested through the real engine path
(JSONL, the body as ``text``; FNC-1 gives no titles, outlets or dates); identical bodies
share one article. The headlines of ``stances-dev.csv`` (or the one ``stances*.csv`` of the
folder) are the queries. A story is a connected component of the non-unrelated
(headline, body) pairs; the bodies of a headline's story that FNC-1 did not pair with it
are dropped from its rankings before scoring (fnc1-dev's README).
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from bench.data.components import components
from bench.data.homes import bench_home, data_digest
from index import Engine, Settings

DATA = Path("/work/shared/data/fnc1-dev")
BODIES = "competition_test_bodies.csv"
CORPUS = "fnc1"
STANCES = ("agree", "disagree", "discuss", "unrelated")
csv.field_size_limit(10**8)


@dataclass
class FncSet:
    engine: Engine
    article_of: dict[str, str]  # body id -> article id
    bodies_of: dict[str, list[str]]  # article id -> body ids (identical texts share one article)
    headlines: list[str]
    stance: dict[str, dict[str, str]]  # headline -> body id -> stance
    unpaired: dict[str, set[str]]  # headline -> bodies of its story it is not paired with

    def labelled(self, headline: str, stance: str) -> set[str]:
        return {b for b, s in self.stance[headline].items() if s == stance}

    def bodies(self, articles: list[str]) -> list[str]:
        """Body ids in the order of ``articles`` (the headline's unpaired story bodies stay:
        ``ranked`` drops them)."""
        return [b for a in articles for b in sorted(self.bodies_of.get(a, []))]

    def ranked(self, headline: str, articles: list[str]) -> list[str]:
        return [b for b in self.bodies(articles) if b not in self.unpaired[headline]]


def stances_file(data: Path) -> Path:
    found = sorted(Path(data).glob("stances*.csv"))
    if len(found) != 1:
        raise SystemExit(f"{data}: needs exactly one stances*.csv beside {BODIES} (found {[p.name for p in found]})")
    return found[0]


def _unpaired(stance: dict[str, dict[str, str]]) -> dict[str, set[str]]:
    story = components(("h:" + h, "b:" + b) for h, labels in stance.items() for b, s in labels.items()
                       if s != "unrelated")
    bodies_of: dict[int, set[str]] = {}
    for node, number in story.items():
        if node.startswith("b:"):
            bodies_of.setdefault(number, set()).add(node[2:])
    return {h: bodies_of.get(story.get("h:" + h, -1), set()) - set(labels) for h, labels in stance.items()}


def load(data: Path = DATA, home: Path | None = None, seed_cache: Path | None = None) -> FncSet:
    data = Path(data)
    with (data / BODIES).open(encoding="utf-8") as fh:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(fh)}
    stance: dict[str, dict[str, str]] = {}
    with stances_file(data).open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            stance.setdefault(r["Headline"], {})[r["Body ID"]] = r["Stance"]
    home = home or bench_home(f"{CORPUS}-{data_digest(data)}", seed_cache)
    engine = Engine(Settings.from_env(home), CORPUS)
    mapping = home / f"{CORPUS}-articles.json"
    if mapping.exists() and engine.article_db.count() > 0:
        article_of = json.loads(mapping.read_text(encoding="utf-8"))
    else:
        ids = list(bodies)
        path = home / f"{CORPUS}-ingest.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for b in ids:
                fh.write(json.dumps({"text": bodies[b]}) + "\n")
        results = engine.ingest([path])
        article_of = {b: r.article_id or r.duplicate_of for b, r in zip(ids, results) if r.article_id or r.duplicate_of}
        mapping.write_text(json.dumps(article_of), encoding="utf-8")
    bodies_of: dict[str, list[str]] = {}
    for b, a in article_of.items():
        bodies_of.setdefault(a, []).append(b)
    return FncSet(engine, article_of, bodies_of, list(stance), stance, _unpaired(stance))
