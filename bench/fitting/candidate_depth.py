"""Does a page of 10 lose on FNC-1 dev because it is ranked on less evidence than a page of
20 (issue 21)? `sources` retrieves ``candidate_depth(limit)`` candidates of each searcher
(index/search/retrieval.py) and re-judges ``rerank_pool(limit)`` of them on their windows
(index/search/ranking.py): both grow with the limit. Each pair of ``GRID`` is run at
limit 10 on the development halves only (not replayed: retrieval itself changes):

- FNC-1 dev (bench/data/fnc1.py): MAP@5 of agreeing bodies for the 245 headlines with one;
- claims-dev (bench/data/claims.py): MAP@5 of gold claims for the 199 Dev tweets;

then the shipped pair of limit 20, with the MAP@5 of its first 10 hits (is the page of 20
better ranked, or only longer?), beside the baselines cut to their own first 10 and 20
articles (what a page of the same size of each would score).

    python -m bench.fitting.candidate_depth [--fnc-home DIR] [--claims-home DIR]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from bench.data import claims as claims_data
from bench.data import fnc1 as fnc_data
from bench.quality import answers as read
from bench.quality.fnc1 import article_order, baseline_rankings, map_at_5
from bench.quality.measures import average_precision_at
from index.search import ranking, retrieval

LIMIT = 10
# (candidates of each searcher, passages judged on their windows); the shipped pairs are
# those of limit 10 (80, 20) and of limit 20 (160, 40).
GRID = ((40, 10), (40, 20), (60, 20), (80, 10), (80, 20), (80, 40), (120, 20), (160, 20), (160, 40))


def fixed(depth: int, pool: int) -> None:
    """Make every limit retrieve ``depth`` candidates and re-judge ``pool`` (this process only)."""
    retrieval.candidate_depth = lambda limit: depth
    ranking.rerank_pool = lambda limit: pool


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fnc-home", type=Path, help="FNC-1 dev engine home (default: bench/data/fnc1.py's)")
    parser.add_argument("--claims-home", type=Path, default=claims_data.DEFAULT_HOME)
    args = parser.parse_args()
    shipped = retrieval.candidate_depth, ranking.rerank_pool

    fs = fnc_data.load(fnc_data.DATA, args.fnc_home)
    headlines = [h for h in fs.headlines if fs.labelled(h, "agree")]
    cs = claims_data.load(claims_data.DATA, args.claims_home)
    tweets = [t for t in cs.dev if t in cs.queries]

    def fnc(limit: int, hits: int | None = None) -> float:
        answers = read.answers_json(fs.engine, headlines, limit)
        return map_at_5(fs, {h: article_order({"results": a["results"][:hits]}) for h, a in zip(headlines, answers)})

    def claims(limit: int) -> float:
        answers = read.answers_json(cs.engine, [cs.queries[t] for t in tweets], limit)
        return float(np.mean([average_precision_at(list(dict.fromkeys(
            v for a in article_order(answer) for v in cs.claim_of_article.get(a, []))), cs.dev[t])
            for t, answer in zip(tweets, answers)]))

    print(f"FNC-1 dev: {len(headlines)} headlines; claims-dev: {len(tweets)} Dev tweets; limit {LIMIT}\n")
    print("| candidates of each searcher | judged on windows | FNC-1 dev MAP@5 | claims-dev MAP@5 |\n| --- | --- | --- | --- |")
    for depth, pool in GRID:
        fixed(depth, pool)
        mark = " (shipped)" if (depth, pool) == (shipped[0](LIMIT), shipped[1](LIMIT)) else ""
        print(f"| {depth} | {pool}{mark} | {fnc(LIMIT):.4f} | {claims(LIMIT):.4f} |", flush=True)
    retrieval.candidate_depth, ranking.rerank_pool = shipped

    print(f"\nlimit 20 as shipped ({shipped[0](20)} candidates, {shipped[1](20)} judged on windows): "
          f"FNC-1 dev MAP@5 {fnc(20):.4f}, of its first {LIMIT} hits {fnc(20, LIMIT):.4f}")
    baselines = baseline_rankings(fs, headlines)
    print(f"\n| baseline | all articles | its first {LIMIT} articles | its first 20 |\n| --- | --- | --- | --- |")
    for name, ranked in baselines.items():
        print(f"| {name} | {map_at_5(fs, ranked):.4f} | " + " | ".join(
            f"{map_at_5(fs, {h: r[:n] for h, r in ranked.items()}):.4f}" for n in (LIMIT, 20)) + " |")

    # Where the page loses to a whole ranking: FNC-1's rule drops the headline's unpaired
    # story bodies, and a page left with fewer than 5 scored bodies cannot fill its top 5.
    page = {h: article_order(a) for h, a in zip(headlines, read.answers_json(fs.engine, headlines, LIMIT))}
    short = {h for h in headlines if len(fs.ranked(h, page[h])) < 5}
    print(f"\n| headlines (limit {LIMIT}) | n | `sources` | " + " | ".join(f"{name}: all / first {LIMIT}" for name in baselines)
          + " |\n|" + " --- |" * (3 + len(baselines)))

    def on_part(ranked: dict[str, list[str]], part: set[str]) -> str:
        return f"{np.mean([average_precision_at(fs.ranked(h, ranked[h]), fs.labelled(h, 'agree')) for h in part]):.4f}"

    for label, part in (("fewer than 5 scored bodies on the page", short), ("5 or more", set(headlines) - short)):
        print(f"| {label} | {len(part)} | {on_part(page, part)} | " + " | ".join(
            f"{on_part(r, part)} / {on_part({h: x[:LIMIT] for h, x in r.items()}, part)}" for r in baselines.values())
              + " |")


if __name__ == "__main__":
    main()
