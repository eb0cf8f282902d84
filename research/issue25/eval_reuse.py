"""Lineage's "derived" against Clough & Stevenson (reuse-dev), leave one task out, beside
word 3-gram containment tuned the same way, in one run (issue 25).

For each task, the derivation rule (index/compare/derivation_model.json) is refitted on the
other two tasks (research/issue25/fit_derivation.py's fit) and the REAL lineage of every
text of the held-out task runs with it (engine home of research/issue25/cache.py, all 60
texts ingested, undated). A text counts as derived when:

- role: its lineage role is ``derived`` (from its source or from a text copied from it);
- either way: that, or the lineage of its source names the text as the source's parent
  (undated, a near copy holding more of the page than the source excerpt can be placed
  first).

Also printed: the same with the rule before issue 25 (copy test alone), so the figures
stand side by side.

Run: HF_HUB_OFFLINE=1 .venv/bin/python -m research.issue25.eval_reuse
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from index.compare import derivation  # noqa: E402
from index.compare.reuse import ngram_containment  # noqa: E402
from index.config import Settings  # noqa: E402
from index.engine import Engine  # noqa: E402
from research.issue25.cache import CACHE, load  # noqa: E402
from research.issue25.cv import f1_acc  # noqa: E402
from research.issue25.fit_derivation import TASKS, fit, pair_scores, unreachable  # noqa: E402


def lineage_calls(engine: Engine, ids: dict, texts, sources) -> tuple[dict, dict]:
    role = {r.name: engine.lineage(ids[r.name]) for r in texts}
    source = {t: engine.lineage(ids[f"orig_task{t}.txt"]) for t in sources}
    return role, source


def main() -> None:
    docs = load("reuse")
    texts = [d for d in docs if d.label != "source"]
    gold = {d.name: d.label != "non" for d in texts}
    ids = json.loads((CACHE / "reuse-home" / "reuse-ids.json").read_text())
    engine = Engine(Settings.from_env(CACHE / "reuse-home"), "reuse")
    pairs = pair_scores(docs)
    skip = unreachable(docs)

    results: dict[str, dict[str, tuple[bool, bool]]] = {"issue 25 rule": {}, "copy test alone": {}}
    models, started = {}, time.perf_counter()
    for task in TASKS:
        held = [d for d in texts if d.group == task]
        fold_model = fit(pairs, [t for t in TASKS if t != task], skip)
        models[task] = fold_model
        for name, model in (("issue 25 rule", fold_model), ("copy test alone", {**fold_model, "order": float("inf")})):
            with mock.patch.object(derivation, "model", lambda model=model: model):
                role, source = lineage_calls(engine, ids, held, [task])
            for d in held:
                derived = role[d.name].role == "derived"
                results[name][d.name] = (derived, derived or source[task].derived_from == ids[d.name])
    lineage_s = time.perf_counter() - started

    source_text = {d.group: d.text for d in docs if d.label == "source"}
    c3 = {d.name: ngram_containment(source_text[d.group], d.text) for d in texts}
    base = {}
    for task in TASKS:
        train = [d for d in texts if d.group != task]
        cuts = sorted({c3[d.name] for d in train})
        mids = [(a + b) / 2 for a, b in zip(cuts, cuts[1:])]
        t = max(mids, key=lambda x: (f1_acc([c3[d.name] >= x for d in train], [gold[d.name] for d in train])[0], -x))
        base.update({d.name: c3[d.name] >= t for d in texts if d.group == task})

    names = [d.name for d in texts]
    print("# eval_reuse (issue 25): lineage's derived, leave one task out (reuse-dev)\n")
    print(f"{len(texts)} texts ({sum(gold.values())} derived); lineage of every text and of each source, "
          f"both rules, {lineage_s:.1f} s. Order thresholds fitted per held-out task: "
          + ", ".join(f"{t}: {m['order']:.3f}" for t, m in models.items()) + ".\n")
    print("| method | F1 (derived) | accuracy | per task F1 (a, b, c) | errors |")
    print("| --- | --- | --- | --- | --- |")

    def row(label: str, pred: dict[str, bool]) -> None:
        f, a = f1_acc([pred[n] for n in names], [gold[n] for n in names])
        per = []
        for task in TASKS:
            held = [d.name for d in texts if d.group == task]
            per.append(f"{f1_acc([pred[n] for n in held], [gold[n] for n in held])[0]:.3f}")
        errors = sorted(n for n in names if pred[n] != gold[n])
        print(f"| {label} | {f:.3f} | {a:.3f} | {', '.join(per)} | {', '.join(errors)} |")

    row("baseline: word 3-gram containment in the source, threshold from the other tasks", base)
    for name, res in results.items():
        row(f"lineage role derived, {name}", {n: res[n][0] for n in names})
        row(f"lineage derived either way, {name}", {n: res[n][1] for n in names})
    engine.close()


if __name__ == "__main__":
    main()
