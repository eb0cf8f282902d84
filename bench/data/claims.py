"""CheckThat! 2022 Task 2A (English) development data as an engine corpus, for
bench/quality/claims.py, bench/fitting/judge.py and bench/fitting/fusion_weights.py.

The 14,231 Snopes claims are ingested through the real engine path (JSONL: the claim as
``text``, its ``title`` and ``subtitle``: headline and standfirst passages). The home is
kept between runs (default /tmp/sourcedesk-claims-eval): its embedding cache and corpus
are reused when they hold the same claims, so a re-run costs queries, not the corpus.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from index import Engine, Settings

DATA = Path("/work/shared/data/claims-dev")
DEFAULT_HOME = Path("/tmp/sourcedesk-claims-eval")
CORPUS = "checkthat"


@dataclass
class ClaimsSet:
    engine: Engine
    claim_of_article: dict[str, list[str]]  # article id -> vclaim ids (identical texts share one)
    vclaims: dict[str, dict]
    queries: dict[str, str]  # tweet id -> text
    train: dict[str, set[str]]  # tweet id -> gold vclaim ids
    dev: dict[str, set[str]]


def _qrels(path: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in csv.reader(path.open(encoding="utf-8"), delimiter="\t"):
        if len(row) >= 3:
            out.setdefault(row[0], set()).add(row[2])
    return out


def load(data: Path = DATA, home: Path = DEFAULT_HOME) -> ClaimsSet:
    vclaims = {}
    for line in (data / "vclaims.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            vclaims[item["vclaim_id"]] = item
    queries = {}
    for row in csv.reader((data / "CT2022-Task2A-EN-Train-Dev_Queries.tsv").open(encoding="utf-8"),
                          delimiter="\t", quoting=csv.QUOTE_NONE):
        if len(row) >= 2:
            queries[row[0]] = row[1]
    engine = Engine(Settings.from_env(home), CORPUS)
    mapping_path = home / f"{CORPUS}-claims.json"
    if mapping_path.exists() and engine.article_db.count() > 0:
        claim_of_article = json.loads(mapping_path.read_text(encoding="utf-8"))
    else:
        claim_of_article = _ingest(engine, vclaims, home)
        mapping_path.write_text(json.dumps(claim_of_article), encoding="utf-8")
    return ClaimsSet(engine, claim_of_article, vclaims, queries,
                     _qrels(data / "CT2022-Task2A-EN-Train_QRELs.tsv"), _qrels(data / "CT2022-Task2A-EN-Dev_QRELs.tsv"))


def _ingest(engine: Engine, vclaims: dict[str, dict], home: Path) -> dict[str, list[str]]:
    ids = list(vclaims)
    path = home / "vclaims-ingest.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for vid in ids:
            v = vclaims[vid]
            fh.write(json.dumps({"text": v.get("vclaim") or v.get("title") or vid, "title": v.get("title"),
                                 "subtitle": v.get("subtitle"), "authors": v.get("author") or [],
                                 "published": v.get("date")}) + "\n")
    results = engine.ingest([path])
    out: dict[str, list[str]] = {}
    for vid, r in zip(ids, results):
        if r.article_id:
            out.setdefault(r.article_id, []).append(vid)
    return out


def ranked_claims(answer, claim_of_article: dict[str, list[str]]) -> list[str]:
    """Claim ids in the order their first passage appears in an answer."""
    out: list[str] = []
    for h in answer.results:
        for vid in claim_of_article.get(h.article.article_id, []):
            if vid not in out:
                out.append(vid)
    return out


def average_precision_at(ranked: list[str], gold: set[str], k: int = 5) -> float:
    hits, total = 0, 0.0
    for i, vid in enumerate(ranked[:k], 1):
        if vid in gold:
            hits += 1
            total += hits / i
    return total / min(len(gold), k) if gold else 0.0


def recall_at(ranked: list[str], gold: set[str], k: int) -> float:
    return len(set(ranked[:k]) & gold) / len(gold) if gold else 0.0
