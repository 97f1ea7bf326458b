"""The Word report: the HTML report's sections, tables and figures (as pictures), redacted the same way,
and a file LibreOffice opens (checked when ``soffice`` is installed)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from test_report import XSS_IMG, XSS_SCRIPT, build_case, build_sample, name_needles

from investigate.report import write_report

SOFFICE = shutil.which("soffice")


def document_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    parts += [p.text for s in doc.sections for part in (s.header, s.footer) for p in part.paragraphs]
    return "\n".join([*parts, doc.core_properties.title or ""])


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("docx")
    case = build_sample(base / "case")
    return {"case": case, "plain": write_report(case, base / "report.docx"),
            "redacted": write_report(case, base / "redacted.docx", redact=True),
            "html": write_report(case, base / "report.html")}


def test_the_word_report_has_the_html_reports_sections_and_figures(sample: dict) -> None:
    doc = Document(str(sample["plain"]))
    in_word = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    page = Path(sample["html"]).read_text(encoding="utf-8")
    in_html = [html.unescape(re.sub(r"<[^>]+>", "", h)) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", page)]
    assert in_word == in_html and "Findings of the analyst" in in_word
    assert len(doc.inline_shapes) == page.count('class="plotly-graph-div"') >= 5  # every figure, as a picture
    section = doc.sections[0]
    assert section.header.paragraphs[0].text.startswith("TRAINING - FICTIONAL DATA")
    assert section.footer.paragraphs[0].text == section.header.paragraphs[0].text
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    xml = doc.element.xml
    assert "w:tblHeader" in xml and "w:cantSplit" in xml  # header rows repeat, rows never split
    text = document_text(Path(sample["plain"]))
    assert "Cyrillic \u0435 in place of e" in text and "Reasons: No threats" in text and "OVERDUE" in text
    audit = sample["case"].table("audit")
    assert '"format": "docx"' in audit[audit["what"] == "report written"]["details"].iloc[0]


def test_the_section_order_and_the_closing_line_are_written_once(sample: dict) -> None:
    """The HTML report's notebook gets its section cells from SECTIONS (the Word file loops over it), and
    both close with the same line (the Word file had its own, without the kit's version)."""
    from investigate.report._render import report_notebook
    from investigate.report.sections import SECTIONS

    cells = [c.source for c in report_notebook().cells]
    assert cells[-len(SECTIONS):] == [f"report.{section.__name__}(ctx)" for section in SECTIONS]
    assert not any("report." in c and "(ctx)" in c for c in cells[:-len(SECTIONS)])
    page = html.unescape(re.sub(r"<[^>]+>", "", Path(sample["html"]).read_text(encoding="utf-8")))
    closing = [p.text for p in Document(str(sample["plain"])).paragraphs if p.text.startswith("Written by")]
    stamp = r"\d\d/\d\d/\d{4} \d\d:\d\d [A-Z]{3,4}"  # the two files may be written a minute apart
    assert len(closing) == 1 and re.sub(stamp, "T", closing[0]) in re.sub(stamp, "T", page)


def test_the_word_report_writes_times_day_first_and_kinds_in_words(sample: dict) -> None:
    text = document_text(sample["plain"])
    assert "03/11/2025 15:48 GMT" in text and not re.search(r"\b\d{4}-\d\d-\d\d \d\d:\d\d\b", text)
    assert "Report to the platform" in text and "platform_report" not in text
    assert "@brambleshaw.wobbl[\u0435]ton" in text and "(s)" not in text


def test_the_redacted_word_report_names_nobody(sample: dict) -> None:
    text = document_text(Path(sample["redacted"])).casefold()
    people = sample["case"].table("people")
    leaked = [n for n in name_needles(people)
              if re.search(rf"(?<![^\W\d_]){re.escape(n.casefold())}(?![^\W\d_])", text)]
    handles = {h.strip().casefold() for hs in people["handles"].dropna() for h in hs.split(",")} - {""}
    leaked += [h for h in handles if re.search(rf"(?<![\w.]){re.escape(h)}(?![\w])", text)]
    assert leaked == []
    assert "subject account" in text and "lookalike 2" in text


def test_hostile_text_stays_text_in_word(tmp_path: Path) -> None:
    case = build_case(tmp_path / "case")
    text = document_text(write_report(case, tmp_path / "hostile.docx"))
    assert XSS_SCRIPT in text and XSS_IMG in text


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_word_report(sample: dict, tmp_path: Path) -> None:
    for key in ("plain", "redacted"):
        done = subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                               "--convert-to", "pdf", "--outdir", str(tmp_path), str(sample[key])],
                              capture_output=True, text=True, timeout=240, check=False)
        pdf = tmp_path / (Path(sample[key]).stem + ".pdf")
        assert done.returncode == 0 and pdf.is_file(), done.stderr
        pages = len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))
        print(f"{Path(sample[key]).name}: {pages} pages once converted by LibreOffice")
        assert pages >= 5


def test_a_title_longer_than_words_limit_is_written_and_table_words_are_not_split(tmp_path: Path) -> None:
    """Word keeps a document title of at most 255 characters: a longer case title crashed the report
    (ValueError); the title is kept whole in the text. A column is never narrower than its longest word of up
    to 16 letters (a header such as "Evidence", a time, an evidence number were split: "Eviden-ce")."""
    from investigate.case import Case

    title = "Fake account " + "impersonating the school and its staff " * 8
    assert len(title) > 255
    case = Case.create(tmp_path / "case", title=title, school=["Grimblewood Academy"])
    path = write_report(case, tmp_path / "r.docx")
    doc = Document(str(path))
    assert len(doc.core_properties.title) == 255
    assert " ".join(title.split()) in "\n".join(" ".join(p.text.split()) for p in doc.paragraphs)
    for table in Document(str(sample_docx(tmp_path))).tables:
        for row in table.rows:
            for cell in row.cells:
                words = [w for w in cell.text.split() if len(w) <= 16]  # longer links and file names may wrap
                if words:  # 8 pt text: about 1.75 mm a character, 2.2 mm of padding
                    assert cell.width is None or cell.width.mm + 0.5 >= 2.2 + 1.75 * max(map(len, words)) - 1, \
                        (cell.text, cell.width.mm)


def sample_docx(tmp_path: Path) -> Path:
    """A small case's Word report (the hostile case of test_report: long handles, URLs and fingerprints)."""
    return write_report(build_case(tmp_path / "small"), tmp_path / "small.docx")
