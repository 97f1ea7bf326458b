"""Which plotly.js the report page embeds: a small pinned bundle when its trace types suffice.

The bundle is the npm registry's ``plotly.js-basic-dist-min`` (trace types bar, pie and scatter;
1.2 MB against 4.8 MB for the full plotly.js that ships with plotly.py), vendored beside this
module with its licence, so that a report is written offline on a fresh clone. Its SHA-256 is
checked every time it is read. A page with a figure of another trace type, or a plotly.py whose
own plotly.js is of another major version, gets plotly.py's full bundle instead.

To update: ``npm pack plotly.js-basic-dist-min@VERSION``, check the tarball against the registry's
``dist.integrity``, copy ``package/plotly-basic.min.js`` to ``vendor/plotly-basic-VERSION.min.js``
and ``package/LICENSE`` to ``vendor/plotly.js-LICENSE.txt``, and change the three values below.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from ..errors import InvestigateError
from ..html import TRACES_ATTRIBUTE

log = logging.getLogger("investigate")

PACKAGE: Final = "plotly.js-basic-dist-min"
VERSION: Final = "4.1.1"
SHA256: Final = "99784e3abfb07b142a15e521a439e6d9addceadb3f79553fd24c72774f0649ba"
TRACE_TYPES: Final = frozenset({"bar", "pie", "scatter"})
BUNDLE: Final = Path(__file__).parent / "vendor" / f"plotly-basic-{VERSION}.min.js"
LICENCE: Final = BUNDLE.with_name("plotly.js-LICENSE.txt")

#: how a report figure names its trace types (written by ``_html.figure``)
_TRACES = re.compile(TRACES_ATTRIBUTE + r'="([a-z0-9 ]*)"')


def small_bundle() -> str:
    """The vendored bundle's text, after checking its SHA-256 against the one recorded here."""
    data = BUNDLE.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        raise InvestigateError(
            f"The kit's copy of plotly.js ({BUNDLE}) has changed: its SHA-256 is {digest}, not the recorded "
            f"{SHA256}. Reinstall the kit to restore it.")
    return data.decode("utf-8")


def plotly_js_for(pages: Iterable[str]) -> str:
    """The plotly.js to embed once in a page made of these HTML pieces ("" when none has a figure).

    >>> plotly_js_for(["<p>no figure</p>"])
    ''
    >>> len(plotly_js_for(['<div data-plotly-traces="bar scatter">Plotly.newPlot(...)</div>'])) < 1_300_000
    True
    """
    pieces = [p for p in pages if "Plotly.newPlot" in p]
    if not pieces:
        return ""
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    named = [_TRACES.findall(p) for p in pieces]
    used = {t for found in named for types in found for t in types.split()}
    figures = sum(p.count("Plotly.newPlot") for p in pieces)
    if sum(len(found) for found in named) < figures or not used <= TRACE_TYPES:
        log.info("report: full plotly.js (trace types %s)", sorted(used - TRACE_TYPES) or "not named")
        return get_plotlyjs()
    if get_plotlyjs_version().split(".")[0] != VERSION.split(".")[0]:
        log.info("report: full plotly.js (plotly.py ships plotly.js %s, the small bundle is %s)",
                 get_plotlyjs_version(), VERSION)
        return get_plotlyjs()
    return small_bundle()
