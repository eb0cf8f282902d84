"""`sources`: dense (Chroma) and lexical (BM25) retrieval fused by reciprocal rank, with
match labels and grouping of the same statement across outlets.

Labels come from a fixed vocabulary:
- ``verbatim``: the claim's words appear in the passage in order (or the passage's in the
  claim), ignoring case, punctuation and quote styles;
- ``close``: the passage states the claim in other words (embedding similarity at or
  above CLOSE_SIMILARITY, chosen on the labelled set in tests/data, see BENCHMARKS.md);
- ``related``: anything else retrieved.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from .models import Article, Quote, SourceHit

# "fused" is what users get; the others exist to measure it (bench/eval_retrieval.py).
RETRIEVAL_MODES = ("fused", "rrf", "dense", "lexical")
RRF_K = 60
CLOSE_SIMILARITY = 0.70
SAME_STATEMENT_SIMILARITY = 0.80
MIN_VERBATIM_TOKENS = 4
# Verbatim statements first, the rest by fused rank: also ranking "close" above
# "related" lowered recall@1 on the labelled set (BENCHMARKS.md).
_LABEL_ORDER = {"verbatim": 0, "close": 1, "related": 1}
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalized_tokens(text: str) -> list[str]:
    """Lower-case word tokens with accents, quote styles and punctuation dropped."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").replace("'", "")
    return [t for t in _NON_WORD.split(text.lower()) if t]


def _contains(haystack: list[str], needle: list[str]) -> bool:
    if not needle or len(needle) > len(haystack):
        return False
    return f" {' '.join(needle)} " in f" {' '.join(haystack)} "


def match_label(query: str, passage: str, similarity: float) -> str:
    q, p = normalized_tokens(query), normalized_tokens(passage)
    if len(q) >= MIN_VERBATIM_TOKENS and _contains(p, q):
        return "verbatim"
    if len(p) >= MIN_VERBATIM_TOKENS and len(p) * 2 >= len(q) and _contains(q, p):
        return "verbatim"
    if similarity >= CLOSE_SIMILARITY:
        return "close"
    return "related"


@dataclass
class Candidate:
    article_id: str
    idx: int
    rrf: float = 0.0
    similarity: float | None = None
    vector: np.ndarray | None = None


def fuse(dense: list, lexical: list[tuple[str, int, float]]) -> dict[tuple[str, int], Candidate]:
    """Reciprocal-rank fusion: robust to the two rankings' incomparable score scales."""
    out: dict[tuple[str, int], Candidate] = {}
    for rank, hit in enumerate(dense):
        c = out.setdefault((hit.article_id, hit.idx), Candidate(hit.article_id, hit.idx))
        c.rrf += 1.0 / (RRF_K + rank + 1)
        c.similarity, c.vector = hit.similarity, hit.vector
    for rank, (article_id, idx, _bm25) in enumerate(lexical):
        c = out.setdefault((article_id, idx), Candidate(article_id, idx))
        c.rrf += 1.0 / (RRF_K + rank + 1)
    return out


def _date_key(article: Article) -> tuple[int, str, str]:
    # Earliest dated first; undated after, in the order they were added.
    return (0, article.published, "") if article.published else (1, "", article.added_at or "")


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"\b[A-Z][a-zà-ÿ]+\b")


# Words capitalised only because they open a sentence; any other capitalised word may
# be a name ("Maria Haddad told ..." must not match "Henrik Haddad told ...").
_SENTENCE_OPENERS = frozenset("""a an the this that these those it its he she they we i you there here
    but and or so yet however although though while when whenever if since as because after before
    during despite under over in on at for from with without by to of into one some such many most
    according meanwhile instead also still then thus""".split())


def _facts(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Numbers, and capitalised words that are not mere sentence openers."""
    names = {m.group().lower() for m in _NAME.finditer(text)}
    first = _NAME.match(text.lstrip("\"'“‘("))
    if first and first.group().lower() in _SENTENCE_OPENERS:
        names.discard(first.group().lower())
    return frozenset(_NUMBER.findall(text)), frozenset(names)


def same_statement(a: SourceHit, va: np.ndarray, b: SourceHit, vb: np.ndarray) -> bool:
    """Close in meaning, the same numbers, and no name in one that the other lacks (a
    rewrite may drop a title: "President Trump" and "Trump"): "40 jobs" and "400 jobs",
    or "Rafael Tanaka resigned" and "Rafael Verhoeven resigned", are different
    statements however similar their embeddings."""
    if float(va @ vb) < SAME_STATEMENT_SIMILARITY:
        return False
    (na, ma), (nb, mb) = _facts(a.quote.text), _facts(b.quote.text)
    if na != nb:
        return False
    smaller, larger = sorted((ma, mb), key=len)
    return smaller <= larger


def group_statements(hits: list[SourceHit], vectors: list[np.ndarray]) -> list[SourceHit]:
    """Give hits that state the same thing one group number; order groups by their best
    hit and members by date, earliest first."""
    reps: list[tuple[SourceHit, np.ndarray]] = []
    members: dict[int, list[SourceHit]] = {}
    for hit, vec in zip(hits, vectors):
        group = next((rep.group for rep, rv in reps if same_statement(rep, rv, hit, vec)), None)
        if group is None:
            group = len(reps)
            reps.append((hit, vec))
        hit.group = group
        members.setdefault(group, []).append(hit)
    ordered: list[SourceHit] = []
    for group in sorted(members):
        ordered.extend(sorted(members[group], key=lambda h: _date_key(h.article)))
    return ordered


def rank_hits(
    query: str,
    candidates: dict[tuple[str, int], Candidate],
    articles: dict[str, Article],
    texts: dict[str, str],
    spans: dict[tuple[str, int], tuple[int, int]],
    limit: int,
    by_label: bool = True,
) -> list[SourceHit]:
    scored: list[tuple[SourceHit, np.ndarray]] = []
    for (article_id, idx), c in candidates.items():
        if article_id not in articles or (article_id, idx) not in spans:
            continue  # removed between retrieval and ranking
        start, end = spans[(article_id, idx)]
        quote = Quote.of(article_id, texts[article_id], start, end)
        similarity = float(c.similarity if c.similarity is not None else 0.0)
        hit = SourceHit(articles[article_id], quote, c.rrf, match_label(query, quote.text, similarity), similarity, 0)
        scored.append((hit, c.vector))
    scored.sort(key=lambda hv: (_LABEL_ORDER[hv[0].match] if by_label else 0, -hv[0].score))
    top = scored[:limit]
    return group_statements([h for h, _ in top], [v for _, v in top])
