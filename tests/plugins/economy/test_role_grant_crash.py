"""A role item's role survives a crash between the sale and the grant: a real bot process sells
it and dies (``os._exit``) right after the commit; a new process grants the role from the job
stored with the sale, exactly once, and the member is charged once."""

from __future__ import annotations

import asyncio

from guildkit.core.config import parse_config
from guildkit.core.models import ScheduledJob
from guildkit.core.runtime import Runtime
from guildkit.core.testing.emulator.driver import NoResponse
from guildkit.core.testing.harness import eventually, start_bot_script
from guildkit.plugins.economy import service
from guildkit.plugins.economy.models import LedgerEntry

BOT_SCRIPT = """
import asyncio, os, sys
from datetime import timedelta
from guildkit.core.config import parse_config
from guildkit.core.runtime import Runtime
from guildkit.plugins.economy import effects
from guildkit.plugins.economy.service import shop

shop.GRANT_RETRY_AFTER = timedelta(seconds=1)  # the stored job is due a second after the sale

if os.environ.get("GK_TEST_CRASH_AFTER_SALE"):
    async def crash(*args, **kwargs):
        os._exit(70)  # the sale and its job are committed; the role was never asked for
    effects.settle_now = crash

async def main():
    config = parse_config({{"bot": {{"api_base": {api!r}}}, "database": {{"url": {url!r}, "migrate_on_start": False}},
                           "scheduler": {{"poll_seconds": 0.05}}, "logging": {{"level": "WARNING"}}}})
    runtime = Runtime(config, rest_requests_per_second=1000)
    await runtime.start({token!r})
    sys.stdout.write("STARTED\\n"); sys.stdout.flush()
    try:
        await asyncio.sleep(60)
    finally:
        await runtime.close()

asyncio.run(main())
"""

ROLE_ROUTE = "PUT /guilds/{guild}/members/{user}/roles/{role}"


async def test_a_crash_between_sale_and_grant_grants_the_role_once_after_restart(
    gk_emulator, gk_database_url, tmp_path
) -> None:
    guild = gk_emulator.create_guild("Shop")
    vip = guild.add_role("VIP")
    alice = await guild.member("alice")
    setup = Runtime(parse_config({"database": {"url": gk_database_url}}))
    await setup.open_database()
    try:
        await setup.set_plugin_enabled(guild.id, "economy", True, None)
        settings = await service.settings_for(setup, guild.id)
        await service.add_item(guild.id, "VIP pass", 40, stock=5, role_id=vip.id, settings=settings)
    finally:
        await setup.close_database()
    script = tmp_path / "bot.py"
    script.write_text(BOT_SCRIPT.format(api=gk_emulator.api_base, url=gk_database_url, token=gk_emulator.token))

    crashing = await start_bot_script(script, {"GK_TEST_CRASH_AFTER_SALE": "1"})

    async def commands_synced() -> bool:
        return gk_emulator.world.find_command("buy", guild.id) is not None

    await eventually(commands_synced, within=30)
    try:
        await alice.slash("buy", item="VIP pass", timeout=5)
        raise AssertionError("the crashing bot answered")
    except NoResponse:
        pass  # expected: the bot crashes right after the sale
    assert await asyncio.wait_for(crashing.wait(), timeout=30) == 70
    assert "VIP" not in alice.role_names and not gk_emulator.requests_to(ROLE_ROUTE)

    check = Runtime(parse_config({"database": {"url": gk_database_url}}))
    await check.open_database(migrate=False)
    try:
        assert await LedgerEntry.filter(kind="buy").count() == 1  # charged, sold, and the job stored
        assert await ScheduledJob.filter(plugin="economy", kind="grant_role", status="pending").count() == 1
        recovering = await start_bot_script(script, {})
        try:

            async def granted() -> bool:
                return "VIP" in alice.role_names

            await eventually(granted, within=30)

            async def job_done() -> bool:
                return await ScheduledJob.filter(plugin="economy", kind="grant_role", status="done").count() == 1

            await eventually(job_done, within=30)
        finally:
            recovering.terminate()
            await recovering.wait()
        assert len(gk_emulator.requests_to(ROLE_ROUTE)) == 1  # granted exactly once
        assert await LedgerEntry.filter(kind="buy").count() == 1
        assert await LedgerEntry.filter(kind="refund").count() == 0
        assert (await service.peek(guild.id, alice.id)).wallet == 60
        assert not await service.audit(guild.id)
    finally:
        await check.close_database()
