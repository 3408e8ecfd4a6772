"""Options of a slash command: keyword values turned into Discord's option list, as Discord's client would.

Values are checked against the stored command schema; members, channels, roles and files are put
in the interaction's ``resolved`` data like Discord does.
"""

from __future__ import annotations

from typing import Any

from .. import permissions as perms
from ..models import Channel, Member, User
from .errors import OptionError
from .handles import MemberHandle, RoleHandle, UserHandle, _upload, _user_id


def _schema_has_option(data: dict[str, Any], path: list[str], name: str) -> bool:
    options = data.get("options") or []
    for part in path:
        sub = next((o for o in options if o.get("name") == part and int(o.get("type", 0)) in (1, 2)), None)
        if sub is None:
            return False
        options = sub.get("options") or []
    return any(o.get("name") == name for o in options)


def _build_options(
    member: MemberHandle,
    schema: list[dict[str, Any]],
    path: list[str],
    values: dict[str, Any],
    resolved: dict[str, dict[str, Any]],
    command: str,
    channel: Channel,
    *,
    focus: tuple[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Turn keyword values into Discord's option list, following the stored command schema."""
    subs = [o for o in schema if int(o.get("type", 0)) in (1, 2)]
    if path:
        sub = next((o for o in subs if o["name"] == path[0]), None)
        if sub is None:
            raise OptionError(f"/{command}: no subcommand {path[0]!r}; choose from {[o['name'] for o in subs]}")
        inner = _build_options(
            member, sub.get("options") or [], path[1:], values, resolved, command, channel, focus=focus
        )
        return [{"name": sub["name"], "type": int(sub["type"]), "options": inner}]
    if subs:
        raise OptionError(f"/{command} needs a subcommand: {[o['name'] for o in subs]}")
    known = {o["name"]: o for o in schema}
    unknown_names = set(values) - set(known) - ({focus[0]} if focus else set())
    if unknown_names:
        raise OptionError(f"/{command}: unknown option(s) {sorted(unknown_names)}; options: {list(known)}")
    result: list[dict[str, Any]] = []
    for option in schema:
        name, kind = option["name"], int(option.get("type", 3))
        if focus and name == focus[0]:
            if not option.get("autocomplete"):
                raise OptionError(f"/{command}: option {name!r} has no autocomplete")
            result.append({"name": name, "type": kind, "value": focus[1], "focused": True})
            continue
        if name not in values:
            if option.get("required") and not focus:
                raise OptionError(f"/{command}: missing required option {name!r}")
            continue
        value = _convert(member, option, values[name], resolved, command, channel)
        result.append({"name": name, "type": kind, "value": value})
    if focus and focus[0] not in known:
        raise OptionError(f"/{command}: no option {focus[0]!r}; options: {list(known)}")
    return result


def _convert(
    member: MemberHandle,
    option: dict[str, Any],
    value: Any,
    resolved: dict[str, dict[str, Any]],
    command: str,
    channel: Channel,
) -> Any:
    name, kind = option["name"], int(option.get("type", 3))
    where = f"/{command} option {name!r}"
    if kind == 3:
        value = str(value)
        if (mn := option.get("min_length")) is not None and len(value) < mn:
            raise OptionError(f"{where}: shorter than {mn}")
        if (mx := option.get("max_length")) is not None and len(value) > mx:
            raise OptionError(f"{where}: longer than {mx}")
    elif kind in (4, 10):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise OptionError(f"{where}: expected a number, got {value!r}")
        if kind == 4 and value != int(value):
            raise OptionError(f"{where}: expected an integer, got {value!r}")
        value = int(value) if kind == 4 else float(value)
        if (mn := option.get("min_value")) is not None and value < mn:
            raise OptionError(f"{where}: {value} is below {mn}")
        if (mx := option.get("max_value")) is not None and value > mx:
            raise OptionError(f"{where}: {value} is above {mx}")
    elif kind == 5:
        if not isinstance(value, bool):
            raise OptionError(f"{where}: expected True/False, got {value!r}")
    elif kind == 6:
        return str(_resolve_user(member, _lookup_user(member, value, where), resolved, channel))
    elif kind == 7:
        ch = member.guild._channel(value)
        if (types := option.get("channel_types")) and ch.type not in types:
            raise OptionError(f"{where}: #{ch.name} is not one of channel types {types}")
        data = member._emu.world.channel_json(ch)
        guild = member._emu.world.guild(member.guild_id)
        data["permissions"] = str(perms.channel_permissions(guild, member.member, ch))
        resolved.setdefault("channels", {})[str(ch.id)] = data
        return str(ch.id)
    elif kind == 8:
        return str(_resolve_role(member, value, resolved))
    elif kind == 9:
        if isinstance(value, RoleHandle) or (isinstance(value, str) and value.startswith("<@&")):
            return str(_resolve_role(member, value, resolved))
        return str(_resolve_user(member, _lookup_user(member, value, where), resolved, channel))
    elif kind == 11:
        upload = _upload(value)
        world = member._emu.world
        att = world.new_attachment(channel.id, upload.filename, upload.data, upload.content_type)
        att.ephemeral = True
        world.loose_attachments[att.id] = att
        resolved.setdefault("attachments", {})[str(att.id)] = att.to_json()
        return str(att.id)
    if choices := option.get("choices"):
        allowed = [c["value"] for c in choices]
        if value not in allowed:
            raise OptionError(f"{where}: {value!r} is not one of the choices {allowed}")
    return value


def _lookup_user(member: MemberHandle, value: Any, where: str) -> int:
    if isinstance(value, (UserHandle, User, Member)):
        return _user_id(value)
    world = member._emu.world
    if isinstance(value, int) or (isinstance(value, str) and value.strip("<@!>").isdigit()):
        uid = int(str(value).strip("<@!>"))
        world.user(uid)
        return uid
    if isinstance(value, str) and (user := world.user_named(value)):
        return user.id
    raise OptionError(f"{where}: no user {value!r}")


def _resolve_user(member: MemberHandle, user_id: int, resolved: dict[str, dict[str, Any]], channel: Channel) -> int:
    world = member._emu.world
    resolved.setdefault("users", {})[str(user_id)] = world.user_json(user_id)
    guild = world.guild(member.guild_id)
    if (target := guild.members.get(user_id)) is not None:
        data = world.member_json(guild, target, with_user=False, permissions=True)
        data["permissions"] = str(perms.channel_permissions(guild, target, channel))
        resolved.setdefault("members", {})[str(user_id)] = data
    return user_id


def _resolve_role(member: MemberHandle, value: Any, resolved: dict[str, dict[str, Any]]) -> int:
    role_id = member.guild._role_id(value)
    role = member._emu.world.guild(member.guild_id).roles[role_id]
    resolved.setdefault("roles", {})[str(role_id)] = role.to_json()
    return role_id
