"""What lineage and digest both decide about the articles of one story: who reused
whose text (compare/reuse.py), which article is the origin, and where each other article
is placed (its parent). Which articles form a story is decided elsewhere: lineage from
passage neighbours in the index, digest by clustering whole articles (clusters.py).

Relations, a fixed vocabulary:

- ``origin``: the earliest dated article of the story that another member derives
  from; dates decide the direction of copying, because reuse shares cannot. When no
  member is dated, the one others derive most from. Undated articles are never given a
  date: they are placed by reuse only.
- ``derived``: an article that derives from its parent by compare's derivation rule
  (``derivation.StoryDerivation``): its reuse from the parent (copied spans plus
  corroborated rewording, ``reuse.reuse_between``) is at least DERIVED_SHARE, or the
  words it shares with the parent follow the parent's order well beyond chance;
- ``related``: same story, not derived (independent coverage of the same event).

The parent of a placed article is the earlier-placed member its reused text is best
explained by: the one it reuses most from, except that an article placed earlier (the
origin first) wins when it explains nearly as much (within PARENT_MARGIN), so that a
copy of a copy that adds nothing of its own names the original, not the middle copy.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from index.compare.derivation import StoryDerivation, model
from index.compare.reuse import ReuseProfile, ReuseSource, reuse_profiles
from index.records import Article

# Share of an article's passage text reused from its parent that makes it a rewrite
# (derivation_model.json's copy test): midpoint of the gap between the weakest rewrite
# seen (sample 003 from 000) and independent coverage restating facts
# (tests/data/related); bench/quality/reuse.py measures it on real rewrites.
DERIVED_SHARE = float(model()["share"])
# An earlier-placed member is the parent when it explains this close to the best share.
PARENT_MARGIN = 0.05

Derives = Callable[[str, str], bool]  # (parent, child) -> whether child derives from parent


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


def reuse_matrices(profiles: Mapping[str, ReuseProfile]) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
    """(parent, child) -> share of child's passage text reused from parent, and the part
    of it inside copied spans (word for word)."""
    shares: dict[tuple[str, str], float] = {}
    verbatim: dict[tuple[str, str], float] = {}
    ids = sorted(profiles)
    for n, x in enumerate(ids):
        for y in ids[n + 1 :]:
            reuse = reuse_profiles(profiles[x], profiles[y])
            shares[(x, y)], shares[(y, x)] = reuse.b_from_a, reuse.a_from_b
            verbatim[(x, y)], verbatim[(y, x)] = reuse.b_from_a_verbatim, reuse.a_from_b_verbatim
    return shares, verbatim


def find_origin(articles: Mapping[str, Article], shares: Mapping[tuple[str, str], float], derives: Derives) -> str | None:
    def others_derive(o: str) -> bool:
        # Most reused first: a copy settles it before any order test is run.
        return any(derives(o, m) for m in sorted(articles, key=lambda m: -shares.get((o, m), 0.0)) if m != o)

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


def pair_origin(a: Article, b: Article, b_from_a: float, a_from_b: float) -> str | None:
    """Which of two articles the other rewrites by ``find_origin``'s rule with its copy test
    (a reuse share of DERIVED_SHARE or more), or None when neither copies from the other.
    /compare holds the two reuse shares, not the texts the order test reads, so a heavy
    rewrite that only /lineage's order test finds is not named here."""
    shares = {(a.article_id, b.article_id): b_from_a, (b.article_id, a.article_id): a_from_b}
    return find_origin({a.article_id: a, b.article_id: b}, shares,
                       lambda parent, child: shares[(parent, child)] >= DERIVED_SHARE)


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


def relation_of(aid: str, origin: str | None, parents: Mapping[str, tuple[str, float]], derives: Derives) -> str:
    if aid == origin:
        return "origin"
    if aid in parents and derives(parents[aid][0], aid):
        return "derived"
    return "related"


def analyse(docs: Mapping[str, StoryDoc]) -> StoryAnalysis:
    """Origin, placement and relations of the members of one story."""
    if len(docs) < 2:
        return StoryAnalysis(None, {}, {}, {aid: None for aid in docs})
    profiles = {aid: ReuseProfile.of(doc) for aid, doc in docs.items()}
    shares, verbatim = reuse_matrices(profiles)
    articles = {aid: doc.article for aid, doc in docs.items()}
    derives = StoryDerivation({aid: p.keys for aid, p in profiles.items()}, shares).derives
    origin = find_origin(articles, shares, derives)
    parents = placement(articles, origin, shares) if origin else {}
    relations: dict[str, str | None] = {aid: relation_of(aid, origin, parents, derives) for aid in docs}
    return StoryAnalysis(origin, shares, parents, relations, verbatim)
