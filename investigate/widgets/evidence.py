"""Step 1 (notebook 01): registering screenshots and exports as evidence, and checking them."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import ipywidgets as w
import pandas as pd

from ..case import Case
from ..dates import echo
from ..html import esc
from ..plain import plain_table, without_empty_columns
from ._base import (
    _WIDE,
    LABELLED,
    Status,
    _Panel,
    button,
    html_table,
    said_back,
    warning_box,
)


def nude_image_rule() -> w.HTML:
    """The rule on nude or semi-nude images of under-18s, shown before any capture."""
    from ..evidence import NUDE_IMAGE_RULE

    return warning_box(NUDE_IMAGE_RULE)


class EvidenceUploader(_Panel):
    """Register screenshots and exports: hashed, stored read-only, audited. ``.value``: last results."""

    def __init__(self, case: Case, *, on_registered: Callable[[], None] | None = None) -> None:
        self.case = case
        self.value: list[tuple[str, str, bool]] = []
        self.on_registered = on_registered
        self.upload = w.FileUpload(multiple=True, description="Choose files")
        self.captured_by = w.Text(layout=_WIDE, style=LABELLED, description="Captured by",
                                  placeholder="who took the screenshot")
        self.captured_at = w.Text(layout=_WIDE, style=LABELLED, description="Captured at",
                                  placeholder="day first, e.g. 27/11/2025 13:05")
        self.captured_at_words = said_back(self.captured_at, lambda text: echo(text, case.timezone))
        self.url = w.Text(style=LABELLED, description="URL", placeholder="where it was seen", layout=_WIDE)
        self.description = w.Textarea(style=LABELLED, description="Description", layout=_WIDE)
        self.confirm = w.Checkbox(description="None of these files is a nude or semi-nude image of an under-18",
                                  layout=w.Layout(width="auto"))
        self.button = button("Register as evidence", button_style="primary", disabled=True)
        self.status = Status()
        self.confirm.observe(lambda change: setattr(self.button, "disabled", not change["new"]), "value")
        self.button.on_click(lambda _: self.register_uploads())
        self.ui = w.VBox([self.upload, self.captured_by, self.captured_at, self.captured_at_words, self.url,
                          self.description,
                          self.confirm, self.button, self.status.ui])

    def register_uploads(self) -> None:
        files = [(item["name"], bytes(item["content"])) for item in self.upload.value]
        if not files:
            self.status.say("Choose one or more files first.", kind="error")
            return
        self.register(files)
        self.upload.value = ()

    def register(self, files: Sequence[tuple[str, bytes]]) -> list[tuple[str, str, bool]]:
        """Register (file name, bytes) pairs with the form's details; returns (name, id, is_new)."""
        with self.status.busy(f"Registering {len(files)} file(s)"), tempfile.TemporaryDirectory() as tmp:
            from ..evidence import add_evidence

            paths = []
            for name, content in files:
                path = Path(tmp) / (Path(name).name or "upload")
                path.write_bytes(content)
                paths.append(path)
            self.value = add_evidence(self.case, paths, captured_by=self.captured_by.value or None,
                                      captured_at=self.captured_at.value or None, source_url=self.url.value or None,
                                      description=self.description.value or None)
            if self.on_registered is not None:
                self.on_registered()
        return self.value


def evidence_table(case: Case) -> pd.DataFrame:
    """The evidence register, as shown to the analyst (columns empty in every row left out)."""
    cols = ["evidence_id", "original_name", "sha256", "captured_by", "captured_at", "source_url", "description"]
    return without_empty_columns(plain_table(case.table("evidence"), timezone=case.timezone, columns=cols))


def capture_pages_table(case: Case) -> pd.DataFrame:
    """The pages and screenshots of the web-archive captures registered, with their capture times."""
    records = case.table("capture_records")
    shown = records[records["kind"].isin(["page", "screenshot"]).fillna(False)]
    cols = ["evidence_id", "kind", "captured_at", "target_uri", "content"]
    return without_empty_columns(plain_table(shown, timezone=case.timezone, columns=cols))


class EvidenceList(_Panel):
    """The evidence register (:func:`evidence_table`), redrawn by :meth:`refresh`. ``.value``: the table shown."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.value = pd.DataFrame()
        self.ui = w.HTML()
        self.refresh()

    def refresh(self) -> None:
        self.value = evidence_table(self.case)
        self.ui.value = html_table(self.value, empty="No evidence registered yet.")
        pages = capture_pages_table(self.case)
        if len(pages):  # what the web-archive captures show, and when
            self.ui.value += "<h4>Pages and screenshots in the captures</h4>" + html_table(pages, empty="")


def verify_box(case: Case) -> w.HTML:
    """The result of checking every evidence file against its SHA-256, and the audit chain."""
    from ..evidence import verify

    result = verify(case)
    if result.ok:
        return w.HTML(f"<p style='color:#1b5e20'><b>OK</b>: {result.checked} evidence file(s) match their "
                      "SHA-256 fingerprints; the audit log is intact.</p>")
    items = "".join(f"<li>{esc(p)}</li>" for p in result.problems)
    return w.HTML(f"<div style='color:#b00020'><b>Problems found</b> ({len(result.problems)}):<ul>{items}</ul></div>")
