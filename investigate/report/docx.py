"""The report as a Word file: the same sections as the HTML report, tables as Word tables, figures as pictures.

:class:`DocxWriter` is a small reusable writer (A4, the classification marking in every page's header
and footer, headings, paragraphs, bullets, tables whose header row repeats and whose rows never split,
pictures); :meth:`DocxWriter.add_html` turns the report sections' escaped HTML into Word paragraphs
and tables. :func:`write_docx` runs the report's sections in this process (no notebook) and saves the
file. Figures are drawn by :mod:`._images` (Pillow), so nothing needs a browser or a network.

>>> writer = DocxWriter(marking="OFFICIAL-SENSITIVE", title="Case")  # doctest: +SKIP
>>> writer.table([["@a", "1"]], header=["Account", "Rank"])  # doctest: +SKIP
>>> writer.save("pack.docx")  # doctest: +SKIP
"""

from __future__ import annotations

import io
import logging
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ..access import modes_for
from ..case import private_dir, settle_fd

log = logging.getLogger("investigate")

#: a gap the analyst must fill, as :class:`investigate.packs.Gap` writes it
_GAP = re.compile(r"(\[TO FILL: [^\]]*\])")
#: the classes of a paragraph written in italic, and in bold (report and packs alike)
_ITALIC, _BOLD = {"inv-note", "inv-empty"}, {"inv-statement", "inv-status", "inv-bad", "inv-ok", "inv-warning"}
#: the blocks add_html understands (everything the report sections write).
_BLOCKS = {"h1", "h2", "h3", "h4", "p", "li", "dt", "dd"}


#: the width of one character of the tables' 8 pt text (bold headers are the widest), and a cell's padding, in mm
_CHAR_MM, _PAD_MM = 1.75, 2.2
#: a word longer than this (a URL, a fingerprint) may wrap: it could not fit a column anyway
_LONGEST_WORD = 28


def column_widths(rows: Sequence[Sequence[str]], columns: int, *, total: float = 180.0) -> list[float]:
    """Column widths in mm: sized to their content (a long text column wide, a rank or a time narrow),
    and never narrower than a column's longest word (a handle, a header such as "Evidence"), so that
    Word does not split a word across lines ("Eviden-ce").

    >>> rows = [["Evidence", "File", "Captured", "Seen at (URL)", "Description", "SHA-256 fingerprint"],
    ...         ["E0001", "shot.png", "31/10/2025 16:40", "https://x.invalid/" + "1" * 50, "Profile " * 12, "ab" * 32]]
    >>> [round(w) for w in column_widths(rows, 6)]  # by content alone, "Evidence" had 9 mm: split
    [16, 16, 20, 51, 25, 51]
    """
    longest = [max((len(r[c]) for r in rows if c < len(r)), default=0) for c in range(columns)]
    words = [min(_LONGEST_WORD, max((len(w) for r in rows if c < len(r) for w in r[c].split()), default=0))
             for c in range(columns)]
    floor = [_PAD_MM + _CHAR_MM * n for n in words]
    # too many long words for the page: the shorter ones (headers, times, ids, handles) stay whole and the
    # longest (links, fingerprints), which would wrap anyway, share what is left, at least 12 mm each
    for length in sorted(set(words), reverse=True):
        if sum(floor) <= total:
            break
        group = [c for c in range(columns) if words[c] >= length]
        others = sum(floor[c] for c in range(columns) if c not in group)
        for c in group:
            floor[c] = max(12.0, min(floor[c], (total - others) / len(group)))
    if sum(floor) > total:  # narrow columns only: share the page in their proportion
        return [total * f / sum(floor) for f in floor]
    weights = [4 + min(60, n) for n in longest]
    widths = [total * w / sum(weights) for w in weights]
    while any(w < f - 1e-9 for w, f in zip(widths, floor, strict=True)):  # widen the narrow, from the wide
        short = [c for c in range(columns) if widths[c] < floor[c]]
        need = sum(floor[c] - widths[c] for c in short)
        for c in short:
            widths[c] = floor[c]
        spare = [c for c in range(columns) if c not in short and widths[c] > floor[c]]
        room = sum(widths[c] - floor[c] for c in spare)
        for c in spare:
            widths[c] -= need * (widths[c] - floor[c]) / room
    return widths


class DocxWriter:
    """A Word document being written: A4, the marking at the top and foot of every page."""

    def __init__(self, *, marking: str, title: str = "") -> None:
        from docx import Document
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt

        self.document = Document()
        props = self.document.core_properties  # no hidden metadata beyond the title: the text says who, and when
        props.title = title[:255]  # Word's limit: a longer title stays whole in the text
        props.author = props.comments = props.last_modified_by = ""
        props.created = props.modified = datetime.now(UTC)
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(15)
        section.top_margin = section.bottom_margin = Mm(18)
        normal = self.document.styles["Normal"]
        normal.font.name, normal.font.size = "Calibri", Pt(10)
        for part in (section.header, section.footer):
            paragraph = part.paragraphs[0]
            paragraph.text = marking
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.runs[0].bold = True

    def heading(self, text: str, level: int = 1) -> None:
        self.document.add_heading(text, level=min(max(level, 0), 4))

    def paragraph(self, text: str, *, italic: bool = False, bold: bool = False) -> None:
        _runs(self.document.add_paragraph(), text, italic=italic, bold=bold)

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            _runs(self.document.add_paragraph(style="List Bullet"), item)

    def table(self, rows: Sequence[Sequence[str]], *, header: Sequence[str] | None = None) -> None:
        """A table (text only), its header row repeated on every page, no row split across pages."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        width = max([len(header or [])] + [len(r) for r in rows])
        if width == 0:
            return
        table = self.document.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        table.autofit = False
        values_by_row = ([list(header)] if header else []) + [list(r) for r in rows]
        widths = [Mm(mm) for mm in column_widths(values_by_row, width)]
        for column, size in zip(table.columns, widths, strict=True):
            column.width = size
        for n, values in enumerate(values_by_row):
            row = table.add_row()  # (``table.rows[-1]`` lists every row: quadratic in a 1,000-row table)
            cells = row.cells
            for cell, size in zip(cells, widths, strict=True):
                cell.width = size
            row_properties = row._tr.get_or_add_trPr()
            row_properties.append(OxmlElement("w:cantSplit"))
            if header and n == 0:
                repeat = OxmlElement("w:tblHeader")
                repeat.set(qn("w:val"), "true")
                row_properties.append(repeat)
            for cell, value in zip(cells, values, strict=False):
                _runs(cell.paragraphs[0], value, bold=bool(header and n == 0), size=Pt(8))

    def picture(self, png: bytes, *, width_mm: float = 180) -> None:
        from docx.shared import Mm

        self.document.add_picture(io.BytesIO(png), width=Mm(width_mm))

    def add_html(self, markup: str, figures: Mapping[str, Any] | None = None) -> None:
        """The report's own HTML (from :mod:`investigate.html`) as Word paragraphs, tables and pictures.

        ``figures`` maps a plotly div id to its figure (drawn as a picture); the marking is left out
        (it is in every page's header and footer).
        """
        _Converter(self, figures or {}).feed(markup)

    def to_bytes(self) -> bytes:
        """The document as the bytes of a .docx file."""
        data = io.BytesIO()
        self.document.save(data)
        return data.getvalue()

    def save(self, path: str | Path) -> Path:
        """Save atomically (a half-written file never replaces a good one)."""
        path = Path(path)
        private_dir(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".docx", dir=path.parent)
        settle_fd(fd, modes_for(path).file)  # 0600, or 0660 in a group's case
        os.close(fd)
        try:
            self.document.save(tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path


def _runs(paragraph: Any, text: str, *, bold: bool = False, italic: bool = False, size: Any = None) -> None:
    """``text`` added to a Word paragraph, each gap the analyst must fill ("[TO FILL: ...]") bold on yellow."""
    from docx.enum.text import WD_COLOR_INDEX

    for n, piece in enumerate(_GAP.split(text)):
        if not piece:
            continue
        run = paragraph.add_run(piece)
        run.bold, run.italic = bold or n % 2 == 1, italic
        if size is not None:
            run.font.size = size
        if n % 2:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


class _Converter(HTMLParser):
    """The small HTML the report sections write, as calls on a :class:`DocxWriter`."""

    def __init__(self, writer: DocxWriter, figures: Mapping[str, Any]) -> None:
        super().__init__(convert_charrefs=True)
        self.writer, self.figures = writer, figures
        self.text: list[str] = []
        self.skip = 0  # inside a script, a style or the marking
        self.rows: list[list[str]] | None = None
        self.header: list[str] | None = None
        self.cell: list[str] | None = None
        self.in_head = False
        self.items: list[str] = []
        self.facts: list[list[str]] = []
        self.block: str | None = None
        self.classes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if self.skip or tag in ("script", "style") or "inv-marking" in classes:
            self.skip += 1
            return
        if tag == "div" and "plotly-graph-div" in classes and found.get("id") in self.figures:
            from ._images import figure_png

            figure = self.figures[str(found["id"])]
            self.writer.picture(figure_png(figure, height=int(figure.layout.height or 450)))
        elif tag == "table":
            self.rows, self.header = [], None
        elif tag == "thead":
            self.in_head = True
        elif tag == "tr" and self.rows is not None and not self.in_head:
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "br":
            (self.cell if self.cell is not None else self.text).append("\n")
        elif tag in _BLOCKS:
            self.block, self.classes, self.text = tag, classes, []

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag in ("script", "style", "div"):
                self.skip -= 1
            return
        if tag in ("td", "th") and self.cell is not None and self.rows is not None:
            value = "".join(self.cell).strip()
            if self.in_head:
                self.header = [*(self.header or []), value]
            elif self.rows:
                self.rows[-1].append(value)
            self.cell = None
        elif tag == "thead":
            self.in_head = False
        elif tag == "table" and self.rows is not None:
            self.writer.table([r for r in self.rows if r], header=self.header)
            self.rows = None
        elif tag == "ul":
            self.writer.bullets(self.items)
            self.items = []
        elif tag == "dl":
            self.writer.table(self.facts)
            self.facts = []
        elif tag == self.block:
            text = "".join(self.text).strip()
            if tag.startswith("h"):
                self.writer.heading(text, int(tag[1]))
            elif tag == "li":
                self.items.append(text)
            elif tag == "dt":
                self.facts.append([text])
            elif tag == "dd":
                if not self.facts:
                    self.facts.append([""])
                self.facts[-1].append(text)
            elif text:
                kinds = set(self.classes)
                self.writer.paragraph(text, italic=bool(_ITALIC & kinds), bold=bool(_BOLD & kinds))
            self.block = None

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.block is not None:
            self.text.append(data)


def write_docx(case: Any, output: str | Path, *, redact: bool = False, accounts: list[str] | None = None,
               progress: Any = None) -> Path:
    """Write the case's report as a Word file (the HTML report's sections, in order); returns its path."""
    from . import sections

    def stage(text: str, fraction: float) -> None:
        log.info("report: %s", text)
        if progress is not None:
            progress(text, fraction)

    stage("Preparing the case", 0.0)
    ctx = sections.prepare(case.path, redact=redact, accounts=accounts)
    writer = DocxWriter(marking=sections.marking_text(ctx), title=str(ctx.config.get("title", "Case report")))
    for n, section in enumerate(sections.SECTIONS):
        stage(f"Writing {section.__name__.replace('_', ' ')}", 0.1 + 0.8 * n / len(sections.SECTIONS))
        writer.add_html(section(ctx).html, ctx.figures)
    stage(f"Writing {output}", 0.9)
    return writer.save(output)
