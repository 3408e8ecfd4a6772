"""The terminal loop: reading lines, running ``/commands``, plain messages and ``:as``, ``:click`` and the rest.

The bot is the unmodified runtime (every installed plugin, real migrations, a real database); the
"Discord" is :mod:`guildkit.core.testing.emulator`, and the person at the prompt acts as a member
of a demo server through the emulator's member driver.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from guildkit.core import clock
from guildkit.core.config import load_config
from guildkit.core.testing.emulator.command_options import CHANNEL, MENTIONABLE, ROLE, missing_permissions

from .parse import (
    ActionError,
    SlashParser,
    command_lines,
    parse_duration,
    split_line,
    split_pair,
)
from .render import Control, Renderer, make_console, modal_fields, walk_components
from .startup import (
    ADMIN,
    CHANNELS,
    DATABASE_FILE,
    GUILD_NAME,
    MEMBERS,
    VOICE_CHANNEL,
    DropMessage,
    PlaygroundClock,
    PlaygroundOptions,
    absolute_database_url,
    describe_url,
    load_plugin_spec,
    playground_config,
)

log = logging.getLogger("guildkit.playground")

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


class Playground:
    """The emulator, the bot and the demo server, plus the state of the person at the prompt."""

    def __init__(self, options: PlaygroundOptions, console: Console | None = None) -> None:
        self.options = options
        self.console = console or make_console()
        self.emulator: Any = None
        #: A local Lavalink node playing generated tracks, when music is loaded without nodes.
        self.lavalink: Any = None
        self.runtime: Any = None
        self.guild: Any = None
        self.member: Any = None
        self.channel = CHANNELS[0]
        self.database_text = ""
        self._temp_dir: str | None = None
        self.render = Renderer(self.console, self)
        self.plugin_states: list[tuple[str, bool]] = []
        self.clock = PlaygroundClock()
        self._previous_clock: clock.Clock | None = None

    # ---- lifecycle

    async def start(self) -> None:
        from guildkit.core.logs import configure_logging
        from guildkit.core.runtime import Runtime
        from guildkit.core.testing.emulator import DiscordEmulator

        options = self.options
        base = load_config(options.config_path)
        extra = [load_plugin_spec(spec) for spec in options.plugin_specs]
        if options.database_url:
            database_url = absolute_database_url(options.database_url)
            self.database_text = describe_url(database_url)
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
        config = await self._with_lavalink(config)
        configure_logging(config.logging)
        # Always printed because the runtime deletes unused commands; says nothing to a playground user.
        logging.getLogger("interactions").addFilter(DropMessage("delete_unused_application_cmds"))
        # The explicit URL keeps GUILDKIT_DATABASE_URL (the real bot's database) out of the playground.
        runtime = Runtime(config, extra_plugins=extra, database_url=database_url)
        await runtime.start(self.emulator.token)
        self.runtime = runtime
        await self._build_server()

    async def _with_lavalink(self, config: Any) -> Any:
        """Music without configured nodes plays generated tracks from a local emulated node."""
        from guildkit.core.config import parse_config
        from guildkit.core.testing.lavalink import LavalinkNodeEmulator

        music = config.plugins.plugin("music")
        if music.config.get("nodes"):
            return config
        self.lavalink = await LavalinkNodeEmulator(name="playground").start()
        node = {"host": self.lavalink.host, "port": self.lavalink.port, "password": self.lavalink.password}
        data = config.model_dump()
        section = data["plugins"].setdefault("music", {})
        section.setdefault("config", {})["nodes"] = [{**node, "name": "playground"}]
        return parse_config(data, config.source)

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
        if self.lavalink is not None:
            guild.add_channel(VOICE_CHANNEL, kind="voice")
            await self.member.join_voice(VOICE_CHANNEL)  # so /play has a channel to play in
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
        node, self.lavalink = self.lavalink, None
        if node is not None:
            with contextlib.suppress(Exception):
                await node.stop()
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
        self.render.show_news()
        self.render.end_batch()
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
        self.render.begin_batch()
        try:
            if line.startswith(":"):
                if not await self.meta(line):
                    return False
            elif line.startswith("/"):
                await self.slash(line)
            else:
                await self.say(line)
        except ActionError as error:
            self.render.error(str(error))
        except CommandNotPermitted as error:
            self.render.error(f"{error} (Discord hides that command from them). An admin can: :as {ADMIN}")
        except CommandNotFound as error:
            self.render.error(str(error))
        except (OptionError, ComponentNotFound) as error:
            self.render.error(str(error))
        except NoResponse:
            self.render.error(f"the bot did not answer within {self.emulator.reply_timeout:g} s")
        except NotConnected:
            self.render.error("the bot is not connected to the local Discord any more")
        except DriverError as error:
            self.render.error(str(error))
        except LookupError as error:
            self.render.error(str(error.args[0]) if error.args else "not found")
        except Exception as error:
            log.debug("playground action failed", exc_info=True)
            self.render.error(f"that did not work: {type(error).__name__}: {error}")
        self.render.show_news()
        self.render.end_batch()
        return True

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
        self.render.show_reply(reply)

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
        self.render.note(f"you are now {name}" + ("" if existed else f" (new member of {GUILD_NAME})"))

    def cmd_channel(self, rest: str) -> None:
        name = rest.strip().lstrip("#")
        names = [c.name for c in self._text_channels()]
        if not name:
            raise ActionError(f"say which: :channel random (channels: {', '.join(names)})")
        if name not in names:
            raise ActionError(f"there is no #{name}; channels: {', '.join(names)}")
        self.channel = name
        self.render.note(f"you are now in #{name}")

    async def cmd_click(self, rest: str) -> None:
        if not rest:
            raise ActionError("say which button: :click 1 or :click Label")
        control = self._pick(self.render.buttons, rest, "button")
        if control.component.get("style") == 5 or control.component.get("url"):
            raise ActionError(f"{control.label!r} is a link to {control.component.get('url')}; it opens a browser")
        self._check_live(control, "button")
        reply = await control.reply.click(control.target, by=self.member)
        await self.settle()
        self.render.show_reply(reply)

    async def cmd_select(self, rest: str) -> None:
        words = split_line(rest)
        if len(words) < 2:
            raise ActionError("say which menu and what: :select 1 VALUE [VALUE...]")
        control = self._pick(self.render.selects, words[0], "select menu")
        values = [self._select_value(control.component, word) for word in words[1:]]
        self._check_live(control, "menu")
        reply = await control.reply.select(control.target, values, by=self.member)
        await self.settle()
        self.render.show_reply(reply)

    async def cmd_modal(self, rest: str) -> None:
        reply = self.render.open_form
        if reply is None or reply.modal is None:
            raise ActionError("no form is open; a bot opens one in answer to a command or button")
        fields = modal_fields(reply.modal)
        if not rest:
            self.render.show_modal(reply)
            return
        by_key: dict[str, str] = {}
        for item in fields:
            by_key.setdefault(str(item["custom_id"]).lower(), item["custom_id"])
            if item.get("label"):
                by_key.setdefault(str(item["label"]).lower(), item["custom_id"])
        values: dict[str, str] = {}
        words = split_line(rest)
        for word in words:
            key, value = split_pair(word)
            field_id = by_key.get(key.lower()) if key is not None else None
            if field_id is None:
                if len(fields) == 1 and not values:
                    values[fields[0]["custom_id"]] = " ".join(words)  # the only field: the whole text
                    break
                ids = ", ".join(f["custom_id"] for f in fields)
                raise ActionError(f"give each field as FIELD=VALUE; this form's fields: {ids}")
            values[field_id] = value
        answer = await reply.submit_modal(values, by=self.member)
        self.render.open_form = None
        await self.settle()
        self.render.show_reply(answer)

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
        self.render.note(f"{rest.strip()} later: it is {clock.now():%Y-%m-%d %H:%M} UTC")

    def cmd_dms(self, _: str) -> None:
        messages = self.member.dms()
        if not messages:
            self.render.note(f"the bot has sent {self.member.name} no direct messages")
            return
        for message in messages:
            self.render.show_message(message, header="DM")

    def cmd_messages(self, rest: str) -> None:
        count = int(rest) if rest.isdigit() else 10
        messages = self.guild.bot_messages(self.channel)[-count:] if count else []
        if not messages:
            self.render.note(f"the bot has written nothing in #{self.channel}")
            return
        for message in messages:
            self.render.show_message(message, header=f"in #{self.channel}")

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
            self.render.note("the bot has no slash commands here")
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

    # ---- helpers

    def _check_live(self, control: Control, what: str) -> None:
        """The message may have changed since it was shown: say so plainly."""
        message = control.reply.message
        if message is None or message.deleted:
            raise ActionError(f"the message with {what} {control.label!r} is gone")
        wanted = control.component.get("custom_id")
        live = next((c for c in walk_components(message.components) if wanted and c.get("custom_id") == wanted), None)
        if live is None:
            raise ActionError(f"{what} {control.label!r} is no longer on its message (the bot changed it)")
        if live.get("disabled"):
            raise ActionError(f"{what} {control.label!r} is disabled")

    def _pick(self, controls: list[Control], which: str, what: str) -> Control:
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
        return [_permission_name(flag) for flag in missing_permissions(command, self.member.permissions)]

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


#: Discord's names for permissions whose API names read differently.
PERMISSION_NAMES = {
    "MANAGE_GUILD": "Manage Server",
    "MODERATE_MEMBERS": "Timeout Members",
    "MANAGE_GUILD_EXPRESSIONS": "Manage Expressions",
    "USE_VAD": "Use Voice Activity",
}


def _permission_name(flag: str) -> str:
    return PERMISSION_NAMES.get(flag, flag.replace("_", " ").title())


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
