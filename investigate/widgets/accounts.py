"""Step 1 (notebook 01): logging the accounts seen, and marking the subject and its copycats."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as w
import pandas as pd

from ..case import Case
from ..html import esc
from ..schema import ROLES
from ..words import handle_key, shown_handles
from ._base import (
    _WIDE,
    LABELLED,
    PLATFORMS,
    Status,
    TableView,
    _Panel,
    button,
)


class AccountLogger(_Panel):
    """Log an account seen in the case (handle as shown, platform, role). ``.value``: last handle key.
    ``on_logged`` (settable later) is called after each account logged."""

    def __init__(self, case: Case, *, on_logged: Callable[[], None] | None = None) -> None:
        self.case = case
        self.value: str | None = None
        self.on_logged = on_logged
        self.platform = w.Dropdown(style=LABELLED, options=PLATFORMS, description="Platform")
        self.handle = w.Text(layout=_WIDE, style=LABELLED, description="Handle", placeholder="@name or profile link")
        self.display_name = w.Text(style=LABELLED, description="Shown name")
        self.role = w.Dropdown(style=LABELLED, options=ROLES, value="unknown", description="Role")
        self.notes = w.Textarea(style=LABELLED, description="Notes", layout=_WIDE)
        self.button = button("Log account", button_style="primary")
        self.status = Status()
        self.table = TableView(empty="No accounts logged yet.", timezone=case.timezone)
        self.button.on_click(lambda _: self.log_account(self.platform.value, self.handle.value,
                                                        display_name=self.display_name.value,
                                                        role=self.role.value, notes=self.notes.value))
        self.ui = w.VBox([self.platform, self.handle, self.display_name, self.role, self.notes, self.button,
                          self.status.ui, self.table.ui])
        self.refresh()

    def log_account(self, platform: str, handle: str, *, display_name: str = "", role: str = "unknown",
                    notes: str = "") -> str | None:
        """Add or update one account (through the case store, audited); returns its handle key."""
        key = handle_key(handle)
        if not key:
            self.status.say("Type the account's handle (its @name) or its profile link.", kind="error")
            return None
        shown = str(shown_handles(pd.Series([handle])).iloc[0])
        row = pd.DataFrame([{"platform": platform, "handle": shown, "handle_key": key,
                             "display_name": display_name or None, "role": role, "notes": notes or None}])
        logged = False
        with self.status.busy(f"Logging @{shown}"):
            self.case.add_rows({"accounts": row}, what="account logged",
                               details={"platform": platform, "handle": shown})
            self.value, logged = key, True
        self.refresh()
        if logged and self.on_logged is not None:
            self.on_logged()
        return key if logged else None

    def refresh(self) -> None:
        accounts = self.case.table("accounts")
        self.table.set(accounts[["platform", "handle", "display_name", "role", "notes"]])


class AccountMarker(_Panel):
    """Mark an account of the case as the subject, a copycat, the school's own...; lookalikes of the
    subject are offered as copycats for the analyst to confirm. ``.value``: the last account marked.
    """

    def __init__(self, case: Case, *, on_marked: Callable[[], None] | None = None, max_options: int = 2000) -> None:
        self.case = case
        self.value: str | None = None
        self.on_marked = on_marked
        self.max_options = max_options
        self.handle = w.Combobox(style=LABELLED, description="Account", placeholder="type the @name",
                                 ensure_option=False, layout=_WIDE)
        self.platform = w.Dropdown(style=LABELLED, description="Platform", options=[("any", "")])
        self.role = w.Dropdown(style=LABELLED, options=ROLES, value="subject", description="Mark as")
        self.button = button("Mark the account", button_style="primary")
        self.status = Status()
        self.suggested = w.VBox()
        self._suggested: list[tuple[w.Checkbox, str, str]] = []  # (box, handle_key, platform)
        self.confirm = button("Mark the ticked accounts as copycats")
        self.button.on_click(lambda _: self.mark(self.handle.value, self.role.value, platform=self.platform.value))
        self.confirm.on_click(lambda _: self.confirm_copycats(
            [(key, platform) for box, key, platform in self._suggested if box.value]))
        self.ui = w.VBox([self.handle, self.platform, self.role, self.button, self.status.ui,
                          w.HTML("<h4>Accounts that look like the subject's</h4>"), self.suggested, self.confirm])
        self.refresh()

    def mark(self, handle: str, role: str, *, platform: str = "") -> bool:
        """Give one account a role (audited). True when marked; else the status says why."""
        from ..accounts import mark_account

        if not handle_key(handle):
            self.status.say("Type the account's @name.", kind="error")
            return False
        marked = False
        with self.status.busy(f"Marking @{handle_key(handle)} as {role}"):
            row = mark_account(self.case, handle, role, platform=platform or None)
            self.value, marked = str(row["handle_key"]), True
        if marked:
            self.refresh()
            self.status.say(f"@{self.value} is now marked: {role}.", kind="ok")
            if self.on_marked is not None:
                self.on_marked()
        return marked

    def confirm_copycats(self, handles: Sequence[tuple[str, str]]) -> int:
        """Mark the (handle, platform) pairs the analyst ticked as copycats; returns how many."""
        from ..accounts import mark_account

        if not handles:
            self.status.say("Tick the accounts that are copies first.", kind="error")
            return 0
        done = 0
        with self.status.busy(f"Marking {len(handles)} copycat(s)"):
            for handle, platform in handles:
                mark_account(self.case, handle, "copycat", platform=platform or None)
                done += 1
        self.refresh()
        if self.on_marked is not None:
            self.on_marked()
        return done

    def refresh(self) -> None:
        from ..accounts import copycat_suggestions

        accounts = self.case.table("accounts")
        marked = accounts["role"].fillna("unknown") != "unknown"
        ordered = pd.concat([accounts[marked], accounts[~marked]]).head(self.max_options)
        self.handle.options = list(dict.fromkeys("@" + ordered["handle_key"].dropna().astype(str)))
        self.platform.options = [("any", "")] + [(p, p) for p in sorted(accounts["platform"].dropna().unique())]
        suggestions = copycat_suggestions(accounts)
        self._suggested, rows = [], []
        for row in suggestions.itertuples(index=False):
            box = w.Checkbox(description=f"@{row.handle_key}", value=False, indent=False, layout=w.Layout(width="auto"))
            self._suggested.append((box, str(row.handle_key), str(row.platform)))
            rows.append(w.HBox([box, w.HTML(f"{esc(row.how)} @{esc(row.subject)} ({esc(row.platform)})")]))
        self.suggested.children = [*rows, w.HTML(f"<i>{esc(_lookalikes_line(accounts, found=len(rows)))}</i>")]
        self.confirm.disabled = not self._suggested


def _lookalikes_line(accounts: pd.DataFrame, *, found: int) -> str:
    """What the lookalike list holds, in words: the copycats already marked, and whether others were found."""
    roles = accounts["role"].fillna("unknown")
    subjects = accounts.loc[roles == "subject", "handle_key"].dropna().astype(str).tolist()
    if not subjects:
        return "No account is marked as the subject yet: mark it above, and accounts like it are listed here."
    copycats = accounts.loc[roles == "copycat", "handle_key"].dropna().astype(str).tolist()
    marked = (f"{len(copycats)} already marked as copycat{'s' if len(copycats) != 1 else ''}: "
              + ", ".join(f"@{key}" for key in copycats) + "; ") if copycats else ""
    others = "other " if copycats else ""
    line = (f"{marked}{found} {others}lookalike{'s' if found != 1 else ''} above to check." if found else
            f"{marked}no {others}account looks like " + ", ".join(f"@{key}" for key in subjects) + ".")
    return line[0].upper() + line[1:]
