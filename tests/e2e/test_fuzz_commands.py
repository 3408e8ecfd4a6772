"""The project's own fuzz test: every slash command of a bot with every built-in plugin on, from
the live client, given hostile values through the emulator.

For each case (one option of one command path set to a hostile value, the other required options
to ordinary ones) it asserts: an answer arrives; a refusal is ephemeral and changes no row
(every table hashed before and after, except the user registry's "last seen"); no reply says
"error id"; no message is over Discord's limits; no message pings @everyone, @here or a role.
The emulator refuses what Discord's client would (strings over ``max_length``, numbers outside
``min_value``/``max_value``, wrong channel types): those count as "refused by Discord-side limits".

New plugins are covered automatically: the cases come from whatever commands the client holds.
The permission test runs every privileged command (``default_member_permissions`` set) as a plain
member, with the server owner having opened the command to everyone, and expects a refusal.

Values are sampled with a fixed seed, so a run is reproducible.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import interactions
import pytest

from guildkit.core.discovery import builtin_plugins
from guildkit.core.testing.emulator.driver import (
    CommandNotPermitted,
    NoResponse,
    OptionError,
)

SEED = 20261129
#: Per option, how many of its type's hostile values are tried (all when fewer).
VALUES_PER_OPTION = 6
#: Tables a refused command may still touch: the user registry's "last seen" bookkeeping and the
#: hourly command counts.
BOOKKEEPING_TABLES = frozenset({"gk_user", "gk_command_usage_hour", "aerich"})

STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 3, 4, 5, 6, 7, 8, 9, 10, 11

#: Driver errors that mean this test built a wrong call, not that Discord refused a value.
HARNESS_MISTAKES = ("unknown option", "missing required", "has no subcommand", "needs a subcommand")

#: Ordinary values of required text options that must parse, by (command path, option): with
#: "test" every case of such a command was refused before reaching the option made hostile.
ORDINARY_TEXT: dict[tuple[str, str], Callable[[Scene], str]] = {
    ("remind", "when"): lambda scene: "in 2 hours",
    ("timer", "duration"): lambda scene: "25m",
    ("watch add", "interval"): lambda scene: "1h",
    ("watch add", "message"): lambda scene: scene.post_link,
}

HOSTILE_TEXT = [
    "",
    "x" * 6000,
    "a\x00b",
    "\u202egnp.exe",  # right-to-left override
    "z\u0338\u0322\u031ba\u0337l\u0336g\u0335o\u0334" * 20,  # zalgo
    "🔥" * 50,
    "'; DROP TABLE gk_feature_flag; --",
    "@everyone",
    "@here hello",
    "<@&{role}>",
    "{level:>30000000}",
    "```" * 30,
]
HOSTILE_INTEGERS = [0, -1, 2**31, -(2**31) - 1, 2**53, -(2**53), 2**53 - 1]
HOSTILE_NUMBERS = [0.0, -1.0, 1e-9, 1e15, -1e15, float(2**53)]


@dataclass
class Scene:
    guild: Any
    plain: Any  # alice, a member without permissions
    admin: Any  # ada, Administrator
    other: Any  # bob, a member
    bot_member: Any  # robo, a bot in the server
    outsider: int  # a user who never joined
    gone: Any  # a member who left
    fans: Any  # a mentionable role
    roles: dict[str, Any] = field(default_factory=dict)
    channels: dict[str, Any] = field(default_factory=dict)
    #: A link to a message in the server (posted by the bot member, so no plugin counts it).
    post_link: str = ""


@dataclass(frozen=True)
class Leaf:
    """One usable command path: ``"eco item add"``, its options, who owns it, whether privileged."""

    path: str
    options: tuple[Any, ...]
    owner: str
    privileged: bool


@dataclass
class Report:
    tried: int = 0
    discord_refused: int = 0
    bot_refused: int = 0
    accepted: int = 0
    failures: list[str] = field(default_factory=list)
    #: Rows of another plugin changed by a refused command (its hooks counting the command, or
    #: its buffer flushed meanwhile): that plugin's failure, printed here, asserted in its run.
    elsewhere: list[str] = field(default_factory=list)


def table_owner(table: str, plugin_names: set[str]) -> str:
    prefix = table.split("_", 1)[0]
    return prefix if prefix in plugin_names else "core"


def live_leaves(runtime: Any, guild_id: int) -> list[Leaf]:
    """Every slash command path the live client holds for the guild and globally."""
    client = runtime.client
    leaves: dict[str, Leaf] = {}
    for scope in (0, guild_id):
        for command in client.interactions_by_scope.get(scope, {}).values():
            if not isinstance(command, interactions.SlashCommand):
                continue
            name = command.resolved_name
            owner = runtime.command_owner.get(name, "core")
            privileged = command.default_member_permissions not in (None, interactions.MISSING)
            leaves[name] = Leaf(name, tuple(command.options or ()), owner, privileged)
    return sorted(leaves.values(), key=lambda leaf: leaf.path)


def _bounded(option: Any, wanted: float) -> float:
    low = option.min_value if option.min_value is not None else wanted
    high = option.max_value if option.max_value is not None else wanted
    return min(max(wanted, low), high)


def ordinary_value(option: Any, scene: Scene, path: str = "") -> Any:
    """A value a careful member would give."""
    kind = int(option.type)
    if (path, str(option.name)) in ORDINARY_TEXT:
        return ORDINARY_TEXT[(path, str(option.name))](scene)
    if option.choices:
        choice = option.choices[0]
        return choice.value if hasattr(choice, "value") else choice["value"]
    if kind == STRING:
        low = option.min_length or 1
        return "test"[: option.max_length or 4].ljust(low, "t")
    if kind == INTEGER:
        return int(_bounded(option, 1))
    if kind == NUMBER:
        return float(_bounded(option, 1.0))
    if kind == BOOLEAN:
        return True
    if kind in (USER, MENTIONABLE):
        return scene.other
    if kind == CHANNEL:
        return scene.channels["text"]
    if kind == ROLE:
        return scene.roles["plain"]
    if kind == ATTACHMENT:
        return ("note.txt", b"hello", "text/plain")
    raise AssertionError(f"unknown option type {kind}")


def hostile_values(option: Any, scene: Scene, rng: random.Random) -> list[tuple[str, Any]]:
    """(label, value) pairs for one option, sampled from its type's hostile values."""
    kind = int(option.type)
    if kind == STRING:
        values = [(repr(v[:20]), v.replace("{role}", str(scene.fans.id))) for v in HOSTILE_TEXT]
    elif kind == INTEGER:
        values = [(str(v), v) for v in HOSTILE_INTEGERS]
    elif kind == NUMBER:
        values = [(str(v), v) for v in HOSTILE_NUMBERS]
    elif kind in (USER, MENTIONABLE):
        values = [
            ("a bot", scene.bot_member),
            ("oneself", "<self>"),
            ("never joined", scene.outsider),
            ("left the server", scene.gone.id),
        ]
    elif kind == CHANNEL:
        values = [(f"#{name}", channel) for name, channel in scene.channels.items() if name != "text"]
    elif kind == ROLE:
        values = [(f"@{name}", role) for name, role in scene.roles.items() if name != "plain"]
    else:
        return []
    if len(values) > VALUES_PER_OPTION:
        values = rng.sample(values, VALUES_PER_OPTION)
    return values


async def ordinary_values(leaf: Leaf, actor: Any, scene: Scene) -> dict[str, Any]:
    """Ordinary values of the required options; an autocompleted one takes the bot's first
    suggestion (a real plugin name, setting key, item...), so hostile values reach deeper code."""
    values: dict[str, Any] = {}
    for option in leaf.options:
        name = str(option.name)
        value = ordinary_value(option, scene, leaf.path)
        if option.autocomplete:
            try:
                choices = await actor.autocomplete(leaf.path, name, "", timeout=4, **values)
            except (NoResponse, OptionError):
                choices = []
            if choices:
                value = choices[0]["value"]
        if option.required or option.autocomplete:
            values[name] = value
    return values


def cases(
    leaf: Leaf, required: dict[str, Any], scene: Scene, rng: random.Random
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(description, option values) for a leaf: each option in turn hostile, the others ordinary."""
    if not leaf.options:
        yield "no options", {}
    for option in leaf.options:
        for label, value in hostile_values(option, scene, rng):
            values = dict(required)
            values[str(option.name)] = value
            yield f"{option.name}={label}", values


async def snapshot(runtime: Any) -> dict[str, str]:
    """Every table's rows, hashed; the bookkeeping tables left out."""
    conn = runtime.db_connection()
    if runtime.database.dialect == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        query = "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
    _, tables = await conn.execute_query(query)
    hashes = {}
    for row in tables:
        name = row["name"]
        if name in BOOKKEEPING_TABLES:
            continue
        _, rows = await conn.execute_query(f'SELECT * FROM "{name}"')
        digest = hashlib.sha256(repr(sorted(repr(sorted(dict(r).items())) for r in rows)).encode()).hexdigest()
        hashes[name] = f"{len(rows)}:{digest[:16]}"
    return hashes


def message_problems(reply: Any) -> list[str]:
    problems = []
    messages = [m for m in [reply.message, *(f.message for f in reply.followups)] if m is not None]
    for message in messages:
        text = message.content + " ".join(str(e) for e in message.embeds)
        if "error id" in text.lower():
            problems.append(f"internal error: {message.content[:120]!r}")
        if len(message.content) > 2000:
            problems.append(f"content of {len(message.content)} characters")
        if message.pinged_groups:
            problems.append("pinged @everyone/@here or a role")
    return problems


async def build_scene(gk: Any) -> Scene:
    names = [plugin.name for plugin in builtin_plugins()]
    guild = await gk.guild(plugins=names)
    await guild.bot_role.edit(permissions=guild.bot_role.permissions | (1 << 17))  # may ping everyone
    fans = guild.add_role("Fans", mentionable=True)
    plain_role = guild.add_role("Plain")
    roles = {
        "plain": plain_role,
        "everyone": guild.everyone,
        "bot's managed role": guild.bot_role,
        "above the bot": guild.add_role("Above", ["ADMINISTRATOR"], position=guild.bot_role.position + 1),
        "Administrator": guild.add_role("Admins", ["ADMINISTRATOR"]),
        "mentionable": fans,
    }
    channels = {
        "text": guild.channel("general"),
        "voice": guild.add_channel("Lounge", "voice"),
        "category": guild.add_channel("Stuff", "category"),
        "other": guild.add_channel("other"),
    }
    alice = await guild.member("alice", roles=[fans])
    gone = await guild.member("gone")
    await gone.leave_guild()
    outsider = gk.emulator.world.create_user("outsider").id
    robo = await guild.member("robo", bot=True)
    post = gk.emulator.world.create_message(channels["other"].model, robo.id, content="Please read the rules")
    return Scene(
        guild=guild,
        plain=alice,
        admin=await guild.member("ada", admin=True),
        other=await guild.member("bob"),
        bot_member=robo,
        outsider=outsider,
        gone=gone,
        fans=fans,
        roles=roles,
        channels=channels,
        post_link=f"https://discord.com/channels/{guild.id}/{post.channel_id}/{post.id}",
    )


async def keep_plugins_on(gk: Any, guild_id: int) -> None:
    """A case may switch a plugin off (/plugins disable); the next case needs it on."""
    for plugin in builtin_plugins():
        if not await gk.bot.flags.own_value(guild_id, plugin.name):
            await gk.bot.set_plugin_enabled(guild_id, plugin.name, True, actor_id=None)


async def run_fuzz(gk: Any, owner: str) -> Report:
    scene = await build_scene(gk)
    runtime = gk.bot
    refused: set[int] = set()
    original_reply_to_error = runtime.reply_to_error

    async def recording_reply_to_error(ctx: Any, error: BaseException, where: str) -> None:
        refused.add(int(ctx.id))
        await original_reply_to_error(ctx, error, where)

    runtime.reply_to_error = recording_reply_to_error  # observe which answers are the core's refusals
    rng = random.Random(f"{SEED}:{owner}")
    plugin_names = {plugin.name for plugin in builtin_plugins()}
    report = Report()
    leaves = [leaf for leaf in live_leaves(runtime, scene.guild.id) if leaf.owner == owner]
    assert leaves, f"no commands of {owner} on the live client"
    for leaf in leaves:
        actor = scene.admin if leaf.privileged else scene.plain
        required = await ordinary_values(leaf, actor, scene)
        for label, values in cases(leaf, required, scene, rng):
            values = {k: (actor if v == "<self>" else v) for k, v in values.items()}
            where = f"/{leaf.path} {label}"
            report.tried += 1
            before = await snapshot(runtime)
            try:
                reply = await actor.slash(leaf.path, options=values, timeout=4)
            except (OptionError, CommandNotPermitted) as refusal:
                if any(words in str(refusal) for words in HARNESS_MISTAKES):
                    raise
                report.discord_refused += 1
                continue
            except NoResponse as error:
                report.failures.append(f"{where}: no answer ({str(error)[:160]})")
                await keep_plugins_on(gk, scene.guild.id)
                continue
            problems = message_problems(reply)
            if int(reply.interaction.id) in refused:
                report.bot_refused += 1
                if not reply.ephemeral:
                    problems.append("refusal not ephemeral")
                after = await snapshot(runtime)
                changed = sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))
                own = [t for t in changed if table_owner(t, plugin_names) in (owner, "core")]
                if own:
                    problems.append(f"refused but changed {', '.join(own)}")
                if others := sorted(set(changed) - set(own)):
                    report.elsewhere.append(f"{where}: refused but changed {', '.join(others)}")
            else:
                report.accepted += 1
            report.failures += [f"{where}: {problem}" for problem in problems]
            await keep_plugins_on(gk, scene.guild.id)
    return report


def _owners() -> list[str]:
    return ["core", *(plugin.name for plugin in builtin_plugins())]


@pytest.mark.parametrize("owner", _owners())
async def test_fuzz_every_command(gk, owner: str) -> None:
    report = await run_fuzz(gk, owner)
    print(
        f"\nfuzz {owner} on {gk.dialect}: {report.tried} cases tried, "
        f"{report.discord_refused} refused by Discord-side limits, {report.bot_refused} refused by the bot, "
        f"{report.accepted} accepted, {len(report.failures)} failure(s)"
    )
    for failure in report.failures:
        print(f"  FAIL {failure}")
    for failure in report.elsewhere:
        print(f"  ELSEWHERE {failure}")
    assert not report.failures, f"{len(report.failures)} failure(s):\n" + "\n".join(report.failures[:60])


@pytest.mark.parametrize("owner", _owners())
async def test_privileged_commands_refuse_plain_members_even_when_opened_to_everyone(gk, owner: str) -> None:
    scene = await build_scene(gk)
    runtime = gk.bot
    leaves = [leaf for leaf in live_leaves(runtime, scene.guild.id) if leaf.owner == owner and leaf.privileged]
    if not leaves:
        pytest.skip(f"{owner} has no privileged commands")
    refused: set[int] = set()
    original_reply_to_error = runtime.reply_to_error

    async def recording_reply_to_error(ctx: Any, error: BaseException, where: str) -> None:
        refused.add(int(ctx.id))
        await original_reply_to_error(ctx, error, where)

    runtime.reply_to_error = recording_reply_to_error
    failures: list[str] = []
    outcomes: Counter[str] = Counter()
    plugin_names = {plugin.name for plugin in builtin_plugins()}
    world = gk.emulator.world
    for leaf in leaves:
        values = {str(o.name): ordinary_value(o, scene, leaf.path) for o in leaf.options if o.required}
        # Discord hides the command from a plain member...
        try:
            await scene.plain.slash(leaf.path, options=values, timeout=4)
            failures.append(f"/{leaf.path}: a plain member could use it with the default permissions")
        except CommandNotPermitted:
            outcomes["hidden by default"] += 1
        # ...until the owner opens it to everyone in Server Settings → Integrations.
        top = leaf.path.split()[0]
        command = world.find_command(top, scene.guild.id)
        assert command is not None
        saved = command.data.get("default_member_permissions")
        command.data["default_member_permissions"] = None
        before = await snapshot(runtime)
        try:
            reply = await scene.plain.slash(leaf.path, options=values, timeout=4)
        except NoResponse:
            failures.append(f"/{leaf.path}: no answer")
            continue
        finally:
            command.data["default_member_permissions"] = saved
        if int(reply.interaction.id) not in refused or not reply.ephemeral:
            failures.append(f"/{leaf.path}: a plain member was not refused: {reply.content[:100]!r}")
            await keep_plugins_on(gk, scene.guild.id)
            continue
        after = await snapshot(runtime)
        changed = sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))
        # As in the fuzz test: another plugin's rows may move meanwhile (its buffers flushing on
        # their own clock); whether *it* counts refused commands is asserted in its own tests.
        own = [t for t in changed if table_owner(t, plugin_names) in (owner, "core")]
        if own:
            failures.append(f"/{leaf.path}: refused but changed {', '.join(own)}")
        else:
            outcomes["refused when opened"] += 1
        if others := sorted(set(changed) - set(own)):
            print(f"  ELSEWHERE /{leaf.path}: refused but changed {', '.join(others)}")
        await keep_plugins_on(gk, scene.guild.id)
    print(f"\npermissions {owner} on {gk.dialect}: {dict(outcomes)}; {len(failures)} failure(s)")
    for failure in failures:
        print(f"  FAIL {failure}")
    assert not failures, "\n".join(failures)
