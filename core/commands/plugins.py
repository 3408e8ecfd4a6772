"""/plugins list | enable | disable | info"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import interactions
from interactions import AutocompleteContext, OptionType, SlashContext, slash_option

from guildkit.core.commands.access import MANAGE_GUILD, plugin_choices, runtime_of
from guildkit.core.errors import UserError
from guildkit.core.inputs import quote
from guildkit.core.permissions import require_manager
from guildkit.core.plugin import RetentionPolicy

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

GREEN, GREY = 0x2ECC71, 0x95A5A6


def _feature_choices(runtime: Runtime, typed: str) -> list[dict[str, str]]:
    names = [p.name for p in runtime.plugins] + [f"{p.name}.{f}" for p in runtime.plugins for f in p.features]
    return [{"name": n, "value": n} for n in names if typed.lower() in n][:25]


class PluginCommands(interactions.Extension):
    @interactions.slash_command(
        name="plugins",
        description="See and switch the bot's plugins in this server",
        sub_cmd_name="list",
        sub_cmd_description="Installed plugins and whether each is on here",
        default_member_permissions=MANAGE_GUILD,
        dm_permission=False,
    )
    async def plugins_list(self, ctx: SlashContext) -> None:
        guild_id = await require_manager(ctx)
        runtime = runtime_of(ctx)
        lines = []
        pending = await runtime.commands.pending(guild_id)
        waiting = set(pending.plugins) if pending is not None else set()
        for plugin in sorted(runtime.plugins, key=lambda p: p.name):
            on = await runtime.flags.own_value(guild_id, plugin.name)
            line = f"{'🟢 on ' if on else '⚪ off'}  **{plugin.name}** {plugin.version} — {plugin.description}"
            if on and plugin.name in waiting:
                assert pending is not None
                line += f"\n      ⏳ its commands are not in this server yet: {_when(pending.retry_at)}"
            lines.append(line)
        embed = interactions.Embed(
            title="Plugins",
            description="\n".join(lines) or "No plugins are installed.",
            color=GREEN,
        )
        embed.set_footer("Switch with /plugins enable NAME or /plugins disable NAME")
        await ctx.send(embeds=embed, ephemeral=True)

    @plugins_list.subcommand(sub_cmd_name="enable", sub_cmd_description="Turn a plugin or feature on in this server")
    @slash_option(
        "name", "Plugin or plugin.feature", opt_type=OptionType.STRING, required=True, autocomplete=True, max_length=100
    )
    async def plugins_enable(self, ctx: SlashContext, name: str) -> None:
        await self._switch(ctx, name, True)

    @plugins_list.subcommand(sub_cmd_name="disable", sub_cmd_description="Turn a plugin or feature off in this server")
    @slash_option(
        "name", "Plugin or plugin.feature", opt_type=OptionType.STRING, required=True, autocomplete=True, max_length=100
    )
    async def plugins_disable(self, ctx: SlashContext, name: str) -> None:
        await self._switch(ctx, name, False)

    async def _switch(self, ctx: SlashContext, name: str, enabled: bool) -> None:
        guild_id = await require_manager(ctx)
        runtime = runtime_of(ctx)
        # The command list re-sync can take longer than Discord's 3 s answer window.
        await ctx.defer(ephemeral=True)
        change = await runtime.set_plugin_enabled(guild_id, name.strip().lower(), enabled, int(ctx.author_id))
        state = "enabled" if enabled else "disabled"
        if not change.changed:
            message = f"**{change.name}** is already {state} here."
        else:
            message = f"**{change.name}** is now {state} in this server."
        pending = await runtime.commands.pending(guild_id) if enabled else None
        if pending is not None and change.name in pending.plugins:
            # The flag stays on: listeners, jobs and commands already registered work; only the
            # slash commands Discord has not accepted yet are missing, and a core job adds them.
            message += (
                f" It is on and answers, but its slash commands are not in this server yet: "
                f"{pending.reason or 'Discord refused them'}. They will appear {_when(pending.retry_at)}."
            )
        await ctx.send(message, ephemeral=True)

    @plugins_list.subcommand(sub_cmd_name="info", sub_cmd_description="Details of one plugin")
    @slash_option("name", "Plugin name", opt_type=OptionType.STRING, required=True, autocomplete=True, max_length=100)
    async def plugins_info(self, ctx: SlashContext, name: str) -> None:
        guild_id = await require_manager(ctx)
        runtime = runtime_of(ctx)
        plugin = runtime.by_name.get(name.strip().lower())
        if plugin is None:
            raise UserError(f"There is no plugin called {quote(name, 40)}. See `/plugins list`.")
        on = await runtime.flags.own_value(guild_id, plugin.name)
        embed = interactions.Embed(
            title=f"{plugin.name} {plugin.version}", description=plugin.description, color=GREEN if on else GREY
        )
        embed.add_field("Here", "on" if on else "off", inline=True)
        embed.add_field("Requires", ", ".join(plugin.requires) or "nothing", inline=True)
        embed.add_field("Source", plugin.origin, inline=True)
        if plugin.features:
            states = [
                f"{feature}: {'on' if await runtime.flags.own_value(guild_id, f'{plugin.name}.{feature}') else 'off'}"
                for feature in plugin.features
            ]
            embed.add_field("Features", "\n".join(states))
        commands = sorted({f"/{c.resolved_name}" for c in runtime.plugin_commands.get(plugin.name, [])})
        if commands:
            embed.add_field("Commands", " ".join(commands)[:1024])
        if plugin.settings is not None:
            embed.add_field("Settings", f"{len(plugin.settings.model_fields)} — see `/config show {plugin.name}`")
        if plugin.retention:
            kept = [f"{p.name}: {_keep_text(p)}" for p in plugin.retention]
            embed.add_field("Data kept", "\n".join(kept)[:1024])
        await ctx.send(embeds=embed, ephemeral=True)

    @plugins_enable.autocomplete("name")
    async def _enable_names(self, ctx: AutocompleteContext) -> None:
        await ctx.send(choices=_feature_choices(runtime_of(ctx), ctx.input_text or ""))

    @plugins_disable.autocomplete("name")
    async def _disable_names(self, ctx: AutocompleteContext) -> None:
        await ctx.send(choices=_feature_choices(runtime_of(ctx), ctx.input_text or ""))

    @plugins_info.autocomplete("name")
    async def _info_names(self, ctx: AutocompleteContext) -> None:
        await ctx.send(choices=plugin_choices(runtime_of(ctx), ctx.input_text or ""))


def _when(moment: datetime | None) -> str:
    """When a pending sync is tried next, as a Discord timestamp each reader sees in their zone."""
    if moment is None:
        return "when Discord allows it"
    stamp = int(moment.timestamp())
    return f"<t:{stamp}:R> (<t:{stamp}:f>)"


def _keep_text(policy: RetentionPolicy) -> str:
    if policy.keep is None:
        return "kept"
    return f"{policy.action} after {policy.keep.days} days"
