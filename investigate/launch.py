"""``investigate lab`` and ``investigate app``: the notebooks in JupyterLab or as an app (Voila).

Both listen on 127.0.0.1 only and select the case through ``INVESTIGATE_CASE`` (the notebooks'
parameters cell falls back to it). Both need a token, kept in a 0600 file in a private 0700
folder (with the kernels' Unix sockets) and never on a command line; both refuse requests whose
Host header is not this computer; both open on the start page (notebook 00). Ctrl+C, SIGTERM
and SIGHUP stop the server and its kernels and remove that folder. Kernels keep no input history.

Nothing leaves the machine: JupyterLab's news, update checks and extension manager are turned
off through a settings ``overrides.json`` in a kit-owned folder, and the app uses a Voila
template whose icon font comes from Voila itself, not a CDN.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .case import private_dir, write_private
from .errors import CaseError
from .kernels import KERNEL_OPTIONS
from .notebooks import CASE_ENV, NOTEBOOKS, notebooks_dir, resolve_case_dir, work_dir

log = logging.getLogger("investigate")

#: JupyterLab settings that stop it asking the internet for news, updates or extensions.
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/extensionmanager-extension:plugin": {"enabled": False},
}

#: The kit's Voila template: Voila's lab template without the CDN icon-font links.
_FA_LINKS = (
    '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5/css/all.min.css" '
    'type="text/css" />',
    '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5/css/v4-shims.min.css" '
    'type="text/css" />',
)
VOILA_TEMPLATE = "investigate"
_VOILA_INDEX = (
    "{%- extends 'lab/index.html.j2' -%}\n"
    "{# Voila's lab template, minus the icon-font links to a CDN (Voila bundles the font itself). #}\n"
    "{%- block notebook_css -%}\n"
    + "{{ super() | replace('" + _FA_LINKS[0] + "', '') | replace('" + _FA_LINKS[1] + "', '') }}\n"
    "{%- endblock notebook_css -%}\n"
)
_VOILA_CONF = {"base_template": "lab"}


def jupyter_home() -> Path:
    """The kit's own Jupyter folder (settings overrides, the app template, the kernel), written on demand.

    One per Python environment: the kernel it names is this interpreter, so two checkouts of the kit
    (or two versions) never run each other's code.
    """
    home = work_dir() / f"jupyter-{hashlib.sha256(sys.executable.encode()).hexdigest()[:12]}"
    settings = home / "lab-settings"
    settings.mkdir(parents=True, exist_ok=True)
    _write_if_changed(settings / "overrides.json", json.dumps(LAB_OVERRIDES, indent=2))
    kernel = home / "share" / "kernels" / "python3"
    kernel.mkdir(parents=True, exist_ok=True)
    _write_if_changed(kernel / "kernel.json", json.dumps(kernel_spec(), indent=2))
    template = home / "share" / "voila" / "templates" / VOILA_TEMPLATE
    template.mkdir(parents=True, exist_ok=True)
    _write_if_changed(template / "index.html.j2", _VOILA_INDEX)
    _write_if_changed(template / "conf.json", json.dumps(_VOILA_CONF))
    return home


def kernel_spec() -> dict[str, object]:
    """The notebooks' kernel (found first on JUPYTER_PATH): this Python, with IPython's input history
    off (it would keep every cell run, with case data, in ~/.ipython, outside the case)."""
    return {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}", *KERNEL_OPTIONS],
            "display_name": "Python 3 (ipykernel)", "language": "python", "metadata": {"debugger": True}}


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(case_dir: Path | None, token_file: Path | None = None) -> dict[str, str]:
    """The environment for a notebook server: the case chosen, the kit's folder (template, kernel) on
    JUPYTER_PATH, and the file the server reads its token from (see :func:`write_token`)."""
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_TOKEN"}
    home = jupyter_home()
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(home / "share"), env.get("JUPYTER_PATH", "")) if p)
    if case_dir is not None:
        env[CASE_ENV] = str(case_dir.resolve())
    if token_file is not None:
        env["JUPYTER_TOKEN_FILE"] = str(token_file)
    return env


def _case_dir(case_dir: str | os.PathLike[str] | None) -> Path:
    path = resolve_case_dir(case_dir).resolve()  # the servers run in another folder
    if not (path / "case.toml").is_file():
        raise CaseError(f"{path} is not a case folder. Make one with: investigate new CASE_DIR --title ...")
    return path


def working_notebooks(case_dir: Path) -> Path:
    """The case's own copy of the notebooks (``CASE_DIR/notebooks``), made on first use.

    JupyterLab saves outputs into the notebooks it opens: they hold case data, so they stay in
    the case folder, never in the kit's clean copies. Notebooks already there are left alone.
    """
    target = private_dir(case_dir / "notebooks")  # 0700/0600 like the rest of the case
    for source in notebooks_dir().glob("*.ipynb"):
        if not (target / source.name).exists():
            write_private(target / source.name, source.read_bytes())
    return target


def kernel_options(socket_dir: Path | None) -> list[str]:
    """Options that make the server's kernels talk over Unix sockets in ``socket_dir`` (a folder only
    the analyst can open) instead of loopback TCP ports other users of the computer could reach."""
    if socket_dir is None or os.name != "posix":
        return []
    return ["--KernelManager.transport=ipc", f"--KernelManager.ip={socket_dir / 'kernel'}"]


def lab_command(*, port: int, root: Path | None = None, open_browser: bool = True,
                socket_dir: Path | None = None) -> list[str]:
    """The JupyterLab command line: loopback only, the kit's settings overrides, the notebooks folder
    (opened on the start page), the case's reports served, kernels on private sockets (see
    :func:`kernel_options`). No token: it is read from the file named in :func:`server_env`."""
    settings = jupyter_home() / "lab-settings"
    command = [sys.executable, "-m", "jupyterlab", "--ip=127.0.0.1", f"--port={port}",
               f"--ServerApp.root_dir={(root or notebooks_dir()).resolve()}",
               f"--LabApp.app_settings_dir={settings}", "--ServerApp.port_retries=0",
               f"--LabApp.default_url=/lab/tree/{NOTEBOOKS[0]}",
               "--ServerApp.jpserver_extensions=investigate.serve=True", *kernel_options(socket_dir)]
    if not open_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


#: each page of the app runs its own kernel. Voila asks for it to stop when the page is left, but that
#: request is refused (voila-dashboards/voila#1458: it carries no XSRF token), so the server stops
#: kernels that no page is connected to and that have done nothing for five minutes; an open page
#: keeps its kernel however long it is left, and a busy kernel (a report being written) is never stopped.
KERNEL_IDLE_SECONDS = 300


def culling_options(idle_seconds: int = KERNEL_IDLE_SECONDS) -> list[str]:
    """The app's options that stop kernels no page is connected to after ``idle_seconds`` idle."""
    return [f"--MappingKernelManager.cull_idle_timeout={idle_seconds}",
            f"--MappingKernelManager.cull_interval={max(1, min(60, idle_seconds // 2))}",
            "--MappingKernelManager.cull_connected=False", "--MappingKernelManager.cull_busy=False"]


def app_command(notebook: Path | None = None, *, port: int, open_browser: bool = True,
                socket_dir: Path | None = None, kernel_idle_seconds: int = KERNEL_IDLE_SECONDS) -> list[str]:
    """The Voila command line (the kit's Voila, see :mod:`investigate.serve`): loopback only, the
    kit's template, the notebooks (or one of them), kernels on private sockets (see
    :func:`kernel_options`). No token: it is read from the file named in :func:`server_env`."""
    target = (notebook or notebooks_dir()).resolve()
    command = [sys.executable, "-m", "investigate.serve", str(target), f"--port={port}", "--Voila.ip=127.0.0.1",
               f"--template={VOILA_TEMPLATE}", "--show_tracebacks=False", "--Voila.port_retries=0",
               *kernel_options(socket_dir), *culling_options(kernel_idle_seconds)]
    if not open_browser:
        command.append("--no-browser")
    return command


def write_token(folder: Path) -> tuple[str, Path]:
    """A new random token, kept in ``folder/token`` (mode 0600): servers read it from there, so it
    never appears on a command line that other users of the computer can see with ``ps``."""
    token = secrets.token_urlsafe(24)
    path = folder / "token"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(token)
    return token, path


@contextmanager
def private_folder() -> Iterator[Path]:
    """A fresh 0700 folder for a server's token and its kernels' sockets, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="investigate-server-") as folder:  # mode 0700
        yield Path(folder)


def _run(command: list[str], env: dict[str, str], cwd: Path) -> int:
    """Run a server until it exits; Ctrl+C, SIGTERM or SIGHUP stop it (and its kernels) first."""
    log.info("running: %s", " ".join(command))
    proc = subprocess.Popen(command, env=env, cwd=str(cwd), start_new_session=True)

    def stop(signum: int, _frame: object) -> None:
        raise _Stop(signum)

    caught = (signal.SIGINT, signal.SIGTERM) + ((signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ())
    previous = {sig: signal.signal(sig, stop) for sig in caught}
    try:
        return proc.wait()
    except _Stop:
        return _stop_server(proc)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if proc.poll() is None:
            _stop_server(proc)


class _Stop(Exception):  # noqa: N818 - a signal, not an error
    """A stop signal arrived (raised from the signal handler in :func:`_run`)."""


def _stop_server(proc: subprocess.Popen[bytes], *, grace: float = 20) -> int:
    """Ask the server to stop (it shuts its kernels down), then make sure it has."""
    group = hasattr(os, "killpg")  # POSIX: the server's whole process group
    for sig, wait in ((signal.SIGTERM, grace), (getattr(signal, "SIGKILL", signal.SIGTERM), 5)):
        try:
            if group:
                os.killpg(proc.pid, sig)
            elif sig == signal.SIGTERM:
                proc.terminate()
            else:
                proc.kill()
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    print("Stopped.", file=sys.stderr)
    return 0


def trust_notebooks(folder: Path) -> None:
    """Sign the kit's notebooks in ``folder`` in this user's Jupyter signature store, as ``jupyter trust``
    does: the server then no longer logs "Notebook ... is not trusted" for every page it shows. Only the
    kit's own notebooks (kept without outputs) are signed; a store that cannot be written is left alone."""
    import sqlite3

    import nbformat
    from nbformat.sign import NotebookNotary

    notary = NotebookNotary()
    try:
        for path in sorted(folder.glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            if not notary.check_signature(nb):
                notary.sign(nb)
    except (OSError, ValueError, sqlite3.Error) as exc:  # a read-only home, a damaged store: only the warning stays
        log.info("could not mark the notebooks trusted: %s", exc)


def say_when_answering(port: int, text: str, *, wait: float = 120.0) -> threading.Thread:
    """Print ``text`` (the address to open) once the server on 127.0.0.1:``port`` accepts connections,
    not before: an address opened too early shows the browser's "unable to connect". A daemon thread
    (it gives up after ``wait`` seconds); returned so that a caller can join it."""
    def watch() -> None:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    print(text, file=sys.stderr, flush=True)
                    return
            except OSError:
                time.sleep(0.2)

    thread = threading.Thread(target=watch, name="investigate-address", daemon=True)
    thread.start()
    return thread


def _address(port: int, token: str, path: str = "") -> str:
    return f"http://127.0.0.1:{port}/{path}?token={token}"


def lab(case_dir: str | os.PathLike[str] | None = None, *, port: int | None = None,
        open_browser: bool = True) -> int:
    """Open JupyterLab on the notebooks with ``case_dir`` selected; returns its exit status."""
    case = _case_dir(case_dir)
    port = port or free_port()
    root = working_notebooks(case)
    with private_folder() as folder:
        token, token_file = write_token(folder)
        address = _address(port, token, f"lab/tree/{NOTEBOOKS[0]}")
        print(f"JupyterLab on the notebooks in {root} (case {case}). Stop with Ctrl+C.\n"
              + (f"If no browser window opens, paste this address into one: {address}" if open_browser else
                 "Starting; the address to open is printed when the server answers..."), file=sys.stderr)
        if not open_browser:
            say_when_answering(port, f"Open this address in a browser: {address}")
        command = lab_command(port=port, root=root, open_browser=open_browser, socket_dir=folder)
        return _run(command, server_env(case, token_file), root)


def app(case_dir: str | os.PathLike[str] | None = None, *, port: int | None = None,
        open_browser: bool = True) -> int:
    """Serve the notebooks as an app without code (Voila) on 127.0.0.1; returns its exit status."""
    case = _case_dir(case_dir)
    port = port or free_port()
    with private_folder() as folder:
        token, token_file = write_token(folder)
        address = _address(port, token)
        print(f"The investigation app for the case {case}. Stop with Ctrl+C.\n"
              + (f"If no browser window opens, paste this address into one: {address}" if open_browser else
                 "Starting; the address to open is printed when the server answers..."), file=sys.stderr)
        if not open_browser:
            say_when_answering(port, f"Open this address in a browser: {address}")
        trust_notebooks(notebooks_dir())
        command = app_command(port=port, open_browser=open_browser, socket_dir=folder)
        return _run(command, server_env(case, token_file), notebooks_dir())
