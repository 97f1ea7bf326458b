"""Typed dates: one UK day-first reader for the CLI and every form; ISO always; refusals, not guesses."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import snapshot

from investigate import widgets as ui
from investigate.case import Case
from investigate.cli import main
from investigate.dates import echo, read_day, read_when
from investigate.errors import DateError

ZONE = "Europe/London"


@pytest.mark.parametrize(("typed", "utc"), [
    ("05/11/2025 08:30", "2025-11-05 08:30"),  # 5 November, not 11 May
    ("5/11/2025 8:30", "2025-11-05 08:30"),
    ("05.11.2025", "2025-11-05 00:00"),
    ("2025-11-05T08:30", "2025-11-05 08:30"),
    ("2025-11-05 08:30:15Z", "2025-11-05 08:30:15"),
    ("2025-07-01 09:00", "2025-07-01 08:00"),  # BST
    ("2025-07-01T09:00+02:00", "2025-07-01 07:00"),
    ("Wed 5 Nov 2025 8:30 pm", "2025-11-05 20:30"),
    ("5 November 2025", "2025-11-05 00:00"),
])
def test_typed_dates_are_read_day_first_and_iso_is_always_accepted(typed: str, utc: str) -> None:
    assert read_when(typed, ZONE) == pd.Timestamp(utc, tz="UTC")


@pytest.mark.parametrize(("typed", "said"), [
    ("05/11/25", "year in full"),  # which century, and day or year first?
    ("11/25/2025", "Did you mean 25/11/2025"),  # month first: refused, not swapped
    ("31/02/2025", "not a real date or time: February 2025 has no day 31;"),
    ("05/11/2025 24:30", "not a real date or time: there is no hour 24 "),
    ("13/25/2025", r"there is no month 25 \(dates are read day first"),  # not Python's "month must be in 1..12"
    ("next Tuesday", "not a date the kit can read"),
    ("", "empty"),
    ("30/03/2025 01:30", "never happened in Europe/London"),  # clocks went forward
    ("26/10/2025 01:30", "happened twice"),  # clocks went back
])
def test_ambiguous_impossible_or_clock_change_input_is_refused_with_a_message(typed: str, said: str) -> None:
    with pytest.raises(DateError, match=said):
        read_when(typed, ZONE)


def test_a_repeated_hour_names_both_readings_and_either_is_accepted_with_its_offset() -> None:
    with pytest.raises(DateError) as err:
        read_when("26/10/2025 01:30", ZONE)
    assert "2025-10-26T01:30+01:00" in str(err.value) and "2025-10-26T01:30+00:00" in str(err.value)
    assert read_when("2025-10-26T01:30+01:00", ZONE) == pd.Timestamp("2025-10-26 00:30", tz="UTC")
    assert read_when("2025-10-26T01:30+00:00", ZONE) == pd.Timestamp("2025-10-26 01:30", tz="UTC")


def test_the_echo_says_the_date_in_words_or_why_not() -> None:
    assert echo("05/11/2025 08:30", ZONE) == "Wednesday 5 November 2025, 08:30 GMT"
    assert echo("01/07/2025 09:00", ZONE) == "Tuesday 1 July 2025, 09:00 BST"
    assert echo("11/25/2025", ZONE).startswith("Not saved as it is")
    assert read_day("03/09/2025") == "2025-09-03"
    with pytest.raises(DateError, match="day only"):
        read_day("03/09/2025 10:00")


def test_cli_captured_at_is_day_first(case: Case, tmp_path) -> None:
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG invented")
    assert main(["evidence", "add", str(case.path), str(shot), "--captured-at", "05/11/2025 08:30"]) == 0
    assert case.table("evidence")["captured_at"].iloc[0] == pd.Timestamp("2025-11-05 08:30", tz="UTC")


def test_cli_bad_observed_at_is_a_message_and_nothing_changes(case: Case, tmp_path, capsys) -> None:
    listed = tmp_path / "followers.csv"
    listed.write_text("username\nbarnaby_t\n", encoding="utf-8")
    before = snapshot(case.path)
    code = main(["import", str(case.path), str(listed), "--platform", "tiktok", "--account", "fake.head",
                 "--list", "followers", "--observed-at", "13/13/2025"])
    assert code == 1
    err = capsys.readouterr().err
    assert "--observed-at" in err and "Traceback" not in err
    assert snapshot(case.path) == before


def test_forms_read_day_first_and_say_the_date_back_before_saving(case: Case) -> None:
    form = ui.EventForm(case)
    form.at.value = "05/11/2025 08:30"
    assert "Wednesday 5 November 2025, 08:30 GMT" in form.at_words.value
    assert form.add(form.at.value, "report made", "Reported to the platform")
    assert case.table("events")["at"].iloc[0] == pd.Timestamp("2025-11-05 08:30", tz="UTC")
    assert not form.add("26/10/2025 01:30", "meeting", "Met the parents")
    assert "happened twice" in form.status.text.value

    actions = ui.ActionsPanel(case)
    actions.at.value = "04/11/2025 10:00"
    assert "Tuesday 4 November 2025" in actions.at_words.value
    actions.log("lado", "Consulted the LADO", at=actions.at.value)
    assert case.table("actions")["at"].iloc[0] == pd.Timestamp("2025-11-04 10:00", tz="UTC")

    uploader = ui.EvidenceUploader(case)
    uploader.captured_at.value = "03/11/2025 16:45"
    assert "Monday 3 November 2025, 16:45 GMT" in uploader.captured_at_words.value


def test_term_dates_typed_day_first_are_saved_as_days(case: Case) -> None:
    pytest.importorskip("investigate.plots")
    form = ui.SchoolDayForm(case)
    form.terms.value = "Autumn 2025, 03/09/2025, 19/12/2025"
    assert "Wednesday 3 September 2025 to Friday 19 December 2025" in form.terms_words.value
    form.holidays.value = "Half term, 27/10/2025, 31/10/2025"
    assert form.save()
    saved = Case.open(case.path).config["terms"]
    assert saved["terms"][0] == {"name": "Autumn 2025", "start": "2025-09-03", "end": "2025-12-19"}
    form.terms.value = "Autumn 2025, 03/09/2025, 31/09/2025"
    assert not form.save()
    assert "last day" in form.status.text.value and "not a real date" in form.status.text.value


def test_a_refused_time_names_the_field_it_was_typed_in(case: Case) -> None:
    """Before, every time stored with an action (its due date, the tracker's times) was refused as
    'the action's time', and a findings entry's time too."""
    from investigate.errors import DateError

    with pytest.raises(DateError, match="When it is due"):
        case.add_action(kind="lado", what="Consulted the LADO", at="04/11/2025 10:00", due="13/25/2025")
    with pytest.raises(DateError, match="The tracker's sent at"):
        case.add_action(kind="platform_report", what="Reported", tracker={"sent_at": "31/11/2025 09:00"})
    with pytest.raises(DateError, match="The time of the entry"):
        case.add_finding(section="concern", text="A fake account", at="32/01/2026")
    assert case.count("actions") == 0 and case.count("findings") == 0
