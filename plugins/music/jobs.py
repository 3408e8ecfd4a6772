"""Scheduled work: leaving voice after a while alone or idle (``auto_disconnect_minutes``)."""

from __future__ import annotations

from guildkit.core.scheduler import JobContext, JobKind

from .state import MusicState


async def leave_if_idle(job: JobContext) -> None:
    assert job.guild_id is not None
    await job.runtime.state(MusicState).leave_if_idle(job.guild_id)


JOBS = (JobKind("idle_leave", leave_if_idle, max_attempts=2),)
