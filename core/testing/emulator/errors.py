"""Discord's JSON error shapes, raised by the world and the REST handlers.

Handlers raise :class:`DiscordHTTPError`; the server turns it into the exact body Discord sends
(``{"code": ..., "message": ...}`` plus ``errors`` for form errors) so the real client raises the
same ``Forbidden``/``NotFound``/``HTTPException`` it would raise against Discord.
"""

from __future__ import annotations

from typing import Any


class DiscordHTTPError(Exception):
    """An error answer: HTTP status, Discord JSON error code, message and optional form errors."""

    def __init__(self, status: int, code: int, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors is not None:
            out["errors"] = self.errors
        return out


# The 404 "Unknown X" codes Discord uses, keyed by the kind of object.
UNKNOWN_CODES: dict[str, tuple[int, str]] = {
    "channel": (10003, "Unknown Channel"),
    "guild": (10004, "Unknown Guild"),
    "member": (10007, "Unknown Member"),
    "message": (10008, "Unknown Message"),
    "role": (10011, "Unknown Role"),
    "user": (10013, "Unknown User"),
    "emoji": (10014, "Unknown Emoji"),
    "webhook": (10015, "Unknown Webhook"),
    "ban": (10026, "Unknown Ban"),
    "interaction": (10062, "Unknown interaction"),
    "command": (10063, "Unknown application command"),
}


def unknown(kind: str) -> DiscordHTTPError:
    """404 ``Unknown <kind>`` with Discord's code for that kind."""
    code, message = UNKNOWN_CODES[kind]
    return DiscordHTTPError(404, code, message)


def missing_permissions() -> DiscordHTTPError:
    return DiscordHTTPError(403, 50013, "Missing Permissions")


def missing_access() -> DiscordHTTPError:
    return DiscordHTTPError(403, 50001, "Missing Access")


def unauthorized() -> DiscordHTTPError:
    return DiscordHTTPError(401, 0, "401: Unauthorized")


def form_error(field: str, code: str, message: str) -> DiscordHTTPError:
    """400 code 50035 ``Invalid Form Body`` with Discord's nested ``errors`` object for one field.

    ``field`` may be dotted (``"data.content"`` or ``"0.name"``) to nest like Discord does.
    """
    errors: dict[str, Any] = {"_errors": [{"code": code, "message": message}]}
    for part in reversed(field.split(".")):
        errors = {part: errors}
    return DiscordHTTPError(400, 50035, "Invalid Form Body", errors)


def bad_request(code: int, message: str) -> DiscordHTTPError:
    return DiscordHTTPError(400, code, message)
