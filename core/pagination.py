"""Paginated list replies: one implementation for every leaderboard, case list and queue.

A plugin declares a :class:`PageSource` at module level (a declaration, not state) and renders one
page at a time; the core draws the buttons and turns pages. Pages are numbered from 1. The page to
show and the source's argument live in the buttons' custom_id, so turning pages keeps working
across restarts and in every process, with nothing stored.

    def render(ctx, page: int, arg: str) -> Awaitable[PageView]: ...

    leaderboard_pages = PageSource("leveling", "leaderboard", render)
    await leaderboard_pages.send(ctx, arg="xp")          # from the slash command
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import interactions

#: custom_id prefix the core's page turner listens to.
PREFIX = "gk:page"
#: Discord's limit on a component's custom_id.
CUSTOM_ID_LIMIT = 100


@dataclass
class PageView:
    """One rendered page: text and/or embeds, the page shown (1-based) and the page count."""

    page: int
    pages: int
    content: str | None = None
    embeds: list[interactions.Embed] = field(default_factory=list)


Render = Callable[[Any, int, str], Awaitable[PageView]]

_sources: dict[tuple[str, str], PageSource] = {}


def page_count(total_items: int, per_page: int) -> int:
    """Pages needed for ``total_items`` (at least 1: an empty list still has a page saying so)."""
    return max(1, math.ceil(total_items / per_page))


def clamp_page(page: int, pages: int) -> int:
    return min(max(page, 1), max(pages, 1))


class PageSource:
    """A paginated list owned by ``plugin`` (the core's gate applies to its buttons too)."""

    def __init__(self, plugin: str, name: str, render: Render) -> None:
        if ":" in plugin or ":" in name:
            raise ValueError("page source plugin and name cannot contain ':'")
        self.plugin = plugin
        self.name = name
        self.render = render
        # Declared at import; a module imported again (tests) re-declares it, and the newest wins.
        _sources[(plugin, name)] = self

    def custom_id(self, page: int, arg: str, button: str) -> str:
        custom_id = f"{PREFIX}:{self.plugin}:{self.name}:{button}:{page}:{arg}"
        if len(custom_id) > CUSTOM_ID_LIMIT:
            raise ValueError(f"page argument too long for a custom_id: {arg[:40]!r}")
        return custom_id

    def buttons(self, view: PageView, arg: str) -> list[interactions.ActionRow]:
        """First / previous / page n of m / next / last; disabled at the ends, none for one page."""
        if view.pages <= 1:
            return []
        page, pages = view.page, view.pages
        secondary = interactions.ButtonStyle.SECONDARY
        row = interactions.ActionRow(
            interactions.Button(
                style=secondary, label="«", custom_id=self.custom_id(1, arg, "first"), disabled=page <= 1
            ),
            interactions.Button(
                style=secondary, label="Previous", custom_id=self.custom_id(page - 1, arg, "prev"), disabled=page <= 1
            ),
            interactions.Button(
                style=secondary, label=f"{page} / {pages}", custom_id=self.custom_id(page, arg, "here"), disabled=True
            ),
            interactions.Button(
                style=secondary, label="Next", custom_id=self.custom_id(page + 1, arg, "next"), disabled=page >= pages
            ),
            interactions.Button(
                style=secondary, label="»", custom_id=self.custom_id(pages, arg, "last"), disabled=page >= pages
            ),
        )
        return [row]

    async def message(self, ctx: Any, page: int, arg: str) -> dict[str, Any]:
        view = await self.render(ctx, page, arg)
        return {
            "content": view.content,
            "embeds": view.embeds,
            "components": self.buttons(view, arg),
            "allowed_mentions": interactions.AllowedMentions.none(),
        }

    async def send(self, ctx: Any, *, page: int = 1, arg: str = "", ephemeral: bool = False) -> None:
        """Answer a slash command with page ``page``."""
        await ctx.send(**await self.message(ctx, page, arg), ephemeral=ephemeral)


def parse_custom_id(custom_id: str) -> tuple[PageSource, int, str] | None:
    """The source, page and argument a page button carries; None if it is not ours or unknown."""
    parts = custom_id.split(":", 6)
    if len(parts) != 7 or f"{parts[0]}:{parts[1]}" != PREFIX:
        return None
    _, _, plugin, name, _button, page, arg = parts
    source = _sources.get((plugin, name))
    if source is None:
        return None
    try:
        return source, int(page), arg
    except ValueError:
        return None
