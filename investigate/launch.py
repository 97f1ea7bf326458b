"""``investigate lab`` and ``investigate app``: the notebooks in JupyterLab or as an app (Voila).

Both listen on 127.0.0.1 only and select the case through ``INVESTIGATE_CASE`` (the notebooks'
parameters cell falls back to it). Nothing leaves the machine: JupyterLab's news, update checks
and extension manager are turned off through a settings ``overrides.json`` in a kit-owned
folder, and the app uses a Voila template whose icon font comes from Voila itself, not a CDN.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from .errors import CaseError
from .notebooks import CASE_ENV, notebooks_dir, resolve_case_dir, work_dir

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
    """The kit's own Jupyter folder (settings overrides and the app template), written on demand."""
    home = work_dir() / "jupyter"
    settings = home / "lab-settings"
    settings.mkdir(parents=True, exist_ok=True)
    _write_if_changed(settings / "overrides.json", json.dumps(LAB_OVERRIDES, indent=2))
    template = home / "share" / "voila" / "templates" / VOILA_TEMPLATE
    template.mkdir(parents=True, exist_ok=True)
    _write_if_changed(template / "index.html.j2", _VOILA_INDEX)
    _write_if_changed(template / "conf.json", json.dumps(_VOILA_CONF))
    return home


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(case_dir: Path | None) -> dict[str, str]:
    """The environment for a notebook server: the case chosen, the kit's template folder on JUPYTER_PATH."""
    env = dict(os.environ)
    home = jupyter_home()
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(home / "share"), env.get("JUPYTER_PATH", "")) if p)
    if case_dir is not None:
        env[CASE_ENV] = str(case_dir.resolve())
    return env


def _case_dir(case_dir: str | os.PathLike[str] | None) -> Path:
    path = resolve_case_dir(case_dir)
    if not (path / "case.toml").is_file():
        raise CaseError(f"{path} is not a case folder. Make one with: investigate new CASE_DIR --title ...")
    return path


def working_notebooks(case_dir: Path) -> Path:
    """The case's own copy of the notebooks (``CASE_DIR/notebooks``), made on first use.

    JupyterLab saves outputs into the notebooks it opens: they hold case data, so they stay in
    the case folder, never in the kit's clean copies. Notebooks already there are left alone.
    """
    target = case_dir / "notebooks"
    target.mkdir(exist_ok=True)
    for source in notebooks_dir().glob("*.ipynb"):
        if not (target / source.name).exists():
            shutil.copyfile(source, target / source.name)
    return target


def kernel_options(socket_dir: Path | None) -> list[str]:
    """Options that make the server's kernels talk over Unix sockets in ``socket_dir`` (a folder only
    the analyst can open) instead of loopback TCP ports other users of the computer could reach."""
    if socket_dir is None or os.name != "posix":
        return []
    return ["--KernelManager.transport=ipc", f"--KernelManager.ip={socket_dir / 'kernel'}"]


def lab_command(*, port: int, token: str, root: Path | None = None, open_browser: bool = True,
                socket_dir: Path | None = None) -> list[str]:
    """The JupyterLab command line: loopback only, the kit's settings overrides, the notebooks folder,
    kernels on private sockets (see :func:`kernel_options`)."""
    settings = jupyter_home() / "lab-settings"
    command = [sys.executable, "-m", "jupyterlab", "--ip=127.0.0.1", f"--port={port}",
               f"--ServerApp.token={token}", f"--ServerApp.root_dir={root or notebooks_dir()}",
               f"--LabApp.app_settings_dir={settings}", "--ServerApp.port_retries=0",
               *kernel_options(socket_dir)]
    if not open_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


def app_command(notebook: Path | None = None, *, port: int, open_browser: bool = True,
                socket_dir: Path | None = None) -> list[str]:
    """The Voila command line: loopback only, the kit's template, the notebooks (or one of them),
    kernels on private sockets (see :func:`kernel_options`)."""
    target = notebook or notebooks_dir()
    command = [sys.executable, "-m", "voila", str(target), f"--port={port}", "--Voila.ip=127.0.0.1",
               f"--template={VOILA_TEMPLATE}", "--show_tracebacks=False", *kernel_options(socket_dir)]
    if not open_browser:
        command.append("--no-browser")
    return command


def _run(command: list[str], env: dict[str, str], cwd: Path) -> int:
    log.info("running: %s", " ".join(command))
    try:
        return subprocess.call(command, env=env, cwd=str(cwd))
    except KeyboardInterrupt:
        return 0


def lab(case_dir: str | os.PathLike[str] | None = None, *, port: int | None = None) -> int:
    """Open JupyterLab on the notebooks with ``case_dir`` selected; returns its exit status."""
    case = _case_dir(case_dir)
    port = port or free_port()
    token = secrets.token_urlsafe(24)
    root = working_notebooks(case)
    print(f"JupyterLab on the notebooks in {root} (case {case}). Stop with Ctrl+C.", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="investigate-kernels-") as sockets:  # mode 0700
        return _run(lab_command(port=port, token=token, root=root, socket_dir=Path(sockets)), server_env(case),
                    root)


def app(case_dir: str | os.PathLike[str] | None = None, *, port: int | None = None) -> int:
    """Serve the notebooks as an app without code (Voila) on 127.0.0.1; returns its exit status."""
    case = _case_dir(case_dir)
    port = port or free_port()
    print(f"The investigation app on http://127.0.0.1:{port}/ , case {case}. Stop with Ctrl+C.", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="investigate-kernels-") as sockets:  # mode 0700
        return _run(app_command(port=port, socket_dir=Path(sockets)), server_env(case), notebooks_dir())
