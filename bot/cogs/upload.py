"""/upload: store an article file, or the page at a link, in this server's corpus."""
from __future__ import annotations

import discord
from discord import app_commands

from index import MAX_CHARS, Metadata, split_authors, too_large

from ..common import BaseCog, articles_added
from ..engines import queue_full_text, queued_text
from ..ingest import ingest_attachment, ingest_link
from ..policy import member_key, upload_allowed
from ..render import articles as render_articles
from ..views import ApplyMetadataView, offers_of


class UploadCog(BaseCog):
    @app_commands.command(name="upload")
    @app_commands.describe(
        file="The article: .txt, .md, .html, .pdf, .docx or .jsonl",
        outlet="The outlet that published it (else read from the file, or unknown)",
        title="The headline (else read from the file, or unknown)",
        url="Link to the original article; without a file, its page is fetched and stored",
        published="Publication date, ISO 8601 (e.g. 2026-01-12)",
        authors="Authors, separated by commas, \"and\" or \"&\"",
        private="Show the receipt only to you (default: the channel sees what was added)",
    )
    @upload_allowed()
    async def upload(self, interaction: discord.Interaction, file: discord.Attachment | None = None,
                     outlet: app_commands.Range[str, 1, MAX_CHARS["outlet"]] | None = None,
                     title: app_commands.Range[str, 1, MAX_CHARS["title"]] | None = None,
                     url: app_commands.Range[str, 1, MAX_CHARS["url"]] | None = None,
                     published: app_commands.Range[str, 1, MAX_CHARS["published"]] | None = None,
                     authors: app_commands.Range[str, 1, MAX_CHARS["authors"]] | None = None,
                     private: bool = False) -> None:
        """Store an article file (or the page at a link) so its passages can be quoted."""
        limit = self.settings.max_upload_bytes
        if file is None and not url:
            await self.fail(interaction, "give a file to upload, or a url whose page should be fetched")
            return
        if file is not None and file.size > limit:  # checked before anything is downloaded
            await self.fail(interaction, too_large(file.filename, file.size, limit))
            return
        if url and not url.strip().lower().startswith(("http://", "https://")):
            await self.fail(interaction, "url must start with http:// or https://")
            return
        meta = Metadata(
            title=(title or "").strip() or None,
            outlet=(outlet or "").strip() or None,
            authors=split_authors(authors),
            published=(published or "").strip() or None,
            # without a file the link is what is fetched; the page's final address is its url
            url=((url or "").strip() or None) if file is not None else None,
        )
        queue = self.hub.ingest_queue
        if queue.full():  # refused at once, before a token or a download is spent on it
            await self.fail(interaction, queue_full_text(queue.waiting))
            return
        if not await self.admit(interaction):  # rate limit (uploads), before deferring
            return
        # Colleagues see what was added (as in the inbox) unless the uploader asks otherwise.
        await self.defer(interaction, ephemeral=private)

        async def on_queued(position: int) -> None:
            await interaction.followup.send(queued_text(position), ephemeral=True)

        # QueueFull (a UserError) when the queue filled while the file downloaded: the tree answers it
        if file is not None:
            results = await ingest_attachment(self.hub, interaction.guild_id, file, meta, limit, on_queued=on_queued,
                                              added_by=member_key(interaction.user))
        else:
            results = await ingest_link(self.hub, interaction.guild_id, url.strip(), meta, on_queued=on_queued,
                                        added_by=member_key(interaction.user))
        articles_added(self.bot, interaction.guild_id, results)
        await self.send_pages(interaction, render_articles.ingest_pages(results), ephemeral=private)
        if offers := offers_of(results):  # a duplicate brought metadata the stored article lacks
            view = ApplyMetadataView(self.bot, interaction.guild_id, offers)
            view.message = await interaction.followup.send(render_articles.offers_text(offers), view=view, ephemeral=True,
                                                           wait=True)
