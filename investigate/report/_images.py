"""The report's plotly figures drawn as PNG images with Pillow, for the Word file (no browser, no network).

A plain drawing of what the kit's figures use: bars, heatmaps, scatter markers, lines and text, on
one or two stacked y axes (the UpSet figure), with the title and, where shown, a legend. Not a
general plotly renderer; text reaches the image as text (it is drawn, never interpreted).
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
from PIL import Image, ImageDraw, ImageFont

_FONTS = ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "Arial.ttf", "arial.ttf")
_PALETTE = ("#636efa", "#ef553b", "#00cc96", "#ab63fa", "#ffa15a", "#19d3f3", "#ff6692", "#b6e880")
_TAG = re.compile(r"<br\s*/?>|<[^>]+>")


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in _FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _plain(text: object) -> str:
    """Figure text as a reader sees it: plotly's <br> a space, other tags dropped, entities decoded."""
    return html.unescape(_TAG.sub(" ", str(text))).strip() if text is not None else ""


def _colour(value: object, fallback: str) -> str:
    return value if isinstance(value, str) and value else fallback


def _blues(t: float) -> tuple[int, int, int]:
    t = 0.0 if not np.isfinite(t) else min(max(t, 0.0), 1.0)
    start, end = np.array([247, 251, 255]), np.array([8, 48, 107])
    r, g, b = (start + (end - start) * t).astype(int)
    return int(r), int(g), int(b)


class _Axis:
    """One axis: numbers, times (as nanoseconds) or categories, mapped onto pixels."""

    custom_ticks: list[tuple[Any, Any]]  # the layout's tickvals and ticktext, when it gives them (set by figure_png)

    def __init__(self, values: Sequence[Any], *, categories: Sequence[str] | None = None,
                 reverse: bool = False) -> None:
        self.categories = list(categories) if categories is not None else None
        self.reverse = reverse
        numbers = [v for v in values if v is not None and not (isinstance(v, float) and np.isnan(v))]
        self.kind = "category" if self.categories is not None else "number"
        if self.kind == "number" and numbers and any(isinstance(v, str) for v in numbers) and not all(
                isinstance(v, str) and re.match(r"\d{4}-\d\d-\d\d", v) for v in numbers):
            self.kind = "category"
            self.categories = list(dict.fromkeys(str(v) for v in numbers))
        elif self.kind == "number" and numbers and any(isinstance(v, str) for v in numbers):
            try:
                stamps = pd.to_datetime(pd.Series(numbers), utc=True, format="ISO8601")
                self.kind, numbers = "time", stamps.astype("int64").tolist()
            except (ValueError, TypeError):
                self.kind = "category"
                self.categories = list(dict.fromkeys(str(v) for v in numbers))
        elif self.kind == "number" and numbers and isinstance(numbers[0], (pd.Timestamp, np.datetime64)):
            self.kind, numbers = "time", pd.to_datetime(pd.Series(numbers), utc=True).astype("int64").tolist()
        if self.kind == "category":
            self.low, self.high = -0.5, len(self.categories or []) - 0.5
        else:
            low, high = (float(min(numbers)), float(max(numbers))) if numbers else (0.0, 1.0)
            pad = (high - low) * 0.05 or 1.0
            self.low, self.high = low - pad, high + pad

    def value(self, v: Any) -> float | None:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if self.kind == "category":
            key = str(v)
            if self.categories is None or key not in self.categories:
                return None
            return float(self.categories.index(key))
        if self.kind == "time":
            return float(pd.Timestamp(v).tz_localize("UTC").value if pd.Timestamp(v).tzinfo is None
                         else pd.Timestamp(v).value)
        return float(v)

    def at(self, v: Any, start: float, end: float) -> float | None:
        x = self.value(v)
        if x is None:
            return None
        t = (x - self.low) / ((self.high - self.low) or 1.0)
        return end - t * (end - start) if self.reverse else start + t * (end - start)

    def ticks(self) -> list[tuple[float, str]]:
        if self.kind == "category":
            return [(float(i), c) for i, c in enumerate(self.categories or [])]
        if self.kind == "time":
            inner = np.linspace(self.low, self.high, 5)[1:-1]
            return [(t, pd.Timestamp(int(t), tz="UTC").strftime("%d/%m/%Y")) for t in inner]
        inner = np.linspace(self.low, self.high, 5)[1:-1]
        return [(t, f"{t:,.2g}") for t in inner]


def _decoded(value: Any) -> Any:
    """plotly's JSON form with its packed arrays ({"dtype", "bdata", "shape"}) unpacked into lists."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            shape = value.get("shape")
            if shape:
                array = array.reshape([int(n) for n in str(shape).split(",")] if isinstance(shape, str) else shape)
            return array.tolist()
        return {k: _decoded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_decoded(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def _layout_axis(layout: dict[str, Any], name: str) -> dict[str, Any]:
    return dict(layout.get(name) or {})


def figure_png(fig: Any, *, width: int = 1100, height: int | None = None) -> bytes:
    """A plotly figure drawn as a PNG (see the module docstring for what is drawn)."""
    spec = _decoded(json.loads(fig.to_json()))
    data: list[dict[str, Any]] = spec.get("data", [])
    layout: dict[str, Any] = spec.get("layout", {})
    height = int(height or layout.get("height") or 450)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    title = _plain((layout.get("title") or {}).get("text", "")) if isinstance(layout.get("title"), dict) else ""
    draw.text((12, 8), title, fill="#111827", font=_font(18))
    legend = [t for t in data if layout.get("showlegend") and t.get("name") and t.get("showlegend") is not False
              and t.get("type") in ("scatter", "scattergl", "bar")]
    top, bottom = 40, height - (50 if legend else 30)
    x_layout = _layout_axis(layout, "xaxis")
    panels = {}
    for key in dict.fromkeys(t.get("yaxis", "y") for t in data):
        y_layout = _layout_axis(layout, "yaxis" if key == "y" else "yaxis" + key[1:])
        lo, hi = y_layout.get("domain", [0, 1])
        panels[key] = (y_layout, bottom - hi * (bottom - top), bottom - lo * (bottom - top))
    xs = [v for t in data for v in (t["x"] if t.get("x") is not None else [])]
    if any(t.get("type") == "bar" and t.get("orientation") == "h" for t in data):
        xs.append(0)  # bars grow from zero
    x_categories = x_layout.get("categoryarray") if x_layout.get("categoryorder") == "array" else None
    heat = next((t for t in data if t.get("type") == "heatmap"), None)
    if heat is not None:
        x_categories = [str(v) for v in heat.get("x", [])]
    x_axis = _Axis(xs, categories=x_categories)
    labels_width = 10
    y_axes = {}
    for key, (y_layout, _, _) in panels.items():
        traces = [t for t in data if t.get("yaxis", "y") == key]
        ys = [v for t in traces for v in (t["y"] if t.get("y") is not None else [])]
        categories = y_layout.get("categoryarray") if y_layout.get("categoryorder") == "array" else None
        heat_here = next((t for t in traces if t.get("type") == "heatmap"), None)
        if heat_here is not None:
            categories = [str(v) for v in heat_here.get("y", [])]
        elif categories is None and any(t.get("orientation") == "h" for t in traces):
            categories = list(dict.fromkeys(str(v) for v in ys))
        if any(t.get("type") == "bar" and t.get("orientation") != "h" for t in traces):
            ys = [*ys, 0]  # bars grow from zero
        axis = _Axis(ys, categories=categories, reverse=y_layout.get("autorange") == "reversed")
        if y_layout.get("tickvals") is not None and y_layout.get("ticktext") is not None:
            axis.custom_ticks = list(zip(y_layout["tickvals"], y_layout["ticktext"], strict=False))
        if y_layout.get("range"):
            axis.low, axis.high = map(float, y_layout["range"])
        y_axes[key] = axis
        if y_layout.get("visible", True):
            ticks = getattr(axis, "custom_ticks", None) or axis.ticks()
            labels_width = max([labels_width, *(int(draw.textlength(_plain(t), font=_font(12))) + 16
                                                for _, t in ticks)])
    left, right = min(labels_width, width // 2), width - 20
    for key, (y_layout, p_top, p_bottom) in panels.items():
        axis = y_axes[key]
        _draw_panel(draw, [t for t in data if t.get("yaxis", "y") == key], x_axis, axis, left, right, p_top, p_bottom)
        if y_layout.get("visible", True):
            for value, text in getattr(axis, "custom_ticks", None) or axis.ticks():
                y = _at_number(axis, float(value), p_bottom, p_top)
                draw.text((left - 6, y), _plain(text), fill="#374151", font=_font(12), anchor="rm")
    if x_layout.get("visible", True):
        for value, text in x_axis.ticks():
            x = _at_number(x_axis, float(value), left, right)
            draw.text((x, bottom + 4), _plain(text)[:24], fill="#374151", font=_font(11), anchor="ma")
    x = 12
    for n, trace in enumerate(legend):
        colour = _trace_colour(trace, n)
        draw.ellipse((x, height - 30, x + 10, height - 20), fill=_rgb(colour))
        name = _plain(trace.get("name"))
        draw.text((x + 14, height - 25), name, fill="#111827", font=_font(12), anchor="lm")
        x += int(draw.textlength(name, font=_font(12))) + 34
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _at_number(axis: _Axis, value: float, start: float, end: float) -> float:
    t = (value - axis.low) / ((axis.high - axis.low) or 1.0)
    return end - t * (end - start) if axis.reverse else start + t * (end - start)


def _trace_colour(trace: dict[str, Any], n: int) -> str:
    marker = trace.get("marker") or {}
    colour = marker.get("color")
    if isinstance(colour, str):
        return colour
    line = trace.get("line") or {}
    return _colour(line.get("color"), _PALETTE[n % len(_PALETTE)])


def _draw_panel(draw: ImageDraw.ImageDraw, traces: list[dict[str, Any]], x_axis: _Axis, y_axis: _Axis,
                left: float, right: float, top: float, bottom: float) -> None:
    draw.rectangle((left, top, right, bottom), outline="#e5e7eb")
    for n, trace in enumerate(traces):
        kind = trace.get("type", "scatter")
        if kind == "heatmap":
            _heatmap(draw, trace, x_axis, y_axis, left, right, top, bottom)
        elif kind == "bar":
            _bars(draw, trace, x_axis, y_axis, left, right, top, bottom, _trace_colour(trace, n))
        else:
            _scatter(draw, trace, x_axis, y_axis, left, right, top, bottom, _trace_colour(trace, n))


def _heatmap(draw: ImageDraw.ImageDraw, trace: dict[str, Any], x_axis: _Axis, y_axis: _Axis, left: float,
             right: float, top: float, bottom: float) -> None:
    z = np.array(trace.get("z", []), dtype=float)
    if z.size == 0:
        return
    high = np.nanmax(z) or 1.0
    xs, ys = trace.get("x", list(range(z.shape[1]))), trace.get("y", list(range(z.shape[0])))
    texts = trace.get("text")
    w_cell, h_cell = (right - left) / max(len(xs), 1), (bottom - top) / max(len(ys), 1)
    for i, yv in enumerate(ys):
        for j, xv in enumerate(xs):
            cx, cy = x_axis.at(str(xv), left, right), y_axis.at(str(yv), bottom, top)
            if cx is None or cy is None:
                continue
            value = z[i, j] / high
            box = (cx - w_cell / 2, cy - h_cell / 2, cx + w_cell / 2, cy + h_cell / 2)
            draw.rectangle(box, fill=_blues(value), outline="white")
            if texts is not None and len(xs) * len(ys) <= 400:
                draw.text((cx, cy), _plain(texts[i][j]), fill="white" if value > 0.55 else "#111827",
                          font=_font(11), anchor="mm")


def _bars(draw: ImageDraw.ImageDraw, trace: dict[str, Any], x_axis: _Axis, y_axis: _Axis, left: float,
          right: float, top: float, bottom: float, colour: str) -> None:
    if trace.get("base") is not None and trace.get("orientation") != "h":  # a heatmap drawn as one bar per cell
        _cell_bars(draw, trace, x_axis, y_axis, left, right, top, bottom)
        return
    horizontal = trace.get("orientation") == "h"
    cats, values = (trace.get("y", []), trace.get("x", [])) if horizontal else (trace.get("x", []), trace.get("y", []))
    axis_c, axis_v = (y_axis, x_axis) if horizontal else (x_axis, y_axis)
    span = (bottom - top) if horizontal else (right - left)
    thick = 0.7 * span / max(len(cats), 1)
    for c, v in zip(cats, values, strict=False):
        if v is None:
            continue
        if horizontal:
            cy, x0, x1 = axis_c.at(c, bottom, top), _at_number(axis_v, 0.0, left, right), axis_v.at(v, left, right)
            if cy is not None and x1 is not None:
                draw.rectangle((min(x0, x1), cy - thick / 2, max(x0, x1), cy + thick / 2), fill=_rgb(colour))
        else:
            cx = axis_c.at(c, left, right)
            y0, y1 = _at_number(axis_v, 0.0, bottom, top), axis_v.at(v, bottom, top)
            if cx is not None and y1 is not None:
                draw.rectangle((cx - thick / 2, min(y0, y1), cx + thick / 2, max(y0, y1)), fill=_rgb(colour))


def _cell_bars(draw: ImageDraw.ImageDraw, trace: dict[str, Any], x_axis: _Axis, y_axis: _Axis, left: float,
               right: float, top: float, bottom: float) -> None:
    xs, heights = list(trace.get("x", [])), list(trace.get("y", []))
    bases = trace["base"] if isinstance(trace["base"], list) else [trace["base"]] * len(xs)
    marker = trace.get("marker") or {}
    colours = marker.get("color")
    values = colours if isinstance(colours, list) else [0.0] * len(xs)
    high = float(marker.get("cmax") or max([float(v) for v in values if v is not None] or [1.0]) or 1.0)
    texts = trace.get("text") if isinstance(trace.get("text"), list) else None
    half = 0.5 * (right - left) / max(len(x_axis.categories or [1]), 1)
    for n, (x, h, b) in enumerate(zip(xs, heights, bases, strict=False)):
        cx = x_axis.at(x, left, right)
        if cx is None or h is None or b is None:
            continue
        y0, y1 = _at_number(y_axis, float(b), bottom, top), _at_number(y_axis, float(b) + float(h), bottom, top)
        value = float(values[n] or 0.0) / high if n < len(values) else 0.0
        draw.rectangle((cx - half, min(y0, y1), cx + half, max(y0, y1)), fill=_blues(value), outline="white")
        if texts is not None and n < len(texts) and texts[n]:
            draw.text((cx, (y0 + y1) / 2), _plain(texts[n]), fill="white" if value > 0.55 else "#111827",
                      font=_font(11), anchor="mm")


def _scatter(draw: ImageDraw.ImageDraw, trace: dict[str, Any], x_axis: _Axis, y_axis: _Axis, left: float,
             right: float, top: float, bottom: float, colour: str) -> None:
    mode = str(trace.get("mode", "markers"))
    xs, ys = list(trace.get("x", []) or []), list(trace.get("y", []) or [])
    points = [(x_axis.at(x, left, right), y_axis.at(y, bottom, top)) for x, y in zip(xs, ys, strict=False)]
    if "lines" in mode:
        line = trace.get("line") or {}
        segment: list[tuple[float, float]] = []
        for px, py in [*points, (None, None)]:
            if px is None or py is None:
                if len(segment) > 1:
                    draw.line(segment, fill=_rgb(_colour(line.get("color"), colour)),
                              width=max(1, int(line.get("width", 1) or 1)))
                segment = []
            else:
                segment.append((px, py))
    if "markers" in mode:
        marker = trace.get("marker") or {}
        sizes = marker.get("size", 8)
        colours = marker.get("color")
        for n, (px, py) in enumerate(points):
            if px is None or py is None:
                continue
            size = float(sizes[n] if isinstance(sizes, (list, tuple, np.ndarray)) else sizes or 8) / 2
            fill = colours[n] if isinstance(colours, (list, tuple, np.ndarray)) else colours
            fill = fill if isinstance(fill, str) else (_PALETTE[int(fill) % len(_PALETTE)]
                                                       if isinstance(fill, (int, float, np.integer)) else colour)
            draw.ellipse((px - size, py - size, px + size, py + size), fill=_rgb(fill))
    if "text" in mode and trace.get("text") is not None:
        sides = trace.get("textposition") or "top center"
        for n, ((px, py), text) in enumerate(zip(points, trace["text"], strict=False)):
            if px is not None and py is not None and text:
                side = str(sides[n] if isinstance(sides, (list, tuple)) else sides)  # as plotly places it
                across = "l" if "right" in side else "r" if "left" in side else "m"
                below = "bottom" in side
                draw.text((px + {"l": 4, "r": -4, "m": 0}[across], py + (8 if below else -8)), _plain(text),
                          fill="#111827", font=_font(11), anchor=across + ("a" if below else "d"))


def _rgb(colour: str) -> str | tuple[int, int, int]:
    """plotly's rgba(...) colours as Pillow takes them (alpha dropped)."""
    found = re.match(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)", colour or "")
    return tuple(int(float(v)) for v in found.groups()) if found else colour  # type: ignore[return-value]
