"""One case, one truth: a case made with the README's commands, and every output's facts compared.

The case: the sample files imported, the fake account marked, a platform report drafted (pack), sent
and answered with an outcome (track), a LADO referral pack drafted, a police call logged (track
--new), findings with and without reasons (note). Then the HTML and Word reports, the CPOMS and
MyConcern exports, the tracker's list and notebook 05's panels are written, and their overdue count,
still-to-do items, each action's state and due time, chronology entries and authors compared.
Before, they disagreed (issue 22): the report listed the answered report as still to do, the tracker
asked for an outcome already given, the LADO referral had no due date in the report but one in the
tracker, the export's chronology was not the report's, and the CLI signed notes with the login name.
"""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from investigate.case import Case, current_user
from investigate.cli import main

SAMPLE = Path(__file__).parent.parent / "sample_data"
ANALYST = "Dr Ottoline Muddleridge"
STAFF = "Mr Jolyon Brambleshaw"

pytestmark = pytest.mark.slow  # builds a whole case and runs the report notebook (about a minute)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The case made with the README's commands, and every output written from it."""
    run = _Capture().run
    root = tmp_path_factory.mktemp("truth")
    case_dir = root / "case"
    run("new", case_dir, "--title", "Fake account impersonating Mr Brambleshaw", "--school",
        "Wobbleton High School", "--analyst", ANALYST)
    for m in json.loads((SAMPLE / "manifest.json").read_text(encoding="utf-8")):
        args = ["import", case_dir, SAMPLE / m["file"], "--format", m["format"], "--observed-at", "31/10/2025 16:40"]
        for key in ("platform", "account", "list", "order"):
            if m[key]:
                args += [f"--{key}", m[key]]
        run(*args)
    run("account", case_dir, "brambleshaw.wobbleton", "--role", "subject")
    run("pack", case_dir, "platform", "--person", STAFF)  # action 1, drafted
    run("track", case_dir, "1", "--sent", "14/10/2025 10:00", "--reference", "TT-1", "--route", "impersonation")
    run("track", case_dir, "1", "--answered", "16/10/2025 12:00", "--outcome", "Account removed")
    run("pack", case_dir, "lado", "--person", STAFF)  # action 2, drafted now: due the next working day
    run("track", case_dir, "--new", "police", "--sent", "15/10/2025 09:00", "--reference", "CR-1", "--route", "101")
    run("note", case_dir, "--section", "concern", "--text", "A fake account impersonates Mr Brambleshaw.")
    run("note", case_dir, "--section", "decision", "--text", "Report to TikTok", "--reasons",
        "Impersonation of staff")
    run("note", case_dir, "--section", "next_steps", "--text", "Review the account in two weeks",
        "--who", "Ms Wobblethorpe")
    listing = run("track", case_dir)
    run("report", case_dir, "-o", root / "report.html")
    run("report", case_dir, "-o", root / "report.docx")
    run("export", case_dir, "--for", "cpoms", "-o", root / "cpoms")
    run("export", case_dir, "--for", "myconcern", "-o", root / "myconcern")
    return {"case": Case.open(case_dir), "root": root, "listing": listing}


class _Capture:
    """Runs CLI commands in this process, capturing what they print (a module fixture has no capsys)."""

    def run(self, *args: object) -> str:
        import contextlib
        import io

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([str(a) for a in args])
        assert code == 0, (args, err.getvalue())
        return out.getvalue()


def _page_words(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "\n", text)))


def _docx_words(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return re.sub(r"\s+", " ", "\n".join(parts))


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _section(words: str, start: str, end: str) -> str:
    found = words[words.index(start):]
    return found[: found.index(end)] if end in found else found


def test_every_output_says_the_same_about_the_actions(built: dict) -> None:
    root: Path = built["root"]
    acts = {r["action_id"]: r for r in _csv(root / "cpoms" / "actions.csv")}
    assert acts == {r["action_id"]: r for r in _csv(root / "myconcern" / "actions.csv")}
    # an outcome closes what it answers: the answered platform report is closed everywhere
    assert acts["1"]["status"] == "closed" and acts["1"]["due"] == "" and acts["1"]["made"] == "14/10/2025 10:00 BST"
    assert acts["2"]["status"] == "drafted" and acts["2"]["due"]  # the LADO referral: due the next working day
    assert acts["3"]["status"] == "sent" and acts["3"]["date"] == "15/10/2025"
    listing: str = built["listing"]
    assert "Report to the platform (tiktok): closed, ref TT-1. Closed (Account removed)." in listing
    assert "record the outcome" not in listing
    lado_due = acts["2"]["due"]  # "08/12/2026 23:17 GMT" in the CSV; the tracker says "Tue 08/12/2026 23:17 GMT"
    assert f"/{lado_due[3:]} (within one working day)" in listing  # the tracker's "Refer ... by Tue 08/12/2026"

    for words in (_page_words(root / "report.html"), _docx_words(root / "report.docx")):
        summary = _section(words, "Still to do", "Findings of the analyst")
        assert "Report to TikTok" not in summary  # closed: not still to do
        assert "no due date set" not in summary.split("LADO referral")[1][:200]  # its due time, as the tracker's
        assert f"due {lado_due}" in summary
        assert "Police" in summary and "Review the account in two weeks" in summary
        assert re.search(r"3 logged; 2 open, 0 overdue", words)
    for system in ("cpoms", "myconcern"):
        summary = (root / system / "summary.txt").read_text(encoding="utf-8")
        assert "Overdue: nothing." in summary and "closed, ref TT-1" in summary
    case: Case = built["case"]
    lado = _page_words(next((case.path / "exports").glob("pack-lado-*-internal-*.html")))
    assert f"(impersonation, ref TT-1) {ANALYST} closed Account removed" in lado  # what the school has done


def test_the_export_chronology_is_the_reports(built: dict) -> None:
    root: Path = built["root"]
    case: Case = built["case"]
    from investigate.report import sections
    from investigate.view import CONDUCT_LANES

    words = _page_words(root / "report.html")
    said = re.search(r"Times in Europe/London\. ([\d,]+) entries", words)
    ctx = sections.prepare(case.path)
    incident = sections._incident(ctx)
    assert said is not None and int(said.group(1).replace(",", "")) == len(incident)
    incident = incident[incident["lane"].isin(CONDUCT_LANES)]  # third parties' follows and interactions left out
    rows = _csv(root / "cpoms" / "chronology.csv")
    assert rows == _csv(root / "myconcern" / "chronology.csv") and len(rows) > 0
    assert [r["what"] for r in rows] == incident["kind"].astype(str).tolist()
    for r in rows:  # each entry is in the report's chronology, at the same time
        assert (r["date"] if r["precision"] == "day" else f"{r['date']} {r['time']} {r['zone']}") in words
    assert [f"{r['date']} {r['time']}" for r in rows] == [
        f"{t.tz_convert(case.timezone):%d/%m/%Y %H:%M}" for t in incident["at"]]


def test_authors_are_the_analyst_or_who_was_named_never_the_login(built: dict) -> None:
    case: Case = built["case"]
    findings = case.table("findings")
    assert findings["who"].tolist() == [ANALYST, ANALYST, "Ms Wobblethorpe"]
    actions = case.table("actions")
    assert set(actions["who"]) == {ANALYST}
    login = current_user()
    words = _page_words(built["root"] / "report.html")
    assert f"Entry 1, {ANALYST}," in words and "Entry 3, Ms Wobblethorpe," in words
    if login not in ANALYST:
        assert f", {login}," not in words and f", {login}:" not in words


def test_notebook_05_panels_agree_with_the_tracker(built: dict) -> None:
    pytest.importorskip("ipywidgets")
    from investigate import tracker
    from investigate import widgets as ui

    case: Case = built["case"]
    panel = ui.ActionsPanel(case)
    log = panel.value.set_index("action_id")
    assert log.loc[1, "stage"] == "closed" and not log.loc[1, "open"] and not log.loc[1, "overdue"]
    assert "days overdue" not in panel.table.value  # before: "415 days overdue" beside "Nothing is overdue"
    assert "Nothing is overdue" in panel.overdue.value
    states = tracker.action_states(case.table("actions"), now=pd.Timestamp.now(tz="UTC"), zone=case.timezone)
    assert list(log["due"].isna()) == list(states.set_index("action_id").loc[log.index, "due"].isna())


def test_the_front_page_says_what_the_platform_answered(tmp_path: Path) -> None:
    """No takedown event, but the platform report answered with an outcome: the summary's status line
    said "no takedown is recorded: the account may still be up" beside the tracker's "closed (Account
    removed)". It now gives the answer as recorded (never read as a takedown: it is free text)."""
    from investigate.report.sections import _status, prepare

    case = Case.create(tmp_path / "c", title="t", analyst=ANALYST)
    case.add_rows({"accounts": pd.DataFrame({"platform": ["tiktok"], "handle": ["fake.head"],
                                             "handle_key": ["fake.head"], "role": ["subject"]})}, what="test")
    run = _Capture().run
    run("track", case.path, "--new", "platform_report", "--platform", "tiktok", "--school",
        "--sent", "14/10/2025 10:00", "--reference", "TT-1")
    assert "may still be up" in _status(prepare(case.path))
    run("track", case.path, "1", "--answered", "16/10/2025 12:00", "--outcome", "Account removed")
    line = _status(prepare(case.path))
    assert 'the platform answered the report on 16/10/2025 12:00 BST: "Account removed"' in line
    assert "may still be up" not in line and "a takedown was recorded" not in line
