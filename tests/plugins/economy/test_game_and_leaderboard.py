"""/coinflip's bets, limits and cooldown; /richest pages."""

import pytest

from guildkit.core.testing.emulator.driver import OptionError
from guildkit.plugins.economy import service
from guildkit.plugins.economy.models import LedgerEntry
from guildkit.plugins.economy.state import EconomyState


async def test_coinflip_wins_or_loses_the_bet_within_limits(gk, economy_set) -> None:
    guild = await gk.guild(plugins=["economy"])
    await economy_set(gk, guild, game_min_bet=5, game_max_bet=50, game_cooldown_seconds=30)
    # The coin lands as random.Random(7) says; every /coinflip flips once, the refused ones too.
    gk.bot.state(EconomyState).rng.seed(7)
    landings = [
        "tails",
        "tails",
        "heads",
        "tails",
        "heads",
        "heads",
        "tails",
        "heads",
        "tails",
        "heads",
        "heads",
        "heads",
    ]
    alice = await guild.member("alice")
    balance = 100
    for landed in landings:
        reply = await alice.slash("coinflip", bet=10, side="heads")
        assert not reply.ephemeral
        assert f"landed on **{landed}**" in reply.content
        won = landed == "heads"
        assert ("You won 🪙 **10** coins!" if won else "You lost 🪙 **10** coins.") in reply.content
        balance += 10 if won else -10
        assert f"Wallet: 🪙 **{balance}** coins." in reply.content
        assert (await service.peek(guild.id, alice.id)).wallet == balance
        cooldown = await alice.slash("coinflip", bet=10, side="tails")
        assert cooldown.ephemeral and "Slow down" in cooldown.content
        gk.clock.advance(seconds=30)
    assert balance == 120  # seven wins, five losses
    assert await LedgerEntry.filter(kind="game").count() == 12
    for bet, message in [(4, "between"), (51, "between")]:
        refused = await alice.slash("coinflip", bet=bet, side="heads")
        assert refused.ephemeral and message in refused.content
    with pytest.raises(OptionError, match="below 1"):  # Discord itself refuses a bet of nothing
        await alice.slash("coinflip", bet=0, side="heads")
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
    labels = {b["label"]: bool(b.get("disabled")) for b in first.buttons}
    assert labels == {"«": True, "Previous": True, "1 / 3": True, "Next": False, "»": False}
    second = await first.click("Next")
    assert f"<@{members[3].id}>" in second.embed["description"] and "Page 2 of 3" in second.embed["footer"]["text"]
    back = await second.click("Previous")
    assert back.embed["description"] == text
    last = await back.click("»")
    assert "Page 3 of 3" in last.embed["footer"]["text"] and f"<@{members[0].id}>" in last.embed["description"]
    assert {b["label"] for b in last.buttons if b.get("disabled")} == {"3 / 3", "Next", "»"}
    bank = await ada.slash("richest", by="bank")
    assert bank.embed["description"].startswith(f"**1.** <@{members[0].id}>")
    total = await ada.slash("richest", page=3)
    assert "Page 3 of 3" in total.embed["footer"]["text"]
