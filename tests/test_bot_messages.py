"""Messages a reporter understands (issue 13), driven through SimCord: errors without corpus
ids, setting names or parser wording; .jsonl line numbers that are the file's and a hint to
re-post the rejected lines; compare, lineage and digest with human labels, each change once,
changed words marked inside one quote pair, short ids and named flags.

One bot for the module; each test has a new server of its own (``newsroom``) or reads the
module's server of sample articles (``sample_desk``), so the tests pass in any order. Every
quote shown is checked against the stored text (marks and escaping undone by ``quotes_in``).
"""
from __future__ import annotations

import codecs
import json
import logging
import re

import pytest
import pytest_asyncio
from tests.support.bot_world import (
    ORIGINAL,
    REWRITE_DATED,
    REWRITE_UNDATED,
    SAMPLE_OPTIONS,
    all_embeds,
    assert_fits_discord,
    assert_quotes_verbatim,
    ids_in,
    messages_of,
    running_bot,
    snapshot,
    stored_texts,
    text_of,
    upload_samples,
)

from bot.errors import SERVICE_UNAVAILABLE
from bot.render.analysis import compare_rows
from index.errors import ServiceError
from index.labels import FLAG_LABELS, PAIR_LABELS, ROLE_LABELS

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.slow]

FULL_ID = re.compile(r"\b[0-9a-f]{16}\b")
BYLINE_ID = re.compile(r"id: `[0-9a-f]{16}`")  # the one place a full id is shown, to copy


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot_env(bot_settings):
    import index.clock

    # added_at on SimCord's simulated clock, so that "digest now" windows hold the uploads
    with pytest.MonkeyPatch.context() as patch:
        holder: list = []
        patch.setattr(index.clock, "now", lambda: holder[0].now().isoformat(timespec="microseconds"))
        async with running_bot(bot_settings) as env:
            holder.append(env)
            yield env


async def every_page(reporter, result) -> list:
    """The first message and each page reached with "Next"."""
    message = result.response
    pages = [snapshot(message)]
    while "page" in pages[-1].content and not re.search(r"page (\d+)/\1\b", pages[-1].content):
        pages.append(snapshot((await reporter.click(message, label="Next")).response))
    return pages


def without_bylines(text: str) -> str:
    return BYLINE_ID.sub("", text)


# -- errors ------------------------------------------------------------------------------------


def batch(newline: str = "\r\n") -> bytes:
    good = [json.dumps({"text": f"The harbour board met on day {n}. It approved berth {n} for the ferry.",
                        "outlet": "Coast Gazette"}) for n in range(3)]
    lines = [good[0], "", '{"text": "unclosed', good[1], json.dumps(["not", "an", "object"]), "",
             json.dumps({"title": "no text"}), good[2]]
    return codecs.BOM_UTF8 + newline.join(lines).encode()


async def test_partly_accepted_jsonl_upload_names_the_files_lines_and_how_to_repost(env, newsroom, caplog):
    # at INFO the upload is logged: its fields must not clash with LogRecord's ("filename" did)
    caplog.set_level(logging.INFO, logger="bot")
    result = await newsroom.reporter.slash(newsroom.general, "upload", file=("batch.jsonl", batch()))
    assert any(r.getMessage() == "upload ingested" and r.file_name == "batch.jsonl" for r in caplog.records)
    content = result.response.content
    assert "3 added" in content and "3 rejected" in content
    assert ("batch.jsonl: lines 3, 5 and 7 were not added; fix those lines and upload them again as a .jsonl "
            "(lines already added are recognised as duplicates)") in content
    reasons = [f.value for e in all_embeds(messages_of(result)) for f in e.fields if f.value.startswith("reason:")]
    assert reasons == ["reason: line 3: not valid JSON",
                       'reason: line 5: not an article: each line must be one JSON object such as {"text": "..."}',
                       'reason: line 7: no article text: the "text" field is missing or empty']
    for message in messages_of(result):
        assert_fits_discord(message)
    # re-posting the whole file: the added lines are recognised as duplicates
    again = await newsroom.reporter.slash(newsroom.general, "upload", file=("batch.jsonl", batch("\n")))
    assert "3 duplicate" in again.response.content and "lines 3, 5 and 7 were not added" in again.response.content


async def test_inbox_jsonl_receipt_names_the_rejected_lines(env, newsroom):
    data = "\n".join([json.dumps({"text": "The lighthouse reopened on Sunday after repairs to its lamp."}),
                      "{oops"]).encode()
    await newsroom.reporter.send(newsroom.inbox, "", attachments=[("lights.jsonl", data)])
    thread = next(t for t in newsroom.inbox.threads if "lights.jsonl" in t.name)
    [reply] = thread.history()
    assert "lights.jsonl: line 2 was not added; fix that line and upload it again as a .jsonl" in reply.content
    assert "reason: line 2: not valid JSON" in text_of(reply.embeds)
    assert "column" not in text_of(reply.embeds) and "char" not in text_of(reply.embeds)


async def test_unknown_id_error_names_no_corpus(env, sample_desk):
    result = await sample_desk.reporter.slash(sample_desk.general, "article", id="0123456789abcdef")
    text = result.response.content
    assert result.ephemeral and "unknown article id '0123456789abcdef'" in text
    assert "guild-" not in text and "corpus" not in text and str(sample_desk.guild.id) not in text


async def test_service_errors_are_logged_not_shown(env, sample_desk, monkeypatch):
    from index.engine import Engine

    def down(self, *args, **kwargs):
        raise ServiceError("cannot reach the Chroma server at db.internal:8000 (refused); check CHROMA_HOST/CHROMA_PORT")

    monkeypatch.setattr(Engine, "sources", down)
    result = await sample_desk.reporter.slash(sample_desk.general, "sources", claim="the ferry was cancelled")
    text = messages_of(result)[-1].content
    assert SERVICE_UNAVAILABLE in text
    assert "CHROMA" not in text and "db.internal" not in text


# -- compare, lineage, article ------------------------------------------------------------------


async def test_compare_labels_each_change_once_with_marked_words(env, sample_desk):
    a, b = sample_desk.ids[ORIGINAL], sample_desk.ids[REWRITE_DATED]
    desk = sample_desk
    pages = await every_page(desk.reporter, await desk.reporter.slash(desk.general, "compare", a=a, b=b))
    embeds = [e for p in pages for e in p.embeds]
    matches = [f.value for e in embeds for f in e.fields if f.name == "match"]
    vocabulary = {*FLAG_LABELS.values(), *PAIR_LABELS.values(), *ROLE_LABELS.values()}
    for value in matches:  # human labels only: no raw kind (an escaped underscore) anywhere
        assert "_" not in value and "\\_" not in value
        words = [w for w in value.split(" · ") if not re.fullmatch(r"\d\.\d\d", w)]
        assert all(w in vocabulary or "/" in w for w in words), value
    # each change once: no two rows quote the same two passages, and no quotation change is
    # listed apart from the pair that holds it
    spans = [tuple(f.name.split("characters ")[1] for f in e.fields[i:i + 2])
             for e in embeds for i, f in enumerate(e.fields) if f.name.startswith("A ") and "characters" in f.name
             and i + 1 < len(e.fields) and e.fields[i + 1].name.startswith("B ")]
    assert spans and len(spans) == len(set(spans))
    result = env.bot.hub.engine(sample_desk.guild.id).compare(a, b)
    _, change_rows = compare_rows(result)
    assert len(change_rows) < len(result.quote_changes)  # the sample's changes lie inside pairs
    assert any("quotation altered" in m or "title or name" in m for m in matches)
    # word edits inline: the changed words in bold inside the pair, e.g. "President" dropped
    marked = [f.value for e in embeds for f in e.fields if "**" in f.value]
    assert any("**President**" in v for v in marked)
    assert assert_quotes_verbatim(embeds, stored_texts(env, sample_desk.guild)) >= 2 * len(result.pairs)
    for page in pages:
        assert_fits_discord(page)


async def test_lineage_shows_short_ids_and_labels(env, sample_desk):
    result = await sample_desk.reporter.slash(sample_desk.general, "lineage", article=sample_desk.ids[REWRITE_DATED])
    message = result.response
    head = {f.name: f.value for f in message.embeds[0].fields}
    assert head["origin"].startswith(f"`{sample_desk.ids[ORIGINAL][:8]}` · The Mail on Sunday")
    assert head["derived from"].startswith(f"`{sample_desk.ids[ORIGINAL][:8]}`")
    assert not FULL_ID.search(without_bylines(text_of(message.embeds)))
    assert_fits_discord(message)


async def test_article_opens_with_the_first_body_passage_not_the_headline(env, sample_desk):
    aid = sample_desk.ids[REWRITE_UNDATED]
    result = await sample_desk.reporter.slash(sample_desk.general, "article", id=aid[:8])
    [embed] = result.response.embeds
    title = SAMPLE_OPTIONS[REWRITE_UNDATED]["title"]
    assert stored_texts(env, sample_desk.guild)[aid].startswith(title)  # the headline is the stored text's first line
    assert title not in (embed.description or "")
    assert embed.description.startswith("> Donald Trump has allegedly ordered")
    assert_quotes_verbatim([embed], stored_texts(env, sample_desk.guild))


# -- digest -----------------------------------------------------------------------------------------


async def test_digest_shows_one_marked_pair_per_changed_quotation_and_short_ids(env, newsroom):
    sample_ids = await upload_samples(newsroom.reporter, newsroom.general)  # a digest moves the window on
    await env.advance_time(60)
    result = await newsroom.editor.slash(newsroom.general, "digest now")
    assert "digest posted" in messages_of(result)[-1].content
    bot_id = env.bot.user.id
    posted = [m for m in newsroom.general.history() if m.author.id == bot_id and "digest" in (m.content or "")]
    embeds = [e for m in posted for e in m.embeds]
    fields = [f for e in embeds for f in e.fields]
    # a changed quotation is one pair: the parent's and the rewrite's quotation, changed words in bold
    pairs = [f for f in fields if f.name.startswith("flag · ") and " · parent " in f.name]
    assert pairs and all(len(re.findall(r"^> ", f.value, re.M)) >= 1 for f in pairs)
    assert not any(f.name.startswith("differing words") for f in fields)
    assert any("**President**" in f.value for f in pairs)
    # labels from the one vocabulary, never raw kinds
    names = " ".join(f.name for f in fields)
    assert "quote_altered" not in names and "attribution\\_changed" not in names
    # short ids everywhere but the byline's copyable id
    shown = "\n".join([without_bylines(text_of(embeds)), *(m.content for m in posted)])
    assert not FULL_ID.search(shown), FULL_ID.search(shown)
    story = next(e for e in embeds if (e.title or "").startswith("story ")
                 and f"story {sample_ids[ORIGINAL][:8]}" in e.footer.text)
    assert story.author.name == "The Mail on Sunday · outlet unknown (2 articles)"
    assert {f.name: f.value for f in story.fields}["origin"].startswith(f"`{sample_ids[ORIGINAL][:8]}`")
    assert_quotes_verbatim(embeds, stored_texts(env, newsroom.guild))
    for message in posted:
        assert_fits_discord(message)


async def test_single_article_story_says_nothing_of_origin(env, newsroom):
    text = ("Lifeboat crew honoured\n\nThe lifeboat crew of Port Ellen received a bravery award on Friday "
            "for a night rescue in a force nine gale.\n")
    upload = await newsroom.reporter.slash(newsroom.general, "upload", file=("lifeboat.txt", text.encode()),
                                        outlet="Islay Times")
    [aid] = ids_in(upload)
    await env.advance_time(60)
    await newsroom.editor.slash(newsroom.general, "digest now")
    bot_id = env.bot.user.id
    latest = [m for m in newsroom.general.history() if m.author.id == bot_id and "digest" in (m.content or "")][-1]
    [story] = [e for e in latest.embeds if e.title and e.title.startswith("story ")]
    names = [f.name for f in story.fields]
    assert "origin" not in names and names[2].startswith("1. single article · new · ")
    assert story.author.name == "Islay Times"
    assert_quotes_verbatim(latest.embeds, stored_texts(env, newsroom.guild))
