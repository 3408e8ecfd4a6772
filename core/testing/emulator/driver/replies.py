"""What the bot answered: :class:`Reply`, read live from the world, and waiting for the answer.

``slash``/``click``/``select``/``submit_modal``/``autocomplete`` send an interaction and wait
(``reply_timeout``, 5 s by default) until the bot has answered it. A deferred answer (type 5) waits
for the edit of the original message; a deferred update (type 6) waits for the message edit.
"""

# ruff: noqa: ASYNC109 - driver calls take a per-call `timeout`, like asyncio.wait_for

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..models import MESSAGE_COMPONENT, MODAL_SUBMIT, Attachment, Interaction, Message
from .errors import ComponentNotFound, DriverError, NoResponse, OptionError
from .handles import MemberHandle, RoleHandle
from .options import _lookup_user, _resolve_role, _resolve_user

if TYPE_CHECKING:
    from ..server import DiscordEmulator
    from ..world import World


@dataclass(frozen=True)
class AttachmentView:
    """A file on a message: ``filename``, ``content_type``, ``data`` (bytes) and ``size``."""

    filename: str
    content_type: str | None
    data: bytes
    url: str
    description: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def bytes(self) -> bytes:
        return self.data

    @classmethod
    def of(cls, att: Attachment) -> AttachmentView:
        return cls(att.filename, att.content_type, att.data, att.url, att.description)


async def wait_for_reply(
    member: MemberHandle, inter: Interaction, what: str, timeout: float | None, *, edits_before: int = 0
) -> Reply:
    """Wait until the bot has answered ``inter`` completely; return the Reply."""
    emu = member._emu
    timeout = emu.reply_timeout if timeout is None else timeout
    try:
        await emu.wait_for(lambda: inter.acknowledged, timeout=timeout, what=what)
        if inter.response_type == 5:
            await emu.wait_for(
                lambda: _original_done(emu.world, inter),
                timeout=timeout,
                what=f"the edit of the deferred answer to {what}",
            )
        elif inter.response_type == 6:
            await emu.wait_for(
                lambda: _source_edited(emu.world, inter, edits_before),
                timeout=timeout,
                what=f"the message edit after the deferred update for {what}",
            )
    except TimeoutError as exc:
        hint = ""
        if emu.unknown_routes:
            hint = f"; unknown routes called: {emu.unknown_routes[-3:]}"
        if emu.internal_errors:
            hint += f"; emulator errors: {emu.internal_errors[-3:]}"
        raise NoResponse(f"the bot did not answer {what} within {timeout}s ({exc}){hint}") from None
    return Reply(emu, inter, member)


def _original_done(world: World, inter: Interaction) -> bool:
    if inter.original_deleted:
        return True
    msg = world.messages.get(inter.channel_id, {}).get(inter.original_message_id or 0)
    return msg is None or not msg.loading


def _source_edited(world: World, inter: Interaction, edits_before: int) -> bool:
    msg = world.messages.get(inter.channel_id, {}).get(inter.source_message_id or 0)
    return msg is None or msg.deleted or msg.edits > edits_before


def walk_components(components: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """Every component, depth first (action rows, containers, sections with accessories, labels)."""
    for comp in components:
        yield comp
        yield from walk_components(comp.get("components") or [])
        if isinstance(comp.get("accessory"), dict):
            yield from walk_components([comp["accessory"]])
        if isinstance(comp.get("component"), dict):
            yield from walk_components([comp["component"]])


SELECT_TYPES = (3, 5, 6, 7, 8)


class Reply:
    """What the bot answered to one interaction, read live from the world.

    ``message`` is the original response (or, for component updates, the updated message);
    ``followups`` are the follow-up messages; ``modal`` and ``choices`` are set for modal and
    autocomplete answers. ``click``/``select``/``submit_modal`` continue the conversation.
    """

    def __init__(
        self, emu: DiscordEmulator, interaction: Interaction, member: MemberHandle, message_id: int | None = None
    ) -> None:
        self._emu = emu
        self.interaction = interaction
        self.member = member
        self._message_id = message_id

    # ---- what the bot answered

    @property
    def type(self) -> int | None:
        """The callback type (4 message, 5 deferred, 6 deferred update, 7 update, 8 choices, 9 modal)."""
        return self.interaction.response_type

    @property
    def deferred(self) -> bool:
        return self.type in (5, 6)

    @property
    def message(self) -> Message | None:
        message_id = self._message_id or self.interaction.original_message_id
        if message_id is None:
            return None
        msg = self._emu.world.messages.get(self.interaction.channel_id, {}).get(message_id)
        if msg is None:
            msg = self._emu.world.find_message(message_id)
        return msg

    @property
    def deleted(self) -> bool:
        msg = self.message
        return msg is not None and msg.deleted

    @property
    def content(self) -> str | None:
        msg = self.message
        return msg.content if msg else None

    @property
    def embeds(self) -> list[dict[str, Any]]:
        msg = self.message
        return list(msg.embeds) if msg else []

    @property
    def embed(self) -> dict[str, Any] | None:
        """The first embed, if any."""
        return self.embeds[0] if self.embeds else None

    @property
    def components(self) -> list[dict[str, Any]]:
        msg = self.message
        return list(msg.components) if msg else []

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """All buttons, flattened out of action rows."""
        return [c for c in walk_components(self.components) if c.get("type") == 2]

    @property
    def selects(self) -> list[dict[str, Any]]:
        return [c for c in walk_components(self.components) if c.get("type") in SELECT_TYPES]

    @property
    def attachments(self) -> list[AttachmentView]:
        msg = self.message
        return [AttachmentView.of(a) for a in msg.attachments] if msg else []

    @property
    def ephemeral(self) -> bool:
        msg = self.message
        return bool(msg and msg.ephemeral)

    @property
    def flags(self) -> int:
        msg = self.message
        return msg.flags if msg else 0

    @property
    def modal(self) -> dict[str, Any] | None:
        """The modal (``{"custom_id", "title", "components"}``) when the bot answered type 9."""
        return self.interaction.modal

    @property
    def choices(self) -> list[dict[str, Any]] | None:
        return self.interaction.choices

    @property
    def followups(self) -> list[Reply]:
        return [Reply(self._emu, self.interaction, self.member, mid) for mid in self.interaction.followup_ids]

    @property
    def text(self) -> str:
        """Content plus embed titles/descriptions/fields, for loose assertions."""
        parts = [self.content or ""]
        for embed in self.embeds:
            parts += [str(embed.get(k) or "") for k in ("title", "description")]
            for fld in embed.get("fields") or []:
                parts += [str(fld.get("name", "")), str(fld.get("value", ""))]
            if footer := embed.get("footer"):
                parts.append(str(footer.get("text", "")))
        return "\n".join(p for p in parts if p)

    # ---- waiting

    async def wait_for_followups(self, count: int = 1, *, timeout: float | None = None) -> list[Reply]:
        """Wait until at least ``count`` follow-ups exist."""
        await self._emu.wait_for(
            lambda: len(self.interaction.followup_ids) >= count, timeout=timeout, what=f"{count} follow-up(s)"
        )
        return self.followups

    async def wait_for_edit(self, *, timeout: float | None = None) -> Reply:
        """Wait until the message is edited again (or deleted)."""
        msg = self.message
        if msg is None:
            raise DriverError("this reply has no message to wait on")
        before = msg.edits
        await self._emu.wait_for(lambda: msg.edits > before or msg.deleted, timeout=timeout, what="a message edit")
        return self

    # ---- continuing the conversation

    def _require_message(self) -> Message:
        msg = self.message
        if msg is None or msg.deleted:
            raise ComponentNotFound(f"the bot's answer has no message (response type {self.type})")
        return msg

    def _find(self, target: str, types: tuple[int, ...], what: str) -> dict[str, Any]:
        found = [
            c
            for c in walk_components(self.components)
            if c.get("type") in types and target in (c.get("custom_id"), c.get("label"), c.get("placeholder"))
        ]
        if not found:
            listing = [
                c.get("label") or c.get("placeholder") or c.get("custom_id")
                for c in walk_components(self.components)
                if c.get("type") in types
            ]
            raise ComponentNotFound(f"no {what} {target!r} on the message; {what}s: {listing}")
        comp = found[0]
        if comp.get("disabled"):
            raise ComponentNotFound(f"{what} {target!r} is disabled")
        return comp

    async def click(self, target: str, *, by: MemberHandle | None = None, timeout: float | None = None) -> Reply:
        """Click a button by label or custom_id (as the same member unless ``by``); returns the bot's answer."""
        msg = self._require_message()
        button = self._find(target, (2,), "button")
        if button.get("style") in (5, 6) or not button.get("custom_id"):
            raise ComponentNotFound(f"button {target!r} is a link/premium button; clicking it sends nothing to the bot")
        member = by or self.member
        data = {"custom_id": button["custom_id"], "component_type": 2}
        return await member._component(msg, data, f"a click on {target!r}", timeout)

    async def select(
        self, target: str, values: Sequence[Any], *, by: MemberHandle | None = None, timeout: float | None = None
    ) -> Reply:
        """Pick ``values`` in a select (by custom_id or placeholder). String selects take option values;
        user/role/channel selects take handles or ids."""
        msg = self._require_message()
        select = self._find(target, SELECT_TYPES, "select")
        member = by or self.member
        kind = int(select["type"])
        mn, mx = int(select.get("min_values", 1)), int(select.get("max_values", 1))
        if not mn <= len(values) <= mx:
            raise OptionError(f"select {target!r} takes {mn}..{mx} values, got {len(values)}")
        resolved: dict[str, dict[str, Any]] = {}
        channel = self._emu.world.channel(msg.channel_id)
        out: list[str] = []
        if kind == 3:
            allowed = [o["value"] for o in select.get("options", [])]
            for value in values:
                if value not in allowed:
                    raise OptionError(f"select {target!r}: {value!r} is not an option; options: {allowed}")
                out.append(str(value))
        else:
            for value in values:
                if kind == 6 or (kind == 7 and isinstance(value, RoleHandle)):
                    out.append(str(_resolve_role(member, value, resolved)))
                elif kind == 8:
                    ch = member.guild._channel(value)
                    resolved.setdefault("channels", {})[str(ch.id)] = self._emu.world.channel_json(ch)
                    out.append(str(ch.id))
                else:
                    uid = _lookup_user(member, value, f"select {target!r}")
                    out.append(str(_resolve_user(member, uid, resolved, channel)))
        data = {"custom_id": select["custom_id"], "component_type": kind, "values": out}
        return await member._component(msg, data, f"a selection in {target!r}", timeout, resolved)

    async def submit_modal(
        self, values: Mapping[str, str], *, by: MemberHandle | None = None, timeout: float | None = None
    ) -> Reply:
        """Fill in and submit the modal the bot opened (field custom_id → text)."""
        modal = self.modal
        if modal is None:
            raise DriverError(f"the bot did not open a modal (response type {self.type})")
        inputs = [c for c in walk_components(modal.get("components") or []) if c.get("type") == 4]
        ids = [c["custom_id"] for c in inputs]
        if unknown := set(values) - set(ids):
            raise OptionError(f"modal {modal['custom_id']!r} has no field(s) {sorted(unknown)}; fields: {ids}")
        rows = []
        for comp in inputs:
            text = values.get(comp["custom_id"])
            if text is None:
                if comp.get("required", True):
                    raise OptionError(f"modal field {comp['custom_id']!r} is required")
                text = ""
            if (mx := comp.get("max_length")) is not None and len(text) > mx:
                raise OptionError(f"modal field {comp['custom_id']!r} is longer than {mx}")
            rows.append({"type": 1, "components": [{"type": 4, "custom_id": comp["custom_id"], "value": text}]})
        member = by or self.member
        world = self._emu.world
        source = None
        if self.interaction.type == MESSAGE_COMPONENT and self.interaction.source_message_id:
            source = world.find_message(self.interaction.source_message_id)
        channel = world.channel(self.interaction.channel_id)
        edits_before = source.edits if source else 0
        inter = member._send(
            MODAL_SUBMIT, {"custom_id": modal["custom_id"], "components": rows}, channel, message=source
        )
        return await member._reply(inter, f"the modal {modal['custom_id']!r}", timeout, edits_before=edits_before)

    def __repr__(self) -> str:
        return f"<Reply type={self.type} content={self.content!r} embeds={len(self.embeds)} ephemeral={self.ephemeral}>"
