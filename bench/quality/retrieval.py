"""Retrieval quality: recall@1 and recall@5 of lexical alone, dense alone and the fused
ranking, on (a) hand-written claims against the sample corpus and (b) reworded claims
against a synthetic corpus with many look-alike sentences.

recall@k = |relevant passages in the top k| / min(k, |relevant passages|), averaged over
queries (so recall@1 is "the first hit is relevant").

    python -m bench.quality.retrieval [--synthetic N]
"""
from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path

from index import Engine, Settings
from index.search.searchers import DenseSearcher, HybridSearcher, LexicalSearcher
from tests.support import synthetic

ROOT = Path(__file__).resolve().parents[2]


def recall_at(hits: list[tuple[str, int, int]], relevant: set[tuple[str, int, int]], k: int) -> float:
    found = sum(1 for h in hits[:k] if h in relevant)
    return found / min(k, len(relevant))


def evaluate(engine: Engine, queries: list[str], relevant: list[set]) -> dict[str, tuple[float, float]]:
    out = {}
    dense, lexical = DenseSearcher(engine.vectors), LexicalSearcher(engine.article_db)
    for mode, searcher in (("lexical", lexical), ("dense", dense), ("rrf", HybridSearcher(dense, lexical)),
                           ("fused", None)):
        answers = engine.sources_many(queries, limit=5, searcher=searcher)
        r1 = r5 = 0.0
        for answer, rel in zip(answers, relevant):
            hits = [(h.quote.article_id, h.quote.start, h.quote.end) for h in answer.results]
            r1 += recall_at(hits, rel, 1)
            r5 += recall_at(hits, rel, 5)
        out[mode] = (r1 / len(queries), r5 / len(queries))
    return out


def sample_set(engine: Engine) -> tuple[list[str], list[set]]:
    ids = {r.path.rsplit("/", 1)[-1][:3]: r.article_id for r in engine.ingest([ROOT / "sample_corpus"])}
    passages = {prefix: engine.passages(aid) for prefix, aid in ids.items()}
    queries, relevant = [], []
    for line in (ROOT / "bench/data/sample_queries.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        rel = set()
        for prefix, needle in item["relevant"]:
            matches = [q for q in passages[prefix] if needle in q.text]
            if not matches:
                raise SystemExit(f"labelled passage not found: {prefix} {needle!r}")
            rel.update((q.article_id, q.start, q.end) for q in matches)
        queries.append(item["query"])
        relevant.append(rel)
    return queries, relevant


def synthetic_set(engine: Engine, n_articles: int, n_queries: int = 150) -> tuple[list[str], list[set]]:
    articles = synthetic.build(n_articles)
    with tempfile.TemporaryDirectory() as tmp:
        results = engine.ingest([synthetic.write_jsonl(articles, Path(tmp) / "synthetic.jsonl")])
    # Every sentence whose rewording is the query is relevant: two sentences can differ
    # only in what the rewording leaves out (who said it), and neither is wrong.
    by_rewording: dict[str, set] = {}
    for article, result in zip(articles, results):
        if result.status != "added":
            continue
        quotes = {q.text: q for q in engine.passages(result.article_id)}
        for sentence, rewording in article.facts:
            q = quotes[sentence]
            by_rewording.setdefault(rewording, set()).add((q.article_id, q.start, q.end))
    rng = random.Random(5)
    queries = rng.sample(sorted(by_rewording), n_queries)
    return queries, [by_rewording[q] for q in queries]


def table(title: str, scores: dict[str, tuple[float, float]], n: int) -> str:
    rows = [f"**{title}** ({n} queries)", "", "| ranking | recall@1 | recall@5 |", "| --- | --- | --- |"]
    rows += [f"| {mode} | {r1:.3f} | {r5:.3f} |" for mode, (r1, r5) in scores.items()]
    return "\n".join(rows)


def label_calibration(engine: Engine, queries: list[str], relevant: list[set]) -> str:
    """Precision/recall of calling a retrieved passage a statement of the claim (verbatim
    or close) over the top 10 of each query: the fixed cosine cut-offs used before the
    fitted judge, and the shipped judge, on the same hits."""
    from bench.quality.claims import old_label

    pairs = []  # (similarity, old verbatim, shipped label says it states, is_relevant)
    for query, answer, rel in zip(queries, engine.sources_many(queries, limit=10), relevant):
        for h in answer.results:
            key = (h.quote.article_id, h.quote.start, h.quote.end)
            pairs.append((h.similarity, old_label(query, h.quote.text, 0.0) == "verbatim",
                          h.match in ("verbatim", "close"), key in rel))
    rows = ["| labels | precision | recall |", "| --- | --- | --- |"]
    total_rel = sum(1 for *_, r in pairs if r)
    for t in (0.6, 0.65, 0.7, 0.75):
        said = [(v or s >= t, r) for s, v, _, r in pairs]
        tp = sum(1 for p, r in said if p and r)
        n_pos = sum(1 for p, _ in said if p)
        mark = " (before)" if t == 0.7 else ""
        rows.append(f"| cosine >= {t:.2f}{mark} | {tp / max(1, n_pos):.3f} | {tp / max(1, total_rel):.3f} |")
    tp = sum(1 for *_, p, r in pairs if p and r)
    n_pos = sum(1 for *_, p, _ in pairs if p)
    rows.append(f"| fitted judge (shipped) | {tp / max(1, n_pos):.3f} | {tp / max(1, total_rel):.3f} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--synthetic", type=int, default=300, help="synthetic articles (default 300)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        settings = Settings.from_env(home)
        sample = Engine(settings, "sample")
        q, rel = sample_set(sample)
        print(table("Sample corpus, hand-written claims", evaluate(sample, q, rel), len(q)))
        print("\n**Match labels on the sample corpus** (a passage labelled verbatim or close "
              "should be a labelled statement of the claim)\n")
        print(label_calibration(sample, q, rel))
        print()
        engine = Engine(settings, "synthetic")
        q, rel = synthetic_set(engine, args.synthetic)
        print(table(f"Synthetic corpus ({args.synthetic} articles), reworded claims", evaluate(engine, q, rel), len(q)))


if __name__ == "__main__":
    main()
