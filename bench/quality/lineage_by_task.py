"""Lineage's "derived" against Clough & Stevenson (reuse-dev), leave one task out, beside
word 3-gram containment tuned the same way, in one run (issue 25).

For each task, the derivation rule (index/compare/derivation_model.json) is refitted on
the other two tasks (bench/fitting/derivation.py's fit) and the REAL lineage of every text
of the held-out task runs with it (all 60 texts in one engine, undated). A text counts as
derived when:

- role: its lineage role is ``derived`` (from its source or from a text copied from it);
- either way: that, or the lineage of its source names the text as the source's parent
  (undated, a near copy holding more of the page than the source excerpt can be placed
  first).

The same with the rule before issue 25 (the copy test alone) is printed beside it.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.quality.lineage_by_task [--home DIR]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path
from unittest import mock

from bench.data.real import ingest_rows, reuse_rows
from bench.fitting.derivation import HOME, fit, pair_scores
from bench.quality.reuse import TASKS, best_threshold, f1_acc, ngram_containment
from index.compare import derivation
from index.compare.comparison import load_doc


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, default=HOME)
    args = parser.parse_args()
    rows = reuse_rows()
    engine, ids = ingest_rows(args.home, "reuse", rows)
    texts = [r for r in rows if r.label != "source"]
    gold = {r.name: r.label != "non" for r in texts}
    docs = {r.name: load_doc(engine.store, ids[r.name]) for r in rows}
    pairs = pair_scores(rows, docs)

    rules = ("issue 25 rule", "copy test alone")
    results: dict[str, dict[str, tuple[bool, bool]]] = {name: {} for name in rules}
    models, started = {}, time.perf_counter()
    for task in TASKS:
        held = [r for r in texts if r.group == task]
        models[task] = fit(pairs, [t for t in TASKS if t != task])
        for name, model in zip(rules, (models[task], {**models[task], "order": float("inf")})):
            with mock.patch.object(derivation, "model", lambda model=model: model):
                source = engine.lineage(ids[f"orig_task{task}.txt"])
                for r in held:
                    derived = engine.lineage(ids[r.name]).role == "derived"
                    results[name][r.name] = (derived, derived or source.derived_from == ids[r.name])
    lineage_s = time.perf_counter() - started
    engine.close()

    c3 = {r.name: ngram_containment(docs[f"orig_task{r.group}.txt"].text, docs[r.name].text) for r in texts}
    base = {}
    for task in TASKS:
        train = [r for r in texts if r.group != task]
        t = best_threshold([c3[r.name] for r in train], [gold[r.name] for r in train])
        base.update({r.name: c3[r.name] >= t for r in texts if r.group == task})

    names = [r.name for r in texts]
    print("# quality.lineage_by_task (issue 25): lineage's derived, leave one task out (reuse-dev)\n")
    print(f"{len(texts)} texts ({sum(gold.values())} derived); lineage of every text and of each source, "
          f"both rules, {lineage_s:.1f} s. Order thresholds fitted per held-out task: "
          + ", ".join(f"{t}: {m['order']:.3f}" for t, m in models.items()) + ".\n")
    print("| method | F1 (derived) | accuracy | per task F1 (a, b, c) | errors |")
    print("| --- | --- | --- | --- | --- |")

    def row(label: str, pred: dict[str, bool]) -> None:
        f, a = f1_acc([pred[n] for n in names], [gold[n] for n in names])
        per = []
        for task in TASKS:
            held = [r.name for r in texts if r.group == task]
            per.append(f"{f1_acc([pred[n] for n in held], [gold[n] for n in held])[0]:.3f}")
        errors = sorted(n for n in names if pred[n] != gold[n])
        print(f"| {label} | {f:.3f} | {a:.3f} | {', '.join(per)} | {', '.join(errors)} |")

    row("baseline: word 3-gram containment in the source, threshold from the other tasks", base)
    for name, res in results.items():
        row(f"lineage role derived, {name}", {n: res[n][0] for n in names})
        row(f"lineage derived either way, {name}", {n: res[n][1] for n in names})


if __name__ == "__main__":
    main()
