"""Plugin commands per guild on Discord, within Discord's daily quota of command creates.

With ``command_scope = "guild"`` a plugin's slash commands are registered in the guilds where it
is on. Discord allows 200 command *creates* per guild per day, and a bulk overwrite that adds a
command not registered at that moment is a create, even one removed earlier that day. So:

- **Diff before writing.** One GET per sync; the bulk overwrite (PUT) is sent only when the
  wanted set differs from what Discord has, compared by name and with the library's own
  ``sync_needed``. Ids are matched by name, so nothing is re-sent after a restart.
- **A grace period.** A disabled plugin's commands stay registered for
  ``bot.command_removal_grace_hours`` (the gate answers "disabled here"); switching it back on
  within it creates nothing. The ``remove_commands`` core job removes them after it.
- **Creates are counted** per guild per UTC day in ``gk_command_sync``, so a restart does not
  forget. A plugin whose new commands do not fit today's remaining quota is not sent: it stays
  on (its listeners, jobs and hooks run) and its commands are *pending*; the ``sync_commands``
  core job (one per guild) finishes the sync when the next day starts. A sync Discord refuses
  (30034 or any other error) is pending the same way, with the reason stored for the admin.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import interactions
from interactions import errors as ipy_errors
from tortoise.exceptions import IntegrityError

from guildkit.core import clock, ipy
from guildkit.core.errors import report_unexpected
from guildkit.core.models import CommandSyncState, FeatureFlag
from guildkit.core.scheduler import CORE, JobContext, JobKind, RetryLater

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

log = logging.getLogger("guildkit.commands")

GLOBAL_SCOPE = 0
#: Discord's limit of application command creates per guild per day.
DAILY_COMMAND_CREATES = 200
#: Discord's error code for "Max number of daily application command creates has been reached".
QUOTA_EXCEEDED = 30034
#: When Discord refused a sync for another reason (a 5xx, a timeout...), the next try.
RETRY_AFTER_ERROR = timedelta(minutes=10)
#: Guilds synced at once at startup; each sync is one GET and at most one PUT.
STARTUP_SYNC_CONCURRENCY = 5

CommandKey = tuple[str, int]


def sync_key(guild_id: int) -> str:
    """The scheduler key of a guild's retry job: at most one per guild."""
    return f"core:sync_commands:{guild_id}"


def removal_key(guild_id: int) -> str:
    return f"core:remove_commands:{guild_id}"


def next_quota_day(now: datetime) -> datetime:
    """Midnight UTC after ``now``: when Discord's daily count of creates starts again."""
    today = now.astimezone(UTC).date()
    return datetime(today.year, today.month, today.day, tzinfo=UTC) + timedelta(days=1)


def _key(data: dict[str, Any]) -> CommandKey:
    return (str(data["name"]), int(data.get("type") or 1))


@dataclass(frozen=True)
class SyncOutcome:
    """What a sync of one guild left behind."""

    guild_id: int
    #: Plugins on in the guild whose commands Discord does not have yet.
    pending: tuple[str, ...] = ()
    #: When the retry job tries again (set when something is pending).
    retry_at: datetime | None = None
    #: Why the sync could not finish, in words for a server admin.
    reason: str | None = None
    #: Whether a bulk overwrite was sent.
    wrote: bool = False


@dataclass(frozen=True)
class PendingSync:
    """A guild's stored pending sync, as ``/plugins`` shows it."""

    plugins: tuple[str, ...]
    retry_at: datetime | None
    reason: str | None


class CommandSync:
    """Which plugin commands are registered in which guild, kept in step with Discord."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        #: plugin name -> its application commands
        self.by_plugin: dict[str, list[interactions.InteractionCommand]] = {}
        self._keys: dict[str, frozenset[CommandKey]] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        #: guild id -> the top-level commands Discord had there after the last GET or PUT.
        self._present: dict[int, set[CommandKey]] = {}

    @property
    def client(self) -> interactions.Client:
        assert self.runtime.client is not None
        return self.runtime.client

    @property
    def grace(self) -> timedelta:
        return timedelta(hours=self.runtime.config.bot.command_removal_grace_hours)

    def adopt(self, plugin: str, commands: list[interactions.InteractionCommand]) -> None:
        """Take ``commands`` out of the global scope; they go to guilds as the plugin is enabled."""
        self.by_plugin.setdefault(plugin, []).extend(commands)
        self._keys.pop(plugin, None)
        global_scope = self.client.interactions_by_scope.get(GLOBAL_SCOPE, {})
        for command in commands:
            global_scope.pop(command.resolved_name, None)
            command.scopes = []

    def plugin_keys(self, plugin: str) -> frozenset[CommandKey]:
        """The top-level commands (name, type) of a plugin: what Discord counts as creates."""
        if plugin not in self._keys:
            # Slash commands (and their subcommands) are type 1; context menus carry their type.
            self._keys[plugin] = frozenset(
                (str(command.name), int(getattr(command, "type", 1))) for command in self.by_plugin.get(plugin, [])
            )
        return self._keys[plugin]

    # -- placing commands in a guild scope --------------------------------------------------

    def _place(self, guild_id: int, plugins: set[str]) -> None:
        """Register in ``guild_id``'s scope exactly the commands of ``plugins``."""
        scope = self.client.interactions_by_scope.setdefault(guild_id, {})
        for plugin, commands in self.by_plugin.items():
            for command in commands:
                present = guild_id in command.scopes
                if plugin in plugins and not present:
                    command.scopes = [*command.scopes, guild_id]
                    scope[command.resolved_name] = command
                elif plugin not in plugins and present:
                    command.scopes = [s for s in command.scopes if s != guild_id]
                    scope.pop(command.resolved_name, None)
                    ipy.forget_command_id(command, guild_id)

    def forget_guild(self, guild_id: int) -> None:
        """The bot left ``guild_id``: drop its placement (its jobs are cancelled by the runtime)."""
        for commands in self.by_plugin.values():
            for command in commands:
                if guild_id in command.scopes:
                    command.scopes = [s for s in command.scopes if s != guild_id]
                    ipy.forget_command_id(command, guild_id)
        self.client.interactions_by_scope.pop(guild_id, None)
        self._present.pop(guild_id, None)

    # -- syncing ------------------------------------------------------------------------------

    async def sync_all(self, guild_ids: list[int]) -> None:
        """Startup: the global scope (core commands), then every guild, a few at a time."""
        try:
            await self.sync_scope(GLOBAL_SCOPE)
        except ipy_errors.HTTPException as error:
            log.warning("Discord refused the global commands: %s; they are retried at the next start", error)
        limit = asyncio.Semaphore(STARTUP_SYNC_CONCURRENCY)

        async def one(guild_id: int) -> None:
            async with limit:
                try:
                    await self.sync_guild(guild_id)
                except Exception as error:  # one guild must not keep the bot from starting
                    report_unexpected(error, f"syncing the commands of guild {guild_id}")

        await asyncio.gather(*(one(guild_id) for guild_id in guild_ids))

    async def sync_scope(self, scope: int) -> bool:
        """Make Discord's commands in ``scope`` those placed there: one GET, and one PUT only when
        they differ. Returns whether a PUT was sent. Raises the library's HTTP errors."""
        client = self.client
        remote = await client.http.get_application_commands(client.app.id, scope)
        return await self._write_if_different(scope, remote)

    async def _write_if_different(self, scope: int, remote: list[dict[str, Any]]) -> bool:
        client = self.client
        placed = client.interactions_by_scope.get(scope, {})
        local = interactions.application_commands_to_dict({scope: placed}, client).get(scope, [])
        remote_by_key = {_key(data): data for data in remote}
        same = len(local) == len(remote_by_key) and all(
            not interactions.sync_needed(data, remote_by_key.get(_key(data))) for data in local
        )
        if same:
            self._remember_ids(scope, remote)
            return False
        log.info("overwriting the commands of scope %s with %d command(s)", scope, len(local))
        response = await client.http.overwrite_application_commands(client.app.id, local, scope)
        self._remember_ids(scope, response)
        return True

    def _remember_ids(self, scope: int, commands: list[dict[str, Any]]) -> None:
        """Give each placed command the id Discord has for it, matched by name: a command is
        dispatched by its id, and a later diff needs no PUT to learn it."""
        ids = {str(data["name"]): data["id"] for data in commands}
        for command in list(self.client.interactions_by_scope.get(scope, {}).values()):
            if (command_id := ids.get(str(command.name))) is not None:
                self.client.update_command_cache(scope, command.resolved_name, command_id)

    async def sync_guild(self, guild_id: int) -> SyncOutcome:
        """Bring ``guild_id``'s commands on Discord in line with its plugins, within the quota."""
        lock = self._locks.setdefault(guild_id, asyncio.Lock())
        async with lock:
            return await self._sync_guild(guild_id)

    async def _sync_guild(self, guild_id: int) -> SyncOutcome:
        client = self.client
        now = clock.now()
        enabled = await self.runtime.flags.enabled_plugins(guild_id)
        in_grace = await self.disabled_within_grace(guild_id)
        try:
            remote = await client.http.get_application_commands(client.app.id, guild_id)
        except ipy_errors.Forbidden:
            log.warning("guild %s did not grant the applications.commands scope", guild_id)
            return SyncOutcome(guild_id)
        except ipy_errors.HTTPException as error:
            known = self._present.get(guild_id, set())
            waiting = [p for p in sorted(enabled & set(self.by_plugin)) if not self.plugin_keys(p) <= known]
            return await self._record(guild_id, waiting, now + RETRY_AFTER_ERROR, _refusal(error))
        present = {_key(data) for data in remote}
        self._present[guild_id] = present

        keep: set[str] = set()
        new: dict[str, int] = {}  # plugin -> creates its commands cost
        for plugin in sorted(self.by_plugin):
            keys = self.plugin_keys(plugin)
            if plugin in enabled:
                if keys <= present:
                    keep.add(plugin)
                else:
                    new[plugin] = len(keys - present)
            elif plugin in in_grace and keys <= present:
                keep.add(plugin)  # disabled recently: kept, gated, until the grace ends

        room = DAILY_COMMAND_CREATES - await self.creates_today(guild_id) if new else 0
        adding: list[str] = []
        waiting = []
        creates = 0
        for plugin, cost in new.items():
            if creates + cost <= room:
                adding.append(plugin)
                creates += cost
            else:
                waiting.append(plugin)

        self._place(guild_id, keep | set(adding))
        try:
            wrote = await self._write_if_different(guild_id, remote)
        except ipy_errors.Forbidden:
            log.warning("guild %s did not grant the applications.commands scope", guild_id)
            self._place(guild_id, keep)
            return SyncOutcome(guild_id)
        except ipy_errors.HTTPException as error:
            self._place(guild_id, keep)  # what Discord still has
            quota = error.code == QUOTA_EXCEEDED
            retry_at = next_quota_day(now) if quota else now + RETRY_AFTER_ERROR
            log.warning("Discord refused the commands of guild %s: %s", guild_id, error)
            return await self._record(
                guild_id, sorted([*adding, *waiting]), retry_at, _refusal(error), quota_exhausted=quota
            )
        if wrote:
            self._present[guild_id] = {key for plugin in keep | set(adding) for key in self.plugin_keys(plugin)}
        reason = _QUOTA_REASON if waiting else None
        return await self._record(
            guild_id, waiting, next_quota_day(now) if waiting else None, reason, creates=creates, wrote=wrote
        )

    async def disabled_within_grace(self, guild_id: int) -> dict[str, datetime]:
        """Plugins switched off in ``guild_id`` less than the grace period ago -> when."""
        if self.grace <= timedelta():
            return {}
        rows = await FeatureFlag.filter(
            guild_id=guild_id, enabled=False, name__in=list(self.by_plugin), changed_at__gt=clock.now() - self.grace
        ).values_list("name", "changed_at")
        return {str(name): changed_at for name, changed_at in rows}

    # -- the stored state ---------------------------------------------------------------------

    async def creates_today(self, guild_id: int) -> int:
        row = await CommandSyncState.get_or_none(guild_id=guild_id)
        if row is None or row.quota_day != clock.now().date():
            return 0
        return row.creates

    async def pending(self, guild_id: int) -> PendingSync | None:
        """The guild's pending sync, or None when Discord has every command it should."""
        row = await CommandSyncState.get_or_none(guild_id=guild_id)
        if row is None or not row.pending:
            return None
        return PendingSync(tuple(row.pending.split(",")), row.retry_at, row.reason)

    async def _record(
        self,
        guild_id: int,
        waiting: list[str],
        retry_at: datetime | None,
        reason: str | None,
        *,
        creates: int = 0,
        quota_exhausted: bool = False,
        wrote: bool = False,
    ) -> SyncOutcome:
        """Store today's creates and what is pending; schedule or cancel the retry job."""
        now = clock.now()
        today = now.date()
        row = await CommandSyncState.get_or_none(guild_id=guild_id)
        was_pending = row is not None and bool(row.pending)
        if row is None and (waiting or creates or quota_exhausted):
            try:
                row = await CommandSyncState.create(guild_id=guild_id, quota_day=today, creates=0, updated_at=now)
            except IntegrityError:  # another process sharing the database stored it first
                row = await CommandSyncState.get(guild_id=guild_id)
        if row is not None:
            if row.quota_day != today:
                row.quota_day, row.creates = today, 0
            row.creates = DAILY_COMMAND_CREATES if quota_exhausted else row.creates + creates
            row.pending = ",".join(waiting)
            row.retry_at = retry_at if waiting else None
            row.reason = reason if waiting else None
            row.updated_at = now
            await row.save()
        scheduler = self.runtime.scheduler
        if waiting:
            assert retry_at is not None
            await scheduler.schedule(CORE, "sync_commands", retry_at, guild_id=guild_id, key=sync_key(guild_id))
        elif was_pending:
            await scheduler.cancel(key=sync_key(guild_id))
        return SyncOutcome(guild_id, tuple(waiting), retry_at if waiting else None, reason if waiting else None, wrote)

    async def plugin_disabled(self, guild_id: int) -> None:
        """A plugin went off in ``guild_id``: its commands stay for the grace, then go."""
        if self.grace <= timedelta():
            await self.sync_guild(guild_id)
            return
        await self.runtime.scheduler.schedule(
            CORE, "remove_commands", clock.now() + self.grace, guild_id=guild_id, key=removal_key(guild_id)
        )


_QUOTA_REASON = f"Discord's daily limit of {DAILY_COMMAND_CREATES} new commands in this server is reached"


def _refusal(error: ipy_errors.HTTPException) -> str:
    if error.code == QUOTA_EXCEEDED:
        return _QUOTA_REASON
    code = f" (code {error.code})" if error.code else ""
    return f"Discord refused the command update: HTTP {error.status}{code}"


# -- the core's jobs --------------------------------------------------------------------------


async def _sync_commands(ctx: JobContext) -> None:
    """Finish a guild's pending sync; wait again while Discord's quota does not allow it."""
    assert ctx.guild_id is not None
    outcome = await ctx.runtime.commands.sync_guild(ctx.guild_id)
    if outcome.pending:
        assert outcome.retry_at is not None
        raise RetryLater(outcome.retry_at, outcome.reason or "commands still pending")


async def _remove_commands(ctx: JobContext) -> None:
    """Remove the commands of plugins whose grace ended; wait for the next one still in it."""
    assert ctx.guild_id is not None
    commands = ctx.runtime.commands
    await commands.sync_guild(ctx.guild_id)
    in_grace = await commands.disabled_within_grace(ctx.guild_id)
    if in_grace:
        raise RetryLater(min(in_grace.values()) + commands.grace, "disabled plugins still within the grace")


COMMAND_JOBS = (
    JobKind("sync_commands", _sync_commands, lease=timedelta(minutes=5)),
    JobKind("remove_commands", _remove_commands, lease=timedelta(minutes=5)),
)
