"""Benchmarks of compare and lineage; prints markdown.

(a) threshold calibration on tests/data/alignment_pairs.jsonl: precision and recall of
    the verbatim and reworded decisions, and the rules that chose the thresholds;
(b) compare of two ~2,000-word articles against the raw model encode of their passages;
(c) lineage of one article in a corpus of 10,000 synthetic articles (random unit vectors
    written straight into Chroma and the registry, no model).

Run: .venv/bin/python bench/bench_compare.py [a] [b] [c]  (all three by default; a few
minutes on 2 CPU cores). (b) also times the compare before issue 12 on the same articles.
"""
from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import baseline_compare  # noqa: E402
from index.compare.comparison import (
    MIN_CONTAINED_WORDS,
    REWORDED_SIMILARITY,
    VERBATIM_RATIO,
    compare_articles,
    verbatim_matrix,
)
from index.config import Settings  # noqa: E402
from index.engine import Engine  # noqa: E402
from index.ingest.passages import split_passages  # noqa: E402
from index.records import Metadata  # noqa: E402
from index.store.chroma import passage_id  # noqa: E402
from index.text.words import normalized  # noqa: E402
from index.stories.lineage import lineage  # noqa: E402

PAIRS = ROOT / "tests" / "data" / "alignment_pairs.jsonl"
SAMPLE = ROOT / "sample_corpus"
SYNTHETIC_ARTICLES = 10_000
SYNTHETIC_PASSAGES = 6
RUNS = 7


def median_time(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def prf(predicted: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    tp = int((predicted & truth).sum())
    precision = tp / max(int(predicted.sum()), 1)
    recall = tp / max(int(truth.sum()), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return precision, recall, f1


# -- (a) calibration ------------------------------------------------------------------------


def calibration(engine: Engine) -> None:
    rows = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    labels = np.array([r["label"] for r in rows])
    va = engine.embedder.encode([r["a"] for r in rows])
    vb = engine.embedder.encode([r["b"] for r in rows])
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

    print("## (a) Threshold calibration\n")
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


# -- (b) compare time ------------------------------------------------------------------------


FILLER_WORDS = (
    "council budget harbour winter school road committee report minister village market river "
    "station hospital plan vote museum weather transport housing farmers police court library "
    "evening morning residents officials week month year local national regional new old"
).split()


def filler_sentence(rng: random.Random) -> str:
    words = [rng.choice(FILLER_WORDS) for _ in range(rng.randint(10, 22))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def sentences_of(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [text[s.start : s.end] for s in split_passages(text)]


def build_pair(words_target: int = 2000) -> tuple[str, str]:
    rng = random.Random(7)
    original = sentences_of(SAMPLE / "000_1929e489469e94e8.txt")
    other = sentences_of(SAMPLE / "003_31c3cd67ccc5e9e6.txt")
    a_sentences, b_sentences = [], []
    while sum(len(s.split()) for s in a_sentences) < words_target:
        s = rng.choice(original) if rng.random() < 0.4 else filler_sentence(rng)
        a_sentences.append(s)
        roll = rng.random()
        if roll < 0.4:
            b_sentences.append(s)  # carried over verbatim
        elif roll < 0.6:
            b_sentences.append(s.replace("President ", "").replace("‘", '"').replace("’", '"'))
        elif roll < 0.8:
            b_sentences.append(rng.choice(other))
        else:
            b_sentences.append(filler_sentence(rng))
    paragraphs = lambda ss: "\n\n".join(" ".join(ss[i : i + 3]) for i in range(0, len(ss), 3)) + "\n"  # noqa: E731
    return paragraphs(a_sentences), paragraphs(b_sentences)


def compare_time(engine: Engine) -> None:
    text_a, text_b = build_pair()
    ids = [engine.ingest_bytes(t.encode("utf-8"), name)[0].article_id for t, name in ((text_a, "a.txt"), (text_b, "b.txt"))]
    passages = [q.text for aid in ids for q in engine.passages(aid)]
    compare_articles(engine.store, ids[0], ids[1])  # warm caches (imports, SQLite pages)
    t_compare = median_time(lambda: compare_articles(engine.store, ids[0], ids[1]))
    old = lambda: baseline_compare.compare_docs(*(baseline_compare.load_doc(engine, i) for i in ids))  # noqa: E731
    old()
    t_before = median_time(old)
    t_encode = median_time(lambda: engine.embedder.encode(passages), runs=3)
    result = compare_articles(engine.store, ids[0], ids[1])
    print("## (b) Compare time\n")
    print(f"Two articles of {len(text_a.split())} and {len(text_b.split())} words, {len(passages)} passages in all; "
          f"{len(result.pairs)} pairs, {len(result.quote_changes)} quote changes.\n")
    print("| what | median seconds |")
    print("| --- | --- |")
    print(f"| compare (from stored vectors, {RUNS} runs) | {t_compare:.4f} |")
    print(f"| compare before issue 12 (bench/baseline_compare.py, same articles, {RUNS} runs) | {t_before:.4f} |")
    print(f"| ratio compare now / before | {t_compare / t_before:.2f} |")
    print(f"| embedder.encode of the same passages (3 runs) | {t_encode:.4f} |")
    print(f"| ratio compare / encode | {t_compare / t_encode:.3f} |\n")


# -- (c) lineage in a large corpus -------------------------------------------------------------


def insert_synthetic(engine: Engine, n: int, dims: int) -> float:
    rng = np.random.default_rng(3)
    text = " ".join(f"Synthetic sentence number {k} about nothing in particular." for k in range(SYNTHETIC_PASSAGES))
    spans = split_passages(text)
    now = datetime.now(timezone.utc).isoformat()
    started = time.perf_counter()
    batch_ids, batch_vecs, batch_meta = [], [], []
    for i in range(n):
        aid = f"syn{i:013d}"
        vecs = rng.standard_normal((len(spans), dims)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        batch_ids += [passage_id(aid, k) for k in range(len(spans))]
        batch_vecs.append(vecs)
        batch_meta += [{"article_id": aid, "idx": k, "outlet": ""} for k in range(len(spans))]
        engine.article_db.add_articles([(aid, text + f" {i}", Metadata(), spans, now, "synthetic")])
        if len(batch_ids) >= 5000 or i == n - 1:
            engine.vectors._handle().upsert(ids=batch_ids, embeddings=np.vstack(batch_vecs), metadatas=batch_meta)
            batch_ids, batch_vecs, batch_meta = [], [], []
    return time.perf_counter() - started


def lineage_time(engine: Engine) -> None:
    original = next(a.article_id for a in engine.articles() if (a.source_name or "").startswith("000"))
    dims = engine.passage_vectors(original).shape[1]
    setup = insert_synthetic(engine, SYNTHETIC_ARTICLES, dims)
    lineage(engine.store, original)
    t = median_time(lambda: lineage(engine.store, original), runs=5)
    result = lineage(engine.store, original)
    print("## (c) Lineage time\n")
    print(f"Corpus: {engine.article_db.count():,} articles, {engine.vectors.count():,} passage vectors "
          f"({SYNTHETIC_ARTICLES:,} synthetic, inserted in {setup:.1f} s). Story found: "
          f"{len(result.related)} other articles (the two rewrites and the two articles of (b), built "
          f"from the original's sentences), origin {result.origin}.\n")
    print("| what | median seconds |")
    print("| --- | --- |")
    print(f"| lineage of the sample original (5 runs) | {t:.4f} |\n")


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        engine = Engine(Settings.from_env(home), "bench")
        engine.ingest([SAMPLE])
        print("# bench_compare\n")
        sections = sys.argv[1:] or ["a", "b", "c"]  # e.g. "b" for compare time only
        if "a" in sections:
            calibration(engine)
        if "b" in sections:
            compare_time(engine)
        if "c" in sections:
            lineage_time(engine)
        engine.close()


if __name__ == "__main__":
    main()
