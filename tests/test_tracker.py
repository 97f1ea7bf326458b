"""The report tracker: follow-ups at +72 h and RHC at +48 h across the clock changes, overdue items, typed times."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from investigate import tracker
from investigate.case import Case
from investigate.dates import read_when
from investigate.errors import DateError

ZONE = "Europe/London"


def test_follow_up_is_72_elapsed_hours_shown_in_the_case_zone_across_bst_to_gmt(case: Case) -> None:
    # Friday 24 October 2025, 10:00 BST; the clocks go back on Sunday 26 October
    action = case.add_action(kind="platform_report", what="Reported to TikTok", tracker={"platform": "tiktok"})
    tracker.record_sent(case, action, at="24/10/2025 10:00", reference="TT-1", route="harassment")
    row = tracker.track(case.table("actions"), now=pd.Timestamp("2025-10-25", tz="UTC"), zone=ZONE).iloc[0]
    assert row["sent_at"] == pd.Timestamp("2025-10-24 10:00", tz=ZONE)
    assert row["due"] == pd.Timestamp("2025-10-27 09:00", tz=ZONE)  # 09:00 GMT = 72 h after 10:00 BST
    assert row["due"] - row["sent_at"] == pd.Timedelta(hours=72)
    assert f"{row['due']:%H:%M %Z}" == "09:00 GMT"
    assert row["rhc_from"] == pd.Timestamp("2025-10-26 09:00", tz=ZONE)  # 48 h on, after the change
    assert (row["stage"], row["reference"], row["route"], bool(row["overdue"])) == ("sent", "TT-1", "harassment", False)
    # the stored due time is the same instant (so every view of the case agrees)
    stored = case.table("actions").iloc[0]
    assert stored["due"] == pd.Timestamp("2025-10-27 09:00", tz="UTC")


def test_follow_up_across_gmt_to_bst(case: Case) -> None:
    # Friday 27 March 2026, 10:00 GMT; the clocks go forward on Sunday 29 March
    action = case.add_action(kind="platform_report", what="Reported to Instagram")
    tracker.record_sent(case, action, at="2026-03-27 10:00")
    row = tracker.track(case.table("actions"), now=pd.Timestamp("2026-03-28", tz="UTC"), zone=ZONE).iloc[0]
    assert f"{row['due']:%a %d/%m/%Y %H:%M %Z}" == "Mon 30/03/2026 11:00 BST"
    assert row["due"] - row["sent_at"] == pd.Timedelta(hours=72)


def test_overdue_until_answered_and_rhc_possible_after_48_hours(case: Case) -> None:
    action = case.add_action(kind="platform_report", what="Reported to TikTok")
    tracker.record_sent(case, action, at="24/10/2025 10:00", reference="TT-1")
    now = pd.Timestamp("2025-10-27 09:30", tz="UTC")
    late = tracker.overdue(case, now)
    assert late["action_id"].tolist() == [action]
    assert "Report Harmful Content and POSH can be used now" in late["next_step"].iloc[0]
    assert tracker.overdue(case, pd.Timestamp("2025-10-27 08:59", tz="UTC")).empty  # one minute before it is due
    tracker.record_answered(case, action, at="27/10/2025 09:15")
    assert tracker.overdue(case, now).empty
    row = tracker.track(case.table("actions"), now=now, zone=ZONE).iloc[0]
    assert row["stage"] == "answered" and row["rhc_from"] == pd.Timestamp("2025-10-27 09:15", tz=ZONE)
    assert "record the outcome" in row["next_step"]
    # an outcome closes what it answers: nothing more is due, and the tracker no longer asks for it
    tracker.record_answered(case, action, at="27/10/2025 09:15", outcome="TikTok: no violation found")
    row = tracker.track(case.table("actions"), now=now, zone=ZONE).iloc[0]
    assert row["stage"] == "closed" and pd.isna(row["due"]) and "record the outcome" not in row["next_step"]
    assert "no violation found" in row["next_step"]


def test_a_drafted_lado_referral_is_due_the_next_working_day(case: Case) -> None:
    friday = pd.Timestamp("2025-10-24 16:00", tz=ZONE)  # BST
    case.add_action(kind="lado", what="LADO pack drafted", at=friday,
                    tracker={"affected": "S1", "drafted_at": friday})
    case.add_action(kind="sanction", what="Detention", due="2025-10-20 09:00")  # an ordinary logged action
    rows = tracker.track(case.table("actions"), now=friday, zone=ZONE)
    assert rows["kind"].tolist() == ["lado"]  # sanctions are not tracked reports
    assert rows.iloc[0]["due"] == pd.Timestamp("2025-10-27 16:00", tz=ZONE)  # Monday, GMT by then
    late = tracker.overdue(case, pd.Timestamp("2025-10-28", tz="UTC"))
    assert sorted(late["label"]) == ["LADO consultation", "Sanction for creators"]
    assert late["due"].is_monotonic_increasing  # most overdue first


def test_logged_reports_count_as_made_when_logged(case: Case) -> None:
    """A report logged in notebook 05's actions log (no tracker dates) is due 72 h after its time."""
    case.add_action(kind="platform_report", what="Reported", at="2025-11-03 09:00",
                    due="2025-11-06 09:00")
    row = tracker.track(case.table("actions"), now=pd.Timestamp("2025-11-04", tz="UTC"), zone=ZONE).iloc[0]
    assert row["stage"] == "sent" and row["due"] == pd.Timestamp("2025-11-06 09:00", tz=ZONE)


@pytest.mark.parametrize(("typed", "expected"), [
    ("24/10/2025 10:00", "2025-10-24 09:00"), ("2025-10-24 10:00", "2025-10-24 09:00"),
    ("05/11/2025", "2025-11-05 00:00"), ("2025-10-26 01:30+01:00", "2025-10-26 00:30"),
    ("2025-10-26 01:30+00:00", "2025-10-26 01:30")])
def test_typed_times_are_day_first_and_local(typed: str, expected: str) -> None:
    assert read_when(typed, ZONE) == pd.Timestamp(expected, tz="UTC")


@pytest.mark.parametrize(("typed", "words"), [("26/10/2025 01:30", "happened twice"),
                                              ("29/03/2026 01:30", "never happened"),
                                              ("next Tuesday", "not a date"),
                                              ("13/25/2025 10:00", "When it was made: .* there is no month 25")])
def test_times_that_cannot_be_read_exactly_are_refused(case: Case, typed: str, words: str) -> None:
    action = case.add_action(kind="platform_report", what="Reported")
    with pytest.raises(DateError, match=words):  # the one reader of typed dates (was a generic message)
        tracker.record_sent(case, action, at=typed)
    assert case.table("actions")["sent_at"].isna().all()


def test_an_older_case_gains_the_tracker_columns(tmp_path: Path) -> None:
    case = Case.create(tmp_path / "c", title="t")
    with sqlite3.connect(case.path / "case.sqlite") as conn:  # as an earlier kit version made it
        conn.execute("DROP TABLE actions")
        conn.execute('CREATE TABLE actions ("action_id" INTEGER PRIMARY KEY, "kind" TEXT, "what" TEXT, "who" TEXT, '
                     '"at" TEXT, "due" TEXT, "status" TEXT, "outcome" TEXT)')
        conn.execute("INSERT INTO actions (kind, what, at, status) VALUES ('posh', 'Called POSH', "
                     "'2025-10-01T09:00:00+00:00', 'open')")
    reopened = Case.open(case.path)
    actions = reopened.table("actions")
    assert actions["what"].tolist() == ["Called POSH"] and actions["reference"].isna().all()
    tracker.record_sent(reopened, 1, at="2025-10-01 10:00", reference="POSH-9")
    assert reopened.table("actions")["reference"].tolist() == ["POSH-9"]


def test_nothing_tracked_means_nothing_overdue(case: Case) -> None:
    assert tracker.track(case.table("actions"), now=pd.Timestamp.now(tz="UTC"), zone=ZONE).empty
    late = tracker.overdue(case)
    assert late.empty and list(late.columns) == ["action_id", "label", "what", "reference", "due", "next_step"]


def _late_lado_and_answered_report(case: Case) -> int:
    """A LADO referral drafted on a Friday (no stored due time) and a platform report answered before
    its follow-up; returns the referral's action id (the one overdue from the next Tuesday)."""
    friday = pd.Timestamp("2025-10-24 16:00", tz=ZONE)
    lado = case.add_action(kind="lado", what="LADO pack drafted", at=friday,
                           tracker={"affected": "S1", "drafted_at": friday})
    answered = case.add_action(kind="platform_report", what="Reported", at="2025-10-20 09:00",
                               due="2025-10-23 09:00")
    tracker.record_answered(case, answered, at="2025-10-21 12:00", outcome="Removed")
    return lado


def test_the_report_counts_overdue_by_the_trackers_rule(case: Case) -> None:
    """The report's summary and the tracker agree: a drafted LADO referral (no stored due time) is
    overdue once its working day has passed, and an answered platform report is not."""
    from investigate.report import sections

    lado = _late_lado_and_answered_report(case)
    now = pd.Timestamp("2025-10-28", tz="UTC")
    ctx = sections.prepare(case.path, now=now)
    shown = set(sections._actions(ctx).query("overdue")["action_id"])
    assert shown == set(tracker.overdue(case, now)["action_id"]) == {lado}


def test_the_start_page_and_notebook_05_count_overdue_by_the_trackers_rule(case: Case) -> None:
    """Before, both used the actions' own due times: the start page and notebook 05's log missed the
    drafted LADO referral and flagged the answered platform report, beside a report saying otherwise."""
    pytest.importorskip("ipywidgets")
    from investigate import widgets as ui
    from investigate.steps import step_states

    lado = _late_lado_and_answered_report(case)
    states = step_states(case, now=pd.Timestamp("2025-10-28", tz="UTC"))
    assert "1 action overdue" in " ".join(states["state"])
    panel = ui.ActionsPanel(case)
    assert panel.value.query("overdue")["action_id"].tolist() == [lado]
    assert panel.overdue.value.count('class="inv-overdue"') == 1 and "LADO pack drafted" in panel.overdue.value


def test_a_new_tracked_report_is_done_when_it_was_sent_and_a_bad_time_stores_nothing(case: Case, capsys) -> None:
    """Before, `track --new ... --sent WHEN` stored the action (timed when it was typed) and then refused
    the mistyped time, leaving half a record behind."""
    from conftest import snapshot

    from investigate.cli import main

    before = snapshot(case.path)
    assert main(["track", str(case.path), "--new", "platform_report", "--platform", "tiktok", "--school",
                 "--sent", "13/25/2025 14:30"]) == 1
    assert "there is no month 25" in capsys.readouterr().err
    assert snapshot(case.path) == before
    assert main(["track", str(case.path), "--new", "platform_report", "--platform", "tiktok", "--school",
                 "--sent", "05/11/2025 14:30", "--reference", "TT-1"]) == 0
    row = case.table("actions").iloc[0]
    assert row["at"] == row["sent_at"] == pd.Timestamp("2025-11-05 14:30", tz="UTC")
