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


# --- keys, missing values, listed cells: the other shared words ---------------------------------

from investigate.words import handle_key, is_missing, items, name_key  # noqa: E402

names = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=300, deadline=None)
@given(names)
def test_a_name_key_is_its_own_key_and_ignores_case_and_spacing(name: str) -> None:
    key = name_key(name)
    assert name_key(key) == key
    assert name_key("  " + name.upper().replace(" ", "   ") + "\t") == name_key(name.upper())
    assert key == key.strip() and "  " not in key


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_characters=",;/", blacklist_categories=("Cs",)),
                        max_size=12), max_size=8), st.sampled_from([",", ",;", ",;/"]))
def test_items_read_back_what_was_listed(parts: list[str], separators: str) -> None:
    listed = items(separators[-1].join(parts), separators)
    assert listed == [" ".join(p.split()) for p in parts if p.split()]
    assert items(", ".join(listed), separators) == listed  # listing the items again changes nothing


def test_missing_values_are_the_cells_that_hold_nothing() -> None:
    import numpy as np

    for empty in (None, float("nan"), np.nan, pd.NA, pd.NaT):
        assert is_missing(empty) and items(empty) == [] and name_key(empty) == "" and handle_key(empty) == ""
    for held in ("", 0, "nan", False, pd.Timestamp("2025-01-01", tz="UTC")):
        assert not is_missing(held)
