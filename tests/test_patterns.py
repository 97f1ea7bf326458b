"""Posting patterns against the school day, in local time across the clock changes."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from investigate.errors import DateError, InputError, InvestigateError
from investigate.patterns import (
    CATEGORIES,
    Period,
    SchoolDay,
    Terms,
    classify_times,
    pattern_summary,
    posting_heatmap,
    school_day_from_text,
    terms_from_text,
    terms_in_words,
)

TERMS = Terms(terms=(("Autumn 2025", "2025-09-03", "2025-12-19"),),
              holidays=(("October half term", "2025-10-27", "2025-10-31"),))


def _utc(*stamps: str) -> pd.Series:
    return pd.Series(pd.to_datetime(list(stamps), utc=True))


def test_each_category_on_a_school_week() -> None:
    # Tuesday 4 Nov 2025 is GMT, so UTC = local
    times = _utc("2025-11-04 09:30", "2025-11-04 11:05", "2025-11-04 12:30", "2025-11-04 07:30",
                 "2025-11-04 16:00", "2025-11-04 19:00", "2025-11-04 23:30", "2025-11-04 03:00",
                 "2025-11-08 11:05", "2025-10-28 11:05", "2025-12-23 10:00", "2025-11-04 08:45")
    got = classify_times(times, SchoolDay(), TERMS, "Europe/London").tolist()
    assert got == ["lesson time", "break", "lunch", "before school", "after school", "evening", "night", "night",
                   "weekend", "holiday", "holiday", "lesson time"]


def test_bst_is_used_in_summer() -> None:
    # 11:30 UTC on Tue 23 Sep 2025 is 12:30 BST: lunch, not lesson time
    assert classify_times(_utc("2025-09-23 11:30"), timezone="Europe/London").tolist() == ["lunch"]
    assert classify_times(_utc("2025-09-23 11:30"), timezone="UTC").tolist() == ["lesson time"]
    # Mon 31 Mar 2025 07:50 UTC = 08:50 BST (after the change on 30 Mar): registration, counted as lesson time
    assert classify_times(_utc("2025-03-31 07:50")).tolist() == ["lesson time"]
    # Mon 27 Oct 2025 07:50 UTC = 07:50 GMT (after the change on 26 Oct): before school
    assert classify_times(_utc("2025-10-27 07:50")).tolist() == ["before school"]


def test_configurable_day_round_trips_through_a_dict() -> None:
    day = SchoolDay(periods=(Period("P1", "08:30", "10:30"), Period("Lunch", "10:30", "11:00", "lunch"),
                             Period("P2", "11:00", "14:00")), evening_from="17:00")
    assert SchoolDay.from_dict(day.to_dict()) == day
    assert Terms.from_dict(TERMS.to_dict()) == TERMS
    assert classify_times(_utc("2025-11-04 10:45", "2025-11-04 17:30"), day).tolist() == ["lunch", "evening"]
    with pytest.raises(ValueError):
        SchoolDay.from_dict({"periods": [{"name": "P1", "start": "nine", "end": "10:00"}]})


def test_heatmap_counts_in_local_time() -> None:
    posts = pd.DataFrame({"posted_at": _utc("2025-03-29 23:30", "2025-03-30 01:30", "2025-10-26 00:30",
                                             "2025-10-26 01:30")})
    h = posting_heatmap(posts, timezone="Europe/London")
    assert h.shape == (7, 24) and int(h.values.sum()) == 4
    assert int(h.loc["Saturday", 23]) == 1  # GMT
    assert int(h.loc["Sunday", 2]) == 1  # 01:30 UTC on 30 Mar = 02:30 BST
    assert int(h.loc["Sunday", 1]) == 2  # both 01:30s of 26 Oct (BST then GMT)


def test_summary_table() -> None:
    posts = pd.DataFrame({"posted_at": _utc("2025-11-04 09:30", "2025-11-04 10:30", "2025-11-04 19:00", None)})
    table = pattern_summary(posts, terms=TERMS)
    assert table["when"].tolist() == list(CATEGORIES)
    row = table.set_index("when")
    assert row.loc["lesson time", "posts"] == 2 and row.loc["lesson time", "share"] == pytest.approx(66.7)
    assert row.loc["evening", "posts"] == 1 and int(table["posts"].sum()) == 3


def test_bad_timezone() -> None:
    with pytest.raises(InvestigateError):
        classify_times(_utc("2025-11-04 09:30"), timezone="Nowhere/Land")


def test_a_typed_school_day_is_read_exactly_or_refused_with_its_line() -> None:
    day = school_day_from_text("Registration, 8:40, 09:00, Registration\n\nPeriod 1, 09:00, 10:00", [0, 1, 2])
    assert [(p.name, p.start, p.end, p.kind) for p in day.periods] == [
        ("Registration", "08:40", "09:00", "registration"), ("Period 1", "09:00", "10:00", "lesson")]
    assert day.school_days == (0, 1, 2)
    assert school_day_from_text("   ").periods == SchoolDay().periods  # nothing typed: the default day
    refused = {
        "Lunch, 12:20, 13:05, lnuch": "line 1: 'lnuch' is not a kind of slot",  # was kept, and drawn as 'lnuch'
        "P1, 09:00, 10:00\nP2, 11:00, 10:00": "line 2: P2 ends (10:00) before it starts (11:00)",
        "Morning, 8.50am, noon": "line 1: write the times like 08:40, 24-hour (found '8.50am')",
        "Lunch, 12:20": "line 1: expected 3 to 4 parts",
        "Lunch, , 13:05": "line 1: expected 3 to 4 parts",
    }
    for text, message in refused.items():
        with pytest.raises(InputError, match=re.escape(message)):
            school_day_from_text(text)


def test_typed_terms_are_read_day_first_or_refused_with_their_line() -> None:
    terms = terms_from_text("Autumn 2025, 03/09/2025, 19/12/2025", "Half term, 27/10/2025, 31/10/2025")
    assert terms == TERMS.__class__(terms=(("Autumn 2025", "2025-09-03", "2025-12-19"),),
                                    holidays=(("Half term", "2025-10-27", "2025-10-31"),))
    with pytest.raises(InputError, match="Terms, line 1: Autumn 2025 ends .* before it starts"):
        terms_from_text("Autumn 2025, 19/12/2025, 03/09/2025")  # was kept: every day then counted as a holiday
    with pytest.raises(DateError, match="Holidays, line 2 .*INSET"):
        terms_from_text("", "Half term, 27/10/2025, 31/10/2025\nINSET, 31/09/2025, 31/09/2025")
    assert terms_in_words("Autumn 2025, 03/09/2025, 19/12/2025\nbad line") == (
        "Autumn 2025: Wednesday 3 September 2025 to Friday 19 December 2025")
