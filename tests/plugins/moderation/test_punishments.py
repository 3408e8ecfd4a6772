"""/timeout, /untimeout, /kick, /ban (temporary too), /softban, /unban; hierarchy refusals; DM
before the ban; expiry across a restart; a manual unban cancels the expiry."""

from datetime import timedelta

from guildkit.core.scheduler import ScheduledJob
from guildkit.plugins.moderation.models import Case, TempPunishment


async def cases_of(guild) -> list[Case]:
    return list(await Case.filter(guild_id=guild.id).order_by("number"))


async def test_timeout_and_untimeout(gk, mod_guild) -> None:
    g = await mod_guild()
    reply = await g.mod.slash("timeout", member=g.bob, duration="1h30m", reason="flooding")
    assert "timed out" in reply.content and "1 h 30 min" in reply.content
    assert abs(g.bob.timed_out_until - gk.clock.now() - timedelta(minutes=90)) < timedelta(seconds=5)
    too_long = await g.mod.slash("timeout", member=g.bob, duration="29d", reason="x")
    assert too_long.ephemeral and "28" in too_long.content
    bad = await g.mod.slash("timeout", member=g.bob, duration="soon", reason="x")
    assert bad.ephemeral
    lifted = await g.mod.slash("untimeout", member=g.bob, reason="calm now")
    assert "lifted the timeout" in lifted.content and g.bob.timed_out_until is None
    assert not await TempPunishment.exists(guild_id=g.guild.id)
    again = await g.mod.slash("untimeout", member=g.bob, reason="x")
    assert again.ephemeral and "not timed out" in again.content
    assert [c.kind for c in await cases_of(g.guild)] == ["timeout", "untimeout"]


async def test_kick_dms_first(gk, mod_guild) -> None:
    g = await mod_guild()
    reply = await g.mod.slash("kick", member=g.bob, reason="bye")
    assert "kicked" in reply.content and not g.bob.in_guild
    assert "You were kicked" in g.bob.dms()[-1].content


async def test_dm_goes_out_before_the_ban_and_closed_dms_are_recorded(gk, mod_guild) -> None:
    g = await mod_guild()
    await g.mod.slash("ban", user=g.bob, reason="raiding", delete_messages="1 day")
    order = [
        (r.method, r.path)
        for r in gk.emulator.requests
        if (r.method == "POST" and "/messages" in r.path and "mod" not in r.path) or "/bans/" in r.path
    ]
    dm_index = next(i for i, (m, p) in enumerate(order) if m == "POST")
    ban_index = next(i for i, (m, p) in enumerate(order) if m == "PUT" and "/bans/" in p)
    assert dm_index < ban_index
    assert g.bob.id in g.guild.bans
    [ban] = gk.emulator.requests_to("PUT /guilds/{g}/bans/{u}")
    assert ban.json["delete_message_seconds"] == 86400
    carol = await g.guild.member("carol")
    carol.close_dms()
    reply = await g.mod.slash("ban", user=carol, reason="raiding too")
    assert "DMs are closed" in reply.content
    case = (await cases_of(g.guild))[-1]
    assert case.status == "done" and case.dm == "refused"


async def test_hierarchy_refusals(gk, mod_guild) -> None:
    g = await mod_guild()
    senior = g.guild.add_role("Senior")  # added right below the bot: above Mods
    boss = await g.guild.member("boss", roles=[senior])
    peer = await g.guild.member("peer", roles=[g.guild.role("Mods")])
    expectations = [
        (boss, "at or above your top role"),
        (peer, "at or above your top role"),
        (g.mod, "yourself"),
        (g.guild.owner, "server owner"),
        (g.guild.bot, "myself"),
    ]
    for target, words in expectations:
        reply = await g.mod.slash("kick", member=target, reason="test")
        assert reply.ephemeral and words in reply.content.replace("I do not act on myself", "myself"), reply.content
    # The owner outranks everyone, but nobody outranks the bot's own role from the bot's side.
    top = g.guild.add_role("Top", position=g.guild.bot_role.position + 1)
    high = await g.guild.member("high", roles=[top])
    reply = await g.guild.owner.slash("ban", user=high, reason="x")
    assert reply.ephemeral and "the bot's top role" in reply.content
    admin_role = g.guild.add_role("Admins", ["ADMINISTRATOR"], position=1)
    admin = await g.guild.member("admin", roles=[admin_role])
    reply = await g.guild.owner.slash("timeout", member=admin, duration="1h", reason="x")
    assert reply.ephemeral and "administrator" in reply.content
    assert await cases_of(g.guild) == []  # a refusal takes no case number


async def test_discord_refusal_marks_the_case_failed(gk, mod_guild) -> None:
    g = await mod_guild()
    await g.guild.bot_role.edit(permissions=0)  # the bot lost Ban Members
    reply = await g.mod.slash("ban", user=g.bob, reason="x")
    assert "Discord refused" in reply.content
    [case] = await cases_of(g.guild)
    assert case.status == "failed" and "Missing Permissions" in (case.failure or "")


async def test_softban_and_unban(gk, mod_guild) -> None:
    g = await mod_guild()
    await g.bob.say("spam spam")
    reply = await g.mod.slash("softban", member=g.bob, reason="spam")
    assert "softbanned" in reply.content
    assert not g.bob.in_guild and g.bob.id not in g.guild.bans
    assert [m for m in g.guild.messages() if m.author_id == g.bob.id] == []
    await g.mod.slash("ban", user=g.bob, reason="again")
    reply = await g.mod.slash("unban", user=g.bob, reason="appeal accepted")
    assert "unbanned" in reply.content and g.bob.id not in g.guild.bans
    again = await g.mod.slash("unban", user=g.bob, reason="x")
    assert again.ephemeral and "not banned" in again.content


async def test_tempban_ends_after_a_restart_exactly_once(gk, mod_guild) -> None:
    g = await mod_guild()
    reply = await g.mod.slash("ban", user=g.bob, reason="cool off", duration="2d")
    assert "for 2 d" in reply.content and g.bob.id in g.guild.bans
    await gk.restart()
    gk.clock.advance(days=2, minutes=1)

    async def lifted() -> bool:
        # The expiry job unbans, records the case, then drops the running punishment: wait for all.
        return (
            g.bob.id not in g.guild.bans
            and await Case.filter(guild_id=g.guild.id, kind="unban").exists()
            and not await TempPunishment.exists(guild_id=g.guild.id)
        )

    from guildkit.core.testing.harness import eventually

    await eventually(lifted, within=10)
    await gk.bot.scheduler.run_due()
    unbans = await Case.filter(guild_id=g.guild.id, kind="unban")
    assert len(unbans) == 1 and unbans[0].source == "expiry" and unbans[0].cause_number == 1
    assert not await TempPunishment.exists(guild_id=g.guild.id)


async def test_manual_unban_cancels_the_expiry_so_a_later_permanent_ban_stays(gk, mod_guild) -> None:
    g = await mod_guild()
    await g.mod.slash("ban", user=g.bob, reason="cool off", duration="1d")
    await g.guild.unban(g.bob, reason="changed my mind", by=g.mod)  # in Discord's own UI

    from guildkit.core.testing.harness import eventually

    async def recorded_and_cancelled() -> bool:
        recorded = await Case.filter(guild_id=g.guild.id, kind="unban", source="manual").exists()
        pending = await ScheduledJob.filter(plugin="moderation", kind="expire", status="pending").exists()
        return recorded and not pending

    await eventually(recorded_and_cancelled)
    await g.mod.slash("ban", user=g.bob, reason="for good")
    gk.clock.advance(days=2)
    await gk.bot.scheduler.run_due()
    assert g.bob.id in g.guild.bans
    kinds = [c.kind for c in await cases_of(g.guild)]
    assert kinds == ["ban", "unban", "ban"]
