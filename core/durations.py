"""Durations as people type them (``10m``, ``1h30m``, ``2 weeks``, ``in 90 minutes``) and as the bot shows them.

Accepted: one or more ``NUMBER UNIT`` parts, any case, with or without spaces, optionally joined by
commas or "and", optionally after a leading "in". Units: ``s``/``sec``/``second(s)``,
``m``/``min``/``minute(s)``, ``h``/``hr``/``hour(s)``, ``d``/``day(s)``, ``w``/``wk``/``week(s)``;
each unit at most once. Numbers may have a decimal part (``1.5h`` is 1 h 30 min); the result is
exact to the microsecond. A bare number is refused (is ``10`` minutes or seconds?), so are months
and years (their length varies), negative numbers and control characters.

:func:`format_duration` writes ``1 h 30 min``, ``2 d``, ``45 s`` (and ``1 w 2 d``), which
:func:`parse_duration` reads back.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from guildkit.core.errors import UserError

#: Longer input is refused before any parsing ("1 week 6 days 23 hours 59 minutes 59 seconds" fits).
MAX_INPUT = 80
#: How much of the input an error message quotes.
QUOTE_LIMIT = 40
EXAMPLES = "30d, 12h, 10m, 1h30m or 90 minutes"

UNIT_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "min": 60, "s": 1}
UNIT_WORDS = {
    "s": "s",
    "sec": "s",
    "secs": "s",
    "second": "s",
    "seconds": "s",
    "m": "min",
    "min": "min",
    "mins": "min",
    "minute": "min",
    "minutes": "min",
    "h": "h",
    "hr": "h",
    "hrs": "h",
    "hour": "h",
    "hours": "h",
    "d": "d",
    "day": "d",
    "days": "d",
    "w": "w",
    "wk": "w",
    "wks": "w",
    "week": "w",
    "weeks": "w",
}
VARYING_UNITS = {"mo", "mos", "month", "months", "y", "yr", "yrs", "year", "years"}

_PART = re.compile(r"(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)?")
_JOINER = re.compile(r"(?:\s|,|\band\b)*")


class DurationError(UserError, ValueError):
    """Text that is not a duration, or one outside the allowed range; the message is for the user."""


def _quote(text: str) -> str:
    shown = text[:QUOTE_LIMIT]
    return repr(shown) + ("…" if len(text) > QUOTE_LIMIT else "")


def _not_a_duration(text: str, why: str = "") -> DurationError:
    return DurationError(f"{_quote(text)} is not a duration like {EXAMPLES}{why}")


def parse_duration(text: str, *, minimum: timedelta | None = None, maximum: timedelta | None = None) -> timedelta:
    """The duration ``text`` says, within ``minimum``..``maximum`` when given (both inclusive).

    Raises :class:`DurationError` with a short message quoting at most 40 characters of ``text``.
    """
    if len(text) > MAX_INPUT:
        raise DurationError(f"{_quote(text)} is too long for a duration; write it like {EXAMPLES}")
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise DurationError(f"a duration cannot contain control characters; write it like {EXAMPLES}")
    compact = text.strip().lower()
    compact = re.sub(r"^in\s+", "", compact)
    if not compact:
        raise _not_a_duration(text)
    total = Decimal(0)
    seen: set[str] = set()
    position = _JOINER.match(compact, 0).end()  # type: ignore[union-attr]
    while position < len(compact):
        match = _PART.match(compact, position)
        if match is None:
            raise _not_a_duration(text)
        number, word = match.group(1), match.group(2)
        if word is None:
            raise _not_a_duration(text, f" (add a unit: {number}s, {number}m, {number}h or {number}d)")
        if word in VARYING_UNITS:
            raise _not_a_duration(text, " (months and years vary in length: use days or weeks)")
        unit = UNIT_WORDS.get(word)
        if unit is None:
            raise _not_a_duration(text)
        if unit in seen:
            raise _not_a_duration(text, f" ({unit} is given twice)")
        seen.add(unit)
        try:
            total += Decimal(number) * UNIT_SECONDS[unit]
        except InvalidOperation:
            raise _not_a_duration(text) from None
        position = _JOINER.match(compact, match.end()).end()  # type: ignore[union-attr]
    try:
        duration = timedelta(microseconds=int(total * 1_000_000))
    except OverflowError:
        raise DurationError(f"{_quote(text)} is longer than any duration this bot can handle") from None
    if minimum is not None and duration < minimum:
        raise DurationError(f"{format_duration(duration)} is too short; the least is {format_duration(minimum)}")
    if maximum is not None and duration > maximum:
        most = format_duration(maximum)
        if maximum >= timedelta(weeks=1) and maximum % timedelta(days=1) == timedelta(0):
            most += f" ({maximum.days} days)"  # limits are documented in days: Discord's 28-day timeout
        raise DurationError(f"{format_duration(duration)} is too long; the most is {most}")
    return duration


def format_duration(duration: timedelta) -> str:
    """``1 h 30 min``, ``2 d``, ``1 w 2 d``, ``45 s``: whole units, largest first, rounded to the
    second (a non-zero duration under half a second is ``under 1 s``)."""
    if duration < timedelta(0):
        return "-" + format_duration(-duration)
    seconds = round(duration.total_seconds())
    if seconds == 0:
        return "under 1 s" if duration else "0 s"
    parts = []
    for unit, size in UNIT_SECONDS.items():
        amount, seconds = divmod(seconds, size)
        if amount:
            parts.append(f"{amount} {unit}")
    return " ".join(parts)
