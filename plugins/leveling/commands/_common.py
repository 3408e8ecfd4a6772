"""Small helpers the command files share."""

from __future__ import annotations

from typing import Any

import interactions

from guildkit.core.errors import UserError

from ..hooks import engine
from ..service import Engine

ADMIN = interactions.Permissions.MANAGE_GUILD


def runtime_of(ctx: Any) -> Any:
    return ctx.client.runtime


def engine_of(ctx: Any) -> Engine:
    return engine(ctx.client.runtime)


def require_admin(ctx: Any) -> None:
    if not ctx.author.has_permission(ADMIN):
        raise UserError("You need the Manage Server permission for this.")


def target_member(ctx: Any, member: Any) -> Any:
    """The member to act on: a human member of this server, else a UserError."""
    if member is None:
        return ctx.author
    if not isinstance(member, interactions.Member) or member.guild.id != ctx.guild_id:
        raise UserError(f"{getattr(member, 'username', 'That user')} is not a member of this server.")
    if member.bot:
        raise UserError("Bots do not earn XP; pick a member.")
    return member


def check_amount(amount: int, *, allow_zero: bool = False) -> int:
    from ..service import MAX_ADMIN_XP

    low = 0 if allow_zero else 1
    if amount < low or amount > MAX_ADMIN_XP:
        raise UserError(f"The amount must be between {low} and {MAX_ADMIN_XP:,} XP.")
    return amount
