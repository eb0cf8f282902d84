"""Do paragraph windows help retrieval? Dense ranking of sentence passages by the
sentence's own vector, by its paragraph's vector, and by a mix of both, on the labelled
sets of bench/quality/retrieval.py (exact search in memory, same model, same relevance).

    python -m bench.quality.windows [--synthetic N]
"""
from __future__ import annotations

import argparse
import tempfile

import numpy as np

from bench.quality.retrieval import recall_at, sample_set, synthetic_set
from index import Engine, Settings


def paragraph_of(text: str, start: int) -> tuple[int, int]:
    """The blank-line-delimited paragraph around an offset (a single line if none)."""
    left = text.rfind("\n\n", 0, start)
    right = text.find("\n\n", start)
    return (0 if left < 0 else left + 2), (len(text) if right < 0 else right)


def evaluate(engine: Engine, queries: list[str], relevant: list[set]) -> dict[str, tuple[float, float]]:
    keys, sentence_vecs, paragraphs = [], [], []
    for article in engine.articles():
        _, text = engine.show(article.article_id)
        quotes = engine.passages(article.article_id)
        keys += [(q.article_id, q.start, q.end) for q in quotes]
        sentence_vecs.append(engine.passage_vectors(article.article_id))
        paragraphs += [text[slice(*paragraph_of(text, q.start))] for q in quotes]
    sentence = np.vstack(sentence_vecs)
    unique = list(dict.fromkeys(paragraphs))
    encoded = dict(zip(unique, engine.embedder.encode(unique)))
    paragraph = np.stack([encoded[p] for p in paragraphs])
    qv = engine.embedder.encode(queries)
    sims = {"sentence": qv @ sentence.T, "paragraph": qv @ paragraph.T}
    sims["mix 0.5/0.5"] = 0.5 * sims["sentence"] + 0.5 * sims["paragraph"]
    sims["mix 0.75/0.25"] = 0.75 * sims["sentence"] + 0.25 * sims["paragraph"]
    out = {}
    for name, matrix in sims.items():
        r1 = r5 = 0.0
        for row, rel in zip(matrix, relevant):
            ranked = [keys[i] for i in np.argsort(-row, kind="stable")[:5]]
            r1 += recall_at(ranked, rel, 1)
            r5 += recall_at(ranked, rel, 5)
        out[name] = (r1 / len(queries), r5 / len(queries))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--synthetic", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        settings = Settings.from_env(home)
        sample = Engine(settings, "sample")
        sample_scores = evaluate(sample, *sample_set(sample))
        synthetic = Engine(settings, "synthetic")
        synthetic_scores = evaluate(synthetic, *synthetic_set(synthetic, args.synthetic))
    print("| dense score of a sentence | sample recall@1 | sample recall@5 | synthetic recall@1 | synthetic recall@5 |")
    print("| --- | --- | --- | --- | --- |")
    for name in sample_scores:
        (a1, a5), (b1, b5) = sample_scores[name], synthetic_scores[name]
        print(f"| {name} | {a1:.3f} | {a5:.3f} | {b1:.3f} | {b5:.3f} |")


if __name__ == "__main__":
    main()
