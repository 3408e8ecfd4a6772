"""Command usage statistics through the real client."""

from guildkit.core.models import CommandUsage


async def test_usage_is_recorded_and_shown_to_admins(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    admin = await guild.member("ada", admin=True)
    await admin.slash("config set", plugin="greeter", key="max_greetings", value="2")
    for _ in range(3):
        await admin.slash("greet")  # the third one is refused: a failed use
    stats = await admin.slash("stats commands")
    assert stats.ephemeral
    assert "`/greet` — 3 use(s), 1 failed" in stats.text
    assert "`/config set` — 1 use(s), 0 failed" in stats.text

    rows = await CommandUsage.filter(command="greet").order_by("id")
    assert [r.success for r in rows] == [True, True, False]
    assert all(r.plugin == "greeter" and r.guild_id == guild.id and r.user_id == admin.id for r in rows)


async def test_buffered_usage_is_written_at_shutdown(gk) -> None:
    guild = await gk.guild(plugins=["greeter"])
    alice = await guild.member("alice")
    await alice.slash("greet")
    await alice.slash("timezone")
    await gk.stop()
    await gk.start()
    assert sorted(await CommandUsage.all().values_list("command", "plugin")) == [
        ("greet", "greeter"),
        ("timezone", "core"),
    ]
