from guildkit.core.hookspecs import hookimpl

#: What the hooks saw, for the tests to read.
seen: list[tuple[str, int, str]] = []


@hookimpl
def plugin_enabled(guild_id: int, plugin: str) -> None:
    seen.append(("enabled", guild_id, plugin))


@hookimpl
async def plugin_disabled(guild_id: int, plugin: str) -> None:
    seen.append(("disabled", guild_id, plugin))
