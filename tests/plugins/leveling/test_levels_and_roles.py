"""Level-ups: announcements, level roles (stacked and replacing), demotion, rejoin, curve recompute,
and the domain hooks other plugins implement."""

from guildkit.core.hookspecs import hookimpl
from guildkit.core.testing.harness import eventually
from guildkit.plugins.leveling.models import Member


class Recorder:
    """A real hook implementation, registered like another plugin's."""

    def __init__(self) -> None:
        self.levels: list[tuple[int, int, int]] = []
        self.awards: list[tuple[int, int, int]] = []

    @hookimpl
    def leveling_level_changed(self, user_id: int, old_level: int, new_level: int) -> None:
        self.levels.append((user_id, old_level, new_level))

    @hookimpl
    def leveling_xp_awarded(self, user_id: int, amount: int, total_xp: int) -> None:
        self.awards.append((user_id, amount, total_xp))


async def test_level_up_is_announced_and_fires_hooks_once(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    recorder = Recorder()
    gk.bot.hooks.register("recorder", recorder)
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    await lv.configure(guild, admin, xp_min=100, xp_max=100, cooldown_seconds=0)
    await lv.say(alice, "first")
    await lv.flush()
    assert recorder.levels == [(alice.id, 0, 1)]
    assert recorder.awards == [(alice.id, 100, 100)]
    await eventually(lambda: _has(guild, f"🎉 <@{alice.id}> reached level **1**!"))
    await lv.say(alice, "second")  # 200 XP: still level 1
    await lv.flush()
    assert recorder.levels == [(alice.id, 0, 1)]

    # Template, announcement channel, milestones only
    log = guild.add_channel("levels")
    await lv.configure(
        guild,
        admin,
        announce="channel",
        announce_channel_id=log.id,
        announce_every=2,
        level_up_message="{user} is {level} now",
    )
    await admin.slash("xp set", member=alice.id, amount=255)  # level 2
    await eventually(lambda: _has(guild, "alice is 2 now", log))
    await admin.slash("xp set", member=alice.id, amount=475)  # level 3: not a milestone
    await lv.flush()
    assert not [m for m in guild.bot_messages(log) if "is 3 now" in m.content]
    assert recorder.levels[-2:] == [(alice.id, 1, 2), (alice.id, 2, 3)]

    # DM, and silent
    await lv.configure(guild, admin, announce="dm", announce_every=1)
    await admin.slash("xp add", member=alice.id, amount=400)  # level 4
    await eventually(lambda: _true(any("is 4 now" in m.content for m in alice.dms())))
    await lv.configure(guild, admin, announce="off")
    before = _announcements(guild, log, alice)
    await admin.slash("xp add", member=alice.id, amount=1000)
    await lv.flush()
    assert _announcements(guild, log, alice) == before


async def test_level_roles_stack_replace_demote_and_come_back_on_rejoin(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    bronze = guild.add_role("Bronze")
    silver = guild.add_role("Silver")
    gold = guild.add_role("Gold")
    above = guild.add_role("Above", position=guild.bot_role.position + 1)
    await admin.slash("levelrole add", role=bronze.id, level=1)  # stacked
    await admin.slash("levelrole add", role=silver.id, level=2, stacked=False)
    await admin.slash("levelrole add", role=gold.id, level=3, stacked=False)
    refused = await admin.slash("levelrole add", role=above.id, level=5)
    assert refused.ephemeral and "must be above" in refused.content
    listing = await admin.slash("levelrole list")
    assert "Level 2: <@&" in listing.content and "replaces lower" in listing.content

    await admin.slash("xp set", member=alice.id, amount=255)  # level 2
    await eventually(lambda: _true(set(alice.role_names) >= {"Bronze", "Silver"}))
    await admin.slash("xp set", member=alice.id, amount=475)  # level 3: gold replaces silver
    await eventually(lambda: _true("Gold" in alice.role_names and "Silver" not in alice.role_names))
    assert "Bronze" in alice.role_names

    await admin.slash("xp remove", member=alice.id, amount=300)  # 175 XP: level 1
    await eventually(lambda: _true(alice.role_names == ["Bronze"]))

    await admin.slash("xp set", member=alice.id, amount=475)
    await eventually(lambda: _true("Gold" in alice.role_names))
    await alice.leave_guild()
    await eventually(lambda: _left(guild, alice))
    back = await guild.member("alice")
    await eventually(lambda: _true(set(back.role_names) == {"Bronze", "Gold"}))
    assert (await lv.row(guild, back)).left_at is None


async def test_curve_change_recomputes_levels_and_roles(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    recorder = Recorder()
    gk.bot.hooks.register("recorder", recorder)
    admin = await guild.member("ada", admin=True)
    members = [await guild.member(name) for name in ("m1", "m2", "m3")]
    role = guild.add_role("Five")
    for member, xp in zip(members, (100, 500, 1000), strict=True):
        await admin.slash("xp set", member=member.id, amount=xp)
    await admin.slash("levelrole add", role=role.id, level=5)
    levels = [(await lv.row(guild, m)).level for m in members]
    assert levels == [1, 3, 4]

    dry = await admin.slash("levels preview", curve="flat", base=100)  # level = xp // 100
    assert "2 member(s) would change level (2 up, 0 down)" in dry.content and "Nothing was changed" in dry.content
    assert [(await lv.row(guild, m)).level for m in members] == [1, 3, 4]
    bad = await admin.slash("levels preview", curve="flat", base=0)
    assert bad.ephemeral and "Use a base of 1" in bad.content

    recorder.levels.clear()
    await lv.configure(guild, admin, curve="flat", curve_base=100)
    await lv.flush()  # the first flush after the change notices it and recomputes in the background

    async def recomputed() -> bool:
        rows = await Member.filter(guild_id=guild.id, user_id__in=[m.id for m in members]).order_by("xp")
        return [r.level for r in rows] == [1, 5, 10]

    await eventually(recomputed)
    await eventually(lambda: _true("Five" in members[1].role_names and "Five" in members[2].role_names))
    again = await admin.slash("levels recompute", dry_run=True)
    assert "0 member(s) change level" in again.content
    reply = await admin.slash("levels recompute")
    assert "Recomputing in the background" in reply.content
    assert "Five" not in members[0].role_names
    assert sorted(recorder.levels) == sorted([(members[1].id, 3, 5), (members[2].id, 4, 10)])


async def _has(guild, text: str, channel=None) -> bool:
    return any(text in m.content for m in guild.bot_messages(channel))


async def _true(value: bool) -> bool:
    return value


async def _left(guild, member) -> bool:
    row = await Member.get_or_none(guild_id=guild.id, user_id=member.id)
    return row is not None and row.left_at is not None


def _announcements(guild, log, member) -> int:
    posted = [m for m in guild.bot_messages() + guild.bot_messages(log) if m.interaction_id is None]
    return len(posted) + len(member.dms())


async def test_a_curve_change_alone_recomputes_the_guild_in_the_background(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    admin = await guild.member("ada", admin=True)
    quiet = await guild.member("quiet")
    talker = await guild.member("talker")
    await admin.slash("xp set", member=quiet.id, amount=1000)  # mee6: level 4
    await lv.say(talker, "hi")
    await lv.flush()
    assert (await lv.row(guild, quiet)).level == 4
    await lv.configure(guild, admin, curve="flat", curve_base=50)  # 1000 XP = level 20
    await lv.say(talker, "the next flush notices the new curve")
    await lv.flush()

    async def recomputed() -> bool:
        return (await Member.get(guild_id=guild.id, user_id=quiet.id)).level == 20

    await eventually(recomputed)
