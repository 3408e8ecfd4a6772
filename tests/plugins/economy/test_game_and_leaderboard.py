"""/coinflip's bets, limits and cooldown; /leaderboard pages."""

from guildkit.plugins.economy import service
from guildkit.plugins.economy.models import LedgerEntry


async def test_coinflip_wins_or_loses_the_bet_within_limits(gk, economy_set) -> None:
    guild = await gk.guild(plugins=["economy"])
    await economy_set(gk, guild, game_min_bet=5, game_max_bet=50, game_cooldown_seconds=30)
    alice = await guild.member("alice")
    balance = 100
    outcomes = set()
    for _ in range(12):
        reply = await alice.slash("coinflip", bet=10, side="heads")
        assert not reply.ephemeral
        won = "You won" in reply.content
        outcomes.add(won)
        balance += 10 if won else -10
        assert (await service.peek(guild.id, alice.id)).wallet == balance
        assert ("landed on **heads**" in reply.content) == won
        cooldown = await alice.slash("coinflip", bet=10, side="tails")
        assert cooldown.ephemeral and "Slow down" in cooldown.content
        gk.clock.advance(seconds=30)
    assert await LedgerEntry.filter(kind="game").count() == 12
    for bet, message in [(4, "between"), (51, "between"), (0, "between")]:
        refused = await alice.slash("coinflip", bet=bet, side="heads")
        assert refused.ephemeral and message in refused.content
    await economy_set(gk, guild, game_max_bet=10_000)
    broke = await alice.slash("coinflip", bet=balance + 1, side="heads")
    assert broke.ephemeral and "you cannot bet" in broke.content
    assert await LedgerEntry.filter(kind="game").count() == 12
    assert not await service.audit(guild.id)


async def test_leaderboard_pages_by_wallet_bank_and_total(gk, economy_set) -> None:
    guild = await gk.guild(plugins=["economy"])
    await economy_set(gk, guild, leaderboard_page_size=3)
    ada = await guild.member("ada", admin=True)
    members = []
    for index in range(7):
        member = await guild.member(f"m{index}")
        await ada.slash("eco add", member=member, amount=(index + 1) * 100, reason="seed")
        members.append(member)
    await members[0].slash("deposit", amount="all")  # m0: 200 in the bank
    first = await ada.slash("richest", by="wallet")
    text = first.embed["description"]
    assert text.startswith(f"**1.** <@{members[6].id}>") and "Page 1 of 3" in first.embed["footer"]["text"]
    second = await first.click("Next")
    assert f"<@{members[3].id}>" in second.embed["description"] and "Page 2 of 3" in second.embed["footer"]["text"]
    back = await second.click("Previous")
    assert back.embed["description"] == text
    bank = await ada.slash("richest", by="bank")
    assert bank.embed["description"].startswith(f"**1.** <@{members[0].id}>")
    total = await ada.slash("richest", page=3)
    assert "Page 3 of 3" in total.embed["footer"]["text"]
