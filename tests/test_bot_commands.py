"""The Discord bot, driven through SimCord: real discord.py, simulated Discord.

One bot for the module (a temporary SOURCEDESK home); each test builds the world it needs
from the shared fixtures (tests/support/bot_world.py): a new server of its own
(``newsroom``), or the module's read-only server holding the three sample articles
(``sample_desk``). After every test, ``env`` re-reads every message the bot has sent and
checks each quote against the stored article text, so the tests pass in any order.
"""
from __future__ import annotations

import json
import re
import threading

import pytest
from tests.support.bot_world import (
    ORIGINAL,
    REWRITE_DATED,
    REWRITE_UNDATED,
    all_embeds,
    assert_fits_discord,
    assert_quotes_verbatim,
    bot_failures,
    deferred,
    ids_in,
    messages_of,
    quotes_in,
    sample_bytes,
    snapshot,
    stored_texts,
    text_of,
)
from simcord import SetupError
from simcord.backend.errors import OptionError

from bot.render.analysis import compare_rows

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.slow]


# -- upload and sources ----------------------------------------------------------------------


async def test_upload_then_sources_returns_quotes_with_outlet_and_date(env, newsroom):
    alice, channel = newsroom.reporter, newsroom.general
    result = await alice.slash(channel, "upload", file=(ORIGINAL, sample_bytes(ORIGINAL)),
                               outlet="The Mail on Sunday", published="2026-01-12")
    assert deferred(env, result) and not result.ephemeral  # colleagues see what was added
    receipt = text_of(result.response.embeds)
    assert "added" in receipt and "The Mail on Sunday" in receipt and "2026-01-12" in receipt
    assert "26 passages" in receipt
    [article_id] = ids_in(result)

    again = await alice.slash(channel, "upload", file=(ORIGINAL, sample_bytes(ORIGINAL)))
    assert "duplicate" in again.response.content and f"duplicate of: `{article_id[:8]}`" in text_of(again.response.embeds)

    claim = "Trump ordered special forces to plan an invasion of Greenland"
    answer = await alice.slash(channel, "sources", claim=claim)
    assert deferred(env, answer) and not answer.ephemeral
    message = answer.response
    assert message.embeds, message.content
    # The claim card: the verdict in fixed words first, then entries headed by outlet, date,
    # label and short id; the unknown link, title and authors are left out, not shown as "unknown".
    assert message.content.startswith("**Found: stated by 1 outlet; first: The Mail on Sunday, 2026-01-12.**")
    entries = [f for e in message.embeds for f in e.fields]
    assert entries
    for n, entry in enumerate(entries):
        assert re.fullmatch(rf"The Mail on Sunday · 2026-01-12 · ((headline|standfirst|caption) · )?"
                            rf"(verbatim|close|says the opposite|related)( · (quoted|credited|disputed)(: [^·]+)?)? · "
                            rf"`{article_id[:8]}`", entry.name), entry.name
        # (a blank line parts a passage's context, quoted above it, from the passage)
        metadata = [line for line in entry.value.split("\n") if line and not line.startswith("> ")]
        # the byline once, under the article's first passage; no "unknown", no link: the file gives none
        assert metadata == (["by GLEN OWEN, DAN HODGES"] if n == 0 else [])
    quotes = sum(len(quotes_in(f.value)) for f in entries)  # a passage, and the context above one
    assert quotes >= len(entries)
    assert assert_quotes_verbatim(message.embeds, stored_texts(env, newsroom.guild)) == quotes
    assert any("special forces commanders" in q for f in entries for q in quotes_in(f.value))


def entries_of(pages) -> list:
    return [f for page in pages for e in page.embeds for f in e.fields]


async def test_sources_is_a_claim_card_led_by_the_closest_passage_and_pages(env, sample_desk):
    claim = "the joint chiefs of staff oppose the plan"
    result = await sample_desk.reporter.slash(sample_desk.general, "sources", claim=claim, limit=50)
    message = result.response
    pages = [snapshot(message)]
    # The near-exact statement leads page 1 (issue 13: it used to land on page 2).
    first_entry = pages[0].embeds[0]
    assert not first_entry.title.startswith("related")
    assert any("the joint chiefs of staff oppose it" in q for f in first_entry.fields for q in quotes_in(f.value))
    assert pages[0].content.startswith("**Found: ")
    paged = re.search(r"page 1/(\d+)", pages[0].content)
    total = int(paged.group(1)) if paged else 1
    for n in range(2, total + 1):
        turned = await sample_desk.reporter.click(message, label="Next")
        assert turned.response.id == message.id  # the same message, edited
        pages.append(snapshot(turned.response))
        assert f"page {n}/{total}" in pages[-1].content
    if total > 1:
        with pytest.raises(SetupError):  # the Next button is disabled on the last page
            await sample_desk.reporter.click(message, label="Next")
        back = await sample_desk.reporter.click(message, label="Previous")
        assert f"page {total - 1}/{total}" in back.response.content
        stranger = await sample_desk.colleague.click(message, label="Next")
        assert stranger.ephemeral and "only the person" in stranger.response.content
    # at most three related passages on the card; the others behind "More related passages (N)"
    related_on_card = [f for p in pages for e in p.embeds if e.title.startswith("related") for f in e.fields]
    assert len(related_on_card) <= 3
    sent = next(m for m in sample_desk.general.history() if m.id == message.id)
    more_label = next(b.label for row in sent.components for b in row.children
                      if b.label.startswith("More related passages"))
    more = await sample_desk.colleague.click(message, label=more_label)  # anyone may read them
    assert more.ephemeral and all(m.ephemeral for m in messages_of(more))
    more_pages = [snapshot(m) for m in messages_of(more)]
    assert len(entries_of(more_pages)) == int(re.search(r"\((\d+)\)", more_label).group(1))

    engine_answer = env.bot.hub.engine(sample_desk.guild.id).sources(claim, limit=50)
    # an entry's last block quote is its passage (a "They" passage's context comes before it)
    shown = [(f.name, quotes_in(f.value)[-1]) for f in entries_of(pages + more_pages)]
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
        assert_quotes_verbatim(page.embeds, stored_texts(env, sample_desk.guild))


async def test_sources_outlet_filter_ignores_case_offers_outlets_and_says_when_it_matches_nothing(env, sample_desk):
    claim = "the joint chiefs of staff oppose the plan"
    typed = await sample_desk.reporter.slash(sample_desk.general, "sources", claim=claim, outlet="mail on sunday",
                                             limit=5)
    entries = entries_of([typed.response])
    assert entries and all(f.name.startswith("The Mail on Sunday · ") for f in entries)
    assert "outlet: The Mail on Sunday" in typed.response.content
    choices = await sample_desk.reporter.autocomplete(sample_desk.general, "sources", "outlet", "MAIL")
    assert [c["value"] for c in choices] == ["The Mail on Sunday"]
    listed = await sample_desk.reporter.slash(sample_desk.general, "articles", outlet="the mail on sunday")
    assert f"`{sample_desk.ids[ORIGINAL][:8]}`" in text_of(listed.response.embeds)
    nowhere = await sample_desk.reporter.slash(sample_desk.general, "sources", claim=claim, outlet="Daily Planet")
    assert nowhere.response.content.startswith("**No stored article is from an outlet named “Daily Planet”.")
    assert not nowhere.response.embeds


async def test_search_finds_the_exact_phrase(env, sample_desk):
    result = await sample_desk.reporter.slash(sample_desk.general, "search", text="Stephen Miller")
    assert deferred(env, result)
    embeds = result.response.embeds
    entries = [f for e in embeds for f in e.fields]
    assert entries and all(e.title.startswith("contains the words") for e in embeds)
    for entry in entries:
        [quote] = quotes_in(entry.value)
        assert "Stephen Miller" in quote and " · verbatim · " in entry.name
    assert assert_quotes_verbatim(embeds, stored_texts(env, sample_desk.guild)) == len(entries)

    none = await sample_desk.reporter.slash(sample_desk.general, "search", text="Zanzibar marmalade")
    assert none.response.content.startswith("**Not found: “Zanzibar marmalade” is in no stored passage; searched "
                                            "3 articles from 1 outlet.**") and not none.response.embeds


async def test_article_shows_metadata_and_opening_passage(env, sample_desk):
    article_id = sample_desk.ids[REWRITE_DATED]
    result = await sample_desk.reporter.slash(sample_desk.general, "article", id=article_id[:8])
    assert deferred(env, result)
    [embed] = result.response.embeds
    fields = {f.name: f.value for f in embed.fields}
    assert embed.author.name == "outlet unknown · 2026-02-09"  # no outlet: said so, with the date
    assert embed.title == "article from 2026-02-09"  # no headline: named by its date (issue 13)
    assert fields["authors"] == "unknown" and fields["link"] == "unknown"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d \S+", fields["added"])  # a date and time, not a timestamp
    opening = env.bot.hub.engine(sample_desk.guild.id).passages(article_id)[0]
    assert quotes_in(embed.description) == [opening.text]
    assert article_id[:8] in embed.footer.text and article_id not in embed.footer.text


async def test_autocomplete_offers_titles_and_outlets_with_ids_as_values(env, sample_desk):
    choices = await sample_desk.reporter.autocomplete(sample_desk.general, "article", "id", "exclusive")
    assert [c["value"] for c in choices] == [sample_desk.ids[REWRITE_UNDATED]]
    assert choices[0]["name"].startswith("Exclusive: Inside Sources")
    by_outlet = await sample_desk.reporter.autocomplete(sample_desk.general, "compare", "a", "mail on sunday")
    assert [c["value"] for c in by_outlet] == [sample_desk.ids[ORIGINAL]]
    everything = await sample_desk.reporter.autocomplete(sample_desk.general, "lineage", "article", "")
    assert {c["value"] for c in everything} >= set(sample_desk.ids.values())
    assert all(1 <= len(c["name"]) <= 100 for c in everything)


async def test_articles_lists_recent_articles_and_pages(env, sample_desk, newsroom):
    result = await sample_desk.reporter.slash(sample_desk.general, "articles")
    assert deferred(env, result)
    listing = text_of(result.response.embeds)
    rows = result.response.embeds[0].description.split("\n")  # one line an article
    for article_id in sample_desk.ids.values():
        assert sum(f"`{article_id[:8]}`" in row for row in rows) == 1 and article_id not in listing
    filtered = await sample_desk.reporter.slash(sample_desk.general, "articles", outlet="The Mail on Sunday")
    text = text_of(filtered.response.embeds)
    assert sample_desk.ids[ORIGINAL][:8] in text and sample_desk.ids[REWRITE_DATED][:8] not in text

    # 23 more articles in another server: three pages of ten
    archivist, channel = newsroom.reporter, newsroom.general
    lines = [json.dumps({"text": f"Archive note {i}.\n\nThe archive holds report number {i} about the harbour.",
                         "title": f"Report {i}", "outlet": "Archive Weekly", "published": f"2025-01-{i + 1:02d}"})
             for i in range(23)]
    added = await archivist.slash(channel, "upload", file=("archive.jsonl", "\n".join(lines).encode()))
    assert "23 added" in added.response.content
    first = await archivist.slash(channel, "articles")
    assert "1–10" in first.response.content
    second = await archivist.click(first.response, label="Next")
    assert deferred(env, second) and "11–20" in second.response.content
    third = await archivist.click(first.response, label="Next")
    assert "21–23 (end)" in third.response.content
    assert len(third.response.embeds[0].description.split("\n")) == 3


async def test_help_lists_every_command_with_its_description(env, newsroom):
    result = await newsroom.reporter.slash(newsroom.general, "help")
    assert result.ephemeral
    text = text_of(result.response.embeds)
    for usage in ("/sources claim [outlet] [limit]", "/compare a b", "/lineage article", "/search text",
                  "/article id", "/articles [outlet]", "/upload file", "/remove article", "/help", "Find sources"):
        assert usage in text
    assert "Who states a claim, the first outlet first, each with its exact quote, date and link." in text
    assert "The claim or question to find the passages that state it" not in text  # options: /help command:NAME
    assert "#sourcedesk-inbox" in text
    # the first five minutes lead: what to upload, what to ask, what the labels mean, and
    # this server's state (its articles and the digest; /digest itself is for managers)
    start = result.response.embeds[0]
    assert start.title == "sourcedesk: start here"
    assert [f.name for f in start.fields] == ["Add articles", "Ask", "The labels", "This server"]
    assert ".jsonl" in start.fields[0].value and "**close** the claim in other words" in start.fields[2].value
    assert re.fullmatch(r"0 articles · 0 passages · daily digest: off", start.fields[3].value)
    commands = result.response.embeds[1].description.split("\n")
    assert commands[-1] == "Options of a command: `/help command:NAME`."
    assert_fits_discord(snapshot(result.response))
    one = await newsroom.reporter.slash(newsroom.general, "help", command="sources")
    assert one.ephemeral and one.response.embeds[0].title == "/sources claim [outlet] [limit]"
    assert "• **claim**: The claim or question to find the passages that state it" in one.response.embeds[0].description
    nothing = await newsroom.reporter.slash(newsroom.general, "help", command="nonesuch")
    assert nothing.ephemeral and "no command named 'nonesuch'" in nothing.response.content


# -- context menu and inbox ----------------------------------------------------------------------


async def test_find_sources_context_menu_quotes_the_message_claim(env, sample_desk):
    said = await sample_desk.colleague.send(sample_desk.general,
                                            "Did the joint chiefs of staff resist the Greenland plan?")
    result = await sample_desk.reporter.context_menu(sample_desk.general, "Find sources", said)
    # The card is a reply to the message it answers, seen by the channel; the asker gets a note.
    assert deferred(env, result) and result.ephemeral and "reply to the message" in messages_of(result)[-1].content
    reply = next(m for m in sample_desk.general.history() if m.reference and m.reference.message_id == said.id)
    assert reply.author.id == env.bot.user.id and reply.embeds
    assert reply.content.startswith("**")  # the verdict leads
    assert assert_quotes_verbatim(reply.embeds, stored_texts(env, sample_desk.guild)) > 0

    only_file = await sample_desk.colleague.send(sample_desk.general, "", attachments=[("notes.txt", b"hello")])
    empty = await sample_desk.reporter.context_menu(sample_desk.general, "Find sources", only_file)
    assert empty.ephemeral and not deferred(env, empty) and "no text" in empty.response.content


async def test_find_sources_where_the_bot_may_not_post_answers_the_asker_privately(env, sample_desk):
    import discord

    quiet = sample_desk.guild.create_text_channel(
        "read-only", overwrites={env.bot.user: discord.PermissionOverwrite(send_messages=False)})
    said = await sample_desk.colleague.send(quiet, "Did the joint chiefs of staff resist the Greenland plan?")
    cursor = env.error_cursor
    result = await sample_desk.reporter.context_menu(quiet, "Find sources", said)
    # the reply is refused (missing permission): the card goes to the asker instead, nothing lost
    assert result.ephemeral and deferred(env, result)
    card = messages_of(result)[-1]
    assert card.content.startswith("**Found: ")
    assert assert_quotes_verbatim(card.embeds, stored_texts(env, sample_desk.guild)) > 0
    assert not [m for m in quiet.history() if m.author.id == env.bot.user.id]
    assert bot_failures(env, cursor) == []


async def test_inbox_file_gets_a_reaction_and_a_thread_reply_with_metadata(env, newsroom):
    text = ("Harbour board votes\n\nThe harbour board voted on Monday to extend the northern pier by 300 metres. "
            "Chair Ines Alvarez said the extension \"would double the ferry capacity\".\n")
    posted = await newsroom.reporter.send(newsroom.inbox, "outlet: Coast Gazette\npublished: 2026-03-02",
                                       attachments=[("harbour.txt", text.encode())])
    message = next(m for m in newsroom.inbox.history() if m.id == posted.id)
    assert [str(r.emoji) for r in message.reactions] == ["✅"]
    [thread] = newsroom.inbox.threads
    [reply] = thread.history()
    body = text_of(reply.embeds)
    assert "added" in body and "Coast Gazette" in body and "2026-03-02" in body and "harbour.txt" in body

    bad = await newsroom.reporter.send(newsroom.inbox, "", attachments=[("scan.pdf", bytes(range(256)) * 8)])
    reactions = [str(r.emoji) for r in next(m for m in newsroom.inbox.history() if m.id == bad.id).reactions]
    assert reactions == ["❌"]
    bad_thread = next(t for t in newsroom.inbox.threads if "scan.pdf" in t.name)
    [error] = bad_thread.history()
    assert "rejected" in error.content and "reason:" in text_of(error.embeds)

    # messages elsewhere, and inbox messages without files, are left alone
    await newsroom.reporter.send(newsroom.general, "", attachments=[("ignored.txt", text.encode())])
    await newsroom.reporter.send(newsroom.inbox, "just chatting")
    assert len(newsroom.inbox.threads) == 2 and not newsroom.general.threads


# -- errors ----------------------------------------------------------------------------------------


async def test_binary_upload_is_rejected_with_the_reason(env, newsroom):
    result = await newsroom.reporter.slash(newsroom.general, "upload", file=("photo.txt", bytes(range(256)) * 40))
    assert not result.ephemeral  # the channel sees the receipt, rejections included
    private = await newsroom.reporter.slash(newsroom.general, "upload", file=("photo.txt", bytes(range(256)) * 40),
                                         private=True)
    assert private.ephemeral and "1 rejected" in private.response.content
    assert "1 rejected" in result.response.content
    assert "reason:" in text_of(result.response.embeds)


async def test_invalid_options_get_ephemeral_errors(env, newsroom):
    bad_url = await newsroom.reporter.slash(newsroom.general, "upload", file=("a.txt", b"Some words here. More words."),
                                         url="not a link")
    assert bad_url.ephemeral and not deferred(env, bad_url) and "url" in bad_url.response.content
    bad_date = await newsroom.reporter.slash(newsroom.general, "upload",
                                          file=("a.txt", b"A council met today. It approved a budget."),
                                          published="the day after tomorrow")
    assert not bad_date.ephemeral and "could not read date" in text_of(bad_date.response.embeds)
    with pytest.raises(OptionError, match="at most 2000 characters"):  # the client refuses it (max_length)
        await newsroom.reporter.slash(newsroom.general, "sources", claim="word " * 500)


async def test_unknown_article_id_is_an_ephemeral_error(env, sample_desk):
    for command, options in (("article", {"id": "0123456789abcdef"}),
                             ("lineage", {"article": "nonexistent"}),
                             ("compare", {"a": sample_desk.ids[ORIGINAL], "b": "feedfacefeedface"})):
        result = await sample_desk.reporter.slash(sample_desk.general, command, **options)
        assert result.ephemeral and not deferred(env, result), command
        assert "unknown article id" in result.response.content
    result = await sample_desk.editor.slash(sample_desk.general, "remove", article="0123456789abcdef")
    assert result.ephemeral and "unknown article id" in messages_of(result)[-1].content


async def test_commands_are_guild_only_so_discord_hides_them_in_direct_messages(env, newsroom):
    registered = await env.bot.http.get_global_commands(env.bot.application_id)
    assert registered
    for command in registered:  # every command, the message menu included
        assert command["contexts"] == [0] and command["dm_permission"] is False, command["name"]
    user = env.create_user("dm-user")
    newsroom.guild.add_member(user)
    with pytest.raises(SetupError, match="context"):
        await user.slash("sources", claim="anything")


async def test_remove_is_for_managers_only(env, newsroom):
    text = b"Ferry strike\n\nFerry crews walked out on Friday over rosters. The union said talks would resume."
    added = await newsroom.reporter.slash(newsroom.general, "upload", file=("ferry.txt", text))
    [article_id] = ids_in(added)

    refused = await newsroom.reporter.slash(newsroom.general, "remove", article=article_id)
    assert refused.ephemeral and not deferred(env, refused) and "only managers" in refused.response.content
    assert env.bot.hub.engine(newsroom.guild.id).article(article_id)

    removed = await newsroom.editor.slash(newsroom.general, "remove", article=article_id)  # a manager role
    assert removed.ephemeral and f"`{article_id}`" in messages_of(removed)[-1].content
    gone = await newsroom.reporter.slash(newsroom.general, "article", id=article_id)
    assert gone.ephemeral and "unknown article id" in gone.response.content

    again = await newsroom.reporter.slash(newsroom.general, "upload", file=("ferry.txt", text))
    by_permission = await newsroom.admin.slash(newsroom.general, "remove", article=ids_in(again)[0])  # Manage Server
    assert "removed" in messages_of(by_permission)[-1].content


# -- isolation ---------------------------------------------------------------------------------------


async def test_servers_never_see_each_others_articles(env, sample_desk, newsroom):
    secret = (b"Lighthouse sale\n\nThe county quietly sold the Marrow Point lighthouse to a private buyer. "
              b"The sale price of the lighthouse was not disclosed.")
    other = newsroom  # another server: nothing stored there may ever show up in the sample desk
    added = await other.reporter.slash(other.general, "upload", file=("lighthouse.txt", secret), outlet="Point Herald")
    [secret_id] = ids_in(added)

    here = await other.reporter.slash(other.general, "search", text="Marrow Point lighthouse")
    assert secret_id[:8] in text_of(here.response.embeds)

    claim = "The county sold the Marrow Point lighthouse"
    for command, options in (("sources", {"claim": claim}), ("search", {"text": "Marrow Point lighthouse"}),
                             ("articles", {}), ("articles", {"outlet": "Point Herald"})):
        result = await sample_desk.reporter.slash(sample_desk.general, command, **options)
        shown = (result.response.content or "") + text_of(all_embeds(messages_of(result)))
        for echoed in options.values():  # the answer repeats the query itself
            shown = shown.replace(echoed, "")
        assert secret_id[:8] not in shown and "Point Herald" not in shown and "Marrow" not in shown
    choices = await sample_desk.reporter.autocomplete(sample_desk.general, "article", "id", "")
    assert secret_id not in {c["value"] for c in choices}
    hidden = await sample_desk.reporter.slash(sample_desk.general, "article", id=secret_id)
    assert hidden.ephemeral and "unknown article id" in hidden.response.content

    outsider_sources = await other.reporter.slash(other.general, "sources", claim="joint chiefs of staff")
    assert not any(aid[:8] in text_of(outsider_sources.response.embeds) for aid in sample_desk.ids.values())


# -- compare and lineage ---------------------------------------------------------------------------


async def test_compare_shows_verbatim_reworded_one_sided_and_changed_quotes(env, sample_desk):
    pytest.importorskip("index.compare.comparison")
    a, b = sample_desk.ids[ORIGINAL], sample_desk.ids[REWRITE_DATED]
    result = await sample_desk.reporter.slash(sample_desk.general, "compare", a=a, b=b)
    assert deferred(env, result)
    message = result.response
    pages = [snapshot(message)]
    def paged(page) -> str:  # "page i/n" ends the first embed's footer when there are pages
        return page.embeds[0].footer.text or ""

    while "page" in paged(pages[-1]) and not re.search(r"page (\d+)/\1\b", paged(pages[-1])):
        pages.append(snapshot((await sample_desk.reporter.click(message, label="Next")).response))
    head = pages[0].embeds[0]
    # the finding first: who rewrites whom and how much, then the counts and the most serious change
    assert re.fullmatch(r"B \(outlet unknown, 2026-02-09\) rewrites A \(The Mail on Sunday, 2026-01-12\): "
                        r"\d+% of B comes from A; B credits another outlet: “Daily Mail”; .*", head.title)
    assert a[:8] in head.footer.text and b[:8] in head.footer.text  # short ids: they resolve by prefix
    titles = [e.title.replace(" (continued)", "") for p in pages for e in p.embeds]
    engine_result = env.bot.hub.engine(sample_desk.guild.id).compare(a, b)
    # each change once: quotation changes inside a pair are shown as that pair; pairs
    # without a change are on the attached page only
    rows, change_rows = compare_rows(engine_result)
    changed = [r for r in rows if r.kinds] + change_rows
    expected = {head.title}
    expected |= {"Changes, most serious first"} if len(changed) > 1 else set()
    expected |= {"Only in A"} if engine_result.only_a else set()
    expected |= {"Only in B"} if engine_result.only_b else set()
    assert set(titles) == expected
    assert len(head.fields) == 2  # the most serious changed quotation, A beside B
    shown = sum(len(quotes_in(f.value)) for p in pages for e in p.embeds for f in e.fields)
    assert shown == 2 * len(changed) + len(engine_result.only_a) + len(engine_result.only_b)
    for page in pages:
        assert_fits_discord(page)
        assert_quotes_verbatim(page.embeds, stored_texts(env, sample_desk.guild))


async def test_compare_attaches_the_side_by_side_page(env, sample_desk):
    from tests.test_compare_page import assert_page_is_faithful

    a, b = sample_desk.ids[ORIGINAL], sample_desk.ids[REWRITE_DATED]
    result = await sample_desk.reporter.slash(sample_desk.general, "compare", a=a, b=b)
    assert deferred(env, result)
    files = result.response.attachments
    assert [f.filename for f in files] == [f"compare-{a[:8]}-{b[:8]}.html"]
    parsed = assert_page_is_faithful((await files[0].read()).decode("utf-8"), stored_texts(env, sample_desk.guild))
    assert parsed.rows.count("pair") == len(env.bot.hub.engine(sample_desk.guild.id).compare(a, b).pairs)
    assert result.response.embeds[0].title.startswith("B (")  # the finding embed is still there


@pytest.mark.parametrize("failure", ["raises", "too large"])
async def test_compare_answers_with_embeds_only_when_the_page_fails(env, sample_desk, monkeypatch, failure):
    from bot.cogs import analysis

    limit = env.bot.get_guild(sample_desk.guild.id).filesize_limit  # the guild's upload limit

    def broken(result):
        if failure == "raises":
            raise RuntimeError("page builder broke")
        return "x" * (limit + 1)

    monkeypatch.setattr(analysis, "compare_page", broken)
    a, b = sample_desk.ids[ORIGINAL], sample_desk.ids[REWRITE_DATED]
    result = await sample_desk.reporter.slash(sample_desk.general, "compare", a=a, b=b)
    assert result.response.attachments == []
    assert result.response.embeds and " rewrites A (" in result.response.embeds[0].title
    assert_fits_discord(snapshot(result.response))


async def test_lineage_shows_origin_and_related_articles(env, sample_desk):
    pytest.importorskip("index.stories.lineage")
    result = await sample_desk.reporter.slash(sample_desk.general, "lineage", article=sample_desk.ids[REWRITE_UNDATED])
    assert deferred(env, result)
    message = result.response
    head = message.embeds[0]
    expected = env.bot.hub.engine(sample_desk.guild.id).lineage(sample_desk.ids[REWRITE_UNDATED])
    assert head.title == "First: The Mail on Sunday, 2026-01-12; 2 rewrites; 0 related"
    lines = head.description.split("\n")  # one line an article, the origin first
    assert expected.origin and lines[0] == f"origin · The Mail on Sunday · 2026-01-12 · `{expected.origin[:8]}`"
    for entry in expected.related:
        [line] = [x for x in lines if x.endswith(f"`{entry.article.article_id[:8]}`")]
        assert line.startswith({"origin": "origin", "derived": "rewrite", "related": "related"}[entry.relation])
        assert entry.article.article_id not in line
    assert_fits_discord(message)


async def test_lineage_attaches_the_story_picture(env, sample_desk):
    from tests.test_pictures import assert_small_png

    article = sample_desk.ids[REWRITE_UNDATED]
    result = await sample_desk.reporter.slash(sample_desk.general, "lineage", article=article)
    assert deferred(env, result)
    files = result.response.attachments
    assert [f.filename for f in files] == [f"lineage-{article[:8]}.png"]
    assert_small_png(await files[0].read())
    assert result.response.embeds  # next to the embeds, not instead of them
    assert_fits_discord(snapshot(result.response))


async def test_lineage_answers_with_embeds_only_when_the_picture_fails(env, sample_desk, monkeypatch):
    from bot.render import pictures

    def broken(result):
        raise RuntimeError("matplotlib broke")

    monkeypatch.setattr(pictures, "lineage_png", broken)
    cursor = env.error_cursor
    result = await sample_desk.reporter.slash(sample_desk.general, "lineage", article=sample_desk.ids[REWRITE_UNDATED])
    assert deferred(env, result)
    assert result.response.attachments == []
    expected = env.bot.hub.engine(sample_desk.guild.id).lineage(sample_desk.ids[REWRITE_UNDATED])
    assert expected.origin[:8] in text_of(result.response.embeds)
    assert bot_failures(env, cursor) == []  # nothing reached the tree's error handler


async def test_found_sources_attach_the_claim_timeline_and_answer_without_it_when_drawing_fails(
        env, sample_desk, monkeypatch):
    from tests.test_pictures import assert_small_png

    from bot.render import pictures
    from index.pictures.claim_timeline import timeline_data

    claim = "Trump ordered special forces to plan an invasion of Greenland"
    result = await sample_desk.reporter.slash(sample_desk.general, "sources", claim=claim)
    files = result.response.attachments
    assert [f.filename for f in files] == ["claim-timeline.png"]
    assert_small_png(await files[0].read())
    expected = env.bot.hub.engine(sample_desk.guild.id).sources(claim)
    assert len(timeline_data(expected).marks) >= 2  # found in two or more outlets: one mark each
    assert result.response.content.startswith("**Found: ") and result.response.embeds

    said = await sample_desk.colleague.send(sample_desk.general, claim)  # the menu's reply carries it too
    await sample_desk.reporter.context_menu(sample_desk.general, "Find sources", said)
    reply = next(m for m in sample_desk.general.history() if m.reference and m.reference.message_id == said.id)
    assert [a.filename for a in reply.attachments] == ["claim-timeline.png"]

    not_found = await sample_desk.reporter.slash(sample_desk.general, "sources",
                                                 claim="The lighthouse was sold for 2 million")
    assert not_found.response.attachments == []  # nothing states it: no timeline

    def broken(result):
        raise RuntimeError("matplotlib broke")

    monkeypatch.setattr(pictures, "timeline_png", broken)
    cursor = env.error_cursor
    plain = await sample_desk.reporter.slash(sample_desk.general, "sources", claim=claim)
    assert plain.response.attachments == [] and plain.response.content == result.response.content
    assert assert_quotes_verbatim(plain.response.embeds, stored_texts(env, sample_desk.guild)) > 0
    assert bot_failures(env, cursor) == []  # nothing reached the tree's error handler


# -- responsiveness ----------------------------------------------------------------------------------


async def test_engine_work_runs_off_the_event_loop(env, sample_desk, monkeypatch):
    from index.engine import Engine

    threads = []
    original = Engine.sources

    def spy(self, *args, **kwargs):
        threads.append(threading.current_thread())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Engine, "sources", spy)
    result = await sample_desk.reporter.slash(sample_desk.general, "sources", claim="NATO summit")
    assert deferred(env, result) and threads and all(t is not threading.main_thread() for t in threads)


async def test_unexpected_errors_get_a_short_ephemeral_reply(env, sample_desk, monkeypatch, expected_errors):
    from index.engine import Engine

    def broken(self, *args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Engine, "search_phrase", broken)
    expected_errors.append("disk on fire")
    result = await sample_desk.reporter.slash(sample_desk.general, "search", text="Greenland")
    assert "internal error" in messages_of(result)[-1].content
    assert "disk on fire" not in messages_of(result)[-1].content
    errors = env.errors  # SimCord saw the exception reach the tree's error handler
    assert any("disk on fire" in str(getattr(e, "original", e)) for e in errors)


async def test_page_buttons_are_disabled_when_the_view_times_out(env, sample_desk):
    from bot.views import PAGER_TIMEOUT_S

    result = await sample_desk.reporter.slash(sample_desk.general, "sources", claim="NATO summit in July", limit=50)
    def buttons():
        message = next(m for m in sample_desk.general.history() if m.id == result.response.id)
        return {b.label: b.disabled for row in message.components for b in row.children}

    before = buttons()  # Previous/Next over several pages, "More related passages (N)" past three
    assert before and not all(before.values())
    await env.advance_time(PAGER_TIMEOUT_S + 1)
    assert buttons() == {label: True for label in before}
