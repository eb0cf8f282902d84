"""Whether an article says where its information came from (issue 24).

``credits``: the outlets an article names as the source of its information, each with the
passage that does so, found by the voice rule's credited detection (search/voice.py:
"Daily Mail reported", "according to ABC News", "first reported by X", "X has learned"),
the article's own outlet never one. An outlet named only as where documents were "leaked
to" is not credited as a source of the story, nor a government agency, a social network, or a
speaker's affiliation ("…, controller of BBC Drama Commissioning, said"); a name is taken
whole ("MailOnline", "WCCO-TV").

Flags of an article in a story (the fixed vocabulary, index/labels.py), each with its quote:

- ``credits_other_outlet``: it credits an outlet that is neither the origin's outlet nor a
  recorded alias or sister title of it (quote: the credited name);
- ``uncredited_copy``: it derives from an earlier stored article and credits neither the
  origin's outlet nor one of its recorded names (nothing to quote: the credit is absent);
- ``exclusive_on_derived``: it claims an exclusive in its own voice ("Exclusive:" opening
  the headline or a passage, "EXCLUSIVE", "we have learned", "can reveal", "<own outlet> has
  learned", "exclusively obtained") while it derives from an earlier stored article
  (quote: the claim's words). A cue inside a quotation or in a passage crediting another
  outlet is not the article's own voice.

Every quote is a slice of the stored text (``Quote.of``)."""
from __future__ import annotations

import re
from collections.abc import Iterable

from index.compare.quote_changes import ATTRIBUTION_KINDS, change_kinds
from index.compare.results import ArticleCredit, CompareResult, Credit, CreditFlag, QuoteChange
from index.labels import severity
from index.records import Article, Quote
from index.search.voice import credited
from index.store.corpus import CorpusStore
from index.stories.analysis import pair_origin
from index.stories.outlet_names import OutletNames
from index.text.quotations import find_quotations

_LEAKED_TO = re.compile(r"\bleaked\s+to\s+$", re.IGNORECASE)
# Names the voice rule's news words take in that are no outlets: a government agency (a news
# agency says so), a social network.
_NOT_OUTLET = re.compile(r"(?<!news )\bAgency$|^(?:Twitter|Facebook|Instagram|Reddit|YouTube|TikTok)$", re.I)
# "Ben Stephenson, controller of BBC Drama Commissioning, said": a speaker's affiliation.
_SAYS = re.compile(r",?\s+(?:said|says)\b")
_AFFILIATION = re.compile(r"(?:\bof|,)\s*$")
_EXCLUSIVE_START = re.compile(r"^\s*(?P<cue>EXCLUSIVE|Exclusive|SCOOP|Scoop)\b\s*[:|—–-]")
_EXCLUSIVE_ANY = re.compile(
    r"(?P<cue>\bEXCLUSIVE\b|\bwe\s+(?:have|has)\s+learn(?:ed|t)\b|\b(?:can|could)\s+(?:now\s+|today\s+)?"
    r"(?:exclusively\s+)?(?:reveal|disclose)\b|\bexclusively\s+(?:obtained|revealed|reported|learned|seen)\b)")


def credits_in(article: Article, text: str, passages: list[Quote], known: tuple[str, ...]) -> list[Quote]:
    """The outlet names the article credits, one per passage at most, as slices of ``text``."""
    found = []
    for passage in passages:
        who = credited(passage.text, article.outlet, known)
        if who is None:
            continue
        start, end = _whole_words(passage.text, who.start, who.end)
        name, before, after = passage.text[start:end], passage.text[:start], passage.text[end:]
        if _LEAKED_TO.search(before) or _NOT_OUTLET.search(name) or (_SAYS.match(after) and _AFFILIATION.search(before)):
            continue
        found.append(Quote.of(article.article_id, text, passage.start + start, passage.start + end))
    return found


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span grown to whole words ("MailOnline", not "Mail"; "WCCO-TV", not "TV"), less a
    sentence's full stop that the trailing "…, according to ABC News." cue takes in."""
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "-"):
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, start + len(text[start:end].rstrip(".,;:!?"))


def exclusive_claim(article: Article, text: str, passages: list[Quote], known: tuple[str, ...]) -> Quote | None:
    """The first words by which the article claims an exclusive in its own voice."""
    quotations = find_quotations(text)
    own = re.escape(article.outlet.strip()) if (article.outlet or "").strip() else None
    for passage in passages:
        if credited(passage.text, article.outlet, known) is not None:
            continue
        cues = [m for m in (_EXCLUSIVE_START.match(passage.text), *_EXCLUSIVE_ANY.finditer(passage.text)) if m]
        if own:
            cues += re.finditer(rf"(?P<cue>\b{own}\s+(?:has|have)\s+learn(?:ed|t)\b)", passage.text, re.IGNORECASE)
        for m in sorted(cues, key=lambda m: m.start("cue")):
            start, end = passage.start + m.start("cue"), passage.start + m.end("cue")
            if not any(q.covers(start, end) for q in quotations):
                return Quote.of(article.article_id, text, start, end)
    return None


def article_credit(store: CorpusStore, names: OutletNames, article_id: str, origin: str | None,
                   derived: bool, changes: Iterable[QuoteChange] = ()) -> ArticleCredit:
    """The credit of one stored article in a story whose origin is ``origin`` (an id;
    ``derived``: the article derives from an earlier stored one; ``changes``: compare's
    quotation changes from its parent, ``a`` in the parent, ``b`` in this article)."""
    article, text = store.article_text(article_id)
    passages = store.passages(article_id)
    known = tuple(store.article_db.outlets())
    origin_outlet = store.article_db.get(origin).outlet if origin and origin != article_id else None
    credits = [Credit(who, _passage_of(passages, who), names.match(who.text, origin_outlet))
               for who in credits_in(article, text, passages, known)]
    result = ArticleCredit(credits)
    if origin and origin != article_id:
        result.credits_origin = any(c.names_origin for c in credits)
    if not derived:
        return result
    result.flags += [CreditFlag("credits_other_outlet", c.outlet) for c in credits if c.names_origin is None]
    if not result.credits_origin:
        result.flags.append(CreditFlag("uncredited_copy"))
    claim = exclusive_claim(article, text, passages, known)
    if claim is not None:
        result.flags.append(CreditFlag("exclusive_on_derived", claim))
    result.flags += attribution_flags(changes)
    result.flags.sort(key=lambda f: severity(f.change or f.kind))
    return result


def attribution_flags(changes: Iterable[QuoteChange]) -> list[CreditFlag]:
    """``attribution_changed``, as compare finds it: a quotation the rewrite took from its
    parent, credited to another speaker or with another speech verb; one flag per pair of
    quotations, its quotes the two attributions (the quotations when one is not found)."""
    flags, seen = [], set()
    for c in changes:
        kinds = change_kinds(c)
        key = (c.a.start, c.b.start)
        if key in seen or not ATTRIBUTION_KINDS & set(kinds):
            continue
        seen.add(key)
        change = next(k for k in kinds if k in ATTRIBUTION_KINDS)
        flags.append(CreditFlag("attribution_changed", c.attribution_b or c.b, c.attribution_a or c.a, change))
    return flags


def with_credit(store: CorpusStore, result: CompareResult) -> CompareResult:
    """A comparison with the side that rewrites the other (``pair_origin``, /lineage's rule)
    and that side's credit of it (as lineage gives a rewrite's, its origin the other side)."""
    origin = pair_origin(result.a, result.b, result.reuse.b_from_a, result.reuse.a_from_b)
    if origin is None:
        return result
    derived = result.b if origin == result.a.article_id else result.a
    changes = result.quote_changes if derived is result.b else [c.mirrored() for c in result.quote_changes]
    result.derived = derived.article_id
    result.credit = article_credit(store, OutletNames(store.article_db), derived.article_id, origin, True, changes)
    return result


def _passage_of(passages: list[Quote], who: Quote) -> Quote:
    return next(p for p in passages if p.start <= who.start and who.end <= p.end)
