"""Plain-text rendering of results for a person at a terminal. Quotes are printed whole
and unaltered; unknown metadata is printed as "unknown"."""
from __future__ import annotations

import textwrap

from index.compare.results import flag_label
from index.ingest.parsers import jsonl_line_of
from index.ingest.rejections import repost_notes
from index.ingest.results import IngestResult
from index.labels import label
from index.naming import display_name, is_titled
from index.records import Article
from index.search.results import OPPOSITE_WORDS, VOICE_NOTE, SourceHit, SourcesResult

UNKNOWN = "unknown"


def byline(article: Article) -> str:
    parts = [
        article.outlet or f"outlet {UNKNOWN}",
        article.published or f"date {UNKNOWN}",
        ", ".join(article.authors) if article.authors else f"author {UNKNOWN}",
    ]
    return " · ".join(parts)


def heading(article: Article) -> str:
    title = display_name(article) + ("" if is_titled(article) else " (untitled)")
    return f"{title}  [{article.article_id}]\n    {byline(article)}\n    {article.url or f'link {UNKNOWN}'}"


CONTEXT_INDENT = "    ┆ "


def quote_block(text: str, indent: str = "    > ") -> str:
    # textwrap only re-flows whitespace for display; the words themselves are untouched.
    lines = textwrap.wrap(text, width=88, break_long_words=False, break_on_hyphens=False) or [""]
    return "\n".join(indent + line for line in lines)


def ingest_results(results: list[IngestResult]) -> str:
    lines = []
    for r in results:
        if r.status == "rejected":
            where = jsonl_line_of(r.path)  # a .jsonl line's error starts "line N: "
            lines.append(f"rejected   {where[0]}, {r.error}" if where and (r.error or "").startswith("line ")
                         else f"rejected   {r.path}: {r.error}")
        elif r.status == "duplicate":
            lines.append(f"duplicate  {r.path} (already stored as {r.duplicate_of})")
            if r.offered:  # what the stored article lacks: applied with `sourcedesk edit`
                lines.append(f"           unknown in the stored article, given here: {'; '.join(f'{k}: {_value(v)}' for k, v in r.offered.items())}"
                             f" (apply with: sourcedesk edit {r.duplicate_of} ...)")
        else:
            a = r.article
            lines.append(f"added      {r.path} -> {r.article_id}" + (f" · {byline(a)} · {a.passages} passages" if a else ""))
    lines += repost_notes(results, verb="ingest")
    return "\n".join(lines) or "nothing to ingest"


def article_list(articles: list[Article]) -> str:
    if not articles:
        return "no articles"
    return "\n".join(heading(a) for a in articles)


def article_full(article: Article, text: str, sourcing) -> str:
    return "\n".join([heading(article), *_sourcing_lines(sourcing, ""), "", text])


def _sourcing_lines(sourcing, indent: str) -> list[str]:
    """A SourcingProfile (stories/sourcing.py): one line a kind of source, with its first speaker."""
    return [f"{indent}rests on {label(k.kind)}: {k.count} of {sourcing.statements} statements · “{k.who.text}”"
            for k in sourcing.kinds]


def _value(value) -> str:
    if isinstance(value, list):
        return ", ".join(value) if value else UNKNOWN
    return UNKNOWN if value is None else str(value)


def edit_result(result) -> str:
    """An EditResult (ingest/corrections.py): each changed field, old -> new."""
    lines = [f"edited {result.article.article_id}"]
    lines += [f"  {c.field}: {_value(c.old)} -> {_value(c.new)}" for c in result.changes] or ["  no change"]
    return "\n".join(lines)


def hit(h: SourceHit, previous: SourceHit | None = None) -> str:
    label = OPPOSITE_WORDS if h.match == "contradicts" else h.match
    voice = [h.voice + (f": {h.voice_who.text}" if h.voice_who else "")] if h.voice != "own" else []
    tags = [label] + voice + ([h.role] if h.role != "body" else [])
    # The sentences before that say who "They" or what "the initiative" is, marked apart
    # from the passage itself.
    shown = h.context_after(previous)
    context = f"{quote_block(shown.text, CONTEXT_INDENT)}\n" if shown is not None else ""
    return (f"  [{', '.join(tags)}] {byline(h.article)}  ({h.article.article_id} {h.quote.start}:{h.quote.end})\n"
            f"{context}{quote_block(h.quote.text)}")


def sources(answer: SourcesResult, verdict: bool = True) -> str:
    """The verdict first, in fixed wording; then the statements, each labelled by its
    strongest member; passages that only relate to the claim are shown as such.
    ``verdict=False`` for exact-phrase search, whose hits all contain the phrase."""
    if not verdict:
        if not answer.results:
            return f"no passages found for: {answer.query}"
        return "\n".join([f"passages containing: {answer.query}"]
                         + [hit(h, prev) for prev, h in zip([None, *answer.results], answer.results)])
    out = answer.verdict_lines()
    out.append(f"sources for: {answer.query}")
    if any(h.reported for h in answer.results):
        out.append(f"({VOICE_NOTE})")
    group = None
    for previous, h in zip([None, *answer.results], answer.results):
        if h.group != group:
            group = h.group
            label = answer.group_label(group)
            label = OPPOSITE_WORDS if label == "contradicts" else label
            out.append(f"\n statement {group + 1} ({label}):" if label != "related"
                       else f"\n related passages {group + 1} (do not state the claim):")
        out.append(hit(h, previous))
    return "\n".join(out)


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def _flags_text(flags) -> str:
    return "; ".join(flag_label(f.kind) for f in flags)


def compare(result) -> str:
    """Side-by-side text of a CompareResult (compare/results.py)."""
    a, b = result.a, result.b
    out = [f"A: {heading(a)}", f"B: {heading(b)}",
           f"reuse: B from A {_pct(result.reuse.b_from_a)} · A from B {_pct(result.reuse.a_from_b)}"]
    credit = result.credit_finding()
    if credit is not None:
        out += [f"credit: {credit[0]}" + (f" “{credit[1].text}”" if credit[1] else ""),
                *_credit_lines(result.credit, "  ")]
    for kind in ("verbatim", "reworded"):
        pairs = [p for p in result.pairs if p.kind == kind]
        out.append(f"\n{kind} ({len(pairs)}):")
        for p in pairs:
            exact = ("exact" if p.exact else f"edited, {len(p.edits)} edits") if kind == "verbatim" else ""
            roles = "" if (p.role_a, p.role_b) == ("body", "body") else f" · {p.role_a} / {p.role_b}"
            flags = f" · flags: {_flags_text(p.flags)}" if p.flags else ""
            out += [f"  similarity {p.similarity:.2f}{' · ' + exact if exact else ''}{roles}{flags}",
                    quote_block(p.a.text, "    A > "), quote_block(p.b.text, "    B > ")]
    for label, quotes, roles in (("only in A", result.only_a, result.only_a_roles),
                                 ("only in B", result.only_b, result.only_b_roles)):
        out.append(f"\n{label} ({len(quotes)}):")
        for n, q in enumerate(quotes):
            role = roles[n] if n < len(roles) else "body"
            out.append(quote_block(q.text, "    > " if role == "body" else f"    ({role}) > "))
    out.append(f"\nquotation changes ({len(result.quote_changes)}):")
    for c in result.quote_changes:
        out += [f"  [{c.kind}] {_flags_text(c.flags)}", quote_block(c.a.text, "    A > "), quote_block(c.b.text, "    B > ")]
    unmatched = getattr(result, "unmatched_quotes", [])
    out.append(f"\nquotations with no counterpart ({len(unmatched)}):")
    for u in unmatched:
        out += [f"  [{u.kind}] {flag_label(u.kind)}", quote_block(u.quote.text, "    > ")]
    return "\n".join(out)


def lineage(result) -> str:
    out = [heading(result.article), f"role: {result.role or 'no other article of this story'}",
           f"origin: {result.origin or UNKNOWN}", *_credit_lines(result.credit, ""), *_sourcing_lines(result.sourcing, "")]
    for e in result.related:
        parent = f" from {e.derived_from} ({_pct(e.reuse_from_parent or 0)} reused)" if e.derived_from else ""
        out.append(f"  [{e.relation}]{parent} · shares {_pct(e.reuse)} with the queried article\n    {heading(e.article)}")
        out += _credit_lines(e.credit, "    ") + _sourcing_lines(e.sourcing, "    ")
    return "\n".join(out)


def _credit_lines(credit, indent: str) -> list[str]:
    """An ArticleCredit (stories/credits.py): its credits, then its flags, one line each."""
    out = [f"{indent}credits: " + "; ".join(f"“{c.outlet.text}”" + (f" ({label(c.names_origin)})" if c.names_origin
                                                                    else "") for c in credit.credits)
           ] if credit.credits else []
    if credit.credits_origin is not None:
        out.append(f"{indent}credits the origin: {'yes' if credit.credits_origin else 'no'}")
    out += [f"{indent}flag [{f.kind}]" + (f" [{f.change}] “{f.quote_from.text}” →" if f.quote_from else "")
            + (f" “{f.quote.text}”" if f.quote else "") for f in credit.flags]
    return out


def outlet_list(entries) -> str:
    """OutletEntry items (stories/outlet_names.py): a name, then what was recorded for it."""
    return "\n".join(f"{e.name}" + (f" · aliases: {', '.join(e.aliases)}" if e.aliases else "")
                     + (f" · sister titles: {', '.join(e.sister_titles)}" if e.sister_titles else "")
                     for e in entries) or "no outlets stored or recorded"


def digest(result) -> str:
    """A DigestResult (stories/digest.py): stories, their articles, lead quote and flags."""
    out = [f"digest {result.since.isoformat()} – {result.until.isoformat()}: "
           f"{result.new_articles} new articles, {len(result.stories)} stories"]
    if not result.stories:
        out.append("no new articles")
    for n, story in enumerate(result.stories, 1):
        known = [o for o in story.outlets if o]
        missing = sum(1 for a in story.articles if not a.outlet)
        outlets = ", ".join(known + ([f"outlet unknown ({missing} article{'' if missing == 1 else 's'})"] if missing else []))
        out.append(f"\nstory {n} ({story.size} articles; outlets: {outlets or UNKNOWN})")
        for a in story.articles:
            relation = story.relations.get(a.article_id) or "single"
            marker = "new" if a.article_id in story.new else "earlier"
            out.append(f"  [{relation}, {marker}] {heading(a)}")
            if a.article_id in story.credits:
                out += _credit_lines(story.credits[a.article_id], "    ")
        if story.new_not_listed:
            out.append(f"  and {len(story.new_not_listed)} more new: {', '.join(story.new_not_listed)}")
        out.append("  lead:")
        out.append(quote_block(story.lead.text))
        for flag in story.flags:
            data = flag.to_json()
            ids = ", ".join(str(v) for k, v in data.items() if k in ("article_id", "from_article_id") and v)
            ids = ids or ", ".join(data.get("article_ids", []))
            share = f" reuse {_pct(data['reuse'])}" if "reuse" in data else ""
            out.append(f"  flag [{data['kind']}] {ids}{share}")
            for side in ("a", "b"):
                if isinstance(data.get(side), dict):
                    out.append(quote_block(data[side]["text"], f"    {side.upper()} > "))
            for change in data.get("quote_changes", []):  # an edit between two versions of a page
                out.append(f"    [{change['kind']}]")
                out += [quote_block(change[side]["text"], f"      {side.upper()} > ") for side in ("a", "b")]
        if story.flags_omitted:
            omitted = getattr(story, "omitted_kinds", {}) or {}
            named = ", ".join(f"{flag_label(k)} ({v})" for k, v in omitted.items())
            out.append(f"  more flags, not shown: {named or story.flags_omitted}")
    if result.not_shown:
        out.append(f"\nnot shown ({result.stories_omitted} more stories, {len(result.not_shown)} new articles):")
        out.extend(f"  {heading(a)}" for a in result.not_shown)
    return "\n".join(out)
