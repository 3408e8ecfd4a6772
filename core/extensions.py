"""Instantiating interactions.py Extensions once per client.

interactions.py registers the command objects that live on an Extension *class* and binds them to
the first instance (their callbacks become ``partial(callback, instance)``, their ids and scopes
are stored on them). A second client in the same process — a restart, the next test — would then
share the first client's ids, scopes, checks and extension instance. guildkit instead loads a
subclass holding fresh copies, so every runtime has its own command objects.
"""

from __future__ import annotations

from typing import Any

import interactions

from guildkit.core.ipy import fresh_command_copy


def load_extension(
    client: interactions.Client, extension_class: type[interactions.Extension]
) -> interactions.Extension:
    """Instantiate ``extension_class`` on ``client`` with command objects of its own."""
    namespace: dict[str, Any] = {"__module__": extension_class.__module__, "__doc__": extension_class.__doc__}
    for klass in extension_class.__mro__:
        for name, value in vars(klass).items():
            if isinstance(value, interactions.CallbackObject) and name not in namespace:
                namespace[name] = fresh_command_copy(value)
    isolated = type(extension_class.__name__, (extension_class,), namespace)
    return isolated(client)
