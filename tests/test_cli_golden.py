"""The CLI's JSON for the sample corpus equals the recorded one (tests/cli_golden.py says how
and when to record it): code moves must not change what outside scripts read."""
from __future__ import annotations

import json

import pytest
from tests.cli_golden import GOLDEN, cli_documents, same

pytestmark = pytest.mark.slow


def test_every_cli_command_answers_the_sample_corpus_as_recorded() -> None:
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    actual = json.loads(json.dumps(cli_documents(), ensure_ascii=False))
    differences = same(actual, expected)
    assert not differences, differences[:20]
