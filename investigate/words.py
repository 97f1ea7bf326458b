"""One way to show a time in words, for every output: UK day first, in the zone it is asked for.

:func:`show` is the one formatter of a stored time: the report (:func:`investigate.plain.format_time`)
and the packs (``CaseFacts.time``) call it. The zone is a required keyword (a time is never shown in
whatever zone it happens to carry), and a time without a zone is refused: it cannot be read exactly.

>>> import pandas as pd
>>> show(pd.Timestamp("2025-10-24 09:00", tz="UTC"), zone="Europe/London")
'24/10/2025 10:00 BST'
>>> show(pd.Timestamp("2025-10-24 09:00", tz="UTC"), zone="Europe/London", weekday=True, style="day")
'Fri 24/10/2025'
>>> show(None, zone="Europe/London")
''
"""

from __future__ import annotations

from typing import Final

from .errors import DateError

#: how precisely a time is known, and so how it is shown: to the minute, to the day, or "about".
STYLES: Final = ("exact", "day", "approximate")
DAY: Final = "%d/%m/%Y"
CLOCK: Final = "%H:%M %Z"


def is_missing(value: object) -> bool:
    """True for None, pandas' NA and NaT, and a float NaN (a cell that holds nothing)."""
    if value is None:
        return True
    import pandas as pd

    if value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value


def show(value: object, *, zone: str, style: object = "exact", weekday: bool = False) -> str:
    """A stored time in ``zone``, UK day first: '24/10/2025 10:00 BST', a day only for style 'day',
    'about ...' for 'approximate' (any other style is shown exact); '' for a missing value.

    Raises DateError for a time without a zone (naive): whether it is UTC or local cannot be known.
    """
    if is_missing(value):
        return ""
    import pandas as pd

    stamp = pd.Timestamp(value)
    if stamp is pd.NaT:
        return ""
    if stamp.tzinfo is None:
        raise DateError(f"The time {stamp} has no time zone, so it cannot be shown exactly: store times in UTC.")
    local = stamp.tz_convert(zone)
    day = local.strftime(("%a " if weekday else "") + DAY)
    if style == "day":
        return day
    text = f"{day} {local.strftime(CLOCK)}"
    return f"about {text}" if style == "approximate" else text
