"""Turning the many ways people write times into UTC timestamps."""

from __future__ import annotations

import re
import warnings
from functools import cache

import numpy as np
import pandas as pd

# a zone at the end of a (stripped) time; plain text without \s or \d so that pandas hands it to
# pyarrow's regex engine (~10x faster than Python's re on a million values); used with case=False
# an offset counts after a time of day only: the end of 03-02-2025 is a year, not the offset -20:25
_ZONED = r"(?:Z|UTC|GMT|[0-9]:[0-9][0-9](?::[0-9][0-9](?:[.,][0-9]+)?)?[ ]?[+-][0-9][0-9]:?[0-9][0-9])$"
_EPOCH = re.compile(r"^\d{9,13}(?:\.\d+)?$")
#: UK day-first layouts read in one vectorised pass before the value-by-value fallback
_DAYFIRST_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y")
#: the layouts read with Arrow compute when a value is written exactly so (zero-padded, no zone): the
#: common ISO ones, then the day-first ones; anything else goes through the value-by-value reader
_PLAIN_LAYOUTS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d",
                  *_DAYFIRST_FORMATS)
#: years read in the Arrow pass: pandas' nanosecond times hold 1677-09-21 to 2262-04-11, and Arrow's zone
#: rules stop at 2037 (the zone files list their changes that far; Python's zoneinfo carries the rule on)
_PLAIN_YEARS = (1678, 2037)
CLOCK_CHANGE = ("this local time falls in a clock change in {zone} (it happened twice or never); "
                "write it with its UTC offset, e.g. 2025-10-26T01:30+01:00")
UNREADABLE = "not a date or time the kit can read; write it like 2025-11-27 13:05 or 27/11/2025 13:05"


def parse_times(values: pd.Series, zone: str) -> tuple[pd.Series, pd.Series]:
    """Parse text times; returns (UTC times, reason per value that could not be read).

    Accepts ISO 8601 (with or without a zone), UK day-first dates (``27/11/2025 13:05``),
    epoch seconds or milliseconds. Times without a zone are read in ``zone``. A local time
    that happens twice (clocks going back) or never (clocks going forward) is refused with a
    reason rather than guessed. Empty values give NaT with no reason.

    >>> times, bad = parse_times(pd.Series(["2025-03-30T00:30", "27/10/2025 13:05", "x"]), "Europe/London")
    >>> [str(t) for t in times[:2]], list(bad.fillna(""))[2][:12]
    (['2025-03-30 00:30:00+00:00', '2025-10-27 13:05:00+00:00'], 'not a date o')
    >>> [str(t) for t in parse_times(pd.Series(["1700000000", "2025-11-27 13:05"]), "UTC")[0]]
    ['2023-11-14 22:13:20+00:00', '2025-11-27 13:05:00+00:00']
    """
    text = values.astype("string").str.strip()
    text = text.mask(text.eq(""))
    times, reasons, read = _plain_layouts(text, zone)
    if not read.all():
        rest = np.flatnonzero(~read)
        slow_times, slow_reasons = _parse_distinct(text.iloc[rest], zone)
        times.iloc[rest] = slow_times.array
        reasons.iloc[rest] = slow_reasons.array
    return times, reasons


def _parse_distinct(values: pd.Series, zone: str) -> tuple[pd.Series, pd.Series]:
    """:func:`parse_times` value by value (each different text once): every layout it reads. The
    vectorised pass (:func:`_plain_layouts`) gives the same answer on the values it reads."""
    text = values.astype("string").str.strip()
    text = text.mask(text.eq(""))
    codes, distinct = pd.factorize(text)  # each different text parsed once; empty -> code -1
    uniques = pd.Series(distinct, dtype="string")
    parsed = pd.Series(pd.NaT, index=uniques.index, dtype="datetime64[ns, UTC]")
    reason = pd.Series(pd.NA, index=uniques.index, dtype="string")
    if len(uniques):
        zoned = uniques.str.contains(_ZONED, case=False)
        epoch = uniques.str.match(_EPOCH)
        naive = ~zoned & ~epoch
        if zoned.any():
            parsed[zoned] = _iso(uniques[zoned].str.replace(r"\s*UTC$|\s*GMT$", "+00:00", regex=True), utc=True)
        if epoch.any():
            numbers = pd.to_numeric(uniques[epoch])
            millis = numbers > 1e11  # (masks on the epoch values only: mixed with other times, too)
            parsed.loc[numbers.index[~millis]] = pd.to_datetime(numbers[~millis], unit="s", utc=True)
            parsed.loc[numbers.index[millis]] = pd.to_datetime(numbers[millis], unit="ms", utc=True)
        if naive.any():
            local = _iso(uniques[naive], utc=False)
            missing = local.isna()
            if missing.any():
                local[missing] = _dayfirst(uniques[naive][missing])
            ok = local.notna()
            localised = pd.Series(pd.NaT, index=local.index, dtype="datetime64[ns, UTC]")
            if ok.any():
                stamps = pd.DatetimeIndex(local[ok]).tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
                localised[ok] = pd.Series(stamps.tz_convert("UTC"), index=local[ok].index)
                clock = ok & localised.isna()
                reason[clock[clock].index] = CLOCK_CHANGE.format(zone=zone)
            parsed[naive] = localised
        unread = parsed.isna() & reason.isna()
        reason[unread] = UNREADABLE
    times = pd.Series(parsed.array.take(codes, allow_fill=True), index=values.index).astype("datetime64[ns, UTC]")
    reasons = pd.Series(reason.array.take(codes, allow_fill=True), index=values.index, dtype="string")
    return times, reasons


#: each field of a plain layout as the regex of its zero-padded digits, within its range (a day up to 31)
_FIELDS = {"Y": "[0-9]{4}", "m": "(?:0[1-9]|1[0-2])", "d": "(?:0[1-9]|[12][0-9]|3[01])", "H": "(?:[01][0-9]|2[0-3])",
           "M": "[0-5][0-9]", "S": "[0-5][0-9]"}


@cache
def _shape(layout: str) -> tuple[str, int]:
    """A layout's exact shape: the regex of its zero-padded text, and where its day's two digits start.

    >>> _shape("%d/%m/%Y")
    ('^(?:0[1-9]|[12][0-9]|3[01])/(?:0[1-9]|1[0-2])/[0-9]{4}$', 0)
    """
    pattern, day, at, i = "^", -1, 0, 0
    while i < len(layout):
        if layout[i] == "%":
            field = layout[i + 1]
            day = at if field == "d" else day
            pattern += _FIELDS[field]
            at, i = at + (4 if field == "Y" else 2), i + 2
        else:
            pattern += re.escape(layout[i])
            at, i = at + 1, i + 1
    return pattern + "$", day


def _plain_layouts(text: pd.Series, zone: str) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """The values written exactly in one of :data:`_PLAIN_LAYOUTS`, read with Arrow compute, one
    pass per layout: (UTC times, reasons, which values were decided here). Empty values are decided
    (NaT, no reason); the rest are left to :func:`_parse_distinct`.

    A value counts as written in a layout when it has the layout's zero-padded shape, each field in
    its range (no hour 24, no second 60), and the day read back from its time is the day written
    (``2025-02-30`` is not 2 March): those, and ``1/2/2025``, are left to the value-by-value reader,
    which refuses the first and reads the second. A local time in a clock change is refused with the
    same reason as there: read as the earliest and the latest instant it could be, they differ.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    count = len(text)
    times = np.full(count, np.iinfo(np.int64).min, dtype=np.int64)  # NaT
    clock = np.zeros(count, dtype=bool)
    read = text.isna().to_numpy(dtype=bool, copy=True)
    for layout in _PLAIN_LAYOUTS:
        todo = np.flatnonzero(~read)
        if not len(todo):
            break
        values = pa.array(text.iloc[todo], type=pa.large_string())
        pattern, day = _shape(layout)
        same = pc.match_substring_regex(values, pattern)
        if not pc.any(same).as_py():
            continue
        rows, values = todo[np.asarray(same.to_numpy(zero_copy_only=False), dtype=bool)], values.filter(same)
        stamps = pc.strptime(values, format=layout, unit="s", error_is_null=True)
        # each field is in its range (the regex); a day past the month's end moves into the next month
        written = pc.cast(pc.utf8_slice_codeunits(values, day, day + 2), pa.int64())
        exact = pc.fill_null(pc.equal(pc.day(stamps), written), False)
        years = pc.year(stamps)
        exact = pc.and_(exact, pc.fill_null(pc.and_(pc.greater_equal(years, _PLAIN_YEARS[0]),
                                                    pc.less_equal(years, _PLAIN_YEARS[1])), False))
        if not pc.any(exact).as_py():
            continue
        hit = np.asarray(exact.to_numpy(zero_copy_only=False), dtype=bool)
        rows, local = rows[hit], stamps.filter(exact)
        first = pc.assume_timezone(local, zone, ambiguous="earliest", nonexistent="earliest")
        last = pc.assume_timezone(local, zone, ambiguous="latest", nonexistent="latest")
        moved = np.asarray(pc.not_equal(first, last).to_numpy(zero_copy_only=False), dtype=bool)
        seconds = np.asarray(first.cast(pa.int64()).to_numpy(zero_copy_only=False))
        times[rows] = np.where(moved, np.iinfo(np.int64).min, seconds * 1_000_000_000)
        clock[rows] = moved
        read[rows] = True
    out = pd.Series(pd.DatetimeIndex(times.view("datetime64[ns]")).tz_localize("UTC"), index=text.index)
    reasons = pd.Series(pd.NA, index=text.index, dtype="string")
    if clock.any():
        reasons[clock] = CLOCK_CHANGE.format(zone=zone)
    return out, reasons, read


def _iso(values: pd.Series, *, utc: bool) -> pd.Series:
    try:
        out = pd.to_datetime(values, format="ISO8601", errors="coerce", utc=utc)
    except (ValueError, TypeError):
        out = pd.Series([pd.to_datetime(v, format="ISO8601", errors="coerce", utc=utc) for v in values],
                        index=values.index)
    if not utc and isinstance(out.dtype, pd.DatetimeTZDtype):  # mixed input: keep naive only
        return pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    return _in_range(out).astype("datetime64[ns, UTC]" if utc else "datetime64[ns]")


def _in_range(times: pd.Series) -> pd.Series:
    """Times outside what a nanosecond time holds (a year such as 1600 or 2300) as NaT: unread, never a crash."""
    if not pd.api.types.is_datetime64_any_dtype(times.dtype):
        return times
    low, high = pd.Timestamp.min, pd.Timestamp.max
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        low, high = low.tz_localize("UTC"), high.tz_localize("UTC")
    return times.where((times >= low) & (times <= high))


def _dayfirst(values: pd.Series) -> pd.Series:
    found = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for layout in _DAYFIRST_FORMATS:
        missing = found.isna()
        if not missing.any():
            return found
        found[missing] = _in_range(pd.to_datetime(values[missing], format=layout, errors="coerce"))
    rest = found.isna()
    if rest.any():
        found[rest] = _dayfirst_each(values[rest])
    return found


def _dayfirst_each(values: pd.Series) -> pd.Series:
    out = []
    for value in values:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                stamp = pd.to_datetime(value, dayfirst=True)
            except (ValueError, TypeError, OverflowError):
                stamp = pd.NaT
        if stamp is not pd.NaT and not pd.Timestamp.min <= stamp.replace(tzinfo=None) <= pd.Timestamp.max:
            stamp = pd.NaT  # a year such as 1600 or 2300
        out.append(stamp.tz_localize(None) if stamp is not pd.NaT and stamp.tzinfo else stamp)
    return pd.Series(out, index=values.index, dtype="datetime64[ns]")


#: the languages of the platform exports the kit reads month names in (CLDR data, through Babel)
MONTH_LOCALES = ("en", "fr", "it", "es", "de", "nl", "pt")


@cache
def _month_names() -> dict[str, int]:
    from babel.dates import get_month_names

    names: dict[str, set[int]] = {}
    for locale in MONTH_LOCALES:
        for width in ("abbreviated", "wide"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    names.setdefault(name.casefold().rstrip("."), set()).add(number)
    return {name: next(iter(months)) for name, months in names.items() if len(months) == 1}


@cache
def _all_month_names() -> tuple[tuple[str, int], ...]:
    from babel.dates import get_month_names

    return tuple((name.casefold().rstrip("."), number) for locale in MONTH_LOCALES
                 for width in ("abbreviated", "wide") for context in ("format", "stand-alone")
                 for number, name in get_month_names(width, context, locale).items())


def month_number(name: str) -> int | None:
    """The month a name means, in any of :data:`MONTH_LOCALES` (full or short, any case); None if unknown.

    A name that is not one of CLDR's is read by its prefix, when at least three letters long and
    the start of one month's names only (Instagram writes ``fév`` and ``juil`` where CLDR has
    ``févr.`` and ``juil.``); ``jui`` (juin or juillet) is not a month.

    >>> month_number("févr."), month_number("August"), month_number("mag"), month_number("Okt"), month_number("x")
    (2, 8, 5, 10, None)
    >>> month_number("fév"), month_number("juil"), month_number("jui"), month_number("sept")
    (2, 7, None, 9)
    """
    key = name.casefold().rstrip(".")
    found = _month_names().get(key)
    if found is not None or len(key) < 3:
        return found
    months = {number for full, number in _all_month_names() if full.startswith(key)}
    return months.pop() if len(months) == 1 else None
