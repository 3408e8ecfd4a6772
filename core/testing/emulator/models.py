"""The world's objects: plain dataclasses holding Discord state, plus their JSON shapes.

Objects refer to each other by id (like Discord), so the world can hand out consistent payloads
from any angle (a member inside a guild, inside an interaction, inside a message).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from guildkit.core import clock

# Channel types used here (Discord's numbers).
GUILD_TEXT = 0
DM = 1
GUILD_VOICE = 2
GUILD_CATEGORY = 4
GUILD_ANNOUNCEMENT = 5
GUILD_STAGE_VOICE = 13
GUILD_FORUM = 15
CHANNEL_KINDS = {
    "text": GUILD_TEXT,
    "voice": GUILD_VOICE,
    "category": GUILD_CATEGORY,
    "announcement": GUILD_ANNOUNCEMENT,
    "stage": GUILD_STAGE_VOICE,
    "forum": GUILD_FORUM,
}

# Message flags.
EPHEMERAL = 1 << 6
LOADING = 1 << 7

# Interaction types.
PING = 1
APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
AUTOCOMPLETE = 4
MODAL_SUBMIT = 5


def iso(moment: datetime | None) -> str | None:
    """Discord's ISO8601 timestamp format (with microseconds and +00:00)."""
    return moment.isoformat() if moment is not None else None


@dataclass
class User:
    id: int
    username: str
    bot: bool = False
    global_name: str | None = None
    dms_closed: bool = False
    """The user turned off DMs from server members: the bot gets 50007 when it writes to them."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name or (None if self.bot else self.username),
            "avatar": None,
            "bot": self.bot,
            "system": False,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
        }


@dataclass
class Role:
    id: int
    guild_id: int
    name: str
    permissions: int
    position: int
    color: int = 0
    hoist: bool = False
    mentionable: bool = False
    managed: bool = False
    bot_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "color": self.color,
            "colors": {"primary_color": self.color, "secondary_color": None, "tertiary_color": None},
            "hoist": self.hoist,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass
class Overwrite:
    id: int
    type: int  # 0 = role, 1 = member
    allow: int = 0
    deny: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"id": str(self.id), "type": self.type, "allow": str(self.allow), "deny": str(self.deny)}


@dataclass
class Channel:
    id: int
    type: int
    name: str | None
    guild_id: int | None = None
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    overwrites: dict[int, Overwrite] = field(default_factory=dict)
    recipient_ids: list[int] = field(default_factory=list)
    last_message_id: int | None = None
    nsfw: bool = False
    rate_limit_per_user: int = 0

    @property
    def is_voice(self) -> bool:
        return self.type in (GUILD_VOICE, GUILD_STAGE_VOICE)


@dataclass
class VoiceState:
    user_id: int
    guild_id: int
    channel_id: int
    session_id: str
    self_mute: bool = False
    self_deaf: bool = False
    mute: bool = False
    deaf: bool = False
    self_video: bool = False
    self_stream: bool = False


@dataclass
class Member:
    user_id: int
    guild_id: int
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: datetime = field(default_factory=clock.now)
    communication_disabled_until: datetime | None = None
    mute: bool = False
    deaf: bool = False
    pending: bool = False

    def is_timed_out(self) -> bool:
        """Timed out right now, by the guildkit clock (a test clock can expire a timeout)."""
        until = self.communication_disabled_until
        return until is not None and until > clock.now()


@dataclass
class Attachment:
    id: int
    filename: str
    content_type: str | None
    data: bytes
    url: str = ""
    description: str | None = None
    ephemeral: bool = False

    @property
    def size(self) -> int:
        return len(self.data)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": str(self.id),
            "filename": self.filename,
            "size": self.size,
            "url": self.url,
            "proxy_url": self.url,
            "content_type": self.content_type,
        }
        if self.description is not None:
            out["description"] = self.description
        if self.ephemeral:
            out["ephemeral"] = True
        return out


@dataclass
class Reaction:
    emoji: dict[str, Any]  # {"id": str|None, "name": str, "animated": bool}
    user_ids: list[int] = field(default_factory=list)

    @property
    def key(self) -> str:
        return emoji_key(self.emoji)


def emoji_key(emoji: dict[str, Any]) -> str:
    """How a reaction is named in URLs: the unicode character or ``name:id``."""
    return f"{emoji.get('name')}:{emoji['id']}" if emoji.get("id") else str(emoji.get("name"))


def parse_emoji(text: str) -> dict[str, Any]:
    """Emoji from a URL segment or driver argument: ``👍``, ``name:id``, ``<:name:id>``, ``<a:name:id>``."""
    raw = text.strip()
    animated = raw.startswith("<a:")
    raw = raw.strip("<>")
    if raw.startswith("a:"):
        raw = raw[2:]
    raw = raw.lstrip(":")
    if ":" in raw:
        name, _, emoji_id = raw.rpartition(":")
        if emoji_id.isdigit():
            return {"id": emoji_id, "name": name, "animated": animated}
    return {"id": None, "name": raw, "animated": False}


@dataclass
class Message:
    id: int
    channel_id: int
    guild_id: int | None
    author_id: int
    content: str = ""
    timestamp: datetime = field(default_factory=clock.now)
    edited_timestamp: datetime | None = None
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    reactions: list[Reaction] = field(default_factory=list)
    flags: int = 0
    type: int = 0
    nonce: str | int | None = None
    tts: bool = False
    pinned: bool = False
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_metadata: dict[str, Any] | None = None
    message_reference: dict[str, Any] | None = None
    mention_ids: list[int] = field(default_factory=list)
    mention_role_ids: list[int] = field(default_factory=list)
    mention_everyone: bool = False
    allowed_mentions: dict[str, Any] | None = None
    """As the author sent it; None when absent (Discord then parses every kind of mention)."""
    #: Users the message really pinged: its user mentions that ``allowed_mentions`` allowed
    #: (all of them when the request had no allowed_mentions).
    pinged_ids: list[int] = field(default_factory=list)
    interaction_id: int | None = None
    """The interaction this message answers (original response or follow-up)."""
    deleted: bool = False
    edits: int = 0
    """How many times the message was edited; drivers wait on this for deferred updates."""

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def pinged_nobody(self) -> bool:
        """Nobody was notified: no user, no role, not @everyone/@here."""
        return not (self.pinged_ids or self.mention_role_ids or self.mention_everyone)

    @property
    def pinged_groups(self) -> bool:
        """@everyone/@here or a role was notified."""
        return bool(self.mention_role_ids or self.mention_everyone)

    @property
    def loading(self) -> bool:
        return bool(self.flags & LOADING)


@dataclass
class Ban:
    user_id: int
    reason: str | None = None


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    channel_ids: list[int] = field(default_factory=list)
    members: dict[int, Member] = field(default_factory=dict)
    bans: dict[int, Ban] = field(default_factory=dict)
    voice_states: dict[int, VoiceState] = field(default_factory=dict)
    bot_present: bool = True
    bot_role_id: int | None = None
    system_channel_id: int | None = None
    preferred_locale: str = "en-US"
    bot_joined_at: datetime = field(default_factory=clock.now)
    audit_log: list[AuditLogEntry] = field(default_factory=list)
    #: Timeouts of members who left: Discord keeps them and they apply again on rejoin.
    kept_timeouts: dict[int, datetime] = field(default_factory=dict)
    #: A Discord-side outage: READY lists the guild as unavailable and no GUILD_CREATE follows
    #: until it ends (``DiscordEmulator.end_guild_outage``).
    outage: bool = False


# Audit log action types (Discord's numbers) the emulator writes.
MEMBER_KICK = 20
MEMBER_BAN_ADD = 22
MEMBER_BAN_REMOVE = 23
MEMBER_UPDATE = 24
MESSAGE_BULK_DELETE = 73


@dataclass
class AuditLogEntry:
    id: int
    guild_id: int
    user_id: int | None
    target_id: int | None
    action_type: int
    reason: str | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)
    options: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "user_id": str(self.user_id) if self.user_id is not None else None,
            "target_id": str(self.target_id) if self.target_id is not None else None,
            "action_type": self.action_type,
            "changes": self.changes,
        }
        if self.reason is not None:
            data["reason"] = self.reason
        if self.options is not None:
            data["options"] = self.options
        return data


@dataclass
class Command:
    """An application command as stored: what the bot sent plus Discord's added fields."""

    id: int
    application_id: int
    guild_id: int | None
    data: dict[str, Any]
    version: int

    @property
    def name(self) -> str:
        return str(self.data["name"])

    @property
    def type(self) -> int:
        return int(self.data.get("type") or 1)

    def to_json(self) -> dict[str, Any]:
        out = dict(self.data)
        out.setdefault("type", 1)
        out.setdefault("default_member_permissions", None)
        out.setdefault("nsfw", False)
        out["id"] = str(self.id)
        out["application_id"] = str(self.application_id)
        out["version"] = str(self.version)
        if self.guild_id is not None:
            out["guild_id"] = str(self.guild_id)
        return out


@dataclass
class Interaction:
    """One interaction sent to the bot and what the bot answered."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    guild_id: int | None
    channel_id: int
    user_id: int
    created: float  # clock.monotonic() when sent
    #: Real time (``DiscordEmulator.deadline_time()``) when sent: the 3-second deadline counts from it.
    sent_at: float = 0.0
    #: When the initial callback arrived, on the same scale; None until then.
    callback_at: float | None = None
    source_message_id: int | None = None
    """For components and modals opened from a component: the message the user clicked on."""
    response_type: int | None = None
    response_data: dict[str, Any] | None = None
    original_message_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    choices: list[dict[str, Any]] | None = None
    modal: dict[str, Any] | None = None
    original_deleted: bool = False
    changed: asyncio.Event | None = None

    @property
    def acknowledged(self) -> bool:
        return self.response_type is not None
