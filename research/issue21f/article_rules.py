"""Article-ranking rules of `sources` compared on FNC-1 dev and claims-dev, from one
retrieval pass each: ``rank_articles`` is wrapped to record its input (the pool judged on
its windows, propagated; the whole-article BM25 order), then each rule re-ranks a copy and
the rest of ``rank_hits`` (per-article cap, limit, statement groups) runs as shipped.

    python research/issue21f/article_rules.py --fnc-home DIR --claims-home DIR [--limit 10] [--train]
"""
from __future__ import annotations

import argparse
import copy
import pickle
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.data import claims as claims_data  # noqa: E402
from bench.data import fnc1 as fnc_data  # noqa: E402
from bench.quality.measures import average_precision_at  # noqa: E402
from index.search import ranking  # noqa: E402
from index.search.judge import TextEvidence, fitted_model  # noqa: E402
from index.search.query_text import retrieval_text  # noqa: E402
from index.search.results import STATING  # noqa: E402
from index.search.searchers import RRF_K  # noqa: E402
from index.search.statement_groups import group_statements  # noqa: E402


def record(engine, queries: list[str], limit: int) -> list[tuple]:
    calls: list[tuple] = []
    original = ranking.rank_articles

    def wrapped(scored, article_ranking):
        calls.append((copy.deepcopy(scored), list(article_ranking)))
        return original(scored, article_ranking)

    ranking.rank_articles = wrapped
    try:
        answers = engine.sources_many(queries, limit=limit)
    finally:
        ranking.rank_articles = original
    assert len(calls) == len(queries)
    shipped = [list(dict.fromkeys(h.article.article_id for h in a.results)) for a in answers]
    return [(retrieval_text(q), s, r, o) for q, (s, r), o in zip(queries, calls, shipped)]


# --- rules: (scored, article_ranking) -> scored in the new order ---------------------------

def by_article(scored):
    out: dict[str, list] = {}
    for s in sorted(scored, key=ranking._judge_order):
        out.setdefault(s.hit.article.article_id, []).append(s)
    return out


def rule(judged: float, lexical: float, stating_first: str = "all", min_conf: float = 0.0, second: float = 0.0,
         dense: float = 0.0, by_p: bool = False):
    """stating_first: 'all' (shipped), 'none' (plain fusion), 'conf' (stating first only when
    verbatim or confidence >= min_conf). second: weight of the article's second passage rank."""
    def apply(scored, article_ranking):
        groups = by_article(scored)
        bm25 = {aid: rank for rank, aid in enumerate(article_ranking)}
        judged_order = sorted(groups, key=lambda a: -(groups[a][0].hit.confidence or 0.0)) if by_p else list(groups)
        judge_rank = {aid: r for r, aid in enumerate(judged_order)}
        dense_order = sorted(groups, key=lambda a: -max(s.hit.similarity for s in groups[a]))
        dense_rank = {aid: r for r, aid in enumerate(dense_order)}
        # rank of each article's second passage among all second passages (judge order)
        seconds = sorted((aid for aid in groups if len(groups[aid]) > 1),
                         key=lambda a: ranking._judge_order(groups[a][1]))
        second_rank = {aid: r for r, aid in enumerate(seconds)}

        def score(aid):
            v = judged / (RRF_K + judge_rank[aid] + 1)
            if aid in bm25:
                v += lexical / (RRF_K + bm25[aid] + 1)
            if dense:
                v += dense / (RRF_K + dense_rank[aid] + 1)
            if second and aid in second_rank:
                v += second / (RRF_K + second_rank[aid] + 1)
            return v

        def first_class(aid):
            best = groups[aid][0].hit
            if stating_first == "none" or best.match not in STATING:
                return False
            if stating_first == "all":
                return True
            return best.match == "verbatim" or (best.confidence or 0.0) >= min_conf

        order = sorted(groups, key=lambda a: (not first_class(a), -score(a), judge_rank[a]))
        return [s for a in order for s in groups[a]]
    return apply


def answer_order(rec, apply, limit: int, model, cap: int = ranking.PER_ARTICLE_CAP) -> list[str]:
    query, scored, article_ranking, _ = rec
    scored = apply(copy.deepcopy(scored), article_ranking)
    scored = ranking.diversify(scored, lambda s: s.hit.article.article_id, cap)
    hits = group_statements(scored[:limit], model, TextEvidence.of(query))
    return list(dict.fromkeys(h.article.article_id for h in hits))


def fnc_map(fs, headlines, orders) -> list[float]:
    return [average_precision_at(fs.ranked(h, o), fs.labelled(h, "agree")) for h, o in zip(headlines, orders)]


def claims_map(cs, ids, orders) -> list[float]:
    out = []
    for t, o in zip(ids, orders):
        ranked = list(dict.fromkeys(v for a in o for v in cs.claim_of_article.get(a, [])))
        out.append(average_precision_at(ranked, cs.dev.get(t) or cs.train.get(t)))
    return out


def rules():
    out = {}
    # results/rules_cap2_cap1.txt: the shipped cap (2) and one passage per article first (1)
    for cap in (2, 1):
        out[(f"stating first, (3,1) within (shipped rule), cap {cap}", cap)] = rule(3, 1)
        for wj, wl in ((1, 1), (3, 1), (1, 2)):
            out[(f"stating first, ({wj},{wl}), cap {cap}", cap)] = rule(wj, wl)
            out[(f"plain fusion ({wj},{wl}), cap {cap}", cap)] = rule(wj, wl, "none")
            out[(f"stating first if p>=0.9, ({wj},{wl}), cap {cap}", cap)] = rule(wj, wl, "conf", 0.9)
    # results/rules_cap1_dense.txt: cap 1, the judge rank by order or by p, the dense rank added
    cap = 1
    out[("shipped rule, cap 1", 1)] = rule(3, 1)
    for wj, wl, wd in ((1, 1, 0), (3, 1, 1), (1, 1, 1), (2, 2, 1), (3, 2, 1), (3, 3, 1)):
        out[(f"stating first, judge order, ({wj},{wl},{wd})", cap)] = rule(wj, wl, dense=wd)
        out[(f"plain fusion, judge by p, ({wj},{wl},{wd})", cap)] = rule(wj, wl, "none", dense=wd, by_p=True)
        out[(f"stating first, judge by p, ({wj},{wl},{wd})", cap)] = rule(wj, wl, dense=wd, by_p=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fnc-home", type=Path, required=True)
    parser.add_argument("--claims-home", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/r21f/records"))
    parser.add_argument("--train", action="store_true", help="also claims-dev Train tweets")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    model = fitted_model()
    fs = fnc_data.load(fnc_data.DATA, args.fnc_home)
    headlines = [h for h in fs.headlines if fs.labelled(h, "agree")]
    path = args.cache / f"fnc-{args.limit}.pkl"
    if path.exists():
        fnc_recs = pickle.loads(path.read_bytes())
    else:
        fnc_recs = record(fs.engine, headlines, args.limit)
        path.write_bytes(pickle.dumps(fnc_recs))
    cs = claims_data.load(claims_data.DATA, args.claims_home)
    ids = [t for t in cs.dev if t in cs.queries]
    if args.train:
        ids += [t for t in cs.train if t in cs.queries]
    path = args.cache / f"claims-{args.limit}-{len(ids)}.pkl"
    if path.exists():
        cl_recs = pickle.loads(path.read_bytes())
    else:
        cl_recs = record(cs.engine, [cs.queries[t] for t in ids], args.limit)
        path.write_bytes(pickle.dumps(cl_recs))
    ndev = len([t for t in cs.dev if t in cs.queries])
    # FNC-1 halves: headlines split by a fixed hash-free rule (alternate by sorted order)
    half = np.array([i % 2 for i, _ in enumerate(sorted(range(len(headlines)), key=lambda i: headlines[i]))])
    half = np.empty(len(headlines), int)
    for pos, i in enumerate(sorted(range(len(headlines)), key=lambda i: headlines[i])):
        half[i] = pos % 2
    print(f"FNC-1: {len(headlines)} headlines; claims: {len(ids)} tweets ({ndev} dev); limit {args.limit}\n")
    shipped_fnc = np.mean(fnc_map(fs, headlines, [r[3] for r in fnc_recs]))
    shipped_cl = np.mean(claims_map(cs, ids[:ndev], [r[3] for r in cl_recs[:ndev]]))
    print(f"as answered (check of the replay): FNC-1 {shipped_fnc:.4f}, claims dev {shipped_cl:.4f}\n")
    print("| rule | FNC-1 | FNC half A | FNC half B | claims dev | claims train |\n|---|---|---|---|---|---|")
    for (name, cap), apply in rules().items():
        f = np.array(fnc_map(fs, headlines, [answer_order(r, apply, args.limit, model, cap) for r in fnc_recs]))
        c = np.array(claims_map(cs, ids, [answer_order(r, apply, args.limit, model, cap) for r in cl_recs]))
        train = f"{c[ndev:].mean():.4f}" if len(c) > ndev else "-"
        print(f"| {name} | {f.mean():.4f} | {f[half == 0].mean():.4f} | {f[half == 1].mean():.4f} | "
              f"{c[:ndev].mean():.4f} | {train} |", flush=True)


if __name__ == "__main__":
    main()
