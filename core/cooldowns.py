"""interactions.py's token-bucket cooldown, reading guildkit's clock.

The library's CooldownSystem reads ``time.time()``; this one reads :func:`guildkit.core.clock.monotonic`
so that a test moving ``gk.clock`` also ends cooldowns. Same algorithm otherwise.
"""

from __future__ import annotations

from interactions import Buckets, Cooldown, CooldownSystem

from guildkit.core import clock, ipy


class ClockCooldownSystem(CooldownSystem):
    def acquire_token(self) -> bool:
        self.determine_cooldown()
        tokens = ipy.bucket_tokens(self)
        if tokens == 0:
            return False
        if tokens == self.rate:
            self.opened = clock.monotonic()
        ipy.spend_bucket_token(self)
        return True

    def get_cooldown_time(self) -> float:
        self.determine_cooldown()
        return 0 if ipy.bucket_tokens(self) != 0 else self.interval - (clock.monotonic() - self.opened)

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
