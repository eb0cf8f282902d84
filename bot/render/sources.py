"""The /sources claim card (also /search and the "Find sources" reply): the finding in fixed
words first, then one section per statement group, then at most ``RELATED_ON_CARD`` related
passages (the rest behind a button); built from the engine's ``SourcesResult`` with
``primitives``.

Each passage is one heading line (outlet · date or "undated" · where it sits when not the
body · label · voice · short id) over its quote; an article's title, authors and link are shown
once, under its first passage on the card; the voice note (quoted, credited, disputed) once,
in the footer of the first embed that uses it."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import discord

from index import OPPOSITE_WORDS, STATING, VOICE_NOTE, Article, SourceHit, SourcesResult, count, label, who_states

from . import limits as L
from .limits import dlen
from .primitives import (
    COLOR_DEFAULT,
    EmbedPacker,
    Page,
    authors_of,
    clip,
    content_line,
    day,
    embed_url,
    escape,
    outlet_name,
    paginate,
    quote_block,
    short_id,
    shorten,
    when_who,
)

RELATED_TITLE = "related · same subject, does not state the claim"
SEARCH_TITLE = "contains the words"
MATCH_COLOURS = {"verbatim": discord.Colour.dark_blue(), "close": discord.Colour.blue(),
                 "contradicts": discord.Colour.dark_red(), "related": discord.Colour.light_grey()}
# A speaker or credited outlet longer than this is left out of an entry's heading (never cut).
VOICE_WHO_MAX = 60
# A statement group is one embed; its quotes share this many characters, so the group with
# the closest passage always fits the first page whole.
GROUP_QUOTE_BUDGET = 5400
QUOTE_MIN, QUOTE_MAX = 100, 1000
# The sentences before a passage that refers back (``SourceHit.context``) take at most
# this share of an entry's room, and this many characters: the passage is what was found.
# Below CONTEXT_MIN characters a cut context says nothing, so it is left out.
CONTEXT_SHARE, CONTEXT_MIN, CONTEXT_MAX = 3, 60, 300
RELATED_ON_CARD = 3  # related passages shown on the card; the rest behind "More related"
CLAIM_IN_FINDING = 120  # characters of the claim a "Not found" line repeats

# The finding of a sources answer, fixed words: its slots hold only numbers, metadata and
# the claim as typed.
FOUND = "Found: stated by {who}; first: {first}."
FOUND_UNDATED = "Found: stated by {who}; none of them gives a date."
CONTRADICTED = " {who} {words}."
SAY_OPPOSITE = "say the opposite"
NOT_FOUND = "Not found: no stored passage states “{claim}”; searched {searched}."
RELATED_BELOW = " The related passages below do not state it."
NOTHING_RELATED = " Nothing stored is related to it either."
OUTLET_UNMATCHED = "No stored article is from an outlet named “{outlet}”. "
SEARCH_FOUND = "Found: “{text}” in {passages} of {articles}."
SEARCH_NOT_FOUND = "Not found: “{text}” is in no stored passage; searched {searched}."


@dataclass(frozen=True)
class Searched:
    """What a claim was looked for in: this server's articles and their named outlets (the
    outlet filter's articles alone when one was given)."""

    articles: int
    outlets: int
    outlet: str | None = None

    def text(self) -> str:
        if self.outlet:
            return f"{count(self.articles, 'article')} of {clip(self.outlet, 100)}"
        return f"{count(self.articles, 'article')} from {count(self.outlets, 'outlet')}"


@dataclass(frozen=True)
class Verdict:
    """What the finding says of an answer: who states the claim, who was first, who says the
    opposite. ``verdict_of`` is the one place these are read from a result."""

    found: bool
    outlets_stating: int
    unnamed_stating: int  # stating articles with no outlet (never counted as outlets)
    first: Article | None  # the engine's ``first``: earliest dated, an undated one only when none is
    outlets_contradicting: int = 0
    unnamed_contradicting: int = 0


def verdict_of(result: SourcesResult) -> Verdict:
    """The verdict of ``result``, read from the engine's verdict fields (never recomputed)."""
    s = result.verdict
    return Verdict(result.found, len(s.outlets), s.unnamed, s.first,
                   len(s.outlets_contradicting), s.unnamed_contradicting)


def first_text(article: Article) -> str:
    """"The Mail on Sunday, 2026-01-12"; an article with no outlet by its short id."""
    if (article.outlet or "").strip():
        return when_who(article)
    return f"article `{short_id(article.article_id)}` ({outlet_name(article)}), {day(article.published)}"


def finding_line(result: SourcesResult, searched: Searched | None) -> str:
    """The card's first line, fixed words: found (by whom, who first, who says the
    opposite), or not found (what was searched, and whether anything relates to it)."""
    lead = OUTLET_UNMATCHED.format(outlet=clip(result.outlet, 100)) if result.outlet_unmatched else ""
    v = verdict_of(result)
    opposite = ""
    if v.outlets_contradicting or v.unnamed_contradicting:
        n = v.outlets_contradicting + v.unnamed_contradicting
        opposite = CONTRADICTED.format(who=who_states(v.outlets_contradicting, v.unnamed_contradicting),
                                       words=OPPOSITE_WORDS if n == 1 else SAY_OPPOSITE)
    if v.found:
        who = who_states(v.outlets_stating, v.unnamed_stating)
        dated = v.first is not None and bool(v.first.published)
        text = FOUND.format(who=who, first=first_text(v.first)) if dated else FOUND_UNDATED.format(who=who)
        return lead + text + opposite
    claim = escape(shorten(" ".join(result.query.split()), CLAIM_IN_FINDING))
    where = searched.text() if searched is not None else "every stored article"
    return (lead + NOT_FOUND.format(claim=claim, searched=where) + opposite
            + (RELATED_BELOW if result.results else NOTHING_RELATED))


def search_finding(result: SourcesResult, searched: Searched | None) -> str:
    text = escape(shorten(" ".join(result.query.split()), CLAIM_IN_FINDING))
    lead = OUTLET_UNMATCHED.format(outlet=clip(result.outlet, 100)) if result.outlet_unmatched else ""
    if result.results:
        articles = len({h.article.article_id for h in result.results})
        return lead + SEARCH_FOUND.format(text=text, passages=count(len(result.results), "passage"),
                                          articles=count(articles, "article"))
    where = searched.text() if searched is not None else "every stored article"
    return lead + SEARCH_NOT_FOUND.format(text=text, searched=where)


# -- entries ---------------------------------------------------------------------------------


def entry_name(h: SourceHit) -> str:
    """A passage's heading line: outlet · date (or "undated") · where it sits (caption,
    headline, standfirst) · match label · voice (and its speaker or outlet, quoted) · short id."""
    a = h.article
    parts = [outlet_name(a), day(a.published)]
    if h.role != "body":
        parts.append(label(h.role))
    parts.append(match_words(h.match))
    if h.voice != "own":
        who = h.voice_who.text if h.voice_who is not None else ""
        parts.append(f"{h.voice}: {escape(who)}" if who and dlen(who) <= VOICE_WHO_MAX else h.voice)
    parts.append(f"`{short_id(a.article_id)}`")
    return shorten(" · ".join(parts), L.EMBED_FIELD_NAME)


def match_words(label_: str) -> str:
    """A match label as a reader sees it: ``contradicts`` reads "says the opposite"."""
    return OPPOSITE_WORDS if label_ == "contradicts" else label_


def article_note(a: Article) -> str:
    """An article's title, authors and link (the known ones), shown once per card."""
    extra = []
    if (a.title or "").strip():
        extra.append(f"*{clip(a.title, 150)}*")
    if a.authors:
        extra.append("by " + authors_of(a, 120))
    url = embed_url(a.url)
    if url and dlen(url) <= 300:
        extra.append(f"[link]({url})")
    return " · ".join(extra)


def entry_value(h: SourceHit, budget: int, tail: str, previous: SourceHit | None = None) -> str:
    """The quote (within ``budget``), after its context when ``previous`` (the entry above)
    does not show it, then ``tail``."""
    room = min(budget, L.EMBED_FIELD_VALUE - dlen(tail) - 1)
    # Who "They" or what "the initiative" is: the sentences before, in italics, a block of
    # their own (a blank line apart), so each block is one verbatim slice.
    context_room = min(CONTEXT_MAX, room // CONTEXT_SHARE)
    context = h.context_after(previous)
    lead = (quote_block(context.text, context_room, keep="end", italic=True)
            if context is not None and context_room >= CONTEXT_MIN else "")
    if lead:
        room -= dlen(lead) + 2
        lead += "\n\n"
    block = lead + quote_block(h.quote.text, max(room, 20))
    return f"{block}\n{tail}" if tail else block


@dataclass
class CardState:
    """What the card has shown so far: articles whose note is out, whether the voice note is."""

    noted: set[str]
    voice_noted: bool = False

    def tail(self, h: SourceHit) -> str:
        if h.article.article_id in self.noted:
            return ""
        self.noted.add(h.article.article_id)
        return article_note(h.article)


def section_embeds(title: str, label_: str, members: Sequence[SourceHit], state: CardState, *,
                   first: bool = False) -> list[discord.Embed]:
    """One section of the card (a statement group, the related passages, or search hits): its
    title, then each member's entry. In the ``first`` section the quotes share what the
    headings leave of ``GROUP_QUOTE_BUDGET``, so the group holding the closest passage (up to
    ~20 passages) fits the first message; later sections show each quote at up to
    ``QUOTE_MAX`` and run on over more embeds and pages."""
    names = [entry_name(h) for h in members]
    tails = [state.tail(h) for h in members]
    room = GROUP_QUOTE_BUDGET - sum(dlen(n) + dlen(t) + 4 for n, t in zip(names, tails))
    budget = max(QUOTE_MIN, min(QUOTE_MAX, room // len(members))) if first else QUOTE_MAX
    footer = None
    if any(h.reported for h in members) and not state.voice_noted:
        footer, state.voice_noted = VOICE_NOTE, True
    packer = EmbedPacker(title, colour=MATCH_COLOURS.get(label_, COLOR_DEFAULT), footer=footer, max_size=5800)
    for previous, h, name, tail in zip([None, *members], members, names, tails):
        packer.add_field(name, entry_value(h, budget, tail, previous))
    return packer.embeds


def card_sections(result: SourcesResult, *, search: bool) -> list[tuple[str, str, list[SourceHit]]]:
    """(title, label, members) in the engine's order: one section per stating group, then
    the passages that only relate to the claim together (their groups' order kept)."""
    if search:
        return [(SEARCH_TITLE, "verbatim", list(result.results))]
    groups: dict[int, list[SourceHit]] = {}
    for h in result.results:
        groups.setdefault(h.group, []).append(h)  # dicts keep the engine's order
    sections: list[tuple[str, str, list[SourceHit]]] = []
    related: list[SourceHit] = []
    for number, members in groups.items():
        group_label = result.group_label(number)
        if group_label == "related":
            related.extend(members)
            continue
        verdict = SourcesResult(result.query, members).verdict
        if group_label in STATING:
            title = f"{group_label} · stated by {verdict.who()}"
        else:
            title = f"{match_words(group_label)} · {verdict.who_contradicts()}"
        sections.append((title, group_label, members))
    if related:
        sections.append((RELATED_TITLE, "related", related))
    return sections


@dataclass
class Card:
    """The card's pages, and the related passages left off it (``more``: shown on request)."""

    pages: list[Page]
    more: list[Page]
    more_count: int = 0


def sources_card(result: SourcesResult, *, label: str = "sources", searched: Searched | None = None) -> Card:
    """The claim card: the finding in fixed words, then one entry per statement group in the
    engine's order (groups by relevance, stating before related, members earliest first;
    the renderer never re-sorts), as many per page as Discord's limits allow; at most
    ``RELATED_ON_CARD`` related passages, the others in ``more``."""
    search = label != "sources"
    finding = search_finding(result, searched) if search else finding_line(result, searched)
    query = shorten(" ".join(result.query.split()), 300)
    parts = [f"{label} · “{escape(query)}”"]
    if result.outlet is not None:
        parts.append(f"outlet: {clip(result.outlet, 100)}")
    header = shorten(f"**{finding}**\n{content_line(*parts)}", L.MESSAGE_CONTENT - 20)  # room for "page i/n"
    if not result.results:
        return Card([Page(header, [])], [])
    sections = card_sections(result, search=search)
    left: list[SourceHit] = []
    if sections[-1][1] == "related" and not search and len(sections[-1][2]) > RELATED_ON_CARD:
        title, match, members = sections[-1]
        sections[-1] = (title, match, members[:RELATED_ON_CARD])
        left = members[RELATED_ON_CARD:]
    state = CardState(set())
    embeds = [e for n, (title, match, members) in enumerate(sections)
              for e in section_embeds(title, match, members, state, first=n == 0 and not search)]
    more: list[Page] = []
    if left:  # a message of its own: its articles' notes shown again
        rest = section_embeds(f"{RELATED_TITLE} (more)", "related", left, CardState(set()))
        more = paginate(rest, header=content_line(f"{count(len(left), 'more related passage')}",
                                                  f"“{escape(shorten(query, 200))}”"))
    return Card(paginate(embeds, header=header), more, len(left))
