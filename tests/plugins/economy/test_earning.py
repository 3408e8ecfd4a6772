"""/daily on the member's calendar day, streaks and grace; /work's cooldown; role bonuses."""

from datetime import timedelta

from guildkit.plugins.economy import service
from guildkit.plugins.economy.models import LedgerEntry


async def wallet(guild, member) -> int:
    return (await service.peek(guild.id, member.id)).wallet


async def test_daily_once_per_calendar_day_in_utc(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    alice = await guild.member("alice")
    first = await alice.slash("daily")
    assert "You claimed 🪙 **100** coins" in first.embed["description"]
    assert "Streak: **1** day." in first.embed["description"]
    again = await alice.slash("daily")
    assert again.ephemeral and "already claimed your daily today" in again.content
    gk.clock.advance(hours=11, minutes=59)  # 23:59 UTC, still Monday
    assert "already claimed" in (await alice.slash("daily")).content
    gk.clock.advance(minutes=2)  # 00:01 Tuesday
    second = await alice.slash("daily")
    assert "🪙 **110** coins" in second.embed["description"] and "Streak: **2** days" in second.embed["description"]
    assert await wallet(guild, alice) == 100 + 100 + 110
    assert await LedgerEntry.filter(kind="daily").count() == 2


async def test_daily_follows_the_members_timezone(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    tokyo = await guild.member("kenji")
    berlin = await guild.member("berta")
    await tokyo.slash("timezone", zone="Asia/Tokyo")  # 21:00 on Monday there
    await berlin.slash("timezone", zone="Europe/Berlin")  # 13:00 on Monday there
    assert not (await tokyo.slash("daily")).ephemeral
    assert not (await berlin.slash("daily")).ephemeral
    gk.clock.advance(hours=3)  # 00:00 Tuesday in Tokyo, 16:00 Monday in Berlin
    assert "Streak: **2**" in (await tokyo.slash("daily")).embed["description"]
    refused = await berlin.slash("daily")
    assert refused.ephemeral and "midnight in Europe/Berlin" in refused.content
    gk.clock.advance(hours=8)  # 23:00 UTC = 00:00 Tuesday in Berlin
    assert "Streak: **2**" in (await berlin.slash("daily")).embed["description"]


async def test_streak_survives_grace_days_and_then_resets(gk, economy_set) -> None:
    guild = await gk.guild(plugins=["economy"])
    await economy_set(gk, guild, daily_grace_days=1, daily_streak_bonus=5)
    alice = await guild.member("alice")
    await alice.slash("daily")  # Monday, streak 1
    gk.clock.advance(days=2)  # Wednesday: missed Tuesday, within one grace day
    assert "Streak: **2**" in (await alice.slash("daily")).embed["description"]
    gk.clock.advance(days=3)  # Saturday: missed two days
    reply = await alice.slash("daily")
    assert "Streak: **1** day." in reply.embed["description"] and "🪙 **100** coins" in reply.embed["description"]


async def test_work_pays_in_range_and_has_a_cooldown(gk, economy_set) -> None:
    guild = await gk.guild(plugins=["economy"])
    await economy_set(gk, guild, work_min=20, work_max=30, work_cooldown_minutes=60)
    alice = await guild.member("alice")
    reply = await alice.slash("work")
    assert "You worked and earned" in reply.content
    earned = await wallet(guild, alice) - 100
    assert 20 <= earned <= 30
    tired = await alice.slash("work")
    assert tired.ephemeral and "You are tired" in tired.content
    gk.clock.advance(minutes=59)
    assert "You are tired" in (await alice.slash("work")).content
    gk.clock.advance(minutes=1)
    assert not (await alice.slash("work")).ephemeral
    assert await LedgerEntry.filter(kind="work").count() == 2


async def test_role_bonus_raises_work_and_daily_pay(gk, economy_set) -> None:
    guild = await gk.guild(plugins=["economy"])
    await economy_set(gk, guild, work_min=100, work_max=100)
    vip = guild.add_role("VIP")
    fan = guild.add_role("Fan")
    ada = await guild.member("ada", admin=True)
    reply = await ada.slash("eco bonus set", role=vip, percent=50)
    assert "+50%" in reply.content
    await ada.slash("eco bonus set", role=fan, percent=10)
    listed = await ada.slash("eco bonus list")
    assert "+50%" in listed.content and "+10%" in listed.content
    alice = await guild.member("alice", roles=[vip, fan])
    bob = await guild.member("bob")
    work = await alice.slash("work")
    assert "🪙 **150** coins" in work.content and "+50% role bonus" in work.content
    await bob.slash("work")
    assert await wallet(guild, bob) == 200
    daily = await alice.slash("daily")
    assert "🪙 **150** coins" in daily.embed["description"]
    await ada.slash("eco bonus set", role=vip, percent=0)
    gk.clock.advance(hours=1)
    assert "🪙 **110** coins" in (await alice.slash("work")).content


async def test_concurrent_daily_claims_pay_once(gk) -> None:
    import asyncio

    guild = await gk.guild(plugins=["economy"])
    alice = await guild.member("alice")
    runtime = gk.bot
    results = await asyncio.gather(
        *(service.claim_daily(runtime, guild.id, alice.id) for _ in range(8)), return_exceptions=True
    )
    assert sum(1 for r in results if isinstance(r, service.DailyResult)) == 1
    assert all(isinstance(r, service.DailyResult | service.UserError) for r in results)
    assert await LedgerEntry.filter(kind="daily").count() == 1
    assert not await service.audit(guild.id)
    gk.clock.advance(timedelta(days=1))
    assert isinstance(await service.claim_daily(runtime, guild.id, alice.id), service.DailyResult)
