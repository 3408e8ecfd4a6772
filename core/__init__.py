"""The guildkit core: plugin contract, hooks, persistence, flags, settings and the Discord client."""
