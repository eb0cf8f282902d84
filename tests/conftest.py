"""Shared fixtures: a temporary home with the sample corpus ingested once per session."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

# The bot tests' fixtures (bot_env, env, newsroom, sample_desk, ...).
pytest_plugins = ["tests.support.bot_world"]

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_corpus"
ORIGINAL = "000_1929e489469e94e8.txt"
REWRITE_DATED = "001_34ca63989ef690dc.txt"
REWRITE_UNDATED = "003_31c3cd67ccc5e9e6.txt"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE_DIR


@pytest.fixture(scope="session")
def sample_engine(tmp_path_factory):
    from index.config import Settings
    from index.engine import Engine

    engine = Engine(Settings.from_env(tmp_path_factory.mktemp("home")), "sample")
    results = engine.ingest([SAMPLE_DIR])
    assert [r.status for r in results] == ["added"] * 3
    engine.ids = {Path(r.path).name: r.article_id for r in results}
    return engine


@pytest.fixture()
def fresh_engine(tmp_path):
    from index.config import Settings
    from index.engine import Engine

    return Engine(Settings.from_env(tmp_path / "home"), "fresh")
