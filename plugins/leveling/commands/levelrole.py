"""/levelrole add|remove|list: roles members get at a level."""

from __future__ import annotations

import interactions
from interactions import OptionType, Permissions, SlashContext, slash_option

from guildkit.core.permissions import require_level
from guildkit.core.roles import RoleAboveBot, check_role_assignable

from .. import errors, service
from ..state import LevelingState
from . import format


class LevelRoleCommands(interactions.Extension):
    @interactions.slash_command(
        name="levelrole",
        description="Roles members get at a level",
        sub_cmd_name="add",
        sub_cmd_description="Give a role at a level",
        default_member_permissions=Permissions.MANAGE_GUILD,
    )
    @slash_option("role", "Role", opt_type=OptionType.ROLE, required=True)
    @slash_option(
        "level", "Level", opt_type=OptionType.INTEGER, required=True, min_value=1, max_value=service.MAX_LEVEL
    )
    @slash_option("stacked", "Keep it after reaching a higher level role (default yes)", opt_type=OptionType.BOOLEAN)
    async def levelrole_add(self, ctx: SlashContext, role: interactions.Role, level: int, stacked: bool = True) -> None:
        guild_id = await require_level(ctx, "manager")
        try:
            # Below the bot and below the member, not managed or @everyone, and no dangerous
            # permission the member lacks: else /xp add would hand it out.
            check_role_assignable(ctx.guild, role, ctx.author)
        except RoleAboveBot as refused:
            raise errors.RoleNotAssignable(int(role.id), "above_bot") from refused
        await service.set_level_role(guild_id, int(role.id), level, stacked, configured_by=int(ctx.author.id))
        await ctx.client.runtime.state(LevelingState).schedule_recompute(guild_id, roles=True)
        kind = "kept at higher levels" if stacked else "replaced by higher level roles"
        await ctx.send(
            f"{role.mention} is given at level {level} ({kind}). Members are being updated in the background.",
            allowed_mentions={"parse": []},
        )

    @levelrole_add.subcommand(sub_cmd_name="remove", sub_cmd_description="Stop giving a role at a level")
    @slash_option("role", "Role", opt_type=OptionType.ROLE, required=True)
    async def levelrole_remove(self, ctx: SlashContext, role: interactions.Role) -> None:
        guild_id = await require_level(ctx, "manager")
        await service.remove_level_role(guild_id, int(role.id))
        await ctx.send(f"{role.mention} is no longer a level role; members keep it.", allowed_mentions={"parse": []})

    @levelrole_add.subcommand(sub_cmd_name="list", sub_cmd_description="The level roles here")
    async def levelrole_list(self, ctx: SlashContext) -> None:
        # Like the rest of /levelrole: Discord hides the group from members, and a member the
        # owner opened it to is refused too (no command of a managers' group answers them).
        guild_id = await require_level(ctx, "manager")
        roles = await service.level_roles(guild_id)
        if not roles:
            await ctx.send("No level roles yet. Add one with `/levelrole add`.", ephemeral=True)
            return
        lines = [
            f"Level {r.level}: {format.role_mention(r.role_id)} ({'stacked' if r.stacked else 'replaces lower'})"
            for r in roles
        ]
        await ctx.send("\n".join(lines), ephemeral=True, allowed_mentions={"parse": []})
