"""Discord pages for /compare and /lineage, typed from their result objects
(index/analysis_models.py); primitives (escaping, shortening, packing, paging) come from
``bot.render``, the one place they live."""
from __future__ import annotations

from collections.abc import Sequence

import discord

from index.analysis_models import (
    AlignedPair,
    CompareResult,
    LineageResult,
    QuoteChange,
    Reuse,
    flag_label,
)
from index.models import Article, Quote

from . import discord_limits as L
from .render import (
    COLOR_DEFAULT,
    UNKNOWN,
    EmbedPacker,
    Page,
    byline,
    clip,
    date_of,
    embed_url,
    name_of,
    outlet_colour,
    outlet_of,
    paginate,
    percent,
    quote_block,
    short_id,
    shorten,
)

# -- compare -----------------------------------------------------------------------------------


def _article_header_field(tag: str, a: Article) -> tuple[str, str, bool]:
    return (shorten(f"{tag} · {name_of(a, 200)}", L.EMBED_FIELD_NAME), byline(a), True)


def _reuse_text(reuse: Reuse) -> str:
    sides = (("B from A", reuse.b_from_a, reuse.b_from_a_verbatim, reuse.b_from_a_reworded),
             ("A from B", reuse.a_from_b, reuse.a_from_b_verbatim, reuse.a_from_b_reworded))
    return "\n".join(f"{label}: {percent(total)} (verbatim {percent(verbatim)}, reworded {percent(reworded)})"
                     for label, total, verbatim, reworded in sides)


QUOTE_SLOT = 900  # a quote in a field value, leaving room for nothing else


def _pair_notes(p: AlignedPair | QuoteChange) -> str:
    """Exact or edited, roles other than body, and flag labels of a pair or quote change."""
    notes = []
    if isinstance(p, AlignedPair) and p.kind == "verbatim":
        notes.append("exact" if p.exact else "edited")
    roles = [r for r in (p.role_a, p.role_b) if r not in (None, "body")]
    if roles:
        notes.append("/".join(roles))
    notes += [flag_label(f.kind) for f in p.flags]
    return "".join(f" · {n}" for n in notes)


def compare_pages(result: CompareResult) -> list[Page]:
    a, b = result.a, result.b
    pairs, only_a, only_b, changes = result.pairs, result.only_a, result.only_b, result.quote_changes
    ta, tb = f"A {short_id(a.article_id)}", f"B {short_id(b.article_id)}"

    kinds = [p.kind for p in pairs]
    head = discord.Embed(title="Compare", colour=COLOR_DEFAULT)
    for tag, art in ((ta, a), (tb, b)):
        head.add_field(name=_article_header_field(tag, art)[0], value=byline(art), inline=True)
    head.add_field(name="reuse", value=_reuse_text(result.reuse), inline=False)
    counts = [("verbatim", kinds.count("verbatim")), ("reworded", kinds.count("reworded")),
              ("only in A", len(only_a)), ("only in B", len(only_b)), ("changed quotes", len(changes))]
    for label, n in counts:
        head.add_field(name=label, value=str(n), inline=True)
    head.set_footer(text=f"A = {a.article_id} · B = {b.article_id}")
    embeds = [head]

    def pair_section(title: str, items: Sequence[AlignedPair | QuoteChange]) -> None:
        if not items:
            return
        packer = EmbedPacker(title, max_size=5000)
        for p in items:
            qa, qb = p.a, p.b
            sim = p.similarity if isinstance(p, AlignedPair) else None
            label = p.kind + (f" · {sim:.2f}" if sim is not None else "") + _pair_notes(p)
            packer.add_group([
                (f"{ta} · characters {qa.start}–{qa.end}", quote_block(qa.text, QUOTE_SLOT), True),
                (f"{tb} · characters {qb.start}–{qb.end}", quote_block(qb.text, QUOTE_SLOT), True),
                ("match", clip(label, 300), True),
            ])
        embeds.extend(packer.embeds)

    def single_section(title: str, tag: str, quotes: Sequence[Quote], notes: Sequence[str] = ()) -> None:
        if not quotes:
            return
        packer = EmbedPacker(title, max_size=5000)
        for n, q in enumerate(quotes):
            note = notes[n] if n < len(notes) else ""
            packer.add_field(clip(f"{tag} · characters {q.start}–{q.end}{note}", L.EMBED_FIELD_NAME),
                             quote_block(q.text, QUOTE_SLOT))
        embeds.extend(packer.embeds)

    pair_section("Verbatim", [p for p in pairs if p.kind == "verbatim"])
    pair_section("Reworded", [p for p in pairs if p.kind != "verbatim"])
    pair_section("Changed quotes", changes)
    # A quotation with no counterpart lies in a one-sided passage: noted there.
    unmatched = result.unmatched_quotes

    def notes(quotes: Sequence[Quote], roles: Sequence[str]) -> list[str]:
        out = []
        for n, q in enumerate(quotes):
            role = roles[n] if n < len(roles) else "body"
            kinds = {u.kind for u in unmatched
                     if u.quote.article_id == q.article_id and u.quote.start < q.end and q.start < u.quote.end}
            out.append((f" · {role}" if role != "body" else "") + "".join(f" · {flag_label(k)}" for k in sorted(kinds)))
        return out

    single_section("Only in A", ta, only_a, notes(only_a, result.only_a_roles))
    single_section("Only in B", tb, only_b, notes(only_b, result.only_b_roles))
    return paginate(embeds, per_page=3, header="**compare**")


# -- lineage -----------------------------------------------------------------------------------


def lineage_pages(result: LineageResult) -> list[Page]:
    article, origin, related = result.article, result.origin, result.related
    role, parent = result.role, result.derived_from
    head = discord.Embed(title=name_of(article), url=embed_url(article.url), colour=outlet_colour(article.outlet))
    head.set_author(name=outlet_of(article))
    head.add_field(name="date", value=date_of(article), inline=True)
    head.add_field(name="role", value=clip(role, 64), inline=True)
    head.add_field(name="origin", value=f"`{origin}`" if origin else UNKNOWN, inline=True)
    if parent:
        head.add_field(name="derived from", value=f"`{parent}`", inline=True)
        head.add_field(name="reuse from parent", value=percent(result.reuse_from_parent), inline=True)
    head.add_field(name="related articles", value=str(len(related)), inline=True)
    head.set_footer(text=f"article {article.article_id}")
    packer = EmbedPacker("Lineage", max_size=5000)
    if not related:
        packer.current.description = "0 related articles"
    for item in related:
        other = item.article
        name = shorten(f"{item.relation} · {name_of(other, 200)}", L.EMBED_FIELD_NAME)
        lines = [byline(other, 700), f"reuse of this article's text: {percent(item.reuse)}",
                 f"reuse of the queried article's text: {percent(item.reuse_of_query)}"]
        if item.derived_from:
            lines.append(f"derived from: `{item.derived_from}`")
        packer.add_field(name, shorten("\n".join(lines), L.EMBED_FIELD_VALUE))
    return paginate([head, *packer.embeds], per_page=3, header="**lineage**")
