"""Dates, header lines, outlets and the precedence of metadata tiers."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from index.errors import UserError
from index.ingest.metadata import (
    header_metadata,
    normalize_date,
    outlet_from_url,
    resolve_metadata,
    split_authors,
)
from index.records import Metadata

SAMPLE_CORPUS = Path(__file__).parent.parent / "sample_corpus"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("January 12, 2026", "2026-01-12"),
        ("12 January 2026", "2026-01-12"),
        ("Jan. 12, 2026", "2026-01-12"),
        ("Monday, January 12, 2026", "2026-01-12"),
        ("2026-02-09", "2026-02-09"),
        ("2026-02-09T10:00:00Z", "2026-02-09T10:00:00+00:00"),
        ("2026-01-12T09:30:00", "2026-01-12T09:30:00"),
        ("2026-01-12T09:30:00+01:00", "2026-01-12T09:30:00+01:00"),
        ("12 January 2026 10:30", "2026-01-12T10:30:00"),
        ("January 2026", "2026-01"),
        ("2026-03", "2026-03"),
        ("2026", "2026"),
        ("  2026-02-09  ", "2026-02-09"),
        (date(2026, 1, 12), "2026-01-12"),
        (datetime(2026, 1, 12, 9, 30), "2026-01-12T09:30:00"),
        (datetime(2026, 1, 12, 9, 30, tzinfo=timezone(timedelta(hours=1))), "2026-01-12T09:30:00+01:00"),
    ],
)
def test_normalize_date(value: object, expected: str) -> None:
    assert normalize_date(value) == expected


@pytest.mark.parametrize("value", ["", "garbage", "March 5", "Monday", "2026-13-01", "12", None, 2026, [], "By JOHN SMITH"])
def test_normalize_date_never_invents(value: object) -> None:
    assert normalize_date(value) is None


def test_split_authors() -> None:
    assert split_authors("GLEN OWEN & DAN HODGES") == ["GLEN OWEN", "DAN HODGES"]
    assert split_authors("Ann Lee, Bob Roy and Cy Twombly") == ["Ann Lee", "Bob Roy", "Cy Twombly"]


def sample_header(prefix: str) -> Metadata:
    (path,) = SAMPLE_CORPUS.glob(f"{prefix}_*.txt")
    return header_metadata(path.read_text(encoding="utf-8"))


def test_header_sample_000_byline_and_date() -> None:
    assert sample_header("000") == Metadata(authors=["GLEN OWEN", "DAN HODGES"], published="2026-01-12")


def test_header_sample_001_labelled_date() -> None:
    assert sample_header("001") == Metadata(published="2026-02-09")


def test_header_sample_003_headline() -> None:
    title = "Exclusive: Inside Sources Reveal Trump\u2019s Greenland Invasion Plan Amid Military Tensions"
    assert sample_header("003") == Metadata(title=title)


def test_header_never_gives_outlet() -> None:
    meta = header_metadata("The Daily Mail\n\nBy Ann Lee\n\nPublished: 3 March 2025 | Updated: 4 March 2025\n\nBody.")
    assert meta.outlet is None
    assert meta.title == "The Daily Mail"
    assert meta.authors == ["Ann Lee"]
    assert meta.published == "2025-03-03"


def test_header_ignores_prose() -> None:
    assert header_metadata("By the numbers, the plan fails.\n\nMore text.") == Metadata()
    assert header_metadata("A first sentence of the article.\n\nBy Ann Lee") == Metadata()
    assert header_metadata("Just one line") == Metadata()  # no body after it: not a headline


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.dailymail.co.uk/news/x", "dailymail.co.uk"),
        ("http://Example.COM:8080/a?b=c", "example.com"),
        ("www.theguardian.com/world", "theguardian.com"),
        ("news.bbc.co.uk", "news.bbc.co.uk"),
        (None, None),
        ("", None),
        ("not a url", None),
        ("http://[::1", None),
    ],
)
def test_outlet_from_url(url: str | None, expected: str | None) -> None:
    assert outlet_from_url(url) == expected


FULL = {"title": "T", "outlet": "O", "authors": ["A"], "published": "2026-01-01", "url": "https://u.example/1"}


def tier(suffix: str, **fields: object) -> Metadata:
    values = {k: (v + suffix if isinstance(v, str) and k not in ("published", "url") else v) for k, v in FULL.items()}
    values["authors"] = [f"A{suffix}"]
    values.update(fields)
    return Metadata(**values)  # type: ignore[arg-type]


def test_resolve_each_tier_overrides_lower() -> None:
    explicit = tier("-explicit", published="2026-01-04")
    declared = tier("-declared", published="2026-01-03")
    html = tier("-html", published="2026-01-02")
    header = tier("-header", published="2026-01-01")
    assert resolve_metadata(explicit, declared, html, header) == explicit
    assert resolve_metadata(Metadata(), declared, html, header) == declared
    assert resolve_metadata(Metadata(), Metadata(), html, header) == html
    assert resolve_metadata(Metadata(), Metadata(), Metadata(), header) == header


def test_resolve_field_by_field() -> None:
    resolved = resolve_metadata(
        Metadata(title="Explicit title"),
        Metadata(authors=["Declared Author"]),
        Metadata(published="12 January 2026", title="HTML title"),
        Metadata(published="2025-01-01", authors=["Header Author"]),
    )
    assert resolved == Metadata(title="Explicit title", authors=["Declared Author"], published="2026-01-12")


def test_resolve_unknown_stays_unknown() -> None:
    assert resolve_metadata(Metadata(), Metadata(), Metadata(), Metadata()) == Metadata()


def test_resolve_outlet_from_url_only_when_unknown() -> None:
    url = "https://www.dailymail.co.uk/news/x"
    assert resolve_metadata(Metadata(), Metadata(url=url), Metadata(), Metadata()).outlet == "dailymail.co.uk"
    assert resolve_metadata(Metadata(), Metadata(url=url), Metadata(outlet="Daily Mail"), Metadata()).outlet == "Daily Mail"


def test_resolve_dates() -> None:
    with pytest.raises(UserError, match="could not read date"):
        resolve_metadata(Metadata(published="next tuesday-ish"), Metadata(), Metadata(), Metadata())
    # An unreadable lower-tier date falls through to the next tier instead.
    resolved = resolve_metadata(Metadata(), Metadata(published="soon"), Metadata(), Metadata(published="Jan. 12, 2026"))
    assert resolved.published == "2026-01-12"


def test_sizes_are_shown_in_kb_and_mb_without_setting_names() -> None:
    from index.config import human_size, too_large

    assert human_size(900) == "900 bytes" and human_size(12 * 1024) == "12 KB"
    assert human_size(20 * 1024 * 1024) == "20 MB" and human_size(25_000_000) == "23.8 MB"
    message = too_large("big.pdf", 25_000_000, 20 * 1024 * 1024)
    assert message == "big.pdf is 23.8 MB; the limit is 20 MB" and "SOURCEDESK" not in message
