"""guildkit: a plugin framework for Discord bots built on interactions.py."""

__version__ = "0.1.0"
