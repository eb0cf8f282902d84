"""What lineage and digest both decide about the articles of one story: who reused
whose text (compare/reuse.py), which article is the origin, and where each other article
is placed (its parent). Which articles form a story is decided elsewhere: lineage from
passage neighbours in the index, digest by clustering whole articles (clusters.py).

Relations, a fixed vocabulary:

- ``origin``: the earliest dated article of the story that another member derives
  from; dates decide the direction of copying, because reuse shares cannot. When no
  member is dated, the one others derive most from. Undated articles are never given a
  date: they are placed by reuse only.
- ``derived``: an article whose reuse from its parent (copied spans plus corroborated
  rewording, ``reuse.reuse_between``) is at least DERIVED_SHARE;
- ``related``: same story, not derived (independent coverage of the same event).

The parent of a placed article is the earlier-placed member its reused text is best
explained by: the one it reuses most from, except that an article placed earlier (the
origin first) wins when it explains nearly as much (within PARENT_MARGIN), so that a
copy of a copy that adds nothing of its own names the original, not the middle copy.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from index.compare.reuse import ReuseProfile, ReuseSource, reuse_profiles
from index.records import Article

# Share of an article's passage text reused from its parent that makes it a rewrite:
# midpoint of the gap between the weakest rewrite seen (sample 003 from 000) and
# independent coverage restating facts (tests/data/related); bench/eval_reuse.py
# measures it on real rewrites.
DERIVED_SHARE = 0.28
# An earlier-placed member is the parent when it explains this close to the best share.
PARENT_MARGIN = 0.05

class StoryDoc(ReuseSource, Protocol):
    article: Article


@dataclass
class StoryAnalysis:
    """``shares[(p, c)]``: share of c's text reused from p; ``parents``: child -> (parent,
    share from parent), in placement order; ``relations``: id -> relation (None for a
    story of one article)."""

    origin: str | None
    shares: dict[tuple[str, str], float]
    parents: dict[str, tuple[str, float]] = field(default_factory=dict)
    relations: dict[str, str | None] = field(default_factory=dict)
    verbatim: dict[tuple[str, str], float] = field(default_factory=dict)  # word-for-word part of shares

    def derived_from(self, aid: str) -> tuple[str, float] | None:
        return self.parents[aid] if self.relations.get(aid) == "derived" else None


def reuse_matrices(docs: Mapping[str, ReuseSource]) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
    """(parent, child) -> share of child's passage text reused from parent, and the part
    of it inside copied spans (word for word)."""
    profiles = {aid: ReuseProfile.of(doc) for aid, doc in docs.items()}
    shares: dict[tuple[str, str], float] = {}
    verbatim: dict[tuple[str, str], float] = {}
    ids = sorted(docs)
    for n, x in enumerate(ids):
        for y in ids[n + 1 :]:
            reuse = reuse_profiles(profiles[x], profiles[y])
            shares[(x, y)], shares[(y, x)] = reuse.b_from_a, reuse.a_from_b
            verbatim[(x, y)], verbatim[(y, x)] = reuse.b_from_a_verbatim, reuse.a_from_b_verbatim
    return shares, verbatim


def find_origin(articles: Mapping[str, Article], shares: Mapping[tuple[str, str], float]) -> str | None:
    def others_derive(o: str) -> bool:
        return any(shares[(o, m)] >= DERIVED_SHARE for m in articles if m != o)

    dated = sorted((a for a in articles.values() if a.published), key=lambda a: (a.date_key(), a.article_id))
    for article in dated:
        if others_derive(article.article_id):
            return article.article_id
    if dated:
        return None
    # Nothing dated: the article the others draw most from, if any draws enough.
    score = {o: sum(shares[(o, m)] for m in articles if m != o) for o in sorted(articles)}
    best = max(score, key=lambda o: score[o])
    return best if others_derive(best) else None


def _parent(child: str, placed: list[str], shares: Mapping[tuple[str, str], float]) -> str:
    best = max(shares[(p, child)] for p in placed)
    return next(p for p in placed if shares[(p, child)] >= best - PARENT_MARGIN)


def placement(articles: Mapping[str, Article], origin: str,
              shares: Mapping[tuple[str, str], float]) -> dict[str, tuple[str, float]]:
    """child -> (parent, share from parent), members placed after the origin: dated ones
    by date (a parent is never dated later than its child), undated ones after them,
    most reused first."""
    placed = [origin]
    parents: dict[str, tuple[str, float]] = {}
    dated = sorted((a for a in articles.values() if a.published and a.article_id != origin), key=lambda a: (a.date_key(), a.article_id))
    undated = [aid for aid in sorted(articles) if aid != origin and not articles[aid].published]
    for article in dated:
        allowed = [p for p in placed if not articles[p].published or articles[p].published <= article.published]
        if allowed:
            parent = _parent(article.article_id, allowed, shares)
            parents[article.article_id] = (parent, shares[(parent, article.article_id)])
        placed.append(article.article_id)
    while undated:
        child = max(undated, key=lambda c: (max(shares[(p, c)] for p in placed), c))
        parent = _parent(child, placed, shares)
        parents[child] = (parent, shares[(parent, child)])
        placed.append(child)
        undated.remove(child)
    return parents


def relation_of(aid: str, origin: str | None, parents: Mapping[str, tuple[str, float]]) -> str:
    if aid == origin:
        return "origin"
    if aid in parents and parents[aid][1] >= DERIVED_SHARE:
        return "derived"
    return "related"


def analyse(docs: Mapping[str, StoryDoc]) -> StoryAnalysis:
    """Origin, placement and relations of the members of one story."""
    if len(docs) < 2:
        return StoryAnalysis(None, {}, {}, {aid: None for aid in docs})
    shares, verbatim = reuse_matrices(docs)
    articles = {aid: doc.article for aid, doc in docs.items()}
    origin = find_origin(articles, shares)
    parents = placement(articles, origin, shares) if origin else {}
    relations: dict[str, str | None] = {aid: relation_of(aid, origin, parents) for aid in docs}
    return StoryAnalysis(origin, shares, parents, relations, verbatim)
