"""/config show | set | reset"""

from __future__ import annotations

import json
from typing import Any

import interactions
from interactions import AutocompleteContext, OptionType, SlashContext, slash_option

from guildkit.core.commands.access import MANAGE_GUILD, plugin_choices, runtime_of
from guildkit.core.permissions import require_manager
from guildkit.core.settings import GUILD_LEVEL

BLUE = 0x3498DB


def _show(value: Any) -> str:
    return "none" if value is None else json.dumps(value) if not isinstance(value, str) else value


class ConfigCommands(interactions.Extension):
    @interactions.slash_command(
        name="config",
        description="Plugin settings for this server",
        sub_cmd_name="show",
        sub_cmd_description="Show a plugin's settings here",
        default_member_permissions=MANAGE_GUILD,
        dm_permission=False,
    )
    @slash_option("plugin", "Plugin", opt_type=OptionType.STRING, required=True, autocomplete=True, max_length=100)
    @slash_option("channel", "Show the values that apply in this channel", opt_type=OptionType.CHANNEL)
    async def config_show(
        self, ctx: SlashContext, plugin: str, channel: interactions.GuildChannel | None = None
    ) -> None:
        guild_id = await require_manager(ctx)
        runtime = runtime_of(ctx)
        plugin = plugin.strip().lower()
        infos = runtime.settings.describe(plugin)
        overrides = await runtime.settings.overrides(guild_id, plugin)
        channel_id = int(channel.id) if channel else None
        current = await runtime.settings.get(guild_id, plugin, channel_id)
        lines = []
        for info in infos:
            if channel_id and (info.key, channel_id) in overrides:
                source = f"set for <#{channel_id}>"
            elif (info.key, GUILD_LEVEL) in overrides:
                source = "set for this server"
            else:
                source = "default"
            channel_notes = [
                f"<#{c}>: {_show(v)}" for (k, c), v in overrides.items() if k == info.key and c and c != channel_id
            ]
            line = f"`{info.key}` = **{_show(getattr(current, info.key))}** *({source})*"
            if info.description:
                line += f"\n  {info.description}"
            line += f"\n  allowed: {info.allowed}"
            if channel_notes:
                line += "\n  channel overrides: " + ", ".join(channel_notes)
            lines.append(line)
        title = f"{plugin} settings" + (f" in #{channel.name}" if channel else "")
        embed = interactions.Embed(title=title, description="\n".join(lines)[:4000], color=BLUE)
        embed.set_footer("Change with /config set PLUGIN KEY VALUE [channel]")
        await ctx.send(embeds=embed, ephemeral=True)

    @config_show.subcommand(sub_cmd_name="set", sub_cmd_description="Change a setting here or in one channel")
    @slash_option("plugin", "Plugin", opt_type=OptionType.STRING, required=True, autocomplete=True, max_length=100)
    @slash_option("key", "Setting", opt_type=OptionType.STRING, required=True, autocomplete=True, max_length=100)
    @slash_option(
        "value", "New value (`none` clears an optional one)", opt_type=OptionType.STRING, required=True, max_length=1000
    )
    @slash_option("channel", "Only in this channel", opt_type=OptionType.CHANNEL)
    async def config_set(
        self, ctx: SlashContext, plugin: str, key: str, value: str, channel: interactions.GuildChannel | None = None
    ) -> None:
        guild_id = await require_manager(ctx)
        runtime = runtime_of(ctx)
        plugin, key = plugin.strip().lower(), key.strip()
        stored = await runtime.settings.set(
            guild_id, plugin, key, value, channel_id=int(channel.id) if channel else None, actor_id=int(ctx.author_id)
        )
        where = f"in <#{channel.id}>" if channel else "for this server"
        await ctx.send(f"`{plugin}.{key}` is now **{_show(stored)}** {where}.", ephemeral=True)

    @config_show.subcommand(sub_cmd_name="reset", sub_cmd_description="Back to the default: one setting or all")
    @slash_option("plugin", "Plugin", opt_type=OptionType.STRING, required=True, autocomplete=True, max_length=100)
    @slash_option(
        "key", "Setting (all of the plugin's if left out)", OptionType.STRING, autocomplete=True, max_length=100
    )
    @slash_option("channel", "Only this channel's override", opt_type=OptionType.CHANNEL)
    async def config_reset(
        self, ctx: SlashContext, plugin: str, key: str | None = None, channel: interactions.GuildChannel | None = None
    ) -> None:
        guild_id = await require_manager(ctx)
        runtime = runtime_of(ctx)
        plugin = plugin.strip().lower()
        removed = await runtime.settings.reset(
            guild_id,
            plugin,
            key.strip() if key else None,
            channel_id=int(channel.id) if channel else None,
            actor_id=int(ctx.author_id),
        )
        what = f"`{plugin}.{key}`" if key else f"all `{plugin}` settings"
        where = f" in <#{channel.id}>" if channel else ""
        if removed:
            await ctx.send(f"Reset {what}{where} to the default.", ephemeral=True)
        else:
            await ctx.send(f"{what.capitalize()}{where} already had the default value.", ephemeral=True)

    @config_show.autocomplete("plugin")
    async def _show_plugins(self, ctx: AutocompleteContext) -> None:
        await ctx.send(choices=plugin_choices(runtime_of(ctx), ctx.input_text or "", with_settings=True))

    @config_set.autocomplete("plugin")
    async def _set_plugins(self, ctx: AutocompleteContext) -> None:
        await ctx.send(choices=plugin_choices(runtime_of(ctx), ctx.input_text or "", with_settings=True))

    @config_reset.autocomplete("plugin")
    async def _reset_plugins(self, ctx: AutocompleteContext) -> None:
        await ctx.send(choices=plugin_choices(runtime_of(ctx), ctx.input_text or "", with_settings=True))

    @config_set.autocomplete("key")
    async def _set_keys(self, ctx: AutocompleteContext) -> None:
        await ctx.send(choices=_key_choices(ctx))

    @config_reset.autocomplete("key")
    async def _reset_keys(self, ctx: AutocompleteContext) -> None:
        await ctx.send(choices=_key_choices(ctx))


def _key_choices(ctx: AutocompleteContext) -> list[dict[str, str]]:
    runtime = runtime_of(ctx)
    plugin = runtime.by_name.get(str(ctx.kwargs.get("plugin", "")).strip().lower())
    if plugin is None or plugin.settings is None:
        return []
    typed = (ctx.input_text or "").lower()
    return [{"name": k, "value": k} for k in plugin.settings.model_fields if typed in k.lower()][:25]
