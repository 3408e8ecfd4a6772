"""/levels and curve changes: previews, background recomputes of levels and level roles."""

import pytest

from guildkit.core.hookspecs import hookimpl
from guildkit.core.testing.emulator.driver import OptionError
from guildkit.core.testing.harness import eventually
from guildkit.plugins.leveling.errors import InvalidCurve
from guildkit.plugins.leveling.models import Member
from guildkit.plugins.leveling.service import preview_curve


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


async def test_curve_change_recomputes_levels_and_roles(gk, lv) -> None:
    guild = await gk.guild(plugins=["leveling"])
    recorder = Recorder()
    gk.bot.hooks.register("recorder", recorder)
    role = guild.add_role("Five")
    # The admin's role is made after the level role, so it sits above it: the role check lets
    # a member attach only roles below their highest role.
    admin = await guild.member("ada", admin=True)
    members = [await guild.member(name) for name in ("m1", "m2", "m3")]
    for member, xp in zip(members, (100, 500, 1000), strict=True):
        await admin.slash("xp set", member=member.id, amount=xp)
    await admin.slash("levelrole add", role=role.id, level=5)
    levels = [(await lv.row(guild, m)).level for m in members]
    assert levels == [1, 3, 4]

    dry = await admin.slash("levels preview", curve="flat", base=100)  # level = xp // 100
    assert "2 member(s) would change level (2 up, 0 down)" in dry.content and "Nothing was changed" in dry.content
    assert [(await lv.row(guild, m)).level for m in members] == [1, 3, 4]
    # The option's limits make Discord refuse it; the service refuses it again on its own.
    with pytest.raises(OptionError, match="must not be below"):
        await admin.slash("levels preview", curve="flat", base=0)
    with pytest.raises(InvalidCurve, match="Use a base of 1"):
        preview_curve("flat", 0, 1.0, 100)

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


async def _true(value: bool) -> bool:
    return value
