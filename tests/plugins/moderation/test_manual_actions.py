"""Actions done in Discord's own UI become exactly one case with the real moderator and reason."""

from datetime import timedelta

from guildkit.core.testing.harness import eventually
from guildkit.plugins.moderation.models import Case


async def test_manual_ban_kick_and_timeout_become_one_case_each(gk, mod_guild) -> None:
    g = await mod_guild()
    carol = await g.guild.member("carol")
    dave = await g.guild.member("dave")
    await g.guild.ban(g.bob, reason="raid account", by=g.mod)
    await g.guild.kick(carol, reason="alt", by=g.mod)
    await dave.timeout(timedelta(hours=2), reason="cool down", by=g.mod)

    async def three() -> list[Case]:
        rows = list(await Case.filter(guild_id=g.guild.id).order_by("number"))
        return rows if len(rows) == 3 else []

    cases = await eventually(three, within=20)
    # The three events are handled concurrently: their numbers may come in any order.
    assert sorted((c.kind, c.target_id, c.moderator_id, c.reason, c.source) for c in cases) == [
        ("ban", g.bob.id, g.mod.id, "raid account", "manual"),
        ("kick", carol.id, g.mod.id, "alt", "manual"),
        ("timeout", dave.id, g.mod.id, "cool down", "manual"),
    ]
    [timeout] = [c for c in cases if c.kind == "timeout"]
    assert timeout.duration_seconds is not None and abs(timeout.duration_seconds - 7200) < 5

    async def posted() -> bool:
        return len(g.guild.bot_messages(g.modlog)) == 3

    await eventually(posted, within=20)
    await dave.timeout(None, by=g.mod)

    async def lifted() -> bool:
        return await Case.filter(guild_id=g.guild.id, kind="untimeout", target_id=dave.id, source="manual").exists()

    await eventually(lifted, within=20)
    assert await Case.filter(guild_id=g.guild.id).count() == 4


async def _kinds(guild, expected: list[str]) -> bool:
    kinds = list(await Case.filter(guild_id=guild.id).order_by("number").values_list("kind", flat=True))
    assert kinds == expected[: len(kinds)]  # never a case too many, never a wrong one
    return kinds == expected


async def test_the_bots_own_actions_are_not_logged_twice(gk, mod_guild) -> None:
    g = await mod_guild()
    await g.mod.slash("ban", user=g.bob, reason="x")
    carol = await g.guild.member("carol")
    await g.mod.slash("timeout", member=carol, duration="1h", reason="y")
    entries = g.guild.audit_log()
    assert [e.user_id for e in entries] == [gk.emulator.world.bot_user_id] * 2
    assert [e.reason for e in entries] == ["x", "y"]  # the reason reached the audit log
    await g.guild.kick(await g.guild.member("dave"), by=g.mod)  # a manual action after them
    await eventually(lambda: _kinds(g.guild, ["ban", "timeout", "kick"]))


async def test_a_raid_cleanup_posts_every_case_to_the_modlog_at_discords_pace(gk, mod_guild) -> None:
    # Eight bans by hand within a second: Discord takes five posts per five seconds in one
    # channel, so three cases wait for the channel's reset instead of being refused and lost.
    g = await mod_guild()
    raiders = [await g.guild.member(f"raider{n}") for n in range(8)]
    for raider in raiders:
        await g.guild.ban(raider, reason="raid", by=g.mod)

    async def all_posted() -> list[Case]:
        rows = list(await Case.filter(guild_id=g.guild.id, modlog_message_id__isnull=False))
        return rows if len(rows) == 8 else []

    cases = await eventually(all_posted, within=30)
    assert sorted(c.target_id for c in cases) == sorted(r.id for r in raiders)
    posted = {m.id for m in g.guild.bot_messages(g.modlog)}
    assert {c.modlog_message_id for c in cases} == posted and len(posted) == 8
    assert gk.emulator.route_rate_limited == 0
