"""Discord pages for /compare and /lineage, typed from their result objects
(``CompareResult``, ``LineageResult``); primitives come from ``primitives``.

Each answer opens with its finding in fixed words, as the first embed's title:
/compare says who rewrites whom (``index.pair_origin``: the rule /lineage uses), how much
and how many quotations and attributions changed, then the counts and the most serious
changed quotation; the other changes follow, most serious first (``index.severity``), then
the passages one side has alone. /lineage says who was first, how many rewrites and how
many related articles, then the story one line an article."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import discord

from index import (
    ATTRIBUTION_KINDS,
    AlignedPair,
    Article,
    ArticleCredit,
    CompareResult,
    LineageResult,
    Quote,
    QuoteChange,
    SourcingProfile,
    Span,
    change_kinds,
    count,
    flag_label,
    label,
    pair_origin,
    severity,
)

from . import limits as L
from .primitives import (
    EmbedPacker,
    Page,
    article_line,
    clip,
    line_chunks,
    outlet_colour,
    paginate,
    percent,
    quote_block,
    short_id,
    shorten,
    when_who,
)
from .credits import credit_lines, sourcing_lines
from .quote_marks import marked_quote_block

# -- compare -----------------------------------------------------------------------------------

# The finding of /compare, fixed words; the slots hold metadata, shares and counts.
B_REWRITES_A = "B ({b}) rewrites A ({a}): {share} of B comes from A"
A_REWRITES_B = "A ({a}) rewrites B ({b}): {share} of A comes from B"
SHARE_TEXT = "A ({a}) shares text with B ({b}): {b_share} of B, {a_share} of A"
NO_CHANGE = "no quotation changed"
CHANGES_TITLE = "Changes, most serious first"
UNCHANGED_NOTE = "{pairs} without a change: side by side in the attached page"
QUOTE_SLOT = 900  # a quote in a field value, leaving room for nothing else


def _within(inner: Quote, outer: Quote) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


@dataclass
class CompareRow:
    """One pair of quotes as shown: a compare pair or a quotation change, with the kinds and
    the marked words of every change folded into it."""

    item: AlignedPair | QuoteChange
    kinds: list[str] = field(default_factory=list)
    marks_a: list[Quote | Span] = field(default_factory=list)
    marks_b: list[Quote | Span] = field(default_factory=list)

    def add(self, kinds: Sequence[str]) -> None:
        self.kinds += [k for k in kinds if k not in self.kinds]

    @property
    def labels(self) -> list[str]:
        """The changes' labels, most serious first."""
        return [flag_label(k) for k in sorted(self.kinds, key=severity)]

    def rank(self) -> int:
        return min((severity(k) for k in self.kinds), default=severity(""))


def compare_rows(result: CompareResult) -> tuple[list[CompareRow], list[CompareRow]]:
    """Each change once: a quotation change that lies inside a pair on both sides (the
    same passages, or a quotation within them) is shown as that pair, its kinds and
    changed words added to it; changes of the same two quotations are merged. Returns
    (pair rows, in the result's order; quotation-change rows left over)."""
    rows = []
    for p in result.pairs:
        row = CompareRow(p)
        if p.kind == "verbatim":  # word marks only where the words are nearly the same
            row.marks_a += p.diff_a
            row.marks_b += p.diff_b
        row.add([f.kind for f in p.flags])
        rows.append(row)
    changes: dict[tuple[int, int, int, int], CompareRow] = {}
    for c in result.quote_changes:
        single = next((r for r in rows if _within(c.a, r.item.a) and _within(c.b, r.item.b)), None)
        hosts = [single] if single is not None else _spanning_hosts(c, rows)
        if not hosts:
            hosts = [changes.setdefault((c.a.start, c.a.end, c.b.start, c.b.end), CompareRow(c))]
        for host in hosts:
            host.add(change_kinds(c))
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


def changed_quotations(result: CompareResult) -> tuple[int, int]:
    """(quotations whose words changed, quotations whose attribution changed): each pair
    of quotations counted once, whatever number of changes it has."""
    kinds: dict[tuple[int, int, int, int], set[str]] = {}
    for c in result.quote_changes:
        kinds.setdefault((c.a.start, c.a.end, c.b.start, c.b.end), set()).update(change_kinds(c))
    words = sum(1 for k in kinds.values() if k - ATTRIBUTION_KINDS)
    return words, sum(1 for k in kinds.values() if k & ATTRIBUTION_KINDS)


def compare_finding(result: CompareResult) -> str:
    """Who rewrites whom (dates and reuse shares, as /lineage decides), how much, and how
    many quotations and attributions changed; "shares text with" when neither derives."""
    a, b, reuse = result.a, result.b, result.reuse
    origin = pair_origin(a, b, reuse.b_from_a, reuse.a_from_b)
    names = {"a": when_who(a, 60), "b": when_who(b, 60)}
    if origin == a.article_id:
        text = B_REWRITES_A.format(share=percent(reuse.b_from_a), **names)
    elif origin == b.article_id:
        text = A_REWRITES_B.format(share=percent(reuse.a_from_b), **names)
    else:
        text = SHARE_TEXT.format(b_share=percent(reuse.b_from_a), a_share=percent(reuse.a_from_b), **names)
    credit = result.credit_finding()
    if credit is not None:
        text += f"; {credit[0]}" + (f": “{clip(credit[1].text, 60)}”" if credit[1] else "")
    words, attributions = changed_quotations(result)
    said = [f"{count(words, 'quotation')} changed"] if words else []
    said += [f"{count(attributions, 'attribution')} changed"] if attributions else []
    return f"{text}; {', '.join(said) or NO_CHANGE}"


def _kinds_line(rows: Sequence[CompareRow]) -> str:
    """"speaker changed (1) · quotation altered (2)": each kind of change and how many rows
    show it, most serious first."""
    counts: dict[str, int] = {}
    for row in rows:
        for kind in row.kinds:
            counts[kind] = counts.get(kind, 0) + 1
    return " · ".join(f"{flag_label(k)} ({n})" for k, n in sorted(counts.items(), key=lambda kv: severity(kv[0])))


def _row_fields(row: CompareRow) -> list[tuple[str, str, bool]]:
    """A row as two fields side by side: A (with the row's changes named) and B."""
    item = row.item
    roles = [(side, r) for side, r in (("A", getattr(item, "role_a", None)), ("B", getattr(item, "role_b", None)))]
    name = {side: side + (f" · {label(r)}" if r not in (None, "body") else "") for side, r in roles}
    changes = " · ".join(row.labels)
    return [(clip(f"{name['A']} · {changes}" if changes else name["A"], L.EMBED_FIELD_NAME),
             marked_quote_block(item.a, row.marks_a, QUOTE_SLOT), True),
            (clip(name["B"], L.EMBED_FIELD_NAME), marked_quote_block(item.b, row.marks_b, QUOTE_SLOT), True)]


def _sides_footer(result: CompareResult) -> str:
    return f"A = {short_id(result.a.article_id)} · B = {short_id(result.b.article_id)}"


def compare_pages(result: CompareResult) -> list[Page]:
    """The finding (first embed's title), both articles in a line each, the counts, and the
    most serious changed quotation; then the other changes, most serious first; then what
    one side has alone. Pairs without a change are in the attached page only."""
    rows, change_rows = compare_rows(result)
    changed = sorted([r for r in rows if r.kinds] + change_rows, key=CompareRow.rank)  # stable: text order in a tier
    kinds = [p.kind for p in result.pairs]
    footer = _sides_footer(result)
    unchanged = sum(1 for r in rows if not r.kinds)
    lines = [f"**A** {article_line(result.a)}", f"**B** {article_line(result.b)}",
             " · ".join([count(kinds.count("verbatim"), "verbatim pair"), count(kinds.count("reworded"), "reworded pair"),
                         f"{count(len(result.only_a), 'passage')} only in A",
                         f"{count(len(result.only_b), 'passage')} only in B"])]
    if changed:
        lines.append(f"{CHANGES_TITLE}: {_kinds_line(changed)}")
    if unchanged:
        lines.append(UNCHANGED_NOTE.format(pairs=count(unchanged, "pair")))
    head = discord.Embed(title=shorten(compare_finding(result), L.EMBED_TITLE), colour=outlet_colour(result.b.outlet),
                         description=shorten("\n".join(lines), 3000))
    head.set_footer(text=footer)
    for name, value, inline in _row_fields(changed[0]) if changed else []:
        head.add_field(name=name, value=value, inline=inline)
    embeds = [head]
    if changed[1:]:
        packer = EmbedPacker(f"{CHANGES_TITLE} (continued)", footer=footer, max_size=5000)
        for row in changed[1:]:
            packer.add_group(_row_fields(row))
        embeds += packer.embeds
    unmatched = result.unmatched_quotes

    def notes(quotes: Sequence[Quote], roles: Sequence[str]) -> list[str]:
        out = []
        for n, q in enumerate(quotes):
            role = roles[n] if n < len(roles) else "body"
            found = {u.kind for u in unmatched
                     if u.quote.article_id == q.article_id and u.quote.start < q.end and q.start < u.quote.end}
            out.append((f" · {label(role)}" if role != "body" else "")
                       + "".join(f" · {flag_label(k)}" for k in sorted(found, key=severity)))
        return out

    for side, quotes, roles in (("A", result.only_a, result.only_a_roles), ("B", result.only_b, result.only_b_roles)):
        if not quotes:
            continue
        packer = EmbedPacker(f"Only in {side}", footer=footer, max_size=5000)
        for q, note in zip(quotes, notes(quotes, roles)):
            packer.add_field(clip(f"{side}{note}", L.EMBED_FIELD_NAME), quote_block(q.text, QUOTE_SLOT))
        embeds += packer.embeds
    return paginate(embeds, per_page=3)


# -- lineage -----------------------------------------------------------------------------------

NOT_DETERMINED = "not determined"  # a story whose origin the dates and reuse do not settle
LINEAGE_FINDING = "First: {first}; {rewrites}; {related} related"
THIS_ARTICLE = "this article"
LINEAGE_FOOTER = "related: same story, its own text (not a rewrite)"


@dataclass(frozen=True)
class StoryLine:
    """An article of the story as /lineage lists it."""

    article: Article
    relation: str | None
    parent: str | None = None
    share: float | None = None
    queried: bool = False
    credit: ArticleCredit = field(default_factory=ArticleCredit)
    sourcing: SourcingProfile = field(default_factory=SourcingProfile)


def _story_lines(result: LineageResult) -> list[StoryLine]:
    """Every article of the story, the origin first, then by date (undated last)."""
    out = [StoryLine(result.article, result.role, result.derived_from, result.reuse_from_parent, queried=True,
                     credit=result.credit, sourcing=result.sourcing)]
    out += [StoryLine(e.article, e.relation, e.derived_from, e.reuse_from_parent, credit=e.credit, sourcing=e.sourcing)
            for e in result.related]
    return sorted(out, key=lambda s: (s.article.article_id != result.origin, s.article.date_key(),
                                      s.article.article_id))


def lineage_finding(result: LineageResult) -> str:
    """"First: OUTLET, DATE; N rewrites; M related"."""
    story = _story_lines(result)
    origin = next((s.article for s in story if s.article.article_id == result.origin), None)
    if origin is not None:
        first = when_who(origin) + (f" ({THIS_ARTICLE})" if origin.article_id == result.article.article_id else "")
    elif not result.related:  # nothing else stored is of this story: it is its own first
        first = f"{when_who(result.article)} ({THIS_ARTICLE})"
    else:
        first = NOT_DETERMINED
    rewrites = sum(1 for s in story if s.relation == "derived")
    related = sum(1 for s in story if s.relation == "related")
    return LINEAGE_FINDING.format(first=first, rewrites=count(rewrites, "rewrite"), related=related)


def lineage_pages(result: LineageResult) -> list[Page]:
    """The finding (first embed's title), then one line an article of the story: its
    relation, outlet · date · title · short id, and for a rewrite how much it copied and
    from which article."""
    story = _story_lines(result)
    names = {s.article.article_id: s.article for s in story}
    lines = []
    for s in story:
        extra = []
        if s.parent:
            parent = names.get(s.parent)
            whose = f"{clip(parent.outlet, 60)} " if parent is not None and parent.outlet else ""
            share = f"{percent(s.share)} " if s.share is not None else ""
            extra.append(f"{share}copied from {whose}`{short_id(s.parent)}`")
        if s.queried:
            extra.append(f"**{THIS_ARTICLE}**")
        relation = label(s.relation) if s.relation else label("single")
        lines.append(f"{relation} · {article_line(s.article, title_limit=70, extra=extra)}")
        lines += credit_lines(s.credit) + sourcing_lines(s.sourcing)
    title = shorten(lineage_finding(result), L.EMBED_TITLE)
    colour = outlet_colour(result.article.outlet)
    embeds = []
    for n, text in enumerate(line_chunks(lines)):
        embed = discord.Embed(title=title if n == 0 else f"{title} (continued)", colour=colour, description=text)
        if any(s.relation == "related" for s in story):
            embed.set_footer(text=LINEAGE_FOOTER)
        embeds.append(embed)
    return paginate(embeds, per_page=3)
