"""What an article's statements rest on (issue 24): its sourcing profile.

A statement is a body passage (headlines, captions and datelines are left out). Each rests on
at most one source, the first that applies, one of ``SOURCING_KINDS``:

- ``outlet``: it credits another news outlet (the credit rule of stories/credits.py:
  "Daily Mail reported", "according to ABC News");
- otherwise the speaker of the passage's quotation tag (text/quotations.py: "…,” said Rick
  McGuire", "One source said: ‘…’"), else of its reporting cue outside its quotations
  (search/voice.py's ``speaker``: "…, according to a senior officer", "The cable says"; an
  apposition before the verb is passed over: "John C. Cerar, the former commander …, said";
  "added 101 yards" is no speech) decides:
  - ``document``: a written source ("the cables warn", "a report says", "the lawsuit said"),
    unless the phrase names sources or insiders ("insider reports": people); a capitalised
    "Survey" or "Report" names a body;
  - ``unnamed``: sources the outlet does not name ("sources", "one source", "a diplomatic
    source", "officials said", "a senior officer", "British diplomats"): voice's unnamed
    sources, or a person noun with no name after it;
  - ``named``: a name ("Kempthorne", "Defence Secretary Michael Fallon", "the President"),
    "he"/"she", who stand for a speaker named before, or a body speaking as itself ("police
    said", "the company said");
- a passage with no such cue, or whose speaker is none of these ("it", "they"), rests on none:
  it counts among ``statements`` only.

Measured on hand-labelled ECB+ statements, BENCHMARKS.md ("A fresh, untuned labelled set").

Each kind keeps its count and its first statement: the speaker phrase (``who``) and the
passage (``quote``), both slices of the stored text (``Quote.of``)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from index.compare.quote_changes import speech_verb
from index.records import Article, Quote
from index.search.voice import speaker, unnamed_source
from index.store.corpus import CorpusStore
from index.stories.credits import credits_in
from index.text.quotations import find_quotations
from index.text.words import STOPWORDS, words

SOURCING_KINDS = ("named", "unnamed", "document", "outlet")

_PEOPLE_WORDS = re.compile(r"\b(?:sources?|insiders?)\b", re.IGNORECASE)
_DOCUMENT = re.compile(
    r"\b(?:cables?|reports?|documents?|memos?|memorand(?:um|a)|papers|files|letters?|e-?mails?|records|"
    r"filings?|minutes|transcripts?|dossiers?|study|studies|assessments?|briefing\s+notes?|lawsuits?|"
    r"complaints?|indictments?|affidavits?)\b")
_PERSON = re.compile(
    r"\b(?:sources?|officials?|officers?|diplomats?|aides?|insiders?|spokes(?:man|men|woman|women|person|people)|"
    r"person|people|figures?|advis[eo]rs?|ministers?|experts?|analysts?|witness(?:es)?|residents?|members?|"
    r"staffers?|employees?|executives?|lawmakers?|politicians?|colleagues?|friends?|relatives?|"
    r"neighbou?rs?|investigators?|prosecutors?|researchers?|scientists?|lawyers?|commanders?|generals?|"
    r"negotiators?)\b", re.IGNORECASE)
# A body that speaks as itself ("police said", "the company said"): identified, on the record.
_NAMED_BODY = re.compile(r"police|authorities|company|ministry|government|department|agency|court|army|military|"
                         r"team|club|firm|embassy|commission|council|office", re.IGNORECASE)
_APPOSITIVE = re.compile(r"[^,]{1,60}(?P<apposition>,[^,]{3,120},)\s*(?P<verb>[\w’']+)")
_NOT_SPEECH = re.compile(r"\s+(?:add|adds|added)\s+(?:\d|to\b)")
_PRONOUN = re.compile(r"^(?:he|she)$", re.IGNORECASE)
_LEADING = re.compile(r"^(?:according\s+to\s+)?(?:(?:the|a|an|one|two|three|some|several|many|other)\s+)*",
                      re.IGNORECASE)
_RELATIVE = re.compile(r"(?:which|that|who|whom|as)\s+", re.IGNORECASE)
_AUXILIARIES = re.compile(r"(?:\s+(?:has|have|had|is|are|was|were|also|been|will|would))+$", re.IGNORECASE)
_WORD = re.compile(r"\w[\w’'.-]*")
# The clause before a speaker phrase, when it is short, belongs to it ("Diplomatic cables
# leaked to The Mail on Sunday outline": voice's phrase is the last words only).
_CLAUSE_OPENING = re.compile(r"(?:^|[,;:(—–]|\b(?:that|which|who|whom|what|and|but)\b)\s*((?:[\w’'-]+\s+){0,4})$")


@dataclass(frozen=True)
class SourcingKind:
    """``count`` statements rest on this kind of source; ``who`` and ``quote``: the speaker
    phrase and passage of the first one not spoken by a bare "he"/"she" (else the first);
    ``speakers``: every such statement's speaker phrase, in order."""

    kind: str
    count: int
    who: Quote
    quote: Quote
    speakers: tuple[Quote, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "count": self.count, "who": self.who.to_json(), "quote": self.quote.to_json(),
                "speakers": [s.to_json() for s in self.speakers]}


@dataclass
class SourcingProfile:
    """``statements``: body passages read; ``kinds``: in SOURCING_KINDS order, those found."""

    statements: int = 0
    kinds: list[SourcingKind] = field(default_factory=list)

    def quotes(self) -> list[Quote]:
        return [q for k in self.kinds for q in (k.who, k.quote, *k.speakers)]

    def to_json(self) -> dict[str, Any]:
        return {"statements": self.statements, "kinds": [k.to_json() for k in self.kinds]}


def source_kind(phrase: str) -> str | None:
    """The kind of source a speaker phrase names (None: none of SOURCING_KINDS)."""
    phrase = phrase.strip(" ,:;—–-")
    if _PEOPLE_WORDS.search(phrase):
        return "unnamed"
    if _DOCUMENT.search(phrase[:1].lower() + phrase[1:]):  # a capitalised "Report" names a body
        return "document"
    if unnamed_source(phrase):  # "officials familiar with …"
        return "unnamed"
    if _PRONOUN.match(phrase):
        return "named"
    # A name closes the phrase ("Kempthorne", "Defence Secretary Michael Fallon", "the
    # President"); a capital word opening a sentence ("It", "This directive") is none.
    last = _WORD.findall(phrase[_LEADING.match(phrase).end():])
    if last and (_NAMED_BODY.fullmatch(last[-1]) or (
            last[-1][0].isupper() and last[-1].casefold() not in STOPWORDS and not _PERSON.fullmatch(last[-1]))):
        return "named"
    return "unnamed" if _PERSON.search(phrase) else None


def sourcing_profile(article: Article, text: str, passages: list[Quote], roles: list[str],
                     known: tuple[str, ...]) -> SourcingProfile:
    """The sourcing profile of a stored article (``roles``: its passages' roles, in order)."""
    quotations = find_quotations(text)
    body = [p for k, p in enumerate(passages) if (roles[k] if k < len(roles) else "body") == "body"]
    found: dict[str, list[tuple[Quote, Quote]]] = {}
    for passage in body:
        who = _source_of(article, text, passage, quotations, known)
        if who is not None:
            found.setdefault(who[0], []).append((who[1], passage))
    return SourcingProfile(len(body), [SourcingKind(kind, len(found[kind]), *_example(found[kind]),
                                                    speakers=tuple(who for who, _ in found[kind]))
                                       for kind in SOURCING_KINDS if kind in found])


def _example(statements: list[tuple[Quote, Quote]]) -> tuple[Quote, Quote]:
    """The (speaker, passage) shown for a kind: the first whose speaker is more than "he" or
    "she" (a pronoun tells the reader nothing on its own), else the first."""
    return next((s for s in statements if not _PRONOUN.match(s[0].text)), statements[0])


def _source_of(article: Article, text: str, passage: Quote, quotations, known) -> tuple[str, Quote] | None:
    outlets = credits_in(article, text, [passage], known)
    if outlets:
        return "outlet", outlets[0]
    for q in quotations:  # a quotation's own tag first: "…,” said Rick McGuire"
        if q.attribution is not None and passage.start <= q.attribution.start and q.attribution.end <= passage.end:
            who = _tag_speaker(article.article_id, text, q.attribution.start, q.attribution.end)
            kind = None if who is None else source_kind(who.text)
            if kind is not None:
                return kind, who
    quoted = [p for q in quotations for p in q.parts]
    outside = list(passage.text)
    for part in quoted:
        for k in range(max(part.start, passage.start), min(part.end, passage.end)):
            outside[k - passage.start] = " "
    outside_text = "".join(outside)
    words_text = passage.text
    appositive = _APPOSITIVE.match(outside_text)
    if appositive and speech_verb(appositive.group("verb")):
        # "John C. Cerar, the former commander …, said": the speaker before the apposition,
        # whose words are left out of both texts
        a, b = appositive.span("apposition")
        words_text, outside_text = ((t[:a] + " " * (b - a) + t[b:]) for t in (words_text, outside_text))
    span = speaker(words_text, outside_text)
    if span is not None and _NOT_SPEECH.match(passage.text, span.end):  # "Hillis added 101 yards"
        return None
    # A speech verb is never capitalised inside a sentence: "the United States" says nothing.
    if span is None or passage.text[span.end:].lstrip()[:1].isupper():
        return None
    opening = _CLAUSE_OPENING.search(passage.text, 0, span.start)
    start, end = span.start - len(opening.group(1)) if opening else span.start, span.end
    # Less a quotation's closing mark before it, "which" opening it, "has" closing it.
    while start < end and not passage.text[start].isalnum():
        start += 1
    relative = _RELATIVE.match(passage.text, start, end)
    start = relative.end() if relative else start
    auxiliaries = _AUXILIARIES.search(passage.text, start, end)
    end = auxiliaries.start() if auxiliaries else end
    while end > start and not passage.text[end - 1].isalnum():
        end -= 1
    if start == end:
        return None
    who = Quote.of(article.article_id, text, passage.start + start, passage.start + end)
    kind = source_kind(who.text)
    return None if kind is None else (kind, who)


def article_sourcing(store: CorpusStore, article_id: str) -> SourcingProfile:
    """The sourcing profile of a stored article (a full id)."""
    article, text = store.article_text(article_id)
    return sourcing_profile(article, text, store.passages(article_id), store.article_db.roles(article_id),
                            tuple(store.article_db.outlets()))


def _tag_speaker(article_id: str, text: str, start: int, end: int) -> Quote | None:
    """The speaker of a quotation's tag (text/quotations.py): "One source said" -> "One
    source", "said Rick McGuire of the Alpine Lakes Protection Society" -> the rest, "according
    to a senior officer" -> "a senior officer"; the words on the speech verb's side that has any."""
    tag = words(text, start, end)
    verb = next((n for n, w in enumerate(tag) if speech_verb(text[w.start:w.end]) is not None), None)
    if verb is None or tag[verb].key == "according":
        rest = [w for w in tag if w.key not in ("according", "to")] if verb is not None else tag
        side = rest if verb is not None else []
    else:
        side = tag[:verb] or tag[verb + 1:]
    if not side:
        return None
    return Quote.of(article_id, text, side[0].start, side[-1].end)
