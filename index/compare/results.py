"""Result types of ``compare`` and ``lineage``; ``to_json`` gives the contract's shape
(shared/cli-contract.md) plus documented extra fields. Every text in them is a ``Quote``,
a slice of a stored article."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

# Human labels of the kinds live in index/labels.py (re-exported here for older imports).
from index.labels import FLAG_LABELS, flag_label  # noqa: F401
from index.labels import label
from index.records import Article, Quote, Span

PairKind = Literal["verbatim", "reworded"]

# Kinds whose meaning flips when A and B swap places.
_MIRRORED_KIND = {"quote_added": "quote_removed", "quote_removed": "quote_added"}


def _spans_json(spans: list[Span]) -> list[list[int]]:
    return [[s.start, s.end] for s in spans]


def _quotes_json(quotes: list[Quote]) -> list[dict[str, Any]]:
    return [q.to_json() for q in quotes]


@dataclass(frozen=True)
class Flag:
    """One change from a fixed vocabulary (compare/meaning.py, compare/quote_changes.py) with
    the words that carry it on each side, as quotes (either side may be empty)."""

    kind: str
    detail_a: tuple[Quote, ...] = ()
    detail_b: tuple[Quote, ...] = ()

    def mirrored(self) -> "Flag":
        return Flag(_MIRRORED_KIND.get(self.kind, self.kind), self.detail_b, self.detail_a)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "detail_a": _quotes_json(list(self.detail_a)),
                "detail_b": _quotes_json(list(self.detail_b))}


@dataclass(frozen=True)
class WordEdit:
    """Inserted, deleted or replaced words (text/word_diff.py): ``a``/``b`` are the words
    on each side as quotes (None on the empty side of an insertion or deletion);
    ``a_at``/``b_at`` the offsets where they stand (or would stand) in each text."""

    op: str  # "insert" | "delete" | "replace", reading from A to B
    a: Quote | None
    b: Quote | None
    a_at: int
    b_at: int

    def mirrored(self) -> "WordEdit":
        op = {"insert": "delete", "delete": "insert"}.get(self.op, self.op)
        return WordEdit(op, self.b, self.a, self.b_at, self.a_at)

    def to_json(self) -> dict[str, Any]:
        return {"op": self.op, "a": self.a.to_json() if self.a else None,
                "b": self.b.to_json() if self.b else None, "a_at": self.a_at, "b_at": self.b_at}


@dataclass(frozen=True)
class AlignedPair:
    """A passage of A and its counterpart in B. ``diff_a``/``diff_b`` are the words that
    differ, as absolute spans of each article's text (empty for identical words).
    ``exact``: the words are identical (kind ``verbatim`` only); ``edits``: the word-level
    edits; ``flags``: meaning changes (compare/meaning.py); ``role_*``: passage roles."""

    kind: PairKind
    a: Quote
    b: Quote
    similarity: float  # cosine similarity of the passage embeddings
    text_ratio: float  # rapidfuzz ratio of the normalized texts, 0..1
    diff_a: tuple[Span, ...] = ()
    diff_b: tuple[Span, ...] = ()
    exact: bool = False
    edits: tuple[WordEdit, ...] = ()
    flags: tuple[Flag, ...] = ()
    role_a: str = "body"
    role_b: str = "body"

    def mirrored(self) -> "AlignedPair":
        return replace(self, a=self.b, b=self.a, diff_a=self.diff_b, diff_b=self.diff_a,
                       edits=tuple(e.mirrored() for e in self.edits),
                       flags=tuple(f.mirrored() for f in self.flags), role_a=self.role_b, role_b=self.role_a)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "a": self.a.to_json(),
            "b": self.b.to_json(),
            "similarity": round(self.similarity, 4),
            "text_ratio": round(self.text_ratio, 4),
            "diff": {"a": _spans_json(list(self.diff_a)), "b": _spans_json(list(self.diff_b))},
            "exact": self.exact,
            "edits": [e.to_json() for e in self.edits],
            "flags": [f.to_json() for f in self.flags],
            "role_a": self.role_a,
            "role_b": self.role_b,
        }


@dataclass(frozen=True)
class QuoteChange:
    """One change to a quotation or to a fact of an aligned passage (kinds: see
    compare/comparison.py). ``a``/``b``: the quotation and its counterpart (a quotation, or
    the aligned passage when the other text quotes nothing there); ``detail_*``: the
    words that differ; ``attribution_*``: the phrases naming the speaker."""

    kind: str
    a: Quote
    b: Quote
    detail_a: tuple[Quote, ...] = ()
    detail_b: tuple[Quote, ...] = ()
    attribution_a: Quote | None = None
    attribution_b: Quote | None = None
    # What stands opposite the quotation: "quotation" (a matched quotation), "aligned"
    # (an aligned passage) or "nearest" (the most similar passage, not aligned).
    counterpart: str = "quotation"
    # Every change found for this pair (``kind`` is the first); roles of ``a``/``b``.
    flags: tuple[Flag, ...] = ()
    role_a: str | None = None
    role_b: str | None = None

    def mirrored(self) -> "QuoteChange":
        return QuoteChange(
            _MIRRORED_KIND.get(self.kind, self.kind), self.b, self.a, self.detail_b, self.detail_a,
            self.attribution_b, self.attribution_a, self.counterpart,
            tuple(f.mirrored() for f in self.flags), self.role_b, self.role_a,
        )

    def sort_key(self) -> tuple:
        return (self.a.start, self.a.end, self.b.start, self.b.end, self.kind)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "a": self.a.to_json(),
            "b": self.b.to_json(),
            "detail_a": _quotes_json(list(self.detail_a)),
            "detail_b": _quotes_json(list(self.detail_b)),
            "attribution_a": self.attribution_a.to_json() if self.attribution_a else None,
            "attribution_b": self.attribution_b.to_json() if self.attribution_b else None,
            "counterpart": self.counterpart,
            "flags": [f.to_json() for f in self.flags],
            "role_a": self.role_a,
            "role_b": self.role_b,
        }


@dataclass(frozen=True)
class UnmatchedQuote:
    """A quotation of one text with no counterpart in the other: no matching quotation
    and no aligned passage (``quote_removed``: of A; ``quote_added``: of B)."""

    kind: str
    quote: Quote
    attribution: Quote | None = None
    role: str = "body"

    def mirrored(self) -> "UnmatchedQuote":
        return replace(self, kind=_MIRRORED_KIND.get(self.kind, self.kind))

    def sort_key(self) -> tuple:
        return (self.kind, self.quote.start, self.quote.end)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "quote": self.quote.to_json(),
                "attribution": self.attribution.to_json() if self.attribution else None, "role": self.role}


@dataclass(frozen=True)
class Reuse:
    """Shares of passage characters with a counterpart in the other article."""

    b_from_a_verbatim: float
    b_from_a_reworded: float
    a_from_b_verbatim: float
    a_from_b_reworded: float

    @property
    def b_from_a(self) -> float:
        return self.b_from_a_verbatim + self.b_from_a_reworded

    @property
    def a_from_b(self) -> float:
        return self.a_from_b_verbatim + self.a_from_b_reworded

    def mirrored(self) -> "Reuse":
        return Reuse(self.a_from_b_verbatim, self.a_from_b_reworded, self.b_from_a_verbatim, self.b_from_a_reworded)

    def to_json(self) -> dict[str, float]:
        return {
            "b_from_a": round(self.b_from_a, 4),
            "a_from_b": round(self.a_from_b, 4),
            "b_from_a_verbatim": round(self.b_from_a_verbatim, 4),
            "b_from_a_reworded": round(self.b_from_a_reworded, 4),
            "a_from_b_verbatim": round(self.a_from_b_verbatim, 4),
            "a_from_b_reworded": round(self.a_from_b_reworded, 4),
        }


# -- whether a rewrite credits its origin (issue 24; decided by stories/credits.py) ----------


@dataclass(frozen=True)
class Credit:
    """``outlet``: the credited name, a slice of the article; ``quote``: its passage;
    ``names_origin``: how it names the story's origin outlet (None: it does not)."""

    outlet: Quote
    quote: Quote
    names_origin: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"outlet": self.outlet.to_json(), "quote": self.quote.to_json(), "names_origin": self.names_origin}


@dataclass(frozen=True)
class CreditFlag:
    """A credit flag (stories/credits.py) with its quote; an ``attribution_changed`` flag
    (compare's changed attribution of a quotation the rewrite took from its parent) also has
    ``quote_from``, the parent's attribution, and ``change``, the kind compare tells it apart
    as (``speaker_changed`` | ``speech_verb_changed`` | ``attribution_changed``)."""

    kind: str
    quote: Quote | None = None
    quote_from: Quote | None = None
    change: str | None = None

    def to_json(self) -> dict[str, Any]:
        out = {"kind": self.kind, "quote": None if self.quote is None else self.quote.to_json()}
        if self.kind == "attribution_changed":
            out["quote_from"] = None if self.quote_from is None else self.quote_from.to_json()
            out["change"] = self.change
        return out


@dataclass
class ArticleCredit:
    """An article's credits, whether one names its story's origin (None when the article
    has no origin to credit: the origin itself, a story of one), and flags (most serious
    first; derived articles only)."""

    credits: list[Credit] = field(default_factory=list)
    credits_origin: bool | None = None
    flags: list[CreditFlag] = field(default_factory=list)

    def quotes(self) -> list[Quote]:
        return [q for c in self.credits for q in (c.outlet, c.quote)] + [
            q for f in self.flags for q in (f.quote, f.quote_from) if q is not None]

    def finding(self) -> tuple[str, Credit | None]:
        """Whether a rewrite credits what it copied, as a finding reads it: ``credits_origin``
        (the credit naming the origin), ``credits_other_outlet`` (the first credit) or
        ``no_credit``."""
        named = next((c for c in self.credits if c.names_origin), None)
        if named is not None:
            return "credits_origin", named
        if self.credits:
            return "credits_other_outlet", self.credits[0]
        return "no_credit", None

    def to_json(self) -> dict[str, Any]:
        return {"credits": [c.to_json() for c in self.credits], "credits_origin": self.credits_origin,
                "flags": [f.to_json() for f in self.flags]}


@dataclass
class CompareResult:
    a: Article
    b: Article
    pairs: list[AlignedPair]
    only_a: list[Quote]
    only_b: list[Quote]
    quote_changes: list[QuoteChange]
    reuse: Reuse
    unmatched_quotes: list[UnmatchedQuote] = field(default_factory=list)
    only_a_roles: list[str] = field(default_factory=list)
    only_b_roles: list[str] = field(default_factory=list)
    # The side that rewrites the other (its id; None when neither does) and its credit of it
    # (stories/credits.py ``with_credit``; the engine adds both).
    derived: str | None = None
    credit: ArticleCredit | None = None

    def credit_finding(self) -> tuple[str, Quote | None] | None:
        """"B credits another outlet" and the credited name, "A credits its origin (a sister
        title)", "B credits no outlet" and None: whether the side that rewrites the other
        credits it, in fixed words (None when neither side rewrites the other)."""
        if self.credit is None or self.derived is None:
            return None
        kind, credit = self.credit.finding()
        words = f"{'B' if self.derived == self.b.article_id else 'A'} {label(kind)}"
        if credit is not None and credit.names_origin not in (None, "same"):
            words += f" ({label(credit.names_origin)})"
        return words, None if credit is None else credit.outlet

    def mirrored(self) -> "CompareResult":
        """The same comparison seen from B: compare(B, A) == compare(A, B).mirrored()."""
        return CompareResult(
            a=self.b,
            b=self.a,
            pairs=sorted((p.mirrored() for p in self.pairs), key=lambda p: (p.a.start, p.b.start)),
            only_a=list(self.only_b),
            only_b=list(self.only_a),
            quote_changes=sorted((c.mirrored() for c in self.quote_changes), key=QuoteChange.sort_key),
            reuse=self.reuse.mirrored(),
            unmatched_quotes=sorted((u.mirrored() for u in self.unmatched_quotes), key=UnmatchedQuote.sort_key),
            only_a_roles=list(self.only_b_roles),
            only_b_roles=list(self.only_a_roles),
            derived=self.derived,
            credit=self.credit,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a.to_json(),
            "b": self.b.to_json(),
            "pairs": [p.to_json() for p in self.pairs],
            "only_a": _quotes_json(self.only_a),
            "only_b": _quotes_json(self.only_b),
            "quote_changes": [c.to_json() for c in self.quote_changes],
            "reuse": self.reuse.to_json(),
            "unmatched_quotes": [u.to_json() for u in self.unmatched_quotes],
            "only_a_roles": list(self.only_a_roles),
            "only_b_roles": list(self.only_b_roles),
            "derived": self.derived,
            "credit": None if self.credit is None else self.credit.to_json(),
        }


def rounded_share(value: float | None) -> float | None:
    """A reuse share as the JSON gives it (4 decimals), or None."""
    return None if value is None else round(value, 4)


