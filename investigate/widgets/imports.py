"""Step 1 (notebook 01): importing followers/following lists, posts and comments, and what was rejected."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from ..case import Case
from ..errors import InputError
from ..html import esc
from ..words import handle_key
from ._base import (
    _WIDE,
    LABELLED,
    PLATFORMS,
    Status,
    _Panel,
    button,
    html_table,
    who_default,
)

#: the import form's choice of list order (the values are schema.LIST_ORDERS), and why it is asked
LIST_ORDER_CHOICES = (("oldest first (sorted by date followed: earliest)", "oldest-first"),
                      ("newest first (sorted by date followed: latest)", "newest-first"),
                      ("the app's own order (not sorted by date)", "app"))
ORDER_HINT = ("Position in a list is evidence only when its order is known. Apps do not promise one: Instagram "
              "shows someone else's followers in its own order (by interaction, alphabetical under about 200 "
              "followers, or newest first), while the owner's own view can sort by 'date followed: "
              "earliest/latest'; exports carry times. If unsure, choose the app's own order.")


SKIP_HINT = ("Unticked (as on the command line), a file with any unreadable row is not imported at all, and "
             "the rows at fault are named. Ticked, the readable rows are imported and the others listed below "
             "as rejected, with the reason.")


WITHDRAW_HINT = ("Imported the wrong file, or with the wrong options? Withdraw the import: its rows stop counting "
                 "(tables, leads, report), the file stays registered as evidence, and the record keeps what was "
                 "withdrawn and why. You can then import the file again.")


def for_the_app(message: str) -> str:
    """An import refusal in the app's words: its tick box, not the command line's --skip-bad-rows."""
    return (message.replace("import the other rows with --skip-bad-rows (the bad rows are then listed in the case)",
                            "tick 'Import the readable rows and list the others as rejected' to import the "
                            "other rows (the bad ones are then listed below)")
            .replace("--skip-bad-rows", "the box 'Import the readable rows and list the others as rejected'"))


class ImportsView(_Panel):
    """What was imported (one row per file) and what was rejected (one row per unreadable row); a
    form to withdraw an import made by mistake (:func:`investigate.withdrawals.withdraw_import`)."""

    def __init__(self, case: Case, *, on_withdrawn: Callable[[], None] | None = None) -> None:
        self.case = case
        self.on_withdrawn = on_withdrawn
        self.imports = w.HTML()
        self.rejects = w.HTML()
        self.choice = w.Dropdown(style=LABELLED, description="Import", layout=_WIDE)
        self.reason = w.Text(style=LABELLED, description="Why", layout=_WIDE,
                             placeholder="e.g. imported as the following list; it is the followers list")
        self.withdraw_button = button("Withdraw this import", button_style="warning")
        self.withdraw_button.on_click(lambda _: self.withdraw(self.choice.value, self.reason.value))
        self.status = Status()
        self.ui = w.VBox([w.HTML("<h4>Imported files</h4>"), self.imports,
                          w.HTML(f"<i>{esc(WITHDRAW_HINT)}</i>"), self.choice, self.reason, self.withdraw_button,
                          self.status.ui,
                          w.HTML("<h4>Rows NOT imported (rejected), with the reason</h4>"), self.rejects])
        self.refresh()

    @property
    def value(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        return self.case.table("imports"), self.case.table("rejects")

    def refresh(self) -> None:
        from ..withdrawals import withdrawn

        imports, rejects = self.value
        gone = withdrawn(self.case.table("withdrawals"), "import_id")
        shown = imports[["import_id", "at", "file", "format", "list_kind", "account", "list_order", "evidence_id",
                         "rows", "rejected"]].copy()
        shown["withdrawn"] = pd.array([f"withdrawn: {gone[int(i)]}" if int(i) in gone else pd.NA
                                       for i in shown["import_id"]], dtype="string")
        if not gone:
            shown = shown.drop(columns="withdrawn")
        self.imports.value = html_table(shown, empty="Nothing imported yet.", timezone=self.case.timezone)
        self.rejects.value = html_table(rejects[["import_id", "file", "row", "column", "value", "reason"]],
                                        empty="No rejected rows.", timezone=self.case.timezone)
        self.choice.options = [("choose the import to withdraw", None)] + [
            (f"{row.import_id}: {row.file}" + (f" ({row.list_kind}" if pd.notna(row.list_kind) else "")
             + (f" of @{row.account}" if pd.notna(row.account) else "") + (")" if pd.notna(row.list_kind) else ""),
             int(row.import_id))
            for row in imports.itertuples(index=False) if int(row.import_id) not in gone]
        self.choice.value = None

    def withdraw(self, import_id: int | None, reason: str) -> Any:
        """Withdraw one import (audited) with the reason typed; returns the withdrawal row, or None if refused."""
        from ..withdrawals import withdraw_import

        if import_id is None:
            self.status.say("Choose the import to withdraw.", kind="error")
            return None
        done = None
        with self.status.busy(f"Withdrawing import {import_id}"):
            done = withdraw_import(self.case, int(import_id), reason=reason, who=who_default(self.case))
        if done is None:
            return None
        self.reason.value = ""
        self.refresh()
        self.status.say(f"Withdrawn: {done['what']}. Its rows no longer count; the file stays as evidence, and "
                        "you can import it again.", kind="ok")
        if self.on_withdrawn is not None:
            self.on_withdrawn()
        return done


class ListImporter(_Panel):
    """Import a list: upload a file (CSV, XLSX, a platform export) or paste a list of handles.

    ``.value`` is the last :class:`~investigate.importer.ImportResult`.
    """

    def __init__(self, case: Case, *, view: ImportsView | None = None,
                 on_imported: Callable[[], None] | None = None) -> None:
        from ..loaders import LIST_KINDS, formats

        self.case = case
        self.value: Any = None
        self.view = view
        self.on_imported = on_imported
        self.upload = w.FileUpload(multiple=False, description="Choose file")
        self.paste = w.Textarea(placeholder="Paste a list here: one @name or profile link per line",
                                layout=w.Layout(width="60%", height="12em"))
        self.source = w.Tab(children=[self.upload, self.paste])
        self.source.set_title(0, "Upload a file")
        self.source.set_title(1, "Paste a list")
        self.platform = w.Dropdown(style=LABELLED, options=PLATFORMS, description="Platform")
        self.account = w.Text(layout=_WIDE, style=LABELLED, description="Whose list",
                              placeholder="@handle of the account")
        self.list_kind = w.Dropdown(style=LABELLED, options=LIST_KINDS, description="The list is")
        self.order = w.Dropdown(style=LABELLED, options=[("choose how the list was sorted", ""), *LIST_ORDER_CHOICES],
                                value="", description="Sorted", layout=_WIDE)
        self.order_hint = w.HTML(f"<i>{esc(ORDER_HINT)}</i>")
        self.format = w.Dropdown(style=LABELLED, options=("auto", *formats()), description="Format")
        self.skip_bad = w.Checkbox(description="Import the readable rows and list the others as rejected",
                                   value=False, layout=w.Layout(width="auto"))
        self.skip_hint = w.HTML(f"<i>{esc(SKIP_HINT)}</i>")
        self.button = button("Import", button_style="primary")
        self.status = Status()
        self.button.on_click(lambda _: self.import_from_form())
        self.ui = w.VBox([self.source, self.platform, self.account, self.list_kind, self.order, self.order_hint,
                          self.format, self.skip_bad, self.skip_hint,
                          self.button, self.status.ui])

    def import_from_form(self) -> None:
        if self.source.selected_index == 1:
            self.import_text(self.paste.value)
        elif self.upload.value:
            item = self.upload.value[0]
            self.import_bytes(item["name"], bytes(item["content"]))
            self.upload.value = ()
        else:
            self.status.say("Choose a file, or paste a list in the second tab.", kind="error")

    def import_text(self, text: str) -> Any:
        """Import a pasted list (one handle per line) with the form's options."""
        if not text.strip():
            self.status.say("The pasted list is empty.", kind="error")
            return None
        who = handle_key(self.account.value) or "unknown"
        name = f"pasted-{self.list_kind.value}-{who}-{pd.Timestamp.now():%Y%m%d-%H%M%S}.txt"
        return self.import_bytes(name, text.encode("utf-8"), format="text")

    def import_bytes(self, name: str, content: bytes, *, format: str | None = None) -> Any:
        """Import one file's bytes (kept as evidence under its SHA-256) with the form's options."""
        from ..importer import import_file

        if self.list_kind.value in ("followers", "following") and not self.order.value:
            self.status.say(f"Say how the list was sorted when you took it. {ORDER_HINT}", kind="error")
            return None
        done = None
        with self.status.busy(f"Importing {Path(name).name}"), tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / (Path(name).name or "upload")
            path.write_bytes(content)
            try:
                result = import_file(self.case, path, format=format or self.format.value,
                                     platform=self.platform.value, account=self.account.value or None,
                                     list_kind=self.list_kind.value, order=self.order.value or None,
                                     skip_bad_rows=self.skip_bad.value)
            except InputError as exc:
                if self.view is not None:
                    self.view.refresh()
                said = InputError(for_the_app(str(exc)))  # the rows at fault are listed in the message already
                said.problems = exc.problems
                raise said from exc
            done = self.value = result
        if done is None:  # refused: the status line says why, and the case is as it was
            return None
        self.status.say(done.summary(), kind="error" if done.problems else "ok")
        if self.view is not None:
            self.view.refresh()
        if self.on_imported is not None:
            self.on_imported()
        return done
