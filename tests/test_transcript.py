"""The realistic session of `make transcript` runs as a test: every command a newsroom uses,
every bot message left in the channels within Discord's limits with verbatim quotes, and no
error the bot did not answer on purpose (``running_bot`` fails otherwise)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest


SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "transcript.py"


@pytest.mark.slow
async def test_the_transcript_session_runs_and_every_quote_is_verbatim(tmp_path):
    spec = importlib.util.spec_from_file_location("transcript", SCRIPT)
    transcript = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(transcript)
    lines, checked = await transcript.session(tmp_path)
    assert checked >= 30
    text = "\n".join(lines)
    for step in ("/help", "/sources claim:", "Find sources", "/compare", "/lineage", "/edit", "/digest now"):
        assert f": {step}" in text, step
    assert "**Found: " in text and "**Not found: " in text


def test_the_recorded_transcript_reads_plainly():
    """docs/transcript.md as committed: every answer's first line is its finding, and
    nothing in it needs decoding (tests/support/plain_text.py)."""
    from tests.support.plain_text import problems_in

    text = (SCRIPT.parent.parent / "docs" / "transcript.md").read_text(encoding="utf-8")
    # the attachments' names are the bot's too; the transcript's own preface is not
    answers = text[text.index("\n### "):]
    assert not problems_in(answers), problems_in(answers)
    for step in ("/sources claim:", "the reply to colleague's message", "/compare", "/lineage"):
        block = answers[answers.index(f": {step}"):]
        reply = block[block.index("```text\n") + len("```text\n"):].lstrip("\n  -").lstrip()
        first = reply.split("\n")[0].lstrip("# ").strip()
        assert first.startswith(("**Found: ", "**Not found: ", "B (", "A (", "First: ")), (step, first)
    digest = answers[answers.index("the digest\n"):]
    assert "## Story 1/1 · First: " in digest and "most serious: " in digest
