"""What ``sources`` and ``search`` answer: hits with their verdicts, and the fixed words said
first about an answer. ``to_json`` gives the shapes of the command-line contract."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from index.labels import count, label
from index.records import Article, PassageRole, Quote

MatchLabel = Literal["verbatim", "close", "contradicts", "related"]
# Whose voice a hit gives the claim in (``voice.py``): the outlet's own (its unnamed sources
# included), a quoted or named speaker's, another outlet's report, or a denial.
VoiceKind = Literal["own", "quoted", "credited", "disputed"]


@dataclass
class SourceHit:
    article: Article
    quote: Quote
    score: float
    match: MatchLabel
    similarity: float  # cosine similarity of query and passage embeddings
    group: int  # hits stating the same thing share a group number
    role: PassageRole = "body"
    confidence: float | None = None  # the fitted judge's probability that the passage (or a window) states the claim
    voice: VoiceKind = "own"
    voice_who: Quote | None = None  # the quoted speaker or the credited outlet, a slice of the article
    # For a passage opening with "They", "He" or "She", or naming its subject "the initiative":
    # the sentences before it that say who or what (``ranking.antecedents``), a slice of the
    # article ending where the passage's sentence begins.
    context: Quote | None = None

    def context_after(self, previous: "SourceHit | None") -> Quote | None:
        """The context to show after ``previous`` (the hit shown just before): none when that
        hit is the sentence the context ends with, already on screen."""
        if self.context is None or (previous is not None and previous.quote.article_id == self.quote.article_id
                                    and previous.quote.end == self.context.end):
            return None
        return self.context

    @property
    def reported(self) -> bool:
        """The outlet does not say it in its own voice (the boolean before ``voice``)."""
        return self.voice != "own"

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
            "voice": self.voice,
            "voice_who": None if self.voice_who is None else self.voice_who.to_json(),
            "context": None if self.context is None else self.context.to_json(),
        }


# Fixed wording said first about a `sources` answer (CLI text and bot): never generated.
# The slots hold only numbers and metadata (outlet, date).
FOUND_LINE = "Found: stated by {who} in {passages}; first dated: {first}."


NOT_FOUND_LINE = "Not found: no stored passage states this claim."


OPPOSITE_LINE = "{who} {words}."


RELATED_ONLY_LINE = "The passages below are only related to it; they do not state it."


NOTHING_RELATED_LINE = "No stored passage is related to it either."


OUTLET_UNMATCHED_LINE = "No stored article is from an outlet named “{outlet}”."


# What a hit's voice means, for a reader (the fixed vocabulary of ``VoiceKind``).
VOICE_NOTE = ("quoted: a speaker's words · credited: another outlet's report · disputed: given to be denied; "
              "the outlet does not necessarily state them")
# How ``contradicts`` reads to a person (the label stays ``contradicts`` in JSON).
OPPOSITE_WORDS = label("contradicts")


STATING = ("verbatim", "close")


def who_states(outlets: int, unnamed: int) -> str:
    """"2 outlets and 1 article of unknown outlet": an unknown outlet is never counted as one."""
    parts = [count(outlets, "outlet")] if outlets else []
    if unnamed:
        parts.append(count(unnamed, "article of unknown outlet"))
    return " and ".join(parts)


@dataclass(frozen=True)
class ClaimSummary:
    """The verdict of an answer: who states the claim, who says the opposite, who first.
    Made once from the hits (``summarise``); the JSON, the CLI text and the bot read it.

    A hit states the claim when it is ``verbatim`` or ``close`` in any voice but
    ``disputed``; it says the opposite when it is ``contradicts``, or states the claim only
    to deny it (voice ``disputed``)."""

    passages: int  # stating passages
    outlets: list[str]  # distinct known outlets of those passages, first dated first
    unnamed: int  # stating articles whose outlet is unknown (not counted as outlets)
    first: Article | None  # the earliest dated stating article; undated ones only when none is dated
    outlets_contradicting: list[str] = field(default_factory=list)
    unnamed_contradicting: int = 0

    @property
    def first_dated(self) -> bool:
        return self.first is not None and bool(self.first.published)

    def who(self) -> str:
        return who_states(len(self.outlets), self.unnamed)

    def who_contradicts(self) -> str:
        return who_states(len(self.outlets_contradicting), self.unnamed_contradicting)

    def first_text(self) -> str:
        if self.first is None or not self.first_dated:
            return "none (no stating article gives a date)"
        outlet = " ".join((self.first.outlet or "").split()) or "unknown outlet"
        return f"{outlet}, {(self.first.published or '').partition('T')[0]}"

    def opposite_line(self) -> str | None:
        n = len(self.outlets_contradicting) + self.unnamed_contradicting
        if not n:
            return None
        return OPPOSITE_LINE.format(who=self.who_contradicts(),
                                    words=OPPOSITE_WORDS if n == 1 else "say the opposite")

    def to_json(self) -> dict[str, Any]:
        first = None if self.first is None else {
            "article_id": self.first.article_id, "date": self.first.published,
            "outlet": self.first.outlet or None, "dated": self.first_dated}
        return {"first": first, "outlets_stating": self.outlets, "unnamed_stating": self.unnamed,
                "outlets_contradicting": self.outlets_contradicting,
                "unnamed_contradicting": self.unnamed_contradicting}


def states(h: SourceHit) -> bool:
    """The hit states the claim: ``verbatim`` or ``close`` in any voice but ``disputed``."""
    return h.match in STATING and h.voice != "disputed"


def says_opposite(h: SourceHit) -> bool:
    """The hit says the opposite: ``contradicts``, or the claim given only to deny it."""
    return h.match == "contradicts" or (h.match in STATING and h.voice == "disputed")


def _outlets(hits: list[SourceHit]) -> tuple[list[str], int]:
    """Distinct known outlets of ``hits`` (first dated first) and the number of articles of
    unknown outlet among them."""
    names: list[str] = []
    for h in sorted(hits, key=lambda h: h.article.date_key()):
        name = " ".join((h.article.outlet or "").split())
        if name and name.casefold() not in {o.casefold() for o in names}:
            names.append(name)
    return names, len({h.article.article_id for h in hits if not (h.article.outlet or "").strip()})


def summarise(hits: list[SourceHit]) -> ClaimSummary:
    stating = [h for h in hits if states(h)]
    opposite = [h for h in hits if says_opposite(h)]
    outlets, unnamed = _outlets(stating)
    against, against_unnamed = _outlets(opposite)
    # Earliest dated first; undated ones after every dated one, earliest added first.
    first = min(stating, key=lambda h: h.article.date_key(), default=None)
    return ClaimSummary(len(stating), outlets, unnamed, None if first is None else first.article, against,
                        against_unnamed)


@dataclass
class SourcesResult:
    query: str
    results: list[SourceHit]
    outlet: str | None = None  # the stored outlet the filter matched (``search/outlets.py``)
    outlet_unmatched: bool = False  # the filter names no stored outlet, so nothing can match
    verdict: ClaimSummary = field(init=False)

    def __post_init__(self) -> None:
        self.verdict = summarise(self.results)

    @property
    def found(self) -> bool:
        """At least one stored passage states the claim (a verbatim or close hit, in any
        voice but ``disputed``)."""
        return self.verdict.passages > 0

    def summary(self) -> ClaimSummary:
        return self.verdict

    def verdict_lines(self) -> list[str]:
        """What to say first, in fixed wording: found, or not found and what follows; who
        says the opposite, when anyone does."""
        lines = [OUTLET_UNMATCHED_LINE.format(outlet=" ".join((self.outlet or "").split()))] \
            if self.outlet_unmatched else []
        s = self.verdict
        opposite = [s.opposite_line()] if s.opposite_line() else []
        if self.found:
            return lines + [FOUND_LINE.format(passages=count(s.passages, "stored passage"), who=s.who(),
                                              first=s.first_text())] + opposite
        return lines + [NOT_FOUND_LINE] + opposite + [RELATED_ONLY_LINE if self.results else NOTHING_RELATED_LINE]

    def group_label(self, group: int) -> str:
        """A group's label is its strongest member's."""
        labels = {h.match for h in self.results if h.group == group}
        return next((m for m in ("verbatim", "close", "contradicts", "related") if m in labels), "related")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"query": self.query, "found": self.found,
                               "results": [h.to_json() for h in self.results], **self.verdict.to_json()}
        if self.outlet is not None:  # only when filtered, so unfiltered answers are unchanged
            out["outlet"] = self.outlet
            out["outlet_matched"] = not self.outlet_unmatched
        return out

