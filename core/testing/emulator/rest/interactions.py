"""Interaction callbacks and the interaction webhook (original response and follow-ups)."""

from __future__ import annotations

from typing import Any

from guildkit.core import clock

from ..errors import DiscordHTTPError, bad_request, form_error, unknown
from ..models import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    EPHEMERAL,
    LOADING,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    PING,
    Interaction,
    Message,
)
from .base import Call, Router, message_fields

# Which callback types Discord accepts for which interaction type.
_ALLOWED: dict[int, set[int]] = {
    PING: {1},
    APPLICATION_COMMAND: {4, 5, 9, 10},
    MESSAGE_COMPONENT: {4, 5, 6, 7, 9, 10},
    AUTOCOMPLETE: {8},
    MODAL_SUBMIT: {4, 5, 6, 7},
}
# Flags a bot may set on an interaction response: EPHEMERAL, SUPPRESS_EMBEDS,
# SUPPRESS_NOTIFICATIONS, IS_COMPONENTS_V2.
_SETTABLE_FLAGS = EPHEMERAL | (1 << 2) | (1 << 12) | (1 << 15)
TOKEN_LIFETIME = 15 * 60


def _interaction_by_id(call: Call) -> Interaction:
    raw = call.params["interaction_id"]
    inter = call.world.interactions.get(int(raw)) if raw.isdigit() else None
    if inter is None or inter.token != call.params["token"]:
        raise unknown("interaction")
    return inter


def _interaction_by_token(call: Call) -> Interaction:
    inter = call.world.interactions_by_token.get(call.params["token"])
    if inter is None or str(call.world.application_id) != call.params["application_id"]:
        raise unknown("webhook")
    if clock.monotonic() - inter.created > TOKEN_LIFETIME:
        raise DiscordHTTPError(401, 50027, "Invalid Webhook Token")
    return inter


def _metadata(call: Call, inter: Interaction) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(inter.id),
        "type": inter.type,
        "user": call.world.user_json(inter.user_id),
        "authorizing_integration_owners": inter.payload.get("authorizing_integration_owners", {}),
    }
    if inter.type == APPLICATION_COMMAND:
        data["name"] = inter.payload["data"]["name"]
        data["command_type"] = inter.payload["data"].get("type", 1)
    if inter.source_message_id:
        data["interacted_message_id"] = str(inter.source_message_id)
    return data


def _body(call: Call) -> tuple[dict[str, Any], dict[str, Any]]:
    """(whole body, its ``data``); file metadata may sit at the root (interactions.py puts it there)."""
    body = call.json()
    data = dict(body.get("data") or {})
    if call.uploads and "attachments" not in data and body.get("attachments"):
        data["attachments"] = body["attachments"]
    return body, data


def _new_response_message(call: Call, inter: Interaction, data: dict[str, Any], *, loading: bool) -> Message:
    world = call.world
    channel = world.channel(inter.channel_id)
    flags = int(data.get("flags") or 0) & _SETTABLE_FLAGS
    if loading:
        fields: dict[str, Any] = {"content": ""}
        flags |= LOADING
    else:
        fields = message_fields(world, channel.id, data, call.uploads)
        fields.pop("flags", None)
    return world.create_message(
        channel,
        world.bot_user_id,
        **fields,
        flags=flags,
        message_type=20 if inter.type == APPLICATION_COMMAND else 0,
        webhook_id=world.application_id,
        application_id=world.application_id,
        interaction_metadata=_metadata(call, inter),
        interaction_id=inter.id,
    )


def _apply_edit(call: Call, msg: Message, data: dict[str, Any]) -> None:
    fields = message_fields(call.world, msg.channel_id, data, call.uploads, editing=True)
    flags = msg.flags & ~LOADING
    if "flags" in fields:
        # Ephemerality cannot change after the fact; other settable flags can.
        flags = (flags & EPHEMERAL) | (fields.pop("flags") & _SETTABLE_FLAGS & ~EPHEMERAL)
    if msg.loading and not (
        fields.get("content") or fields.get("embeds") or fields.get("components") or fields.get("attachments")
    ):
        raise bad_request(50006, "Cannot send an empty message")
    call.world.edit_message(msg, **fields, flags=flags)


def _callback_response(call: Call, inter: Interaction, rtype: int) -> dict[str, Any]:
    """Discord's interaction callback response (``?with_response=true``): the interaction and
    the resource the answer created; ``resource.message`` only for types 4 and 7."""
    interaction: dict[str, Any] = {"id": str(inter.id), "type": inter.type}
    resource: dict[str, Any] = {"type": rtype}
    message = call.world.find_message(inter.original_message_id or 0) if rtype in (4, 5, 6, 7) else None
    if message is not None:
        interaction["response_message_id"] = str(message.id)
        interaction["response_message_loading"] = message.loading
        interaction["response_message_ephemeral"] = bool(message.flags & EPHEMERAL)
        if rtype in (4, 7):
            resource["message"] = call.world.message_json(message)
    return {"interaction": interaction, "resource": resource}


def _message_of(call: Call, inter: Interaction) -> Message:
    raw = call.params["message_id"]
    if raw == "@original":
        if inter.original_message_id is None or inter.original_deleted:
            raise unknown("message")
        msg_id = inter.original_message_id
    elif raw.isdigit() and (int(raw) in inter.followup_ids or int(raw) == inter.original_message_id):
        msg_id = int(raw)
    else:
        raise unknown("message")
    msg = call.world.find_message(msg_id)
    if msg is None:
        raise unknown("message")
    return msg


def register(router: Router) -> None:
    @router.route("POST", "/interactions/{interaction_id}/{token}/callback", auth=False)
    async def callback(call: Call) -> Any:
        world = call.world
        inter = _interaction_by_id(call)
        if inter.acknowledged:
            raise bad_request(40060, "Interaction has already been acknowledged.")
        deadline = call.emu.interaction_deadline
        if deadline is not None and call.emu.deadline_time() - inter.sent_at > deadline:
            call.emu.late_callbacks += 1
            raise unknown("interaction")  # answered too late: Discord forgot the interaction
        callback_at = call.emu.deadline_time()
        body, data = _body(call)
        rtype = int(body.get("type") or 0)
        if rtype not in _ALLOWED.get(inter.type, set()):
            raise form_error(
                "type",
                "INTERACTION_CALLBACK_TYPE_INVALID",
                f"Invalid callback type {rtype} for interaction type {inter.type}",
            )
        if rtype in (6, 7) and inter.source_message_id is None:
            raise bad_request(40060 if rtype == 6 else 50035, "This interaction has no message to update")

        if rtype == 4:
            msg = _new_response_message(call, inter, data, loading=False)
            inter.original_message_id = msg.id
        elif rtype == 5:
            msg = _new_response_message(call, inter, data, loading=True)
            inter.original_message_id = msg.id
        elif rtype in (6, 7):
            inter.original_message_id = inter.source_message_id
            if rtype == 7:
                source = world.find_message(inter.source_message_id or 0)
                if source is None:
                    raise unknown("message")
                _apply_edit(call, source, data)
        elif rtype == 8:
            choices = list(data.get("choices") or [])
            if len(choices) > 25:
                raise form_error("data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
            inter.choices = choices
        elif rtype == 9:
            if not data.get("custom_id") or not data.get("title") or not data.get("components"):
                raise form_error(
                    "data.components", "BASE_TYPE_REQUIRED", "A modal needs custom_id, title and components"
                )
            inter.modal = data
        inter.response_type = rtype
        inter.callback_at = callback_at
        inter.response_data = data
        world.on_change()
        if call.query.get("with_response", "").lower() == "true":
            return _callback_response(call, inter, rtype)
        return None  # 204 No Content

    @router.route("GET", "/webhooks/{application_id}/{token}/messages/{message_id}", auth=False)
    async def get_message(call: Call) -> Any:
        inter = _interaction_by_token(call)
        return call.world.message_json(_message_of(call, inter))

    @router.route("PATCH", "/webhooks/{application_id}/{token}/messages/{message_id}", auth=False)
    async def edit_message(call: Call) -> Any:
        inter = _interaction_by_token(call)
        msg = _message_of(call, inter)
        _apply_edit(call, msg, call.json())
        return call.world.message_json(msg)

    @router.route("DELETE", "/webhooks/{application_id}/{token}/messages/{message_id}", auth=False)
    async def delete_message(call: Call) -> Any:
        inter = _interaction_by_token(call)
        msg = _message_of(call, inter)
        call.world.delete_message(msg)
        if msg.id == inter.original_message_id:
            inter.original_deleted = True
        return None

    @router.route("POST", "/webhooks/{application_id}/{token}", auth=False)
    async def followup(call: Call) -> Any:
        world = call.world
        inter = _interaction_by_token(call)
        if not inter.acknowledged:
            raise unknown("webhook")
        data = call.json()
        original = world.find_message(inter.original_message_id or 0)
        if inter.response_type == 5 and original is not None and original.loading:
            # Discord: the first follow-up after a deferral replaces the "thinking..." message.
            _apply_edit(call, original, data)
            return world.message_json(original)
        channel = world.channel(inter.channel_id)
        fields = message_fields(world, channel.id, data, call.uploads)
        flags = int(fields.pop("flags", 0)) & _SETTABLE_FLAGS
        msg = world.create_message(
            channel,
            world.bot_user_id,
            **fields,
            flags=flags,
            message_type=0,
            webhook_id=world.application_id,
            application_id=world.application_id,
            interaction_metadata=_metadata(call, inter),
            interaction_id=inter.id,
        )
        inter.followup_ids.append(msg.id)
        world.on_change()
        return world.message_json(msg)
