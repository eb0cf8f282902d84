"""Does a news sentence state another: the product's "states" on MSRP (msrp-train by default;
``--data`` scores any file of its format, such as a held-out one) beside a cosine threshold
tuned to the same precision, cross-validated, in one run.

Each sentence is an article of its own (bench/data/msrp.py). For a pair (s1, s2), `sources`
is asked s1 with the outlet filter naming s2 (so s2's passage is the only candidate), and
s2 with the filter naming s1; a direction states when a hit of the answer states the claim
(``verbatim``/``close``, not in voice ``disputed``: bench/quality/answers.py). The pair is
read as "states" **mutually** (each sentence states the other), the reading of MSRP's
"equivalent"; one direction alone is a lower bound of precision (MSRP calls a pair not
equivalent when one sentence adds material, though the longer may still state the shorter).

Baseline: cosine of the two sentences (the bundled model) >= t, with t tuned on the
training folds to the precision the product reaches on those folds (the lowest threshold
that reaches it), applied to the test fold; 5 folds grouped by connected sentence ids,
test folds pooled. The product's judge is fixed (not refitted here): its figure is the
same on every fold; when its model was fitted on msrp-train, that figure is in-sample.

The fast path (``--fast``) scores each directed pair through the product's own judge,
``verdicts.verdict`` on the sentence and its windows with vectors pooled as ingest pools
them (bench/data/judge_pairs.py), without Chroma or the rest of ``sources`` (~0.7 s an
answer on the shared machine); ``--check N`` also runs the full product path on N of the
pairs and prints how often the two agree.

    python -m bench.quality.msrp [--data FILE] [--pairs N] [--home DIR] [--seed-cache FILE]
    python -m bench.quality.msrp --fast [--check N] [--data FILE] [--pairs N]
"""
from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

from bench.data.homes import HOMES, data_digest
from bench.data.judge_pairs import msrp_pairs, product_states
from bench.data.msrp import DATA, Pair, msrp_engine, outlet_of, read_pairs
from bench.quality import answers as read
from bench.quality.measures import precision_recall, threshold_at_precision
from index import shared_embedder
from index.search.judge import load_model

FOLDS = 5
LIMIT = 3  # one passage can answer; a few leave room for a split sentence


def direction_states(engine, claims: list[str], passages: list[str], stored: set[str]) -> list[bool]:
    """For each (claim, passage sentence): does `sources` say the passage states the claim."""
    out = []
    for claim, passage in zip(claims, passages):
        outlet = outlet_of(passage)
        if outlet not in stored:  # no passage stored for it (under the passage minimum)
            out.append(False)
            continue
        answer = read.answers_json(engine, [claim], LIMIT, outlet=outlet)[0]
        out.append(any(read.states(h) for h in answer["results"]))
    return out


def cosine_cross_validated(cosine: np.ndarray, gold: np.ndarray, said: np.ndarray,
                           groups: np.ndarray) -> tuple[np.ndarray, list[float | None]]:
    """Out-of-fold cosine calls, each fold's threshold tuned on the other folds to the
    precision the product reaches there."""
    calls = np.zeros(len(gold), dtype=bool)
    thresholds = []
    for train, test in GroupKFold(n_splits=FOLDS).split(cosine, gold, groups):
        target = precision_recall(said[train], gold[train])[0]
        t = threshold_at_precision(cosine[train], gold[train], target)
        thresholds.append(t)
        calls[test] = cosine[test] >= t if t is not None else False
    return calls, thresholds


def row(name: str, said, gold) -> str:
    p, r, calls, positives = precision_recall(said, gold)
    return f"| {name} | {p:.3f} | {r:.3f} | {calls} | {positives} |"


def fast_states(pairs: list[Pair], data: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(s1 as the claim, s2 as the claim, cosine of the two) through the product's judge alone."""
    directed = msrp_pairs(pairs, shared_embedder(), HOMES / f"msrp-vectors-{data_digest(data)}.pkl")
    said = np.array([product_states(d, load_model()) for d in directed]).reshape(-1, 2)
    cosine = np.array([d.cosine for d in directed[::2]])
    return said[:, 0], said[:, 1], cosine


def product_path(pairs: list[Pair], args) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(s1 as the claim, s2 as the claim, cosine of the two) through ``sources``."""
    engine, stored = msrp_engine(pairs, args.data, args.home, args.seed_cache)
    firsts, seconds = [p.first for p in pairs], [p.second for p in pairs]
    forward = np.array(direction_states(engine, firsts, seconds, stored))
    backward = np.array(direction_states(engine, seconds, firsts, stored))
    vectors = engine.embedder.encode(firsts), engine.embedder.encode(seconds)
    print(f"{len(stored)} sentences stored")
    return forward, backward, np.einsum("ij,ij->i", *vectors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="MSRP file (or the folder holding it)")
    parser.add_argument("--pairs", type=int, default=0, help="score a random sample of N pairs (seed 21); 0 = all")
    parser.add_argument("--home", type=Path, help="engine home (default: a kept one under /tmp/sourcedesk-bench)")
    parser.add_argument("--seed-cache", type=Path, help="an embedding cache to start a new home from")
    parser.add_argument("--fast", action="store_true", help="the product's judge alone on each pair (see above)")
    parser.add_argument("--check", type=int, default=0, help="with --fast: the full product path on N of the pairs too")
    args = parser.parse_args()
    pairs: list[Pair] = read_pairs(args.data)
    if args.pairs:
        pairs = [pairs[k] for k in sorted(random.Random(21).sample(range(len(pairs)), args.pairs))]
    started = time.monotonic()
    forward, backward, cosine = fast_states(pairs, args.data) if args.fast else product_path(pairs, args)
    print(f"{len(pairs)} pairs from {args.data} ({sum(p.equivalent for p in pairs)} equivalent), "
          f"{'the judge alone' if args.fast else 'sources'} in {time.monotonic() - started:.0f}s "
          "(shared machine: times are not figures)\n")
    table(pairs, forward, backward, cosine)
    if args.fast and args.check:
        sample = sorted(random.Random(2121).sample(range(len(pairs)), args.check))
        full = product_path([pairs[k] for k in sample], args)
        agree = [float(np.mean(f == fast[sample])) for f, fast in zip(full[:2], (forward, backward))]
        print(f"\nfull product path on {args.check} of the pairs (seed 2121): agrees with the fast path on "
              f"{agree[0]:.3f} (s1 as the claim) and {agree[1]:.3f} (s2 as the claim) of them\n")
        table([pairs[k] for k in sample], *full)


def table(pairs: list[Pair], forward: np.ndarray, backward: np.ndarray, cosine: np.ndarray) -> None:
    gold = np.array([p.equivalent for p in pairs])
    groups = np.array([p.group for p in pairs])
    mutual = forward & backward
    cos_calls, thresholds = cosine_cross_validated(cosine, gold, mutual, groups)
    in_sample = threshold_at_precision(cosine, gold, precision_recall(mutual, gold)[0])
    print("| \"states\" | precision | recall | pairs called | equivalent pairs |\n| --- | --- | --- | --- | --- |")
    print(row("**product, mutual** (each sentence states the other)", mutual, gold))
    print(row(f"cosine >= t, t tuned on the training folds to the product's precision ({FOLDS} folds, "
              f"t = {', '.join('-' if t is None else f'{t:.3f}' for t in thresholds)})", cos_calls, gold))
    print(row(f"cosine >= {in_sample:.3f}, tuned on all pairs (in-sample, for reference)" if in_sample is not None
              else "cosine: no threshold reaches the product's precision", cosine >= (in_sample or 2.0), gold))
    print(row("product, one direction: s1 as the claim (a lower bound of precision)", forward, gold))
    print(row("product, one direction: s2 as the claim", backward, gold))
    print(row("product, either direction", forward | backward, gold))


if __name__ == "__main__":
    main()
