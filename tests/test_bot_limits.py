"""A bot with a small upload limit and an upload role, through SimCord: oversize files,
permissions, and the longest answers we can make still fit Discord's limits. One bot for the
module; each test has a new server (``world``), or reads the module's server of long
articles (``long_desk``), so the tests pass in any order."""
from __future__ import annotations

import json
import re
from dataclasses import replace

import discord
import pytest
import pytest_asyncio
from tests.support.bot_world import (
    assert_fits_discord,
    assert_quotes_verbatim,
    deferred,
    make_settings,
    messages_of,
    quotes_in,
    read_only,
    snapshot,
    stored_texts,
    text_of,
)
from simcord import SetupError

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.slow]

MAX_BYTES = 1_000_000


class World:
    pass


@pytest.fixture(scope="module")
def bot_settings(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("bot-home"), max_file_bytes=MAX_BYTES)
    return replace(settings, upload_roles=("Reporters",))


def new_world(env) -> World:
    """A server with an upload role: a reporter has it, an editor is a manager, a reader neither."""
    w = World()
    w.guild = env.create_guild("Newsroom")
    w.general = w.guild.create_text_channel("general")
    w.inbox = w.guild.create_text_channel("sourcedesk-inbox")
    reporters = w.guild.create_role("Reporters")
    editors = w.guild.create_role("Editors")
    w.reporter = w.guild.add_member(env.create_user("reporter"), roles=[reporters])
    w.editor = w.guild.add_member(env.create_user("editor"), roles=[editors])
    w.reader = w.guild.add_member(env.create_user("reader"))
    return w


@pytest.fixture()
def world(env) -> World:
    return new_world(env)


N_ARTICLES = 12


def article(i: int) -> dict:
    """An article with the longest metadata and passages the index keeps."""
    filler = " ".join(f"w{i}x{k}*_~`|" for k in range(90))  # one ~800-character sentence, Markdown-heavy
    facts = " ".join(f"Witness {k} in report {i} saw the zebra crossing near shop {k * 7 + i}." for k in range(6))
    text = (f"Zebra crossing report {i}.\n\n"
            f"The crossing on Harbour Road number {i} was repainted, officials said {filler}.\n\n{facts}\n")
    return {
        "text": text,
        "title": f"Zebra crossing {i} " + "T" * 600,
        "outlet": f"Outlet {i % 7} " + "O" * 400,
        "url": f"https://news.example.com/{i}/" + "p_" * 1500,
        "published": f"2026-01-{i % 28 + 1:02d}",
        "authors": [f"Author {k} " + "A" * 50 for k in range(30)],
    }


# -- oversize files and permissions -------------------------------------------------------------


async def test_oversize_upload_is_refused_before_download(env, world, monkeypatch):
    downloads = []
    original = discord.Attachment.read

    async def counting_read(self, *args, **kwargs):  # counts downloads, then really downloads
        downloads.append(self.filename)
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(discord.Attachment, "read", counting_read)
    result = await world.reporter.slash(world.general, "upload", file=("big.txt", b"word " * 400_000))
    assert downloads == []
    assert result.ephemeral and not deferred(env, result)
    assert "big.txt is 1.9 MB; the limit is 977 KB" in result.response.content


async def test_oversize_inbox_file_gets_an_error_in_its_thread(env, world, monkeypatch):
    downloads = []
    original = discord.Attachment.read

    async def counting_read(self, *args, **kwargs):
        downloads.append(self.filename)
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(discord.Attachment, "read", counting_read)
    posted = await world.reporter.send(world.inbox, "", attachments=[("huge.txt", b"word " * 400_000),
                                                                     ("small.txt", b"A short note. It has words.")])
    assert downloads == ["small.txt"]
    message = next(m for m in world.inbox.history() if m.id == posted.id)
    assert [str(r.emoji) for r in message.reactions] == ["⚠️"]  # one stored, one refused
    thread = next(t for t in world.inbox.threads if "huge.txt" in t.name)
    reply = text_of(thread.history()[0].embeds)
    assert "huge.txt is 1.9 MB; the limit is 977 KB" in reply and "added · small.txt" in reply


async def test_upload_needs_an_upload_role_or_manager(env, world):
    data = b"Bridge closed\n\nThe old bridge closed on Sunday for repairs. Engineers found cracks in two pillars."
    refused = await world.reader.slash(world.general, "upload", file=("bridge.txt", data))
    assert refused.ephemeral and not deferred(env, refused) and "may not upload" in refused.response.content
    assert "Reporters" in refused.response.content
    allowed = await world.reporter.slash(world.general, "upload", file=("bridge.txt", data))
    assert "1 added" in allowed.response.content
    manager = await world.editor.slash(world.general, "upload", file=("bridge.txt", data))
    assert "1 duplicate" in manager.response.content

    posted = await world.reader.send(world.inbox, "", attachments=[("bridge2.txt", data + b" More.")])
    message = next(m for m in world.inbox.history() if m.id == posted.id)
    assert [str(r.emoji) for r in message.reactions] == ["❌"]
    thread = next(t for t in world.inbox.threads if "bridge2.txt" in t.name)
    assert "may not upload" in text_of(thread.history()[0].embeds)


# -- the longest answers ---------------------------------------------------------------------------


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def _long_desk(bot_env) -> World:
    world = new_world(bot_env)
    lines = "\n".join(json.dumps(article(i)) for i in range(N_ARTICLES)).encode()
    assert len(lines) < MAX_BYTES
    result = await world.reporter.slash(world.general, "upload", file=("long.jsonl", lines))
    assert f"{N_ARTICLES} added" in result.response.content, result.response.content
    pages = [snapshot(result.response)]
    while not re.search(r"page (\d+)/\1\b", pages[-1].content):
        pages.append(snapshot((await world.reporter.click(result.response, label="Next")).response))
    for page in pages:
        assert_fits_discord(page)
    # the receipt shows short ids; each resolves in the server's corpus, as typed into a command
    shown = dict.fromkeys(re.findall(r"`([0-9a-f]{8})`", text_of(e for p in pages for e in p.embeds)))
    stored = [a.article_id for a in bot_env.bot.hub.engine(world.guild.id).articles()]
    world.ids = [next(aid for aid in stored if aid.startswith(short)) for short in shown]
    assert len(world.ids) == N_ARTICLES
    return world


@pytest.fixture()
def long_desk(_long_desk, env) -> World:
    """The module's server of N_ARTICLES long, Markdown-heavy articles (``.ids``), read-only."""
    with read_only(env, _long_desk):
        yield _long_desk


async def page_through(member, message) -> list:
    pages = [snapshot(message)]
    while True:
        try:
            pages.append(snapshot((await member.click(message, label="Next")).response))
        except SetupError:  # the Next button is disabled on the last page
            return pages


async def more_related(desk, message) -> list:
    """The pages behind the card's "More related passages (N)" button (none without one):
    a card shows three related passages, the rest there."""
    sent = next(m for m in desk.general.history() if m.id == message.id)
    labels = [b.label for row in sent.components for b in row.children
              if (b.label or "").startswith("More related passages")]
    if not labels:
        return []
    more = await desk.reporter.click(message, label=labels[0])
    return [snapshot(m) for m in messages_of(more)]


async def test_fifty_results_with_long_metadata_fit_on_pages(env, long_desk):
    texts = stored_texts(env, long_desk.guild)
    for command, options in (("sources", {"claim": "the zebra crossing was repainted", "limit": 50}),
                             ("search", {"text": "saw the zebra crossing", "limit": 50})):
        result = await long_desk.reporter.slash(long_desk.general, command, **options)
        pages = await page_through(long_desk.reporter, result.response) + await more_related(long_desk, result.response)
        embeds = [e for p in pages for e in p.embeds]
        assert sum(len(e.fields) for e in embeds) == 50, command  # one entry per passage
        for page in pages:
            assert_fits_discord(page)
        assert assert_quotes_verbatim(embeds, texts) == 50
    long = await long_desk.reporter.slash(long_desk.general, "search", text="repainted officials said", limit=50)
    pages = await page_through(long_desk.reporter, long.response)
    quotes = [q for p in pages for e in p.embeds for f in e.fields for q in quotes_in(f.value)]
    # the ~800-character sentences, full of Markdown to escape: an entry is an embed field
    # (1,024 characters, escapes included), so each shows at least 500 of their characters
    assert len(quotes) == N_ARTICLES and all(len(q) > 500 for q in quotes)
    for page in pages:
        assert_fits_discord(page)
        assert_quotes_verbatim(page.embeds, texts)


async def test_article_views_with_long_metadata_fit(env, long_desk):
    listing = await long_desk.reporter.slash(long_desk.general, "articles")
    pages = await page_through(long_desk.reporter, listing.response)
    assert len(pages) == 2  # 12 long articles, ten a page
    for page in pages:
        assert_fits_discord(page)
    shown = await long_desk.reporter.slash(long_desk.general, "article", id=long_desk.ids[0])
    assert_fits_discord(shown.response)
    assert_quotes_verbatim(shown.response.embeds, stored_texts(env, long_desk.guild))


async def test_long_compare_and_lineage_fit(env, long_desk):
    compared = await long_desk.reporter.slash(long_desk.general, "compare", a=long_desk.ids[0], b=long_desk.ids[7])
    for page in await page_through(long_desk.reporter, compared.response):
        assert_fits_discord(page)
        assert_quotes_verbatim(page.embeds, stored_texts(env, long_desk.guild))
    lineage = await long_desk.reporter.slash(long_desk.general, "lineage", article=long_desk.ids[0])
    for page in await page_through(long_desk.reporter, lineage.response):
        assert_fits_discord(page)


async def test_autocomplete_names_fit(env, long_desk):
    choices = await long_desk.reporter.autocomplete(long_desk.general, "compare", "b", "zebra")
    assert len(choices) == N_ARTICLES
    assert all(1 <= len(c["name"]) <= 100 and c["value"] in long_desk.ids for c in choices)


async def test_sources_with_markdown_in_the_claim_fits(env, long_desk):
    claim = "*" * 900 + " zebra " + "_" * 900
    result = await long_desk.reporter.slash(long_desk.general, "sources", claim=claim)
    assert_fits_discord(result.response)
    assert isinstance(result.response.embeds[0], discord.Embed)
