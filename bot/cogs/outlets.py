"""/outlets alias|group|list: the outlet names a credit may name a story's origin by (issue 24).
Recording is for managers (``manager_only``); everyone may list. Discord sets default
permissions per top-level command, so the group stays visible and each recording
subcommand checks its member."""
from __future__ import annotations

import discord
from discord import app_commands

from index import MAX_CHARS

from ..common import BaseCog
from ..policy import manager_only
from ..render import credits as render_credits

NAME_CHARS = MAX_CHARS["outlet"]  # an outlet's name, as /edit takes it


class OutletsCog(BaseCog):
    outlets = app_commands.Group(name="outlets", description="Outlet names credits may use: aliases and sister titles")

    @outlets.command(name="alias")
    @app_commands.describe(name="The outlet (as articles name it)", alias="Another name of the same outlet")
    @manager_only("record outlet names")
    async def alias(self, interaction: discord.Interaction, name: app_commands.Range[str, 1, NAME_CHARS],
                    alias: app_commands.Range[str, 1, NAME_CHARS]) -> None:
        """Record another name of an outlet, so a credit under it names the outlet (managers only)."""
        await self._record(interaction, lambda e: e.record_alias(name, alias))

    @outlets.command(name="group")
    @app_commands.describe(name="The outlet (as articles name it)", other="Its sister title")
    @manager_only("record outlet names")
    async def group(self, interaction: discord.Interaction, name: app_commands.Range[str, 1, NAME_CHARS],
                    other: app_commands.Range[str, 1, NAME_CHARS]) -> None:
        """Record two outlets as sister titles, so crediting one credits the other (managers only)."""
        await self._record(interaction, lambda e: e.record_group(name, other))

    async def _record(self, interaction: discord.Interaction, call) -> None:
        """The recording, off the loop; the outlet as now recorded, to the manager alone."""
        await self.defer(interaction, ephemeral=True)
        entry = await self.engine(interaction, call)
        await interaction.followup.send(render_credits.recorded_line(entry), ephemeral=True)

    @outlets.command(name="list")
    async def list_(self, interaction: discord.Interaction) -> None:
        """List the outlets with their recorded aliases and sister titles."""
        await self.defer(interaction)
        entries = await self.engine(interaction, lambda e: e.list_outlets())
        await self.send_pages(interaction, render_credits.outlets_pages(entries))
