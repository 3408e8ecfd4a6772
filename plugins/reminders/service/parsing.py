"""Times and repetitions as members type them.

``when``: relative forms ("in 2h30m", "90 minutes") with the core's duration parser; everything
else with dateparser (English, future preferred, the member's date order) asked for a NAIVE result
in the member's zone, to which the zone is attached here: dateparser's own timezone handling keeps
the offset of the moment of parsing, an hour off across a DST change, and a timezone-aware
RELATIVE_BASE makes "3pm" return nothing. "at 9" becomes "at 9:00" (dateparser keeps the current
time of day for a bare hour). A date without a time means 09:00.

Ambiguous phrases are not guessed: "1/2" (1 February or 2 January) and a bare weekday said on that
weekday (today or in a week) come back as choices.

``every``: an interval ("90 minutes", "2 weeks": absolute seconds) or a calendar rule ("day at 9",
"monday 10:00", "month on the 31st", "other friday 5pm") as an RFC 5545 RRULE that
``dateutil.rrule`` steps in wall-clock time of the reminder's zone, so 09:00 stays 09:00 across DST.
A monthly day that a month lacks (the 31st in April) falls on that month's last day.

Everything here is plain and synchronous; ``state.RemindersState`` runs it in its own thread.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from guildkit.core.durations import DurationError, parse_duration

from ..errors import TimeInPast, UnparseableRecurrence, UnparseableTime

#: Longest phrase read; Discord options are capped at this too.
MAX_PHRASE = 100
#: Languages dateparser may use. Only English: German and French phrases were read wrong in
#: tests ("demain 9h" became 19:30), and every further language costs memory and parse time.
LANGUAGES = ("en",)
#: The time of day of a date given without one ("friday", "24 dec").
DEFAULT_TIME = time(9, 0)

WEEKDAYS = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
}
_WEEKDAY_ALIASES = {
    **{name: code for name, code in WEEKDAYS.items()},
    **{name[:3]: code for name, code in WEEKDAYS.items()},
    "tues": "TU",
    "wed": "WE",
    "thur": "TH",
    "thurs": "TH",
}
_WEEKDAY_INDEX = {code: index for index, code in enumerate(WEEKDAYS.values())}

DateParse = Callable[[str, datetime, str], tuple[datetime | None, str]]


@dataclass(frozen=True)
class Choice:
    """One reading of an ambiguous phrase."""

    label: str
    at: datetime


@dataclass(frozen=True)
class WhenParsed:
    """A phrase read as one moment (``at``), or as several the member must choose from."""

    text: str
    zone: str
    at: datetime | None
    choices: tuple[Choice, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.at is None


@dataclass(frozen=True)
class Recurrence:
    """``spec`` is ``every:SECONDS`` or ``rrule:RRULE``; ``text`` what the member typed."""

    spec: str
    text: str

    @property
    def interval(self) -> timedelta | None:
        kind, _, value = self.spec.partition(":")
        return timedelta(seconds=int(value)) if kind == "every" else None


def date_order_for(locale: str | None) -> str:
    """Month first for US English (and its neighbours' habits), day first elsewhere."""
    if locale and locale.lower() in ("en-us", "en_us", "es-us", "en-ph", "en-ca"):
        return "MDY"
    return "DMY"


def attach_zone(naive: datetime, zone: ZoneInfo) -> datetime:
    """``naive`` wall-clock time in ``zone``; a time skipped by a DST change moves forward."""
    aware = naive.replace(tzinfo=zone)
    # Round-trip through UTC: 02:30 on the spring-forward night does not exist and becomes 03:30.
    return datetime.fromtimestamp(aware.timestamp(), zone)


class DateparserEngine:
    """dateparser, loaded once with the allowed languages. Not thread-safe while warming: the
    state warms it once, then calls it from a single worker thread."""

    def __init__(self, languages: tuple[str, ...] = LANGUAGES) -> None:
        self.languages = list(languages)
        self._parser_class: Any = None

    def warm(self) -> None:
        from dateparser.date import DateDataParser  # the import is the slow part (about 0.1 s)

        self._parser_class = DateDataParser
        self.parse("tomorrow 9am", datetime(2025, 1, 1, 12, 0), "DMY")  # loads the language data

    def parse(self, text: str, base: datetime, date_order: str) -> tuple[datetime | None, str]:
        """A naive datetime (wall-clock time of ``base``'s zone) and the period: ``time`` when the
        phrase named a time of day, ``day``/``week``/... when it did not."""
        if self._parser_class is None:
            self.warm()
        parser = self._parser_class(
            languages=self.languages,
            settings={
                "PREFER_DATES_FROM": "future",
                "RELATIVE_BASE": base,
                "DATE_ORDER": date_order,
                "RETURN_TIME_AS_PERIOD": True,
                "RETURN_AS_TIMEZONE_AWARE": False,
            },
        )
        data = parser.get_date_data(text)
        return data.date_obj, data.period or "day"


_AT_BARE_HOUR = re.compile(r"\bat\s+(\d{1,2})\b(?!\s*(?::|h\b|am\b|pm\b|a\.m|p\.m))")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*[/.]\s*(\d{1,2})(?:\s*[/.]\s*(\d{2}|\d{4}))?(?=\s|$)(.*)$")
_BARE_WEEKDAY = re.compile(r"^(?:on\s+)?([a-z]+)(?:\s+(?:at\s+)?(.+))?$")


def _normalise(text: str) -> str:
    cleaned = " ".join(text.strip().lower().split())
    return _AT_BARE_HOUR.sub(lambda m: f"at {m.group(1)}:00", cleaned)


def _relative(text: str, now_local: datetime, zone: ZoneInfo) -> datetime | None:
    """ "in 2h30m", "90 minutes", "in 3 days": whole days step in wall-clock time, the rest exactly."""
    try:
        duration = parse_duration(text, minimum=timedelta(seconds=1))
    except DurationError:
        return None
    days = timedelta(days=duration.days)
    base = attach_zone(now_local.replace(tzinfo=None) + days, zone)
    return base + (duration - days)


def parse_when(text: str, now: datetime, zone: ZoneInfo, date_order: str, engine: DateparserEngine) -> WhenParsed:
    """Read ``text`` as a moment after ``now`` in ``zone``. Raises UnparseableTime / TimeInPast."""
    if not text.strip() or len(text) > MAX_PHRASE or any(ord(c) < 32 for c in text):
        raise UnparseableTime(text)
    now_local = now.astimezone(zone)
    phrase = _normalise(text)
    relative = _relative(phrase, now_local, zone)
    if relative is not None:
        return WhenParsed(text, zone.key, relative)
    base = now_local.replace(tzinfo=None, microsecond=0)

    def read(candidate: str, order: str = date_order) -> datetime | None:
        naive, period = engine.parse(candidate, base, order)
        if naive is None:
            return None
        if period != "time" and naive.time() == time(0, 0):
            naive = datetime.combine(naive.date(), DEFAULT_TIME)
        return attach_zone(naive, zone)

    choices = _numeric_date_choices(phrase, date_order, read)
    if choices:
        return _chosen(text, zone, now, choices)
    weekday = _weekday_choices(phrase, now_local, zone, read)
    if weekday:
        return _chosen(text, zone, now, weekday)
    at = read(phrase)
    if at is None:
        raise UnparseableTime(text)
    if at <= now:
        raise TimeInPast(text, at)
    return WhenParsed(text, zone.key, at)


def _chosen(text: str, zone: ZoneInfo, now: datetime, choices: list[Choice]) -> WhenParsed:
    future = [choice for choice in choices if choice.at > now]
    if not future:
        raise TimeInPast(text, choices[0].at)
    if len({choice.at for choice in future}) == 1:
        return WhenParsed(text, zone.key, future[0].at)
    return WhenParsed(text, zone.key, None, tuple(future))


def _numeric_date_choices(phrase: str, date_order: str, read: Callable[..., datetime | None]) -> list[Choice]:
    """ "1/2" and "3.4 18:00": both numbers could be the month. Day-first readers first."""
    match = _NUMERIC_DATE.match(phrase)
    if match is None:
        return []
    first, second = int(match.group(1)), int(match.group(2))
    if not (1 <= first <= 12 and 1 <= second <= 12) or first == second:
        return []
    orders = ("DMY", "MDY") if date_order == "DMY" else ("MDY", "DMY")
    choices = []
    for order in orders:
        at = read(phrase, order)
        if at is not None:
            choices.append(Choice(at.strftime("%-d %B %Y %H:%M"), at))
    return choices


def _weekday_choices(
    phrase: str, now_local: datetime, zone: ZoneInfo, read: Callable[..., datetime | None]
) -> list[Choice]:
    """ "friday" (or "friday 17:00") said on a Friday: today, or a week from today?"""
    match = _BARE_WEEKDAY.match(phrase)
    if match is None:
        return []
    code = _WEEKDAY_ALIASES.get(match.group(1))
    if code is None or _WEEKDAY_INDEX[code] != now_local.weekday():
        return []
    later = read(phrase)
    if later is None:
        return []
    if later.date() == now_local.date():
        later = attach_zone(later.replace(tzinfo=None) + timedelta(days=7), zone)
    today = attach_zone(datetime.combine(now_local.date(), later.timetz().replace(tzinfo=None)), zone)
    return [Choice(f"today {today:%H:%M}", today), Choice(f"next week, {later:%-d %B %H:%M}", later)]


# -- every ----------------------------------------------------------------------------------------

_TIME = re.compile(
    r"^(?:at\s+)?(?:(noon|midday|midnight)|(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?|(\d{1,2})h(\d{2})?)$"
)
_ORDINAL = re.compile(r"^(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?$")
_OTHER = re.compile(r"^(?:other|second|2nd|alternate)\s+")


def _parse_time(text: str) -> time | None:
    match = _TIME.match(text.strip())
    if match is None:
        return None
    word, hour, minute, meridiem, h_hour, h_minute = match.groups()
    if word:
        return time(0, 0) if word == "midnight" else time(12, 0)
    if h_hour is not None:
        hour, minute = h_hour, h_minute
    hours, minutes = int(hour), int(minute or 0)
    if meridiem:
        if not 1 <= hours <= 12:
            return None
        pm = meridiem.startswith("p")
        hours = (hours % 12) + (12 if pm else 0)
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        return None
    return time(hours, minutes)


def _split_time(words: str) -> tuple[str, time | None]:
    """ "monday 10:00" -> ("monday", 10:00); "day at 9" -> ("day", 9:00); no time -> (text, None)."""
    for marker in (" at ", " "):
        if marker in words:
            head, _, tail = words.rpartition(marker)
            parsed = _parse_time(tail)
            if parsed is not None:
                return head.strip(), parsed
    return words, None


def parse_every(text: str, first: datetime, minimum: timedelta) -> Recurrence:
    """Read ``text`` as an interval or a calendar rule; ``first`` (aware, in the reminder's zone)
    gives the time of day when the rule names none. Raises UnparseableRecurrence."""
    if not text.strip() or len(text) > MAX_PHRASE or any(ord(c) < 32 for c in text):
        raise UnparseableRecurrence(text)
    phrase = " ".join(text.strip().lower().split())
    phrase = re.sub(r"^every\s+", "", phrase)
    try:
        interval = parse_duration(phrase)
    except DurationError:
        interval = None
    if interval is not None:
        from ..errors import RecurrenceTooFrequent

        if interval < minimum:
            raise RecurrenceTooFrequent(interval, minimum)
        return Recurrence(f"every:{int(interval.total_seconds())}", text.strip())
    rule = _calendar_rule(phrase, first, text)
    return Recurrence(f"rrule:{rule}", text.strip())


def _calendar_rule(phrase: str, first: datetime, original: str) -> str:
    interval = 1
    if _OTHER.match(phrase):
        interval = 2
        phrase = _OTHER.sub("", phrase)
    elif match := re.match(r"^(\d{1,2})\s+(day|week|month|year)s?\b\s*(.*)$", phrase):
        # "2 weeks on monday at 9", "3 months on the 1st"
        interval, unit, rest = int(match.group(1)), match.group(2), match.group(3).strip()
        phrase = (
            rest if unit == "week" and rest.removeprefix("on ").split(" ")[0] in _WEEKDAY_ALIASES else f"{unit} {rest}"
        )
    body, at = _split_time(phrase)
    at = at or first.astimezone(first.tzinfo).time().replace(second=0, microsecond=0)
    parts: dict[str, str] = {}
    month_day = re.match(r"^month(?:\s+on)?(?:\s+(?:the|day))?\s*(.*)$", body)
    if body in ("day", "days", "daily"):
        parts["FREQ"] = "DAILY"
    elif body in ("weekday", "weekdays", "workday", "workdays"):
        parts["FREQ"] = "WEEKLY"
        parts["BYDAY"] = "MO,TU,WE,TH,FR"
    elif body in ("week", "weeks", "weekly"):
        parts["FREQ"] = "WEEKLY"
    elif body in ("year", "years", "yearly"):
        parts["FREQ"] = "YEARLY"
    elif month_day is not None:
        parts["FREQ"] = "MONTHLY"
        rest = month_day.group(1).strip()
        if rest:
            ordinal = _ORDINAL.match(rest)
            if rest in ("last day", "last"):
                parts["BYMONTHDAY"] = "-1"
            elif ordinal and 1 <= int(ordinal.group(1)) <= 31:
                day = int(ordinal.group(1))
                if day <= 28:
                    parts["BYMONTHDAY"] = str(day)
                else:
                    # The 29th-31st: the latest of those days the month has, so April's "31st" is the 30th.
                    parts["BYMONTHDAY"] = ",".join(str(d) for d in range(28, day + 1))
                    parts["BYSETPOS"] = "-1"
            else:
                raise UnparseableRecurrence(original, "which day of the month?")
    else:
        days = [word for word in re.split(r"\s*(?:,|\band\b|&)\s*|\s+", body.removeprefix("on ")) if word]
        codes = []
        for word in days:
            code = _WEEKDAY_ALIASES.get(word.rstrip("s")) or _WEEKDAY_ALIASES.get(word)
            if code is None:
                raise UnparseableRecurrence(original)
            codes.append(code)
        parts["FREQ"] = "WEEKLY"
        parts["BYDAY"] = ",".join(dict.fromkeys(codes))
    if interval != 1:
        parts["INTERVAL"] = str(interval)
    parts.update(BYHOUR=str(at.hour), BYMINUTE=str(at.minute), BYSECOND="0")
    return ";".join(f"{key}={value}" for key, value in parts.items())


def next_after(spec: str, first: datetime, after: datetime, zone: ZoneInfo) -> datetime:
    """The first occurrence strictly after ``after``: missed occurrences collapse into the next one.
    Intervals add absolute seconds from ``first``; rules step in wall-clock time of ``zone``."""
    kind, _, value = spec.partition(":")
    if kind == "every":
        step = timedelta(seconds=int(value))
        if after < first:
            return first
        count = (after - first) // step + 1
        return first + step * count
    start = first.astimezone(zone)
    rule = rrulestr(f"RRULE:{value}", dtstart=start)
    found = rule.after(after.astimezone(zone), inc=False)
    if found is None:  # pragma: no cover - the rules built here never end
        raise UnparseableRecurrence(value, "the rule has no further occurrence")
    # dateutil combines wall-clock fields with the zone; a time the DST change skips moves forward.
    return attach_zone(found.replace(tzinfo=None), zone)
