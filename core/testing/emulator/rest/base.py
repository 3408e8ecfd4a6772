"""Routing, request bodies (JSON and multipart) and the checks shared by the REST handlers."""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from aiohttp import web

from .. import permissions as perms
from ..errors import DiscordHTTPError, bad_request, form_error, missing_access, missing_permissions, unknown
from ..models import EPHEMERAL, Attachment, Channel, Guild, Member

if TYPE_CHECKING:
    from ..server import DiscordEmulator
    from ..world import World


@dataclass
class Upload:
    """A file part of a multipart body (``files[n]``)."""

    index: int
    filename: str
    content_type: str | None
    data: bytes


@dataclass
class Call:
    """One REST request as a handler sees it."""

    emu: DiscordEmulator
    request: web.Request
    method: str
    path: str
    params: dict[str, str]
    body: Any = None
    uploads: list[Upload] = field(default_factory=list)

    @property
    def world(self) -> World:
        return self.emu.world

    @property
    def query(self) -> Any:
        return self.request.query

    def json(self) -> dict[str, Any]:
        """The JSON object body (empty dict when there is none)."""
        return self.body if isinstance(self.body, dict) else {}

    @property
    def reason(self) -> str | None:
        raw = self.request.headers.get("X-Audit-Log-Reason")
        return unquote(raw) if raw is not None else None


Handler = Callable[[Call], Awaitable[Any]]


@dataclass
class RouteDef:
    method: str
    template: str
    regex: re.Pattern[str]
    handler: Handler
    auth: bool


class Router:
    """Discord routes as ``METHOD /template/{param}``; the first match wins, so list specific ones first."""

    def __init__(self) -> None:
        self.routes: list[RouteDef] = []

    def route(self, method: str, template: str, *, auth: bool = True) -> Callable[[Handler], Handler]:
        parts = re.split(r"\{(\w+)\}", template)
        regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts))

        def register(handler: Handler) -> Handler:
            self.routes.append(RouteDef(method, template, re.compile(f"^{regex}$"), handler, auth))
            return handler

        return register

    def match(self, method: str, path: str) -> tuple[RouteDef, dict[str, str]] | None:
        for route in self.routes:
            if route.method == method and (m := route.regex.match(path)):
                return route, m.groupdict()
        return None


async def read_body(request: web.Request) -> tuple[Any, list[Upload]]:
    """JSON or multipart (``payload_json`` + ``files[n]``) bodies, like Discord accepts."""
    if not request.can_read_body:
        return None, []
    ctype = request.content_type
    if ctype == "multipart/form-data":
        body: Any = None
        uploads: list[Upload] = []
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            name = getattr(part, "name", None) or ""
            data = await part.read()  # type: ignore[union-attr]
            if name == "payload_json":
                body = json.loads(data.decode())
            elif m := re.fullmatch(r"files\[(\d+)\]|file(\d*)", name):
                index = int(m.group(1) or m.group(2) or len(uploads))
                ptype = part.headers.get("Content-Type")  # type: ignore[union-attr]
                uploads.append(Upload(index, getattr(part, "filename", None) or name, ptype, bytes(data)))
        return body, uploads
    raw = await request.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError:
        raise DiscordHTTPError(400, 50109, "The request body contains invalid JSON.") from None


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    """Content-Type exactly ``application/json``: the client decodes JSON only then."""
    hdrs = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(status=status, body=json.dumps(body).encode(), headers=hdrs)


# ---------------------------------------------------------------------- checks


def guild_for_bot(world: World, guild_id: str) -> Guild:
    """The guild, if the bot is in it (50001 when it exists but the bot is not a member)."""
    guild = world.guild(guild_id)
    if not guild.bot_present:
        raise missing_access()
    return guild


def bot_member(world: World, guild: Guild) -> Member:
    member = world.bot_member(guild)
    if member is None:
        raise missing_access()
    return member


def require(world: World, guild: Guild, bits: int, channel: Channel | None = None) -> None:
    """The bot must hold every permission in ``bits`` (in ``channel`` if given)."""
    member = bot_member(world, guild)
    have = perms.channel_permissions(guild, member, channel)
    if channel is not None and not have & perms.VIEW_CHANNEL:
        raise missing_access()
    if have & bits != bits:
        raise missing_permissions()


def require_above(world: World, guild: Guild, target: Member) -> None:
    """Role hierarchy: the bot cannot act on the owner or on anyone whose top role is >= its own."""
    me = bot_member(world, guild)
    if me.user_id == guild.owner_id:
        return
    if target.user_id == guild.owner_id:
        raise missing_permissions()
    if perms.top_position(guild, target) >= perms.top_position(guild, me):
        raise missing_permissions()


def require_role_below(world: World, guild: Guild, role_id: int) -> None:
    """The bot can only hand out / edit roles strictly below its own top role."""
    me = bot_member(world, guild)
    if me.user_id == guild.owner_id:
        return
    role = world.role(guild, role_id)
    if role.managed or role.id == guild.id:
        raise DiscordHTTPError(403, 50013, "Missing Permissions")
    if role.position >= perms.top_position(guild, me):
        raise missing_permissions()


def channel_for_bot(world: World, channel_id: str) -> Channel:
    """A channel the bot can see (DMs with users, guild channels of guilds it is in)."""
    channel = world.channel(channel_id)
    if channel.guild_id is not None:
        guild = world.guild(channel.guild_id)
        if not guild.bot_present:
            raise missing_access()
        require(world, guild, perms.VIEW_CHANNEL, channel)
    return channel


# ---------------------------------------------------------------------- message bodies

MAX_CONTENT = 2000


def message_fields(
    world: World, channel_id: int, data: dict[str, Any], uploads: list[Upload], *, editing: bool = False
) -> dict[str, Any]:
    """Validate a message body and turn it into world fields (content, embeds, components, attachments, flags)."""
    fields: dict[str, Any] = {}
    if "content" in data or not editing:
        content = data.get("content") or ""
        if not isinstance(content, str):
            content = str(content)
        if len(content) > MAX_CONTENT:
            raise form_error("content", "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_CONTENT} or fewer in length.")
        fields["content"] = content
    if "embeds" in data or "embed" in data or not editing:
        embeds = data.get("embeds")
        if embeds is None and data.get("embed"):
            embeds = [data["embed"]]
        embeds = [dict(e, type=e.get("type", "rich")) for e in (embeds or [])]
        if len(embeds) > 10:
            raise form_error("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
        check_embed_limits(embeds)
        fields["embeds"] = embeds
    if "components" in data or not editing:
        components = list(data.get("components") or [])
        if len(components) > 5 and not (data.get("flags") or 0) & (1 << 15):
            raise form_error("components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
        fields["components"] = components
    if "flags" in data and data["flags"] is not None:
        fields["flags"] = int(data["flags"])
    if data.get("allowed_mentions") is not None:
        fields["allowed_mentions"] = check_allowed_mentions(data["allowed_mentions"])
    attachments = _attachments(world, channel_id, data, uploads)
    if attachments is not None:
        fields["attachments"] = attachments
    if (
        not editing
        and not (fields.get("content") or fields.get("embeds") or fields.get("components") or fields.get("attachments"))
        and not data.get("sticker_ids")
        and not data.get("poll")
    ):
        raise bad_request(50006, "Cannot send an empty message")
    return fields


#: Discord's embed limits: (path, limit) per text, and 6,000 characters over all embeds.
EMBED_TEXT_LIMITS = {"title": 256, "description": 4096}
EMBED_TOTAL = 6000


def check_embed_limits(embeds: list[dict[str, Any]]) -> None:
    """Refuse embeds over Discord's limits (code 50035, as Discord does)."""
    total = 0
    for index, embed in enumerate(embeds):
        where = f"embeds.{index}"
        for key, limit in EMBED_TEXT_LIMITS.items():
            text = str(embed.get(key) or "")
            if len(text) > limit:
                raise form_error(f"{where}.{key}", "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
            total += len(text)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            raise form_error(f"{where}.fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        for number, item in enumerate(fields):
            for key, limit in (("name", 256), ("value", 1024)):
                text = str(item.get(key) or "")
                if not text:
                    raise form_error(f"{where}.fields.{number}.{key}", "BASE_TYPE_REQUIRED", "This field is required")
                if len(text) > limit:
                    raise form_error(
                        f"{where}.fields.{number}.{key}", "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length."
                    )
                total += len(text)
        for key, text_key, limit in (("footer", "text", 2048), ("author", "name", 256)):
            part = embed.get(key)
            text = str(part.get(text_key) or "") if isinstance(part, dict) else ""
            if len(text) > limit:
                raise form_error(f"{where}.{key}", "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
            total += len(text)
    if total > EMBED_TOTAL:
        raise form_error("embeds", "MESSAGE_EMBEDS_TOO_LONG", f"Embed size exceeds maximum size of {EMBED_TOTAL}")


def check_allowed_mentions(value: Any) -> dict[str, Any]:
    """``allowed_mentions`` as Discord validates it: known parse kinds, at most 100 ids each, and
    not ``users``/``roles`` both parsed and listed."""
    if not isinstance(value, dict):
        raise form_error("allowed_mentions", "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
    parse = list(value.get("parse") or [])
    if any(kind not in ("users", "roles", "everyone") for kind in parse):
        raise form_error("allowed_mentions.parse", "BASE_TYPE_CHOICES", "Value must be one of users, roles, everyone.")
    for key in ("users", "roles"):
        listed = value.get(key) or []
        if len(listed) > 100:
            raise form_error(f"allowed_mentions.{key}", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
        if listed and key in parse:
            raise form_error(
                "allowed_mentions",
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{key}"] and {key}: [ids...] are mutually exclusive.',
            )
    return dict(value)


def _attachments(world: World, channel_id: int, data: dict[str, Any], uploads: list[Upload]) -> list[Attachment] | None:
    """New uploads (``files[n]`` matched to ``attachments[].id`` for descriptions) plus kept ones."""
    meta = {str(a.get("id")): a for a in data.get("attachments") or [] if isinstance(a, dict)}
    if not uploads and "attachments" not in data:
        return None
    result: list[Attachment] = []
    for upload in sorted(uploads, key=lambda u: u.index):
        info = meta.get(str(upload.index), {})
        filename = info.get("filename") or upload.filename
        ctype = sniff_content_type(filename, upload.content_type)
        result.append(world.new_attachment(channel_id, filename, upload.data, ctype, info.get("description")))
    # Entries naming an existing attachment id keep that file (edits that keep attachments).
    for key in meta:
        if key.isdigit() and len(key) > 10 and (existing := world.attachment(int(key))):
            result.append(existing)
    return result


def sniff_content_type(filename: str, sent: str | None) -> str | None:
    """Discord derives the type from the file name when the client sends a generic one."""
    if sent and sent != "application/octet-stream":
        return sent
    guessed = mimetypes.guess_type(filename)[0]
    if guessed is None:
        return sent
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


def is_ephemeral(flags: int | None) -> bool:
    return bool((flags or 0) & EPHEMERAL)


def not_found() -> DiscordHTTPError:
    return unknown("message")
