"""bot.toml validation: every mistake names the key."""

from pathlib import Path

import pytest

from guildkit.core.config import load_config, parse_config
from guildkit.core.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bot.toml"
    path.write_text(text)
    return path


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "absent.toml")
    assert config.database.url == "sqlite://data/guildkit.db"
    assert config.bot.command_scope == "guild"


def test_unknown_key_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown key `database\.uri`"):
        load_config(write(tmp_path, '[database]\nuri = "sqlite://x.db"\n'))


def test_wrong_type_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"`cache\.ttl_seconds`"):
        load_config(write(tmp_path, '[cache]\nttl_seconds = "soon"\n'))


def test_bad_choice_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"`bot\.command_scope`"):
        load_config(write(tmp_path, '[bot]\ncommand_scope = "everywhere"\n'))


def test_unknown_key_inside_plugin_section(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown key `plugins\.greeter\.enabled`"):
        load_config(write(tmp_path, "[plugins.greeter]\nenabled = true\n"))


def test_not_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[bot\n"))


def test_environment_overrides_database_and_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUILDKIT_DATABASE_URL", "postgres://u@h:5432/db")
    monkeypatch.setenv("DISCORD_TOKEN", " abc ")
    config = parse_config({"database": {"url": "sqlite://x.db"}, "bot": {"token": "file-token"}})
    assert config.database_url == "postgres://u@h:5432/db"
    assert config.token == "abc"


def test_repository_bot_toml_is_valid() -> None:
    config = load_config(Path(__file__).parents[2] / "bot.toml")
    assert config.bot.command_scope in ("guild", "global")
