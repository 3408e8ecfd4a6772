"""Discord side effects of the reminders plugin: delivering reminders (channel, DM fallback),
reading a watched message's reactions and who can see its channel, and posting watch rounds.

Called from jobs.py. Every message is sent with a nonce of its job occurrence and
``enforce_nonce``: a retry after a crash gets Discord's first message back instead of a second
one. Mentions are explicit: a reminder pings its author only, a watch round the members it names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

import interactions

from guildkit.core.ipy import post_message

from .commands import format
from .service.delivery import Outcome
from .service.personal import ReminderView
from .service.watches import emoji_key

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

Nonce = Callable[[int], str]
#: interactions.py exports its errors module at the top level (``interactions.errors``).
HTTPException = interactions.errors.HTTPException


def _reason(error: HTTPException) -> str:
    text = error.text if isinstance(error.text, str) else ""
    return f"Discord answered {error.status}{f' ({text})' if text else ''}"[:300]


async def send_reminder(runtime: Runtime, view: ReminderView, late: timedelta, nonce: Nonce) -> Outcome:
    """In its channel with only the author mentioned; by DM when it has no channel, or when the
    channel is gone or no longer writable; else the reason it could not be delivered."""
    client = runtime.client
    assert client is not None
    fallback: str | None = None
    if view.channel_id is not None:
        try:
            # One REST call, no Message built from the answer (the hot path of a busy minute).
            await post_message(
                client,
                view.channel_id,
                format.delivered(view, late),
                components=format.snooze_buttons(view.id),
                allowed_mentions=interactions.AllowedMentions(users=[view.user_id]),
                nonce=nonce(0),
                enforce_nonce=True,
            )
            return Outcome(via="channel")
        except HTTPException as error:
            if error.status not in (403, 404):
                raise  # a server error or rate limit: the scheduler retries the occurrence
            fallback = "I cannot post in the channel any more" if error.status == 403 else "the channel is gone"
    try:
        user = await client.fetch_user(view.user_id)
        if user is None:
            return Outcome(via=None, error=_join(fallback, "the member's account is gone"))
        await user.send(
            format.delivered(view, late, in_dm=True, fallback=fallback is not None),
            components=format.snooze_buttons(view.id),
            allowed_mentions=interactions.AllowedMentions.none(),
            nonce=nonce(1),
            enforce_nonce=True,
        )
        return Outcome(via="dm", fallback_reason=fallback)
    except HTTPException as error:
        if error.status not in (400, 403, 404):
            raise
        return Outcome(via=None, error=_join(fallback, f"a DM was refused: {_reason(error)}"))


def _join(first: str | None, second: str) -> str:
    return f"{first}; {second}" if first else second


async def read_reactions(runtime: Runtime, channel_id: int, message_id: int) -> dict[str, set[int]] | None:
    """emoji key -> ids of members who reacted with it (paginated by 100); None when the
    message or its channel is gone or unreadable."""
    client = runtime.client
    assert client is not None
    try:
        channel = await client.fetch_channel(channel_id)
        if channel is None:
            return None
        message = await channel.fetch_message(message_id, force=True)
        if message is None:
            return None
        found: dict[str, set[int]] = {}
        for reaction in message.reactions:
            key = emoji_key(reaction.emoji.name or "", reaction.emoji.id)
            users = await reaction.users(limit=0).flatten()
            found[key] = {int(user.id) for user in users if not user.bot}
        return found
    except HTTPException as error:
        if error.status in (403, 404):
            return None
        raise


async def eligible_members(runtime: Runtime, guild_id: int, channel_id: int, role_id: int | None) -> list[int]:
    """Members (not bots) who can see the channel, and hold ``role_id`` when given."""
    client = runtime.client
    assert client is not None
    guild = await client.fetch_guild(guild_id)
    channel = await client.fetch_channel(channel_id)
    if guild is None or channel is None:
        return []
    if not guild.chunked.is_set():
        await guild.chunk()  # every member, through REST, once per process
    found = []
    for member in guild.members:
        if member.bot:
            continue
        if role_id is not None and not member.has_role(role_id):
            continue
        if interactions.Permissions.VIEW_CHANNEL in channel.permissions_for(member):
            found.append(int(member.id))
    return found


async def post_round(
    runtime: Runtime, channel_id: int, chunks: Sequence[tuple[str, list[int]]], nonce: Nonce
) -> tuple[int, str | None]:
    """Post a watch round; returns (members notified, error or None)."""
    client = runtime.client
    assert client is not None
    notified = 0
    try:
        channel = await client.fetch_channel(channel_id)
        if channel is None:
            return 0, "the channel is gone"
        for index, (text, user_ids) in enumerate(chunks):
            await channel.send(
                text,
                allowed_mentions=interactions.AllowedMentions(users=user_ids),
                nonce=nonce(index),
                enforce_nonce=True,
            )
            notified += len(user_ids)
    except HTTPException as error:
        if error.status not in (403, 404):
            raise
        return notified, _reason(error)
    return notified, None


async def message_exists(runtime: Runtime, channel_id: int, message_id: int) -> bool:
    return await read_reactions(runtime, channel_id, message_id) is not None
