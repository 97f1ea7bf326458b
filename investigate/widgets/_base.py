"""What every panel shares: the table view, output areas, status line, the case header."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from IPython.display import display

from ..case import Case, current_user
from ..errors import InvestigateError
from ..html import TABLE_CSS, esc, table
from ..plain import plain_table
from ..schema import PLATFORMS as PLATFORMS  # the panels' platform lists (defined with the tables)
from ..steps import NOTEBOOKS
from ..words import is_missing

log = logging.getLogger("investigate")

EVENT_KINDS = ("account created", "post", "comment", "report made", "platform reply", "takedown",
               "meeting", "referral", "disclosure", "other")
_WIDE = w.Layout(width="60%")
#: room for a field's description ("Captured at", "Shown name") so it is never cut off
LABELLED: dict[str, str] = {"description_width": "9em"}
START_PAGE = NOTEBOOKS[0]


#: a panel's table never wider than the page: long texts (links, fingerprints) wrap anywhere, and a table
#: still too wide scrolls sideways inside its box
WRAP_CSS = ("<style>.inv-wrap{max-width:100%;overflow-x:auto}"
            ".inv-wrap table.inv-table td:not(.num){overflow-wrap:anywhere;min-width:6em}</style>")


def button(description: str, **options: Any) -> w.Button:
    """A button as wide as its words (the default width cuts long descriptions off), not the page's width."""
    return w.Button(description=description, layout=w.Layout(width="auto", align_self="flex-start"), **options)


def who_default(case: Case) -> str:
    """Who is at work on the case, for a 'Who' field: the case's analyst, else the computer's login name."""
    return str(case.config.get("analyst") or "").strip() or current_user()


def html_table(df: pd.DataFrame, *, highlight: pd.Series | None = None, max_rows: int = 200,
               empty: str = "Nothing recorded yet.", timezone: str | None = None) -> str:
    """A frame as an HTML table (:func:`investigate.html.table`: every cell escaped, numbers right-aligned),
    with its class-scoped style; rows where ``highlight`` is True (same order as ``df``) are marked.

    With ``timezone``, the table is shown plain (:func:`investigate.plain.plain_table`): headers in
    words, times in that zone to the minute. Past ``max_rows`` rows, a line says how many are left out.
    """
    if timezone is not None and not df.empty:
        df = plain_table(df, timezone=timezone)
    marks = None
    if highlight is not None:
        flags = [bool(flag) if pd.notna(flag) else False for flag in highlight.tolist()]
        marks = pd.Series(["inv-overdue" if flag else "" for flag in flags], index=df.index)
    shown = table(df, zone=timezone or "UTC", row_class=marks, max_rows=max_rows, empty=empty).html
    return f"{TABLE_CSS}{WRAP_CSS}<div class='inv-wrap'>{shown}</div>"


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


class Status:
    """A status line and a progress bar, for steps that take more than a moment."""

    def __init__(self) -> None:
        self.text = w.HTML("")
        self.bar = w.IntProgress(value=0, min=0, max=1, layout=w.Layout(width="40%", visibility="hidden"))
        self.ui = w.HBox([self.bar, self.text])

    def _ipython_display_(self) -> None:
        display(self.ui)

    def clear(self) -> None:
        """Empty the line (what it said is out of date: the case changed elsewhere)."""
        self.text.value = ""
        self.bar.layout.visibility = "hidden"

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
        except Exception as exc:  # a fault of the kit: say so on screen (never a bar left running), then raise
            self.bar.bar_style = "danger"
            self.say(f"{text} stopped with an unexpected error ({type(exc).__name__}: {exc}). What earlier "
                     "steps saved is kept; please report this.", kind="error")
            log.exception("%s failed", text)
            raise
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


def after_change(*panels: Any) -> Callable[[], None]:
    """A callback for a panel's ``on_imported`` or ``on_marked``: redraws each of ``panels`` from the case
    and clears the status line of its own last action (out of date now)."""
    def redraw() -> None:
        for panel in panels:
            panel.refresh()
            if isinstance(getattr(panel, "status", None), Status):
                panel.status.clear()
    return redraw


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


def _text(value: Any) -> str:
    """A cell as plain text ('' for missing values)."""
    return "" if is_missing(value) else str(value)
