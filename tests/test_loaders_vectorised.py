"""Vectorised readers give what the value-by-value readers they stand in front of give (property tests).

Each fast path (Arrow compute over a whole piece) decides only the values it can read exactly and
leaves the rest to the older reader; on generated inputs the answers must be the older reader's.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from investigate.loaders import _times

ZONES = ("Europe/London", "UTC", "America/New_York", "Australia/Lord_Howe")
LAYOUTS = (*_times._PLAIN_LAYOUTS, "%Y-%m-%dT%H:%M:%S.%f", "%-d/%-m/%Y %H:%M", "%d/%m/%y", "%Y-%m-%dT%H:%MZ",
           "%Y-%m-%d %H:%M:%S %z", "%d %B %Y")
#: near the clock changes of the zones above (a local time that happened twice or never), and anywhere
_CHANGES = [datetime(2025, 3, 30, 0, 30), datetime(2025, 10, 26, 0, 30), datetime(2025, 3, 9, 1, 30),
            datetime(2025, 11, 2, 0, 30), datetime(2025, 4, 6, 1, 0), datetime(2025, 10, 5, 1, 30)]

moments = st.one_of(
    st.builds(lambda base, minutes: base + timedelta(minutes=minutes), st.sampled_from(_CHANGES),
              st.integers(0, 150)),
    st.datetimes(min_value=datetime(1600, 1, 1), max_value=datetime(2400, 12, 31)),
)
written = st.builds(lambda moment, layout: moment.strftime(layout), moments, st.sampled_from(LAYOUTS))
#: texts near a layout but not in it: a day past the month's end, hour 24, second 60, stray spaces...
damaged = st.one_of(
    st.builds("{}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}".format, st.integers(1990, 2030), st.integers(0, 13),
              st.integers(0, 32), st.integers(0, 25), st.integers(0, 61), st.integers(0, 61)),
    st.builds("{:02d}/{:02d}/{} {:02d}:{:02d}".format, st.integers(0, 32), st.integers(0, 13),
              st.integers(1990, 2030), st.integers(0, 25), st.integers(0, 61)),
    st.builds("{:02d}-{:02d}-{}".format, st.integers(0, 32), st.integers(0, 13), st.integers(1990, 2030)),
    st.text(alphabet="0123456789-/:T Z+.", max_size=22),
    st.sampled_from(["", " ", "1700000000", "1700000000123", "not a date", "2025-04-01 08:00 ", " 27/11/2025"]),
)
cells = st.one_of(written, damaged, st.none())


@settings(max_examples=200, deadline=None)
@given(st.lists(cells, min_size=1, max_size=40), st.sampled_from(ZONES))
def test_parse_times_is_the_value_by_value_reader(values: list[str | None], zone: str) -> None:
    series = pd.Series(values, dtype="string", index=pd.RangeIndex(7, 7 + len(values)))
    times, reasons = _times.parse_times(series, zone)
    old_times, old_reasons = _times._parse_distinct(series, zone)
    pd.testing.assert_series_equal(times, old_times)
    pd.testing.assert_series_equal(reasons, old_reasons)


def test_the_plain_layouts_read_a_clock_change_as_the_value_by_value_reader_does() -> None:
    values = pd.Series(["2025-03-30T01:30:00", "2025-10-26 01:30", "30/03/2025 00:59", "2025-02-29", "29/02/2024"],
                       dtype="string")
    times, reasons, read = _times._plain_layouts(values.str.strip(), "Europe/London")
    assert read.tolist() == [True, True, True, False, True]  # 29 February 2025 is left to the other reader
    assert reasons.tolist()[:2] == [_times.CLOCK_CHANGE.format(zone="Europe/London")] * 2
    assert [str(t) for t in times[2:]] == ["2025-03-30 00:59:00+00:00", "NaT", "2024-02-29 00:00:00+00:00"]
    assert _times.parse_times(values, "Europe/London")[1][3] == _times.UNREADABLE


def test_a_local_time_after_2037_is_read_with_the_zone_rules_carried_on() -> None:
    times, _ = _times.parse_times(pd.Series(["2040-07-01T12:00:00"], dtype="string"), "Europe/London")
    assert str(times[0]) == "2040-07-01 11:00:00+00:00"  # summer time (BST), as in every year before


def test_a_year_outside_what_a_time_holds_is_unreadable_not_a_crash() -> None:
    times, reasons = _times.parse_times(pd.Series(["2300-01-01", "1600-05-01T10:00Z", "01/01/2300 10:00",
                                                   "1 Jan 2300"], dtype="string"), "Europe/London")
    assert times.isna().all() and (reasons == _times.UNREADABLE).all()


def test_a_day_first_date_with_dashes_is_read_not_taken_for_a_zone() -> None:
    times, reasons = _times.parse_times(pd.Series(["03-02-2025", "03-02-2025 13:05"], dtype="string"), "UTC")
    assert [str(t) for t in times] == ["2025-02-03 00:00:00+00:00", "2025-02-03 13:05:00+00:00"]
    assert reasons.isna().all()
