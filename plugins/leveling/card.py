"""The rank card image, drawn with Pillow and its built-in font (no network, no font files)."""

from __future__ import annotations

import functools
import io
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageDraw, ImageFont

if TYPE_CHECKING:
    from .service import RankSummary

WIDTH, HEIGHT = 800, 200


@functools.cache
def _font(size: int) -> Any:
    """The built-in font at ``size``, loaded once per process (loading it costs more than drawing)."""
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1
        return ImageFont.load_default()


def render(name: str, summary: RankSummary) -> bytes:
    """The PNG of ``summary`` (which carries the member's card colours). A few milliseconds of
    CPU: callers run it off the event loop (``LevelingState.render_card``)."""
    colors = summary.card
    assert colors is not None
    level, xp, into, need, rank = summary.level, summary.xp, summary.into, summary.need, summary.rank
    image = Image.new("RGB", (WIDTH, HEIGHT), colors.background_color)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH - 1, HEIGHT - 1), outline=colors.primary_color, width=4)
    draw.text((30, 25), name[:32], fill=colors.text_color, font=_font(36))
    draw.text((30, 75), f"Level {level}   Rank #{rank}   {xp:,} XP", fill=colors.text_color, font=_font(24))
    bar = (30, 130, WIDTH - 30, 165)
    draw.rounded_rectangle(bar, radius=16, fill=colors.secondary_color)
    share = 1.0 if not need else max(0.0, min(1.0, into / need))
    if share > 0:
        draw.rounded_rectangle(
            (bar[0], bar[1], bar[0] + int((bar[2] - bar[0]) * share), bar[3]), radius=16, fill=colors.primary_color
        )
    label = f"{into:,} / {need:,}" if need else "max level"
    draw.text((WIDTH - 230, 100), label, fill=colors.text_color, font=_font(20))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
