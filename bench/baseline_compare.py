"""Frozen copy of index/compare.py before issue 12 (commit a647b43): the same-run baseline of
bench/eval_compare.py. Not used by the product.

`compare`: align two articles passage by passage and list what changed in quotations.

Alignment uses the stored passage vectors (nothing is re-embedded):

- ``verbatim``: the normalized words are the same (case, accents, punctuation, quote
  styles and hyphens ignored), nearly the same (rapidfuzz ratio >= VERBATIM_RATIO, so a
  one-word edit stays verbatim and shows up in ``quote_changes``), or one passage
  contains the other nearly word for word (a merged or split sentence);
- ``reworded``: embedding cosine similarity >= REWORDED_SIMILARITY.

Each passage keeps its best counterpart on the other side, and each counterpart keeps
its best passage, so merged and split sentences give one pair per part. Thresholds were
chosen on tests/data/alignment_pairs.jsonl (bench/bench_compare.py prints the figures).

``quote_changes`` kinds, a fixed vocabulary:

- ``quote_altered``: a quotation matched to a quotation of the other text whose words
  differ (details: the differing words);
- ``attribution_changed``: the same quotation credited to a different speaker (the
  attribution phrases are given; pronouns such as "It adds" count as no speaker);
- ``quote_added``: a quotation in B with no matching quotation in A; ``a`` is A's
  aligned (or nearest similar) passage;
- ``quote_removed``: the converse, a quotation of A that B does not quote;
- ``wording_changed``: inside a quotation of one text that the other paraphrases (no
  matching quotation), words replaced between unchanged words ("breaks ranks [to
  sanction] Trump’s approach" against "break ranks in favor of Trump’s approach");
- ``number_changed``, ``date_changed``, ``name_changed``: within an aligned pair, a
  replaced run of words holding a number, a date or a capitalized name on both sides.

The result is computed once in a canonical order (smaller article id as A) and mirrored
when asked the other way round, so compare(B, A) mirrors compare(A, B) exactly.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from bench.baseline_quotations import MIN_SPEECH_WORDS, Quotation, find_quotations
from index.compare.results import AlignedPair, CompareResult, QuoteChange, Reuse
from index.records import Article, Quote, Span

VERBATIM_RATIO = 0.89
REWORDED_SIMILARITY = 0.725
# A passage that contains the other nearly word for word is verbatim only when the
# shorter one is long enough for the containment to mean anything.
MIN_CONTAINED_WORDS = 6
# Containment is scored only where at least this share of the shorter text's words occur
# in the longer: a cheap filter far below what a 0.89 partial ratio implies.
CONTAINMENT_WORD_SHARE = 0.5
# Looser similarity under which a passage still serves as the context of a quotation
# added or removed when no aligned passage exists.
CONTEXT_SIMILARITY = 0.55
# Two quotations match when they share a run of words this long (in characters of
# normalized words) covering this share of the shorter one.
QUOTE_MATCH_MIN_CHARS = 12
QUOTE_MATCH_MIN_SHARE = 0.5
# wording_changed: unchanged words needed on each side of a replaced run.
WORDING_ANCHOR_WORDS = 2
# Facts are read from word differences only where the two passages share most words:
# elsewhere the difference of two rewordings is no single replaced fact.
FACT_MIN_RATIO = 0.6
MAX_FACT_RUN_WORDS = 3
# Leading or trailing unmatched words of a partly matched quotation shown as details.
DETAIL_CONTEXT_WORDS = 3

# Dotted acronyms (U.S.) are one word; hyphens and apostrophes join a word's parts.
_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:[-‐'’]\w+)*")
_JOINERS = re.compile(r"[-‐'’.]")
_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday".split()
)
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty "
    "hundred hundreds thousand thousands million millions billion billions dozen dozens half".split()
)
_SPEAKER_NOISE = frozenset(
    """according to the a an one it he she they we i his her their its this that what who which
    have has had been is are was were be and of on in with by from for as what said says say stated
    states told tells added adds concluded concludes outlined outlines outline described describes
    describe warned warns warn explained explains insisted insists wrote writes declared declares
    admitted admits argued argues announced announces revealed reveals reveal also""".split()
)


# -- words ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    key: str  # lower case, no accents, hyphens and apostrophes dropped
    start: int
    end: int
    capitalized: bool


def word_key(token: str) -> str:
    token = unicodedata.normalize("NFKD", token)
    token = "".join(c for c in token if not unicodedata.combining(c))
    return _JOINERS.sub("", token.lower())


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    end = len(text) if end is None else end
    return [
        Word(word_key(m.group()), m.start(), m.end(), m.group()[:1].isupper())
        for m in _WORD.finditer(text, start, end)
    ]


def normalized(text: str) -> str:
    """The words of ``text`` as compared for verbatim matches."""
    return " ".join(w.key for w in words(text))


def _stem(key: str) -> str:
    # Enough to align "breaks"/"break" and "Trump’s"/"Trump" when looking for anchors.
    return key[:-1] if len(key) > 3 and key.endswith("s") and not key.endswith("ss") else key


def text_scores(norm_a: list[str], norm_b: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(ratio, partial ratio) of every pair of normalized texts, as 0..1 matrices."""
    ratio = cdist(norm_a, norm_b, scorer=fuzz.ratio, dtype=np.float32) / 100.0
    partial = cdist(norm_a, norm_b, scorer=fuzz.partial_ratio, dtype=np.float32) / 100.0
    return ratio, partial


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
    """One article loaded once for any number of comparisons."""

    article: Article
    text: str
    passages: list[Quote]
    vectors: np.ndarray
    norms: list[str] = field(init=False)
    passage_words: list[list[Word]] = field(init=False, repr=False)
    _quotations: list[Quotation] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.passage_words = [words(self.text, p.start, p.end) for p in self.passages]
        self.norms = [" ".join(w.key for w in ws) for ws in self.passage_words]

    @property
    def article_id(self) -> str:
        return self.article.article_id

    @property
    def quotations(self) -> list[Quotation]:
        if self._quotations is None:
            self._quotations = find_quotations(self.text)
        return self._quotations

    def quote(self, start: int, end: int) -> Quote:
        return Quote.of(self.article_id, self.text, start, end)

    def passage_chars(self) -> int:
        return sum(p.end - p.start for p in self.passages)


def load_doc(engine, article_id: str) -> Doc:
    article, text = engine.show(article_id)
    return Doc(article, text, engine.passages(article.article_id), engine.passage_vectors(article.article_id))


# -- alignment ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    i: int  # passage index in A
    j: int  # passage index in B
    kind: str
    similarity: float
    ratio: float


def align(a: Doc, b: Doc) -> list[Link]:
    """Aligned passage pairs, ordered by A then B."""
    if not a.passages or not b.passages:
        return []
    sim = a.vectors @ b.vectors.T
    verbatim, ratio = verbatim_matrix(a.norms, b.norms)
    ok = verbatim | (sim >= REWORDED_SIMILARITY)
    score = np.where(ok, sim + verbatim, -np.inf)  # a verbatim counterpart always wins
    chosen: set[tuple[int, int]] = set()
    for i in np.flatnonzero(ok.any(axis=1)):
        chosen.add((int(i), int(np.argmax(score[i]))))
    for j in np.flatnonzero(ok.any(axis=0)):
        chosen.add((int(np.argmax(score[:, j])), int(j)))
    return [
        Link(i, j, "verbatim" if verbatim[i, j] else "reworded", float(sim[i, j]),
             float(ratio[i, j]) or fuzz.ratio(a.norms[i], b.norms[j]) / 100.0)
        for i, j in sorted(chosen)
    ]


def reuse_of(a: Doc, b: Doc, links: list[Link]) -> Reuse:
    def shares(doc: Doc, index: dict[int, str]) -> tuple[float, float]:
        total = doc.passage_chars() or 1
        chars = {"verbatim": 0, "reworded": 0}
        for k, kind in index.items():
            chars[kind] += doc.passages[k].end - doc.passages[k].start
        return chars["verbatim"] / total, chars["reworded"] / total

    best_a: dict[int, str] = {}
    best_b: dict[int, str] = {}
    for link in links:  # a passage with any verbatim counterpart counts as verbatim
        if best_a.get(link.i) != "verbatim":
            best_a[link.i] = link.kind
        if best_b.get(link.j) != "verbatim":
            best_b[link.j] = link.kind
    a_v, a_r = shares(a, best_a)
    b_v, b_r = shares(b, best_b)
    return Reuse(b_from_a_verbatim=b_v, b_from_a_reworded=b_r, a_from_b_verbatim=a_v, a_from_b_reworded=a_r)


# -- word differences -----------------------------------------------------------------------


def _opcodes(wa: list[Word], wb: list[Word], stem: bool = False) -> list[tuple[str, int, int, int, int]]:
    key = _stem if stem else (lambda k: k)
    return SequenceMatcher(None, [key(w.key) for w in wa], [key(w.key) for w in wb], autojunk=False).get_opcodes()


def _run_span(ws: list[Word], lo: int, hi: int) -> Span | None:
    return Span(ws[lo].start, ws[hi - 1].end) if hi > lo else None


def diff_spans(wa: list[Word], wb: list[Word]) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """Runs of differing words on each side, as absolute spans."""
    out_a, out_b = [], []
    for tag, a0, a1, b0, b1 in _opcodes(wa, wb):
        if tag == "equal":
            continue
        for out, span in ((out_a, _run_span(wa, a0, a1)), (out_b, _run_span(wb, b0, b1))):
            if span is not None:
                out.append(span)
    return tuple(out_a), tuple(out_b)


def _clipped_details(wa: list[Word], wb: list[Word]) -> tuple[list[Span], list[Span]]:
    """Differing runs of two matched quotations; a long unmatched head or tail of one
    (a short quotation matched inside a long one) is cut to the words next to the match."""
    ops = _opcodes(wa, wb)
    out_a, out_b = [], []
    for n, (tag, a0, a1, b0, b1) in enumerate(ops):
        if tag == "equal":
            continue
        keep = min(a1 - a0, b1 - b0) + DETAIL_CONTEXT_WORDS
        if n == 0:
            a0, b0 = max(a0, a1 - keep), max(b0, b1 - keep)
        elif n == len(ops) - 1:
            a1, b1 = min(a1, a0 + keep), min(b1, b0 + keep)
        for out, span in ((out_a, _run_span(wa, a0, a1)), (out_b, _run_span(wb, b0, b1))):
            if span is not None:
                out.append(span)
    return out_a, out_b


# -- quotations -----------------------------------------------------------------------------


def _quotation_words(doc: Doc, q: Quotation) -> list[Word]:
    return [w for part in q.parts for w in words(doc.text, part.start, part.end)]


def _quote_match_score(ka: list[str], kb: list[str]) -> float:
    """0 unless the quotations are equal or share a run of words long enough to identify
    them (QUOTE_MATCH_MIN_CHARS) with words in common covering QUOTE_MATCH_MIN_SHARE of
    the shorter; else the mean share of both covered, so that a term matches its equal
    term rather than a long quotation that happens to contain it."""
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    blocks = SequenceMatcher(None, ka, kb, autojunk=False).get_matching_blocks()
    runs = [len(" ".join(ka[m.a : m.a + m.size])) for m in blocks if m.size]
    common = sum(runs)
    len_a, len_b = len(" ".join(ka)), len(" ".join(kb))
    if not runs or max(runs) < QUOTE_MATCH_MIN_CHARS or common < QUOTE_MATCH_MIN_SHARE * min(len_a, len_b):
        return 0.0
    return (common / len_a + common / len_b) / 2


def _match_quotations(ka: list[list[str]], kb: list[list[str]]) -> list[tuple[int, int]]:
    """Pairs where one quotation is the best partner of the other, kept when the pair is
    the shorter one's best: a quotation split in two keeps both halves, and a long
    quotation cannot take a term that has its own equal term on the other side."""
    scores = np.array([[_quote_match_score(x, y) for y in kb] for x in ka]).reshape(len(ka), len(kb))
    best_b = {i: int(np.argmax(scores[i])) for i in range(len(ka)) if len(kb) and scores[i].max() > 0}
    best_a = {j: int(np.argmax(scores[:, j])) for j in range(len(kb)) if len(ka) and scores[:, j].max() > 0}
    candidates = set(best_b.items()) | {(i, j) for j, i in best_a.items()}
    length_a = [len(" ".join(x)) for x in ka]
    length_b = [len(" ".join(y)) for y in kb]
    return sorted(
        (i, j) for i, j in candidates
        if (best_b.get(i) == j if length_a[i] <= length_b[j] else best_a.get(j) == i)
        or (length_a[i] == length_b[j] and (best_b.get(i) == j or best_a.get(j) == i))
    )


def _speaker(text: str) -> frozenset[str]:
    return frozenset(_stem(w.key) for w in words(text) if w.key not in _SPEAKER_NOISE)


def _attribution_quote(doc: Doc, q: Quotation) -> Quote | None:
    return doc.quote(q.attribution.start, q.attribution.end) if q.attribution else None


def _speakers_differ(a: Quote | None, b: Quote | None) -> bool:
    if a is None or b is None:
        return False
    sa, sb = _speaker(a.text), _speaker(b.text)
    return bool(sa) and bool(sb) and not (sa <= sb or sb <= sa)


class _Context:
    """Which passage of the other text stands opposite a span of this one."""

    def __init__(self, own: Doc, other: Doc, links: list[tuple[int, int, float]], sim: np.ndarray) -> None:
        self.own, self.other, self.links, self.sim = own, other, links, sim

    def passages_over(self, span: Span) -> list[int]:
        return [k for k, p in enumerate(self.own.passages) if p.start < span.end and span.start < p.end]

    def counterpart(self, q: Quotation) -> tuple[int, int, str] | None:
        """(own passage, other passage, "aligned"|"nearest"): the best aligned pair over
        the quotation, else the most similar passage above CONTEXT_SIMILARITY."""
        over = self.passages_over(Span(q.start, q.end))
        linked = [(s, k, o) for k, o, s in self.links if k in over]
        if linked:
            _, k, o = max(linked)
            return k, o, "aligned"
        if not over or self.sim.shape[1] == 0:
            return None
        k = max(over, key=lambda k: float(self.sim[k].max()))
        o = int(np.argmax(self.sim[k]))
        return (k, o, "nearest") if self.sim[k, o] >= CONTEXT_SIMILARITY else None


def _wording_runs(a: Doc, b: Doc, ka: int, kb: int, q: Quotation) -> tuple[list[Span], list[Span]]:
    """Replaced runs inside quotation ``q`` of ``a``, between unchanged words of its
    passage ``ka`` and passage ``kb`` of ``b``."""
    wa, wb = a.passage_words[ka], b.passage_words[kb]
    ops = _opcodes(wa, wb, stem=True)
    out_a, out_b = [], []
    for n in range(1, len(ops) - 1):
        tag, a0, a1, b0, b1 = ops[n]
        before, after = ops[n - 1], ops[n + 1]
        anchored = (before[0] == "equal" and before[2] - before[1] >= WORDING_ANCHOR_WORDS
                    and after[0] == "equal" and after[2] - after[1] >= WORDING_ANCHOR_WORDS)
        inside = any(p.start <= wa[a0].start and wa[a1 - 1].end <= p.end for p in q.parts) if a1 > a0 else False
        if tag == "replace" and anchored and inside:
            out_a.append(Span(wa[a0].start, wa[a1 - 1].end))
            out_b.append(Span(wb[b0].start, wb[b1 - 1].end))
    return out_a, out_b


def _unquoted_changes(own: Doc, other: Doc, q: Quotation, ctx: _Context, own_is_a: bool) -> list[QuoteChange]:
    """quote_removed (quotation of A) or quote_added (of B), plus wording_changed; built
    with ``own`` as A, then mirrored when ``own`` is B."""
    found = ctx.counterpart(q)
    if found is None:
        return []
    k, o, how = found
    quote, counterpart = own.quote(q.start, q.end), other.passages[o]
    attribution = _attribution_quote(own, q)
    changes = [QuoteChange("quote_removed", quote, counterpart, attribution_a=attribution, counterpart=how)]
    runs_own, runs_other = _wording_runs(own, other, k, o, q)
    if runs_own:
        changes.append(QuoteChange(
            "wording_changed", quote, counterpart,
            tuple(own.quote(s.start, s.end) for s in runs_own),
            tuple(other.quote(s.start, s.end) for s in runs_other),
            attribution_a=attribution, counterpart=how,
        ))
    return changes if own_is_a else [c.mirrored() for c in changes]


def _quotation_changes(a: Doc, b: Doc, links: list[Link], sim: np.ndarray) -> list[QuoteChange]:
    words_a = [_quotation_words(a, q) for q in a.quotations]
    words_b = [_quotation_words(b, q) for q in b.quotations]
    matches = _match_quotations([[w.key for w in ws] for ws in words_a], [[w.key for w in ws] for ws in words_b])
    changes: list[QuoteChange] = []
    for ia, ib in matches:
        qa, qb = a.quotations[ia], b.quotations[ib]
        quote_a, quote_b = a.quote(qa.start, qa.end), b.quote(qb.start, qb.end)
        att_a, att_b = _attribution_quote(a, qa), _attribution_quote(b, qb)
        if [w.key for w in words_a[ia]] != [w.key for w in words_b[ib]]:
            spans_a, spans_b = _clipped_details(words_a[ia], words_b[ib])
            changes.append(QuoteChange(
                "quote_altered", quote_a, quote_b,
                tuple(a.quote(s.start, s.end) for s in spans_a), tuple(b.quote(s.start, s.end) for s in spans_b),
                att_a, att_b,
            ))
        speech = min(len(words_a[ia]), len(words_b[ib])) >= MIN_SPEECH_WORDS
        if speech and _speakers_differ(att_a, att_b):
            changes.append(QuoteChange("attribution_changed", quote_a, quote_b, attribution_a=att_a, attribution_b=att_b))
    matched_a = {ia for ia, _ in matches}
    matched_b = {ib for _, ib in matches}
    ctx_a = _Context(a, b, [(l.i, l.j, l.similarity) for l in links], sim)
    ctx_b = _Context(b, a, [(l.j, l.i, l.similarity) for l in links], sim.T)
    for n, q in enumerate(a.quotations):
        if n not in matched_a:
            changes.extend(_unquoted_changes(a, b, q, ctx_a, own_is_a=True))
    for n, q in enumerate(b.quotations):
        if n not in matched_b:
            changes.extend(_unquoted_changes(b, a, q, ctx_b, own_is_a=False))
    return changes


# -- facts ----------------------------------------------------------------------------------


def _number_keys(run: list[Word]) -> frozenset[str]:
    return frozenset(w.key for w in run if any(c.isdigit() for c in w.key) or w.key in _NUMBER_WORDS)


def _fact_kind(run_a: list[Word], run_b: list[Word]) -> str | None:
    """date/number/name when both replaced runs hold one and they differ."""
    months_a = {w.key for w in run_a if w.capitalized and w.key in _MONTHS}
    months_b = {w.key for w in run_b if w.capitalized and w.key in _MONTHS}
    if months_a and months_b:
        return "date"
    numbers_a, numbers_b = _number_keys(run_a), _number_keys(run_b)
    if numbers_a and numbers_b and numbers_a != numbers_b:
        return "number"
    names_a = {_stem(w.key) for w in run_a if w.capitalized}
    names_b = {_stem(w.key) for w in run_b if w.capitalized}
    mostly_names = len(names_a) * 2 >= len(run_a) and len(names_b) * 2 >= len(run_b)
    if names_a and names_b and names_a != names_b and mostly_names:
        return "name"
    return None


def _fact_changes(a: Doc, b: Doc, link: Link) -> list[QuoteChange]:
    if link.ratio < FACT_MIN_RATIO:
        return []
    pa, pb = a.passages[link.i], b.passages[link.j]
    wa, wb = a.passage_words[link.i], b.passage_words[link.j]
    out: list[QuoteChange] = []
    for tag, a0, a1, b0, b1 in _opcodes(wa, wb):
        if tag != "replace" or max(a1 - a0, b1 - b0) > MAX_FACT_RUN_WORDS:
            continue
        # A capital at the start of a passage is grammar, not a name.
        run_a = [w for w in wa[a0:a1] if w.start != pa.start]
        run_b = [w for w in wb[b0:b1] if w.start != pb.start]
        kind = _fact_kind(run_a, run_b)
        if kind is not None:
            out.append(QuoteChange(
                f"{kind}_changed", pa, pb,
                (a.quote(wa[a0].start, wa[a1 - 1].end),), (b.quote(wb[b0].start, wb[b1 - 1].end),),
                counterpart="aligned",
            ))
    return out


# -- compare --------------------------------------------------------------------------------


def _compare(a: Doc, b: Doc) -> CompareResult:
    links = align(a, b)
    sim = a.vectors @ b.vectors.T if a.passages and b.passages else np.zeros((len(a.passages), len(b.passages)))
    pairs = []
    for link in links:
        pa, pb = a.passages[link.i], b.passages[link.j]
        diff_a, diff_b = diff_spans(a.passage_words[link.i], b.passage_words[link.j])
        pairs.append(AlignedPair(link.kind, pa, pb, link.similarity, link.ratio, diff_a, diff_b))
    linked_a, linked_b = {l.i for l in links}, {l.j for l in links}
    changes = _quotation_changes(a, b, links, sim)
    for link in links:
        changes.extend(_fact_changes(a, b, link))
    return CompareResult(
        a=a.article,
        b=b.article,
        pairs=pairs,
        only_a=[p for k, p in enumerate(a.passages) if k not in linked_a],
        only_b=[p for k, p in enumerate(b.passages) if k not in linked_b],
        quote_changes=sorted(set(changes), key=QuoteChange.sort_key),
        reuse=reuse_of(a, b, links),
    )


def compare_docs(a: Doc, b: Doc) -> CompareResult:
    """Compare two loaded articles; symmetric by construction (see module docstring)."""
    if a.article_id <= b.article_id:
        return _compare(a, b)
    return _compare(b, a).mirrored()


def compare_articles(engine, a_id: str, b_id: str) -> CompareResult:
    return compare_docs(load_doc(engine, a_id), load_doc(engine, b_id))
