"""What following the news shows: /feeds list and receipts, /watch list and receipts, and
the alerts a watched claim gives (the passage quoted verbatim with outlet, date and link),
from the engine's ``Feed``, ``Watch`` and ``Alert``."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from index import Alert, Feed, Watch, count
from index import label as label_of

from . import limits as L
from .primitives import (
    COLOR_DEFAULT,
    COLOR_WARN,
    EmbedPacker,
    Page,
    byline,
    clip,
    content_line,
    embed_url,
    escape,
    link,
    moment_text,
    name_of,
    outlet_colour,
    paginate,
    quote_block,
    short_id,
    shorten,
)

ALERT_QUOTE_SLOT = 1500
ALERTS_HEADING = "watched claims · {articles} stating them"
NO_FEEDS = "this server follows no feeds (/feeds add url: follows one)"
NO_WATCHES = "this server watches no claims (/watch add claim: watches one)"


def _moment(stamp: str | None) -> str:
    return moment_text(datetime.fromisoformat(stamp)) if stamp else "never"


def feed_line(feed: Feed) -> str:
    """A feed's receipt: its number, title and link."""
    return content_line(f"feed {feed.feed_id}", clip(feed.title, 200) if feed.title else "untitled feed",
                        link(feed.url, 500))


def feed_fields(feed: Feed) -> tuple[str, str]:
    """One feed in /feeds list: a failing one says so first, with its last error."""
    state = f"failing: {count(feed.failures, 'poll')} in a row" if feed.failures else "ok"
    lines = [f"state: {state}"]
    if feed.last_error:
        lines.append(f"last error: {clip(feed.last_error, 300)}")
    lines += [f"link: {link(feed.url, 400)}", f"outlet: {clip(feed.outlet, 200)}",
              f"articles from it: {feed.items}", f"last polled: {_moment(feed.last_polled_at)}",
              f"next poll: {_moment(feed.next_poll_at)}"]
    name = f"{feed.feed_id} · {clip(feed.title, 200) if feed.title else 'untitled feed'}"
    return shorten(name, L.EMBED_FIELD_NAME), shorten("\n".join(lines), L.EMBED_FIELD_VALUE)


def feed_pages(feeds: Sequence[Feed]) -> list[Page]:
    if not feeds:
        return [Page(NO_FEEDS, [])]
    failing = sum(1 for f in feeds if f.failures)
    packer = EmbedPacker(f"feeds followed · {len(feeds)}", colour=COLOR_WARN if failing else COLOR_DEFAULT)
    for feed in sorted(feeds, key=lambda f: (not f.failures, f.feed_id)):  # failing ones first
        packer.add_field(*feed_fields(feed))
    header = f"{failing} failing" if failing else None
    return paginate(packer.embeds, header=header)


def watch_line(watch: Watch) -> str:
    return content_line(f"watch {watch.watch_id}", f"claim: {clip(watch.claim, 600)}",
                        f"alerts in <#{watch.channel_id}>" if watch.channel_id else "")


def watch_pages(watches: Sequence[Watch]) -> list[Page]:
    if not watches:
        return [Page(NO_WATCHES, [])]
    packer = EmbedPacker(f"watched claims · {len(watches)}")
    for w in watches:
        where = f"<#{w.channel_id}>" if w.channel_id else "no channel (command line)"
        packer.add_field(shorten(f"{w.watch_id} · {clip(w.claim, 200)}", L.EMBED_FIELD_NAME),
                         f"channel: {where}\nalerts given: {w.alerts}\nwatched since: {_moment(w.added_at)}")
    return paginate(packer.embeds)


def alert_embed(alert: Alert) -> discord.Embed:
    """One alert: the claim watched, the verdict's words, the passage verbatim, the byline."""
    article = alert.article
    embed = discord.Embed(title=shorten(f"{label_of(alert.match)} · {name_of(article, 200)}", L.EMBED_TITLE),
                          description=quote_block(alert.quote.text, ALERT_QUOTE_SLOT),
                          colour=outlet_colour(article.outlet), url=embed_url(article.url))
    embed.add_field(name="watched claim", value=shorten(escape(alert.claim), L.EMBED_FIELD_VALUE), inline=False)
    embed.add_field(name="article", value=byline(article, 700), inline=False)
    embed.set_footer(text=shorten(f"watch {alert.watch_id} · article {short_id(alert.article_id)}", L.EMBED_FOOTER))
    return embed


def alert_pages(alerts: Sequence[Alert]) -> list[Page]:
    """The alerts of one round for one channel, batched into as few messages as fit."""
    heading = ALERTS_HEADING.format(articles=count(len({a.article_id for a in alerts}), "new article"))
    return paginate([alert_embed(a) for a in alerts], header=f"**{heading}**")
