"""`sourcedesk feeds ...` and `sourcedesk watch ...`, what `ingest` adds for links and watched
claims, and their terminal text. Thin layers over ``Engine.feeds()`` and ``Engine.watches()``
(index/follow/); the JSON is README's "Following the news"."""
from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from index.cli.text_output import quote_block
from index.errors import UserError
from index.follow.results import Alert, Feed, PollResult, Watch
from index.ingest.results import IngestResult
from index.labels import count

OpenEngine = Callable[[argparse.Namespace], Any]
Add = Callable[..., argparse.ArgumentParser]


def register(add: Add, open_engine: OpenEngine) -> None:
    """Add the ``feeds`` and ``watch`` subcommands (``add``: commands.build_parser's helper)."""
    def handler(action: Callable[[Any, argparse.Namespace], tuple[Any, str]]):
        return lambda args: action(open_engine(args), args)

    p = add("feeds", handler(_no_action), "follow RSS and Atom feeds: each new item's page is fetched and stored")
    actions = _actions(p)
    q = _action(actions, "add", feeds_add, handler, "follow the feed at URL (read once now to check it)")
    q.add_argument("url")
    q.add_argument("--outlet", help="outlet of its pages when a page names none (default: the feed's title)")
    _action(actions, "list", feeds_list, handler, "the followed feeds, with their last error and next poll")
    q = _action(actions, "remove", feeds_remove, handler, "stop following a feed (its stored articles stay)")
    q.add_argument("id", type=_number("feed id"))
    q = _action(actions, "poll", feeds_poll, handler,
                "fetch the feeds that are due and store their new items (run it from cron)")
    q.add_argument("--all", action="store_true", help="poll every feed now, due or not")

    p = add("watch", handler(_no_action), "watch claims: every new article that states one gives an alert")
    actions = _actions(p)
    q = _action(actions, "add", watch_add, handler, "watch a claim")
    q.add_argument("claim")
    q.add_argument("--channel", help="a Discord channel id for the bot's alerts (stored; unused here)")
    _action(actions, "list", watch_list, handler, "the watched claims")
    q = _action(actions, "remove", watch_remove, handler, "stop watching a claim")
    q.add_argument("id", type=_number("watch id"))


def _actions(parser: argparse.ArgumentParser):
    return parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))


def _action(actions, name: str, action, handler, help_text: str) -> argparse.ArgumentParser:
    p = actions.add_parser(name, help=help_text, description=help_text)
    # SUPPRESS: a --json given before the action is not reset by the action's own default.
    p.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON document")
    p.set_defaults(handler=handler(action))
    return p


def _no_action(engine, args: argparse.Namespace) -> tuple[Any, str]:
    raise UserError(f"{args.command}: give an action (see sourcedesk {args.command} --help)")


def _number(name: str) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        if not raw.strip().isdigit():
            raise UserError(f"{name} must be a whole number, got {raw!r}")
        return int(raw)

    parse.__name__ = name
    return parse


# -- feeds -------------------------------------------------------------------------------


def feeds_add(engine, args: argparse.Namespace) -> tuple[Any, str]:
    feed = engine.feeds().add(args.url, outlet=args.outlet)
    return feed.to_json(), f"following feed {feed.feed_id}: {_feed_line(feed)}"


def feeds_list(engine, args: argparse.Namespace) -> tuple[Any, str]:
    feeds = engine.feeds().list()
    text = "\n".join(_feed_text(f) for f in feeds) or "no feeds followed"
    return {"feeds": [f.to_json() for f in feeds]}, text


def feeds_remove(engine, args: argparse.Namespace) -> tuple[Any, str]:
    removed = engine.feeds().remove(args.id)
    return {"removed": removed}, f"no longer following feed {removed}"


def feeds_poll(engine, args: argparse.Namespace) -> tuple[Any, str]:
    result = engine.feeds().poll_due(every=args.all)
    return result.to_json(), poll_text(result)


def _feed_line(feed: Feed) -> str:
    return f"{feed.title or 'untitled feed'} <{feed.url}> · outlet {feed.outlet or 'unknown'}"


def _feed_text(feed: Feed) -> str:
    state = f"failed {count(feed.failures, 'time')} in a row, last: {feed.last_error}" if feed.failures else "ok"
    return (f"[{feed.feed_id}] {_feed_line(feed)}\n    {feed.items} items stored · last poll "
            f"{feed.last_polled_at or 'never'} · {state} · next poll {feed.next_poll_at}")


def poll_text(result: PollResult) -> str:
    lines = [f"feed {p.feed_id} <{p.url}>: " + (f"not read: {p.error}" if p.error else
             f"{p.items} items listed; {p.added} added, {p.duplicates} already stored, {p.failed} failed")
             for p in result.feeds] or ["no feed is due"]
    return "\n".join(lines + alert_lines(result.alerts))


# -- watches ------------------------------------------------------------------------------


def watch_add(engine, args: argparse.Namespace) -> tuple[Any, str]:
    watch = engine.watches().add(args.claim, channel_id=args.channel)
    return watch.to_json(), f"watching claim {watch.watch_id}: {watch.claim}"


def watch_list(engine, args: argparse.Namespace) -> tuple[Any, str]:
    watches = engine.watches().list()
    text = "\n".join(_watch_text(w) for w in watches) or "no claims watched"
    return {"watches": [w.to_json() for w in watches]}, text


def watch_remove(engine, args: argparse.Namespace) -> tuple[Any, str]:
    removed = engine.watches().remove(args.id)
    return {"removed": removed}, f"no longer watching claim {removed}"


def _watch_text(watch: Watch) -> str:
    channel = f" · channel {watch.channel_id}" if watch.channel_id else ""
    return f"[{watch.watch_id}] {watch.claim}\n    {watch.alerts} alerts since {watch.added_at}{channel}"


def alert_lines(alerts: list[Alert]) -> list[str]:
    """Each alert: the watch, its label, the article, and the passage quoted whole."""
    lines = []
    for a in alerts:
        lines.append(f"alert: watch {a.watch_id} · {a.match} · {a.article_id}")
        lines.append(quote_block(a.quote.text))
    return lines


# -- what ingest and show add ------------------------------------------------------------------------


def ingest_additions(engine, results: list[IngestResult], document: dict[str, Any], text: str) -> tuple[Any, str]:
    """Links that stored a new version say so; with watched claims, the answer adds their
    alerts (``alerts`` is there whenever the corpus watches a claim, so answers of corpora
    that watch none keep their shape)."""
    lines = [text] + [f"version    {r.path} -> {r.article_id} is a new version of {r.snapshot.version_of}"
                      for r in results if r.status == "added" and r.snapshot is not None and r.snapshot.version_of]
    if engine.watches().list():
        alerts = engine.watches().alerts_for(r.article_id for r in results if r.status == "added" and r.article_id)
        document["alerts"] = [a.to_json() for a in alerts]
        lines += alert_lines(alerts)
    return document, "\n".join(lines)


def show_additions(engine, article, document: dict[str, Any]) -> dict[str, Any]:
    """An article given by link adds ``snapshot``: what was fetched, and where the raw page is kept."""
    snapshot = engine.snapshot(article.article_id)
    if snapshot is not None and snapshot.sha256:
        document["snapshot"] = {**snapshot.to_json(), "raw_file": str(engine.links.raw_path(snapshot.sha256))}
    return document
