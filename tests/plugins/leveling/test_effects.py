"""After a durable level change: the announcement (template, channel, milestones, DM, off) and
the domain hooks, once."""

from guildkit.core.hookspecs import hookimpl
from guildkit.core.testing.harness import eventually


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


async def _true(value: bool) -> bool:
    return value


async def _has(guild, text: str, channel=None) -> bool:
    return any(text in m.content for m in guild.bot_messages(channel))


def _announcements(guild, log, member) -> int:
    posted = [m for m in guild.bot_messages() + guild.bot_messages(log) if m.interaction_id is None]
    return len(posted) + len(member.dms())


async def test_a_burst_of_level_ups_is_announced_in_as_few_messages_as_fit(gk, lv) -> None:
    """45 members levelling up in one flush: two messages (one API call each), not 45 or 3, every
    member pinged once, none over Discord's 2,000 characters."""
    guild = await gk.guild(plugins=["leveling"])
    admin = await guild.member("ada", admin=True)
    levels = guild.add_channel("levels")
    await lv.configure(
        guild, admin, xp_min=100, xp_max=100, cooldown_seconds=0, announce="channel", announce_channel_id=levels.id
    )
    members = [await guild.member(f"member{i}") for i in range(45)]
    for member in members:
        await lv.say(member)
    await lv.flush()
    await gk.bot.scheduler.run_due()

    posted = guild.bot_messages(levels)
    assert len(posted) == 2
    assert all(len(m.content) <= 2000 for m in posted)
    pinged = [user for m in posted for user in m.pinged_ids]
    assert sorted(pinged) == sorted(m.id for m in members)
    assert sum(m.content.count("reached level **1**") for m in posted) == 45
