"""/edit, "Apply metadata" on duplicate uploads, and names of untitled articles, through
SimCord (real discord.py, simulated Discord). One bot for the module; each test has a new
server of its own (``newsroom``), so the tests pass in any order."""
from __future__ import annotations

import re

import pytest
import pytest_asyncio
from tests.support.bot_world import (
    ORIGINAL,
    REWRITE_DATED,
    assert_fits_discord,
    deferred,
    ids_in,
    messages_of,
    sample_bytes,
    text_of,
)
from simcord import SetupError

from bot.cogs.edit import EditCog

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.slow]


def engine(env, newsroom):
    return env.bot.hub.engine(newsroom.guild.id)


@pytest_asyncio.fixture(loop_scope="module")
async def dated_id(newsroom) -> str:
    """The undated-outlet, untitled rewrite, uploaded by the newsroom's reporter."""
    result = await newsroom.reporter.slash(newsroom.general, "upload",
                                           file=(REWRITE_DATED, sample_bytes(REWRITE_DATED)), published="2026-02-09")
    [article_id] = ids_in(result)
    return article_id


async def test_untitled_article_is_named_by_what_is_known(env, newsroom, dated_id):
    shown = await newsroom.reporter.slash(newsroom.general, "article", id=dated_id)
    [embed] = shown.response.embeds
    assert embed.title == "article from 2026-02-09"
    listing = await newsroom.reporter.slash(newsroom.general, "articles")
    names = [f.name for e in listing.response.embeds for f in e.fields]
    assert "article from 2026-02-09" in names and not any(n.startswith("unknown") for n in names)
    choices = await newsroom.reporter.autocomplete(newsroom.general, "edit", "article", "2026-02")
    assert [(c["name"], c["value"]) for c in choices] == [(f"article from 2026-02-09 · {dated_id[:8]}", dated_id)]
    by_file = await newsroom.reporter.autocomplete(newsroom.general, "article", "id", "001_34ca")  # the file name
    assert [c["value"] for c in by_file] == [dated_id]


async def test_another_reporter_may_not_edit(env, newsroom, dated_id):
    refused = await newsroom.colleague.slash(newsroom.general, "edit", article=dated_id, outlet="Coast Gazette")
    assert refused.ephemeral and not deferred(env, refused)
    assert "only managers and the member who uploaded" in refused.response.content
    assert engine(env, newsroom).article(dated_id).outlet is None and engine(env, newsroom).edits(dated_id) == []


async def test_uploader_edits_and_the_change_shows_everywhere(env, newsroom, dated_id):
    before = engine(env, newsroom).show(dated_id)[1]
    result = await newsroom.reporter.slash(newsroom.general, "edit", article=dated_id, outlet="Coast Gazette",
                                        title="Greenland plan questioned", authors="Ines Alvarez & Tom Reed")
    assert deferred(env, result) and not result.ephemeral  # the channel sees the correction
    message = result.response
    assert "edited" in message.content and "reporter" in message.content
    fields = {f.name: f.value for f in message.embeds[0].fields}
    assert fields == {"outlet": "unknown → Coast Gazette", "title": "unknown → Greenland plan questioned",
                      "authors": "unknown → Ines Alvarez, Tom Reed"}
    assert_fits_discord(message)
    stored = engine(env, newsroom).article(dated_id)
    assert (stored.outlet, stored.title, stored.authors) == ("Coast Gazette", "Greenland plan questioned",
                                                             ["Ines Alvarez", "Tom Reed"])
    assert engine(env, newsroom).show(dated_id)[1] == before
    reporter_key = f"discord:{newsroom.reporter.id}"
    assert {r.editor for r in engine(env, newsroom).edits(dated_id)} == {reporter_key}

    shown = await newsroom.colleague.slash(newsroom.general, "article", id=dated_id)
    [embed] = shown.response.embeds
    assert embed.title == "Greenland plan questioned" and embed.author.name == "Coast Gazette"
    choices = await newsroom.colleague.autocomplete(newsroom.general, "article", "id", "greenland plan")
    assert [c["name"] for c in choices] == ["Greenland plan questioned · Coast Gazette · 2026-02-09"]
    filtered = await newsroom.colleague.slash(newsroom.general, "sources", claim="the joint chiefs oppose the plan",
                                           outlet="Coast Gazette")
    entries = [f for e in filtered.response.embeds for f in e.fields]
    assert entries and all(f.name.startswith("Coast Gazette · 2026-02-09 · ") for f in entries)


async def test_manager_edits_and_bad_input_is_refused_privately(env, newsroom, dated_id):
    done = await newsroom.editor.slash(newsroom.general, "edit", article=dated_id, published="2026-02-10", url="-")
    assert not done.ephemeral
    fields = {f.name: f.value for f in done.response.embeds[0].fields}
    assert fields == {"published": "2026-02-09 → 2026-02-10"}  # the url was already unknown: no change
    assert engine(env, newsroom).edits(dated_id)[-1].editor == f"discord:{newsroom.editor.id}"
    await newsroom.editor.slash(newsroom.general, "edit", article=dated_id, title="Greenland plan questioned",
                                outlet="Coast Gazette")
    cleared = await newsroom.editor.slash(newsroom.general, "edit", article=dated_id, title="-")
    assert {f.name: f.value for f in cleared.response.embeds[0].fields} == {
        "title": "Greenland plan questioned → unknown"}

    for options, message in (({"published": "the day after tomorrow"}, "could not read date"),
                             ({"url": "not a link"}, "http"),
                             ({}, "nothing to change"),
                             ({"outlet": "Coast Gazette"}, "nothing to change")):
        bad = await newsroom.reporter.slash(newsroom.general, "edit", article=dated_id, **options)
        assert bad.ephemeral and not deferred(env, bad) and message in bad.response.content, options
    unknown = await newsroom.reporter.slash(newsroom.general, "edit", article="feedfacefeedface", title="x")
    assert unknown.ephemeral and "unknown article id" in unknown.response.content


async def test_edit_is_guild_only_without_default_permissions_and_in_help(env, newsroom):
    command = env.bot.tree.get_command("edit")
    assert command.default_permissions is None  # uploaders who are not managers must see it
    assert command.guild_only
    options = {o["name"]: o for o in command.to_dict(env.bot.tree)["options"]}
    assert options["title"]["max_length"] == 1000 and options["outlet"]["max_length"] == 300  # the engine's limits
    assert any(isinstance(c, EditCog) for c in env.bot.cogs.values())
    help_text = text_of((await newsroom.reporter.slash(newsroom.general, "help")).response.embeds)
    assert "/edit article [outlet] [title] [url] [published] [authors]" in help_text


async def test_duplicate_upload_offers_to_apply_its_metadata(env, newsroom):
    first = await newsroom.reporter.slash(newsroom.general, "upload", file=(ORIGINAL, sample_bytes(ORIGINAL)))
    [article_id] = ids_in(first)
    assert engine(env, newsroom).article(article_id).outlet is None
    nothing_new = await newsroom.reporter.slash(newsroom.general, "upload", file=(ORIGINAL, sample_bytes(ORIGINAL)))
    assert len(messages_of(nothing_new)) == 1  # a plain duplicate: no offer

    again = await newsroom.reporter.slash(newsroom.general, "upload", file=(ORIGINAL, sample_bytes(ORIGINAL)),
                                       outlet="The Mail on Sunday", authors="GLEN OWEN, DAN HODGES",
                                       url="https://example.org/greenland")
    assert "duplicate" in again.response.content
    offer = messages_of(again)[-1]
    assert offer.ephemeral and "Apply metadata" in offer.content
    assert "outlet: The Mail on Sunday" in offer.content and "url: https://example.org/greenland" in offer.content
    # known already (read from the article's byline and date lines): never offered
    assert "published" not in offer.content and "authors" not in offer.content

    applied = await newsroom.reporter.click(offer, label="Apply metadata")
    assert not applied.ephemeral
    fields = {f.name: f.value for f in messages_of(applied)[-1].embeds[0].fields}
    assert fields == {"outlet": "unknown → The Mail on Sunday", "url": "unknown → https://example.org/greenland"}
    stored = engine(env, newsroom).article(article_id)
    assert (stored.outlet, stored.url) == ("The Mail on Sunday", "https://example.org/greenland")
    with pytest.raises(SetupError):  # applied: the button is disabled
        await newsroom.reporter.click(offer, label="Apply metadata")


async def test_inbox_duplicate_offer_is_for_the_uploader_and_managers(env, newsroom):
    text = ("Harbour board votes\n\nThe harbour board voted on Monday to extend the northern pier by 300 metres. "
            "Chair Ines Alvarez said the extension \"would double the ferry capacity\".\n").encode()
    await newsroom.reporter.send(newsroom.inbox, "", attachments=[("harbour.txt", text)])
    await newsroom.colleague.send(newsroom.inbox, "outlet: Coast Gazette\npublished: 2026-03-02",
                               attachments=[("harbour-copy.txt", text)])
    thread = next(t for t in newsroom.inbox.threads if "harbour-copy.txt" in t.name)
    offer = next(m for m in thread.history() if "Apply metadata" in (m.content or ""))
    assert "outlet: Coast Gazette" in offer.content and "published: 2026-03-02" in offer.content

    refused = await newsroom.colleague.click(offer, label="Apply metadata")  # not the article's uploader
    assert refused.ephemeral and "only managers and the member who uploaded" in refused.response.content
    applied = await newsroom.editor.click(offer, label="Apply metadata")
    assert not applied.ephemeral and "edited" in messages_of(applied)[-1].content
    [article_id] = re.findall(r"article ([0-9a-f]{16})", messages_of(applied)[-1].embeds[0].footer.text)
    stored = engine(env, newsroom).article(article_id)
    assert (stored.outlet, stored.published) == ("Coast Gazette", "2026-03-02")
    assert engine(env, newsroom).uploader(article_id) == f"discord:{newsroom.reporter.id}"  # not the duplicate's poster

