"""One author rule: "A and B", "A, B", "A & B" (and "A; B") give the same two authors through
the CLI, /upload and the inbox channel (they all call ``index.metadata.split_authors``)."""
from __future__ import annotations

import json

import pytest
import pytest_asyncio
from tests.support.bot_world import make_settings, running_bot

from index.cli.commands import main
from index.ingest.metadata import split_authors

BYLINES = ("Ann Lee and Bob Roy", "Ann Lee, Bob Roy", "Ann Lee & Bob Roy", "Ann Lee; Bob Roy")
EXPECTED = ["Ann Lee", "Bob Roy"]


def article_text(n: int) -> str:
    # a different text each time, so no upload is a duplicate of another
    return (f"Harbour board vote number {n}\n\nThe harbour board voted {n} times on Monday to extend the pier. "
            f"Chair Ines Alvarez said the extension would double ferry capacity by {2030 + n}.\n")


@pytest.mark.parametrize("byline", BYLINES)
def test_split_authors_gives_two_names(byline: str) -> None:
    assert split_authors(byline) == EXPECTED


def test_split_authors_splits_each_item_of_a_list_and_keeps_names_as_written() -> None:
    assert split_authors(["Ann Lee and Bob Roy", "CY TWOMBLY"]) == ["Ann Lee", "Bob Roy", "CY TWOMBLY"]
    assert split_authors(None) == [] and split_authors("") == [] and split_authors(" , ") == []


def test_cli_author_option_uses_the_same_rule(tmp_path, capsys) -> None:
    for n, byline in enumerate(BYLINES):
        path = tmp_path / f"a{n}.txt"
        path.write_text(article_text(n), encoding="utf-8")
        capsys.readouterr()
        assert main(["--home", str(tmp_path / "home"), "ingest", str(path), "--author", byline, "--json"]) == 0
        [result] = json.loads(capsys.readouterr().out)["results"]
        assert result["status"] == "added", result
        capsys.readouterr()
        assert main(["--home", str(tmp_path / "home"), "show", result["article_id"], "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["authors"] == EXPECTED, byline




@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def env(tmp_path_factory):
    async with running_bot(make_settings(tmp_path_factory.mktemp("authors-home"))) as env:
        yield env


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.slow
async def test_upload_and_inbox_give_the_same_authors(env) -> None:
    guild = env.create_guild("Authors desk")
    general = guild.create_text_channel("general")
    inbox = guild.create_text_channel("sourcedesk-inbox")
    reporter = guild.add_member(env.create_user("reporter"))
    engine = env.bot.hub.engine(guild.id)

    for n, byline in enumerate(BYLINES):
        await reporter.slash(general, "upload", file=(f"up{n}.txt", article_text(10 + n).encode()), authors=byline)
        await reporter.send(inbox, f"authors: {byline}",
                            attachments=[(f"in{n}.txt", article_text(20 + n).encode())])
    stored = engine.articles(limit=100)
    assert len(stored) == 2 * len(BYLINES)
    assert all(a.authors == EXPECTED for a in stored), [(a.title, a.authors) for a in stored]
