"""A database outage: members get a clear ephemeral answer, the log gets a start line, a count
a minute and an end line (no traceback per command), and the bot recovers by itself.

On PostgreSQL the outage is real: the test database stops accepting connections and the bot's
connections are terminated, then it is allowed again.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import pytest
from tortoise.exceptions import IntegrityError

from guildkit.core.models import SettingValue
from guildkit.core.outage import OUTAGE_MESSAGE, is_database_outage
from guildkit.core.testing.databases import postgres_admin_url


@pytest.fixture
def gk_plugins(greeter_plugin: Any) -> list[Any]:
    return [greeter_plugin]


async def _admin() -> asyncpg.Connection:
    url = postgres_admin_url()
    assert url is not None
    return await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))


async def _stop_access(name: str) -> None:
    admin = await _admin()
    try:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
    finally:
        await admin.close()


async def _allow_access(name: str) -> None:
    admin = await _admin()
    try:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    finally:
        await admin.close()


@pytest.mark.gk_postgres_only
async def test_postgres_outage_is_answered_logged_quietly_and_recovers(gk, caplog: Any) -> None:
    guild = await gk.guild(plugins=["greeter"])
    admin = await guild.member("ada", admin=True)
    assert "is now" in (await admin.slash("config set", plugin="greeter", key="greeting", value="Hi")).content
    gk.bot.outage.probe_every = 0.05
    name = urlsplit(gk.database_url).path.lstrip("/")
    caplog.set_level(logging.INFO)
    await _stop_access(name)
    try:
        for value in ("One", "Two", "Three"):
            reply = await admin.slash("config set", plugin="greeter", key="greeting", value=value)
            assert reply.ephemeral and reply.content == OUTAGE_MESSAGE
        gk.clock.advance(timedelta(seconds=61))
        reply = await admin.slash("config set", plugin="greeter", key="greeting", value="Four")
        assert reply.content == OUTAGE_MESSAGE
        warnings = [r.getMessage() for r in caplog.records if r.name == "guildkit.database"]
        assert len([w for w in warnings if w.startswith("the database is not reachable")]) == 1
        assert any(w.startswith("the database is still not reachable after 61 s") for w in warnings)
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "a traceback per command"
        assert not [r for r in caplog.records if r.exc_info], "a traceback per command"
    finally:
        await _allow_access(name)

    async with asyncio.timeout(10):
        while gk.bot.outage.active:  # noqa: ASYNC110 - the probe finds the database back by itself
            await asyncio.sleep(0.05)
    ended = [r.getMessage() for r in caplog.records if "reachable again" in r.getMessage()]
    assert len(ended) == 1 and "4 command(s) were refused" in ended[0]
    reply = await admin.slash("config set", plugin="greeter", key="greeting", value="Back")
    assert reply.content == "`greeter.greeting` is now **Back** for this server."
    stored = await SettingValue.filter(guild_id=guild.id, key="greeting").values_list("value", flat=True)
    assert stored == ['"Back"'] or stored == ["Back"]


@pytest.mark.gk_sqlite_only
async def test_connection_problems_are_outages_and_query_errors_are_not(gk, tmp_path: Any) -> None:
    guild = await gk.guild(plugins=["greeter"])
    # A SQLite file that cannot be opened is an outage.
    try:
        sqlite3.connect(tmp_path / "missing" / "dir" / "x.db")
    except sqlite3.OperationalError as error:
        assert is_database_outage(error)
    # A constraint violation is a bug in the query, not an outage.
    with pytest.raises(IntegrityError) as duplicate:
        await SettingValue.create(guild_id=guild.id, plugin="greeter", key="greeting", channel_id=0, value='"b"')
    assert not is_database_outage(duplicate.value)
    assert not is_database_outage(ValueError("bad input"))
