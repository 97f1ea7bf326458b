"""Step 2 (notebook 02): events added by hand, and the chronology filtered and drawn."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
import pandas as pd

from ..case import Case
from ..chronology import select_events
from ..dates import echo, read_day, read_when
from ..errors import DateError
from ..plain import plain_time
from ..words import handle_key, items
from ._base import (
    _WIDE,
    EVENT_KINDS,
    LABELLED,
    Area,
    Status,
    TableView,
    _account_options,
    _Panel,
    button,
    said_back,
)


class EventForm(_Panel):
    """Add an event to the chronology (a report made, a meeting, a takedown...). ``.value``: count added."""

    def __init__(self, case: Case, *, on_added: Callable[[], None] | None = None) -> None:
        self.case = case
        self.value = 0
        self.on_added = on_added
        self.at = w.Text(layout=_WIDE, style=LABELLED, description="When",
                         placeholder="day first, e.g. 27/11/2025 13:05 (case time zone)")
        self.at_words = said_back(self.at, lambda text: echo(text, case.timezone))
        self.precision = w.Dropdown(style=LABELLED, options=("exact", "day", "approximate"), description="Precision")
        self.kind = w.Combobox(style=LABELLED, options=EVENT_KINDS, description="Kind", placeholder="choose or type")
        self.summary = w.Textarea(style=LABELLED, description="What", placeholder="facts only: who did what",
                                  layout=_WIDE)
        self.accounts = w.Text(layout=_WIDE, style=LABELLED, description="Accounts",
                               placeholder="@handles, comma-separated")
        self.button = button("Add to chronology", button_style="primary")
        self.status = Status()
        self.button.on_click(lambda _: self.add(self.at.value, self.kind.value, self.summary.value,
                                                accounts=self.accounts.value, precision=self.precision.value))
        self.ui = w.VBox([self.at, self.at_words, self.precision, self.kind, self.summary, self.accounts, self.button,
                          self.status.ui])

    def add(self, at: str, kind: str, summary: str, *, accounts: str = "", precision: str = "exact") -> bool:
        """Record one entered event (audited). Returns True when it was recorded."""
        if not (at.strip() and kind.strip() and summary.strip()):
            self.status.say("Fill in when, the kind and what happened.", kind="error")
            return False
        try:
            stamp = read_when(at, self.case.timezone, what="when it happened")
        except DateError as err:
            self.status.say(str(err), kind="error")
            return False
        keys = ",".join(k for k in (handle_key(a) for a in items(accounts)) if k)
        before = self.value
        with self.status.busy("Recording the event"):
            self.case.add_event(at=stamp, kind=kind.strip(), summary=summary.strip(), accounts=keys,
                                precision=precision)
            self.value += 1
        if self.value == before:  # refused: the status says why
            return False
        self.status.say(f"Recorded for {plain_time(stamp, timezone=self.case.timezone)} ({self.case.timezone}).",
                        kind="ok")
        if self.on_added is not None:
            self.on_added()
        return True


class ChronologyView(_Panel):
    """The chronology, filtered by kind, account and dates: a timeline and a table.

    ``.value`` is the filtered chronology frame.
    """

    def __init__(self, case: Case) -> None:
        self.case = case
        self.value = pd.DataFrame()
        self._all = pd.DataFrame()
        self.kinds = w.SelectMultiple(style=LABELLED, description="Kinds", rows=6)
        self.account = w.Dropdown(style=LABELLED, description="Account")
        # typed day first (a browser's date picker shows the computer's own order, often month first)
        self.start = w.Text(layout=_WIDE, style=LABELLED, description="From",
                            placeholder="day first, e.g. 01/11/2025", continuous_update=False)
        self.end = w.Text(layout=_WIDE, style=LABELLED, description="To", placeholder="day first, e.g. 30/11/2025",
                          continuous_update=False)
        self.start_words = said_back(self.start, lambda text: echo(text, case.timezone, day_only=True))
        self.end_words = said_back(self.end, lambda text: echo(text, case.timezone, day_only=True))
        self.figure = Area()
        self.table = TableView(empty="No events match these filters.", timezone=case.timezone)
        for control in (self.kinds, self.account, self.start, self.end):
            control.observe(lambda _: self.refresh(reload=False), "value")
        self.ui = w.VBox([w.HBox([self.kinds, w.VBox([self.account, self.start, self.start_words, self.end,
                                                      self.end_words])]),
                          self.figure.ui, self.table.ui])
        self.refresh()

    def refresh(self, *, reload: bool = True) -> None:
        from ..casework import case_chronology
        from ..plots import plot_timeline

        if reload:
            self._all = case_chronology(self.case)
            kinds = sorted(self._all["kind"].dropna().unique().tolist()) if not self._all.empty else []
            self.kinds.options = kinds
            self.account.options = [("All accounts", "")] + _account_options(self.case)
        self.value = select_events(self._all, kinds=list(self.kinds.value), account=self.account.value or None,
                                   start=_day_or_none(self.start.value), end=_day_or_none(self.end.value))
        if self.value.empty:
            self.figure.show("<p><i>Nothing in the chronology yet (or nothing matches these filters).</i></p>")
        else:
            self.figure.show(plot_timeline(self.value))
        self.table.set(self.value[[c for c in ("at_local", "kind", "summary", "accounts", "source", "evidence_id")
                                   if c in self.value.columns]])


def _day_or_none(text: str) -> str | None:
    """A typed day as YYYY-MM-DD, or None when blank or unreadable (the line under the field says why)."""
    try:
        return read_day(text) if text.strip() else None
    except DateError:
        return None
