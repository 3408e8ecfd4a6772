from guildkit.core.hookspecs import hookimpl

#: What the hooks saw, for the tests to read.
seen: list[tuple[str, int, str]] = []


@hookimpl
def plugin_enabled(guild_id: int, plugin: str) -> None:
    seen.append(("enabled", guild_id, plugin))


@hookimpl
async def plugin_disabled(guild_id: int, plugin: str) -> None:
    seen.append(("disabled", guild_id, plugin))


@hookimpl
async def user_data_export(user_id: int) -> dict:
    from .models import Greeting, HeardMessage, Visit

    return {
        "greetings": await Greeting.filter(user_id=user_id).values("guild_id", "count", "last_at"),
        "messages_heard": await HeardMessage.filter(author_id=user_id).values("guild_id", "content", "heard_at"),
        "visits": await Visit.filter(user_id=user_id).count(),
    }


@hookimpl
async def user_data_delete(user_id: int) -> None:
    from .models import Greeting, HeardMessage, Visit

    await Greeting.filter(user_id=user_id).delete()
    await HeardMessage.filter(author_id=user_id).delete()
    await Visit.filter(user_id=user_id).delete()
