"""Fit the statement judge (`index/search/judge_model.json`) on real news sentence pairs
(msrp-train, all of it) and on claims-dev's Train tweets together, cross-validated on both.

Pairs (bench/data/judge_pairs.py), directed (claim, passage):
- claims-dev Train: every passage `sources` returns in its top 10 for a training tweet; a
  passage of the tweet's gold claim is a positive, a passage of another claim a near-miss
  negative (same topic, retrieved, not the claim);
- MSRP: both directions of every pair. An equivalent pair states the other both ways: two
  positives. A pair judged not equivalent fails in at least one direction, and MSRP does
  not say which (a pair where one sentence adds material is "not equivalent", though the
  longer states the shorter's claim): the direction whose claim the passage covers less
  (more of the claim's content words missing from the passage; ties: the first) is the
  negative, the other is left out of the fit. "States" on MSRP is then read as the product
  reads it in bench/quality/msrp.py: each sentence states the other.
Besides the pairs, negatives of two kinds the product meets:
- every window (``text/clauses``) of a negative pair's passage, against the pair's claim
  (``WINDOW_WEIGHT``): the product judges windows, and a passage that does not state the
  claim has no window that does; without them a window holding every name of a claim but
  not its verb scored 0.97 with 8d6c3a7's trees ("Stephen Miller resigned from the White
  House"; 0.90 with these negatives alone, 0.54 with monotone trees too);
- ``judge_pairs.mismatched_pairs``: each MSRP first sentence against another pair's
  second sentence (``EASY_WEIGHT``): the unrelated passages of an answer.
claims-dev carries ``CLAIMS_WEIGHT`` times MSRP's total weight. Features: index/search/judge.py.
Model: scikit-learn's histogram gradient boosting, ``TREES`` trees of depth ``DEPTH``,
monotone in the features ``MONOTONE`` names (deterministic: random_state 0, no early
stopping, no subsampling).

The claims-dev pairs are collected once (kept in the home as ``judge-pairs-train.pkl``) by
``sources`` with the judge shipped at the time; a home without that file needs a judge
whose ``judge_model.json`` matches ``judge.FEATURES``.

Cross-validation: 5 folds grouped by MSRP sentence component and by claims-dev tweet;
fold k of both sets is left out together, fitted on the rest of both. Out-of-fold, each
pair is judged by the product's own ``verdicts.verdict`` (passage and windows, contradicts,
numbers) with the fold's model; reported beside a cosine threshold tuned on the training
folds to the judge's precision there, per set.

Threshold rule for `close` (8d6c3a7's 0.80 / 0.90 lowered to the issue's target / 0.85
after a claims-dev Dev run lost MAP@5 at 0.80 / 0.90, see BENCHMARKS.md): the lowest threshold
whose out-of-fold "states" precision is at least ``MSRP_PRECISION`` on MSRP (mutual) and
``CLAIMS_PRECISION`` on claims-dev Train; the group threshold (a related hit on the claim
joins its statement group) the lowest with claims-dev precision at least
``GROUP_PRECISION``.

    python -m bench.fitting.judge [--home DIR] [--msrp FILE]
"""
from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from bench.data.claims import DEFAULT_HOME, load
from bench.data.homes import HOMES, data_digest
from bench.data.judge_pairs import DirectedPair, claims_pairs, mismatched_pairs, msrp_pairs, product_states
from bench.data.msrp import DATA as MSRP_DATA
from bench.data.msrp import read_pairs
from bench.quality.measures import precision_recall, threshold_at_precision
from index import shared_embedder
from index.search.judge import FEATURES, MODEL_PATH, JudgeModel, TextEvidence, Tree, features

MSRP_PRECISION = 0.78  # the held-out target (issue 21)
CLAIMS_PRECISION = 0.85  # at 0.90 (8d6c3a7's rule) `close` recall on claims-dev fell so far that stating-first ranking lost Dev MAP@5
# Joining the claim's statement group asks less than being called `close`: a member is
# shown under its own label. 0.75 was chosen on the sample corpus (allowed for tuning) so
# that its three reports of the joint chiefs' opposition form one group.
GROUP_PRECISION = 0.75
FOLDS = 5
# claims-dev carries this many times MSRP's total weight: its ranking (MAP@5 of `sources`
# orders stating passages by the judge) is what CheckThat measures; at equal weight the
# judge ranked claims-dev's passages worse (dev MAP@5 0.9209 against dense's 0.9266).
CLAIMS_WEIGHT = 3.0
TREES, DEPTH, RATE = 100, 3, 0.1
# The judge's probability may only rise with the evidence that a piece holds the claim
# (+1) and only fall with what it lacks or contradicts (-1); the passage's own extras are
# left free. Unconstrained trees had pockets: a window with every name of a claim and none
# of its other words, at cosine 0.44, scored 0.90 ("Stephen Miller resigned from the White
# House" against "…close to the White House, … driven by … Stephen Miller").
MONOTONE = {"cosine": 1, "claim_coverage": 1, "bigram_coverage": 1, "name_coverage": 1, "number_conflict": -1,
            "claim_unmatched": -1, "claim_number_missing": -1, "claim_names_missing": -1,
            "predicate_coverage": 1, "verb_coverage": 1}
# Weight of each window of a negative pair, relative to the pair's own (``JointSet``).
WINDOW_WEIGHT = 1.0
# Easy negatives (``judge_pairs.mismatched_pairs``: a sentence against another event's),
# each at this share of an MSRP pair's weight: without them an unrelated passage fell in a
# leaf of related ones (a flat 0.41 on the sample corpus's lighthouse claim).
EASY_WEIGHT = 1.0
EASY_SHIFT = 1000
THRESHOLDS = np.round(np.arange(0.30, 0.96, 0.01), 2)


def feature_rows(pairs: list[DirectedPair]) -> np.ndarray:
    return np.array([features(TextEvidence.of(d.claim), TextEvidence.of(d.passage), d.cosine) for d in pairs])


def msrp_targets(pairs: list[DirectedPair]) -> np.ndarray:
    """1 / 0 per directed pair, -1 for a direction left out of the fit (see the module's note)."""
    target = np.where([d.gold for d in pairs], 1, -1)
    for k in range(0, len(pairs), 2):
        if not pairs[k].gold:
            missing = [len(TextEvidence.of(d.claim).content - TextEvidence.of(d.passage).content) for d in pairs[k:k + 2]]
            target[k + (1 if missing[1] > missing[0] else 0)] = 0
    return target


def fit(X: np.ndarray, y: np.ndarray, weight: np.ndarray, close: float = 0.5, group: float = 0.5) -> JudgeModel:
    """Gradient-boosted trees (``TREES`` of depth ``DEPTH``, monotone as ``MONOTONE`` says),
    exported as the judge reads them (each leaf already scaled by the learning rate)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(max_iter=TREES, max_depth=DEPTH, learning_rate=RATE, early_stopping=False,
                                           monotonic_cst=[MONOTONE.get(f, 0) for f in FEATURES], random_state=0)
    model.fit(X, y, sample_weight=weight)
    trees = tuple(Tree(tuple(int(n["feature_idx"]) for n in nodes),
                       tuple(float(n["num_threshold"]) for n in nodes),  # exact: a data value may sit next to it
                       tuple(-1 if n["is_leaf"] else int(n["left"]) for n in nodes),
                       tuple(-1 if n["is_leaf"] else int(n["right"]) for n in nodes),
                       tuple(round(float(n["value"]), 6) for n in nodes))
                  for nodes in (step[0].nodes for step in model._predictors))
    init = round(float(np.ravel(model._baseline_prediction)[0]), 6)
    return JudgeModel(trees, init, 1.0, close, group)


def folds(groups: np.ndarray) -> list[np.ndarray]:
    """Fold number of each item, by GroupKFold."""
    from sklearn.model_selection import GroupKFold

    out = np.zeros(len(groups), dtype=int)
    for k, (_, test) in enumerate(GroupKFold(n_splits=FOLDS).split(groups, groups=groups)):
        out[test] = k
    return out


class JointSet:
    """MSRP's and claims-dev's directed pairs, their fit targets, weights and folds."""

    def __init__(self, msrp: list[DirectedPair], claims: list[DirectedPair], easy: list[DirectedPair]) -> None:
        self.msrp, self.claims = msrp, claims
        target = np.r_[msrp_targets(msrp), np.array([d.gold for d in claims], dtype=int)]
        n_msrp = int((target[: len(msrp)] >= 0).sum())
        weight = np.r_[np.full(len(msrp), 1.0 / n_msrp), np.full(len(claims), CLAIMS_WEIGHT / len(claims))]
        self.fold = np.r_[folds(np.array([d.group for d in msrp])), folds(np.array([d.group for d in claims]))]
        # the easy negatives: in their claim's MSRP fold, each at an MSRP pair's weight
        fold_of_group = {d.group: f for d, f in zip(msrp, self.fold)}
        target = np.r_[target, np.zeros(len(easy), dtype=int)]
        weight = np.r_[weight, np.full(len(easy), EASY_WEIGHT / n_msrp)]
        easy_fold = np.array([fold_of_group[d.group] for d in easy], dtype=int)
        pairs = msrp + claims + easy
        pair_fold = np.r_[self.fold, easy_fold]
        rows = list(feature_rows(pairs))
        y, w, fold = list(target), list(weight), list(pair_fold)
        # A passage that does not state the claim has no window that does: each window of a
        # negative is a negative too, in the pair's fold, at the pair's weight.
        for i, d in enumerate(pairs):
            if target[i] == 0:
                claim = TextEvidence.of(d.claim)
                for win in d.windows:
                    rows.append(features(claim, TextEvidence.of(win.text), win.cosine))
                    y.append(0)
                    w.append(weight[i] * WINDOW_WEIGHT)
                    fold.append(pair_fold[i])
        self.X, self.y, self.row_fold = np.array(rows), np.array(y), np.array(fold)
        self.used = self.y >= 0
        self.weight = np.array(w) * len(self.y) / np.array(w)[self.used].sum()

    def model(self, rows: np.ndarray, close: float = 0.5, group: float = 0.5) -> JudgeModel:
        keep = rows & self.used
        return fit(self.X[keep], self.y[keep], self.weight[keep], close, group)

    def out_of_fold(self) -> list[JudgeModel]:
        return [self.model(self.row_fold != k) for k in range(FOLDS)]


def probabilities(pairs: list[DirectedPair], models: list[JudgeModel], fold: np.ndarray) -> np.ndarray:
    """The judge's probability for each pair (the best of its passage and windows), by the model
    of the fold that left it out."""
    from index.search.judge import states_probability

    out = np.zeros(len(pairs))
    for i, d in enumerate(pairs):
        claim = TextEvidence.of(d.claim)
        pieces = [(TextEvidence.of(d.passage), d.cosine)] + [(TextEvidence.of(w.text), w.cosine) for w in d.windows]
        out[i] = max(states_probability(claim, e, c, models[fold[i]]) for e, c in pieces)
    return out


def said(pairs: list[DirectedPair], models: list[JudgeModel], fold: np.ndarray, threshold: float) -> np.ndarray:
    """The product's verdict of each pair (``product_states``) with the fold's model at ``threshold``."""
    at = [replace(m, close_threshold=threshold) for m in models]
    return np.array([product_states(d, at[fold[i]]) for i, d in enumerate(pairs)])


def mutual(directed: np.ndarray) -> np.ndarray:
    return directed[0::2] & directed[1::2]


def cosine_at_precision(cosine: np.ndarray, gold: np.ndarray, calls: np.ndarray, fold: np.ndarray) -> np.ndarray:
    """Out-of-fold cosine calls, each fold's threshold tuned on the other folds to the
    precision the judge reaches there (as bench/quality/msrp.py)."""
    out = np.zeros(len(gold), dtype=bool)
    for k in range(FOLDS):
        train, test = fold != k, fold == k
        t = threshold_at_precision(cosine[train], gold[train], precision_recall(calls[train], gold[train])[0])
        out[test] = cosine[test] >= t if t is not None else False
    return out


def choose_thresholds(joint: JointSet, p_msrp: np.ndarray, p_claims: np.ndarray) -> tuple[float, float, list]:
    """The rule of the module's note, read on the out-of-fold probabilities (verbatim pairs
    and number conflicts as the verdict treats them are left to the final check)."""
    gold_msrp = np.array([d.gold for d in joint.msrp[::2]])
    gold_claims = np.array([d.gold for d in joint.claims])
    curve = []
    for t in THRESHOLDS:
        pm = precision_recall(mutual(p_msrp >= t), gold_msrp)
        pc = precision_recall(p_claims >= t, gold_claims)
        curve.append((float(t), pm[0], pm[1], pc[0], pc[1]))
    close = next((t for t, mp, _, cp, _ in curve if mp >= MSRP_PRECISION and cp >= CLAIMS_PRECISION), 0.95)
    group = next((t for t, _, _, cp, _ in curve if cp >= GROUP_PRECISION), close)
    return close, min(group, close), curve


def report(name: str, calls: np.ndarray, gold: np.ndarray, cosine: np.ndarray, fold: np.ndarray) -> list[str]:
    judge = precision_recall(calls, gold)
    base = precision_recall(cosine_at_precision(cosine, gold, calls, fold), gold)
    return [f"| {name} | {judge[0]:.3f} | {judge[1]:.3f} | {judge[2]} | {base[0]:.3f} | {base[1]:.3f} | {base[2]} | {judge[3]} |"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, default=DEFAULT_HOME, help="claims-dev engine home (with window vectors)")
    parser.add_argument("--msrp", type=Path, default=MSRP_DATA)
    args = parser.parse_args()
    cs = load(home=args.home)
    claims = claims_pairs(cs, cs.train, args.home / "judge-pairs-train.pkl")
    msrp = msrp_pairs(read_pairs(args.msrp), shared_embedder(), HOMES / f"msrp-vectors-{data_digest(args.msrp)}.pkl")
    easy = mismatched_pairs(read_pairs(args.msrp), HOMES / f"msrp-vectors-{data_digest(args.msrp)}.pkl", EASY_SHIFT)
    joint = JointSet(msrp, claims, easy)
    models = joint.out_of_fold()
    fold_msrp, fold_claims = joint.fold[: len(msrp)], joint.fold[len(msrp):]
    p_msrp, p_claims = probabilities(msrp, models, fold_msrp), probabilities(claims, models, fold_claims)
    close, group, curve = choose_thresholds(joint, p_msrp, p_claims)
    final = joint.model(np.ones(len(joint.y), dtype=bool), close, group)
    gold_msrp = np.array([d.gold for d in msrp[::2]])
    gold_claims = np.array([d.gold for d in claims])
    states_msrp = said(msrp, models, fold_msrp, close)
    states_claims = said(claims, models, fold_claims, close)
    lines = [f"{len(msrp) // 2} MSRP pairs ({int(gold_msrp.sum())} equivalent; {int(joint.used[: len(msrp)].sum())} "
             f"directions fitted), {len(claims)} claims-dev Train pairs ({int(gold_claims.sum())} gold); {FOLDS} joint "
             f"folds; close threshold {close:.2f}, group threshold {group:.2f}", "",
             "| out of fold, \"states\" by the product's verdict | judge P | judge R | judge calls | cosine P | "
             "cosine R | cosine calls | positives |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    lines += report("MSRP, mutual (each sentence states the other)", mutual(states_msrp), gold_msrp,
                    np.array([d.cosine for d in msrp[::2]]), fold_msrp[::2])
    lines += report("MSRP, one direction (s1 as the claim)", states_msrp[0::2], gold_msrp,
                    np.array([d.cosine for d in msrp[::2]]), fold_msrp[::2])
    lines += report("claims-dev Train, (tweet, passage) in `sources`' top 10", states_claims, gold_claims,
                    np.array([d.cosine for d in claims]), fold_claims)
    lines += ["", "out-of-fold probability curve (t: MSRP mutual P/R, claims P/R):"]
    lines += [f"  {t:.2f}  {mp:.3f} {mr:.3f}  {cp:.3f} {cr:.3f}" for t, mp, mr, cp, cr in curve[::5]]
    print("\n".join(lines))
    doc = {
        "about": "Statement judge of index/search/judge.py: gradient-boosted trees, fitted by "
                 "`python -m bench.fitting.judge` on msrp-train (both directions; see the script) and the Train "
                 "QRELs of claims-dev (CheckThat! 2022 2A) together, claims-dev CLAIMS_WEIGHT times MSRP's total weight, "
                 "with the windows of their negatives and mismatched MSRP sentences as negatives; monotone in "
                 "the features of MONOTONE; leaf values include the learning rate (rate 1).",
        "features": list(FEATURES),
        "init": final.init, "rate": final.rate,
        "close_threshold": close,
        "threshold_rule": f"lowest threshold with out-of-fold precision >= {MSRP_PRECISION} on MSRP (mutual) and "
                          f">= {CLAIMS_PRECISION} on claims-dev Train ({FOLDS} joint grouped folds)",
        "group_threshold": group,
        "group_threshold_rule": f"lowest threshold with out-of-fold claims-dev precision >= {GROUP_PRECISION}",
        "training_rows": int(joint.used.sum()),  # pairs fitted and the windows of their negatives
        "training_positives": int((joint.y == 1).sum()),
        "trees": [{"feature": t.feature, "threshold": t.threshold, "left": t.left, "right": t.right, "value": t.value}
                  for t in final.trees],
    }
    trees = doc.pop("trees")  # one line a tree: the file stays readable
    text = json.dumps(doc, indent=2)[:-2] + ',\n  "trees": [\n'
    text += ",\n".join("    " + json.dumps(t, separators=(",", ":")) for t in trees) + "\n  ]\n}\n"
    MODEL_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {MODEL_PATH}")


if __name__ == "__main__":
    main()
