"""The one safe HTML builder, for the report and the widgets: every value escaped, nothing from a case
marked safe.

Builders return :class:`Html` objects; Jupyter shows them through ``_repr_html_`` (no IPython
import needed). Tables put text left-aligned and numbers right-aligned, columns sized to their
content, full texts wrapped (never cut), times in the case's zone, UK day first, without seconds. Figures are
written with ``plotly.io.to_html`` without plotly.js (the report template embeds it once), and
figure text stays data, never markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import numpy as np
import pandas as pd

from .plain import count, format_time  # noqa: F401 - the report's builders, here with the others
from .words import is_missing

#: the attribute naming a figure's trace types, so the report embeds only the plotly.js it needs
TRACES_ATTRIBUTE: Final = "data-plotly-traces"
#: plotly options for figures in a report: no logo, no link to an online editor.
PLOTLY_CONFIG: dict[str, Any] = {"displaylogo": False, "responsive": True,
                                 "showSendToCloud": False}


class Html:
    """A piece of report HTML, built by this module from escaped parts."""

    __slots__ = ("html",)

    def __init__(self, html_text: str) -> None:
        self.html = html_text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:  # keeps the plain-text output of a report cell short
        return f"<report section, {len(self.html):,} characters of HTML>"

    def __str__(self) -> str:
        return self.html

    def __add__(self, other: Html) -> Html:
        return Html(self.html + other.html)


def esc(value: object) -> str:
    """Text escaped for HTML (quotes too); missing values become an empty string.

    >>> esc('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    >>> esc(None), esc(pd.NA)
    ('', '')
    """
    if is_missing(value):
        return ""
    return html.escape(str(value), quote=True)


_BREAK_AFTER = re.compile(r"([_\-./\\])")


def breakable(value: object) -> Html:
    """Escaped text that may wrap after a separator (``_ - . /``), never inside a word: file names, URLs.

    >>> str(breakable("screenshot_<x>.png"))
    'screenshot_<wbr>&lt;x&gt;.<wbr>png'
    """
    return Html(_BREAK_AFTER.sub(r"\1<wbr>", esc(value)))


def join(parts: Iterable[Html]) -> Html:
    """One Html from several."""
    return Html("".join(p.html for p in parts))


def tag(name: str, content: object = "", *, cls: str | None = None, escape: bool = True) -> Html:
    """``<name class=cls>content</name>``; content is escaped unless it is already :class:`Html`."""
    inner = content.html if isinstance(content, Html) else (esc(content) if escape else str(content))
    klass = f' class="{esc(cls)}"' if cls else ""
    return Html(f"<{name}{klass}>{inner}</{name}>")


def para(text: object, *, cls: str | None = None) -> Html:
    return tag("p", text, cls=cls)


def bullets(items: Iterable[object], *, cls: str | None = None) -> Html:
    """An unordered list of escaped items (Html items kept as they are)."""
    return tag("ul", join(tag("li", i) for i in items), cls=cls)


def definition_list(items: Mapping[str, object]) -> Html:
    return tag("dl", join(tag("dt", k) + tag("dd", v) for k, v in items.items()), cls="inv-facts")


def text_table(headers: Iterable[object], rows: Iterable[Iterable[object]]) -> Html:
    """A table of texts already in words (a pack's), every cell escaped (Html cells kept as they are)."""
    head = join(tag("th", h) for h in headers)
    body = join(tag("tr", join(tag("td", c) for c in row)) for row in rows)
    return Html(f'<table class="inv-table"><thead><tr>{head.html}</tr></thead><tbody>{body.html}</tbody></table>')


#: the table style, for views without the report's stylesheet (the widgets): class-scoped.
TABLE_CSS = ("<style>table.inv-table{border-collapse:collapse;margin:.3em 0 .8em;width:auto;max-width:100%}"
             "table.inv-table th,table.inv-table td{border:1px solid #d1d5db;padding:.2em .5em;"
             "vertical-align:top;text-align:left;white-space:normal;overflow-wrap:break-word}"
             "table.inv-table td.num,table.inv-table th.num{text-align:right;white-space:nowrap}"
             "table.inv-table thead th{background:#f3f4f6}table.inv-table tr.inv-overdue td{background:#fee2e2}"
             "table.inv-table tr.inv-due td{background:#fef3c7}.inv-note,.inv-empty{color:#4b5563;"
             "font-style:italic}</style>")


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def table(
    df: pd.DataFrame,
    *,
    zone: str,
    columns: Mapping[str, str] | None = None,
    row_class: pd.Series | None = None,
    max_rows: int | None = None,
    empty: str = "Nothing recorded.",
    cell: Mapping[str, Callable[[Any], object]] | None = None,
    text: Callable[[str], object] | None = None,
    cls: str = "inv-table",
) -> Html:
    """An HTML table of a frame with every cell escaped and times shown in ``zone`` (no seconds).

    ``columns`` maps column -> heading (and picks the order); ``row_class`` gives a CSS class
    per row (same index as ``df``); ``cell`` maps a column to a function making its shown value
    (its result is escaped too, unless it is :class:`Html` built here); ``text`` is applied to every
    shown text (the report's redaction); ``max_rows`` keeps the first rows and says how many were left
    out. Number columns get ``class="num"`` (right-aligned); text stays left-aligned and wraps.

    >>> str(table(pd.DataFrame({"a": ["<b>x</b>"]}), zone="UTC"))[:84]
    '<table class="inv-table"><thead><tr><th>a</th></tr></thead><tbody><tr><td>&lt;b&gt;x'
    >>> '<td class="num">3</td>' in str(table(pd.DataFrame({"n": [3]}), zone="UTC"))
    True
    """
    if df is None or len(df) == 0:
        return para(empty, cls="inv-empty")
    columns = dict(columns) if columns else {c: c for c in df.columns}
    cell = dict(cell or {})
    shown = df if max_rows is None else df.head(max_rows)
    numeric = {c: c not in cell and pd.api.types.is_numeric_dtype(shown[c]) and
               not pd.api.types.is_bool_dtype(shown[c]) for c in columns}
    head = "".join(f'<th class="num">{esc(h)}</th>' if numeric[c] else f"<th>{esc(h)}</th>"
                   for c, h in columns.items())
    rows = []
    classes = None if row_class is None else row_class.reindex(shown.index)
    for idx, record in zip(shown.index, shown[list(columns)].itertuples(index=False, name=None), strict=True):
        tds = []
        for column, value in zip(columns, record, strict=True):
            if column in cell:
                value = cell[column](value)
            elif isinstance(value, pd.Timestamp):
                value = format_time(value, zone)
            elif isinstance(value, (list, tuple, np.ndarray)):
                value = Html("<br>".join(esc(text(str(v)) if text else v) for v in value))
            if text is not None and isinstance(value, str):
                value = text(value)
            markup = value.html if isinstance(value, Html) else esc(value)
            tds.append(f'<td class="num">{markup}</td>' if numeric[column] or (
                column not in cell and _is_number(value)) else f"<td>{markup}</td>")
        klass = classes.get(idx) if classes is not None else None
        klass_attr = f' class="{esc(klass)}"' if isinstance(klass, str) and klass else ""
        rows.append(f"<tr{klass_attr}>{''.join(tds)}</tr>")
    out = f'<table class="{esc(cls)}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    if max_rows is not None and len(df) > max_rows:
        out += para(f"Showing the first {max_rows:,} of {len(df):,} rows.", cls="inv-note").html
    return Html(out)


def figure(fig: Any, *, height: int | None = None) -> Html:
    """A plotly figure as a div and a small script (plotly.js itself comes from the template)."""
    import plotly.io as pio

    if height is not None:
        fig.update_layout(height=height)
    markup = pio.to_html(fig, include_plotlyjs=False, include_mathjax=False, full_html=False,
                         config=PLOTLY_CONFIG, default_height=f"{height or 450}px", default_width="100%")
    traces = " ".join(sorted({esc(trace.type) for trace in fig.data}))  # picks the page's plotly.js bundle
    return Html(f'<div class="inv-figure" {TRACES_ATTRIBUTE}="{traces}">{markup}</div>')
