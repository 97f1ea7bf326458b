"""A :class:`Pack` as a short self-contained HTML page or a Word (DOCX) document, through the kit's one
HTML builder (:mod:`investigate.html`) and its one Word writer (:class:`investigate.report.docx.DocxWriter`,
fed the same HTML, as the report's Word file is): A4, the marking in every page's header and footer.

Every text is escaped in HTML; gaps are highlighted (yellow, ``[TO FILL: ...]``) in both, so that
the analyst sees at a glance what is left to write.
"""

from __future__ import annotations

from pathlib import Path

from ..case import private_dir, write_private
from ..html import Html, bullets, esc, join, para, tag, text_table
from ._model import Block, Bullets, Fields, Gap, Pack, Paragraph, Value

_CSS = """
body{font-family:system-ui,Segoe UI,Arial,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#111}
.inv-marking{border:2px solid #b00020;color:#b00020;font-weight:bold;padding:4px 8px;text-align:center}
h1{font-size:1.5em}h2{font-size:1.15em;border-bottom:1px solid #999;margin-top:1.6em}
table{border-collapse:collapse;width:100%;font-size:.9em}th,td{border:1px solid #bbb;padding:3px 6px;
text-align:left;vertical-align:top;overflow-wrap:anywhere}th{background:#eee}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px}dt{font-weight:bold}dd{margin:0}
.gap{background:#fff176;font-weight:bold}.inv-note{color:#333;font-style:italic}
.inv-warning{border-left:4px solid #e65100;padding-left:8px;font-weight:bold}
@media print{.inv-marking{border-width:1px}}
"""
#: a paragraph's style as the report's classes (the Word writer reads them the same way for both)
_STYLE = {"plain": None, "note": "inv-note", "warning": "inv-warning"}


def _value(v: Value) -> Html:
    return tag("span", str(v), cls="gap") if isinstance(v, Gap) else Html(esc(v))


def _block(block: Block) -> Html:
    if isinstance(block, Fields):
        return tag("dl", join(tag("dt", label) + tag("dd", _value(v)) for label, v in block.rows))
    if isinstance(block, Paragraph):
        return para(_value(block.text), cls=_STYLE[block.style])
    if isinstance(block, Bullets):
        return bullets(_value(item) for item in block.items)
    if not block.rows:
        return para(_value(block.empty))
    return text_table(block.headers, block.rows)


def body(pack: Pack) -> Html:
    """The pack's marking, title and sections as the kit's HTML (escaped; gaps as highlighted spans)."""
    marking = tag("div", pack.marking, cls="inv-marking")
    sections = join(tag("h2", s.heading) + join(_block(b) for b in s.blocks) for s in pack.sections)
    return marking + tag("h1", pack.title) + sections + marking


def to_html(pack: Pack) -> str:
    """The pack as one HTML page (no scripts, no external files)."""
    return (f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>{esc(pack.title)}</title>'
            f'<meta name="referrer" content="no-referrer"><style>{_CSS}</style></head>'
            f"<body>{body(pack)}</body></html>\n")


def write_docx(pack: Pack, path: str | Path) -> Path:
    """Write the pack as a Word document (the same HTML through the kit's Word writer); returns its path."""
    from ..report.docx import DocxWriter

    writer = DocxWriter(marking=pack.marking, title=pack.title)
    writer.add_html(body(pack).html)
    target = Path(path)
    private_dir(target.parent)
    return write_private(target, writer.to_bytes())  # personal data: for the analyst only
