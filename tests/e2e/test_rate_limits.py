"""Per-plugin rate limits from bot.toml, enforced by interactions.py's cooldowns."""

import pytest
from gk_toy_greeter.models import Greeting


@pytest.fixture
def gk_config():
    return {"plugins": {"greeter": {"cooldown": {"uses": 1, "per_seconds": 60}}}}


async def test_plugin_cooldown_from_bot_toml(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    alice = await guild.member("alice")
    assert "Hello, alice!" in (await alice.slash("greet")).content
    limited = await alice.slash("greet")
    assert limited.ephemeral
    assert limited.content in (
        "Slow down: you can use this command again in 60 s.",
        "Slow down: you can use this command again in 59 s.",
    )
    assert (await Greeting.get(guild_id=guild.id, user_id=alice.id)).count == 1
    bob = await guild.member("bob")
    assert "Hello, bob!" in (await bob.slash("greet")).content  # per member
    assert "Your timezone" in (await alice.slash("timezone")).content  # other plugins are not limited


async def test_cooldown_ends_when_the_test_clock_moves(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    alice = await guild.member("alice")
    await alice.slash("greet")
    assert "Slow down" in (await alice.slash("greet")).content
    gk.clock.advance(seconds=61)
    assert "greeting #2" in (await alice.slash("greet")).content
