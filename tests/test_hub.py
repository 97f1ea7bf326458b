"""The kit under a real JupyterHub (the config ``investigate hub-config`` writes), on loopback.

Two analysts of an invented trust log in over HTTP with their Unix passwords (PAM): Zephyrine is on
the group of the case Grimblewood, Barnaby is not. Her server opens the kit's start page on that
case; his is refused by the kit before it starts, and the file system refuses him too; her kernels'
files and her server's token are closed to him; the hub and its proxy stop cleanly, leaving no
process of theirs behind. One Chromium test walks the start page through the hub's URL prefix.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
from test_servers import _wait
from unix_accounts import CAN_MAKE_USERS, WHY_NOT, Analysts, analysts, processes_of

from investigate.hub import START_URL
from investigate.launch import free_port

pytestmark = pytest.mark.slow

PREFIX = "/investigate/"
CASE = "grimblewood"
TITLE = "Fake staff accounts at Grimblewood Academy"
CHROMIUM = "/usr/bin/chromium"


def _missing() -> str | None:
    if not CAN_MAKE_USERS:
        return WHY_NOT
    if not shutil.which("configurable-http-proxy"):
        return "JupyterHub's proxy is not installed: npm install -g configurable-http-proxy (.ci/run does)"
    try:
        import jupyterhub  # noqa: F401
        import jupyterhub_idle_culler  # noqa: F401
    except ImportError:
        return "jupyterhub and jupyterhub-idle-culler are not installed: pip install -e '.[test]'"
    return None


@dataclass
class Hub:
    url: str  # http://127.0.0.1:PORT/investigate/
    team: Analysts
    process: subprocess.Popen[bytes]
    state: Path
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def _answers(url: str) -> bool:
    import requests

    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def hub() -> Iterator[Hub]:
    why = _missing()
    if why:
        pytest.skip(why)
    with analysts() as team:
        made = team.kit(team.a, "new", str(team.store / CASE), "--title", TITLE, "--group", team.group)
        assert made.returncode == 0, made.stderr
        state = Path(tempfile.mkdtemp(prefix="investigate-hub-"))
        port = free_port()
        config = state / "jupyterhub_config.py"
        written = subprocess.run([sys.executable, "-m", "investigate.cli", "hub-config", "--store", str(team.store),
                                  "-o", str(config), "--analysts", team.analysts,
                                  "--bind-url", f"http://127.0.0.1:{port}{PREFIX}"],
                                 capture_output=True, text=True, timeout=60)
        assert written.returncode == 0, written.stderr
        log = state / "hub.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("INVESTIGATE_", "JUPYTER"))}
        env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '/usr/bin:/bin')}"
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "jupyterhub", "-f", str(config),
                 f"--JupyterHub.hub_bind_url=http://127.0.0.1:{free_port()}",
                 f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{free_port()}"],
                cwd=state, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        running = Hub(f"http://127.0.0.1:{port}{PREFIX}", team, process, state, log)
        try:
            _wait(lambda: _answers(f"{running.url}hub/api/") or process.poll() is not None, "the hub to answer")
            assert process.poll() is None, running.log_text()
            yield running
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
            shutil.rmtree(state, ignore_errors=True)


def _login(hub: Hub, user: str):  # noqa: ANN202 - a requests.Session, logged in
    import requests

    session = requests.Session()
    form = session.get(f"{hub.url}hub/login", timeout=30)
    assert form.status_code == 200
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text)
    data = {"username": user, "password": hub.team.passwords[user], **({"_xsrf": xsrf.group(1)} if xsrf else {})}
    done = session.post(f"{hub.url}hub/login", data=data, timeout=60, allow_redirects=False)
    assert done.status_code == 302, (done.status_code, done.text[:500], hub.log_text()[-2000:])
    return session


def _server_ready(session, hub: Hub, user: str) -> dict | None:  # noqa: ANN001
    model = session.get(f"{hub.url}hub/api/users/{user}", timeout=30).json()
    server = model.get("servers", {}).get(CASE)
    return server if server and server.get("ready") else None


def _start(session, hub: Hub, user: str):  # noqa: ANN001, ANN202 - the response of the server's first page
    session.get(f"{hub.url}hub/spawn/{user}/{CASE}", timeout=120)
    _wait(lambda: _server_ready(session, hub, user), f"{user}'s server to start")
    return session.get(f"{hub.url}user/{user}/{CASE}/", timeout=180)


def _server_process(user: str) -> int:
    found = [pid for pid in processes_of(user)
             if b"investigate.singleuser" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert len(found) == 1, found
    return found[0]


def _environment(pid: int) -> dict[str, str]:
    pairs = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(p.decode().split("=", 1) for p in pairs if b"=" in p)




def test_an_analysts_server_opens_the_start_page_of_her_groups_case(hub: Hub) -> None:
    team = hub.team
    session = _login(hub, team.a)
    page = _start(session, hub, team.a)
    assert page.status_code == 200, (page.status_code, page.url, hub.log_text()[-3000:])
    assert urlparse(page.url).path == f"{PREFIX}user/{team.a}/{CASE}{START_URL}"
    assert "Start here" in page.text
    # her server runs as her, on the case the hub chose for it
    pid = _server_process(team.a)
    env = _environment(pid)
    assert env["INVESTIGATE_CASE"] == str(team.store / CASE)
    # her server reads the case: it serves a report written into it (the start page links to them)
    written = team.store / CASE / "exports" / "report-internal.html"
    assert team.run(team.a, "sh", "-c", f"printf '<p>the written report</p>' > {written}").returncode == 0
    report = session.get(f"{hub.url}user/{team.a}/{CASE}/investigate/exports/{written.name}", timeout=60)
    assert report.status_code == 200 and report.text == "<p>the written report</p>"
    assert report.headers["Content-Security-Policy"].startswith("sandbox")


def test_an_analyst_outside_the_group_is_refused_by_the_kit_and_by_the_file_system(hub: Hub) -> None:
    team = hub.team
    session = _login(hub, team.b)
    first = session.get(f"{hub.url}hub/spawn/{team.b}/{CASE}", timeout=120)
    refusal = f"The case {CASE} belongs to the group '{team.group}', and you ({team.b}) are not in it"
    seen = [first.text]

    def refused() -> bool:
        if refusal in html.unescape(seen[-1]):
            return True
        seen.append(session.get(f"{hub.url}hub/spawn-pending/{team.b}/{CASE}", timeout=30).text)
        return False

    try:
        _wait(refused, "the hub to show the kit's refusal", timeout=30)
    except TimeoutError:
        raise AssertionError(f"{seen[0][-3000:]}\n-----\n{seen[-1][-3000:]}\n----\n{hub.log_text()[-3000:]}") from None
    assert not [pid for pid in processes_of(team.b) if b"singleuser" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    for command in (["ls", str(team.store / CASE)], ["cat", str(team.store / CASE / "case.toml")]):
        denied = team.run(team.b, *command)
        assert denied.returncode != 0 and "Permission denied" in denied.stderr


def test_her_kernels_files_and_token_are_closed_to_him(hub: Hub) -> None:
    team = hub.team
    pid = _server_process(team.a)  # started by the test above
    env = _environment(pid)
    token = env["JUPYTERHUB_API_TOKEN"]
    assert len(token) >= 16
    assert not [p for p in Path("/proc").iterdir() if p.name.isdigit() and _cmdline_has(p, token)]
    runtime = _runtime_dir(team.a)
    assert (runtime.stat().st_mode & 0o777) == 0o700 and runtime.owner() == team.a
    kernels = list(runtime.glob("kernel-*.json"))
    spec = json.loads(kernels[0].read_text())
    assert spec["transport"] == "ipc" and spec["ip"].startswith(str(runtime))  # Unix sockets, not TCP ports
    for command in (["cat", f"/proc/{pid}/environ"], ["ls", str(runtime)], ["cat", str(kernels[0])]):
        denied = team.run(team.b, *command)
        assert denied.returncode != 0 and "Permission denied" in denied.stderr, (command, denied)
    assert not list(team.home[team.a].rglob("history.sqlite")), "kernel input history was written"


def _runtime_dir(user: str) -> Path:
    """The folder of the connection file of ``user``'s kernel (the start page's): the server's private folder."""
    def kernel_files() -> list[str]:
        files = []
        for pid in processes_of(user):
            try:
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
            except OSError:
                continue
            if "ipykernel_launcher" in argv and "-f" in argv:
                files.append(argv[argv.index("-f") + 1])
        return files

    found = _wait(kernel_files, f"{user}'s kernel", timeout=60)
    return Path(found[0]).parent


def _cmdline_has(proc: Path, text: str) -> bool:
    try:
        return text.encode() in (proc / "cmdline").read_bytes()
    except OSError:
        return False


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")
def test_the_start_page_works_in_a_browser_under_the_hubs_prefix(hub: Hub) -> None:
    from playwright.sync_api import sync_playwright

    team = hub.team
    failed: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page()
            page.set_default_timeout(120_000)
            page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.route("**/*", lambda route: route.continue_() if urlparse(route.request.url).hostname == "127.0.0.1"
                       or route.request.url.startswith(("data:", "blob:")) else route.abort())
            page.goto(f"{hub.url}hub/login", wait_until="commit")
            page.fill("input[name=username]", team.a)
            page.fill("input[name=password]", team.passwords[team.a])
            page.click("input[type=submit], button[type=submit]")
            page.wait_for_url("**/hub/**", wait_until="commit")
            page.goto(f"{hub.url}hub/spawn/{team.a}/{CASE}", wait_until="commit")
            page.wait_for_url(f"**{PREFIX}user/{team.a}/{CASE}{START_URL}", wait_until="commit")
            page.wait_for_selector("table.investigate-steps")  # the start page's widget drew itself
            assert page.locator(f"text={TITLE}").count() >= 1
            page.click("table.investigate-steps a[href='01_gather_evidence.ipynb']")
            page.wait_for_url(f"**{PREFIX}user/{team.a}/{CASE}/voila/render/01_gather_evidence.ipynb",
                              wait_until="commit")
            page.wait_for_selector("button:has-text('Mark the account')")
        finally:
            browser.close()
    assert not failed, f"requests that failed under the hub's prefix: {failed}"
    assert not errors, f"page errors: {errors}"


def test_the_hub_and_its_proxy_stop_cleanly(hub: Hub) -> None:
    team = hub.team
    proxy = int((hub.state / "jupyterhub-proxy.pid").read_text().strip())
    assert Path(f"/proc/{proxy}").exists()
    servers = [pid for user in (team.a, team.b) for pid in processes_of(user)]
    culler = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(p) == hub.process.pid
              and _cmdline_has(p, "jupyterhub_idle_culler") and _cmdline_has(p, "--timeout=3600")]
    assert culler, "the idle culler service is not running"
    runtime = _runtime_dir(team.a)
    os.kill(hub.process.pid, signal.SIGTERM)  # the hub only, as systemd would
    assert hub.process.wait(timeout=120) == 0, hub.log_text()[-3000:]
    _wait(lambda: not _alive(proxy), "the proxy to stop", timeout=30)
    _wait(lambda: not [pid for pid in servers if _alive(pid)], "the analysts' servers and kernels to stop", timeout=60)
    _wait(lambda: not [pid for pid in culler if _alive(pid)], "the idle culler to stop", timeout=30)
    assert not _answers(f"{hub.url}hub/api/")
    assert not runtime.exists(), "the server's private folder was left behind"


def _parent(proc: Path) -> int | None:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return False
