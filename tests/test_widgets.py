"""The notebook panels: each write goes through the case (audited), text is escaped, due dates right."""

from __future__ import annotations

import html

import pandas as pd
import pytest

from investigate import widgets as ui
from investigate.case import Case
from investigate.dates import read_when

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
    assert "<img" not in panel.table.table.value and "&lt;img" in panel.table.table.value
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
    pasted = "@quill.feather\n\nbarnaby_t\nBarnaby T\nthis line is not a handle at all\n"
    assert not panel.skip_bad.value  # all or nothing by default, as on the command line
    assert panel.import_text(pasted) is None and case.table("imports").empty
    assert "this line is not a handle at all" in panel.status.text.value
    assert "Ticked, the readable rows are imported" in panel.skip_hint.value
    panel.skip_bad.value = True
    result = panel.import_text(pasted)
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
    assert "Recorded for 01/07/2025 09:30 BST (Europe/London)" in form.status.text.value  # day first, zone said
    events = case.table("events")
    assert events["at"].iloc[0] == pd.Timestamp("2025-07-01 08:30", tz="UTC")  # BST
    assert events["accounts"].iloc[0] == "fake.head_teacher"


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
    form.periods.value = "Morning, 08:50, 12:00, lesson\nLunch, 12:00, 13:00, lnuch"  # was saved, drawn as 'lnuch'
    assert not form.save() and "line 2: &#x27;lnuch&#x27; is not a kind of slot" in form.status.text.value
    form.periods.value, form.terms.value = "Morning, 08:50, 12:00", "Autumn 2025, 19/12/2025, 03/09/2025"
    assert not form.save() and "ends" in form.status.text.value  # was saved: every day a holiday
    assert Case.open(case.path).config["terms"]["terms"][0]["start"] == "2025-09-03"


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


def test_a_step_that_fails_unexpectedly_says_so_instead_of_running_for_ever(case: Case, monkeypatch) -> None:
    """Before, an error that was not the kit's own (the report's kernel dying) left 'Writing the report ...'
    and a running bar on screen, with nothing said."""
    import investigate.report

    def dies(*args, **kwargs):
        raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(investigate.report, "write_report", dies)
    writer = ui.ReportWriter(case)
    with pytest.raises(RuntimeError):
        writer.write(redact=False)
    assert "stopped with an unexpected error" in writer.status.text.value
    assert "Kernel died" in writer.status.text.value and writer.status.bar.bar_style == "danger"



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


def _followers(case: Case, names: list[str], *, of: str = "grimblewood.gossip") -> None:
    rows = pd.DataFrame({"platform": "tiktok", "follower": names, "followed": of,
                         "position": range(1, len(names) + 1), "observed_list": f"followers of @{of}"})
    accounts = pd.DataFrame({"platform": "tiktok", "handle": [of, *names], "handle_key": [of, *names]})
    case.add_rows({"accounts": accounts, "relationships": rows}, what="test data")


def test_long_tables_come_a_page_at_a_time_with_a_search_box(case: Case) -> None:
    _followers(case, [f"follower_{i:03d}" for i in range(157)])
    panel = ui.AccountLogger(case)
    table = panel.table
    assert table.table.value.count("<tr>") == 26  # a header and 25 rows, not 158 rows down the page
    assert "rows 1 to 25 of 158" in table.where.value and table.previous.disabled
    table.next.click()
    assert "rows 26 to 50 of 158" in table.where.value and "follower_025" in table.table.value
    table.search.value = "Follower_15"
    assert table.table.value.count("<tr>") == 8 and "of 158 in all" in table.where.value  # 150 to 156
    table.search.value = "nobody-has-this-name"
    assert "No rows hold those words." in table.table.value
    table.search.value = ""
    assert ">Shown name</th>" in table.table.value and ">display_name</th>" not in table.table.value


def test_tables_speak_plainly(case: Case) -> None:
    panel = ui.ImportsView(case)
    importer = ui.ListImporter(case, view=panel)
    importer.account.value, importer.list_kind.value, importer.order.value = "@fake.head_teacher", "followers", "app"
    importer.import_text("@quill.feather\n")
    html = panel.imports.value
    assert ">When<" in html and ">Whose list<" in html and ">import_id<" not in html
    at = case.table("imports")["at"].iloc[0].tz_convert("Europe/London").strftime("%d/%m/%Y %H:%M")
    assert at in html and "+00:00" not in html and "NaT" not in html
    evidence = ui.evidence_table(case)
    assert "SHA-256 fingerprint" in evidence.columns and "sha256" not in evidence.columns
    assert not evidence["Captured"].str.contains("NaT").any()


def test_the_overdue_panel_follows_the_log_and_due_dates_are_in_words(case: Case) -> None:
    panel = ui.ActionsPanel(case)
    assert "Nothing is overdue." in panel.overdue.value
    panel.log("platform_report", "Reported to TikTok as harassment", at="2025-11-03 09:00")  # long past
    assert "Reported to TikTok" in panel.overdue.value and "overdue" in panel.overdue.value
    soon = pd.Timestamp.now(tz="Europe/London").floor("min")
    panel.log("platform_report", "Reported the copy too", at=str(soon.tz_localize(None)))
    assert "due in 3 days" in panel.table.value and "3 days, 0:00:00" not in panel.table.value
    assert (soon + pd.Timedelta(hours=72)).strftime("%d/%m/%Y %H:%M") in panel.table.value
    assert "Reported the copy too" not in panel.overdue.value


def test_marking_a_subject_offers_its_lookalikes_to_confirm_as_copycats(case: Case) -> None:
    _followers(case, ["barnaby_t", "grimb1ewood.gossip", "quill.feather"])
    marked = []
    panel = ui.AccountMarker(case, on_marked=lambda: marked.append(1))
    assert panel.confirm.disabled
    assert not panel.mark("grimblewood.gosip", "subject")  # a typing slip: refused, close names given
    assert "@grimblewood.gossip" in panel.status.text.value
    assert panel.mark("@Grimblewood.Gossip", "subject") and marked == [1]
    offered = [(box.description, key) for box, key, _ in panel._suggested]
    assert offered == [("@grimb1ewood.gossip", "grimb1ewood.gossip")]
    assert panel.confirm_copycats([]) == 0
    panel._suggested[0][0].value = True
    panel.confirm.click()
    roles = case.table("accounts").set_index("handle_key")["role"]
    assert roles["grimblewood.gossip"] == "subject" and roles["grimb1ewood.gossip"] == "copycat"
    assert not panel._suggested and len(marked) == 2
    assert _audit(case).count("account role set") == 2


def test_the_start_page_lists_each_step_with_its_state_and_the_reports(case: Case) -> None:
    _followers(case, ["barnaby_t", "quill.feather"])
    from investigate.accounts import mark_account

    mark_account(case, "grimblewood.gossip", "subject")
    case.add_action(kind="platform_report", what="Reported", at="2025-11-03 09:00", due="2025-11-06 09:00")
    (case.exports_dir / "report-internal.html").write_text("<html></html>")
    page = ui.start_page(case).value
    for name in ("01_gather_evidence.ipynb", "02_chronology.ipynb", "05_actions.ipynb"):
        assert f"href='{name}'" in page
    assert "Step 1: gather evidence" in page and "Step 6: the report" in page
    assert "subject: @grimblewood.gossip" in page and "1 action overdue" in page
    assert "href='/investigate/exports/report-internal.html'" in page and "1 report written" in page
    assert "OFFICIAL-SENSITIVE" in page and "Fake head at Grimblewood Academy" in page


def test_the_answer_key_is_rendered_and_its_text_escaped(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    import investigate.training as training

    monkeypatch.setattr(training, "reveal_answer", lambda _case: f"# Answer\n\n- **Made by** {HOSTILE}\n")
    panel = ui.TrainingAnswer(case)
    panel.reveal()
    assert "<h1>Answer</h1>" in panel.output.value and "<strong>Made by</strong>" in panel.output.value
    assert "<img" not in panel.output.value and "# Answer" not in panel.output.value


def test_the_chronology_is_filtered_by_days_typed_day_first(case: Case) -> None:
    for at, summary in (("03/11/2025 09:00", "third of November"), ("11/03/2025 09:00", "eleventh of March")):
        case.add_event(at=read_when(at, "Europe/London"), kind="meeting", summary=summary)
    view = ui.ChronologyView(case)
    view.start.value = "01/11/2025"  # the first of November, not the eleventh of January
    assert view.value["summary"].tolist() == ["third of November"]
    assert "Saturday 1 November 2025" in view.start_words.value
    view.start.value, view.end.value = "", "31/03/2025"
    assert view.value["summary"].tolist() == ["eleventh of March"]
    view.end.value = "31/02/2025"  # unreadable: said under the field, and no filter applied
    assert "Not saved as it is" in view.end_words.value and len(view.value) == 2


def test_the_action_prompt_is_a_guide_in_the_box_and_never_saved(case: Case) -> None:
    panel = ui.ActionsPanel(case)
    panel.kind.value = "platform_report"
    assert panel.what.value == "" and panel.what.placeholder.startswith("Reported the account/content")
    assert "3 days (72 hours)" in panel.due.value and "0:00:00" not in panel.due.value
    panel.add_button.click()  # nothing typed: the prompt is not logged as the record
    assert case.table("actions").empty and "Say what was done." in panel.status.text.value
    panel.what.value = "Reported @fake.head_teacher to TikTok as impersonation"
    panel.add_button.click()
    assert case.table("actions")["what"].tolist() == ["Reported @fake.head_teacher to TikTok as impersonation"]


def test_who_is_the_case_analyst_by_default(case: Case) -> None:
    assert ui.ActionsPanel(case).who.value == "Zephyrine Quillfeather"
    assert ui.FindingsPanel(case).who.value == "Zephyrine Quillfeather"
    from investigate.case import current_user

    case.config["analyst"] = ""
    assert ui.ActionsPanel(case).who.value == current_user()


def test_the_actions_log_and_the_tracker_show_what_a_dsl_reads_in_words(case: Case) -> None:
    case.add_action(kind="platform_report", what="Reported to TikTok", at="2025-07-01 09:00",
                    due="2025-07-04 09:00")
    case.add_action(kind="prevention", what="Staff training on online safety", status="done")
    log = ui.ActionsPanel(case).table.value
    assert ">Report to the platform<" in log and ">Prevention<" in log and ">Other action<" not in log
    for empty in (">Platform<", ">Route<", ">Reference<", ">Affected<", ">Drafted at<", ">drafted_at<"):
        assert empty not in log
    tracker = ui.PackPanel(case).table.value
    assert ">Report or referral<" in tracker and ">Next step<" in tracker and ">Overdue<" in tracker
    assert ">action_id<" not in tracker and ">next_step<" not in tracker and ">Platform<" not in tracker
    assert "04/07/2025 09:00" in tracker and "UTC" not in tracker  # due in the case's zone (UK summer time)
    assert "class='inv-wrap'" in tracker  # long texts wrap inside the page


def test_the_pack_panel_asks_for_its_form_not_for_command_line_options(case: Case) -> None:
    pytest.importorskip("investigate.packs")
    panel = ui.PackPanel(case)
    assert panel.write("platform", person=None) == []
    said = panel.status.text.value
    assert "under &#x27;About&#x27;" in said and "The school" in said and "--" not in said


def test_an_import_redraws_the_accounts_and_clears_a_stale_refusal(case: Case) -> None:
    accounts = ui.AccountLogger(case)
    marker = ui.AccountMarker(case, on_marked=ui.after_change(accounts))
    importer = ui.ListImporter(case, on_imported=ui.after_change(accounts, marker))
    assert not marker.mark("@grimblewood.gossip", "subject")  # not in the case yet: refused, in red
    assert "#c62828" in marker.status.text.value
    importer.account.value, importer.list_kind.value, importer.order.value = "@grimblewood.gossip", "followers", "app"
    assert importer.import_text("@quill.feather\n@barnaby_t\n") is not None
    assert "quill.feather" in accounts.table.table.value and "No accounts logged yet." not in accounts.table.table.value
    assert "@quill.feather" in marker.handle.options and marker.status.text.value == ""


def test_the_lookalike_list_says_which_copycats_are_already_marked(case: Case) -> None:
    _followers(case, ["barnaby_t", "grimb1ewood.gossip", "grimblewood_gossip"])
    panel = ui.AccountMarker(case)
    assert "No account is marked as the subject yet" in panel.suggested.children[-1].value
    panel.mark("grimblewood.gossip", "subject")
    panel.confirm_copycats([("grimb1ewood.gossip", "tiktok"), ("grimblewood_gossip", "tiktok")])
    line = panel.suggested.children[-1].value
    assert "2 already marked as copycats: @grimb1ewood.gossip, @grimblewood_gossip" in line
    assert "no other account looks like @grimblewood.gossip" in line and "None found" not in line


def test_mutuals_are_headed_account_and_empty_columns_are_left_out(case: Case) -> None:
    _followers(case, ["barnaby_t", "quill.feather"])
    back = pd.DataFrame({"platform": "tiktok", "follower": "grimblewood.gossip", "followed": ["barnaby_t"],
                         "position": [1], "observed_list": "following of @grimblewood.gossip"})
    case.add_rows({"relationships": back}, what="test data")
    from investigate.accounts import mark_account

    mark_account(case, "grimblewood.gossip", "subject")
    view = ui.MutualsView(ui.SubjectPicker(case))
    shown = view.shown[1]
    assert ">Account<" in shown and "@barnaby_t" in shown
    assert ">Whose list<" not in shown and ">Followed<" not in shown  # no follow time in any row


def test_notebook_03s_panels_read_the_cases_one_view_until_the_case_changes(case: Case) -> None:
    """The subject picker's overview is the case view's computation (the report's); CaseView.current is
    shared while the case is unchanged, and a change gives a new view."""
    from investigate.accounts import mark_account
    from investigate.view import CaseView

    _followers(case, ["barnaby_t", "quill.feather"])
    mark_account(case, "grimblewood.gossip", "subject")
    first = ui.SubjectPicker(case)
    view = CaseView.current(case)
    assert first.overview.leads.equals(view.overview("grimblewood.gossip").leads)
    assert CaseView.current(case) is view
    case.add_event(at="24/10/2025 09:00", kind="note", summary="A learner showed the account to a teacher")
    later = CaseView.current(case)
    assert later is not view and later.changes > view.changes
    assert "A learner showed the account to a teacher" in set(later.chronology()["summary"].astype(str))


def test_notebook_03_shows_known_roles_apart_from_the_leads(case: Case) -> None:
    """A staff member on both lists is context ("accounts around"), with its role, and never a lead."""
    from investigate.accounts import mark_account

    _followers(case, ["barnaby_t", "mr.quillfeather", "otto.nobody"])
    back = pd.DataFrame({"platform": "tiktok", "follower": "grimblewood.gossip",
                         "followed": ["mr.quillfeather", "barnaby_t"],
                         "position": [1, 2], "observed_list": "following of @grimblewood.gossip"})
    case.add_rows({"relationships": back}, what="test data")
    mark_account(case, "grimblewood.gossip", "subject")
    mark_account(case, "mr.quillfeather", "staff")
    view = ui.LeadsView(ui.SubjectPicker(case))
    leads_table, around = view.shown[-3], "".join(map(str, view.shown[-2:]))
    assert "barnaby_t" in leads_table and "mr.quillfeather" not in leads_table
    assert "known roles: context, not leads" in around and "@mr.quillfeather" in around and "staff" in around.casefold()


def test_form_labels_and_buttons_have_room_for_their_words(case: Case) -> None:
    import ipywidgets as w

    panels = [ui.EvidenceUploader(case), ui.AccountLogger(case), ui.AccountMarker(case), ui.ListImporter(case),
              ui.EventForm(case), ui.ActionsPanel(case), ui.PackPanel(case), ui.FindingsPanel(case)]
    for panel in panels:
        for name, widget in vars(panel).items():
            if isinstance(widget, w.Button):
                assert widget.layout.width == "auto", (type(panel).__name__, name)
            elif isinstance(widget, w.Text | w.Textarea | w.Dropdown | w.Combobox) and widget.description:
                assert widget.style.description_width, (type(panel).__name__, name)


def test_the_nude_image_rule_keeps_each_sentence_on_one_line() -> None:
    from investigate.evidence import NUDE_IMAGE_RULE

    assert all(line.rstrip().endswith((".", ":")) for line in NUDE_IMAGE_RULE.splitlines())


def test_a_refused_import_says_why_not_the_last_imports_summary(case: Case) -> None:
    panel = ui.ListImporter(case)
    panel.account.value, panel.list_kind.value, panel.order.value = "@grimblewood.gossip", "followers", "app"
    assert panel.import_text("@quill.feather\n") is not None
    assert panel.import_text("@barnaby_t\nthis line is not a handle at all\n") is None
    assert "this line is not a handle at all" in panel.status.text.value and "#c62828" in panel.status.text.value
    assert case.count("imports") == 1


def test_dropdowns_show_their_first_choice_rather_than_a_blank(case: Case) -> None:
    # a choice whose value is None shows as an empty box in the browser
    assert ui.ListImporter(case).order.label == "choose how the list was sorted"
    assert ui.PackPanel(case).person.label == "(as in earlier drafts)"


def test_registering_evidence_redraws_the_register_and_logging_offers_the_account_to_mark(case: Case) -> None:
    register = ui.EvidenceList(case)
    uploader = ui.EvidenceUploader(case, on_registered=register.refresh)
    assert "No evidence registered yet." in register.ui.value
    uploader.register([("profile.png", b"\x89PNG fake bytes")])
    assert "profile.png" in register.ui.value and ">Seen at (URL)<" not in register.ui.value  # empty: left out
    accounts = ui.AccountLogger(case)
    marker = ui.AccountMarker(case)
    accounts.on_logged = ui.after_change(marker)
    assert accounts.log_account("tiktok", "@grimblewood.gossip") == "grimblewood.gossip"
    assert "@grimblewood.gossip" in marker.handle.options


def test_the_apps_import_refusal_names_the_tick_box_not_a_command_line_option(case: Case) -> None:
    panel = ui.ListImporter(case)
    panel.account.value, panel.list_kind.value, panel.order.value = "@grimblewood.gossip", "followers", "app"
    assert panel.import_text("@barnaby_t\nthis line is not a handle at all\n") is None
    said = html.unescape(panel.status.text.value)
    assert "--skip-bad-rows" not in said
    assert "tick 'Import the readable rows and list the others as rejected'" in said
    assert "this line is not a handle at all" in said
