"""Instantiating interactions.py Extensions once per client.

interactions.py registers the command objects that live on an Extension *class* and binds them to
the first instance (their callbacks become ``partial(callback, instance)``, their ids and scopes
are stored on them). A second client in the same process — a restart, the next test — would then
share the first client's ids, scopes, checks and extension instance. guildkit instead loads a
subclass holding fresh copies, so every runtime has its own command objects.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import interactions
from interactions.models.internal.callback import CallbackObject

_LIST_FIELDS = ("checks", "scopes", "options", "listeners")
_DICT_FIELDS = ("cmd_id", "autocomplete_callbacks", "subcommands", "parameters")


def _unbound(callback: Any) -> Any:
    if (
        isinstance(callback, functools.partial)
        and callback.args
        and isinstance(callback.args[0], interactions.Extension)
    ):
        return callback.func
    return callback


def fresh_copy(obj: CallbackObject) -> CallbackObject:
    fresh = copy.copy(obj)
    for name in _LIST_FIELDS:
        value = getattr(fresh, name, None)
        if isinstance(value, list):
            setattr(fresh, name, list(value))
    for name in _DICT_FIELDS:
        value = getattr(fresh, name, None)
        if isinstance(value, dict):
            setattr(fresh, name, dict(value))
    if hasattr(fresh, "extension"):
        fresh.extension = None
    for name in ("callback", "error_callback", "pre_run_callback", "post_run_callback"):
        if getattr(fresh, name, None) is not None:
            setattr(fresh, name, _unbound(getattr(fresh, name)))
    if isinstance(getattr(fresh, "autocomplete_callbacks", None), dict):
        fresh.autocomplete_callbacks = {k: _unbound(v) for k, v in fresh.autocomplete_callbacks.items()}
    return fresh


def load_extension(
    client: interactions.Client, extension_class: type[interactions.Extension]
) -> interactions.Extension:
    """Instantiate ``extension_class`` on ``client`` with command objects of its own."""
    namespace: dict[str, Any] = {"__module__": extension_class.__module__, "__doc__": extension_class.__doc__}
    for klass in extension_class.__mro__:
        for name, value in vars(klass).items():
            if isinstance(value, CallbackObject) and name not in namespace:
                namespace[name] = fresh_copy(value)
    isolated = type(extension_class.__name__, (extension_class,), namespace)
    return isolated(client)
