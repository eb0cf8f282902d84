"""Discord pages for the daily digest and its status, typed from the engine's ``DigestResult``
and the stored ``Schedule``; primitives come from ``primitives``."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

import discord

from index import (
    Article,
    DerivedFlag,
    DigestFlag,
    DigestResult,
    DigestStory,
    EditedFlag,
    Quote,
    QuoteChangeFlag,
    SingleSourceFlag,
    UserError,
    flag_label,
)
from index import (
    label as label_of,
)

from ..digest.store import Schedule
from . import limits as L
from .limits import dlen
from .primitives import (
    BLANK,
    COLOR_DEFAULT,
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
from .quote_marks import marked_quote_block

DIGEST_QUOTE_SLOT = 600  # a quote of a flag, side by side with its counterpart
DIGEST_LEAD_SLOT = 1500
DIGEST_EXTRA_QUOTES = 3  # differing words shown per side when they lie outside the pair
NO_NEW_ARTICLES = "no new articles"
NOT_DETERMINED = "not determined"  # an origin the dates and reuse do not settle
NONE = "none"  # a side of a quote change with no such words


def _article_ref(article_id: str | None, articles: dict[str, Article], limit: int = 150) -> str:
    """A short id (ids resolve by their first characters) and the article's name."""
    if not article_id:
        return UNKNOWN
    found = articles.get(article_id)
    shown = f"`{short_id(article_id)}`"
    return f"{shown} · {name_of(found, limit)}" if found is not None else shown


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


def _inside(q: Quote, host: Quote | None) -> bool:
    return host is not None and host.start <= q.start and q.end <= host.end


def quote_change_fields(flag: QuoteChangeFlag, label: str,
                        sides: tuple[str, str] = ("parent", "rewrite")) -> list[tuple[str, str, bool]]:
    """One pair: the parent's quotation and the rewrite's (``sides`` names them), the
    differing words marked in bold inside them; then the attribution phrases, as one pair
    too. Differing words that lie in neither (rare) are quoted on their own."""
    qa, qb = flag.a, flag.b
    att_a, att_b = flag.attribution_a, flag.attribution_b
    pa, pb = f"{sides[0]} {short_id(qa.article_id)}", f"{sides[1]} {short_id(qb.article_id)}"
    # Inline pairs, each closed by a blank third column so the two sides share a row.
    fields = [
        (f"flag · {label} · {pa} · characters {qa.start}–{qa.end}",
         marked_quote_block(qa, flag.detail_a, DIGEST_QUOTE_SLOT), True),
        (f"flag · {label} · {pb} · characters {qb.start}–{qb.end}",
         marked_quote_block(qb, flag.detail_b, DIGEST_QUOTE_SLOT), True),
        (BLANK, BLANK, True),
    ]
    if att_a is not None or att_b is not None:
        fields += [
            (f"attribution · {pa}", marked_quote_block(att_a, flag.detail_a, DIGEST_QUOTE_SLOT) if att_a else NONE, True),
            (f"attribution · {pb}", marked_quote_block(att_b, flag.detail_b, DIGEST_QUOTE_SLOT) if att_b else NONE, True),
            (BLANK, BLANK, True),
        ]
    rest_a = [d for d in flag.detail_a if not (_inside(d, qa) or _inside(d, att_a))]
    rest_b = [d for d in flag.detail_b if not (_inside(d, qb) or _inside(d, att_b))]
    if rest_a or rest_b:
        fields += [(f"differing words · {pa}", _quotes_value(rest_a) if rest_a else NONE, True),
                   (f"differing words · {pb}", _quotes_value(rest_b) if rest_b else NONE, True),
                   (BLANK, BLANK, True)]
    return fields


def digest_flag_fields(flag: DigestFlag, articles: dict[str, Article]) -> list[tuple[str, str, bool]]:
    """The fields of one digest flag (the digest's flag vocabulary, ``index.flag_label``), kept together."""
    label = clip(flag_label(flag.kind), 64)
    if isinstance(flag, DerivedFlag):
        value = (f"article: {_article_ref(flag.article_id, articles)}\n"
                 f"from: {_article_ref(flag.from_article_id, articles)}\n"
                 f"reuse: {percent(flag.reuse)}")
        return [(f"flag · {label} · {short_id(flag.article_id)}", shorten(value, L.EMBED_FIELD_VALUE), False)]
    if isinstance(flag, QuoteChangeFlag):
        return quote_change_fields(flag, label)
    if isinstance(flag, EditedFlag):
        return edited_fields(flag, label, articles)
    if isinstance(flag, SingleSourceFlag):
        basis = clip(label_of(flag.basis), 64)
        value = f"basis: {basis}\narticle: {_article_ref(flag.article_id, articles)}"
        if flag.outlet:
            value += f"\noutlet: {clip(flag.outlet, 200)}"
        return [(f"flag · {label}", shorten(value, L.EMBED_FIELD_VALUE), False)]
    return [(f"flag · {label}", _id_lines(list(flag.article_ids), articles), False)]


def edited_fields(flag: EditedFlag, label: str, articles: dict[str, Article]) -> list[tuple[str, str, bool]]:
    """The same link fetched again with other text: its changed quotations first (earlier
    version beside later), then which versions they are."""
    fields: list[tuple[str, str, bool]] = []
    for change in flag.changes:
        fields += quote_change_fields(change, f"{label} · {clip(flag_label(change.kind), 48)}", ("earlier", "later"))
    value = (f"article: {_article_ref(flag.article_id, articles)}\n"
             f"earlier version: {_article_ref(flag.from_article_id, articles)}\n"
             f"changed quotations: {len(flag.changes)}")
    fields.append((f"flag · {label} · {short_id(flag.article_id)}", shorten(value, L.EMBED_FIELD_VALUE), False))
    return fields


def _outlets_line(articles: Sequence[Article], outlets: Sequence[str | None]) -> str:
    """Known outlets by name, then how many articles name none (never a bare "unknown")."""
    known = " · ".join(clip(o, 80) for o in outlets if o)
    missing = sum(1 for a in articles if not a.outlet)
    unknown = f"outlet unknown ({missing} article{'' if missing == 1 else 's'})" if missing else ""
    return " · ".join(p for p in (known, unknown) if p) or UNKNOWN


def omitted_text(omitted: dict[str, int], total: int) -> str:
    """The flags left out, named: "quotation altered (2) · undated (1)"."""
    named = " · ".join(f"{flag_label(k)} ({n})" for k, n in omitted.items())
    return named or str(total)


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
        footer=(f"story {short_id(story.story_id)} · lead: article {short_id(lead.article_id)} · "
                f"characters {lead.start}–{lead.end}"),
        max_size=4500,
    )
    head = packer.current
    head.url = embed_url(first.url)
    head.set_author(name=shorten(_outlets_line(articles, story.outlets), L.EMBED_AUTHOR))
    size = max(story.size, len(articles))
    summary = [("articles", str(size), True), ("new", str(len(story.new)), True)]
    if size > 1:  # a story of one article has no origin to speak of
        summary.append(("origin", _article_ref(story.origin, by_id, 100) if story.origin else NOT_DETERMINED, True))
    packer.add_group(summary)
    for n, a in enumerate(articles, 1):
        relation = label_of(story.relations.get(a.article_id) or "single")
        fresh = "new" if a.article_id in story.new else "earlier"
        name = shorten(f"{n}. {clip(relation, 32)} · {fresh} · {name_of(a, 200)}", L.EMBED_FIELD_NAME)
        value = byline(a, 800)
        parent = story.derived_from.get(a.article_id)
        if parent:
            value += f"\nderived from: `{short_id(parent)}`"
        packer.add_field(name, shorten(value, L.EMBED_FIELD_VALUE))
    if len(articles) < story.size:
        packer.add_field("articles not listed", str(story.size - len(articles)))
    for flag in story.flags:
        packer.add_group(digest_flag_fields(flag, by_id))
    if story.flags_omitted:
        packer.add_field("more flags, not shown", shorten(omitted_text(story.omitted_kinds, story.flags_omitted),
                                                          L.EMBED_FIELD_VALUE))
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


# -- the digest's schedule -----------------------------------------------------------------

EMPTY_LABELS = {"line": "post a short 'no new articles' line", "nothing": "post nothing"}


def schedule_tz(sched: Schedule | None):
    """The schedule's time zone, or None (UTC) when it has none or an unknown one."""
    if sched is None or not sched.timezone:
        return None
    try:
        return sched.tz
    except UserError:
        return None


def status_embed(sched: Schedule | None, now: datetime) -> discord.Embed:
    """The digest's settings and its last run (/digest status, /help)."""
    embed = discord.Embed(title="Daily digest", colour=COLOR_DEFAULT)
    enabled = sched is not None and sched.enabled
    embed.add_field(name="status", value="on" if enabled else "off", inline=True)
    if sched is None:
        return embed
    tz = schedule_tz(sched)
    if enabled:
        embed.add_field(name="channel", value=f"<#{sched.channel_id}>" if sched.channel_id else UNKNOWN,
                        inline=True)
        embed.add_field(name="time", value=f"{sched.time} {escape(sched.timezone or UNKNOWN)}",
                        inline=True)
        embed.add_field(name="empty days", value=EMPTY_LABELS.get(sched.empty_mode, UNKNOWN), inline=True)
        embed.add_field(name="set by", value=f"<@{sched.set_by_user_id}>" if sched.set_by_user_id else UNKNOWN,
                        inline=True)
        try:
            embed.add_field(name="next", value=moment_text(sched.next_run_at(now), tz), inline=True)
        except UserError:
            embed.add_field(name="next", value=UNKNOWN, inline=True)
    embed.add_field(name="last scheduled day", value=sched.last_posted_day.isoformat() if sched.last_posted_day
                    else UNKNOWN, inline=True)
    last = moment_text(sched.last_posted_at, tz)
    if sched.last_posted_at and sched.last_late:
        last += " · late"
    embed.add_field(name="last posted", value=last, inline=True)
    embed.add_field(name="covered until", value=moment_text(sched.last_until, tz), inline=True)
    if sched.last_channel_id and sched.last_message_id:
        embed.add_field(name="last message", inline=False, value=(
            f"https://discord.com/channels/{sched.guild_id}/{sched.last_channel_id}/{sched.last_message_id}"))
    if sched.last_error:
        embed.add_field(name="last problem", value=clip(sched.last_error, 900), inline=False)
    return embed
