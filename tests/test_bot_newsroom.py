"""A newsroom's session on SimCord, read as a reporter on deadline reads it: every answer's
first line is its finding in fixed words, a list is one line an item, and no internals
(full ids, character offsets, raw scores, "(s)" plurals) reach Discord text.

Two servers: uploads (one of them bad input), claims, compare, lineage, the digest; the
second server sees nothing of the first's articles."""
from __future__ import annotations

import re

import pytest
from tests.support.bot_world import (
    ORIGINAL,
    REWRITE_DATED,
    REWRITE_UNDATED,
    Newsroom,
    bot_failures,
    make_settings,
    messages_of,
    running_bot,
    upload_samples,
)
from tests.support.plain_text import problems_in

pytestmark = [pytest.mark.slow]

def message_texts(result) -> list[str]:
    """Each message of an answer as the reporter reads it: content, then every embed."""
    out = []
    for m in messages_of(result):
        parts = [m.content or ""]
        for e in m.embeds:
            parts += [e.author.name or "" if e.author else "", e.title or "", e.description or ""]
            parts += [f"{f.name}\n{f.value}" for f in e.fields]
            parts.append(e.footer.text or "" if e.footer else "")
        parts += [a.filename for a in getattr(m, "attachments", []) or []]
        out.append("\n".join(p for p in parts if p))
    return out


def first_line(result) -> str:
    """The finding: the first line a reporter sees (the content, else the first embed's title)."""
    message = messages_of(result)[0]
    if (message.content or "").strip():
        return message.content.strip().split("\n")[0]
    return message.embeds[0].title


def assert_plain(result) -> None:
    for text in message_texts(result):
        assert not problems_in(text), problems_in(text)


@pytest.fixture()
def sim_clock(monkeypatch):
    """Articles stamped with the simulated clock, so the digest's window holds them."""
    import index.clock

    holder: list = []
    monkeypatch.setattr(index.clock, "now", lambda: holder[0].now().isoformat(timespec="microseconds"))
    return holder


async def test_the_reading_rules_catch_what_a_reporter_would_have_to_decode():
    for bad in ("1 fields", "2 passage", "passage(s)", "characters 1174–1451", "similarity 0.87",
                "2026-01-01T00:00:00.000000+00:00", "id 21de6e3a582d9c97", "  ## compare 21de6e3a vs a1684500"):
        assert problems_in(bad), bad
    for good in ("1 field", "2 passages", "3 articles of unknown outlet", "1 article of unknown outlet",
                 "2026-01-12", "`21de6e3a`", "90% of B comes from A", "0 related"):
        assert not problems_in(good), good


@pytest.mark.asyncio
async def test_a_newsroom_reads_each_finding_first_and_one_line_an_item(tmp_path, sim_clock):
    async with running_bot(make_settings(tmp_path)) as env:
        sim_clock.append(env)
        desk, other = Newsroom(env, "City Desk"), Newsroom(env, "Other paper")
        ids = await upload_samples(desk.reporter, desk.general)
        original, dated, undated = ids[ORIGINAL], ids[REWRITE_DATED], ids[REWRITE_UNDATED]

        # bad input: a clear message, nothing lost
        bad = await desk.reporter.slash(desk.general, "upload", file=("photo.txt", bytes(range(256)) * 8),
                                        private=True)
        assert "binary" in "\n".join(message_texts(bad)) and "0 added" in bad.response.content
        unknown = await desk.reporter.slash(desk.general, "article", id="deadbeefcafe")
        assert unknown.ephemeral and "unknown article id" in unknown.response.content

        # /sources: the finding first, who states it and who was first
        claim = "Trump ordered special forces commanders to draw up a plan for the invasion of Greenland"
        found = await desk.reporter.slash(desk.general, "sources", claim=claim)
        assert first_line(found) == ("**Found: stated by 1 outlet and 2 articles of unknown outlet; first: "
                                     "The Mail on Sunday, 2026-01-12.**")
        assert_plain(found)
        # one heading line a passage (outlet · date or "undated" · label · short id), byline once
        card = "\n".join(message_texts(found))
        assert card.count("by GLEN OWEN, DAN HODGES") == 1
        assert "outlet unknown · undated · " in card

        # "Not found" says what was searched; the other server has none of this server's articles
        missing = await desk.reporter.slash(desk.general, "sources", claim="Greenland will be sold to Canada")
        assert first_line(missing).startswith("**Not found: no stored passage states “Greenland will be sold to "
                                              "Canada”; searched 3 articles from 1 outlet.")
        elsewhere = await other.reporter.slash(other.general, "sources", claim=claim)
        assert first_line(elsewhere).startswith("**Not found: ") and "searched 0 articles from 0 outlets" in \
            first_line(elsewhere)

        # /compare: who rewrites whom, how much, how many quotations changed; the most serious
        # changed quotation in the first embed
        compared = await desk.reporter.slash(desk.general, "compare", a=original, b=dated)
        finding = first_line(compared)
        assert re.fullmatch(r"B \(outlet unknown, 2026-02-09\) rewrites A \(The Mail on Sunday, 2026-01-12\): "
                            r"\d+% of B comes from A; B credits another outlet: “Daily Mail”; "
                            r"\d+ quotations? changed(, \d+ attributions? changed)?", finding)
        head = messages_of(compared)[0].embeds[0]
        assert head.fields and head.description.count("\n") < 8  # the counts in a few lines, not 25
        assert_plain(compared)

        # /lineage: "First: OUTLET, DATE; N rewrites; M related", then one line an article
        lineage = await desk.reporter.slash(desk.general, "lineage", article=undated)
        assert first_line(lineage) == "First: The Mail on Sunday, 2026-01-12; 2 rewrites; 0 related"
        every = messages_of(lineage)[0].embeds[0].description.split("\n")
        # under a rewrite, its credit line and one line a flag (issue 24), indented
        lines = [line for line in every if not line.startswith("\u2003↳ ")]
        assert len(lines) == 3 and all(re.search(r"`[0-9a-f]{8}`$", line) for line in lines)
        assert lines[0].startswith("origin · The Mail on Sunday · 2026-01-12")
        assert "\u2003↳ ⚑ claims an exclusive on a rewrite: “Exclusive”" in every
        assert_plain(lineage)

        # /articles: one line an article
        listed = await desk.reporter.slash(desk.general, "articles")
        rows = messages_of(listed)[0].embeds[0].description.split("\n")
        assert len(rows) == 3 and sum("undated" in r for r in rows) == 1
        assert_plain(listed)

        # the digest: each story opens with its origin and its most serious flag
        channel = desk.guild.create_text_channel("digest")
        await desk.editor.slash(desk.general, "digest setup", channel=channel, time="08:00", timezone="Europe/London")
        await env.advance_time(3600)
        posted = await desk.editor.slash(desk.general, "digest now")
        assert "1 story" in posted.response.content
        # one story; its credit lines (issue 24) may carry its flags into a "(continued)" embed
        [story, *rest] = [e for m in channel.history() if m.author.id == env.bot.user.id for e in m.embeds
                          if (e.title or "").startswith("Story ")]
        assert all(e.title.endswith("(continued)") for e in rest)
        assert story.title.startswith("Story 1/1 · First: The Mail on Sunday, 2026-01-12; 2 rewrites; most serious: ")
        members = [line for line in story.description.split("\n") if re.match(r"\d+\. ", line)]
        assert len(members) == 3 and all(re.search(r"`[0-9a-f]{8}`$", line) for line in members)
        for m in channel.history():
            assert not problems_in("\n".join([m.content or ""] + [e.title or "" for e in m.embeds]
                                             + [e.description or "" for e in m.embeds]))
        assert not bot_failures(env, 0)


@pytest.mark.asyncio
async def test_the_joint_chiefs_claim_names_the_mail_on_sunday_first(tmp_path):
    async with running_bot(make_settings(tmp_path)) as env:
        desk = Newsroom(env, "City Desk")
        await upload_samples(desk.reporter, desk.general)
        answer = await desk.reporter.slash(desk.general, "sources", claim="the joint chiefs of staff oppose the plan")
        assert first_line(answer).startswith("**Found: ")
        assert "first: The Mail on Sunday, 2026-01-12" in first_line(answer)
