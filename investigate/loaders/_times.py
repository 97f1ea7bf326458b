"""Turning the many ways people write times into UTC timestamps."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

_ZONED = re.compile(r"(?:Z|UTC|GMT|[+-]\d\d:?\d\d)\s*$", re.IGNORECASE)
_EPOCH = re.compile(r"^\d{9,13}(?:\.\d+)?$")


def parse_times(values: pd.Series, zone: str) -> tuple[pd.Series, pd.Series]:
    """Parse text times; returns (UTC times, reason per value that could not be read).

    Accepts ISO 8601 (with or without a zone), UK day-first dates (``27/11/2025 13:05``),
    epoch seconds or milliseconds. Times without a zone are read in ``zone``. A local time
    that happens twice (clocks going back) or never (clocks going forward) is refused with a
    reason rather than guessed. Empty values give NaT with no reason.

    >>> times, bad = parse_times(pd.Series(["2025-03-30T00:30", "27/10/2025 13:05", "x"]), "Europe/London")
    >>> [str(t) for t in times[:2]], list(bad.fillna(""))[2][:12]
    (['2025-03-30 00:30:00+00:00', '2025-10-27 13:05:00+00:00'], 'not a date o')
    """
    text = values.astype("string").str.strip()
    text = text.mask(text.eq(""))
    uniques = pd.Series(text.dropna().unique(), dtype="string")
    parsed = pd.Series(pd.NaT, index=uniques.index, dtype="datetime64[ns, UTC]")
    reason = pd.Series(pd.NA, index=uniques.index, dtype="string")
    if len(uniques):
        zoned = uniques.str.contains(_ZONED)
        epoch = uniques.str.match(_EPOCH)
        naive = ~zoned & ~epoch
        if zoned.any():
            parsed[zoned] = _iso(uniques[zoned].str.replace(r"\s*UTC$|\s*GMT$", "+00:00", regex=True), utc=True)
        if epoch.any():
            numbers = pd.to_numeric(uniques[epoch])
            unit = np.where(numbers > 1e11, "ms", "s")
            parsed[epoch & (unit == "s")] = pd.to_datetime(numbers[unit == "s"], unit="s", utc=True)
            parsed[epoch & (unit == "ms")] = pd.to_datetime(numbers[unit == "ms"], unit="ms", utc=True)
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
                reason[clock[clock].index] = (
                    f"this local time falls in a clock change in {zone} (it happened twice or never); "
                    "write it with its UTC offset, e.g. 2025-10-26T01:30+01:00"
                )
            parsed[naive] = localised
        unread = parsed.isna() & reason.isna()
        reason[unread] = "not a date or time the kit can read; write it like 2025-11-27 13:05 or 27/11/2025 13:05"
    lookup_time = pd.Series(parsed.to_numpy(), index=uniques.to_numpy())
    lookup_reason = pd.Series(reason.to_numpy(), index=uniques.to_numpy(), dtype="string")
    times = text.map(lookup_time).astype("datetime64[ns, UTC]")
    reasons = text.map(lookup_reason).astype("string")
    return times, reasons


def _iso(values: pd.Series, *, utc: bool) -> pd.Series:
    try:
        out = pd.to_datetime(values, format="ISO8601", errors="coerce", utc=utc)
    except (ValueError, TypeError):
        out = pd.Series([pd.to_datetime(v, format="ISO8601", errors="coerce", utc=utc) for v in values],
                        index=values.index)
    if not utc and isinstance(out.dtype, pd.DatetimeTZDtype):  # mixed input: keep naive only
        return pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    return out.astype("datetime64[ns, UTC]" if utc else "datetime64[ns]")


def _dayfirst(values: pd.Series) -> pd.Series:
    out = []
    for value in values:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                stamp = pd.to_datetime(value, dayfirst=True)
            except (ValueError, TypeError, OverflowError):
                stamp = pd.NaT
        out.append(stamp.tz_localize(None) if stamp is not pd.NaT and stamp.tzinfo else stamp)
    return pd.Series(out, index=values.index, dtype="datetime64[ns]")
