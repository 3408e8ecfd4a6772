"""interactions.py's token-bucket cooldown, reading guildkit's clock.

The library's CooldownSystem reads ``time.time()``; this one reads :func:`guildkit.core.clock.monotonic`
so that a test moving ``gk.clock`` also ends cooldowns. Same algorithm otherwise.
"""

from __future__ import annotations

from interactions.models.internal.cooldowns import Buckets, Cooldown, CooldownSystem

from guildkit.core import clock


class ClockCooldownSystem(CooldownSystem):
    def acquire_token(self) -> bool:
        self.determine_cooldown()
        if self._tokens == 0:
            return False
        if self._tokens == self.rate:
            self.opened = clock.monotonic()
        self._tokens -= 1
        return True

    def get_cooldown_time(self) -> float:
        self.determine_cooldown()
        return 0 if self._tokens != 0 else self.interval - (clock.monotonic() - self.opened)

    def determine_cooldown(self) -> None:
        if clock.monotonic() > self.opened + self.interval:
            self.reset()

    def reset(self) -> None:
        super().reset()
        self.opened = float("-inf")  # the library's 0.0 means "long ago" only for wall-clock time


def per_member(uses: int, per_seconds: float) -> Cooldown:
    """A per-member cooldown for a command: ``@interactions.cooldown`` takes the same values, but
    this one follows the test clock."""
    return Cooldown(Buckets.USER, uses, per_seconds, cooldown_system=ClockCooldownSystem)
