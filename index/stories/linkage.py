"""Average-linkage clustering of a similarity matrix (``cluster_similarity``, the digest's
first pass), and the second pass that splits a story whose articles' nearest neighbours
disagree (``split_stories``).

Average linkage on the window's same-event similarity (clusters.py) joins two events of
one kind when their articles share the kind's words and its main names (two patches of
one browser years apart, two injuries of one team's running backs): across the two
events the average similarity still clears STORY_DISTANCE. What tells them apart is who
each article is closest to. Within a story, an article's neighbour profile is its
similarity to its PROFILE_K most similar fellow members (and 1 to itself); two reports
of one event have the same nearest neighbours, while an article of a sibling event has
its own event's. The story is clustered again, average linkage on the cosine of the
profiles cut at SPLIT_DISTANCE. A story of fewer than MIN_SPLIT articles is kept whole
(its profiles are all alike anyway); the pass only splits, never joins, so the first
pass's evidence and the date rule stand.

Why only inside a story: over a whole window the same profiles also join articles that
are merely each other's nearest strangers (a window of many one-article stories), so
they judge only articles the first pass already grouped. PROFILE_K and SPLIT_DISTANCE
were chosen on the ECB+ development half (bench/quality/stories_by_topic.py: the best
BCubed F1 in a sweep, next to cross-validation by topic).
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

# Average-linkage cut on 1 - similarity (bench/quality/stories.py, stories_by_topic.py).
STORY_DISTANCE = 0.80
PROFILE_K = 6
SPLIT_DISTANCE = 0.86
MIN_SPLIT = 3


def cluster_similarity(sim: np.ndarray, distance: float = STORY_DISTANCE) -> list[int]:
    """Cluster label of each row: average linkage on 1 - sim, cut at ``distance``."""
    n = len(sim)
    if n < 2:
        return [0] * n
    d = 1.0 - (sim + sim.T) / 2
    np.fill_diagonal(d, 0.0)
    tree = linkage(squareform(np.clip(d, 0.0, 1.0), checks=False), method="average")
    return [int(x) for x in fcluster(tree, t=distance, criterion="distance")]


def neighbour_profiles(sim: np.ndarray, k: int = PROFILE_K) -> np.ndarray:
    """Cosine of the rows of ``sim`` kept to each row's ``k`` largest off-diagonal
    entries, with 1 on the diagonal."""
    n = len(sim)
    rows = np.array(sim, dtype=np.float64, copy=True)
    np.fill_diagonal(rows, -np.inf)
    if k < n - 1:
        cut = -np.partition(-rows, k - 1, axis=1)[:, k - 1 : k]
        rows = np.where(rows >= cut, rows, 0.0)
    rows = np.clip(rows, 0.0, None)
    np.fill_diagonal(rows, 1.0)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows @ rows.T


def split_stories(sim: np.ndarray, labels: list[int], k: int = PROFILE_K,
                  distance: float = SPLIT_DISTANCE) -> list[int]:
    """Labels after splitting each story of ``labels`` (one per row of ``sim``) by its
    members' neighbour profiles; new labels are 0, 1, 2, ... in order of first row."""
    members: dict[int, list[int]] = defaultdict(list)
    for row, label in enumerate(labels):
        members[label].append(row)
    parts: list[tuple[int, int]] = [(0, 0)] * len(labels)
    for label, rows in members.items():
        sub = [0] * len(rows)
        if len(rows) >= MIN_SPLIT:
            sub = cluster_similarity(neighbour_profiles(sim[np.ix_(rows, rows)], min(k, len(rows) - 1)), distance)
        for row, part in zip(rows, sub):
            parts[row] = (label, part)
    renumber: dict[tuple[int, int], int] = {}
    return [renumber.setdefault(p, len(renumber)) for p in parts]
