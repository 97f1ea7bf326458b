"""lab and app: loopback only, nothing fetched from the internet, the case selected, notebooks kept clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from investigate import launch
from investigate.case import Case
from investigate.errors import CaseError
from investigate.notebooks import CASE_ENV, NOTEBOOKS, open_case, resolve_case_dir


@pytest.fixture(autouse=True)
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("INVESTIGATE_WORK", str(tmp_path / "work"))
    monkeypatch.delenv(CASE_ENV, raising=False)
    return tmp_path / "work"


def test_lab_listens_on_loopback_with_news_and_update_checks_off() -> None:
    command = launch.lab_command(port=8123, open_browser=False)
    assert "--ip=127.0.0.1" in command and "--no-browser" in command
    assert not [a for a in command if "token" in a.lower()]  # the token is read from a 0600 file
    settings = next(a.split("=", 1)[1] for a in command if a.startswith("--LabApp.app_settings_dir="))
    overrides = json.loads((Path(settings) / "overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false",
                                                                         "checkForUpdates": False}
    assert overrides["@jupyterlab/extensionmanager-extension:plugin"] == {"enabled": False}


def test_app_uses_the_kit_template_without_cdn_links(work: Path) -> None:
    command = launch.app_command(port=8124, open_browser=False)
    assert "--Voila.ip=127.0.0.1" in command and f"--template={launch.VOILA_TEMPLATE}" in command
    env = launch.server_env(None)
    template = Path(env["JUPYTER_PATH"].split(":")[0]) / "voila" / "templates" / launch.VOILA_TEMPLATE
    text = (template / "index.html.j2").read_text()
    # the links are only named in order to be removed from Voila's own template
    assert text.count("https://") == 2 and text.count("replace(") == 2
    voila_lab = Path(launch.sys.prefix) / "share" / "jupyter" / "voila" / "templates" / "lab" / "index.html.j2"
    if voila_lab.is_file():  # the strings replaced are exactly those in the installed template
        for link in launch._FA_LINKS:
            assert link in voila_lab.read_text()


def test_server_env_selects_the_case(tmp_path: Path) -> None:
    case = Case.create(tmp_path / "case", title="Grimblewood Academy")
    env = launch.server_env(case.path)
    assert env[CASE_ENV] == str(case.path.resolve())


def test_lab_works_on_the_cases_own_copy_of_the_notebooks(tmp_path: Path) -> None:
    case = Case.create(tmp_path / "case", title="Grimblewood Academy")
    root = launch.working_notebooks(case.path)
    assert sorted(p.name for p in root.glob("*.ipynb")) == sorted(NOTEBOOKS)
    (root / NOTEBOOKS[1]).write_text("{}")  # the analyst's saved copy is never overwritten
    launch.working_notebooks(case.path)
    assert (root / NOTEBOOKS[1]).read_text() == "{}"


def test_notebooks_open_the_given_case_then_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Case.create(tmp_path / "first", title="Puddingstone High School")
    second = Case.create(tmp_path / "second", title="Marrowvale School")
    monkeypatch.setenv(CASE_ENV, str(second.path))
    assert open_case(str(first.path)).title == "Puddingstone High School"
    assert open_case("").title == "Marrowvale School"
    assert resolve_case_dir(None) == second.path
    with pytest.raises(CaseError):
        launch.lab(tmp_path / "not-a-case")


@pytest.mark.skipif(launch.os.name != "posix", reason="Unix sockets")
@pytest.mark.parametrize("command", ["lab", "app"])
def test_servers_give_their_kernels_private_unix_sockets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         command: str) -> None:
    """lab and app run their kernels on Unix sockets in a 0700 folder that is removed when they stop."""
    import stat

    case = Case.create(tmp_path / "case", title="Grimblewood Academy")
    seen: dict[str, object] = {}

    def fake_run(argv: list[str], env: dict[str, str], cwd: Path) -> int:
        ip = next(a.split("=", 1)[1] for a in argv if a.startswith("--KernelManager.ip="))
        folder = Path(ip).parent
        seen.update(argv=argv, folder=folder, mode=stat.S_IMODE(folder.stat().st_mode))
        return 0

    monkeypatch.setattr(launch, "_run", fake_run)
    assert getattr(launch, command)(case.path, port=8125) == 0
    assert "--KernelManager.transport=ipc" in seen["argv"]
    assert seen["mode"] == 0o700
    assert not Path(seen["folder"]).exists()


@pytest.mark.skipif(launch.os.name != "posix", reason="Unix file modes")
@pytest.mark.parametrize("command", ["lab", "app"])
def test_servers_read_their_token_from_a_private_file_for_a_relative_case(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    import stat

    Case.create(tmp_path / "demo-case" / "case", title="Grimblewood Academy")
    monkeypatch.chdir(tmp_path)
    seen: dict[str, object] = {}

    def fake_run(argv: list[str], env: dict[str, str], cwd: Path) -> int:
        token_file = Path(env["JUPYTER_TOKEN_FILE"])
        seen.update(argv=argv, env=env, cwd=cwd, token=token_file.read_text(),
                    mode=stat.S_IMODE(token_file.stat().st_mode), file=token_file)
        return 0

    monkeypatch.setattr(launch, "_run", fake_run)
    assert getattr(launch, command)("demo-case/case", port=8126, open_browser=False) == 0
    assert seen["mode"] == 0o600 and len(str(seen["token"])) >= 24 and not Path(seen["file"]).exists()
    assert not [a for a in seen["argv"] if str(seen["token"]) in a]
    assert "JUPYTER_TOKEN" not in seen["env"]
    assert seen["env"][CASE_ENV] == str(tmp_path / "demo-case" / "case")  # absolute: the server runs elsewhere
    if command == "lab":
        root = next(a.split("=", 1)[1] for a in seen["argv"] if a.startswith("--ServerApp.root_dir="))
        assert root == str(tmp_path / "demo-case" / "case" / "notebooks") == str(seen["cwd"])


def test_kernels_keep_no_input_history(work: Path) -> None:
    """Kernels started by the servers (the kit's kernelspec) and by the report run no history."""
    from investigate.kernels import KERNEL_OPTIONS, PrivateKernelManager

    assert KERNEL_OPTIONS == ("--HistoryManager.enabled=False",)
    env = launch.server_env(None)
    spec = json.loads((Path(env["JUPYTER_PATH"].split(":")[0]) / "kernels" / "python3" / "kernel.json").read_text())
    assert spec["argv"][-1] == "--HistoryManager.enabled=False" and spec["argv"][0] == launch.sys.executable
    manager = PrivateKernelManager(kernel_name="python3")
    assert manager.format_kernel_cmd()[-1] == "--HistoryManager.enabled=False"


def test_the_kits_kernel_gets_its_options_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the kit's kernelspec first on JUPYTER_PATH (as in the app and JupyterLab), the option was
    given twice and IPython refused to start: the app's 'Write the report' waited for ever."""
    from investigate.kernels import PrivateKernelManager

    monkeypatch.setenv("JUPYTER_PATH", launch.server_env(None)["JUPYTER_PATH"])
    command = PrivateKernelManager(kernel_name="python3").format_kernel_cmd()
    assert command[0] == launch.sys.executable and command.count("--HistoryManager.enabled=False") == 1


@pytest.mark.slow
def test_a_report_is_written_inside_the_servers_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's report button runs the report notebook with the servers' JUPYTER_PATH (the kit's kernel)."""
    from investigate.report import write_report

    case = Case.create(tmp_path / "case", title="Fake staff accounts at Grimblewood Academy")
    monkeypatch.setenv("JUPYTER_PATH", launch.server_env(case.path)["JUPYTER_PATH"])
    written = write_report(case, case.exports_dir / "report.html")
    assert "Fake staff accounts at Grimblewood Academy" in written.read_text(encoding="utf-8")


def test_jupyter_folders_are_one_per_python_environment(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two checkouts shared one kernel.json naming whichever interpreter wrote it last: one checkout's
    notebooks then ran the other's code."""
    first = launch.jupyter_home()
    monkeypatch.setattr(launch.sys, "executable", "/elsewhere/.venv/bin/python")
    second = launch.jupyter_home()
    assert first != second and first.parent == second.parent == work
    spec = json.loads((second / "share" / "kernels" / "python3" / "kernel.json").read_text())
    assert spec["argv"][0] == "/elsewhere/.venv/bin/python"


def test_stopping_the_launcher_stops_the_server(tmp_path: Path) -> None:
    """SIGTERM to the launcher: the server gets SIGTERM (its whole process group), then the launcher returns."""
    import signal
    import sys
    import threading

    marker = tmp_path / "stopped"
    server = [sys.executable, "-c", "import signal, sys, time, pathlib\n"
              f"on_term = lambda *a: (pathlib.Path({str(marker)!r}).write_text('yes'), sys.exit(0))\n"
              "signal.signal(signal.SIGTERM, on_term)\n"
              f"pathlib.Path({str(tmp_path / 'ready')!r}).write_text('')\n"
              "time.sleep(600)"]
    threading.Thread(target=lambda: _signal_when_ready(tmp_path / "ready", signal.SIGTERM), daemon=True).start()
    assert launch._run(server, dict(launch.os.environ), tmp_path) == 0
    assert marker.read_text() == "yes"
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the launcher's own handler is put back


def _signal_when_ready(ready: Path, sig: int) -> None:
    import time

    deadline = time.monotonic() + 120
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    launch.os.kill(launch.os.getpid(), sig)


def test_the_training_case_is_rebuilt_when_the_bundled_files_change(work: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """One 'sample-case' folder served every version of the kit: a kit whose bundled case had changed
    kept opening the old one."""
    import shutil

    from investigate import notebooks, training

    source = tmp_path / "sample_data"
    shutil.copytree(training.sample_data_dir(), source)
    monkeypatch.setattr(training, "sample_data_dir", lambda: source)
    first = notebooks.sample_case_dir()
    assert notebooks.sample_case_dir() == first and (first / "case.toml").is_file()  # built once, then reused
    (source / "case.json").write_text((source / "case.json").read_text() + "\n")
    second = notebooks.sample_case_dir()
    assert second != first and (second / "case.toml").is_file() and second.parent == work


def test_the_address_is_printed_once_the_server_answers(capsys: pytest.CaptureFixture) -> None:
    """--no-browser printed the address seconds before the server answered (the browser: unable to connect)."""
    import socket
    import time

    port = launch.free_port()
    watcher = launch.say_when_answering(port, "Open this address in a browser: http://127.0.0.1/x", wait=20)
    time.sleep(0.8)
    assert "Open this address" not in capsys.readouterr().err  # nothing listens yet
    with socket.socket() as server:
        server.bind(("127.0.0.1", port))
        server.listen()
        watcher.join(timeout=10)
    assert not watcher.is_alive()
    assert "Open this address in a browser: http://127.0.0.1/x" in capsys.readouterr().err
