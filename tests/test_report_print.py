"""The bundled case's report printed from Chromium to A4 PDF: the marking on every page hides no word,
every figure fits the page, and the whole report takes at most 15 pages.

Word positions come from poppler's ``pdftotext -bbox-layout`` (Debian's poppler-utils, installed by .ci/run).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
from test_report import build_sample
from test_report_browser import CHROMIUM, browser, print_to_pdf  # noqa: F401 - browser is a fixture

from investigate.report import write_report

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
              pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")]

#: a word this close (PDF points) to the marking's text counts as under it (the dark band around the text)
BAND = 2.0
#: the page number printed in the bottom margin, beside the marking
_PAGE_NUMBER = re.compile(r"Page \d+ of \d+")


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Page:
    width: float
    height: float
    lines: list[list[Word]]
    marking: str = ""  # the report's classification marking, as printed

    def is_marking(self, line: list[Word]) -> bool:
        return " ".join(w.text for w in line) == self.marking


def pdf_words(pdf: Path) -> list[Page]:
    """Every page of a PDF with its lines of words and their boxes (points, from the top left)."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.DOTALL):
        lines = []
        for line in re.finditer(r"<line[^>]*>(.*?)</line>", page.group(3), re.DOTALL):
            lines.append([Word(unescape(m.group(5)), *(float(m.group(i)) for i in range(1, 5))) for m in re.finditer(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                line.group(1))])
        pages.append(Page(float(page.group(1)), float(page.group(2)), lines))
    return pages


def banners(page: Page) -> list[tuple[float, float]]:
    """The vertical extent of each marking line on a page, widened by :data:`BAND`."""
    return [(min(w.y0 for w in line) - BAND, max(w.y1 for w in line) + BAND) for line in page.lines
            if page.is_marking(line)]


def under_banner(page: Page) -> list[str]:
    """Words (other than the marking's own) lying in a marking's band, across the page's whole width."""
    bands = banners(page)
    return [w.text for line in page.lines if not page.is_marking(line) and not _PAGE_NUMBER.fullmatch(
            " ".join(w.text for w in line)) for w in line if any(w.y0 < bottom and w.y1 > top for top, bottom in bands)]


@pytest.fixture(scope="module")
def printed(browser, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Page]]:  # noqa: ANN001, F811
    base = tmp_path_factory.mktemp("print")
    case = build_sample(base / "case")
    out = {}
    for which, redact in (("internal", False), ("redacted", True)):
        html = write_report(case, base / f"{which}.html", redact=redact)
        pdf = base / f"{which}.pdf"
        pdf.write_bytes(print_to_pdf(browser, html))
        marking = re.search(r'<div class="inv-marking">(.*?)</div>', html.read_text(encoding="utf-8"))
        assert marking is not None
        out[which] = [Page(p.width, p.height, p.lines, " ".join(unescape(marking.group(1)).split()))
                      for p in pdf_words(pdf)]
    return out


@pytest.mark.parametrize("which", ["internal", "redacted"])
def test_the_marking_is_on_every_printed_page_and_hides_no_word(printed: dict[str, list[Page]], which: str) -> None:
    pages = printed[which]
    assert 2 <= len(pages) <= 15, f"{len(pages)} A4 pages"
    hidden = {n + 1: under_banner(page) for n, page in enumerate(pages)}
    assert {n: words for n, words in hidden.items() if words} == {}
    for n, page in enumerate(pages, start=1):
        tops = sorted(top for top, _ in banners(page))
        assert len(tops) == 2, f"page {n}: the marking at the top and the foot"
        assert tops[0] < 0.06 * page.height and tops[1] > 0.94 * page.height - 20, f"page {n}: {tops}"


def overlapping(page: Page) -> list[tuple[str, str]]:
    """Pairs of words drawn over each other (a point of slack: the glyph boxes of a wrapped cell's lines
    touch): a figure cut off and overlaid by the next one, a label over a label, a banner over a row."""
    words = sorted((w for line in page.lines for w in line), key=lambda w: w.y0)
    pairs = []
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            if b.y0 >= a.y1 - 1:
                break
            if a.x0 < b.x1 - 1 and b.x0 < a.x1 - 1:
                pairs.append((a.text, b.text))
    return pairs


@pytest.mark.parametrize("which", ["internal", "redacted"])
def test_no_printed_word_lies_over_another_or_off_the_page(printed: dict[str, list[Page]], which: str) -> None:
    """Side by side, the 'Shared followers' matrix was cut to half the page and its labels drawn under the
    next figure; the marking was drawn over rows. Every word is now printed clear, inside the margins."""
    pages = printed[which]
    assert {n: pairs for n, page in enumerate(pages, start=1) if (pairs := overlapping(page))} == {}
    outside = [(n, w.text) for n, page in enumerate(pages, start=1) for line in page.lines for w in line
               if w.x1 > page.width - 10 or w.x0 < 10]
    assert outside == []
    text = "\n".join(" ".join(w.text for w in line) for page in pages for line in page.lines)
    assert "Shared followers" in text and "Who follows which account" in text
