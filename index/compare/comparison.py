"""`compare`: align two articles passage by passage; show word-level edits, meaning
changes and what changed in quotations.

Pairs (``pairs``), from the stored passage vectors (nothing is re-embedded) and the words:

- ``verbatim``: the normalized words are the same (case, accents, punctuation, quote
  styles, hyphens and spacing ignored), nearly the same (rapidfuzz ratio >= VERBATIM_RATIO)
  or one passage contains the other nearly word for word, and no meaning change is
  flagged. ``exact`` is True only when the words are identical; otherwise ``edits`` lists
  the inserted, deleted and replaced words with offsets into both texts;
- ``reworded``: aligned by compare/pairing.py (embedding cosine, shared words and phrases,
  shared names and numbers, combined by a fitted model), or near-verbatim with a meaning
  change. Each pair carries ``flags`` from compare/meaning.py and the roles of both passages.

Each passage keeps its best counterpart on the other side, and each counterpart keeps
its best passage, so merged and split sentences give one pair per part.

``quote_changes``: one entry per quotation and counterpart, ``flags`` listing every change
(``kind`` is the first): a quotation matched to a quotation of the other text gets the
compare/quote_changes.py kinds (``attribution_changed``, ``quote_altered``, ``title_changed``,
``brackets_changed``, ``ellipsis_changed``); a quotation the other text does not quote but
paraphrases in an aligned passage is ``quote_removed`` (of A) or ``quote_added`` (of B),
with ``wording_changed`` when words inside it were replaced between unchanged words.
A quotation with no counterpart at all is listed in ``unmatched_quotes``; a quoted term
(fewer than MIN_SPEECH_WORDS words) whose words the other text uses unquoted is no change.

``reuse`` comes from compare/reuse.py (copied word runs, corroborated rewording), the same
evidence lineage and the digest use, so the three always show the same shares.

The result is computed once in a canonical order (smaller article id as A) and mirrored
when asked the other way round, so compare(B, A) mirrors compare(A, B) exactly.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from index.compare.meaning import Side, meaning_flags
from index.compare.pairing import aligned_mask, pair_evidence
from index.compare.quote_changes import match_quotations, matched_quotation_flags, quotation_words
from index.compare.results import AlignedPair, CompareResult, Flag, QuoteChange, UnmatchedQuote, WordEdit
from index.compare.reuse import REWORDED_SIMILARITY, reuse_between  # noqa: F401  (REWORDED_SIMILARITY re-exported)
from index.records import Article, Quote, Span
from index.store.corpus import CorpusStore
from index.text.quotations import MIN_SPEECH_WORDS, Quotation, find_quotations
from index.text.roles import passage_roles
from index.text.word_diff import WordOpcode, insertion_point, opcodes, word_edits
from index.text.words import Word, normalized, words

VERBATIM_RATIO = 0.89
# A passage that contains the other nearly word for word is verbatim only when the
# shorter one is long enough for the containment to mean anything.
MIN_CONTAINED_WORDS = 6
# Containment is scored only where at least this share of the shorter text's words occur
# in the longer: a cheap filter far below what a 0.89 partial ratio implies.
CONTAINMENT_WORD_SHARE = 0.5
# wording_changed: unchanged words needed on each side of a replaced run.
WORDING_ANCHOR_WORDS = 2


def _shared_word_share(norm_a: list[str], norm_b: list[str]) -> np.ndarray:
    """Share of the shorter text's distinct words found in the other, for every pair."""
    sets_a = [set(t.split()) for t in norm_a]
    sets_b = [set(t.split()) for t in norm_b]
    vocab = {w: k for k, w in enumerate(set().union(*sets_a, *sets_b))}
    ma = np.zeros((len(sets_a), len(vocab)), dtype=np.float32)
    mb = np.zeros((len(sets_b), len(vocab)), dtype=np.float32)
    for m, sets in ((ma, sets_a), (mb, sets_b)):
        for row, words_ in enumerate(sets):
            m[row, [vocab[w] for w in words_]] = 1.0
    sizes = np.minimum(ma.sum(axis=1)[:, None], mb.sum(axis=1)[None, :])
    return (ma @ mb.T) / np.maximum(sizes, 1.0)


def verbatim_matrix(norm_a: list[str], norm_b: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(is verbatim, ratio) for every pair of normalized texts. The partial ratio (one
    text inside the other) is computed only where most words of the shorter text occur
    in the longer: it is the costly score."""
    # The cutoff lets rapidfuzz skip most pairs early (length bounds); pairs below it
    # score 0 here and get their exact ratio later only if they are aligned.
    ratio = cdist(norm_a, norm_b, scorer=fuzz.ratio, dtype=np.float32, workers=-1,
                  score_cutoff=VERBATIM_RATIO * 100) / 100.0
    len_a = np.array([t.count(" ") + 1 if t else 0 for t in norm_a])[:, None]
    len_b = np.array([t.count(" ") + 1 if t else 0 for t in norm_b])[None, :]
    verbatim = ratio >= VERBATIM_RATIO
    candidates = (~verbatim) & (np.minimum(len_a, len_b) >= MIN_CONTAINED_WORDS)
    if candidates.any():
        candidates &= _shared_word_share(norm_a, norm_b) >= CONTAINMENT_WORD_SHARE
    for i, j in zip(*np.nonzero(candidates)):
        verbatim[i, j] = fuzz.partial_ratio(norm_a[i], norm_b[j], score_cutoff=VERBATIM_RATIO * 100) > 0
    return verbatim, ratio


# -- documents ------------------------------------------------------------------------------


@dataclass
class Doc:
    """One article loaded once for any number of comparisons. ``stored_roles``: passage
    roles kept with the passages, when the store has them (they win over text/roles.py)."""

    article: Article
    text: str
    passages: list[Quote]
    vectors: np.ndarray
    stored_roles: list[str | None] | None = None
    norms: list[str] = field(init=False)
    passage_words: list[list[Word]] = field(init=False, repr=False)
    _quotations: list[Quotation] | None = field(default=None, init=False, repr=False)
    _roles: list[str] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.passage_words = [words(self.text, p.start, p.end) for p in self.passages]
        self.norms = [normalized(self.text, p.start, p.end) for p in self.passages]

    @property
    def article_id(self) -> str:
        return self.article.article_id

    @property
    def quotations(self) -> list[Quotation]:
        if self._quotations is None:
            self._quotations = find_quotations(self.text)
        return self._quotations

    @property
    def roles(self) -> list[str]:
        if self._roles is None:
            spans = [Span(p.start, p.end) for p in self.passages]
            self._roles = passage_roles(self.text, spans, self.stored_roles)
        return self._roles

    def quote(self, start: int, end: int) -> Quote:
        return Quote.of(self.article_id, self.text, start, end)

    def passage_chars(self) -> int:
        return sum(p.end - p.start for p in self.passages)


def load_doc(store: CorpusStore, article_id: str) -> Doc:
    """A stored article (a full id) read for comparing."""
    article, text = store.article_text(article_id)
    return Doc(article, text, store.passages(article_id), store.passage_vectors(article_id))


# -- alignment -----------------------------------------------------------------------------------


def _best_links(ok: np.ndarray, score: np.ndarray) -> list[tuple[int, int]]:
    """Each passage's best counterpart and each counterpart's best passage."""
    score = np.where(ok, score, -np.inf)
    chosen: set[tuple[int, int]] = set()
    for i in np.flatnonzero(ok.any(axis=1)):
        chosen.add((int(i), int(np.argmax(score[i]))))
    for j in np.flatnonzero(ok.any(axis=0)):
        chosen.add((int(np.argmax(score[:, j])), int(j)))
    return sorted(chosen)


def _ratio(a: Doc, b: Doc, ratio: np.ndarray, i: int, j: int) -> float:
    return float(ratio[i, j]) or fuzz.ratio(a.norms[i], b.norms[j]) / 100.0


@dataclass(frozen=True)
class PairLink:
    i: int
    j: int
    verbatim: bool
    similarity: float
    ratio: float
    probability: float


def pair_links(a: Doc, b: Doc, sim: np.ndarray, verbatim: np.ndarray, ratio: np.ndarray) -> list[PairLink]:
    ev = pair_evidence(sim, a.passage_words, b.passage_words)
    ok = aligned_mask(ev, verbatim, a.roles, b.roles)
    # A verbatim counterpart always wins, the closest words first among them.
    score = ev.probability + verbatim * (1.0 + ratio)
    return [PairLink(i, j, bool(verbatim[i, j]), float(sim[i, j]), _ratio(a, b, ratio, i, j), float(ev.probability[i, j]))
            for i, j in _best_links(ok, score)]


def _edit(a: Doc, b: Doc, wa: list[Word], wb: list[Word], e: WordOpcode, pa: Quote, pb: Quote) -> WordEdit:
    qa = a.quote(wa[e.a0].start, wa[e.a1 - 1].end) if e.a1 > e.a0 else None
    qb = b.quote(wb[e.b0].start, wb[e.b1 - 1].end) if e.b1 > e.b0 else None
    return WordEdit(e.op, qa, qb, qa.start if qa else insertion_point(wa, e.a0, pa.start),
                    qb.start if qb else insertion_point(wb, e.b0, pb.start))


def _group_words(doc: Doc, indices: list[int]) -> list[Word]:
    return [w for k in sorted(set(indices)) for w in doc.passage_words[k]]


def build_pair(a: Doc, b: Doc, link: PairLink, group_a: list[int], group_b: list[int]) -> AlignedPair:
    """``group_a``: A's passages aligned with B's passage ``link.j``; ``group_b``: B's
    passages aligned with A's passage ``link.i``."""
    pa, pb = a.passages[link.i], b.passages[link.j]
    wa, wb = a.passage_words[link.i], b.passage_words[link.j]
    edits = [_edit(a, b, wa, wb, e, pa, pb) for e in word_edits(wa, wb)]
    side_a = Side(a.text, Span(pa.start, pa.end), wa, _group_words(a, group_a))
    side_b = Side(b.text, Span(pb.start, pb.end), wb, _group_words(b, group_b))
    # Version times differ between any two versions: no meaning change.
    datelines = "dateline" in (a.roles[link.i], b.roles[link.j])
    flags = () if datelines else tuple(
        Flag(f.kind, tuple(a.quote(s.start, s.end) for s in f.spans_a), tuple(b.quote(s.start, s.end) for s in f.spans_b))
        for f in meaning_flags(side_a, side_b)
    )
    kind = "verbatim" if link.verbatim and not flags else "reworded"
    diff_a = tuple(Span(e.a.start, e.a.end) for e in edits if e.a)
    diff_b = tuple(Span(e.b.start, e.b.end) for e in edits if e.b)
    return AlignedPair(kind, pa, pb, link.similarity, link.ratio, diff_a, diff_b,
                       exact=kind == "verbatim" and not edits, edits=tuple(edits), flags=flags,
                       role_a=a.roles[link.i], role_b=b.roles[link.j])


# -- quotations -----------------------------------------------------------------------------


def _attribution_quote(doc: Doc, q: Quotation) -> Quote | None:
    return doc.quote(q.attribution.start, q.attribution.end) if q.attribution else None


def _passages_over(doc: Doc, start: int, end: int) -> list[int]:
    return [k for k, p in enumerate(doc.passages) if p.start < end and start < p.end]


def _role_over(doc: Doc, q: Quotation) -> str:
    over = _passages_over(doc, q.start, q.end)
    return doc.roles[over[0]] if over else "body"


def _as_flags(doc_a: Doc, doc_b: Doc, kind: str, spans_a, spans_b) -> Flag:
    return Flag(kind, tuple(doc_a.quote(s.start, s.end) for s in spans_a), tuple(doc_b.quote(s.start, s.end) for s in spans_b))


def _wording_runs(own: Doc, other: Doc, k: int, o: int, q: Quotation) -> tuple[list[Span], list[Span]]:
    """Replaced runs inside quotation ``q`` of ``own``, between unchanged words of its
    passage ``k`` and passage ``o`` of ``other``."""
    wa, wb = own.passage_words[k], other.passage_words[o]
    ops = opcodes(wa, wb, stemmed=True)
    out_a, out_b = [], []
    for n in range(1, len(ops) - 1):
        tag, a0, a1, b0, b1 = ops[n]
        before, after = ops[n - 1], ops[n + 1]
        anchored = (before[0] == "equal" and before[2] - before[1] >= WORDING_ANCHOR_WORDS
                    and after[0] == "equal" and after[2] - after[1] >= WORDING_ANCHOR_WORDS)
        inside = a1 > a0 and q.covers(wa[a0].start, wa[a1 - 1].end)
        if tag == "replace" and anchored and inside:
            out_a.append(Span(wa[a0].start, wa[a1 - 1].end))
            out_b.append(Span(wb[b0].start, wb[b1 - 1].end))
    return out_a, out_b


def _is_term_used(own: Doc, q: Quotation, other: Doc) -> bool:
    """A quoted term (‘hawks’) the other text uses without quote marks: style, no change."""
    keys = [w.key for w in quotation_words(own.text, q)]
    if len(keys) >= MIN_SPEECH_WORDS:
        return False
    needle = f" {' '.join(keys)} "
    return any(needle in f" {norm} " for norm in other.norms)


def _unmatched(own: Doc, other: Doc, q: Quotation, links: dict[int, list[tuple[float, int]]],
               own_is_a: bool) -> QuoteChange | UnmatchedQuote | None:
    """quote_removed (a quotation of A; quote_added when ``own`` is B, built as A then
    mirrored) against its best aligned passage, or with no counterpart."""
    if _is_term_used(own, q, other):
        return None
    quote, attribution = own.quote(q.start, q.end), _attribution_quote(own, q)
    aligned = [(p, k, o) for k in _passages_over(own, q.start, q.end) for p, o in links.get(k, [])]
    if not aligned:
        return UnmatchedQuote("quote_removed" if own_is_a else "quote_added", quote, attribution, _role_over(own, q))
    _, k, o = max(aligned)
    counterpart = other.passages[o]
    runs_own, runs_other = _wording_runs(own, other, k, o, q)
    flags = [Flag("quote_removed", (quote,), ())]
    if runs_own:
        flags.append(_as_flags(own, other, "wording_changed", runs_own, runs_other))
    change = QuoteChange("quote_removed", quote, counterpart, attribution_a=attribution, counterpart="aligned",
                         flags=tuple(flags), role_a=own.roles[k], role_b=other.roles[o])
    return change if own_is_a else change.mirrored()


def quotation_changes(a: Doc, b: Doc, links: list[PairLink]) -> tuple[list[QuoteChange], list[UnmatchedQuote]]:
    words_a = [quotation_words(a.text, q) for q in a.quotations]
    words_b = [quotation_words(b.text, q) for q in b.quotations]
    matches = match_quotations([[w.key for w in ws] for ws in words_a], [[w.key for w in ws] for ws in words_b])
    changes: list[QuoteChange] = []
    for ia, ib in matches:
        qa, qb = a.quotations[ia], b.quotations[ib]
        speech = min(len(words_a[ia]), len(words_b[ib])) >= MIN_SPEECH_WORDS
        found = matched_quotation_flags(a.text, qa, b.text, qb, speech)
        if not found:
            continue
        flags = tuple(_as_flags(a, b, f.kind, f.spans_a, f.spans_b) for f in found)
        changes.append(QuoteChange(
            flags[0].kind, a.quote(qa.start, qa.end), b.quote(qb.start, qb.end), flags[0].detail_a, flags[0].detail_b,
            _attribution_quote(a, qa), _attribution_quote(b, qb), flags=flags,
            role_a=_role_over(a, qa), role_b=_role_over(b, qb),
        ))
    by_a: dict[int, list[tuple[float, int]]] = {}
    by_b: dict[int, list[tuple[float, int]]] = {}
    for l in links:
        by_a.setdefault(l.i, []).append((l.probability + l.verbatim, l.j))
        by_b.setdefault(l.j, []).append((l.probability + l.verbatim, l.i))
    unmatched: list[UnmatchedQuote] = []
    matched_a, matched_b = {ia for ia, _ in matches}, {ib for _, ib in matches}
    for own, other, matched, index, own_is_a in ((a, b, matched_a, by_a, True), (b, a, matched_b, by_b, False)):
        for n, q in enumerate(own.quotations):
            if n in matched or q.depth > 0:
                continue
            found = _unmatched(own, other, q, index, own_is_a)
            if isinstance(found, QuoteChange):
                changes.append(found)
            elif found is not None:
                unmatched.append(found)
    return changes, unmatched


# -- compare --------------------------------------------------------------------------------


def _compare(a: Doc, b: Doc) -> CompareResult:
    if a.passages and b.passages:
        sim = a.vectors @ b.vectors.T
        verbatim, ratio = verbatim_matrix(a.norms, b.norms)
        links = pair_links(a, b, sim, verbatim, ratio)
    else:
        links = []
    opposite_a: dict[int, list[int]] = {}
    opposite_b: dict[int, list[int]] = {}
    for l in links:
        opposite_a.setdefault(l.j, []).append(l.i)
        opposite_b.setdefault(l.i, []).append(l.j)
    pairs = [build_pair(a, b, l, opposite_a[l.j], opposite_b[l.i]) for l in links]
    changes, unmatched = quotation_changes(a, b, links)
    linked_a, linked_b = {l.i for l in links}, {l.j for l in links}
    return CompareResult(
        a=a.article,
        b=b.article,
        pairs=pairs,
        only_a=[p for k, p in enumerate(a.passages) if k not in linked_a],
        only_b=[p for k, p in enumerate(b.passages) if k not in linked_b],
        quote_changes=sorted(set(changes), key=QuoteChange.sort_key),
        reuse=reuse_between(a, b),  # the same evidence as lineage's and the digest's shares
        unmatched_quotes=sorted(set(unmatched), key=UnmatchedQuote.sort_key),
        only_a_roles=[a.roles[k] for k in range(len(a.passages)) if k not in linked_a],
        only_b_roles=[b.roles[k] for k in range(len(b.passages)) if k not in linked_b],
    )


def compare_docs(a: Doc, b: Doc) -> CompareResult:
    """Compare two loaded articles; symmetric by construction (see module docstring)."""
    if a.article_id <= b.article_id:
        return _compare(a, b)
    return _compare(b, a).mirrored()


def compare_articles(store: CorpusStore, a_id: str, b_id: str) -> CompareResult:
    return compare_docs(load_doc(store, a_id), load_doc(store, b_id))
