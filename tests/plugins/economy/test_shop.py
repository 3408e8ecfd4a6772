"""Shop items, stock, per-member limits, consumables and role items, through the real client."""

import pytest

from guildkit.core.models import ScheduledJob
from guildkit.core.permissions import Permissions
from guildkit.core.testing.emulator.driver import CommandNotPermitted
from guildkit.core.testing.harness import eventually
from guildkit.plugins.economy import service
from guildkit.plugins.economy.models import InventoryItem, LedgerEntry, ShopItem


async def wallet(guild, member) -> int:
    return (await service.peek(guild.id, member.id)).wallet


async def test_admin_adds_items_and_members_buy_them(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    ada = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    empty = await alice.slash("shop")
    assert "The shop is empty" in empty.content
    added = await ada.slash("eco item add", name="Cookie", price=10, description="Crunchy", consumable=True)
    assert added.ephemeral and "Added **Cookie**" in added.content
    await ada.slash("eco item add", name="Golden Ticket", price=50, stock=2, limit=1)
    duplicate = await ada.slash("eco item add", name="cookie", price=5)
    assert duplicate.ephemeral and "already an item called **Cookie**" in duplicate.content
    shop = await alice.slash("shop")
    assert "**Cookie**" in shop.embed["description"] and "2 left" in shop.embed["description"]
    choices = await alice.autocomplete("buy", "item", "gold")
    assert [c["value"] for c in choices] == ["Golden Ticket"]

    bought = await alice.slash("buy", item="cookie", quantity=3)
    assert "You bought 3 **Cookie**" in bought.content and "You have 3" in bought.content
    assert await wallet(guild, alice) == 70
    inventory = await alice.slash("inventory")
    assert "**Cookie** x 3" in inventory.embed["description"]
    used = await alice.slash("use", item="Cookie")
    assert "You used a **Cookie**. (2 left)" in used.content
    assert [c["value"] for c in await alice.autocomplete("use", "item", "")] == ["Cookie"]

    not_usable = await alice.slash("buy", item="golden ticket")
    assert not not_usable.ephemeral
    refused = await alice.slash("use", item="Golden Ticket")
    assert refused.ephemeral and "not something you can use" in refused.content
    assert await wallet(guild, alice) == 20
    assert not await service.audit(guild.id)


async def test_stock_and_per_member_limit_refuse_without_writing(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    ada = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    bob = await guild.member("bob")
    carol = await guild.member("carol")
    await ada.slash("eco item add", name="Badge", price=10, stock=2, limit=1)
    assert not (await alice.slash("buy", item="Badge")).ephemeral
    again = await alice.slash("buy", item="Badge")
    assert again.ephemeral and "at most 1 **Badge**" in again.content
    assert not (await bob.slash("buy", item="Badge")).ephemeral
    sold_out = await carol.slash("buy", item="Badge")
    assert sold_out.ephemeral and "sold out" in sold_out.content
    assert "sold out" in (await carol.slash("shop")).embed["description"]
    assert await wallet(guild, alice) == 90
    assert await service.peek(guild.id, carol.id) is None  # her refused purchase opened no account
    await ada.slash("eco item stock", name="Badge", stock=5)
    poor = await guild.member("poor")
    await ada.slash("eco set", member=poor, amount=5, reason="test")
    broke = await poor.slash("buy", item="Badge")
    assert broke.ephemeral and "only 🪙 5 coins" in broke.content
    item = await ShopItem.get(key="badge")
    assert (item.stock, item.sold) == (5, 2)
    assert await LedgerEntry.filter(kind="buy").count() == 2
    removed = await ada.slash("eco item remove", name="Badge")
    assert "no longer sold" in removed.content
    gone = await carol.slash("buy", item="Badge")
    assert gone.ephemeral and "no item called" in gone.content
    assert "**Badge** x 1" in (await alice.slash("inventory")).embed["description"]
    with pytest.raises(CommandNotPermitted):
        await alice.slash("eco item add", name="Free money", price=0)


async def test_role_item_grants_the_role_through_discord(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    vip = guild.add_role("VIP")  # below the bot's role: the bot may grant it
    ada = await guild.member("ada", admin=True)  # her Admin role is above VIP: she may attach it
    await ada.slash("eco item add", name="VIP pass", price=40, role=vip)
    alice = await guild.member("alice")
    bought = await alice.slash("buy", item="VIP pass")
    assert "You now have" in bought.content
    assert "VIP" in alice.role_names
    again = await alice.slash("buy", item="VIP pass")
    assert again.ephemeral and "already have the role" in again.content
    assert await wallet(guild, alice) == 60


async def test_role_above_the_bot_is_refused_before_paying(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    boss = guild.add_role("Boss")
    ada = await guild.member("ada", admin=True)
    above = guild.add_role("Above", position=guild.bot_role.position + 1)
    refused = await ada.slash("eco item add", name="Throne", price=40, role=above)
    assert refused.ephemeral and "not below the bot's highest role" in refused.content
    await ada.slash("eco item add", name="Crown", price=40, role=boss)
    await boss.edit(position=guild.bot_role.position + 1)  # moved above the bot after it was set up
    alice = await guild.member("alice")
    await alice.slash("balance")
    refused = await alice.slash("buy", item="Crown")
    assert refused.ephemeral and "cannot be bought right now" in refused.content
    assert "Boss" not in alice.role_names
    assert await wallet(guild, alice) == 100
    assert await InventoryItem.all().count() == 0 and await LedgerEntry.filter(kind="buy").count() == 0


async def test_role_refused_by_discord_is_refunded(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    vip = guild.add_role("VIP")
    ada = await guild.member("ada", admin=True)
    await ada.slash("eco item add", name="VIP pass", price=40, stock=1, role=vip)
    alice = await guild.member("alice")
    gk.emulator.faults.server_error("PUT /guilds/{guild}/members/{user}/roles/{role}", times=None, status=403)
    refused = await alice.slash("buy", item="VIP pass")
    assert refused.ephemeral and "your money was refunded" in refused.content
    assert "VIP" not in alice.role_names
    assert await wallet(guild, alice) == 100
    item = await ShopItem.get(key="vip pass")
    assert (item.stock, item.sold) == (1, 0)
    assert [e.kind for e in await LedgerEntry.filter(kind__in=("buy", "refund")).order_by("id")] == ["buy", "refund"]
    assert not await service.audit(guild.id)
    gk.emulator.faults.clear()
    assert "You now have" in (await alice.slash("buy", item="VIP pass")).content


async def test_using_an_item_tells_other_plugins(gk) -> None:
    from guildkit.core.hookspecs import hookimpl

    guild = await gk.guild(plugins=["economy"])
    ada = await guild.member("ada", admin=True)
    await ada.slash("eco item add", name="Potion", price=1, consumable=True, use_message="You feel better.")
    used = []

    class Listener:
        @hookimpl
        def economy_item_used(self, user_id, item_name) -> None:
            used.append((user_id, item_name))

    gk.bot.hooks.register("test-item-listener", Listener())
    await ada.slash("buy", item="Potion")
    reply = await ada.slash("use", item="potion")
    assert reply.content == "You feel better. (0 left)"
    assert used == [(ada.id, "Potion")]
    none_left = await ada.slash("use", item="Potion")
    assert none_left.ephemeral and "You have no **Potion**" in none_left.content


async def test_a_manager_cannot_sell_a_role_above_them_or_with_powers_they_lack(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    # A new role sits right below the bot's, so the last one created is the highest.
    mods = guild.add_role("Mods", Permissions.KICK_MEMBERS)
    managers = guild.add_role("Managers", Permissions.MANAGE_GUILD)
    admins = guild.add_role("Admins", Permissions.ADMINISTRATOR)
    manny = await guild.member("manny", roles=[managers])  # Manage Server, below @Admins
    alice = await guild.member("alice")
    escalation = await manny.slash("eco item add", name="AdminPass", price=1, role=admins)
    assert escalation.ephemeral
    assert "@Admins is not below your highest role (@Managers)" in escalation.content
    assert "ask someone above it" in escalation.content
    powers = await manny.slash("eco item add", name="ModPass", price=1, role=mods)
    assert powers.ephemeral and "@Mods has Kick Members, which you don't have" in powers.content
    assert await ShopItem.all().count() == 0
    assert "no item called" in (await alice.slash("buy", item="AdminPass")).content
    assert alice.role_names == [] and await LedgerEntry.filter(kind="buy").count() == 0

    # An administrator may attach it; while they hold their powers, members can buy it.
    ada = await guild.member("ada", roles=[admins])
    assert "Added **ModPass**" in (await ada.slash("eco item add", name="ModPass", price=1, role=mods)).content
    assert "You now have" in (await alice.slash("buy", item="ModPass")).content
    assert "Mods" in alice.role_names
    # At purchase time the check runs again: once ada lost @Admins, @Mods is no longer sold.
    await ada.remove_role(admins)
    bob = await guild.member("bob")
    await bob.slash("balance")
    refused = await bob.slash("buy", item="ModPass")
    assert refused.ephemeral and "cannot be bought right now" in refused.content
    assert "the member who set it up no longer has" in refused.content
    assert "Mods" not in bob.role_names and await wallet(guild, bob) == 100


async def test_discord_failing_then_refusing_the_role_refunds_the_purchase_and_says_so(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    vip = guild.add_role("VIP")
    ada = await guild.member("ada", admin=True)
    await ada.slash("eco item add", name="VIP pass", price=40, stock=1, role=vip)
    alice = await guild.member("alice")
    route = "PUT /guilds/{guild}/members/{user}/roles/{role}"
    gk.emulator.faults.server_error(route, times=None, status=500)
    bought = await alice.slash("buy", item="VIP pass")  # Discord keeps answering 500
    assert not bought.ephemeral and "follows shortly" in bought.content
    assert await wallet(guild, alice) == 60 and "VIP" not in alice.role_names
    [job] = await ScheduledJob.filter(plugin="economy", kind="grant_role", status="pending")

    # Still 500 when the job runs: it waits and tries again later; nothing is refunded yet.
    # (The bot's own scheduler loop may be the one running it: wait for the outcome.)
    gk.clock.advance(seconds=31)
    await gk.bot.scheduler.run_due()

    async def tried_once() -> bool:
        return await ScheduledJob.filter(id=job.id, status="pending", attempts=1).exists()

    await eventually(tried_once, within=30)
    assert await LedgerEntry.filter(kind="refund").count() == 0

    # Then Discord refuses for good (403): refunded through the ledger, stock back, member told.
    gk.emulator.faults.clear()
    gk.emulator.faults.server_error(route, times=None, status=403)
    gk.clock.advance(minutes=2)
    await gk.bot.scheduler.run_due()

    async def finished() -> bool:
        return await ScheduledJob.filter(id=job.id, status="done").exists()

    await eventually(finished, within=30)
    assert await wallet(guild, alice) == 100 and "VIP" not in alice.role_names
    [refund] = await LedgerEntry.filter(kind="refund")
    assert refund.wallet_delta == 40 and "VIP pass" in refund.reason
    item = await ShopItem.get(key="vip pass")
    assert (item.stock, item.sold) == (1, 0)
    assert await InventoryItem.filter(quantity__gt=0).count() == 0
    [told] = [m for m in guild.bot_messages("general") if "your money was refunded" in m.content]
    assert f"<@{alice.id}>" in told.content
    assert not await service.audit(guild.id)
    await gk.bot.scheduler.run_due()  # nothing left to do, nothing done twice
    assert await LedgerEntry.filter(kind="refund").count() == 1
    assert len([m for m in guild.bot_messages("general") if "refunded" in m.content]) == 1


async def test_deleting_your_data_drops_a_role_grant_still_waiting(gk) -> None:
    guild = await gk.guild(plugins=["economy"])
    vip = guild.add_role("VIP")
    ada = await guild.member("ada", admin=True)
    await ada.slash("eco item add", name="VIP pass", price=40, stock=2, role=vip)
    alice = await guild.member("alice")
    bob = await guild.member("bob")
    route = "PUT /guilds/{guild}/members/{user}/roles/{role}"
    gk.emulator.faults.server_error(route, times=None, status=500)  # both grants wait for a retry
    assert "follows shortly" in (await alice.slash("buy", item="VIP pass")).content
    assert "follows shortly" in (await bob.slash("buy", item="VIP pass")).content
    assert await ScheduledJob.filter(plugin="economy", kind="grant_role", status="pending").count() == 2

    prompt = await alice.slash("privacy delete")
    await prompt.click("Delete my data")
    [left] = await ScheduledJob.filter(plugin="economy", kind="grant_role", status="pending")
    assert str(alice.id) not in left.payload and str(bob.id) in left.payload

    gk.emulator.faults.clear()  # Discord is back: bob's role arrives, alice's id is gone
    gk.clock.advance(minutes=5)
    await gk.bot.scheduler.run_due()
    await eventually(lambda: _true("VIP" in bob.role_names))
    assert "VIP" not in alice.role_names
    assert not await service.audit(guild.id)  # the anonymised purchase still adds up


async def _true(value: bool) -> bool:
    return value
