"""How the bot answers an interaction, whether or not its response is done: the response
while it is still open, else a followup (after a defer, a check, or a first answer)."""
from __future__ import annotations

import discord

from .render.primitives import error_text


async def reply(interaction: discord.Interaction, *, ephemeral: bool = False,
                **kwargs) -> discord.InteractionMessage | discord.WebhookMessage:
    """Send ``kwargs`` (content, embeds, view, files) as the answer; returns the message sent."""
    if interaction.response.is_done():
        return await interaction.followup.send(wait=True, ephemeral=ephemeral, **kwargs)
    callback = await interaction.response.send_message(ephemeral=ephemeral, **kwargs)
    if isinstance(callback.resource, discord.InteractionMessage):
        return callback.resource
    return await interaction.original_response()  # Discord did not return the message


async def reply_ephemeral(interaction: discord.Interaction, message: str) -> None:
    """A short error line (``error_text``) that only the user sees."""
    await reply(interaction, content=error_text(message), ephemeral=True)
