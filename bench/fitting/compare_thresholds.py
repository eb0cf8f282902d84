"""How compare's verbatim and reworded thresholds were chosen: precision and recall of the
two decisions on tests/data/alignment_pairs.jsonl (87 hand-labelled sentence pairs), the
verbatim gap and the reworded sweep, and the rules that picked VERBATIM_RATIO and
REWORDED_SIMILARITY (index/compare/comparison.py). Prints markdown.

    python -m bench.fitting.compare_thresholds
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

from index import shared_embedder
from index.compare.comparison import (
    MIN_CONTAINED_WORDS,
    REWORDED_SIMILARITY,
    VERBATIM_RATIO,
    verbatim_matrix,
)
from index.text.words import normalized

PAIRS = Path(__file__).resolve().parents[2] / "tests" / "data" / "alignment_pairs.jsonl"


def prf(predicted: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    tp = int((predicted & truth).sum())
    precision = tp / max(int(predicted.sum()), 1)
    recall = tp / max(int(truth.sum()), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return precision, recall, f1


def calibration(embedder) -> None:
    rows = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    labels = np.array([r["label"] for r in rows])
    va = embedder.encode([r["a"] for r in rows])
    vb = embedder.encode([r["b"] for r in rows])
    sim = np.sum(va * vb, axis=1)
    norms_a, norms_b = [normalized(r["a"]) for r in rows], [normalized(r["b"]) for r in rows]
    # The score the verbatim rule thresholds: the ratio, or the partial ratio when the
    # shorter text is long enough for containment to count (merged sentences).
    effective = np.array([
        max(fuzz.ratio(a, b) / 100.0,
            fuzz.partial_ratio(a, b) / 100.0 if min(len(a.split()), len(b.split())) >= MIN_CONTAINED_WORDS else 0.0)
        for a, b in zip(norms_a, norms_b)
    ])
    verbatim = np.array([verbatim_matrix([a], [b])[0][0, 0] for a, b in zip(norms_a, norms_b)])

    is_verbatim = np.isin(labels, ["verbatim", "verbatim_edited"])
    is_aligned = labels != "different"
    is_reworded = labels == "reworded"
    aligned = verbatim | (sim >= REWORDED_SIMILARITY)
    counts = {k: int((labels == k).sum()) for k in ("verbatim", "verbatim_edited", "reworded", "different")}

    print("## Threshold calibration\n")
    print(f"{len(rows)} labelled pairs: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + ".\n")
    print("| decision | rule | precision | recall | F1 |")
    print("| --- | --- | --- | --- | --- |")
    for name, rule, pred, truth in [
        ("verbatim (verbatim + verbatim_edited)", f"ratio or containment >= {VERBATIM_RATIO}", verbatim, is_verbatim),
        ("reworded (class)", f"not verbatim, cosine >= {REWORDED_SIMILARITY}", aligned & ~verbatim, is_reworded),
        ("aligned (verbatim or reworded)", "either", aligned, is_aligned),
    ]:
        p, r, f = prf(pred, truth)
        print(f"| {name} | {rule} | {p:.3f} | {r:.3f} | {f:.3f} |")

    high_neg = float(effective[~is_verbatim].max())
    low_pos = float(effective[is_verbatim].min())
    print(f"\nVerbatim: the highest score (ratio, or partial ratio for containment) of a pair not "
          f"labelled verbatim is {high_neg:.3f}, the lowest of a verbatim or verbatim_edited pair "
          f"{low_pos:.3f}; the threshold is the gap's midpoint {(high_neg + low_pos) / 2:.3f}, rounded "
          f"down: VERBATIM_RATIO = {VERBATIM_RATIO}.\n")

    print("Reworded threshold sweep (pairs not already verbatim count as aligned when cosine >= t):\n")
    print("| t | precision | recall | F1 |")
    print("| --- | --- | --- | --- |")
    best: tuple[float, float] = (-1.0, 0.0)
    for t in np.arange(0.55, 0.851, 0.025):
        p, r, f = prf(verbatim | (sim >= t), is_aligned)
        best = max(best, (round(f, 4), -t))
        print(f"| {t:.3f} | {p:.3f} | {r:.3f} | {f:.3f} |")
    candidates = np.sort(np.unique(sim[~verbatim]))
    scored = [(prf(verbatim | (sim >= c), is_aligned)[2], c) for c in candidates]
    top = max(f for f, _ in scored)
    first = min(c for f, c in scored if f == top)  # lowest score of the best interval
    below = candidates[candidates < first].max() if (candidates < first).any() else first
    print(f"\nBest F1 {top:.3f} for thresholds in ({below:.3f}, {first:.3f}]; the constant is the "
          f"interval's midpoint {(below + first) / 2:.3f}, rounded: REWORDED_SIMILARITY = {REWORDED_SIMILARITY}.\n")


def main() -> None:
    calibration(shared_embedder())


if __name__ == "__main__":
    main()
