"""Guilds, channels, roles, members, timeouts, kicks and bans, with Discord's permission checks."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from guildkit.core import clock

from .. import permissions as perms
from ..errors import DiscordHTTPError, bad_request, form_error, missing_permissions, unknown
from ..models import DM, GUILD_TEXT, Guild, Member, Overwrite
from ..world import parse_time
from .base import (
    Call,
    Router,
    bot_member,
    channel_for_bot,
    guild_for_bot,
    require,
    require_above,
    require_role_below,
)

P = perms.FLAGS
MAX_TIMEOUT = timedelta(days=28)


def _guild(call: Call) -> Guild:
    return guild_for_bot(call.world, call.params["guild_id"])


def _member(call: Call, guild: Guild) -> Member:
    raw = call.params["user_id"]
    if raw == "@me":
        return bot_member(call.world, guild)
    if not raw.isdigit():
        raise unknown("member")
    if int(raw) not in guild.members:
        if int(raw) not in call.world.users:
            raise unknown("user")
        raise unknown("member")
    return guild.members[int(raw)]


def _check_grantable(call: Call, guild: Guild, bits: int) -> None:
    """A bot cannot create or edit a role with permissions it does not have itself."""
    have = perms.base_permissions(guild, bot_member(call.world, guild))
    if bits & ~have:
        raise missing_permissions()


def _overwrites(raw: list[dict[str, Any]] | None) -> dict[int, Overwrite]:
    result: dict[int, Overwrite] = {}
    for ow in raw or []:
        result[int(ow["id"])] = Overwrite(
            id=int(ow["id"]),
            type=int(ow.get("type", 0)),
            allow=int(ow.get("allow") or 0),
            deny=int(ow.get("deny") or 0),
        )
    return result


def register(router: Router) -> None:
    # ---------------------------------------------------------------- guild

    @router.route("GET", "/guilds/{guild_id}")
    async def get_guild(call: Call) -> Any:
        counts = str(call.query.get("with_counts", "")).lower() in ("1", "true")
        return call.world.guild_json(_guild(call), counts=counts)

    @router.route("PATCH", "/guilds/{guild_id}")
    async def edit_guild(call: Call) -> Any:
        guild = _guild(call)
        require(call.world, guild, P["MANAGE_GUILD"])
        data = call.json()
        changes = {k: data[k] for k in ("name", "preferred_locale") if k in data}
        if "system_channel_id" in data:
            changes["system_channel_id"] = int(data["system_channel_id"]) if data["system_channel_id"] else None
        call.world.update_guild(guild, **changes)
        return call.world.guild_json(guild)

    # ---------------------------------------------------------------- channels

    @router.route("GET", "/guilds/{guild_id}/channels")
    async def list_channels(call: Call) -> Any:
        return [call.world.channel_json(c) for c in call.world.guild_channels(_guild(call))]

    @router.route("POST", "/guilds/{guild_id}/channels")
    async def create_channel(call: Call) -> Any:
        guild = _guild(call)
        require(call.world, guild, P["MANAGE_CHANNELS"])
        data = call.json()
        if not data.get("name"):
            raise form_error("name", "BASE_TYPE_REQUIRED", "This field is required")
        channel = call.world.create_channel(
            guild,
            str(data["name"]),
            int(data.get("type") or GUILD_TEXT),
            parent_id=int(data["parent_id"]) if data.get("parent_id") else None,
            topic=data.get("topic"),
            overwrites=_overwrites(data.get("permission_overwrites")).values(),
            nsfw=bool(data.get("nsfw")),
        )
        return call.world.channel_json(channel)

    @router.route("PATCH", "/channels/{channel_id}")
    async def edit_channel(call: Call) -> Any:
        channel = channel_for_bot(call.world, call.params["channel_id"])
        if channel.guild_id is None:
            raise DiscordHTTPError(403, 50003, "Cannot execute action on a DM channel")
        guild = call.world.guild(channel.guild_id)
        require(call.world, guild, P["MANAGE_CHANNELS"], channel)
        data = call.json()
        changes: dict[str, Any] = {}
        for key in ("name", "topic", "nsfw", "position", "rate_limit_per_user"):
            if key in data:
                changes[key] = data[key]
        if "parent_id" in data:
            changes["parent_id"] = int(data["parent_id"]) if data["parent_id"] else None
        if "permission_overwrites" in data:
            require(call.world, guild, P["MANAGE_ROLES"], channel)
            changes["overwrites"] = _overwrites(data["permission_overwrites"])
        call.world.update_channel(channel, **changes)
        return call.world.channel_json(channel)

    @router.route("DELETE", "/channels/{channel_id}")
    async def delete_channel(call: Call) -> Any:
        channel = channel_for_bot(call.world, call.params["channel_id"])
        data = call.world.channel_json(channel)
        if channel.type == DM:
            return data  # "closing" a DM hides it; the channel stays the same
        require(call.world, call.world.guild(channel.guild_id or 0), P["MANAGE_CHANNELS"], channel)
        call.world.delete_channel(channel)
        return data

    @router.route("PUT", "/channels/{channel_id}/permissions/{overwrite_id}")
    async def put_overwrite(call: Call) -> Any:
        channel = channel_for_bot(call.world, call.params["channel_id"])
        guild = call.world.guild(channel.guild_id or 0)
        require(call.world, guild, P["MANAGE_ROLES"], channel)
        data = call.json()
        target = int(call.params["overwrite_id"])
        overwrites = dict(channel.overwrites)
        overwrites[target] = Overwrite(
            id=target, type=int(data.get("type", 0)), allow=int(data.get("allow") or 0), deny=int(data.get("deny") or 0)
        )
        call.world.update_channel(channel, overwrites=overwrites)
        return None

    @router.route("DELETE", "/channels/{channel_id}/permissions/{overwrite_id}")
    async def delete_overwrite(call: Call) -> Any:
        channel = channel_for_bot(call.world, call.params["channel_id"])
        guild = call.world.guild(channel.guild_id or 0)
        require(call.world, guild, P["MANAGE_ROLES"], channel)
        overwrites = {k: v for k, v in channel.overwrites.items() if k != int(call.params["overwrite_id"])}
        call.world.update_channel(channel, overwrites=overwrites)
        return None

    # ---------------------------------------------------------------- roles

    @router.route("GET", "/guilds/{guild_id}/roles")
    async def list_roles(call: Call) -> Any:
        guild = _guild(call)
        return [r.to_json() for r in sorted(guild.roles.values(), key=lambda r: r.position)]

    @router.route("GET", "/guilds/{guild_id}/roles/{role_id}")
    async def get_role(call: Call) -> Any:
        guild = _guild(call)
        return call.world.role(guild, call.params["role_id"]).to_json()

    @router.route("POST", "/guilds/{guild_id}/roles")
    async def create_role(call: Call) -> Any:
        guild = _guild(call)
        require(call.world, guild, P["MANAGE_ROLES"])
        data = call.json()
        bits = (
            int(data.get("permissions") or 0)
            if data.get("permissions") is not None
            else guild.roles[guild.id].permissions
        )
        _check_grantable(call, guild, bits)
        role = call.world.create_role(
            guild,
            str(data.get("name") or "new role"),
            permissions=bits,
            position=1,  # Discord puts new roles at the bottom, above @everyone
            insert=True,
            color=int(data.get("color") or 0),
            hoist=bool(data.get("hoist")),
            mentionable=bool(data.get("mentionable")),
        )
        return role.to_json()

    @router.route("PATCH", "/guilds/{guild_id}/roles/{role_id}")
    async def edit_role(call: Call) -> Any:
        guild = _guild(call)
        require(call.world, guild, P["MANAGE_ROLES"])
        role = call.world.role(guild, call.params["role_id"])
        if role.id != guild.id:
            require_role_below(call.world, guild, role.id)
        data = call.json()
        changes: dict[str, Any] = {k: data[k] for k in ("name", "hoist", "mentionable") if k in data}
        if data.get("color") is not None:
            changes["color"] = int(data["color"])
        if data.get("permissions") is not None:
            _check_grantable(call, guild, int(data["permissions"]))
            changes["permissions"] = int(data["permissions"])
        call.world.update_role(guild, role, **changes)
        return role.to_json()

    @router.route("DELETE", "/guilds/{guild_id}/roles/{role_id}")
    async def delete_role(call: Call) -> Any:
        guild = _guild(call)
        require(call.world, guild, P["MANAGE_ROLES"])
        role = call.world.role(guild, call.params["role_id"])
        if role.id == guild.id:
            raise bad_request(50028, "Invalid Role")
        require_role_below(call.world, guild, role.id)
        call.world.delete_role(guild, role)
        return None

    # ---------------------------------------------------------------- members

    @router.route("GET", "/guilds/{guild_id}/members/search")
    async def search_members(call: Call) -> Any:
        guild = _guild(call)
        query = str(call.query.get("query", "")).lower()
        limit = int(call.query.get("limit", 1))
        found = [
            m
            for m in guild.members.values()
            if call.world.users[m.user_id].username.lower().startswith(query)
            or (m.nick or "").lower().startswith(query)
        ]
        return [call.world.member_json(guild, m) for m in found[:limit]]

    @router.route("GET", "/guilds/{guild_id}/members")
    async def list_members(call: Call) -> Any:
        guild = _guild(call)
        limit = int(call.query.get("limit", 1))
        if not 1 <= limit <= 1000:
            raise form_error("limit", "NUMBER_TYPE_MAX", "int value should be between 1 and 1000.")
        after = int(call.query.get("after", 0))
        members = sorted((m for m in guild.members.values() if m.user_id > after), key=lambda m: m.user_id)
        return [call.world.member_json(guild, m) for m in members[:limit]]

    @router.route("PATCH", "/guilds/{guild_id}/members/@me")
    async def edit_me(call: Call) -> Any:
        guild = _guild(call)
        me = bot_member(call.world, guild)
        data = call.json()
        if "nick" in data:
            require(call.world, guild, P["CHANGE_NICKNAME"])
            call.world.update_member(guild, me, nick=data["nick"] or None)
        return call.world.member_json(guild, me)

    @router.route("PATCH", "/guilds/{guild_id}/members/@me/nick")
    async def edit_my_nick(call: Call) -> Any:
        return await edit_me(call)

    @router.route("GET", "/guilds/{guild_id}/members/{user_id}")
    async def get_member(call: Call) -> Any:
        guild = _guild(call)
        return call.world.member_json(guild, _member(call, guild))

    @router.route("PATCH", "/guilds/{guild_id}/members/{user_id}")
    async def edit_member(call: Call) -> Any:
        world = call.world
        guild = _guild(call)
        target = _member(call, guild)
        data = call.json()
        changes: dict[str, Any] = {}
        timeout_until = None
        is_me = target.user_id == world.bot_user_id
        if "nick" in data:
            if is_me:
                require(world, guild, P["CHANGE_NICKNAME"])
            else:
                require(world, guild, P["MANAGE_NICKNAMES"])
                require_above(world, guild, target)
            changes["nick"] = data["nick"] or None
        if "roles" in data and data["roles"] is not None:
            require(world, guild, P["MANAGE_ROLES"])
            wanted = [int(r) for r in data["roles"]]
            for role_id in wanted:
                world.role(guild, role_id)
            for role_id in set(wanted) ^ set(target.roles):
                if guild.roles[role_id].managed:
                    raise bad_request(50013, "Missing Permissions")
                require_role_below(world, guild, role_id)
            changes["roles"] = [r for r in dict.fromkeys(wanted) if r != guild.id]
        if "communication_disabled_until" in data:
            require(world, guild, P["MODERATE_MEMBERS"])
            until = parse_time(data["communication_disabled_until"])
            if until is not None:
                if until > clock.now() + MAX_TIMEOUT:
                    raise form_error(
                        "communication_disabled_until",
                        "BASE_TYPE_BAD_TIME",
                        "Timeout can be at most 28 days in the future.",
                    )
                if perms.base_permissions(guild, target) & perms.ADMINISTRATOR:
                    raise missing_permissions()  # Discord never times out administrators
            require_above(world, guild, target)
            timeout_until: tuple[datetime | None] | None = (until,)
        for key, flag_name in (("mute", "MUTE_MEMBERS"), ("deaf", "DEAFEN_MEMBERS")):
            if key in data and data[key] is not None:
                require(world, guild, P[flag_name])
                if target.user_id not in guild.voice_states:
                    raise bad_request(40032, "Target user is not connected to voice.")
                changes[key] = bool(data[key])
        if "channel_id" in data:
            require(world, guild, P["MOVE_MEMBERS"])
            if target.user_id not in guild.voice_states:
                raise bad_request(40032, "Target user is not connected to voice.")
        if changes:
            world.update_member(guild, target, **changes)
        if timeout_until is not None:
            world.timeout(guild, target, timeout_until[0], actor_id=world.bot_user_id, reason=call.reason)
        if "channel_id" in data:
            vs = guild.voice_states[target.user_id]
            world.set_voice_state(
                guild,
                target.user_id,
                int(data["channel_id"]) if data["channel_id"] else None,
                self_mute=vs.self_mute,
                self_deaf=vs.self_deaf,
            )
        return world.member_json(guild, target)

    @router.route("DELETE", "/guilds/{guild_id}/members/{user_id}")
    async def kick(call: Call) -> Any:
        guild = _guild(call)
        target = _member(call, guild)
        require(call.world, guild, P["KICK_MEMBERS"])
        require_above(call.world, guild, target)
        call.world.kick(guild, target.user_id, actor_id=call.world.bot_user_id, reason=call.reason)
        return None

    @router.route("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
    async def add_role(call: Call) -> Any:
        guild = _guild(call)
        target = _member(call, guild)
        require(call.world, guild, P["MANAGE_ROLES"])
        role = call.world.role(guild, call.params["role_id"])
        require_role_below(call.world, guild, role.id)
        if role.id not in target.roles:
            call.world.update_member(guild, target, roles=[*target.roles, role.id])
        return None

    @router.route("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
    async def remove_role(call: Call) -> Any:
        guild = _guild(call)
        target = _member(call, guild)
        require(call.world, guild, P["MANAGE_ROLES"])
        role = call.world.role(guild, call.params["role_id"])
        require_role_below(call.world, guild, role.id)
        if role.id in target.roles:
            call.world.update_member(guild, target, roles=[r for r in target.roles if r != role.id])
        return None

    # ---------------------------------------------------------------- bans

    @router.route("GET", "/guilds/{guild_id}/bans")
    async def list_bans(call: Call) -> Any:
        guild = _guild(call)
        require(call.world, guild, P["BAN_MEMBERS"])
        return [{"reason": b.reason, "user": call.world.user_json(b.user_id)} for b in guild.bans.values()]

    @router.route("GET", "/guilds/{guild_id}/bans/{user_id}")
    async def get_ban(call: Call) -> Any:
        guild = _guild(call)
        require(call.world, guild, P["BAN_MEMBERS"])
        ban = guild.bans.get(int(call.params["user_id"])) if call.params["user_id"].isdigit() else None
        if ban is None:
            raise unknown("ban")
        return {"reason": ban.reason, "user": call.world.user_json(ban.user_id)}

    @router.route("PUT", "/guilds/{guild_id}/bans/{user_id}")
    async def ban(call: Call) -> Any:
        world = call.world
        guild = _guild(call)
        require(world, guild, P["BAN_MEMBERS"])
        user = world.user(call.params["user_id"])
        if (target := guild.members.get(user.id)) is not None:
            require_above(world, guild, target)
        seconds = int(call.json().get("delete_message_seconds") or 0)
        if not 0 <= seconds <= 604800:
            raise form_error(
                "delete_message_seconds", "NUMBER_TYPE_MAX", "int value should be less than or equal to 604800."
            )
        if user.id not in guild.bans:
            world.ban(guild, user.id, reason=call.reason, delete_message_seconds=seconds, actor_id=world.bot_user_id)
        return None

    @router.route("DELETE", "/guilds/{guild_id}/bans/{user_id}")
    async def unban(call: Call) -> Any:
        guild = _guild(call)
        require(call.world, guild, P["BAN_MEMBERS"])
        raw = call.params["user_id"]
        if not raw.isdigit() or int(raw) not in guild.bans:
            raise unknown("ban")
        call.world.unban(guild, int(raw), actor_id=call.world.bot_user_id, reason=call.reason)
        return None

    # ---------------------------------------------------------------- audit log

    @router.route("GET", "/guilds/{guild_id}/audit-logs")
    async def audit_log(call: Call) -> Any:
        guild = _guild(call)
        require(call.world, guild, P["VIEW_AUDIT_LOG"])
        entries = list(reversed(guild.audit_log))  # newest first, as Discord lists them
        if (action := call.query.get("action_type")) is not None:
            entries = [e for e in entries if e.action_type == int(action)]
        if (user := call.query.get("user_id")) is not None:
            entries = [e for e in entries if e.user_id == int(user)]
        if (before := call.query.get("before")) is not None:
            entries = [e for e in entries if e.id < int(before)]
        limit = max(1, min(100, int(call.query.get("limit", 50))))
        entries = entries[:limit]
        user_ids = {e.user_id for e in entries} | {e.target_id for e in entries}
        return {
            "audit_log_entries": [e.to_json() for e in entries],
            "users": [call.world.user_json(u) for u in user_ids if u is not None and u in call.world.users],
            "integrations": [],
            "webhooks": [],
            "guild_scheduled_events": [],
            "threads": [],
            "application_commands": [],
            "auto_moderation_rules": [],
        }
