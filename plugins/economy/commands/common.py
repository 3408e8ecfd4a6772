"""Helpers the economy commands share."""

from __future__ import annotations

from typing import Any

import interactions

from guildkit.core.commands.access import require_guild, require_manage_guild, runtime_of

from .. import service
from ..settings import EconomySettings

__all__ = ["GOLD", "RED", "context", "money", "require_manage_guild", "role_ids", "runtime_of"]

GOLD = 0xF1C40F
GREEN = 0x2ECC71
RED = 0xE74C3C


async def context(ctx: Any) -> tuple[Any, int, EconomySettings]:
    """The runtime, the guild id and this channel's economy settings."""
    guild_id = require_guild(ctx)
    runtime = runtime_of(ctx)
    settings = await service.settings_for(runtime, guild_id, int(ctx.channel_id) if ctx.channel_id else None)
    return runtime, guild_id, settings


def money(settings: EconomySettings, amount: int) -> str:
    return service.fmt(settings, amount)


def role_ids(member: Any) -> list[int]:
    return [int(role_id) for role_id in getattr(member, "_role_ids", None) or []]


def is_bot(member: interactions.Member | interactions.User) -> bool:
    return bool(getattr(member, "bot", False))


def history_lines(entries: list[Any], owner_id: int) -> list[str]:
    """Ledger entries as lines: id, date, kind, deltas, reason, who did it, with whom."""
    lines = []
    for entry in entries:
        parts = []
        if entry.wallet_delta:
            parts.append(f"wallet {entry.wallet_delta:+,}")
        if entry.bank_delta:
            parts.append(f"bank {entry.bank_delta:+,}")
        line = f"`#{entry.id}` <t:{int(entry.at.timestamp())}:d> **{entry.kind}** {', '.join(parts) or '0'}"
        if entry.reason:
            line += f" — {entry.reason}"
        if entry.actor_id and entry.actor_id != owner_id:
            line += f" (by <@{entry.actor_id}>)"
        if entry.counterparty_id:
            line += f" (with <@{entry.counterparty_id}>)"
        lines.append(line)
    return lines
