"""Discord's production limits, enforced by the emulator so a bot breaking them fails a test:
the global REST limit (interaction answers exempt) and the daily command-create quota."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from guildkit.core import clock
from guildkit.core.testing.emulator import DiscordEmulator


def _commands(names: list[str]) -> list[dict[str, Any]]:
    return [{"name": name, "description": f"the {name} command", "type": 1} for name in names]


async def test_more_than_50_requests_a_second_are_refused_but_interaction_answers_are_not(
    emu: DiscordEmulator,
) -> None:
    headers = {"Authorization": f"Bot {emu.token}"}
    async with aiohttp.ClientSession() as session:

        async def get_me() -> tuple[int, Any, Any]:
            async with session.get(f"{emu.api_base}/users/@me", headers=headers) as response:
                return response.status, response.headers, await response.json()

        answers = await asyncio.gather(*(get_me() for _ in range(60)))
        statuses = sorted(status for status, _, _ in answers)
        assert statuses.count(200) == 50 and statuses.count(429) == 10
        _, limited_headers, body = next(answer for answer in answers if answer[0] == 429)
        assert limited_headers["X-RateLimit-Global"] == "true"
        assert limited_headers["X-RateLimit-Scope"] == "global"
        assert body["global"] is True and 0 < body["retry_after"] <= 1

        # Interaction callbacks are not bound to the global limit: 60 more right now are all
        # answered (404 Unknown interaction: these ids do not exist), none 429.
        async def callback(number: int) -> int:
            url = f"{emu.api_base}/interactions/{number}/token/callback"
            async with session.post(url, json={"type": 4, "data": {"content": "x"}}) as response:
                return response.status

        assert set(await asyncio.gather(*(callback(n) for n in range(60)))) == {404}
        assert emu.global_rate_limited == 10


async def test_200_command_creates_a_day_per_guild_and_re_adding_counts_again(emu: DiscordEmulator) -> None:
    manual = clock.ManualClock()
    previous = clock.use(manual)
    guild = emu.create_guild()
    url = f"{emu.api_base}/applications/{emu.application_id}/guilds/{guild.id}/commands"
    headers = {"Authorization": f"Bot {emu.token}"}
    first = [f"c{n}" for n in range(100)]
    try:
        async with aiohttp.ClientSession() as session:

            async def overwrite(names: list[str]) -> tuple[int, Any]:
                async with session.put(url, json=_commands(names), headers=headers) as response:
                    return response.status, await response.json()

            assert (await overwrite(first))[0] == 200
            assert (await overwrite(first))[0] == 200  # nothing new: no creates
            assert emu.command_creates_today(guild) == 100
            assert (await overwrite([]))[0] == 200  # removing is free...
            assert (await overwrite(first[:99]))[0] == 200  # ...re-adding creates again
            assert emu.command_creates_today(guild) == 199
            status, body = await overwrite([*first[:99], "one_too_many", "two_too_many"])
            assert status == 400 and body["code"] == 30034
            assert "(200)" in body["message"]
            assert {c["name"] for c in emu.commands(guild)} == set(first[:99])  # refused whole
            assert (await overwrite([*first[:99], "last_one"]))[0] == 200

            manual.advance(days=1)
            assert emu.command_creates_today(guild) == 0
            assert (await overwrite(["tomorrow"]))[0] == 200
    finally:
        clock.use(previous)
