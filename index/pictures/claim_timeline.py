"""The claim timeline of a /sources answer: who stated the claim when. One mark per
outlet at the date of its earliest stating passage (``verbatim`` or ``close``), labelled
with that passage's match label (and ``reported`` when the outlet quotes or attributes
the words); outlets whose stating articles are all undated sit in their own lane.

An article with no outlet is its own row, named as everywhere else
(``index.naming.display_name``): two unknown outlets are never assumed to be one.
Fewer than two outlets state the claim: nothing to draw (``timeline_data`` returns
None, ``draw_timeline`` raises ``NothingToDraw``)."""
from __future__ import annotations

from dataclasses import dataclass

import matplotlib.dates as mdates
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from index.naming import display_name
from index.pictures.style import (
    DATE_AXIS,
    OKABE_ITO,
    UNDATED_LANE,
    NothingToDraw,
    Row,
    heading,
    lane_axes,
    legend,
    new_figure,
    period,
    png_bytes,
)
from index.search.results import STATING, SourceHit, SourcesResult, who_states

__all__ = ["ClaimTimeline", "TimelineMark", "draw_timeline", "timeline_data", "timeline_figure", "timeline_png"]

MIN_OUTLETS = 2
# match label -> (marker, colour): the sources vocabulary (index/search/verdicts.py).
MATCH_STYLE = {
    "verbatim": ("D", OKABE_ITO["blue"]),
    "close": ("^", OKABE_ITO["orange"]),
    "related": ("s", OKABE_ITO["grey"]),
}
_LABEL_RANK = {"verbatim": 0, "close": 1, "related": 2}
REPORTED = "reported"
REPORTED_LEGEND = "hollow: reported (quoted or attributed)"
EARLIEST = "earliest by stored date"
LABEL_LEFT_FROM = 0.7
HEADING = "claim timeline · {who} state it"


@dataclass(frozen=True)
class TimelineMark(Row):
    """One outlet's earliest stating passage: ``label`` names the row (the outlet, else the
    article's display name); ``match`` its label; ``date`` as stored (None: undated lane)."""

    label: str
    outlet: str | None
    article_id: str
    date: str | None
    match: str
    reported: bool = False


    def mark_label(self) -> str:
        return f"{self.match} · {REPORTED}" if self.reported else self.match


@dataclass
class ClaimTimeline:
    """The drawn marks as data, in row order: dated by date, then undated."""

    marks: list[TimelineMark]

    @property
    def heading(self) -> str:
        named = sum(1 for m in self.marks if m.outlet)
        return HEADING.format(who=who_states(named, len(self.marks) - named))

    def earliest(self) -> list[TimelineMark]:
        """The dated marks that may be the first: no other mark's stored date (as a period:
        a day, a month, a year) ends before theirs begins. Same day, or a month overlapping
        a day of it: all of them, never a guess between them."""
        dated = [(m, period(m.date)) for m in self.marks if m.lane == "dated"]
        return [m for m, p in dated if not any(q.end <= p.start and q != p for _, q in dated)]

    def legend(self) -> list[str]:
        labels = [m for m in MATCH_STYLE if any(x.match == m for x in self.marks)]
        if any(m.reported for m in self.marks):
            labels.append(REPORTED_LEGEND)
        if self.earliest():
            labels.append(EARLIEST)
        return labels

    def texts(self) -> list[str]:
        """Every text the drawing writes, besides the date axis's tick labels."""
        lanes = {m.lane for m in self.marks}
        axes = [DATE_AXIS] * ("dated" in lanes) + [UNDATED_LANE] * ("undated" in lanes)
        return [self.heading, *(m.row_label() for m in self.marks), *(m.mark_label() for m in self.marks),
                *self.legend(), *axes]


def _outlet_key(hit: SourceHit) -> tuple[str, str]:
    outlet = " ".join((hit.article.outlet or "").split()).casefold()
    return ("outlet", outlet) if outlet else ("article", hit.article.article_id)


def timeline_data(result: SourcesResult) -> ClaimTimeline | None:
    """The marks of a sources answer, or None when fewer than MIN_OUTLETS outlets state it."""
    first: dict[tuple[str, str], SourceHit] = {}
    for hit in result.results:
        if hit.match not in STATING:
            continue
        key = _outlet_key(hit)
        rank = (hit.article.date_key(), _LABEL_RANK[hit.match], hit.reported, hit.quote.start)
        best = first.get(key)
        if best is None or rank < (best.article.date_key(), _LABEL_RANK[best.match], best.reported, best.quote.start):
            first[key] = hit
    if len(first) < MIN_OUTLETS:
        return None
    hits = sorted(first.values(), key=lambda h: (h.article.date_key(), h.article.article_id))
    marks = [TimelineMark(h.article.outlet or display_name(h.article), h.article.outlet, h.article.article_id,
                          h.article.published, h.match, h.reported) for h in hits]
    return ClaimTimeline(marks)


def timeline_figure(data: ClaimTimeline) -> Figure:
    marks = data.marks
    if len(marks) < MIN_OUTLETS:
        raise NothingToDraw(f"a claim timeline needs at least {MIN_OUTLETS} outlets, got {len(marks)}")
    fig = new_figure(len(marks))
    dated = [m for m in marks if m.lane == "dated"]
    axes = lane_axes(fig, [m.row_label() for m in marks], [period(m.date) for m in dated],
                     undated=len(dated) < len(marks), right_room=0.1)
    earliest = {m.article_id for m in data.earliest()}
    for y, m in enumerate(marks):
        ax = axes[m.lane]
        marker, colour = MATCH_STYLE[m.match]
        p = period(m.date)
        x = mdates.date2num(p.mid) if p is not None else 0.25
        if p is not None and p.wide:
            ax.hlines(y, mdates.date2num(p.start), mdates.date2num(p.end), colors=colour, linewidth=7, alpha=0.3)
        ax.scatter([x], [y], s=160, marker=marker, c="white" if m.reported else colour, edgecolors=colour,
                   linewidths=2.2, zorder=3)
        if m.article_id in earliest:
            ax.scatter([x], [y], s=430, marker="o", facecolors="none", edgecolors="black", linewidths=1.5, zorder=4)
        # The label beside the mark, on its left when the mark is in the right part of the axis.
        low, high = ax.get_xlim()
        left = m.lane == "dated" and (x - low) > LABEL_LEFT_FROM * (high - low)
        ax.annotate(m.mark_label(), (x, y), xytext=(-14 if left else 14, 0), textcoords="offset points",
                    ha="right" if left else "left", va="center", fontsize=9)
    legend(fig, _legend_handles(data))
    heading(fig, data.heading)
    return fig


def _legend_handles(data: ClaimTimeline) -> list[Line2D]:
    wanted = data.legend()
    handles = [Line2D([], [], linestyle="none", marker=MATCH_STYLE[m][0], markerfacecolor=MATCH_STYLE[m][1],
                      markeredgecolor=MATCH_STYLE[m][1], markersize=10, label=m) for m in MATCH_STYLE if m in wanted]
    if REPORTED_LEGEND in wanted:
        handles.append(Line2D([], [], linestyle="none", marker="o", markerfacecolor="white",
                              markeredgecolor=OKABE_ITO["grey"], markeredgewidth=2, markersize=10,
                              label=REPORTED_LEGEND))
    if EARLIEST in wanted:
        handles.append(Line2D([], [], linestyle="none", marker="o", markerfacecolor="none", markeredgecolor="black",
                              markeredgewidth=1.5, markersize=16, label=EARLIEST))
    return handles


def draw_timeline(data: ClaimTimeline) -> bytes:
    """PNG bytes (thread-safe: a Figure of its own, no pyplot). Raises NothingToDraw."""
    return png_bytes(timeline_figure(data))


def timeline_png(result: SourcesResult) -> bytes | None:
    """The timeline of a sources answer, or None when fewer than two outlets state it."""
    data = timeline_data(result)
    return None if data is None else draw_timeline(data)
