"""The compare page's cost next to the compare it renders: the ~2,000-word pair of
bench/bench_compare.py (b), compared from stored vectors, then built as HTML
(index/compare_page.py). Prints markdown: median seconds of each, their ratio, page bytes.

Run: .venv/bin/python -m bench.bench_compare_page
"""
from __future__ import annotations

import tempfile

from bench.bench_compare import RUNS, build_pair, median_time
from index.compare.comparison import compare_articles
from index.config import Settings
from index.engine import Engine
from index.pictures.compare_page import compare_page


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        engine = Engine(Settings.from_env(home), "bench")
        text_a, text_b = build_pair()
        ids = [engine.ingest_bytes(t.encode("utf-8"), name)[0].article_id for t, name in ((text_a, "a.txt"), (text_b, "b.txt"))]
        result = compare_articles(engine.store, ids[0], ids[1])  # warm caches
        t_compare = median_time(lambda: compare_articles(engine.store, ids[0], ids[1]))
        t_page = median_time(lambda: compare_page(result))
        size = len(compare_page(result).encode("utf-8"))
        engine.close()
    print("# bench_compare_page\n")
    print(f"Two articles of {len(text_a.split())} and {len(text_b.split())} words; {len(result.pairs)} pairs, "
          f"{len(result.only_a)} only in A, {len(result.only_b)} only in B.\n")
    print("| what | median seconds |")
    print("| --- | --- |")
    print(f"| compare (from stored vectors, {RUNS} runs) | {t_compare:.4f} |")
    print(f"| compare_page of its result ({RUNS} runs) | {t_page:.4f} |")
    print(f"| ratio page / compare | {t_page / t_compare:.3f} |")
    print(f"| page size | {size:,} bytes |")


if __name__ == "__main__":
    main()
