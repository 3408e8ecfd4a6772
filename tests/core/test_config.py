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


def test_shard_ids_take_part_of_the_total() -> None:
    config = parse_config({"bot": {"shards": 8, "shard_ids": [4, 5, 6, 7]}})
    assert config.bot.shards == 8 and config.bot.shard_ids == [4, 5, 6, 7]


@pytest.mark.parametrize(
    ("bot", "message"),
    [
        ({"shards": 4, "shard_ids": [0, 4]}, r"`bot\.shard_ids`: ids run from 0 to 3 with `bot\.shards = 4` \(got 4\)"),
        ({"shards": 4, "shard_ids": [1, 1]}, r"`bot\.shard_ids`: each id once \(got 1 more than once\)"),
        ({"shards": 4, "shard_ids": [-1]}, r"`bot\.shard_ids`: ids run from 0 to 3"),
        ({"shards": "auto", "shard_ids": [0]}, r"`bot\.shard_ids` needs `bot\.shards` to be the total"),
        ({"shards": 0}, r"`bot\.shards`: must be at least 1"),
        ({"shards": 2, "shard_ids": "0"}, r"`bot\.shard_ids`"),
    ],
)
def test_bad_shard_ids_are_named(bot: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config({"bot": bot})


def test_owned_guilds_follow_discords_routing() -> None:
    from guildkit.core.runtime import Runtime

    runtime = Runtime(parse_config({"bot": {"shards": 3, "shard_ids": [1]}}))
    on_shard = {shard: (shard << 22) | 12345 for shard in range(3)}  # (id >> 22) % 3 == shard
    assert [runtime.owns_guild(guild_id) for guild_id in on_shard.values()] == [False, True, False]
    single = Runtime(parse_config({}))
    assert all(single.owns_guild(guild_id) for guild_id in on_shard.values())
    everything = Runtime(parse_config({"bot": {"shards": 3, "shard_ids": [2, 0, 1]}}))
    assert everything.owned_shards() is None and everything.owns_guild(on_shard[0])
