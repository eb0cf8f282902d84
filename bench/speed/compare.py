"""Compare and lineage against same-run baselines; prints markdown.

compare: two ~2,000-word articles (``build_pair``: sentences of the sample original,
    carried over, edited or replaced, and filler), compared from stored vectors, against
    the raw model encode of their passages and against the compare before issue 12 (loaded
    from git history, bench/history.py) on the same articles;
lineage: lineage of the sample original in a corpus of 10,000 synthetic articles (random
    unit vectors written straight into Chroma and the registry, no model).

    python -m bench.speed.compare [compare] [lineage]  (both by default; a few minutes on 2 CPU cores)

The thresholds' calibration on tests/data/alignment_pairs.jsonl: bench/fitting/compare_thresholds.py.
"""
from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

from bench.data.synthetic_vectors import insert_synthetic
from bench.history import BEFORE_ISSUE_12, compare_before_issue_12
from bench.speed.timing import median_time
from index import Engine, Settings
from index.compare.comparison import compare_articles
from index.ingest.passages import split_passages
from index.stories.lineage import lineage

SAMPLE = Path(__file__).resolve().parents[2] / "sample_corpus"
SYNTHETIC_ARTICLES = 10_000
RUNS = 7


# -- compare time ---------------------------------------------------------------------------


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
    t_compare = median_time(lambda: compare_articles(engine.store, ids[0], ids[1]), RUNS)[0]
    previous = compare_before_issue_12()
    old = lambda: previous.compare_docs(*(previous.load_doc(engine.store, i) for i in ids))  # noqa: E731
    old()
    t_before = median_time(old, RUNS)[0]
    t_encode = median_time(lambda: engine.embedder.encode(passages), runs=3)[0]
    result = compare_articles(engine.store, ids[0], ids[1])
    print("## Compare time\n")
    print(f"Two articles of {len(text_a.split())} and {len(text_b.split())} words, {len(passages)} passages in all; "
          f"{len(result.pairs)} pairs, {len(result.quote_changes)} quote changes.\n")
    print("| what | median seconds |")
    print("| --- | --- |")
    print(f"| compare (from stored vectors, {RUNS} runs) | {t_compare:.4f} |")
    print(f"| compare before issue 12 ({BEFORE_ISSUE_12}, from git history; same articles, {RUNS} runs) | {t_before:.4f} |")
    print(f"| ratio compare now / before | {t_compare / t_before:.2f} |")
    print(f"| embedder.encode of the same passages (3 runs) | {t_encode:.4f} |")
    print(f"| ratio compare / encode | {t_compare / t_encode:.3f} |\n")


# -- lineage in a large corpus ---------------------------------------------------------------


def lineage_time(engine: Engine) -> None:
    original = next(a.article_id for a in engine.articles() if (a.source_name or "").startswith("000"))
    dims = engine.passage_vectors(original).shape[1]
    setup = insert_synthetic(engine, SYNTHETIC_ARTICLES, dims)
    lineage(engine.store, original)
    t = median_time(lambda: lineage(engine.store, original), runs=5)[0]
    result = lineage(engine.store, original)
    print("## Lineage time\n")
    print(f"Corpus: {engine.article_db.count():,} articles, {engine.vectors.count():,} passage vectors "
          f"({SYNTHETIC_ARTICLES:,} synthetic, inserted in {setup:.1f} s). Story found: "
          f"{len(result.related)} other articles (the two rewrites and, after the compare section, its two articles, built "
          f"from the original's sentences), origin {result.origin}.\n")
    print("| what | median seconds |")
    print("| --- | --- |")
    print(f"| lineage of the sample original (5 runs) | {t:.4f} |")
    print(f"| of which: credits, attribution changes and sourcing of its members (issue 24) | "
          f"{median_time(lambda: credit_and_sourcing(engine, result), runs=5)[0]:.4f} |\n")


def credit_and_sourcing(engine: Engine, result) -> None:
    """What lineage spends on issue 24 for this story: each member's sourcing profile and
    credit, with compare's quotation changes of each rewrite from its parent."""
    from index.compare.comparison import load_doc
    from index.stories.credits import article_credit
    from index.stories.lineage import _changes_from_parent
    from index.stories.outlet_names import OutletNames
    from index.stories.sourcing import article_sourcing

    names = OutletNames(engine.store.article_db)
    entries = [(result.article.article_id, result.role, result.derived_from)] + [
        (e.article.article_id, e.relation, e.derived_from) for e in result.related]
    docs = {aid: load_doc(engine.store, aid) for aid, _, _ in entries}
    docs.update({p: load_doc(engine.store, p) for _, _, p in entries if p and p not in docs})
    for aid, relation, parent in entries:
        derived = relation == "derived"
        changes = _changes_from_parent(docs, {aid: (parent, None)}, aid) if derived else ()
        article_credit(engine.store, names, aid, result.origin, derived, changes)
        article_sourcing(engine.store, aid)


def main() -> None:
    sections = sys.argv[1:] or ["compare", "lineage"]
    with tempfile.TemporaryDirectory() as home:
        engine = Engine(Settings.from_env(home), "bench")
        engine.ingest([SAMPLE])
        print("# speed.compare\n")
        if "compare" in sections:
            compare_time(engine)
        if "lineage" in sections:
            lineage_time(engine)
        engine.close()


if __name__ == "__main__":
    main()
