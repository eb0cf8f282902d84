"""What to call an article in a title position (embed titles, autocomplete labels, list
entries, CLI headings): its title, else what is known of it, marked as such -- never an
invented headline and never a bare "unknown"."""
from __future__ import annotations

from index.records import Article

SHORT_ID = 8


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _day(published: str | None) -> str:
    """The date part of a date or date-time, as stored (YYYY, YYYY-MM or YYYY-MM-DD)."""
    return _one_line(published).partition("T")[0]


def display_name(article: Article) -> str:
    """The title; else "Outlet, 2026-01-12", "article from 2026-02-09", "Outlet, file x.txt",
    "file x.txt", "page news.example/a/b" (fetched by link), "article 1a2b3c4d" -- each part
    only when it is known."""
    title = _one_line(article.title)
    if title:
        return title
    outlet, day, source = _one_line(article.outlet), _day(article.published), _one_line(article.source_name)
    if outlet and day:
        return f"{outlet}, {day}"
    if day:
        return f"article from {day}"
    tail = _source(source) if source else f"article {article.article_id[:SHORT_ID]}"
    return f"{outlet}, {tail}" if outlet else tail


def _source(source: str) -> str:
    """A file's name, or the address of a page fetched by link without its scheme."""
    scheme, sep, rest = source.partition("://")
    if sep and scheme.lower() in ("http", "https"):
        return f"page {rest.rstrip('/')}"
    return f"file {source}"


def is_titled(article: Article) -> bool:
    return bool(_one_line(article.title))
