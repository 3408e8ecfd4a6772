"""Setting the playground up: what was asked on the command line, the bot's configuration, the clock."""

from __future__ import annotations

import importlib
import logging
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from guildkit.core import clock
from guildkit.core.config import BotConfig, parse_config
from guildkit.core.errors import StartupError
from guildkit.core.plugin import Plugin

GUILD_NAME = "Playground"
CHANNELS = ("general", "random")
#: The voice channel the admin sits in when music plays from the emulated Lavalink node.
VOICE_CHANNEL = "Lounge"
ADMIN = "alice"
MEMBERS = ("bob", "carol")
DATABASE_FILE = "playground.db"


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


@dataclass
class PlaygroundOptions:
    """What ``guildkit playground`` was asked for on the command line."""

    config_path: Path | None = None
    database_url: str | None = None
    plugin_specs: Sequence[str] = ()
    verbose: bool = False


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


class DropMessage(logging.Filter):
    """Hides one known, harmless library warning that would open every session."""

    def __init__(self, fragment: str) -> None:
        super().__init__()
        self.fragment = fragment

    def filter(self, record: logging.LogRecord) -> bool:
        return self.fragment not in record.getMessage()


def describe_url(url: str) -> str:
    if url.startswith("sqlite://"):
        return url.removeprefix("sqlite://")
    return re.sub(r"//([^:/@]+):[^@/]*@", r"//\1:***@", url)  # no passwords on screen
