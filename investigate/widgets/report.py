"""Step 6 (notebook 06): writing the internal or redacted report."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pandas as pd

from ..case import Case
from ..html import esc
from ._base import (
    Status,
    _Panel,
    button,
)


class ReportWriter(_Panel):
    """Choose an internal or a redacted report and write it. ``.value``: the path last written."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.value: Path | None = None
        self.kind = w.RadioButtons(options=[
            ("Internal (names shown: for the DSL, headteacher, LADO or police)", "internal"),
            ("Redacted (people replaced by pseudonyms: for sharing more widely)", "redacted")],
            layout=w.Layout(width="auto"))
        self.format = w.RadioButtons(options=[("Web page (.html: opens in any browser, offline)", ".html"),
                                              ("Word (.docx: to file and edit)", ".docx")],
                                     layout=w.Layout(width="auto"))
        self.button = button("Write the report", button_style="primary")
        self.status = Status()
        self.result = w.HTML()
        self.button.on_click(lambda _: self.write(redact=self.kind.value == "redacted"))
        self.ui = w.VBox([self.kind, self.format, self.button, self.status.ui, self.result])

    def _progress(self, text: str, fraction: float) -> None:
        self.status.bar.max = 100
        self.status.bar.value = int(max(0.0, min(1.0, fraction)) * 100)
        self.status.say(f"{text} ...")

    def default_path(self, *, redact: bool) -> Path:
        stamp = pd.Timestamp.now(tz=self.case.timezone).strftime("%Y%m%d-%H%M")
        kind = "redacted" if redact else "internal"
        name = f"report-{self.case.config.get('reference', 'case')}-{kind}-{stamp}{self.format.value}"
        return self.case.exports_dir / name

    def write(self, *, redact: bool, path: str | Path | None = None) -> Path | None:
        """Write the report (HTML or Word, as chosen) into the case's exports folder (or ``path``); returns its path."""
        from ..report import write_report

        target = Path(path) if path else self.default_path(redact=redact)
        with self.status.busy(f"Writing the {'redacted' if redact else 'internal'} report"):
            self.value = write_report(self.case, target, redact=redact, progress=self._progress)
            from ..steps import report_url

            link = (f" <a href='{esc(report_url(self.value.name))}' target='_blank' rel='noopener'>Open the report</a>"
                    if self.value.parent.resolve() == self.case.exports_dir.resolve() else "")
            self.result.value = (f"<p>Report written: <code>{esc(self.value)}</code> "
                                 f"({self.value.stat().st_size:,} bytes).{link}" + (
                                     " Open it in Word or LibreOffice.</p>" if self.value.suffix == ".docx" else
                                     " It opens in any web browser and needs no internet connection.</p>"))
        return self.value
