"""The bot tests' worlds: a real bot on SimCord, newsrooms to run it in, and checks on what
it rendered.

The bot runs unmodified against SimCord's simulated Discord (no network, no token). The
fixtures (a pytest plugin, registered in tests/conftest.py) give each test the world it
needs, never one that another test left behind, so the tests pass in any order:

- ``bot_env``: one bot per test module, on a temporary home (``bot_settings``, which a
  module may override); ``env`` is the same bot for one test, and checks after it that
  the bot raised nothing unexpected (``expected_errors`` lists what a test provokes on
  purpose) and that every message it has sent fits Discord with verbatim quotes.
- ``newsroom``: a new server for one test (``Newsroom``), nothing stored in it.
- ``sample_desk``: a server of the module holding the three sample articles with their
  manifest's metadata (``.ids``: file name -> article id); tests only read it, and a
  test that changes what it stores fails (``read_only``, for any server tests share).

The embedding model is loaded once per process (``index.shared_embedder``) before the
first bot starts.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import discord
import pytest
import pytest_asyncio
import simcord

from bot import create_bot
from bot.policy import Refused
from bot.render import limits as L
from bot.render.limits import dlen
from bot.render.primitives import ELLIPSIS, embed_size
from bot.settings import BotSettings
from index.config import Limits, Settings
from index.errors import UserError

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_corpus"
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
# Discord's limit on an embed's description: no renderer comes near it (bot/render/limits.py
# keeps the limits the renderers work to), so only this check needs it.
EMBED_DESCRIPTION = 4096

_ID = re.compile(r"\b[0-9a-f]{8,16}\b")


def sample_bytes(name: str) -> bytes:
    return (SAMPLE_DIR / name).read_bytes()


def warm_model() -> None:
    from index import shared_embedder

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
    """The full article ids of the articles an upload receipt names, in order. The bot shows
    short ids only (`` `1a2b3c4d` ``); each is resolved in the server's corpus, as a
    reporter would resolve it by typing it into a command."""
    shown = re.findall(r"`([0-9a-f]{8})`", text_of(all_embeds(messages_of(result))))
    env, guild_id = result._env, result._interaction.guild_id  # SimCord's record of the interaction
    stored = [a.article_id for a in env.bot.hub.engine(guild_id).articles()]
    return [next(aid for aid in stored if aid.startswith(short)) for short in dict.fromkeys(shown)]


def embed_problems(embed: discord.Embed) -> list[str]:
    """Every way ``embed`` breaks Discord's limits (empty when it fits)."""
    problems = []
    checks = [
        ("title", embed.title, L.EMBED_TITLE),
        ("description", embed.description, EMBED_DESCRIPTION),
        ("footer", embed.footer.text if embed.footer else None, L.EMBED_FOOTER),
        ("author", embed.author.name if embed.author else None, L.EMBED_AUTHOR),
    ]
    for name, value, limit in checks:
        if dlen(value) > limit:
            problems.append(f"{name} has {dlen(value)} > {limit}")
    if len(embed.fields) > L.EMBED_FIELDS:
        problems.append(f"{len(embed.fields)} fields > {L.EMBED_FIELDS}")
    for i, f in enumerate(embed.fields):
        if not f.name or dlen(f.name) > L.EMBED_FIELD_NAME:
            problems.append(f"field {i} name has {dlen(f.name)} characters")
        if not f.value or dlen(f.value) > L.EMBED_FIELD_VALUE:
            problems.append(f"field {i} value has {dlen(f.value)} characters")
    if embed_size(embed) > L.EMBED_TOTAL:
        problems.append(f"embed total {embed_size(embed)} > {L.EMBED_TOTAL}")
    if embed.url and dlen(embed.url) > L.EMBED_URL:
        problems.append("url too long")
    return problems


def message_problems(content: str | None, embeds) -> list[str]:
    """Every way a message breaks Discord's limits (empty when it fits), counted here apart
    from the renderer that had to keep them."""
    problems = []
    if dlen(content) > L.MESSAGE_CONTENT:
        problems.append(f"content has {dlen(content)} > {L.MESSAGE_CONTENT}")
    if len(embeds) > L.EMBEDS_PER_MESSAGE:
        problems.append(f"{len(embeds)} embeds > {L.EMBEDS_PER_MESSAGE}")
    total = sum(embed_size(e) for e in embeds)
    if total > L.EMBED_TOTAL:
        problems.append(f"embeds total {total} > {L.EMBED_TOTAL}")
    for i, e in enumerate(embeds):
        problems.extend(f"embed {i}: {p}" for p in embed_problems(e))
    return problems


def assert_fits_discord(message) -> None:
    problems = message_problems(message.content, message.embeds)
    assert not problems, problems


# -- quotes ----------------------------------------------------------------------------------


def unescape(text: str) -> str:
    """Undo discord.utils.escape_markdown: drop the backslash before each escaped character."""
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def unmark(text: str) -> str:
    """Undo ``bot.quote_marks``' bold marks, a context's italics and the escaping together,
    left to right: an escaped character is kept, an unescaped ``*`` or ``**`` (a mark; every
    ``*`` of a passage is escaped) is dropped. Nothing else is removed."""
    return re.sub(r"\\(.)|\*+", lambda m: m.group(1) if m.group(1) is not None else "", text, flags=re.DOTALL)


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



# -- what is stored, and every message checked against it -------------------------------------


async def upload_samples(member, channel, names=(ORIGINAL, REWRITE_DATED, REWRITE_UNDATED)) -> dict[str, str]:
    """The sample articles uploaded by ``member`` with their manifest's metadata: name -> id."""
    ids = {}
    for name in names:
        result = await member.slash(channel, "upload", file=(name, sample_bytes(name)), **SAMPLE_OPTIONS[name])
        [ids[name]] = ids_in(result)
    return ids


def stored_texts(env: simcord.Env, guild) -> dict[str, str]:
    """Article id -> stored text, for every article of the guild's corpus."""
    engine = env.bot.hub.engine(guild.id)
    return {a.article_id: engine.show(a.article_id)[1] for a in engine.articles()}


@contextmanager
def read_only(env: simcord.Env, room):
    """For a server that several tests share: the test fails if it changed what is stored."""
    engine = env.bot.hub.engine(room.guild.id)
    before = engine.articles()
    yield room
    assert engine.articles() == before, "a test changed a shared server's articles: give it a newsroom of its own"


def assert_every_message_fits_and_quotes_verbatim(env: simcord.Env) -> int:
    """Every message the bot has in any server fits Discord, and each of its quotes is a slice
    of an article stored in that server; returns how many quotes were checked."""
    checked = 0
    for guild in env._guilds:
        messages = list(bot_messages(env, guild))
        for message in messages:
            assert_fits_discord(message)
        embeds = all_embeds(messages)
        if any(quoted_passages(e) for e in embeds):
            checked += assert_quotes_verbatim(embeds, stored_texts(env, guild))
    return checked


# -- fixtures (a plugin: tests/conftest.py lists this module in pytest_plugins) ---------------


@pytest.fixture(scope="module")
def bot_settings(tmp_path_factory) -> BotSettings:
    """The settings of the module's bot; a module that needs others defines its own."""
    return make_settings(tmp_path_factory.mktemp("bot-home"))


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot_env(bot_settings):
    """One bot for the test module (its tests must be marked ``asyncio(loop_scope="module")``)."""
    async with running_bot(bot_settings) as env:
        yield env


@pytest.fixture()
def expected_errors() -> list[str]:
    """Texts of the exceptions a test provokes on purpose: ``env`` lets those pass."""
    return []


@pytest.fixture()
def env(bot_env, expected_errors):
    """The module's bot for one test; after it, nothing unexpected reached the tree's error
    handler, and every message the bot has sent fits Discord with verbatim quotes."""
    cursor = bot_env.error_cursor
    yield bot_env
    failures = [e for e in bot_failures(bot_env, cursor)
                if not any(text in str(getattr(e, "original", e)) for text in expected_errors)]
    _ = bot_env.errors  # reading them acknowledges them: running_bot's last check skips them
    assert not failures, failures
    assert_every_message_fits_and_quotes_verbatim(bot_env)


@pytest.fixture()
def newsroom(env) -> Newsroom:
    """A new server for this test alone."""
    return Newsroom(env)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def _sample_desk(bot_env) -> Newsroom:
    desk = Newsroom(bot_env, "Sample desk")
    desk.ids = await upload_samples(desk.reporter, desk.general)
    return desk


@pytest.fixture()
def sample_desk(_sample_desk, env) -> Newsroom:
    """The module's server holding the three sample articles (``.ids``), read-only."""
    with read_only(env, _sample_desk):
        yield _sample_desk
