"""Posting patterns against the school day and the school year.

A post in lesson time from an account run by a learner says something different from one at
22:00; none of it is a finding on its own. Times are classified in the case's time zone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import numpy as np
import pandas as pd

from .chronology import check_timezone
from .dates import day_in_words, read_day
from .errors import DateError, InputError

CATEGORIES: Final = ("lesson time", "break", "lunch", "before school", "after school", "evening", "night",
                     "weekend", "holiday")
WEEKDAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

PeriodKind = Literal["lesson", "break", "lunch", "registration"]


def _time(value: str | dt.time) -> dt.time:
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))


def _minutes(value: str | dt.time) -> int:
    t = _time(value)
    return t.hour * 60 + t.minute


@dataclass(frozen=True)
class Period:
    """One slot of the school day, e.g. Period("Lunch", "12:25", "13:10", "lunch")."""

    name: str
    start: str
    end: str
    kind: PeriodKind = "lesson"


def _default_periods() -> tuple[Period, ...]:
    return (
        Period("Registration", "08:40", "09:00", "registration"),
        Period("Period 1", "09:00", "10:00"),
        Period("Period 2", "10:00", "11:00"),
        Period("Break", "11:00", "11:20", "break"),
        Period("Period 3", "11:20", "12:20"),
        Period("Lunch", "12:20", "13:05", "lunch"),
        Period("Period 4", "13:05", "14:05"),
        Period("Period 5", "14:05", "15:05"),
    )


@dataclass(frozen=True)
class SchoolDay:
    """The school day (defaults: a typical English secondary school, 08:40-15:05, Monday to Friday).

    ``evening_from``/``night_from``/``night_until`` split the rest of a school day into after
    school, evening, night and before school. Keep it in case.toml with ``to_dict``/``from_dict``.

    >>> SchoolDay.from_dict(SchoolDay().to_dict()) == SchoolDay()
    True
    """

    periods: tuple[Period, ...] = field(default_factory=_default_periods)
    school_days: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday = 0
    evening_from: str = "18:00"
    night_from: str = "22:00"
    night_until: str = "06:00"

    @property
    def start(self) -> str:
        return min(self.periods, key=lambda p: _minutes(p.start)).start

    @property
    def end(self) -> str:
        return max(self.periods, key=lambda p: _minutes(p.end)).end

    def to_dict(self) -> dict[str, Any]:
        return {"periods": [{"name": p.name, "start": p.start, "end": p.end, "kind": p.kind} for p in self.periods],
                "school_days": list(self.school_days), "evening_from": self.evening_from,
                "night_from": self.night_from, "night_until": self.night_until}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> SchoolDay:
        if not data:
            return cls()
        base = cls()
        periods = tuple(Period(str(p["name"]), str(p["start"]), str(p["end"]), p.get("kind", "lesson"))
                        for p in data.get("periods", [])) or base.periods
        for p in periods:  # fail early on a mistyped time
            _time(p.start), _time(p.end)
        return cls(periods=periods, school_days=tuple(int(d) for d in data.get("school_days", base.school_days)),
                   evening_from=str(data.get("evening_from", base.evening_from)),
                   night_from=str(data.get("night_from", base.night_from)),
                   night_until=str(data.get("night_until", base.night_until)))


@dataclass(frozen=True)
class Terms:
    """Term dates and holidays inside them (half terms, INSET days); dates as 'YYYY-MM-DD'.

    A day is a holiday when it falls in a holiday, or when terms are given and it falls in none.

    >>> t = Terms(terms=(("Autumn 2025", "2025-09-03", "2025-12-19"),),
    ...           holidays=(("Half term", "2025-10-27", "2025-10-31"),))
    >>> Terms.from_dict(t.to_dict()) == t
    True
    """

    terms: tuple[tuple[str, str, str], ...] = ()  # (name, first day, last day)
    holidays: tuple[tuple[str, str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"terms": [{"name": n, "start": s, "end": e} for n, s, e in self.terms],
                "holidays": [{"name": n, "start": s, "end": e} for n, s, e in self.holidays]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Terms:
        if not data:
            return cls()

        def rows(key: str) -> tuple[tuple[str, str, str], ...]:
            out = tuple((str(r.get("name", "")), str(r["start"]), str(r["end"])) for r in data.get(key, []))
            for _, s, e in out:
                dt.date.fromisoformat(s[:10]), dt.date.fromisoformat(e[:10])
            return out

        return cls(terms=rows("terms"), holidays=rows("holidays"))

    def is_holiday(self, dates: pd.Series) -> pd.Series:
        """Per local date (naive datetime64 at midnight): is it a holiday."""
        if not self.terms and not self.holidays:
            return pd.Series(False, index=dates.index)
        in_term = pd.Series(not self.terms, index=dates.index)
        for _, start, end in self.terms:
            in_term |= dates.between(pd.Timestamp(start[:10]), pd.Timestamp(end[:10]))
        holiday = ~in_term
        for _, start, end in self.holidays:
            holiday |= dates.between(pd.Timestamp(start[:10]), pd.Timestamp(end[:10]))
        return holiday


# ------------------------------------------------------------------ the school day and terms, as typed
PERIOD_KINDS: Final = ("lesson", "break", "lunch", "registration")


def _lines(text: str, label: str, least: int, most: int) -> list[tuple[int, list[str]]]:
    """(line number, parts) of each non-blank comma-separated line, with ``least`` to ``most`` parts."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(",")]
        if not least <= len(parts) <= most or not all(parts):
            raise InputError(f"{label}, line {number}: expected {least} to {most} parts separated by commas, "
                             f"found {line.strip()!r}.")
        rows.append((number, parts))
    return rows


def _typed_time(text: str, where: str) -> dt.time:
    """A typed clock time, 24-hour: ``8:40``, ``08:40`` or ``08.40``; anything else is refused."""
    found = re.fullmatch(r"([01]?\d|2[0-3])[:.]([0-5]\d)", text.strip())
    if not found:
        raise InputError(f"{where}: write the times like 08:40, 24-hour (found {text!r}).")
    return dt.time(int(found[1]), int(found[2]))


def school_day_from_text(text: str, school_days: Sequence[int] = (0, 1, 2, 3, 4)) -> SchoolDay:
    """The school day as typed: one slot per line, ``name, start, end[, kind]`` (kind: lesson, break,
    lunch or registration; lesson when left out). A blank text keeps the default day.

    Refused (:class:`InputError` naming the line): a time that is not ``HH:MM``, an end not after its
    start, an unknown kind.

    >>> school_day_from_text("Period 1, 09:00, 10:00\\nLunch, 12:20, 13:05, lunch").periods[1].kind
    'lunch'
    >>> school_day_from_text("Lunch, 12:20, 13:05, lnuch")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    investigate.errors.InputError: School day, line 1: 'lnuch' is not a kind of slot; ...
    """
    periods = []
    for number, parts in _lines(text, "School day", 3, 4):
        name, start, end, kind = (parts + ["lesson"])[:4]
        kind = kind.casefold()
        first, last = (_typed_time(t, f"School day, line {number}") for t in (start, end))
        if last <= first:
            raise InputError(f"School day, line {number}: {name} ends ({end}) before it starts ({start}).")
        if kind not in PERIOD_KINDS:
            raise InputError(f"School day, line {number}: {kind!r} is not a kind of slot; write lesson, break, "
                             "lunch or registration.")
        periods.append(Period(name, first.strftime("%H:%M"), last.strftime("%H:%M"), kind))  # type: ignore[arg-type]
    base = SchoolDay()
    return SchoolDay(periods=tuple(periods) or base.periods, school_days=tuple(int(d) for d in school_days))


def terms_from_text(terms: str, holidays: str = "") -> Terms:
    """Terms and holidays as typed: one per line, ``name, first day, last day`` (UK day first).

    Refused (:class:`InputError` or :class:`DateError` naming the line): a day that cannot be read
    exactly, a last day before the first.

    >>> terms_from_text("Autumn 2025, 03/09/2025, 19/12/2025").terms
    (('Autumn 2025', '2025-09-03', '2025-12-19'),)
    """
    rows: dict[str, tuple[tuple[str, str, str], ...]] = {}
    for key, text, label in (("terms", terms, "Terms"), ("holidays", holidays, "Holidays")):
        out = []
        for number, (name, start, end) in _lines(text, label, 3, 3):
            first = read_day(start, what=f"{label}, line {number} ({name}): the first day")
            last = read_day(end, what=f"{label}, line {number} ({name}): the last day")
            if last < first:
                raise InputError(f"{label}, line {number}: {name} ends ({end}) before it starts ({start}).")
            out.append((name, first, last))
        rows[key] = tuple(out)
    return Terms(terms=rows["terms"], holidays=rows["holidays"])


def terms_in_words(text: str) -> str:
    """Each ``name, first day, last day`` line said back in words, so a misread day is seen before saving.

    >>> terms_in_words("Autumn 2025, 03/09/2025, 19/12/2025")
    'Autumn 2025: Wednesday 3 September 2025 to Friday 19 December 2025'
    """
    said = []
    for line in text.splitlines():
        parts = [part.strip() for part in line.split(",")]
        if len(parts) != 3 or not all(parts):
            continue
        try:
            said.append(f"{parts[0]}: {day_in_words(read_day(parts[1]))} to {day_in_words(read_day(parts[2]))}")
        except DateError as err:
            said.append(f"{parts[0]}: not saved as it is: {err}")
    return "; ".join(said)


def _local(times: pd.Series, timezone: str) -> pd.Series:
    check_timezone(timezone)
    times = pd.to_datetime(pd.Series(times), utc=True)
    return times.dt.tz_convert(timezone)


def classify_times(times: pd.Series | Sequence[Any], school_day: SchoolDay | None = None,
                   terms: Terms | None = None, timezone: str = "Europe/London") -> pd.Series:
    """Which part of the school week each time falls in (in the case's zone).

    Out: a categorical Series (categories :data:`CATEGORIES`; missing times stay missing), same
    index. Order of precedence: holiday, weekend, then the time of day on a school day.

    >>> classify_times(pd.Series(pd.to_datetime(["2025-11-03 10:30", "2025-11-03 12:40",
    ...     "2025-11-03 23:10", "2025-11-08 10:00"], utc=True))).tolist()
    ['lesson time', 'lunch', 'night', 'weekend']
    """
    day = school_day or SchoolDay()
    local = _local(times, timezone)
    minutes = (local.dt.hour * 60 + local.dt.minute).to_numpy(dtype=float, na_value=np.nan)
    out = np.full(len(local), None, dtype=object)
    start, end = _minutes(day.start), _minutes(day.end)
    night_from, night_until, evening = _minutes(day.night_from), _minutes(day.night_until), _minutes(day.evening_from)
    out[(minutes >= night_until) & (minutes < start)] = "before school"
    out[(minutes >= end) & (minutes < evening)] = "after school"
    out[(minutes >= evening) & (minutes < night_from)] = "evening"
    out[(minutes >= night_from) | (minutes < night_until)] = "night"
    out[(minutes >= start) & (minutes < end)] = "lesson time"  # gaps between periods count as lessons
    for p in day.periods:
        kind = {"lesson": "lesson time", "registration": "lesson time"}.get(p.kind, p.kind)
        out[(minutes >= _minutes(p.start)) & (minutes < _minutes(p.end))] = kind
    weekday = local.dt.day_of_week.to_numpy(dtype=float, na_value=np.nan)
    out[~np.isin(weekday, list(day.school_days)) & ~np.isnan(weekday)] = "weekend"
    if terms is not None:
        dates = local.dt.tz_localize(None).dt.normalize()
        out[terms.is_holiday(dates).fillna(False).to_numpy(dtype=bool)] = "holiday"
    out[np.isnan(minutes)] = None
    return pd.Series(pd.Categorical(out, categories=CATEGORIES), index=local.index, name="when")


def posting_heatmap(posts: pd.DataFrame, *, timezone: str = "Europe/London", column: str = "posted_at"
                    ) -> pd.DataFrame:
    """Posts counted by weekday (rows, Monday first) and hour of the day (columns 0-23), local time.

    >>> posts = pd.DataFrame({"posted_at": pd.to_datetime(["2025-11-03 10:30", "2025-07-07 10:30"], utc=True)})
    >>> h = posting_heatmap(posts)
    >>> int(h.loc["Monday", 10]), int(h.loc["Monday", 11]), int(h.values.sum())
    (1, 1, 2)
    """
    local = _local(posts[column], timezone).dropna()
    counts = pd.crosstab(local.dt.day_of_week, local.dt.hour)
    counts = counts.reindex(index=range(7), columns=range(24), fill_value=0).astype("int64")
    counts.index = pd.Index(WEEKDAYS, name="weekday")
    counts.columns = pd.Index(range(24), name="hour")
    return counts


def pattern_summary(posts: pd.DataFrame, *, school_day: SchoolDay | None = None, terms: Terms | None = None,
                    timezone: str = "Europe/London", column: str = "posted_at") -> pd.DataFrame:
    """A small table: how many posts fell in each part of the school week.

    Out: columns when, posts, share (percent of posts with a time, one decimal), one row per
    category in :data:`CATEGORIES` order (zeros kept so the table always reads the same).
    """
    when = classify_times(posts[column], school_day, terms, timezone)
    counts = when.value_counts().reindex(list(CATEGORIES), fill_value=0)
    total = int(counts.sum())
    share = (counts / total * 100).round(1) if total else counts * 0.0
    return pd.DataFrame({"when": pd.array(list(CATEGORIES), dtype="string"),
                         "posts": counts.to_numpy(dtype="int64"), "share": share.to_numpy(dtype=float)})
