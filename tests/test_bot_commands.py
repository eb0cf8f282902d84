"""The Discord bot, driven through SimCord: real discord.py, simulated Discord.

One bot for the whole module (a temporary SOURCEDESK home); the tests share its
servers and run in file order. The last test re-reads every message the bot sent in
this module and checks each quote against the stored article text.
"""
from __future__ import annotations

import json
import re
import threading

import pytest
import pytest_asyncio
from tests.bot_fixtures import (
    ORIGINAL,
    REWRITE_DATED,
    REWRITE_UNDATED,
    SAMPLE_OPTIONS,
    Newsroom,
    all_embeds,
    assert_fits_discord,
    assert_quotes_verbatim,
    bot_failures,
    bot_messages,
    deferred,
    ids_in,
    make_settings,
    messages_of,
    quotes_in,
    running_bot,
    sample_bytes,
    snapshot,
    text_of,
)
from simcord import SetupError
from simcord.backend.errors import OptionError

from bot.render_analysis import compare_rows

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.slow]

# article id -> stored text, for every article any test uploaded (the final check reads it)
TEXTS: dict[str, str] = {}


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def env(tmp_path_factory):
    async with running_bot(make_settings(tmp_path_factory.mktemp("bot-home"))) as env:
        yield env


@pytest.fixture(scope="module")
def world(env):
    w = Newsroom(env)
    # a second newsroom: nothing uploaded there must ever show up in the first one
    w.other = env.create_guild("Other desk")
    w.other_general = w.other.create_text_channel("general")
    w.outsider = w.other.add_member(env.create_user("outsider"))
    return w


EXPECTED_ERRORS: list[str] = []  # texts of exceptions a test provokes on purpose


@pytest.fixture(autouse=True)
def no_bot_errors(env):
    """The bot handled every interaction without an exception."""
    cursor = env.error_cursor
    yield
    errors = [e for e in bot_failures(env, cursor)
              if not any(text in str(getattr(e, "original", e)) for text in EXPECTED_ERRORS)]
    assert not errors



def remember(env, guild, article_ids) -> None:
    engine = env.bot.hub.engine(guild.id)
    for aid in article_ids:
        TEXTS[aid] = engine.show(aid)[1]


async def upload(env, member, channel, name: str, data: bytes, **options):
    result = await member.slash(channel, "upload", file=(name, data), **options)
    remember(env, member.guild, ids_in(result))
    return result


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def sample_ids(env, world) -> dict[str, str]:
    """All three sample articles uploaded in the newsroom, with the manifest's metadata."""
    ids = {}
    for name in (ORIGINAL, REWRITE_DATED, REWRITE_UNDATED):
        result = await upload(env, world.reporter, world.general, name, sample_bytes(name), **SAMPLE_OPTIONS[name])
        found = ids_in(result)
        assert len(found) == 1, text_of(all_embeds(messages_of(result)))
        ids[name] = found[0]
    return ids


# -- upload and sources ----------------------------------------------------------------------


async def test_upload_then_sources_returns_quotes_with_outlet_and_date(env, world):
    guild = env.create_guild("Desk A")
    channel = guild.create_text_channel("general")
    alice = guild.add_member(env.create_user("alice"))

    result = await upload(env, alice, channel, ORIGINAL, sample_bytes(ORIGINAL),
                          outlet="The Mail on Sunday", published="2026-01-12")
    assert deferred(env, result) and not result.ephemeral  # colleagues see what was added
    receipt = text_of(result.response.embeds)
    assert "added" in receipt and "The Mail on Sunday" in receipt and "2026-01-12" in receipt
    assert "passages: 26" in receipt
    [article_id] = ids_in(result)

    again = await alice.slash(channel, "upload", file=(ORIGINAL, sample_bytes(ORIGINAL)))
    assert "duplicate" in again.response.content and f"duplicate of: `{article_id}`" in text_of(again.response.embeds)

    answer = await alice.slash(channel, "sources", claim="Trump ordered special forces to plan an invasion of Greenland")
    assert deferred(env, answer) and not answer.ephemeral
    message = answer.response
    assert message.embeds, message.content
    # The claim card: the verdict in fixed words first, then entries headed by outlet, date,
    # label and short id; the unknown link, title and authors are left out, not shown as "unknown".
    assert message.content.startswith("**Found: ") and "first dated: The Mail on Sunday, 2026-01-12." in message.content
    entries = [f for e in message.embeds for f in e.fields]
    assert entries
    for entry in entries:
        assert re.fullmatch(rf"The Mail on Sunday · 2026-01-12 · (verbatim|close|related)( · reported)? · "
                            rf"`{article_id[:8]}`", entry.name), entry.name
        metadata = [line for line in entry.value.split("\n") if not line.startswith("> ")]
        assert metadata == ["by GLEN OWEN, DAN HODGES"]  # no "unknown", no link: the file gives none
    assert assert_quotes_verbatim(message.embeds, TEXTS) == len(entries)
    assert any("special forces commanders" in q for f in entries for q in quotes_in(f.value))


def entries_of(pages) -> list:
    return [f for page in pages for e in page.embeds for f in e.fields]


async def test_sources_is_a_claim_card_led_by_the_closest_passage_and_pages(env, world, sample_ids):
    claim = "the joint chiefs of staff oppose the plan"
    result = await world.reporter.slash(world.general, "sources", claim=claim, limit=50)
    message = result.response
    pages = [snapshot(message)]
    # The near-exact statement leads page 1 (issue 13: it used to land on page 2).
    first_entry = pages[0].embeds[0]
    assert not first_entry.title.startswith("related")
    assert any("the joint chiefs of staff oppose it" in q for f in first_entry.fields for q in quotes_in(f.value))
    assert pages[0].content.startswith("**Found: ")
    total = int(re.search(r"page 1/(\d+)", pages[0].content).group(1))
    assert total >= 2  # 50 passages do not fit one message
    for n in range(2, total + 1):
        turned = await world.reporter.click(message, label="Next")
        assert turned.response.id == message.id  # the same message, edited
        pages.append(snapshot(turned.response))
        assert f"page {n}/{total}" in pages[-1].content
    with pytest.raises(SetupError):  # the Next button is disabled on the last page
        await world.reporter.click(message, label="Next")
    back = await world.reporter.click(message, label="Previous")
    assert f"page {total - 1}/{total}" in back.response.content
    stranger = await world.colleague.click(message, label="Next")
    assert stranger.ephemeral and "only the person" in stranger.response.content

    engine_answer = env.bot.hub.engine(world.guild.id).sources(claim, limit=50)
    shown = [(f.name, quotes_in(f.value)[0]) for f in entries_of(pages)]
    assert len(shown) == len(engine_answer.results)  # every passage once, none lost between pages
    unmatched = list(engine_answer.results)
    for name, quote in shown:  # a long quote may be shortened, never altered
        hit = next(h for h in unmatched if h.article.article_id[:8] in name and quote in h.quote.text)
        unmatched.remove(hit)
    # Related passages come after the statements, in a section that says they do not state it.
    titles = [e.title for page in pages for e in page.embeds]
    related = [i for i, t in enumerate(titles) if t.startswith("related")]
    assert related and related == list(range(related[0], len(titles)))
    for page in pages:
        assert_fits_discord(page)
        assert_quotes_verbatim(page.embeds, TEXTS)


async def test_sources_outlet_filter_ignores_case_offers_outlets_and_says_when_it_matches_nothing(env, world,
                                                                                                  sample_ids):
    claim = "the joint chiefs of staff oppose the plan"
    typed = await world.reporter.slash(world.general, "sources", claim=claim, outlet="mail on sunday", limit=5)
    entries = entries_of([typed.response])
    assert entries and all(f.name.startswith("The Mail on Sunday · ") for f in entries)
    assert "outlet: The Mail on Sunday" in typed.response.content
    choices = await world.reporter.autocomplete(world.general, "sources", "outlet", "MAIL")
    assert [c["value"] for c in choices] == ["The Mail on Sunday"]
    listed = await world.reporter.slash(world.general, "articles", outlet="the mail on sunday")
    assert sample_ids[ORIGINAL] in text_of(listed.response.embeds)
    nowhere = await world.reporter.slash(world.general, "sources", claim=claim, outlet="Daily Planet")
    assert nowhere.response.content.startswith("**No stored article is from an outlet named “Daily Planet”.")
    assert not nowhere.response.embeds


async def test_search_finds_the_exact_phrase(env, world, sample_ids):
    result = await world.reporter.slash(world.general, "search", text="Stephen Miller")
    assert deferred(env, result)
    embeds = result.response.embeds
    entries = [f for e in embeds for f in e.fields]
    assert entries and all(e.title.startswith("contains the words") for e in embeds)
    for entry in entries:
        [quote] = quotes_in(entry.value)
        assert "Stephen Miller" in quote and " · verbatim · " in entry.name
    assert assert_quotes_verbatim(embeds, TEXTS) == len(entries)

    none = await world.reporter.slash(world.general, "search", text="Zanzibar marmalade")
    assert "0 passages" in none.response.content and not none.response.embeds


async def test_article_shows_metadata_and_opening_passage(env, world, sample_ids):
    article_id = sample_ids[REWRITE_DATED]
    result = await world.reporter.slash(world.general, "article", id=article_id[:8])
    assert deferred(env, result)
    [embed] = result.response.embeds
    fields = {f.name: f.value for f in embed.fields}
    assert embed.author.name == "unknown"  # no outlet
    assert embed.title == "article from 2026-02-09"  # no headline: named by its date (issue 13)
    assert fields["date"] == "2026-02-09" and fields["authors"] == "unknown" and fields["link"] == "unknown"
    opening = env.bot.hub.engine(world.guild.id).passages(article_id)[0]
    assert quotes_in(embed.description) == [opening.text]
    assert article_id in embed.footer.text


async def test_autocomplete_offers_titles_and_outlets_with_ids_as_values(env, world, sample_ids):
    choices = await world.reporter.autocomplete(world.general, "article", "id", "exclusive")
    assert [c["value"] for c in choices] == [sample_ids[REWRITE_UNDATED]]
    assert choices[0]["name"].startswith("Exclusive: Inside Sources")
    by_outlet = await world.reporter.autocomplete(world.general, "compare", "a", "mail on sunday")
    assert [c["value"] for c in by_outlet] == [sample_ids[ORIGINAL]]
    everything = await world.reporter.autocomplete(world.general, "lineage", "article", "")
    assert {c["value"] for c in everything} >= set(sample_ids.values())
    assert all(1 <= len(c["name"]) <= 100 for c in everything)


async def test_articles_lists_recent_articles_and_pages(env, world, sample_ids):
    result = await world.reporter.slash(world.general, "articles")
    assert deferred(env, result)
    listing = text_of(result.response.embeds)
    for article_id in sample_ids.values():
        assert article_id in listing
    filtered = await world.reporter.slash(world.general, "articles", outlet="The Mail on Sunday")
    text = text_of(filtered.response.embeds)
    assert sample_ids[ORIGINAL] in text and sample_ids[REWRITE_DATED] not in text

    # 23 more articles in another server: three pages of ten
    guild = env.create_guild("Archive")
    channel = guild.create_text_channel("general")
    archivist = guild.add_member(env.create_user("archivist"))
    lines = [json.dumps({"text": f"Archive note {i}.\n\nThe archive holds report number {i} about the harbour.",
                         "title": f"Report {i}", "outlet": "Archive Weekly", "published": f"2025-01-{i + 1:02d}"})
             for i in range(23)]
    added = await upload(env, archivist, channel, "archive.jsonl", "\n".join(lines).encode())
    assert "23 added" in added.response.content
    first = await archivist.slash(channel, "articles")
    assert "1–10" in first.response.content
    second = await archivist.click(first.response, label="Next")
    assert deferred(env, second) and "11–20" in second.response.content
    third = await archivist.click(first.response, label="Next")
    assert "21–23 (end)" in third.response.content
    assert len(third.response.embeds[0].fields) == 3


async def test_help_lists_every_command_with_its_description(env, world):
    result = await world.reporter.slash(world.general, "help")
    assert result.ephemeral
    text = text_of(result.response.embeds)
    for usage in ("/sources claim [outlet] [limit]", "/compare a b", "/lineage article", "/search text",
                  "/article id", "/articles [outlet]", "/upload file", "/remove article", "/help", "Find sources"):
        assert usage in text
    assert "Who states a claim: found or not, the outlets that state it earliest first" in text
    assert "The claim or question to find the passages that state it" in text
    assert "#sourcedesk-inbox" in text
    # the first five minutes lead: what to upload, what to ask, what the labels mean, and
    # when this server's digest runs (everyone may read it; /digest itself is for managers)
    start = result.response.embeds[0]
    assert start.title == "sourcedesk: start here"
    assert [f.name for f in start.fields] == ["1 · Add articles", "2 · Ask", "3 · What the labels mean"]
    assert ".jsonl" in start.fields[0].value and "**close** the claim in other words" in start.fields[2].value
    assert re.fullmatch(r"this server: \d+ articles · \d+ passages", start.footer.text)
    assert result.response.embeds[1].title == "Daily digest"
    assert_fits_discord(snapshot(result.response))


# -- context menu and inbox ----------------------------------------------------------------------


async def test_find_sources_context_menu_quotes_the_message_claim(env, world, sample_ids):
    said = await world.colleague.send(world.general, "Did the joint chiefs of staff resist the Greenland plan?")
    result = await world.reporter.context_menu(world.general, "Find sources", said)
    # The card is a reply to the message it answers, seen by the channel; the asker gets a note.
    assert deferred(env, result) and result.ephemeral and "reply to the message" in messages_of(result)[-1].content
    reply = next(m for m in world.general.history() if m.reference and m.reference.message_id == said.id)
    assert reply.author.id == env.bot.user.id and reply.embeds
    assert reply.content.startswith("**")  # the verdict leads
    assert assert_quotes_verbatim(reply.embeds, TEXTS) > 0

    only_file = await world.colleague.send(world.general, "", attachments=[("notes.txt", b"hello")])
    empty = await world.reporter.context_menu(world.general, "Find sources", only_file)
    assert empty.ephemeral and not deferred(env, empty) and "no text" in empty.response.content


async def test_find_sources_where_the_bot_may_not_post_answers_the_asker_privately(env, world, sample_ids):
    import discord

    quiet = world.guild.create_text_channel(
        "read-only", overwrites={env.bot.user: discord.PermissionOverwrite(send_messages=False)})
    said = await world.colleague.send(quiet, "Did the joint chiefs of staff resist the Greenland plan?")
    cursor = env.error_cursor
    result = await world.reporter.context_menu(quiet, "Find sources", said)
    # the reply is refused (missing permission): the card goes to the asker instead, nothing lost
    assert result.ephemeral and deferred(env, result)
    card = messages_of(result)[-1]
    assert card.content.startswith("**Found: ") and assert_quotes_verbatim(card.embeds, TEXTS) > 0
    assert not [m for m in quiet.history() if m.author.id == env.bot.user.id]
    assert bot_failures(env, cursor) == []


async def test_inbox_file_gets_a_reaction_and_a_thread_reply_with_metadata(env, world):
    text = ("Harbour board votes\n\nThe harbour board voted on Monday to extend the northern pier by 300 metres. "
            "Chair Ines Alvarez said the extension \"would double the ferry capacity\".\n")
    posted = await world.reporter.send(world.inbox, "outlet: Coast Gazette\npublished: 2026-03-02",
                                       attachments=[("harbour.txt", text.encode())])
    message = next(m for m in world.inbox.history() if m.id == posted.id)
    assert [str(r.emoji) for r in message.reactions] == ["✅"]
    [thread] = world.inbox.threads
    [reply] = thread.history()
    body = text_of(reply.embeds)
    assert "added" in body and "Coast Gazette" in body and "2026-03-02" in body and "harbour.txt" in body
    remember(env, world.guild, re.findall(r"id: `([0-9a-f]{16})`", body))

    bad = await world.reporter.send(world.inbox, "", attachments=[("scan.pdf", bytes(range(256)) * 8)])
    reactions = [str(r.emoji) for r in next(m for m in world.inbox.history() if m.id == bad.id).reactions]
    assert reactions == ["❌"]
    bad_thread = next(t for t in world.inbox.threads if "scan.pdf" in t.name)
    [error] = bad_thread.history()
    assert "rejected" in error.content and "reason:" in text_of(error.embeds)

    # messages elsewhere, and inbox messages without files, are left alone
    await world.reporter.send(world.general, "", attachments=[("ignored.txt", text.encode())])
    await world.reporter.send(world.inbox, "just chatting")
    assert len(world.inbox.threads) == 2 and not world.general.threads


# -- errors ----------------------------------------------------------------------------------------


async def test_binary_upload_is_rejected_with_the_reason(env, world):
    result = await world.reporter.slash(world.general, "upload", file=("photo.txt", bytes(range(256)) * 40))
    assert not result.ephemeral  # the channel sees the receipt, rejections included
    private = await world.reporter.slash(world.general, "upload", file=("photo.txt", bytes(range(256)) * 40),
                                         private=True)
    assert private.ephemeral and "1 rejected" in private.response.content
    assert "1 rejected" in result.response.content
    assert "reason:" in text_of(result.response.embeds)


async def test_invalid_options_get_ephemeral_errors(env, world):
    bad_url = await world.reporter.slash(world.general, "upload", file=("a.txt", b"Some words here. More words."),
                                         url="not a link")
    assert bad_url.ephemeral and not deferred(env, bad_url) and "url" in bad_url.response.content
    bad_date = await world.reporter.slash(world.general, "upload",
                                          file=("a.txt", b"A council met today. It approved a budget."),
                                          published="the day after tomorrow")
    assert not bad_date.ephemeral and "could not read date" in text_of(bad_date.response.embeds)
    with pytest.raises(OptionError, match="at most 2000 characters"):  # the client refuses it (max_length)
        await world.reporter.slash(world.general, "sources", claim="word " * 500)


async def test_unknown_article_id_is_an_ephemeral_error(env, world, sample_ids):
    for command, options in (("article", {"id": "0123456789abcdef"}),
                             ("lineage", {"article": "nonexistent"}),
                             ("compare", {"a": sample_ids[ORIGINAL], "b": "feedfacefeedface"})):
        result = await world.reporter.slash(world.general, command, **options)
        assert result.ephemeral and not deferred(env, result), command
        assert "unknown article id" in result.response.content
    result = await world.editor.slash(world.general, "remove", article="0123456789abcdef")
    assert result.ephemeral and "unknown article id" in messages_of(result)[-1].content


async def test_commands_are_guild_only_so_discord_hides_them_in_direct_messages(env, world):
    registered = await env.bot.http.get_global_commands(env.bot.application_id)
    assert registered
    for command in registered:  # every command, the message menu included
        assert command["contexts"] == [0] and command["dm_permission"] is False, command["name"]
    user = env.create_user("dm-user")
    world.guild.add_member(user)
    with pytest.raises(SetupError, match="context"):
        await user.slash("sources", claim="anything")


async def test_remove_is_for_managers_only(env, world):
    text = b"Ferry strike\n\nFerry crews walked out on Friday over rosters. The union said talks would resume."
    added = await upload(env, world.reporter, world.general, "ferry.txt", text)
    [article_id] = ids_in(added)

    refused = await world.reporter.slash(world.general, "remove", article=article_id)
    assert refused.ephemeral and not deferred(env, refused) and "only managers" in refused.response.content
    assert env.bot.hub.engine(world.guild.id).article(article_id)

    removed = await world.editor.slash(world.general, "remove", article=article_id)  # a manager role
    assert removed.ephemeral and f"`{article_id}`" in messages_of(removed)[-1].content
    gone = await world.reporter.slash(world.general, "article", id=article_id)
    assert gone.ephemeral and "unknown article id" in gone.response.content

    again = await upload(env, world.reporter, world.general, "ferry.txt", text)
    by_permission = await world.admin.slash(world.general, "remove", article=ids_in(again)[0])  # Manage Server
    assert "removed" in messages_of(by_permission)[-1].content


# -- isolation ---------------------------------------------------------------------------------------


async def test_servers_never_see_each_others_articles(env, world, sample_ids):
    secret = (b"Lighthouse sale\n\nThe county quietly sold the Marrow Point lighthouse to a private buyer. "
              b"The sale price of the lighthouse was not disclosed.")
    added = await upload(env, world.outsider, world.other_general, "lighthouse.txt", secret, outlet="Point Herald")
    [secret_id] = ids_in(added)

    here = await world.outsider.slash(world.other_general, "search", text="Marrow Point lighthouse")
    assert secret_id[:8] in text_of(here.response.embeds)

    claim = "The county sold the Marrow Point lighthouse"
    for command, options in (("sources", {"claim": claim}), ("search", {"text": "Marrow Point lighthouse"}),
                             ("articles", {}), ("articles", {"outlet": "Point Herald"})):
        result = await world.reporter.slash(world.general, command, **options)
        shown = (result.response.content or "") + text_of(all_embeds(messages_of(result)))
        for echoed in options.values():  # the answer repeats the query itself
            shown = shown.replace(echoed, "")
        assert secret_id[:8] not in shown and "Point Herald" not in shown and "Marrow" not in shown
    choices = await world.reporter.autocomplete(world.general, "article", "id", "")
    assert secret_id not in {c["value"] for c in choices}
    hidden = await world.reporter.slash(world.general, "article", id=secret_id)
    assert hidden.ephemeral and "unknown article id" in hidden.response.content

    outsider_sources = await world.outsider.slash(world.other_general, "sources", claim="joint chiefs of staff")
    assert not any(aid[:8] in text_of(outsider_sources.response.embeds) for aid in sample_ids.values())


# -- compare and lineage ---------------------------------------------------------------------------


async def test_compare_shows_verbatim_reworded_one_sided_and_changed_quotes(env, world, sample_ids):
    pytest.importorskip("index.compare.comparison")
    a, b = sample_ids[ORIGINAL], sample_ids[REWRITE_DATED]
    result = await world.reporter.slash(world.general, "compare", a=a, b=b)
    assert deferred(env, result)
    message = result.response
    pages = [snapshot(message)]
    while "page" in pages[-1].content and not re.search(r"page (\d+)/\1\b", pages[-1].content):
        pages.append(snapshot((await world.reporter.click(message, label="Next")).response))
    head = pages[0].embeds[0]
    fields = {f.name: f.value for f in head.fields}
    assert "B from A:" in fields["reuse"] and "%" in fields["reuse"]
    assert a[:8] in head.footer.text and b[:8] in head.footer.text  # short ids: they resolve by prefix
    titles = {e.title.replace(" (continued)", "") for p in pages for e in p.embeds}
    engine_result = env.bot.hub.engine(world.guild.id).compare(a, b)
    # each change once: quotation changes inside a pair are shown as that pair
    _, change_rows = compare_rows(engine_result)
    expected = {"Compare"}
    expected |= {"Verbatim"} if any(p.kind == "verbatim" for p in engine_result.pairs) else set()
    expected |= {"Reworded"} if any(p.kind == "reworded" for p in engine_result.pairs) else set()
    expected |= {"Only in A"} if engine_result.only_a else set()
    expected |= {"Only in B"} if engine_result.only_b else set()
    expected |= {"Changed quotes"} if change_rows else set()
    assert titles == expected
    shown = sum(len(quotes_in(f.value)) for p in pages for e in p.embeds for f in e.fields)
    assert shown == 2 * len(engine_result.pairs) + 2 * len(change_rows) + len(
        engine_result.only_a) + len(engine_result.only_b)
    for page in pages:
        assert_fits_discord(page)
        assert_quotes_verbatim(page.embeds, TEXTS)


async def test_compare_attaches_the_side_by_side_page(env, world, sample_ids):
    from tests.test_compare_page import assert_page_is_faithful

    a, b = sample_ids[ORIGINAL], sample_ids[REWRITE_DATED]
    result = await world.reporter.slash(world.general, "compare", a=a, b=b)
    assert deferred(env, result)
    files = result.response.attachments
    assert [f.filename for f in files] == [f"compare-{a}-{b}.html"]
    parsed = assert_page_is_faithful((await files[0].read()).decode("utf-8"), TEXTS)
    assert parsed.rows.count("pair") == len(env.bot.hub.engine(world.guild.id).compare(a, b).pairs)
    assert result.response.embeds[0].title == "Compare"  # the summary embed is still there


@pytest.mark.parametrize("failure", ["raises", "too large"])
async def test_compare_answers_with_embeds_only_when_the_page_fails(env, world, sample_ids, monkeypatch, failure):
    from bot.cogs import analysis

    limit = env.bot.get_guild(world.guild.id).filesize_limit  # the guild's upload limit

    def broken(result):
        if failure == "raises":
            raise RuntimeError("page builder broke")
        return "x" * (limit + 1)

    monkeypatch.setattr(analysis, "compare_page", broken)
    a, b = sample_ids[ORIGINAL], sample_ids[REWRITE_DATED]
    result = await world.reporter.slash(world.general, "compare", a=a, b=b)
    assert result.response.attachments == []
    assert result.response.embeds and result.response.embeds[0].title == "Compare"
    assert_fits_discord(snapshot(result.response))


async def test_lineage_shows_origin_and_related_articles(env, world, sample_ids):
    pytest.importorskip("index.stories.lineage")
    result = await world.reporter.slash(world.general, "lineage", article=sample_ids[REWRITE_UNDATED])
    assert deferred(env, result)
    message = result.response
    head = message.embeds[0]
    fields = {f.name: f.value for f in head.fields}
    expected = env.bot.hub.engine(world.guild.id).lineage(sample_ids[REWRITE_UNDATED])
    assert expected.origin and fields["origin"].startswith(f"`{expected.origin[:8]}` · ")  # short id and name
    text = text_of(message.embeds)
    for entry in expected.related:
        assert entry.article.article_id in text and entry.relation in text
    assert_fits_discord(message)


async def test_lineage_attaches_the_story_picture(env, world, sample_ids):
    from tests.test_pictures import assert_small_png

    article = sample_ids[REWRITE_UNDATED]
    result = await world.reporter.slash(world.general, "lineage", article=article)
    assert deferred(env, result)
    files = result.response.attachments
    assert [f.filename for f in files] == [f"lineage-{article}.png"]
    assert_small_png(await files[0].read())
    assert result.response.embeds  # next to the embeds, not instead of them
    assert_fits_discord(snapshot(result.response))


async def test_lineage_answers_with_embeds_only_when_the_picture_fails(env, world, sample_ids, monkeypatch):
    from bot import pictures

    def broken(result):
        raise RuntimeError("matplotlib broke")

    monkeypatch.setattr(pictures, "lineage_png", broken)
    cursor = env.error_cursor
    result = await world.reporter.slash(world.general, "lineage", article=sample_ids[REWRITE_UNDATED])
    assert deferred(env, result)
    assert result.response.attachments == []
    expected = env.bot.hub.engine(world.guild.id).lineage(sample_ids[REWRITE_UNDATED])
    assert expected.origin in text_of(result.response.embeds)
    assert bot_failures(env, cursor) == []  # nothing reached the tree's error handler


async def test_found_sources_attach_the_claim_timeline_and_answer_without_it_when_drawing_fails(
        env, world, sample_ids, monkeypatch):
    from tests.test_pictures import assert_small_png

    from bot import pictures
    from index.pictures.claim_timeline import timeline_data

    claim = "Trump ordered special forces to plan an invasion of Greenland"
    result = await world.reporter.slash(world.general, "sources", claim=claim)
    files = result.response.attachments
    assert [f.filename for f in files] == ["claim-timeline.png"]
    assert_small_png(await files[0].read())
    expected = env.bot.hub.engine(world.guild.id).sources(claim)
    assert len(timeline_data(expected).marks) >= 2  # found in two or more outlets: one mark each
    assert result.response.content.startswith("**Found: ") and result.response.embeds

    said = await world.colleague.send(world.general, claim)  # the menu's reply carries it too
    await world.reporter.context_menu(world.general, "Find sources", said)
    reply = next(m for m in world.general.history() if m.reference and m.reference.message_id == said.id)
    assert [a.filename for a in reply.attachments] == ["claim-timeline.png"]

    not_found = await world.reporter.slash(world.general, "sources", claim="The lighthouse was sold for 2 million")
    assert not_found.response.attachments == []  # nothing states it: no timeline

    def broken(result):
        raise RuntimeError("matplotlib broke")

    monkeypatch.setattr(pictures, "timeline_png", broken)
    cursor = env.error_cursor
    plain = await world.reporter.slash(world.general, "sources", claim=claim)
    assert plain.response.attachments == [] and plain.response.content == result.response.content
    assert assert_quotes_verbatim(plain.response.embeds, TEXTS) > 0
    assert bot_failures(env, cursor) == []  # nothing reached the tree's error handler


# -- responsiveness ----------------------------------------------------------------------------------


async def test_engine_work_runs_off_the_event_loop(env, world, sample_ids, monkeypatch):
    from index.engine import Engine

    threads = []
    original = Engine.sources

    def spy(self, *args, **kwargs):
        threads.append(threading.current_thread())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Engine, "sources", spy)
    result = await world.reporter.slash(world.general, "sources", claim="NATO summit")
    assert deferred(env, result) and threads and all(t is not threading.main_thread() for t in threads)


async def test_unexpected_errors_get_a_short_ephemeral_reply(env, world, sample_ids, monkeypatch):
    from index.engine import Engine

    def broken(self, *args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Engine, "search_phrase", broken)
    EXPECTED_ERRORS.append("disk on fire")
    result = await world.reporter.slash(world.general, "search", text="Greenland")
    assert "internal error" in messages_of(result)[-1].content
    assert "disk on fire" not in messages_of(result)[-1].content
    errors = env.errors  # SimCord saw the exception reach the tree's error handler
    assert any("disk on fire" in str(getattr(e, "original", e)) for e in errors)


async def test_page_buttons_are_disabled_when_the_view_times_out(env, world, sample_ids):
    from bot.views import PAGER_TIMEOUT_S

    result = await world.reporter.slash(world.general, "sources", claim="NATO summit in July", limit=50)
    def buttons():
        message = next(m for m in world.general.history() if m.id == result.response.id)
        return {b.label: b.disabled for row in message.components for b in row.children}

    assert buttons() == {"Previous": True, "Next": False}
    await env.advance_time(PAGER_TIMEOUT_S + 1)
    assert buttons() == {"Previous": True, "Next": True}


# -- everything the bot said in this module ----------------------------------------------------------


async def test_every_quote_the_bot_sent_is_verbatim_and_every_message_fits(env, world):
    checked = 0
    for guild in env._guilds:
        for message in bot_messages(env, guild):
            assert_fits_discord(message)
            checked += assert_quotes_verbatim(message.embeds, TEXTS)
    assert checked >= 20
