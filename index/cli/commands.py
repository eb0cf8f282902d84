"""`sourcedesk`: the command line. Each subcommand is a thin layer over the Engine method
of the same name; ``--json`` prints exactly the documents fixed by the CLI contract."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from index.cli import following
from index.cli import text_output as render_text
from index.config import Settings
from index.errors import UserError
from index.ingest.metadata import normalize_date, split_authors
from index.logs import setup_logging
from index.records import Metadata

Handler = Callable[[argparse.Namespace], tuple[Any, str]]


def _engine(args: argparse.Namespace, check_on_open: bool = True):
    from index.engine import Engine

    return Engine(Settings.from_env(args.home), args.corpus, check_on_open=check_on_open)


# -- subcommands: each returns (JSON document, text for a person) ----------------------


def ingest(args: argparse.Namespace) -> tuple[Any, str]:
    from tqdm import tqdm

    if args.published is not None and normalize_date(args.published) is None:
        raise UserError(f"could not read --published {args.published!r}; use a form like 2026-01-12")
    engine = _engine(args)
    meta = Metadata(title=args.title, outlet=args.outlet, authors=split_authors(args.author), published=args.published, url=args.url)
    with tqdm(desc="ingest", unit="doc", file=sys.stderr, disable=None) as bar:
        results = engine.ingest(args.paths, meta=meta, progress=bar.update)
    return following.ingest_additions(engine, results, {"results": [r.to_json() for r in results]},
                                      render_text.ingest_results(results))


def articles(args: argparse.Namespace) -> tuple[Any, str]:
    found = _engine(args).articles(outlet=args.outlet, limit=args.limit)
    return {"articles": [a.to_json() for a in found]}, render_text.article_list(found)


def show(args: argparse.Namespace) -> tuple[Any, str]:
    engine = _engine(args)
    article, text = engine.show(args.id)
    sourcing = engine.sourcing(article.article_id)
    document = following.show_additions(engine, article, {**article.to_json(), "text": text,
                                                          "sourcing": sourcing.to_json()})
    return document, render_text.article_full(article, text, sourcing)


def remove(args: argparse.Namespace) -> tuple[Any, str]:
    if args.ids:
        if args.id is not None:
            raise UserError("give an article id or --ids FILE, not both")
        removed = _engine(args).remove_many(_read_lines(args.ids, "ids"))
        return {"removed_ids": removed, "count": len(removed)}, f"removed {len(removed)} articles"
    if args.id is None:
        raise UserError("give an article id, or --ids FILE")
    removed = _engine(args).remove(args.id)
    return {"removed": removed}, f"removed {removed}"


def edit(args: argparse.Namespace) -> tuple[Any, str]:
    result = _engine(args).edit(args.id, outlet=args.outlet, title=args.title, url=args.url, published=args.published,
                                authors=args.author, editor=args.editor or "command line")
    return result.to_json(), render_text.edit_result(result)


def sources(args: argparse.Namespace) -> tuple[Any, str]:
    engine = _engine(args)
    if args.queries:
        if args.png:
            raise UserError("--png draws the timeline of one claim; it does not work with --queries")
        queries = _read_queries(args.queries)
        answers = engine.sources_many(queries, limit=args.limit, outlet=args.outlet)
        return {"answers": [a.to_json() for a in answers]}, "\n\n".join(render_text.sources(a) for a in answers)
    if args.query is None:
        raise UserError("give a claim or question, or --queries FILE")
    answer = engine.sources(args.query, limit=args.limit, outlet=args.outlet)
    document, text = answer.to_json(), render_text.sources(answer)
    if args.png:
        from index.pictures.claim_timeline import timeline_png

        document.update(_write_png(args.png, timeline_png(answer), NO_TIMELINE))
    return document, text


def search(args: argparse.Namespace) -> tuple[Any, str]:
    answer = _engine(args).search_phrase(args.phrase, limit=args.limit, outlet=args.outlet)
    return answer.to_json(), render_text.sources(answer, verdict=False)


def compare(args: argparse.Namespace) -> tuple[Any, str]:
    result = _engine(args).compare(args.a, args.b)
    if args.html:
        from index.pictures.compare_page import compare_page

        try:
            Path(args.html).write_text(compare_page(result), encoding="utf-8")
        except OSError as exc:
            raise UserError(f"cannot write {args.html}: {exc}") from exc
    return result.to_json(), render_text.compare(result)


def lineage(args: argparse.Namespace) -> tuple[Any, str]:
    result = _engine(args).lineage(args.id)
    document, text = result.to_json(), render_text.lineage(result)
    if args.png:
        from index.pictures.story_picture import lineage_png

        document.update(_write_png(args.png, lineage_png(result), NO_STORY_PICTURE))
    return document, text


def outlets(args: argparse.Namespace) -> tuple[Any, str]:
    """``outlets alias NAME ALIAS`` | ``outlets group NAME OTHER`` | ``outlets list``: over
    ``Engine.record_alias``, ``record_group`` and ``list_outlets``."""
    engine = _engine(args)
    if args.action == "list":
        if args.name is not None:
            raise UserError("outlets list takes no names")
        found = engine.list_outlets()
        return {"outlets": [e.to_json() for e in found]}, render_text.outlet_list(found)
    if args.name is None or args.other is None:
        raise UserError(f"outlets {args.action} needs two names: NAME and {'ALIAS' if args.action == 'alias' else 'OTHER'}")
    record = engine.record_alias if args.action == "alias" else engine.record_group
    entry = record(args.name, args.other)
    return {"outlet": entry.to_json()}, render_text.outlet_list([entry])


# Fixed wording of the "png_note" field when --png writes nothing.
NO_TIMELINE = "no picture: fewer than 2 outlets state the claim"
NO_STORY_PICTURE = "no picture: the story has no other article"


def _write_png(path: str, png: bytes | None, note: str) -> dict[str, Any]:
    """Added JSON fields: "png", the file written (null when there is nothing to draw, with
    "png_note" saying why; nothing is written then)."""
    if png is None:
        print(f"sourcedesk: {note}; {path} not written", file=sys.stderr)
        return {"png": None, "png_note": note}
    try:
        Path(path).write_bytes(png)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc}") from exc
    return {"png": str(path)}


def digest(args: argparse.Namespace) -> tuple[Any, str]:
    result = _engine(args).digest(since=args.since, until=args.until, max_stories=args.max_stories)
    return result.to_json(), render_text.digest(result)


def stats(args: argparse.Namespace) -> tuple[Any, str]:
    numbers = _engine(args).stats()
    return numbers, "\n".join(f"{k}: {v}" for k, v in numbers.items())


def demo(args: argparse.Namespace) -> tuple[Any, str]:
    from index.cli.demo import demo as run_demo

    return run_demo(home=Path(args.home) if args.home else None, corpus=args.corpus)


def check(args: argparse.Namespace) -> tuple[Any, str]:
    engine = _engine(args, check_on_open=False)
    report = engine.check(repair=not args.dry_run, full=not args.quick)
    return report.to_json(), report.summary()


def export(args: argparse.Namespace) -> tuple[Any, str]:
    from tqdm import tqdm

    from index.ingest.transfer import export_corpus

    engine = _engine(args)
    with tqdm(desc="export", unit="doc", file=sys.stderr, disable=None) as bar:
        n = export_corpus(engine, args.out, progress=bar.update)
    return {"exported": n, "path": str(args.out)}, f"exported {n} articles to {args.out}"


def import_(args: argparse.Namespace) -> tuple[Any, str]:
    from tqdm import tqdm

    from index.ingest.transfer import import_corpus

    engine = _engine(args)
    with tqdm(desc="import", unit="doc", file=sys.stderr, disable=None) as bar:
        report = import_corpus(engine, args.src, progress=bar.update)
    return report.to_json(), report.summary()


def _read_queries(path: str) -> list[str]:
    return _read_lines(path, "queries")


def _read_lines(path: str, what: str) -> list[str]:
    """The non-blank lines of a file of ``what`` (queries, ids), stripped."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {what} file {path}: {exc}") from exc
    found = [q.strip() for q in lines if q.strip()]
    if not found:
        raise UserError(f"{what} file {path} has no {what}")
    return found


# -- parser -------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """Bad options are user errors like any other: one line, exit status 1 (not argparse's
    usage dump and status 2), and ``{"error"}`` on standard output with --json."""

    def error(self, message: str):  # type: ignore[override]
        command = self.prog.partition(" ")[2]
        raise UserError(f"{command + ': ' if command else ''}{message} (see {self.prog} --help)")


def _count(name: str, low: int = 1, high: int = 10**9) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw.strip())
        except ValueError:
            raise UserError(f"{name} must be a whole number, got {raw!r}") from None
        if not low <= value <= high:
            raise UserError(f"{name} must be between {low:,} and {high:,}, got {raw!r}")
        return value

    parse.__name__ = name
    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sourcedesk", description=__doc__)
    parser.add_argument("--home", help="state directory (default: $SOURCEDESK_HOME, then ~/.sourcedesk)")
    parser.add_argument("--corpus", default="default", help="isolated corpus name (default: default)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log progress (-vv for debug)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    common = _Parser(add_help=False)
    common.add_argument("--json", action="store_true", help="print one JSON document on standard output")

    def add(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    p = add("ingest", ingest, "add articles from files, directories (.txt .md .html .pdf .docx .jsonl) "
                              "and http(s) links")
    p.add_argument("paths", nargs="+")
    p.add_argument("--outlet")
    p.add_argument("--title")
    p.add_argument("--url")
    p.add_argument("--published", help="publication date, e.g. 2026-01-12")
    p.add_argument("--author", action="append", help="an author (repeat for several)")

    p = add("articles", articles, "list stored articles, newest first")
    p.add_argument("--outlet")
    p.add_argument("--limit", type=_count("--limit"))

    p = add("show", show, "one article with its full stored text")
    p.add_argument("id")

    p = add("remove", remove, "remove an article (or, with --ids FILE, many at once)")
    p.add_argument("id", nargs="?")
    p.add_argument("--ids", metavar="FILE", help="file with one article id per line, all removed in one call")

    p = add("edit", edit, "correct an article's metadata (never its text); an empty value clears a field")
    p.add_argument("id")
    p.add_argument("--outlet")
    p.add_argument("--title")
    p.add_argument("--url")
    p.add_argument("--published", help="publication date, e.g. 2026-01-12")
    p.add_argument("--author", action="append", help="an author (repeat for several; replaces the stored authors)")
    p.add_argument("--editor", help="who made the correction, for the audit record (default: command line)")

    p = add("sources", sources, "passages that state a claim or answer a question")
    p.add_argument("query", nargs="?")
    p.add_argument("--queries", help="file with one query per line, answered in one process")
    p.add_argument("--limit", type=_count("--limit"), default=10)
    p.add_argument("--outlet")
    p.add_argument("--png", metavar="FILE", help="also draw the claim timeline (two or more outlets state it)")

    p = add("search", search, "exact-phrase search (names, quotations)")
    p.add_argument("phrase")
    p.add_argument("--limit", type=_count("--limit"), default=10)
    p.add_argument("--outlet")

    p = add("compare", compare, "what two articles share word for word, what was reworded, and changed quotations")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--html", metavar="FILE", help="also write the side-by-side page (one self-contained HTML file)")

    p = add("lineage", lineage, "which article of a story came first, and which are rewrites of it")
    p.add_argument("id")
    p.add_argument("--png", metavar="FILE", help="also draw the story picture (articles on a time axis)")

    p = add("outlets", outlets, "outlet names credits may use: record an alias or a sister title, or list them")
    p.add_argument("action", choices=("alias", "group", "list"))
    p.add_argument("name", nargs="?")
    p.add_argument("other", nargs="?", help="the alias (alias) or the sister title (group)")

    p = add("digest", digest, "stories among the articles added since a time (default: the last 24 hours)")
    p.add_argument("--since", help="ISO date or date-time, or a duration back from now: 24h, 7d, 2w")
    p.add_argument("--until", help="end of the window (default: now)")
    p.add_argument("--max-stories", type=_count("--max-stories", high=10_000), default=50)

    add("stats", stats, "counts of articles, passages and vectors")

    p = add("check", check, "make vectors and lexical rows agree with the registry after a crash; says what it did")
    p.add_argument("--dry-run", action="store_true", help="only report what is wrong")
    p.add_argument("--quick", action="store_true", help="compare counts only; scan fully only if they disagree")

    p = add("export", export, "write the corpus as JSONL (the ingest format plus article_id and added_at)")
    p.add_argument("out", help="the JSONL file to write")

    p = add("import", import_, "ingest a JSONL file written by export (ids stay the same)")
    p.add_argument("src", help="the JSONL file to read")
    add("demo", demo, "ingest the sample corpus into a fresh home and show example answers")
    following.register(add, _engine)
    _add_plugin_commands(add)
    return parser


def _add_plugin_commands(add: Callable[[str, Handler, str], argparse.ArgumentParser]) -> None:
    """Subcommands registered by other packages (entry-point group ``sourcedesk.commands``), as
    llm and sqlite-utils plugins register theirs: ``sourcedesk bot`` comes from the bot package,
    so index/ never imports bot/. A plugin that fails to load is named and skipped."""
    from importlib.metadata import entry_points

    for entry in entry_points(group=PLUGIN_GROUP):
        try:
            entry.load()(add)
        except Exception as exc:  # a broken plugin must not take the whole CLI down
            print(f"sourcedesk: command plugin {entry.name!r} not loaded: {exc}", file=sys.stderr)


PLUGIN_GROUP = "sourcedesk.commands"


def _fail(message: str, as_json: bool) -> int:
    message = " ".join(message.split())  # one line, whatever the cause held
    print(f"sourcedesk: {message}", file=sys.stderr)
    if as_json:
        print(json.dumps({"error": message}, ensure_ascii=True))
    return 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = build_parser().parse_args(argv)
    except UserError as exc:
        return _fail(str(exc), "--json" in argv)
    setup_logging([logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)])
    as_json = getattr(args, "json", False)
    try:
        document, text = args.handler(args)
    except UserError as exc:
        return _fail(str(exc), as_json)
    except KeyboardInterrupt:
        print("sourcedesk: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug or a library failure: still the contract's one error object
        # The traceback goes to the log only (shown with -v), never to standard output.
        logging.getLogger("index.cli").info("internal error in %s", args.command, exc_info=True)
        detail = " ".join(str(exc).split())[:300]
        return _fail(f"internal error in {args.command}: {type(exc).__name__}"
                     + (f": {detail}" if detail else "") + " (run with -v for the traceback)", as_json)
    if getattr(args, "json", False):
        print(json.dumps(document, ensure_ascii=False, indent=2))
    elif text:
        print(text)
    return 0

