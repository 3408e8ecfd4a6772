"""/purge (with Discord's 14-day rule), /slowmode, /lock and /unlock (also timed)."""

from guildkit.core.testing.emulator import permissions as perms
from guildkit.core.testing.harness import eventually

SEND = perms.FLAGS["SEND_MESSAGES"]


async def test_purge_deletes_recent_matching_messages_and_explains_old_ones(gk, mod_guild) -> None:
    g = await mod_guild()
    carol = await g.guild.member("carol")
    for i in range(3):
        await g.bob.say(f"old spam {i}")
    gk.clock.advance(days=15)
    await g.bob.say("new spam 1")
    await g.bob.say("hello")
    await g.bob.say("new spam 2")
    await carol.say("spam but carol")
    reply = await g.mod.slash("purge", count=10, member=g.bob, contains="spam")
    assert reply.ephemeral
    assert "Deleted 2 messages" in reply.content and "3 matching message(s) are older than 14 days" in reply.content
    left = [m.content for m in g.guild.messages() if not m.deleted and m.author_id in (g.bob.id, carol.id)]
    assert "new spam 1" not in left and "new spam 2" not in left
    assert {"hello", "spam but carol", "old spam 0"} <= set(left)
    [bulk] = gk.emulator.requests_to("POST /channels/{c}/messages/bulk-delete")
    assert len(bulk.json["messages"]) == 2


async def test_slowmode(gk, mod_guild) -> None:
    g = await mod_guild()
    refused = await g.mod.slash("slowmode", duration="10s")
    assert refused.ephemeral and "Discord refused" in refused.content  # the invite lacks Manage Channels
    await g.guild.bot_role.edit(permissions=g.guild.bot_role.permissions | perms.FLAGS["MANAGE_CHANNELS"])
    reply = await g.mod.slash("slowmode", duration="30s")
    assert "30 s" in reply.content and g.guild.channel("general").model.rate_limit_per_user == 30
    too_long = await g.mod.slash("slowmode", duration="7h")
    assert too_long.ephemeral
    off = await g.mod.slash("slowmode", duration="off")
    assert "off" in off.content and g.guild.channel("general").model.rate_limit_per_user == 0


async def test_lock_and_unlock_restore_the_previous_overwrite(gk, mod_guild) -> None:
    g = await mod_guild()
    general = g.guild.channel("general")
    everyone = g.guild.id
    reply = await g.mod.slash("lock", reason="raid")
    assert "Locked" in reply.content
    assert general.model.overwrites[everyone].deny & SEND
    again = await g.mod.slash("lock")
    assert again.ephemeral and "already locked" in again.content
    await g.mod.slash("unlock")
    assert everyone not in general.model.overwrites  # there was none before
    not_locked = await g.mod.slash("unlock")
    assert not_locked.ephemeral and "not locked" in not_locked.content


async def test_timed_lock_unlocks_by_itself(gk, mod_guild) -> None:
    g = await mod_guild()
    general = g.guild.channel("general")
    await g.mod.slash("lock", duration="30m")
    assert general.model.overwrites[g.guild.id].deny & SEND
    gk.clock.advance(minutes=31)  # wakes the scheduler

    async def unlocked() -> bool:
        return g.guild.id not in general.model.overwrites

    await eventually(unlocked)
