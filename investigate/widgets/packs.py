"""Step 5 (notebook 05): referral packs, the tracker and the export for CPOMS/MyConcern."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pandas as pd

from ..case import Case
from ..errors import NobodyChosenError
from ..html import esc
from ..plain import without_empty_columns
from ._base import (
    _WIDE,
    LABELLED,
    Status,
    _Panel,
    button,
    html_table,
)

#: the tracker's columns, as a DSL reads them
TRACKER_COLUMNS = ("action_id", "label", "platform", "route", "reference", "stage", "due", "next_step")


class PackPanel(_Panel):
    """Write a referral pack (HTML and DOCX, internal or redacted) and see the tracker. ``.value``: files written."""

    def __init__(self, case: Case) -> None:
        from ..packs import PACK_KINDS

        self.case = case
        self.value: list[Path] = []
        labels = {"lado": "LADO (one per member of staff)", "police": "Police (101 / 999)",
                  "platform": "Platform report (per platform and person, or the school's logo)",
                  "rhc": "Report Harmful Content and POSH", "staff": "Staff support record",
                  "learner": "Note for the learner's file (needs a recorded decision)"}
        self.kind = w.Dropdown(style=LABELLED, options=[(labels[k], k) for k in PACK_KINDS], description="Pack",
                               layout=_WIDE)
        self.person = w.Dropdown(style=LABELLED, description="About", layout=_WIDE)
        self.redact = w.Checkbox(description="Redacted (people replaced by pseudonyms)", layout=w.Layout(width="auto"))
        self.button = button("Write the pack", button_style="primary")
        self.sent_id = w.Dropdown(style=LABELLED, description="Item no.")
        self.when = w.Text(layout=_WIDE, style=LABELLED, description="When", placeholder="e.g. 24/10/2025 10:00")
        self.reference = w.Text(style=LABELLED, description="Reference")
        self.route = w.Text(layout=_WIDE, style=LABELLED, description="Route",
                            placeholder="impersonation, privacy, harassment, copyright, 101 ...")
        self.sent_button = button("Record: report made")
        self.answered_button = button("Record: reply received")
        self.system = w.Dropdown(style=LABELLED, options=[("CPOMS", "cpoms"), ("MyConcern", "myconcern")],
                                 description="System")
        self.export_button = button("Export chronology, actions and summary")
        self.status = Status()
        self.result = w.HTML()
        self.table = w.HTML()
        self.button.on_click(lambda _: self.write(self.kind.value, person=self.person.value, redact=self.redact.value))
        self.export_button.on_click(lambda _: self.export(self.system.value, redact=self.redact.value))
        self.sent_button.on_click(lambda _: self.record(self.sent_id.value, sent=self.when.value,
                                                        reference=self.reference.value, route=self.route.value))
        self.answered_button.on_click(lambda _: self.record(self.sent_id.value, answered=self.when.value))
        self.ui = w.VBox([
            w.HTML("<h4>Write a referral pack</h4>"), self.kind, self.person, self.redact, self.button,
            self.status.ui, self.result,
            w.HTML("<h4>Record a report made, or a reply</h4>"), self.sent_id, self.when, self.reference, self.route,
            w.HBox([self.sent_button, self.answered_button]),
            w.HTML("<h4>The tracker (overdue items highlighted)</h4>"), self.table,
            w.HTML("<h4>Export for the school's record system</h4>"), self.system, self.export_button])
        self.refresh()

    def write(self, kind: str, *, person: str | None = None, redact: bool = False) -> list[Path]:
        """Write the packs of ``kind`` (about ``person``: a person id, "school", or None for earlier drafts)."""
        from ..packs import write_packs

        with self.status.busy(f"Writing the {kind} pack"):
            people = [person] if person and person != "school" else []
            try:
                self.value = write_packs(self.case, kind, people=people, school=person == "school", redact=redact)
            except NobodyChosenError as err:  # its message names the command line's options
                if kind == "learner":  # says which findings entry is needed: true here too
                    raise
                raise NobodyChosenError(choose_who(kind)) from err
            self.result.value = "<p>Written (fill every highlighted TO FILL gap before sending):</p><ul>" + "".join(
                f"<li><code>{esc(path)}</code></li>" for path in self.value) + "</ul>"
        self.refresh()
        return self.value

    def export(self, system: str, *, redact: bool = False) -> list[Path]:
        """Write the CPOMS/MyConcern export (chronology.csv, actions.csv, summary.txt) into the exports folder."""
        from ..packs.export import write_export

        with self.status.busy(f"Exporting for {system}"):
            self.value = write_export(self.case, system, redact=redact)
            self.result.value = (f"<p>Written to <code>{esc(self.value[0].parent)}</code>: attach the CSV files to "
                                 "the record and paste summary.txt into its notes.</p>")
        return self.value

    def record(self, action_id: int | None, *, sent: str = "", answered: str = "", reference: str = "",
               route: str = "") -> None:
        """Record that a tracked report was made (``sent``) or answered, with its reference and route."""
        from .. import tracker

        if action_id is None or not (sent or answered).strip():
            self.status.say("Choose the item and say when.", kind="error")
            return
        with self.status.busy(f"Recording item {action_id}"):
            if sent:
                tracker.record_sent(self.case, int(action_id), at=sent, reference=reference or None,
                                    route=route or None)
            else:
                tracker.record_answered(self.case, int(action_id), at=answered)
        self.refresh()

    def refresh(self) -> None:
        from ..tracker import track

        people = self.case.table("people")
        chosen = self.person.value or ""
        options = [("(as in earlier drafts)", ""), ("The school (its name and logo)", "school")] + [
            (f"{r.name} ({r.role})", str(r.person_id)) for r in people.itertuples(index=False)]
        self.person.options = options
        self.person.value = chosen if chosen in {value for _, value in options} else ""
        rows = track(self.case.table("actions"), now=pd.Timestamp.now(tz="UTC"), zone=self.case.timezone)
        self.sent_id.options = [(f"{r.action_id}: {r.label} ({r.stage})", int(r.action_id))
                                for r in rows.itertuples(index=False)]
        late = rows["overdue"].astype(bool)
        shown = rows[list(TRACKER_COLUMNS)].assign(overdue=late.map({True: "OVERDUE", False: ""}))
        shown = without_empty_columns(shown.rename(columns={"label": "report_or_referral"}))
        self.table.value = html_table(shown, highlight=late, timezone=self.case.timezone,
                                      empty="Nothing tracked yet: write a pack, or log a report above.")


def choose_who(kind: str) -> str:
    """What to choose on the pack form when a pack of ``kind`` does not say who it is about."""
    name = {"lado": "LADO referral", "staff": "staff support record"}.get(kind, f"{kind} report")
    whom = ("a person, or 'The school (its name and logo)' when the account copies the school's name or logo"
            if kind == "platform" else "the member of staff it concerns")
    return f"Choose who the {name} is about under 'About': {whom}. Then press 'Write the pack' again."
