"""The /sources claim card (also /search and the "Find sources" reply): the verdict in fixed
words, then one entry per statement group, then the related passages; built from the
engine's ``SourcesResult`` with ``primitives``."""
from __future__ import annotations

from collections.abc import Sequence

import discord

from index import REPORTED_NOTE, STATING, SourceHit, SourcesResult, display_name

from . import limits as L
from .limits import dlen
from .primitives import (
    COLOR_DEFAULT,
    EmbedPacker,
    Page,
    authors_of,
    clip,
    content_line,
    embed_url,
    escape,
    paginate,
    quote_block,
    short_id,
    shorten,
)

RELATED_TITLE = "related · does not state the claim"
SEARCH_TITLE = "contains the words"
MATCH_COLOURS = {"verbatim": discord.Colour.dark_blue(), "close": discord.Colour.blue(),
                 "related": discord.Colour.light_grey()}
# A statement group is one embed; its quotes share this many characters, so the group with
# the closest passage always fits the first page whole.
GROUP_QUOTE_BUDGET = 5400
QUOTE_MIN, QUOTE_MAX = 100, 1000


def entry_name(h: SourceHit) -> str:
    """An entry's heading: outlet (or what is known of an unnamed one), date, match label,
    passage role, reported, short id -- each only when known or when it applies."""
    a = h.article
    who = clip(a.outlet, 120) if (a.outlet or "").strip() else clip(display_name(a), 120)
    parts = [who]
    if a.published and (a.outlet or "").strip():  # an unnamed outlet's display name holds the date
        parts.append(clip(a.published, 40))
    parts.append(h.match)
    if h.role != "body":
        parts.append(h.role)
    if h.reported:
        parts.append("reported")
    parts.append(f"`{short_id(a.article_id)}`")
    return shorten(" · ".join(parts), L.EMBED_FIELD_NAME)


def entry_tail(h: SourceHit) -> str:
    """What the heading does not say: the known title, authors and link (unknown ones left out)."""
    a = h.article
    extra = []
    if (a.title or "").strip() and (a.outlet or "").strip():  # else the heading is the title
        extra.append(f"*{clip(a.title, 150)}*")
    if a.authors:
        extra.append("by " + authors_of(a, 120))
    url = embed_url(a.url)
    if url and dlen(url) <= 300:
        extra.append(f"[link]({url})")
    return " · ".join(extra)


def entry_value(h: SourceHit, budget: int, tail: str) -> str:
    """The quote (within ``budget``), then ``tail``."""
    room = min(budget, L.EMBED_FIELD_VALUE - dlen(tail) - 1)
    block = quote_block(h.quote.text, max(room, 20))
    return f"{block}\n{tail}" if tail else block


def section_embeds(title: str, label: str, members: Sequence[SourceHit], *, first: bool = False) -> list[discord.Embed]:
    """One section of the card (a statement group, all related passages, or search hits): its
    title, then each member's entry. In the ``first`` section the quotes share what the
    headings leave of ``GROUP_QUOTE_BUDGET``, so the group holding the closest passage (up to
    ~20 passages) fits the first message; later sections show each quote at up to
    ``QUOTE_MAX`` and run on over more embeds and pages."""
    names = [entry_name(h) for h in members]
    tails = [entry_tail(h) for h in members]
    room = GROUP_QUOTE_BUDGET - sum(dlen(n) + dlen(t) + 4 for n, t in zip(names, tails))
    budget = max(QUOTE_MIN, min(QUOTE_MAX, room // len(members))) if first else QUOTE_MAX
    footer = REPORTED_NOTE if any(h.reported for h in members) else None
    packer = EmbedPacker(title, colour=MATCH_COLOURS.get(label, COLOR_DEFAULT), footer=footer, max_size=5800)
    for h, name, tail in zip(members, names, tails):
        packer.add_field(name, entry_value(h, budget, tail))
    return packer.embeds


def card_sections(result: SourcesResult, *, search: bool) -> list[tuple[str, str, list[SourceHit]]]:
    """(title, label, members) in the engine's order: one section per stating group, then
    the passages that only relate to the claim together (their groups' order kept)."""
    groups: dict[int, list[SourceHit]] = {}
    for h in result.results:
        groups.setdefault(h.group, []).append(h)  # dicts keep the engine's order
    if search:
        return [(SEARCH_TITLE, "verbatim", list(result.results))]
    sections: list[tuple[str, str, list[SourceHit]]] = []
    related: list[SourceHit] = []
    for number, members in groups.items():
        label = result.group_label(number)
        if label == "related":
            related.extend(members)
            continue
        stating = SourcesResult(result.query, [h for h in members if h.match in STATING])
        sections.append((f"{label} · {stating.summary().who()}", label, members))
    if related:
        sections.append((RELATED_TITLE, "related", related))
    return sections


def sources_pages(result: SourcesResult, *, label: str = "sources") -> list[Page]:
    """The claim card: the verdict in fixed words, then one entry per statement group in the
    engine's order (groups by relevance, stating before related, members earliest first;
    the renderer never re-sorts), as many per page as Discord's limits allow."""
    query = shorten(" ".join(result.query.split()), 300)
    hits = result.results
    search = label != "sources"
    verdict = "" if search else " ".join(result.verdict_lines())
    if search and result.outlet_unmatched:
        verdict = result.verdict_lines()[0]
    named = {" ".join(h.article.outlet.split()).casefold() for h in hits if (h.article.outlet or "").strip()}
    parts = [f"**{label}**", f"“{escape(query)}”"]
    if result.outlet is not None:
        parts.append(f"outlet: {clip(result.outlet, 100)}")
    parts.append(f"{len(hits)} passages")
    if named:
        parts.append(f"{len(named)} outlet" + ("s" if len(named) > 1 else ""))
    unnamed = len({h.article.article_id for h in hits if not (h.article.outlet or "").strip()})
    if unnamed:
        parts.append(f"outlet unknown: {unnamed} articles")
    header = content_line(*parts)
    if verdict:
        header = shorten(f"**{escape(verdict)}**\n{header}", L.MESSAGE_CONTENT)
    if not hits:
        return [Page(header, [])]
    sections = card_sections(result, search=search)
    embeds = [e for n, (title, match, members) in enumerate(sections)
              for e in section_embeds(title, match, members, first=n == 0 and not search)]
    return paginate(embeds, header=header)
