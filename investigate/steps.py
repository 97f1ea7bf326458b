"""The steps of an investigation, one per numbered notebook, and how far a case has got with each.

The start page (notebook 00, the first page of the app) lists them in order with a line each and
their state ("3 lists imported", "2 actions overdue"). :func:`step_states` works that out from
the case's tables; it computes nothing else and changes nothing.

>>> [s.title for s in STEPS][:3]
['Start here', 'Step 1: gather evidence', 'Step 2: the chronology']
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .case import Case
from .plain import count
from .tracker import overdue_actions

#: the guided notebooks, in the order an investigation follows them.
NOTEBOOKS: tuple[str, ...] = (
    "00_start_here.ipynb",
    "01_gather_evidence.ipynb",
    "02_chronology.ipynb",
    "03_overlap_and_leads.ipynb",
    "04_posting_patterns.ipynb",
    "05_actions.ipynb",
    "06_report.ipynb",
    "07_training_answer.ipynb",
)

#: where the servers of ``investigate lab`` and ``investigate app`` serve the case's written reports
EXPORTS_URL = "investigate/exports"

@dataclass(frozen=True)
class Step:
    """One numbered notebook: its file, its title (the notebook's own heading) and what it is for."""

    notebook: str
    title: str
    line: str


STEPS: tuple[Step, ...] = tuple(Step(nb, title, line) for nb, (title, line) in zip(NOTEBOOKS, (
    ("Start here", "the case, the steps and how far it has got"),
    ("Step 1: gather evidence", "register screenshots and exports, mark the accounts, import follower and "
                                "following lists"),
    ("Step 2: the chronology", "everything in date order; add reports, meetings and takedowns as they happen"),
    ("Step 3: overlap and leads", "who is on both the followers and following lists; accounts worth looking "
                                  "at first"),
    ("Step 4: posting patterns", "when the account posts, against the school day and term dates"),
    ("Step 5: actions", "platform reports, LADO, police, POSH, Report Harmful Content, support, sanctions, "
                        "prevention"),
    ("Step 6: the report", "an HTML report, internal or redacted"),
    ("Training: the answer key", "for trainers, at the end of a session only"),
), strict=True))


def step_states(case: Case, *, now: pd.Timestamp | None = None) -> pd.DataFrame:
    """Each step with its state in words: columns notebook, title, line, state.

    The state of a step says what the case holds for it (e.g. "3 lists imported, 157 accounts"),
    or what to do first when it holds nothing yet.
    """
    now = now if now is not None else pd.Timestamp.now(tz="UTC")
    accounts = case.table("accounts")
    roles = accounts["role"].fillna("unknown")
    subjects = accounts.loc[roles == "subject", "handle"].dropna().tolist()
    imports, actions = case.table("imports"), case.table("actions")
    overdue = len(overdue_actions(actions, now=now, zone=case.timezone)) if len(actions) else 0
    open_actions = int((actions["status"].fillna("open") == "open").sum()) if len(actions) else 0
    reports = written_reports(case)
    evidence, events, posts = case.count("evidence"), case.count("events"), case.count("posts")

    gathered = [count(evidence, "evidence file"), count(len(imports), "list") + " imported",
                count(len(accounts), "account")]
    marked = (f"subject: {', '.join('@' + h for h in subjects[:3])}{' ...' if len(subjects) > 3 else ''}"
              if subjects else "no subject account marked yet: mark it in step 1")
    acted = [count(len(actions), "action") + " logged"]
    if open_actions:
        acted.append(f"{open_actions:,} open")
    if overdue:
        acted.append(f"{count(overdue, 'action')} overdue")
    states = [
        case.title,
        ", ".join(gathered),
        count(events, "event") + " entered" if events else "dates come from the lists and posts imported",
        marked,
        (count(posts, "post") + (", school day set" if case.config.get("school_day") else
                                  ", school day not set yet")) if posts else "no posts imported yet",
        ", ".join(acted),
        count(len(reports), "report") + " written" if len(reports) else "no report written yet",
        "reveals the training case's answer",
    ]
    return pd.DataFrame({"notebook": [s.notebook for s in STEPS], "title": [s.title for s in STEPS],
                         "line": [s.line for s in STEPS], "state": states})


def report_url(name: str) -> str:
    """The address of a written report (a file in the case's ``exports/``) on the kit's servers."""
    from urllib.parse import quote

    return f"/{EXPORTS_URL}/{quote(name)}"


def written_reports(case: Case) -> pd.DataFrame:
    """The reports written from this case (HTML and Word files in ``exports/``), newest first:
    columns name, written (UTC), size_bytes."""
    files = [p for p in case.exports_dir.glob("*") if p.is_file() and not p.name.startswith(".")
             and p.suffix.lower() in (".html", ".docx")] if case.exports_dir.is_dir() else []
    out = pd.DataFrame({
        "name": pd.Series([p.name for p in files], dtype="string"),
        "written": pd.to_datetime([p.stat().st_mtime for p in files], unit="s", utc=True),
        "size_bytes": pd.Series([p.stat().st_size for p in files], dtype="Int64"),
    })
    return out.sort_values(["written", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)
