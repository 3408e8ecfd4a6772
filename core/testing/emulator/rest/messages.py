"""Channels the bot reads and writes: messages, nonces, bulk delete, reactions, pins, typing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from guildkit.core import clock

from .. import permissions as perms
from ..errors import DiscordHTTPError, bad_request, form_error, unknown
from ..models import DM, Channel, Message, parse_emoji
from ..snowflakes import snowflake_time
from .base import Call, Router, channel_for_bot, message_fields, require

NONCE_WINDOW = timedelta(minutes=5)
P = perms.FLAGS


def _channel(call: Call) -> Channel:
    return channel_for_bot(call.world, call.params["channel_id"])


def _guild_require(call: Call, channel: Channel, *names: str) -> None:
    if channel.guild_id is None:
        return
    bits = 0
    for name in names:
        bits |= P[name]
    require(call.world, call.world.guild(channel.guild_id), bits, channel)


def _message(call: Call, channel: Channel) -> Message:
    raw = call.params["message_id"]
    if not raw.isdigit():
        raise unknown("message")
    return call.world.message(channel.id, raw)


def _can_send_dm(call: Call, channel: Channel) -> None:
    """DMs fail with 50007 when the user closed DMs or shares no guild with the bot."""
    world = call.world
    user = world.user(channel.recipient_ids[0])
    if user.bot or user.dms_closed or not world.shares_guild_with_bot(user.id):
        raise DiscordHTTPError(403, 50007, "Cannot send messages to this user")


def register(router: Router) -> None:
    @router.route("GET", "/channels/{channel_id}")
    async def get_channel(call: Call) -> Any:
        return call.world.channel_json(_channel(call))

    @router.route("GET", "/channels/{channel_id}/messages")
    async def list_messages(call: Call) -> Any:
        channel = _channel(call)
        _guild_require(call, channel, "READ_MESSAGE_HISTORY")
        limit = int(call.query.get("limit", 50))
        if not 1 <= limit <= 100:
            raise form_error("limit", "NUMBER_TYPE_MAX", "int value should be between 1 and 100.")
        msgs = call.world.channel_messages(channel)  # oldest first
        if before := call.query.get("before"):
            msgs = [m for m in msgs if m.id < int(before)]
            msgs = msgs[-limit:]
        elif after := call.query.get("after"):
            msgs = [m for m in msgs if m.id > int(after)][:limit]
        elif around := call.query.get("around"):
            older = [m for m in msgs if m.id < int(around)]
            newer = [m for m in msgs if m.id >= int(around)]
            half = limit // 2
            msgs = older[-half:] + newer[: limit - len(older[-half:])]
        else:
            msgs = msgs[-limit:]
        return [call.world.message_json(m) for m in reversed(msgs)]  # newest first, like Discord

    @router.route("POST", "/channels/{channel_id}/messages")
    async def create_message(call: Call) -> Any:
        world = call.world
        channel = _channel(call)
        if channel.type == DM:
            _can_send_dm(call, channel)
        elif channel.is_voice or channel.type == 4:
            _guild_require(call, channel, "SEND_MESSAGES")
            if channel.type == 4:
                raise DiscordHTTPError(400, 50008, "Cannot send messages in a non-text channel")
        else:
            _guild_require(call, channel, "SEND_MESSAGES")
        data = call.json()
        nonce = data.get("nonce")
        if (
            nonce is not None
            and data.get("enforce_nonce")
            and (original := world.find_nonce(channel, world.bot_user_id, nonce, NONCE_WINDOW)) is not None
        ):
            return world.message_json(original)  # Discord's dedupe: the first message, no new event
        fields = message_fields(world, channel.id, data, call.uploads)
        if fields.get("attachments"):
            _guild_require(call, channel, "ATTACH_FILES")
        reference = None
        if ref := data.get("message_reference"):
            target = world.find_message(int(ref.get("message_id", 0)))
            if target is None or target.channel_id != channel.id:
                if ref.get("fail_if_not_exists", True):
                    raise form_error("message_reference", "REPLIES_UNKNOWN_MESSAGE", "Unknown message")
            else:
                reference = {
                    "type": 0,
                    "message_id": str(target.id),
                    "channel_id": str(channel.id),
                    **({"guild_id": str(channel.guild_id)} if channel.guild_id else {}),
                }
        flags = int(fields.pop("flags", 0)) & ((1 << 2) | (1 << 12) | (1 << 15))
        msg = world.create_message(
            channel,
            world.bot_user_id,
            **fields,
            flags=flags,
            nonce=nonce,
            tts=bool(data.get("tts")),
            message_type=19 if reference else 0,
            message_reference=reference,
        )
        return world.message_json(msg)

    @router.route("POST", "/channels/{channel_id}/messages/bulk-delete")
    async def bulk_delete(call: Call) -> Any:
        world = call.world
        channel = _channel(call)
        _guild_require(call, channel, "MANAGE_MESSAGES")
        ids = [int(i) for i in call.json().get("messages", [])]
        if not 2 <= len(ids) <= 100:
            raise form_error("messages", "BASE_TYPE_BAD_LENGTH", "Must be between 2 and 100 in length.")
        cutoff = clock.now() - timedelta(days=14)
        if any(snowflake_time(i) < cutoff for i in ids):
            raise bad_request(50034, "You can only bulk delete messages that are under 14 days old.")
        msgs = [m for i in ids if (m := world.messages.get(channel.id, {}).get(i)) and not m.deleted]
        world.bulk_delete(channel, msgs)
        return None

    @router.route("GET", "/channels/{channel_id}/messages/{message_id}")
    async def get_message(call: Call) -> Any:
        channel = _channel(call)
        _guild_require(call, channel, "READ_MESSAGE_HISTORY")
        msg = _message(call, channel)
        if msg.ephemeral:
            raise unknown("message")
        return call.world.message_json(msg)

    @router.route("PATCH", "/channels/{channel_id}/messages/{message_id}")
    async def edit_message(call: Call) -> Any:
        world = call.world
        channel = _channel(call)
        msg = _message(call, channel)
        data = call.json()
        if msg.author_id != world.bot_user_id:
            # Others' messages: only flags (suppress embeds) with MANAGE_MESSAGES.
            if set(data) - {"flags"}:
                raise DiscordHTTPError(403, 50005, "Cannot edit a message authored by another user")
            _guild_require(call, channel, "MANAGE_MESSAGES")
        fields = message_fields(world, channel.id, data, call.uploads, editing=True)
        world.edit_message(msg, **fields)
        return world.message_json(msg)

    @router.route("DELETE", "/channels/{channel_id}/messages/{message_id}")
    async def delete_message(call: Call) -> Any:
        channel = _channel(call)
        msg = _message(call, channel)
        if msg.author_id != call.world.bot_user_id:
            if channel.type == DM:
                raise DiscordHTTPError(403, 50003, "Cannot execute action on a DM channel")
            _guild_require(call, channel, "MANAGE_MESSAGES")
        call.world.delete_message(msg)
        return None

    # ---------------------------------------------------------------- reactions

    base = "/channels/{channel_id}/messages/{message_id}/reactions"

    @router.route("PUT", f"{base}/{{emoji}}/@me")
    async def add_own_reaction(call: Call) -> Any:
        channel = _channel(call)
        msg = _message(call, channel)
        emoji = parse_emoji(call.params["emoji"])
        if not any(r.key == _key(emoji) for r in msg.reactions):
            _guild_require(call, channel, "ADD_REACTIONS", "READ_MESSAGE_HISTORY")
        else:
            _guild_require(call, channel, "READ_MESSAGE_HISTORY")
        if len(msg.reactions) >= 20 and not any(r.key == _key(emoji) for r in msg.reactions):
            raise bad_request(30010, "Maximum number of reactions reached (20)")
        call.world.add_reaction(msg, emoji, call.world.bot_user_id)
        return None

    @router.route("DELETE", f"{base}/{{emoji}}/@me")
    async def remove_own_reaction(call: Call) -> Any:
        channel = _channel(call)
        msg = _message(call, channel)
        call.world.remove_reaction(msg, parse_emoji(call.params["emoji"]), call.world.bot_user_id)
        return None

    @router.route("DELETE", f"{base}/{{emoji}}/{{user_id}}")
    async def remove_user_reaction(call: Call) -> Any:
        channel = _channel(call)
        msg = _message(call, channel)
        _guild_require(call, channel, "MANAGE_MESSAGES")
        if channel.type == DM:
            raise DiscordHTTPError(403, 50003, "Cannot execute action on a DM channel")
        call.world.remove_reaction(msg, parse_emoji(call.params["emoji"]), int(call.params["user_id"]))
        return None

    @router.route("GET", f"{base}/{{emoji}}")
    async def list_reactions(call: Call) -> Any:
        channel = _channel(call)
        msg = _message(call, channel)
        key = _key(parse_emoji(call.params["emoji"]))
        reaction = next((r for r in msg.reactions if r.key == key), None)
        if reaction is None:
            return []
        users = sorted(reaction.user_ids)
        if after := call.query.get("after"):
            users = [u for u in users if u > int(after)]
        limit = int(call.query.get("limit", 25))
        return [call.world.user_json(u) for u in users[:limit]]

    @router.route("DELETE", f"{base}/{{emoji}}")
    async def clear_emoji(call: Call) -> Any:
        channel = _channel(call)
        msg = _message(call, channel)
        _guild_require(call, channel, "MANAGE_MESSAGES")
        call.world.clear_reactions(msg, parse_emoji(call.params["emoji"]))
        return None

    @router.route("DELETE", base)
    async def clear_all(call: Call) -> Any:
        channel = _channel(call)
        msg = _message(call, channel)
        _guild_require(call, channel, "MANAGE_MESSAGES")
        call.world.clear_reactions(msg)
        return None

    # ---------------------------------------------------------------- pins and typing

    @router.route("GET", "/channels/{channel_id}/pins")
    async def list_pins(call: Call) -> Any:
        channel = _channel(call)
        pinned = [m for m in call.world.channel_messages(channel) if m.pinned]
        return [call.world.message_json(m) for m in reversed(pinned)]

    @router.route("PUT", "/channels/{channel_id}/pins/{message_id}")
    async def pin(call: Call) -> Any:
        channel = _channel(call)
        _guild_require(call, channel, "MANAGE_MESSAGES")
        _set_pinned(call, _message(call, channel), True)
        return None

    @router.route("DELETE", "/channels/{channel_id}/pins/{message_id}")
    async def unpin(call: Call) -> Any:
        channel = _channel(call)
        _guild_require(call, channel, "MANAGE_MESSAGES")
        _set_pinned(call, _message(call, channel), False)
        return None

    @router.route("POST", "/channels/{channel_id}/typing")
    async def typing(call: Call) -> Any:
        _channel(call)
        return None


def _set_pinned(call: Call, msg: Message, pinned: bool) -> None:
    """Pins are not edits: no edited_timestamp, a CHANNEL_PINS_UPDATE instead of MESSAGE_UPDATE."""
    msg.pinned = pinned
    data: dict[str, Any] = {"channel_id": str(msg.channel_id), "last_pin_timestamp": clock.now().isoformat()}
    if msg.guild_id:
        data["guild_id"] = str(msg.guild_id)
    call.world.emit("CHANNEL_PINS_UPDATE", data, msg.guild_id)
    call.world.on_change()


def _key(emoji: dict[str, Any]) -> str:
    from ..models import emoji_key

    return emoji_key(emoji)
