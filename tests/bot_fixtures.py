"""Helpers for the bot tests: a real bot on SimCord, and checks on what it rendered.

The bot runs unmodified against SimCord's simulated Discord (no network, no token).
One bot per test module: the embedding model is loaded once per process
(``index.engine.shared_embedder``) before the first bot starts.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import discord
import simcord

from bot import create_bot
from bot.checks import Refused
from bot.discord_limits import dlen
from bot.render import ELLIPSIS, message_problems
from bot.settings import BotSettings
from index.config import Limits, Settings
from index.errors import UserError

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_corpus"
ORIGINAL = "000_1929e489469e94e8.txt"
REWRITE_DATED = "001_34ca63989ef690dc.txt"
REWRITE_UNDATED = "003_31c3cd67ccc5e9e6.txt"
# The manifest's metadata, given as /upload options.
SAMPLE_OPTIONS = {
    ORIGINAL: {"outlet": "The Mail on Sunday", "published": "2026-01-12", "authors": "GLEN OWEN, DAN HODGES"},
    REWRITE_DATED: {"published": "2026-02-09"},
    REWRITE_UNDATED: {"title": "Exclusive: Inside Sources Reveal Trump’s Greenland Invasion Plan Amid Military Tensions"},
}
SETTLE_TIMEOUT = 60.0

_ID = re.compile(r"\b[0-9a-f]{8,16}\b")


def sample_bytes(name: str) -> bytes:
    return (SAMPLE_DIR / name).read_bytes()


def warm_model() -> None:
    from index.engine import shared_embedder

    shared_embedder().encode(["warm up"])


def make_settings(home: Path, **limits) -> BotSettings:
    index = Settings(home=home, limits=replace(Limits(), **limits))
    return BotSettings(index=index, warm_model=False, manager_roles=("Editors",), engine_workers=2)


@asynccontextmanager
async def running_bot(settings: BotSettings):
    warm_model()
    bot = create_bot(settings)
    env = simcord.Env(bot, settle_timeout=SETTLE_TIMEOUT)
    await env.start()
    try:
        yield env
    finally:
        await env.shutdown()
        # errors the tests did not look at fail the module, as with SimCord's own fixture
        failures = bot_failures(env, env._errors_acknowledged)
        if failures:
            raise ExceptionGroup(f"bot raised {len(failures)} error(s)", failures)


def bot_failures(env: simcord.Env, cursor: int) -> list[BaseException]:
    """Errors that reached the tree's handler, less the user errors it answered on purpose.

    Commands let ``UserError`` (and failed checks, ``Refused``) propagate to the one handler,
    ``SourcedeskTree.on_error``, which SimCord also observes; those are answers, not failures."""
    return [e for e in env.errors_since(cursor)
            if not isinstance(getattr(e, "original", e), (UserError, Refused))]


# -- a newsroom ------------------------------------------------------------------------------


class Newsroom:
    """One server as the bot tests use it: #general, the inbox, an Editors (manager) role, a
    reporter, a colleague and an editor; ``admin`` has Manage Server."""

    def __init__(self, env: simcord.Env, name: str = "Newsroom") -> None:
        self.guild = env.create_guild(name)
        self.general = self.guild.create_text_channel("general")
        self.inbox = self.guild.create_text_channel("sourcedesk-inbox")
        editors = self.guild.create_role("Editors")
        admins = self.guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
        self.reporter = self.guild.add_member(env.create_user("reporter"))
        self.colleague = self.guild.add_member(env.create_user("colleague"))
        self.editor = self.guild.add_member(env.create_user("editor"), roles=[editors])
        self.admin = self.guild.add_member(env.create_user("admin"), roles=[admins])


# -- reading what the bot sent -------------------------------------------------------------


def messages_of(result) -> list[simcord.ResponseMessage]:
    """The response and followups of an interaction, in order."""
    out = [result.response] if result.response is not None else []
    return out + list(result.followups)


def bot_messages(env: simcord.Env, guild) -> Iterator[discord.Message]:
    """Every message the bot has in the guild's channels and threads (ephemeral included)."""
    bot_id = env.bot.user.id
    seen: set[int] = set()
    channels = list(guild.channels.values())
    for channel in list(channels):
        channels.extend(channel.threads)
    for channel in channels:
        if channel.id in seen:
            continue
        seen.add(channel.id)
        try:
            history = channel.history()
        except Exception:
            continue
        for message in history:
            if message.author.id == bot_id:
                yield message


@dataclass
class Snapshot:
    """A message as it was at one moment (bot messages are edited in place when paging)."""

    content: str
    embeds: list[discord.Embed]


def snapshot(message) -> Snapshot:
    return Snapshot(message.content or "", list(message.embeds))


def acknowledgements(env: simcord.Env, result) -> list[int]:
    """Callback types the bot sent for this interaction (5/6: deferred, 4/7: answered)."""
    prefix = f"/interactions/{result._interaction.id}/"
    return [r.json["type"] for r in env.http_requests
            if r.method == "POST" and r.path.startswith(prefix) and r.path.endswith("/callback")]


def deferred(env: simcord.Env, result) -> bool:
    """The bot acknowledged with "thinking…" (or a deferred update) before answering."""
    return acknowledgements(env, result)[:1] in ([5], [6])


def all_embeds(messages: Iterable) -> list[discord.Embed]:
    return [e for m in messages for e in m.embeds]


def text_of(embeds: Iterable[discord.Embed]) -> str:
    parts = []
    for e in embeds:
        parts += [e.title or "", e.description or "", e.author.name or "" if e.author else "",
                  e.footer.text or "" if e.footer else ""]
        for f in e.fields:
            parts += [f.name, f.value]
    return "\n".join(parts)


def ids_in(result) -> list[str]:
    """The full article ids an answer's bylines show (``id: `…```), in order."""
    return re.findall(r"id: `([0-9a-f]{16})`", text_of(all_embeds(messages_of(result))))


def assert_fits_discord(message) -> None:
    problems = message_problems(message.content, message.embeds)
    assert not problems, problems


# -- quotes ----------------------------------------------------------------------------------


def unescape(text: str) -> str:
    """Undo discord.utils.escape_markdown: drop the backslash before each escaped character."""
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def unmark(text: str) -> str:
    """Undo ``bot.quote_marks``' bold marks and the escaping together, left to right: an
    escaped character is kept, an unescaped ``**`` (a mark; every ``*`` of a passage is
    escaped) is dropped. Nothing else is removed."""
    return re.sub(r"\\(.)|\*\*", lambda m: m.group(1) if m.group(1) is not None else "", text, flags=re.DOTALL)


def quotes_in(text: str | None) -> list[str]:
    """The block quotes of a description or field value, marks and escaping undone,
    ellipses removed."""
    blocks: list[str] = []
    current: list[str] | None = None
    for line in (text or "").split("\n") + [""]:
        if line.startswith("> ") or line == ">":
            current = (current or []) + [line[2:]]
        elif current is not None:
            blocks.append("\n".join(current))
            current = None
    out = []
    for block in blocks:
        raw = unmark(block)
        if raw.startswith(ELLIPSIS):
            raw = raw[len(ELLIPSIS):]
        if raw.endswith(ELLIPSIS):
            raw = raw[: -len(ELLIPSIS)]
        out.append(raw)
    return out


def quoted_passages(embed: discord.Embed) -> list[tuple[str, set[str]]]:
    """(quote, ids named next to it): ids from the field name, or from the whole embed."""
    embed_ids = set(_ID.findall(" ".join(
        [embed.title or "", embed.footer.text or "" if embed.footer else ""] + [f.name for f in embed.fields])))
    found = [(q, embed_ids) for q in quotes_in(embed.description)]
    for f in embed.fields:
        ids = set(_ID.findall(f.name)) or embed_ids
        found += [(q, ids) for q in quotes_in(f.value)]
    return found


def assert_quotes_verbatim(embeds: Iterable[discord.Embed], texts: dict[str, str]) -> int:
    """Every quote is a substring of the article it is shown with; returns how many."""
    count = 0
    for embed in embeds:
        for quote, ids in quoted_passages(embed):
            assert quote.strip(), f"empty quote in {embed.to_dict()}"
            articles = [aid for aid in texts if any(aid.startswith(i) for i in ids)]
            assert articles, f"quote shown without its article id: {quote!r}"
            assert any(quote in texts[aid] for aid in articles), f"not verbatim in {articles}: {quote!r}"
            count += 1
    return count


def longest(*texts: str) -> int:
    return max(dlen(t) for t in texts)
