"""A slash command's registered options, walked and checked in one place.

Both the emulator's member driver (values given by a test as Python objects) and the playground's
parser (values typed by a person) read the application command JSON the bot registered: they follow
subcommand groups and subcommands to the options of one command path (``"xp add"``), and convert
or check values per option type, choices and bounds. Entity options (members, channels, roles) and
files are resolved by the caller, which knows the world or the file system.

Problems raise :class:`OptionProblem`, whose message names the option but not the command: the
caller puts ``"/xp add: "`` (or its own wording) in front and raises its own error type.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from . import permissions as perms

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 3, 4, 5, 6, 7, 8, 9, 10, 11
ENTITY_TYPES = (USER, CHANNEL, ROLE, MENTIONABLE)

#: Option types as a person reads them.
TYPE_NAMES = {
    STRING: "text",
    INTEGER: "integer",
    BOOLEAN: "true/false",
    USER: "member",
    CHANNEL: "channel",
    ROLE: "role",
    MENTIONABLE: "member or role",
    NUMBER: "number",
    ATTACHMENT: "file",
}
TRUE_WORDS = frozenset({"true", "yes", "y", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "off", "0"})


class OptionProblem(ValueError):
    """A command path or option value Discord's client would refuse; the message is for people."""


def option_type(option: dict[str, Any]) -> int:
    return int(option.get("type", STRING))


def is_subcommand(option: dict[str, Any]) -> bool:
    return int(option.get("type", 0)) in (SUB_COMMAND, SUB_COMMAND_GROUP)


def subcommands(options: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [o for o in options if is_subcommand(o)]


@dataclass(frozen=True)
class CommandPath:
    """Where a command line leads: ``names`` (``("xp", "add")``), the group and subcommand options
    chosen on the way (outermost first), the options of that leaf, and the words left after it."""

    names: tuple[str, ...]
    chain: tuple[dict[str, Any], ...]
    options: list[dict[str, Any]]
    rest: list[str]

    @property
    def text(self) -> str:
        return "/" + " ".join(self.names)

    def has_option(self, name: str) -> bool:
        return any(o.get("name") == name for o in self.options)

    def nest(self, values: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The leaf's option values wrapped in its subcommand (group) entries, as an interaction carries them."""
        for sub in reversed(self.chain):
            values = [{"name": sub["name"], "type": int(sub["type"]), "options": values}]
        return values


def resolve_path(command: dict[str, Any], words: Sequence[str]) -> CommandPath:
    """Follow the leading ``words`` through ``command``'s subcommand groups and subcommands.

    Names match case-insensitively (Discord's are lower case). Raises :class:`OptionProblem` when
    a level has subcommands and the next word names none of them.
    """
    names = [command["name"]]
    chain: list[dict[str, Any]] = []
    options: list[dict[str, Any]] = command.get("options") or []
    rest = list(words)
    while subs := subcommands(options):
        wanted = rest[0].lower() if rest else None
        sub = next((s for s in subs if s["name"] == wanted), None)
        if sub is None:
            given = f"; {rest[0]!r} is not one of them" if rest else ""
            listing = ", ".join(s["name"] for s in subs)
            raise OptionProblem(f"/{' '.join(names)} needs a subcommand: {listing}{given}")
        names.append(sub["name"])
        chain.append(sub)
        options = sub.get("options") or []
        rest = rest[1:]
    return CommandPath(tuple(names), tuple(chain), options, rest)


@dataclass(frozen=True)
class Leaf:
    """One usable command path with its description and options."""

    names: tuple[str, ...]
    description: str
    options: list[dict[str, Any]]


def leaves(command: dict[str, Any]) -> Iterator[Leaf]:
    """Every usable path of ``command``: itself, or each of its subcommands, depth first."""

    def walk(names: tuple[str, ...], options: list[dict[str, Any]], description: str) -> Iterator[Leaf]:
        subs = subcommands(options)
        if not subs:
            yield Leaf(names, description, options)
        for sub in subs:
            yield from walk((*names, sub["name"]), sub.get("options") or [], sub.get("description", ""))

    yield from walk((command["name"],), command.get("options") or [], command.get("description", ""))


def missing_required(options: Sequence[dict[str, Any]], given: Sequence[str]) -> list[str]:
    """Names of required options not in ``given``."""
    return [o["name"] for o in options if o.get("required") and o["name"] not in given]


# ---------------------------------------------------------------------- values


def text_value(option: dict[str, Any], text: str) -> Any:
    """What a person typed for a text, number, true/false or choice option, as its value.

    A choice matches its value or its name, ignoring case. Entity and file options are not
    handled here: their text is returned unchanged for the caller to resolve.
    """
    name, kind = option["name"], option_type(option)
    if choices := option.get("choices"):
        for choice in choices:
            if text.lower() in (str(choice["value"]).lower(), str(choice["name"]).lower()):
                return choice["value"]
        raise _not_a_choice(option, text)
    if kind == INTEGER:
        try:
            return int(text)
        except ValueError:
            raise OptionProblem(f"{name} wants a whole number, not {text!r}") from None
    if kind == NUMBER:
        try:
            return float(text)
        except ValueError:
            raise OptionProblem(f"{name} wants a number, not {text!r}") from None
    if kind == BOOLEAN:
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        raise OptionProblem(f"{name} wants true or false, not {text!r}")
    return text


def check_value(option: dict[str, Any], value: Any) -> Any:
    """``value`` as Discord would carry it for a text, number or true/false option, after the
    checks Discord's client makes: type, ``min_length``/``max_length``, ``min_value``/``max_value``
    and choices. Other option types pass through unchanged."""
    name, kind = option["name"], option_type(option)
    if kind == STRING:
        value = str(value)
        if (least := option.get("min_length")) is not None and len(value) < least:
            raise OptionProblem(f"{name} must be at least {least} characters long (got {len(value)})")
        if (most := option.get("max_length")) is not None and len(value) > most:
            raise OptionProblem(f"{name} must not be longer than {most} characters (got {len(value)})")
    elif kind in (INTEGER, NUMBER):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind == INTEGER and value != int(value)):
            wanted = "a whole number" if kind == INTEGER else "a number"
            raise OptionProblem(f"{name} wants {wanted}, not {value!r}")
        value = int(value) if kind == INTEGER else float(value)
        if (least := option.get("min_value")) is not None and value < least:
            raise OptionProblem(f"{name} must not be below {least} (got {value})")
        if (most := option.get("max_value")) is not None and value > most:
            raise OptionProblem(f"{name} must not be above {most} (got {value})")
    elif kind == BOOLEAN and not isinstance(value, bool):
        raise OptionProblem(f"{name} wants true or false, not {value!r}")
    if (choices := option.get("choices")) and value not in [c["value"] for c in choices]:
        raise _not_a_choice(option, value)
    return value


def _not_a_choice(option: dict[str, Any], given: Any) -> OptionProblem:
    allowed = ", ".join(str(c["value"]) for c in option.get("choices") or [])
    return OptionProblem(f"{option['name']} must be one of {allowed} (got {given!r})")


# ---------------------------------------------------------------------- who may use it


def missing_permissions(command: dict[str, Any], have: int) -> list[str]:
    """The permission flags (API names) a member with guild permissions ``have`` lacks to see
    ``command``; empty when they may use it. ``default_member_permissions`` of 0 means admins only."""
    raw = command.get("default_member_permissions")
    if raw is None:
        return []
    required = int(raw)
    if have & perms.ADMINISTRATOR or (required and have & required == required):
        return []
    return perms.names(required & ~have) or ["ADMINISTRATOR"]
