"""A realistic newsroom session with the real bot on SimCord, written out as text: every
message the bot sends (ephemeral ones too), in order, as a reporter would read them.

    .venv/bin/python scripts/transcript.py [docs/transcript.md]      (or: make transcript)

An editor and two reporters in one server upload the sample corpus (one file as a .jsonl
with a broken line), ask for sources, use the message menu, search, compare, trace
lineage, fix metadata, try bad input, and post the digest. The run fails if the bot
raised anything it did not answer on purpose (``running_bot`` checks), so the transcript
is also a smoke test of the whole bot.
"""
from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.bot_world import (  # noqa: E402
    ORIGINAL,
    REWRITE_DATED,
    REWRITE_UNDATED,
    Newsroom,
    assert_fits_discord,
    assert_quotes_verbatim,
    bot_messages,
    make_settings,
    messages_of,
    running_bot,
    sample_bytes,
)


def embed_text(embed) -> list[str]:
    lines = []
    if embed.author and embed.author.name:
        lines.append(f"  [author] {embed.author.name}")
    if embed.title:
        lines.append(f"  ## {embed.title}")
    if embed.description:
        lines += ["  " + line for line in embed.description.split("\n")]
    for field in embed.fields:
        lines.append(f"  **{field.name}**")
        lines += ["    " + line for line in field.value.split("\n")]
    if embed.footer and embed.footer.text:
        lines.append(f"  _{embed.footer.text}_")
    return lines


def message_text(message) -> list[str]:
    lines = [line for line in (message.content or "").split("\n")]
    for embed in message.embeds:
        lines.append("  ---")
        lines += embed_text(embed)
    for attachment in getattr(message, "attachments", []) or []:
        lines.append(f"  [attached file] {attachment.filename} ({attachment.size:,} bytes)")
    return lines


class Transcript:
    def __init__(self) -> None:
        self.out: list[str] = []

    def step(self, who: str, what: str, result) -> None:
        self.out.append(f"\n### {who}: {what}\n")
        for message in messages_of(result):
            private = " (only they see it)" if getattr(message, "ephemeral", False) else ""
            self.out.append(f"**bot**{private}:\n```text")
            self.out += message_text(message)
            self.out.append("```")

    def messages(self, who: str, what: str, messages) -> None:
        self.out.append(f"\n### {who}: {what}\n")
        for message in messages:
            self.out.append("**bot**:\n```text")
            self.out += message_text(message)
            self.out.append("```")


async def session(home: Path) -> tuple[list[str], int]:
    """The transcript's lines, and how many quotes were checked verbatim in the messages
    left in the channels (every one of them fits Discord's limits)."""
    import index.clock

    t = Transcript()
    real_now = index.clock.now
    async with running_bot(make_settings(home)) as env:
        # articles are stamped with Discord's (simulated) time, so the digest's window holds them
        index.clock.now = lambda: env.now().isoformat(timespec="microseconds")
        try:
            checked = await _session(env, t)
        finally:
            index.clock.now = real_now
    return t.out, checked


async def _session(env, t: Transcript) -> int:
    """The session proper; returns the number of quotes checked verbatim."""
    w = Newsroom(env, "City Desk")
    upload = lambda who, name, data, **o: who.slash(w.general, "upload", file=(name, data), **o)  # noqa: E731
    t.step("editor", "/help", await w.editor.slash(w.general, "help"))
    t.step("reporter", f"/upload {ORIGINAL} outlet:The Mail on Sunday published:2026-01-12",
           await upload(w.reporter, ORIGINAL, sample_bytes(ORIGINAL), outlet="The Mail on Sunday",
                        published="2026-01-12", authors="GLEN OWEN & DAN HODGES"))
    feed = "\n".join([
        json.dumps({"text": sample_bytes(REWRITE_DATED).decode("utf-8"), "published": "2026-02-09"}),
        '{"text": "a line cut off in the middle',
        json.dumps({"text": sample_bytes(REWRITE_UNDATED).decode("utf-8")}),
    ]).encode("utf-8")
    t.step("colleague", "/upload rewrites.jsonl (3 lines, the second broken)",
           await upload(w.colleague, "rewrites.jsonl", feed))
    t.step("reporter", "/upload photo.txt (a binary file)",
           await upload(w.reporter, "photo.txt", bytes(range(256)) * 8, private=True))
    claim = "the joint chiefs of staff oppose the plan"
    t.step("reporter", f"/sources claim:{claim}", await w.reporter.slash(w.general, "sources", claim=claim))
    said = await w.colleague.send(w.general, "Did Trump really order special forces to plan a Greenland invasion?")
    menu = await w.reporter.context_menu(w.general, "Find sources", said)
    t.step("reporter", "Find sources on colleague's message", menu)
    replies = [m for m in w.general.history() if m.reference and m.reference.message_id == said.id]
    t.messages("(in the channel)", "the reply to colleague's message", replies)
    t.step("reporter", "/sources claim:Greenland will be sold to Canada outlet:mail on sunday",
           await w.reporter.slash(w.general, "sources", claim="Greenland will be sold to Canada",
                                  outlet="mail on sunday"))
    t.step("reporter", "/search text:Stephen Miller", await w.reporter.slash(w.general, "search",
                                                                             text="Stephen Miller"))
    engine = env.bot.hub.engine(w.guild.id)
    original = next(a for a in engine.articles() if a.outlet == "The Mail on Sunday").article_id
    rewrite = next(a for a in engine.articles() if a.published == "2026-02-09").article_id
    t.step("reporter", "/articles", await w.reporter.slash(w.general, "articles"))
    t.step("reporter", f"/compare a:{original[:8]} b:{rewrite[:8]}",
           await w.reporter.slash(w.general, "compare", a=original, b=rewrite))
    t.step("reporter", f"/lineage article:{rewrite[:8]}", await w.reporter.slash(w.general, "lineage",
                                                                                 article=rewrite))
    t.step("editor", f"/edit article:{rewrite[:8]} outlet:Daily Express",
           await w.editor.slash(w.general, "edit", article=rewrite, outlet="Daily Express"))
    t.step("reporter", f"/article id:{rewrite[:8]}", await w.reporter.slash(w.general, "article", id=rewrite))
    t.step("reporter", "/article id:deadbeefcafe", await w.reporter.slash(w.general, "article", id="deadbeefcafe"))
    t.step("reporter", "/remove (a reporter, refused)",
           await w.reporter.slash(w.general, "remove", article=original))
    desk = w.guild.create_text_channel("digest")
    t.step("editor", "/digest setup channel:#digest time:08:00 timezone:Europe/London",
           await w.editor.slash(w.general, "digest setup", channel=desk, time="08:00", timezone="Europe/London"))
    await env.advance_time(3600)  # an hour later
    t.step("editor", "/digest now", await w.editor.slash(w.general, "digest now"))
    posted = [m for m in desk.history() if m.author.id == env.bot.user.id]
    t.messages("(in #digest)", "the digest", posted)
    texts = {a.article_id: engine.show(a.article_id)[1] for a in engine.articles()}
    checked = 0
    for message in bot_messages(env, w.guild):
        assert_fits_discord(message)
        checked += assert_quotes_verbatim(message.embeds, texts)
    return checked


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "transcript.md"
    with tempfile.TemporaryDirectory() as home:
        lines, checked = asyncio.run(session(Path(home)))
    head = ["# A newsroom session, as the bot answered it",
            "",
            "Produced by `make transcript` (`scripts/transcript.py`): the real bot (discord.py) on SimCord,",
            "a simulated Discord. Every message the bot sent, in order; quotes are block quotes (`> `).",
            "Ids differ from run to run only if the sample files change."]
    target.write_text("\n".join(head + lines) + "\n", encoding="utf-8")
    print(f"wrote {target} ({len(lines)} lines; {checked} quotes checked verbatim)")


if __name__ == "__main__":
    main()
