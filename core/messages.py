"""Every message the bot sends, made safe once at the HTTP layer: no accidental pings, no reply
Discord refuses for its size.

The runtime installs :func:`guard_message_payload` on the client (``ipy.shape_message_payloads``):
it sees the JSON of every message create and edit, interaction response and follow-up, channel
post and DM, whatever the plugin passed.

Pings. Discord pings whatever the content mentions unless ``allowed_mentions`` says otherwise, and
much of the content comes from admins and members (currency names, templates, item messages,
nicknames). So a message without ``allowed_mentions`` pings nobody, and no message may let
Discord *parse* ``@everyone``/``@here`` or role mentions out of its text. Code opts in explicitly:
``allowed_mentions=mentions_only(users=[member_id])`` pings that member if the text mentions them.
An explicit ``roles=[...]`` list is kept (the code chose those roles); ``@everyone`` cannot be
pinged at all.

Size. Content over 2,000 characters and embeds over Discord's limits (title 256, description
4,096, 25 fields of name 256 / value 1,024, footer 2,048, author 256, 6,000 in all, 10 embeds) are
cut with an ellipsis: a shortened reply beats none (Discord refuses the whole message otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import interactions

CONTENT_LIMIT = 2000
EMBEDS_LIMIT = 10
EMBED_TOTAL_LIMIT = 6000
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELDS_LIMIT = 25
EMBED_FIELD_NAME_LIMIT = 256
EMBED_FIELD_VALUE_LIMIT = 1024
EMBED_FOOTER_LIMIT = 2048
EMBED_AUTHOR_LIMIT = 256
ELLIPSIS = "…"

#: Ping nobody: the default of every message.
NO_PINGS: dict[str, Any] = {"parse": []}

#: Kinds of mention Discord may find in the text by itself; everyone and roles never are.
_PARSE_ALLOWED = frozenset({"users"})


def mentions_only(*, users: Iterable[Any] = (), roles: Iterable[Any] = ()) -> interactions.AllowedMentions:
    """``allowed_mentions`` that pings exactly these users (and roles) when the text mentions them.

    Accepts ids, or objects with ``.id`` (members, users, roles). ``@everyone``, ``@here`` and any
    other role or user mentioned in the text stay silent.
    """
    return interactions.AllowedMentions(
        users=[_snowflake(user) for user in users],
        roles=[_snowflake(role) for role in roles],
    )


def _snowflake(value: Any) -> str:
    return str(int(getattr(value, "id", value)))


def fit_text(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last being an ellipsis when it was cut."""
    if len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    return text[: limit - 1] + ELLIPSIS


def safe_allowed_mentions(value: Any) -> dict[str, Any]:
    """``value`` (missing, a dict or an AllowedMentions) as a payload that never pings
    @everyone/@here or roles found in the text; snowflakes as strings, as Discord documents."""
    if value is None:
        return dict(NO_PINGS)
    if hasattr(value, "to_dict"):
        value = value.to_dict()
    if not isinstance(value, dict):
        return dict(NO_PINGS)
    safe: dict[str, Any] = {"parse": [kind for kind in value.get("parse") or [] if kind in _PARSE_ALLOWED]}
    for key in ("users", "roles"):
        if value.get(key):
            ids = list(dict.fromkeys(str(int(getattr(v, "id", v))) for v in value[key]))[:100]
            if key == "users" and "users" in safe["parse"]:
                continue  # Discord refuses both; parsing users already covers the list
            safe[key] = ids
    if value.get("replied_user"):
        safe["replied_user"] = True
    return safe


def fit_embeds(embeds: list[Any]) -> list[Any]:
    """At most 10 embeds, every text within its limit and 6,000 characters in all."""
    budget = EMBED_TOTAL_LIMIT
    fitted: list[Any] = []

    def take(text: Any, limit: int) -> str | None:
        nonlocal budget
        if not isinstance(text, str) or not text:
            return text
        cut = fit_text(text, min(limit, budget))
        budget -= len(cut)
        return cut or None

    for raw in embeds[:EMBEDS_LIMIT]:
        if not isinstance(raw, dict):
            fitted.append(raw)
            continue
        embed = dict(raw)
        if isinstance(embed.get("author"), dict):
            embed["author"] = {**embed["author"], "name": take(embed["author"].get("name"), EMBED_AUTHOR_LIMIT) or ""}
        for key, limit in (("title", EMBED_TITLE_LIMIT), ("description", EMBED_DESCRIPTION_LIMIT)):
            if key in embed:
                text = take(embed[key], limit)
                if text is None:
                    embed.pop(key)
                else:
                    embed[key] = text
        fields = []
        for field in list(embed.get("fields") or [])[:EMBED_FIELDS_LIMIT]:
            name = take(str(field.get("name") or ""), EMBED_FIELD_NAME_LIMIT)
            value = take(str(field.get("value") or ""), EMBED_FIELD_VALUE_LIMIT)
            if not name or not value:
                break  # out of budget: Discord refuses empty field names and values
            fields.append({**field, "name": name, "value": value})
        if "fields" in embed:
            embed["fields"] = fields
        if isinstance(embed.get("footer"), dict):
            footer_text = take(embed["footer"].get("text"), EMBED_FOOTER_LIMIT)
            if footer_text:
                embed["footer"] = {**embed["footer"], "text": footer_text}
            else:
                embed.pop("footer")
        fitted.append(embed)
    return fitted


def guard_message_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """A message body (create, edit, follow-up or interaction response ``data``) that pings only
    whom the code allowed and fits Discord's limits. Returns a new dict; never raises."""
    body = dict(payload)
    body["allowed_mentions"] = safe_allowed_mentions(body.get("allowed_mentions"))
    if isinstance(body.get("content"), str):
        body["content"] = fit_text(body["content"], CONTENT_LIMIT)
    if isinstance(body.get("embeds"), list):
        body["embeds"] = fit_embeds([e.to_dict() if hasattr(e, "to_dict") else e for e in body["embeds"]])
    return body


def embed(
    *,
    title: str | None = None,
    description: str | None = None,
    fields: Iterable[tuple[str, Any] | tuple[str, Any, bool]] = (),
    footer: str | None = None,
    **options: Any,
) -> interactions.Embed:
    """An ``interactions.Embed`` whose texts are cut to Discord's limits (6,000 in all).

    ``interactions.Embed`` raises ValueError for a title, description, field or total over the
    limit, in the plugin's code before anything is sent; build embeds that hold stored or member
    text with this instead. ``fields`` are ``(name, value)`` or ``(name, value, inline)``;
    ``options`` go to ``interactions.Embed`` (color, url, timestamp...).
    """
    raw: dict[str, Any] = {"fields": []}
    if title:
        raw["title"] = title
    if description:
        raw["description"] = description
    for field in fields:
        name, value, inline = (*field, False)[:3] if len(field) == 2 else field  # type: ignore[misc]
        raw["fields"].append({"name": str(name), "value": str(value), "inline": bool(inline)})
    if footer:
        raw["footer"] = {"text": footer}
    fitted = fit_embeds([raw])[0]
    result = interactions.Embed(title=fitted.get("title"), description=fitted.get("description"), **options)
    for field in fitted["fields"]:
        result.add_field(field["name"], field["value"], field["inline"])
    if "footer" in fitted:
        result.set_footer(fitted["footer"]["text"])
    return result
