"""The bot against a `chroma run` server that is stopped and restarted in the middle of a
.jsonl upload while several servers query it (the small version of
bench/robustness/bot_restart.py; it runs in `make test-server`).

Nothing may be lost: queries during the outage get the store-unavailable message (no
traceback, no silence), the interrupted upload says what to do, the same file posted
again stores the rest, every corpus checks clean, and the bot answers again after the
restart.
"""
from __future__ import annotations

import os
from dataclasses import replace

import pytest
from tests.support.bot_load import bot_settings, build_world, feed_bytes, pick_queries
from tests.support.bot_restart import UPLOAD_UNAVAILABLE, assert_nothing_lost, newsrooms_of, run_restart
from tests.support.bot_world import running_bot
from tests.support.chroma_server import ChromaServer, chroma_command

from bot import errors
from bot.render.primitives import error_text
from index.config import Settings

pytestmark = [
    pytest.mark.slow,
    pytest.mark.chroma_server,
    pytest.mark.skipif(chroma_command() is None, reason="`chroma run` is not installed"),
    # about 45 s: it runs once, in `make test-server` (it starts and restarts its own server)
    pytest.mark.skipif(not os.environ.get("CHROMA_HOST"), reason="runs in make test-server"),
]

FEED = 200  # 8 passages each: 64 articles per ingest batch, so the stop lands mid-upload


async def test_bot_keeps_every_article_through_a_chroma_restart(tmp_path):
    server = ChromaServer(tmp_path / "chroma").start()
    try:
        home = tmp_path / "home"
        index = Settings(home=home, chroma_host="127.0.0.1", chroma_port=server.port)
        async with running_bot(replace(bot_settings(home, engine_workers=2), index=index)) as env:
            world = await build_world(env, 12, 2)
            rooms = await newsrooms_of(world, 2, 12, 2)
            result = await run_restart(rooms, server, feed_bytes(FEED), pick_queries(10, 12), stop_at=1,
                                       outage_s=1.0, interval_s=0.2, after=6, settle_timeout=120)
        assert_nothing_lost(result)
        # the stop landed inside the upload: some articles stored, the rest re-posted
        assert 0 < result.stored_after_upload < FEED and UPLOAD_UNAVAILABLE in result.upload_message
        assert result.repost["added"] > 0 and result.repost["duplicate"] > 0
        assert result.phases["after the restart"]["answer"] >= 6
        # the user's words, not the server's address or a traceback
        assert result.outage_message == error_text(errors.SERVICE_UNAVAILABLE)
    finally:
        server.stop()
