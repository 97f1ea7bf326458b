"""A :class:`Pack` as a short self-contained HTML page or a Word (DOCX) document.

Every text is escaped in HTML; gaps are highlighted (yellow, ``[TO FILL: ...]``) in both, so that
the analyst sees at a glance what is left to write.
"""

from __future__ import annotations

import html
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..case import private_dir, write_private
from ._model import Bullets, Fields, Gap, Pack, Paragraph, Table, Value

_CSS = """
body{font-family:system-ui,Segoe UI,Arial,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#111}
.marking{border:2px solid #b00020;color:#b00020;font-weight:bold;padding:4px 8px;text-align:center}
h1{font-size:1.5em}h2{font-size:1.15em;border-bottom:1px solid #999;margin-top:1.6em}
table{border-collapse:collapse;width:100%;font-size:.9em}th,td{border:1px solid #bbb;padding:3px 6px;
text-align:left;vertical-align:top;overflow-wrap:anywhere}th{background:#eee}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px}dt{font-weight:bold}dd{margin:0}
.gap{background:#fff176;font-weight:bold}.note{color:#333;font-style:italic}
.warning{border-left:4px solid #e65100;padding-left:8px;font-weight:bold}
@media print{.marking{border-width:1px}}
"""


def _value(v: Value) -> str:
    if isinstance(v, Gap):
        return f'<span class="gap">{html.escape(str(v))}</span>'
    return html.escape(v)


def to_html(pack: Pack) -> str:
    """The pack as one HTML page (no scripts, no external files)."""
    e = html.escape
    parts = [f'<div class="marking">{e(pack.marking)}</div>', f"<h1>{e(pack.title)}</h1>"]
    for section in pack.sections:
        parts.append(f"<h2>{e(section.heading)}</h2>")
        for block in section.blocks:
            if isinstance(block, Fields):
                parts.append("<dl>" + "".join(f"<dt>{e(k)}</dt><dd>{_value(v)}</dd>" for k, v in block.rows) + "</dl>")
            elif isinstance(block, Paragraph):
                parts.append(f'<p class="{block.style}">{_value(block.text)}</p>')
            elif isinstance(block, Bullets):
                parts.append("<ul>" + "".join(f"<li>{_value(i)}</li>" for i in block.items) + "</ul>")
            elif isinstance(block, Table):
                if not block.rows:
                    parts.append(f"<p>{_value(block.empty)}</p>")
                    continue
                head = "".join(f"<th>{e(h)}</th>" for h in block.headers)
                body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in block.rows)
                parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    parts.append(f'<div class="marking">{e(pack.marking)}</div>')
    return (f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>{e(pack.title)}</title>'
            f'<meta name="referrer" content="no-referrer"><style>{_CSS}</style></head>'
            f"<body>{''.join(parts)}</body></html>\n")


def write_docx(pack: Pack, path: str | Path) -> Path:
    """Write the pack as a Word document (python-docx) and return its path."""
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Pt, RGBColor

    from ..report.docx import DocxWriter

    doc = DocxWriter(marking=pack.marking, title=pack.title).document  # A4, the marking in every page's header
    props = doc.core_properties  # no hidden metadata beyond the title: the pack itself says who wrote it, when
    props.title, props.author, props.comments, props.last_modified_by = pack.title, "", "", ""
    props.created = props.modified = datetime.now(UTC)

    def marking() -> None:
        run = doc.add_paragraph().add_run(pack.marking)
        run.bold = True
        run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)

    def add(paragraph: Any, v: Value, *, bold: bool = False, italic: bool = False) -> None:
        run = paragraph.add_run(str(v))
        run.bold = bold or isinstance(v, Gap)
        run.italic = italic
        if isinstance(v, Gap):
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    marking()
    doc.add_heading(pack.title, level=1)
    for section in pack.sections:
        doc.add_heading(section.heading, level=2)
        for block in section.blocks:
            if isinstance(block, Fields):
                grid = doc.add_table(rows=0, cols=2)
                grid.style = "Table Grid"
                for label, v in block.rows:
                    cells = grid.add_row().cells
                    add(cells[0].paragraphs[0], label, bold=True)
                    add(cells[1].paragraphs[0], v)
            elif isinstance(block, Paragraph):
                add(doc.add_paragraph(), block.text, bold=block.style == "warning", italic=block.style == "note")
            elif isinstance(block, Bullets):
                for item in block.items:
                    add(doc.add_paragraph(style="List Bullet"), item)
            elif isinstance(block, Table):
                if not block.rows:
                    add(doc.add_paragraph(), block.empty)
                    continue
                grid = doc.add_table(rows=1, cols=len(block.headers))
                grid.style = "Table Grid"
                for cell, header in zip(grid.rows[0].cells, block.headers, strict=True):
                    add(cell.paragraphs[0], header, bold=True)
                for row in block.rows:
                    for cell, value in zip(grid.add_row().cells, row, strict=True):
                        cell.paragraphs[0].add_run(value).font.size = Pt(9)
    marking()
    data = io.BytesIO()
    doc.save(data)
    target = Path(path)
    private_dir(target.parent)
    return write_private(target, data.getvalue())  # personal data: for the analyst only
