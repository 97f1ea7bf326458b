"""The report's plotly.js: the pinned small bundle (hash checked) when its trace types suffice."""

from __future__ import annotations

import hashlib

import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs, get_plotlyjs_version

from investigate.errors import InvestigateError
from investigate.html import figure
from investigate.report import _plotlyjs


def test_vendored_bundle_is_the_pinned_file_with_its_licence() -> None:
    data = _plotlyjs.BUNDLE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == _plotlyjs.SHA256
    assert f"plotly.js (basic - minified) v{_plotlyjs.VERSION}" in data[:200].decode("utf-8")
    assert "MIT License" in _plotlyjs.LICENCE.read_text(encoding="utf-8")
    # figures are written by plotly.py: its own plotly.js must be of the bundle's major version
    assert get_plotlyjs_version().split(".")[0] == _plotlyjs.VERSION.split(".")[0]


def test_small_bundle_for_bar_and_scatter_figures_full_one_otherwise() -> None:
    small = str(figure(go.Figure([go.Bar(x=[1], y=[2]), go.Scatter(x=[1], y=[2])])))
    assert 'data-plotly-traces="bar scatter"' in small
    assert _plotlyjs.plotly_js_for(["<p>text</p>", small]) == _plotlyjs.small_bundle()
    heatmap = str(figure(go.Figure(go.Heatmap(z=[[1, 2]]))))
    assert _plotlyjs.plotly_js_for([small, heatmap]) == get_plotlyjs()
    unnamed = '<div>Plotly.newPlot("x", [])</div>'  # a figure not written by the report's figure()
    assert _plotlyjs.plotly_js_for([small, unnamed]) == get_plotlyjs()
    assert _plotlyjs.plotly_js_for(["<p>no figure</p>"]) == ""


def test_a_changed_bundle_is_refused(tmp_path, monkeypatch) -> None:
    changed = tmp_path / _plotlyjs.BUNDLE.name
    changed.write_bytes(_plotlyjs.BUNDLE.read_bytes() + b"\n// changed")
    monkeypatch.setattr(_plotlyjs, "BUNDLE", changed)
    with pytest.raises(InvestigateError, match="has changed"):
        _plotlyjs.small_bundle()
