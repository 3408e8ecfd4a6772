"""``guildkit playground``: the real bot against the local Discord emulator, at a prompt.

The bot is the unmodified runtime (every installed plugin, real migrations, a real database); the
"Discord" is :mod:`guildkit.core.testing.emulator`, and the person at the prompt acts as a member
of a demo server through the emulator's member driver::

    alice #general > /plugins enable greeter
    alice #general > /greet member:@bob
    alice #general > :click Wave
    alice #general > hello everyone          (a plain message)
    alice #general > :as bob

Lines come from standard input, so the playground can be scripted through a pipe; the prompt is
only printed when standard input is a terminal (otherwise each line is echoed after a marker).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import mimetypes
import os
import queue
import re
import shlex
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text

from guildkit.core import clock
from guildkit.core.config import BotConfig, load_config, parse_config
from guildkit.core.errors import StartupError
from guildkit.core.plugin import Plugin

log = logging.getLogger("guildkit.playground")

GUILD_NAME = "Playground"
CHANNELS = ("general", "random")
ADMIN = "alice"
MEMBERS = ("bob", "carol")
DATABASE_FILE = "playground.db"

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
BUTTON_STYLES = {1: "bold blue", 2: "bold", 3: "bold green", 4: "bold red", 5: "underline"}
SELECT_KINDS = {3: "options", 5: "member names", 6: "role names", 7: "member or role names", 8: "channel names"}
MEMBER_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")

HELP = """\
Act as a member of the demo server "Playground":
  /command sub option:value ...   use a slash command; values may also be given in order,
                                  quoted ("two words"), or as option=value
                                  members as @bob, channels as #random, files as a path
  any other text                  say it in the current channel
  :as NAME                        act as another member (a new name joins as a plain member)
  :channel NAME                   move to another channel
  :click N | :click LABEL         press a button of the last answer
  :select N VALUE...              pick values in a select menu of the last answer
  :modal FIELD=VALUE ...          fill in and submit the form the bot opened
  :wait [DURATION]                let time pass: 90s, 10m, 2h, 1d (scheduled posts come due);
                                  without a duration, wait a second for late answers
  :dms                            the bot's direct messages to you
  :messages [N]                   the bot's recent messages in this channel
  :members                        who is in the server
  :commands                       the slash commands you can use here, with their options
  :help                           this help
  :quit                           leave (so do Ctrl-D and Ctrl-C)"""


class PlaygroundClock(clock.Clock):
    """Real time, plus however far ``:wait`` has moved it on (it never goes back)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset)

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def skip(self, seconds: float) -> None:
        self.offset += max(0.0, seconds)


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


class ActionError(Exception):
    """Something the person typed cannot be done; the message is shown as one line."""


@dataclass
class PlaygroundOptions:
    """What ``guildkit playground`` was asked for on the command line."""

    config_path: Path | None = None
    database_url: str | None = None
    plugin_specs: Sequence[str] = ()
    verbose: bool = False


# ---------------------------------------------------------------------- set-up helpers


def load_plugin_spec(spec: str) -> Plugin:
    """The Plugin declared at ``module:attr`` (``attr`` defaults to ``plugin``)."""
    module_name, _, attr = spec.partition(":")
    module_name, attr = module_name.strip(), (attr.strip() or "plugin")
    if not module_name:
        raise StartupError(f"--plugin {spec!r}: expected MODULE:ATTRIBUTE, e.g. my_plugin:plugin")
    cwd = str(Path.cwd())
    if cwd not in sys.path:
        sys.path.append(cwd)  # a plugin being written in the current folder
    try:
        module = importlib.import_module(module_name)
    except Exception as error:
        raise StartupError(f"--plugin {spec!r}: cannot import {module_name}: {error}") from error
    obj = getattr(module, attr, None)
    if obj is not None and not isinstance(obj, Plugin):
        obj = getattr(obj, "plugin", obj)
    if not isinstance(obj, Plugin):
        raise StartupError(f"--plugin {spec!r}: {module_name}.{attr} is not a guildkit Plugin declaration")
    return replace(obj, module=obj.module or module_name, origin="--plugin")


def absolute_database_url(url: str) -> str:
    """A relative SQLite path given on the command line is relative to the current folder."""
    if url.startswith("sqlite://"):
        path = url.removeprefix("sqlite://")
        if path and path != ":memory:" and not Path(path).is_absolute():
            return f"sqlite://{(Path.cwd() / path).resolve()}"
    return url


def playground_config(
    base: BotConfig, *, api_base: str, database_url: str, verbose: bool, extra: Iterable[str] = ()
) -> BotConfig:
    """The user's bot.toml with Discord swapped for the emulator and the playground's database."""
    data = base.model_dump()
    data["bot"].update(api_base=api_base, token="", shards=1, guild_event_timeout=0.5)
    data["database"].update(url=database_url, migrate_on_start=True)
    logging_section = data["logging"]
    if verbose:
        logging_section["level"] = "INFO"
    else:
        logging_section["level"] = "WARNING"
        logging_section["levels"] = {
            name: _at_least_warning(level) for name, level in logging_section["levels"].items()
        }
    extra = list(extra)
    load = data["plugins"].get("load", "*")
    if extra and load != "*":
        data["plugins"]["load"] = list(dict.fromkeys([*load, *extra]))
    return parse_config(data, base.source)


def _at_least_warning(level: str) -> str:
    order = ["DEBUG", "INFO", "WARNING", "ERROR"]
    return level if order.index(level) >= order.index("WARNING") else "WARNING"


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


def _split_pair(word: str) -> tuple[str | None, str]:
    """``key:value`` or ``key=value`` (whichever separator comes first) → (key, value)."""
    cut = [i for i in (word.find(":"), word.find("=")) if i > 0]
    if not cut:
        return None, word
    at = min(cut)
    return word[:at], word[at + 1 :]


def _named(word: str, known: dict[str, dict[str, Any]]) -> tuple[str | None, str]:
    """(option name, value) when ``word`` names a known option, else (None, word)."""
    key, value = _split_pair(word)
    if key is None or key.lower() not in known:
        return None, word
    return known[key.lower()]["name"], value


def _read_upload(where: str, name: str, text: str) -> Any:
    from guildkit.core.testing.emulator import Upload

    path = Path(text).expanduser()
    if not path.is_file():
        raise ActionError(f"{where}: {name} wants a file; {text!r} is not a file here")
    return Upload(path.name, path.read_bytes(), mimetypes.guess_type(path.name)[0])


# ---------------------------------------------------------------------- reading lines


class LineReader:
    """Reads standard input on a daemon thread, one line per request (so prompts follow output).

    A daemon thread rather than the loop's executor: a read blocked at Ctrl-C must not keep the
    process from exiting.
    """

    def __init__(self, interactive: bool) -> None:
        self.interactive = interactive
        self._requests: queue.Queue[tuple[asyncio.AbstractEventLoop, asyncio.Future[str | None], str]] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="playground-stdin", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            loop, future, prompt = self._requests.get()
            try:
                line: str | None = input(prompt) if self.interactive else sys.stdin.readline()
                if line == "" and not self.interactive:
                    line = None  # end of input
            except EOFError:
                line = None
            except Exception:  # a closed or broken stdin ends the session like EOF
                line = None
            with contextlib.suppress(RuntimeError):  # the loop is gone: we are exiting
                loop.call_soon_threadsafe(_resolve, future, line)

    async def readline(self, prompt: str) -> str | None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str | None] = loop.create_future()
        self._requests.put((loop, future, prompt))
        return await future


def _resolve(future: asyncio.Future[str | None], line: str | None) -> None:
    if not future.done():
        future.set_result(line)


# ---------------------------------------------------------------------- the playground


class _MessageOnly:
    """Stands in for an interaction so a driver Reply can read, click and select on any message."""

    type = 0
    response_type = None
    original_message_id = None
    source_message_id = None
    modal = None
    choices = None

    def __init__(self, channel_id: int) -> None:
        self.channel_id = channel_id
        self.followup_ids: list[int] = []


@dataclass
class _Control:
    """A button or select shown to the person, with the message it is on."""

    reply: Any
    component: dict[str, Any]

    @property
    def label(self) -> str:
        c = self.component
        return str(c.get("label") or c.get("placeholder") or c.get("custom_id") or "?")

    @property
    def target(self) -> str:
        return str(self.component.get("custom_id") or self.label)


class Playground:
    """The emulator, the bot and the demo server, plus the state of the person at the prompt."""

    def __init__(self, options: PlaygroundOptions, console: Console | None = None) -> None:
        self.options = options
        self.console = console or make_console()
        self.emulator: Any = None
        self.runtime: Any = None
        self.guild: Any = None
        self.member: Any = None
        self.channel = CHANNELS[0]
        self.database_text = ""
        self._temp_dir: str | None = None
        self._seen: set[int] = set()
        self._buttons: list[_Control] = []
        self._selects: list[_Control] = []
        self._shown_buttons: list[_Control] = []
        self._shown_selects: list[_Control] = []
        self._modal_reply: Any = None
        self.plugin_states: list[tuple[str, bool]] = []
        self.clock = PlaygroundClock()
        self._previous_clock: clock.Clock | None = None

    # ---- lifecycle

    async def start(self) -> None:
        from guildkit.core.logs import configure_logging
        from guildkit.core.runtime import Runtime
        from guildkit.core.testing.emulator import DiscordEmulator
        from guildkit.core.testing.harness import UNTHROTTLED

        options = self.options
        base = load_config(options.config_path)
        extra = [load_plugin_spec(spec) for spec in options.plugin_specs]
        if options.database_url:
            database_url = absolute_database_url(options.database_url)
            self.database_text = _describe_url(database_url)
        else:
            self._temp_dir = tempfile.mkdtemp(prefix="guildkit-playground-")
            path = Path(self._temp_dir) / DATABASE_FILE
            database_url = f"sqlite://{path}"
            self.database_text = f"{path} (temporary)"
        self._previous_clock = clock.use(self.clock)
        self.emulator = DiscordEmulator()
        await self.emulator.start()
        config = playground_config(
            base,
            api_base=self.emulator.api_base,
            database_url=database_url,
            verbose=options.verbose,
            extra=[p.name for p in extra],
        )
        configure_logging(config.logging)
        # Always printed because the runtime deletes unused commands; says nothing to a playground user.
        logging.getLogger("interactions").addFilter(_DropMessage("delete_unused_application_cmds"))
        # The explicit URL keeps GUILDKIT_DATABASE_URL (the real bot's database) out of the playground.
        runtime = Runtime(config, extra_plugins=extra, rest_requests_per_second=UNTHROTTLED, database_url=database_url)
        await runtime.start(self.emulator.token)
        self.runtime = runtime
        await self._build_server()

    async def _build_server(self) -> None:
        from guildkit.core.testing.emulator import GuildHandle

        emulator, runtime = self.emulator, self.runtime
        owner = emulator.user(ADMIN)
        model = emulator.world.create_guild(GUILD_NAME, owner=owner.user)
        guild = GuildHandle(emulator, model.id)
        async with asyncio.timeout(5):
            while runtime.client.get_guild(guild.id) is None:  # noqa: ASYNC110 - the client's cache
                await asyncio.sleep(0.005)
        for name in CHANNELS[1:]:
            guild.add_channel(name)
        self.member = await guild.member(ADMIN, admin=True)
        for name in MEMBERS:
            await guild.member(name)
        if runtime.config.bot.command_scope == "guild":
            await runtime.commands.sync_guild(guild.id)
        self.guild = guild
        self.plugin_states = [(p.name, await runtime.flags.own_value(guild.id, p.name)) for p in runtime.plugins]

    async def close(self) -> None:
        runtime, self.runtime = self.runtime, None
        if runtime is not None:
            with contextlib.suppress(Exception):
                await runtime.close()
        emulator, self.emulator = self.emulator, None
        if emulator is not None:
            with contextlib.suppress(Exception):
                await emulator.stop()
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None
        if self._previous_clock is not None:
            clock.use(self._previous_clock)
            self._previous_clock = None

    def banner(self) -> None:
        plugins = [f"{name} ({'on' if on else 'off'})" for name, on in self.plugin_states]
        plugin_text = ", ".join(plugins) if plugins else "none installed (only the core commands)"
        members = f"{ADMIN} (admin, you), " + ", ".join(MEMBERS)
        channels = ", ".join(f"#{c}" for c in CHANNELS)
        self.console.print(
            Text.assemble(
                ("guildkit playground", "bold"),
                f": the bot runs against a local Discord. Server {GUILD_NAME!r} with {channels}; "
                f"members {members}. Plugins: {plugin_text}. Database: {self.database_text}.",
            ),
            soft_wrap=True,
        )
        self.console.print(
            Text.assemble(
                "Type ",
                (":help", "bold"),
                " for help, a ",
                ("/command", "bold"),
                " to use the bot, any text to talk; ",
                (":quit", "bold"),
                " leaves.",
            ),
            soft_wrap=True,
        )

    # ---- the loop

    @property
    def prompt(self) -> str:
        return f"{self.member.name} #{self.channel} > "

    async def repl(self, reader: LineReader) -> None:
        self.show_news()
        self._end_batch()
        self.flush()
        while True:
            line = await reader.readline(self.prompt)
            if line is None:
                if reader.interactive:
                    self.console.print()
                return
            line = line.strip()
            if not reader.interactive and line:
                self.console.print(Text(self.prompt + line, style="bold"), soft_wrap=True)
            keep_going = await self.run_line(line)
            self.flush()
            if not keep_going:
                return

    def flush(self) -> None:
        with contextlib.suppress(Exception):
            self.console.file.flush()

    async def run_line(self, line: str) -> bool:
        """Do what one line says; False when the person wants to leave. Errors become one line."""
        from guildkit.core.testing.emulator import (
            CommandNotFound,
            CommandNotPermitted,
            ComponentNotFound,
            DriverError,
            NoResponse,
            NotConnected,
            OptionError,
        )

        line = line.strip()
        if not line:
            return True
        self._begin_batch()
        try:
            if line.startswith(":"):
                if not await self.meta(line):
                    return False
            elif line.startswith("/"):
                await self.slash(line)
            else:
                await self.say(line)
        except ActionError as error:
            self.error(str(error))
        except CommandNotPermitted as error:
            self.error(f"{error} (Discord hides that command from them). An admin can: :as {ADMIN}")
        except CommandNotFound as error:
            self.error(str(error))
        except (OptionError, ComponentNotFound) as error:
            self.error(str(error))
        except NoResponse:
            self.error(f"the bot did not answer within {self.emulator.reply_timeout:g} s")
        except NotConnected:
            self.error("the bot is not connected to the local Discord any more")
        except DriverError as error:
            self.error(str(error))
        except LookupError as error:
            self.error(str(error.args[0]) if error.args else "not found")
        except Exception as error:
            log.debug("playground action failed", exc_info=True)
            self.error(f"that did not work: {type(error).__name__}: {error}")
        self.show_news()
        self._end_batch()
        return True

    def error(self, message: str) -> None:
        self.console.print(Text.assemble(("✗ ", "bold red"), (message, "red")), soft_wrap=True)

    def note(self, message: str) -> None:
        self.console.print(Text(message, style="dim"), soft_wrap=True)

    # ---- actions

    def parser(self) -> SlashParser:
        commands = [*self.emulator.commands(self.guild), *self.emulator.commands(None)]
        return SlashParser(commands, self._lookup)

    async def slash(self, line: str) -> None:
        parser = self.parser()
        call = parser.parse(line)
        name = call.path.split()[0]
        if missing := self._missing_permissions(parser.commands[name]):
            who = self.member.name
            raise ActionError(
                f"{who} cannot use /{name}: it needs the {' and '.join(missing)} permission, which {who} "
                f"does not have (Discord hides the command from them). Try it as an admin: :as {ADMIN}"
            )
        reply = await self.member.slash(call.path, in_channel=self.channel, options=call.options)
        await self.settle()
        self.show_reply(reply)

    async def say(self, text: str) -> None:
        await self.member.say(text, channel=self.channel)
        await self.settle()

    async def settle(self, *, quiet: float = 0.15, limit: float = 2.0) -> None:
        """Give the bot a moment to finish what the last action set off (listeners, follow-ups):
        return once it has made no REST request for ``quiet`` seconds, or after ``limit``."""
        loop = asyncio.get_running_loop()
        requests = self.emulator.requests
        start = last_change = loop.time()
        count = len(requests)
        while loop.time() - start < limit:
            await asyncio.sleep(0.025)
            if len(requests) != count:
                count, last_change = len(requests), loop.time()
            elif loop.time() - last_change >= quiet:
                return

    async def meta(self, line: str) -> bool:
        word, _, rest = line[1:].partition(" ")
        word, rest = word.lower(), rest.strip()
        if word in ("quit", "q", "exit"):
            return False
        handlers: dict[str, Callable[[str], Any]] = {
            "help": self.cmd_help,
            "h": self.cmd_help,
            "?": self.cmd_help,
            "as": self.cmd_as,
            "channel": self.cmd_channel,
            "click": self.cmd_click,
            "select": self.cmd_select,
            "modal": self.cmd_modal,
            "dms": self.cmd_dms,
            "wait": self.cmd_wait,
            "messages": self.cmd_messages,
            "members": self.cmd_members,
            "commands": self.cmd_commands,
        }
        handler = handlers.get(word)
        if handler is None:
            raise ActionError(f"there is no :{word}; type :help for the playground's commands")
        result = handler(rest)
        if asyncio.iscoroutine(result):
            await result
        return True

    def cmd_help(self, _: str) -> None:
        self.console.print(Text(HELP))

    async def cmd_as(self, rest: str) -> None:
        name = rest.strip().lstrip("@")
        if not name:
            raise ActionError(f"say who: :as bob (members: {', '.join(self._member_names())})")
        if not MEMBER_NAME.match(name):
            raise ActionError("a member name is 1-32 letters, digits, dots, dashes or underscores")
        if name == self.emulator.world.user(self.emulator.bot_user_id).username:
            raise ActionError("you cannot act as the bot")
        existed = name in self._member_names()
        self.member = await self.guild.member(name)
        self.note(f"you are now {name}" + ("" if existed else f" (new member of {GUILD_NAME})"))

    def cmd_channel(self, rest: str) -> None:
        name = rest.strip().lstrip("#")
        names = [c.name for c in self._text_channels()]
        if not name:
            raise ActionError(f"say which: :channel random (channels: {', '.join(names)})")
        if name not in names:
            raise ActionError(f"there is no #{name}; channels: {', '.join(names)}")
        self.channel = name
        self.note(f"you are now in #{name}")

    async def cmd_click(self, rest: str) -> None:
        if not rest:
            raise ActionError("say which button: :click 1 or :click Label")
        control = self._pick(self._buttons, rest, "button")
        if control.component.get("style") == 5 or control.component.get("url"):
            raise ActionError(f"{control.label!r} is a link to {control.component.get('url')}; it opens a browser")
        self._check_live(control, "button")
        reply = await control.reply.click(control.target, by=self.member)
        await self.settle()
        self.show_reply(reply)

    async def cmd_select(self, rest: str) -> None:
        words = split_line(rest)
        if len(words) < 2:
            raise ActionError("say which menu and what: :select 1 VALUE [VALUE...]")
        control = self._pick(self._selects, words[0], "select menu")
        values = [self._select_value(control.component, word) for word in words[1:]]
        self._check_live(control, "menu")
        reply = await control.reply.select(control.target, values, by=self.member)
        await self.settle()
        self.show_reply(reply)

    async def cmd_modal(self, rest: str) -> None:
        reply = self._modal_reply
        if reply is None or reply.modal is None:
            raise ActionError("no form is open; a bot opens one in answer to a command or button")
        fields = _modal_fields(reply.modal)
        if not rest:
            self.show_modal(reply)
            return
        by_key: dict[str, str] = {}
        for item in fields:
            by_key.setdefault(str(item["custom_id"]).lower(), item["custom_id"])
            if item.get("label"):
                by_key.setdefault(str(item["label"]).lower(), item["custom_id"])
        values: dict[str, str] = {}
        words = split_line(rest)
        for word in words:
            key, value = _split_pair(word)
            field_id = by_key.get(key.lower()) if key is not None else None
            if field_id is None:
                if len(fields) == 1 and not values:
                    values[fields[0]["custom_id"]] = " ".join(words)  # the only field: the whole text
                    break
                ids = ", ".join(f["custom_id"] for f in fields)
                raise ActionError(f"give each field as FIELD=VALUE; this form's fields: {ids}")
            values[field_id] = value
        answer = await reply.submit_modal(values, by=self.member)
        self._modal_reply = None
        await self.settle()
        self.show_reply(answer)

    async def cmd_wait(self, rest: str) -> None:
        if not rest.strip():
            await asyncio.sleep(1.0)
            await self.settle()
            return
        seconds = parse_duration(rest)
        self.clock.skip(seconds)
        scheduler = getattr(self.runtime, "scheduler", None)
        if scheduler is not None and hasattr(scheduler, "wake"):
            scheduler.wake()  # due work runs now rather than at its next poll
        await self.settle(quiet=0.3, limit=5.0)
        self.note(f"{rest.strip()} later: it is {clock.now():%Y-%m-%d %H:%M} UTC")

    def cmd_dms(self, _: str) -> None:
        messages = self.member.dms()
        if not messages:
            self.note(f"the bot has sent {self.member.name} no direct messages")
            return
        for message in messages:
            self.show_message(message, header="DM")

    def cmd_messages(self, rest: str) -> None:
        count = int(rest) if rest.isdigit() else 10
        messages = self.guild.bot_messages(self.channel)[-count:] if count else []
        if not messages:
            self.note(f"the bot has written nothing in #{self.channel}")
            return
        for message in messages:
            self.show_message(message, header=f"in #{self.channel}")

    def cmd_members(self, _: str) -> None:
        world = self.emulator.world
        guild = self.guild.model
        for member in guild.members.values():
            user = world.user(member.user_id)
            tags = []
            if user.id == guild.owner_id:
                tags.append("owner")
            tags += [guild.roles[r].name for r in member.roles if r in guild.roles and r != guild.bot_role_id]
            if user.bot:
                tags.append("bot")
            line = Text(user.username, style="bold" if user.id == self.member.id else "")
            if user.id == self.member.id:
                line.append(" (you)")
            if tags:
                line.append(" — " + ", ".join(tags), style="dim")
            self.console.print(line)

    def cmd_commands(self, _: str) -> None:
        parser = self.parser()
        if not parser.commands:
            self.note("the bot has no slash commands here")
            return
        for name in parser.available():
            command = parser.commands[name]
            refused = ""
            if missing := self._missing_permissions(command):
                refused = f"  (needs {' and '.join(missing)}; {self.member.name} cannot use it)"
            for usage, description in command_lines(command):
                self.console.print(
                    Text.assemble(
                        (usage, "bold"), ("  " + description if description else "", "dim"), (refused, "red")
                    ),
                    soft_wrap=True,
                )

    # ---- what the bot said

    def show_reply(self, reply: Any) -> None:
        if reply.modal is not None:
            self._modal_reply = reply
            self.show_modal(reply)
            return
        message = reply.message
        shown = False
        if message is not None and not message.deleted:
            updated = reply.type in (6, 7)
            self.show_message(message, header="updated the message" if updated else None, reply=reply)
            shown = True
        elif message is not None and message.deleted:
            self.note("(the bot deleted its answer)")
            shown = True
        for followup in reply.followups:
            msg = followup.message
            if msg is None or msg.deleted or msg.id in self._seen or (message is not None and msg.id == message.id):
                continue
            self.show_message(msg, header="follow-up", reply=followup)
            shown = True
        if not shown:
            self.note("(the bot acknowledged without answering)")

    def show_news(self) -> None:
        """Bot messages nobody has seen yet: in the current channel and in the member's DMs."""
        if self.guild is None:
            return
        world = self.emulator.world
        bot_id = self.emulator.bot_user_id
        fresh = []
        channel = self.guild._channel(self.channel)
        for message in world.channel_messages(channel, include_ephemeral=True):
            if message.author_id != bot_id or message.id in self._seen or message.loading:
                continue
            if message.ephemeral:
                inter = world.interactions.get(message.interaction_id or 0)
                if inter is None or inter.user_id != self.member.id:
                    continue  # someone else's "only you can see this"
            fresh.append((message, f"in #{self.channel}"))
        fresh += [(m, "DM") for m in self.member.dms() if m.id not in self._seen]
        if not fresh:
            return
        for message, header in sorted(fresh, key=lambda pair: pair[0].id):
            self.show_message(message, header=header)

    def show_message(self, message: Any, *, header: str | None = None, reply: Any = None) -> None:
        self._seen.add(message.id)
        bot_name = self.emulator.world.user(message.author_id).username
        title = Text()
        title.append(bot_name, style="bold magenta")
        if header:
            title.append(f" ({header})", style="dim")
        if message.ephemeral:
            title.append(" (only you can see this)", style="dim italic")
        parts: list[RenderableType] = []
        content = self.markdown(message.content or "")
        if content.plain and "\n" not in content.plain:
            title.append(": ")
            title.append_text(content)
        elif content.plain:
            parts.append(content)
        else:
            title.append(":")
        for embed in message.embeds:
            parts.append(self.embed_panel(embed))
        for attachment in message.attachments:
            kind = f", {attachment.content_type}" if attachment.content_type else ""
            parts.append(Text(f"attachment: {attachment.filename} ({_size(len(attachment.data))}{kind})"))
        if message.components:
            controls = reply if reply is not None else self._reply_for(message)
            parts += self._components(message.components, controls)
        self.console.print(title, soft_wrap=True)
        for part in parts:
            self._print_indented(part)

    def _print_indented(self, part: RenderableType) -> None:
        """Two spaces in, line by line for text (a padded block would pad every line to the
        widest one, leaving trailing blanks in piped output)."""
        if isinstance(part, Text):
            for line in part.split("\n"):
                self.console.print(Text("  ") + line)
        else:
            self.console.print(Padding(part, (0, 0, 0, 2), expand=False))

    def show_modal(self, reply: Any) -> None:
        modal = reply.modal
        bot_name = self.emulator.world.user(self.emulator.bot_user_id).username
        self.console.print(
            Text.assemble((bot_name, "bold magenta"), f" opened a form: {modal.get('title', '')}"), soft_wrap=True
        )
        fields = _modal_fields(modal)
        for item in fields:
            traits = ["required" if item.get("required", True) else "optional"]
            if item.get("style") == 2:
                traits.append("long text")
            if item.get("max_length") is not None:
                traits.append(f"max {item['max_length']}")
            label = item.get("label") or ""
            line = Text.assemble(("  " + item["custom_id"], "bold"), f"  {label}  ", (f"({', '.join(traits)})", "dim"))
            self.console.print(line, soft_wrap=True)
        example = " ".join(f'{f["custom_id"]}="..."' for f in fields)
        self.note(f"fill it in with :modal {example}")

    def embed_panel(self, embed: dict[str, Any]) -> Panel:
        lines: list[RenderableType] = []
        if author := (embed.get("author") or {}).get("name"):
            lines.append(Text(author, style="italic"))
        if title := embed.get("title"):
            heading = self.markdown(str(title))
            heading.stylize("bold")
            lines.append(heading)
        if description := embed.get("description"):
            lines.append(self.markdown(str(description)))
        for item in embed.get("fields") or []:
            name = self.markdown(str(item.get("name", "")))
            name.stylize("bold")
            value = self.markdown(str(item.get("value", "")))
            if "\n" in value.plain:
                lines += [name, Padding(value, (0, 0, 0, 2), expand=False)]
            else:
                lines.append(Text.assemble(name, ": ", value))
        for key in ("image", "thumbnail"):
            if url := (embed.get(key) or {}).get("url"):
                lines.append(Text(f"[{key}] {url}", style="dim"))
        footer = (embed.get("footer") or {}).get("text")
        when = embed.get("timestamp")
        tail = " · ".join(str(x) for x in (footer, _when(when) if when else None) if x)
        if tail:
            lines.append(Text(tail, style="dim"))
        color = embed.get("color")
        style = f"#{int(color):06x}" if isinstance(color, int) else "blue"
        return Panel(Group(*lines), expand=False, border_style=style, padding=(0, 1))

    def _components(self, components: list[dict[str, Any]], reply: Any) -> list[RenderableType]:
        from guildkit.core.testing.emulator.driver import SELECT_TYPES

        out: list[RenderableType] = []
        row = Text()
        for comp in _walk(components):
            kind = comp.get("type")
            if kind == 2:
                if row.plain:
                    row.append(" ")
                row.append_text(self._button(comp, reply))
            elif kind in SELECT_TYPES:
                if row.plain:
                    out.append(row)
                    row = Text()
                out.append(self._select(comp, reply))
        if row.plain:
            out.append(row)
        return out

    def _button(self, comp: dict[str, Any], reply: Any) -> Text:
        emoji = (comp.get("emoji") or {}).get("name")
        label = " ".join(str(x) for x in (emoji, comp.get("label")) if x) or str(comp.get("custom_id", "?"))
        if comp.get("style") == 5 or comp.get("url"):
            return Text(f"[{label} → {comp.get('url', '')}]", style="underline")
        self._shown_buttons.append(_Control(reply, comp))
        number = len(self._shown_buttons)
        if comp.get("disabled"):
            return Text(f"[{number} {label} (disabled)]", style="dim")
        return Text(f"[{number} {label}]", style=BUTTON_STYLES.get(int(comp.get("style") or 2), "bold"))

    def _select(self, comp: dict[str, Any], reply: Any) -> Text:
        self._shown_selects.append(_Control(reply, comp))
        number = len(self._shown_selects)
        low, high = int(comp.get("min_values", 1)), int(comp.get("max_values", 1))
        count = f"pick {low}" if low == high else f"pick {low} to {high}"
        placeholder = comp.get("placeholder") or comp.get("custom_id")
        text = Text.assemble((f"<select {number}> ", "bold"), str(placeholder), (f" ({count}", "dim"))
        kind = int(comp.get("type", 3))
        if kind != 3:
            text.append(f" of {SELECT_KINDS.get(kind, 'values')})", style="dim")
        else:
            text.append(")", style="dim")
            for option in comp.get("options") or []:
                value, label = str(option.get("value")), str(option.get("label", ""))
                text.append("\n  • ")
                text.append(value, style="bold")
                if label and label != value:
                    text.append(f"  {label}")
                if description := option.get("description"):
                    text.append(f" — {description}", style="dim")
        if comp.get("disabled"):
            text.append(" (disabled)", style="dim")
        return text

    def markdown(self, text: str) -> Text:
        """Discord markdown as rich Text: mentions by name, **bold**, `code`, <t:...> times."""
        text = self._mentions(text)
        out = Text()
        position = 0
        for match in re.finditer(r"\*\*(.+?)\*\*|`([^`\n]+)`", text, flags=re.S):
            out.append(text[position : match.start()])
            if match.group(1) is not None:
                out.append(match.group(1), style="bold")
            else:
                out.append(f"`{match.group(2)}`", style="cyan")
            position = match.end()
        out.append(text[position:])
        return out

    def _mentions(self, text: str) -> str:
        world = self.emulator.world

        def user(match: re.Match[str]) -> str:
            found = world.users.get(int(match.group(1)))
            return f"@{found.username}" if found else match.group(0)

        def channel(match: re.Match[str]) -> str:
            found = world.channels.get(int(match.group(1)))
            return f"#{found.name}" if found else match.group(0)

        def role(match: re.Match[str]) -> str:
            found = self.guild.model.roles.get(int(match.group(1))) if self.guild else None
            return f"@{found.name}" if found else match.group(0)

        text = re.sub(r"<@!?(\d+)>", user, text)
        text = re.sub(r"<#(\d+)>", channel, text)
        text = re.sub(r"<@&(\d+)>", role, text)
        text = re.sub(r"</([\w -]+):\d+>", r"/\1", text)
        text = re.sub(r"<a?:(\w+):\d+>", r":\1:", text)
        return re.sub(r"<t:(-?\d+)(?::([tTdDfFR]))?>", lambda m: _timestamp(int(m.group(1)), m.group(2)), text)

    # ---- helpers

    def _begin_batch(self) -> None:
        self._shown_buttons, self._shown_selects = [], []

    def _end_batch(self) -> None:
        """What one action showed: its buttons and selects replace the previous numbering, unless
        it showed none (then the earlier ones stay usable)."""
        if self._shown_buttons or self._shown_selects:
            self._buttons, self._selects = self._shown_buttons, self._shown_selects
        self._begin_batch()

    def _check_live(self, control: _Control, what: str) -> None:
        """The message may have changed since it was shown: say so plainly."""
        message = control.reply.message
        if message is None or message.deleted:
            raise ActionError(f"the message with {what} {control.label!r} is gone")
        wanted = control.component.get("custom_id")
        live = next((c for c in _walk(message.components) if wanted and c.get("custom_id") == wanted), None)
        if live is None:
            raise ActionError(f"{what} {control.label!r} is no longer on its message (the bot changed it)")
        if live.get("disabled"):
            raise ActionError(f"{what} {control.label!r} is disabled")

    def _reply_for(self, message: Any) -> Any:
        from guildkit.core.testing.emulator import Reply

        return Reply(self.emulator, _MessageOnly(message.channel_id), self.member, message.id)

    def _pick(self, controls: list[_Control], which: str, what: str) -> _Control:
        if not controls:
            raise ActionError(f"there is no {what} to use: none was shown yet")
        if which.isdigit():
            index = int(which)
            if not 1 <= index <= len(controls):
                raise ActionError(f"there is no {what} {index}; pick 1 to {len(controls)}")
            return controls[index - 1]
        wanted = which.lower()
        for test in (
            lambda c: c.label.lower() == wanted,
            lambda c: str(c.component.get("custom_id", "")).lower() == wanted,
            lambda c: c.label.lower().startswith(wanted),
        ):
            found = [c for c in controls if test(c)]
            if found:
                return found[-1]  # the newest message's, when several carry the same label
        listing = ", ".join(f"{i} {c.label}" for i, c in enumerate(controls, 1))
        raise ActionError(f"no {what} {which!r} on the last answer; there are: {listing}")

    def _select_value(self, component: dict[str, Any], word: str) -> Any:
        if int(component.get("type", 3)) != 3:
            return word.lstrip("@#")
        options = component.get("options") or []
        for option in options:
            if word == str(option.get("value")):
                return option["value"]
        for option in options:
            if word.lower() in (str(option.get("value")).lower(), str(option.get("label", "")).lower()):
                return option["value"]
        listing = ", ".join(str(o.get("value")) for o in options)
        raise ActionError(f"{word!r} is not an option of that menu; options: {listing}")

    def _missing_permissions(self, command: dict[str, Any]) -> list[str]:
        """The permissions (as Discord shows them) the current member lacks for ``command``."""
        from guildkit.core.testing.emulator import permissions as perms

        raw = command.get("default_member_permissions")
        if raw is None:
            return []
        required, have = int(raw), self.member.permissions
        if have & perms.ADMINISTRATOR or (required and have & required == required):
            return []
        return [_permission_name(n) for n in perms.names(required & ~have)] or ["Administrator"]

    def _member_names(self) -> list[str]:
        world = self.emulator.world
        return [world.user(uid).username for uid in self.guild.model.members if not world.user(uid).bot]

    def _text_channels(self) -> list[Any]:
        world = self.emulator.world
        return [c for c in world.guild_channels(self.guild.model) if c.type in (0, 5)]

    def _lookup(self, kind: int, text: str) -> Any:
        """What the driver accepts for a member/channel/role option typed as ``@bob``, ``#random``."""
        raw = text.strip()
        if kind == CHANNEL:
            name = raw.lstrip("#")
            channels = self.emulator.world.guild_channels(self.guild.model)
            if any(c.name == name or str(c.id) == name.strip("<#>") for c in channels):
                return name
            raise ActionError(f"there is no channel #{name}; channels: {', '.join(str(c.name) for c in channels)}")
        name = raw.lstrip("@")
        if kind in (ROLE, MENTIONABLE):
            for role in self.guild.model.roles.values():
                if role.name == name or role.name == raw or str(role.id) == raw.strip("<@&>"):
                    return f"<@&{role.id}>"
            if kind == ROLE:
                roles = ", ".join(r.name for r in self.guild.model.roles.values())
                raise ActionError(f"there is no role {name!r}; roles: {roles}")
        if self.emulator.world.user_named(name) is not None or raw.strip("<@!>").isdigit():
            return name if not raw.startswith("<@") else raw
        raise ActionError(f"there is no member {name!r}; members: {', '.join(self._member_names())}")


def _walk(components: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    from guildkit.core.testing.emulator.driver import _walk_components

    return _walk_components(components)


def _modal_fields(modal: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in _walk(modal.get("components") or []) if c.get("type") == 4]


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / 1024 / 1024:.1f} MB"


def _when(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _timestamp(seconds: int, style: str | None) -> str:
    moment = datetime.fromtimestamp(seconds, UTC)
    if style == "R":
        delta = (moment - clock.now()).total_seconds()
        amount, unit = abs(delta), "seconds"
        for size, name in ((86400, "days"), (3600, "hours"), (60, "minutes")):
            if amount >= size:
                amount, unit = amount / size, name
                break
        text = f"{amount:.0f} {unit}"
        return f"in {text}" if delta >= 0 else f"{text} ago"
    if style in ("t", "T"):
        return moment.strftime("%H:%M UTC")
    if style in ("d", "D"):
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%d %H:%M UTC")


#: Discord's names for permissions whose API names read differently.
PERMISSION_NAMES = {
    "MANAGE_GUILD": "Manage Server",
    "MODERATE_MEMBERS": "Timeout Members",
    "MANAGE_GUILD_EXPRESSIONS": "Manage Expressions",
    "USE_VAD": "Use Voice Activity",
}


def _permission_name(flag: str) -> str:
    return PERMISSION_NAMES.get(flag, flag.replace("_", " ").title())


class _DropMessage(logging.Filter):
    """Hides one known, harmless library warning that would open every session."""

    def __init__(self, fragment: str) -> None:
        super().__init__()
        self.fragment = fragment

    def filter(self, record: logging.LogRecord) -> bool:
        return self.fragment not in record.getMessage()


def _describe_url(url: str) -> str:
    if url.startswith("sqlite://"):
        return url.removeprefix("sqlite://")
    return re.sub(r"//([^:/@]+):[^@/]*@", r"//\1:***@", url)  # no passwords on screen


def make_console() -> Console:
    """Colour only on a terminal (rich decides); a readable fixed width when piped."""
    with contextlib.suppress(Exception):
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 100
    return Console(highlight=False, emoji=False, width=width)


async def run(options: PlaygroundOptions, console: Console | None = None) -> None:
    """Start everything, read lines until EOF or :quit, then shut the bot and the emulator down."""
    interactive = sys.stdin.isatty()
    terminal = _save_terminal() if interactive else None
    if interactive:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401 - line editing and history for input()
    playground = Playground(options, console)
    try:
        await playground.start()
        playground.banner()
        await playground.repl(LineReader(interactive))
    except asyncio.CancelledError:  # Ctrl-C
        if interactive:
            playground.console.print()
        raise
    finally:
        await playground.close()
        _restore_terminal(terminal)


def _save_terminal() -> Any:
    """The terminal's settings: Ctrl-C may end the session while line editing has changed them."""
    try:
        import termios

        return termios.tcgetattr(sys.stdin.fileno())
    except Exception:
        return None


def _restore_terminal(saved: Any) -> None:
    if saved is None:
        return
    with contextlib.suppress(Exception):
        import termios

        termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, saved)
