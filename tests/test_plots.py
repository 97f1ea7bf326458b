"""Figures have the expected traces and keep case text as data."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from investigate.chronology import build_chronology
from investigate.network import build_graph, communities, graph_layout, overlap_matrix, set_combinations
from investigate.patterns import SchoolDay, posting_heatmap
from investigate.plots import (
    plot_graph,
    plot_heatmap,
    plot_leads,
    plot_overlap_matrix,
    plot_timeline,
    plot_upset,
)
from investigate.schema import empty, validate

REL = validate(pd.DataFrame({
    "platform": "tiktok",
    "follower": ["p", "q", "r", "p", "s", "q", "x"],
    "followed": ["a", "a", "a", "b", "b", "c", "p"]}), "relationships")


def test_timeline_lanes_and_markers() -> None:
    posts = validate(pd.DataFrame({"platform": "tiktok", "account": ["fake"], "post_id": ["1"],
                                   "posted_at": ["2025-10-26T00:30:00Z"], "text": ["<script>alert(1)</script>"]}),
                     "posts")
    events = validate(pd.DataFrame({"at": ["2025-10-27T10:00:00Z"], "kind": ["platform_report"],
                                    "summary": ["Reported to TikTok"], "source": "entered"}), "events")
    accounts = validate(pd.DataFrame({"platform": "tiktok", "handle": ["fake"], "handle_key": ["fake"],
                                      "created_at": ["2025-10-01T00:00:00Z"]}), "accounts")
    chron = build_chronology(posts, empty("interactions"), empty("relationships"), events, accounts,
                             timezone="Europe/London")
    fig = plot_timeline(chron)
    assert isinstance(fig, go.Figure)
    names = [t.name for t in fig.data]
    # no "markers" lane of plain dots: the marker kinds (star, diamond, triangle) are the legend's entries
    assert names == ["events", "posts", "account created", "first post", "report made"]
    html = pio.to_html(fig, include_plotlyjs=False, full_html=False)
    assert "<script>alert(1)" not in html  # the post text is data, escaped
    # the zone is in the title (an axis title under the ticks ran into the legend)
    assert "Europe/London" in fig.layout.title.text and fig.layout.xaxis.title.text is None
    formats = [stop.value for stop in fig.layout.xaxis.tickformatstops]  # UK day first, never seconds
    assert formats == ["%d/%m %H:%M", "%d/%m/%Y", "%b %Y"] and not any("%S" in f for f in formats)


def test_a_timeline_of_a_few_minutes_spans_two_hours() -> None:
    """A new case's first minutes: plotly would label ticks by the second ("00:01:15"); the axis spans two
    hours instead, so that its day-first labels (to the minute) never repeat."""
    events = validate(pd.DataFrame({"at": ["2026-12-02T00:01:00Z", "2026-12-02T00:02:30Z"], "kind": "note",
                                    "summary": ["first", "second"], "source": "entered"}), "events")
    chron = build_chronology(empty("posts"), empty("interactions"), empty("relationships"), events,
                             empty("accounts"), timezone="Europe/London")
    start, end = (pd.Timestamp(t) for t in plot_timeline(chron).layout.xaxis.range)
    assert end - start == pd.Timedelta(hours=2) and start < pd.Timestamp("2026-12-02 00:01") < end


def test_timeline_counts_a_long_list_per_time_bin() -> None:
    n = 20_000  # a follow every 7 minutes for about 97 days, and one post
    rel = validate(pd.DataFrame({
        "platform": "tiktok", "follower": [f"fan.{i}" for i in range(n)], "followed": "fake",
        "followed_at": pd.Timestamp("2025-09-01T08:00Z") + pd.to_timedelta(pd.RangeIndex(n) * 7, unit="min")}),
        "relationships")
    posts = validate(pd.DataFrame({"platform": "tiktok", "account": ["fake"], "post_id": ["1"],
                                   "posted_at": ["2025-10-26T00:30:00Z"]}), "posts")
    chron = build_chronology(posts, empty("interactions"), rel, empty("events"), empty("accounts"))
    fig = plot_timeline(chron)
    follows = next(t for t in fig.data if t.name == "follows")
    assert len(follows.x) <= 200  # one marker per bin, not one per follow
    counts = [int(text.split()[0].replace(",", "")) for text in follows.text]
    assert sum(counts) == n
    assert follows.text[0].startswith(f"{counts[0]:,} follows from Mon 01 Sep 2025 09:00 BST to ")
    assert len(next(t for t in fig.data if t.name == "posts").x) == 1  # a short lane keeps its markers
    assert len(pio.to_json(fig)) < 100_000


def test_heatmap_with_school_day() -> None:
    posts = pd.DataFrame({"posted_at": pd.to_datetime(["2025-11-03 10:30"], utc=True)})
    fig = plot_heatmap(posting_heatmap(posts), school_day=SchoolDay())
    cells = fig.data[0]  # a bar per weekday and hour (the report's small plotly.js has no heatmap trace)
    assert cells.type == "bar" and len(cells.x) == 7 * 24 and cells.marker.color.sum() == 1
    monday_10 = list(cells.x).index("10:00")  # Monday is the first row: bar from -0.5 to 0.5
    assert cells.marker.color[monday_10] == 1 and cells.base[monday_10] == -0.5
    assert list(fig.layout.yaxis.ticktext) == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                               "Saturday", "Sunday"]
    assert [t.name for t in fig.data[1:]] == ["lessons", "break", "lunch"]
    assert len(fig.layout.shapes) == 5 * len(SchoolDay().periods)
    assert len(plot_heatmap(posting_heatmap(posts)).layout.shapes) == 0


def test_graph_names_only_the_accounts_that_matter() -> None:
    g = build_graph(REL, focus=["a", "b"])
    groups = {"a": "subject", "b": "lookalike", "p": "top lead", "q": "on both lists"}
    fig = plot_graph(g, groups=groups)
    named = {t.name: list(t.text) for t in fig.data if t.text is not None}
    assert named == {"subject": ["@a"], "lookalike": ["@b"], "top lead": ["@p"]}  # the rest on hover only
    assert {t.name for t in fig.data} >= {"on both lists", "other"}


def test_overlap_and_upset() -> None:
    fig = plot_overlap_matrix(overlap_matrix(REL, ["a", "b", "c"]))
    cells = fig.data[0]  # row by row: (a, a), (a, b), (a, c), (b, a), ...
    assert cells.type == "bar" and list(cells.x[:3]) == ["@a", "@b", "@c"]
    assert cells.marker.color[1] == 0.25 and cells.text[1] == "0.25"  # a={p,q,r}, b={p,s}: 1 shared of 4
    assert list(cells.customdata[1]) == ["@a", 1, 3, 2, 0.25]  # row, shared, sizes and Jaccard for the hover
    up = plot_upset(set_combinations(REL, ["a", "b", "c"]))
    assert up.data[0].type == "bar" and up.data[0].name == "members"
    assert sorted(up.data[0].y.tolist(), reverse=True) == up.data[0].y.tolist()
    assert sum(up.data[0].y) == 4  # p, q, r, s each counted once


def test_graph_figure_and_webgl_for_large_graphs() -> None:
    g = build_graph(REL, focus="a")
    fig = plot_graph(g, communities=communities(g), highlight=["a"])
    assert [t.name for t in fig.data] == ["links", "accounts", "focus"]
    assert fig.data[1].type == "scatter" and len(fig.data[1].x) == g.number_of_nodes()
    big = nx.DiGraph((f"n{i}", f"n{i + 1}") for i in range(3100))
    layout = graph_layout(big, seed=1)
    fig = plot_graph(big, layout=layout)
    assert fig.data[1].type == "scattergl"
    assert layout.equals(graph_layout(big, seed=1))  # seeded: the same picture every time


def test_leads_bars_with_reasons_escaped() -> None:
    leads = pd.DataFrame({"rank": [1, 2], "handle": ["Zeph.Quill", "<b>bold</b>"], "handle_key": ["zeph.quill", "b"],
                          "score": [7.5, 1.0], "reasons": [["Follows @x and is followed back by it (mutual)"],
                                                           ["Commented <i>1</i> time"]]})
    fig = plot_leads(leads)
    assert fig.data[0].type == "bar" and list(fig.data[0].x) == [7.5, 1.0]
    assert "&lt;i&gt;1&lt;/i&gt;" in fig.data[0].customdata[1][1]
    assert plot_leads(leads.iloc[0:0]).layout.annotations[0].text.startswith("No leads")


def test_every_name_in_a_figure_is_escaped_so_markup_stays_text() -> None:
    """plotly draws a subset of HTML in labels: <a href> becomes a link and a style's url() is fetched.
    Axis labels, node names, hover texts and legends must hold no markup at all (notebook 03 and the report)."""
    spy = '<span style="cursor:url(https://example.invalid/x.png),auto">s</span>'
    link = '<a href="https://example.invalid/">click</a>'
    rel = validate(pd.DataFrame({"platform": "tiktok", "follower": [spy, link, "fake", "fake"],
                                 "followed": ["fake", "fake", spy, link]}), "relationships")
    leads = pd.DataFrame({"rank": [1, 2], "handle": [spy, link], "handle_key": [spy, link], "score": [3.0, 2.0],
                          "reasons": [[f"Follows {link}"], [f"Mutual with {spy}"]]})
    figures = [plot_leads(leads), plot_leads(leads, names={spy: link, link: spy}),
               plot_overlap_matrix(overlap_matrix(rel, ["fake", spy])),
               plot_upset(set_combinations(rel, ["fake", spy, link])),
               plot_graph(build_graph(rel, focus="fake"), highlight=["fake", spy],
                          groups={"fake": "subject", spy: "top lead", link: "lookalike"})]
    for fig in figures:
        text = json.dumps(json.loads(pio.to_json(fig)), ensure_ascii=False)  # plotly's JSON writes < as \u003c
        assert "<span" not in text and "<a " not in text and "&lt;" in text, fig.layout.title.text
