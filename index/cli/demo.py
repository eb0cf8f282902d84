"""`sourcedesk demo`: ingest the bundled sample corpus into a fresh home and answer a few
example questions, so a new user sees what the bot does in one command."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from index.cli import text_output as render_text
from index.config import Settings
from index.engine import Engine

DEMO_QUERIES = (
    "the joint chiefs of staff oppose the plan",
    "NATO summit",
    "Who is driving the Greenland invasion plan?",
)


def sample_corpus_dir() -> Path:
    configured = os.environ.get("SOURCEDESK_SAMPLE_CORPUS")
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / "sample_corpus"


def demo(home: Path | None = None, corpus: str = "default") -> tuple[dict[str, Any], str]:
    home = home or Path(tempfile.mkdtemp(prefix="sourcedesk-demo-"))
    engine = Engine(Settings.from_env(home), corpus)
    results = engine.ingest([sample_corpus_dir()])
    answers = engine.sources_many(list(DEMO_QUERIES), limit=6)
    added = [r.article_id for r in results if r.article_id]
    story = engine.lineage(added[0]) if added else None
    comparison = engine.compare(added[0], added[-1]) if len(added) > 1 else None
    document: dict[str, Any] = {
        "home": str(home),
        "ingest": {"results": [r.to_json() for r in results]},
        "articles": [a.to_json() for a in engine.articles()],
        "sources": [a.to_json() for a in answers],
        "lineage": story.to_json() if story else None,
        "compare": comparison.to_json() if comparison else None,
    }
    text = [f"sourcedesk demo (home: {home})", "", render_text.ingest_results(results), ""]
    text += [render_text.sources(a) + "\n" for a in answers]
    if story:
        text += ["lineage:", render_text.lineage(story), ""]
    if comparison:
        text += ["compare (first and last article):", render_text.compare(comparison)]
    return document, "\n".join(text)
