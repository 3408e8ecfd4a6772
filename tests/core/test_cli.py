"""The guildkit command line, run as a user runs it: a subprocess in a folder with a bot.toml."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

GUILDKIT = [sys.executable, "-m", "guildkit.core.cli"]


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "GUILDKIT_DATABASE_URL")}
    environment.update(env)
    return subprocess.run([*GUILDKIT, *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=120)


def test_run_without_token_explains_and_points_to_playground(tmp_path: Path) -> None:
    result = run(["run"], tmp_path)
    assert result.returncode == 1
    assert "No Discord bot token" in result.stderr
    assert "DISCORD_TOKEN" in result.stderr and "guildkit playground" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "data").exists()  # nothing was created


def test_unreachable_database_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "bot.toml").write_text('[database]\nurl = "postgres://postgres@127.0.0.1:9/nowhere"\n')
    result = run(["migrate"], tmp_path)
    assert result.returncode == 1
    assert "cannot reach the database (PostgreSQL 127.0.0.1:9/nowhere)" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_bot_toml_names_the_key(tmp_path: Path) -> None:
    (tmp_path / "bot.toml").write_text('[bot]\ncommand_scope = "galaxy"\n')
    result = run(["migrate"], tmp_path)
    assert result.returncode == 1
    assert "`bot.command_scope`" in result.stderr and "Traceback" not in result.stderr


def test_unknown_plugin_in_bot_toml(tmp_path: Path) -> None:
    (tmp_path / "bot.toml").write_text('[plugins]\nload = ["karaoke"]\n')
    result = run(["migrate"], tmp_path)
    assert result.returncode == 1
    assert "karaoke" in result.stderr and "not installed" in result.stderr


def test_migrate_then_plugins_list_on_a_new_sqlite_file(tmp_path: Path) -> None:
    first = run(["migrate"], tmp_path)
    assert first.returncode == 0, first.stderr
    assert "applied core" in first.stdout
    assert (tmp_path / "data" / "guildkit.db").exists()
    assert "up to date" in run(["migrate"], tmp_path).stdout
    listed = run(["plugins", "list"], tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "guildkit plugins" in listed.stdout


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["run"],
        ["migrate"],
        ["makemigrations"],
        ["plugins", "list"],
        ["backup"],
        ["restore"],
        ["health"],
        ["optimize"],
        ["retention"],
        ["purge-plugin"],
        ["playground"],
    ],
)
def test_every_command_has_help(tmp_path: Path, command: list[str]) -> None:
    result = run([*command, "--help"], tmp_path)
    assert result.returncode == 0 and "Usage" in result.stdout


def test_makemigrations_unknown_plugin(tmp_path: Path) -> None:
    result = run(["makemigrations", "karaoke"], tmp_path)
    assert result.returncode == 1 and "no installed plugin is called 'karaoke'" in result.stderr


def test_health_backup_and_restore_from_the_command_line(tmp_path: Path) -> None:
    import json

    assert run(["migrate"], tmp_path).returncode == 0
    healthy = run(["health", "--json"], tmp_path)
    assert healthy.returncode == 0, healthy.stderr
    report = json.loads(healthy.stdout)
    assert report["healthy"] and {c["name"] for c in report["checks"]} >= {"database", "migrations", "integrity"}

    made = run(["backup"], tmp_path)
    assert made.returncode == 0 and "backup written" in made.stdout
    [backup_file] = (tmp_path / "backups").iterdir()

    refused = subprocess.run(
        [*GUILDKIT, "restore", str(backup_file)], cwd=tmp_path, input="n\n", capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 1 and "Nothing was restored" in refused.stderr
    restored = run(["restore", str(backup_file), "--yes"], tmp_path)
    assert restored.returncode == 0 and "restored" in restored.stdout

    dry = run(["retention", "--dry-run"], tmp_path)
    assert dry.returncode == 0 and "command_usage" in dry.stdout and "dry run" in dry.stdout


def test_health_of_an_unreachable_database_fails(tmp_path: Path) -> None:
    import json

    (tmp_path / "bot.toml").write_text('[database]\nurl = "postgres://postgres@127.0.0.1:9/nowhere"\n')
    result = run(["health", "--json"], tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout)["healthy"] is False
    assert "Traceback" not in result.stderr
