"""/warn, /warnings, /pardon, /note and escalation."""

import asyncio
from datetime import timedelta

import pytest

from guildkit.core.models import ScheduledJob
from guildkit.core.testing.emulator.driver import CommandNotPermitted
from guildkit.core.testing.harness import eventually
from guildkit.plugins.moderation.models import Case


async def cases_of(guild) -> list[Case]:
    return list(await Case.filter(guild_id=guild.id).order_by("number"))


async def test_warn_records_a_numbered_case_dms_the_member_and_posts_to_the_modlog(gk, mod_guild) -> None:
    g = await mod_guild()
    reply = await g.mod.slash("warn", member=g.bob, reason="spam in #general @everyone", points=2)
    assert "Case 1" in reply.content and "warned" in reply.content
    [case] = await cases_of(g.guild)
    assert (case.number, case.kind, case.target_id, case.moderator_id, case.points) == (
        1,
        "warn",
        g.bob.id,
        g.mod.id,
        2,
    )
    assert case.status == "done" and case.dm == "sent"
    assert "spam in #general" in g.bob.dms()[-1].content
    # The mod-log post is a job: the moderator's answer does not wait for it.
    [case] = await eventually(lambda: Case.filter(guild_id=g.guild.id, modlog_message_id__isnull=False))
    [posted] = g.guild.bot_messages(g.modlog)
    assert posted.embeds[0]["title"] == "Case 1 · Warning" and case.modlog_message_id == posted.id
    assert not posted.mention_everyone and posted.mention_ids == []
    second = await g.mod.slash("warn", member=g.bob, reason="again")
    assert "Case 2" in second.content


async def test_warnings_lists_active_and_expired_and_pardon_stops_counting(gk, mod_guild) -> None:
    g = await mod_guild(warning_expiry_days=30, escalation="none")
    await g.mod.slash("warn", member=g.bob, reason="old one")
    gk.clock.advance(days=31)
    await g.mod.slash("warn", member=g.bob, reason="new one", points=3)
    reply = await g.mod.slash("warnings", member=g.bob)
    embed = reply.embeds[0]
    assert "3 active points" in embed["description"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "new one" in fields["Active"] and "old one" in fields["Expired or pardoned"]
    pardoned = await g.mod.slash("pardon", case=2)
    assert "no longer count" in pardoned.content
    again = await g.mod.slash("warnings", member=g.bob)
    assert "0 active points" in again.embeds[0]["description"]
    twice = await g.mod.slash("pardon", case=2)
    assert twice.ephemeral and "already pardoned" in twice.content
    missing = await g.mod.slash("pardon", case=99)
    assert missing.ephemeral and "no case 99" in missing.content


async def test_note_is_private(gk, mod_guild) -> None:
    g = await mod_guild()
    reply = await g.mod.slash("note", member=g.bob, text="keeps arguing in voice")
    assert reply.ephemeral and "note added" in reply.content
    [case] = await cases_of(g.guild)
    assert case.kind == "note" and case.dm == "none"
    assert g.bob.dms() == []


async def test_members_without_the_moderator_level_are_refused(gk, mod_guild) -> None:
    g = await mod_guild()
    with pytest.raises(CommandNotPermitted):  # Discord hides it: default_member_permissions
        await g.bob.slash("warn", member=g.mod, reason="revenge")
    assert await cases_of(g.guild) == []


async def test_points_escalate_through_the_pipeline_and_link_to_the_warning(gk, mod_guild) -> None:
    g = await mod_guild(escalation="3=timeout:1h, 5=kick")
    await g.mod.slash("warn", member=g.bob, reason="one", points=2)
    assert g.bob.timed_out_until is None
    reply = await g.mod.slash("warn", member=g.bob, reason="two")
    assert "Escalation, case 3: timed out for 1 h" in reply.content
    cases = await cases_of(g.guild)
    assert [c.kind for c in cases] == ["warn", "warn", "timeout"]
    escalation = cases[2]
    assert escalation.cause_number == 2 and escalation.source == "escalation" and escalation.status == "done"
    assert g.bob.timed_out_until is not None
    assert abs((g.bob.timed_out_until - gk.clock.now()) - timedelta(hours=1)) < timedelta(seconds=5)
    reply = await g.mod.slash("warn", member=g.bob, reason="three", points=2)
    assert "kicked" in reply.content and not g.bob.in_guild


async def test_warnings_within_a_window_escalate(gk, mod_guild) -> None:
    g = await mod_guild(escalation="3/1d=timeout:10m")
    await g.mod.slash("warn", member=g.bob, reason="a")
    gk.clock.advance(days=2)
    await g.mod.slash("warn", member=g.bob, reason="b")
    second = await g.mod.slash("warn", member=g.bob, reason="c")
    assert "Escalation" not in second.content  # only 2 within a day: the first is older
    third = await g.mod.slash("warn", member=g.bob, reason="d")
    assert "Escalation" in third.content and "10 min" in third.content


async def test_fifty_concurrent_warnings_get_fifty_sequential_numbers(gk, mod_guild) -> None:
    g = await mod_guild(escalation="none")
    # Fifty mod-log posts would take Discord's pace (50 s) after the answers: not this test's.
    await gk.bot.settings.reset(g.guild.id, "moderation", "modlog_channel_id", channel_id=None, actor_id=None)
    raiders = [await g.guild.member(f"raider{i}") for i in range(50)]
    # Each warning also DMs its member: two paced REST calls at Discord's 50 per second, so the
    # last answers come seconds later, as they would on Discord.
    warnings = (g.mod.slash("warn", member=m, reason=f"w{i}", timeout=60) for i, m in enumerate(raiders))
    replies = await asyncio.gather(*warnings)
    assert all("Case" in r.content for r in replies)
    numbers = sorted(await Case.filter(guild_id=g.guild.id).values_list("number", flat=True))
    assert numbers == list(range(1, 51))


async def test_reasons_never_ping(gk, mod_guild) -> None:
    g = await mod_guild()
    await g.mod.slash("warn", member=g.bob, reason="<@&1> @everyone " + "x" * 400)
    await eventually(Case.filter(guild_id=g.guild.id, modlog_message_id__isnull=False).exists)
    carrying = []
    for request in gk.emulator.requests:
        body = request.json if isinstance(request.json, dict) else {}
        body = body.get("data", body) if isinstance(body.get("data"), dict) else body
        if "@everyone" in str(body.get("content", "")) + str(body.get("embeds", "")):
            carrying.append(body)
    assert len(carrying) >= 3  # the reply, the DM and the mod-log post
    assert all(body.get("allowed_mentions") == {"parse": []} for body in carrying)


async def test_a_warning_still_completes_when_discord_keeps_rate_limiting_its_posts(gk, mod_guild) -> None:
    """Discord answers every post in #mod-log, then every DM to the member, with 429 until
    interactions.py gives up: the case is recorded and the moderator answered, not shown an
    error; the case says the DM failed and keeps no mod-log message."""
    g = await mod_guild()
    modlog_posts = f"POST /channels/{g.modlog.id}/messages"
    refusing = gk.emulator.faults.rate_limit(modlog_posts, times=None, retry_after=0.01)
    reply = await g.mod.slash("warn", member=g.bob, reason="spam")
    assert "Case 1" in reply.content and "warned" in reply.content
    post_job = ScheduledJob.filter(key=f"moderation:modlog:{g.guild.id}:1", status="pending", attempts=1)
    await eventually(post_job.exists)  # interactions.py gave up after three 429s: a retry is due
    [case] = await cases_of(g.guild)
    assert case.status == "done" and case.dm == "sent" and case.modlog_message_id is None
    assert g.guild.bot_messages(g.modlog) == []
    # The post is not lost: once Discord takes posts again, the job's retry (30 s on) posts it.
    gk.emulator.faults.rules.remove(refusing)
    gk.clock.advance(seconds=31)
    await eventually(lambda: Case.filter(guild_id=g.guild.id, modlog_message_id__isnull=False).exists(), within=10)
    [posted] = g.guild.bot_messages(g.modlog)
    assert posted.embeds[0]["title"] == "Case 1 · Warning"

    dm_channel = gk.emulator.world.dm_channel(g.bob.id)
    gk.emulator.faults.rate_limit(f"POST /channels/{dm_channel.id}/messages", times=None, retry_after=0.01)
    second = await g.mod.slash("warn", member=g.bob, reason="more spam")
    assert "Case 2" in second.content and "warned" in second.content
    case = (await cases_of(g.guild))[-1]
    assert case.status == "done" and case.dm == "failed"
    assert not any("more spam" in m.content for m in g.bob.dms())
