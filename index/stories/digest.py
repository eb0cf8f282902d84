"""`digest`: what came into the corpus since the last digest, grouped into stories.

Window. An article belongs to the digest when its ``added_at`` (the time it was
ingested, always known) lies in ``[since, until)``: a newsroom asks "what came in since
the last digest", and the published date is often unknown or far older than the ingest.
``until`` defaults to now, ``since`` to 24 hours before ``until``. Each story also lists
the older articles of the same story already in the corpus (``"new": false``), so that a
new rewrite is shown next to its origin. Articles added after ``until`` never appear.

Stories. The new articles (with the older articles the index links to them) are
grouped by same-event evidence about whole articles: words, names and numbers, dates
(stories/clusters.py, average-linkage clustering). Every new article of the window is
in exactly one story. The ``max_stories`` largest stories are analysed, each within
itself (reuse shares, origin and placement as ``lineage`` decides them, stories/analysis.py,
and ``compare`` of each derived article with its parent); a story lists at most
MAX_STORY_ARTICLES articles and names its other new articles in ``new_not_listed``
(``size`` counts them all); the new articles of stories beyond ``max_stories`` are listed
in the result's ``not_shown``. bench/speed/digest.py measures it.

Articles of a story are ordered by published date, earliest first; an undated article
is never given a date: it is placed right after its parent (the earlier member its
reused text is best explained by, stories/analysis.py), or at the end when nothing derives. Stories are ordered by
size (number of articles), then recency (the latest ``added_at`` of their new
articles).

Lead: a verbatim passage of the story's first article (its origin when one is known):
among its first ``LEAD_WINDOW`` passages, preferring full sentences, the one closest to
the story's centroid (mean of each member's mean passage vector), earlier passages
winning small differences (news leads come first).

Flags, a fixed vocabulary (at most ``MAX_FLAGS`` per story, the most serious by
``index.labels.severity``, so no flag left out is more serious than one kept; listed most
serious first, then as found):

- ``edited_after_publication``: a new ``article_id`` is a later version of
  ``from_article_id`` (the same link fetched again with other text); ``quote_changes``: the
  quotations that changed between them, most serious first (the pair is then not also
  flagged ``derived``);
- ``derived``: ``article_id`` derives from ``from_article_id`` (compare/derivation.py: a
  reuse share of DERIVED_SHARE or more, or shared words in the parent's order far beyond
  chance); ``reuse`` is the share of its text reused from the parent (compare/reuse.py);
- ``attribution_changed``: the same quotation credited to a different speaker in a
  derived article than in its parent (``compare``'s kind; quotes ``a`` in the parent,
  ``b`` in the derived article, and the attribution phrases);
- ``quote_altered``: a quotation whose words differ between parent and derived article
  (``compare``'s kind; ``detail_a``/``detail_b``: the differing words, as quotes);
- ``wording_changed``: words replaced inside a quotation that the derived article
  paraphrases (``compare``'s kind);
- ``single_source``: the story rests on one source; ``basis`` is ``one_article`` (the
  story has one article), ``one_outlet`` (all its articles name the same outlet) or
  ``all_derived`` (every other article derives from the origin ``article_id``);
- ``undated``: ``article_ids`` have no published date (never guessed);
- ``unknown_outlet``: ``article_ids`` have no outlet (never guessed).

Quote-change flags come from derived articles only (a rewrite against its parent; a later
version's changes travel inside its ``edited_after_publication`` flag), one per pair of
quotations; at the same severity, new articles first and each article's first change
before any article's second.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import numpy as np

from index.clock import later_first, utc
from index.compare.comparison import Doc, compare_docs, load_doc
from index.compare.quote_changes import QUOTE_EDIT_KINDS, change_kinds
from index.compare.results import QuoteChange
from index.errors import UserError
from index.labels import severity
from index.records import Article, Quote
from index.store.corpus import CorpusStore
from index.stories.analysis import analyse
from index.stories.clusters import (
    STORY_K,
    StoryCluster,
    cluster_window,
    passage_vectors_many,
    query_neighbours,
)
from index.stories.credits import article_credit
from index.stories.outlet_names import OutletNames
from index.stories.results import (  # noqa: F401  (re-exported: the digest's result types)
    DerivedFlag,
    DigestFlag,
    DigestResult,
    DigestStory,
    EditedFlag,
    MissingMetadataFlag,
    QuoteChangeFlag,
    SingleSourceFlag,
)

__all__ = ["STORY_K", "cluster_new_articles", "digest", "lead_quote", "new_articles", "parse_since",
           "passage_vectors_many", "query_neighbours"]

DEFAULT_WINDOW = timedelta(hours=24)
MAX_FLAGS = 8
# Articles analysed and listed per story (new ones first, then the most strongly linked
# older ones); a larger component keeps its full size in ``size``.
MAX_STORY_ARTICLES = 25
LEAD_WINDOW = 6
LEAD_POSITION_PENALTY = 0.02
LEAD_MIN_WORDS = 8

# Changed quotations worth a reporter's eye (compare's quotation vocabulary, compare/quote_changes.py).
QUOTE_FLAG_KINDS = (*QUOTE_EDIT_KINDS, "wording_changed")

_RELATIVE = re.compile(r"^(\d{1,6})\s*(m|min|mins|minutes?|h|hours?|d|days?|w|weeks?)$", re.IGNORECASE)
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_SENTENCE_END = re.compile(r"""[.!?…]["'”’»)\]]*\s*$""")


# -- time window ----------------------------------------------------------------------------


def parse_since(value: str, now: datetime | None = None) -> datetime:
    """A moment in UTC from an ISO date ("2026-01-01": midnight UTC), an ISO date-time
    (naive means UTC; "Z" and offsets accepted) or a duration before ``now`` ("30m",
    "24h", "7d", "2w"). Raises UserError on anything else."""
    now = utc(now or datetime.now(timezone.utc))
    text = (value or "").strip()
    relative = _RELATIVE.match(text)
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2)[0].lower()
        return now - timedelta(seconds=amount * _UNIT_SECONDS[unit])
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), tzinfo=timezone.utc)
        except ValueError:
            pass
    elif re.match(r"\d{4}-\d{2}-\d{2}[T ]\d", text):
        try:
            return utc(datetime.fromisoformat(text.replace("z", "Z")))
        except ValueError:
            pass
    raise UserError(
        f"cannot read the time {value!r}: give an ISO date (2026-01-01), an ISO date-time "
        "(2026-01-01T08:00:00Z) or a duration before now such as 24h or 7d"
    )


def _moment(value: str | datetime | None, now: datetime) -> datetime | None:
    if value is None:
        return None
    return utc(value) if isinstance(value, datetime) else parse_since(value, now)


def _stamp(moment: datetime) -> str:
    """The article database's ``added_at`` format, so that string order is time order."""
    return moment.isoformat(timespec="microseconds")


def _added(article: Article) -> datetime | None:
    try:
        return utc(datetime.fromisoformat(article.added_at)) if article.added_at else None
    except ValueError:
        return None


# -- clustering -------------------------------------------------------------------------------


def cluster_new_articles(store: CorpusStore, new: list[Article], until: datetime) -> tuple[list[StoryCluster], dict[str, Article]]:
    """Stories of the new articles, with the older articles linked to them that were
    added before ``until`` (clusters.cluster_window). Returns the stories and
    every member's Article."""
    until_stamp = _stamp(until)

    def older_ok(article: Article) -> bool:
        added = _added(article)
        return added is None or _stamp(added) < until_stamp

    return cluster_window(store, new, older_ok)


# -- one story ----------------------------------------------------------------------------------


def _ordered(docs: dict[str, Doc], parents: dict[str, tuple[str, float]], relations: dict[str, str | None]) -> list[str]:
    """Dated members by date (then id); each undated derived member right after its
    parent (after the parent's undated children placed before it, in the order
    ``lineage`` placed them); other undated members at the end, in placement order."""
    undated = [aid for aid in parents if not docs[aid].article.published]  # placement order
    undated += sorted(a for a in docs if not docs[a].article.published and a not in undated)
    order = sorted((aid for aid in docs if docs[aid].article.published), key=lambda a: (docs[a].article.date_key(), a))
    tail = []
    for aid in undated:
        parent = parents[aid][0] if relations.get(aid) == "derived" else None
        if parent not in order:
            tail.append(aid)
            continue
        at = order.index(parent) + 1
        while at < len(order) and not docs[order[at]].article.published and parents.get(order[at], ("",))[0] == parent:
            at += 1
        order.insert(at, aid)
    return order + tail


def _is_sentence(text: str) -> bool:
    return len(text.split()) >= LEAD_MIN_WORDS and bool(_SENTENCE_END.search(text))


def lead_quote(doc: Doc, centroid: np.ndarray | None) -> Quote:
    """The lead passage of ``doc`` for a story whose centroid is ``centroid``."""
    window = list(range(min(LEAD_WINDOW, len(doc.passages))))
    sentences = [k for k in window if _is_sentence(doc.passages[k].text)]
    candidates = sentences or window
    if centroid is None or len(doc.vectors) == 0:
        return doc.passages[candidates[0]]
    scores = {k: float(doc.vectors[k] @ centroid) - LEAD_POSITION_PENALTY * k for k in candidates}
    return doc.passages[max(candidates, key=lambda k: (scores[k], -k))]


def _centroid(docs: dict[str, Doc]) -> np.ndarray | None:
    means = []
    for doc in docs.values():
        if len(doc.vectors):
            m = doc.vectors.mean(axis=0)
            means.append(m / max(float(np.linalg.norm(m)), 1e-9))
    if not means:
        return None
    c = np.mean(means, axis=0)
    return c / max(float(np.linalg.norm(c)), 1e-9)


def _change_weight(change: QuoteChange) -> int:
    return sum(q.end - q.start for q in (*change.detail_a, *change.detail_b))


def _shown_kind(flag: DigestFlag) -> str:
    """The kind a reporter reads: a quotation change's most serious (``change_kinds``)."""
    return change_kinds(flag)[0] if isinstance(flag, QuoteChangeFlag) else flag.kind


def _select_flags(flags: list[DigestFlag]) -> tuple[list[DigestFlag], dict[str, int]]:
    """At most MAX_FLAGS, the most serious (``severity``; ties as found), in that order, with
    the number left out of each kind shown."""
    ranked = sorted(flags, key=lambda f: severity(_shown_kind(f)))  # stable: ties keep their order
    chosen, left = ranked[:MAX_FLAGS], ranked[MAX_FLAGS:]
    omitted: dict[str, int] = {}
    for f in left:
        omitted[_shown_kind(f)] = omitted.get(_shown_kind(f), 0) + 1
    return chosen, omitted


def changed_quotations(old: Doc, new: Doc) -> list[QuoteChangeFlag]:
    """The changed quotations of ``new`` against ``old`` worth a flag: most serious first
    (``severity`` of each change's most serious kind, then the most differing words), one
    per pair of quotations."""
    changes = [c for c in compare_docs(old, new).quote_changes if c.kind in QUOTE_FLAG_KINDS]
    changes.sort(key=lambda c: (severity(change_kinds(c)[0]), -_change_weight(c), c.sort_key()))
    seen: set[tuple[int, int, int, int]] = set()
    flags = []
    for c in changes:  # one flag per pair of quotations, its most serious kind first
        key = (c.a.start, c.a.end, c.b.start, c.b.end)
        if key not in seen:
            seen.add(key)
            flags.append(QuoteChangeFlag.of(c))
    return flags


def edited_flags(store: CorpusStore, docs: dict[str, Doc], new: set[str]) -> list[EditedFlag]:
    """New articles that are later versions of a stored one, with their changed quotations."""
    flags = []
    for aid, earlier in sorted(store.article_db.earlier_versions(new & set(docs)).items()):
        if earlier in docs or store.article_db.has(earlier):
            old = docs.get(earlier) or load_doc(store, earlier)
            flags.append(EditedFlag(aid, earlier, tuple(changed_quotations(old, docs[aid]))))
    return flags


def build_story(store: CorpusStore, component: StoryCluster, known: dict[str, Article]) -> DigestStory:
    new = set(component.new)
    older = sorted((m for m in component.members if m not in new), key=lambda m: (-component.strength[m], m))
    newest = sorted(component.new, key=lambda m: (later_first(known[m].added_at or ""), m))
    chosen = (newest + older)[:MAX_STORY_ARTICLES]
    docs = {aid: load_doc(store, aid) for aid in sorted(chosen)}
    story = analyse(docs)
    origin, parents, relations = story.origin, story.parents, story.relations
    order = _ordered(docs, parents, relations)
    derived = {aid: parents[aid] for aid in order if relations[aid] == "derived"}
    articles = [docs[aid].article for aid in order]

    edits = edited_flags(store, docs, new)
    flags: list[DigestFlag] = list(edits)
    # Versions of one page are its edits, not rewrites (whichever way lineage reads them).
    versions = {frozenset(f.article_ids) for f in edits}
    rewrites = sorted(((aid, p) for aid, p in derived.items() if frozenset((aid, p[0])) not in versions),
                      key=lambda kv: (kv[0] not in new, order.index(kv[0])))
    # Quote changes of rewrites against their parents, new articles first; each article's
    # changes most serious first, so that its n-th change comes before any article's
    # (n+1)-th of the same severity (``_select_flags`` keeps ties in this order).
    per_article = [changed_quotations(docs[parent], docs[aid]) for aid, (parent, _share) in rewrites]
    changes = {aid: mine for (aid, _), mine in zip(rewrites, per_article)}
    flags += [f for n in range(max(map(len, per_article), default=0))
              for mine in per_article if n < len(mine) for f in mine[n:n + 1]]
    flags.extend(DerivedFlag(aid, p, share) for aid, (p, share) in rewrites)
    ids = tuple(order)
    outlets_known = [a.outlet for a in articles]
    if len(component.members) == 1:
        flags.append(SingleSourceFlag("one_article", order[0], ids))
    elif all(o is not None for o in outlets_known) and len({o.casefold() for o in outlets_known}) == 1:
        flags.append(SingleSourceFlag("one_outlet", order[0], ids, outlets_known[0]))
    elif origin is not None and all(relations[a] in ("origin", "derived") for a in order):
        flags.append(SingleSourceFlag("all_derived", origin, ids))
    undated = tuple(a.article_id for a in articles if not a.published)
    if undated:
        flags.append(MissingMetadataFlag("undated", undated))
    no_outlet = tuple(a.article_id for a in articles if not a.outlet)
    if no_outlet:
        flags.append(MissingMetadataFlag("unknown_outlet", no_outlet))
    flags, omitted = _select_flags(flags)

    names = OutletNames(store.article_db)
    lead_doc = docs[origin] if origin else docs[order[0]]
    outlets = list(dict.fromkeys(a.outlet for a in articles))
    return DigestStory(
        articles=articles,
        lead=lead_quote(lead_doc, _centroid(docs)),
        flags=flags,
        outlets=outlets,
        new=new & set(docs),
        relations=relations,
        derived_from={aid: p for aid, (p, _) in derived.items()},
        reuse_from_parent={aid: share for aid, (_, share) in derived.items()},
        origin=origin,
        size=len(component.members),
        flags_omitted=sum(omitted.values()),
        omitted_kinds=omitted,
        new_not_listed=[m for m in newest if m not in docs],
        credits={aid: article_credit(store, names, aid, origin, relations[aid] == "derived", changes.get(aid, ()))
                 for aid in order},
    )


# -- the digest ---------------------------------------------------------------------------------


def new_articles(store: CorpusStore, since: datetime, until: datetime) -> list[Article]:
    """Articles with ``since <= added_at < until``."""
    listed = store.article_db.list(added_since=_stamp(since))
    out = []
    for article in listed:
        added = _added(article)
        if added is not None and since <= added < until:
            out.append(article)
    return out


def digest(
    store: CorpusStore,
    since: str | datetime | None = None,
    until: str | datetime | None = None,
    max_stories: int = 50,
    now: datetime | None = None,
) -> DigestResult:
    """Stories of the articles added in ``[since, until)`` (see the module docstring).
    ``since``/``until``: see ``parse_since``; durations count back from ``now``, and
    ``since`` defaults to 24 hours before ``until``."""
    now = utc(now or datetime.now(timezone.utc))
    until_dt = _moment(until, now) or now
    since_dt = _moment(since, now) or until_dt - DEFAULT_WINDOW
    if since_dt > until_dt:
        raise UserError(f"since ({since_dt.isoformat()}) is after until ({until_dt.isoformat()})")
    max_stories = max(1, int(max_stories))
    fresh = new_articles(store, since_dt, until_dt)
    if not fresh:
        return DigestResult(since_dt, until_dt, [], 0, 0)
    components, known = cluster_new_articles(store, fresh, until_dt)
    stories = [build_story(store, c, known) for c in components[:max_stories]]
    not_shown = [known[m] for c in components[max_stories:] for m in c.new]
    not_shown.sort(key=lambda a: (later_first(a.added_at or ""), a.article_id))
    return DigestResult(since_dt, until_dt, stories, len(fresh), max(0, len(components) - max_stories), not_shown)
