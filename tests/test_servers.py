"""``investigate lab`` and ``investigate app`` as a user starts them: real servers on 127.0.0.1.

Each must: keep its token off every command line, answer nothing without the token, refuse a
foreign Host header (DNS rebinding), open on the start page, keep no kernel input history, and
on SIGTERM stop its server and kernels and remove its private folder.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest

from investigate.case import Case
from investigate.launch import free_port

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")]


def _get(port: int, path: str, *, host: str | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Host": host or f"127.0.0.1:{port}"}
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    conn.close()
    return response


def _wait(condition, what: str, timeout: float = 180):  # noqa: ANN001, ANN202
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise TimeoutError(f"waited {timeout:.0f} s for {what}")


def _answers(port: int) -> bool:
    try:
        _get(port, "/favicon.ico")
    except OSError:
        return False
    return True


def _command_lines() -> dict[int, str]:
    lines = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                lines[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
    return lines


def _server_pids(port: int) -> list[int]:
    return [pid for pid, line in _command_lines().items() if f"--port={port}" in line and pid != os.getpid()]


@dataclass
class Launched:
    port: int
    token: str
    launcher: subprocess.Popen
    log: Path
    address: str


@contextmanager
def launched(tmp_path: Path, command: str) -> Iterator[Launched]:
    """``investigate COMMAND case`` started as a user would (a relative case folder, as the README says:
    investigate lab demo-case/case), in fresh Jupyter folders; stopped with SIGTERM to the launcher only,
    as a service manager would."""
    env = {**os.environ, "INVESTIGATE_WORK": str(tmp_path / "work"), "TMPDIR": str(tmp_path / "tmp")}
    env.pop("INVESTIGATE_CASE", None)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "tmp"):
        (tmp_path / name.lower()).mkdir()
        if name != "tmp":
            env[name] = str(tmp_path / name.lower())
    port = free_port()
    err = tmp_path / "launcher.log"
    with open(err, "wb") as log:
        launcher = subprocess.Popen([sys.executable, "-m", "investigate.cli", command, "case", f"--port={port}",
                                     "--no-browser"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
    try:
        _wait(lambda: "Open this address in a browser:" in err.read_text() or launcher.poll() is not None,
              "the address to be printed")
        assert launcher.poll() is None, err.read_text()
        assert _answers(port), err.read_text()  # --no-browser prints the address once the server answers
        address = re.search(r"Open this address in a browser: (\S+)", err.read_text())  # --no-browser: no "if"
        assert address, err.read_text()
        yield Launched(port, address.group(1).split("token=", 1)[1], launcher, err, address.group(1))
    finally:
        if launcher.poll() is None:
            os.kill(launcher.pid, signal.SIGTERM)
        launcher.wait(timeout=120)


@pytest.mark.parametrize("command", ["lab", "app"])
def test_a_server_needs_its_token_refuses_foreign_hosts_and_stops_on_sigterm(tmp_path: Path, command: str) -> None:
    Case.create(tmp_path / "case", title="Fake staff accounts at Grimblewood Academy")
    with launched(tmp_path, command) as server:
        port, token = server.port, server.token
        assert len(token) >= 24
        # the printed address opens the start page (JupyterLab's own default is its Launcher)
        assert urlparse(server.address).path == ("/lab/tree/00_start_here.ipynb" if command == "lab" else "/")

        # no process on the computer shows the token on its command line
        servers = _server_pids(port)
        assert servers
        assert not [line for line in _command_lines().values() if token in line]
        # nothing is answered without the token
        start = "/lab/tree/00_start_here.ipynb" if command == "lab" else "/voila/render/00_start_here.ipynb"
        contents = "/api/contents" if command == "lab" else "/voila/api/contents"
        for path in ("/", start, contents, "/investigate/exports/report.html"):
            response = _get(port, path)
            for _ in range(3):  # follow redirects within the server (JupyterLab's / -> its start page)
                where = response.getheader("Location", "")
                if response.status != 302 or "login" in where:
                    break
                response = _get(port, where)
            assert response.status in (302, 401, 403), (path, response.status)
            assert response.status != 302 or "login" in response.getheader("Location", "")
            assert b"Grimblewood" not in response.body  # type: ignore[attr-defined]

        # a foreign Host header is refused, even with the token
        for path in (start, contents, "/investigate/exports/report.html"):
            foreign = _get(port, f"{path}?token={token}", host=f"evil.example:{port}")
            assert foreign.status == 403, (path, foreign.status)

        # with the token: the start page
        if command == "app":  # the app opens on the start page, not on Voila's list of files
            first = _get(port, f"/?token={token}")
            assert first.status == 302 and first.getheader("Location").endswith(start)
        page = _get(port, f"{start}?token={token}")
        assert page.status == 200
        (tmp_path / "case" / "exports" / "report-internal.html").write_text("<p>the written report</p>")
        report = _get(port, f"/investigate/exports/report-internal.html?token={token}")
        assert report.status == 200 and report.body == b"<p>the written report</p>"  # type: ignore[attr-defined]
        assert report.getheader("Content-Security-Policy").startswith("sandbox allow-scripts")  # not same-origin
        assert _get(port, f"/investigate/exports/..%2Fcase.toml?token={token}").status == 404
        if command == "app":  # Voila renders the start page's text on the server
            assert b"Start here" in page.body  # type: ignore[attr-defined]
        os.kill(server.launcher.pid, signal.SIGTERM)  # the launcher only, as a service manager would
        assert server.launcher.wait(timeout=120) == 0
    assert not [pid for pid in servers if Path(f"/proc/{pid}").exists()
                and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()]
    assert not _answers(port)
    left = [line for pid, line in _command_lines().items() if str(tmp_path) in line and pid != os.getpid()]
    assert not left, f"processes left running (kernels?): {left}"
    assert not list((tmp_path / "tmp").glob("investigate-server-*")), "the private folder was left behind"
    assert not list((tmp_path / "tmp").glob("voila_*")), "Voila's connection files were left behind"
    assert not list((tmp_path / "ipythondir").rglob("history.sqlite")), "kernel input history was written"


CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def _guard(route, blocked: list[str]) -> None:  # noqa: ANN001 - never let a request leave the machine
    url = route.request.url
    if url.startswith(("data:", "blob:")) or urlparse(url).hostname == "127.0.0.1":
        route.continue_()
    else:
        blocked.append(url)
        route.abort()


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")
def test_jupyterlab_opens_on_the_start_page_and_asks_nothing_of_the_internet(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    Case.create(tmp_path / "case", title="Fake staff accounts at Grimblewood Academy")
    requests: list[str] = []
    blocked: list[str] = []
    with launched(tmp_path, "lab") as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(120_000)
            page.on("request", lambda r: requests.append(r.url))
            page.route("**/*", lambda route: _guard(route, blocked))
            page.goto(f"http://127.0.0.1:{server.port}/?token={server.token}", wait_until="commit")
            page.wait_for_selector(".jp-Notebook .jp-MarkdownOutput:has-text('Start here')")
            page.wait_for_selector("text=Python 3 (ipykernel) | Idle")  # its kernel started and answered
        finally:
            browser.close()
    assert any("00_start_here.ipynb" in u for u in requests)
    assert not blocked, f"requests tried to leave 127.0.0.1: {blocked}"
    assert not list((tmp_path / "ipythondir").rglob("history.sqlite")), "kernel input history was written"


def _unmarked_case(path: Path) -> Case:
    """A case as the README's commands leave it: lists imported, no account marked yet."""
    case = Case.create(path, title="Fake staff accounts at Grimblewood Academy", school=["Grimblewood Academy"])
    subject, copy = "fake.head_teacher", "fake.head_teacher_"
    fans = ["barnaby_t", "quill.feather", "mossbottom.fan", "pip.puddingstone"]
    rows = []
    for account in (subject, copy):
        rows += [{"platform": "tiktok", "follower": fan, "followed": account, "position": i,
                  "observed_list": f"followers of @{account}"} for i, fan in enumerate(fans, start=1)]
        rows += [{"platform": "tiktok", "follower": account, "followed": fan, "position": i,
                  "observed_list": f"following of @{account}"} for i, fan in enumerate(fans[:2], start=1)]
    handles = [subject, copy, *fans]
    accounts = pd.DataFrame({"platform": "tiktok", "handle": handles, "handle_key": handles})
    case.add_rows({"accounts": accounts, "relationships": pd.DataFrame(rows)}, what="test data")
    return case


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")
def test_the_app_walks_from_the_start_page_to_each_step_marks_the_subject_and_shows_its_leads(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from investigate.steps import STEPS

    _unmarked_case(tmp_path / "case")
    requests: list[str] = []
    blocked: list[str] = []
    errors: list[str] = []
    with launched(tmp_path, "app") as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(120_000)
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))

            page.route("**/*", lambda route: _guard(route, blocked))
            page.goto(f"http://127.0.0.1:{server.port}/?token={server.token}", wait_until="commit")
            page.wait_for_selector("table.investigate-steps")
            assert page.locator("text=OFFICIAL-SENSITIVE").count() >= 1
            assert page.locator("text=no subject account marked yet").count() == 1
            # step 1 from the start page: mark the subject, then confirm the lookalike offered as a copycat
            page.click("table.investigate-steps a[href='01_gather_evidence.ipynb']")
            page.wait_for_url("**/voila/render/01_gather_evidence.ipynb", wait_until="commit")
            page.wait_for_selector("button:has-text('Mark the account')")
            page.fill("input[placeholder='type the @name']", "@fake.head_teacher")
            page.click("button:has-text('Mark the account')")
            page.wait_for_selector("text=@fake.head_teacher is now marked: subject.")
            page.locator("label:has-text('@fake.head_teacher_') input[type=checkbox]").check()
            page.click("button:has-text('Mark the ticked accounts as copycats')")
            page.wait_for_selector("text=1 already marked as copycat: @fake.head_teacher_; no other account looks like")

            # back to the start page, which now names the subject; on to step 3, where its leads appear
            page.click("text=Back to the start page")
            page.wait_for_url("**/voila/render/00_start_here.ipynb", wait_until="commit")
            page.wait_for_selector("text=subject: @fake.head_teacher")
            links = page.eval_on_selector_all("table.investigate-steps a", "els => els.map(e => e.href)")
            assert [link.rsplit("/", 1)[1] for link in links] == [s.notebook for s in STEPS[1:]]
            page.click("table.investigate-steps a[href='03_overlap_and_leads.ipynb']")
            page.wait_for_selector("text=Leads for @fake.head_teacher")
            page.wait_for_selector(".js-plotly-plot .main-svg")

            # every other step opens under its own heading, with its way back to the start page
            for step, link in zip(STEPS[1:], links, strict=True):
                if step.notebook in ("01_gather_evidence.ipynb", "03_overlap_and_leads.ipynb"):
                    continue  # visited above
                page.goto(link, wait_until="commit")
                page.wait_for_selector(f"h1:has-text('{step.title.split(':')[0]}')")
                back = page.locator("a:has-text('Back to the start page')").first
                back.wait_for()
                assert back.evaluate("a => a.href").endswith("/voila/render/00_start_here.ipynb")
        finally:
            browser.close()
    roles = Case.open(tmp_path / "case").table("accounts").set_index("handle_key")["role"]
    assert roles["fake.head_teacher"] == "subject" and roles["fake.head_teacher_"] == "copycat"
    assert requests, "the browser made no requests at all"
    assert not blocked, f"requests tried to leave 127.0.0.1: {blocked}"
    assert not errors, f"page errors: {errors}"


def test_a_page_left_can_shut_its_kernel_down(tmp_path: Path) -> None:
    """Voila's page sends its kernel's shutdown with the _xsrf cookie's value when it is left; the app never set
    that cookie, so every shutdown was refused (403 '_xsrf' argument missing) and the kernels piled up."""
    from http.cookies import SimpleCookie

    Case.create(tmp_path / "case", title="Fake staff accounts at Grimblewood Academy")
    with launched(tmp_path, "app") as server:
        first = _get(server.port, f"/?token={server.token}")
        jar = SimpleCookie()
        for header in first.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        assert "_xsrf" in jar, first.headers
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        conn.request("POST", "/voila/api/shutdown/00000000-0000-4000-8000-000000000000",
                     body=f"_xsrf={jar['_xsrf'].value}",
                     headers={"Host": f"127.0.0.1:{server.port}", "Origin": f"http://127.0.0.1:{server.port}",
                              "Content-Type": "application/x-www-form-urlencoded",
                              "Cookie": "; ".join(f"{k}={m.value}" for k, m in jar.items())})
        response = conn.getresponse()
        said = response.read()
        conn.close()
        assert response.status != 403, said  # past the xsrf check (no such kernel: not 204 either)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        conn.request("GET", "/voila/render/00_start_here.ipynb", headers={
            "Host": f"127.0.0.1:{server.port}", "Cookie": "; ".join(f"{k}={m.value}" for k, m in jar.items())})
        page = conn.getresponse()
        page.read()
        conn.close()
        assert page.status == 200
        assert "is not trusted" not in server.log.read_text(), server.log.read_text()  # the kit's notebooks are
