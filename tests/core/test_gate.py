"""The gate before dispatch: a plugin that is off in a guild costs no listener task there.

Through the real bot against the emulator: the test counts the tasks interactions.py creates for
each MESSAGE_CREATE (its listener tasks are named ``interactions:: message_create``) and what the
greeter toy plugin's listener stored.
"""

from __future__ import annotations

import asyncio
from typing import Any

import gk_toy_greeter.models as greeter_models

from guildkit.core.testing.harness import created_tasks, eventually

MESSAGE_LISTENER_TASK = "interactions:: message_create"


def named(tasks: list[asyncio.Task[Any]], name: str) -> int:
    return sum(1 for task in tasks if task.get_name() == name)


async def heard(guild_id: int) -> list[str]:
    return await greeter_models.HeardMessage.filter(guild_id=guild_id).values_list("content", flat=True)


async def heard_exactly(guild_id: int, count: int) -> list[str]:
    """What the greeter heard in the guild, once it heard ``count`` messages there."""

    async def check() -> list[str] | None:
        found = await heard(guild_id)
        return found if len(found) >= count else None

    return await eventually(check)


async def message_listener_tasks(gk: Any, member: Any, text: str) -> tuple[int, int]:
    """(listener tasks for MESSAGE_CREATE, flag-reading gate tasks) while ``member`` says ``text``.

    A command's answer comes after the message was dispatched; listeners waiting for their guild's
    flags to be read start once that read ends, so the window also waits for those reads."""
    gate = gk.bot.client.listener_gate
    with created_tasks() as tasks:
        await member.say(text)
        await member.slash("timezone")
        while gate.loading:
            await asyncio.wait(set(gate.loading))
    return named(tasks, MESSAGE_LISTENER_TASK), named(tasks, "guildkit-gate-flags")


async def test_a_disabled_plugins_listener_gets_no_task_and_no_call(gk) -> None:
    on = await gk.guild("On", plugins=["greeter"])
    off = await gk.guild("Off", plugins=[])
    alice_on, alice_off = await on.member("alice"), await off.member("alice")
    flags = gk.bot.flags

    # Flags cached (as on every event after a guild's first): decided in dispatch, synchronously.
    await flags.load(on.id)
    await flags.load(off.id)
    tasks_on, loads_on = await message_listener_tasks(gk, alice_on, "hello from the busy server")
    tasks_off, loads_off = await message_listener_tasks(gk, alice_off, "hello from the quiet server")
    assert await heard_exactly(on.id, 1) == ["hello from the busy server"]
    assert await heard(off.id) == []
    # The greeter's listener is the one task more where it is on; every other plugin is off in both.
    assert tasks_on == tasks_off + 1
    assert (loads_on, loads_off) == (0, 0)

    # Flags not cached (expired, or changed by another process): one task reads them, then
    # starts only the listeners whose plugin is on.
    flags.invalidate()
    uncached_on, uncached_loads_on = await message_listener_tasks(gk, alice_on, "hello again")
    flags.invalidate()
    uncached_off, uncached_loads_off = await message_listener_tasks(gk, alice_off, "hello again, quietly")
    assert await heard_exactly(on.id, 2) == ["hello from the busy server", "hello again"]
    assert await heard(off.id) == []
    assert (uncached_on, uncached_off) == (tasks_on, tasks_off)
    # (An event of the other guild may still arrive in a window, e.g. a command's completion.)
    assert uncached_loads_on >= 1 and uncached_loads_off >= 1


async def test_switching_a_plugin_on_starts_its_listeners_at_once(gk) -> None:
    guild = await gk.guild("Later", plugins=[])
    admin = await guild.member("ada", admin=True)
    alice = await guild.member("alice")
    off_tasks, _ = await message_listener_tasks(gk, alice, "hello before")
    await admin.slash("plugins enable", name="greeter")
    on_tasks, _ = await message_listener_tasks(gk, alice, "hello after")
    assert await heard_exactly(guild.id, 1) == ["hello after"]
    assert on_tasks == off_tasks + 1
