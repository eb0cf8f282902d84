"""The development halves (ECB+, reuse-dev) ingested once through the real engine, and
what the evaluations of issue 25 need from them (stored text, published date, passage
offsets, passage vectors) dumped to plain files, so that a sweep never opens an engine.

Run: HF_HUB_OFFLINE=1 .venv/bin/python -m research.issue25.cache [--cache DIR]
Later: ``load(name)`` -> list of CachedDoc (name, label, group, Article, text, passages, vectors).
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.real_data import ecb_rows, ingest_rows, reuse_rows  # noqa: E402
from index.records import Article, Span  # noqa: E402

CACHE = Path("/tmp/r25-cache")


@dataclass
class CachedDoc:
    """Duck-types compare.Doc (article, text, passages, vectors) plus the labels."""

    name: str
    label: str
    group: str
    article: Article
    text: str
    passages: list[Span]
    vectors: np.ndarray


def dump(name: str, rows, cache: Path) -> None:
    engine, ids = ingest_rows(cache / f"{name}-home", name, rows)
    out, vecs = [], []
    for r in rows:
        aid = ids[r.name]
        article, text = engine.show(aid)
        passages = engine.passages(aid)
        v = np.asarray(engine.passage_vectors(aid), dtype=np.float32)
        out.append({"name": r.name, "label": r.label, "group": r.group, "article_id": aid,
                    "published": article.published, "text": text,
                    "passages": [[p.start, p.end] for p in passages], "rows": len(v)})
        vecs.append(v)
    (cache / f"{name}.json").write_text(json.dumps(out))
    np.save(cache / f"{name}-vectors.npy", np.vstack(vecs))
    engine.close()


def load(name: str, cache: Path = CACHE) -> list[CachedDoc]:
    rows = json.loads((cache / f"{name}.json").read_text())
    vecs = np.load(cache / f"{name}-vectors.npy")
    out, at = [], 0
    for r in rows:
        spans = [Span(s, e) for s, e in r["passages"]]
        art = Article(article_id=r["article_id"], title=None, outlet=None, authors=[], published=r["published"],
                      url=None, chars=len(r["text"]), passages=len(spans))
        out.append(CachedDoc(r["name"], r["label"], r["group"], art, r["text"], spans, vecs[at: at + r["rows"]]))
        at += r["rows"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    dump("reuse", reuse_rows(), args.cache)
    dump("ecb", ecb_rows(), args.cache)


if __name__ == "__main__":
    main()
