"""What follows a durable change: level roles, announcements, the domain hooks and the economy's
level-up reward. Kept apart from ``service/`` because it talks to Discord and other plugins."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import interactions

from guildkit.core import ipy
from guildkit.core.inputs import render_template, template_fields
from guildkit.core.roles import RoleRefused, check_role_grantable, role_label
from guildkit.core.state import PluginUnavailable
from guildkit.plugins.economy.api import EconomyAPI

from . import service
from .service import Completion, FlushResult, LevelChange

if TYPE_CHECKING:
    from guildkit.core.runtime import Runtime

    from .state import LevelingState

log = logging.getLogger("guildkit.leveling")
HTTPException = interactions.errors.HTTPException


async def apply(state: LevelingState, result: FlushResult) -> None:
    """Fire hooks and pay level-ups, then announce quests and achievements; one member's Discord
    error never stops the rest. Level roles and level-up announcements are not sent from here:
    they were stored as a ``level_effects`` job with the level change (see :func:`deliver`)."""
    runtime = state.runtime
    awarded = result.awarded if hook_implemented(runtime, "leveling_xp_awarded") else ()
    for guild_id, user_id, amount, total in awarded:
        await runtime.hooks.call(
            "leveling_xp_awarded", guild_id=guild_id, runtime=runtime, user_id=user_id, amount=amount, total_xp=total
        )
    outbox = Outbox(runtime.client)
    changed_hook = hook_implemented(runtime, "leveling_level_changed")
    unpaid: set[int] = set()  # guilds where economy cannot pay: asked once per flush, not per level-up
    for change in result.levels:
        if changed_hook:
            await runtime.hooks.call(
                "leveling_level_changed",
                guild_id=change.guild_id,
                runtime=runtime,
                user_id=change.user_id,
                old_level=change.old_level,
                new_level=change.new_level,
            )
        await reward_level_up(state, change, unpaid)
    for done in result.completions:
        hook = "leveling_quest_completed" if done.kind == "quest" else "leveling_achievement_earned"
        key = "quest" if done.kind == "quest" else "achievement"
        await runtime.hooks.call(
            hook,
            guild_id=done.guild_id,
            runtime=runtime,
            user_id=done.user_id,
            **{f"{key}_id": done.item_id, f"{key}_name": done.name},
        )
        try:
            await announce_completion(runtime, done, outbox)
        except Exception:
            log.warning("could not announce a %s in %s", done.kind, done.guild_id, exc_info=True)
    for error in await outbox.send():
        log.warning("could not post leveling announcements: %s", error)


# -- the level_effects job: level roles and level-up announcements, durable --------------------------


def change_to_payload(change: LevelChange) -> list[Any]:
    return [change.user_id, change.old_level, change.new_level, change.xp, change.channel_id, change.announce]


def change_from_payload(guild_id: int, row: list[Any]) -> LevelChange:
    user_id, old_level, new_level, xp, channel_id, announce = row
    return LevelChange(guild_id, int(user_id), int(old_level), int(new_level), int(xp), channel_id, bool(announce))


def is_permanent(error: BaseException) -> bool:
    """Discord refused for good: missing permission or access (403), something gone (404)."""
    return isinstance(error, HTTPException) and error.status in (403, 404)


async def deliver(state: LevelingState, guild_id: int, changes: list[LevelChange], nonce: Callable[[int], str]) -> None:
    """Give and take the level roles of the members in ``changes`` and announce their level-ups.

    Run by the ``level_effects`` job, again after a crash or a transient failure (5xx, a network
    error): role syncs read the stored level, so they are idempotent, and each announcement is
    sent with the job's nonce, so a retry does not post it twice. A refusal for good (a role the
    bot may not grant, Discord's 403, a deleted role or channel) is not retried: it is logged and
    the server is told where its level-ups are announced (:func:`notify_refusal`)."""
    runtime = state.runtime
    failures: list[BaseException] = []
    roles = await service.level_roles(guild_id)
    if roles:
        channels = {change.user_id: change.channel_id for change in changes}
        for user_id, channel_id in channels.items():
            try:
                await sync_roles(state, guild_id, user_id, roles, channel_id)
            except Exception as error:
                log.warning("level roles of %s in %s: %s (retried)", user_id, guild_id, error)
                failures.append(error)
    outbox = Outbox(runtime.client)
    # One job is one guild's level changes: its settings and each target are looked up once.
    announcing = Announcer(runtime, guild_id, await runtime.settings.get(guild_id, "leveling"), outbox)
    for change in changes:
        if change.announce and change.new_level > change.old_level:
            try:
                await announcing.level_up(change)
            except Exception as error:
                if not is_permanent(error):
                    failures.append(error)
                log.warning("could not announce the level-up of %s in %s: %s", change.user_id, guild_id, error)
    failures += await outbox.send(nonce)
    if failures:
        raise failures[0]


async def reward_level_up(state: LevelingState, change: LevelChange, unpaid: set[int] | None = None) -> None:
    """Coins for the levels gained, through economy's API (it pays each level once, whatever
    repeats). Economy not loaded or off in the guild: no payout, and the guild joins ``unpaid``
    (one flush's level-ups in that guild are not offered again)."""
    if change.new_level <= change.old_level or (unpaid is not None and change.guild_id in unpaid):
        return
    try:
        await state.api(EconomyAPI).reward_level_up(change.guild_id, change.user_id, change.old_level, change.new_level)
    except PluginUnavailable:
        if unpaid is not None:
            unpaid.add(change.guild_id)
        return
    except Exception:
        log.warning("could not pay the level-up of %s in %s", change.user_id, change.guild_id, exc_info=True)


class Outbox:
    """Announcements of one flush, grouped per channel: many level-ups in one channel become a few
    messages of up to 50 lines or 1,900 characters each (one REST call per message, and less
    noise), DMs stay single."""

    MAX_LINES = 50
    MAX_CHARS = 1900

    def __init__(self, client: Any) -> None:
        self.client = client
        self.pending: dict[tuple[str, int], tuple[Any, list[tuple[str, int]]]] = {}

    def add(self, target: Any, text: str, user_id: int) -> None:
        key = ("dm" if isinstance(target, interactions.BaseUser) else "channel", int(target.id))
        self.pending.setdefault(key, (target, []))[1].append((text, user_id))

    async def send(self, nonce: Callable[[int], str] | None = None) -> list[BaseException]:
        """Post everything; returns the failures worth retrying (a 403 or 404 is logged and dropped).
        With ``nonce`` (a job's), message ``i`` carries ``nonce(i)``: a retried job posts nothing twice."""
        failures: list[BaseException] = []
        index = 0
        for (kind, _), (target, lines) in self.pending.items():
            chunks: list[list[tuple[str, int]]] = [[]]
            used = 0  # characters of the current chunk, a newline after each line (kept, not summed per line)
            for line in lines:
                current = chunks[-1]
                if current and (kind == "dm" or len(current) >= self.MAX_LINES or used + len(line[0]) > self.MAX_CHARS):
                    chunks.append(current := [])
                    used = 0
                current.append(line)
                used += len(line[0]) + 1
            for chunk in chunks:
                extra: dict[str, Any] = {"nonce": nonce(index), "enforce_nonce": True} if nonce else {}
                index += 1
                content = "\n".join(text[: self.MAX_CHARS] for text, _ in chunk)
                users = list(dict.fromkeys(user for _, user in chunk))
                try:
                    if kind == "channel":
                        # One REST call, no Message built from the answer (a burst of level-ups).
                        await ipy.post_message(
                            self.client,
                            int(target.id),
                            content,
                            allowed_mentions=interactions.AllowedMentions(users=users),
                            **extra,
                        )
                    else:
                        await target.send(content, allowed_mentions={"users": users}, **extra)
                except Exception as error:
                    log.warning("could not post leveling announcements to %s %s: %s", kind, target.id, error)
                    if not is_permanent(error):
                        failures.append(error)
        return failures


def hook_implemented(runtime: Runtime, hook: str) -> bool:
    """Whether any plugin implements ``hook`` (a flush of 1,000 members skips 1,000 empty calls;
    an implementation registered later is called from the next flush on)."""
    caller = getattr(runtime.hooks.manager.hook, hook, None)
    return caller is not None and bool(caller.get_hookimpls())


async def sync_roles(
    state: LevelingState,
    guild_id: int,
    user_id: int,
    roles: list[Any] | None = None,
    channel_id: int | None = None,
) -> None:
    """Give and take the member's level roles for their stored level. One member's syncs run one at
    a time and read the level inside, so a slow background recompute cannot undo a newer level.

    Each role passes the core's grant check first (it may have moved above the bot or gained
    permissions since it was attached). A role refused for good — by that check, Discord's 403 or
    a 404 — is skipped and reported (:func:`notify_refusal`); other errors propagate (retried)."""
    runtime = state.runtime
    if roles is None:
        roles = await service.level_roles(guild_id)
    if not roles or runtime.client is None:
        return
    async with state.role_lock(guild_id, user_id):
        level = await service.stored_level(guild_id, user_id)
        want, drop = service.roles_for_level(roles, level)
        member = await runtime.client.fetch_member(user_id, guild_id)
        if member is None:
            return
        have = set(ipy.role_ids_of(member))
        add, remove = want - have, drop & have
        if not add and not remove:
            return
        guild = member.guild
        configured = {int(r.role_id): r.configured_by for r in roles}
        reason = f"level {level}"
        for role_id, adding in [*((r, True) for r in sorted(add)), *((r, False) for r in sorted(remove))]:
            role = guild.get_role(role_id)
            try:
                if role is None:
                    raise RoleGone(role_id)
                configured_by = configured.get(role_id)
                by = await runtime.client.fetch_member(configured_by, guild_id) if configured_by else None
                check_role_grantable(guild, role, configured_by=by)
                if adding:
                    await member.add_role(role_id, reason=reason)
                else:
                    await member.remove_role(role_id, reason=reason)
            except (RoleRefused, RoleGone) as refused:
                await notify_refusal(state, guild_id, member, role_id, str(refused), channel_id)
            except HTTPException as error:
                if not is_permanent(error):
                    raise
                await notify_refusal(state, guild_id, member, role_id, _discord_refusal(error, role), channel_id)


class RoleGone(Exception):
    def __init__(self, role_id: int) -> None:
        self.role_id = role_id
        super().__init__("The role no longer exists; remove it from the level roles with `/levelrole remove`.")


def _discord_refusal(error: HTTPException, role: Any) -> str:
    name = role_label(role) if role is not None else "the role"
    if error.status == 404:
        return f"Discord says {name} (or the member) is gone ({error.text or error.status})."
    return (
        f"Discord refused: I am missing Manage Roles, or {name} is not below my highest role. "
        "Give me Manage Roles and move my role above it in Server Settings → Roles."
    )


async def notify_refusal(
    state: LevelingState, guild_id: int, member: Any, role_id: int, why: str, channel_id: int | None = None
) -> None:
    """A level role refused for good: not retried; logged, and said (once an hour per role, pinging
    nobody) where the level-up is announced: the announcement channel, else the channel where it
    happened. With announcements by DM or off only the log has it."""
    log.warning("level role %s not given to %s in %s: %s", role_id, int(member.id), guild_id, why)
    key = (guild_id, role_id)
    if key in state.refusals_told:
        return
    state.refusals_told[key] = True
    runtime = state.runtime
    settings = await runtime.settings.get(guild_id, "leveling")
    if settings.announce == "channel" and settings.announce_channel_id:
        channel_id = settings.announce_channel_id
    elif settings.announce != "current":
        channel_id = None
    if channel_id is None or runtime.client is None:
        return
    role = member.guild.get_role(role_id)
    name = role_label(role) if role is not None else f"role {role_id}"
    text = f"⚠️ I could not update the level role {name} of {member.display_name}: {why}"
    try:
        channel = await runtime.client.fetch_channel(channel_id)
        await channel.send(text[:1900])
    except Exception:
        log.warning("could not tell %s about a refused level role", guild_id, exc_info=True)


async def _target(runtime: Runtime, settings: Any, guild_id: int, user_id: int, channel_id: int | None) -> Any:
    client = runtime.client
    if client is None or settings.announce == "off":
        return None
    if settings.announce == "dm":
        user = await client.fetch_user(user_id)
        return user
    if settings.announce == "channel" and settings.announce_channel_id:
        channel_id = settings.announce_channel_id
    if channel_id is None:
        return None
    return await client.fetch_channel(channel_id)


class Announcer:
    """Level-up lines of one guild's changes into ``outbox``: a burst of a thousand level-ups reads
    the settings and the guild once and fetches each target (channel, or member for DMs) once."""

    def __init__(self, runtime: Runtime, guild_id: int, settings: Any, outbox: Outbox) -> None:
        self.runtime = runtime
        self.guild_id = guild_id
        self.settings = settings
        self.outbox = outbox
        self.guild = runtime.client.get_guild(guild_id) if runtime.client else None
        self._targets: dict[int | None, Any] = {}
        # The member's display name is looked up only when the template shows it ({user}).
        self._shows_user = "user" in template_fields(settings.level_up_message)

    async def level_up(self, change: LevelChange) -> None:
        settings = self.settings
        if change.new_level % settings.announce_every:
            return
        key = change.user_id if settings.announce == "dm" else change.channel_id
        if key in self._targets:
            target = self._targets[key]
        else:  # not kept when fetching fails: the next change tries again, as each did alone
            target = self._targets[key] = await _target(
                self.runtime, settings, self.guild_id, change.user_id, change.channel_id
            )
        if target is None:
            return
        guild = self.guild
        member = guild.get_member(change.user_id) if guild and self._shows_user else None
        text = render(
            settings.level_up_message,
            mention=f"<@{change.user_id}>",
            user=member.display_name if member else str(change.user_id),
            level=change.new_level,
            old_level=change.old_level,
            xp=change.xp,
            server=guild.name if guild else "",
        )
        self.outbox.add(target, text, change.user_id)


async def announce_completion(runtime: Runtime, done: Completion, outbox: Outbox) -> None:
    settings = await runtime.settings.get(done.guild_id, "leveling")
    target = await _target(runtime, settings, done.guild_id, done.user_id, done.channel_id)
    if target is None:
        return
    what = "completed the quest" if done.kind == "quest" else "earned the achievement"
    reward = f" (+{done.reward_xp} XP)" if done.reward_xp else ""
    outbox.add(target, f"🏅 <@{done.user_id}> {what} **{done.name}**{reward}!", done.user_id)


def render(template: str, **values: Any) -> str:
    """The level-up text: only the known fields, each value and the whole bounded (core/inputs.py),
    so a template like ``{level:>30000000}`` cannot build a huge string."""
    return render_template(template, values, max_length=Outbox.MAX_CHARS)
