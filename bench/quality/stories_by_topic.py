"""Digest stories against ECB+ events (ecbplus-dev.jsonl), cross-validated by topic, beside
the textbook baseline and the digest's first pass alone in one run (issue 25).

Methods (each clusters the articles of a window together; every parameter is chosen on
the training topics of a fold by the best BCubed F1, then scored on the held-out topics):
- baseline: TF-IDF (sublinear tf, English stop words), average linkage on cosine
  distance, one threshold;
- first pass only (the digest before issue 25): clusters.story_similarity (words; names
  and numbers; dates), average linkage, one threshold;
- ours (the digest of issue 25): the first pass at its shipped STORY_DISTANCE, then
  linkage.split_stories (neighbour profiles inside each story): PROFILE_K and
  SPLIT_DISTANCE chosen; and, for information, the same with the first-pass threshold
  chosen too (it drifts looser, which small windows pay for).

Folds: the sorted topics dealt round-robin into 2 (quality.stories' odd/even split), 3
and 7 folds. Beside each held-out figure, the same parameters on small windows of the
held-out topics (each event keeps 1 to 4 random articles, 10 draws), a digest of many
small stories, where a clustering tuned on large events could join strangers.

Also: the REAL digest over the window holding all 496 articles (shipped parameters), and
an in-sample sweep of the second pass's parameters (how the shipped ones were chosen).

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.quality.stories_by_topic [--home DIR] [--no-digest]

(--home: the engine home of quality.stories, kept between runs.)
"""
from __future__ import annotations

import argparse
import random
import time
from itertools import product
from pathlib import Path

import numpy as np

from bench.data.real import ecb_rows, ingest_rows
from bench.quality.stories import FAR_PAST, bcubed, tfidf_cosines
from index.stories.clusters import story_similarity
from index.stories.linkage import PROFILE_K, SPLIT_DISTANCE, STORY_DISTANCE, cluster_similarity, split_stories

BASE_T = np.round(np.arange(0.60, 0.96, 0.01), 2)
FIRST_T = np.round(np.arange(0.70, 0.90, 0.01), 2)
SPLIT_GRID = list(product((4, 5, 6, 8), np.round(np.arange(0.80, 0.99, 0.02), 2)))


class Window:
    """Similarity matrices of sets of articles (row indices), computed once each."""

    def __init__(self, texts: list[str], articles: list) -> None:
        self.texts, self.articles = texts, articles
        self._base: dict = {}
        self._ours: dict = {}

    def base(self, idx: tuple[int, ...]) -> np.ndarray:
        if idx not in self._base:
            self._base[idx] = tfidf_cosines([self.texts[i] for i in idx])
        return self._base[idx]

    def ours(self, idx: tuple[int, ...]) -> np.ndarray:
        if idx not in self._ours:
            self._ours[idx] = story_similarity([self.texts[i] for i in idx], [self.articles[i] for i in idx])
        return self._ours[idx]


def methods(w: Window) -> dict:
    """name -> (labels(idx, *params), parameter grid)."""
    return {
        "baseline: TF-IDF + average linkage": (lambda idx, t: cluster_similarity(w.base(idx), t), [(t,) for t in BASE_T]),
        "first pass only (digest before issue 25)": (lambda idx, t: cluster_similarity(w.ours(idx), t),
                                                     [(t,) for t in FIRST_T]),
        "ours: first pass at STORY_DISTANCE + neighbour-profile split": (
            lambda idx, k, t2: split_stories(w.ours(idx), cluster_similarity(w.ours(idx)), k, t2), SPLIT_GRID),
        "ours, first-pass threshold also chosen on the training topics": (
            lambda idx, t, k, t2: split_stories(w.ours(idx), cluster_similarity(w.ours(idx), t), k, t2),
            [(t, *p) for t in (0.76, 0.78, 0.80, 0.82, 0.84) for p in SPLIT_GRID]),
    }


def topic_folds(groups: list[str], k: int) -> list[list[int]]:
    """Row indices of each of ``k`` folds: the sorted topics dealt round-robin."""
    topics = sorted(set(groups), key=lambda t: int(t) if t.isdigit() else t)
    fold_of = {t: n % k for n, t in enumerate(topics)}
    return [[i for i, g in enumerate(groups) if fold_of[g] == f] for f in range(k)]


def small_windows(idx, gold, draws: int = 10, seed: int = 0) -> list[tuple[int, ...]]:
    rng = random.Random(seed)
    by: dict = {}
    for i in idx:
        by.setdefault(gold[i], []).append(i)
    out = []
    for _ in range(draws):
        chosen: list[int] = []
        for g in sorted(by):
            chosen += rng.sample(by[g], min(len(by[g]), rng.randint(1, 4)))
        out.append(tuple(sorted(chosen)))
    return out


def cross_validate(labels, grid, gold, groups, k: int):
    out = []
    for fold in topic_folds(groups, k):
        test = tuple(fold)
        train = tuple(i for i in range(len(gold)) if i not in set(fold))
        g_train = [gold[i] for i in train]
        params = max(grid, key=lambda p: (bcubed(labels(train, *p), g_train)[2], [-x for x in p]))
        full = bcubed(labels(test, *params), [gold[i] for i in test])[2]
        small = np.mean([bcubed(labels(s, *params), [gold[i] for i in s])[2] for s in small_windows(test, gold)])
        out.append((params, full, small))
    return out


def real_digest(engine, ids: dict[str, str], rows, gold) -> tuple[tuple[float, float, float], float, int]:
    started = time.perf_counter()
    result = engine.digest(since=FAR_PAST, max_stories=len(rows))
    seconds = time.perf_counter() - started
    story_of = {}
    for story in result.stories:
        for aid in [*story.new, *story.new_not_listed]:
            story_of[aid] = story.story_id
    for article in result.not_shown:
        story_of[article.article_id] = f"not-shown-{article.article_id}"
    pred = [story_of.get(ids[r.name], f"missing-{r.name}") for r in rows]
    return bcubed(pred, gold), seconds, len(result.stories)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, default=Path("/tmp/sourcedesk-eval/ecb-home"))
    parser.add_argument("--no-digest", action="store_true")
    args = parser.parse_args()
    rows = ecb_rows()
    engine, ids = ingest_rows(args.home, "ecb", rows)
    shown = {r.name: engine.show(ids[r.name]) for r in rows}
    gold = [r.label for r in rows]
    groups = [r.group for r in rows]
    w = Window([shown[r.name][1] for r in rows], [shown[r.name][0] for r in rows])
    every = tuple(range(len(rows)))
    print("# quality.stories_by_topic (issue 25): digest stories against ECB+ events, cross-validated by topic\n")
    print(f"{len(rows)} articles, {len(set(gold))} events in {len(set(groups))} topics.\n")
    if not args.no_digest:
        prf, seconds, n = real_digest(engine, ids, rows, gold)
        print(f"Real digest of the window holding every article (shipped parameters: STORY_DISTANCE {STORY_DISTANCE}, "
              f"PROFILE_K {PROFILE_K}, SPLIT_DISTANCE {SPLIT_DISTANCE}): BCubed F1 {prf[2]:.3f} "
              f"(precision {prf[0]:.3f}, recall {prf[1]:.3f}), {n} stories, {seconds:.1f} s.\n")
    engine.close()
    first = bcubed(cluster_similarity(w.ours(every)), gold)
    shipped = bcubed(split_stories(w.ours(every), cluster_similarity(w.ours(every))), gold)
    print(f"Clustering alone, shipped parameters, all {len(rows)}: first pass {first[2]:.3f} (P {first[0]:.3f}, "
          f"R {first[1]:.3f}); with the split {shipped[2]:.3f} (P {shipped[0]:.3f}, R {shipped[1]:.3f}).\n")
    for k in (2, 3, 7):
        print(f"## {k} folds by topic (parameters chosen on the other folds; F1 on the held-out topics | "
              "on small windows of them)\n")
        print("| method | " + " | ".join(f"fold {n}" for n in range(k)) + " | mean F1 | mean F1, small windows |")
        print("| --- | " + " | ".join("---" for _ in range(k)) + " | --- | --- |")
        for name, (labels, grid) in methods(w).items():
            res = cross_validate(labels, grid, gold, groups, k)
            cells = " | ".join(f"{f:.3f} ({', '.join(f'{x:g}' for x in p)})" for p, f, _ in res)
            print(f"| {name} | {cells} | **{np.mean([f for _, f, _ in res]):.3f}** | {np.mean([s for _, _, s in res]):.3f} |")
        print()
    print(f"## In-sample sweep of the split (first pass at STORY_DISTANCE; F1 on all {len(rows)})\n")
    ts = np.round(np.arange(0.80, 0.99, 0.02), 2)
    print("| PROFILE_K | " + " | ".join(f"{t:.2f}" for t in ts) + " |")
    print("| --- | " + " | ".join("---" for _ in ts) + " |")
    base_labels = cluster_similarity(w.ours(every))
    for k in (4, 5, 6, 8):
        print(f"| {k} | " + " | ".join(f"{bcubed(split_stories(w.ours(every), base_labels, k, t), gold)[2]:.3f}"
                                       for t in ts) + " |")


if __name__ == "__main__":
    main()
