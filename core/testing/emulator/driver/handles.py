"""Handles for the scene: guilds, channels, roles, users and members, thin views over the world.

They always read current state. Every action goes through the world, so the bot receives exactly
the gateway events Discord would send. A member's interactions (``slash``, ``autocomplete``, context
menu commands) are sent here; :mod:`.options` builds their option lists and :mod:`.replies` waits
for and reads the bot's answers.
"""

# ruff: noqa: ASYNC109 - driver calls take a per-call `timeout`, like asyncio.wait_for

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from guildkit.core import clock

from .. import permissions as perms
from ..command_options import missing_permissions
from ..models import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    CHANNEL_KINDS,
    GUILD_TEXT,
    MESSAGE_COMPONENT,
    AuditLogEntry,
    Channel,
    Guild,
    Interaction,
    Member,
    Message,
    Overwrite,
    Role,
    User,
    parse_emoji,
)
from .errors import BannedFromGuild, CommandNotFound, CommandNotPermitted, DriverError

if TYPE_CHECKING:
    from ..server import DiscordEmulator
    from ..world import World
    from .replies import Reply


@dataclass(frozen=True)
class Upload:
    """A file a member attaches (``files=[Upload("a.png", data, "image/png")]``; a (name, bytes) tuple works too)."""

    filename: str
    data: bytes
    content_type: str | None = None


FileLike = Upload | tuple[str, bytes] | tuple[str, bytes, str]


def _upload(item: FileLike) -> Upload:
    if isinstance(item, Upload):
        return item
    if len(item) == 3:
        return Upload(item[0], item[1], item[2])  # type: ignore[misc]
    return Upload(item[0], item[1], None)


class RoleHandle:
    def __init__(self, emu: DiscordEmulator, guild_id: int, role_id: int) -> None:
        self._emu, self.guild_id, self.id = emu, guild_id, role_id

    @property
    def model(self) -> Role:
        return self._emu.world.guild(self.guild_id).roles[self.id]

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def position(self) -> int:
        return self.model.position

    @property
    def permissions(self) -> int:
        return self.model.permissions

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    async def edit(self, **changes: Any) -> RoleHandle:
        """Change the role as a server admin would (``permissions`` may be names): GUILD_ROLE_UPDATE."""
        if "permissions" in changes:
            changes["permissions"] = perms.to_bits(changes["permissions"])
        guild = self._emu.world.guild(self.guild_id)
        self._emu.world.update_role(guild, self.model, **changes)
        await self._emu.flush()
        return self

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RoleHandle) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        return f"<Role {self.name!r} pos={self.position}>"


class ChannelHandle:
    def __init__(self, emu: DiscordEmulator, channel_id: int) -> None:
        self._emu, self.id = emu, channel_id

    @property
    def model(self) -> Channel:
        return self._emu.world.channel(self.id)

    @property
    def name(self) -> str | None:
        return self.model.name

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    def messages(self, *, include_ephemeral: bool = False) -> list[Message]:
        """Messages in this channel, oldest first."""
        return self._emu.world.channel_messages(self.model, include_ephemeral=include_ephemeral)

    async def set_permissions(
        self,
        target: RoleHandle | MemberHandle,
        *,
        allow: perms.PermissionsLike = None,
        deny: perms.PermissionsLike = None,
    ) -> None:
        """Put a permission overwrite for a role or member (CHANNEL_UPDATE)."""
        kind = 0 if isinstance(target, RoleHandle) else 1
        target_id = target.id
        overwrites = dict(self.model.overwrites)
        overwrites[target_id] = Overwrite(target_id, kind, perms.to_bits(allow), perms.to_bits(deny))
        self._emu.world.update_channel(self.model, overwrites=overwrites)
        await self._emu.flush()

    def __repr__(self) -> str:
        return f"<Channel #{self.name}>"


class UserHandle:
    """A user independent of guilds (DM settings, DMs from the bot)."""

    def __init__(self, emu: DiscordEmulator, user_id: int) -> None:
        self._emu, self.id = emu, user_id

    @property
    def user(self) -> User:
        return self._emu.world.user(self.id)

    @property
    def name(self) -> str:
        return self.user.username

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def close_dms(self, closed: bool = True) -> None:
        """Turn DMs from server members off: the bot then gets 403 code 50007 writing to this user."""
        self.user.dms_closed = closed

    def dm_channel(self) -> Channel:
        return self._emu.world.dm_channel(self.id)

    def dms(self) -> list[Message]:
        """Messages the bot sent this user by DM, oldest first."""
        channel_id = self._emu.world.dm_channels.get(self.id)
        if channel_id is None:
            return []
        msgs = self._emu.world.channel_messages(self._emu.world.channels[channel_id])
        return [m for m in msgs if m.author_id == self._emu.bot_user_id]

    async def say_dm(
        self, content: str = "", *, files: Iterable[FileLike] = (), embeds: Sequence[dict[str, Any]] = ()
    ) -> Message:
        """The user writes to the bot in DM (MESSAGE_CREATE without guild, to shard 0)."""
        world = self._emu.world
        channel = world.dm_channel(self.id)
        attachments = [
            world.new_attachment(channel.id, u.filename, u.data, u.content_type) for u in map(_upload, files)
        ]
        msg = world.create_message(channel, self.id, content=content, embeds=list(embeds), attachments=attachments)
        await self._emu.flush()
        return msg

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UserHandle) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)


# ---------------------------------------------------------------------- guild


class GuildHandle:
    """A guild in the world, for building the scene and acting as its moderators."""

    def __init__(self, emu: DiscordEmulator, guild_id: int) -> None:
        self._emu, self.id = emu, guild_id

    @property
    def model(self) -> Guild:
        return self._emu.world.guild(self.id)

    @property
    def world(self) -> World:
        return self._emu.world

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def bot_role(self) -> RoleHandle:
        return RoleHandle(self._emu, self.id, self.model.bot_role_id or self.id)

    @property
    def everyone(self) -> RoleHandle:
        return RoleHandle(self._emu, self.id, self.id)

    @property
    def owner(self) -> MemberHandle:
        return MemberHandle(self._emu, self.id, self.model.owner_id)

    @property
    def bot(self) -> MemberHandle:
        return MemberHandle(self._emu, self.id, self._emu.bot_user_id)

    # ---- channels

    def channel(self, name_or_id: str | int | ChannelHandle) -> ChannelHandle:
        """A channel of this guild by name or id (``"general"`` exists from the start)."""
        return ChannelHandle(self._emu, self._channel(name_or_id).id)

    def _channel(self, ref: str | int | ChannelHandle | Channel | None) -> Channel:
        if ref is None:
            guild = self.model
            return (
                self.world.channel(guild.system_channel_id)
                if guild.system_channel_id
                else next(c for c in self.world.guild_channels(guild) if c.type == GUILD_TEXT)
            )
        if isinstance(ref, Channel):
            return ref
        if isinstance(ref, ChannelHandle):
            return ref.model
        for channel in self.world.guild_channels(self.model):
            if channel.name == ref or str(channel.id) == str(ref).strip("<#>"):
                return channel
        names = [c.name for c in self.world.guild_channels(self.model)]
        raise LookupError(f"no channel {ref!r} in {self.name!r}; channels: {names}")

    def add_channel(
        self,
        name: str,
        kind: str | int = "text",
        *,
        category: str | ChannelHandle | None = None,
        topic: str | None = None,
        nsfw: bool = False,
    ) -> ChannelHandle:
        """A new channel (``kind``: text, voice, category, announcement, stage, forum): CHANNEL_CREATE."""
        kind_id = CHANNEL_KINDS[kind] if isinstance(kind, str) else kind
        parent = self._channel(category).id if category is not None else None
        channel = self.world.create_channel(self.model, name, kind_id, parent_id=parent, topic=topic, nsfw=nsfw)
        return ChannelHandle(self._emu, channel.id)

    def messages(
        self, channel: str | int | ChannelHandle | None = None, *, include_ephemeral: bool = False
    ) -> list[Message]:
        """Messages (the bot's and members') in a channel, oldest first; default #general."""
        return self.world.channel_messages(self._channel(channel), include_ephemeral=include_ephemeral)

    def bot_messages(self, channel: str | int | ChannelHandle | None = None) -> list[Message]:
        return [m for m in self.messages(channel) if m.author_id == self._emu.bot_user_id]

    # ---- roles

    def add_role(
        self,
        name: str,
        permissions: perms.PermissionsLike = 0,
        *,
        position: int | None = None,
        color: int = 0,
        hoist: bool = False,
        mentionable: bool = False,
    ) -> RoleHandle:
        """A new role: GUILD_ROLE_CREATE. Without ``position`` it sits right below the bot's role
        (so the bot can manage it); pass ``position=guild.bot_role.position`` or higher to put it above."""
        role = self.world.create_role(
            self.model,
            name,
            permissions=perms.to_bits(permissions),
            position=position,
            color=color,
            hoist=hoist,
            mentionable=mentionable,
        )
        return RoleHandle(self._emu, self.id, role.id)

    def role(self, name_or_id: str | int | RoleHandle) -> RoleHandle:
        return RoleHandle(self._emu, self.id, self._role_id(name_or_id))

    def _role_id(self, ref: str | int | RoleHandle | Role) -> int:
        if isinstance(ref, (RoleHandle, Role)):
            return ref.id
        for role in self.model.roles.values():
            if role.name == ref or str(role.id) == str(ref).strip("<@&>"):
                return role.id
        raise LookupError(f"no role {ref!r} in {self.name!r}; roles: {[r.name for r in self.model.roles.values()]}")

    @property
    def roles(self) -> list[RoleHandle]:
        return [
            RoleHandle(self._emu, self.id, r.id) for r in sorted(self.model.roles.values(), key=lambda r: r.position)
        ]

    def _admin_role(self) -> int:
        for role in self.model.roles.values():
            if role.name == "Admin" and role.permissions & perms.ADMINISTRATOR:
                return role.id
        return self.add_role("Admin", perms.ADMINISTRATOR).id

    # ---- members

    async def member(
        self,
        name: str,
        *,
        roles: Iterable[str | int | RoleHandle] = (),
        admin: bool = False,
        owner: bool = False,
        bot: bool = False,
        nick: str | None = None,
        pending: bool = False,
        dms_closed: bool = False,
    ) -> MemberHandle:
        """The member called ``name``; joins the guild (GUILD_MEMBER_ADD) if not a member yet.

        ``admin=True`` gives an "Admin" role with ADMINISTRATOR (below the bot's role);
        ``owner=True`` makes the member the guild owner.
        """
        world = self.world
        user = world.user_named(name) or world.create_user(name, bot=bot)
        user.dms_closed = dms_closed or user.dms_closed
        guild = self.model
        role_ids = [self._role_id(r) for r in roles]
        if admin:
            role_ids.append(self._admin_role())
        if user.id not in guild.members:
            if user.id in guild.bans:
                raise BannedFromGuild(f"{name} is banned from {guild.name}: Discord refuses the join (40007)")
            world.add_member(guild, user, roles=role_ids, nick=nick, pending=pending)
        elif role_ids and set(role_ids) - set(guild.members[user.id].roles):
            member = guild.members[user.id]
            world.update_member(guild, member, roles=list(dict.fromkeys([*member.roles, *role_ids])))
        if owner and guild.owner_id != user.id:
            world.update_guild(guild, owner_id=user.id)
        await self._emu.flush()
        return MemberHandle(self._emu, self.id, user.id)

    def get_member(self, name_or_id: str | int) -> MemberHandle:
        for member in self.model.members.values():
            user = self.world.users[member.user_id]
            if user.username == name_or_id or member.user_id == name_or_id or str(member.user_id) == str(name_or_id):
                return MemberHandle(self._emu, self.id, member.user_id)
        raise LookupError(f"no member {name_or_id!r} in {self.name!r}")

    @property
    def members(self) -> list[MemberHandle]:
        return [MemberHandle(self._emu, self.id, uid) for uid in self.model.members]

    # ---- moderation as the owner (no permission checks)

    async def ban(
        self,
        user: MemberHandle | UserHandle | int,
        *,
        reason: str | None = None,
        delete_message_seconds: int = 0,
        by: MemberHandle | int | None = None,
    ) -> None:
        """A moderator (``by``, the owner by default) bans in Discord's UI: GUILD_BAN_ADD
        (+ GUILD_MEMBER_REMOVE) and an audit-log entry."""
        self.world.ban(
            self.model,
            _user_id(user),
            reason=reason,
            delete_message_seconds=delete_message_seconds,
            actor_id=self._actor(by),
        )
        await self._emu.flush()

    async def unban(
        self, user: MemberHandle | UserHandle | int, *, reason: str | None = None, by: MemberHandle | int | None = None
    ) -> None:
        self.world.unban(self.model, _user_id(user), actor_id=self._actor(by), reason=reason)
        await self._emu.flush()

    async def kick(
        self, member: MemberHandle | int, *, reason: str | None = None, by: MemberHandle | int | None = None
    ) -> None:
        self.world.kick(self.model, _user_id(member), actor_id=self._actor(by), reason=reason)
        await self._emu.flush()

    def audit_log(self) -> list[AuditLogEntry]:
        """Audit-log entries of this guild, oldest first."""
        return list(self.model.audit_log)

    def _actor(self, by: MemberHandle | int | None) -> int:
        return self.model.owner_id if by is None else _user_id(by)

    @property
    def bans(self) -> dict[int, str | None]:
        """Banned user id → reason."""
        return {uid: ban.reason for uid, ban in self.model.bans.items()}

    async def edit(self, **changes: Any) -> None:
        """Change guild fields (name, preferred_locale, ...): GUILD_UPDATE."""
        self.world.update_guild(self.model, **changes)
        await self._emu.flush()

    def __repr__(self) -> str:
        return f"<Guild {self.name!r} {self.id}>"


def _user_id(ref: MemberHandle | UserHandle | User | Member | int | str) -> int:
    if isinstance(ref, (MemberHandle, UserHandle)):
        return ref.id
    if isinstance(ref, User):
        return ref.id
    if isinstance(ref, Member):
        return ref.user_id
    return int(ref)


class MemberHandle(UserHandle):
    """A user as a member of one guild: writes messages, uses commands, clicks, reacts, joins voice."""

    def __init__(self, emu: DiscordEmulator, guild_id: int, user_id: int) -> None:
        super().__init__(emu, user_id)
        self.guild_id = guild_id

    @property
    def guild(self) -> GuildHandle:
        return GuildHandle(self._emu, self.guild_id)

    @property
    def member(self) -> Member:
        return self._emu.world.member(self._emu.world.guild(self.guild_id), self.id)

    @property
    def in_guild(self) -> bool:
        return self.id in self._emu.world.guild(self.guild_id).members

    @property
    def nick(self) -> str | None:
        return self.member.nick

    @property
    def roles(self) -> list[RoleHandle]:
        return [RoleHandle(self._emu, self.guild_id, r) for r in self.member.roles]

    @property
    def role_names(self) -> list[str]:
        return [r.name for r in self.roles]

    @property
    def timed_out_until(self) -> datetime | None:
        """When the timeout ends, if one is running now (by the guildkit clock)."""
        member = self.member
        return member.communication_disabled_until if member.is_timed_out() else None

    @property
    def permissions(self) -> int:
        """Guild-level permissions (what interactions carry in ``member.permissions``)."""
        return perms.base_permissions(self._emu.world.guild(self.guild_id), self.member)

    def has_permission(self, name: str) -> bool:
        return bool(self.permissions & perms.flag(name))

    @property
    def voice_channel(self) -> ChannelHandle | None:
        vs = self._emu.world.guild(self.guild_id).voice_states.get(self.id)
        return ChannelHandle(self._emu, vs.channel_id) if vs else None

    # ---- messages

    async def say(
        self,
        content: str = "",
        channel: str | int | ChannelHandle | None = None,
        *,
        embeds: Sequence[dict[str, Any]] = (),
        files: Iterable[FileLike] = (),
        reply_to: Message | None = None,
        nonce: str | None = None,
    ) -> Message:
        """Write a message (default #general): MESSAGE_CREATE to the bot. Returns the world message."""
        world = self._emu.world
        ch = self.guild._channel(channel)
        attachments = [world.new_attachment(ch.id, u.filename, u.data, u.content_type) for u in map(_upload, files)]
        reference = None
        if reply_to is not None:
            reference = {
                "type": 0,
                "message_id": str(reply_to.id),
                "channel_id": str(ch.id),
                "guild_id": str(self.guild_id),
            }
        msg = world.create_message(
            ch,
            self.id,
            content=content,
            embeds=list(embeds),
            attachments=attachments,
            nonce=nonce,
            message_reference=reference,
            message_type=19 if reference else 0,
        )
        await self._emu.flush()
        return msg

    async def edit(self, message: Message, content: str) -> Message:
        """Edit one's own message: MESSAGE_UPDATE."""
        if message.author_id != self.id:
            raise DriverError("members can only edit their own messages")
        self._emu.world.edit_message(message, content=content)
        await self._emu.flush()
        return message

    async def delete(self, message: Message) -> None:
        """Delete a message (own, or any with MANAGE_MESSAGES): MESSAGE_DELETE."""
        if message.author_id != self.id:
            channel = self._emu.world.channel(message.channel_id)
            guild = self._emu.world.guild(self.guild_id)
            if not perms.channel_permissions(guild, self.member, channel) & perms.FLAGS["MANAGE_MESSAGES"]:
                raise DriverError(f"{self.name} may not delete others' messages (needs MANAGE_MESSAGES)")
        self._emu.world.delete_message(message)
        await self._emu.flush()

    async def react(self, message: Message, emoji: str) -> None:
        """Add a reaction: MESSAGE_REACTION_ADD."""
        self._emu.world.add_reaction(message, parse_emoji(emoji), self.id)
        await self._emu.flush()

    async def unreact(self, message: Message, emoji: str) -> None:
        """Remove one's reaction: MESSAGE_REACTION_REMOVE."""
        self._emu.world.remove_reaction(message, parse_emoji(emoji), self.id)
        await self._emu.flush()

    # ---- membership, roles, voice

    async def leave_guild(self) -> None:
        """Leave the guild: GUILD_MEMBER_REMOVE."""
        self._emu.world.remove_member(self._emu.world.guild(self.guild_id), self.id)
        await self._emu.flush()

    async def add_role(self, role: str | int | RoleHandle) -> None:
        """A moderator gives this member a role: GUILD_MEMBER_UPDATE."""
        role_id = self.guild._role_id(role)
        member = self.member
        if role_id not in member.roles:
            self._emu.world.update_member(self._emu.world.guild(self.guild_id), member, roles=[*member.roles, role_id])
        await self._emu.flush()

    async def remove_role(self, role: str | int | RoleHandle) -> None:
        role_id = self.guild._role_id(role)
        member = self.member
        self._emu.world.update_member(
            self._emu.world.guild(self.guild_id), member, roles=[r for r in member.roles if r != role_id]
        )
        await self._emu.flush()

    async def update(self, **changes: Any) -> None:
        """Change member fields as a moderator would (nick, pending, communication_disabled_until, ...)."""
        self._emu.world.update_member(self._emu.world.guild(self.guild_id), self.member, **changes)
        await self._emu.flush()

    async def timeout(
        self, duration: timedelta | None, *, reason: str | None = None, by: MemberHandle | int | None = None
    ) -> None:
        """A moderator (``by``, the owner by default) times the member out in Discord's UI
        (``None`` lifts it): GUILD_MEMBER_UPDATE and an audit-log entry."""
        until = clock.now() + duration if duration else None
        world = self._emu.world
        guild = world.guild(self.guild_id)
        actor = guild.owner_id if by is None else _user_id(by)
        world.timeout(guild, self.member, until, actor_id=actor, reason=reason)
        await self._emu.flush()

    async def join_voice(
        self, channel: str | int | ChannelHandle, *, self_mute: bool = False, self_deaf: bool = False
    ) -> None:
        """Join (or move to) a voice channel: VOICE_STATE_UPDATE."""
        ch = self.guild._channel(channel)
        if not ch.is_voice:
            raise DriverError(f"#{ch.name} is not a voice channel")
        self._emu.world.set_voice_state(
            self._emu.world.guild(self.guild_id), self.id, ch.id, self_mute=self_mute, self_deaf=self_deaf
        )
        await self._emu.flush()

    async def deafen(self, deafened: bool = True) -> None:
        """Deafen (or undeafen) themselves where they are in voice: VOICE_STATE_UPDATE."""
        world = self._emu.world
        guild = world.guild(self.guild_id)
        vs = guild.voice_states.get(self.id)
        if vs is None:
            raise DriverError(f"{self.name} is not in a voice channel")
        world.set_voice_state(guild, self.id, vs.channel_id, self_mute=vs.self_mute, self_deaf=deafened)
        await self._emu.flush()

    async def leave_voice(self) -> None:
        self._emu.world.set_voice_state(self._emu.world.guild(self.guild_id), self.id, None)
        await self._emu.flush()

    # ---- interactions

    async def slash(
        self,
        command: str,
        *,
        in_channel: str | int | ChannelHandle | None = None,
        options: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        locale: str = "en-US",
        **option_values: Any,
    ) -> Reply:
        """Use a slash command (``"xp add"`` for subcommands) and wait for the bot's answer.

        Options come as keywords (or ``options={...}`` for names that are not identifiers). A
        ``channel=`` keyword is the channel to run the command in unless the command has an option
        called ``channel``; ``in_channel=`` is always the channel to run in.
        """
        from .options import build_options, has_option  # options build on the handles

        values = {**(options or {}), **option_values}
        parts = command.strip().lstrip("/").split()
        if not parts:
            raise CommandNotFound("empty command name")
        cmd = self._find_command(parts[0], 1)
        if in_channel is None and "channel" in values and not has_option(cmd.data, parts[1:], "channel"):
            in_channel = values.pop("channel")
        channel = self.guild._channel(in_channel)
        self._check_permitted(cmd.data, channel)
        resolved: dict[str, dict[str, Any]] = {}
        opts = build_options(self, cmd.data, parts[1:], values, resolved, command, channel)
        data: dict[str, Any] = {"id": str(cmd.id), "name": cmd.name, "type": 1, "options": opts}
        if cmd.guild_id:
            data["guild_id"] = str(cmd.guild_id)
        if resolved:
            data["resolved"] = resolved
        inter = self._send(APPLICATION_COMMAND, data, channel, locale=locale)
        return await self._reply(inter, f"/{command}", timeout)

    async def user_command(
        self, name: str, target: MemberHandle | UserHandle, *, in_channel: Any = None, timeout: float | None = None
    ) -> Reply:
        """Use a user context-menu command on ``target``."""
        from .options import _resolve_user

        cmd = self._find_command(name, 2)
        channel = self.guild._channel(in_channel)
        self._check_permitted(cmd.data, channel)
        resolved: dict[str, dict[str, Any]] = {}
        _resolve_user(self, target.id, resolved, channel)
        data = {"id": str(cmd.id), "name": cmd.name, "type": 2, "target_id": str(target.id), "resolved": resolved}
        return await self._reply(self._send(APPLICATION_COMMAND, data, channel), f"user command {name!r}", timeout)

    async def message_command(self, name: str, message: Message, *, timeout: float | None = None) -> Reply:
        """Use a message context-menu command on ``message``."""
        cmd = self._find_command(name, 3)
        channel = self._emu.world.channel(message.channel_id)
        self._check_permitted(cmd.data, channel)
        resolved = {"messages": {str(message.id): self._emu.world.message_json(message)}}
        data = {"id": str(cmd.id), "name": cmd.name, "type": 3, "target_id": str(message.id), "resolved": resolved}
        return await self._reply(self._send(APPLICATION_COMMAND, data, channel), f"message command {name!r}", timeout)

    async def autocomplete(
        self,
        command: str,
        option: str,
        value: str,
        *,
        in_channel: str | int | ChannelHandle | None = None,
        timeout: float | None = None,
        **other_options: Any,
    ) -> list[dict[str, Any]]:
        """Type ``value`` into ``option`` of ``command``; returns the bot's choices (``[{"name", "value"}]``)."""
        from .options import build_options

        parts = command.strip().lstrip("/").split()
        cmd = self._find_command(parts[0], 1)
        channel = self.guild._channel(in_channel)
        resolved: dict[str, dict[str, Any]] = {}
        opts = build_options(
            self,
            cmd.data,
            parts[1:],
            other_options,
            resolved,
            command,
            channel,
            focus=(option, value),
        )
        data: dict[str, Any] = {"id": str(cmd.id), "name": cmd.name, "type": 1, "options": opts}
        if cmd.guild_id:
            data["guild_id"] = str(cmd.guild_id)
        if resolved:
            data["resolved"] = resolved
        inter = self._send(AUTOCOMPLETE, data, channel)
        reply = await self._reply(inter, f"autocomplete of {option!r} in /{command}", timeout)
        return list(reply.choices or [])

    # ---- interaction plumbing

    def _find_command(self, name: str, kind: int) -> Any:
        world = self._emu.world
        cmd = world.find_command(name, self.guild_id, command_type=kind)
        if cmd is None:
            available = sorted(
                {
                    c.name
                    for scope in (self.guild_id, None)
                    for c in world.scope_commands(scope).values()
                    if c.type == kind
                }
            )
            raise CommandNotFound(f"no command {name!r} for guild {self.guild.name!r}; available: {available}")
        return cmd

    def _check_permitted(self, data: dict[str, Any], channel: Channel) -> None:
        have = perms.base_permissions(self._emu.world.guild(self.guild_id), self.member)
        if missing := missing_permissions(data, have):
            raise CommandNotPermitted(f"{self.name} cannot use /{data['name']}: missing {', '.join(missing)}")

    def _send(
        self,
        itype: int,
        data: dict[str, Any],
        channel: Channel,
        *,
        message: Message | None = None,
        locale: str = "en-US",
    ) -> Interaction:
        """Build and dispatch INTERACTION_CREATE as Discord would for this member."""
        emu, world = self._emu, self._emu.world
        guild = world.guild(self.guild_id)
        emu.require_session(guild.id)
        member = self.member
        bot = world.bot_member(guild)
        app_perms = perms.channel_permissions(guild, bot, channel) if bot else 0
        inter_id = world.ids.next()
        token = f"emu-{secrets.token_urlsafe(48)}"
        channel_payload = world.channel_json(channel)
        channel_payload["permissions"] = str(perms.channel_permissions(guild, member, channel))
        payload: dict[str, Any] = {
            "id": str(inter_id),
            "application_id": str(world.application_id),
            "type": itype,
            "data": data,
            "guild_id": str(guild.id),
            "guild": {"id": str(guild.id), "locale": guild.preferred_locale, "features": []},
            "channel": channel_payload,
            "channel_id": str(channel.id),
            "member": world.member_json(guild, member, permissions=True),
            "token": token,
            "version": 1,
            "locale": locale,
            "guild_locale": guild.preferred_locale,
            "app_permissions": str(app_perms),
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild.id)},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if message is not None:
            payload["message"] = world.message_json(message)
        inter = Interaction(
            id=inter_id,
            token=token,
            type=itype,
            payload=payload,
            guild_id=guild.id,
            channel_id=channel.id,
            user_id=self.id,
            created=clock.monotonic(),
            sent_at=emu.deadline_time(),
            source_message_id=message.id if message is not None else None,
        )
        world.register_interaction(inter)
        return inter

    async def _reply(self, inter: Interaction, what: str, timeout: float | None, *, edits_before: int = 0) -> Reply:
        """Wait until the bot has answered ``inter`` completely; return the Reply."""
        from .replies import wait_for_reply  # replies build on the handles

        return await wait_for_reply(self, inter, what, timeout, edits_before=edits_before)

    async def click_on(self, message: Message, target: str, *, timeout: float | None = None) -> Reply:
        """Click a button (by label or custom_id) on any message in a channel of this guild, e.g.
        one the bot posted from a scheduled job rather than as an interaction reply."""
        for row in message.components:
            for button in row.get("components", []):
                if button.get("type") == 2 and target in (button.get("label"), button.get("custom_id")):
                    if not button.get("custom_id"):
                        break
                    data = {"custom_id": button["custom_id"], "component_type": 2}
                    return await self._component(message, data, f"a click on {target!r}", timeout)
        raise LookupError(f"no button {target!r} on message {message.id}")

    async def _component(
        self,
        message: Message,
        data: dict[str, Any],
        what: str,
        timeout: float | None,
        resolved: dict[str, Any] | None = None,
    ) -> Reply:
        if resolved:
            data = {**data, "resolved": resolved}
        channel = self._emu.world.channel(message.channel_id)
        edits_before = message.edits
        inter = self._send(MESSAGE_COMPONENT, data, channel, message=message)
        return await self._reply(inter, what, timeout, edits_before=edits_before)

    def __repr__(self) -> str:
        return f"<Member {self.name} in {self.guild_id}>"
