"""What ``sources`` and ``search`` answer: hits with their verdicts, and the fixed words said
first about an answer. ``to_json`` gives the shapes of the command-line contract."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from index.records import Article, PassageRole, Quote

MatchLabel = Literal["verbatim", "close", "related"]


@dataclass
class SourceHit:
    article: Article
    quote: Quote
    score: float
    match: MatchLabel
    similarity: float  # cosine similarity of query and passage embeddings
    group: int  # hits stating the same thing share a group number
    role: PassageRole = "body"
    # The matching words are reported speech (inside quotation marks, or after "claims
    # that", "said that", "it is false that"...): the outlet reports the claim, it does not
    # necessarily state it.
    reported: bool = False
    confidence: float | None = None  # the fitted judge's probability that the passage states the claim

    def to_json(self) -> dict[str, Any]:
        return {
            "article": self.article.to_json(),
            "quote": self.quote.to_json(),
            "score": round(self.score, 6),
            "match": self.match,
            "similarity": round(self.similarity, 4),
            "group": self.group,
            "role": self.role,
            "reported": self.reported,
            "confidence": None if self.confidence is None else round(self.confidence, 4),
        }


# Fixed wording said first about a `sources` answer (CLI text and bot): never generated.
# The slots hold only numbers and metadata (outlet, date).
FOUND_LINE = "Found: {passages} stored passage(s) from {who} state this claim; first dated: {first}."


NOT_FOUND_LINE = "Not found: no stored passage states this claim."


RELATED_ONLY_LINE = "The passages below are only related to it; they do not state it."


NOTHING_RELATED_LINE = "No stored passage is related to it either."


OUTLET_UNMATCHED_LINE = "No stored article is from an outlet named “{outlet}”."


REPORTED_NOTE = "reported: the outlet quotes or attributes these words; it does not necessarily state them"


STATING = ("verbatim", "close")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def who_states(outlets: int, unnamed: int) -> str:
    """"2 outlets and 1 article of unknown outlet": an unknown outlet is never counted as one."""
    parts = [_count(outlets, "outlet", "outlets")] if outlets else []
    if unnamed:
        parts.append(_count(unnamed, "article of unknown outlet", "articles of unknown outlet"))
    return " and ".join(parts)


@dataclass(frozen=True)
class ClaimSummary:
    """Who states a claim: the numbers behind the verdict line."""

    passages: int  # stating (verbatim or close) passages
    outlets: list[str]  # distinct known outlets of those passages, first dated first
    unnamed: int  # stating articles whose outlet is unknown (not counted as outlets)
    first: Article | None  # the earliest dated stating article

    def who(self) -> str:
        return who_states(len(self.outlets), self.unnamed)

    def first_text(self) -> str:
        if self.first is None:
            return "none (no stating article gives a date)"
        outlet = " ".join((self.first.outlet or "").split()) or "unknown outlet"
        return f"{outlet}, {(self.first.published or '').partition('T')[0]}"


@dataclass
class SourcesResult:
    query: str
    results: list[SourceHit]
    outlet: str | None = None  # the stored outlet the filter matched (``search/outlets.py``)
    outlet_unmatched: bool = False  # the filter names no stored outlet, so nothing can match

    @property
    def found(self) -> bool:
        """At least one stored passage states the claim (a verbatim or close hit)."""
        return any(h.match in STATING for h in self.results)

    def summary(self) -> ClaimSummary:
        stating = [h for h in self.results if h.match in STATING]
        by_date = sorted(stating, key=lambda h: h.article.date_key())
        outlets: list[str] = []
        for h in by_date:
            name = " ".join((h.article.outlet or "").split())
            if name and name.casefold() not in {o.casefold() for o in outlets}:
                outlets.append(name)
        unnamed = len({h.article.article_id for h in stating if not (h.article.outlet or "").strip()})
        first = next((h.article for h in by_date if h.article.published), None)
        return ClaimSummary(len(stating), outlets, unnamed, first)

    def verdict_lines(self) -> list[str]:
        """What to say first, in fixed wording: found, or not found and what follows."""
        lines = [OUTLET_UNMATCHED_LINE.format(outlet=" ".join((self.outlet or "").split()))] \
            if self.outlet_unmatched else []
        if self.found:
            s = self.summary()
            return lines + [FOUND_LINE.format(passages=s.passages, who=s.who(), first=s.first_text())]
        return lines + [NOT_FOUND_LINE, RELATED_ONLY_LINE if self.results else NOTHING_RELATED_LINE]

    def group_label(self, group: int) -> str:
        """A group's label is its strongest member's."""
        labels = {h.match for h in self.results if h.group == group}
        return next((m for m in ("verbatim", "close", "related") if m in labels), "related")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"query": self.query, "found": self.found,
                               "results": [h.to_json() for h in self.results]}
        if self.outlet is not None:  # only when filtered, so unfiltered answers are unchanged
            out["outlet"] = self.outlet
            out["outlet_matched"] = not self.outlet_unmatched
        return out

