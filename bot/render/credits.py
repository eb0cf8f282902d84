"""An article's credit (issue 24) as /lineage and the digest show it, typed from the engine's
``ArticleCredit``: the outlets it credits on one line, then one line a flag, most serious
first (the engine's order, ``index.severity``), each with its quote. /outlets list: one line
an outlet with its recorded aliases and sister titles."""
from __future__ import annotations

from collections.abc import Sequence

import discord

from index import ArticleCredit, OutletEntry, SourcingProfile, count, flag_label, label

from .primitives import Page, clip, content_line, line_chunks, paginate

CREDIT_INDENT = "\u2003↳ "  # an article's credit and flags, under its line
CREDIT_QUOTE = 90  # characters of a credit's or a flag's quote on its line
CREDITS_LINE = "credits {names}"
FLAG_LINE = "⚑ {flag}"
SOURCING_LINE = "rests on {kinds}"
SOURCING_KIND = "{label} {n}/{of} (“{who}”)"
RECORDED = "✅ recorded"
NO_OUTLETS = "No outlets stored or recorded yet."
OUTLETS_FINDING = "{n} · aliases and sister titles a credit may name an origin by"


def credit_lines(credit: ArticleCredit, indent: str = CREDIT_INDENT) -> list[str]:
    """``credits “Daily Mail” (a sister title)``, then ``⚑ label: “quote”`` a flag."""
    out = []
    if credit.credits:
        names = ", ".join(f"“{clip(c.outlet.text, CREDIT_QUOTE)}”" + (f" ({label(c.names_origin)})"
                                                                       if c.names_origin else "")
                          for c in credit.credits)
        out.append(indent + CREDITS_LINE.format(names=names))
    for f in credit.flags:
        quote = f": “{clip(f.quote.text, CREDIT_QUOTE)}”" if f.quote is not None else ""
        if f.quote_from is not None:  # a changed attribution: the parent's, then the rewrite's
            quote = f": “{clip(f.quote_from.text, CREDIT_QUOTE)}” → “{clip(f.quote.text, CREDIT_QUOTE)}”"
        out.append(indent + FLAG_LINE.format(flag=flag_label(f.change or f.kind)) + quote)
    return out


def sourcing_lines(sourcing: SourcingProfile, indent: str = CREDIT_INDENT) -> list[str]:
    """``rests on unnamed sources 6/26 (“Sources”) · documents 2/26 (“The cable”)``: what
    the article's statements rest on, each kind with its first speaker; nothing when none."""
    if not sourcing.kinds:
        return []
    kinds = " · ".join(SOURCING_KIND.format(label=label(k.kind), n=k.count, of=sourcing.statements,
                                            who=clip(k.who.text, CREDIT_QUOTE)) for k in sourcing.kinds)
    return [indent + SOURCING_LINE.format(kinds=kinds)]


def outlets_pages(entries: Sequence[OutletEntry]) -> list[Page]:
    """/outlets list: the finding (the first embed's title), then one line an outlet."""
    if not entries:
        return [Page(content=NO_OUTLETS)]
    title = OUTLETS_FINDING.format(n=count(len(entries), "outlet"))
    return paginate([discord.Embed(title=title if n == 0 else f"{title} (continued)", description=text)
                     for n, text in enumerate(line_chunks(outlet_lines(entries)))])


def recorded_line(entry: OutletEntry) -> str:
    """The answer to /outlets alias|group: the outlet as now recorded."""
    return content_line(RECORDED, *outlet_lines([entry]))


def outlet_lines(entries: Sequence[OutletEntry]) -> list[str]:
    """One line an outlet: its name, then what was recorded beside it."""
    out = []
    for e in entries:
        line = clip(e.name, 100)
        if e.aliases:
            line += " · aliases: " + ", ".join(clip(a, 60) for a in e.aliases)
        if e.sister_titles:
            line += " · sister titles: " + ", ".join(clip(s, 60) for s in e.sister_titles)
        out.append(line)
    return out
