"""The report in a real browser (headless Chromium): offline, no errors, hostile text inert, figures drawn."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from test_report import build_case, build_sample

from investigate.report import write_report

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("browser")
    case = build_case(base / "case")
    return {"plain": write_report(case, base / "plain.html"),
            "redacted": write_report(case, base / "redacted.html", redact=True)}


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def open_report(browser, path: Path) -> dict:  # noqa: ANN001
    """Load a report with every non-file request aborted; return what happened."""
    seen: dict[str, list] = {"requests": [], "errors": [], "dialogs": [], "console": []}
    page = browser.new_page()

    def route(r) -> None:  # noqa: ANN001
        url = r.request.url
        if url.startswith(("file:", "data:")):
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda req: seen["requests"].append(req.url))
    page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))
    page.on("console", lambda msg: seen["console"].append(msg.text) if msg.type == "error" else None)

    def on_dialog(dialog) -> None:  # noqa: ANN001
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    started = time.perf_counter()
    page.goto(path.resolve().as_uri(), wait_until="load")
    plots = page.locator(".js-plotly-plot").count()
    page.wait_for_function(
        "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n && "
        "[...document.querySelectorAll('.js-plotly-plot')].every(d => d.querySelector('.main-svg'))",
        arg=plots, timeout=30_000)
    # hover the first point of every figure, so hover labels (hostile text among them) get drawn
    page.evaluate("""() => { for (const gd of document.querySelectorAll('.js-plotly-plot')) {
        try { Plotly.Fx.hover(gd, [{curveNumber: 0, pointNumber: 0}]); } catch (e) {} } }""")
    page.wait_for_timeout(300)
    seen["seconds"] = time.perf_counter() - started
    seen["plots"] = plots
    seen["graph_divs"] = page.locator("div.plotly-graph-div").count()
    seen["scripts"] = page.locator("script").count()
    seen["bad_elements"] = page.evaluate("""() => document.querySelectorAll(
        'img, iframe, object, embed, link, [onerror], [onload], [onclick], [onmouseover], script[src], u, b > script'
    ).length""")
    seen["svg_outside_plots"] = page.evaluate(
        "() => [...document.querySelectorAll('svg')].filter(s => !s.closest('.js-plotly-plot') "
        "&& s.id !== 'js-plotly-tester').length")  # plotly's own off-screen text-measuring svg
    seen["text"] = page.inner_text("body")
    page.close()
    return seen


@pytest.mark.parametrize("which", ["plain", "redacted"])
def test_report_in_chromium(browser, reports: dict[str, Path], which: str) -> None:  # noqa: ANN001
    path = reports[which]
    seen = open_report(browser, path)
    print(f"{which} report: {path.stat().st_size:,} bytes, {seen['plots']} figures, loaded and drawn in "
          f"{seen['seconds']:.1f} s")
    outside = [u for u in seen["requests"] if not u.startswith(("file:", "data:"))]
    assert outside == [], outside
    assert seen["requests"] == [path.resolve().as_uri()]  # the page itself and nothing else
    assert seen["errors"] == []
    assert seen["dialogs"] == []
    assert seen["console"] == []
    assert seen["plots"] == 4 and seen["graph_divs"] == 4
    assert seen["scripts"] == 1 + seen["graph_divs"]  # plotly.js once, one call per figure: nothing injected
    assert seen["bad_elements"] == 0
    assert seen["svg_outside_plots"] == 0
    if which == "plain":  # the hostile text is shown, as text
        assert "<script>alert(1)</script>" in seen["text"]
        assert "<img src=x onerror=alert(1)>" in seen["text"]
    else:
        assert "Learner A" in seen["text"] and "Zephyrine" not in seen["text"]


def test_the_browser_checks_catch_injection(browser, reports: dict[str, Path], tmp_path: Path) -> None:  # noqa: ANN001
    """A negative control: the same checks on a page with unescaped markup and a CDN script do fail."""
    page = reports["plain"].read_text(encoding="utf-8")
    bad = tmp_path / "bad.html"
    bad.write_text(page.replace("<main>", '<main><img src=x onerror="alert(1)">'
                                          '<script src="https://cdn.example.invalid/x.js"></script>', 1),
                   encoding="utf-8")
    seen = open_report(browser, bad)
    assert seen["dialogs"] == ["1"]
    assert "https://cdn.example.invalid/x.js" in seen["requests"]
    assert seen["bad_elements"] >= 2
    assert seen["scripts"] == 2 + seen["graph_divs"]


def test_sample_case_report_in_chromium(browser, tmp_path: Path) -> None:  # noqa: ANN001
    case = build_sample(tmp_path / "case")
    path = write_report(case, tmp_path / "sample.html", redact=True)
    seen = open_report(browser, path)
    print(f"sample report (redacted): {path.stat().st_size:,} bytes, {seen['plots']} figures, loaded and drawn "
          f"in {seen['seconds']:.1f} s")
    assert seen["requests"] == [path.resolve().as_uri()]
    assert seen["errors"] == [] and seen["dialogs"] == [] and seen["console"] == []
    assert seen["plots"] >= 4 and seen["scripts"] == 1 + seen["graph_divs"]
    assert seen["bad_elements"] == 0


# ------------------------------------------------------------------------------------------- hostile handles
SPY = 'x<span style="cursor:url(https://example.invalid/spy.png),auto">spy</span>'
LINK = 'y<a href="https://example.invalid/phish">click</a>'


def hostile_case(path: Path):  # noqa: ANN201
    """A subject whose strongest leads and lookalike have handles that are markup fetching a URL."""
    import pandas as pd

    from investigate.case import Case
    from investigate.schema import handle_key

    case = Case.create(path, title="Hostile handles", school=["Grimblewood Academy"])
    handles = ["Fake.Head", "Fake.Head_", SPY, LINK, "plain.fan"]
    accounts = pd.DataFrame({"platform": "tiktok", "handle": handles,
                             "role": ["subject", "copycat", "unknown", "unknown", "unknown"]})
    accounts["handle_key"] = accounts["handle"].map(handle_key)
    keys = accounts["handle_key"].tolist()
    subject, copycat, fans = keys[0], keys[1], keys[2:]
    rel = pd.DataFrame({"platform": "tiktok", "follower": fans + fans[:2] + [subject] * 2,
                        "followed": [subject] * 3 + [copycat] * 2 + fans[:2], "position": [1, 2, 3, 1, 2, 1, 2],
                        "observed_at": pd.Timestamp("2025-11-27 13:00", tz="UTC")})
    posts = pd.DataFrame({"platform": "tiktok", "account": subject, "post_id": ["p1"],
                          "posted_at": [pd.Timestamp("2025-11-24 08:15", tz="UTC")], "text": [f"hi @{SPY}"]})
    inter = pd.DataFrame({"platform": "tiktok", "actor": fans[:2], "kind": "comment", "on_account": subject,
                          "post_id": "p1", "text": [LINK, SPY], "at": pd.Timestamp("2025-11-24 08:20", tz="UTC")})
    case.add_rows({"accounts": accounts, "relationships": rel, "posts": posts, "interactions": inter},
                  what="hostile rows")
    case.add_event(at="2025-11-23 19:00", kind="account created", summary=f"{SPY} and {LINK}", accounts=subject)
    return case


def hover_everything(browser, path: Path) -> dict:  # noqa: ANN001
    """Open a report, hover every point of every figure, and report requests, links and styled URLs."""
    seen = open_report(browser, path)
    page = browser.new_page()
    requests: list[str] = []
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    page.on("request", lambda req: requests.append(req.url))
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')].every(d => "
                           "d.querySelector('.main-svg'))", timeout=30_000)
    page.evaluate("""() => { for (const gd of document.querySelectorAll('.js-plotly-plot')) {
        gd.data.forEach((trace, c) => { const n = (trace.x || trace.z || []).length;
            for (let p = 0; p < n; p++) { try { Plotly.Fx.hover(gd, [{curveNumber: c, pointNumber: p}]); }
                                        catch (e) {} } }); } }""")
    page.wait_for_timeout(300)
    seen["hover_requests"] = requests
    seen["links"] = page.evaluate("() => document.querySelectorAll('a[href], a[*|href]').length")
    seen["styled_urls"] = page.evaluate(
        "() => [...document.querySelectorAll('[style]')].filter(e => /url\\(\\s*['\"]?\\s*[^'\"#\\s]/i"
        ".test(e.getAttribute('style'))).length")  # plotly's own fills point at #ids in the page
    seen["labels"] = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot text')]"
                                   ".map(t => t.textContent).join('\\n')")
    page.close()
    return seen


@pytest.mark.parametrize("redact", [False, True])
def test_hostile_handles_in_figures_fetch_nothing(browser, tmp_path: Path, redact: bool) -> None:  # noqa: ANN001
    case = hostile_case(tmp_path / "case")
    path = write_report(case, tmp_path / "hostile.html", redact=redact)
    seen = hover_everything(browser, path)
    assert seen["requests"] == [path.resolve().as_uri()] and seen["hover_requests"] == [path.resolve().as_uri()]
    assert seen["links"] == 0 and seen["styled_urls"] == 0
    assert seen["errors"] == [] and seen["dialogs"] == [] and seen["bad_elements"] == 0
    if not redact:  # the handles are shown, as text, in the figures' labels
        assert "<span style=" in seen["labels"] and "<a href=" in seen["labels"]


# ------------------------------------------------------------------------------------------- printing
def pdf_pages(pdf: bytes) -> int:
    import re

    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def print_to_pdf(browser, path: Path, *, summary_only: bool = False) -> bytes:  # noqa: ANN001
    page = browser.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')].every(d => "
                           "d.querySelector('.main-svg'))", timeout=30_000)
    if summary_only:  # the header and the summary, nothing after: what the first page holds
        page.evaluate("""() => { const cells = [...document.querySelectorAll('.jp-Cell')];
            const at = cells.findIndex(c => /Findings of the analyst/.test(c.textContent));
            cells.slice(at).forEach(c => c.remove()); }""")
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    page.close()
    return pdf


@pytest.mark.slow
def test_the_sample_report_prints_on_at_most_15_a4_pages_and_its_summary_on_the_first(browser, tmp_path: Path
                                                                                       ) -> None:  # noqa: ANN001
    case = build_sample(tmp_path / "case")
    for redact in (False, True):
        path = write_report(case, tmp_path / f"sample-{redact}.html", redact=redact)
        pages = pdf_pages(print_to_pdf(browser, path))
        first = pdf_pages(print_to_pdf(browser, path, summary_only=True))
        print(f"sample report ({'redacted' if redact else 'internal'}): {pages} A4 pages; header and summary "
              f"on {first}")
        assert 2 <= pages <= 15
        assert first == 1
