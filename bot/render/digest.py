"""Discord pages for the daily digest and its status, typed from the engine's ``DigestResult``
and the stored ``Schedule``; primitives come from ``primitives``."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

import discord

from index import (
    ATTRIBUTION_KINDS,
    Article,
    ArticleCredit,
    DerivedFlag,
    DigestFlag,
    DigestResult,
    DigestStory,
    EditedFlag,
    Quote,
    QuoteChangeFlag,
    SingleSourceFlag,
    UserError,
    change_kinds,
    count,
    flag_label,
)
from index import (
    label as label_of,
)

from ..digest.store import Schedule
from . import limits as L
from .limits import dlen
from .primitives import (
    COLOR_DEFAULT,
    UNKNOWN,
    EmbedPacker,
    Page,
    article_line,
    clip,
    content_line,
    embed_url,
    escape,
    line_chunks,
    moment_text,
    outlet_colour,
    paginate,
    percent,
    quote_block,
    short_id,
    shorten,
    when_who,
)
from .credits import credit_lines
from .quote_marks import marked_quote_block

DIGEST_QUOTE_SLOT = 600  # a quote of a flag
DIGEST_LEAD_SLOT = 1500
DIGEST_EXTRA_QUOTES = 3  # differing words shown per side when they lie outside the pair
NO_NEW_ARTICLES = "no new articles"
NOT_DETERMINED = "not determined"  # an origin the dates and reuse do not settle
NONE = "none"  # a side of a quote change with no such words
# A story's finding, fixed words (the title of its first embed).
STORY_FINDING = "Story {number}/{total} · First: {first}; {rewrites}"
MOST_SERIOUS = "; most serious: {flag}"
SAID_BY = "said by:"
EDITED_VERSIONS = "{later} is a later version of {earlier} (the same link fetched again) · {changes}"
NOT_SHOWN = "less serious, not shown"


def _article_ref(article_id: str | None, articles: dict[str, Article]) -> str:
    """The outlet (when known) and short id of an article of the story."""
    if not article_id:
        return UNKNOWN
    found = articles.get(article_id)
    outlet = f"{clip(found.outlet, 80)} " if found is not None and found.outlet else ""
    return f"{outlet}`{short_id(article_id)}`"


def _quotes_value(quotes: Sequence[Quote]) -> str:
    """Up to DIGEST_EXTRA_QUOTES quotes, each its own block quote, within a field value."""
    shown = list(quotes)[:DIGEST_EXTRA_QUOTES]
    slot = (L.EMBED_FIELD_VALUE - 2 * len(shown)) // max(1, len(shown))
    return "\n\n".join(quote_block(q.text, slot) for q in shown)


def _inside(q: Quote, host: Quote | None) -> bool:
    return host is not None and host.start <= q.start and q.end <= host.end


def flag_kind(flag: DigestFlag) -> str:
    """The kind a reporter reads: a quotation change's most serious (``index.change_kinds``)."""
    return change_kinds(flag)[0] if isinstance(flag, QuoteChangeFlag) else flag.kind


def quote_change_fields(flag: QuoteChangeFlag, articles: dict[str, Article],
                        sides: tuple[str, str] = ("parent", "rewrite")) -> list[tuple[str, str, bool]]:
    """The parent's quotation over the rewrite's (``sides`` names them), the differing words
    marked in bold inside them, each followed by who it is attributed to when the
    attribution changed; differing words that lie in neither (rare) are quoted on their own."""
    qa, qb = flag.a, flag.b
    att_a, att_b = flag.attribution_a, flag.attribution_b
    kinds = change_kinds(flag)
    labels = " · ".join(flag_label(k) for k in kinds)
    said = bool(set(kinds) & ATTRIBUTION_KINDS)

    def side(quote: Quote, attribution: Quote | None, detail) -> str:
        value = marked_quote_block(quote, detail, DIGEST_QUOTE_SLOT)
        if said and attribution is not None and not _inside(attribution, quote):
            value += f"\n{SAID_BY}\n" + marked_quote_block(attribution, detail, 200)
        return value

    fields = [
        (shorten(f"{labels} · {sides[0]} {_article_ref(flag.from_article_id, articles)}", L.EMBED_FIELD_NAME),
         side(qa, att_a, flag.detail_a), False),
        (shorten(f"{sides[1]} {_article_ref(flag.article_id, articles)}", L.EMBED_FIELD_NAME),
         side(qb, att_b, flag.detail_b), False),
    ]
    rest_a = [d for d in flag.detail_a if not (_inside(d, qa) or _inside(d, att_a))]
    rest_b = [d for d in flag.detail_b if not (_inside(d, qb) or _inside(d, att_b))]
    if rest_a or rest_b:
        fields += [(f"differing words · {sides[0]} `{short_id(qa.article_id)}`",
                    _quotes_value(rest_a) if rest_a else NONE, True),
                   (f"differing words · {sides[1]} `{short_id(qb.article_id)}`",
                    _quotes_value(rest_b) if rest_b else NONE, True)]
    return fields


def edited_groups(flag: EditedFlag, articles: dict[str, Article]) -> list[list[tuple[str, str, bool]]]:
    """The same link fetched again with other text: each changed quotation (earlier version
    over later, most serious first, the first named by the flag), then one line saying
    which versions they are."""
    label = flag_label(flag.kind)
    groups = [quote_change_fields(change, articles, ("earlier", "later")) for change in flag.changes]
    if groups:
        name, value, inline = groups[0][0]
        groups[0][0] = (shorten(f"{label} · {name}", L.EMBED_FIELD_NAME), value, inline)
    versions = EDITED_VERSIONS.format(later=_article_ref(flag.article_id, articles),
                                      earlier=_article_ref(flag.from_article_id, articles),
                                      changes=count(len(flag.changes), "changed quotation"))
    return [*groups, [(label, shorten(versions, L.EMBED_FIELD_VALUE), False)]]


def story_flag_line(flag: DigestFlag, articles: dict[str, Article]) -> str:
    """A story-level flag in one line: single source (and its basis), undated, outlet unknown."""
    if isinstance(flag, SingleSourceFlag):
        line = f"{flag_label(flag.kind)}: {label_of(flag.basis)} · {_article_ref(flag.article_id, articles)}"
        return line + (f" · {clip(flag.outlet, 100)}" if flag.outlet else "")
    ids = ", ".join(f"`{short_id(a)}`" for a in getattr(flag, "article_ids", ()))
    return f"{flag_label(flag.kind)}: {ids}"


def omitted_text(omitted: dict[str, int]) -> str:
    """The flags left out, named: "quotation altered (2) · undated (1)"."""
    return " · ".join(f"{flag_label(k)} ({n})" for k, n in omitted.items())


def story_finding(story: DigestStory, number: int, total: int) -> str:
    """"Story 1/2 · First: The Mail on Sunday, 2026-01-12; 2 rewrites; most serious:
    speaker changed (b44fed78)"."""
    by_id = {a.article_id: a for a in story.articles}
    first = by_id.get(story.origin or "") or (story.articles[0] if max(story.size, len(story.articles)) == 1 else None)
    text = STORY_FINDING.format(number=number, total=total, first=when_who(first) if first else NOT_DETERMINED,
                                rewrites=count(sum(1 for r in story.relations.values() if r == "derived"), "rewrite"))
    top = next((f for f in story.flags if not isinstance(f, DerivedFlag)), None)
    if top is not None:
        where = top.article_id if isinstance(top, (QuoteChangeFlag, EditedFlag)) else None
        text += MOST_SERIOUS.format(flag=flag_label(flag_kind(top)) + (f" ({short_id(where)})" if where else ""))
    return text


def member_line(n: int, a: Article, story: DigestStory) -> str:
    """One line an article of the story: its place, relation, outlet · date · title · short
    id, whether it is new, and for a rewrite how much it copied from which article."""
    relation = label_of(story.relations.get(a.article_id) or "single")
    extra = ["new" if a.article_id in story.new else "earlier"]
    parent = story.derived_from.get(a.article_id)
    if parent:
        share = story.reuse_from_parent.get(a.article_id)
        whose = {x.article_id: x for x in story.articles}
        extra.append(f"{percent(share)} copied from {_article_ref(parent, whose)}")
    return f"{n}. {relation} · {article_line(a, title_limit=70, extra=extra)}"


def digest_story_embeds(story: DigestStory, number: int, total: int) -> list[discord.Embed]:
    """One story: its finding (the first embed's title), the lead quote, its articles one
    line each, its changed quotations and edits most serious first, then its story flags."""
    articles = list(story.articles)
    by_id = {a.article_id: a for a in articles}
    first = articles[0]
    lead = story.lead
    lines = [line for n, a in enumerate(articles, 1) for line in
             [member_line(n, a, story), *credit_lines(story.credits.get(a.article_id, ArticleCredit()))]]
    if len(articles) < story.size:
        lines.append(f"and {count(story.size - len(articles), 'more article')}")
    block = quote_block(lead.text, DIGEST_LEAD_SLOT)
    kept = line_chunks(lines, 3900 - dlen(block))[0]  # as many lines as fit under the lead
    packer = EmbedPacker(
        story_finding(story, number, total),
        colour=outlet_colour(first.outlet),
        description=f"{block}\n{kept}",
        footer=f"story {short_id(story.story_id)} · lead from {short_id(lead.article_id)}",
        max_size=4500,
    )
    packer.current.url = embed_url(first.url)
    for text in line_chunks(lines[kept.count("\n") + 1:], 1000):
        packer.add_field("articles (continued)", text)
    for flag in story.flags:
        if isinstance(flag, QuoteChangeFlag):
            packer.add_group(quote_change_fields(flag, by_id))
        elif isinstance(flag, EditedFlag):
            for group in edited_groups(flag, by_id):
                packer.add_group(group)
    also = [story_flag_line(f, by_id) for f in story.flags
            if not isinstance(f, (QuoteChangeFlag, DerivedFlag, EditedFlag))]
    # A rewrite flag left out hides nothing: every rewrite is a line of the story above.
    omitted = {k: n for k, n in story.omitted_kinds.items() if k != "derived"}
    if omitted:
        also.append(f"{NOT_SHOWN}: {omitted_text(omitted)}")
    if also:
        packer.add_field("story flags", shorten("\n".join(also), L.EMBED_FIELD_VALUE))
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
    counts = [count(result.new_articles, "new article"), count(len(stories), "story")]
    not_shown = result.not_shown
    if result.stories_omitted:
        counts.append(f"{count(result.stories_omitted, 'story')} not shown")
    embeds = [e for n, s in enumerate(stories, 1) for e in digest_story_embeds(s, n, len(stories))]
    if not_shown:  # no new article vanishes: the articles of the stories not shown, one line each
        for text in line_chunks([article_line(a, title_limit=70) for a in not_shown]):
            embeds.append(discord.Embed(title=f"Not shown · {count(len(not_shown), 'new article')}",
                                        colour=COLOR_DEFAULT, description=text))
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


def status_line(sched: Schedule | None, now: datetime) -> str:
    """The digest in one line, for /help: "daily digest: off", or on, where, when, next."""
    if sched is None or not sched.enabled:
        return "daily digest: off"
    try:
        upcoming = moment_text(sched.next_run_at(now), schedule_tz(sched))
    except UserError:
        upcoming = UNKNOWN
    where = f"<#{sched.channel_id}>" if sched.channel_id else UNKNOWN
    return f"daily digest: on · {where} · {sched.time} {escape(sched.timezone or UNKNOWN)} · next {upcoming}"


def status_embed(sched: Schedule | None, now: datetime) -> discord.Embed:
    """The digest's settings and its last run (/digest status)."""
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
