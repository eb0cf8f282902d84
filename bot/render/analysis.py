"""Discord pages for /compare and /lineage, typed from their result objects
(``CompareResult``, ``LineageResult``); primitives (escaping, shortening, packing, paging)
come from ``primitives``, the one place they live."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import discord

from index import (
    AlignedPair,
    Article,
    CompareResult,
    LineageResult,
    Quote,
    QuoteChange,
    Reuse,
    Span,
    flag_label,
    label,
)

from . import limits as L
from .primitives import (
    COLOR_DEFAULT,
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
from .quote_marks import marked_quote_block

# -- compare -----------------------------------------------------------------------------------


def _article_header_field(tag: str, a: Article) -> tuple[str, str, bool]:
    return (shorten(f"{tag} · {name_of(a, 200)}", L.EMBED_FIELD_NAME), byline(a), True)


def _reuse_text(reuse: Reuse) -> str:
    sides = (("B from A", reuse.b_from_a, reuse.b_from_a_verbatim, reuse.b_from_a_reworded),
             ("A from B", reuse.a_from_b, reuse.a_from_b_verbatim, reuse.a_from_b_reworded))
    return "\n".join(f"{side}: {percent(total)} (verbatim {percent(verbatim)}, reworded {percent(reworded)})"
                     for side, total, verbatim, reworded in sides)


NOT_DETERMINED = "not determined"  # a story whose origin the dates and reuse do not settle
QUOTE_SLOT = 900  # a quote in a field value, leaving room for nothing else


def _within(inner: Quote, outer: Quote) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


@dataclass
class CompareRow:
    """One pair of quotes as shown: a compare pair or a quotation change, with the labels
    and the marked words of every change folded into it."""

    item: AlignedPair | QuoteChange
    labels: list[str] = field(default_factory=list)
    marks_a: list[Quote | Span] = field(default_factory=list)
    marks_b: list[Quote | Span] = field(default_factory=list)

    def add(self, labels: Sequence[str]) -> None:
        self.labels += [x for x in labels if x not in self.labels]


def _change_labels(c: QuoteChange) -> list[str]:
    return [flag_label(k) for k in dict.fromkeys([c.kind, *(f.kind for f in c.flags)])]


def compare_rows(result: CompareResult) -> tuple[list[CompareRow], list[CompareRow]]:
    """Each change once: a quotation change that lies inside a pair on both sides (the
    same passages, or a quotation within them) is shown as that pair, its labels and
    changed words added to it; changes of the same two quotations are merged. Returns
    (pair rows, in the result's order; quotation-change rows left over)."""
    rows = []
    for p in result.pairs:
        row = CompareRow(p)
        if p.kind == "verbatim":
            row.add(["exact" if p.exact else "edited"])
            row.marks_a += p.diff_a
            row.marks_b += p.diff_b
        roles = [r for r in (p.role_a, p.role_b) if r not in (None, "body")]
        row.add(["/".join(label(r) for r in roles)] if roles else [])
        row.add([flag_label(f.kind) for f in p.flags])
        rows.append(row)
    changes: dict[tuple[int, int, int, int], CompareRow] = {}
    for c in result.quote_changes:
        single = next((r for r in rows if _within(c.a, r.item.a) and _within(c.b, r.item.b)), None)
        hosts = [single] if single is not None else _spanning_hosts(c, rows)
        if not hosts:
            hosts = [changes.setdefault((c.a.start, c.a.end, c.b.start, c.b.end), CompareRow(c))]
        for host in hosts:
            host.add(_change_labels(c))
            host.marks_a += c.detail_a
            host.marks_b += c.detail_b
            if host is single:  # a quotation new in B or dropped from A: the quotation itself
                host.marks_b += [c.b] if c.kind == "quote_added" and c.b != host.item.b else []
                host.marks_a += [c.a] if c.kind == "quote_removed" and c.a != host.item.a else []
    return rows, list(changes.values())


def _overlaps(x: Quote, y: Quote) -> bool:
    return x.start < y.end and y.start < x.end


def _spanning_hosts(c: QuoteChange, rows: Sequence[CompareRow]) -> list[CompareRow]:
    """A quotation over several sentences whose changed words all lie in pairs already
    shown (e.g. "President" dropped in three sentences): those pairs, so the change is
    shown once, marked in place. Empty when some changed word lies outside them, or when
    the change names no words."""
    if not (c.detail_a or c.detail_b):
        return []
    across = [r for r in rows if _overlaps(r.item.a, c.a) and _overlaps(r.item.b, c.b)]
    if not all(any(_within(d, r.item.a) for r in across) for d in c.detail_a):
        return []
    if not all(any(_within(d, r.item.b) for r in across) for d in c.detail_b):
        return []
    return [r for r in across if any(_within(d, r.item.a) for d in c.detail_a)
            or any(_within(d, r.item.b) for d in c.detail_b)]


def compare_pages(result: CompareResult) -> list[Page]:
    a, b = result.a, result.b
    pairs, only_a, only_b = result.pairs, result.only_a, result.only_b
    ta, tb = f"A {short_id(a.article_id)}", f"B {short_id(b.article_id)}"
    rows, change_rows = compare_rows(result)

    kinds = [p.kind for p in pairs]
    head = discord.Embed(title="Compare", colour=COLOR_DEFAULT)
    for tag, art in ((ta, a), (tb, b)):
        head.add_field(name=_article_header_field(tag, art)[0], value=byline(art), inline=True)
    head.add_field(name="reuse", value=_reuse_text(result.reuse), inline=False)
    counts = [("verbatim", kinds.count("verbatim")), ("reworded", kinds.count("reworded")),
              ("only in A", len(only_a)), ("only in B", len(only_b)), ("changed quotes", len(result.quote_changes))]
    for name, n in counts:
        head.add_field(name=name, value=str(n), inline=True)
    head.set_footer(text=f"A = {short_id(a.article_id)} · B = {short_id(b.article_id)}")
    embeds = [head]

    def pair_section(title: str, items: Sequence[CompareRow]) -> None:
        if not items:
            return
        packer = EmbedPacker(title, max_size=5000)
        for row in items:
            qa, qb = row.item.a, row.item.b
            sim = row.item.similarity if isinstance(row.item, AlignedPair) else None
            match = " · ".join([label(row.item.kind) if isinstance(row.item, AlignedPair) else row.labels[0],
                                *([f"{sim:.2f}"] if sim is not None else []),
                                *(row.labels if isinstance(row.item, AlignedPair) else row.labels[1:])])
            packer.add_group([
                (f"{ta} · characters {qa.start}–{qa.end}", marked_quote_block(qa, row.marks_a, QUOTE_SLOT), True),
                (f"{tb} · characters {qb.start}–{qb.end}", marked_quote_block(qb, row.marks_b, QUOTE_SLOT), True),
                ("match", clip(match, 300), True),
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

    pair_section("Verbatim", [r for r in rows if r.item.kind == "verbatim"])
    pair_section("Reworded", [r for r in rows if r.item.kind != "verbatim"])
    pair_section("Changed quotes", change_rows)
    # A quotation with no counterpart lies in a one-sided passage: noted there.
    unmatched = result.unmatched_quotes

    def notes(quotes: Sequence[Quote], roles: Sequence[str]) -> list[str]:
        out = []
        for n, q in enumerate(quotes):
            role = roles[n] if n < len(roles) else "body"
            kinds = {u.kind for u in unmatched
                     if u.quote.article_id == q.article_id and u.quote.start < q.end and q.start < u.quote.end}
            out.append((f" · {label(role)}" if role != "body" else "") + "".join(f" · {flag_label(k)}" for k in sorted(kinds)))
        return out

    single_section("Only in A", ta, only_a, notes(only_a, result.only_a_roles))
    single_section("Only in B", tb, only_b, notes(only_b, result.only_b_roles))
    return paginate(embeds, per_page=3, header="**compare**")


# -- lineage -----------------------------------------------------------------------------------


def lineage_pages(result: LineageResult) -> list[Page]:
    article, origin, related = result.article, result.origin, result.related
    role, parent = result.role, result.derived_from
    names = {a.article_id: a for a in [article, *(item.article for item in related)]}

    def ref(article_id: str) -> str:
        """A short id (ids resolve by prefix) and, when known, the article's name."""
        found = names.get(article_id)
        return f"`{short_id(article_id)}`" + (f" · {name_of(found, 150)}" if found is not None else "")

    head = discord.Embed(title=name_of(article), url=embed_url(article.url), colour=outlet_colour(article.outlet))
    head.set_author(name=outlet_of(article))
    head.add_field(name="date", value=date_of(article), inline=True)
    role_text = label(role) if role else (label("single") if not related else NOT_DETERMINED)
    head.add_field(name="role", value=clip(role_text, 64), inline=True)
    if related:  # an article with no related article has no origin to name
        head.add_field(name="origin", value=ref(origin) if origin else NOT_DETERMINED, inline=True)
    if parent:
        head.add_field(name="derived from", value=ref(parent), inline=True)
        head.add_field(name="reuse from parent", value=percent(result.reuse_from_parent), inline=True)
    head.add_field(name="related articles", value=str(len(related)), inline=True)
    head.set_footer(text=f"article {short_id(article.article_id)}")
    packer = EmbedPacker("Lineage", max_size=5000)
    if not related:
        packer.current.description = "0 related articles"
    for item in related:
        other = item.article
        name = shorten(f"{label(item.relation)} · {name_of(other, 200)}", L.EMBED_FIELD_NAME)
        lines = [byline(other, 700), f"reuse of this article's text: {percent(item.reuse)}",
                 f"reuse of the queried article's text: {percent(item.reuse_of_query)}"]
        if item.derived_from:
            lines.append(f"derived from: {ref(item.derived_from)}")
        packer.add_field(name, shorten("\n".join(lines), L.EMBED_FIELD_VALUE))
    return paginate([head, *packer.embeds], per_page=3, header="**lineage**")
