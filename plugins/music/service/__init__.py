"""The music plugin's domain logic: plain async functions over its models, no Discord types."""

from . import favorites, history, players, preferences, presets, privacy

__all__ = ["favorites", "history", "players", "preferences", "presets", "privacy"]
