"""Pictures as Discord attachments: the /lineage story picture, the digest's story
pictures, the claim timeline (for /sources' claim card), and /compare's side-by-side HTML
page. Drawing runs in the engine's worker threads (the callers draw inside their
``hub.run`` call); a picture that cannot be drawn is logged and left out, so the answer
still goes out with its embeds."""
from __future__ import annotations

import io
import logging
from collections.abc import Callable, Sequence

import discord
from discord.utils import DEFAULT_FILE_SIZE_LIMIT_BYTES

from index import DigestResult, draw_story, from_digest_story, lineage_png, timeline_png

from . import limits as L
from .primitives import Page, short_id

log = logging.getLogger("bot.pictures")

# A digest story gets a picture when it has more articles than this.
STORY_PICTURE_MIN = 3
FILES_PER_MESSAGE = L.EMBEDS_PER_MESSAGE  # Discord takes at most 10 attachments per message

Attachment = tuple[str, bytes]  # (file name, PNG bytes): discord.File objects are single-use


def drawn(draw: Callable[[], bytes | None], what: str, **context) -> bytes | None:
    """``draw()``, or None (logged with ``context``) when it raises: never lose the answer."""
    try:
        return draw()
    except Exception:
        log.exception("picture not drawn", extra={"picture": what, **context})
        return None


def lineage_picture(result) -> bytes | None:
    """The /lineage story picture (None for a story of one article, or when drawing fails)."""
    return drawn(lambda: lineage_png(result), "lineage", article_id=result.article.article_id)


def claim_timeline(result) -> bytes | None:
    """The claim timeline of a sources answer (None when fewer than two outlets state it, or
    when drawing fails); for the /sources claim card."""
    return drawn(lambda: timeline_png(result), "timeline")


def story_pictures(result: DigestResult) -> dict[str, bytes]:
    """story id -> picture, for each digest story with more than two articles."""
    total = len(result.stories)
    out: dict[str, bytes] = {}
    for number, story in enumerate(result.stories, 1):
        if len(story.articles) >= STORY_PICTURE_MIN:
            png = drawn(lambda s=story, n=number: draw_story(from_digest_story(s, n, total)), "digest story",
                        story_id=story.story_id)
            if png is not None:
                out[story.story_id] = png
    return out


def upload_limit(guild: discord.Guild | None) -> int:
    return guild.filesize_limit if guild is not None else DEFAULT_FILE_SIZE_LIMIT_BYTES


def fitting(data: bytes | None, filename: str, limit: int) -> list[discord.File]:
    """The picture as an attachment when there is one and it fits the upload limit."""
    if data is None:
        return []
    if len(data) > limit:
        log.warning("picture not attached: too large", extra={"file": filename, "bytes": len(data), "limit": limit})
        return []
    return [discord.File(io.BytesIO(data), filename=filename)]


def _story_page(pages: Sequence[Page], story_id: str) -> int:
    """The page holding the story's first embed (its footer names the story), else 0."""
    marker = f"story {short_id(story_id)} "  # render.digest's footer names the story by its short id
    for n, page in enumerate(pages):
        if any(e.footer and (e.footer.text or "").startswith(marker) for e in page.embeds):
            return n
    return 0


def digest_attachments(pages: Sequence[Page], result: DigestResult, pictures: dict[str, bytes],
                       limit: int) -> list[list[Attachment]]:
    """Per page, the story pictures to attach to it: each on the message that starts its
    story, at most FILES_PER_MESSAGE per message and ``limit`` bytes in all."""
    out: list[list[Attachment]] = [[] for _ in pages]
    for number, story in enumerate(result.stories, 1):
        png = pictures.get(story.story_id)
        if png is None or not pages:
            continue
        at = out[_story_page(pages, story.story_id)]
        if len(at) >= FILES_PER_MESSAGE or sum(len(b) for _, b in at) + len(png) > limit:
            log.warning("digest story picture not attached: no room", extra={"story_id": story.story_id})
            continue
        at.append((f"story-{number}-{story.story_id}.png", png))
    return out


def files_of(attachments: Sequence[Attachment]) -> list[discord.File]:
    return [discord.File(io.BytesIO(data), filename=name) for name, data in attachments]
