"""Errors a user may see, and the error-id reporting for the ones they must not."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

log = logging.getLogger("guildkit.errors")


class GuildkitError(Exception):
    """Base of guildkit's own exceptions."""


class ConfigError(GuildkitError):
    """bot.toml or the environment is wrong; the message names the key."""


class StartupError(GuildkitError):
    """The bot cannot start; the message says why and what to do. ``exit_code`` is what
    ``guildkit run`` exits with (the table in docs/operations.md)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


#: ``guildkit run`` exit codes beyond 0 (stopped) and 1 (any other error, bot.toml among them).
EXIT_TOKEN_REJECTED = 3
EXIT_INTENTS_DISALLOWED = 4
EXIT_DISCORD_UNREACHABLE = 5


class UserError(GuildkitError):
    """Bad input or a refused action. Its message is shown to the user, ephemeral, as is."""


class DomainError(UserError):
    """A refusal raised by a plugin's service, carrying data instead of Discord markup.

    Subclasses say what happened with attributes (``needed``, ``available``, ``until``...) and a
    plain-text ``str()`` fallback. The plugin's commands turn them into the member's reply: the
    plugin declares ``Plugin(describe_error=...)``, an async ``(ctx, error) -> str | None`` that
    formats money, timestamps and mentions; the core calls it for errors raised from the plugin's
    modules and falls back to ``str(error)``.
    """


class PluginDisabled(UserError):
    def __init__(self, plugin: str) -> None:
        self.plugin = plugin
        super().__init__(
            f"The **{plugin}** plugin is disabled in this server. "
            f"A server manager can turn it on with `/plugins enable {plugin}`."
        )


class MissingPermission(UserError):
    """The member lacks a permission the action needs."""


def new_error_id() -> str:
    return secrets.token_hex(4)


#: Set by the running bot: takes an error and where it happened, returns True when it was a
#: database outage it has counted (then no traceback is logged: the outage monitor said it once).
OutageSink = Callable[[BaseException, str], bool]
_outage_sink: OutageSink | None = None


def set_outage_sink(sink: OutageSink | None) -> None:
    global _outage_sink
    _outage_sink = sink


def report_unexpected(error: BaseException, where: str) -> str:
    """Log ``error`` with its traceback under a fresh id and return the id for the user.

    During a database outage background work (flushes, jobs, bookkeeping) fails over and over;
    those failures go to the outage monitor instead of the log, one line for all of them.
    """
    error_id = new_error_id()
    if _outage_sink is not None and _outage_sink(error, where):
        return error_id
    log.error("error_id=%s in %s: %s", error_id, where, error, exc_info=error)
    return error_id


def unexpected_error_message(error_id: str) -> str:
    return (
        f"Something went wrong on our side (error id `{error_id}`). Nothing was changed. "
        "The bot's operator can find the details in the log under that id."
    )
