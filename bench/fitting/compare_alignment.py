"""Fits index/compare/alignment_model.json, the logistic model behind compare's reworded pairs
(index/compare/pairing.py), and prints its cross-validated figures.

Training pairs, all labelled by hand:
- tests/data/alignment_pairs.jsonl: 87 sentence pairs (aligned unless labelled
  "different");
- the "tune" split of bench/data/compare_labels.jsonl: every passage pair of those
  article pairs that index/compare/pairing.py scores (cosine or content overlap above its floor):
  aligned when it matches a labelled alignment, not aligned when it matches none
  (pairs matching a "maybe" alignment are left out).
The "eval" split is never used here. Threshold: the one of 0.20, 0.25, ..., 0.80 with the
best F1 of 5-fold cross-validated probabilities (the highest on a tie).

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.fitting.compare_alignment [--check]
"""
from __future__ import annotations

import json
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from bench.data.version_pairs import ROOT, CachedEncoder, load_labels, make_doc, overlaps, span_of, text_of
from index.compare import pairing
from index.compare.comparison import Doc
from index.text.words import words

PAIRS = ROOT / "tests" / "data" / "alignment_pairs.jsonl"
THRESHOLDS = [round(0.2 + 0.05 * k, 2) for k in range(13)]
C = 1.0


def _features_of(sim: np.ndarray, wa, wb) -> tuple[np.ndarray, np.ndarray]:
    """(features of every scored pair, mask of scored pairs) using pairing's own code."""
    saved = pairing.model
    pairing.model = lambda: {"coef": [0, 0, 0, 0], "intercept": 0.0, "threshold": 0.5}  # features only
    try:
        ev = pairing.pair_evidence(sim, wa, wb, every_pair=True)
    finally:
        pairing.model = saved
    scored = (sim >= pairing.MIN_COSINE) | (ev.overlap >= pairing.MIN_OVERLAP)
    return np.stack([ev.cosine, ev.overlap, ev.span, ev.names], axis=-1), scored


def training_rows(encoder: CachedEncoder) -> tuple[np.ndarray, np.ndarray, list[str]]:
    X, y, origin = [], [], []
    rows = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    va, vb = encoder.encode([r["a"] for r in rows]), encoder.encode([r["b"] for r in rows])
    for r, a, b in zip(rows, va, vb):
        feats, _ = _features_of(np.array([[float(a @ b)]], dtype=np.float32), [words(r["a"])], [words(r["b"])])
        X.append(feats[0, 0])
        y.append(int(r["label"] != "different"))
        origin.append("alignment_pairs")
    for label in load_labels():
        if label["split"] != "tune" or not label["aligned"]:
            continue
        ta, tb = text_of(label["a"]), text_of(label["b"])
        da, db = make_doc(Doc, ta, "a", encoder), make_doc(Doc, tb, "b", encoder)
        feats, scored = _features_of(da.vectors @ db.vectors.T, da.passage_words, db.passage_words)
        located = [(span_of(item, ta, tb), item.get("maybe", False)) for item in label["aligned"]]
        for i, j in zip(*np.nonzero(scored)):
            pa, pb = da.passages[i], db.passages[j]
            hits = [maybe for (la, lb), maybe in located if overlaps(la, pa.start, pa.end) and overlaps(lb, pb.start, pb.end)]
            if hits and all(hits):
                continue  # only "maybe" alignments: left out
            X.append(feats[i, j])
            y.append(int(bool(hits)))
            origin.append(label["id"])
    return np.array(X), np.array(y), origin


def main() -> None:
    encoder = CachedEncoder()
    X, y, origin = training_rows(encoder)
    print(f"{len(y)} training pairs ({int(y.sum())} aligned): "
          + ", ".join(f"{o} {origin.count(o)}" for o in dict.fromkeys(origin)))
    fit = LogisticRegression(C=C, max_iter=1000).fit(X, y)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    p = cross_val_predict(LogisticRegression(C=C, max_iter=1000), X, y, cv=folds, method="predict_proba")[:, 1]
    print("| threshold | CV precision | CV recall | CV F1 |\n| --- | --- | --- | --- |")
    best = (-1.0, 0.0)
    for t in THRESHOLDS:
        pred = p >= t
        tp = int((pred & (y == 1)).sum())
        prec, rec = tp / max(int(pred.sum()), 1), tp / max(int(y.sum()), 1)
        f1 = 2 * prec * rec / max(prec + rec, 1e-9)
        best = max(best, (round(f1, 4), t))
        print(f"| {t:.2f} | {prec:.3f} | {rec:.3f} | {f1:.3f} |")
    threshold = best[1]
    cos_only = X[:, 0] >= 0.725
    tp = int((cos_only & (y == 1)).sum())
    print(f"\nchosen threshold {threshold}; same pairs, cosine >= 0.725 alone: precision "
          f"{tp / max(cos_only.sum(), 1):.3f}, recall {tp / max(y.sum(), 1):.3f}")
    out = {
        "features": list(pairing.FEATURES),
        "coef": [round(float(c), 4) for c in fit.coef_[0]],
        "intercept": round(float(fit.intercept_[0]), 4),
        "threshold": threshold,
        "fitted_by": "bench/fitting/compare_alignment.py",
        "training_pairs": int(len(y)),
    }
    if "--check" in sys.argv:
        stored = json.loads(pairing.MODEL_PATH.read_text(encoding="utf-8"))
        differ = sorted(k for k in out.keys() | stored.keys() if out.get(k) != stored.get(k))
        print(pairing.MODEL_PATH.relative_to(ROOT), "is",
              "up to date" if not differ else f"OUT OF DATE ({', '.join(differ)} differ)")
        return
    pairing.MODEL_PATH.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {pairing.MODEL_PATH.relative_to(ROOT)}: {out}")


if __name__ == "__main__":
    main()
