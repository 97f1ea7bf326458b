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
from pathlib import Path

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


@pytest.mark.parametrize("command", ["lab", "app"])
def test_a_server_needs_its_token_refuses_foreign_hosts_and_stops_on_sigterm(tmp_path: Path, command: str) -> None:
    Case.create(tmp_path / "case", title="Fake staff accounts at Grimblewood Academy")
    env = {**os.environ, "INVESTIGATE_WORK": str(tmp_path / "work"), "TMPDIR": str(tmp_path / "tmp")}
    env.pop("INVESTIGATE_CASE", None)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "tmp"):
        (tmp_path / name.lower()).mkdir()
        if name != "tmp":
            env[name] = str(tmp_path / name.lower())
    port = free_port()
    err = tmp_path / "launcher.log"
    with open(err, "wb") as log:
        # a relative case folder, as the README says: investigate lab demo-case/case
        launcher = subprocess.Popen([sys.executable, "-m", "investigate.cli", command, "case", f"--port={port}",
                                     "--no-browser"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
    try:
        _wait(lambda: _answers(port) or launcher.poll() is not None, "the server to answer")
        assert launcher.poll() is None, err.read_text()
        address = re.search(r"paste this address into one: (\S+)", err.read_text())
        assert address, err.read_text()
        token = address.group(1).split("token=", 1)[1]
        assert len(token) >= 24

        # no process on the computer shows the token on its command line
        assert _server_pids(port)
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
        if command == "app":  # Voila runs the start page on the server: the case's title is on it
            assert b"Fake staff accounts at Grimblewood Academy" in page.body  # type: ignore[attr-defined]
    finally:
        servers = _server_pids(port)
        os.kill(launcher.pid, signal.SIGTERM)  # the launcher only, as a service manager would
        launcher.wait(timeout=120)
    assert not [pid for pid in servers if Path(f"/proc/{pid}").exists()
                and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()]
    assert not _answers(port)
    assert not list((tmp_path / "tmp").glob("investigate-server-*")), "the private folder was left behind"
    assert not list((tmp_path / "tmp").glob("voila_*")), "Voila's connection files were left behind"
    assert not list((tmp_path / "ipythondir").rglob("history.sqlite")), "kernel input history was written"
