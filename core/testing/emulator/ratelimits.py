"""Discord's per-route rate limits: a bucket per route and top-level resource, told in headers.

Discord answers every request to a limited route with ``X-RateLimit-Limit``, ``-Remaining``,
``-Reset``, ``-Reset-After`` and ``-Bucket``, counts the bucket separately for each top-level
resource in the path (a channel, a guild, a webhook), and answers 429 with
``X-RateLimit-Scope: user`` once a bucket is empty. A client that reads the headers (as
interactions.py does) paces itself and never sees the 429.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class RouteLimit:
    """``requests`` per ``per_seconds``, counted from the first request of a window."""

    requests: int
    per_seconds: float


#: Discord publishes no per-route figures (they change; clients must read the headers). These are
#: the figures its headers show for the routes a bot uses in bursts: a channel takes 5 messages
#: from a bot per 5 seconds.
DISCORD_ROUTE_LIMITS: Mapping[str, RouteLimit] = MappingProxyType(
    {
        "POST /channels/{channel_id}/messages": RouteLimit(5, 5.0),
    }
)

#: Path parameters naming a top-level resource: each value has its own bucket (Discord: "an
#: endpoint with two different top-level resources may calculate limits independently").
TOP_LEVEL_PARAMETERS = ("channel_id", "guild_id", "webhook_id")


def bucket_hash(method: str, template: str) -> str:
    """The ``X-RateLimit-Bucket`` of a route: the same for every channel or guild, as on Discord."""
    return hashlib.sha1(f"{method} {template}".encode()).hexdigest()[:16]


@dataclass
class _Window:
    remaining: int
    resets_at: float


@dataclass(frozen=True)
class RouteCheck:
    """What a request to a limited route gets: headers for its answer, and a wait if refused."""

    headers: dict[str, str]
    retry_after: float | None  # None: the request goes through


class RouteRateLimits:
    """The per-route buckets of one emulator, on real time (a client waits real seconds)."""

    def __init__(self, limits: Mapping[str, RouteLimit], now: Callable[[], float]) -> None:
        self.limits = dict(limits)
        self._now = now
        self._windows: dict[tuple[str, str, str], _Window] = {}
        #: 429s answered because a bucket was empty: a client that reads the headers makes none.
        self.refused = 0

    def check(self, method: str, template: str, params: Mapping[str, str]) -> RouteCheck | None:
        """Count a request against its bucket; None when the route has no per-route limit."""
        limit = self.limits.get(f"{method} {template}")
        if limit is None:
            return None
        resource = next((params[name] for name in TOP_LEVEL_PARAMETERS if name in params), "")
        key = (method, template, resource)
        now = self._now()
        window = self._windows.get(key)
        if window is None or now >= window.resets_at:
            window = self._windows[key] = _Window(limit.requests, now + limit.per_seconds)
        reset_after = max(0.001, window.resets_at - now)
        refused = window.remaining == 0
        if refused:
            self.refused += 1
        else:
            window.remaining -= 1
        headers = {
            "X-RateLimit-Limit": str(limit.requests),
            "X-RateLimit-Remaining": str(window.remaining),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket_hash(method, template),
        }
        if not refused:
            return RouteCheck(headers, None)
        headers["X-RateLimit-Scope"] = "user"
        headers["Retry-After"] = str(max(1, math.ceil(reset_after)))
        return RouteCheck(headers, reset_after)
