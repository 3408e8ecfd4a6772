"""The world model: every guild, user, channel, message and command the emulator knows.

All state changes go through the methods here so that each one emits the gateway event Discord
would send (``emit``) and wakes whoever waits for a change (``on_change``). Permission checks are
*not* done here: REST handlers check what the bot may do; the driver acts as members or as an
all-powerful moderator.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from guildkit.core import clock

from . import permissions as perms
from .errors import unknown
from .models import (
    DM,
    EPHEMERAL,
    GUILD_TEXT,
    GUILD_VOICE,
    MEMBER_BAN_ADD,
    MEMBER_BAN_REMOVE,
    MEMBER_KICK,
    MEMBER_UPDATE,
    Attachment,
    AuditLogEntry,
    Ban,
    Channel,
    Command,
    Guild,
    Interaction,
    Member,
    Message,
    Overwrite,
    Reaction,
    Role,
    User,
    VoiceState,
    emoji_key,
    iso,
)
from .snowflakes import SnowflakeGenerator

EmitFn = Callable[[str, dict[str, Any], "int | None"], None]

_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


class World:
    """Discord's state as the emulator sees it."""

    def __init__(self, *, application_id: int | None = None, bot_name: str = "GuildkitBot") -> None:
        self.ids = SnowflakeGenerator()
        self.users: dict[int, User] = {}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, dict[int, Message]] = {}  # channel id → message id → message
        #: (channel id, author id, nonce) → the newest message sent with that nonce: Discord's
        #: dedupe looks it up, not a scan of the channel (a scan grew with every message sent).
        self.nonces: dict[tuple[int, int, str], Message] = {}
        self.dm_channels: dict[int, int] = {}  # user id → DM channel id
        self.commands: dict[int | None, dict[int, Command]] = {None: {}}  # scope → id → command
        self.interactions: dict[int, Interaction] = {}
        self.interactions_by_token: dict[str, Interaction] = {}
        self.loose_attachments: dict[int, Attachment] = {}  # ATTACHMENT options, not on any message
        self.attachment_base = ""  # set by the server: where attachment URLs point
        self.emit: EmitFn = lambda event, data, guild_id: None
        self.on_change: Callable[[], None] = lambda: None
        #: Voice joins (op 4) Discord ignored because the bot may not Connect: (guild id, channel id).
        self.voice_refusals: list[tuple[int, int]] = []
        #: The voice server handed out per guild (VOICE_SERVER_UPDATE): guild id → (token, endpoint).
        self.voice_servers: dict[int, tuple[str, str]] = {}

        bot = self.create_user(bot_name, bot=True)
        self.bot_user_id = bot.id
        self.application_id = application_id or bot.id  # new apps share the bot user's id

    # ------------------------------------------------------------------ lookups

    def user(self, user_id: int | str) -> User:
        try:
            return self.users[int(user_id)]
        except (KeyError, ValueError):
            raise unknown("user") from None

    def user_named(self, name: str) -> User | None:
        return next((u for u in self.users.values() if u.username == name), None)

    def guild(self, guild_id: int | str) -> Guild:
        try:
            return self.guilds[int(guild_id)]
        except (KeyError, ValueError):
            raise unknown("guild") from None

    def channel(self, channel_id: int | str) -> Channel:
        try:
            return self.channels[int(channel_id)]
        except (KeyError, ValueError):
            raise unknown("channel") from None

    def message(self, channel_id: int | str, message_id: int | str) -> Message:
        try:
            msg = self.messages[int(channel_id)][int(message_id)]
        except (KeyError, ValueError):
            raise unknown("message") from None
        if msg.deleted:
            raise unknown("message")
        return msg

    def find_message(self, message_id: int) -> Message | None:
        for per_channel in self.messages.values():
            if (msg := per_channel.get(message_id)) and not msg.deleted:
                return msg
        return None

    def member(self, guild: Guild, user_id: int | str) -> Member:
        try:
            return guild.members[int(user_id)]
        except (KeyError, ValueError):
            raise unknown("member") from None

    def role(self, guild: Guild, role_id: int | str) -> Role:
        try:
            return guild.roles[int(role_id)]
        except (KeyError, ValueError):
            raise unknown("role") from None

    def guild_channels(self, guild: Guild) -> list[Channel]:
        return [self.channels[c] for c in guild.channel_ids if c in self.channels]

    def channel_named(self, guild: Guild, name: str) -> Channel | None:
        return next((c for c in self.guild_channels(guild) if c.name == name), None)

    def bot_member(self, guild: Guild) -> Member | None:
        return guild.members.get(self.bot_user_id) if guild.bot_present else None

    def bot_guilds(self) -> list[Guild]:
        return [g for g in self.guilds.values() if g.bot_present]

    def shares_guild_with_bot(self, user_id: int) -> bool:
        return any(user_id in g.members for g in self.bot_guilds())

    # ------------------------------------------------------------------ JSON shapes

    def user_json(self, user_id: int) -> dict[str, Any]:
        return self.user(user_id).to_json()

    def member_json(
        self, guild: Guild, member: Member, *, with_user: bool = True, permissions: bool = False
    ) -> dict[str, Any]:
        until = member.communication_disabled_until
        data: dict[str, Any] = {
            "nick": member.nick,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in member.roles],
            "joined_at": iso(member.joined_at),
            "premium_since": None,
            "deaf": member.deaf,
            "mute": member.mute,
            "flags": 0,
            "pending": member.pending,
            # Discord keeps the field after expiry; clients compare it with now.
            "communication_disabled_until": iso(until),
        }
        if with_user:
            data["user"] = self.user_json(member.user_id)
        if permissions:
            data["permissions"] = str(perms.base_permissions(guild, member))
        return data

    def channel_json(self, channel: Channel) -> dict[str, Any]:
        if channel.type == DM:
            return {
                "id": str(channel.id),
                "type": DM,
                "last_message_id": str(channel.last_message_id) if channel.last_message_id else None,
                "recipients": [self.user_json(u) for u in channel.recipient_ids],
                "flags": 0,
            }
        data: dict[str, Any] = {
            "id": str(channel.id),
            "type": channel.type,
            "guild_id": str(channel.guild_id),
            "name": channel.name,
            "position": channel.position,
            "permission_overwrites": [o.to_json() for o in channel.overwrites.values()],
            "parent_id": str(channel.parent_id) if channel.parent_id else None,
            "nsfw": channel.nsfw,
            "flags": 0,
        }
        if channel.is_voice:
            data.update(bitrate=64000, user_limit=0, rtc_region=None, rate_limit_per_user=0)
            data["last_message_id"] = str(channel.last_message_id) if channel.last_message_id else None
        elif channel.type != 4:
            data.update(
                topic=channel.topic,
                rate_limit_per_user=channel.rate_limit_per_user,
                last_message_id=str(channel.last_message_id) if channel.last_message_id else None,
            )
        return data

    def voice_state_json(self, guild: Guild, vs: VoiceState, *, with_member: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "guild_id": str(guild.id),
            "channel_id": str(vs.channel_id),
            "user_id": str(vs.user_id),
            "session_id": vs.session_id,
            "deaf": vs.deaf,
            "mute": vs.mute,
            "self_deaf": vs.self_deaf,
            "self_mute": vs.self_mute,
            "self_video": vs.self_video,
            "self_stream": vs.self_stream,
            "suppress": False,
            "request_to_speak_timestamp": None,
        }
        if with_member and (member := guild.members.get(vs.user_id)):
            data["member"] = self.member_json(guild, member)
        return data

    def guild_json(self, guild: Guild, *, counts: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(guild.id),
            "name": guild.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "owner_id": str(guild.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "widget_enabled": False,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [r.to_json() for r in sorted(guild.roles.values(), key=lambda r: r.position)],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": str(guild.system_channel_id) if guild.system_channel_id else None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "max_members": 500000,
            "vanity_url_code": None,
            "description": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": guild.preferred_locale,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
        }
        if counts:
            data["approximate_member_count"] = len(guild.members)
            data["approximate_presence_count"] = 0
        return data

    def guild_create_json(self, guild: Guild, *, all_members: bool = True) -> dict[str, Any]:
        """The full GUILD_CREATE payload.

        Without the GUILD_MEMBERS intent Discord only includes the bot and members in voice;
        ``all_members=False`` does the same.
        """
        data = self.guild_json(guild)
        members = [
            m
            for m in guild.members.values()
            if all_members or m.user_id == self.bot_user_id or m.user_id in guild.voice_states
        ]
        data.update(
            joined_at=iso(guild.bot_joined_at),
            large=len(guild.members) > 250,
            unavailable=False,
            member_count=len(guild.members),
            voice_states=[self.voice_state_json(guild, vs, with_member=False) for vs in guild.voice_states.values()],
            members=[self.member_json(guild, m) for m in members],
            channels=[self.channel_json(c) for c in self.guild_channels(guild)],
            threads=[],
            presences=[],
            stage_instances=[],
            guild_scheduled_events=[],
            soundboard_sounds=[],
        )
        return data

    def message_json(self, msg: Message, *, gateway: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(msg.id),
            "channel_id": str(msg.channel_id),
            "author": self.user_json(msg.author_id),
            "content": msg.content,
            "timestamp": iso(msg.timestamp),
            "edited_timestamp": iso(msg.edited_timestamp),
            "tts": msg.tts,
            "mention_everyone": msg.mention_everyone,
            "mentions": [self.user_json(u) for u in msg.mention_ids if u in self.users],
            "mention_roles": [str(r) for r in msg.mention_role_ids],
            "attachments": [a.to_json() for a in msg.attachments],
            "embeds": msg.embeds,
            "components": msg.components,
            "pinned": msg.pinned,
            "type": msg.type,
            "flags": msg.flags,
        }
        if msg.reactions:
            data["reactions"] = [
                {
                    "count": len(r.user_ids),
                    "count_details": {"burst": 0, "normal": len(r.user_ids)},
                    "me": self.bot_user_id in r.user_ids,
                    "me_burst": False,
                    "burst_colors": [],
                    "emoji": r.emoji,
                }
                for r in msg.reactions
            ]
        if msg.nonce is not None:
            data["nonce"] = msg.nonce
        if msg.webhook_id:
            data["webhook_id"] = str(msg.webhook_id)
        if msg.application_id:
            data["application_id"] = str(msg.application_id)
        if msg.interaction_metadata:
            data["interaction_metadata"] = msg.interaction_metadata
        if msg.message_reference:
            data["message_reference"] = msg.message_reference
            ref = msg.message_reference
            if (ref_msg := self.find_message(int(ref["message_id"]))) is not None:
                data["referenced_message"] = self.message_json(ref_msg)
        if gateway and msg.guild_id:
            data["guild_id"] = str(msg.guild_id)
            guild = self.guilds.get(msg.guild_id)
            if guild and (member := guild.members.get(msg.author_id)) and not msg.webhook_id:
                data["member"] = self.member_json(guild, member, with_user=False)
        return data

    # ------------------------------------------------------------------ users and guilds

    def create_user(self, name: str, *, bot: bool = False, global_name: str | None = None) -> User:
        user = User(id=self.ids.next(), username=name, bot=bot, global_name=global_name)
        self.users[user.id] = user
        self.on_change()
        return user

    def create_guild(
        self,
        name: str,
        *,
        owner: User | None = None,
        bot_permissions: int = perms.DEFAULT_BOT,
        everyone_permissions: int = perms.DEFAULT_EVERYONE,
        with_bot: bool = True,
    ) -> Guild:
        """A guild with @everyone, a #general text channel, an owner and (by default) the bot."""
        owner = owner or self.create_user(f"{name.lower().replace(' ', '-')}-owner")
        guild_id = self.ids.next()
        guild = Guild(id=guild_id, name=name, owner_id=owner.id, bot_present=False)
        guild.roles[guild_id] = Role(
            id=guild_id, guild_id=guild_id, name="@everyone", permissions=everyone_permissions, position=0
        )
        self.guilds[guild_id] = guild
        general = self._new_channel(guild, "general", GUILD_TEXT)
        guild.system_channel_id = general.id
        guild.members[owner.id] = Member(user_id=owner.id, guild_id=guild_id)
        bot_user = self.user(self.bot_user_id)
        role = Role(
            id=self.ids.next(),
            guild_id=guild_id,
            name=bot_user.username,
            permissions=bot_permissions,
            position=1,
            managed=True,
            bot_id=bot_user.id,
        )
        guild.roles[role.id] = role
        guild.bot_role_id = role.id
        if with_bot:
            self.add_bot(guild)
        self.on_change()
        return guild

    def add_bot(self, guild: Guild) -> None:
        """The bot joins (is invited to) the guild: GUILD_CREATE."""
        if guild.bot_present:
            return
        guild.bot_present = True
        guild.bot_joined_at = clock.now()
        roles = [guild.bot_role_id] if guild.bot_role_id in guild.roles else []
        guild.members[self.bot_user_id] = Member(user_id=self.bot_user_id, guild_id=guild.id, roles=roles)
        self.emit("GUILD_CREATE", self.guild_create_json(guild), guild.id)
        self.on_change()

    def remove_bot(self, guild: Guild) -> None:
        """The bot is kicked / leaves: GUILD_DELETE without ``unavailable``."""
        if not guild.bot_present:
            return
        self.emit("GUILD_DELETE", {"id": str(guild.id)}, guild.id)
        guild.bot_present = False
        guild.members.pop(self.bot_user_id, None)
        guild.voice_states.pop(self.bot_user_id, None)
        self.on_change()

    def update_guild(self, guild: Guild, **changes: Any) -> None:
        for key, value in changes.items():
            setattr(guild, key, value)
        self.emit("GUILD_UPDATE", self.guild_json(guild), guild.id)
        self.on_change()

    # ------------------------------------------------------------------ channels

    def _new_channel(self, guild: Guild, name: str, kind: int, **fields: Any) -> Channel:
        channel = Channel(
            id=self.ids.next(),
            type=kind,
            name=name,
            guild_id=guild.id,
            position=len(guild.channel_ids),
            **fields,
        )
        self.channels[channel.id] = channel
        self.messages[channel.id] = {}
        guild.channel_ids.append(channel.id)
        return channel

    def create_channel(
        self,
        guild: Guild,
        name: str,
        kind: int = GUILD_TEXT,
        *,
        parent_id: int | None = None,
        topic: str | None = None,
        overwrites: Iterable[Overwrite] = (),
        nsfw: bool = False,
    ) -> Channel:
        channel = self._new_channel(
            guild,
            name,
            kind,
            parent_id=parent_id,
            topic=topic,
            overwrites={o.id: o for o in overwrites},
            nsfw=nsfw,
        )
        self.emit("CHANNEL_CREATE", self.channel_json(channel), guild.id)
        self.on_change()
        return channel

    def update_channel(self, channel: Channel, **changes: Any) -> None:
        for key, value in changes.items():
            setattr(channel, key, value)
        self.emit("CHANNEL_UPDATE", self.channel_json(channel), channel.guild_id)
        self.on_change()

    def delete_channel(self, channel: Channel) -> None:
        guild = self.guild(channel.guild_id) if channel.guild_id else None
        data = self.channel_json(channel)
        self.channels.pop(channel.id, None)
        if guild:
            guild.channel_ids.remove(channel.id)
        self.emit("CHANNEL_DELETE", data, channel.guild_id)
        self.on_change()

    def dm_channel(self, user_id: int) -> Channel:
        """The bot's DM channel with a user; the same one every time (Discord keeps one per pair)."""
        if (channel_id := self.dm_channels.get(user_id)) is not None:
            return self.channels[channel_id]
        channel = Channel(id=self.ids.next(), type=DM, name=None, recipient_ids=[user_id])
        self.channels[channel.id] = channel
        self.messages[channel.id] = {}
        self.dm_channels[user_id] = channel.id
        self.on_change()
        return channel

    # ------------------------------------------------------------------ roles

    def create_role(
        self,
        guild: Guild,
        name: str,
        *,
        permissions: int = 0,
        position: int | None = None,
        color: int = 0,
        hoist: bool = False,
        mentionable: bool = False,
        insert: bool = False,
    ) -> Role:
        """A new role.

        Without ``position`` it is inserted right below the bot's role (the bot's role and those
        above move up one), so the bot can manage it. An explicit ``position`` is used as is; ties
        count as "not below" in hierarchy checks, like a role dragged level with the bot's.
        ``insert=True`` shifts roles at or above ``position`` up, as Discord does for new roles.
        """
        shifted: list[Role] = []
        if position is None:
            bot_role = guild.roles.get(guild.bot_role_id or 0)
            position = bot_role.position if bot_role else max(r.position for r in guild.roles.values()) + 1
            insert = True
        position = max(1, position)
        if insert:
            shifted = [r for r in guild.roles.values() if r.position >= position and r.id != guild.id]
            for other in shifted:
                other.position += 1
        role = Role(
            id=self.ids.next(),
            guild_id=guild.id,
            name=name,
            permissions=permissions,
            position=position,
            color=color,
            hoist=hoist,
            mentionable=mentionable,
        )
        guild.roles[role.id] = role
        self.emit("GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": role.to_json()}, guild.id)
        for other in shifted:
            self.emit("GUILD_ROLE_UPDATE", {"guild_id": str(guild.id), "role": other.to_json()}, guild.id)
        self.on_change()
        return role

    def update_role(self, guild: Guild, role: Role, **changes: Any) -> None:
        for key, value in changes.items():
            setattr(role, key, value)
        self.emit("GUILD_ROLE_UPDATE", {"guild_id": str(guild.id), "role": role.to_json()}, guild.id)
        self.on_change()

    def delete_role(self, guild: Guild, role: Role) -> None:
        guild.roles.pop(role.id, None)
        for member in guild.members.values():
            if role.id in member.roles:
                member.roles.remove(role.id)
        self.emit("GUILD_ROLE_DELETE", {"guild_id": str(guild.id), "role_id": str(role.id)}, guild.id)
        self.on_change()

    # ------------------------------------------------------------------ members

    def add_member(
        self,
        guild: Guild,
        user: User,
        *,
        roles: Iterable[int] = (),
        nick: str | None = None,
        pending: bool = False,
    ) -> Member:
        member = Member(user_id=user.id, guild_id=guild.id, roles=list(roles), nick=nick, pending=pending)
        kept = guild.kept_timeouts.pop(user.id, None)
        if kept is not None and kept > clock.now():
            member.communication_disabled_until = kept  # Discord keeps a timeout across leave and rejoin
        guild.members[user.id] = member
        self.emit("GUILD_MEMBER_ADD", {**self.member_json(guild, member), "guild_id": str(guild.id)}, guild.id)
        self.on_change()
        return member

    def update_member(self, guild: Guild, member: Member, **changes: Any) -> None:
        """Change member fields (nick, roles, communication_disabled_until, mute, deaf, pending)."""
        for key, value in changes.items():
            setattr(member, key, value)
        if ("mute" in changes or "deaf" in changes) and (vs := guild.voice_states.get(member.user_id)):
            vs.mute, vs.deaf = member.mute, member.deaf
            self.emit("VOICE_STATE_UPDATE", self.voice_state_json(guild, vs), guild.id)
        self.emit("GUILD_MEMBER_UPDATE", {**self.member_json(guild, member), "guild_id": str(guild.id)}, guild.id)
        self.on_change()

    def remove_member(self, guild: Guild, user_id: int) -> None:
        """The member leaves or is kicked: leaves voice first, then GUILD_MEMBER_REMOVE."""
        if user_id not in guild.members:
            return
        if user_id in guild.voice_states:
            self.set_voice_state(guild, user_id, None)
        if guild.members[user_id].is_timed_out():
            guild.kept_timeouts[user_id] = guild.members[user_id].communication_disabled_until  # type: ignore[assignment]
        del guild.members[user_id]
        self.emit("GUILD_MEMBER_REMOVE", {"guild_id": str(guild.id), "user": self.user_json(user_id)}, guild.id)
        self.on_change()

    def audit(
        self,
        guild: Guild,
        actor_id: int | None,
        action_type: int,
        target_id: int | None,
        *,
        reason: str | None = None,
        changes: list[dict[str, Any]] | None = None,
        options: dict[str, Any] | None = None,
    ) -> AuditLogEntry:
        """Write an audit-log entry; GUILD_AUDIT_LOG_ENTRY_CREATE reaches the bot only when it may
        View Audit Log (Discord's rule), and with the GUILD_MODERATION intent."""
        entry = AuditLogEntry(
            id=self.ids.next(),
            guild_id=guild.id,
            user_id=actor_id,
            target_id=target_id,
            action_type=action_type,
            reason=reason,
            changes=list(changes or []),
            options=options,
        )
        guild.audit_log.append(entry)
        me = self.bot_member(guild)
        if me is not None and perms.base_permissions(guild, me) & (perms.FLAGS["VIEW_AUDIT_LOG"] | perms.ADMINISTRATOR):
            self.emit("GUILD_AUDIT_LOG_ENTRY_CREATE", {**entry.to_json(), "guild_id": str(guild.id)}, guild.id)
        self.on_change()
        return entry

    def kick(self, guild: Guild, user_id: int, *, actor_id: int | None, reason: str | None = None) -> None:
        """A member is removed by a moderator (or the bot): GUILD_MEMBER_REMOVE and an audit entry."""
        if user_id not in guild.members:
            return
        self.remove_member(guild, user_id)
        self.audit(guild, actor_id, MEMBER_KICK, user_id, reason=reason)

    def timeout(
        self, guild: Guild, member: Member, until: datetime | None, *, actor_id: int | None, reason: str | None = None
    ) -> None:
        """Set or lift (None) a timeout: GUILD_MEMBER_UPDATE and a MEMBER_UPDATE audit entry."""
        old = member.communication_disabled_until
        self.update_member(guild, member, communication_disabled_until=until)
        change = {"key": "communication_disabled_until", "old_value": iso(old), "new_value": iso(until)}
        self.audit(guild, actor_id, MEMBER_UPDATE, member.user_id, reason=reason, changes=[change])

    def ban(
        self,
        guild: Guild,
        user_id: int,
        *,
        reason: str | None = None,
        delete_message_seconds: int = 0,
        actor_id: int | None = None,
    ) -> None:
        """``actor_id``: who banned, for the audit log (None writes no entry)."""
        guild.bans[user_id] = Ban(user_id=user_id, reason=reason)
        self.emit("GUILD_BAN_ADD", {"guild_id": str(guild.id), "user": self.user_json(user_id)}, guild.id)
        self.remove_member(guild, user_id)
        if delete_message_seconds > 0:
            since = clock.now() - timedelta(seconds=delete_message_seconds)
            for channel in self.guild_channels(guild):
                for msg in list(self.messages.get(channel.id, {}).values()):
                    if msg.author_id == user_id and not msg.deleted and msg.timestamp >= since:
                        self.delete_message(msg)
        if actor_id is not None:
            self.audit(
                guild,
                actor_id,
                MEMBER_BAN_ADD,
                user_id,
                reason=reason,
                options={"delete_message_seconds": str(delete_message_seconds)} if delete_message_seconds else None,
            )
        self.on_change()

    def unban(self, guild: Guild, user_id: int, *, actor_id: int | None = None, reason: str | None = None) -> None:
        guild.bans.pop(user_id, None)
        self.emit("GUILD_BAN_REMOVE", {"guild_id": str(guild.id), "user": self.user_json(user_id)}, guild.id)
        if actor_id is not None:
            self.audit(guild, actor_id, MEMBER_BAN_REMOVE, user_id, reason=reason)
        self.on_change()

    # ------------------------------------------------------------------ voice

    def set_voice_state(
        self,
        guild: Guild,
        user_id: int,
        channel_id: int | None,
        *,
        self_mute: bool = False,
        self_deaf: bool = False,
    ) -> None:
        """Join, move (channel id) or leave (None) voice: VOICE_STATE_UPDATE."""
        member = self.member(guild, user_id)
        if channel_id is None:
            vs = guild.voice_states.pop(user_id, None)
            if vs is None:
                return
            data = self.voice_state_json(guild, vs)
            data["channel_id"] = None
        else:
            vs = guild.voice_states.get(user_id) or VoiceState(
                user_id=user_id, guild_id=guild.id, channel_id=channel_id, session_id=secrets.token_hex(16)
            )
            vs.channel_id = channel_id
            vs.self_mute, vs.self_deaf = self_mute, self_deaf
            vs.mute, vs.deaf = member.mute, member.deaf
            guild.voice_states[user_id] = vs
            data = self.voice_state_json(guild, vs)
        self.emit("VOICE_STATE_UPDATE", data, guild.id)
        self.on_change()

    def voice_server_update(self, guild: Guild) -> None:
        """The voice server for the bot's connection in ``guild``: a fresh token each time."""
        token, endpoint = secrets.token_hex(8), "us-east1234.discord.media:443"
        self.voice_servers[guild.id] = (token, endpoint)
        self.emit("VOICE_SERVER_UPDATE", {"token": token, "guild_id": str(guild.id), "endpoint": endpoint}, guild.id)
        self.on_change()

    # ------------------------------------------------------------------ messages

    def create_message(
        self,
        channel: Channel,
        author_id: int,
        *,
        content: str = "",
        embeds: list[dict[str, Any]] | None = None,
        components: list[dict[str, Any]] | None = None,
        attachments: list[Attachment] | None = None,
        flags: int = 0,
        nonce: str | int | None = None,
        tts: bool = False,
        message_type: int = 0,
        message_reference: dict[str, Any] | None = None,
        webhook_id: int | None = None,
        application_id: int | None = None,
        interaction_metadata: dict[str, Any] | None = None,
        interaction_id: int | None = None,
        allowed_mentions: dict[str, Any] | None = None,
    ) -> Message:
        """A new message; MESSAGE_CREATE unless it is ephemeral (only its author's client sees those)."""
        msg = Message(
            id=self.ids.next(),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author_id=author_id,
            content=content,
            embeds=list(embeds or []),
            components=list(components or []),
            attachments=list(attachments or []),
            flags=flags,
            nonce=nonce,
            tts=tts,
            type=message_type,
            message_reference=message_reference,
            webhook_id=webhook_id,
            application_id=application_id,
            interaction_metadata=interaction_metadata,
            interaction_id=interaction_id,
            allowed_mentions=allowed_mentions,
        )
        self._scan_mentions(msg)
        self.messages.setdefault(channel.id, {})[msg.id] = msg
        if nonce is not None:
            self.nonces[(channel.id, author_id, str(nonce))] = msg
        if not msg.ephemeral:
            channel.last_message_id = msg.id
            self.emit("MESSAGE_CREATE", self.message_json(msg, gateway=True), channel.guild_id)
        self.on_change()
        return msg

    def _scan_mentions(self, msg: Message) -> None:
        """Who the message names (``mention_ids``) and notifies (``pinged_ids``, ``mention_role_ids``,
        ``mention_everyone``), as Discord decides it: the mentions in the content, filtered by
        ``allowed_mentions`` (absent: every kind is parsed), @everyone/@here only when the author
        holds Mention Everyone, a role only when it is mentionable or the author holds that."""
        allowed = msg.allowed_mentions
        parse = {"users", "roles", "everyone"} if allowed is None else set(allowed.get("parse") or [])
        listed_users = {int(u) for u in (allowed or {}).get("users") or []}
        listed_roles = {int(r) for r in (allowed or {}).get("roles") or []}
        can_mention_everyone = self._may_mention_everyone(msg)
        users = list(dict.fromkeys(int(m) for m in _MENTION.findall(msg.content) if int(m) in self.users))
        msg.mention_ids = users  # Discord's ``mentions``: every user the text names
        msg.pinged_ids = [u for u in users if "users" in parse or u in listed_users]
        guild = self.guilds.get(msg.guild_id) if msg.guild_id else None
        roles: list[int] = []
        for raw in _ROLE_MENTION.findall(msg.content):
            role = guild.roles.get(int(raw)) if guild else None
            if role is None or not ("roles" in parse or role.id in listed_roles):
                continue
            if role.mentionable or can_mention_everyone:
                roles.append(role.id)
        msg.mention_role_ids = list(dict.fromkeys(roles))
        msg.mention_everyone = (
            guild is not None
            and "everyone" in parse
            and can_mention_everyone
            and ("@everyone" in msg.content or "@here" in msg.content)
        )
        ref = msg.message_reference
        target = self.find_message(int(ref["message_id"])) if ref else None
        replied_user = allowed is None or bool(allowed.get("replied_user"))
        if target is not None and target.author_id not in msg.mention_ids:
            msg.mention_ids.append(target.author_id)
        if target is not None and replied_user and target.author_id not in msg.pinged_ids:
            msg.pinged_ids.append(target.author_id)

    def _may_mention_everyone(self, msg: Message) -> bool:
        guild = self.guilds.get(msg.guild_id) if msg.guild_id else None
        if guild is None:
            return False
        member = guild.members.get(msg.author_id)
        if member is None:
            return False
        channel = self.channels.get(msg.channel_id)
        return bool(perms.channel_permissions(guild, member, channel) & perms.FLAGS["MENTION_EVERYONE"])

    def edit_message(self, msg: Message, **changes: Any) -> None:
        """Edit content/embeds/components/attachments/flags: MESSAGE_UPDATE."""
        for key, value in changes.items():
            setattr(msg, key, value)
        if "content" in changes or "allowed_mentions" in changes:
            self._scan_mentions(msg)
        msg.edited_timestamp = clock.now()
        msg.edits += 1
        if not msg.ephemeral:
            self.emit("MESSAGE_UPDATE", self.message_json(msg, gateway=True), msg.guild_id)
        self.on_change()

    def delete_message(self, msg: Message) -> None:
        msg.deleted = True
        if not msg.ephemeral:
            data: dict[str, Any] = {"id": str(msg.id), "channel_id": str(msg.channel_id)}
            if msg.guild_id:
                data["guild_id"] = str(msg.guild_id)
            self.emit("MESSAGE_DELETE", data, msg.guild_id)
        self.on_change()

    def bulk_delete(self, channel: Channel, messages: list[Message]) -> None:
        for msg in messages:
            msg.deleted = True
        data: dict[str, Any] = {"ids": [str(m.id) for m in messages], "channel_id": str(channel.id)}
        if channel.guild_id:
            data["guild_id"] = str(channel.guild_id)
        self.emit("MESSAGE_DELETE_BULK", data, channel.guild_id)
        self.on_change()

    def channel_messages(self, channel: Channel, *, include_ephemeral: bool = False) -> list[Message]:
        """Messages in the channel, oldest first."""
        return [
            m
            for m in self.messages.get(channel.id, {}).values()
            if not m.deleted and (include_ephemeral or not m.ephemeral)
        ]

    def find_nonce(self, channel: Channel, author_id: int, nonce: str | int, window: timedelta) -> Message | None:
        """The message this author already sent here with this nonce, within Discord's dedupe window."""
        msg = self.nonces.get((channel.id, author_id, str(nonce)))
        if msg is None or msg.timestamp < clock.now() - window:
            return None
        return msg

    # ------------------------------------------------------------------ reactions

    def _reaction_event(self, msg: Message, user_id: int, emoji: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "user_id": str(user_id),
            "channel_id": str(msg.channel_id),
            "message_id": str(msg.id),
            "emoji": emoji,
            "burst": False,
            "type": 0,
        }
        if msg.guild_id:
            data["guild_id"] = str(msg.guild_id)
            guild = self.guilds[msg.guild_id]
            if member := guild.members.get(user_id):
                data["member"] = self.member_json(guild, member)
        return data

    def add_reaction(self, msg: Message, emoji: dict[str, Any], user_id: int) -> None:
        key = emoji_key(emoji)
        reaction = next((r for r in msg.reactions if r.key == key), None)
        if reaction is None:
            reaction = Reaction(emoji=emoji)
            msg.reactions.append(reaction)
        if user_id in reaction.user_ids:
            return  # Discord answers 204 and sends nothing for a repeated reaction
        reaction.user_ids.append(user_id)
        data = self._reaction_event(msg, user_id, emoji)
        data["message_author_id"] = str(msg.author_id)
        self.emit("MESSAGE_REACTION_ADD", data, msg.guild_id)
        self.on_change()

    def remove_reaction(self, msg: Message, emoji: dict[str, Any], user_id: int) -> None:
        key = emoji_key(emoji)
        reaction = next((r for r in msg.reactions if r.key == key), None)
        if reaction is None or user_id not in reaction.user_ids:
            return
        reaction.user_ids.remove(user_id)
        if not reaction.user_ids:
            msg.reactions.remove(reaction)
        data = self._reaction_event(msg, user_id, reaction.emoji)
        data.pop("member", None)  # Discord sends no member on removal
        self.emit("MESSAGE_REACTION_REMOVE", data, msg.guild_id)
        self.on_change()

    def clear_reactions(self, msg: Message, emoji: dict[str, Any] | None = None) -> None:
        base: dict[str, Any] = {"channel_id": str(msg.channel_id), "message_id": str(msg.id)}
        if msg.guild_id:
            base["guild_id"] = str(msg.guild_id)
        if emoji is None:
            msg.reactions.clear()
            self.emit("MESSAGE_REACTION_REMOVE_ALL", base, msg.guild_id)
        else:
            key = emoji_key(emoji)
            msg.reactions = [r for r in msg.reactions if r.key != key]
            self.emit("MESSAGE_REACTION_REMOVE_EMOJI", {**base, "emoji": emoji}, msg.guild_id)
        self.on_change()

    # ------------------------------------------------------------------ commands

    def scope_commands(self, guild_id: int | None) -> dict[int, Command]:
        return self.commands.setdefault(guild_id, {})

    def find_command(self, name: str, guild_id: int | None, *, command_type: int = 1) -> Command | None:
        """By name, guild scope first, then global, like Discord's command picker."""
        scopes = [guild_id, None] if guild_id is not None else [None]
        for scope in scopes:
            for command in self.scope_commands(scope).values():
                if command.name == name and command.type == command_type:
                    return command
        return None

    # ------------------------------------------------------------------ interactions

    def register_interaction(self, interaction: Interaction) -> None:
        self.interactions[interaction.id] = interaction
        self.interactions_by_token[interaction.token] = interaction
        self.emit("INTERACTION_CREATE", interaction.payload, interaction.guild_id)
        self.on_change()

    def new_attachment(
        self, channel_id: int, filename: str, data: bytes, content_type: str | None, description: str | None = None
    ) -> Attachment:
        attachment_id = self.ids.next()
        url = f"{self.attachment_base}/attachments/{channel_id}/{attachment_id}/{filename}"
        return Attachment(
            id=attachment_id,
            filename=filename,
            content_type=content_type,
            data=data,
            url=url,
            description=description,
        )

    def attachment(self, attachment_id: int) -> Attachment | None:
        if attachment_id in self.loose_attachments:
            return self.loose_attachments[attachment_id]
        for per_channel in self.messages.values():
            for msg in per_channel.values():
                for att in msg.attachments:
                    if att.id == attachment_id:
                        return att
        return None


def ephemeral_flag(flags: int | None) -> bool:
    return bool((flags or 0) & EPHEMERAL)


def voice_channel_kinds() -> tuple[int, ...]:
    return (GUILD_VOICE, 13)


def parse_time(value: str | None) -> datetime | None:
    """Parse an ISO8601 timestamp the client sent (``None`` clears)."""
    if value is None or value == "":
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
