"""The bot against a `chroma run` server on loopback that is stopped and restarted mid-load
(the scenario and what it checks: tests/support/bot_restart.py). Prints a markdown table;
fails (AssertionError) when anything is lost.

    python -m bench.robustness.bot_restart [--newsrooms 3] [--articles 1000] [--outage 5]

One bot, ``--newsrooms`` servers of ``--base`` synthetic articles (``--users`` members each)
and an Archive that /uploads one ``--articles`` .jsonl while /sources arrive every
``--interval`` s; the server stops when the Archive holds ``--stop-at`` articles, stays down
``--outage`` s, and queries go on until ``--after`` were dispatched after the restart.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

from tests.support.bot_load import bot_settings, build_world, feed_bytes, percentile, pick_queries
from tests.support.bot_restart import RestartResult, assert_nothing_lost, newsrooms_of, run_restart
from tests.support.chroma_server import ChromaServer

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


async def main_async(args) -> RestartResult:
    import simcord

    from bot import create_bot
    from index.config import Settings
    from index import shared_embedder

    shared_embedder().encode(["warm up"])
    with tempfile.TemporaryDirectory() as tmp:
        server = ChromaServer(Path(tmp) / "chroma").start()
        try:
            index = Settings(home=Path(tmp) / "home", chroma_host="127.0.0.1", chroma_port=server.port)
            settings = replace(bot_settings(Path(tmp) / "home"), index=index)
            env = simcord.Env(create_bot(settings), settle_timeout=600)
            await env.start()
            try:
                world = await build_world(env, args.base, args.users)
                rooms = await newsrooms_of(world, args.newsrooms, args.base, args.users)
                result = await run_restart(
                    rooms, server, feed_bytes(args.articles), pick_queries(40, args.base),
                    stop_at=args.stop_at or args.articles // 3, outage_s=args.outage, interval_s=args.interval,
                    after=args.after)
            finally:
                await env.shutdown()
        finally:
            server.stop()
    return result


def report(r: RestartResult, args) -> None:
    print(f"**Bot with a Chroma server restart** (SimCord, `chroma run` on loopback; {os.cpu_count()} cores; "
          f"{args.newsrooms} newsrooms of {args.base} articles, {args.users} users each, one /sources every "
          f"{args.interval:g} s; an Archive /upload of a {r.feed_articles}-article .jsonl; server stopped when "
          f"{r.stored_at_stop} were stored, down {args.outage:g} s, back after {r.down_s:.1f} s in all)\n")
    print("| queries dispatched | answered (equal to the engine's answer) | \"store unavailable\" message | "
          "other | latency p50 ms | latency p95 ms |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in ("before the stop", "server down or starting", "after the restart"):
        c = r.phases.get(name, Counter())
        lat = [x * 1000 for x in r.latency_s.get(name, [])]
        other = sum(v for k, v in c.items() if k not in ("answer", "unavailable"))
        print(f"| {name}: {sum(c.values())} | {c['answer']} | {c['unavailable']} | {other} | "
              f"{percentile(lat, 50):.0f} | {percentile(lat, 95):.0f} |")
    lag = [x * 1000 for x in r.lag_s]
    print(f"\nA query during the outage was told: \"{r.outage_message}\".")
    print(f"\nThe interrupted upload: {r.stored_after_upload} of {r.feed_articles} stored; its message: "
          f"\"{r.upload_message.strip()[:300]}\". The same file posted again: {r.repost['added']} added, "
          f"{r.repost['duplicate']} duplicate, {r.repost['rejected']} rejected; {r.stored_final} stored in all. "
          f"Full `check` of every corpus: " + "; ".join(f"{k}: {v[1]}" for k, v in r.checks.items()) + ".")
    print(f"\nEvent-loop lag p50/p99/max: {percentile(lag, 50):.1f} / {percentile(lag, 99):.1f} / "
          f"{max(lag, default=0):.1f} ms; wall {r.wall_s:.1f} s.")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--newsrooms", type=int, default=3)
    parser.add_argument("--base", type=int, default=40)
    parser.add_argument("--users", type=int, default=3)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--stop-at", type=int, default=0, help="stop the server when this many are stored (default 1/3)")
    parser.add_argument("--outage", type=float, default=5.0)
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("--after", type=int, default=30)
    args = parser.parse_args()
    result = asyncio.run(main_async(args))
    report(result, args)
    assert_nothing_lost(result)
    print("\nnothing lost: every article of the .jsonl stored once, every corpus checks clean.")


if __name__ == "__main__":
    main()
