"""Which articles report the same real-world event: the digest's stories.

Same event is a question about whole articles, not sentences: two reports of one event
share its names, places and numbers and much of its vocabulary, while two events of the
same kind (two earthquakes, two rehab stays) share the vocabulary of the kind but not
the names and numbers. So each article becomes two TF-IDF vectors over the articles at
hand (the digest window and older articles linked to it): one of its words (sublinear
tf, English stop words) and one of its names and numbers (capitalised words not
opening a line, and tokens with digits). The similarity of two articles is the mean of
the two cosines. Words and names that many of the articles share weigh little (IDF),
so boilerplate and stock sentences ("There were no immediate reports of damage") cannot
make a story.

Articles are grouped by average-linkage agglomerative clustering cut at
STORY_DISTANCE: a story joins another only when their articles are similar on
average, never through one link (union-find over pair links chained different events
together). Two dated articles more than STORY_MAX_DAYS apart count as unrelated.

Older articles join the digest's stories only when the index links them to a new
article (strong passage matches: ``lineage``'s evidence of a rewrite), and then only
through the same clustering; a group of older articles alone is no story of the window.
Every new article is in exactly one story.

STORY_DISTANCE and the equal weights were chosen on the ECB+ development half
(bench/eval_stories.py: the threshold with the best BCubed F1 in a sweep, and a 2-fold
cross-validation by topic to report a fair figure).
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from index.clock import later_first
from index.records import Article
from index.store.batching import chunks
from index.store.chroma import passage_id
from index.store.corpus import CorpusStore

STORY_K = 12
# Passage matches that link an older article to a new one (lineage's rewrite evidence).
LINK_SIMILARITY = 0.725
LINK_MIN_MATCHES = 2
LINK_MIN_SHARE = 0.15
# Average-linkage cut on 1 - similarity (bench/eval_stories.py).
STORY_DISTANCE = 0.80
# Dated articles further apart than this are different events ("years apart").
STORY_MAX_DAYS = 730
# New articles clustered at once (a dense matrix of this size squared, twice).
WINDOW_CHUNK = 2000
# Query vectors per Chroma call and ids per Chroma get.
QUERY_BATCH = 2000
GET_BATCH = 5000

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_TITLES = frozenset("mr mrs ms dr prof st gen gov sen rep lt col capt sgt maj rev hon pres".split())
_SENTENCE_OPENS = re.compile(r"""[.!?]["'”’)\]]*\s+["'“‘(\[]*$""")


# -- document evidence -----------------------------------------------------------------------


def names_and_numbers(text: str) -> list[str]:
    """Lower-cased names (capitalised words that open no line or sentence and are no
    stop word) and tokens holding a digit: what tells one event from another of its kind."""
    out = []
    for line in text.split("\n"):
        for k, m in enumerate(_WORD.finditer(line)):
            word = m.group()
            lowered = word.lower()
            if any(c.isdigit() for c in word):
                out.append(lowered)
            elif k > 0 and word[0].isupper() and lowered not in ENGLISH_STOP_WORDS and lowered not in _TITLES:
                opener = _SENTENCE_OPENS.search(line, 0, m.start())
                if not opener or line[: opener.start()].rsplit(None, 1)[-1].lower() in _TITLES:
                    out.append(lowered)
    return out


def _cosines(texts: Sequence[str], **options) -> np.ndarray:
    try:
        matrix = TfidfVectorizer(sublinear_tf=True, **options).fit_transform(texts)
    except ValueError:  # nothing to count (no words, or no names in any text)
        return np.zeros((len(texts), len(texts)))
    return (matrix @ matrix.T).toarray()


def _day(article: Article) -> date | None:
    value = article.published or ""
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


def story_similarity(texts: Sequence[str], articles: Sequence[Article]) -> np.ndarray:
    """Pairwise same-event similarity in [0, 1] of ``texts`` (see the module docstring)."""
    words = _cosines(texts, stop_words="english")
    names = _cosines(texts, analyzer=names_and_numbers)
    sim = 0.5 * words + 0.5 * names
    days = [_day(a) for a in articles]
    dated = [n for n, d in enumerate(days) if d is not None]
    if len(dated) > 1:
        ordinals = np.array([days[n].toordinal() for n in dated])  # type: ignore[union-attr]
        far = np.abs(ordinals[:, None] - ordinals[None, :]) > STORY_MAX_DAYS
        idx = np.array(dated)
        sim[np.ix_(idx, idx)] = np.where(far, 0.0, sim[np.ix_(idx, idx)])
    return np.clip(sim, 0.0, 1.0)


def cluster_similarity(sim: np.ndarray, distance: float = STORY_DISTANCE) -> list[int]:
    """Cluster label of each row: average linkage on 1 - sim, cut at ``distance``."""
    n = len(sim)
    if n < 2:
        return [0] * n
    d = 1.0 - (sim + sim.T) / 2
    np.fill_diagonal(d, 0.0)
    tree = linkage(squareform(np.clip(d, 0.0, 1.0), checks=False), method="average")
    return [int(x) for x in fcluster(tree, t=distance, criterion="distance")]


# -- index links to older articles ---------------------------------------------------------------


def passage_vectors_many(store: CorpusStore, articles: list[Article]) -> dict[str, np.ndarray]:
    """Passage vectors of many articles in few Chroma calls; articles whose vectors are
    missing (orphans being repaired) are left out."""
    found = store.vectors.vectors_by_id(
        [passage_id(a.article_id, k) for a in articles for k in range(a.passages)], batch=GET_BATCH)
    out: dict[str, np.ndarray] = {}
    for a in articles:
        ids = [passage_id(a.article_id, k) for k in range(a.passages)]
        if ids and all(i in found for i in ids):
            out[a.article_id] = np.asarray([found[i] for i in ids], dtype=np.float32)
    return out


def query_neighbours(store: CorpusStore, vectors: np.ndarray, k: int = STORY_K) -> list[list[tuple[str, int, float]]]:
    """(article id, passage idx, cosine similarity) of the ``k`` nearest passages of each
    vector, in batched Chroma queries that return no embeddings."""
    return store.vectors.neighbours(vectors, k, batch=QUERY_BATCH)


def passage_links(store: CorpusStore, vectors: dict[str, np.ndarray]) -> dict[tuple[str, str], int]:
    """(article, other) -> passages in strong matches between them, counted on whichever
    side has more, for pairs with at least LINK_MIN_MATCHES."""
    rows = [(aid, k) for aid, vecs in vectors.items() for k in range(len(vecs))]
    stacked = np.vstack(list(vectors.values())) if vectors else np.zeros((0, 0), np.float32)
    own: dict[tuple[str, str], set[int]] = defaultdict(set)
    theirs: dict[tuple[str, str], set[int]] = defaultdict(set)
    for (aid, k), row in zip(rows, query_neighbours(store, stacked)):
        for other, idx, sim in row:
            if other != aid and sim >= LINK_SIMILARITY:
                own[(aid, other)].add(k)
                theirs[(aid, other)].add(idx)
    strength = {pair: max(len(own[pair]), len(theirs[pair])) for pair in own}
    return {pair: n for pair, n in strength.items() if n >= LINK_MIN_MATCHES}


# -- the stories of a window ---------------------------------------------------------------------


@dataclass
class StoryCluster:
    """``members``: sorted ids; ``new``: those in the window; ``latest``: the latest
    ``added_at`` of its new articles; ``strength``: older member -> strongest passage
    link to a new member (0 for new members)."""

    members: list[str]
    new: list[str]
    latest: str
    strength: dict[str, int]


def cluster_window(store: CorpusStore, new: list[Article], older_ok) -> tuple[list[StoryCluster], dict[str, Article]]:
    """Stories of the ``new`` articles, with the older articles the index links to them
    (``older_ok(article)`` says whether an older article may be shown, e.g. added before
    the window's end). Every new article is in exactly one story. Returns the stories,
    largest first, then most recent, and every member's Article.

    The clustering holds a dense similarity matrix, so a window of more than
    WINDOW_CHUNK new articles (a first digest after importing an archive) is clustered in
    chunks of that many, in ingest order: a story split by a chunk edge shows as two."""
    known: dict[str, Article] = {a.article_id: a for a in new}
    vectors = passage_vectors_many(store, new)
    links = passage_links(store, vectors)
    others = {b for _, b in links if b not in known}
    older: dict[str, Article] = {aid: a for aid, a in store.article_db.get_many(others).items() if older_ok(a)}
    linked: dict[str, list[str]] = defaultdict(list)  # new article -> older articles it links
    strength: dict[str, int] = {}
    for (a, b), n in sorted(links.items()):
        if b in older and n >= LINK_MIN_SHARE * min(known[a].passages, older[b].passages):
            strength[b] = max(strength.get(b, 0), n)
            linked[a].append(b)
    known.update((aid, older[aid]) for aid in strength)
    new_ids = {a.article_id for a in new}
    stories = []
    placed: set[str] = set()  # an older article joins the first chunk that links it
    for chunk in chunks(sorted(new, key=lambda a: (a.added_at or "", a.article_id)), WINDOW_CHUNK):
        ids = [a.article_id for a in chunk]
        ids += sorted({b for a in ids for b in linked.get(a, []) if b not in placed})
        placed.update(ids)
        texts = store.article_db.texts(ids)
        labels = cluster_similarity(story_similarity([texts.get(i, "") for i in ids], [known[i] for i in ids]))
        groups: dict[int, list[str]] = defaultdict(list)
        for aid, label in zip(ids, labels):
            groups[label].append(aid)
        for members in groups.values():
            fresh = sorted(m for m in members if m in new_ids)
            if not fresh:  # older articles alone: no story of this window
                continue
            latest = max(known[m].added_at or "" for m in fresh)
            stories.append(StoryCluster(sorted(members), fresh, latest, {m: strength.get(m, 0) for m in members}))
    stories.sort(key=lambda c: (-len(c.members), later_first(c.latest), c.members[0]))
    return stories, known

