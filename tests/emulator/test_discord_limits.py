"""Discord's production limits, enforced by the emulator so a bot breaking them fails a test:
the global REST limit (interaction answers exempt), per-route buckets and the daily
command-create quota."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from guildkit.core import clock
from guildkit.core.testing.emulator import DiscordEmulator, RouteLimit


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


async def test_a_channel_takes_five_messages_per_five_seconds_and_tells_the_client_in_headers(
    emu: DiscordEmulator,
) -> None:
    guild = emu.create_guild()
    general, other = guild.channel("general"), guild.add_channel("other")
    headers = {"Authorization": f"Bot {emu.token}"}
    async with aiohttp.ClientSession() as session:

        async def post(channel_id: int, content: str) -> tuple[int, Any, Any]:
            url = f"{emu.api_base}/channels/{channel_id}/messages"
            async with session.post(url, json={"content": content}, headers=headers) as response:
                return response.status, response.headers, await response.json()

        answers = [await post(general.id, f"message {n}") for n in range(7)]
        assert [status for status, _, _ in answers] == [200] * 5 + [429] * 2
        assert [h["X-RateLimit-Remaining"] for _, h, _ in answers[:5]] == ["4", "3", "2", "1", "0"]
        assert {h["X-RateLimit-Limit"] for _, h, _ in answers} == {"5"}
        assert 0 < float(answers[0][1]["X-RateLimit-Reset-After"]) <= 5
        _, refused_headers, refused = answers[5]
        assert refused_headers["X-RateLimit-Scope"] == "user" and "X-RateLimit-Global" not in refused_headers
        assert refused["global"] is False and 0 < refused["retry_after"] <= 5
        # Refused messages are not stored; another channel has its own bucket with the same hash.
        assert [m.content for m in guild.bot_messages(general)] == [f"message {n}" for n in range(5)]
        status, other_headers, _ = await post(other.id, "elsewhere")
        assert status == 200 and other_headers["X-RateLimit-Remaining"] == "4"
        assert other_headers["X-RateLimit-Bucket"] == answers[0][1]["X-RateLimit-Bucket"]
    assert emu.route_rate_limited == 2 and emu.global_rate_limited == 0


async def test_an_empty_bucket_refills_after_reset_after() -> None:
    async with DiscordEmulator(route_rate_limits={"POST /channels/{channel_id}/messages": RouteLimit(2, 0.5)}) as emu:
        guild = emu.create_guild()
        url = f"{emu.api_base}/channels/{guild.channel('general').id}/messages"
        headers = {"Authorization": f"Bot {emu.token}"}
        async with aiohttp.ClientSession() as session:

            async def post() -> tuple[int, Any]:
                async with session.post(url, json={"content": "hi"}, headers=headers) as response:
                    return response.status, response.headers

            assert [(await post())[0] for _ in range(3)] == [200, 200, 429]
            status, refused_headers = await post()
            assert status == 429
            await asyncio.sleep(float(refused_headers["X-RateLimit-Reset-After"]) + 0.01)
            assert (await post())[0] == 200
        assert len(guild.bot_messages("general")) == 3
