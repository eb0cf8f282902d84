"""Lineage's "derived" against Clough & Stevenson's labels (reuse-dev, ../shared/data),
with the textbook baseline computed in the same run.

1. Ingests the three sources and the 57 texts into one engine (no dates: the texts give
   none, so lineage places them by reuse only). The home is kept in --home.
2. Runs the REAL lineage of every text: predicted derived when its role is ``derived``
   (from any earlier-placed member of its story: the source or a text copied from it),
   independent otherwise. Also "derived either way": the role is ``derived``, or the
   lineage of its source says the source derives from this text (undated, a near copy
   holding more of the same page than the source excerpt can be placed first).
   3 classes: wholly derived (cut) when derived with verbatim_from_parent >= WHOLLY
   (0.8, fixed beforehand: most of the text copied word for word), partly derived
   (light, heavy), independent (non).
3. Baseline: word 3-gram containment of the text in its source, |3g(text) ∩ 3g(source)|
   / |3g(text)|, threshold tuned on this half (best F1; for 3 classes the best pair of
   thresholds): optimistic for the baseline. Also its leave-one-task-out figure
   (threshold tuned on two tasks, scored on the third).
4. How our one free choice was made: reuse.SPAN_WORDS (copied runs of 4 words) against
   3, 5 and 6, scored on reuse of the text from its source with DERIVED_SHARE (0.28,
   set before this data from the sample corpus), and a leave-one-task-out choice of it;
   next to the share lineage used before (compare's sentence alignment).

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.quality.reuse [--home DIR]
"""
from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from bench.data.real import ingest_rows, reuse_rows
from bench.history import compare_before_issue_12
from index.compare.comparison import load_doc
from index.compare.reuse import SPAN_WORDS, reuse_between
from index.stories.analysis import DERIVED_SHARE

WHOLLY = 0.8
TASKS = ("a", "b", "c")


def ngram_containment(a_text: str, b_text: str, n: int = 3) -> float:
    """|n-grams(B) ∩ n-grams(A)| / |n-grams(B)| over lower-case words: the textbook baseline."""
    def grams(text: str) -> set[tuple[str, ...]]:
        ws = [w.lower() for w in re.findall(r"\w+(?:['’]\w+)*", text)]
        return {tuple(ws[i : i + n]) for i in range(len(ws) - n + 1)}

    gb = grams(b_text)
    return len(gb & grams(a_text)) / len(gb) if gb else 0.0


def three_class(label: str) -> str:
    return {"cut": "wholly", "light": "partly", "heavy": "partly"}.get(label, "independent")


def f1_acc(pred: list[bool], gold: list[bool]) -> tuple[float, float]:
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return f1, sum(p == g for p, g in zip(pred, gold)) / len(gold)


def best_threshold(scores: list[float], gold: list[bool]) -> float:
    cuts = sorted(set(scores))
    candidates = [(a + b) / 2 for a, b in zip(cuts, cuts[1:])] or cuts
    return max(candidates, key=lambda t: (f1_acc([s >= t for s in scores], gold)[0], -t))


def best_two(scores: list[float], gold3: list[str]) -> tuple[float, float]:
    cuts = sorted(set(scores))
    mids = [(a + b) / 2 for a, b in zip(cuts, cuts[1:])] or cuts

    def acc(lo: float, hi: float) -> float:
        pred = ["wholly" if s >= hi else "partly" if s >= lo else "independent" for s in scores]
        return sum(p == g for p, g in zip(pred, gold3)) / len(gold3)

    return max(((lo, hi) for lo in mids for hi in mids if hi > lo), key=lambda p: acc(*p))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, default=Path("/tmp/sourcedesk-eval/reuse-home"))
    args = parser.parse_args()
    rows = reuse_rows()
    engine, ids = ingest_rows(args.home, "reuse", rows)
    texts = [r for r in rows if r.label != "source"]
    source_of = {t: ids[f"orig_task{t}.txt"] for t in TASKS}
    gold = [r.label != "non" for r in texts]
    gold3 = [three_class(r.label) for r in texts]

    started = time.perf_counter()
    results = [engine.lineage(ids[r.name]) for r in texts]
    lineage_s = time.perf_counter() - started
    ours = [res.role == "derived" for res in results]
    # Undated, the direction between a near copy and its source cannot be known: a copy
    # that kept more than the source excerpt (other parts of the same page) can be
    # placed first, its source derived from it. Counting that link either way:
    source_results = {t: engine.lineage(source_of[t]) for t in TASKS}
    linked = [res.role == "derived" or source_results[r.group].derived_from == ids[r.name]
              for r, res in zip(texts, results)]
    ours3 = ["wholly" if res.role == "derived" and (res.verbatim_from_parent or 0) >= WHOLLY else
             "partly" if res.role == "derived" else "independent" for res in results]
    parents_ok = sum(1 for r, res, g in zip(texts, results, gold)
                     if g and res.role == "derived" and res.derived_from == source_of[r.group])
    origin_ok = sum(1 for r, res in zip(texts, results) if res.origin == source_of[r.group])

    raw = {r.name: engine.show(ids[r.name])[1] for r in rows}
    c3 = [ngram_containment(raw[f"orig_task{r.group}.txt"], raw[r.name]) for r in texts]
    t_base = best_threshold(c3, gold)
    base = [s >= t_base for s in c3]
    lo, hi = best_two(c3, gold3)
    base3 = ["wholly" if s >= hi else "partly" if s >= lo else "independent" for s in c3]
    base_loto = []
    for task in TASKS:
        train = [n for n, r in enumerate(texts) if r.group != task]
        t = best_threshold([c3[n] for n in train], [gold[n] for n in train])
        base_loto += [(n, c3[n] >= t) for n, r in enumerate(texts) if r.group == task]
    base_loto_pred = [p for _, p in sorted(base_loto)]

    docs = {r.name: load_doc(engine.store, ids[r.name]) for r in rows}
    by_span = {}
    for span in (3, 4, 5, 6):
        shares = [reuse_between(docs[f"orig_task{r.group}.txt"], docs[r.name], span).b_from_a for r in texts]
        by_span[span] = [s >= DERIVED_SHARE for s in shares]
    # The reuse share lineage used before issue 10: compare's sentence alignment (verbatim
    # or cosine >= 0.725, no corroboration), share of the text >= DERIVED_SHARE.
    before = compare_before_issue_12()
    old = {r.name: before.load_doc(engine.store, ids[r.name]) for r in rows}
    previous = [before.reuse_of(old[f"orig_task{r.group}.txt"], old[r.name],
                                before.align(old[f"orig_task{r.group}.txt"], old[r.name])).b_from_a >= DERIVED_SHARE
                for r in texts]
    loto = []
    for task in TASKS:
        train = [n for n, r in enumerate(texts) if r.group != task]
        span = max(by_span, key=lambda s: (f1_acc([by_span[s][n] for n in train], [gold[n] for n in train])[0], -abs(s - 4)))
        loto += [(n, by_span[span][n], span) for n, r in enumerate(texts) if r.group == task]
    loto_pred = [p for _, p, _ in sorted(loto)]
    loto_spans = sorted({(texts[n].group, s) for n, _, s in loto})

    f_ours, a_ours = f1_acc(ours, gold)
    f_link, a_link = f1_acc(linked, gold)
    f_base, a_base = f1_acc(base, gold)
    acc3 = lambda pred: sum(p == g for p, g in zip(pred, gold3)) / len(gold3)  # noqa: E731
    print("# quality.reuse: derived vs independent on Clough & Stevenson (dev half: tasks a, b, c)\n")
    print(f"{len(texts)} texts ({sum(gold)} derived: cut/light/heavy; {len(gold) - sum(gold)} independent), "
          f"3 sources; lineage of every text {lineage_s:.1f} s. Origin of the text's story is its source for "
          f"{origin_ok}/{len(texts)} texts; derived texts called derived with the source as parent: "
          f"{parents_ok}/{sum(gold)}.\n")
    print("| method | F1 (derived) | accuracy | 3-class accuracy |")
    print("| --- | --- | --- | --- |")
    print(f"| baseline: 3-gram containment in the source, threshold tuned on this half ({t_base:.3f}; "
          f"3 classes: {lo:.3f}, {hi:.3f}) | {f_base:.3f} | {a_base:.3f} | {acc3(base3):.3f} |")
    print(f"| ours: real lineage, role derived (DERIVED_SHARE {DERIVED_SHARE}, SPAN_WORDS {SPAN_WORDS}; "
          f"wholly at verbatim reuse >= {WHOLLY}) | {f_ours:.3f} | {a_ours:.3f} | {acc3(ours3):.3f} |")
    print(f"| ours: real lineage, derived either way (the text derives from a member, or its source derives "
          f"from the text) | {f_link:.3f} | {a_link:.3f} | |\n")
    print("Leave-one-task-out (each task scored with the choice made on the other two):\n")
    print("| method | F1 (derived) | accuracy |")
    print("| --- | --- | --- |")
    f, a = f1_acc(base_loto_pred, gold)
    print(f"| baseline: 3-gram containment, threshold from the other tasks | {f:.3f} | {a:.3f} |")
    f, a = f1_acc(loto_pred, gold)
    print(f"| ours, reuse from the source, SPAN_WORDS from the other tasks {loto_spans} | {f:.3f} | {a:.3f} |\n")
    print("Reuse of the text from its source >= DERIVED_SHARE, by copied-run length:\n")
    print("| SPAN_WORDS | F1 (derived) | accuracy |")
    print("| --- | --- | --- |")
    for span, pred in by_span.items():
        f, a = f1_acc(pred, gold)
        print(f"| {span} | {f:.3f} | {a:.3f} |")
    f, a = f1_acc(previous, gold)
    print(f"| previous share (compare's sentence alignment, uncorroborated) | {f:.3f} | {a:.3f} |")
    engine.close()


if __name__ == "__main__":
    main()
