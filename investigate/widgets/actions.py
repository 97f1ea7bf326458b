"""Step 5 (notebook 05): the actions and decisions log, and what is overdue."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as w
import pandas as pd

from ..actions import ACTION_KINDS, PREVENTION_CHECKLIST, action_kind, due_for
from ..case import Case
from ..dates import echo, read_optional
from ..html import esc
from ..plain import due_in, duration, plain_table, plain_time, without_empty_columns
from ..tracker import with_overdue
from ._base import (
    _WIDE,
    LABELLED,
    Status,
    _Panel,
    button,
    html_table,
    said_back,
    who_default,
)

#: the actions log's columns, as a DSL reads it (the tracker in the packs panel shows routes and references)
_KIND_LABELS = {item.kind: item.label for item in ACTION_KINDS}
LOG_COLUMNS = ("action_id", "kind", "what", "who", "at", "status", "due", "due_in", "outcome", "overdue")


class ActionsPanel(_Panel):
    """The actions and decisions log: add an action, update one, see what is overdue.

    ``.value`` is the actions table with an ``overdue`` column.
    """

    def __init__(self, case: Case) -> None:
        self.case = case
        self.kind = w.Dropdown(style=LABELLED, options=[(k.label, k.kind) for k in ACTION_KINDS], description="Action",
                               layout=_WIDE)
        self.what = w.Textarea(style=LABELLED, description="What", layout=w.Layout(width="60%", height="6em"))
        self.who = w.Text(style=LABELLED, description="Who", value=who_default(case))
        self.at = w.Text(style=LABELLED, description="When",
                         placeholder="blank = now; day first, e.g. 27/11/2025 13:05",
                         layout=_WIDE)
        self.at_words = said_back(self.at, lambda text: echo(text, case.timezone))
        self.due = w.HTML()
        self.add_button = button("Log action", button_style="primary")
        self.action_id = w.Dropdown(style=LABELLED, description="Action no.")
        self.new_status = w.Dropdown(style=LABELLED, options=("open", "done", "cancelled"), description="Status")
        self.outcome = w.Text(style=LABELLED, description="Outcome", layout=_WIDE)
        self.update_button = button("Update action")
        self.checklist = [w.Checkbox(description=item, layout=w.Layout(width="auto"))
                          for item in PREVENTION_CHECKLIST]
        self.prevention_button = button("Record ticked prevention steps")
        self.status = Status()
        self.table = w.HTML()
        #: open actions past their due time, updated with the log (show it with ``display(panel.overdue)``)
        self.overdue = w.HTML()
        self.kind.observe(lambda _: self._prompt(), "value")
        self.add_button.on_click(lambda _: self.log(self.kind.value, self.what.value, who=self.who.value,
                                                    at=self.at.value or None))
        self.update_button.on_click(lambda _: self.update(self.action_id.value, status=self.new_status.value,
                                                          outcome=self.outcome.value or None))
        self.prevention_button.on_click(lambda _: self.record_prevention(
            [c.description for c in self.checklist if c.value]))
        self.ui = w.VBox([
            w.HTML("<h4>Log an action or decision</h4>"), self.kind, self.what, self.who, self.at, self.at_words,
            self.due,
            self.add_button,
            w.HTML("<h4>Update an action</h4>"), self.action_id, self.new_status, self.outcome, self.update_button,
            w.HTML("<h4>Prevention checklist</h4>"), *self.checklist, self.prevention_button,
            self.status.ui, w.HTML("<h4>Actions log (overdue items highlighted)</h4>"), self.table])
        self._prompt()
        self.refresh()

    @property
    def value(self) -> pd.DataFrame:
        return with_overdue(self.case.table("actions"), now=pd.Timestamp.now(tz="UTC"), zone=self.case.timezone)

    def _prompt(self) -> None:
        """Show the chosen kind's prompt as a guide in the What box (a placeholder: never saved)."""
        item = action_kind(self.kind.value)
        self.what.placeholder = item.prompt or "What was done or decided, by whom, and why."
        self.due.value = (f"<i>A follow-up will be due {esc(duration(item.follow_up))} after the action.</i>"
                          if item.follow_up else "")

    def log(self, kind: str, what: str, *, who: str = "", at: Any = None) -> int | None:
        """Log one action (audited); platform reports get a follow-up due 72 hours later."""
        if not what.strip():
            self.status.say("Say what was done.", kind="error")
            return None
        action_id = None
        with self.status.busy("Logging the action"):
            stamp = read_optional(at, self.case.timezone, what="when it was done") or pd.Timestamp.now(tz="UTC")
            action_id = self.case.add_action(kind=kind, what=what.strip(), who=who, at=stamp,
                                             due=due_for(kind, stamp))
        if action_id is not None:
            self.status.say(f"Action {action_id} logged for {plain_time(stamp, timezone=self.case.timezone)}.",
                            kind="ok")
        self.refresh()
        return action_id

    def update(self, action_id: int | None, *, status: str | None = None, outcome: str | None = None) -> None:
        """Change an action's status or outcome (audited)."""
        if action_id is None:
            self.status.say("Choose the action to update.", kind="error")
            return
        with self.status.busy(f"Updating action {action_id}"):
            self.case.update_action(int(action_id), status=status, outcome=outcome)
        self.refresh()

    def record_prevention(self, items: Sequence[str]) -> int:
        """Record each ticked preventative step as a done action; returns how many were recorded."""
        if not items:
            self.status.say("Tick the steps taken first.", kind="error")
            return 0
        with self.status.busy(f"Recording {len(items)} prevention step(s)"):
            for item in items:
                self.case.add_action(kind="prevention", what=item, who=self.who.value, status="done")
        for box in self.checklist:
            box.value = False
        self.refresh()
        return len(items)

    def refresh(self) -> None:
        now = pd.Timestamp.now(tz="UTC")
        actions = self.value
        self.action_id.options = [(f"{r.action_id}: {str(r.what)[:60]}", int(r.action_id))
                                  for r in actions.itertuples(index=False)]
        shown = _actions_for_display(actions, now=now, timezone=self.case.timezone)
        self.table.value = html_table(shown, highlight=actions["overdue"], empty="No actions logged yet.")
        late = actions["overdue"]
        self.overdue.value = html_table(shown[late.to_numpy()], highlight=late[late], empty="Nothing is overdue.")


def _actions_for_display(actions: pd.DataFrame, *, now: pd.Timestamp, timezone: str) -> pd.DataFrame:
    """The actions log in words: the columns a DSL reads (none empty in every row), times in the case's
    zone, each kind's label, when each open action is due (its state and due time as
    :func:`investigate.tracker.action_states` says), dated when each was done."""
    due = [due_in(d, now=now) if still else "" for d, still in zip(actions["due"], actions["open"], strict=True)]
    shown = actions.assign(overdue=actions["overdue"].map({True: "OVERDUE", False: ""}), due_in=due,
                           at=actions["done_at"], status=actions["stage"],
                           kind=actions["kind"].map(lambda k: _KIND_LABELS.get(k, str(k).replace("_",
            " ").capitalize())))
    return without_empty_columns(plain_table(shown, timezone=timezone, columns=list(LOG_COLUMNS)))


def overdue_actions(case: Case) -> pd.DataFrame:
    """Open actions whose follow-up date has passed (:func:`investigate.tracker.overdue`)."""
    from ..tracker import overdue

    return overdue(case)
