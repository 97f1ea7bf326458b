"""Mistakes a DSL can undo: withdrawing an import or a findings entry (a new row, never an edit)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from investigate.case import Case
from investigate.cli import main
from investigate.evidence import verify
from investigate.importer import import_file
from investigate.withdrawals import withdraw_finding, withdraw_import

FAKE = "fake.head"


def followers_file(tmp_path: Path) -> Path:
    path = tmp_path / "followers_of_fake_head.csv"
    path.write_text("Username\nquill.feather\nbarnaby_t\nmossbottom.fan\n", encoding="utf-8")
    return path


def following_file(tmp_path: Path) -> Path:
    path = tmp_path / "following_of_fake_head.csv"
    path.write_text("Username\nquill.feather\ngrimblewood_academy\n", encoding="utf-8")
    return path


def imported(case: Case, path: Path, kind: str, **options):  # noqa: ANN003, ANN201
    return import_file(case, path, platform="tiktok", account=FAKE, list_kind=kind, who="Ms Wobblethorpe",
                       **options)


def on_both_lists(case: Case) -> set[str]:
    rel = case.table("relationships")
    followers = set(rel.loc[rel["followed"] == FAKE, "follower"])
    following = set(rel.loc[rel["follower"] == FAKE, "followed"])
    return followers & following


def test_the_same_file_as_two_lists_is_warned_and_withdrawing_one_undoes_it(case: Case, tmp_path: Path,
                                                                             capsys: pytest.CaptureFixture) -> None:
    path = followers_file(tmp_path)
    first = imported(case, path, "followers", order="app")
    assert not any("WARNING" in n for n in first.notes)
    second = imported(case, path, "following", order="app")
    warning = [n for n in second.notes if n.startswith("WARNING")]
    assert len(warning) == 1 and f"import {first.import_id}" in warning[0] and "3 account(s)" in warning[0]
    assert on_both_lists(case) == {"quill.feather", "barnaby_t", "mossbottom.fan"}  # the mistake's effect

    assert main(["withdraw", str(case.path), str(second.import_id), "--reason", "imported as the wrong list",
                 "--who", "Ms Wobblethorpe"]) == 0
    out = capsys.readouterr().out
    assert "no longer count" in out and "imported as the wrong list" in out
    assert on_both_lists(case) == set()  # the rows stop counting...
    assert len(case.table("relationships")) == 3
    assert case.count("relationships") == 3
    assert len(case.table("evidence")) == 1  # ...the evidence stays registered
    assert len(case.table("imports")) == 2  # and the import stays in the record
    gone = case.table("withdrawals")
    assert gone[["import_id", "reason", "who"]].values.tolist() == [
        [second.import_id, "imported as the wrong list", "Ms Wobblethorpe"]]
    audit = case.table("audit")
    assert "import withdrawn" in audit["what"].tolist()
    assert verify(case).ok  # the withdrawn part is still there, still matching its hash

    # the right list can now be imported
    third = imported(case, following_file(tmp_path), "following", order="app")
    assert not any("WARNING" in n for n in third.notes)
    assert on_both_lists(case) == {"quill.feather"}


def test_a_withdrawn_import_no_longer_counts_in_the_leads_or_the_report(case: Case, tmp_path: Path) -> None:
    from investigate.casework import case_leads
    from investigate.report import write_report

    imported(case, followers_file(tmp_path), "followers", order="app")
    wrong = imported(case, followers_file(tmp_path), "following", order="app")
    before = case_leads(case, account=FAKE, top=10)
    assert "quill.feather" in set(before["handle"])
    withdraw_import(case, wrong.import_id, reason="the followers file imported as following")
    after = case_leads(case, account=FAKE, top=10)
    both = [r for rs in after["reasons"] for r in rs if "both" in r.casefold()]
    assert both == [] and any("both" in r.casefold() for rs in before["reasons"] for r in rs)
    page = write_report(case, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Withdrawn as mistakes" in page and "the followers file imported as following" in page


def test_a_second_import_says_what_differs_and_is_allowed_after_a_withdrawal(case: Case, tmp_path: Path) -> None:
    from investigate.errors import InvestigateError

    path = followers_file(tmp_path)
    first = imported(case, path, "followers")
    with pytest.raises(InvestigateError) as err:
        imported(case, path, "followers", order="oldest-first")
    said = str(err.value)
    assert "same options" not in said  # they differ: the message said so before
    assert "without --order" in said and "with --order oldest-first" in said
    assert f"withdraw CASE_DIR {first.import_id}" in said
    with pytest.raises(InvestigateError, match="with the same options"):
        imported(case, path, "followers")
    withdraw_import(case, first.import_id, reason="taken without its order")
    again = imported(case, path, "followers", order="oldest-first")
    assert again.import_id != first.import_id
    rel = case.table("relationships")
    assert len(rel) == 3 and set(rel["list_order"]) == {"oldest-first"}


def test_withdrawals_are_new_rows_never_edited(case: Case, tmp_path: Path) -> None:
    from investigate.errors import CaseError

    first = imported(case, followers_file(tmp_path), "followers", order="app")
    withdraw_import(case, first.import_id, reason="wrong account")
    with pytest.raises(CaseError, match="already withdrawn"):
        withdraw_import(case, first.import_id, reason="again")
    with pytest.raises(CaseError, match="no import number 9"):
        withdraw_import(case, 9, reason="no such import")
    with pytest.raises(CaseError, match="Say why"):
        withdraw_import(case, first.import_id, reason="  ")
    conn = sqlite3.connect(case.path / "case.sqlite")
    try:
        for sql in ("UPDATE withdrawals SET reason = 'changed'", "DELETE FROM withdrawals"):
            with pytest.raises(sqlite3.DatabaseError, match="withdrawals rows are never changed or removed"):
                conn.execute(sql)
    finally:
        conn.close()
    assert case.table("withdrawals")["reason"].tolist() == ["wrong account"]


def test_an_import_of_events_cannot_be_withdrawn_inexactly(case: Case, data_dir: Path) -> None:
    from investigate.errors import CaseError

    result = import_file(case, data_dir / "manual" / "events_uk.csv", list_kind="events")
    with pytest.raises(CaseError, match="events"):
        withdraw_import(case, result.import_id, reason="wrong file")
    assert case.table("withdrawals").empty


def test_a_withdrawn_finding_shows_as_withdrawn_with_its_reason(case: Case, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture) -> None:
    from investigate.report import write_report

    case.add_finding(section="decision", text="Refer to the LADO", reasons="an allegation about a member of staff")
    twice = case.add_finding(section="decision", text="Refer to the LADO (typed twice)")
    assert main(["withdraw", str(case.path), "--finding", str(twice), "--reason", "Entered twice by mistake"]) == 0
    assert "Entered twice by mistake" in capsys.readouterr().out
    assert case.table("findings")["finding_id"].tolist() == [1]  # no longer counted anywhere
    page = write_report(case, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "No reasons recorded" not in page
    assert "Findings entry 2 (decision): Refer to the LADO (typed twice): withdrawn by" in page
    assert "Entered twice by mistake" in page
    with pytest.raises(Exception, match="already withdrawn"):
        withdraw_finding(case, twice, reason="again")


def test_withdraw_needs_one_thing_to_withdraw(case: Case, capsys: pytest.CaptureFixture) -> None:
    assert main(["withdraw", str(case.path), "--reason", "oops"]) == 1
    assert "Say what to withdraw" in capsys.readouterr().err


def test_the_imports_panel_withdraws_an_import(case: Case, tmp_path: Path) -> None:
    from investigate.widgets import ImportsView

    first = imported(case, followers_file(tmp_path), "followers", order="app")
    view = ImportsView(case)
    assert [v for _, v in view.choice.options] == [None, first.import_id]
    view.choice.value = first.import_id
    view.reason.value = "the wrong account's list"
    view.withdraw_button.click()
    assert case.table("withdrawals")["reason"].tolist() == ["the wrong account's list"]
    assert "withdrawn: the wrong account" in view.imports.value
    assert [v for _, v in view.choice.options] == [None]
    assert case.table("relationships").empty


def test_leads_warn_for_an_account_not_marked_subject_or_copycat(case: Case, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture) -> None:
    imported(case, followers_file(tmp_path), "followers", order="app")
    assert main(["leads", str(case.path), "--account", "quill.feather"]) == 0
    err = capsys.readouterr().err
    assert "@quill.feather is not marked as a subject or copycat" in err
    assert main(["account", str(case.path), FAKE, "--role", "subject"]) == 0
    capsys.readouterr()
    assert main(["leads", str(case.path), "--account", FAKE]) == 0
    assert "not marked" not in capsys.readouterr().err
