"""Small SQL helpers shared by the batched writes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


def placeholders(postgres: bool) -> Callable[[int], str]:
    """``n`` -> the dialect's parameter list for one row: ``$1, $2`` or ``?, ?``."""
    if postgres:
        return lambda n: ", ".join(f"${i}" for i in range(1, n + 1))
    return lambda n: ", ".join("?" * n)


def chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


def add_to_xp(delta: int) -> Any:
    """An ``xp = xp + delta`` update expression (atomic in the database)."""
    from tortoise.expressions import F

    return F("xp") + delta
