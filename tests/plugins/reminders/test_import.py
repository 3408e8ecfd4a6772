"""guildkit import reminders FILE.json [--dry-run]: validation first, a report, idempotence, a
backup of the file, and a bad file refused with the record and the reason, writing nothing."""

from __future__ import annotations

import asyncio
import json
import os
import sys

from guildkit.core.config import parse_config
from guildkit.core.models import ScheduledJob
from guildkit.core.runtime import Runtime
from guildkit.plugins.reminders.models import Watch, WatchReaction

LEGACY = {
    "events": [
        {
            "guild_id": 111,
            "channel_id": 222,
            "message_id": 333,
            "title": "Weekly meeting",
            "interval_minutes": 1440,
            "required_reactions": ["✅", "❌"],
            "is_paused": False,
            "last_reminder": "2025-03-01T10:00:00+00:00",
            "reactions": [
                {"user_id": 501, "emoji": "✅", "reacted_at": "2025-03-01T09:00:00+00:00"},
                {"user_id": 502, "emoji": "❌"},
            ],
        },
        {
            "guild_id": 111,
            "channel_id": 222,
            "message_id": 334,
            "title": "Raid signup",
            "interval_minutes": 60,
            "required_reactions": [],
            "is_paused": True,
            "last_reminder": None,
            "reactions": [],
        },
    ]
}


async def guildkit(tmp_path, database_url: str, *args: str) -> tuple[int, str]:
    config = tmp_path / "bot.toml"
    config.write_text(f'[database]\nurl = "{database_url}"\n')
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from guildkit.core.cli import main; main()",
        *args,
        "--config",
        str(config),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, "COLUMNS": "200"},
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode or 0, out.decode()


async def counts(database_url: str) -> tuple[int, int, int]:
    check = Runtime(parse_config({"database": {"url": database_url}}))
    await check.open_database()
    try:
        return (
            await Watch.all().count(),
            await WatchReaction.all().count(),
            await ScheduledJob.filter(plugin="reminders").count(),
        )
    finally:
        await check.close_database()


async def test_dry_run_then_import_then_again_changes_nothing(gk_database_url, tmp_path) -> None:
    file = tmp_path / "events.json"
    file.write_text(json.dumps(LEGACY))
    code, out = await guildkit(tmp_path, gk_database_url, "import", "reminders", str(file), "--dry-run")
    assert code == 0, out
    assert "2 record(s)" in out and "dry run" in out
    assert await counts(gk_database_url) == (0, 0, 0)
    assert list(tmp_path.glob("events.json.*.bak")) == []

    code, out = await guildkit(tmp_path, gk_database_url, "import", "reminders", str(file))
    assert code == 0, out
    assert "2 created" in out
    assert await counts(gk_database_url) == (2, 2, 1)  # the paused one has no job
    [backup] = tmp_path.glob("events.json.*.bak")
    assert json.loads(backup.read_text()) == LEGACY

    code, out = await guildkit(tmp_path, gk_database_url, "reminders", "import", str(file))
    assert code == 0, out
    assert "Nothing to do" in out
    assert await counts(gk_database_url) == (2, 2, 1)
    assert len(list(tmp_path.glob("events.json.*.bak"))) == 1

    check = Runtime(parse_config({"database": {"url": gk_database_url}}))
    await check.open_database()
    try:
        meeting = await Watch.get(message_id=333)
        assert meeting.required_emojis == ["✅", "❌"] and meeting.interval_minutes == 1440
        assert (await Watch.get(message_id=334)).paused
    finally:
        await check.close_database()


async def test_a_bad_file_is_refused_with_the_record_and_reason(gk_database_url, tmp_path) -> None:
    broken = json.loads(json.dumps(LEGACY))
    broken["events"][1]["interval_minutes"] = 0
    file = tmp_path / "events.json"
    file.write_text(json.dumps(broken))
    code, out = await guildkit(tmp_path, gk_database_url, "import", "reminders", str(file))
    assert code == 1
    assert "events[1] (message 334)" in out and "interval_minutes" in out and "Nothing was imported" in out
    assert await counts(gk_database_url) == (0, 0, 0)
    file.write_text("{not json")
    code, out = await guildkit(tmp_path, gk_database_url, "import", "reminders", str(file))
    assert code == 1 and "not JSON" in out
