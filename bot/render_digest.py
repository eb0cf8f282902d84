"""Discord pages for the daily digest, typed from index/digest.py's result objects;
primitives (escaping, shortening, packing, paging, times) come from ``bot.render``."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

import discord

from index.analysis_models import flag_label
from index.digest import (
    DerivedFlag,
    DigestFlag,
    DigestResult,
    DigestStory,
    QuoteChangeFlag,
    SingleSourceFlag,
)
from index.models import Article, Quote

from . import discord_limits as L
from .discord_limits import dlen
from .render import (
    BLANK,
    UNKNOWN,
    EmbedPacker,
    Page,
    byline,
    clip,
    content_line,
    embed_url,
    escape,
    moment_text,
    name_of,
    outlet_colour,
    paginate,
    percent,
    quote_block,
    short_id,
    shorten,
)

DIGEST_QUOTE_SLOT = 600  # a quote of a flag, side by side with its counterpart
DIGEST_LEAD_SLOT = 1500
DIGEST_EXTRA_QUOTES = 3  # differing words / attribution phrases shown per side
FLAG_LABELS = {
    "derived": "derived",
    "attribution_changed": "attribution changed",
    "quote_altered": "quote altered",
    "wording_changed": "wording changed",
    "single_source": "single source",
    "undated": "undated",
    "unknown_outlet": "unknown outlet",
}
SINGLE_SOURCE_BASIS = {"one_article": "one article", "one_outlet": "one outlet", "all_derived": "all derived from the origin"}
NO_NEW_ARTICLES = "no new articles"
NONE = "none"  # a side of a quote change with no such words


def _flag_label(kind: str) -> str:
    return FLAG_LABELS.get(kind) or clip(flag_label(kind), 64)


def _article_ref(article_id: str | None, articles: dict[str, Article], limit: int = 150) -> str:
    if not article_id:
        return UNKNOWN
    found = articles.get(article_id)
    return f"`{article_id}` · {name_of(found, limit)}" if found is not None else f"`{article_id}`"


def _id_lines(ids: Sequence[str], articles: dict[str, Article], limit: int = L.EMBED_FIELD_VALUE) -> str:
    lines: list[str] = []
    for n, aid in enumerate(ids):
        line = _article_ref(aid, articles, 120)
        more = f"+{len(ids) - n} more"
        if dlen("\n".join([*lines, line, more])) > limit:
            lines.append(more)
            break
        lines.append(line)
    return "\n".join(lines) or UNKNOWN


def _quotes_value(quotes: Sequence[Quote]) -> str:
    """Up to DIGEST_EXTRA_QUOTES quotes, each its own block quote, within a field value."""
    shown = list(quotes)[:DIGEST_EXTRA_QUOTES]
    slot = (L.EMBED_FIELD_VALUE - 2 * len(shown)) // max(1, len(shown))
    return "\n\n".join(quote_block(q.text, slot) for q in shown)


def digest_flag_fields(flag: DigestFlag, articles: dict[str, Article]) -> list[tuple[str, str, bool]]:
    """The fields of one digest flag (index/digest.py's vocabulary), kept together."""
    label = _flag_label(flag.kind)
    if isinstance(flag, DerivedFlag):
        value = (f"article: {_article_ref(flag.article_id, articles)}\n"
                 f"from: {_article_ref(flag.from_article_id, articles)}\n"
                 f"reuse: {percent(flag.reuse)}")
        return [(f"flag · {label} · {short_id(flag.article_id)}", shorten(value, L.EMBED_FIELD_VALUE), False)]
    if isinstance(flag, QuoteChangeFlag):
        qa, qb = flag.a, flag.b
        # Inline pairs, each closed by a blank third column so the two sides share a row.
        fields = [
            (f"flag · {label} · parent {qa.article_id} · characters {qa.start}–{qa.end}",
             quote_block(qa.text, DIGEST_QUOTE_SLOT), True),
            (f"flag · {label} · rewrite {qb.article_id} · characters {qb.start}–{qb.end}",
             quote_block(qb.text, DIGEST_QUOTE_SLOT), True),
            (BLANK, BLANK, True),
        ]
        extras = (("differing words", tuple(flag.detail_a), tuple(flag.detail_b)),
                  ("attribution", tuple(q for q in (flag.attribution_a,) if q is not None),
                   tuple(q for q in (flag.attribution_b,) if q is not None)))
        for name, side_a, side_b in extras:
            if side_a or side_b:
                fields.append((f"{name} · parent {qa.article_id}", _quotes_value(side_a) if side_a else NONE, True))
                fields.append((f"{name} · rewrite {qb.article_id}", _quotes_value(side_b) if side_b else NONE, True))
                fields.append((BLANK, BLANK, True))
        return fields
    if isinstance(flag, SingleSourceFlag):
        basis = SINGLE_SOURCE_BASIS.get(flag.basis, clip(flag.basis, 64))
        value = f"basis: {basis}\narticle: {_article_ref(flag.article_id, articles)}"
        if flag.outlet:
            value += f"\noutlet: {clip(flag.outlet, 200)}"
        return [(f"flag · {label}", shorten(value, L.EMBED_FIELD_VALUE), False)]
    return [(f"flag · {label}", _id_lines(list(flag.article_ids), articles), False)]


def digest_story_embeds(story: DigestStory, number: int, total: int) -> list[discord.Embed]:
    """One story: its articles in the given order (origin first), the lead quote, its flags."""
    articles = list(story.articles)
    by_id = {a.article_id: a for a in articles}
    first = articles[0]
    lead = story.lead
    packer = EmbedPacker(
        f"story {number}/{total} · {name_of(first, 200)}",
        colour=outlet_colour(first.outlet),
        description=quote_block(lead.text, DIGEST_LEAD_SLOT),
        footer=f"story {story.story_id} · lead: article {lead.article_id} · characters {lead.start}–{lead.end}",
        max_size=4500,
    )
    head = packer.current
    head.url = embed_url(first.url)
    outlets = " · ".join(clip(o, 80) for o in story.outlets) or UNKNOWN
    head.set_author(name=shorten(outlets, L.EMBED_AUTHOR))
    packer.add_group([
        ("articles", str(max(story.size, len(articles))), True),
        ("new", str(len(story.new)), True),
        ("origin", f"`{story.origin}`" if story.origin else UNKNOWN, True),
    ])
    for n, a in enumerate(articles, 1):
        relation = story.relations.get(a.article_id) or "single"
        fresh = "new" if a.article_id in story.new else "earlier"
        name = shorten(f"{n}. {clip(relation, 32)} · {fresh} · {name_of(a, 200)}", L.EMBED_FIELD_NAME)
        value = byline(a, 800)
        parent = story.derived_from.get(a.article_id)
        if parent:
            value += f"\nderived from: `{parent}`"
        packer.add_field(name, shorten(value, L.EMBED_FIELD_VALUE))
    if len(articles) < story.size:
        packer.add_field("articles not listed", str(story.size - len(articles)))
    for flag in story.flags:
        packer.add_group(digest_flag_fields(flag, by_id))
    if story.flags_omitted:
        packer.add_field("flags omitted", str(story.flags_omitted))
    return packer.embeds


def digest_pages(result: DigestResult, *, heading: str = "digest", tz: tzinfo | None = None,
                 late: str | None = None) -> list[Page]:
    """A DigestResult as messages: a header line (window, counts, "late: …" when late),
    then each story's embeds, split across messages within Discord's limits.

    With no new article it is one short line ending "no new articles"."""
    parts = [f"**{escape(heading)}**", escape(late) if late else "",
             f"{moment_text(result.since, tz)} – {moment_text(result.until, tz)}"]
    stories = list(result.stories)
    if not stories:
        return [Page(content_line(*parts, NO_NEW_ARTICLES), [])]
    counts = [f"{result.new_articles} new articles", f"{len(stories)} stories"]
    not_shown = result.not_shown
    if result.stories_omitted:
        counts.append(f"{result.stories_omitted} stories not shown")
    embeds = [e for n, s in enumerate(stories, 1) for e in digest_story_embeds(s, n, len(stories))]
    if not_shown:  # no new article vanishes: the articles of the stories not shown, listed
        packer = EmbedPacker(f"not shown · {len(not_shown)} new articles")
        packer.add_field("articles", _id_lines([a.article_id for a in not_shown], {a.article_id: a for a in not_shown}))
        embeds += packer.embeds
    return paginate(embeds, header=content_line(*parts, *counts))
