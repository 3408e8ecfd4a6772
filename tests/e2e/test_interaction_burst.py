"""A burst of commands against a bot as `guildkit run` starts it: every one answered in 3 s."""

from __future__ import annotations

import asyncio
import statistics
from typing import Any

import interactions
import pytest
from interactions import OptionType, SlashContext, slash_option

from guildkit.core import ipy
from guildkit.core.plugin import Plugin

BURST = 300


class BurstCommands(interactions.Extension):
    @interactions.slash_command(name="say", description="Say it back")
    @slash_option("text", "What to say", opt_type=OptionType.STRING, required=True)
    async def say(self, ctx: SlashContext, text: str) -> None:
        await ctx.send(text)


@pytest.fixture
def gk_plugins(greeter_plugin: Any) -> list[Any]:
    return [
        greeter_plugin,
        Plugin(name="burst", version="0.1.0", description="Says it back", extensions=(BurstCommands,)),
    ]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def test_300_simultaneous_commands_are_all_answered_within_discords_deadline(gk) -> None:
    guild = await gk.guild(plugins=["burst"])
    runtime = gk.bot
    # Nothing lifted: the throttle is bot.toml's default, Discord's 50 a second.
    assert ipy.rest_rate(runtime.client) == runtime.config.bot.rest_requests_per_second == 50
    members = [await guild.member(f"member{n}") for n in range(10)]
    emulator = gk.emulator

    replies = await asyncio.gather(
        *(members[n % len(members)].slash("say", text=f"burst {n}", timeout=15) for n in range(BURST))
    )

    assert sorted(reply.content for reply in replies) == sorted(f"burst {n}" for n in range(BURST))
    burst = [i for i in emulator.world.interactions.values() if i.payload["data"]["name"] == "say"]
    assert len(burst) == BURST
    latencies = [i.callback_at - i.sent_at for i in burst if i.callback_at is not None]
    assert len(latencies) == BURST
    assert emulator.late_callbacks == 0
    assert emulator.global_rate_limited == 0
    p50, p99, worst = statistics.median(latencies), _percentile(latencies, 0.99), max(latencies)
    print(f"\n{BURST} simultaneous commands, callback latency: p50 {p50:.3f} s, p99 {p99:.3f} s, max {worst:.3f} s")
    assert worst < 3.0
