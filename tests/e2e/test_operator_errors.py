"""`guildkit run` against a Discord that refuses it: one clear line on stderr, no traceback, and
the documented exit code (docs/operations.md)."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

import pytest

from guildkit.core.errors import EXIT_DISCORD_UNREACHABLE, EXIT_INTENTS_DISALLOWED, EXIT_TOKEN_REJECTED, StartupError
from guildkit.core.plugin import Plugin
from guildkit.core.runtime import Runtime

PORTAL_STEPS = "your app -> Bot -> Privileged Gateway Intents"


async def _run(tmp_path: Path, api_base: str, token: str) -> tuple[int, list[str]]:
    (tmp_path / "bot.toml").write_text(f'[bot]\napi_base = "{api_base}"\n\n[database]\nurl = "sqlite://bot.db"\n')
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "guildkit.core.cli",
        "run",
        cwd=tmp_path,
        env={**os.environ, "DISCORD_TOKEN": token},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    text = stderr.decode()
    assert "Traceback" not in text, text
    assert " WARNING " not in text and " ERROR " not in text, text
    return process.returncode, [line for line in text.splitlines() if line.startswith("error:")]


@pytest.mark.gk_sqlite_only
async def test_rejected_token(gk_emulator, gk_dialect, tmp_path: Path) -> None:
    code, errors = await _run(tmp_path, gk_emulator.api_base, "not-the-token")
    assert code == EXIT_TOKEN_REJECTED
    assert len(errors) == 1 and "rejected the bot token (401 Unauthorized)" in errors[0]
    assert "Reset Token" in errors[0]


@pytest.mark.gk_sqlite_only
async def test_privileged_intent_not_switched_on(gk_emulator, gk_dialect, tmp_path: Path) -> None:
    gk_emulator.gateway.allowed_privileged_intents = 0
    code, errors = await _run(tmp_path, gk_emulator.api_base, gk_emulator.token)
    assert code == EXIT_INTENTS_DISALLOWED
    # Built-in plugins that also ask for it (moderation) are named after the core.
    assert len(errors) == 1 and re.search(r"GUILD_MEMBERS \(for the core[^)]*\)", errors[0])
    assert PORTAL_STEPS in errors[0]


@pytest.mark.gk_sqlite_only
async def test_unreachable_api(gk_emulator, gk_dialect, tmp_path: Path) -> None:
    code, errors = await _run(tmp_path, "http://127.0.0.1:9/api/v10", gk_emulator.token)
    assert code == EXIT_DISCORD_UNREACHABLE
    assert len(errors) == 1 and "could not reach Discord at http://127.0.0.1:9/api/v10" in errors[0]


@pytest.mark.gk_sqlite_only
async def test_unreachable_gateway(gk_emulator, gk_dialect, tmp_path: Path) -> None:
    gk_emulator.gateway.url = "ws://127.0.0.1:9/gateway"
    code, errors = await _run(tmp_path, gk_emulator.api_base, gk_emulator.token)
    assert code == EXIT_DISCORD_UNREACHABLE
    assert len(errors) == 1 and "could not reach Discord's gateway" in errors[0]


async def test_refused_intents_are_named_with_the_plugins_that_ask(gk) -> None:
    listener = Plugin(name="listener", version="0.1.0", description="Reads messages", intents=("MESSAGE_CONTENT",))
    gk.emulator.gateway.allowed_privileged_intents = 1 << 1  # members only: MESSAGE_CONTENT is off
    runtime = Runtime(gk.config(), extra_plugins=[*gk.extra_plugins, listener], database_url=gk.database_url)
    with pytest.raises(StartupError) as refused:
        await runtime.start(gk.emulator.token)
    assert refused.value.exit_code == EXIT_INTENTS_DISALLOWED
    message = str(refused.value)
    assert re.search(r"GUILD_MEMBERS \(for the core[^)]*\); MESSAGE_CONTENT \(for ", message)
    assert "plugin listener" in message.partition("MESSAGE_CONTENT")[2]
    assert PORTAL_STEPS in message
