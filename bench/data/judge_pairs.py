"""Directed (claim, passage) pairs with what the statement judge reads of them, for fitting
the judge (bench/fitting/judge.py) and for the fast path of bench/quality/msrp.py.

A pair holds the claim (its retrieval text), the passage, the passage's cosine with the
claim and its windows (``text/clauses``) with their cosines, from vectors pooled in one
forward pass per passage (``Embedder.encode_with_windows``, what ingest stores); the
product's own ``verdicts.verdict`` and ``judge.features`` read them as ``sources`` does.

- MSRP: every sentence of the file encoded once with its windows; a pair is read in both
  directions (s1 as the claim, s2 as the passage, and back).
- claims-dev (CheckThat! 2022 2A): every passage in ``sources``' top ``LIMIT`` for a tweet of
  a split, with its stored window vectors (a home whose windows ``check`` made); gold = a
  passage of the tweet's gold claim.

Both are kept in a pickle beside the data's home, so a refit reads them without the model.
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.search.judge import TextEvidence
from index.search.query_text import retrieval_text
from index.search.ranking import article_names, article_quotations
from index.search.results import STATING
from index.search.verdicts import Claim, Piece, verdict
from index.search.voice import Speaker, voice_of

LIMIT = 10


@dataclass(frozen=True)
class Window:
    text: str
    cosine: float


@dataclass(frozen=True)
class DirectedPair:
    claim: str  # the claim's retrieval text
    passage: str
    cosine: float
    windows: tuple[Window, ...]
    gold: bool  # MSRP: the pair is equivalent; claims-dev: a passage of the tweet's gold claim
    group: int  # cross-validation group: MSRP sentence component, claims-dev tweet
    pair: int  # MSRP: the pair's row (its two directions share it); claims-dev: the tweet's row
    article_text: str = field(default="", compare=False)  # the passage's whole article (names of its context)


def _windows(text: str, found, qvec: np.ndarray) -> tuple[Window, ...]:
    if found is None or not found.spans:
        return ()
    cosines = found.vectors @ qvec
    return tuple(Window(text[s.start:s.end], float(c)) for s, c in zip(found.spans, cosines))


def msrp_pairs(pairs, embedder, cache: Path) -> list[DirectedPair]:
    """Both directions of every MSRP pair (``bench.data.msrp.Pair``), the sentences encoded
    with their windows once (kept in ``cache``)."""
    sentences = list(dict.fromkeys(s for p in pairs for s in (p.first, p.second)))
    claims = list(dict.fromkeys(retrieval_text(s) for s in sentences))
    stored: dict = pickle.loads(cache.read_bytes()) if cache.exists() else {}
    todo = [s for s in dict.fromkeys(sentences + claims) if s not in stored]
    for start in range(0, len(todo), 256):
        part = todo[start:start + 256]
        vecs, found = embedder.encode_with_windows(part)
        stored.update({t: (v, w) for t, v, w in zip(part, vecs, found)})
    if todo:
        cache.write_bytes(pickle.dumps(stored))
    out = []
    for row, p in enumerate(pairs):
        for claim, passage in ((p.first, p.second), (p.second, p.first)):
            qvec = stored[retrieval_text(claim)][0]
            pvec, found = stored[passage]
            out.append(DirectedPair(retrieval_text(claim), passage, float(pvec @ qvec), _windows(passage, found, qvec),
                                    p.equivalent, p.group, row, passage))
    return out


def mismatched_pairs(pairs, cache: Path, shift: int) -> list[DirectedPair]:
    """Each MSRP pair's first sentence as the claim against the second sentence of the pair
    ``shift`` rows on (another event, almost always): easy negatives, with the vectors
    ``msrp_pairs`` kept in ``cache``. Their group is the claim's pair's."""
    stored: dict = pickle.loads(cache.read_bytes())
    out = []
    for row, p in enumerate(pairs):
        other = pairs[(row + shift) % len(pairs)].second
        qvec = stored[retrieval_text(p.first)][0]
        pvec, found = stored[other]
        out.append(DirectedPair(retrieval_text(p.first), other, float(pvec @ qvec), _windows(other, found, qvec),
                                False, p.group, row, other))
    return out


def claims_pairs(cs, qrels: dict[str, set[str]], cache: Path) -> list[DirectedPair]:
    """Every hit of ``sources``' top ``LIMIT`` for the tweets of ``qrels`` (kept in ``cache``)."""
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    ids = [t for t in qrels if t in cs.queries]
    engine = cs.engine
    answers = engine.sources_many([cs.queries[t] for t in ids], limit=LIMIT)
    cleaned = [retrieval_text(cs.queries[t]) for t in ids]
    qvecs = engine.embedder.encode(cleaned)
    out = []
    for row, (tid, answer) in enumerate(zip(ids, answers)):
        texts = [h.quote.text for h in answer.results]
        stored = engine.cache.get_windows(engine.embedder.name, texts)
        articles = engine.article_db.texts({h.article.article_id: h.article for h in answer.results})
        for h in answer.results:
            gold = any(v in qrels[tid] for v in cs.claim_of_article.get(h.article.article_id, []))
            out.append(DirectedPair(cleaned[row], h.quote.text, float(h.similarity),
                                    _windows(h.quote.text, stored.get(h.quote.text), qvecs[row]),
                                    gold, row, row, articles.get(h.article.article_id, "")))
    cache.write_bytes(pickle.dumps(out))
    return out


def product_states(d: DirectedPair, model) -> bool:
    """What ``sources`` says of the pair, read as bench/quality/answers.py reads a hit: the
    product's own ``verdicts.verdict`` (passage and windows, as the re-rank pool is judged)
    gives ``verbatim``/``close``, in a voice other than ``disputed`` (``voice.voice_of``).
    Statement-group propagation (other hits of an answer) does not apply to one pair."""
    claim = Claim(d.claim, TextEvidence.of(d.claim))
    passage = Piece(d.passage, TextEvidence.of(d.passage), d.cosine)
    windows = [Piece(w.text, TextEvidence.of(w.text), w.cosine) for w in d.windows]
    found = verdict(claim, passage, model, windows, article_names(d.article_text or d.passage))
    if found.match not in STATING:
        return False
    text = d.article_text or d.passage
    start = text.find(d.passage)
    if start < 0:
        text, start = d.passage, 0
    speaker = Speaker(text, None, (), article_quotations(text))
    return voice_of(d.claim, start, start + len(d.passage), speaker).kind != "disputed"
