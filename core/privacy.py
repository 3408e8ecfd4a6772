"""User data export and deletion across the core and every plugin (``/privacy``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tortoise import Tortoise
from tortoise.fields import BigIntField, CharField, TextField
from tortoise.transactions import in_transaction

from guildkit.core import clock
from guildkit.core.models import AuditLog, FeatureFlag, SettingValue, UserProfile
from guildkit.core.notify import Change, announce

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

#: What the core keeps about a user after deletion, and why (mirrors Plugin.user_data_kept).
CORE_KEPT = {
    "AuditLog": "the record of plugin switches and settings changes made as a server manager is append-only",
}


@dataclass
class DeletionReport:
    deleted: dict[str, int] = field(default_factory=dict)
    #: owner (core or plugin) -> what it keeps and why
    kept: dict[str, str] = field(default_factory=dict)


async def export_user(runtime: Runtime, user_id: int) -> dict[str, Any]:
    # No command usage: the core counts commands per guild and hour without who used them.
    profile = await UserProfile.get_or_none(id=user_id)
    actions = (
        await AuditLog.filter(actor_id=user_id)
        .order_by("at")
        .values("guild_id", "action", "target", "before", "after", "at")
    )
    plugins = await runtime.hooks.call_each("user_data_export", runtime=runtime, user_id=user_id)
    return {
        "user_id": str(user_id),
        "exported_at": clock.now().isoformat(),
        "core": {
            "profile": None
            if profile is None
            else {
                "display_name": profile.display_name,
                "first_seen": profile.first_seen,
                "last_seen": profile.last_seen,
                "timezone": profile.timezone,
                "locale": profile.locale,
            },
            "admin_actions": list(actions),
        },
        "plugins": plugins,
    }


def export_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, indent=2, default=str, ensure_ascii=False).encode()


async def delete_user(runtime: Runtime, user_id: int) -> DeletionReport:
    report = DeletionReport()
    report.kept.update(await runtime.hooks.call_each("user_data_delete", runtime=runtime, user_id=user_id))
    async with in_transaction(runtime.database.connection_name) as conn:
        report.deleted["profile"] = await UserProfile.filter(id=user_id).using_db(conn).delete()
        # Who last changed a flag or setting is bookkeeping, not audit: forget it.
        await FeatureFlag.filter(changed_by=user_id).using_db(conn).update(changed_by=None)
        await SettingValue.filter(changed_by=user_id).using_db(conn).update(changed_by=None)
        await announce(conn, Change("user", user_id=user_id))
    if await AuditLog.filter(actor_id=user_id).exists():
        report.kept["core"] = CORE_KEPT["AuditLog"]
    runtime.users.forget(user_id)
    return report


@dataclass(frozen=True)
class Leftover:
    app: str
    model: str
    field: str
    rows: int


async def find_user_data(user_id: int) -> list[Leftover]:
    """Every row of every table that still mentions ``user_id``: as a number or inside text."""
    found = []
    for app, models in Tortoise.apps.items():
        if app == "models":  # aerich's own table
            continue
        for name, model in models.items():
            for field_name, field_object in model._meta.fields_map.items():
                if isinstance(field_object, BigIntField):
                    query = model.filter(**{field_name: user_id})
                elif isinstance(field_object, (TextField, CharField)):
                    query = model.filter(**{f"{field_name}__contains": str(user_id)})
                else:
                    continue
                if rows := await query.count():
                    found.append(Leftover(app, name, field_name, rows))
    return found
