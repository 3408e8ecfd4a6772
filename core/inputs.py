"""Member input at the edge, once for every plugin: declared option limits, no control
characters, input quoted back shortened, and admin templates that cannot expand.

- :func:`option_limit_problems` lists STRING options without ``max_length`` and INTEGER/NUMBER
  options without ``min_value``/``max_value``: with them Discord itself refuses what cannot be
  stored. The runtime refuses to start when a built-in plugin (or the core) has one, and warns
  for third-party plugins (:func:`check_option_limits`).
- :func:`control_character_problem` finds NUL and other control characters (newline and tab are
  fine) in a command's string options; the client refuses the command before plugin code runs.
  PostgreSQL refuses NUL in text, SQLite stores it: refusing it here makes both behave alike.
- :func:`quote` shows member input back (``"`text`"``), shortened, with backticks neutralised.
- :func:`check_template`/:func:`render_template`: ``str.format``-like templates (``{member}
  reached level {level}``) with known field names only and no format specs that pad or repeat.
"""

from __future__ import annotations

import functools
import logging
import re
import string
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import interactions

from guildkit.core.errors import StartupError, UserError
from guildkit.core.messages import ELLIPSIS, fit_text

if TYPE_CHECKING:
    from guildkit.core.plugin import Plugin

log = logging.getLogger("guildkit.inputs")

#: Discord's bound on INTEGER and NUMBER option values (JavaScript's safe integers).
DISCORD_NUMBER_BOUND = 2**53

_STRING, _INTEGER, _NUMBER = 3, 4, 10
#: Control characters a member may send in a string option: line breaks and tabs.
_ALLOWED_CONTROL = frozenset("\n\t")


# -- declared limits ------------------------------------------------------------------------


def _slash_commands(extension_class: type[interactions.Extension]) -> list[interactions.SlashCommand]:
    found: dict[str, interactions.SlashCommand] = {}
    for klass in reversed(extension_class.__mro__):
        for value in vars(klass).values():
            if isinstance(value, interactions.SlashCommand):
                found[value.resolved_name] = value
    return list(found.values())


def option_limit_problems(extension_class: type[interactions.Extension]) -> list[str]:
    """``"/eco item add: option price has no min_value/max_value"`` for each option of the
    extension's slash commands that lacks its limits. Options with choices are bounded by them."""
    problems: list[str] = []
    for command in _slash_commands(extension_class):
        for option in command.options or []:
            kind = int(option.type)
            if option.choices:
                continue
            where = f"/{command.resolved_name}: option {option.name}"
            if kind == _STRING and option.max_length is None:
                problems.append(f"{where} has no max_length (Discord would send up to 6,000 characters)")
            elif kind in (_INTEGER, _NUMBER):
                if option.min_value is None or option.max_value is None:
                    problems.append(f"{where} has no min_value/max_value")
                elif max(abs(option.min_value), abs(option.max_value)) > DISCORD_NUMBER_BOUND:
                    problems.append(f"{where} has limits beyond Discord's ±2^53")
    return problems


def is_builtin(plugin: Plugin) -> bool:
    return plugin.module == "guildkit.plugins" or plugin.module.startswith("guildkit.plugins.")


def check_option_limits(plugins: Iterable[Plugin], core_extensions: Iterable[type[interactions.Extension]]) -> None:
    """Refuse to start when the core or a built-in plugin has an option without limits; warn for
    third-party plugins (they run, but Discord lets members send anything)."""
    fatal: list[str] = []
    for extension in core_extensions:
        fatal += [f"the core: {problem}" for problem in option_limit_problems(extension)]
    for plugin in plugins:
        problems = [p for e in plugin.extensions for p in option_limit_problems(e)]
        if not problems:
            continue
        if is_builtin(plugin):
            fatal += [f"plugin {plugin.name}: {problem}" for problem in problems]
        else:  # one line per plugin, at every start: enough to be noticed, not a wall
            log.log(
                logging.WARNING,
                "plugin %s: %d option(s) without limits, so Discord lets members send what the plugin may not "
                "store: %s",
                plugin.name,
                len(problems),
                "; ".join(problems),
            )
    if fatal:
        raise StartupError("options without limits:\n  " + "\n  ".join(fatal))


# -- control characters ------------------------------------------------------------------------


class ControlCharacters(UserError):
    """A string option holds NUL or another control character; ``option`` names it."""

    def __init__(self, option: str) -> None:
        self.option = option
        super().__init__(
            f"The option `{option}` contains an invisible control character (such as NUL) that cannot be stored. "
            "Type it again without it."
        )


def has_control_character(text: str) -> bool:
    return any(unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROL for char in text)


def control_character_problem(options: Mapping[str, Any]) -> ControlCharacters | None:
    """The refusal for the first string option (of a command's ``ctx.kwargs``) with a control
    character, or None."""
    for name, value in options.items():
        if isinstance(value, str) and has_control_character(value):
            return ControlCharacters(name)
    return None


# -- quoting input back ------------------------------------------------------------------------


def quote(text: Any, limit: int = 100) -> str:
    """``text`` as inline code for a reply: at most ``limit`` characters (an ellipsis marks a
    cut), backticks replaced so it cannot close the code span, control characters shown as ``?``."""
    shown = "".join("?" if unicodedata.category(c) == "Cc" else c for c in str(text))
    # A modifier letter grave looks like a backtick but closes nothing.
    shown = fit_text(shown.replace("`", "\u02cb"), max(1, limit))
    return f"`{shown}`" if shown.strip() else "`(empty)`"


# -- templates ---------------------------------------------------------------------------------

#: Format specs a template may use: none, or a thousands separator ("{xp:,}").
ALLOWED_SPECS = frozenset({"", ","})
#: At render time each field's value is cut to this many characters (a nickname, a number).
FIELD_VALUE_LIMIT = 200
_FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class TemplateError(UserError):
    """A template an admin typed is refused; ``field`` names the offending part when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class _Part:
    literal: str
    field: str | None
    spec: str
    conversion: str | None
    #: A field :func:`render_template` fills (when it has a value): a plain name, an allowed spec.
    fillable: bool


@functools.lru_cache(maxsize=512)
def _parts(template: str) -> tuple[_Part, ...]:
    """The template's parts. Cached: a stored template is rendered for every level-up of a
    burst, and parsing it was most of a render."""
    try:
        return tuple(
            _Part(
                lit,
                name,
                spec or "",
                conv,
                name is not None and bool(_FIELD_NAME.match(name)) and (spec or "") in ALLOWED_SPECS,
            )
            for lit, name, spec, conv in string.Formatter().parse(template)
        )
    except ValueError as error:
        raise TemplateError(
            f"The template has an unmatched `{{` or `}}` ({error}); write `{{{{` or `}}}}` for a literal brace."
        ) from None


def template_fields(template: str) -> frozenset[str]:
    """The field names ``template`` uses (none when it does not parse): a caller can skip
    computing a value no field shows."""
    try:
        return frozenset(part.field for part in _parts(template) if part.field is not None)
    except TemplateError:
        return frozenset()


def check_template(template: str, fields: Iterable[str], *, max_length: int = 1000) -> str:
    """``template`` if it uses only ``fields`` without expanding format specs; else TemplateError.

    Call it when an admin sets the template (``/config set leveling level_up_message ...``).
    """
    allowed = sorted(set(fields))
    listing = ", ".join(f"`{{{name}}}`" for name in allowed)
    if len(template) > max_length:
        raise TemplateError(f"The template is {len(template):,} characters long; the most is {max_length:,}.")
    if has_control_character(template):
        raise TemplateError("The template contains an invisible control character; type it again without it.")
    for part in _parts(template):
        if part.field is None:
            continue
        if part.field not in allowed:
            used = quote("{" + part.field + "}", 40)
            raise TemplateError(f"The template uses {used}; it can use {listing}.", part.field)
        if part.conversion is not None or part.spec not in ALLOWED_SPECS:
            shown = "{" + part.field + ("!" + part.conversion if part.conversion else "") + ":" + part.spec + "}"
            raise TemplateError(
                f"The template formats {{{part.field}}} as {quote(shown, 40)}; only `{{{part.field}}}` "
                f"(or `{{{part.field}:,}}` for a number with separators) is allowed.",
                part.field,
            )
    return template


def render_template(template: str, values: Mapping[str, Any], *, max_length: int = 2000) -> str:
    """``template`` with its fields filled from ``values``, at most ``max_length`` characters.

    Never raises and never builds more than it returns: a field that is unknown or has a spec
    :func:`check_template` would refuse (a template stored before it checked) is shown as typed,
    each value is cut to 200 characters, and the output stops at ``max_length``.
    """
    out: list[str] = []
    size = 0
    try:
        parts = _parts(template)
    except TemplateError:
        return fit_text(template, max_length)
    for part in parts:
        pieces = [part.literal]
        if part.field is not None:
            if part.fillable and part.field in values:
                value = values[part.field]
                try:
                    text = format(value, part.spec) if part.conversion is None else str(value)
                except (TypeError, ValueError):
                    text = str(value)
                pieces.append(fit_text(text, FIELD_VALUE_LIMIT))
            else:
                pieces.append(fit_text("{" + part.field + (":" + part.spec if part.spec else "") + "}", 60))
        for piece in pieces:
            out.append(piece[: max_length + 1 - size])
            size += len(out[-1])
            if size > max_length:
                return fit_text("".join(out), max_length)
    text = "".join(out)
    return text if len(text) <= max_length else text[: max_length - 1] + ELLIPSIS
