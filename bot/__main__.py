"""``python -m bot`` / ``sourcedesk bot``: run the Discord bot with DISCORD_TOKEN."""
from __future__ import annotations

import argparse
import logging
import sys

import discord

from index import UserError, setup_logging

from .settings import BotSettings

log = logging.getLogger("bot")


def _die(message: str) -> None:
    print(f"sourcedesk bot: {message}", file=sys.stderr)
    raise SystemExit(1)


def main(home: str | None = None) -> None:
    try:
        settings = BotSettings.from_env(home)
    except UserError as exc:
        _die(str(exc))
    setup_logging(getattr(logging, settings.log_level, logging.INFO))
    if not settings.token:
        _die("DISCORD_TOKEN is not set: put the bot token from the Discord developer portal in the "
             "environment or in .env (see .env.example)")
    from . import create_bot

    bot = create_bot(settings)
    try:
        bot.run(settings.token, log_handler=None)
    except discord.LoginFailure:
        _die("Discord rejected DISCORD_TOKEN (invalid token): copy it again from the developer portal, Bot tab")
    except discord.PrivilegedIntentsRequired:
        _die("the Message Content intent is not enabled: turn it on in the developer portal, Bot tab")
    except (OSError, discord.GatewayNotFound) as exc:
        _die(f"cannot reach Discord: {exc}")


def register(add) -> None:
    """Adds ``sourcedesk bot`` to the CLI (entry point ``sourcedesk.commands``; see index/cli.py)."""
    add("bot", _run_from_cli, "run the Discord bot (DISCORD_TOKEN from the environment or .env)")


def _run_from_cli(args: argparse.Namespace) -> tuple[dict, str]:
    main(home=args.home)
    return {}, ""


def _cli(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Run the sourcedesk Discord bot.")
    parser.add_argument("--home", help="state directory (default: SOURCEDESK_HOME, then ~/.sourcedesk)")
    args = parser.parse_args(argv)
    main(home=args.home)


if __name__ == "__main__":
    _cli()
