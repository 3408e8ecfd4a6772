"""Discord REST v10 as the emulator speaks it, split by area."""

from __future__ import annotations

from . import commands, guilds, interactions, messages, meta
from .base import Call, Router, Upload, json_response, read_body


def build_router() -> Router:
    """All routes; order matters where templates overlap (``@me`` before ``{user_id}``)."""
    router = Router()
    meta.register(router)
    commands.register(router)
    interactions.register(router)
    messages.register(router)
    guilds.register(router)
    return router


__all__ = ["Call", "Router", "Upload", "build_router", "json_response", "read_body"]
