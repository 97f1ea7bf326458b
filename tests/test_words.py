"""The one formatter of times (investigate.words.show): zone required, naive times refused, day first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from investigate.errors import DateError
from investigate.words import show

ZONE = "Europe/London"
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1),
                       timezones=st.just(UTC))


@settings(max_examples=200, deadline=None)
@given(moments)
def test_a_shown_time_reads_back_as_the_same_minute_in_the_zone(moment: datetime) -> None:
    text = show(pd.Timestamp(moment), zone=ZONE)
    day, clock, abbreviation = text.split(" ")
    local = pd.Timestamp(moment).tz_convert(ZONE)
    assert abbreviation in ("GMT", "BST")
    read = datetime.strptime(f"{day} {clock}", "%d/%m/%Y %H:%M")
    assert read == local.tz_localize(None).floor("min").to_pydatetime()


@settings(max_examples=100, deadline=None)
@given(moments)
def test_the_styles_say_the_same_day(moment: datetime) -> None:
    stamp = pd.Timestamp(moment)
    exact, day, about = (show(stamp, zone=ZONE, style=s) for s in ("exact", "day", "approximate"))
    assert exact.startswith(day) and about == f"about {exact}"
    assert show(stamp, zone=ZONE, weekday=True) == f"{stamp.tz_convert(ZONE):%a} {exact}"


def test_naive_times_are_refused_and_the_zone_is_required() -> None:
    with pytest.raises(DateError, match="no time zone"):
        show(pd.Timestamp("2025-10-24 10:00"), zone=ZONE)
    with pytest.raises(TypeError):
        show(pd.Timestamp("2025-10-24 10:00", tz="UTC"), ZONE)  # type: ignore[misc]  # zone is keyword only
    assert [show(v, zone=ZONE) for v in (None, pd.NaT, pd.NA, float("nan"))] == ["", "", "", ""]
    assert show(pd.Timestamp("2025-10-26 01:30", tz="UTC") + timedelta(0), zone=ZONE) == "26/10/2025 01:30 GMT"
