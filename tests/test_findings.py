"""The findings record: entries in the analyst's words, audited; a correction amends, never edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from investigate.case import Case
from investigate.cli import main
from investigate.errors import CaseError
from investigate.evidence import verify
from investigate.findings import SECTION_TITLES, findings_record
from investigate.schema import FINDING_SECTIONS


def test_sections_have_titles() -> None:
    assert tuple(SECTION_TITLES) == FINDING_SECTIONS


def test_add_and_amend_keep_every_entry_and_audit_them(case: Case) -> None:
    first = case.add_finding(section="concern", text="A fake account posts about Mr Snorkcombe.", who="Ms Dsl")
    decision = case.add_finding(section="decision", text="Report to the platform.",
                                reasons="Impersonation of staff.", who="Ms Dsl")
    fixed = case.amend_finding(first, text="A fake account posts about Mr Snorkcombe and two learners.",
                               who="Head")
    table = case.table("findings")
    assert len(table) == 3
    assert table.set_index("finding_id").loc[first, "text"] == "A fake account posts about Mr Snorkcombe."
    assert table.set_index("finding_id").loc[fixed, "amends"] == first
    assert table.set_index("finding_id").loc[fixed, "section"] == "concern"  # the amended entry's section
    assert table.set_index("finding_id").loc[decision, "reasons"] == "Impersonation of staff."
    record = findings_record(table).set_index("finding_id")
    assert not record.loc[first, "current"] and record.loc[first, "amended_by"] == fixed
    assert record.loc[fixed, "current"] and record.loc[decision, "current"]
    audit = case.table("audit")
    assert audit["what"].tolist()[-3:] == ["finding recorded", "finding recorded", "finding amended"]
    assert audit["who"].tolist()[-1] == "Head"
    assert json.loads(audit["details"].iloc[-1])["amends"] == first
    assert verify(case).ok


def test_bad_entries_are_refused_and_nothing_is_written(case: Case) -> None:
    before = len(case.table("audit"))
    with pytest.raises(CaseError, match="not a part of the findings record"):
        case.add_finding(section="verdict", text="x")
    with pytest.raises(CaseError, match="needs some text"):
        case.add_finding(section="concern", text="  ")
    with pytest.raises(CaseError, match="no findings entry number 9"):
        case.add_finding(section="concern", text="x", amends=9)
    with pytest.raises(CaseError, match="no findings entry number 9"):
        case.amend_finding(9, text="x")
    assert case.table("findings").empty and len(case.table("audit")) == before


def test_cli_note(case: Case, capsys: pytest.CaptureFixture) -> None:
    path = str(case.path)
    assert main(["note", path, "--section", "decision", "--text", "Refer to the LADO.",
                 "--reasons", "An allegation about a member of staff.", "--who", "Ms Dsl"]) == 0
    assert "Findings entry 1 recorded (decision)" in capsys.readouterr().out
    assert main(["note", path, "--amends", "1", "--text", "Refer to the LADO today."]) == 0
    assert "corrects entry 1" in capsys.readouterr().out
    assert main(["note", path, "--text", "no section"]) == 1
    assert "--section" in capsys.readouterr().err
    assert main(["note", path, "--section", "outcome", "--text", "x", "--amends", "7"]) == 1
    assert "no findings entry number 7" in capsys.readouterr().err
    table = Case.open(Path(path)).table("findings")
    assert table["text"].tolist() == ["Refer to the LADO.", "Refer to the LADO today."]
    assert table["who"].iloc[0] == "Ms Dsl" and table["amends"].iloc[1] == 1


def test_the_demo_case_logs_actions_and_findings(tmp_path: Path) -> None:
    from investigate.training import build_case
    from investigate.training._casework import record_casework

    case = build_case(tmp_path / "case")
    assert case.table("actions").empty and case.table("findings").empty  # the bundled case, as its files make it
    record_casework(case)
    actions = case.table("actions")
    assert len(actions) >= 5 and (actions["status"] == "open").sum() == 1
    record = findings_record(case.table("findings"))
    assert set(record["section"]) >= {"concern", "done", "assessment", "decision", "next_steps"}
    assert record["amends"].notna().sum() == 1 and (~record["current"]).sum() == 1
