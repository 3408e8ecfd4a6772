"""Hooks moderation offers other plugins."""

from __future__ import annotations

from typing import Any

from guildkit.core.hookspecs import hookspec


@hookspec
def moderation_case_created(guild_id: int, runtime: Any, case: Any) -> None:
    """Fires once per case after it was recorded (and its action done or refused): commands,
    escalations, expiries, manual actions from the audit log and API calls. Its mod-log post
    follows from a job, so ``case.modlog_message_id`` is None here.
    ``case`` is a ``guildkit.plugins.moderation.service.CaseView``; ``case.status`` is "done" or
    "failed" (Discord refused; ``case.failure`` says why)."""
