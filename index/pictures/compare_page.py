"""The compare result (compare/results.py) as ONE self-contained HTML page: both
articles side by side, aligned passages on one row, changed words marked, flags in a
margin. Inline CSS only: no script, no font, nothing fetched; the only links are the
articles' own http(s) URLs.

Every text in the page is a verbatim slice of an article (a ``Quote``, or a slice of one
by the offsets of a word edit), HTML-escaped and wrapped in an element carrying
``data-article``/``data-start``/``data-end``; metadata; a number; or a label from the
fixed tables below and ``FLAG_LABELS``. Nothing is generated.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from index.compare.quote_changes import change_kinds
from index.compare.results import AlignedPair, CompareResult, Flag, QuoteChange, UnmatchedQuote, flag_label
from index.labels import count, severity
from index.naming import SHORT_ID, display_name, is_titled
from index.records import Article, Quote

# The page's own words: a fixed vocabulary, like the flag labels.
UNKNOWN = "unknown"
MARK_LABELS = {"delete": "deleted in B", "insert": "inserted in B", "replace": "replaced"}
ROW_LABELS = {"only_a": "only in A", "only_b": "only in B"}
REPEAT_LABEL = "also shown above"  # a passage aligned with two on the other side
# Details longer than this stay marked in the text only, so the margin stays a margin.
MARGIN_DETAIL_CHARS = 120
SUMMARY_WORDS = 14  # words of a changed passage quoted in the summary, to recognise the row
CHANGES_HEADING = "Changes, most serious first"
NO_CHANGES = "No quotation or meaning changed."

CSS = """
:root{--ink:#1b1b1b;--muted:#5d5d5d;--rule:#c9c9c9;--shade:#eeeeee;--ins:#d2e4ff;--ins-ink:#08357a;
--del:#ffe0bf;--del-ink:#7a3500;--rep:#fff3b0}
*{box-sizing:border-box}
body{margin:0;padding:16px 20px;font:15px/1.5 Georgia,"Times New Roman",serif;color:var(--ink);background:#fff}
h1{font:600 18px/1.3 system-ui,sans-serif;margin:0 0 10px}
.meta{display:grid;grid-template-columns:1fr 1fr;gap:12px;margin-bottom:10px}
.card{border:1px solid var(--rule);padding:8px 12px;border-radius:4px}
.card h2{font:600 16px/1.3 system-ui,sans-serif;margin:0 0 4px}
.card dl{display:grid;grid-template-columns:max-content 1fr;gap:0 10px;margin:0;font:13px/1.45 system-ui,sans-serif}
.card dt{color:var(--muted)}.card dd{margin:0;overflow-wrap:anywhere}
.unknown{color:var(--muted);font-style:italic}
.side{display:inline-block;min-width:1.6em;text-align:center;font:700 13px/1.5 system-ui,sans-serif;
border:1px solid var(--ink);border-radius:3px;margin-right:6px}
.summary,.legend{font:13px/1.6 system-ui,sans-serif;margin:4px 0}
.legend span{margin-right:14px}
table{width:100%;border-collapse:collapse;table-layout:fixed;margin-top:8px}
th{font:600 13px/1.4 system-ui,sans-serif;text-align:left;border-bottom:2px solid var(--ink);padding:4px 8px}
td{vertical-align:top;padding:8px;border-bottom:1px solid var(--rule)}
col.text{width:40%}col.margin{width:20%}
tr{break-inside:avoid}
td.empty{background:repeating-linear-gradient(135deg,#fff 0 6px,var(--shade) 6px 12px)}
tr.only_a td.passage,tr.only_b td.passage{background:var(--shade)}
.passage .q{white-space:pre-wrap;overflow-wrap:anywhere}
.tag{display:inline-block;font:11px/1.5 system-ui,sans-serif;color:var(--muted);border:1px solid var(--rule);
border-radius:3px;padding:0 5px;margin:0 4px 4px 0}
.tag.role{text-transform:lowercase}
.tag.onesided{color:var(--ink);border-color:var(--ink);font-weight:600}
td.margin{font:12px/1.45 system-ui,sans-serif}
.flag{border-left:4px solid #b35900;padding:2px 6px;margin:0 0 6px;background:#fff7ef}
.flag.meaning{border-left-color:#1f5fbf;background:#f1f6ff}
.flag .label{font-weight:600;display:block}
.flag .detail{display:block;color:var(--muted)}
.flag .detail q{color:var(--ink);quotes:none;white-space:pre-wrap}
.changes{font:13px/1.5 system-ui,sans-serif;margin:6px 0 10px;padding-left:1.6em}
.changes a{font-weight:600}.changes .q{font-family:Georgia,serif}
tr:target td{outline:2px solid #b35900;outline-offset:-2px}
del.edit{background:var(--del);color:var(--del-ink);text-decoration:line-through 2px}
ins.edit{background:var(--ins);color:var(--ins-ink);text-decoration:underline 2px;text-underline-offset:2px}
mark.edit{background:var(--rep);color:inherit;text-decoration:underline dotted 2px;text-underline-offset:3px}
span.gap::before{content:"\\2038";color:var(--ins-ink);font-weight:700}
.repeat .q{color:var(--muted)}
@media print{body{padding:0;font-size:11pt}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
thead{display:table-header-group}}
"""

MEANING_KINDS = frozenset({"negation_changed", "hedging_changed", "question_changed", "number_changed",
                           "date_changed", "name_changed", "wording_changed"})


# -- rows -------------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table: a pair, or a passage of one side only."""

    kind: str  # "pair" | "only_a" | "only_b"
    a: Quote | None = None
    b: Quote | None = None
    pair: AlignedPair | None = None
    role_a: str | None = None
    role_b: str | None = None
    changes: list[QuoteChange] = field(default_factory=list)
    unmatched: list[UnmatchedQuote] = field(default_factory=list)


def _roles(quotes: list[Quote], roles: list[str]) -> list[str]:
    return [roles[n] if n < len(roles) else "body" for n in range(len(quotes))]


def build_rows(result: CompareResult) -> list[Row]:
    """Pairs and A-only passages in A's order; each B-only passage after the row whose B
    passage comes last before it in B (before the first pair when none does)."""
    rows = [Row("pair", p.a, p.b, p, p.role_a, p.role_b) for p in result.pairs]
    rows += [Row("only_a", a=q, role_a=r) for q, r in zip(result.only_a, _roles(result.only_a, result.only_a_roles))]
    rows.sort(key=lambda r: (r.a.start, r.b.start if r.b else -1))
    after: dict[int, list[Row]] = {}
    first_pair = next((n for n, r in enumerate(rows) if r.kind == "pair"), len(rows))
    for q, role in sorted(zip(result.only_b, _roles(result.only_b, result.only_b_roles)), key=lambda x: x[0].start):
        before = [(r.b.start, n) for n, r in enumerate(rows) if r.b is not None and r.b.start < q.start]
        anchor = max(before)[1] if before else first_pair - 1
        after.setdefault(anchor, []).append(Row("only_b", b=q, role_b=role))
    out = list(after.get(-1, []))
    for n, row in enumerate(rows):
        out.append(row)
        out += after.get(n, [])
    _attach_quotation_notes(out, result)
    return out


def _inside(q: Quote | None, at: int) -> bool:
    return q is not None and q.start <= at < max(q.end, q.start + 1)


def _overlaps(q: Quote | None, other: Quote) -> bool:
    return q is not None and q.article_id == other.article_id and q.start < other.end and other.start < q.end


def _attach_quotation_notes(rows: list[Row], result: CompareResult) -> None:
    """Each quotation change goes to one row: the first holding both its sides, else the
    first holding its A side, else its B side; each quotation with no counterpart to the first row holding it."""
    for change in result.quote_changes:
        both = [r for r in rows if _inside(r.a, change.a.start) and _inside(r.b, change.b.start)]
        on_a = [r for r in rows if _overlaps(r.a, change.a)]
        on_b = [r for r in rows if _overlaps(r.b, change.b)]
        target = (both or on_a or on_b or [None])[0]
        if target is not None:
            target.changes.append(change)
    for u in result.unmatched_quotes:
        target = next((r for r in rows if _overlaps(r.a, u.quote) or _overlaps(r.b, u.quote)), None)
        if target is not None:
            target.unmatched.append(u)


# -- quotes -----------------------------------------------------------------------------------


def _attrs(q: Quote, start: int, end: int) -> str:
    return f'data-article="{escape(q.article_id)}" data-start="{start}" data-end="{end}"'


def quote_html(q: Quote, marks: list[tuple[int, int, str]] = (), gaps: list[int] = (), tag: str = "span") -> str:
    """``q`` verbatim, with ``marks`` (absolute start, end, edit op) wrapped in <del>,
    <ins> or <mark> and ``gaps`` (absolute offsets where the other side has words this one
    lacks) as empty markers; every wrapped slice carries its own offsets."""
    cuts = sorted((s, e, op) for s, e, op in marks if q.start <= s < e <= q.end)
    points = sorted({g for g in gaps if q.start <= g <= q.end})
    parts, at = [], q.start

    def plain(upto: int) -> None:
        nonlocal at
        while points and points[0] <= upto:
            g = points.pop(0)
            if g >= at:
                parts.append(escape(q.text[at - q.start:g - q.start], quote=False))
                parts.append(f'<span class="gap" title="{MARK_LABELS["insert"]}"></span>')
                at = g
        parts.append(escape(q.text[at - q.start:upto - q.start], quote=False))
        at = upto

    for s, e, op in cuts:
        if s < at:  # overlapping edits: keep the first
            continue
        plain(s)
        el = {"delete": "del", "insert": "ins"}.get(op, "mark")
        parts.append(f'<{el} class="edit {op}" title="{MARK_LABELS.get(op, op)}" {_attrs(q, s, e)}>'
                     f'{escape(q.text[s - q.start:e - q.start], quote=False)}</{el}>')
        at = e
    plain(q.end)
    return f'<{tag} class="q" {_attrs(q, q.start, q.end)}>{"".join(parts)}</{tag}>'


def _pair_marks(pair: AlignedPair, side: str) -> tuple[list[tuple[int, int, str]], list[int]]:
    marks, gaps = [], []
    for e in pair.edits:
        mine = e.a if side == "a" else e.b
        if mine is not None:
            marks.append((mine.start, mine.end, e.op))
        else:
            gaps.append(e.a_at if side == "a" else e.b_at)
    return marks, gaps


# -- page parts -------------------------------------------------------------------------------


def _value(text: str | None, what: str) -> str:
    return escape(text) if text else f'<span class="unknown">{what} {UNKNOWN}</span>'


def _link(url: str | None) -> str:
    if url and url.lower().startswith(("http://", "https://")):
        return f'<a href="{escape(url)}" rel="noreferrer noopener">{escape(url)}</a>'
    return _value(url, "link")


def article_card(side: str, article: Article) -> str:
    rows = [("outlet", _value(article.outlet, "outlet")), ("date", _value(article.published, "date")),
            ("authors", _value(", ".join(article.authors) if article.authors else None, "authors")),
            ("link", _link(article.url)), ("id", escape(article.article_id[:SHORT_ID])),
            ("characters", str(article.chars)), ("passages", str(article.passages))]
    if not is_titled(article):  # the heading names the article by what is known; the title row says unknown
        rows.insert(0, ("title", _value(None, "title")))
    items = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return (f'<section class="card"><h2><span class="side">{side}</span>{escape(display_name(article))}</h2>'
            f"<dl>{items}</dl></section>")


def _tags(row: Row, side: str, repeat: bool) -> str:
    role = row.role_a if side == "a" else row.role_b
    tags = f'<span class="tag role">{escape(role or "body")}</span>'
    if repeat:
        tags += f'<span class="tag">{REPEAT_LABEL}</span>'
    if row.kind != "pair":
        tags += f'<span class="tag onesided">{ROW_LABELS[row.kind]}</span>'
    elif side == "a":
        tags += f'<span class="tag">{escape(row.pair.kind)}</span>'
    return f"<div>{tags}</div>"


def _passage_cell(row: Row, side: str, seen: set[tuple[str, int, int]]) -> str:
    q = row.a if side == "a" else row.b
    if q is None:
        return '<td class="passage empty"></td>'
    # Words are marked only where the two passages are nearly the same (verbatim pairs):
    # in a reworded pair nearly every word would be marked, which says nothing.
    near = row.pair is not None and row.pair.kind == "verbatim"
    marks, gaps = _pair_marks(row.pair, side) if near else ([], [])
    key = (q.article_id, q.start, q.end)
    repeat = key in seen  # a merged or split passage on a second row
    seen.add(key)
    return (f'<td class="passage{" repeat" if repeat else ""}">{_tags(row, side, repeat)}'
            f'{quote_html(q, marks, gaps, "div")}</td>')


def _details(quotes: tuple[Quote, ...], side: str) -> str:
    shown = [q for q in quotes if len(q.text) <= MARGIN_DETAIL_CHARS]
    if not shown:
        return ""
    return (f'<span class="detail"><span class="side">{side}</span>'
            + " · ".join(quote_html(q, tag="q") for q in shown) + "</span>")


def flag_html(kind: str, detail_a: tuple[Quote, ...] = (), detail_b: tuple[Quote, ...] = ()) -> str:
    cls = "flag meaning" if kind in MEANING_KINDS else "flag"
    return (f'<div class="{cls}" data-flag="{escape(kind)}"><span class="label">{escape(flag_label(kind))}</span>'
            f'{_details(detail_a, "A")}{_details(detail_b, "B")}</div>')


def _change_flags(change: QuoteChange) -> list[Flag]:
    """A quotation change's flags, an attribution change named as what it is (speaker or
    speech verb, ``change_kinds``)."""
    refined = next((k for k in change_kinds(change) if k in ("speaker_changed", "speech_verb_changed")), None)
    flags = list(change.flags) or [Flag(change.kind, change.detail_a, change.detail_b)]
    return [Flag(refined, f.detail_a, f.detail_b) if f.kind == "attribution_changed" and refined else f for f in flags]


def row_flags(row: Row) -> list[Flag]:
    """Every change of a row, each once, most serious first."""
    flags: list[Flag] = list(row.pair.flags) if row.pair else []
    for change in row.changes:
        flags += [f for f in _change_flags(change) if f not in flags]
    a_id = row.a.article_id if row.a else None
    b_id = row.b.article_id if row.b else None
    flags += [Flag(u.kind, (u.quote,) if u.quote.article_id == a_id else (),
                   (u.quote,) if row.b is not None and u.quote.article_id == b_id else ()) for u in row.unmatched]
    return sorted(flags, key=lambda f: severity(f.kind))


def _margin_cell(row: Row) -> str:
    return f'<td class="margin">{"".join(flag_html(f.kind, f.detail_a, f.detail_b) for f in row_flags(row))}</td>'


def _excerpt(q: Quote) -> Quote:
    """The first SUMMARY_WORDS words of ``q``: a slice of it, so still a verbatim quote."""
    cut, words = len(q.text), 0
    for n, ch in enumerate(q.text):
        if ch.isspace() and n and not q.text[n - 1].isspace():
            words += 1
            if words == SUMMARY_WORDS:
                cut = n
                break
    return Quote(q.article_id, q.text[:cut], q.start, q.start + cut)


def _changes_summary(rows: list[Row]) -> str:
    """The rows with a change, most serious first, each linking to its row."""
    changed = [(n, row_flags(r)) for n, r in enumerate(rows)]
    changed = sorted([(n, f) for n, f in changed if f], key=lambda nf: (severity(nf[1][0].kind), nf[0]))
    if not changed:
        return f'<p class="summary">{NO_CHANGES}</p>'
    items = []
    for n, flags in changed:
        labels = " · ".join(dict.fromkeys(flag_label(f.kind) for f in flags))
        q = rows[n].a or rows[n].b
        shown = _excerpt(q)
        more = "…" if shown.end < q.end else ""
        items.append(f'<li data-first="{flags[0].kind}"><a href="#row-{n}">{escape(labels)}</a> {quote_html(shown, tag="q")}{more}</li>')
    return f'<p class="summary"><b>{CHANGES_HEADING}</b></p><ol class="changes">{"".join(items)}</ol>'


def _summary(result: CompareResult) -> str:
    kinds = [p.kind for p in result.pairs]
    r = result.reuse
    counts = [count(kinds.count("verbatim"), "verbatim pair"), count(kinds.count("reworded"), "reworded pair"),
              f"{count(len(result.only_a), 'passage')} only in A", f"{count(len(result.only_b), 'passage')} only in B"]
    shares = f"{r.b_from_a * 100:.0f}% of B is in A · {r.a_from_b * 100:.0f}% of A is in B"
    credit = result.credit_finding()
    credited = "" if credit is None else (
        f'<p class="summary credit">{escape(credit[0])}' + (f": {quote_html(credit[1], tag='q')}" if credit[1] else "")
        + "</p>")
    return f'<p class="summary">{shares} · {" · ".join(counts)}</p>{credited}'


def side_name(article: Article) -> str:
    """"The Mail on Sunday, 2026-01-12": outlet and date, each or its unknown."""
    day = (article.published or "").partition("T")[0]
    return f"{article.outlet or 'outlet unknown'}, {day or 'undated'}"


LEGEND = ('<p class="legend"><span><del class="edit">struck, orange</del> deleted in B</span>'
          '<span><ins class="edit">underlined, blue</ins> inserted in B</span>'
          '<span><mark class="edit">dotted, yellow</mark> replaced</span>'
          '<span><span class="gap"></span> where the other side has words (words marked in nearly identical '
          'passages only)</span>'
          '<span class="tag onesided">only in A</span><span class="tag onesided">only in B</span> shaded</p>')


def compare_page(result: CompareResult) -> str:
    """The whole page as one HTML document (UTF-8, self-contained): headed by the two
    outlets and dates, the changes most serious first (each linking to its row), then
    the two articles side by side."""
    rows = build_rows(result)
    seen: set[tuple[str, int, int]] = set()
    body = "".join(
        f'<tr id="row-{n}" class="{r.kind}" data-row="{r.kind}">{_passage_cell(r, "a", seen)}'
        f"{_passage_cell(r, 'b', seen)}{_margin_cell(r)}</tr>"
        for n, r in enumerate(rows)
    )
    a, b = result.a, result.b
    heading = escape(f"Compare: A {side_name(a)} · B {side_name(b)}")
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{heading}</title><style>{CSS}</style></head><body>"
        f"<h1>{heading}</h1>"
        f'<div class="meta">{article_card("A", a)}{article_card("B", b)}</div>{_summary(result)}'
        f"{_changes_summary(rows)}{LEGEND}"
        '<table><colgroup><col class="text"><col class="text"><col class="margin"></colgroup>'
        '<thead><tr><th><span class="side">A</span></th><th><span class="side">B</span></th><th>flags</th></tr></thead>'
        f"<tbody>{body}</tbody></table></body></html>\n"
    )
