"""Step 6 (notebook 06): the findings record, written by the analyst."""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

from ..case import Case
from ._base import (
    _WIDE,
    LABELLED,
    Status,
    _Panel,
    button,
    html_table,
    who_default,
)


class FindingsPanel(_Panel):
    """The findings record: write an entry in your own words, or correct one (a new entry that amends
    it; nothing is edited). ``.value`` is the record (:func:`investigate.findings.findings_record`)."""

    def __init__(self, case: Case) -> None:
        from ..findings import SECTION_TITLES

        self.case = case
        self.section = w.Dropdown(style=LABELLED, options=[(t, s) for s, t in SECTION_TITLES.items()],
                                  description="Part", layout=_WIDE)
        self.text = w.Textarea(style=LABELLED, description="Entry", layout=w.Layout(width="60%", height="7em"),
                               placeholder="In your own words: what you found, did or decided.")
        self.reasons = w.Textarea(style=LABELLED, description="Reasons", layout=w.Layout(width="60%", height="4em"),
                                  placeholder="Why (for a decision: the reasons for it).")
        self.who = w.Text(style=LABELLED, description="Who", value=who_default(case))
        self.amends = w.Dropdown(style=LABELLED, description="Corrects", layout=_WIDE)
        self.button = button("Add to the findings record", button_style="primary")
        self.status = Status()
        self.table = w.HTML()
        self.button.on_click(lambda _: self.add(self.section.value, self.text.value, reasons=self.reasons.value,
                                                who=self.who.value, amends=self.amends.value))
        self.ui = w.VBox([w.HTML("<h4>Add an entry (or correct one: choose it under 'Corrects')</h4>"),
                          self.section, self.text, self.reasons, self.who, self.amends, self.button,
                          self.status.ui, w.HTML("<h4>The findings record</h4>"), self.table])
        self.refresh()

    @property
    def value(self) -> pd.DataFrame:
        from ..findings import findings_record

        return findings_record(self.case.table("findings"))

    def add(self, section: str, text: str, *, reasons: str = "", who: str = "", amends: int | None = None
            ) -> int | None:
        """Record one entry (audited); with ``amends``, a correction of that entry."""
        finding_id = None
        with self.status.busy("Adding to the findings record"):
            if amends is None:
                finding_id = self.case.add_finding(section=section, text=text, reasons=reasons, who=who or None)
            else:
                finding_id = self.case.amend_finding(int(amends), section=section, text=text, reasons=reasons,
                                                     who=who or None)
        if finding_id is not None:
            self.text.value = self.reasons.value = ""
            self.refresh()
        return finding_id

    def refresh(self) -> None:
        from ..findings import SECTION_TITLES

        record = self.value
        self.amends.options = [("(a new entry)", None)] + [
            (f"{r.finding_id}: {str(r.text)[:60]}", int(r.finding_id)) for r in record[record["current"]].itertuples()]
        shown = record.assign(part=record["section"].map(SECTION_TITLES),
                              state=record["amended_by"].map(lambda n: f"corrected by {n}" if pd.notna(n) else ""))
        cols = ["finding_id", "part", "text", "reasons", "who", "at", "amends", "state"]
        self.table.value = html_table(shown[cols], timezone=self.case.timezone,
                                      empty="Nothing recorded yet: start with the summary of the concern.")
