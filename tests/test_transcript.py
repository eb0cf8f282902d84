"""The realistic session of `make transcript` runs as a test: every command a newsroom uses,
every bot message left in the channels within Discord's limits with verbatim quotes, and no
error the bot did not answer on purpose (``running_bot`` fails otherwise)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow]

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "transcript.py"


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
