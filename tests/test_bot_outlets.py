"""/outlets, the credit lines of /lineage and the digest, what an article's statements rest on
in /lineage and /article (issue 24), through SimCord (real discord.py, simulated Discord). Each test has a new server of its own (``newsroom``)."""
from __future__ import annotations

import pytest
from tests.support.bot_world import (
    ORIGINAL,
    REWRITE_DATED,
    REWRITE_UNDATED,
    assert_fits_discord,
    deferred,
    messages_of,
    text_of,
    upload_samples,
)

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.slow]

OTHER_OUTLET = "⚑ credits another outlet than its origin: “Daily Mail”"
EXCLUSIVE = "⚑ claims an exclusive on a rewrite: “Exclusive”"


def _under(lines: list[str], article_id: str) -> list[str]:
    """The credit lines under an article's line of /lineage."""
    start = next(n for n, x in enumerate(lines) if x.endswith(f"`{article_id[:8]}`"))
    out = []
    for line in lines[start + 1:]:
        if not line.startswith("\u2003↳ "):
            break
        out.append(line.removeprefix("\u2003↳ "))
    return out


async def test_lineage_shows_credits_and_flags_and_a_recorded_sister_title_changes_them(env, newsroom):
    ids = await upload_samples(newsroom.reporter, newsroom.general)
    result = await newsroom.reporter.slash(newsroom.general, "lineage", article=ids[ORIGINAL])
    assert deferred(env, result)
    lines = result.response.embeds[0].description.split("\n")
    [rests_on] = _under(lines, ids[ORIGINAL])  # no credit, no flag: what its statements rest on
    assert rests_on.startswith("rests on ") and "unnamed sources 6/26 (“Sources”)" in rests_on
    dated = _under(lines, ids[REWRITE_DATED])
    assert dated[0] == "credits “Daily Mail”" and OTHER_OUTLET in dated
    undated = _under(lines, ids[REWRITE_UNDATED])
    # the most serious first: the speaker compare finds changed, then the exclusive
    assert undated[0] == "⚑ speaker changed: “A diplomatic source said” → “according to a senior officer”"
    assert EXCLUSIVE in undated
    assert undated[-1].startswith("rests on unnamed sources")
    assert_fits_discord(result.response)

    denied = await newsroom.reporter.slash(newsroom.general, "outlets group", name="The Mail on Sunday",
                                           other="Daily Mail")
    assert denied.ephemeral and "only managers" in denied.response.content
    done = await newsroom.editor.slash(newsroom.general, "outlets group", name="The Mail on Sunday", other="Daily Mail")
    recorded = messages_of(done)[-1].content
    assert done.ephemeral and recorded.startswith("✅ recorded") and "sister titles: Daily Mail" in recorded

    again = await newsroom.reporter.slash(newsroom.general, "lineage", article=ids[REWRITE_DATED])
    dated = _under(again.response.embeds[0].description.split("\n"), ids[REWRITE_DATED])
    assert dated[0] == "credits “Daily Mail” (a sister title)" and OTHER_OUTLET not in dated

    listed = await newsroom.reporter.slash(newsroom.general, "outlets list")
    text = text_of(listed.response.embeds)
    assert "The Mail on Sunday · sister titles: Daily Mail" in text and not listed.ephemeral


async def test_outlets_refuse_a_name_linked_to_itself_and_list_an_empty_server(env, newsroom):
    empty = await newsroom.reporter.slash(newsroom.general, "outlets list")
    assert empty.response.content == "No outlets stored or recorded yet."
    bad = await newsroom.admin.slash(newsroom.general, "outlets alias", name="Daily Mail", alias="the daily mail")
    assert bad.ephemeral and "same name" in messages_of(bad)[-1].content


async def test_digest_shows_each_members_credit_lines(env, newsroom):
    from bot.render.digest import digest_pages

    await upload_samples(newsroom.reporter, newsroom.general)
    result = env.bot.hub.engine(newsroom.guild.id).digest(since="1d")
    text = text_of([e for page in digest_pages(result) for e in page.embeds])
    assert OTHER_OUTLET in text and EXCLUSIVE in text


async def test_article_shows_what_its_statements_rest_on(env, newsroom):
    ids = await upload_samples(newsroom.reporter, newsroom.general)
    result = await newsroom.reporter.slash(newsroom.general, "article", id=ids[REWRITE_DATED][:8])
    fields = {f.name: f.value for f in result.response.embeds[0].fields}
    assert fields["sourcing"].startswith("rests on unnamed sources 4/")
    assert "another outlet 1/" in fields["sourcing"] and "(“Daily Mail”)" in fields["sourcing"]
    engine = env.bot.hub.engine(newsroom.guild.id)
    _, text = engine.show(ids[REWRITE_DATED])
    for k in engine.sourcing(ids[REWRITE_DATED]).kinds:  # each speaker shown is the stored text's
        assert f"(“{k.who.text}”)" in fields["sourcing"] and k.who.text == text[k.who.start:k.who.end]
    assert_fits_discord(result.response)
