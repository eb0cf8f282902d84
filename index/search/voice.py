"""Whose voice a passage gives a claim in (issue 21), one of four, first that applies:

- ``disputed``: the passage gives the claim only as something denied or debunked ("denied
  it", "claims … were untrue", "no evidence has emerged", "hoax"), the cue in the clause
  of the claim's words (a denial of something else in another clause does not count);
- ``credited``: another news outlet's report ("Daily Mail reported", "according to ABC
  News", "told The Associated Press", "…, reports 9to5Mac"); ``who`` = the outlet's name.
  The article's own outlet is never another ("The Mail on Sunday has learned" in a Mail on
  Sunday article, "told CNN" under a "(CNN) —" dateline): that is ``own``;
- ``quoted``: the claim's words are in quotation marks (``text/quotations``, found in the
  whole article: a quotation opened in an earlier passage counts), or attributed to a named
  or described speaker ("Kempthorne said", "British diplomats believe", "the cables warn");
  ``who`` = the speaker phrase when the passage gives one;
- ``own``: otherwise, the outlet's own voice, its unnamed sources included ("has learned",
  "Sources say that", "according to the sources", "reportedly", "allegedly").

A fixed rule, measured on hand-labelled passages, one set labelled after the rule was
frozen (bench/quality/voice.py, BENCHMARKS.md). ``who`` is a span of the stored article
text, so it is shown as a verbatim slice.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from index.records import Span
from index.search.results import VoiceKind
from index.text.clauses import units
from index.text.quotations import RELATIVE_PRONOUN, Quotation
from index.text.words import content_words, word_keys

_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)

# -- disputed -------------------------------------------------------------------------------
_DENY_VERB = (r"(?:den(?:y|ies|ied|ying)|dismiss(?:es|ed|ing)?|refut(?:e|es|ed|ing)|debunk(?:s|ed|ing)?|"
              r"reject(?:s|ed|ing)?\s+(?:the\s+)?(?:claim|report|allegation|rumou?r|suggestion)s?|"
              r"disput(?:e|es|ed|ing)|cast(?:s|ing)?\s+doubt\s+on|played\s+down|rubbished)")
_FALSE = (r"(?:false|untrue|not\s+true|a\s+hoax|hoax|fake|a\s+fake|baseless|unfounded|bogus|fabricated|"
          r"a\s+myth|wrong|incorrect|misleading|unsubstantiated|satire|a\s+joke)")
_DISPUTE_BEFORE = re.compile(
    rf"""\b(?:{_DENY_VERB}
      | (?:it\s+is|it's|that\s+is|this\s+is)\s+{_FALSE}\s+(?:that|to\s+say)
      | no\s+evidence\s+(?:has\s+(?:emerged|been\s+found)\s+)?(?:to\s+(?:suggest|show|support)\s+)?(?:that)?
      | (?:false|fake|bogus|debunked|viral|baseless|unfounded)\s+(?:claim|report|rumou?r|story|allegation|news)s?
      | hoax
    )\b""", re.IGNORECASE | re.VERBOSE)
_DISPUTE_AFTER = re.compile(
    rf"""(?:\b(?:is|are|was|were|be|been|being|proved|proven|turned\s+out\s+to\s+be)\s+(?:\w+\s+){{0,2}}?{_FALSE}\b
      | \b(?:although|though|but|which|a\s+claim|an\s+allegation|a\s+charge)\s+(?:\w+\s+){{0,3}}?{_DENY_VERB}
      | \b{_DENY_VERB}\s+(?:it|this|that|them|the\s+(?:claim|report|allegation|rumou?r)s?)\b
      | \bno\s+evidence\b
      | \bhoax\b
    )""", re.IGNORECASE | re.VERBOSE)
# "… denies the claim and says …": what follows "and says" is said, not denied.
_AND_SAYS = re.compile(r"\s(?=and\s+(?:\w+\s+)?(?:says|said|adds|added|insists|insisted)\b)", re.IGNORECASE)

# -- credited -------------------------------------------------------------------------------
_NEWS_WORD = (r"(?:News|Times|Post|Journal|Mail|MailOnline|Telegraph|Guardian|Herald|Tribune|Gazette|Chronicle|"
              r"Press|Reuters|AP|AFP|BBC|CNN|NBC|CBS|ABC|Fox|Bloomberg|Politico|Axios|Magazine|Daily|Sun|Mirror|"
              r"Express|Independent|Standard|Observer|Wire|Radio|TV|Newsweek|People|Variety|BuzzFeed|AOL|Yahoo|"
              r"HuffPost|Huffington|Insider|Vice|Verge|Wired|Forbes|Fortune|Economist|Spiegel|Monde|Reddit|"
              r"Twitter|Facebook|Instagram|TMZ|Gawker|Mashable|Slate|Salon|NPR|PBS|MSNBC|Sky|ITV|Channel|"
              r"Agency|Xinhua|Interfax|Tass|TASS|Al\s+Jazeera|[A-Za-z0-9-]+\.(?:com|co\.uk|org|net|tv))")
_NAME = r"(?:(?:the|The)\s+)?(?:[A-Z0-9][\w.&'’-]*\s+){0,4}?"
# Lower-case kinds of outlet ("the Yonhap news agency") count as much as a news word.
# A news word may be one half of a hyphenated name ("Union-Tribune", "Journal-Constitution").
_OUTLET = (rf"(?P<who>{_NAME}(?:[A-Z][\w.&'’]*-)?{_NEWS_WORD}(?:-[A-Z][\w.&'’]*)?(?:\s+[A-Z][\w.&'’-]*){{0,3}}"
           r"|(?:(?:the|The)\s+)?(?:[A-Z][\w.&'’-]*\s+){1,3}(?:news\s+(?:agency|site|service|channel|network|outlet)|"
           r"newspaper|magazine|tabloid|website|wire\s+service|broadcaster))")
_CREDIT = [re.compile(p, re.VERBOSE) for p in (
    rf"{_OUTLET}\s+(?:has\s+|have\s+|had\s+|first\s+|also\s+|earlier\s+)?(?:reported|reports|report|revealed|"
    r"reveals|said|says|wrote|writes|learned|learnt|obtained|understands|quoted|cited)\b",
    rf"\b[Aa]ccording\s+to\s+{_OUTLET}",  # opening a sentence too
    rf"\b(?:told|telling|tells|leaked\s+to|confirmed\s+to|speaking\s+to|said\s+to|in\s+an\s+interview\s+with)\s+{_OUTLET}",
    rf"\breported\s+(?:by|on)\s+(?:[\w.]+\s+){{0,3}}?(?:including\s+)?{_OUTLET}",
)]
# "…, reports 9to5Mac." / "…, according to RussiaToday": outlets no news word names.
_TRAILING_CREDIT = re.compile(
    r"[,—–-]\s*(?:reports|reported|writes|wrote)\s+(?P<who>[A-Z0-9][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3})\s*[.!]?\s*$"
    r"|according\s+to\s+(?P<camel>[A-Z][a-z]+[A-Z]\w*)")
# "(CNN) —" opening an article: the article is that outlet's own.
_DATELINE = re.compile(r"^\s*(?:[A-Z][\w .,'’-]{0,40}\s)?\((?P<who>[A-Z][\w .&'’-]{1,30})\)\s*[—–-]")
_NEAR_KNOWN = re.compile(r"\b(?:reported|reports|according\s+to|told|leaked\s+to|said|says)\b", re.IGNORECASE)

# -- quoted / own ---------------------------------------------------------------------------
_SPEECH = (r"(?:say|says|said|saying|tell|tells|told|claim|claims|claimed|allege|alleges|alleged|state|states|"
           r"stated|insist|insists|insisted|argue|argues|argued|write|writes|wrote|tweet|tweets|tweeted|add|adds|"
           r"added|believe|believes|believed|suggest|suggests|suggested|warn|warns|warned|announce|announces|"
           r"announced|confirm|confirms|confirmed|estimate|estimates|estimated|assert|asserts|asserted|"
           r"conclude|concludes|concluded|describe|describes|described|think|thinks|thought|fear|fears|feared|"
           r"suspect|suspects|suspected|outline|outlines|outlined|reveal|reveals|revealed|explain|explains|"
           r"explained|report|reports|reported|continued|noted|notes|issued\s+a\s+report\s+saying)")
_SPEECH_CUE = re.compile(rf"\b(?:{_SPEECH})\b|\baccording\s+to\b|\bafter\s+receiving\s+reports\b", re.IGNORECASE)
# Attributions to unnamed sources the outlet vouches for: its own voice.
_UNNAMED = re.compile(
    r"""^(?:(?:the|a|an|one|two|three|several|multiple|many|other|some|senior|our|these|those)\s+)*
        (?:[\w’'-]+\s+){0,3}?(?:sources?|insiders?|insider\s+reports?|reports?|officials?\s+familiar)\b
        (?:\s+(?:close\s+to|within|in|familiar\s+with|with\s+knowledge\s+of)\s+[\w\s’'-]{0,40})?$""",
    re.IGNORECASE | re.VERBOSE)
_OWN_CUES = re.compile(r"\b(?:has|have)\s+learned\b|\breportedly\b|\ballegedly\b|\bit\s+is\s+understood\b", re.I)
MIN_QUOTED_SHARE = 0.5
_TAG_WORDS = 6
_AUXILIARY = re.compile(r"(?:has|have|had|is|are|was|were|be|been|will|would|can|could|may|might|also|has\s+also)",
                        re.IGNORECASE)


@dataclass(frozen=True)
class Voice:
    kind: VoiceKind
    who: Span | None = None  # the speaker or credited outlet, offsets into the article text


@dataclass(frozen=True)
class Speaker:
    """What the voice rule knows of the article: its text, its outlet, the corpus's outlets
    and the article's quotations (found once per article per query)."""

    text: str
    outlet: str | None
    known_outlets: tuple[str, ...]
    quotations: tuple[Quotation, ...]

    def own_outlet(self) -> str | None:
        """The stored outlet, else one a "(CNN) —" dateline names."""
        if (self.outlet or "").strip():
            return self.outlet
        dateline = _DATELINE.match(self.text[:200])
        return dateline.group("who") if dateline else None


def _same_outlet(a: str, b: str | None) -> bool:
    def norm(name: str) -> str:
        return " ".join(name.split()).casefold().removeprefix("the ")
    return b is not None and norm(a) == norm(b)


def _matched(claim: str, passage: str) -> list[re.Match]:
    wanted = content_words(word_keys(claim))
    return [m for m in _WORD.finditer(passage) if content_words(word_keys(m.group())) & wanted]


def _in_claim(words: str, claim: str) -> bool:
    return bool(content_words(word_keys(words)) & content_words(word_keys(claim)))


def _scopes(passage: str) -> list[Span]:
    """The passage's clauses, each also cut before "and says/added…"."""
    out = []
    for unit in units(passage) or [Span(0, len(passage))]:
        cuts = [unit.start] + [m.end() for m in _AND_SAYS.finditer(passage, unit.start, unit.end)] + [unit.end]
        out += [Span(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]
    return out


def _scope_of(scopes: list[Span], pos: int) -> int:
    return next((i for i, s in enumerate(scopes) if s.start <= pos < s.end), len(scopes) - 1)


def disputed(claim: str, passage: str, matched: list[re.Match]) -> bool:
    """A denial or debunking cue, not among the claim's own words, in the clause of the
    claim's words (a cue after them may close the clause before: "…, which he denied")."""
    if not matched:
        return False
    scopes = _scopes(passage)
    held = {_scope_of(scopes, m.start()) for m in matched}
    lo, hi = matched[0].start(), matched[-1].end()
    for m in _DISPUTE_BEFORE.finditer(passage):
        if m.start() < hi and not _in_claim(m.group(), claim) and _scope_of(scopes, m.start()) in held:
            return True
    for m in _DISPUTE_AFTER.finditer(passage, lo):
        where = _scope_of(scopes, m.start())
        if not _in_claim(m.group(), claim) and (where in held or where - 1 in held):
            return True
    return False


def credited(passage: str, own: str | None, known: tuple[str, ...]) -> Span | None:
    """The span (in the passage) of another outlet the passage credits, if any."""
    trailing = _TRAILING_CREDIT.search(passage)
    if trailing:
        group = "who" if trailing.group("who") else "camel"
        if not _same_outlet(trailing.group(group), own):
            return Span(*trailing.span(group))
    for m in (m for pattern in _CREDIT for m in pattern.finditer(passage)):
        if not _same_outlet(m.group("who").strip(), own):
            return Span(*m.span("who"))
    for name in known:
        k = passage.find(name)
        if k >= 0 and not _same_outlet(name, own) and _NEAR_KNOWN.search(passage[max(0, k - 30):k + len(name) + 30]):
            return Span(k, k + len(name))
    return None


def voice_of(claim: str, start: int, end: int, article: Speaker) -> Voice:
    """The voice of ``claim``'s words in the passage ``article.text[start:end]``."""
    passage = article.text[start:end]
    matched = _matched(claim, passage)
    if disputed(claim, passage, matched):
        return Voice("disputed")
    who = credited(passage, article.own_outlet(), article.known_outlets)
    if who is not None:
        return Voice("credited", Span(start + who.start, start + who.end))
    quotes = [q for q in article.quotations if q.start < end and q.end > start]
    if matched:
        inside = sum(1 for m in matched if any(p.start <= start + m.start() < p.end for q in quotes for p in q.parts))
        if inside / len(matched) >= MIN_QUOTED_SHARE:
            attribution = next((q.attribution for q in quotes
                                if q.attribution is not None and start <= q.attribution.start < end), None)
            return Voice("quoted", attribution)
    speaker = _attributed(passage, matched)
    if speaker is not None:
        return Voice("quoted", None if speaker.end == speaker.start else Span(start + speaker.start, start + speaker.end))
    return Voice("own")


def speaker(passage: str, outside_quotes: str) -> Span | None:
    """The speaker phrase of the passage's reporting cue, an unnamed source's too (the
    sourcing profile, stories/sourcing.py): cues are read in ``outside_quotes``, the passage
    with its quoted words blanked (same length), so a verb inside a quotation is no cue."""
    found = _attributed(outside_quotes, _matched(passage, passage), unnamed_too=True)
    return found if found is not None and found.end > found.start else None


def unnamed_source(phrase: str) -> bool:
    """"Sources", "one source", "insiders close to …": a source the outlet does not name."""
    return bool(_UNNAMED.match(phrase.strip()))


def _attributed(passage: str, matched: list[re.Match], unnamed_too: bool = False) -> Span | None:
    """The speaker phrase of a reporting cue covering the claim's words, when the speaker is
    not an unnamed source (``unnamed_too``: whoever it is); an empty span when attributed
    with no speaker phrase."""
    if not matched:
        return None
    for cue in _SPEECH_CUE.finditer(passage):
        after = sum(1 for m in matched if m.start() > cue.start())
        # "…,” according to a senior officer.": when any speaker is wanted, the speaker's
        # own words may follow a cue that closes the sentence.
        trailing = after == 0 or (unnamed_too and after / len(matched) < 0.5 and after <= _TAG_WORDS
                                  and not re.search(r"[,;:]", passage[cue.end():]))
        if after / len(matched) < 0.5 and not (trailing and re.search(r"[,\"”’]\s*(?:\S+\s+){0,6}$",
                                                                      passage[: cue.start()])):
            continue
        subject = _subject(passage, cue, trailing)
        if subject is None:
            return Span(0, 0)
        text = passage[subject.start:subject.end].strip()
        if (not unnamed_too and _UNNAMED.match(text)) or _OWN_CUES.search(passage[max(0, cue.start() - 20):cue.end() + 5]):
            continue
        return subject
    return None


def _subject(passage: str, cue: re.Match, trailing: bool) -> Span | None:
    if cue.group().lower().startswith("according to"):
        m = re.match(r"according\s+to\s+([^,.;:]+)", passage[cue.start():], re.I)
        return Span(cue.start() + m.start(1), cue.start() + m.end(1)) if m else None
    if trailing:  # ", Feldman said" / "said national disaster agency spokesman Nugroho"
        before = re.search(r"[,\"”’]\s*((?:\S+\s+){0,6}?)$", passage[: cue.start()])
        if before and before.group(1).strip():
            # "…, which he has described": a relative clause, its speaker "he"
            return _speaker_words(passage, before.start(1), before.end(1))
        after = re.match(r"\s+((?:[A-Z][\w.’'-]*\s*){1,4}|(?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+){0,5}?(?=[.,]|$))",
                         passage[cue.end():])
        if after:
            return Span(cue.end() + after.start(1), cue.end() + after.start(1) + len(after.group(1).rstrip()))
        return None
    # The subject starts after the clause's opening ("…, which he has described as"); an
    # auxiliary before the cue is not the speaker ("he has described" -> "he").
    clause = max((m.end() for m in re.finditer(r"[,;:(]", passage[: cue.start()])), default=0)
    return _speaker_words(passage, clause, cue.start())


def _speaker_words(passage: str, start: int, end: int) -> Span | None:
    """The speaker in ``passage[start:end]``, the words before a reporting verb, without
    the auxiliaries before it, at most six words; after a relative pronoun when it opens
    their clause ("…, which he has described" -> "he"), before it when it is the subject
    itself ("officials who said" -> "officials")."""
    pronouns = list(RELATIVE_PRONOUN.finditer(passage, start, end))
    if not pronouns:
        return _speaker_span(passage, start, end)
    after = _speaker_span(passage, pronouns[-1].end(), end)
    return after if after is not None else _speaker_span(passage, start, pronouns[-1].start())


def _speaker_span(passage: str, start: int, end: int) -> Span | None:
    words = list(re.finditer(r"\S+", passage[start:end]))[-6:]
    while words and _AUXILIARY.fullmatch(words[-1].group()):
        words.pop()
    if not words:
        return None
    return Span(start + words[0].start(), start + words[-1].end())
