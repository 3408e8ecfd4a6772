"""Fresh test databases: a SQLite file, or a PostgreSQL database created and dropped per test."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

POSTGRES_ENV = "GUILDKIT_TEST_POSTGRES_URL"
SKIP_REASON = f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgres://postgres@127.0.0.1:5432/test)"


def postgres_admin_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


@contextlib.asynccontextmanager
async def fresh_postgres(admin_url: str) -> AsyncIterator[str]:
    """Create an empty database next to ``admin_url``'s, yield its URL, drop it afterwards."""
    import asyncpg

    name = f"gk_test_{secrets.token_hex(6)}"
    dsn = admin_url.replace("postgres://", "postgresql://", 1)
    admin = await asyncpg.connect(dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield _with_database(admin_url, name)
    finally:
        admin = await asyncpg.connect(dsn)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@contextlib.asynccontextmanager
async def fresh_database(dialect: str, tmp_path: Path) -> AsyncIterator[str]:
    if dialect == "sqlite":
        yield f"sqlite://{tmp_path / 'guildkit-test.db'}"
        return
    admin_url = postgres_admin_url()
    if admin_url is None:
        import pytest

        pytest.skip(SKIP_REASON)
    async with fresh_postgres(admin_url) as url:
        yield url
