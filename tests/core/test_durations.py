"""parse_duration and format_duration: what people type for timeouts, reminders and retention."""

from __future__ import annotations

from datetime import timedelta

import pytest

from guildkit.core.durations import DurationError, format_duration, parse_duration
from guildkit.core.errors import UserError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10m", timedelta(minutes=10)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("2d", timedelta(days=2)),
        ("1w", timedelta(weeks=1)),
        ("45s", timedelta(seconds=45)),
        ("90 minutes", timedelta(minutes=90)),
        ("1 hour 30 minutes", timedelta(hours=1, minutes=30)),
        ("1 hour and 30 minutes", timedelta(hours=1, minutes=30)),
        ("1h, 30m", timedelta(hours=1, minutes=30)),
        ("2 weeks", timedelta(weeks=2)),
        ("1.5h", timedelta(hours=1, minutes=30)),
        ("0.5 d", timedelta(hours=12)),
        ("in 2h30m", timedelta(hours=2, minutes=30)),
        ("  12H ", timedelta(hours=12)),
        ("10 Min", timedelta(minutes=10)),
        ("2 hrs 5 secs", timedelta(hours=2, seconds=5)),
        ("30m1h", timedelta(hours=1, minutes=30)),
        ("0s", timedelta(0)),
    ],
)
def test_accepted_forms(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("soon", "'soon' is not a duration like 30d, 12h, 10m, 1h30m or 90 minutes"),
        ("", "'' is not a duration like"),
        ("10", "(add a unit: 10s, 10m, 10h or 10d)"),
        ("5 parsecs", "'5 parsecs' is not a duration"),
        ("m5", "'m5' is not a duration"),
        ("-5m", "'-5m' is not a duration"),
        ("1h 2h", "(h is given twice)"),
        ("1 month", "months and years vary in length: use days or weeks"),
        ("2y", "months and years vary in length"),
        ("in", "'in' is not a duration"),
        ("99999999999999d", "is longer than any duration this bot can handle"),
    ],
)
def test_rejected_forms_say_what_to_type(text: str, message: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    assert message in str(caught.value)


def test_a_duration_error_is_a_user_error() -> None:
    with pytest.raises(UserError):
        parse_duration("soon")


def test_bounds_have_their_own_messages() -> None:
    bounds = {"minimum": timedelta(minutes=1), "maximum": timedelta(days=28)}
    assert parse_duration("1m", **bounds) == timedelta(minutes=1)
    assert parse_duration("4w", **bounds) == timedelta(days=28)
    with pytest.raises(DurationError, match=r"^30 s is too short; the least is 1 min$"):
        parse_duration("30s", **bounds)
    with pytest.raises(DurationError, match=r"^4 w 1 d is too long; the most is 4 w \(28 days\)$"):
        parse_duration("29d", **bounds)


def test_very_long_input_gets_a_short_message() -> None:
    text = "1h" + "x" * 6000
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    message = str(caught.value)
    assert len(message) < 150
    assert "'1h" + "x" * 38 + "'…" in message
    assert "x" * 39 not in message


@pytest.mark.parametrize("text", ["1h\x00", "\x1b[31m10m", "10m\n", "1h\t30m", "5m\x7f"])
def test_control_characters_are_refused(text: str) -> None:
    with pytest.raises(DurationError, match="cannot contain control characters"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (timedelta(hours=1, minutes=30), "1 h 30 min"),
        (timedelta(days=2), "2 d"),
        (timedelta(seconds=45), "45 s"),
        (timedelta(days=9), "1 w 2 d"),
        (timedelta(0), "0 s"),
        (timedelta(milliseconds=200), "under 1 s"),
        (timedelta(seconds=-90), "-1 min 30 s"),
    ],
)
def test_format_duration(duration: timedelta, text: str) -> None:
    assert format_duration(duration) == text


def test_formatted_durations_read_back() -> None:
    for duration in (timedelta(weeks=3, days=1, hours=4, minutes=5, seconds=6), timedelta(minutes=90)):
        assert parse_duration(format_duration(duration)) == duration
