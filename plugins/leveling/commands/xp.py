"""Admin XP commands: /xp add|remove|set|reset|reset-all|restore|role-multiplier, /levels recompute."""

from __future__ import annotations

import interactions
from interactions import OptionType, SlashContext, slash_option

from guildkit.core.errors import UserError

from .. import service
from ..curve import Curve
from ..hooks import schedule_recompute
from ._common import ADMIN, check_amount, engine_of, require_admin, runtime_of, target_member


class XpCommands(interactions.Extension):
    @interactions.slash_command(
        name="xp",
        description="Change members' XP",
        sub_cmd_name="add",
        sub_cmd_description="Give a member XP",
        default_member_permissions=ADMIN,
    )
    @slash_option("member", "Who", opt_type=OptionType.USER, required=True)
    @slash_option("amount", "How much XP", opt_type=OptionType.INTEGER, required=True)
    async def xp_add(self, ctx: SlashContext, member: interactions.Member, amount: int) -> None:
        await self._change(ctx, member, lambda old: old + check_amount(amount), f"Added {amount:,} XP to")

    @xp_add.subcommand(sub_cmd_name="remove", sub_cmd_description="Take XP from a member")
    @slash_option("member", "Who", opt_type=OptionType.USER, required=True)
    @slash_option("amount", "How much XP", opt_type=OptionType.INTEGER, required=True)
    async def xp_remove(self, ctx: SlashContext, member: interactions.Member, amount: int) -> None:
        await self._change(ctx, member, lambda old: old - check_amount(amount), f"Removed {amount:,} XP from")

    @xp_add.subcommand(sub_cmd_name="set", sub_cmd_description="Set a member's XP")
    @slash_option("member", "Who", opt_type=OptionType.USER, required=True)
    @slash_option("amount", "Their new XP", opt_type=OptionType.INTEGER, required=True)
    async def xp_set(self, ctx: SlashContext, member: interactions.Member, amount: int) -> None:
        await self._change(ctx, member, lambda old: check_amount(amount, allow_zero=True), "Set the XP of")

    @xp_add.subcommand(sub_cmd_name="reset", sub_cmd_description="Set a member's XP to 0")
    @slash_option("member", "Who", opt_type=OptionType.USER, required=True)
    async def xp_reset(self, ctx: SlashContext, member: interactions.Member) -> None:
        await self._change(ctx, member, lambda old: 0, "Reset the XP of")

    async def _change(self, ctx: SlashContext, member: interactions.Member, compute, verb: str) -> None:
        require_admin(ctx)
        target = target_member(ctx, member)
        compute(0)  # validate the amount before anything is written
        runtime = runtime_of(ctx)
        old, new = await engine_of(ctx).set_xp(int(ctx.guild_id), int(target.id), compute)
        settings = await runtime.settings.get(int(ctx.guild_id), "leveling")
        level = Curve.of(settings).level(new)
        await ctx.send(
            f"{verb} {target.mention}: {old:,} → {new:,} XP (level {level}).", allowed_mentions={"parse": []}
        )

    @xp_add.subcommand(sub_cmd_name="reset-all", sub_cmd_description="Reset everyone's XP (a backup is kept)")
    @slash_option("confirm", "Type RESET to confirm", opt_type=OptionType.STRING, required=True)
    async def xp_reset_all(self, ctx: SlashContext, confirm: str) -> None:
        require_admin(ctx)
        if confirm != "RESET":
            raise UserError("Nothing was reset. Type `RESET` in the confirm option to reset everyone's XP.")
        guild_id = int(ctx.guild_id)
        await engine_of(ctx).flush()
        backup_id, count = await service.reset_guild(guild_id)
        await _schedule_recompute(ctx, roles=True)
        await ctx.send(
            f"Reset the XP of {count} member(s). Backup #{backup_id} was written first; `/xp restore` undoes this."
        )

    @xp_add.subcommand(sub_cmd_name="restore", sub_cmd_description="Undo the last server-wide reset")
    async def xp_restore(self, ctx: SlashContext) -> None:
        require_admin(ctx)
        await engine_of(ctx).flush()
        count, at = await service.restore_guild(int(ctx.guild_id))
        await _schedule_recompute(ctx, roles=True)
        await ctx.send(f"Restored the XP of {count} member(s) from the backup of <t:{int(at.timestamp())}:f>.")

    @xp_add.subcommand(sub_cmd_name="role-multiplier", sub_cmd_description="XP multiplier for a role (0 = no XP)")
    @slash_option("role", "Role", opt_type=OptionType.ROLE, required=True)
    @slash_option(
        "multiplier",
        "e.g. 1.5; 0 means members with it earn no XP; 1 removes it",
        opt_type=OptionType.NUMBER,
        required=True,
    )
    async def xp_role_multiplier(self, ctx: SlashContext, role: interactions.Role, multiplier: float) -> None:
        require_admin(ctx)
        await service.set_role_multiplier(int(ctx.guild_id), int(role.id), float(multiplier))
        engine_of(ctx).invalidate(int(ctx.guild_id))
        what = "earn no XP" if multiplier == 0 else f"earn x{multiplier:g} XP"
        await ctx.send(f"Members with {role.mention} now {what}.", allowed_mentions={"parse": []})

    @interactions.slash_command(
        name="levels",
        description="Level maintenance",
        sub_cmd_name="recompute",
        sub_cmd_description="Recompute everyone's level and level roles (after changing the curve)",
        default_member_permissions=ADMIN,
    )
    @slash_option("dry_run", "Only count who would change", opt_type=OptionType.BOOLEAN)
    async def levels_recompute(self, ctx: SlashContext, dry_run: bool = False) -> None:
        require_admin(ctx)
        guild_id = int(ctx.guild_id)
        await engine_of(ctx).flush()
        settings = await runtime_of(ctx).settings.get(guild_id, "leveling")
        changes = await service.recompute_levels(guild_id, Curve.of(settings), dry_run=True)
        up = sum(1 for c in changes if c.new_level > c.old_level)
        summary = f"{len(changes)} member(s) change level ({up} up, {len(changes) - up} down)"
        if dry_run:
            await ctx.send(f"Dry run: {summary} under the current curve. Nothing was changed.", ephemeral=True)
            return
        await _schedule_recompute(ctx, roles=True)
        await ctx.send(f"Recomputing in the background: {summary}; level roles are re-checked too.")

    @levels_recompute.subcommand(
        sub_cmd_name="preview", sub_cmd_description="Dry run: how many members would change level under another curve"
    )
    @slash_option(
        "curve",
        "Curve",
        opt_type=OptionType.STRING,
        required=True,
        choices=[interactions.SlashCommandChoice(name=c, value=c) for c in ("mee6", "linear", "flat")],
    )
    @slash_option("base", "Base XP of linear/flat (default: the current setting)", opt_type=OptionType.INTEGER)
    @slash_option("multiplier", "Curve multiplier (default: the current setting)", opt_type=OptionType.NUMBER)
    @slash_option("max_level", "Highest level (default: the current setting)", opt_type=OptionType.INTEGER)
    async def levels_preview(
        self,
        ctx: SlashContext,
        curve: str,
        base: int | None = None,
        multiplier: float | None = None,
        max_level: int | None = None,
    ) -> None:
        require_admin(ctx)
        guild_id = int(ctx.guild_id)
        settings = await runtime_of(ctx).settings.get(guild_id, "leveling")
        base = settings.curve_base if base is None else base
        multiplier = settings.curve_multiplier if multiplier is None else multiplier
        max_level = settings.max_level if max_level is None else max_level
        if not 1 <= base <= 1_000_000 or not 0 < multiplier <= 100 or not 1 <= max_level <= 10_000:
            raise UserError("Use a base of 1 to 1000000, a multiplier above 0 up to 100, a max level of 1 to 10000.")
        await engine_of(ctx).flush()
        changes = await service.recompute_levels(guild_id, Curve(curve, base, multiplier, max_level), dry_run=True)
        up = sum(1 for c in changes if c.new_level > c.old_level)
        await ctx.send(
            f"Dry run: under `{curve}` (base {base}, x{multiplier:g}, max level {max_level}) "
            f"{len(changes)} member(s) would change level ({up} up, {len(changes) - up} down). Nothing was changed. "
            "Apply it with `/config set leveling curve ...`; levels and roles are then recomputed in the background.",
            ephemeral=True,
        )


async def _schedule_recompute(ctx: SlashContext, *, roles: bool) -> None:
    await schedule_recompute(runtime_of(ctx), int(ctx.guild_id), roles=roles)
