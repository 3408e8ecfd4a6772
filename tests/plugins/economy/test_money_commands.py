"""/balance, /deposit, /withdraw, /pay and the admin /eco commands, through the real client."""

import pytest

from guildkit.core.permissions import Permissions
from guildkit.core.testing.emulator.driver import CommandNotPermitted, OptionError
from guildkit.plugins.economy import service
from guildkit.plugins.economy.models import LedgerEntry


async def wallet_of(guild, member) -> tuple[int, int]:
    acct = await service.peek(guild.id, member.id)
    return (acct.wallet, acct.bank) if acct else (0, 0)


def field(reply, name: str) -> str:
    return next(f["value"] for f in reply.embed["fields"] if f["name"] == name)


async def test_balance_opens_an_account_with_the_starting_balance(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    alice = await guild.member("alice")
    reply = await alice.slash("balance")
    assert reply.embed["title"] == "alice's balance"
    assert "100" in field(reply, "Wallet") and "0" in field(reply, "Bank")
    bob = await guild.member("bob")
    other = await alice.slash("balance", member=bob)
    assert other.embed["title"] == "bob's balance"
    assert not await service.audit(guild.id)


async def test_deposit_withdraw_and_all(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    alice = await guild.member("alice")
    reply = await alice.slash("deposit", amount="60")
    assert "Deposited 🪙 **60** coins" in reply.content
    assert await wallet_of(guild, alice) == (40, 60)
    reply = await alice.slash("withdraw", amount="all")
    assert await wallet_of(guild, alice) == (100, 0)
    too_much = await alice.slash("deposit", amount="101")
    assert too_much.ephemeral and "only 🪙 100 coins in the wallet" in too_much.content
    bad = await alice.slash("deposit", amount="lots")
    assert bad.ephemeral and "is not an amount" in bad.content
    zero = await alice.slash("withdraw", amount="0")
    assert zero.ephemeral and "positive" in zero.content
    assert await wallet_of(guild, alice) == (100, 0)
    assert await LedgerEntry.filter(kind__in=("deposit", "withdraw")).count() == 2
    assert not await service.audit(guild.id)


async def test_pay_moves_money_and_refuses_bad_payments(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    alice = await guild.member("alice")
    bob = await guild.member("bob")
    reply = await alice.slash("pay", member=bob, amount=30, note="pizza")
    assert not reply.ephemeral
    assert "You paid" in reply.content and "pizza" in reply.content
    assert await wallet_of(guild, alice) == (70, 0)
    assert await wallet_of(guild, bob) == (130, 0)
    before = await LedgerEntry.all().count()
    for kwargs, message in [
        ({"member": bob, "amount": 71}, "only 🪙 70 coins"),
        ({"member": alice, "amount": 5}, "cannot pay yourself"),
        ({"member": guild.bot, "amount": 5}, "is a bot"),
        ({"member": bob, "amount": 10**13}, "at most"),
    ]:
        refused = await alice.slash("pay", **kwargs)
        assert refused.ephemeral and message in refused.content, (kwargs, refused.content)
    for amount in (0, -5):  # Discord itself refuses amounts below 1
        with pytest.raises(OptionError, match="below 1"):
            await alice.slash("pay", member=bob, amount=amount)
    with pytest.raises(service.UserError, match="positive"):  # and the service, for other callers
        await service.transfer(gk.bot, guild.id, alice.id, bob.id, 0)
    assert await LedgerEntry.all().count() == before
    assert await wallet_of(guild, alice) == (70, 0)
    mine = await bob.slash("transactions")
    assert mine.ephemeral and "**pay** wallet +30 — pizza" in mine.embed["description"]
    assert f"(by <@{alice.id}>)" in mine.embed["description"]
    assert not await service.audit(guild.id)


async def test_pay_over_the_receivers_maximum_is_refused(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    ada = await guild.member("ada", admin=True)
    await ada.slash("config set", plugin="economy", key="max_balance", value="150")
    alice = await guild.member("alice")
    bob = await guild.member("bob")
    await bob.slash("balance")
    refused = await alice.slash("pay", member=bob, amount=60)
    assert refused.ephemeral and "over the maximum" in refused.content
    # Nothing changed: bob keeps his 100, and alice, new here, got no account from a refusal.
    assert await service.peek(guild.id, alice.id) is None and await wallet_of(guild, bob) == (100, 0)
    assert await LedgerEntry.filter(kind="pay").count() == 0


async def test_a_refused_payment_opens_no_account(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    alice = await guild.member("alice")
    bob = await guild.member("bob")  # has never used the economy
    await alice.slash("balance")
    before = await LedgerEntry.all().count()
    for amount in (101, 10**13):  # more than alice holds; more than anyone may hold
        refused = await alice.slash("pay", member=bob, amount=amount)
        assert refused.ephemeral
    for _ in range(3):
        assert "cannot pay yourself" in (await alice.slash("pay", member=alice, amount=5)).content
    assert await service.peek(guild.id, bob.id) is None  # no account, no starting-balance entry
    assert await LedgerEntry.all().count() == before
    paid = await alice.slash("pay", member=bob, amount=10)  # an accepted one opens it, in the same transaction
    assert not paid.ephemeral and await wallet_of(guild, bob) == (110, 0)
    assert [e.kind for e in await LedgerEntry.filter(account_id=(await service.peek(guild.id, bob.id)).id)] == [
        "start",
        "pay",
    ]
    assert not await service.audit(guild.id)


async def test_members_who_are_not_members_are_refused_and_get_no_account(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    ada = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    outsider = gk.emulator.world.create_user("outsider").id
    gone = await guild.member("gone")
    await gone.leave_guild()
    robo = await guild.member("robo", bot=True)
    for who, words in [(outsider, "not a member"), (gone.id, "not a member"), (robo, "is a bot")]:
        for actor, name, options in [
            (alice, "pay", {"amount": 5}),
            (alice, "balance", {}),
            (alice, "inventory", {}),
            (ada, "eco add", {"amount": 5, "reason": "gift"}),
            (ada, "eco remove", {"amount": 5, "reason": "fine"}),
            (ada, "eco set", {"amount": 5, "reason": "reset"}),
        ]:
            refused = await actor.slash(name, member=who, **options)
            assert refused.ephemeral and words in refused.content, (name, who, refused.content)
    assert await service.peek(guild.id, outsider) is None and await service.peek(guild.id, gone.id) is None
    assert await service.peek(guild.id, robo.id) is None
    assert await LedgerEntry.filter(kind__in=("pay", "admin")).count() == 0


async def test_admin_add_remove_set_and_history(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    ada = await guild.member("ada", admin=True)
    bob = await guild.member("bob")
    reply = await ada.slash("eco add", member=bob, amount=500, reason="event prize")
    assert "Gave" in reply.content
    await ada.slash("eco add", member=bob, amount=50, reason="savings", pocket="bank")
    assert await wallet_of(guild, bob) == (600, 50)
    refused = await ada.slash("eco remove", member=bob, amount=601, reason="oops")
    assert refused.ephemeral and "bob has only 🪙 600 coins" in refused.content
    await ada.slash("eco remove", member=bob, amount=100, reason="spam fine")
    reply = await ada.slash("eco set", member=bob, amount=42, reason="reset")
    assert "42" in reply.content
    assert await wallet_of(guild, bob) == (42, 50)
    history = await ada.slash("eco history", member=bob)
    assert history.ephemeral
    text = history.embed["description"]
    assert "spam fine" in text and "event prize" in text and "reset" in text and "starting balance" in text
    assert text.index("reset") < text.index("spam fine")  # newest first
    with pytest.raises(CommandNotPermitted):  # Discord hides it from members without Manage Server
        await bob.slash("eco add", member=bob, amount=5, reason="me")
    audit = await ada.slash("eco audit")
    assert "Every balance equals" in audit.content


async def test_history_pages_turn_with_the_core_paginator(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    ada = await guild.member("ada", admin=True)
    bob = await guild.member("bob")
    for index in range(12):  # with the starting balance: 13 entries, two pages of 10
        await ada.slash("eco add", member=bob, amount=index + 1, reason=f"gift {index + 1}")
    history = await ada.slash("eco history", member=bob)
    assert history.ephemeral and "Page 1 of 2" in history.embed["footer"]["text"]
    assert "gift 12" in history.embed["description"] and "starting balance" not in history.embed["description"]
    older = await history.click("Next")
    assert "Page 2 of 2" in older.embed["footer"]["text"] and "starting balance" in older.embed["description"]
    assert older.embed["title"] == "bob's transactions"
    mine = await bob.slash("transactions", page=2)
    assert mine.ephemeral and "Page 2 of 2" in mine.embed["footer"]["text"]
    newer = await mine.click("Previous")
    assert "gift 12" in newer.embed["description"] and "Page 1 of 2" in newer.embed["footer"]["text"]


async def test_eco_needs_the_manager_level_not_just_the_default_permission(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    boss_role = guild.add_role("Boss", Permissions.ADMINISTRATOR)  # Administrator, no Manage Server
    boss = await guild.member("boss", roles=[boss_role])
    bob = await guild.member("bob")
    assert boss_role.permissions == int(Permissions.ADMINISTRATOR)
    given = await boss.slash("eco add", member=bob, amount=5, reason="welcome")
    assert not given.ephemeral and "Gave" in given.content
    # A server owner can open /eco to everyone in Discord's settings; economy checks again.
    for command in gk.emulator.world.scope_commands(guild.id).values():
        command.data["default_member_permissions"] = None
    for name, options in [
        ("eco add", {"member": bob, "amount": 500, "reason": "me"}),
        ("eco set", {"member": bob, "amount": 10**6, "reason": "me"}),
        ("eco history", {"member": boss}),
        ("eco item add", {"name": "Free money", "price": 0}),
    ]:
        refused = await bob.slash(name, **options)
        assert refused.ephemeral and "You need the **Manage Server** permission" in refused.content, name
    assert await wallet_of(guild, bob) == (105, 0)
    assert await LedgerEntry.filter(kind="admin").count() == 1
