"""The compare page's cost next to the compare it renders: the ~2,000-word pair of
bench/speed/compare.py, compared from stored vectors, then built as HTML
(index/pictures/compare_page.py). Prints markdown: median seconds of each, their ratio, page bytes.

    python -m bench.speed.compare_page
"""
from __future__ import annotations

import tempfile

from bench.speed.compare import RUNS, build_pair
from bench.speed.timing import median_time
from index import Engine, Settings, compare_page
from index.compare.comparison import compare_articles


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        engine = Engine(Settings.from_env(home), "bench")
        text_a, text_b = build_pair()
        ids = [engine.ingest_bytes(t.encode("utf-8"), name)[0].article_id for t, name in ((text_a, "a.txt"), (text_b, "b.txt"))]
        result = compare_articles(engine.store, ids[0], ids[1])  # warm caches
        t_compare = median_time(lambda: compare_articles(engine.store, ids[0], ids[1]), RUNS)[0]
        t_page = median_time(lambda: compare_page(result), RUNS)[0]
        size = len(compare_page(result).encode("utf-8"))
        engine.close()
    print("# speed.compare_page\n")
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
