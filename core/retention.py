"""The retention engine: every plugin's declared policies, applied in bounded batches.

Runs daily as a core job and on demand (``guildkit retention [--dry-run]``). Between batches it
yields to the event loop so the bot keeps answering while millions of rows are purged.
Also: purging a guild's data some time after the bot left it, and a departed plugin's tables.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from tortoise import Tortoise
from tortoise.expressions import Q, Subquery
from tortoise.models import Model
from tortoise.transactions import in_transaction

from guildkit.core import clock
from guildkit.core.durations import DurationError, parse_duration
from guildkit.core.errors import ConfigError
from guildkit.core.plugin import RetentionPolicy
from guildkit.core.scheduler import JobContext, JobKind

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

log = logging.getLogger("guildkit.retention")


CORE_POLICIES = (
    RetentionPolicy(
        name="command_usage",
        model="CommandUsageHour",
        time_field="hour",
        keep=timedelta(days=90),
        description="hourly command usage statistics",
    ),
    RetentionPolicy(
        name="finished_jobs",
        model="ScheduledJob",
        time_field="finished_at",
        keep=timedelta(days=30),
        only={"status__in": ("done", "failed", "skipped")},
        description="finished scheduled jobs",
    ),
    RetentionPolicy(
        name="audit_log",
        model="AuditLog",
        time_field="at",
        keep=None,
        action="keep",
        description="who switched plugins and changed settings",
    ),
)


@dataclass(frozen=True)
class BoundPolicy:
    owner: str
    policy: RetentionPolicy
    model: type[Model]
    keep: timedelta | None


@dataclass(frozen=True)
class PolicyResult:
    owner: str
    policy: str
    table: str
    action: str
    keep: timedelta | None
    cutoff: datetime | None
    rows: int


class RetentionEngine:
    def __init__(self, runtime: Runtime, *, batch_size: int = 5000) -> None:
        self.runtime = runtime
        self.batch_size = batch_size

    def bound_policies(self) -> list[BoundPolicy]:
        """Every policy with its model class and effective duration (bot.toml overrides)."""
        bound = [BoundPolicy("core", p, Tortoise.apps["core"][p.model], p.keep) for p in CORE_POLICIES]
        for plugin in self.runtime.plugins:
            overrides = self.runtime.config.plugins.plugin(plugin.name).retention
            unknown = set(overrides) - {p.name for p in plugin.retention}
            if unknown:
                raise ConfigError(f"bot.toml: plugins.{plugin.name}.retention has no policy {sorted(unknown)[0]!r}")
            for policy in plugin.retention:
                keep = policy.keep
                if policy.name in overrides:
                    if policy.action == "keep":
                        raise ConfigError(f"bot.toml: plugins.{plugin.name}.retention.{policy.name} is kept forever")
                    try:
                        keep = parse_duration(overrides[policy.name])
                    except DurationError as error:
                        raise ConfigError(f"bot.toml: plugins.{plugin.name}.retention.{policy.name}: {error}") from None
                model = Tortoise.apps[plugin.app_label][policy.model]
                bound.append(BoundPolicy(plugin.name, policy, model, keep))
        return bound

    async def run(self, *, dry_run: bool = False) -> list[PolicyResult]:
        now = clock.now()
        results = []
        for item in self.bound_policies():
            policy = item.policy
            if policy.action == "keep" or item.keep is None:
                results.append(
                    PolicyResult(item.owner, policy.name, item.model._meta.db_table, policy.action, None, None, 0)
                )
                continue
            cutoff = now - item.keep
            expired = self._expired(item, cutoff)
            rows = await expired.count() if dry_run else await self._apply(item, cutoff)
            if rows and not dry_run:
                log.info(
                    "retention %s.%s: %s %d row(s) older than %s",
                    item.owner,
                    policy.name,
                    policy.action,
                    rows,
                    cutoff.isoformat(),
                )
            results.append(
                PolicyResult(item.owner, policy.name, item.model._meta.db_table, policy.action, item.keep, cutoff, rows)
            )
        return results

    def _expired(self, item: BoundPolicy, cutoff: datetime) -> Any:
        query = item.model.filter(**{f"{item.policy.time_field}__lt": cutoff}, **item.policy.only)
        if item.policy.action == "anonymise":
            # Rows already anonymised are done; without this the loop would find them again.
            not_done = Q(*[Q(**{f"{name}__isnull": False}) for name in item.policy.anonymise_fields], join_type="OR")
            query = query.filter(not_done)
        return query

    async def _apply(self, item: BoundPolicy, cutoff: datetime) -> int:
        policy, model = item.policy, item.model
        pk = model._meta.pk_attr
        total = 0
        while True:
            batch = self._expired(item, cutoff).order_by(pk).limit(self.batch_size)
            async with in_transaction(self.runtime.database.connection_name) as conn:
                if policy.action == "delete":
                    done = await model.filter(**{f"{pk}__in": Subquery(batch.values(pk))}).using_db(conn).delete()
                elif policy.action == "anonymise":
                    ids = await batch.using_db(conn).values_list(pk, flat=True)
                    done = (
                        await model.filter(**{f"{pk}__in": ids})
                        .using_db(conn)
                        .update(**dict.fromkeys(policy.anonymise_fields))
                        if ids
                        else 0
                    )
                else:  # aggregate, then delete, in one transaction
                    rows = await batch.using_db(conn)
                    if rows:
                        assert policy.aggregate is not None
                        await policy.aggregate(rows)
                        done = (
                            await model.filter(**{f"{pk}__in": [getattr(r, pk) for r in rows]}).using_db(conn).delete()
                        )
                    else:
                        done = 0
            total += done
            if done < self.batch_size:
                return total
            await asyncio.sleep(0)  # let commands and events run between batches

    # -- guilds the bot left ------------------------------------------------------------------

    def guild_models(self) -> list[tuple[str, type[Model]]]:
        """Models with a guild_id column whose rows belong to a guild, except kept-forever ones."""
        kept = {(b.owner, b.model) for b in self.bound_policies() if b.policy.action == "keep"}
        found = []
        for label in ["core", *(p.app_label for p in self.runtime.plugins if p.models)]:
            for model in Tortoise.apps[label].values():
                if "guild_id" in model._meta.fields_map and (label, model) not in kept:
                    found.append((label, model))
        return found

    async def purge_guild(self, guild_id: int) -> dict[str, int]:
        removed: dict[str, int] = {}
        for label, model in self.guild_models():
            if model._meta.db_table == "gk_job":
                query = model.filter(guild_id=guild_id, status__in=("pending", "held", "done", "failed", "skipped"))
            else:
                query = model.filter(guild_id=guild_id)
            count = 0
            while True:
                pk = model._meta.pk_attr
                done = await model.filter(**{f"{pk}__in": Subquery(query.limit(self.batch_size).values(pk))}).delete()
                count += done
                if done < self.batch_size:
                    break
                await asyncio.sleep(0)
            if count:
                removed[f"{label}.{model.__name__}"] = count
        log.info("purged data of guild %s: %s", guild_id, removed or "nothing")
        return removed


# -- the core's scheduled jobs ----------------------------------------------------------------


async def _run_retention(ctx: JobContext) -> None:
    await ctx.runtime.retention.run()


async def _purge_guild(ctx: JobContext) -> None:
    assert ctx.guild_id is not None
    await ctx.runtime.retention.purge_guild(ctx.guild_id)


async def _backup(ctx: JobContext) -> None:
    from guildkit.core.ops import backup

    path = await backup(ctx.runtime)
    log.info("scheduled backup written to %s", path)


CORE_JOBS = (
    JobKind("retention", _run_retention, skip_if_late=timedelta(hours=12), lease=timedelta(hours=1)),
    JobKind("purge_guild", _purge_guild, lease=timedelta(hours=1)),
    JobKind("backup", _backup, skip_if_late=timedelta(hours=12), lease=timedelta(hours=1), max_attempts=3),
)


def purge_key(guild_id: int) -> str:
    return f"core:purge_guild:{guild_id}"
