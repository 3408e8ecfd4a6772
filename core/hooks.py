"""The pluggy hook registry: calls go through pluggy's own machinery (ordering, ``firstresult``,
wrappers, hook-call monitoring); guildkit adds per-plugin error isolation, per-guild gating and
awaiting of async implementations around it."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import pluggy

from guildkit.core import hookspecs
from guildkit.core.errors import StartupError, report_unexpected

#: Core hooks every plugin hears whatever its flag in the guild.
UNGATED_HOOKS = frozenset({"plugin_enabled", "plugin_disabled", "guild_joined", "guild_left"})

_IMPL_MARKER = f"{hookspecs.PROJECT}_impl"


class HookRegistry:
    """Wraps a pluggy PluginManager. Plugins register under their plugin name, through
    :meth:`register` (not ``manager.register``), so their implementations are isolated."""

    def __init__(self) -> None:
        self.manager = pluggy.PluginManager(hookspecs.PROJECT)
        #: Set by the runtime: answers "is plugin X on in guild G" from the flag cache.
        self.is_enabled: Callable[[int, str], Awaitable[bool]] | None = None
        self._gated_names: frozenset[str] = frozenset()
        # hook name -> the gated plugins implementing it, in pluggy's call order.
        self._gated_implementers: dict[str, tuple[str, ...]] = {}
        # (hook name, names of the plugins left out) -> pluggy's subset caller for that.
        self._subset_callers: dict[tuple[str, frozenset[str]], pluggy.HookCaller] = {}
        self.add_hookspecs(hookspecs)

    @property
    def gated_names(self) -> frozenset[str]:
        """Plugin names gated by flags (the core's own registrations are not)."""
        return self._gated_names

    @gated_names.setter
    def gated_names(self, names: frozenset[str]) -> None:
        self._gated_names = names
        self._forget_callers()

    def add_hookspecs(self, module: object) -> None:
        self.manager.add_hookspecs(module)
        # A plugin registered earlier may implement a firstresult hook declared only now.
        for name in dir(module):
            if self.manager.parse_hookspec_opts(module, name) is None:
                continue
            caller: pluggy.HookCaller = getattr(self.manager.hook, name)
            if _is_firstresult(caller):
                for impl in caller.get_hookimpls():
                    if not (impl.wrapper or impl.hookwrapper) and inspect.iscoroutinefunction(impl.function):
                        raise _async_firstresult_error(impl.plugin_name, name)
        self._forget_callers()

    def register(self, plugin_name: str, implementation: object) -> None:
        """Register ``implementation`` (a module, class or instance with ``@hookimpl`` functions).

        pluggy gets a stand-in whose plain implementations catch and log their own exceptions;
        wrappers (``wrapper=True`` / ``hookwrapper=True``) are handed over untouched.
        """
        isolated = _IsolatedPlugin(plugin_name, implementation)
        for attribute in dir(implementation):
            opts = self.manager.parse_hookimpl_opts(implementation, attribute)
            if opts is None:
                continue
            function = getattr(implementation, attribute)
            if opts.get("wrapper") or opts.get("hookwrapper"):
                setattr(isolated, attribute, function)
                continue
            hook_name = opts.get("specname") or attribute
            if inspect.iscoroutinefunction(function) and _is_firstresult(getattr(self.manager.hook, hook_name, None)):
                raise _async_firstresult_error(plugin_name, hook_name)
            setattr(isolated, attribute, _isolated(function, opts, f"hook {hook_name} of plugin {plugin_name}"))
        self.manager.register(isolated, name=plugin_name)
        self._forget_callers()

    def has_hook(self, name: str) -> bool:
        return hasattr(self.manager.hook, name)

    async def call(self, name: str, *, guild_id: int | None = None, **kwargs: Any) -> Any:
        """Call hook ``name`` through pluggy and return pluggy's result.

        For a normal hook that is the list of non-None results in pluggy's call order (tryfirst /
        trylast and registration order respected), after awaiting the awaitables among them one by
        one in that order. For a ``firstresult`` hook it is the first non-None result, or None.
        An implementation that raises is logged under an error id and counts as None. With
        ``guild_id`` (also passed to the implementations), plugins disabled in that guild are left
        out, except for the hooks in ``UNGATED_HOOKS``.
        """
        caller = self._hook_caller(name)
        if guild_id is not None:
            kwargs["guild_id"] = guild_id
            if name not in UNGATED_HOOKS and self.is_enabled is not None:
                caller = await self._caller_in_guild(caller, guild_id, self.is_enabled)
        result = caller(**kwargs)
        if _is_firstresult(caller):
            return result
        return await _settled(result)

    async def call_each(self, name: str, *, guild_id: int | None = None, **kwargs: Any) -> dict[str, Any]:
        """Call hook ``name`` once per implementing plugin and return ``{plugin name: result}``
        (non-None results only, in pluggy's call order), for answers that belong to their plugin
        such as the privacy export. Each call is a pluggy call to a subset caller holding only that
        plugin, so wrappers of that plugin and hook-call monitoring see it; gating as in :meth:`call`.
        """
        caller = self._hook_caller(name)
        is_enabled = self.is_enabled if guild_id is not None and name not in UNGATED_HOOKS else None
        if guild_id is not None:
            kwargs["guild_id"] = guild_id
        firstresult = _is_firstresult(caller)
        implementers = _plugin_names(impl for impl in reversed(caller.get_hookimpls()) if not _is_wrapper(impl))
        answers: dict[str, Any] = {}
        for plugin_name in implementers:
            if (
                is_enabled is not None
                and guild_id is not None
                and plugin_name in self._gated_names
                and not await is_enabled(guild_id, plugin_name)
            ):
                continue
            others = _plugin_names(impl for impl in caller.get_hookimpls() if impl.plugin_name != plugin_name)
            result = self._subset_caller(name, others)(**kwargs)
            if not firstresult:
                settled = await _settled(result)
                result = settled[0] if settled else None
            if result is not None:
                answers[plugin_name] = result
        return answers

    def _hook_caller(self, name: str) -> pluggy.HookCaller:
        caller: pluggy.HookCaller | None = getattr(self.manager.hook, name, None)
        if caller is None:
            raise KeyError(f"no hookspec named {name!r}; did the plugin declare its hookspecs module?")
        return caller

    async def _caller_in_guild(
        self, caller: pluggy.HookCaller, guild_id: int, is_enabled: Callable[[int, str], Awaitable[bool]]
    ) -> pluggy.HookCaller:
        """``caller`` without the plugins disabled in ``guild_id``; ``caller`` itself when none is."""
        name = caller.name
        gated = self._gated_implementers.get(name)
        if gated is None:
            gated = _plugin_names(
                impl for impl in reversed(caller.get_hookimpls()) if impl.plugin_name in self._gated_names
            )
            self._gated_implementers[name] = gated
        disabled: list[str] | None = None
        for plugin_name in gated:
            if not await is_enabled(guild_id, plugin_name):
                if disabled is None:
                    disabled = []
                disabled.append(plugin_name)
        if disabled is None:
            return caller
        return self._subset_caller(name, disabled)

    def _subset_caller(self, name: str, removed: Iterable[str]) -> pluggy.HookCaller:
        key = (name, frozenset(removed))
        subset = self._subset_callers.get(key)
        if subset is None:
            plugins = [self.manager.get_plugin(plugin_name) for plugin_name in key[1]]
            subset = self.manager.subset_hook_caller(name, remove_plugins=plugins)
            self._subset_callers[key] = subset
        return subset

    def _forget_callers(self) -> None:
        self._gated_implementers.clear()
        self._subset_callers.clear()


class _IsolatedPlugin:
    """What pluggy registers in place of a plugin's hooks object: the same hookimpls, isolated."""

    def __init__(self, plugin_name: str, source: object) -> None:
        self._guildkit_plugin_name = plugin_name
        self._guildkit_source = source

    def __repr__(self) -> str:
        return f"<hooks of plugin {self._guildkit_plugin_name}: {self._guildkit_source!r}>"


def _isolated(function: Callable[..., Any], opts: dict[str, Any], where: str) -> Callable[..., Any]:
    """``function`` logging its own exceptions (under an error id) and returning None instead.

    ``functools.wraps`` keeps the signature pluggy reads the argument names from; the marker is
    set explicitly because a classmethod marked above ``@classmethod`` carries it elsewhere.
    """
    if inspect.iscoroutinefunction(function):

        @functools.wraps(function)
        async def isolated_coroutine(*args: Any) -> Any:
            try:
                return await function(*args)
            except Exception as error:
                report_unexpected(error, where)
                return None

        setattr(isolated_coroutine, _IMPL_MARKER, opts)
        return isolated_coroutine

    @functools.wraps(function)
    def isolated(*args: Any) -> Any:
        try:
            return function(*args)
        except Exception as error:
            report_unexpected(error, where)
            return None

    setattr(isolated, _IMPL_MARKER, opts)
    return isolated


async def _settled(results: Any) -> Any:
    """pluggy's result list with every awaitable awaited in order and Nones dropped."""
    if not results or not isinstance(results, list):
        return results  # nothing to await, or a wrapper replaced the list with something else
    settled: list[Any] = []
    for index, result in enumerate(results):
        if inspect.isawaitable(result):
            try:
                result = await result
            except BaseException:
                # Cancelled: the coroutines not reached yet will never run; close them quietly.
                for pending in results[index + 1 :]:
                    if inspect.iscoroutine(pending):
                        pending.close()
                raise
        if result is not None:
            settled.append(result)
    return settled


def _is_firstresult(caller: pluggy.HookCaller | None) -> bool:
    spec = caller.spec if caller is not None else None
    return spec is not None and bool(spec.opts.get("firstresult"))


def _is_wrapper(impl: pluggy.HookImpl) -> bool:
    return impl.wrapper or impl.hookwrapper


def _plugin_names(impls: Iterable[pluggy.HookImpl]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(impl.plugin_name for impl in impls))


def _async_firstresult_error(plugin_name: str, hook_name: str) -> StartupError:
    return StartupError(
        f"Plugin {plugin_name!r} implements the firstresult hook {hook_name!r} with a coroutine function. "
        "A firstresult hook stops at the first answer, which a coroutine is before it runs: "
        "implement it as a plain (def) function."
    )
