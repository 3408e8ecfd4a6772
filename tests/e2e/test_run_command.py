"""`guildkit run` as an operator runs it: a process, a bot.toml, Ctrl-C to stop."""

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest


@pytest.mark.gk_sqlite_only
async def test_run_connects_answers_and_stops_cleanly_on_ctrl_c(gk_emulator, gk_dialect, tmp_path: Path) -> None:
    (tmp_path / "bot.toml").write_text(
        f'[bot]\napi_base = "{gk_emulator.api_base}"\n\n[database]\nurl = "sqlite://bot.db"\n'
    )
    guild = gk_emulator.create_guild("Ops")
    env = {**os.environ, "DISCORD_TOKEN": gk_emulator.token}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "guildkit.core.cli",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        ready_line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
        assert b"guildkit is running" in ready_line
        alice = await guild.member("alice")
        reply = await alice.slash("timezone")
        assert "Your timezone is **UTC**" in reply.content
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode in (0, 130)
    assert b"Traceback" not in stderr, stderr.decode()
    assert (tmp_path / "bot.db").exists()
