"""Digest stories against ECB+ events (the development half, ../shared/data), with the
textbook baseline computed in the same run.

1. Ingests ecbplus-dev.jsonl into an engine home (kept in --home between runs; the first
   run embeds every passage, minutes on 2 CPU cores).
2. Runs the REAL digest over the window holding every article (max_stories large enough
   that no story is omitted) and reads each article's story from it.
3. Baseline: TF-IDF (sublinear tf, English stop words) + average-linkage agglomerative
   clustering on cosine distance, its one threshold tuned on this half (a sweep, best
   BCubed F1 kept: an optimistic figure for the baseline).
4. Fairer figures for both: 2-fold cross-validation by topic (odd and even positions of
   the sorted topics): each method's threshold is tuned on one fold's articles and
   scored on the other's. Ours sweeps story_clusters.STORY_DISTANCE the same way.

BCubed precision, recall and F1 (Bagga & Baldwin 1998) against the ``story`` field.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.quality.stories [--home DIR]
"""
from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bench.data.real import ecb_rows, ingest_rows
from index.stories.clusters import STORY_DISTANCE, cluster_similarity, story_similarity

FAR_PAST = "2000-01-01"
SWEEP = np.round(np.arange(0.30, 0.995, 0.01), 2)


def bcubed(pred: list, gold: list) -> tuple[float, float, float]:
    by_pred: dict = defaultdict(set)
    by_gold: dict = defaultdict(set)
    for n, (p, g) in enumerate(zip(pred, gold)):
        by_pred[p].add(n)
        by_gold[g].add(n)
    precision = recall = 0.0
    for n in range(len(pred)):
        same = len(by_pred[pred[n]] & by_gold[gold[n]])
        precision += same / len(by_pred[pred[n]])
        recall += same / len(by_gold[gold[n]])
    precision, recall = precision / len(pred), recall / len(pred)
    return precision, recall, 2 * precision * recall / (precision + recall)


def tfidf_cosines(texts: list[str]) -> np.ndarray:
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    return (matrix @ matrix.T).toarray()


def tuned(sim: np.ndarray, gold: list) -> tuple[float, tuple[float, float, float]]:
    scored = [(t, bcubed(cluster_similarity(sim, t), gold)) for t in SWEEP]
    return max(scored, key=lambda x: (x[1][2], -x[0]))


def topic_cv(sim_of, rows, idx_by_fold) -> list[tuple[float, float]]:
    """(threshold tuned on the other fold, F1 on this fold) per fold."""
    out = []
    for test, train in ((0, 1), (1, 0)):
        tr, te = idx_by_fold[train], idx_by_fold[test]
        t, _ = tuned(sim_of(tr), [rows[i].label for i in tr])
        out.append((t, bcubed(cluster_similarity(sim_of(te), t), [rows[i].label for i in te])[2]))
    return out


def fmt(prf: tuple[float, float, float]) -> str:
    return f"{prf[2]:.3f} | {prf[0]:.3f} | {prf[1]:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, default=Path("/tmp/sourcedesk-eval/ecb-home"))
    args = parser.parse_args()
    rows = ecb_rows()
    started = time.perf_counter()
    engine, ids = ingest_rows(args.home, "ecb", rows)
    ingest_s = time.perf_counter() - started
    articles = engine.article_db.get_many(set(ids.values()))
    texts = {aid: engine.show(aid)[1] for aid in articles}

    started = time.perf_counter()
    result = engine.digest(since=FAR_PAST, max_stories=len(rows))
    digest_s = time.perf_counter() - started
    story_of: dict[str, str] = {}
    for story in result.stories:
        for aid in [*story.new, *story.new_not_listed]:
            assert aid not in story_of, "an article in two stories"
            story_of[aid] = story.story_id
    for article in result.not_shown:
        story_of[article.article_id] = f"not-shown-{article.article_id}"
    missing = [aid for aid in articles if aid not in story_of]
    gold = [r.label for r in rows]
    ours = bcubed([story_of.get(ids[r.name], f"missing-{r.name}") for r in rows], gold)

    row_texts = [texts[ids[r.name]] for r in rows]
    base_sim = tfidf_cosines(row_texts)
    base_t, base = tuned(base_sim, gold)
    our_sim_all = story_similarity(row_texts, [articles[ids[r.name]] for r in rows])
    our_t, our_swept = tuned(our_sim_all, gold)

    topics = sorted({r.group for r in rows}, key=int)
    fold_of = {t: n % 2 for n, t in enumerate(topics)}
    idx_by_fold = {f: [i for i, r in enumerate(rows) if fold_of[r.group] == f] for f in (0, 1)}
    base_cv = topic_cv(lambda idx: tfidf_cosines([row_texts[i] for i in idx]), rows, idx_by_fold)
    ours_cv = topic_cv(lambda idx: story_similarity([row_texts[i] for i in idx],
                                                    [articles[ids[rows[i].name]] for i in idx]), rows, idx_by_fold)

    sizes = Counter(story_of[ids[r.name]] for r in rows)
    singletons = sum(1 for n in sizes.values() if n == 1)
    events_split = sum(1 for g in set(gold)
                       if len({story_of[ids[r.name]] for r in rows if r.label == g}) > 1)
    print("# quality.stories: digest stories against ECB+ events (dev half)\n")
    print(f"{len(rows)} articles ({len(articles)} distinct texts), {len(set(gold))} events in {len(topics)} topics; "
          f"ingest {ingest_s:.1f} s (cached home: {args.home}); digest {digest_s:.1f} s, "
          f"{len(result.stories)} stories, {singletons} articles alone, {events_split} events split over "
          f"several stories, articles missing from the digest: {len(missing)}.\n")
    print("| method | BCubed F1 | precision | recall |")
    print("| --- | --- | --- | --- |")
    print(f"| baseline: TF-IDF + average linkage, threshold tuned on this half (distance {base_t:.2f}) | {fmt(base)} |")
    print(f"| ours: the real digest (STORY_DISTANCE {STORY_DISTANCE:.2f}) | {fmt(ours)} |")
    print(f"| ours, threshold swept on this half (best distance {our_t:.2f}; clustering only) | {fmt(our_swept)} |\n")
    print("2-fold cross-validation by topic (threshold tuned on one fold, F1 on the other):\n")
    print("| method | fold 0 (t, F1) | fold 1 (t, F1) | mean F1 |")
    print("| --- | --- | --- | --- |")
    for name, cv in (("baseline", base_cv), ("ours", ours_cv)):
        cells = " | ".join(f"{t:.2f}, {f:.3f}" for t, f in cv)
        print(f"| {name} | {cells} | {np.mean([f for _, f in cv]):.3f} |")
    engine.close()


if __name__ == "__main__":
    main()
