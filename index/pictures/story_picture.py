"""The story picture of /lineage and of the digest's larger stories: articles on a time
axis, one row each; undated articles in their own lane (never at an invented date);
an arrow from each rewrite to its parent labelled with the share of the rewrite's text
reused from it; the origin marked.

First the picture as data (``StoryPicture``, what tests and callers inspect: nodes,
edges, every text drawn), then ``draw_story`` turns it into PNG bytes. Text in the picture
is metadata (outlet, else the product's display name; dates; short ids), numbers, and the
fixed labels below."""
from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.dates as mdates
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from index.naming import SHORT_ID, display_name
from index.pictures.style import (
    DATE_AXIS,
    OKABE_ITO,
    UNDATED_LANE,
    NothingToDraw,
    Row,
    clip,
    heading,
    lane_axes,
    legend,
    new_figure,
    period,
    png_bytes,
)
from index.records import Article
from index.stories.results import DigestStory, LineageResult

__all__ = ["StoryEdge", "StoryNode", "StoryPicture", "draw_story", "from_digest_story", "from_lineage",
           "lineage_png", "story_figure"]

# relation -> (legend label, marker, colour, marker size): shapes and colours both differ.
RELATION_STYLE = {
    "origin": ("origin", "*", OKABE_ITO["vermillion"], 420),
    "derived": ("derived (rewrite)", "o", OKABE_ITO["blue"], 150),
    "related": ("related (own coverage)", "s", OKABE_ITO["orange"], 140),
    None: ("no relation found", "D", OKABE_ITO["grey"], 110),
}
QUERIED_LABEL = "queried article"
ARROW_LABEL = "rewrite → parent, % of rewrite reused"
PERIOD_LABEL = "date known to month/year only"
ARROW_COLOUR = "#333333"
ELBOW_MIN_PX = 12  # closer than this on the time axis: a bow, not an elbow
LABEL_ON_SEGMENT_PX = 90
SIDE_PX = 14
BOW_RAD = -0.35


@dataclass(frozen=True)
class StoryNode(Row):
    """One article: ``label`` is its outlet, else ``index.naming.display_name``; ``date``
    the stored date (None: undated lane); ``relation`` "origin", "derived", "related" or None."""

    article_id: str
    label: str
    outlet: str | None
    date: str | None
    relation: str | None
    queried: bool = False



@dataclass(frozen=True)
class StoryEdge:
    """``child`` derives from ``parent``; ``share``: part of the child's text reused from it."""

    child: str
    parent: str
    share: float | None

    def label(self) -> str:
        return "" if self.share is None else f"{round(100 * self.share)}%"


@dataclass
class StoryPicture:
    """The drawn graph as data. ``nodes`` in row order: dated by date, then undated."""

    heading: str
    nodes: list[StoryNode]
    edges: list[StoryEdge] = field(default_factory=list)
    origin: str | None = None

    def legend(self) -> list[str]:
        relations = {n.relation for n in self.nodes}
        labels = [RELATION_STYLE[r][0] for r in RELATION_STYLE if r in relations]
        if any(n.queried for n in self.nodes):
            labels.append(QUERIED_LABEL)
        if self.edges:
            labels.append(ARROW_LABEL)
        if any((p := period(n.date)) is not None and p.wide for n in self.nodes):
            labels.append(PERIOD_LABEL)
        return labels

    def texts(self) -> list[str]:
        """Every text the drawing writes, besides the date axis's tick labels."""
        lanes = {n.lane for n in self.nodes}
        axes = [DATE_AXIS] * ("dated" in lanes) + [UNDATED_LANE] * ("undated" in lanes)
        edges = [e.label() for e in self.edges if e.label()]
        return [self.heading, *(n.row_label() for n in self.nodes), *edges, *self.legend(), *axes]


def _node(article: Article, relation: str | None, queried: bool = False) -> StoryNode:
    return StoryNode(article.article_id, article.outlet or display_name(article), article.outlet,
                     article.published, relation, queried)


def _ordered(nodes: list[tuple[Article, StoryNode]]) -> list[StoryNode]:
    return [n for a, n in sorted(nodes, key=lambda an: (an[0].date_key(), an[0].article_id))]


def from_lineage(result: LineageResult) -> StoryPicture:
    """The lineage result's story: the queried article and every related entry."""
    query = result.article
    pairs = [(query, _node(query, result.role, queried=True))]
    pairs += [(e.article, _node(e.article, e.relation)) for e in result.related]
    edges = [StoryEdge(query.article_id, result.derived_from, result.reuse_from_parent)] if result.derived_from else []
    edges += [StoryEdge(e.article.article_id, e.derived_from, e.reuse_from_parent)
              for e in result.related if e.derived_from]
    heading = f"lineage · {clip(display_name(query), 80)} · {query.article_id[:SHORT_ID]}"
    return StoryPicture(heading, _ordered(pairs), edges, result.origin)


def from_digest_story(story: DigestStory, number: int, total: int) -> StoryPicture:
    """A digest story's listed articles; the arrows' shares are ``story.reuse_from_parent``."""
    pairs = [(a, _node(a, story.relations.get(a.article_id))) for a in story.articles]
    listed = {a.article_id for a in story.articles}
    edges = [StoryEdge(child, parent, story.reuse_from_parent.get(child))
             for child, parent in story.derived_from.items() if child in listed and parent in listed]
    heading = f"story {number}/{total} · {clip(display_name(story.articles[0]), 80)}"
    return StoryPicture(heading, _ordered(pairs), edges, story.origin)


# -- drawing --------------------------------------------------------------------------------------


def story_figure(picture: StoryPicture) -> Figure:
    """The picture as a matplotlib Figure (``draw_story`` saves it)."""
    nodes = picture.nodes
    if not nodes:
        raise NothingToDraw("a story picture needs at least one article")
    fig = new_figure(len(nodes))
    dated = [n for n in nodes if n.lane == "dated"]
    axes = lane_axes(fig, [n.row_label() for n in nodes], [period(n.date) for n in dated],
                     undated=len(dated) < len(nodes))
    rows = {n.article_id: i for i, n in enumerate(nodes)}
    where: dict[str, tuple] = {}
    for n in nodes:
        ax, y = axes[n.lane], rows[n.article_id]
        _, marker, colour, size = RELATION_STYLE.get(n.relation, RELATION_STYLE[None])
        p = period(n.date)
        if p is not None:
            x = mdates.date2num(p.mid)
            if p.wide:
                ax.hlines(y, mdates.date2num(p.start), mdates.date2num(p.end), colors=colour, linewidth=7, alpha=0.3)
        else:
            x = 0.5
        ax.scatter([x], [y], s=size, marker=marker, c=colour, edgecolors="black", linewidths=0.6, zorder=3)
        if n.queried:
            ax.scatter([x], [y], s=size * 2.6, marker="o", facecolors="none", edgecolors="black",
                       linewidths=1.6, zorder=4)
        where[n.article_id] = (ax, x, y)
    _draw_edges(fig, picture.edges, where)
    legend(fig, _legend_handles(picture))
    heading(fig, picture.heading)
    return fig


def _draw_edges(fig: Figure, edges: list[StoryEdge], where: dict[str, tuple]) -> None:
    to_figure = fig.transFigure.inverted()
    for e in edges:
        if e.child not in where or e.parent not in where:
            continue
        (ax_c, xc, yc), (ax_p, xp, yp) = where[e.child], where[e.parent]
        a = ax_c.transData.transform((xc, yc))  # display pixels
        b = ax_p.transData.transform((xp, yp))
        # An elbow: along the child's own row to the parent's date, then up (or down) to
        # the parent, so that no arrow crosses the marker of an article in between. At the
        # same place on the time axis (both undated, or the same day): a bow to the left.
        dx = b[0] - a[0]
        elbow = abs(dx) > ELBOW_MIN_PX
        style = "angle,angleA=0,angleB=90,rad=4" if elbow else f"arc3,rad={BOW_RAD}"
        arrow = FancyArrowPatch(to_figure.transform(a), to_figure.transform(b), transform=fig.transFigure,
                                connectionstyle=style, arrowstyle="-|>", mutation_scale=16, color=ARROW_COLOUR,
                                linewidth=1.3, shrinkA=9, shrinkB=12, zorder=5)
        fig.add_artist(arrow)
        if e.label():
            # The share belongs to the child: always on the child's own row, half way along
            # a long row segment, else just beside the child's marker (away from the parent).
            if abs(dx) > LABEL_ON_SEGMENT_PX:
                mid, align = ((a[0] + b[0]) / 2, a[1]), "center"
            else:
                mid, align = (a[0] + (-SIDE_PX if dx > 0 else SIDE_PX), a[1]), ("right" if dx > 0 else "left")
            fx, fy = to_figure.transform(mid)
            fig.text(fx, fy, e.label(), fontsize=9, ha=align, va="center", zorder=6,
                     bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": ARROW_COLOUR,
                           "linewidth": 0.6})


def _legend_handles(picture: StoryPicture) -> list[Line2D]:
    handles = []
    relations = {n.relation for n in picture.nodes}
    for relation, (label, marker, colour, size) in RELATION_STYLE.items():
        if relation in relations:
            handles.append(Line2D([], [], linestyle="none", marker=marker, markerfacecolor=colour,
                                  markeredgecolor="black", markersize=(size ** 0.5) * 0.8, label=label))
    wanted = set(picture.legend())
    if QUERIED_LABEL in wanted:
        handles.append(Line2D([], [], linestyle="none", marker="o", markerfacecolor="none",
                              markeredgecolor="black", markeredgewidth=1.6, markersize=15, label=QUERIED_LABEL))
    if ARROW_LABEL in wanted:
        handles.append(Line2D([], [], color=ARROW_COLOUR, marker=">", markersize=6, label=ARROW_LABEL))
    if PERIOD_LABEL in wanted:
        handles.append(Line2D([], [], color=OKABE_ITO["grey"], linewidth=7, alpha=0.3, label=PERIOD_LABEL))
    return handles


def draw_story(picture: StoryPicture) -> bytes:
    """PNG bytes of the story picture (thread-safe: a Figure of its own, no pyplot)."""
    return png_bytes(story_figure(picture))


def lineage_png(result: LineageResult) -> bytes | None:
    """The lineage picture, or None when the story is the article alone (nothing to show)."""
    picture = from_lineage(result)
    return draw_story(picture) if len(picture.nodes) >= 2 else None
