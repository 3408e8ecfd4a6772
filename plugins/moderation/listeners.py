"""Actions done in Discord's own UI become cases; timeouts follow members who leave and rejoin.

Discord reports a ban, unban, kick or timeout as a GUILD_AUDIT_LOG_ENTRY_CREATE with the real
moderator (``user_id``) and reason. Entries made by the bot itself are skipped: the command that
made them opened the case already, so nothing is logged twice. The entry id is the case key, so a
replayed event cannot open a second case either.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import interactions
from interactions.api.events import GuildAuditLogEntryCreate, MemberAdd

from guildkit.core import clock

from . import effects, service
from .service import CaseRequest

MEMBER_KICK, MEMBER_BAN_ADD, MEMBER_BAN_REMOVE, MEMBER_UPDATE = 20, 22, 23, 24
KIND_OF_ACTION = {MEMBER_KICK: "kick", MEMBER_BAN_ADD: "ban", MEMBER_BAN_REMOVE: "unban"}


def _timeout_change(entry: Any) -> tuple[bool, datetime | None] | None:
    """(found, new value) of a communication_disabled_until change in a MEMBER_UPDATE entry."""
    for change in entry.changes or []:
        if getattr(change, "key", None) == "communication_disabled_until":
            value = change.new_value
            if isinstance(value, str):
                value = datetime.fromisoformat(value)
            return True, value
    return None


class ModerationListeners(interactions.Extension):
    @interactions.listen(GuildAuditLogEntryCreate)
    async def on_audit_entry(self, event: GuildAuditLogEntryCreate) -> None:
        runtime = self.bot.runtime
        entry = event.audit_log_entry
        if entry.user_id is None or entry.target_id is None or int(entry.user_id) == int(self.bot.user.id):
            return
        action = int(entry.action_type)
        duration = None
        if action in KIND_OF_ACTION:
            kind = KIND_OF_ACTION[action]
        elif action == MEMBER_UPDATE and (change := _timeout_change(entry)) is not None:
            until = change[1]
            if until is not None and until > clock.now():
                kind, duration = "timeout", until - clock.now()
            else:
                kind = "untimeout"
        else:
            return
        moderator = await self.bot.fetch_user(int(entry.user_id))
        target = await self.bot.fetch_user(int(entry.target_id))
        request = CaseRequest(
            guild_id=int(event.guild_id),
            kind=kind,
            target_id=int(entry.target_id),
            target_name=target.username if target else str(entry.target_id),
            moderator_id=int(entry.user_id),
            moderator_name=moderator.username if moderator else str(entry.user_id),
            reason=entry.reason or None,
            key=f"audit:{entry.id}",
            source="manual",
            duration=duration,
            audit_entry_id=int(entry.id),
            performed=True,
        )
        await effects.run_case(runtime, request, actor_id=int(entry.user_id))

    @interactions.listen(MemberAdd)
    async def on_rejoin(self, event: MemberAdd) -> None:
        """Discord keeps a timeout across leave and rejoin; if it somehow is gone while our record
        says it runs, put it back (a timeout must not be dodged by rejoining)."""
        member = event.member
        guild_id = int(event.guild_id)
        running = await service.punishments.current(guild_id, int(member.id), "timeout")
        if running is None or running.expires_at <= clock.now():
            return
        until = member.communication_disabled_until
        if until is None or until.timestamp() < running.expires_at.timestamp() - 1:
            await member.timeout(running.expires_at, reason=f"Timeout of case {running.number} still runs")
