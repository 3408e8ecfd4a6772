"""The ledger: balances equal it before and after retention archives it; idempotent service calls;
the level-up reward; the balance hook; /privacy export and delete."""

import json

from tortoise.transactions import in_transaction

from guildkit.core.hookspecs import hookimpl
from guildkit.core.privacy import find_user_data
from guildkit.plugins.economy import plugin as economy_plugin
from guildkit.plugins.economy import service
from guildkit.plugins.economy.api import EconomyAPI
from guildkit.plugins.economy.models import Account, ClaimMarker, LedgerDaily, LedgerEntry


async def make_activity(gk, guild) -> list:
    ada = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    bob = await guild.member("bob")
    await alice.slash("daily")
    await alice.slash("pay", member=bob, amount=25, note="lunch")
    await bob.slash("deposit", amount="100")
    await ada.slash("eco add", member=alice, amount=70, reason="prize")
    await ada.slash("eco item add", name="Cookie", price=5, consumable=True)
    await bob.slash("buy", item="Cookie", quantity=2)
    return [ada, alice, bob]


async def test_balances_equal_the_ledger_before_and_after_retention(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    _, _, bob = await make_activity(gk, guild)
    assert not await service.audit(guild.id)
    balances = {a.id: (a.wallet, a.bank) for a in await Account.all()}
    live = await LedgerEntry.all().count()

    gk.clock.advance(days=91)
    await bob.slash("work")  # one fresh entry that must stay live
    results = await gk.bot.retention.run()
    ledger = next(r for r in results if r.owner == "economy" and r.policy == "ledger")
    assert ledger.action == "aggregate" and ledger.rows == live
    assert await LedgerEntry.all().count() == 1
    days = await LedgerDaily.all()
    assert days and sum(d.entries for d in days) == live
    after = {a.id: (a.wallet, a.bank) for a in await Account.all()}
    bob_id = (await service.peek(guild.id, bob.id)).id
    work = (await LedgerEntry.get(kind="work")).wallet_delta
    assert after[bob_id] == (balances[bob_id][0] + work, balances[bob_id][1])
    assert all(after[k] == v for k, v in balances.items() if k != bob_id)  # retention never moves money
    assert not await service.audit(guild.id)
    assert not await service.audit()
    # Archiving twice adds to the same day rows.
    gk.clock.advance(days=91)
    await gk.bot.retention.run()
    assert await LedgerEntry.all().count() == 0 and not await service.audit()
    assert "Every balance equals" in (await (await guild.member("ada")).slash("eco audit")).content


async def test_service_api_pays_and_charges_once_per_key(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    alice = await guild.member("alice")
    economy = gk.bot.api(EconomyAPI)
    first = await economy.pay(guild.id, alice.id, 40, reason="song request", key="song:1")
    again = await economy.pay(guild.id, alice.id, 40, reason="song request", key="song:1")
    assert not first.duplicate and again.duplicate and again.entry_id == first.entry_id
    assert await economy.balance(guild.id, alice.id) == (140, 0)
    charged = await economy.charge(guild.id, alice.id, 100, reason="skip queue", key="skip:1")
    assert charged.wallet == 40
    try:
        await economy.charge(guild.id, alice.id, 41, reason="skip queue", key="skip:2")
        raise AssertionError("charged more than the wallet holds")
    except economy.InsufficientFunds as refusal:
        assert (refusal.available, refusal.needed, refusal.where) == (40, 41, "wallet")
        assert "only 40 in the wallet" in str(refusal)
    bob = await guild.member("bob")
    sent, received = await economy.transfer(guild.id, alice.id, bob.id, 10, key="t:1")
    assert (sent.wallet, received.wallet) == (30, 110)
    repeat = await economy.transfer(guild.id, alice.id, bob.id, 10, key="t:1")
    assert [r.duplicate for r in repeat] == [True, True]
    assert await LedgerEntry.filter(kind="pay").count() == 2
    assert not await service.audit(guild.id)


async def test_the_api_joins_a_callers_transaction_and_rolls_back_with_it(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    alice = await guild.member("alice")
    economy = gk.bot.api(EconomyAPI)
    await economy.pay(guild.id, alice.id, 1, reason="open")
    async with in_transaction(gk.bot.database.connection_name):
        receipt = await economy.pay(guild.id, alice.id, 40, reason="inside")
        assert receipt.wallet == 141
    assert await economy.balance(guild.id, alice.id) == (141, 0)

    class Abandoned(Exception):
        pass

    try:
        async with in_transaction(gk.bot.database.connection_name):
            await economy.charge(guild.id, alice.id, 100, reason="undone")
            raise Abandoned
    except Abandoned:
        pass  # raised on purpose: the caller's transaction rolls back
    assert await economy.balance(guild.id, alice.id) == (141, 0)
    assert not await LedgerEntry.filter(reason="undone").exists()
    assert not await service.audit(guild.id)


async def test_balance_hook_and_level_up_reward(gk, economy_set) -> None:
    guild = await gk.guild(plugins=["economy"])
    await economy_set(gk, guild, coins_per_level_up=25)
    alice = await guild.member("alice")
    seen = []

    class Listener:
        @hookimpl
        def economy_balance_changed(self, user_id, delta, wallet, bank, kind, reason) -> None:
            seen.append((user_id, delta, wallet, bank, kind))

    gk.bot.hooks.register("test-listener", Listener())
    economy = gk.bot.api(EconomyAPI)
    paid = [await economy.reward_level_up(guild.id, alice.id, 1, 3) for _ in range(2)]  # a repeated call pays once
    assert paid == [50, 0]
    # A demotion and the way back up again pays nothing new.
    assert await economy.reward_level_up(guild.id, alice.id, 2, 3) == 0
    acct = await service.peek(guild.id, alice.id)
    assert acct.wallet == 150
    entries = await LedgerEntry.filter(kind="levelup").order_by("id")
    assert [(e.wallet_delta, e.reason) for e in entries] == [(25, "reached level 2"), (25, "reached level 3")]
    assert seen == [(alice.id, 25, 125, 0, "levelup"), (alice.id, 25, 150, 0, "levelup")]
    await alice.slash("deposit", amount="50")
    assert seen[-1] == (alice.id, 0, 100, 50, "deposit")


async def test_privacy_export_and_delete_keep_the_money_adding_up(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    ada, alice, bob = await make_activity(gk, guild)
    await gk.bot.api(EconomyAPI).pay(guild.id, bob.id, 5, reason="x", key=f"levelup:{guild.id}:{bob.id}:2")
    export = await bob.slash("privacy export")

    data = json.loads(export.attachments[0].data)["plugins"]["economy"]
    assert data["accounts"][0]["bank"] == 100
    assert {"pay", "deposit", "buy"} <= {e["kind"] for e in data["ledger"]}
    assert data["inventory"][0]["quantity"] == 2

    prompt = await bob.slash("privacy delete")
    done = await prompt.click("Delete my data")
    assert "without your id" in done.content
    leftovers = [f for f in await find_user_data(bob.id) if f.app == "economy"]
    # Only the declared fraud-prevention marker keeps the id (the privacy answer says why).
    assert [(f.model, f.field) for f in leftovers] == [("ClaimMarker", "user_id")]
    assert set(economy_plugin.user_data_kept) == {"ClaimMarker"}
    assert "starting balance" in done.content and "90 days" in done.content
    assert not await service.audit(guild.id)  # the anonymous account still adds up
    lunch = await LedgerEntry.get(kind="pay", account_id=(await service.peek(guild.id, alice.id)).id)
    assert lunch.counterparty_id is None and lunch.reason == "lunch"  # alice's own note stays hers
    board = await ada.slash("richest")
    assert f"<@{bob.id}>" not in board.embed["description"]
    fresh = await bob.slash("balance")  # a new account, but no second starting balance
    assert "**0**" in fresh.embed["fields"][0]["value"]
    assert not await service.audit(guild.id)


async def test_deleting_your_data_does_not_pay_the_start_or_the_daily_again(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    alice = await guild.member("alice")
    first = await alice.slash("daily")
    assert "You claimed" in first.embed["description"]
    assert (await service.peek(guild.id, alice.id)).wallet == 200
    prompt = await alice.slash("privacy delete")
    await prompt.click("Delete my data")
    again = await alice.slash("daily")  # same day: the kept marker says it was paid
    assert again.ephemeral and "already claimed your daily today" in again.content
    assert await service.peek(guild.id, alice.id) is None  # the refusal opened no account
    balance = await alice.slash("balance")
    assert "**0**" in balance.embed["fields"][0]["value"]
    starts = await LedgerEntry.filter(kind="start").count()
    assert starts == 1 and await LedgerEntry.filter(kind="daily").count() == 1
    gk.clock.advance(days=1)  # the next day's daily is paid as usual, once
    assert "You claimed" in (await alice.slash("daily")).embed["description"]
    assert (await service.peek(guild.id, alice.id)).wallet == 100
    assert await ClaimMarker.all().count() == 0  # the new account carries it now
    assert not await service.audit(guild.id)
