"""The notebook panels: each write goes through the case (audited), text is escaped, due dates right."""

from __future__ import annotations

import pandas as pd
import pytest

from investigate import widgets as ui
from investigate.case import Case

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def case(tmp_path) -> Case:
    return Case.create(tmp_path / "case", title="Fake head at Grimblewood Academy", school=["Grimblewood Academy"],
                       analyst="Zephyrine Quillfeather")


def _audit(case: Case) -> list[str]:
    return case.table("audit")["what"].tolist()


def test_html_table_escapes_every_cell_and_marks_highlighted_rows() -> None:
    df = pd.DataFrame({"handle": [HOSTILE, "barnaby_t"], "note": ["<script>x</script>", None]})
    out = ui.html_table(df, highlight=pd.Series([False, True]))
    assert "<img" not in out and "<script>" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert out.count('class="inv-overdue"') == 1
    assert "Nothing recorded" in ui.html_table(df.iloc[0:0])


def test_evidence_uploader_registers_bytes_through_the_case(case: Case) -> None:
    panel = ui.EvidenceUploader(case)
    assert panel.button.disabled  # until the nude-image confirmation is ticked
    panel.confirm.value = True
    assert not panel.button.disabled
    panel.captured_by.value = "Zephyrine Quillfeather"
    panel.url.value = "https://www.tiktok.com/@fake.head_teacher"
    result = panel.register([("profile.png", b"\x89PNG fake bytes"), ("../../evil name.txt", b"notes")])
    assert [r[1] for r in result] == ["E0001", "E0002"]
    evidence = case.table("evidence")
    assert evidence["original_name"].tolist() == ["profile.png", "evil name.txt"]
    assert evidence["captured_by"].tolist() == ["Zephyrine Quillfeather"] * 2
    assert "evidence registered" in _audit(case)


def test_account_logger_stores_the_key_and_escapes_the_table(case: Case) -> None:
    panel = ui.AccountLogger(case)
    assert panel.log_account("tiktok", "https://www.tiktok.com/@Fake.Head_Teacher", role="subject") == \
        "fake.head_teacher"
    panel.log_account("tiktok", HOSTILE, role="unknown")
    accounts = case.table("accounts")
    assert set(accounts["handle_key"]) == {"fake.head_teacher", HOSTILE}
    assert "Fake.Head_Teacher" in accounts["handle"].tolist()
    assert "<img" not in panel.table.value and "&lt;img" in panel.table.value
    assert _audit(case).count("account logged") == 2
    assert panel.log_account("tiktok", "   ") is None  # nothing typed: nothing stored
    assert case.count("accounts") == 2


def test_list_importer_shows_imported_and_rejected_rows(case: Case) -> None:
    view = ui.ImportsView(case)
    panel = ui.ListImporter(case, view=view)
    panel.platform.value = "tiktok"
    panel.account.value = "@fake.head_teacher"
    panel.list_kind.value = "followers"
    assert panel.import_text("@quill.feather\n") is None  # the list's order is a required choice
    assert "how the list was sorted" in panel.status.text.value and case.table("imports").empty
    panel.order.value = "app"
    result = panel.import_text("@quill.feather\n\nbarnaby_t\nBarnaby T\nthis line is not a handle at all\n")
    assert result.counts["relationships"] == 2
    # a plain list (no Follow/Remove buttons copied with it): "Barnaby T" is not taken as a display name
    assert [p.value for p in result.problems] == ["Barnaby T", "this line is not a handle at all"]
    imports, rejects = view.value
    assert imports["rows"].tolist() == [2] and imports["rejected"].tolist() == [2]
    assert imports["list_order"].tolist() == ["app"]
    assert case.table("relationships")["list_order"].tolist() == ["app", "app"]
    assert "this line is not a handle at all" in view.rejects.value
    assert "file imported" in _audit(case)


def test_event_form_records_an_entered_event_in_the_case_zone(case: Case) -> None:
    form = ui.EventForm(case)
    assert not form.add("not a date", "report made", "Reported to TikTok")
    assert form.add("2025-07-01 09:30", "report made", "Reported @Fake.Head_Teacher to TikTok",
                    accounts="@Fake.Head_Teacher")
    events = case.table("events")
    assert events["at"].iloc[0] == pd.Timestamp("2025-07-01 08:30", tz="UTC")  # BST
    assert events["accounts"].iloc[0] == "fake.head_teacher"


def test_select_events_filters_by_kind_account_and_day() -> None:
    chron = pd.DataFrame({
        "kind": ["post", "comment", "report made"],
        "accounts": ["fake.head", "barnaby_t,fake.head", "fake.head"],
        "at_local": pd.to_datetime(["2025-11-01 23:30", "2025-11-02 08:00", "2025-11-04 09:00"]).tz_localize(
            "Europe/London"),
    })
    assert ui.select_events(chron, account="barnaby_t")["kind"].tolist() == ["comment"]
    assert ui.select_events(chron, start="2025-11-02", end="2025-11-02")["kind"].tolist() == ["comment"]
    assert ui.select_events(chron, kinds=["post", "report made"])["kind"].tolist() == ["post", "report made"]


def test_platform_report_gets_a_follow_up_72_hours_on_and_overdue_is_highlighted(case: Case) -> None:
    panel = ui.ActionsPanel(case)
    first = panel.log("platform_report", "Reported to TikTok as harassment", who="Zephyrine Quillfeather",
                      at="2025-11-03 09:00")
    panel.log("lado", "Consulted the LADO", at="2025-11-03 10:00")
    actions = case.table("actions").set_index("action_id")
    assert actions.loc[first, "due"] == pd.Timestamp("2025-11-06 09:00", tz="UTC")
    assert pd.isna(actions.loc[first + 1, "due"])
    assert ui.overdue_actions(case)["action_id"].tolist() == [first]  # long past
    assert "OVERDUE" in panel.table.value and panel.table.value.count('class="inv-overdue"') == 1
    panel.update(first, status="done", outcome="Account removed")
    assert ui.overdue_actions(case).empty
    assert panel.record_prevention(["Staff training on online safety"]) == 1
    assert "prevention" in case.table("actions")["kind"].tolist()
    assert _audit(case).count("action updated") == 1


def test_school_day_form_keeps_settings_in_case_toml(case: Case) -> None:
    pytest.importorskip("investigate.plots")
    form = ui.SchoolDayForm(case)
    form.periods.value = "Morning, 08:50, 12:00, lesson\nLunch, 12:00, 13:00, lunch\nAfternoon, 13:00, 15:20, lesson"
    form.terms.value = "Autumn 2025, 2025-09-03, 2025-12-19"
    form.holidays.value = "Half term, 2025-10-27, 2025-10-31"
    assert form.save()
    reopened = Case.open(case.path)
    assert reopened.config["school_day"]["periods"][1] == {"name": "Lunch", "start": "12:00", "end": "13:00",
                                                           "kind": "lunch"}
    assert reopened.config["terms"]["holidays"][0]["start"] == "2025-10-27"
    form.periods.value = "Morning, 8.50am, noon"
    assert not form.save()
    assert "School day" in form.status.text.value
    assert Case.open(case.path).config["school_day"]["periods"][0]["start"] == "08:50"


def test_report_writer_writes_the_report_into_exports(case: Case) -> None:
    pytest.importorskip("investigate.report")
    ui.AccountLogger(case).log_account("tiktok", HOSTILE, role="subject")
    writer = ui.ReportWriter(case)
    path = writer.write(redact=True)
    assert path is not None and path.is_file() and path.parent == case.exports_dir
    assert "redacted" in path.name
    assert "<img src=x" not in writer.result.value
    assert writer.status.bar.value == writer.status.bar.max
    writer.format.value = ".docx"
    word = writer.write(redact=False)
    assert word is not None and word.suffix == ".docx" and word.is_file() and "Word" in writer.result.value


def test_findings_panel_adds_and_corrects_entries_through_the_case(case: Case) -> None:
    panel = ui.FindingsPanel(case)
    first = panel.add("concern", "A fake account posts about <b>Mr Quill</b>.", who="Ms Dsl")
    assert first == 1 and panel.text.value == ""
    assert [label for label, _ in panel.amends.options] == ["(a new entry)",
                                                            "1: A fake account posts about <b>Mr Quill</b>."]
    fixed = panel.add("concern", "A fake account posts about Mr Quill and a learner.", who="Head", amends=first)
    record = panel.value.set_index("finding_id")
    assert record.loc[fixed, "amends"] == first and not record.loc[first, "current"]
    assert "corrected by 2" in panel.table.value and "<b>Mr" not in panel.table.value  # escaped
    assert _audit(case)[-2:] == ["finding recorded", "finding amended"]
    assert panel.add("concern", "   ") is None and "needs some text" in panel.status.text.value
