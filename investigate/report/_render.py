"""Run the report notebook against a case and export one self-contained HTML file."""

from __future__ import annotations

import errno
import html
import logging
import os
import re
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from ..access import modes_for
from ..case import DRAFT_PREFIX, STAGING_DIR, Case, private_dir, settle_fd, write_error
from ..errors import InvestigateError
from ..evidence import sha256_file

log = logging.getLogger("investigate")

HERE = Path(__file__).parent
NOTEBOOK = HERE / "report.ipynb"
TEMPLATES = HERE / "templates"
TEMPLATE = "investigate_report"
_TITLE = re.compile(r'<h1 class="inv-title">(.*?)</h1>', re.DOTALL)
_MARKING = re.compile(r'<div class="inv-marking">(.*?)</div>', re.DOTALL)

#: a progress callback gets a short stage text ("Running the report notebook") and a fraction 0..1.
Progress = Callable[[str, float], None]


class ReportError(InvestigateError):
    """The report could not be written (a section failed, or the file could not be saved)."""


def _stage(progress: Progress | None, text: str, fraction: float) -> None:
    log.info("report: %s", text)
    if progress is not None:
        progress(text, fraction)


def report_notebook():  # noqa: ANN201 - a nbformat NotebookNode
    """report.ipynb's set-up cells, then one cell per section of :data:`~.sections.SECTIONS`, in its order
    (the order the Word file follows too: it is written down there only)."""
    import nbformat

    from .sections import SECTIONS

    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells += [nbformat.v4.new_code_cell(f"report.{section.__name__}(ctx)") for section in SECTIONS]
    return nb


def run_notebook(case: Case, *, redact: bool, accounts: list[str] | None = None, timeout: int = 600):  # noqa: ANN201
    """Execute the report notebook with papermill for this case; returns the executed notebook node."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from ..kernels import PrivateKernelManager

    with tempfile.TemporaryDirectory(prefix="investigate-report-") as tmp:
        out = Path(tmp) / "report.ipynb"
        try:
            return papermill.execute_notebook(
                report_notebook(), str(out),
                parameters={"case_dir": str(Path(case.path).resolve()), "redact": bool(redact),
                            "accounts": list(accounts) if accounts else None},
                kernel_name="python3", progress_bar=False, log_output=False, cwd=tmp,
                execution_timeout=timeout, request_save_on_cell_execute=False,
                kernel_manager_class=PrivateKernelManager,
            )
        except PapermillExecutionError as exc:
            found = re.match(r"report\.(\w+)\(ctx\)", exc.source or "")
            part = f"its {found.group(1).replace('_', ' ')} section" if found else "its preparation"
            raise ReportError(f"The report could not be written: {part} failed with {exc.ename}: {exc.evalue}"
                              ) from None
        except (RuntimeError, TimeoutError) as exc:  # nbclient's DeadKernelError, CellTimeoutError...
            raise ReportError(
                f"The report could not be written: the Python process that works it out stopped ({exc}). "
                "Nothing was saved; try again, and if it happens again, send the kit's log to whoever looks "
                "after it."
            ) from exc


def clean_notebook(nb) -> None:  # noqa: ANN001 - a nbformat NotebookNode
    """Drop what must not reach the report: widget state, stream output (logs, warnings), errors."""
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") in {"stream", "error"}:
                continue
            data = output.get("data")
            if data is not None:
                # only HTML from the kit's sections; never scripts or widget views from elsewhere
                for mime in list(data):
                    if mime != "text/html":
                        del data[mime]
                if not data:
                    continue
            kept.append(output)
        cell.outputs = kept
        cell.source = ""


def render_html(nb, *, title: str) -> str:  # noqa: ANN001
    """The executed notebook as one HTML page with the kit's template and plotly.js embedded once."""
    from nbconvert import HTMLExporter

    from ._plotlyjs import plotly_js_for

    nb.metadata["title"] = title
    exporter = HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name=TEMPLATE,
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    pieces = [out.get("data", {}).get("text/html", "") for cell in nb.cells for out in cell.get("outputs", [])]
    resources = {"plotly_js": plotly_js_for(pieces), "marking_css": css_string(_marking(nb))}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def _marking(nb) -> str:  # noqa: ANN001
    """The classification marking as the header section wrote it (printed in every page's margins)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            found = _MARKING.search(output.get("data", {}).get("text/html", ""))
            if found:
                return html.unescape(found.group(1))
    return ""


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string in which only letters, digits and spaces are written as they are;
    every other character is a CSS escape, so no text can end the string, the rule or the style element.

    >>> print(css_string('OFFICIAL "x" </style>'))
    "OFFICIAL \\22 x\\22  \\3c \\2f style\\3e "
    """
    return '"' + "".join(c if (c.isascii() and c.isalnum()) or c == " " else f"\\{ord(c):x} " for c in text) + '"'


def _title(nb) -> str:  # noqa: ANN001
    """The report's own title line (as the header section wrote it: redacted when the report is)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            found = _TITLE.search(output.get("data", {}).get("text/html", ""))
            if found:
                return html.unescape(found.group(1))
    return ""


def _write_atomic(path: Path, text: str) -> None:
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".html", dir=path.parent)
    try:
        settle_fd(fd, modes_for(path).file)  # 0600, or 0660 in a group's case
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(case: Case, output: str | Path, *, redact: bool = False, accounts: list[str] | None = None,
                 progress: Progress | None = None) -> Path:
    """Write the case's report to ``output`` (HTML, or Word for a ``.docx`` name), copy it into
    ``case/exports/`` and audit it.

    HTML: runs the report notebook (papermill) against the case, then exports one HTML file that
    needs no network: plotly.js is embedded once, and nothing is loaded from a CDN. Word: the same
    sections written by :func:`investigate.report.docx.write_docx`. With ``redact``, people and
    accounts are shown by stable pseudonyms (the analysis runs on the real case either way).
    ``accounts`` names the subject accounts (default: every account whose role is "subject").
    ``progress`` is called with a stage text and a fraction. Returns the written path.
    """
    from .naming import case_account_key
    from .redact import case_pseudonyms

    output = Path(output)
    word = output.suffix.lower() == ".docx"
    if not word and output.suffix.lower() not in {".html", ".htm"}:
        output = output.with_name(output.name + ".html")
    started = time.perf_counter()
    _stage(progress, "Preparing the case", 0.0)
    if redact:  # stored before the run, so that the notebook only reads them
        case_pseudonyms(case)
        case_account_key(case)
    # a report asked for inside exports/ is written there only through the case (never over another one)
    inside = output.parent.resolve() == case.exports_dir.resolve()
    target = case.path / STAGING_DIR / f"{DRAFT_PREFIX}{uuid.uuid4().hex}{output.suffix}" if inside else output
    if word:
        from .docx import write_docx

        try:
            write_docx(case, target, redact=redact, accounts=accounts,
                       progress=lambda text, fraction: _stage(progress, text, 0.1 + 0.8 * fraction))
        except OSError as exc:
            raise ReportError(f"The report could not be saved to {output}: {exc.strerror}") from None
    else:
        _stage(progress, "Running the report notebook", 0.1)
        nb = run_notebook(case, redact=redact, accounts=accounts)
        _stage(progress, "Rendering the HTML page", 0.8)
        title = _title(nb) or ("Case report" if redact else case.title or "Case report")
        clean_notebook(nb)
        page = render_html(nb, title=title)
        _stage(progress, f"Writing {output}", 0.9)
    try:
        if not word:
            _write_atomic(target, page)
        digest, size = sha256_file(target), target.stat().st_size
        details = {"file": output.name, "format": "docx" if word else "html", "redacted": bool(redact),
                   "sha256": digest, "bytes": size}
        with case.transaction(what="report written", details=details) as conn:
            copy = case.write_output(conn, output.name, target.read_bytes())  # the case's copy, in exports/
            details["file"] = copy.name
            if not inside:
                case.record_output(conn, output)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise write_error(exc, target.parent, f"The report {output.name}") from None
        raise ReportError(f"The report could not be saved to {output}: {exc.strerror}") from None
    finally:
        if inside:
            target.unlink(missing_ok=True)
    output = copy if inside else output
    _stage(progress, "Done", 1.0)
    log.info("report: wrote %s (%d bytes, %s) in %.1f s", output, output.stat().st_size,
             "redacted" if redact else "not redacted", time.perf_counter() - started)
    return output
