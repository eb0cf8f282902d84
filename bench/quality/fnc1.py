"""Does an article state a headline's claim, refute it, or report it: FNC-1 (fnc1-dev by
default; ``--data`` scores any folder of its format, such as the held-out half), the whole
bodies as the corpus (bench/data/fnc1.py), in one run.

1. MAP@5 of agreeing bodies, for each headline with at least one, over body ids (unpaired
   bodies of the headline's story dropped): `sources` (articles in the order of their first
   hit, limit 10 as users get it, and 20) against BM25 over whole bodies (English stop
   words out, k1 1.2, b 0.75), the bundled model's best sentence per body (the engine's
   stored passage vectors) and their reciprocal-rank fusion (k 60, top 100 of each); the
   baselines cut to pages of the same sizes (their own first 10 and 20 articles) for
   reference.
2. Verdicts on the labelled bodies that `sources` returns (limit 20, every headline): share
   of `agree` / `disagree` / `discuss` bodies with a hit that says the opposite
   (``contradicts``, or stating in voice ``disputed``), beside the plain rule "negation on
   one side only" on the body's hit most similar to the headline; share with the voice
   of that hit ``quoted`` or ``credited`` (the product's ``voice`` when its answers give
   one), beside the hit's boolean ``reported`` (before issue 21 its own rule; after it,
   kept in the JSON as "voice is not own", so no longer an independent baseline).

    python -m bench.quality.fnc1 [--data DIR] [--home DIR] [--seed-cache FILE]
"""
from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import numpy as np

from bench.data.fnc1 import DATA, FncSet, load
from bench.quality import answers as read
from bench.quality.baselines import BM25, negation_mismatch, rrf
from bench.quality.measures import average_precision_at

FUSED_DEPTH = 100
LIMITS = (10, 20)
VERDICT_LIMIT = 20
LABELLED = ("agree", "disagree", "discuss")


def map_at_5(fs: FncSet, rankings: dict[str, list[str]]) -> float:
    """``rankings``: headline -> article ids, best first."""
    return float(np.mean([average_precision_at(fs.ranked(h, ranked), fs.labelled(h, "agree"))
                          for h, ranked in rankings.items()]))


def baseline_rankings(fs: FncSet, headlines: list[str]) -> dict[str, dict[str, list[str]]]:
    engine = fs.engine
    articles = sorted(fs.bodies_of)
    texts = [engine.show(a)[1] for a in articles]
    vectors = [engine.passage_vectors(a) for a in articles]
    owner = np.concatenate([np.full(len(v), i) for i, v in enumerate(vectors)])
    lexical = BM25(texts, stop_words="english").scores(headlines)
    similarity = engine.embedder.encode(headlines) @ np.vstack(vectors).T
    out: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for k, h in enumerate(headlines):
        best = np.full(len(articles), -np.inf)
        np.maximum.at(best, owner, similarity[k])
        bm25 = [articles[i] for i in np.argsort(-lexical[k], kind="stable") if lexical[k, i] > 0]
        dense = [articles[i] for i in np.argsort(-best, kind="stable")]
        out["BM25 over whole bodies"][h] = bm25
        out["dense: best sentence per body"][h] = dense
        out[f"RRF(BM25, dense), k 60, top {FUSED_DEPTH} of each"][h] = rrf(bm25[:FUSED_DEPTH], dense[:FUSED_DEPTH])
    return out


def article_order(answer: dict) -> list[str]:
    return list(dict.fromkeys(h["article"]["article_id"] for h in answer["results"]))


def verdict_rows(fs: FncSet, headlines: list[str]) -> tuple[dict, int, bool]:
    """stance -> counters over the labelled bodies found in the answers."""
    answers = read.answers_json(fs.engine, headlines, VERDICT_LIMIT)
    counts: dict[str, dict[str, int]] = {s: defaultdict(int) for s in LABELLED}
    has_voice = False
    for h, answer in zip(headlines, answers):
        hits_of: dict[str, list[dict]] = defaultdict(list)
        for hit in answer["results"]:
            hits_of[hit["article"]["article_id"]].append(hit)
        for stance in LABELLED:
            for body in fs.labelled(h, stance):
                hits = hits_of.get(fs.article_of.get(body, ""), [])
                counts[stance]["labelled"] += 1
                if not hits:
                    continue
                nearest = max(hits, key=lambda x: x["similarity"])
                has_voice |= read.voice(nearest) is not None
                c = counts[stance]
                c["found"] += 1
                c["contradicts"] += any(read.contradicts(x) for x in hits)
                c["negation"] += negation_mismatch(h, nearest["quote"]["text"])
                c["voice reports"] += read.voice(nearest) in ("quoted", "credited")
                c["reported"] += read.reported_voice(nearest) == "quoted"
                c["disputed"] += read.voice(nearest) == "disputed"
    return counts, len(answers), has_voice


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder with competition_test_bodies.csv and stances*.csv")
    parser.add_argument("--home", type=Path, help="engine home (default: a kept one under /tmp/sourcedesk-bench)")
    parser.add_argument("--seed-cache", type=Path, help="an embedding cache to start a new home from")
    args = parser.parse_args()
    fs = load(args.data, args.home, args.seed_cache)
    headlines = [h for h in fs.headlines if fs.labelled(h, "agree")]
    rankings = baseline_rankings(fs, headlines)
    baselines = list(rankings)
    for limit in LIMITS:
        answers = read.answers_json(fs.engine, headlines, limit)
        rankings[f"**`sources`** (limit {limit}), articles by first hit"] = \
            {h: article_order(a) for h, a in zip(headlines, answers)}
    print(f"{len(fs.bodies_of)} articles ({len(fs.article_of)} bodies) from {args.data}; "
          f"{len(headlines)} of {len(fs.headlines)} headlines have an agreeing body\n")
    print("| ranking | MAP@5 of agreeing bodies |\n| --- | --- |")
    for name, ranked in rankings.items():
        print(f"| {name} | {map_at_5(fs, ranked):.4f} |")
    # The baselines rank all 900 articles, an answer only its page: when FNC-1's rule drops
    # a headline's unpaired story bodies (often most of the first page) a baseline's next
    # articles move up and an answer's cannot. Each baseline cut to a page of the same size
    # (its own first articles), for reference (not the target).
    for limit in LIMITS:
        for name in baselines:
            print(f"| page of {limit} (its own first {limit} articles): {name} | "
                  f"{map_at_5(fs, {h: r[:limit] for h, r in rankings[name].items()}):.4f} |")
    counts, answered, has_voice = verdict_rows(fs, fs.headlines)
    print(f"\nVerdicts on the labelled bodies in `sources`' answers (limit {VERDICT_LIMIT}, {answered} headlines); "
          "shares of the bodies found:\n")
    print("| stance | labelled | found | contradicts (product) | negation on one side (plain) | "
          "voice quoted/credited (product) | `reported` flag of the hit | voice disputed (product) |\n|" + " --- |" * 8)
    for stance, c in counts.items():
        n = max(1, c["found"])
        voice_cells = (f"{c['voice reports'] / n:.3f} | " if has_voice else "– (no `voice` field) | ")
        disputed = f"{c['disputed'] / n:.3f}" if has_voice else "–"
        print(f"| {stance} | {c['labelled']} | {c['found']} | {c['contradicts'] / n:.3f} | {c['negation'] / n:.3f} | "
              f"{voice_cells}{c['reported'] / n:.3f} | {disputed} |")


if __name__ == "__main__":
    main()
