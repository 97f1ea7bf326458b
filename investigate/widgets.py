"""Small ipywidgets panels over a case, for the guided notebooks and the app view.

Each panel is a thin class: build it with a case, show it with ``display(panel)`` (it never
shows itself), read what it holds with ``.value``. Panels compute nothing: figures and tables
come from the analysis and plots modules, and every write goes through the case's own methods
(which add an audit entry). Text from the case (handles, comments, file names) is escaped
before it is put into HTML: hostile handles exist.

This is the only module that imports ipywidgets and IPython.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from IPython.display import display

from .actions import ACTION_KINDS, PREVENTION_CHECKLIST, action_kind, due_for, mark_overdue
from .case import Case, current_user
from .dates import day_in_words, echo, read_day, read_optional, read_when
from .errors import DateError, InputError, InvestigateError
from .html import esc
from .notebooks import NOTEBOOKS
from .plain import due_in, plain_table, plain_time
from .schema import ROLES, handle_key, shown_handles

log = logging.getLogger("investigate")

PLATFORMS = ("tiktok", "instagram", "x", "facebook", "snapchat", "youtube", "other")
EVENT_KINDS = ("account created", "post", "comment", "report made", "platform reply", "takedown",
               "meeting", "referral", "disclosure", "other")
_WIDE = w.Layout(width="60%")
START_PAGE = NOTEBOOKS[0]
#: the import form's choice of list order (the values are schema.LIST_ORDERS), and why it is asked
LIST_ORDER_CHOICES = (("oldest first (sorted by date followed: earliest)", "oldest-first"),
                      ("newest first (sorted by date followed: latest)", "newest-first"),
                      ("the app's own order (not sorted by date)", "app"))
ORDER_HINT = ("Position in a list is evidence only when its order is known. Apps do not promise one: Instagram "
              "shows someone else's followers in its own order (by interaction, alphabetical under about 200 "
              "followers, or newest first), while the owner's own view can sort by 'date followed: "
              "earliest/latest'; exports carry times. If unsure, choose the app's own order.")


# ------------------------------------------------------------------------------------ helpers
def html_table(df: pd.DataFrame, *, highlight: pd.Series | None = None, max_rows: int = 200,
               empty: str = "Nothing recorded yet.", timezone: str | None = None) -> str:
    """An HTML table of a frame, every cell escaped; rows where ``highlight`` is True are marked.

    With ``timezone``, the table is shown plain (see :func:`investigate.plain.plain_table`):
    headers in words, times in that zone to the minute.
    """
    if df.empty:
        return f"<p><i>{esc(empty)}</i></p>"
    if timezone is not None:
        df = plain_table(df, timezone=timezone)
    shown = df.head(max_rows)
    head = "".join(f"<th style='text-align:left;padding:2px 8px'>{esc(c)}</th>" for c in shown.columns)
    rows = []
    marks = highlight.head(max_rows).tolist() if highlight is not None else [False] * len(shown)
    for mark, values in zip(marks, shown.itertuples(index=False), strict=True):
        style = " style='background:#ffd7d7;font-weight:bold'" if mark else ""
        cells = "".join(f"<td style='padding:2px 8px;vertical-align:top'>{esc(v)}</td>" for v in values)
        rows.append(f"<tr{style}>{cells}</tr>")
    more = f"<p><i>Showing {max_rows} of {len(df)} rows.</i></p>" if len(df) > max_rows else ""
    body = "".join(rows)
    return f"<table class='investigate-table'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


class TableView:
    """A long table a page at a time, with a search box (rows holding the words typed, any column).

    Set the frame with :meth:`set`; ``ui`` is the widget. Searching and paging only choose which
    rows to show: the table is made elsewhere.
    """

    def __init__(self, *, page_size: int = 25, empty: str = "Nothing recorded yet.",
                 timezone: str | None = None) -> None:
        self.page_size, self.empty, self.timezone = page_size, empty, timezone
        self.frame = pd.DataFrame()
        self.highlight: pd.Series | None = None
        self.page = 0
        self.search = w.Text(placeholder="search this table", description="Search", continuous_update=False)
        self.previous = w.Button(description="< Previous", layout=w.Layout(width="auto"))
        self.next = w.Button(description="Next >", layout=w.Layout(width="auto"))
        self.where = w.HTML()
        self.table = w.HTML()
        self.search.observe(lambda _: self._go(0), "value")
        self.previous.on_click(lambda _: self._go(self.page - 1))
        self.next.on_click(lambda _: self._go(self.page + 1))
        self.ui = w.VBox([w.HBox([self.search, self.previous, self.next, self.where]), self.table])

    def set(self, frame: pd.DataFrame, *, highlight: pd.Series | None = None) -> None:
        """Show ``frame`` (from its first page); rows where ``highlight`` is True are marked."""
        self.frame, self.highlight = frame, highlight
        self._go(0)

    def matching(self) -> pd.DataFrame:
        """The rows holding every word of the search box (case ignored), in any column."""
        words = self.search.value.casefold().split()
        if not words or self.frame.empty:
            return self.frame
        text = self.frame.astype("string").fillna("").agg(" ".join, axis=1).str.casefold()
        keep = pd.Series(True, index=self.frame.index)
        for word in words:
            keep &= text.str.contains(word, regex=False)
        return self.frame[keep]

    def _go(self, page: int) -> None:
        rows = self.matching()
        pages = max(1, -(-len(rows) // self.page_size))
        self.page = min(max(page, 0), pages - 1)
        shown = rows.iloc[self.page * self.page_size:(self.page + 1) * self.page_size]
        marks = self.highlight.reindex(shown.index) if self.highlight is not None else None
        empty = "No rows hold those words." if self.search.value.strip() and len(self.frame) else self.empty
        self.table.value = html_table(shown, highlight=marks, max_rows=self.page_size, empty=empty,
                                      timezone=self.timezone)
        self.previous.disabled, self.next.disabled = self.page == 0, self.page >= pages - 1
        first = self.page * self.page_size + 1 if len(rows) else 0
        self.where.value = (f"rows {first:,} to {first + len(shown) - 1:,} of {len(rows):,}" if len(rows) else "")
        if len(rows) < len(self.frame):
            self.where.value += f" (of {len(self.frame):,} in all)"


def figure_bundle(fig: go.Figure) -> dict[str, Any]:
    """A figure as a plotly MIME bundle (rendered by JupyterLab, Voila and the report template)."""
    spec = json.loads(pio.to_json(fig, validate=False))
    title = fig.layout.title.text if fig.layout.title and fig.layout.title.text else "figure"
    return {"application/vnd.plotly.v1+json": {"data": spec.get("data", []), "layout": spec.get("layout", {}),
                                                "config": {"displaylogo": False, "responsive": True}},
            "text/plain": f"<Figure: {title}>"}


def show_figure(fig: go.Figure) -> None:
    """Display one figure (no CDN script, no MathJax: the plotly MIME type only)."""
    display(figure_bundle(fig), raw=True)


def show_table(df: pd.DataFrame, **options: Any) -> None:
    """Display a frame as an escaped HTML table (see :func:`html_table`)."""
    display(w.HTML(html_table(df, **options)))


class Area:
    """An output area whose whole content is replaced in one step.

    Content is set on the Output widget's state (never by capturing ``display`` calls inside
    ``with output:``), which renders the same in JupyterLab and Voila and does not stall
    headless runs (papermill/nbclient wait on captured outputs, see jupyter/nbclient#312).
    """

    def __init__(self) -> None:
        self.ui = w.Output()

    def show(self, *items: go.Figure | w.Widget | str) -> None:
        """Replace the content: figures, widgets, or HTML text (which must already be escaped)."""
        self.ui.outputs = tuple(_output(item) for item in items)

    @property
    def outputs(self) -> tuple[dict[str, Any], ...]:
        return tuple(self.ui.outputs)


def _output(item: go.Figure | w.Widget | str) -> dict[str, Any]:
    if isinstance(item, go.Figure):
        data = figure_bundle(item)
    else:
        widget = w.HTML(item) if isinstance(item, str) else item
        data = widget._repr_mimebundle_()
    return {"output_type": "display_data", "data": data, "metadata": {}}


def warning_box(text: str, *, colour: str = "#b00020") -> w.HTML:
    """A bordered box holding plain text (escaped, line breaks kept)."""
    return w.HTML(f"<div style='border:3px solid {colour};padding:8px 12px;white-space:pre-wrap;"
                  f"font-weight:bold;color:{colour}'>{esc(text)}</div>")


def nude_image_rule() -> w.HTML:
    """The rule on nude or semi-nude images of under-18s, shown before any capture."""
    from .evidence import NUDE_IMAGE_RULE

    return warning_box(NUDE_IMAGE_RULE)


def case_header(case: Case) -> w.HTML:
    """The case's title, reference, school(s), analyst and marking."""
    cfg = case.config
    schools = ", ".join(cfg.get("school", []) or []) or "(no school recorded)"
    return w.HTML(
        f"<div style='border-left:6px solid #1f4e79;padding:4px 12px'>"
        f"<b>{esc(cfg.get('classification', ''))}</b><br>"
        f"<span style='font-size:1.3em'>{esc(case.title)}</span> &mdash; {esc(cfg.get('reference', ''))}<br>"
        f"School: {esc(schools)} &middot; Analyst: {esc(cfg.get('analyst', ''))} &middot; "
        f"Time zone: {esc(case.timezone)}<br><small>Case folder: {esc(case.path)}</small>"
        f"<br><a href='{START_PAGE}' style='color:#1f4e79;text-decoration:underline'>&larr; Back to the start page</a>"
        "</div>")


def start_page(case: Case) -> w.HTML:
    """The start page: the case, each step in order with a line and its state, the reports written.

    Links open each notebook in the same tab (in JupyterLab and in the app: a widget, as output
    HTML would have its links opened in new tabs) and the written reports in a new one.
    """
    from .steps import report_url, step_states, written_reports

    states = step_states(case)
    cfg = case.config
    rows = "".join(
        f"<tr><td style='padding:4px 8px'><a href='{esc(r.notebook)}' style='color:#1f4e79;"
        f"text-decoration:underline'><b>{esc(r.title)}</b></a></td>"
        f"<td style='padding:4px 8px'>{esc(r.line)}</td><td style='padding:4px 8px'>{esc(r.state)}</td></tr>"
        for r in states.iloc[1:].itertuples(index=False))
    reports = written_reports(case)
    listed = "".join(f"<li><a href='{esc(report_url(r.name))}' target='_blank' rel='noopener'>{esc(r.name)}</a> "
                     f"(written {esc(plain_time(r.written, timezone=case.timezone))})</li>"
                     for r in reports.itertuples(index=False))
    return w.HTML(
        f"<div class='investigate-start'><p style='font-weight:bold;letter-spacing:0.05em'>"
        f"{esc(cfg.get('classification', ''))}</p><h2>{esc(case.title)}</h2>"
        f"<p>{esc(cfg.get('reference', ''))} &middot; {esc(', '.join(cfg.get('school', []) or []))} &middot; "
        f"Analyst: {esc(cfg.get('analyst', ''))}</p>"
        f"<table class='investigate-steps'><thead><tr><th style='text-align:left;padding:4px 8px'>Step</th>"
        f"<th style='text-align:left;padding:4px 8px'>What it is for</th>"
        f"<th style='text-align:left;padding:4px 8px'>So far</th></tr></thead><tbody>{rows}</tbody></table>"
        f"<h3>Reports written</h3>"
        + (f"<ul>{listed}</ul>" if listed else "<p><i>None yet: write one in step 6.</i></p>") + "</div>")


class Status:
    """A status line and a progress bar, for steps that take more than a moment."""

    def __init__(self) -> None:
        self.text = w.HTML("")
        self.bar = w.IntProgress(value=0, min=0, max=1, layout=w.Layout(width="40%", visibility="hidden"))
        self.ui = w.HBox([self.bar, self.text])

    def _ipython_display_(self) -> None:
        display(self.ui)

    def say(self, text: str, *, kind: str = "info") -> None:
        colour = {"info": "#1f4e79", "ok": "#1b5e20", "error": "#c62828"}[kind]
        self.text.value = f"<span style='color:{colour};white-space:pre-wrap'>{esc(text)}</span>"

    @contextmanager
    def busy(self, text: str, *, steps: int = 1) -> Iterator[Callable[[str], None]]:
        """Show ``text`` and a bar while the block runs; the block may call ``step(label)``."""
        self.bar.max, self.bar.value = max(steps, 1), 0
        self.bar.bar_style, self.bar.layout.visibility = "info", "visible"
        self.say(text + " ...")
        started = time.monotonic()

        def step(label: str) -> None:
            self.bar.value = min(self.bar.value + 1, self.bar.max)
            self.say(f"{text}: {label} ...")

        try:
            yield step
        except InvestigateError as exc:
            self.bar.bar_style = "danger"
            self.say(str(exc), kind="error")
            log.info("%s failed: %s", text, exc)
            return
        finally:
            self.bar.value = self.bar.max
        self.bar.bar_style = "success"
        self.say(f"{text}: done in {time.monotonic() - started:.1f} s", kind="ok")


def said_back(box: w.Text | w.Textarea, say: Callable[[str], str]) -> w.HTML:
    """A line under a date field that says back, as it is typed, what will be saved (``say`` of the
    text: the date in words, or why it cannot be read), so a misread date is seen before saving."""
    words = w.HTML()
    box.observe(lambda change: setattr(words, "value", f"<i>{esc(say(change['new']))}</i>"), "value")
    return words


class _Panel:
    """Base of the panels: ``ui`` is the widget shown by ``display(panel)``."""

    ui: w.Widget

    def _ipython_display_(self) -> None:
        display(self.ui)


def _account_options(case: Case, *, roles_first: Sequence[str] = ("subject", "copycat")) -> list[tuple[str, str]]:
    """(label, handle_key) pairs for the accounts of a case, subjects and copycats first."""
    accounts = case.table("accounts")
    if accounts.empty:
        return []
    order = {role: i for i, role in enumerate(roles_first)}
    accounts = accounts.assign(_o=accounts["role"].map(lambda r: order.get(r, len(order))).astype(int))
    accounts = accounts.sort_values(["_o", "handle_key"], kind="stable")
    return [(f"@{row.handle} ({_text(row.role) or 'unknown'}, {_text(row.platform)})", row.handle_key)
            for row in accounts.itertuples(index=False)]


# ------------------------------------------------------------------------------------ 01 evidence
class EvidenceUploader(_Panel):
    """Register screenshots and exports: hashed, stored read-only, audited. ``.value``: last results."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.value: list[tuple[str, str, bool]] = []
        self.upload = w.FileUpload(multiple=True, description="Choose files")
        self.captured_by = w.Text(description="Captured by", placeholder="who took the screenshot")
        self.captured_at = w.Text(description="Captured at", placeholder="day first, e.g. 27/11/2025 13:05")
        self.captured_at_words = said_back(self.captured_at, lambda text: echo(text, case.timezone))
        self.url = w.Text(description="URL", placeholder="where it was seen", layout=_WIDE)
        self.description = w.Textarea(description="Description", layout=_WIDE)
        self.confirm = w.Checkbox(description="None of these files is a nude or semi-nude image of an under-18",
                                  layout=w.Layout(width="auto"))
        self.button = w.Button(description="Register as evidence", button_style="primary", disabled=True)
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
            from .evidence import add_evidence

            paths = []
            for name, content in files:
                path = Path(tmp) / (Path(name).name or "upload")
                path.write_bytes(content)
                paths.append(path)
            self.value = add_evidence(self.case, paths, captured_by=self.captured_by.value or None,
                                      captured_at=self.captured_at.value or None, source_url=self.url.value or None,
                                      description=self.description.value or None)
        return self.value


class AccountLogger(_Panel):
    """Log an account seen in the case (handle as shown, platform, role). ``.value``: last handle key."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.value: str | None = None
        self.platform = w.Dropdown(options=PLATFORMS, description="Platform")
        self.handle = w.Text(description="Handle", placeholder="@name or profile link")
        self.display_name = w.Text(description="Shown name")
        self.role = w.Dropdown(options=ROLES, value="unknown", description="Role")
        self.notes = w.Textarea(description="Notes", layout=_WIDE)
        self.button = w.Button(description="Log account", button_style="primary")
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
        with self.status.busy(f"Logging @{shown}"):
            self.case.add_rows({"accounts": row}, what="account logged",
                               details={"platform": platform, "handle": shown})
            self.value = key
        self.refresh()
        return self.value

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
        self.handle = w.Combobox(description="Account", placeholder="type the @name", ensure_option=False,
                                 layout=_WIDE)
        self.platform = w.Dropdown(description="Platform", options=[("any", "")])
        self.role = w.Dropdown(options=ROLES, value="subject", description="Mark as")
        self.button = w.Button(description="Mark the account", button_style="primary")
        self.status = Status()
        self.suggested = w.VBox()
        self._suggested: list[tuple[w.Checkbox, str, str]] = []  # (box, handle_key, platform)
        self.confirm = w.Button(description="Mark the ticked accounts as copycats", layout=w.Layout(width="auto"))
        self.button.on_click(lambda _: self.mark(self.handle.value, self.role.value, platform=self.platform.value))
        self.confirm.on_click(lambda _: self.confirm_copycats(
            [(key, platform) for box, key, platform in self._suggested if box.value]))
        self.ui = w.VBox([self.handle, self.platform, self.role, self.button, self.status.ui,
                          w.HTML("<h4>Accounts that look like the subject's</h4>"), self.suggested, self.confirm])
        self.refresh()

    def mark(self, handle: str, role: str, *, platform: str = "") -> bool:
        """Give one account a role (audited). True when marked; else the status says why."""
        from .accounts import mark_account

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
        from .accounts import mark_account

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
        from .accounts import copycat_suggestions

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
        self.suggested.children = rows or [w.HTML("<i>None found (or no account is marked as the subject yet).</i>")]
        self.confirm.disabled = not self._suggested


class ImportsView(_Panel):
    """What was imported (one row per file) and what was rejected (one row per unreadable row)."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.imports = w.HTML()
        self.rejects = w.HTML()
        self.ui = w.VBox([w.HTML("<h4>Imported files</h4>"), self.imports,
                          w.HTML("<h4>Rows NOT imported (rejected), with the reason</h4>"), self.rejects])
        self.refresh()

    @property
    def value(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        return self.case.table("imports"), self.case.table("rejects")

    def refresh(self) -> None:
        imports, rejects = self.value
        self.imports.value = html_table(
            imports[["import_id", "at", "file", "format", "list_kind", "account", "list_order", "evidence_id", "rows",
                     "rejected"]],
            empty="Nothing imported yet.", timezone=self.case.timezone)
        self.rejects.value = html_table(rejects[["import_id", "file", "row", "column", "value", "reason"]],
                                        empty="No rejected rows.", timezone=self.case.timezone)


class ListImporter(_Panel):
    """Import a list: upload a file (CSV, XLSX, a platform export) or paste a list of handles.

    ``.value`` is the last :class:`~investigate.importer.ImportResult`.
    """

    def __init__(self, case: Case, *, view: ImportsView | None = None) -> None:
        from .loaders import LIST_KINDS, formats

        self.case = case
        self.value: Any = None
        self.view = view
        self.upload = w.FileUpload(multiple=False, description="Choose file")
        self.paste = w.Textarea(placeholder="Paste a list here: one @name or profile link per line",
                                layout=w.Layout(width="60%", height="12em"))
        self.source = w.Tab(children=[self.upload, self.paste])
        self.source.set_title(0, "Upload a file")
        self.source.set_title(1, "Paste a list")
        self.platform = w.Dropdown(options=PLATFORMS, description="Platform")
        self.account = w.Text(description="Whose list", placeholder="@handle of the account")
        self.list_kind = w.Dropdown(options=LIST_KINDS, description="The list is")
        self.order = w.Dropdown(options=[("choose how the list was sorted", None), *LIST_ORDER_CHOICES],
                                value=None, description="Sorted", layout=_WIDE)
        self.order_hint = w.HTML(f"<i>{esc(ORDER_HINT)}</i>")
        self.format = w.Dropdown(options=("auto", *formats()), description="Format")
        self.skip_bad = w.Checkbox(description="Import the readable rows and list the others as rejected",
                                   value=True, layout=w.Layout(width="auto"))
        self.button = w.Button(description="Import", button_style="primary")
        self.status = Status()
        self.button.on_click(lambda _: self.import_from_form())
        self.ui = w.VBox([self.source, self.platform, self.account, self.list_kind, self.order, self.order_hint,
                          self.format, self.skip_bad,
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
        from .importer import import_file

        if self.list_kind.value in ("followers", "following") and self.order.value is None:
            self.status.say(f"Say how the list was sorted when you took it. {ORDER_HINT}", kind="error")
            return None
        with self.status.busy(f"Importing {Path(name).name}"), tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / (Path(name).name or "upload")
            path.write_bytes(content)
            try:
                result = import_file(self.case, path, format=format or self.format.value,
                                     platform=self.platform.value, account=self.account.value or None,
                                     list_kind=self.list_kind.value, order=self.order.value,
                                     skip_bad_rows=self.skip_bad.value)
            except InputError:
                if self.view is not None:
                    self.view.refresh()
                raise
            self.value = result
        if self.value is not None:
            text = self.value.summary()
            self.status.say(text, kind="error" if self.value.problems else "ok")
        if self.view is not None:
            self.view.refresh()
        return self.value


# ------------------------------------------------------------------------------------ 02 chronology
class EventForm(_Panel):
    """Add an event to the chronology (a report made, a meeting, a takedown...). ``.value``: count added."""

    def __init__(self, case: Case, *, on_added: Callable[[], None] | None = None) -> None:
        self.case = case
        self.value = 0
        self.on_added = on_added
        self.at = w.Text(description="When", placeholder="day first, e.g. 27/11/2025 13:05 (case time zone)")
        self.at_words = said_back(self.at, lambda text: echo(text, case.timezone))
        self.precision = w.Dropdown(options=("exact", "day", "approximate"), description="Precision")
        self.kind = w.Combobox(options=EVENT_KINDS, description="Kind", placeholder="choose or type")
        self.summary = w.Textarea(description="What", placeholder="facts only: who did what", layout=_WIDE)
        self.accounts = w.Text(description="Accounts", placeholder="@handles, comma-separated")
        self.button = w.Button(description="Add to chronology", button_style="primary")
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
        keys = ",".join(k for k in (handle_key(a) for a in accounts.split(",")) if k)
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
        self.kinds = w.SelectMultiple(description="Kinds", rows=6)
        self.account = w.Dropdown(description="Account")
        # typed day first (a browser's date picker shows the computer's own order, often month first)
        self.start = w.Text(description="From", placeholder="day first, e.g. 01/11/2025", continuous_update=False)
        self.end = w.Text(description="To", placeholder="day first, e.g. 30/11/2025", continuous_update=False)
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
        from .casework import case_chronology
        from .plots import plot_timeline

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


def select_events(chronology: pd.DataFrame, *, kinds: Sequence[str] = (), account: str | None = None,
                  start: Any = None, end: Any = None) -> pd.DataFrame:
    """The rows of a chronology matching the filters (dates are days in the case's zone, inclusive).

    >>> c = pd.DataFrame({"kind": ["post", "report made"], "accounts": ["a,b", "c"],
    ...                   "at_local": pd.to_datetime(["2025-11-01 10:00", "2025-11-03 09:00"])})
    >>> select_events(c, account="b")["kind"].tolist()
    ['post']
    >>> len(select_events(c, kinds=["report made"], start="2025-11-02"))
    1
    """
    if chronology.empty:
        return chronology
    keep = pd.Series(True, index=chronology.index)
    if kinds:
        keep &= chronology["kind"].isin(list(kinds))
    if account:
        listed = chronology["accounts"].fillna("").astype(str).str.split(",")
        keep &= listed.map(lambda keys: account in keys).astype(bool)
    local = pd.to_datetime(chronology["at_local"])
    if local.dt.tz is not None:
        local = local.dt.tz_localize(None)
    day = local.dt.normalize()
    if start:
        keep &= day >= pd.Timestamp(start)
    if end:
        keep &= day <= pd.Timestamp(end)
    return chronology[keep.fillna(False)]


def _tables(case: Case, *names: str) -> list[pd.DataFrame]:
    return [case.table(name) for name in names]


# ------------------------------------------------------------------------------------ 03 overlap and leads
class SubjectPicker(_Panel):
    """Pick the subject account; the step views below it (mutuals, overlap, graph, leads) follow.

    ``.value`` is the chosen account's handle key; :attr:`overview` its
    :class:`~investigate.overview.SubjectOverview` (the same computation the report shows).
    """

    def __init__(self, case: Case) -> None:
        self.case = case
        self.dropdown = w.Dropdown(options=_account_options(case), description="Subject", layout=_WIDE,
                                   style={"description_width": "initial"})
        self.status = Status()
        self.overview: Any = None
        self._views: list[Callable[[], None]] = []
        self.dropdown.observe(lambda _: self.refresh(), "value")
        self.ui = w.VBox([self.dropdown, self.status.ui])
        self.refresh()

    @property
    def value(self) -> str | None:
        return self.dropdown.value

    def follow(self, refresh: Callable[[], None]) -> None:
        """Call ``refresh`` whenever another subject is chosen (the step views use this)."""
        self._views.append(refresh)

    def refresh(self) -> None:
        self.overview = None
        if self.value:
            with self.status.busy(f"Working out mutuals, lookalikes, overlap and leads for @{self.value}"):
                from .overview import subject_overview

                rel, inter, posts, accounts, people = _tables(self.case, "relationships", "interactions", "posts",
                                                              "accounts", "people")
                self.overview = subject_overview(rel, inter, posts, accounts, people, subject=self.value)
        for refresh in self._views:
            refresh()


class _StepView(_Panel):
    """One step of notebook 03 over a :class:`SubjectPicker`'s overview (redrawn when it changes)."""

    def __init__(self, picker: SubjectPicker) -> None:
        self.picker = picker
        self.output = Area()
        self.shown: list[go.Figure | w.Widget | str] = []
        self.ui = self.output.ui
        picker.follow(self.refresh)
        self.refresh()

    @property
    def value(self) -> Any:
        return self.picker.overview

    def refresh(self) -> None:
        view = self.picker.overview
        if view is None:
            self.output.show("<p><i>No accounts in this case yet: log the account under investigation "
                             "and import its followers and following lists in notebook 01.</i></p>")
            return
        self.shown = self.items(view)
        self.output.show(*self.shown)

    def items(self, view: Any) -> list[go.Figure | w.Widget | str]:
        raise NotImplementedError

    def table(self, df: pd.DataFrame, **options: Any) -> str:
        return html_table(df, timezone=self.picker.case.timezone, **options)


class MutualsView(_StepView):
    """Step 1: the accounts on both the subject's followers and following lists."""

    def items(self, view: Any) -> list[go.Figure | w.Widget | str]:
        mutual = view.mutuals.assign(account="@" + view.mutuals["handle_key"].astype(str))
        return [f"<h3>On both lists of @{esc(view.subject)} ({len(mutual):,})</h3>",
                self.table(mutual[["account", "follower_position", "following_position", "followed_at"]],
                           max_rows=100, empty="No account is on both lists (or the lists are not imported yet).")]


class OverlapView(_StepView):
    """Step 2: the lookalike (copycat) accounts, how they differ, and how their followers overlap."""

    def items(self, view: Any) -> list[go.Figure | w.Widget | str]:
        from . import plots

        items: list[go.Figure | w.Widget | str] = [
            f"<h3>Lookalikes of @{esc(view.subject)} ({len(view.lookalikes):,})</h3>",
            self.table(view.lookalikes[["handle", "how", "difference"]], empty="No lookalike handle is in the case.")]
        if len(view.compared) > 1:
            items += [plots.plot_overlap_matrix(view.matrix, title="Shared followers (Jaccard)"),
                      plots.plot_upset(view.combinations, top=10, title="Who follows which account")]
        return items


class GraphView(_StepView):
    """Step 3: the accounts around the subject, coloured by role (subject, lookalike, top lead, mutual)."""

    def items(self, view: Any) -> list[go.Figure | w.Widget | str]:
        from . import plots

        if not view.graph.number_of_nodes():
            return ["<p><i>No follows or interactions around this account yet.</i></p>"]
        return [f"<h3>Accounts around @{esc(view.subject)} ({view.graph.number_of_nodes():,} of "
                f"{view.graph_total:,})</h3>", plots.plot_graph(view.graph, groups=view.groups,
                                                              title="Follows and interactions")]


class LeadsView(_StepView):
    """Step 4: the ranked leads with their reasons (leads, not findings)."""

    def __init__(self, picker: SubjectPicker, *, top: int = 20) -> None:
        self.top = top
        super().__init__(picker)

    def items(self, view: Any) -> list[go.Figure | w.Widget | str]:
        from . import plots
        from .leads import LEADS_STATEMENT

        ranked = view.leads.head(self.top)
        items: list[go.Figure | w.Widget | str] = [
            f"<h3>Leads for @{esc(view.subject)} ({len(view.leads):,} in all)</h3>"
            f"<p style='font-weight:bold;color:#b00020'>{esc(LEADS_STATEMENT)}</p>"]
        if not ranked.empty:
            items.append(plots.plot_leads(ranked))
        items.append(self.table(_leads_for_display(ranked), empty="No leads: import the subject's followers and "
                                "following lists, and the comments on its posts."))
        return items


def _leads_for_display(leads: pd.DataFrame) -> pd.DataFrame:
    if leads.empty:
        return leads
    return leads[[c for c in ("rank", "handle", "score", "reasons") if c in leads.columns]]


# ------------------------------------------------------------------------------------ 04 posting patterns
class SchoolDayForm(_Panel):
    """The school day and term dates (kept in case.toml), and the posting heatmap against them.

    ``.value`` is the settings as saved: ``{"school_day": {...}, "terms": {...}}`` (the
    ``to_dict`` forms of :class:`~investigate.patterns.SchoolDay` and :class:`~investigate.patterns.Terms`).
    """

    def __init__(self, case: Case) -> None:
        from .patterns import WEEKDAYS, SchoolDay, Terms

        self.case = case
        day = SchoolDay.from_dict(case.config.get("school_day"))
        terms = Terms.from_dict(case.config.get("terms"))
        self.periods = w.Textarea(
            value="\n".join(f"{p.name}, {p.start}, {p.end}, {p.kind}" for p in day.periods),
            description="School day", placeholder="one slot per line: name, start, end, lesson/break/lunch",
            layout=w.Layout(width="60%", height="12em"))
        self.days = w.SelectMultiple(options=[(d, i) for i, d in enumerate(WEEKDAYS)], value=tuple(day.school_days),
                                     description="School days", rows=7)
        self.terms = w.Textarea(value="\n".join(", ".join(t) for t in terms.terms), description="Terms",
                                placeholder="one term per line: Autumn 2025, 03/09/2025, 19/12/2025",
                                layout=w.Layout(width="60%", height="6em"))
        self.terms_words = said_back(self.terms, _days_said)
        self.holidays = w.Textarea(value="\n".join(", ".join(t) for t in terms.holidays), description="Holidays",
                                   placeholder="half terms, INSET days: Half term, 27/10/2025, 31/10/2025",
                                   layout=w.Layout(width="60%", height="6em"))
        self.holidays_words = said_back(self.holidays, _days_said)
        self.account = w.Dropdown(options=[("All accounts", "")] + _account_options(case), description="Account",
                                  layout=_WIDE)
        self.button = w.Button(description="Save and redraw", button_style="primary")
        self.status = Status()
        self.output = Area()
        self.button.on_click(lambda _: self.save())
        self.account.observe(lambda _: self.refresh(), "value")
        self.ui = w.VBox([self.periods, self.days, self.terms, self.terms_words, self.holidays, self.holidays_words,
                          self.button, self.status.ui,
                          self.account, self.output.ui])
        self.refresh()

    @property
    def value(self) -> dict[str, Any]:
        return {"school_day": dict(self.case.config.get("school_day", {})),
                "terms": dict(self.case.config.get("terms", {}))}

    def save(self) -> bool:
        """Check the form and keep it in case.toml (audited), then redraw. True when saved."""
        from .patterns import SchoolDay, Terms

        saved = False
        with self.status.busy("Saving the school day and terms"):
            periods = [dict(zip(("name", "start", "end", "kind"), row, strict=False))
                       for row in _lines(self.periods.value, "School day", 3, 4)]
            day = _checked(lambda: SchoolDay.from_dict({"periods": periods, "school_days": list(self.days.value)}),
                           "School day: write times as 08:40 and kinds as lesson, break, lunch or registration.")
            rows = {key: [{"name": name, "start": read_day(start, what=f"{label}, {name}: the first day"),
                           "end": read_day(end, what=f"{label}, {name}: the last day")}
                          for name, start, end in _lines(box.value, label, 3, 3)]
                    for key, box, label in (("terms", self.terms, "Terms"), ("holidays", self.holidays, "Holidays"))}
            terms = Terms.from_dict(rows)
            self.case.set_config(school_day=day.to_dict(), terms=terms.to_dict())
            saved = True
        if saved:
            self.refresh()
        return saved

    def refresh(self) -> None:
        from . import plots
        from .patterns import SchoolDay, Terms, pattern_summary, posting_heatmap

        with self.status.busy("Drawing posting patterns"):
            posts = self.case.table("posts")
            if self.account.value:
                posts = posts[posts["account"] == self.account.value]
            day = SchoolDay.from_dict(self.case.config.get("school_day"))
            terms = Terms.from_dict(self.case.config.get("terms"))
            if posts.empty:
                self.output.show("<p><i>No posts in this case yet: import the account's posts in notebook 01.</i></p>")
                return
            heatmap = posting_heatmap(posts, timezone=self.case.timezone)
            summary = pattern_summary(posts, school_day=day, terms=terms, timezone=self.case.timezone)
            self.output.show(plots.plot_heatmap(heatmap, school_day=day), html_table(summary))


def _lines(text: str, label: str, least: int, most: int) -> list[list[str]]:
    """Comma-separated lines of a text box, each with ``least`` to ``most`` parts (else InputError)."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(",")]
        if not least <= len(parts) <= most:
            raise InputError(f"{label}, line {number}: expected {least} to {most} parts separated by commas, "
                             f"found {line.strip()!r}.")
        rows.append(parts)
    return rows


def _days_said(text: str) -> str:
    """Each line of a terms or holidays box said back: ``Autumn 2025: Wednesday 3 September 2025 to ...``."""
    said = []
    for line in text.splitlines():
        parts = [part.strip() for part in line.split(",")]
        if len(parts) != 3 or not all(parts):
            continue
        try:
            said.append(f"{parts[0]}: {day_in_words(read_day(parts[1]))} to {day_in_words(read_day(parts[2]))}")
        except DateError as err:
            said.append(f"{parts[0]}: not saved as it is: {err}")
    return "; ".join(said)


def _checked(make: Callable[[], Any], message: str) -> Any:
    try:
        return make()
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{message} ({exc})") from None


# ------------------------------------------------------------------------------------ 05 actions
class ActionsPanel(_Panel):
    """The actions and decisions log: add an action, update one, see what is overdue.

    ``.value`` is the actions table with an ``overdue`` column.
    """

    def __init__(self, case: Case) -> None:
        self.case = case
        self.kind = w.Dropdown(options=[(k.label, k.kind) for k in ACTION_KINDS], description="Action",
                               layout=_WIDE)
        self.what = w.Textarea(description="What", layout=w.Layout(width="60%", height="6em"))
        self.who = w.Text(description="Who", value=current_user())
        self.at = w.Text(description="When", placeholder="blank = now; day first, e.g. 27/11/2025 13:05")
        self.at_words = said_back(self.at, lambda text: echo(text, case.timezone))
        self.due = w.HTML()
        self.add_button = w.Button(description="Log action", button_style="primary")
        self.action_id = w.Dropdown(description="Action no.")
        self.new_status = w.Dropdown(options=("open", "done", "cancelled"), description="Status")
        self.outcome = w.Text(description="Outcome", layout=_WIDE)
        self.update_button = w.Button(description="Update action")
        self.checklist = [w.Checkbox(description=item, layout=w.Layout(width="auto"))
                          for item in PREVENTION_CHECKLIST]
        self.prevention_button = w.Button(description="Record ticked prevention steps")
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
        return mark_overdue(self.case.table("actions"), now=pd.Timestamp.now(tz="UTC"))

    def _prompt(self) -> None:
        item = action_kind(self.kind.value)
        self.what.value = item.prompt
        self.due.value = (f"<i>A follow-up will be due {esc(item.follow_up)} after the action.</i>"
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
    """The actions log in words: times in the case's zone, when each open action is due."""
    due = [due_in(d, now=now) if status == "open" else "" for d, status in
           zip(actions["due"], actions["status"].fillna("open"), strict=True)]
    shown = actions.assign(overdue=actions["overdue"].map({True: "OVERDUE", False: ""}), due_in=due)
    return plain_table(shown, timezone=timezone)


# ------------------------------------------------------------------------------------ 06 findings
class FindingsPanel(_Panel):
    """The findings record: write an entry in your own words, or correct one (a new entry that amends
    it; nothing is edited). ``.value`` is the record (:func:`investigate.findings.findings_record`)."""

    def __init__(self, case: Case) -> None:
        from .findings import SECTION_TITLES

        self.case = case
        self.section = w.Dropdown(options=[(t, s) for s, t in SECTION_TITLES.items()], description="Part",
                                  layout=_WIDE)
        self.text = w.Textarea(description="Entry", layout=w.Layout(width="60%", height="7em"),
                               placeholder="In your own words: what you found, did or decided.")
        self.reasons = w.Textarea(description="Reasons", layout=w.Layout(width="60%", height="4em"),
                                  placeholder="Why (for a decision: the reasons for it).")
        self.who = w.Text(description="Who", value=current_user())
        self.amends = w.Dropdown(description="Corrects", layout=_WIDE)
        self.button = w.Button(description="Add to the findings record", button_style="primary")
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
        from .findings import findings_record

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
        from .findings import SECTION_TITLES

        record = self.value
        self.amends.options = [("(a new entry)", None)] + [
            (f"{r.finding_id}: {str(r.text)[:60]}", int(r.finding_id)) for r in record[record["current"]].itertuples()]
        shown = record.assign(part=record["section"].map(SECTION_TITLES),
                              state=record["amended_by"].map(lambda n: f"corrected by {n}" if pd.notna(n) else ""))
        cols = ["finding_id", "part", "text", "reasons", "who", "at", "amends", "state"]
        self.table.value = html_table(shown[cols], timezone=self.case.timezone,
                                      empty="Nothing recorded yet: start with the summary of the concern.")


class PackPanel(_Panel):
    """Write a referral pack (HTML and DOCX, internal or redacted) and see the tracker. ``.value``: files written."""

    def __init__(self, case: Case) -> None:
        from .packs import PACK_KINDS

        self.case = case
        self.value: list[Path] = []
        labels = {"lado": "LADO (one per member of staff)", "police": "Police (101 / 999)",
                  "platform": "Platform report (per platform and person, or the school's logo)",
                  "rhc": "Report Harmful Content and POSH", "staff": "Staff support record",
                  "learner": "Note for the learner's file (needs a recorded decision)"}
        self.kind = w.Dropdown(options=[(labels[k], k) for k in PACK_KINDS], description="Pack", layout=_WIDE)
        self.person = w.Dropdown(description="About", layout=_WIDE)
        self.redact = w.Checkbox(description="Redacted (people replaced by pseudonyms)", layout=w.Layout(width="auto"))
        self.button = w.Button(description="Write the pack", button_style="primary")
        self.sent_id = w.Dropdown(description="Item no.")
        self.when = w.Text(description="When", placeholder="e.g. 24/10/2025 10:00")
        self.reference = w.Text(description="Reference")
        self.route = w.Text(description="Route", placeholder="impersonation, privacy, harassment, copyright, 101 ...")
        self.sent_button = w.Button(description="Record: report made")
        self.answered_button = w.Button(description="Record: reply received")
        self.system = w.Dropdown(options=[("CPOMS", "cpoms"), ("MyConcern", "myconcern")], description="System")
        self.export_button = w.Button(description="Export chronology, actions and summary")
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
        from .packs import write_packs

        with self.status.busy(f"Writing the {kind} pack"):
            people = [person] if person and person != "school" else []
            self.value = write_packs(self.case, kind, people=people, school=person == "school", redact=redact)
            self.result.value = "<p>Written (fill every highlighted TO FILL gap before sending):</p><ul>" + "".join(
                f"<li><code>{esc(path)}</code></li>" for path in self.value) + "</ul>"
        self.refresh()
        return self.value

    def export(self, system: str, *, redact: bool = False) -> list[Path]:
        """Write the CPOMS/MyConcern export (chronology.csv, actions.csv, summary.txt) into the exports folder."""
        from .packs.export import write_export

        with self.status.busy(f"Exporting for {system}"):
            self.value = write_export(self.case, system, redact=redact)
            self.result.value = (f"<p>Written to <code>{esc(self.value[0].parent)}</code>: attach the CSV files to "
                                 "the record and paste summary.txt into its notes.</p>")
        return self.value

    def record(self, action_id: int | None, *, sent: str = "", answered: str = "", reference: str = "",
               route: str = "") -> None:
        """Record that a tracked report was made (``sent``) or answered, with its reference and route."""
        from . import tracker

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
        from .tracker import track

        people = self.case.table("people")
        self.person.options = [("(as in earlier drafts)", None), ("The school (its name and logo)", "school")] + [
            (f"{r.name} ({r.role})", str(r.person_id)) for r in people.itertuples(index=False)]
        rows = track(self.case.table("actions"), now=pd.Timestamp.now(tz="UTC"), zone=self.case.timezone)
        self.sent_id.options = [(f"{r.action_id}: {r.label} ({r.stage})", int(r.action_id))
                                for r in rows.itertuples(index=False)]
        late = rows["overdue"].astype(bool)
        shown = rows[["action_id", "label", "platform", "route", "reference", "stage", "due", "next_step"]].assign(
            overdue=late.map({True: "OVERDUE", False: ""}))
        self.table.value = html_table(shown, highlight=late,
                                      empty="Nothing tracked yet: write a pack, or log a report above.")


# ------------------------------------------------------------------------------------ 06 report
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
        self.button = w.Button(description="Write the report", button_style="primary")
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
        from .report import write_report

        target = Path(path) if path else self.default_path(redact=redact)
        with self.status.busy(f"Writing the {'redacted' if redact else 'internal'} report"):
            self.value = write_report(self.case, target, redact=redact, progress=self._progress)
            from .steps import report_url

            link = (f" <a href='{esc(report_url(self.value.name))}' target='_blank' rel='noopener'>Open the report</a>"
                    if self.value.parent.resolve() == self.case.exports_dir.resolve() else "")
            self.result.value = (f"<p>Report written: <code>{esc(self.value)}</code> "
                                 f"({self.value.stat().st_size:,} bytes).{link}" + (
                                     " Open it in Word or LibreOffice.</p>" if self.value.suffix == ".docx" else
                                     " It opens in any web browser and needs no internet connection.</p>"))
        return self.value


# ------------------------------------------------------------------------------------ small views
def case_summary(case: Case) -> pd.DataFrame:
    """How many rows each part of the case holds (for the start page)."""
    labels = {"evidence": "evidence files", "accounts": "accounts", "relationships": "follower/following links",
              "posts": "posts", "interactions": "comments, likes, reshares...", "events": "chronology events",
              "people": "people (sensitive)", "actions": "actions and decisions", "imports": "imported files",
              "rejects": "rows rejected on import"}
    return pd.DataFrame({"what": list(labels.values()), "rows": [case.count(t) for t in labels]})


def evidence_table(case: Case) -> pd.DataFrame:
    """The evidence register, as shown to the analyst."""
    cols = ["evidence_id", "original_name", "sha256", "captured_by", "captured_at", "source_url", "description"]
    return plain_table(case.table("evidence"), timezone=case.timezone, columns=cols)


def overdue_actions(case: Case) -> pd.DataFrame:
    """Open actions whose follow-up date has passed (:func:`investigate.tracker.overdue`)."""
    from .tracker import overdue

    return overdue(case)


def verify_box(case: Case) -> w.HTML:
    """The result of checking every evidence file against its SHA-256, and the audit chain."""
    from .evidence import verify

    result = verify(case)
    if result.ok:
        return w.HTML(f"<p style='color:#1b5e20'><b>OK</b>: {result.checked} evidence file(s) match their "
                      "SHA-256 fingerprints; the audit log is intact.</p>")
    items = "".join(f"<li>{esc(p)}</li>" for p in result.problems)
    return w.HTML(f"<div style='color:#b00020'><b>Problems found</b> ({len(result.problems)}):<ul>{items}</ul></div>")


class TrainingAnswer(_Panel):
    """Reveals the training case's answer key, only when the trainer asks. ``.value``: the text shown."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.value = ""
        self.confirm = w.Checkbox(description="I am the trainer and the session is over",
                                  layout=w.Layout(width="auto"))
        self.button = w.Button(description="Reveal the answer", button_style="warning", disabled=True)
        self.output = w.HTML()
        self.confirm.observe(lambda change: setattr(self.button, "disabled", not change["new"]), "value")
        self.button.on_click(lambda _: self.reveal())
        self.ui = w.VBox([self.confirm, self.button, self.output])

    def reveal(self) -> str:
        """Show the answer key (as escaped text)."""
        from .training import reveal_answer

        try:
            self.value = str(reveal_answer(self.case))
        except InvestigateError as exc:
            self.value = str(exc)
        import mistune

        page = mistune.create_markdown(escape=True, plugins=["table"])(self.value)  # no HTML from the text
        self.output.value = f"<div style='border:2px solid #e65100;padding:8px'>{page}</div>"
        return self.value


def _text(value: Any) -> str:
    """A cell as plain text ('' for missing values)."""
    return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)
