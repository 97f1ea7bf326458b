"""The app view in a real browser: Voila on 127.0.0.1 serving notebook 03, driven by headless Chromium.

Choosing another subject account in the dropdown must redraw the figures and the leads, and no
request may leave 127.0.0.1.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest

from investigate.case import Case
from investigate.launch import app_command, free_port, server_env, write_token
from investigate.notebooks import notebooks_dir

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
HOSTILE = "<img src=x onerror=alert(1)>"


def _case(path: Path) -> Case:
    """Two fake accounts with different followers, and a follower with a hostile handle."""
    case = Case.create(path, title="Fake staff accounts at Grimblewood Academy", school=["Grimblewood Academy"],
                       analyst="Zephyrine Quillfeather")
    accounts = pd.DataFrame({
        "platform": "tiktok",
        "handle": ["Fake.Head_Teacher", "Grimblewood.Gossip", "grimblewood_official"],
        "handle_key": ["fake.head_teacher", "grimblewood.gossip", "grimblewood_official"],
        "role": ["subject", "subject", "school"],
    })
    rows = []
    for subject, fans in (("fake.head_teacher", ["barnaby_t", "quill.feather", "mossbottom.fan", HOSTILE]),
                          ("grimblewood.gossip", ["pip.puddingstone", "quill.feather", "wobbleton_w"])):
        for i, fan in enumerate(fans, start=1):
            rows.append({"platform": "tiktok", "follower": fan, "followed": subject, "position": i,
                         "observed_list": f"followers of @{subject}"})
        for i, fan in enumerate(fans[:2], start=1):
            rows.append({"platform": "tiktok", "follower": subject, "followed": fan, "position": i,
                         "observed_list": f"following of @{subject}"})
    case.add_rows({"accounts": accounts, "relationships": pd.DataFrame(rows)}, what="test data")
    return case


def _wait_ready(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"voila did not answer on {url}")


@pytest.fixture
def voila(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Voila serving notebook 03 on a free loopback port, with fresh Jupyter folders."""
    with _voila(tmp_path, monkeypatch) as (url, _):
        yield url


@contextmanager
def _voila(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **options: int) -> Iterator[tuple[str, int]]:
    """Voila (the app's command line, with ``options`` of :func:`app_command`) serving notebook 03; yields
    its tokened address and its process id."""
    case = _case(tmp_path / "case")
    monkeypatch.setenv("INVESTIGATE_WORK", str(tmp_path / "work"))
    env = server_env(case.path)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        folder = tmp_path / name.lower()
        folder.mkdir()
        env[name] = str(folder)
    port = free_port()
    sockets = tmp_path / "sockets"
    sockets.mkdir(mode=0o700)
    token, token_file = write_token(sockets)
    env["JUPYTER_TOKEN_FILE"] = str(token_file)
    command = app_command(notebooks_dir() / "03_overlap_and_leads.ipynb", port=port, open_browser=False,
                          socket_dir=sockets, **options)
    log = open(tmp_path / "voila.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}/?token={token}"
    try:
        _wait_ready(url, proc)
        yield url, proc.pid
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def _figures(page) -> list[str]:
    """The text drawn in each plotly figure on the page (axis labels, node names, titles)."""
    return page.eval_on_selector_all(".js-plotly-plot .main-svg", "els => els.map(e => e.textContent)")


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")
def test_choosing_another_subject_redraws_the_figures_and_stays_on_loopback(voila: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    blocked: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

            def guard(route):  # never let a request leave the machine, but record it
                host = urlparse(route.request.url).hostname
                if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
                    route.continue_()
                else:
                    blocked.append(route.request.url)
                    route.abort()

            page.route("**/*", guard)
            page.goto(voila, wait_until="commit", timeout=90_000)
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=90_000)
            page.wait_for_selector("text=Leads for @fake.head_teacher", timeout=30_000)
            # the notebook's kernel talks over Unix sockets in the private folder, not loopback TCP
            assert any(s.is_socket() for s in (tmp_path / "sockets").iterdir())
            before = _figures(page)
            assert len(before) >= 2
            assert page.locator("text=leads to follow up, not findings").count() >= 1
            # the tables are the report's (html.table) and their class-scoped style applies in Voila
            cells = page.locator("table.inv-table td")
            assert cells.count() > 0
            assert cells.first.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"

            select = page.locator(".widget-dropdown select").first
            labels = select.locator("option").all_inner_texts()
            assert labels[0].startswith("@Fake.Head_Teacher")
            other = next(label for label in labels if label.startswith("@Grimblewood.Gossip"))
            select.select_option(label=other)
            page.wait_for_selector("text=Leads for @grimblewood.gossip", timeout=60_000)
            deadline = time.monotonic() + 30
            while (after := _figures(page)) == before and time.monotonic() < deadline:
                page.wait_for_timeout(200)
            assert after != before, "the figures did not change with the subject"
            assert any("grimblewood.gossip" in text for text in after)
            # the hostile handle is shown as text, never run
            assert page.locator("img[src='x']").count() == 0
        finally:
            browser.close()
    assert requests, "the browser made no requests at all"
    assert not blocked, f"requests tried to leave 127.0.0.1: {blocked}"
    assert all(urlparse(u).hostname == "127.0.0.1" for u in requests if not u.startswith(("data:", "blob:")))
    assert not dialogs, f"a dialog opened: {dialogs}"
    assert not errors, f"page errors: {errors}"
    assert "without encryption" not in (tmp_path / "voila.log").read_text(errors="replace")


def _kernels(server: int) -> list[int]:
    """The kernels the server ``server`` (a process id) runs: its children running ipykernel."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            line = (entry / "cmdline").read_bytes().decode(errors="replace")
        except (OSError, ValueError, IndexError):
            continue
        if parent == server and "ipykernel" in line:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")
def test_a_page_left_does_not_leave_its_kernel_running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page visited kept a kernel until the server stopped (Voila's shutdown request on leaving a page
    is refused for want of an XSRF token): a DSL moving between steps all day piled them up. The app's
    culling settings, with shorter times here, stop a kernel once no page is connected to it, and never
    while its page is open."""
    from playwright.sync_api import sync_playwright

    with _voila(tmp_path, monkeypatch, kernel_idle_seconds=2) as (url, server), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            page.goto(url, wait_until="commit", timeout=90_000)
            page.wait_for_selector("text=Leads for @fake.head_teacher", timeout=90_000)
            time.sleep(5)  # idle, but its page is open: kept (the server's own first render is culled meanwhile)
            assert len(_kernels(server)) == 1
            page.close()
            deadline = time.monotonic() + 60
            while _kernels(server) and time.monotonic() < deadline:
                time.sleep(0.5)
            assert not _kernels(server), "the kernel of the page left is still running"
        finally:
            browser.close()
