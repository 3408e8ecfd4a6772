"""/xp add|remove|set|reset|reset-all|restore|role-multiplier: admin XP tools."""

from __future__ import annotations

import interactions
from interactions import OptionType, Permissions, SlashContext, slash_option

from guildkit.core.permissions import require_level

from .. import service
from ..service.admin import XpChangeKind
from ..state import LevelingState
from . import format


class XpCommands(interactions.Extension):
    @interactions.slash_command(
        name="xp",
        description="Change members' XP",
        sub_cmd_name="add",
        sub_cmd_description="Give a member XP",
        default_member_permissions=Permissions.MANAGE_GUILD,
    )
    @slash_option("member", "Who", opt_type=OptionType.USER, required=True)
    @slash_option(
        "amount", "How much XP", opt_type=OptionType.INTEGER, required=True, min_value=1, max_value=service.MAX_ADMIN_XP
    )
    async def xp_add(self, ctx: SlashContext, member: interactions.Member, amount: int) -> None:
        await self._change(ctx, member, "add", amount, f"Added {amount:,} XP to")

    @xp_add.subcommand(sub_cmd_name="remove", sub_cmd_description="Take XP from a member")
    @slash_option("member", "Who", opt_type=OptionType.USER, required=True)
    @slash_option(
        "amount", "How much XP", opt_type=OptionType.INTEGER, required=True, min_value=1, max_value=service.MAX_ADMIN_XP
    )
    async def xp_remove(self, ctx: SlashContext, member: interactions.Member, amount: int) -> None:
        await self._change(ctx, member, "remove", amount, f"Removed {amount:,} XP from")

    @xp_add.subcommand(sub_cmd_name="set", sub_cmd_description="Set a member's XP")
    @slash_option("member", "Who", opt_type=OptionType.USER, required=True)
    @slash_option(
        "amount",
        "Their new XP",
        opt_type=OptionType.INTEGER,
        required=True,
        min_value=0,
        max_value=service.MAX_ADMIN_XP,
    )
    async def xp_set(self, ctx: SlashContext, member: interactions.Member, amount: int) -> None:
        await self._change(ctx, member, "set", amount, "Set the XP of")

    @xp_add.subcommand(sub_cmd_name="reset", sub_cmd_description="Set a member's XP to 0")
    @slash_option("member", "Who", opt_type=OptionType.USER, required=True)
    async def xp_reset(self, ctx: SlashContext, member: interactions.Member) -> None:
        await self._change(ctx, member, "reset", 0, "Reset the XP of")

    async def _change(
        self, ctx: SlashContext, member: interactions.Member, kind: XpChangeKind, amount: int, verb: str
    ) -> None:
        guild_id = await require_level(ctx, "manager")
        target = format.target_member(ctx, member)
        engine = ctx.client.runtime.state(LevelingState).engine
        change = await service.change_xp(engine, guild_id, int(target.id), kind, amount)
        await ctx.send(format.xp_change(verb, target.mention, change), allowed_mentions={"parse": []})

    @xp_add.subcommand(sub_cmd_name="reset-all", sub_cmd_description="Reset everyone's XP (a backup is kept)")
    @slash_option("confirm", "Type RESET to confirm", opt_type=OptionType.STRING, required=True, max_length=20)
    async def xp_reset_all(self, ctx: SlashContext, confirm: str) -> None:
        guild_id = await require_level(ctx, "manager")
        service.check_reset_confirmation(confirm)  # refused before anything is written
        state = ctx.client.runtime.state(LevelingState)
        await state.flush_guild(guild_id)
        reset = await service.reset_guild(guild_id, confirm)
        await state.schedule_recompute(guild_id, roles=True)
        await ctx.send(
            f"Reset the XP of {reset.members} member(s). Backup #{reset.backup_id} was written first; "
            "`/xp restore` undoes this."
        )

    @xp_add.subcommand(sub_cmd_name="restore", sub_cmd_description="Undo the last server-wide reset")
    async def xp_restore(self, ctx: SlashContext) -> None:
        guild_id = await require_level(ctx, "manager")
        await service.check_backup_exists(guild_id)  # refused before anything is written
        state = ctx.client.runtime.state(LevelingState)
        await state.flush_guild(guild_id)
        restored = await service.restore_guild(guild_id)
        await state.schedule_recompute(guild_id, roles=True)
        await ctx.send(
            f"Restored the XP of {restored.members} member(s) from the backup of "
            f"{format.timestamp(restored.backup_made_at)}."
        )

    @xp_add.subcommand(sub_cmd_name="role-multiplier", sub_cmd_description="XP multiplier for a role (0 = no XP)")
    @slash_option("role", "Role", opt_type=OptionType.ROLE, required=True)
    @slash_option(
        "multiplier",
        "e.g. 1.5; 0 means members with it earn no XP; 1 removes it",
        opt_type=OptionType.NUMBER,
        required=True,
        min_value=0,
        max_value=service.MAX_ROLE_MULTIPLIER,
    )
    async def xp_role_multiplier(self, ctx: SlashContext, role: interactions.Role, multiplier: float) -> None:
        guild_id = await require_level(ctx, "manager")
        await service.set_role_multiplier(guild_id, int(role.id), float(multiplier))
        ctx.client.runtime.state(LevelingState).invalidate(guild_id)
        what = "earn no XP" if multiplier == 0 else f"earn x{multiplier:g} XP"
        await ctx.send(f"Members with {role.mention} now {what}.", allowed_mentions={"parse": []})
