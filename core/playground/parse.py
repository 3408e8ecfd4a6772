"""Parsing what the person types: words, ``/command`` lines against the registered schema, durations."""

from __future__ import annotations

import mimetypes
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guildkit.core import durations
from guildkit.core.testing.emulator.command_options import (
    ATTACHMENT,
    ENTITY_TYPES,
    STRING,
    TYPE_NAMES,
    OptionProblem,
    check_value,
    leaves,
    missing_required,
    option_type,
    resolve_path,
    text_value,
)


class ActionError(Exception):
    """Something the person typed cannot be done; the message is shown as one line."""


def parse_duration(text: str) -> float:
    """``:wait``'s duration in seconds: anything :func:`guildkit.core.durations.parse_duration`
    reads (``90s``, ``10m``, ``1h30m``, ``2 hours``), or a bare number of seconds."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text.strip()):
        return float(text)
    try:
        return durations.parse_duration(text).total_seconds()
    except durations.DurationError as error:
        raise ActionError(str(error)) from None


def split_line(text: str) -> list[str]:
    """Shell-like words: "double" and 'single' quotes group; a lone apostrophe is just a letter."""
    try:
        return shlex.split(text)
    except ValueError:
        pass  # an unclosed quote, or a lone apostrophe: split again with double quotes only
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
    kind = TYPE_NAMES.get(option_type(option), "value")
    text = f"{option['name']}:<{kind}>"
    if choices := option.get("choices"):
        text = f"{option['name']}:{'|'.join(str(c['value']) for c in choices)}"
    return text if option.get("required") else f"[{text}]"


def command_lines(command: dict[str, Any]) -> list[tuple[str, str]]:
    """(usage, description) for a command and each of its subcommands."""
    return [
        (" ".join(["/" + " ".join(leaf.names), *(option_usage(o) for o in leaf.options)]), leaf.description)
        for leaf in leaves(command)
    ]


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
        try:
            path = resolve_path(command, words[1:])
        except OptionProblem as problem:
            raise ActionError(str(problem)) from None
        return SlashCall(" ".join(path.names), self._values(path.text, path.options, path.rest))

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
            if position == len(order) - 1 and option_type(option) == STRING:
                named[option["name"]], positional = " ".join(positional), []  # the last text takes the rest
            else:
                named[option["name"]] = positional.pop(0)
        if positional:
            usage = " ".join(option_usage(o) for o in schema) or "no options"
            raise ActionError(f"{where} does not take {' '.join(positional)!r}; it takes {usage}")
        if missing := missing_required(schema, list(named)):
            usage = " ".join(option_usage(o) for o in schema)
            raise ActionError(f"{where} needs {', '.join(missing)}: {where} {usage}")
        return {o["name"]: self._convert(where, o, named[o["name"]]) for o in schema if o["name"] in named}

    def _convert(self, where: str, option: dict[str, Any], text: str) -> Any:
        kind = option_type(option)
        if kind == ATTACHMENT:
            return _read_upload(where, option["name"], text)
        if kind in ENTITY_TYPES:
            return self.lookup(kind, text) if self.lookup is not None else text.lstrip("@#")
        try:
            return check_value(option, text_value(option, text))
        except OptionProblem as problem:
            raise ActionError(f"{where}: {problem}") from None


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
