"""ModerationAPI: what other plugins may do with moderation (an automod opening cases, say)."""

from __future__ import annotations

from datetime import timedelta

from guildkit.core.state import PluginAPI

from . import effects, service
from .service import CaseRequest, CaseView


class ModerationAPI(PluginAPI):
    async def create_case(
        self,
        guild_id: int,
        kind: str,
        target_id: int,
        *,
        reason: str,
        key: str,
        target_name: str | None = None,
        points: int | None = None,
        duration: timedelta | None = None,
    ) -> CaseView:
        """Open a case as the bot through the full pipeline (hierarchy, DM, action, mod-log, hook).
        ``key`` makes it idempotent: calling again with the same key returns the first case."""
        if kind not in service.cases.KINDS:
            raise ValueError(f"unknown case kind {kind!r}; one of {', '.join(service.cases.KINDS)}")
        client = self.runtime.client
        assert client is not None
        request = CaseRequest(
            guild_id=guild_id,
            kind=kind,
            target_id=target_id,
            target_name=target_name or str(target_id),
            moderator_id=int(client.user.id),
            moderator_name=client.user.username,
            reason=reason,
            key=f"api:{key}"[:100],
            source="api",
            points=points if kind == "warn" else None,
            duration=duration,
        )
        return (await effects.run_case(self.runtime, request, actor_id=None)).case

    async def active_points(self, guild_id: int, user_id: int) -> int:
        """The member's warning points that count now."""
        return await service.warnings.active_points(guild_id, user_id)

    async def cases_of(self, guild_id: int, user_id: int, *, limit: int = 25) -> list[CaseView]:
        return await service.cases.list_cases(guild_id, target_id=user_id, limit=limit)
