from guildkit.core.hookspecs import hookspec


@hookspec
def greeter_greeted(guild_id: int, user_id: int, count: int) -> None:
    """Fires after a member was greeted; ``count`` is their total greetings in the guild."""
