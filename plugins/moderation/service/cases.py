"""Cases: numbering, opening (idempotent by key), recording the outcome, reading and reason edits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from guildkit.core import clock

from ..errors import CaseNotFound
from ..models import Case, CaseEdit, Warning

KINDS = ("warn", "note", "timeout", "untimeout", "kick", "ban", "softban", "unban")
#: What a case does in Discord; the rest are records only.
DISCORD_KINDS = frozenset({"timeout", "untimeout", "kick", "ban", "softban", "unban"})
#: Kinds whose DM must go out before the action: afterwards the member shares no server with the bot.
DM_BEFORE = frozenset({"kick", "ban", "softban"})
MAX_REASON = 512


@dataclass(frozen=True)
class CaseRequest:
    """Everything the pipeline needs to open a case."""

    guild_id: int
    kind: str
    target_id: int
    target_name: str
    moderator_id: int
    moderator_name: str
    reason: str | None
    key: str
    source: str = "command"
    points: int | None = None
    duration: timedelta | None = None
    delete_message_seconds: int = 0
    cause_number: int | None = None
    audit_entry_id: int | None = None
    #: The action already happened in Discord (a manual action seen in the audit log).
    performed: bool = False


@dataclass(frozen=True)
class CaseView:
    guild_id: int
    number: int
    kind: str
    target_id: int
    target_name: str
    moderator_id: int
    moderator_name: str
    reason: str | None
    points: int | None
    duration: timedelta | None
    expires_at: datetime | None
    status: str
    failure: str | None
    dm: str
    source: str
    cause_number: int | None
    modlog_message_id: int | None
    created_at: datetime
    edits: int = 0

    @classmethod
    def of(cls, case: Case, edits: int = 0) -> CaseView:
        return cls(
            guild_id=case.guild_id,
            number=case.number,
            kind=case.kind,
            target_id=case.target_id,
            target_name=case.target_name,
            moderator_id=case.moderator_id,
            moderator_name=case.moderator_name,
            reason=case.reason,
            points=case.points,
            duration=timedelta(seconds=case.duration_seconds) if case.duration_seconds is not None else None,
            expires_at=case.expires_at,
            status=case.status,
            failure=case.failure,
            dm=case.dm,
            source=case.source,
            cause_number=case.cause_number,
            modlog_message_id=case.modlog_message_id,
            created_at=case.created_at,
            edits=edits,
        )

    def export(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "kind": self.kind,
            "target_id": self.target_id,
            "moderator_id": self.moderator_id,
            "reason": self.reason,
            "points": self.points,
            "duration_seconds": int(self.duration.total_seconds()) if self.duration else None,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
        }


async def _next_number(connection: Any, guild_id: int) -> int:
    """Bump the guild's counter and return the new value in one statement: two concurrent cases
    can never get the same number (the row lock on PostgreSQL, the write lock on SQLite)."""
    dialect = connection.capabilities.dialect
    mark = "$1" if dialect == "postgres" else "?"
    rows = await connection.execute_query_dict(
        "INSERT INTO moderation_case_counter (guild_id, last_number) VALUES "
        f"({mark}, 1) ON CONFLICT (guild_id) DO UPDATE SET "
        "last_number = moderation_case_counter.last_number + 1 RETURNING last_number",
        [guild_id],
    )
    return int(rows[0]["last_number"])


async def by_key(key: str) -> Case | None:
    return await Case.get_or_none(key=key)


async def open_case(
    request: CaseRequest, *, warning_expires: timedelta, warning_deleted: timedelta
) -> tuple[Case, bool]:
    """Take the next number and store the case (and, for a warning, its points) in one
    transaction. Returns (case, False) when a case with this key exists already."""
    existing = await by_key(request.key)
    if existing is not None:
        return existing, False
    now = clock.now()
    reason = request.reason[:MAX_REASON] if request.reason else None
    try:
        async with in_transaction() as connection:
            number = await _next_number(connection, request.guild_id)
            case = await Case.create(
                using_db=connection,
                guild_id=request.guild_id,
                number=number,
                kind=request.kind,
                target_id=request.target_id,
                target_name=request.target_name[:100],
                moderator_id=request.moderator_id,
                moderator_name=request.moderator_name[:100],
                reason=reason,
                points=request.points,
                duration_seconds=int(request.duration.total_seconds()) if request.duration else None,
                expires_at=now + request.duration if request.duration else None,
                source=request.source,
                key=request.key,
                audit_entry_id=request.audit_entry_id,
                cause_number=request.cause_number,
                status="done" if request.performed or request.kind not in DISCORD_KINDS else "pending",
                created_at=now,
            )
            if request.kind == "warn":
                await Warning.create(
                    using_db=connection,
                    guild_id=request.guild_id,
                    user_id=request.target_id,
                    moderator_id=request.moderator_id,
                    number=number,
                    reason=reason,
                    points=request.points or 1,
                    created_at=now,
                    expires_at=now + warning_expires,
                    delete_after=now + warning_deleted,
                )
    except IntegrityError:
        # The same key opened concurrently (a retried interaction, a second process): theirs wins.
        found = await by_key(request.key)
        if found is None:
            raise
        return found, False
    return case, True


async def finish_case(case: Case, *, status: str, failure: str | None = None, dm: str | None = None) -> Case:
    changes: dict[str, Any] = {"status": status, "failure": failure[:1000] if failure else None}
    if dm is not None:
        changes["dm"] = dm
    await Case.filter(id=case.id).update(**changes)
    await case.refresh_from_db()
    return case


async def set_dm(case: Case, dm: str) -> None:
    await Case.filter(id=case.id).update(dm=dm)
    case.dm = dm


async def set_modlog_message(guild_id: int, number: int, message_id: int) -> None:
    await Case.filter(guild_id=guild_id, number=number).update(modlog_message_id=message_id)


async def get_case(guild_id: int, number: int) -> CaseView:
    case = await Case.get_or_none(guild_id=guild_id, number=number)
    if case is None:
        raise CaseNotFound(number)
    edits = await CaseEdit.filter(guild_id=guild_id, number=number).count()
    return CaseView.of(case, edits)


async def edit_reason(guild_id: int, number: int, editor_id: int, text: str) -> CaseView:
    """Change a case's reason; the old one is kept as a CaseEdit row."""
    case = await Case.get_or_none(guild_id=guild_id, number=number)
    if case is None:
        raise CaseNotFound(number)
    text = text[:MAX_REASON]
    async with in_transaction() as connection:
        await CaseEdit.create(
            using_db=connection,
            guild_id=guild_id,
            number=number,
            editor_id=editor_id,
            old_reason=case.reason,
            new_reason=text,
            at=clock.now(),
        )
        await Case.filter(id=case.id).using_db(connection).update(reason=text)
        if case.kind == "warn":
            await Warning.filter(guild_id=guild_id, number=number).using_db(connection).update(reason=text)
    return await get_case(guild_id, number)


async def reason_history(guild_id: int, number: int) -> list[tuple[int, str | None, str, datetime]]:
    rows = await CaseEdit.filter(guild_id=guild_id, number=number).order_by("at", "id")
    return [(row.editor_id, row.old_reason, row.new_reason, row.at) for row in rows]


def _filtered(guild_id: int, target_id: int | None, moderator_id: int | None, kind: str | None) -> Any:
    query = Case.filter(guild_id=guild_id)
    if target_id:
        query = query.filter(target_id=target_id)
    if moderator_id:
        query = query.filter(moderator_id=moderator_id)
    if kind:
        query = query.filter(kind=kind)
    return query


async def count_cases(
    guild_id: int, *, target_id: int | None = None, moderator_id: int | None = None, kind: str | None = None
) -> int:
    return await _filtered(guild_id, target_id, moderator_id, kind).count()


async def list_cases(
    guild_id: int,
    *,
    target_id: int | None = None,
    moderator_id: int | None = None,
    kind: str | None = None,
    offset: int = 0,
    limit: int = 10,
) -> list[CaseView]:
    rows = await _filtered(guild_id, target_id, moderator_id, kind).order_by("-number").offset(offset).limit(limit)
    return [CaseView.of(row) for row in rows]
