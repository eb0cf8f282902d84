"""`lineage`: which articles tell the same story, which one came first, which rewrite
which.

The story is found with the index itself: the article's passage vectors query the
Chroma collection (STORY_K nearest passages each), and an article joins the story when
enough of the query's passages have a strong match in it. One more hop from each
member brings in rewrites of the original that share less with the queried article.
Only the story's few articles are then compared pairwise; never the whole corpus.

Origin, parents and relations (``origin`` | ``derived`` | ``related``) are decided by
stories/analysis.py from text reuse (compare/reuse.py), the same way for digest.

A story of one article has no origin (``origin`` null, ``role`` null): nothing shows
where its text came from.
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from index.compare.comparison import compare_docs, load_doc
from index.compare.reuse import REWORDED_SIMILARITY
from index.store.corpus import CorpusStore
from index.stories.analysis import DERIVED_SHARE, analyse
from index.stories.credits import article_credit
from index.stories.outlet_names import OutletNames
from index.stories.results import LineageEntry, LineageResult
from index.stories.sourcing import article_sourcing

__all__ = ["DERIVED_SHARE", "lineage", "story_of"]

STORY_K = 12
# A passage match this strong is evidence of the same story (the reworded threshold).
STORY_SIMILARITY = REWORDED_SIMILARITY
# Matched passages needed: at least this many, and this share of the shorter article.
STORY_MIN_MATCHES = 2
STORY_MIN_SHARE = 0.15
STORY_HOPS = 2
MAX_STORY = 25


def _match_strength(store: CorpusStore, article_id: str, vectors: np.ndarray) -> dict[str, int]:
    """Other article -> how many passages take part in strong matches with it, counted
    on whichever side has more (so that A finds B exactly when B finds A, whether one
    sentence of B restates two of A or the reverse)."""
    if len(vectors) == 0:
        return {}
    # Ids and similarities only: the neighbours' vectors are not used here.
    hits = store.vectors.neighbours(vectors, STORY_K)
    own: dict[str, set[int]] = defaultdict(set)
    theirs: dict[str, set[int]] = defaultdict(set)
    for query_idx, row in enumerate(hits):
        for other, idx, similarity in row:
            if other != article_id and similarity >= STORY_SIMILARITY:
                own[other].add(query_idx)
                theirs[other].add(idx)
    return {aid: max(len(own[aid]), len(theirs[aid])) for aid in own}


def _neighbours(store: CorpusStore, article_id: str, vectors: np.ndarray) -> list[str]:
    strength = _match_strength(store, article_id, vectors)
    if not strength:
        return []
    articles = store.article_db.get_many(strength)
    size = len(vectors)
    return sorted(
        aid for aid, n in strength.items()
        if aid in articles and n >= STORY_MIN_MATCHES and n >= STORY_MIN_SHARE * min(size, articles[aid].passages)
    )


def story_of(store: CorpusStore, article_id: str) -> list[str]:
    """Ids of the other articles of ``article_id``'s story (a full id), sorted."""
    found: set[str] = set()
    frontier = [article_id]
    for _ in range(STORY_HOPS):
        next_frontier: list[str] = []
        for aid in frontier:
            for other in _neighbours(store, aid, store.passage_vectors(aid)):
                if other != article_id and other not in found and len(found) < MAX_STORY:
                    found.add(other)
                    next_frontier.append(other)
        frontier = next_frontier
    return sorted(found)


def _changes_from_parent(docs, parents, aid: str):
    """compare's quotation changes of a rewrite from its parent (the parent as A)."""
    return compare_docs(docs[parents[aid][0]], docs[aid]).quote_changes


_RELATION_ORDER = {"origin": 0, "derived": 1, "related": 2}


def lineage(store: CorpusStore, article_id: str) -> LineageResult:
    """The story of a stored article (a full id): its origin, rewrites and related coverage."""
    members = [article_id, *story_of(store, article_id)]
    docs = {aid: load_doc(store, aid) for aid in members}
    query = docs[article_id].article
    names = OutletNames(store.article_db)
    if len(docs) == 1:
        return LineageResult(article=query, origin=None, credit=article_credit(store, names, article_id, None, False),
                             sourcing=article_sourcing(store, article_id))
    story = analyse(docs)
    shares, parents = story.shares, story.parents
    entries = []
    for aid in members[1:]:
        relation = story.relations[aid]
        derived = relation == "derived"
        entries.append(LineageEntry(
            article=docs[aid].article,
            relation=relation,
            reuse=shares[(article_id, aid)],
            reuse_of_query=shares[(aid, article_id)],
            derived_from=parents[aid][0] if derived else None,
            reuse_from_parent=parents[aid][1] if derived else None,
            verbatim_from_parent=story.verbatim[(parents[aid][0], aid)] if derived else None,
            credit=article_credit(store, names, aid, story.origin, derived,
                                  _changes_from_parent(docs, parents, aid) if derived else ()),
            sourcing=article_sourcing(store, aid),
        ))
    entries.sort(key=lambda e: (
        _RELATION_ORDER[e.relation], e.article.date_key()[0], e.article.published or "", e.article.article_id,
    ))
    role = story.relations[article_id]
    derived = role == "derived"
    return LineageResult(
        article=query,
        origin=story.origin,
        related=entries,
        role=role,
        derived_from=parents[article_id][0] if derived else None,
        reuse_from_parent=parents[article_id][1] if derived else None,
        verbatim_from_parent=story.verbatim[(parents[article_id][0], article_id)] if derived else None,
        credit=article_credit(store, names, article_id, story.origin, derived,
                              _changes_from_parent(docs, parents, article_id) if derived else ()),
        sourcing=article_sourcing(store, article_id),
    )
