"""The start page (notebook 00 and the app's first page): the case, its steps and their state."""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

from ..case import Case
from ..html import TABLE_CSS, Html, esc, table
from ..plain import plain_time


def start_page(case: Case) -> w.HTML:
    """The start page: the case, each step in order with a line and its state, the reports written.

    Links open each notebook in the same tab (in JupyterLab and in the app: a widget, as output
    HTML would have its links opened in new tabs) and the written reports in a new one.
    """
    from ..steps import report_url, step_states, written_reports

    states = step_states(case).iloc[1:]
    cfg = case.config
    steps = states.assign(title=[Html(f"<a href='{esc(r.notebook)}' style='color:#1f4e79;text-decoration:underline'>"
                                      f"<b>{esc(r.title)}</b></a>") for r in states.itertuples(index=False)])
    shown = table(steps, zone=case.timezone, columns={"title": "Step", "line": "What it is for", "state": "So far"},
                  cell={"title": lambda link: link}, cls="inv-table investigate-steps")
    reports = written_reports(case)
    listed = "".join(f"<li><a href='{esc(report_url(r.name))}' target='_blank' rel='noopener'>{esc(r.name)}</a> "
                     f"(written {esc(plain_time(r.written, timezone=case.timezone))})</li>"
                     for r in reports.itertuples(index=False))
    return w.HTML(
        f"{TABLE_CSS}<div class='investigate-start'><p style='font-weight:bold;letter-spacing:0.05em'>"
        f"{esc(cfg.get('classification', ''))}</p><h2>{esc(case.title)}</h2>"
        f"<p>{esc(cfg.get('reference', ''))} &middot; {esc(', '.join(cfg.get('school', []) or []))} &middot; "
        f"Analyst: {esc(cfg.get('analyst', ''))}</p>{shown.html}<h3>Reports written</h3>"
        + (f"<ul>{listed}</ul>" if listed else "<p><i>None yet: write one in step 6.</i></p>") + "</div>")


def case_summary(case: Case) -> pd.DataFrame:
    """How many rows each part of the case holds (for the start page)."""
    labels = {"evidence": "evidence files", "accounts": "accounts", "relationships": "follower/following links",
              "posts": "posts", "interactions": "comments, likes, reshares...", "events": "chronology events",
              "people": "people (sensitive)", "actions": "actions and decisions", "imports": "imported files",
              "rejects": "rows rejected on import"}
    return pd.DataFrame({"what": list(labels.values()), "rows": [case.count(t) for t in labels]})
