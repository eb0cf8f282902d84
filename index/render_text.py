"""Plain-text rendering of results for a person at a terminal. Quotes are printed whole
and unaltered; unknown metadata is printed as "unknown"."""
from __future__ import annotations

import textwrap

from .models import Article, IngestResult, SourceHit, SourcesResult

UNKNOWN = "unknown"


def byline(article: Article) -> str:
    parts = [
        article.outlet or f"outlet {UNKNOWN}",
        article.published or f"date {UNKNOWN}",
        ", ".join(article.authors) if article.authors else f"author {UNKNOWN}",
    ]
    return " · ".join(parts)


def heading(article: Article) -> str:
    title = article.title or f"(title {UNKNOWN})"
    return f"{title}  [{article.article_id}]\n    {byline(article)}\n    {article.url or f'link {UNKNOWN}'}"


def quote_block(text: str, indent: str = "    > ") -> str:
    # textwrap only re-flows whitespace for display; the words themselves are untouched.
    lines = textwrap.wrap(text, width=88, break_long_words=False, break_on_hyphens=False) or [""]
    return "\n".join(indent + line for line in lines)


def ingest_results(results: list[IngestResult]) -> str:
    lines = []
    for r in results:
        if r.status == "rejected":
            lines.append(f"rejected   {r.path}: {r.error}")
        elif r.status == "duplicate":
            lines.append(f"duplicate  {r.path} (already stored as {r.duplicate_of})")
        else:
            a = r.article
            lines.append(f"added      {r.path} -> {r.article_id}" + (f" · {byline(a)} · {a.passages} passages" if a else ""))
    return "\n".join(lines) or "nothing to ingest"


def article_list(articles: list[Article]) -> str:
    if not articles:
        return "no articles"
    return "\n".join(heading(a) for a in articles)


def article_full(article: Article, text: str) -> str:
    return f"{heading(article)}\n\n{text}"


def hit(h: SourceHit) -> str:
    return f"  [{h.match}] {byline(h.article)}  ({h.article.article_id} {h.quote.start}:{h.quote.end})\n{quote_block(h.quote.text)}"


def sources(answer: SourcesResult) -> str:
    if not answer.results:
        return f"no passages found for: {answer.query}"
    out = [f"sources for: {answer.query}"]
    group = None
    for h in answer.results:
        if h.group != group:
            group = h.group
            out.append(f"\n statement {group + 1}:")
        out.append(hit(h))
    return "\n".join(out)
