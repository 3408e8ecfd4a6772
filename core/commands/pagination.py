"""The page buttons of every paginated reply (see core/pagination.py)."""

from __future__ import annotations

import re

import interactions
from interactions import ComponentContext

from guildkit.core.commands.access import runtime_of
from guildkit.core.errors import PluginDisabled, UserError
from guildkit.core.pagination import PREFIX, parse_custom_id


class PageTurner(interactions.Extension):
    @interactions.component_callback(re.compile(rf"^{re.escape(PREFIX)}:"))
    async def turn_page(self, ctx: ComponentContext) -> None:
        found = parse_custom_id(ctx.custom_id)
        if found is None:
            raise UserError("This list is no longer available. Run the command again.")
        source, page, arg = found
        runtime = runtime_of(ctx)
        # The core's gate wraps plugin extensions; this extension is the core's, so gate here.
        guild_id = ctx.guild_id
        if (
            source.plugin in runtime.by_name
            and guild_id is not None
            and not await runtime.flags.is_enabled(int(guild_id), source.plugin)
        ):
            raise PluginDisabled(source.plugin)
        await ctx.edit_origin(**await source.message(ctx, page, arg))
