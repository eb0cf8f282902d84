"""What the story and claim-timeline pictures share: the colour-blind-safe palette, stored
dates read as periods (never made more precise than stored), short labels, and PNG output
from a matplotlib ``Figure`` (no pyplot global state, so worker threads may draw at once).

Every text a picture holds is metadata, a number, or a label from a fixed vocabulary."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from index.naming import SHORT_ID

# Okabe & Ito (2008), legible with every common colour-vision deficiency; shapes carry the
# same distinction, so no picture relies on colour alone.
OKABE_ITO = {
    "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "grey": "#7F7F7F", "black": "#000000",
}
DPI = 100
WIDTH_IN = 12.0
MIN_HEIGHT_IN = 6.0
ROW_IN = 0.42  # height per article or outlet row; pictures grow with their rows
LABEL_CHARS = 42
ELLIPSIS = "…"
UNDATED = "undated"
UNDATED_LANE = "undated\n(no date known)"
DATE_AXIS = "publication date"


class NothingToDraw(ValueError):
    """The result holds too little for a picture (e.g. a claim stated in fewer than two
    outlets): callers attach nothing."""


@dataclass(frozen=True)
class Period:
    """A stored date as the stretch of time it names: a year, a month, a day or an instant
    (naive UTC). ``mid`` is where the mark goes; a span wider than a day is drawn as a bar."""

    start: datetime
    end: datetime

    @property
    def mid(self) -> datetime:
        return self.start + (self.end - self.start) / 2

    @property
    def wide(self) -> bool:
        return self.end - self.start > timedelta(days=1)


def period(published: str | None) -> Period | None:
    """The period a stored ISO date names (YYYY, YYYY-MM, YYYY-MM-DD or a date-time);
    None when there is no date or it cannot be read: undated, never guessed."""
    text = (published or "").strip()
    try:
        if len(text) == 4:
            year = int(text)
            return Period(datetime(year, 1, 1), datetime(year + 1, 1, 1))
        if len(text) == 7:
            year, month = int(text[:4]), int(text[5:7])
            nxt = datetime(year + (month == 12), month % 12 + 1, 1)
            return Period(datetime(year, month, 1), nxt)
        if len(text) == 10:
            day = datetime.fromisoformat(text)
            return Period(day, day + timedelta(days=1))
        if len(text) > 10:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is not None:
                moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
            return Period(moment, moment)
    except ValueError:
        return None
    return None


def day_text(published: str | None) -> str:
    """The stored date's date part, or "undated"."""
    return (published or "").strip().partition("T")[0] or UNDATED


def clip(text: str, limit: int = LABEL_CHARS) -> str:
    """Metadata shortened to fit a label (cut, never reworded)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def row_label(name: str, published: str | None, article_id: str) -> str:
    """A row's two lines: what to call it (outlet, else display name), then date and short id."""
    return f"{clip(name)}\n{day_text(published)} · {article_id[:SHORT_ID]}"


class Row:
    """An article's row in a picture (mixed into the node and mark dataclasses, which hold
    ``label``, ``date`` and ``article_id``): its lane and its two-line row label."""

    label: str
    date: str | None
    article_id: str

    @property
    def lane(self) -> str:
        return "dated" if period(self.date) is not None else "undated"

    def row_label(self) -> str:
        return row_label(self.label, self.date, self.article_id)


def new_figure(rows: int) -> Figure:
    height = max(MIN_HEIGHT_IN, 1.8 + ROW_IN * rows)
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    FigureCanvasAgg(fig)  # its own canvas: transforms work before saving, no pyplot involved
    return fig


# The offset under the date axis names the year (not "2026-Feb" for ticks in days).
OFFSET_FORMATS = ["", "%Y", "%Y", "%Y-%b-%d", "%Y-%b-%d", "%Y-%b-%d %H:%M"]
GRID = {"color": "#DDDDDD", "linewidth": 0.6}


def lane_axes(fig: Figure, row_labels: list[str], periods: list[Period], undated: bool,
              right_room: float = 0.0) -> dict[str, Axes]:
    """One row per label (first on top); a date axis spanning ``periods`` (when any), and
    beside it, when ``undated``, a separate lane with no time axis. ``right_room``: share
    of the date span kept free on the right (for labels beside the marks)."""
    height = fig.get_figheight()
    lanes = ["dated"] * bool(periods) + ["undated"] * undated
    grid = fig.add_gridspec(1, len(lanes), width_ratios=[4 if lane == "dated" else 1 for lane in lanes],
                            left=0.34, right=0.98, wspace=0.04, top=1 - 1.25 / height, bottom=0.75 / height)
    axes: dict[str, Axes] = {}
    first = None
    for col, lane in enumerate(lanes):
        axes[lane] = first = fig.add_subplot(grid[0, col], sharey=first)
    first = axes[lanes[0]]
    first.set_ylim(len(row_labels) - 0.5, -0.5)
    first.set_yticks(range(len(row_labels)), row_labels, fontsize=9)
    if periods:
        ax = axes["dated"]
        low, high = mdates.date2num(min(p.start for p in periods)), mdates.date2num(max(p.end for p in periods))
        span = max(2.0, high - low)
        ax.set_xlim(low - 0.08 * span, high + max(0.08, right_room) * span)
        locator = mdates.AutoDateLocator(maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, offset_formats=OFFSET_FORMATS))
        ax.set_xlabel(DATE_AXIS)
        ax.grid(axis="both", **GRID)
    if undated:
        ax = axes["undated"]
        ax.set_xlim(0, 1)
        ax.set_xticks([])
        ax.set_facecolor("#F2F2F2")
        ax.set_xlabel(UNDATED_LANE)
        ax.grid(axis="y", **GRID)
        if periods:
            ax.tick_params(axis="y", left=False, labelleft=False)
    return axes


def heading(fig: Figure, text: str) -> None:
    fig.text(0.01, 1 - 0.4 / fig.get_figheight(), text, fontsize=12, fontweight="bold", va="center")


def legend(fig: Figure, handles: list) -> None:
    """One line of legend under the heading."""
    fig.legend(handles=handles, loc="center left", bbox_to_anchor=(0.01, 1 - 0.85 / fig.get_figheight()),
               ncol=len(handles), frameon=False, fontsize=9, handletextpad=0.6, columnspacing=1.4)


def png_bytes(fig: Figure) -> bytes:
    out = io.BytesIO()
    # No software/date metadata: the same result draws the same bytes.
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()
