"""Level curves: cumulative XP thresholds per level, computed once per curve."""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache


def xp_for_next(curve: str, level: int, base: int, multiplier: float) -> int:
    """XP needed to go from ``level`` to ``level + 1``."""
    if curve == "mee6":
        need = 5 * level * level + 50 * level + 100
    elif curve == "linear":
        need = base * (level + 1)
    else:
        need = base
    return max(1, round(need * multiplier))


@lru_cache(maxsize=64)
def thresholds(curve: str, base: int, multiplier: float, max_level: int) -> tuple[int, ...]:
    """thresholds[l] = cumulative XP needed to be level l (thresholds[0] = 0)."""
    out = [0]
    for level in range(max_level):
        out.append(out[-1] + xp_for_next(curve, level, base, multiplier))
    return tuple(out)


class Curve:
    __slots__ = ("table",)

    def __init__(self, curve: str, base: int, multiplier: float, max_level: int) -> None:
        self.table = thresholds(curve, base, float(multiplier), max_level)

    @classmethod
    def of(cls, settings: object) -> Curve:
        return cls(settings.curve, settings.curve_base, settings.curve_multiplier, settings.max_level)  # type: ignore[attr-defined]

    @property
    def max_level(self) -> int:
        return len(self.table) - 1

    def level(self, xp: int) -> int:
        return max(0, bisect_right(self.table, xp) - 1)

    def floor(self, level: int) -> int:
        return self.table[min(level, self.max_level)]

    def progress(self, xp: int) -> tuple[int, int, int]:
        """(level, XP into this level, XP this level needs; 0 at the max level)."""
        level = self.level(xp)
        if level >= self.max_level:
            return level, xp - self.table[-1], 0
        return level, xp - self.table[level], self.table[level + 1] - self.table[level]
