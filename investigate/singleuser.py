"""An analyst's own server under JupyterHub: ``python -m investigate.singleuser`` (the hub's ``Spawner.cmd``).

JupyterHub starts it as the analyst's Unix account (``LocalProcessSpawner``), with its login and
token in the environment (never on the command line). It is JupyterHub's single-user Jupyter
server with what ``investigate app`` gives a laptop:

- the kit's app (Voila's server extension, the kit's template, no tracebacks) on the notebooks,
  opened on the start page (the hub's ``Spawner.default_url``), the case's reports served
  (:mod:`investigate.serve`'s extension);
- kernels on Unix sockets, and their connection files, in a fresh 0700 folder of the analyst's
  (``JUPYTER_RUNTIME_DIR``), removed when the server stops; no input history (the kit's kernelspec);
- kernels no page is connected to stopped after five idle minutes, a busy one never; while any
  kernel is busy (a report being written) the server tells the hub it is active, so the hub's
  idle culler leaves it running.

The case is the one the hub chose for this server (``INVESTIGATE_CASE``, see :mod:`investigate.hub`).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from .launch import VOILA_TEMPLATE, culling_options, jupyter_home, kernel_options
from .notebooks import notebooks_dir


def server_args(socket_dir: Path) -> list[str]:
    """The single-user server's options: the notebooks, the kit's app and extension, private kernels."""
    return [f"--ServerApp.root_dir={notebooks_dir()}",
            "--ServerApp.jpserver_extensions=investigate.serve=True",
            f"--VoilaConfiguration.template={VOILA_TEMPLATE}", "--VoilaConfiguration.show_tracebacks=False",
            *kernel_options(socket_dir), *culling_options()]


def main(argv: list[str] | None = None) -> None:
    """Run the analyst's server until the hub stops it; its private folder is removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="investigate-server-"))  # mode 0700
    try:
        home = jupyter_home()
        os.environ["JUPYTER_PATH"] = os.pathsep.join(
            p for p in (str(home / "share"), os.environ.get("JUPYTER_PATH", "")) if p)
        os.environ["JUPYTER_RUNTIME_DIR"] = str(folder)  # connection files and the server's own file
        os.environ["JUPYTERHUB_SINGLEUSER_APP"] = "jupyter_server.serverapp.ServerApp"
        from jupyterhub.singleuser.app import SingleUserNotebookApp

        SingleUserNotebookApp.launch_instance(argv=[*server_args(folder), *(sys.argv[1:] if argv is None else argv)])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
