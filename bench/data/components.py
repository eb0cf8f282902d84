"""Connected components of a graph given by its edges, for the data sets whose items must
stay together: MSRP sentences joined by a pair (cross-validation groups) and FNC-1 stories
(a headline and the bodies it is paired with, unrelated pairs aside)."""
from __future__ import annotations

from collections.abc import Hashable, Iterable


def components(edges: Iterable[tuple[Hashable, Hashable]]) -> dict[Hashable, int]:
    """Node -> the number of its component (numbered in the order first met)."""
    parent: dict[Hashable, Hashable] = {}

    def root(x: Hashable) -> Hashable:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[root(a)] = root(b)
    numbers: dict[Hashable, int] = {}
    return {node: numbers.setdefault(root(node), len(numbers)) for node in list(parent)}
