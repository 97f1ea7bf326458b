"""Export for the school's record system (CPOMS or MyConcern): two CSV files and a plain-text summary.

The files are meant to be attached to the pupil's or staff member's record, and the summary pasted
into its notes. Their shape is fixed and simple (see the README, "Export for CPOMS or MyConcern"):

- ``chronology.csv``: date, time, zone, precision, what, details, link, evidence_id: the report's
  chronology of the incident (entered events, markers, the reported accounts' posts), oldest first;
- ``actions.csv``: action_id, date, time, kind, what, who, status, route, reference, made, answered,
  due, outcome: the actions log with the tracker's columns, oldest first, dated when each was done (a
  report or referral when it was made, or its pack drafted), not when it was typed in;
- ``summary.txt``: a few plain lines: the case, the accounts, the reports made, what is overdue.

Dates are day first (24/10/2025) and times local to the case's zone. The CSVs are UTF-8 with a byte
order mark (so Excel reads them); a cell starting with = + - @ is written after an apostrophe, so
that no spreadsheet runs it as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd

from ..case import private_dir, write_private
from ..errors import PackError
from . import SYSTEMS
from ._facts import (
    CaseFacts,
    conduct,
    creator_decisions,
    current_findings,
    gather,
    reported_accounts,
    reported_posts,
    text,
)
from .kinds import LEADS_LINE, marking
from .redaction import pack_redactor

if TYPE_CHECKING:
    from ..case import Case

System = Literal["cpoms", "myconcern"]
CHRONOLOGY_COLUMNS: tuple[str, ...] = ("date", "time", "zone", "precision", "what", "details", "link", "evidence_id")
ACTIONS_COLUMNS: tuple[str, ...] = ("action_id", "date", "time", "kind", "what", "who", "status", "route",
                                    "reference", "made", "answered", "due", "outcome")


def _local(value: object, zone: str) -> tuple[str, str, str]:
    """(date, time, zone abbreviation) of a UTC time in ``zone``; blanks for no time."""
    if value is None or value is pd.NaT or (not isinstance(value, pd.Timestamp) and pd.isna(value)):
        return "", "", ""
    local = pd.Timestamp(value).tz_convert(zone)
    return f"{local:%d/%m/%Y}", f"{local:%H:%M}", f"{local:%Z}"


def _when(value: object, zone: str) -> str:
    date, time, abbr = _local(value, zone)
    return f"{date} {time} {abbr}".strip()


def chronology_table(facts: CaseFacts) -> pd.DataFrame:
    """The conduct (:func:`._facts.conduct`: the report's chronology of the incident, without third parties'
    follows and interactions) in the export's shape (:data:`CHRONOLOGY_COLUMNS`)."""
    rows = [(*_local(r.at, facts.zone), r.precision, r.what, r.details, r.link, r.evidence_id)
            for r in conduct(facts).itertuples(index=False)]
    return pd.DataFrame(rows, columns=list(CHRONOLOGY_COLUMNS))


def actions_table(facts: CaseFacts) -> pd.DataFrame:
    """The actions log with the tracker's columns, in the export's shape (:data:`ACTIONS_COLUMNS`), oldest
    done first: each action's state and due time as :func:`investigate.tracker.action_states` says (the
    report's and the tracker's), ``date`` and ``time`` when it was done, ``status`` its stage."""
    rows = [(str(a.action_id), *_local(a.done_at, facts.zone)[:2], a.label, text(a.what), text(a.who), a.stage,
             text(a.route), text(a.reference), _when(a.sent_at, facts.zone), _when(a.answered_at, facts.zone),
             _when(a.due, facts.zone), text(a.outcome))
            for a in facts.states().itertuples(index=False)]
    return pd.DataFrame(rows, columns=list(ACTIONS_COLUMNS))


def summary_text(facts: CaseFacts, *, redacted: bool = False) -> str:
    """A paste-ready plain-text summary of the case for the record system's notes."""
    cfg = facts.config
    lines = [marking(cfg, redacted=redacted), f"Case: {cfg.get('title', '')} ({cfg.get('reference', '')})",
             f"School: {', '.join(str(s) for s in cfg.get('school', []) if s) or 'not recorded'}",
             f"Prepared by {cfg.get('analyst', '')} on {_when(facts.now, facts.zone)} (times in {facts.zone}).", ""]
    concern = current_findings(facts.tables["findings"], "concern")
    lines += [f"Concern: {c.text}" for c in concern.itertuples(index=False)]
    accounts = reported_accounts(facts.tables["accounts"])
    shown = [f"@{text(a.handle) or text(a.handle_key)} ({text(a.platform)}, {text(a.role)})"
             for a in accounts.itertuples(index=False)]
    lines.append(f"Accounts: {', '.join(shown) or 'none marked yet'}.")
    posts = reported_posts(facts)
    if len(posts):
        lines.append(f"Posts recorded: {len(posts)}, from {_when(posts['posted_at'].min(), facts.zone)} to "
                     f"{_when(posts['posted_at'].max(), facts.zone)}.")
    lines.append(f"Chronology: {len(conduct(facts))} entries; evidence: "
                 f"{len(facts.tables['evidence'])} file(s), each with its SHA-256, kept unchanged in the case.")
    tracked = facts.tracked()
    lines += ["", "Reports and referrals:"]
    lines += [f"- {r.label}{' (' + str(r.platform) + ')' if pd.notna(r.platform) else ''}: {r.stage}"
              f"{', ref ' + str(r.reference) if pd.notna(r.reference) else ''}"
              f"{', made ' + _when(r.sent_at, facts.zone) if pd.notna(r.sent_at) else ''}. {r.next_step}"
              for r in tracked.itertuples(index=False)] or ["- none recorded yet."]
    states = facts.states()
    late = states[states["overdue"]]
    lines.append(f"Overdue: {len(late)} item(s). " + "; ".join(f"{r.label} ({r.next_step})" for r in
                                                                 late.itertuples(index=False))
                 if len(late) else "Overdue: nothing.")
    decided = creator_decisions(facts.tables["findings"], facts.tables["people"])
    lines += ["", "Who is behind the account: " + ("; ".join(
        f"{d.name} (decision of {_when(d.at, facts.zone)} by {d.who}: {d.text} Reasons: {d.reasons})"
        for d in decided.itertuples(index=False)) or "not identified (no decision with reasons is recorded).")]
    steps = current_findings(facts.tables["findings"], "next_steps")
    lines += [f"Next steps: {s.text}" for s in steps.itertuples(index=False)]
    lines += ["", LEADS_LINE]
    return "\n".join(lines) + "\n"


def _safe_cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


#: how each file of an export is encoded (the CSVs with a BOM, so that Excel reads them as UTF-8)
_ENCODING = {"chronology.csv": "utf-8-sig", "actions.csv": "utf-8-sig", "summary.txt": "utf-8"}


def _csv_text(frame: pd.DataFrame, hide: Callable[[str], str]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        writer.writerow([_safe_cell(hide(str(v))) if v else "" for v in row])  # cells are text already
    return buffer.getvalue()


def write_export(case: Case, system: System | str, *, out_dir: str | Path | None = None, redact: bool = False,
                 now: pd.Timestamp | None = None, who: str | None = None) -> list[Path]:
    """Write chronology.csv, actions.csv and summary.txt for ``system`` into ``out_dir`` (default: a new
    folder in the case's exports) and return the three files."""
    if system not in SYSTEMS:
        raise PackError(f"There is no export for {system!r}. Exports: {', '.join(SYSTEMS)}.")
    facts = gather(case, now=now)
    hide = pack_redactor(case, redact, facts.view)
    stamp = facts.now.tz_convert(case.timezone)
    texts = {"chronology.csv": _csv_text(chronology_table(facts), hide),
             "actions.csv": _csv_text(actions_table(facts), hide),
             "summary.txt": hide(summary_text(facts, redacted=redact))}
    details = {"system": system, "redacted": redact, "folder": ""}
    with case.transaction(who=who, what="record-system export written", details=details) as conn:
        if out_dir:  # where it was asked for, each file's SHA-256 recorded
            folder = private_dir(Path(out_dir))
            for name, text in texts.items():
                write_private(folder / name, text, encoding=_ENCODING[name])
                case.record_output(conn, folder / name)
            paths = [folder / name for name in texts]
        else:  # a new folder in exports/, through the case (unique, hashed, put in place when complete)
            base = f"{system}-{'redacted' if redact else 'internal'}-{stamp:%Y%m%d-%H%M}"
            folder_name = case.output_name(conn, f"{base}/-").split("/")[0]  # a folder no output has
            paths = [case.write_output(conn, f"{folder_name}/{name}", text, encoding=_ENCODING[name])
                     for name, text in texts.items()]
        details["folder"] = paths[0].parent.name
    chronology, actions, summary = paths
    return [chronology, actions, summary]
