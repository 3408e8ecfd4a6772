"""Login, application, gateway discovery, users and DM channels."""

from __future__ import annotations

from typing import Any

from ..errors import DiscordHTTPError, form_error
from .base import Call, Router


def register(router: Router) -> None:
    @router.route("GET", "/users/@me")
    async def get_me(call: Call) -> Any:
        # The current user carries account fields ClientUser requires.
        return {
            **call.world.user_json(call.world.bot_user_id),
            "verified": True,
            "mfa_enabled": False,
            "locale": "en-US",
            "email": None,
            "premium_type": 0,
        }

    @router.route("GET", "/oauth2/applications/@me")
    async def get_application(call: Call) -> Any:
        return call.emu.application_json()

    @router.route("GET", "/applications/@me")
    async def get_application_alt(call: Call) -> Any:
        return call.emu.application_json()

    @router.route("GET", "/gateway", auth=False)
    async def get_gateway(call: Call) -> Any:
        return {"url": call.emu.gateway_url}

    @router.route("GET", "/gateway/bot")
    async def get_gateway_bot(call: Call) -> Any:
        return {
            "url": call.emu.gateway_url,
            "shards": call.emu.shards,
            "session_start_limit": {
                "total": 1000,
                "remaining": 1000,
                "reset_after": 0,
                # >1 so AutoShardedClient does not wait 5 s between shards.
                "max_concurrency": call.emu.max_concurrency,
            },
        }

    @router.route("GET", "/users/@me/guilds")
    async def my_guilds(call: Call) -> Any:
        return [
            {
                "id": str(g.id),
                "name": g.name,
                "icon": None,
                "owner": g.owner_id == call.world.bot_user_id,
                "permissions": "0",
                "features": [],
            }
            for g in call.world.bot_guilds()
        ]

    @router.route("DELETE", "/users/@me/guilds/{guild_id}")
    async def leave_guild(call: Call) -> Any:
        guild = call.world.guild(call.params["guild_id"])
        if not guild.bot_present:
            raise DiscordHTTPError(404, 10004, "Unknown Guild")
        call.world.remove_bot(guild)
        return None

    @router.route("POST", "/users/@me/channels")
    async def open_dm(call: Call) -> Any:
        recipient = call.json().get("recipient_id")
        if recipient is None:
            raise form_error("recipient_id", "BASE_TYPE_REQUIRED", "This field is required")
        user = call.world.user(recipient)
        return call.world.channel_json(call.world.dm_channel(user.id))

    @router.route("GET", "/users/{user_id}")
    async def get_user(call: Call) -> Any:
        return call.world.user_json(call.world.user(call.params["user_id"]).id)

    @router.route("GET", "/voice/regions")
    async def voice_regions(call: Call) -> Any:
        return [{"id": "local", "name": "Local", "optimal": True, "deprecated": False, "custom": False}]
