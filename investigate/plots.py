"""Figures: analysis frames in, plotly figures out (never shown here).

Text from the case (handles, post text, reasons) goes into figures only as data - trace values,
hover text and ``customdata`` - which plotly escapes; no function builds HTML from it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final, Literal

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .chronology import LANES
from .network import graph_layout
from .patterns import SchoolDay

MARKER_SYMBOLS: Final = {"account created": "star", "first post": "diamond", "report made": "triangle-up",
                         "takedown": "x"}
MARKER_COLOURS: Final = {"account created": "#2a9d8f", "first post": "#264653", "report made": "#e76f51",
                         "takedown": "#9b2226"}
WEBGL_ABOVE: Final = 3000
#: a timeline lane with more rows than this is drawn as counts per time bin (at most TIMELINE_BINS)
TIMELINE_POINTS: Final = 500
TIMELINE_BINS: Final = 200
_BIN_WIDTHS: Final = tuple(pd.Timedelta(w) for w in ("1min", "5min", "15min", "1h", "3h", "6h", "12h", "1D", "7D",
                                                      "30D", "365D"))
#: time axis labels, UK day first and never with seconds, by the spacing of the ticks (milliseconds)
TIME_TICKS: Final = (
    {"dtickrange": [None, 86_400_000], "value": "%d/%m %H:%M"},
    {"dtickrange": [86_400_000, "M1"], "value": "%d/%m/%Y"},
    {"dtickrange": ["M1", None], "value": "%b %Y"},
)
#: the shortest time a timeline spans (so that no two ticks show the same minute)
MIN_TIME_SPAN: Final = pd.Timedelta(hours=2)
_HOVER_TEXT: Final = "%{customdata[0]}<br>%{customdata[1]}<extra></extra>"


def _empty(title: str, message: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(title=title, xaxis={"visible": False}, yaxis={"visible": False},
                      annotations=[{"text": message, "showarrow": False, "x": 0.5, "y": 0.5,
                                    "xref": "paper", "yref": "paper"}])
    return fig


def plot_timeline(chronology: pd.DataFrame, *, title: str = "Chronology", local: bool = True) -> go.Figure:
    """Chronology as lanes by kind, with markers for account creation, first post, reports and takedown.

    In: the frame from :func:`investigate.chronology.build_chronology`. One trace per lane
    (named after the lane) and one per marker kind (named after the marker). A lane of more than
    :data:`TIMELINE_POINTS` rows (a follower list of thousands) shows one marker per time bin,
    sized by its count, so the figure stays small whatever the size of the case.
    """
    if chronology.empty:
        return _empty(title, "Nothing dated in the case yet.")
    when = chronology["at_local"] if local else chronology["at"]
    fig = go.Figure()
    lanes = [lane for lane in LANES if (chronology["lane"] == lane).any()]
    marked = chronology["marker"].notna()
    for lane in lanes:
        rows = ((chronology["lane"] == lane) & ~(marked & (lane == "markers"))).to_numpy()
        if not rows.any():  # the markers lane holds only marked rows: the marker traces draw them
            continue
        if rows.sum() > TIMELINE_POINTS:
            fig.add_trace(_binned_lane(when[rows], lane))
            continue
        fig.add_trace(go.Scatter(
            x=when[rows].dt.tz_localize(None), y=[lane] * int(rows.sum()), mode="markers", name=lane,
            marker={"size": 9, "opacity": 0.7, "symbol": "circle"},
            customdata=_hover(_shown(when[rows]), chronology.loc[rows, "summary"]),
            hovertemplate=_HOVER_TEXT))
    for name in MARKER_SYMBOLS:
        rows = marked & (chronology["marker"] == name)
        if not rows.any():
            continue
        fig.add_trace(go.Scatter(
            x=when[rows].dt.tz_localize(None), y=["markers"] * int(rows.sum()), mode="markers", name=name,
            marker={"size": 16, "symbol": MARKER_SYMBOLS[name], "color": MARKER_COLOURS[name],
                    "line": {"width": 1, "color": "white"}},
            customdata=_hover(_shown(when[rows]), chronology.loc[rows, "summary"]),
            hovertemplate=_HOVER_TEXT))
    zone = str(when.dt.tz) if when.dt.tz is not None else "UTC"
    xaxis: dict[str, object] = {"tickformatstops": TIME_TICKS, "automargin": True}
    first, last = when.min().tz_localize(None), when.max().tz_localize(None)
    if last - first < MIN_TIME_SPAN:  # a new case's few minutes: ticks a minute apart would all read alike
        middle = first + (last - first) / 2
        xaxis["range"] = [middle - MIN_TIME_SPAN / 2, middle + MIN_TIME_SPAN / 2]
    fig.update_layout(title={"text": f"{_escape(title)} (times in {zone})"}, hovermode="closest", xaxis=xaxis,
                      yaxis={"categoryorder": "array", "categoryarray": list(reversed(lanes)), "title": ""},
                      legend={"orientation": "h", "y": -0.12, "yanchor": "top"}, margin={"b": 90})
    return fig


def plot_heatmap(heatmap: pd.DataFrame, *, school_day: SchoolDay | None = None,
                 title: str = "When posts were made (local time)") -> go.Figure:
    """Weekday x hour heatmap with the school day drawn over school days.

    In: the frame from :func:`investigate.patterns.posting_heatmap`. With ``school_day``, shaded
    bands mark lessons, break and lunch on school days (shapes, one per period per day).
    """
    z = heatmap.to_numpy()
    rows, columns = [str(d) for d in heatmap.index], [f"{h:02d}:00" for h in heatmap.columns]
    fig = go.Figure(_cells(z, rows, columns, colorscale="Blues", name="posts",
                           hovertemplate="%{customdata[0]} %{x}: %{customdata[1]} post(s)<extra></extra>"))
    if school_day is not None:
        colours = {"lesson": "rgba(231,111,81,0.9)", "registration": "rgba(231,111,81,0.9)",
                   "break": "rgba(42,157,143,0.9)", "lunch": "rgba(233,196,106,0.9)"}
        days = list(heatmap.index)
        for d in school_day.school_days:
            if d >= len(days):
                continue
            for p in school_day.periods:
                start = int(p.start[:2]) + int(p.start[3:5]) / 60
                end = int(p.end[:2]) + int(p.end[3:5]) / 60
                fig.add_shape(type="rect", x0=start - 0.5, x1=end - 0.5, y0=d - 0.45, y1=d + 0.45,
                              line={"width": 2, "color": colours.get(p.kind, "grey")}, fillcolor="rgba(0,0,0,0)",
                              layer="above", name=p.name)
        for kind, colour in (("lessons", colours["lesson"]), ("break", colours["break"]), ("lunch", colours["lunch"])):
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=kind, line={"color": colour, "width": 3}))
    fig.update_layout(title=title, xaxis_title="hour", yaxis={**_cell_rows(rows), "title": ""},
                      legend={"orientation": "h", "y": -0.2}, barmode="overlay")
    return fig


def _name(key: object, names: Mapping[str, str] | None) -> str:
    """An account's name in a figure (``names`` maps handle keys to it; default ``@key``), escaped."""
    return _escape(names.get(str(key), f"@{key}") if names else f"@{key}")


def _cells(z: np.ndarray, rows: list[str], columns: list[str], *, colorscale: str, name: str,
           hovertemplate: str, text: list[str] | None = None, customdata: np.ndarray | None = None) -> go.Bar:
    """A heatmap drawn as one bar per cell (row r spans r-0.5..r+0.5), coloured by its value.

    Bars instead of a heatmap trace: the report's small plotly.js bundle has bar, pie and scatter
    only. ``customdata`` rows default to (row label, value); lay the rows out with :func:`_cell_rows`.
    """
    values = np.asarray(z, dtype=float)
    r, c = np.divmod(np.arange(values.size), values.shape[1])
    if customdata is None:
        customdata = np.column_stack([np.asarray(rows, dtype=object)[r], values.ravel()])
    top = np.nanmax(values) if values.size and np.isfinite(values).any() else 0.0
    return go.Bar(x=[columns[i] for i in c], y=np.ones(values.size), base=r - 0.5, width=1.0, name=name,
                  marker={"color": values.ravel(), "colorscale": colorscale, "cmin": 0.0, "cmax": max(top, 1e-9),
                          "showscale": True, "line": {"width": 0}},
                  customdata=customdata, hovertemplate=hovertemplate, showlegend=False,
                  text=text, texttemplate="%{text}" if text is not None else None,
                  textposition="inside" if text is not None else None, insidetextanchor="middle")


def _cell_rows(rows: list[str]) -> dict[str, object]:
    """The y axis of :func:`_cells`: one tick per row, the first row at the top."""
    return {"tickmode": "array", "tickvals": list(range(len(rows))), "ticktext": rows,
            "range": [len(rows) - 0.5, -0.5], "zeroline": False, "showgrid": False}


def plot_overlap_matrix(overlap: pd.DataFrame, *, value: Literal["jaccard", "shared"] = "jaccard",
                        names: Mapping[str, str] | None = None,
                        title: str = "Overlap of the lists") -> go.Figure:
    """Square heatmap of the overlap between accounts' lists; hover shows counts and Jaccard.

    In: the frame from :func:`investigate.network.overlap_matrix`; ``names`` maps handle keys to the
    names shown (default ``@key``; every name is escaped, so it stays text).
    """
    if overlap.empty:
        return _empty(title, "No lists to compare.")
    order = list(dict.fromkeys(overlap["account_a"].tolist()))
    pivot = {c: overlap.pivot(index="account_a", columns="account_b", values=c).reindex(index=order, columns=order)
             for c in ("jaccard", "shared", "size_a", "size_b")}
    custom = np.dstack([pivot["shared"].to_numpy(dtype=float), pivot["size_a"].to_numpy(dtype=float),
                        pivot["size_b"].to_numpy(dtype=float), pivot["jaccard"].to_numpy(dtype=float)])
    labels = [_name(a, names) for a in order]
    z = pivot[value].to_numpy(dtype=float)
    rows = np.repeat(np.asarray(labels, dtype=object), len(labels))
    fig = go.Figure(_cells(
        z, labels, labels, colorscale="Purples", name=value,
        customdata=np.column_stack([rows, custom.reshape(-1, 4)]),
        text=[f"{v:.2f}" if value == "jaccard" else f"{int(v):,}" for v in z.ravel()],
        hovertemplate="%{customdata[0]} and %{x}: %{customdata[1]:,} shared of %{customdata[2]:,} and "
                      "%{customdata[3]:,} (share in common %{customdata[4]:.2f})<extra></extra>"))
    fig.update_layout(title=title, yaxis=_cell_rows(labels), barmode="overlay")
    return fig


def plot_upset(combinations: pd.DataFrame, *, top: int = 20, names: Mapping[str, str] | None = None,
               title: str = "Who is on which lists") -> go.Figure:
    """UpSet-style figure: bars of exclusive combination sizes over a dot matrix of the lists.

    In: the frame from :func:`investigate.network.set_combinations`; ``names`` as for
    :func:`plot_overlap_matrix`. Traces: "members" (bars),
    "lists" (dots, filled where a combination includes the list) and one line per combination.
    """
    if combinations.empty:
        return _empty(title, "No lists to compare.")
    sets = [c for c in combinations.columns if c not in ("degree", "count")]
    rows = combinations.head(top).reset_index(drop=True)
    x = list(range(len(rows)))
    labels = [" & ".join(_name(s, names) for s in sets if r[s]) for _, r in rows.iterrows()]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=x, y=rows["count"].astype(int), name="members", customdata=labels,
                         hovertemplate="%{customdata}: %{y:,} only here<extra></extra>", yaxis="y2",
                         marker_color="#264653"))
    dot_x, dot_y, dot_colour = [], [], []
    for i, r in rows.iterrows():
        for j, s in enumerate(sets):
            dot_x.append(i)
            dot_y.append(j)
            dot_colour.append("#264653" if r[s] else "#dddddd")
    fig.add_trace(go.Scatter(x=dot_x, y=dot_y, mode="markers", name="lists", marker={"size": 12, "color": dot_colour},
                             hoverinfo="skip", showlegend=False))
    for i, r in rows.iterrows():
        ys = [j for j, s in enumerate(sets) if r[s]]
        if len(ys) > 1:
            fig.add_trace(go.Scatter(x=[i, i], y=[min(ys), max(ys)], mode="lines", line={"color": "#264653"},
                                     hoverinfo="skip", showlegend=False, name="combination"))
    fig.update_layout(
        title=title, showlegend=False, bargap=0.3,
        xaxis={"visible": False},
        yaxis={"domain": [0, 0.35], "tickmode": "array", "tickvals": list(range(len(sets))),
               "ticktext": [_name(s, names) for s in sets], "range": [-0.5, len(sets) - 0.5]},
        yaxis2={"domain": [0.4, 1], "title": "accounts", "anchor": "x"})
    return fig


#: colours of the groups a graph can be coloured by (anything else: grey).
GROUP_COLOURS: Final = {"subject": "#d62828", "lookalike": "#f77f00", "top lead": "#1d4ed8",
                        "on both lists": "#2a9d8f", "other": "#9ca3af"}
#: the groups whose accounts a graph names on the picture (the rest are named on hover only).
LABELLED_GROUPS: Final = ("subject", "lookalike", "top lead")


def plot_graph(graph: nx.Graph, *, layout: pd.DataFrame | None = None, communities: pd.DataFrame | None = None,
               highlight: list[str] | None = None, groups: Mapping[str, str] | None = None,
               names: Mapping[str, str] | None = None, seed: int = 7,
               title: str = "Accounts and links") -> go.Figure:
    """Draw an account graph. Layout comes from :func:`investigate.network.graph_layout` (computed if
    not given, seeded); colours from :func:`investigate.network.communities` when given.

    With ``groups`` (handle key -> "subject", "lookalike", "top lead", "on both lists" or "other"),
    accounts are coloured by group with a legend, one trace per group, and the accounts of
    :data:`LABELLED_GROUPS` are labelled (the others on hover, so that labels do not pile up).
    ``names`` maps handle keys to the names shown (escaped). Uses WebGL (Scattergl) above 3000 nodes.
    Traces: "links", then "accounts" (or one per group), then "focus" when ``highlight`` names accounts.
    """
    if graph.number_of_nodes() == 0:
        return _empty(title, "No accounts to draw.")
    pos = (layout if layout is not None else graph_layout(graph, seed=seed)).set_index("handle_key")
    scatter = go.Scattergl if graph.number_of_nodes() > WEBGL_ABOVE else go.Scatter
    ex: list[float | None] = []
    ey: list[float | None] = []
    for u, v in graph.edges():
        ex += [pos.at[str(u), "x"], pos.at[str(v), "x"], None]
        ey += [pos.at[str(u), "y"], pos.at[str(v), "y"], None]
    fig = go.Figure()
    fig.add_trace(scatter(x=ex, y=ey, mode="lines", name="links", hoverinfo="skip",
                          line={"width": 0.5, "color": "rgba(120,120,120,0.5)"}))
    nodes = [str(n) for n in graph.nodes]
    degree = dict(graph.degree())
    comm = (communities.set_index("handle_key")["community"].reindex(nodes)
            if communities is not None and len(communities) else pd.Series(0, index=nodes))
    hover = {n: _name(n, names) + _escape(f" · {degree[n]} link{'' if degree[n] == 1 else 's'}"
                                          + (f" · group {int(c)}" if pd.notna(c) and c else ""))
             for n, c in zip(nodes, comm.tolist(), strict=True)}
    sizes = dict(zip(nodes, 6 + 10 * np.sqrt(np.array([degree[n] for n in nodes], dtype=float)
                                                / max(max(degree.values()), 1)), strict=True))
    if groups is None:
        fig.add_trace(scatter(x=pos.loc[nodes, "x"], y=pos.loc[nodes, "y"], mode="markers", name="accounts",
                              text=[hover[n] for n in nodes], hovertemplate="%{text}<extra></extra>",
                              marker={"size": [sizes[n] for n in nodes],
                                      "color": comm.fillna(0).astype(int).to_numpy(), "colorscale": "Turbo",
                                      "showscale": False}))
    else:
        for group in [*GROUP_COLOURS, *sorted(set(groups.values()) - set(GROUP_COLOURS))]:
            members = [n for n in nodes if groups.get(n, "other") == group]
            if not members:
                continue
            named = group in LABELLED_GROUPS
            fig.add_trace(scatter(
                x=pos.loc[members, "x"], y=pos.loc[members, "y"], mode="markers+text" if named else "markers",
                name=group, text=[_name(n, names) for n in members] if named else None,
                textposition=_label_sides(pos.loc[members]) if named else None, textfont={"size": 12},
                hovertext=[hover[n] for n in members], hovertemplate="%{hovertext}<extra></extra>",
                marker={"size": [max(sizes[n], 12 if named else 0) for n in members],
                        "color": GROUP_COLOURS.get(group, "#6b7280"), "line": {"width": 1, "color": "white"}}))
    if highlight:
        focus = [n for n in dict.fromkeys(highlight) if n in pos.index]
        fig.add_trace(scatter(x=pos.loc[focus, "x"], y=pos.loc[focus, "y"], mode="markers+text", name="focus",
                              text=[_name(n, names) for n in focus], textposition="top center",
                              marker={"size": 18, "symbol": "star", "color": "#e76f51"}, hoverinfo="text"))
    fig.update_layout(title=title, showlegend=groups is not None, hovermode="closest",
                      legend={"orientation": "h", "y": -0.05},
                      xaxis={"visible": False}, yaxis={"visible": False}, margin={"l": 10, "r": 10})
    return fig


def _label_sides(points: pd.DataFrame) -> list[str]:
    """Where each label goes: above or below its point and to the side away from the middle, so that
    the labels of a crowded centre spread out instead of piling up."""
    middle_x, middle_y = points["x"].median(), points["y"].median()
    return [("top " if y >= middle_y else "bottom ") + ("right" if x >= middle_x else "left")
            for x, y in zip(points["x"], points["y"], strict=True)]


def plot_leads(leads: pd.DataFrame, *, top: int = 20, names: Mapping[str, str] | None = None,
               reasons: Callable[[str], object] | None = None,
               title: str = "Leads to follow up (not findings)") -> go.Figure:
    """Horizontal bars of lead scores, best at the top, with the reasons in the hover text.

    In: the frame from :func:`investigate.leads.rank_leads`; ``names`` maps handle keys to the names
    shown (default ``@handle``), ``reasons`` rewrites each reason (the report's redaction). Every
    name and reason is escaped: axis labels are text, never markup.
    """
    if leads.empty:
        return _empty(title, "No leads: nothing in the case links another account to this one.")
    rows = leads.head(top)
    shown = ["<br>".join(_escape(reasons(r) if reasons else r) for r in rs) for rs in rows["reasons"]]
    labels = [_escape(names.get(str(k), f"@{h}")) if names else _escape(f"@{h}")
              for k, h in zip(rows["handle_key"], rows["handle"], strict=True)]
    fig = go.Figure(go.Bar(
        x=rows["score"].astype(float), y=labels, orientation="h", name="score",
        customdata=np.column_stack([rows["rank"].astype(int), shown]),
        hovertemplate="#%{customdata[0]} %{y}: score %{x}<br>%{customdata[1]}<extra></extra>",
        marker_color="#2a9d8f"))
    fig.update_layout(title=title, xaxis_title="score (sum of the reasons' points)",
                      yaxis={"autorange": "reversed"}, height=max(300, 28 * len(rows) + 120))
    return fig


def _binned_lane(when: pd.Series, lane: str) -> go.Scatter:
    """One marker per time bin (the narrowest width giving at most TIMELINE_BINS bins), sized by count."""
    utc = np.sort(when.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[ns]"))
    span = pd.Timedelta(utc[-1] - utc[0])
    width = next((w for w in _BIN_WIDTHS if span / w < TIMELINE_BINS), _BIN_WIDTHS[-1])
    code = (utc - utc[0].astype("datetime64[D]")) // width.to_timedelta64()
    starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])  # sorted: each bin is one run
    counts = np.diff(np.r_[starts, len(utc)])
    first, last = (pd.Series(utc[i]).dt.tz_localize("UTC").dt.tz_convert(when.dt.tz)
                   for i in (starts, starts + counts - 1))
    middle = first + (last - first) / 2
    text = [f"{n:,} {lane} from {a} to {b}" for n, a, b in zip(counts, _shown(first), _shown(last), strict=True)]
    return go.Scatter(
        x=middle.dt.tz_localize(None), y=[lane] * len(counts), mode="markers", name=lane, text=text,
        marker={"size": 6 + 18 * np.sqrt(counts / counts.max()), "opacity": 0.7, "symbol": "circle"},
        hovertemplate="%{text}<extra></extra>")


def _shown(when: pd.Series) -> pd.Series:
    return when.dt.strftime("%a %d %b %Y %H:%M %Z")


def _hover(when: pd.Series, summary: pd.Series) -> np.ndarray:
    return np.column_stack([when.astype(object), summary.fillna("").map(_escape).astype(object)])


def _escape(text: object) -> str:
    """Hover text joins reasons with <br>: escape the reasons themselves so they stay plain text."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
