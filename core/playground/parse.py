"""Parsing what the person types: words, ``/command`` lines against the registered schema, durations."""

from __future__ import annotations

import mimetypes
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Discord option types, as shown to the person at the prompt.
OPTION_TYPES = {
    3: "text",
    4: "integer",
    5: "true/false",
    6: "member",
    7: "channel",
    8: "role",
    9: "member or role",
    10: "number",
    11: "file",
}
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 3, 4, 5, 6, 7, 8, 9, 10, 11
TRUE_WORDS = {"true", "yes", "y", "on", "1"}
FALSE_WORDS = {"false", "no", "n", "off", "0"}


class ActionError(Exception):
    """Something the person typed cannot be done; the message is shown as one line."""


DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|h|days?|d|weeks?|w)?", re.I)
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> float:
    """``90s``, ``10m``, ``2h``, ``1d``, ``1h30m`` or plain seconds → seconds."""
    compact = text.replace(" ", "").lower()
    total, position = 0.0, 0
    for match in DURATION_PART.finditer(compact):
        if match.start() != position:
            break
        unit = (match.group(2) or "s")[0]
        total += float(match.group(1)) * UNIT_SECONDS[unit]
        position = match.end()
    if not compact or position != len(compact):
        raise ActionError(f"{text!r} is not a duration; try 90s, 10m, 2h, 1d or 1h30m")
    return total


def split_line(text: str) -> list[str]:
    """Shell-like words: "double" and 'single' quotes group; a lone apostrophe is just a letter."""
    try:
        return shlex.split(text)
    except ValueError:
        pass
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.quotes = '"'
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError:
        raise ActionError('a quote is not closed; put values with spaces in "double quotes"') from None


# ---------------------------------------------------------------------- slash command lines


@dataclass
class SlashCall:
    """A parsed ``/command`` line: the command path (``"plugins enable"``) and its option values."""

    path: str
    options: dict[str, Any] = field(default_factory=dict)


def option_usage(option: dict[str, Any]) -> str:
    kind = OPTION_TYPES.get(int(option.get("type", STRING)), "value")
    text = f"{option['name']}:<{kind}>"
    if choices := option.get("choices"):
        text = f"{option['name']}:{'|'.join(str(c['value']) for c in choices)}"
    return text if option.get("required") else f"[{text}]"


def command_lines(command: dict[str, Any]) -> list[tuple[str, str]]:
    """(usage, description) for a command and each of its subcommands."""
    out: list[tuple[str, str]] = []

    def walk(prefix: str, options: list[dict[str, Any]], description: str) -> None:
        subs = [o for o in options if int(o.get("type", 0)) in (SUB_COMMAND, SUB_COMMAND_GROUP)]
        if subs:
            for sub in subs:
                walk(f"{prefix} {sub['name']}", sub.get("options") or [], sub.get("description", ""))
            return
        usage = " ".join([prefix, *(option_usage(o) for o in options)])
        out.append((usage, description))

    walk(f"/{command['name']}", command.get("options") or [], command.get("description", ""))
    return out


class SlashParser:
    """Turns ``/xp add @bob 5`` into a :class:`SlashCall` following the registered command schema.

    ``lookup`` resolves entity values: ``lookup(kind, text)`` returns what the driver accepts for
    a USER/CHANNEL/ROLE/MENTIONABLE option or raises :class:`ActionError`.
    """

    def __init__(self, commands: list[dict[str, Any]], lookup: Callable[[int, str], Any] | None = None) -> None:
        self.commands: dict[str, dict[str, Any]] = {}
        for command in commands:
            if int(command.get("type") or 1) == 1:
                self.commands.setdefault(command["name"], command)  # the first scope given wins
        self.lookup = lookup

    def available(self) -> list[str]:
        return sorted(self.commands)

    def parse(self, line: str) -> SlashCall:
        words = split_line(line.strip().removeprefix("/"))
        if not words:
            raise ActionError(f"type a command after the slash; commands here: {self._listing()}")
        name = words[0].lower()
        command = self.commands.get(name)
        if command is None:
            raise ActionError(
                f"there is no /{name} here. Commands here: {self._listing()}. "
                "A plugin's commands appear once it is on (see /plugins list)."
            )
        path = [command["name"]]
        options: list[dict[str, Any]] = command.get("options") or []
        rest = words[1:]
        while subs := [o for o in options if int(o.get("type", 0)) in (SUB_COMMAND, SUB_COMMAND_GROUP)]:
            names = [s["name"] for s in subs]
            wanted = rest[0].lower() if rest else None
            sub = next((s for s in subs if s["name"] == wanted), None)
            if sub is None:
                given = f"; {rest[0]!r} is not one of them" if rest else ""
                raise ActionError(f"/{' '.join(path)} needs a subcommand: {', '.join(names)}{given}")
            path.append(sub["name"])
            options = sub.get("options") or []
            rest = rest[1:]
        where = "/" + " ".join(path)
        return SlashCall(" ".join(path), self._values(where, options, rest))

    def _listing(self) -> str:
        return ", ".join(f"/{n}" for n in self.available()) or "none"

    def _values(self, where: str, schema: list[dict[str, Any]], words: list[str]) -> dict[str, Any]:
        known = {o["name"].lower(): o for o in schema}
        named: dict[str, str] = {}
        positional: list[str] = []
        index = 0
        while index < len(words):
            word = words[index]
            key, value = _named(word, known)
            if key is None:
                positional.append(word)
            else:
                if value == "" and index + 1 < len(words):
                    index += 1
                    value = words[index]
                if key in named:
                    raise ActionError(f"{where}: option {key!r} is given twice")
                named[key] = value
            index += 1
        free = [o for o in schema if o["name"] not in named]
        order = [o for o in free if o.get("required")] + [o for o in free if not o.get("required")]
        for position, option in enumerate(order):
            if not positional:
                break
            if position == len(order) - 1 and int(option.get("type", STRING)) == STRING:
                named[option["name"]], positional = " ".join(positional), []  # the last text takes the rest
            else:
                named[option["name"]] = positional.pop(0)
        if positional:
            usage = " ".join(option_usage(o) for o in schema) or "no options"
            raise ActionError(f"{where} does not take {' '.join(positional)!r}; it takes {usage}")
        missing = [o["name"] for o in schema if o.get("required") and o["name"] not in named]
        if missing:
            usage = " ".join(option_usage(o) for o in schema)
            raise ActionError(f"{where} needs {', '.join(missing)}: {where} {usage}")
        return {o["name"]: self._convert(where, o, named[o["name"]]) for o in schema if o["name"] in named}

    def _convert(self, where: str, option: dict[str, Any], text: str) -> Any:
        name, kind = option["name"], int(option.get("type", STRING))
        if choices := option.get("choices"):
            for choice in choices:
                if text.lower() in (str(choice["value"]).lower(), str(choice["name"]).lower()):
                    return choice["value"]
            allowed = ", ".join(str(c["value"]) for c in choices)
            raise ActionError(f"{where}: {name} must be one of {allowed} (got {text!r})")
        if kind == INTEGER:
            try:
                return int(text)
            except ValueError:
                raise ActionError(f"{where}: {name} wants a whole number, not {text!r}") from None
        if kind == NUMBER:
            try:
                return float(text)
            except ValueError:
                raise ActionError(f"{where}: {name} wants a number, not {text!r}") from None
        if kind == BOOLEAN:
            if text.lower() in TRUE_WORDS:
                return True
            if text.lower() in FALSE_WORDS:
                return False
            raise ActionError(f"{where}: {name} wants true or false, not {text!r}")
        if kind == ATTACHMENT:
            return _read_upload(where, name, text)
        if kind in (USER, CHANNEL, ROLE, MENTIONABLE):
            return self.lookup(kind, text) if self.lookup is not None else text.lstrip("@#")
        return text


def split_pair(word: str) -> tuple[str | None, str]:
    """``key:value`` or ``key=value`` (whichever separator comes first) → (key, value)."""
    cut = [i for i in (word.find(":"), word.find("=")) if i > 0]
    if not cut:
        return None, word
    at = min(cut)
    return word[:at], word[at + 1 :]


def _named(word: str, known: dict[str, dict[str, Any]]) -> tuple[str | None, str]:
    """(option name, value) when ``word`` names a known option, else (None, word)."""
    key, value = split_pair(word)
    if key is None or key.lower() not in known:
        return None, word
    return known[key.lower()]["name"], value


def _read_upload(where: str, name: str, text: str) -> Any:
    from guildkit.core.testing.emulator import Upload

    path = Path(text).expanduser()
    if not path.is_file():
        raise ActionError(f"{where}: {name} wants a file; {text!r} is not a file here")
    return Upload(path.name, path.read_bytes(), mimetypes.guess_type(path.name)[0])
