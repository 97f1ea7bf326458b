"""The steps on the start page: one per numbered notebook, named as the notebook names itself."""

from __future__ import annotations

import json
import re

import pandas as pd

from investigate.accounts import mark_account
from investigate.notebooks import NOTEBOOKS, notebooks_dir
from investigate.steps import STEPS, step_states, written_reports


def test_each_step_is_named_by_its_notebooks_number_and_heading() -> None:
    assert [s.notebook for s in STEPS] == list(NOTEBOOKS)
    for step in STEPS:
        cells = json.loads((notebooks_dir() / step.notebook).read_text())["cells"]
        heading = "".join(cells[0]["source"]).splitlines()[0]
        number = int(step.notebook[:2])
        if step.title.startswith("Step "):
            assert heading.startswith(f"# Step {number}: "), (step.notebook, heading)
            assert step.title.split(":")[0] == f"Step {number}"
        else:
            assert heading.startswith(f"# {step.title.split(':')[0]}"), (step.notebook, heading)


def test_states_say_how_far_the_case_has_got(case) -> None:
    states = step_states(case).set_index("notebook")["state"]
    assert states["01_gather_evidence.ipynb"] == "0 evidence files, 0 lists imported, 0 accounts"
    assert states["03_overlap_and_leads.ipynb"].startswith("no subject account marked yet")
    assert states["06_report.ipynb"] == "no report written yet"

    accounts = pd.DataFrame({"platform": "tiktok", "handle": ["Grimblewood.Gossip", "barnaby_t"],
                             "handle_key": ["grimblewood.gossip", "barnaby_t"]})
    case.add_rows({"accounts": accounts}, what="test data")
    mark_account(case, "grimblewood.gossip", "subject")
    for due in ("2025-11-06 09:00", "2025-11-07 09:00"):
        case.add_action(kind="platform_report", what="Reported", at="2025-11-03 09:00", due=due)
    case.add_action(kind="lado", what="Consulted", status="done")
    (case.exports_dir / "report-1.html").write_text("x")
    (case.exports_dir / ".report-partial.html").write_text("x")  # a report being written is not listed
    states = step_states(case).set_index("notebook")["state"]
    assert states["01_gather_evidence.ipynb"] == "0 evidence files, 0 lists imported, 2 accounts"
    assert states["03_overlap_and_leads.ipynb"] == "subject: @Grimblewood.Gossip"
    assert states["05_actions.ipynb"] == "3 actions logged, 2 open, 2 actions overdue"
    assert states["06_report.ipynb"] == "1 report written"
    assert written_reports(case)["name"].tolist() == ["report-1.html"]
    assert all(re.fullmatch(r"Step \d: .+|Start here|Training: .+", t) for t in step_states(case)["title"])
