"""Options of a slash command: keyword values turned into Discord's option list, as Discord's client would.

Values are checked against the stored command schema; members, channels, roles and files are put
in the interaction's ``resolved`` data like Discord does.
"""

from __future__ import annotations

from typing import Any

from .. import permissions as perms
from ..command_options import (
    ATTACHMENT,
    CHANNEL,
    MENTIONABLE,
    ROLE,
    USER,
    OptionProblem,
    check_value,
    option_type,
    resolve_path,
)
from ..models import Channel, Member, User
from .errors import OptionError
from .handles import MemberHandle, RoleHandle, UserHandle, _upload, _user_id


def has_option(command: dict[str, Any], path: list[str], name: str) -> bool:
    """Whether the command path (``["add"]`` of ``/xp``) has an option called ``name``."""
    try:
        return resolve_path(command, path).has_option(name)
    except OptionProblem:
        return False  # building the options says what is wrong with the path


def build_options(
    member: MemberHandle,
    command_data: dict[str, Any],
    path: list[str],
    values: dict[str, Any],
    resolved: dict[str, dict[str, Any]],
    command: str,
    channel: Channel,
    *,
    focus: tuple[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Turn keyword values into Discord's option list, following the stored command schema."""
    try:
        where = resolve_path(command_data, path)
    except OptionProblem as problem:
        raise OptionError(str(problem)) from None
    if where.rest:
        raise OptionError(f"/{command}: {where.text} has no subcommand {where.rest[0]!r}")
    schema = where.options
    known = {o["name"]: o for o in schema}
    unknown_names = set(values) - set(known) - ({focus[0]} if focus else set())
    if unknown_names:
        raise OptionError(f"/{command}: unknown option(s) {sorted(unknown_names)}; options: {list(known)}")
    result: list[dict[str, Any]] = []
    for option in schema:
        name, kind = option["name"], option_type(option)
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
    return where.nest(result)


def _convert(
    member: MemberHandle,
    option: dict[str, Any],
    value: Any,
    resolved: dict[str, dict[str, Any]],
    command: str,
    channel: Channel,
) -> Any:
    """The option's value as the interaction carries it; members, channels, roles and files are
    also put in ``resolved``."""
    kind = option_type(option)
    where = f"/{command} option {option['name']!r}"
    if kind == USER:
        return str(_resolve_user(member, _lookup_user(member, value, where), resolved, channel))
    if kind == CHANNEL:
        ch = member.guild._channel(value)
        if (types := option.get("channel_types")) and ch.type not in types:
            raise OptionError(f"{where}: #{ch.name} is not one of channel types {types}")
        data = member._emu.world.channel_json(ch)
        guild = member._emu.world.guild(member.guild_id)
        data["permissions"] = str(perms.channel_permissions(guild, member.member, ch))
        resolved.setdefault("channels", {})[str(ch.id)] = data
        return str(ch.id)
    if kind == ROLE:
        return str(_resolve_role(member, value, resolved))
    if kind == MENTIONABLE:
        if isinstance(value, RoleHandle) or (isinstance(value, str) and value.startswith("<@&")):
            return str(_resolve_role(member, value, resolved))
        return str(_resolve_user(member, _lookup_user(member, value, where), resolved, channel))
    if kind == ATTACHMENT:
        upload = _upload(value)
        world = member._emu.world
        att = world.new_attachment(channel.id, upload.filename, upload.data, upload.content_type)
        att.ephemeral = True
        world.loose_attachments[att.id] = att
        resolved.setdefault("attachments", {})[str(att.id)] = att.to_json()
        return str(att.id)
    try:
        return check_value(option, value)
    except OptionProblem as problem:
        raise OptionError(f"/{command}: {problem}") from None


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
