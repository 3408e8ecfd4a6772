"""Fault injection: make routes fail, slow or rate limited, and disturb the gateway.

Routes are chosen by ``"METHOD /path/{param}/..."`` templates (``{anything}`` matches one path
segment; the method may be ``*`` or left out) or by a compiled regular expression matched against
the path below ``/api/v10``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .gateway import GatewayHub

RoutePattern = str | re.Pattern[str]


def compile_route(route: RoutePattern) -> tuple[str | None, re.Pattern[str]]:
    """``"POST /channels/{id}/messages"`` → (``"POST"``, regex of the path)."""
    if isinstance(route, re.Pattern):
        return None, route
    method: str | None = None
    text = route.strip()
    if " " in text:
        method, text = text.split(None, 1)
        method = None if method == "*" else method.upper()
    text = text.removeprefix("/api/v10")
    if text.startswith("^"):
        return method, re.compile(text)
    parts = re.split(r"(\{[^}]*\})", text)
    regex = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
    return method, re.compile(f"^{regex}/?$")


@dataclass
class Fault:
    """One rule. ``times=None`` means for ever; ``hits`` counts the requests it answered."""

    kind: str  # "rate_limit" | "status" | "delay"
    method: str | None
    pattern: re.Pattern[str]
    times: int | None
    status: int = 0
    retry_after: float = 0.0
    is_global: bool = False
    scope: str = "user"
    seconds: float = 0.0
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method is not None and self.method != method:
            return False
        return bool(self.pattern.search(path))

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times


class Faults:
    """The fault rules of one emulator (``emulator.faults``)."""

    def __init__(self, gateway: GatewayHub) -> None:
        self._gateway = gateway
        self.rules: list[Fault] = []

    # ------------------------------------------------------------------ REST

    def rate_limit(
        self,
        route: RoutePattern,
        *,
        times: int | None = 1,
        retry_after: float = 0.05,
        is_global: bool = False,
        scope: str = "user",
    ) -> Fault:
        """Answer the route with 429 (Discord's headers and body) ``times`` times."""
        method, pattern = compile_route(route)
        rule = Fault("rate_limit", method, pattern, times, 429, retry_after, is_global, scope)
        self.rules.append(rule)
        return rule

    def server_error(self, route: RoutePattern, *, times: int | None = 1, status: int = 500) -> Fault:
        """Answer the route with a 5xx ``times`` times (the client retries 500, 502 and 504)."""
        method, pattern = compile_route(route)
        rule = Fault("status", method, pattern, times, status)
        self.rules.append(rule)
        return rule

    def delay(self, route: RoutePattern, seconds: float, *, times: int | None = None) -> Fault:
        """Hold the route's answer for ``seconds`` before handling it."""
        method, pattern = compile_route(route)
        rule = Fault("delay", method, pattern, times, seconds=seconds)
        self.rules.append(rule)
        return rule

    def clear(self) -> None:
        self.rules.clear()

    def take(self, method: str, path: str) -> list[Fault]:
        """The rules that apply to this request (counting the hit): delays first, then at most one failure."""
        delays = [r for r in self.rules if r.kind == "delay" and r.matches(method, path)]
        failure = next((r for r in self.rules if r.kind != "delay" and r.matches(method, path)), None)
        chosen = [*delays, *([failure] if failure else [])]
        for rule in chosen:
            rule.hits += 1
        return chosen

    # ------------------------------------------------------------------ gateway

    def ignore_voice_joins(self, times: int = 1) -> None:
        """Ignore the bot's next ``times`` voice joins (op 4) as Discord does in a voice outage:
        no VOICE_STATE_UPDATE, no VOICE_SERVER_UPDATE."""
        self._gateway.voice_joins_to_ignore = times

    async def close_gateway(self, *, code: int = 4000, shard: int | None = None) -> int:
        """Close the gateway socket(s); with a resumable code the client RESUMEs."""
        return await self._gateway.close_sockets(shard=shard, code=code)

    async def reconnect(self, *, shard: int | None = None) -> int:
        """Send op 7 RECONNECT."""
        return await self._gateway.send_reconnect(shard=shard)

    async def invalidate_session(self, *, resumable: bool = False, shard: int | None = None) -> int:
        """Send op 9 INVALID SESSION (``d`` = ``resumable``)."""
        return await self._gateway.invalidate_session(shard=shard, resumable=resumable)
