"""Application commands per scope (global, or one guild), with Discord's validation."""

from __future__ import annotations

import re
from typing import Any

from ..errors import DiscordHTTPError, form_error, unknown
from ..models import Command
from .base import Call, Router, guild_for_bot

_NAME = re.compile(r"^[-_\w]{1,32}$")


def _scope(call: Call) -> int | None:
    if str(call.params.get("application_id")) != str(call.world.application_id):
        raise DiscordHTTPError(403, 50001, "Missing Access")
    if "guild_id" in call.params:
        return guild_for_bot(call.world, call.params["guild_id"]).id
    return None


def _command_id(call: Call) -> int:
    raw = call.params["command_id"]
    if not raw.isdigit():
        raise unknown("command")
    return int(raw)


def validate_command(data: Any, prefix: str = "") -> None:
    """The checks Discord makes that catch real bot bugs (names, descriptions, option order)."""
    if not isinstance(data, dict) or not data.get("name"):
        raise form_error(f"{prefix}name", "BASE_TYPE_REQUIRED", "This field is required")
    kind = int(data.get("type") or 1)
    name = str(data["name"])
    if kind == 1:
        if not _NAME.match(name) or name != name.lower():
            raise form_error(f"{prefix}name", "APPLICATION_COMMAND_INVALID_NAME", f"Command name is invalid: {name!r}")
        description = data.get("description") or ""
        if not 1 <= len(description) <= 100:
            raise form_error(f"{prefix}description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    _validate_options(data.get("options") or [], f"{prefix}options.")


def _validate_options(options: list[dict[str, Any]], prefix: str) -> None:
    if len(options) > 25:
        raise form_error(prefix.rstrip("."), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    seen: set[str] = set()
    optional_seen = False
    for i, option in enumerate(options):
        name = str(option.get("name", ""))
        if not _NAME.match(name) or name != name.lower():
            raise form_error(
                f"{prefix}{i}.name", "APPLICATION_COMMAND_INVALID_NAME", f"Option name is invalid: {name!r}"
            )
        if name in seen:
            raise form_error(
                f"{prefix}{i}.name", "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Duplicate option name"
            )
        seen.add(name)
        if int(option.get("type", 3)) in (1, 2):
            _validate_options(option.get("options") or [], f"{prefix}{i}.options.")
            continue
        if option.get("required"):
            if optional_seen:
                raise form_error(
                    f"{prefix}{i}.required",
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            optional_seen = True


def _store(call: Call, scope: int | None, data: dict[str, Any], existing: Command | None) -> Command:
    world = call.world
    body = {k: v for k, v in data.items() if k not in ("id", "application_id", "version", "guild_id")}
    if existing is not None:
        if existing.data != body:
            existing.data = body
            existing.version = world.ids.next()
        return existing
    cmd = Command(id=world.ids.next(), application_id=world.application_id, guild_id=scope, data=body, version=0)
    cmd.version = cmd.id
    return cmd


def register(router: Router) -> None:
    for base in (
        "/applications/{application_id}/commands",
        "/applications/{application_id}/guilds/{guild_id}/commands",
    ):
        _register_scope(router, base)


def _register_scope(router: Router, base: str) -> None:
    @router.route("GET", f"{base}/{{command_id}}")
    async def get_command(call: Call) -> Any:
        scope = _scope(call)
        cmd = call.world.scope_commands(scope).get(_command_id(call))
        if cmd is None:
            raise unknown("command")
        return cmd.to_json()

    @router.route("GET", base)
    async def list_commands(call: Call) -> Any:
        scope = _scope(call)
        return [c.to_json() for c in call.world.scope_commands(scope).values()]

    @router.route("PUT", base)
    async def overwrite(call: Call) -> Any:
        scope = _scope(call)
        payload = call.body if isinstance(call.body, list) else []
        for i, data in enumerate(payload):
            validate_command(data, f"{i}.")
        keys = [(str(d["name"]), int(d.get("type") or 1)) for d in payload]
        if len(set(keys)) != len(keys):
            raise form_error(
                "_errors", "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique"
            )
        current = call.world.scope_commands(scope)
        by_key = {(c.name, c.type): c for c in current.values()}
        # A command not registered at this moment is a create, even one removed earlier today.
        call.emu.count_command_creates(scope, sum(1 for key in keys if key not in by_key))
        stored = [_store(call, scope, data, by_key.get(key)) for data, key in zip(payload, keys, strict=True)]
        current.clear()
        current.update({c.id: c for c in stored})
        call.emu.command_overwrites[scope] = call.emu.command_overwrites.get(scope, 0) + 1
        call.world.on_change()
        return [c.to_json() for c in stored]

    @router.route("POST", base)
    async def create(call: Call) -> Any:
        scope = _scope(call)
        data = call.json()
        validate_command(data)
        current = call.world.scope_commands(scope)
        existing = next(
            (c for c in current.values() if (c.name, c.type) == (data["name"], int(data.get("type") or 1))), None
        )
        if existing is None:
            call.emu.count_command_creates(scope, 1)
        cmd = _store(call, scope, data, existing)
        current[cmd.id] = cmd
        call.world.on_change()
        return cmd.to_json()

    @router.route("PATCH", f"{base}/{{command_id}}")
    async def edit(call: Call) -> Any:
        scope = _scope(call)
        cmd = call.world.scope_commands(scope).get(_command_id(call))
        if cmd is None:
            raise unknown("command")
        merged = {**cmd.data, **call.json()}
        validate_command(merged)
        _store(call, scope, merged, cmd)
        call.world.on_change()
        return cmd.to_json()

    @router.route("DELETE", f"{base}/{{command_id}}")
    async def delete(call: Call) -> Any:
        scope = _scope(call)
        if call.world.scope_commands(scope).pop(_command_id(call), None) is None:
            raise unknown("command")
        call.world.on_change()
        return None
