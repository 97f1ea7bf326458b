"""Dates and times a person types (in a form or on the command line), read the UK way.

One reader for every typed date: day first (``05/11/2025 08:30`` is 5 November), ISO 8601 always
accepted (``2025-11-05T08:30``, with or without a UTC offset), and a month written as a word
(``5 Nov 2025``). Anything that could mean two things (a two-digit year, no year) or nothing
(31/02/2025, 11/25/2025 read day first) is refused with a :class:`~investigate.errors.DateError`
saying how to write it, never guessed. A local time that falls in a clock change (it happened
twice, or never) is refused too, naming both readings.

>>> when = read_when("05/11/2025 08:30", "Europe/London")
>>> str(when), in_words(when, "Europe/London")
('2025-11-05 08:30:00+00:00', 'Wednesday 5 November 2025, 08:30 GMT')
>>> in_words(read_when("2025-07-01T09:00+01:00", "Europe/London"), "Europe/London")
'Tuesday 1 July 2025, 09:00 BST'
>>> read_day("03/09/2025")
'2025-09-03'
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from .errors import DateError

if TYPE_CHECKING:  # heavy libraries are imported where frames are made: opening a case and `verify` need none
    import pandas as pd

_MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
     ("nov", "november"), ("dec", "december")), start=1) for name in names}
_TIME = r"(?:[ T,]+(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<half>[ap]\.?m\.?)?)?"
_ZONE = r"\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}:?\d{2})?"
_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})" + _TIME + _ZONE, re.IGNORECASE)
_UK = re.compile(r"(?P<day>\d{1,2})[/.\-](?P<month>\d{1,2})[/.\-](?P<year>\d{2,4})" + _TIME + _ZONE, re.IGNORECASE)
_WORDS = re.compile(r"(?:[a-z]+,?\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[a-z]+)\.?,?\s+(?P<year>\d{2,4})"
                    + _TIME + _ZONE, re.IGNORECASE)
_HOW = "write it day first, like 05/11/2025 08:30, or as 2025-11-05 08:30"


def _parts(text: str) -> tuple[dict[str, str | None], str]:
    """The regex groups of the first layout that matches the whole text, and the layout's name."""
    for name, pattern in (("iso", _ISO), ("uk", _UK), ("words", _WORDS)):
        match = pattern.fullmatch(text)
        if match:
            return match.groupdict(), name
    raise DateError(f"{text!r} is not a date the kit can read; {_HOW}.")


def _naive(text: str, what: str) -> tuple[datetime, str | None, bool]:
    """(the wall-clock time, its zone text if any, whether a time of day was given); a refusal
    names ``what`` was being typed."""
    try:
        return _wall_clock(text)
    except DateError as err:
        raise DateError(f"{_first_up(what)}: {err}") from err


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]


def _wall_clock(text: str) -> tuple[datetime, str | None, bool]:
    parts, layout = _parts(text)
    year_text = parts["year"] or ""
    if len(year_text) != 4:
        raise DateError(f"{text!r}: write the year in full (2025, not 25), so the date cannot be misread.")
    month_text = parts["month"] or ""
    if layout == "words":
        month = _MONTHS.get(month_text.casefold().rstrip("."))
        if month is None:
            raise DateError(f"{text!r}: {month_text!r} is not the name of a month; {_HOW}.")
    else:
        month = int(month_text)
    day, year = int(parts["day"] or 0), int(year_text)
    if layout == "uk" and month > 12 and day <= 12:
        raise DateError(f"{text!r}: dates are read day first (UK), and there is no month {month}. "
                        f"Did you mean {month:02d}/{day:02d}/{year}?")
    hour, minute, second = (int(parts[k] or 0) for k in ("hour", "minute", "second"))
    half = (parts["half"] or "").replace(".", "").casefold()
    if half:
        if not 1 <= hour <= 12:
            raise DateError(f"{text!r}: {hour} is not an hour on a 12-hour clock (am/pm).")
        hour = hour % 12 + (12 if half == "pm" else 0)
    why = _impossible(year, month, day, hour, minute, second)
    if why and layout == "uk" and month > 12:
        why += " (dates are read day first: day/month/year)"
    if why:
        raise DateError(f"{text!r} is not a real date or time: {why}; {_HOW}.")
    return datetime(year, month, day, hour, minute, second), parts["zone"], parts["hour"] is not None


def _impossible(year: int, month: int, day: int, hour: int, minute: int, second: int) -> str:
    """Why these parts make no date or time, in words ("there is no month 25"), or "" when they do.

    >>> _impossible(2025, 2, 29, 0, 0, 0)
    'February 2025 has no day 29'
    """
    if year < 1:
        return "there is no year 0"
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return f"{calendar.month_name[month]} {year} has no day {day}" if day else "there is no day 0"
    if hour > 23:
        return f"there is no hour {hour} (a day runs from 00:00 to 23:59)"
    if minute > 59 or second > 59:
        return f"there is no minute or second {max(minute, second)} (they run from 00 to 59)"
    return ""


def read_when(value: Any, zone: str, *, what: str = "the date") -> pd.Timestamp:
    """A typed date and time (or a Timestamp/datetime) -> a UTC Timestamp; a plain date is midnight.

    Times without a UTC offset are read in ``zone`` (the case's time zone). Raises
    :class:`DateError` for empty, ambiguous, impossible or clock-change input.

    >>> read_when("30/03/2025 01:30", "Europe/London")
    Traceback (most recent call last):
    ...
    investigate.errors.DateError: 30/03/2025 01:30 never happened in Europe/London: the clocks went forward ...
    >>> str(read_when("26/10/2025 01:30 +01:00", "Europe/London"))
    '2025-10-26 00:30:00+00:00'
    """
    import pandas as pd

    if isinstance(value, str):
        text = " ".join(value.split())
        if not text:
            raise DateError(f"{_first_up(what)} is empty; {_HOW}.")
        naive, zone_text, _ = _naive(text, what)
        stamp = pd.Timestamp(naive)
        if zone_text:
            offset = "+00:00" if zone_text.upper() in ("Z", "UTC", "GMT") else zone_text
            return pd.Timestamp(f"{naive.isoformat()}{offset}").tz_convert("UTC")
    elif isinstance(value, datetime | date | pd.Timestamp):
        stamp = pd.Timestamp(value)
        text = str(value)
        if pd.isna(stamp):
            raise DateError(f"{_first_up(what)} is empty; {_HOW}.")
        if stamp.tzinfo is not None:
            return stamp.tz_convert("UTC")
    else:
        raise DateError(f"{_first_up(what)} {value!r} is not a date; {_HOW}.")
    return _localise(stamp, zone, text)


def _localise(stamp: pd.Timestamp, zone: str, text: str) -> pd.Timestamp:
    """A wall-clock time in ``zone`` -> UTC, refusing a time the clock change skipped or repeated."""
    import pandas as pd

    try:
        return stamp.tz_localize(zone, ambiguous="raise", nonexistent="raise").tz_convert("UTC")
    except ValueError as err:  # pandas names the clock change in the message only: test which one
        if pd.isna(stamp.tz_localize(zone, ambiguous=True, nonexistent="NaT")):
            raise DateError(f"{text} never happened in {zone}: the clocks went forward an hour then. "
                            "Check the time; if it is right, write it with its UTC offset, "
                            f"e.g. {stamp:%Y-%m-%dT%H:%M}+00:00.") from err
        early = stamp.tz_localize(zone, ambiguous=True)
        late = stamp.tz_localize(zone, ambiguous=False)
        raise DateError(f"{text} happened twice in {zone} (the clocks went back an hour): once at "
                        f"{early:%H:%M} {early.tzname()} and again at {late:%H:%M} {late.tzname()}. "
                        f"Write which one with its UTC offset: {early:%Y-%m-%dT%H:%M}{_offset(early)} "
                        f"or {late:%Y-%m-%dT%H:%M}{_offset(late)}.") from err


def _offset(stamp: pd.Timestamp) -> str:
    text = stamp.strftime("%z")
    return f"{text[:3]}:{text[3:]}"


def read_optional(value: Any, zone: str, *, what: str = "the date") -> pd.Timestamp | None:
    """:func:`read_when`, with None or blank text giving None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return read_when(value, zone, what=what)


def read_day(value: str, *, what: str = "the date") -> str:
    """A typed calendar date (no time) -> ``YYYY-MM-DD``, read day first like :func:`read_when`.

    >>> read_day("2025-12-19"), read_day("19.12.2025"), read_day("Fri 19 December 2025")
    ('2025-12-19', '2025-12-19', '2025-12-19')
    """
    text = " ".join(str(value).split())
    if not text:
        raise DateError(f"{_first_up(what)} is empty; write it like 03/09/2025 or 2025-09-03.")
    naive, zone_text, timed = _naive(text, what)
    if timed or zone_text:
        raise DateError(f"{text!r}: give the day only (like 03/09/2025), without a time.")
    return naive.date().isoformat()


def in_words(stamp: pd.Timestamp, zone: str) -> str:
    """A time as a person reads it back, in ``zone``: ``Wednesday 5 November 2025, 08:30 GMT``."""
    import pandas as pd

    local = pd.Timestamp(stamp).tz_convert(zone)
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} {local.tzname()}"


def day_in_words(day: str) -> str:
    """A ``YYYY-MM-DD`` day as words: ``Wednesday 3 September 2025``.

    >>> day_in_words("2025-09-03")
    'Wednesday 3 September 2025'
    """
    value = date.fromisoformat(day)
    return f"{value:%A} {value.day} {value:%B %Y}"


def echo(value: str, zone: str, *, day_only: bool = False) -> str:
    """What a form shows under a date field as it is typed: the date in words, or why it cannot be read.

    >>> echo("05/11/2025 08:30", "Europe/London")
    'Wednesday 5 November 2025, 08:30 GMT'
    >>> echo("31/02/2025", "Europe/London")[:40]
    "Not saved as it is: The date: '31/02/202"
    """
    if not value.strip():
        return ""
    try:
        return day_in_words(read_day(value)) if day_only else in_words(read_when(value, zone), zone)
    except DateError as err:
        return f"Not saved as it is: {err}"
