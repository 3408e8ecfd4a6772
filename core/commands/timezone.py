"""/timezone [zone]: the member's timezone, shared by every plugin that shows or parses times."""

from __future__ import annotations

import interactions
from interactions import AutocompleteContext, OptionType, SlashContext, slash_option

from guildkit.core import clock
from guildkit.core.commands.access import runtime_of
from guildkit.core.users import search_timezones


class TimezoneCommand(interactions.Extension):
    @interactions.slash_command(
        name="timezone", description="See or set your timezone (used for daily resets and reminders)"
    )
    @slash_option(
        "zone",
        "An IANA name like Europe/Berlin; leave out to see yours",
        opt_type=OptionType.STRING,
        autocomplete=True,
        max_length=64,
    )
    async def timezone(self, ctx: SlashContext, zone: str | None = None) -> None:
        runtime = runtime_of(ctx)
        user_id = int(ctx.author_id)
        if zone:
            name = await runtime.users.set_timezone(user_id, ctx.author.display_name, zone)
            local = clock.now().astimezone(await runtime.users.timezone(user_id))
            await ctx.send(f"Your timezone is now **{name}** (it is {local:%H:%M} there).", ephemeral=True)
            return
        tz = await runtime.users.timezone(user_id)
        local = clock.now().astimezone(tz)
        await ctx.send(
            f"Your timezone is **{tz.key}** (it is {local:%H:%M} there). Change it with `/timezone zone:`.",
            ephemeral=True,
        )

    @timezone.autocomplete("zone")
    async def _zones(self, ctx: AutocompleteContext) -> None:
        typed = ctx.input_text or ""
        await ctx.send(
            choices=[{"name": tz, "value": tz} for tz in search_timezones(typed)]
            if typed
            else [
                {"name": tz, "value": tz}
                for tz in (
                    "UTC",
                    "Europe/London",
                    "Europe/Berlin",
                    "America/New_York",
                    "America/Los_Angeles",
                    "Asia/Tokyo",
                    "Australia/Sydney",
                )
            ]
        )
