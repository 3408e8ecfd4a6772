"""/permissions show | add | remove: attach roles to permission levels (moderator, dj, ...)."""

from __future__ import annotations

import interactions
from interactions import AutocompleteContext, OptionType, SlashContext, slash_option

from guildkit.core.commands.access import MANAGE_GUILD, runtime_of
from guildkit.core.permissions import MANAGER, permission_names, require_level

BLUE = 0x3498DB


class PermissionCommands(interactions.Extension):
    @interactions.slash_command(
        name="permissions",
        description="Which roles count as moderators, DJs or managers for the bot",
        sub_cmd_name="show",
        sub_cmd_description="Permission levels and the roles attached to each",
        default_member_permissions=MANAGE_GUILD,
        dm_permission=False,
    )
    async def permissions_show(self, ctx: SlashContext) -> None:
        guild_id = await require_level(ctx, MANAGER.name)
        service = runtime_of(ctx).permissions
        attached = await service.roles(guild_id)
        embed = interactions.Embed(title="Permission levels", color=BLUE)
        for name, level in sorted(service.levels.items()):
            granted_by = ", ".join(permission_names(level.permissions | MANAGE_GUILD))
            roles = " ".join(f"<@&{role_id}>" for role_id in sorted(attached.get(name, ()))) or "no roles"
            embed.add_field(f"{name} — {level.description}", f"Roles: {roles}\nAlso: {granted_by}"[:1024])
        embed.set_footer("Attach a role with /permissions add LEVEL ROLE")
        await ctx.send(embeds=embed, ephemeral=True, allowed_mentions=interactions.AllowedMentions.none())

    @permissions_show.subcommand(sub_cmd_name="add", sub_cmd_description="Give a role a permission level")
    @slash_option(
        "level", "Permission level", opt_type=OptionType.STRING, required=True, autocomplete=True, max_length=32
    )
    @slash_option("role", "The role", opt_type=OptionType.ROLE, required=True)
    async def permissions_add(self, ctx: SlashContext, level: str, role: interactions.Role) -> None:
        # Attaching roles hands out the bot's powers: only real server managers may.
        guild_id = await require_level(ctx, MANAGER.name, by_role=False)
        service = runtime_of(ctx).permissions
        name = service.level(level.strip().lower()).name
        added = await service.attach(guild_id, name, int(role.id), int(ctx.author_id))
        text = (
            f"Members with <@&{role.id}> now count as **{name}**." if added else f"<@&{role.id}> already is **{name}**."
        )
        await ctx.send(text, ephemeral=True, allowed_mentions=interactions.AllowedMentions.none())

    @permissions_show.subcommand(sub_cmd_name="remove", sub_cmd_description="Take a permission level from a role")
    @slash_option(
        "level", "Permission level", opt_type=OptionType.STRING, required=True, autocomplete=True, max_length=32
    )
    @slash_option("role", "The role", opt_type=OptionType.ROLE, required=True)
    async def permissions_remove(self, ctx: SlashContext, level: str, role: interactions.Role) -> None:
        guild_id = await require_level(ctx, MANAGER.name, by_role=False)
        service = runtime_of(ctx).permissions
        name = service.level(level.strip().lower()).name
        removed = await service.detach(guild_id, name, int(role.id), int(ctx.author_id))
        text = f"<@&{role.id}> no longer counts as **{name}**." if removed else f"<@&{role.id}> was not **{name}**."
        await ctx.send(text, ephemeral=True, allowed_mentions=interactions.AllowedMentions.none())

    @permissions_add.autocomplete("level")
    async def _add_levels(self, ctx: AutocompleteContext) -> None:
        await ctx.send(choices=_level_choices(ctx))

    @permissions_remove.autocomplete("level")
    async def _remove_levels(self, ctx: AutocompleteContext) -> None:
        await ctx.send(choices=_level_choices(ctx))


def _level_choices(ctx: AutocompleteContext) -> list[dict[str, str]]:
    typed = (ctx.input_text or "").lower()
    names = sorted(runtime_of(ctx).permissions.levels)
    return [{"name": name, "value": name} for name in names if typed in name][:25]
