"""Choose the weights of the shipped fusion (FUSION_WEIGHTS, index/search/ranking.py) on the Train
QRELs of claims-dev only: one retrieval pass (dense and BM25 candidates, as `sources`
gets them), then MAP@5 over claim ids of weighted reciprocal-rank fusion for a small grid
of weights. Rule: the best training MAP@5; ties go to equal weights.

    python -m bench.fitting.fusion_weights [--home DIR]
"""
from __future__ import annotations

import argparse
from pathlib import Path

from bench.data.claims import DEFAULT_HOME, average_precision_at, load
from index.search.query_text import retrieval_text
from index.search.searchers import RRF_K

GRID = ((1.0, 1.0), (1.5, 1.0), (2.0, 1.0), (3.0, 1.0), (4.0, 1.0), (6.0, 1.0), (8.0, 1.0), (12.0, 1.0), (1.0, 1.5), (1.0, 2.0), (1.0, 0.0), (0.0, 1.0))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, default=DEFAULT_HOME)
    args = parser.parse_args()
    cs = load(home=args.home)
    engine = cs.engine
    ids = [t for t in cs.train if t in cs.queries]
    cleaned = [retrieval_text(cs.queries[t]) for t in ids]
    depth = 80
    dense_all = engine.vectors.query(engine.embedder.encode(cleaned), depth)
    lexical_all = [engine.article_db.lexical_search(q, depth) for q in cleaned]
    print(f"{len(ids)} training tweets\n\n| dense weight | BM25 weight | MAP@5 (train) |\n| --- | --- | --- |")
    best = None
    for wd, wl in GRID:
        total = 0.0
        for tid, dense, lexical in zip(ids, dense_all, lexical_all):
            fused: dict[tuple[str, int], float] = {}
            for rank, h in enumerate(dense):
                fused[(h.article_id, h.idx)] = fused.get((h.article_id, h.idx), 0.0) + wd / (RRF_K + rank + 1)
            for rank, (aid, idx, _) in enumerate(lexical):
                fused[(aid, idx)] = fused.get((aid, idx), 0.0) + wl / (RRF_K + rank + 1)
            ranked: list[str] = []
            for aid, _ in sorted(fused, key=lambda k: -fused[k]):
                for vid in cs.claim_of_article.get(aid, []):
                    if vid not in ranked:
                        ranked.append(vid)
            total += average_precision_at(ranked, cs.train[tid])
        m = total / len(ids)
        print(f"| {wd} | {wl} | {m:.4f} |")
        if best is None or m > best[0] + 1e-9:
            best = (m, wd, wl)
    print(f"\nbest: dense {best[1]}, BM25 {best[2]} (MAP@5 {best[0]:.4f})")


if __name__ == "__main__":
    main()
