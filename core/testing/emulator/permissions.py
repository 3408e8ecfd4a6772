"""Discord permission flags and the permission math Discord applies.

Kept local (not ``interactions.Permissions``) so the emulator computes permissions independently of
the library under test; unknown names fall back to ``interactions.Permissions`` for convenience.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Channel, Guild, Member

FLAGS: dict[str, int] = {
    "CREATE_INSTANT_INVITE": 1 << 0,
    "KICK_MEMBERS": 1 << 1,
    "BAN_MEMBERS": 1 << 2,
    "ADMINISTRATOR": 1 << 3,
    "MANAGE_CHANNELS": 1 << 4,
    "MANAGE_GUILD": 1 << 5,
    "ADD_REACTIONS": 1 << 6,
    "VIEW_AUDIT_LOG": 1 << 7,
    "PRIORITY_SPEAKER": 1 << 8,
    "STREAM": 1 << 9,
    "VIEW_CHANNEL": 1 << 10,
    "SEND_MESSAGES": 1 << 11,
    "SEND_TTS_MESSAGES": 1 << 12,
    "MANAGE_MESSAGES": 1 << 13,
    "EMBED_LINKS": 1 << 14,
    "ATTACH_FILES": 1 << 15,
    "READ_MESSAGE_HISTORY": 1 << 16,
    "MENTION_EVERYONE": 1 << 17,
    "USE_EXTERNAL_EMOJIS": 1 << 18,
    "VIEW_GUILD_INSIGHTS": 1 << 19,
    "CONNECT": 1 << 20,
    "SPEAK": 1 << 21,
    "MUTE_MEMBERS": 1 << 22,
    "DEAFEN_MEMBERS": 1 << 23,
    "MOVE_MEMBERS": 1 << 24,
    "USE_VAD": 1 << 25,
    "CHANGE_NICKNAME": 1 << 26,
    "MANAGE_NICKNAMES": 1 << 27,
    "MANAGE_ROLES": 1 << 28,
    "MANAGE_WEBHOOKS": 1 << 29,
    "MANAGE_GUILD_EXPRESSIONS": 1 << 30,
    "USE_APPLICATION_COMMANDS": 1 << 31,
    "REQUEST_TO_SPEAK": 1 << 32,
    "MANAGE_EVENTS": 1 << 33,
    "MANAGE_THREADS": 1 << 34,
    "CREATE_PUBLIC_THREADS": 1 << 35,
    "CREATE_PRIVATE_THREADS": 1 << 36,
    "USE_EXTERNAL_STICKERS": 1 << 37,
    "SEND_MESSAGES_IN_THREADS": 1 << 38,
    "USE_EMBEDDED_ACTIVITIES": 1 << 39,
    "MODERATE_MEMBERS": 1 << 40,
    "VIEW_CREATOR_MONETIZATION_ANALYTICS": 1 << 41,
    "USE_SOUNDBOARD": 1 << 42,
    "CREATE_GUILD_EXPRESSIONS": 1 << 43,
    "CREATE_EVENTS": 1 << 44,
    "USE_EXTERNAL_SOUNDS": 1 << 45,
    "SEND_VOICE_MESSAGES": 1 << 46,
    "SEND_POLLS": 1 << 49,
    "USE_EXTERNAL_APPS": 1 << 50,
}
ALIASES = {
    "MANAGE_SERVER": "MANAGE_GUILD",
    "TIMEOUT_MEMBERS": "MODERATE_MEMBERS",
    "USE_SLASH_COMMANDS": "USE_APPLICATION_COMMANDS",
    "MANAGE_EMOJIS_AND_STICKERS": "MANAGE_GUILD_EXPRESSIONS",
    "READ_MESSAGES": "VIEW_CHANNEL",
}
ALL = 0
for _bit in FLAGS.values():
    ALL |= _bit

ADMINISTRATOR = FLAGS["ADMINISTRATOR"]
VIEW_CHANNEL = FLAGS["VIEW_CHANNEL"]

# What @everyone gets in a freshly created Discord guild.
DEFAULT_EVERYONE = 0
for _name in [
    "CREATE_INSTANT_INVITE",
    "ADD_REACTIONS",
    "STREAM",
    "VIEW_CHANNEL",
    "SEND_MESSAGES",
    "EMBED_LINKS",
    "ATTACH_FILES",
    "READ_MESSAGE_HISTORY",
    "MENTION_EVERYONE",
    "USE_EXTERNAL_EMOJIS",
    "CONNECT",
    "SPEAK",
    "USE_VAD",
    "CHANGE_NICKNAME",
    "USE_APPLICATION_COMMANDS",
    "REQUEST_TO_SPEAK",
    "CREATE_PUBLIC_THREADS",
    "CREATE_PRIVATE_THREADS",
    "USE_EXTERNAL_STICKERS",
    "SEND_MESSAGES_IN_THREADS",
    "USE_EMBEDDED_ACTIVITIES",
    "SEND_VOICE_MESSAGES",
    "SEND_POLLS",
]:
    DEFAULT_EVERYONE |= FLAGS[_name]

# What the bot's managed role gets by default: a typical moderation bot invite, without ADMINISTRATOR,
# so tests notice when a feature needs a permission the invite did not grant.
DEFAULT_BOT = 0
for _name in [
    "VIEW_CHANNEL",
    "SEND_MESSAGES",
    "EMBED_LINKS",
    "ATTACH_FILES",
    "READ_MESSAGE_HISTORY",
    "ADD_REACTIONS",
    "USE_EXTERNAL_EMOJIS",
    "MANAGE_MESSAGES",
    "MANAGE_ROLES",
    "KICK_MEMBERS",
    "BAN_MEMBERS",
    "MODERATE_MEMBERS",
    "MANAGE_NICKNAMES",
    "MUTE_MEMBERS",
    "DEAFEN_MEMBERS",
    "MOVE_MEMBERS",
    "CONNECT",
    "SPEAK",
    "SEND_MESSAGES_IN_THREADS",
    "VIEW_AUDIT_LOG",
]:
    DEFAULT_BOT |= FLAGS[_name]

PermissionsLike = int | str | Iterable[str] | None


def flag(name: str) -> int:
    """The bit of one permission name (Discord's upper-case name, case-insensitive)."""
    key = name.strip().upper().replace(" ", "_")
    key = ALIASES.get(key, key)
    if key in FLAGS:
        return FLAGS[key]
    try:  # names only interactions.py knows (new flags)
        from interactions import Permissions

        return int(Permissions[key])
    except (ImportError, KeyError):
        raise ValueError(f"unknown Discord permission {name!r}") from None


def to_bits(value: PermissionsLike) -> int:
    """Permissions from an int, a name, an iterable of names or an ``interactions.Permissions``."""
    if value is None:
        return 0
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        return int(value) if value.isdigit() else flag(value)
    bits = 0
    for item in value:
        bits |= item if isinstance(item, int) else flag(item)
    return bits


def names(bits: int) -> list[str]:
    """The flag names set in ``bits`` (for readable error messages)."""
    return [name for name, bit in FLAGS.items() if bits & bit]


def base_permissions(guild: Guild, member: Member) -> int:
    """Guild-level permissions: owner → all, @everyone | roles, ADMINISTRATOR → all."""
    if member.user_id == guild.owner_id:
        return ALL
    perms = guild.roles[guild.id].permissions
    for role_id in member.roles:
        if role := guild.roles.get(role_id):
            perms |= role.permissions
    if perms & ADMINISTRATOR:
        return ALL
    return perms


def channel_permissions(guild: Guild, member: Member, channel: Channel | None) -> int:
    """Permissions in a channel after overwrites, in Discord's order.

    @everyone overwrite, then the union of role overwrites (deny before allow), then the member's
    own overwrite. Timed-out members keep only VIEW_CHANNEL and READ_MESSAGE_HISTORY.
    """
    perms = base_permissions(guild, member)
    if perms & ADMINISTRATOR or member.user_id == guild.owner_id:
        return ALL
    if channel is not None:
        overwrites = channel.overwrites
        if everyone := overwrites.get(guild.id):
            perms = (perms & ~everyone.deny) | everyone.allow
        allow = deny = 0
        for role_id in member.roles:
            if ow := overwrites.get(role_id):
                allow |= ow.allow
                deny |= ow.deny
        perms = (perms & ~deny) | allow
        if (own := overwrites.get(member.user_id)) and own.type == 1:
            perms = (perms & ~own.deny) | own.allow
        if not perms & VIEW_CHANNEL:
            return 0
    if member.is_timed_out():
        perms &= VIEW_CHANNEL | FLAGS["READ_MESSAGE_HISTORY"]
    return perms


def top_position(guild: Guild, member: Member) -> int:
    """The position of the member's highest role (0 = only @everyone)."""
    return max((guild.roles[r].position for r in member.roles if r in guild.roles), default=0)
