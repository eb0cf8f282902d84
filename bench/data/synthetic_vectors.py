"""Bench-only synthetic corpora written straight into the store, no model: random unit
passage vectors upserted into Chroma with their registry and lexical rows, for timings at
sizes the model cannot embed in reasonable time (speed/scale, compare, digest, million,
query_batch).

- ``insert_synthetic``: background articles, all of one template text, each passage a
  random unit vector;
- ``insert_clustered``: new articles in planted clusters (1 to 8 articles; every fifth
  cluster rewrites a background article, keeping its sentences), each passage vector its
  cluster's base vector plus noise (cosine ~0.93 to the base, ~0.86 between members: above
  the passage-link threshold), unrelated to everything else; the members of a cluster
  share its made-up names and words.
"""
from __future__ import annotations

import random
import time
from datetime import datetime, timezone

import numpy as np

from index.engine import Engine
from index.ingest.passages import split_passages
from index.records import Metadata
from index.store.chroma import passage_id

SYNTHETIC_PASSAGES = 6
# the background articles' one text (its passages differ only by their number)
SYNTHETIC_TEXT = " ".join(f"Synthetic sentence number {k} about nothing in particular." for k in range(SYNTHETIC_PASSAGES))
NOISE = 0.4  # norm of the noise added to a unit base vector
OUTLETS = ["Daily Planet", "The Bugle", "Morning Post", "Evening Star", None]
SYLLABLES = "ka lo mi ren sa tor vel bri dun fa gor hal jen kes lum nor pim quo rask sel".split()
TOPIC_WORDS = ("council harbour budget vote river court school bridge strike flood fire election "
               "hospital airport factory museum stadium railway tax police").split()


def insert_synthetic(engine: Engine, n: int, dims: int) -> float:
    """``n`` background articles (ids ``syn0000000000000`` on); returns the seconds taken."""
    rng = np.random.default_rng(3)
    text = SYNTHETIC_TEXT
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


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=-1, keepdims=True)).astype(np.float32)


def insert_clustered(engine: Engine, n: int, dims: int, background: list[str]) -> dict[str, int]:
    """``n`` new articles in planted clusters; returns article id -> cluster number (a
    background article a cluster rewrites belongs to the cluster too)."""
    rng = np.random.default_rng(11)
    pick = random.Random(11)
    cluster_of: dict[str, int] = {}
    ids, vecs, metas = [], [], []
    made, cluster = 0, 0
    while made < n:
        size = min(pick.randint(1, 8), n - made)
        if cluster % 5 == 4:  # a rewrite of an older article
            old = background[pick.randrange(len(background))]
            base = engine.passage_vectors(old)
            cluster_of[old] = cluster
        else:
            base = _unit(rng.standard_normal((SYNTHETIC_PASSAGES, dims)))
        # Each cluster is one event: its own made-up names and words, as real reports share.
        names = [(pick.choice(SYLLABLES) + pick.choice(SYLLABLES)).capitalize() for _ in range(3)]
        topic = [pick.choice(TOPIC_WORDS) for _ in range(3)]
        vocab = ["".join(pick.choice(SYLLABLES) for _ in range(3)) for _ in range(12)]
        for member in range(size):
            words = " ".join(pick.choice(topic) for _ in range(4))
            if cluster % 5 == 4:  # the rewrite keeps the older article's sentences, adding a few words
                text = " ".join(f"Synthetic sentence number {k} about nothing in particular, {words} {member}."
                                for k in range(SYNTHETIC_PASSAGES))
            else:
                text = " ".join(f"{names[k % 3]} {' '.join(pick.choice(vocab) for _ in range(7))} {words} {cluster}."
                                for k in range(SYNTHETIC_PASSAGES))
            spans = split_passages(text)
            assert len(spans) == SYNTHETIC_PASSAGES
            noise = rng.standard_normal((len(spans), dims))
            noise *= NOISE / np.linalg.norm(noise, axis=1, keepdims=True)
            v = _unit(base + noise)
            aid = f"new{made:013d}"
            published = None if member % 3 == 2 else f"2026-03-{1 + (member * 7 + cluster) % 28:02d}"
            meta = Metadata(outlet=OUTLETS[(cluster + member) % len(OUTLETS)], published=published)
            ids += [passage_id(aid, k) for k in range(len(spans))]
            vecs.append(v)
            metas += [{"article_id": aid, "idx": k, "outlet": (meta.outlet or "").lower()}
                      for k in range(len(spans))]
            engine.article_db.add_articles([(aid, text, meta, spans, datetime.now(timezone.utc).isoformat(
                timespec="microseconds"), "synthetic-new")])
            cluster_of[aid] = cluster
            made += 1
            if len(ids) >= 5000:
                engine.vectors._handle().upsert(ids=ids, embeddings=np.vstack(vecs), metadatas=metas)
                ids, vecs, metas = [], [], []
        cluster += 1
    if ids:
        engine.vectors._handle().upsert(ids=ids, embeddings=np.vstack(vecs), metadatas=metas)
    return cluster_of
