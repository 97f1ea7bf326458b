"""The demo's and report's kernel: Unix sockets in a folder only the analyst can open, no input history."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from investigate.kernels import PrivateKernelManager

pytestmark = pytest.mark.skipif(os.name != "posix", reason="Unix sockets")


def test_kernel_talks_over_private_unix_sockets_and_tidies_up() -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)"), nbformat.v4.new_code_cell(
        "print(get_ipython().history_manager.enabled)")])
    client = NotebookClient(nb, kernel_name="python3", kernel_manager_class=PrivateKernelManager, timeout=60)
    with client.setup_kernel():
        info = client.km.get_connection_info()
        folder = Path(client.km._socket_dir)
        assert info["transport"] == "ipc" and Path(info["ip"]).parent == folder
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        sockets = [p for p in folder.iterdir() if p.is_socket()]
        assert len(sockets) >= 4  # shell, iopub, stdin, control, heartbeat
        client.execute_cell(nb.cells[0], 0)
        client.execute_cell(nb.cells[1], 1)
    assert nb.cells[0].outputs[0]["text"] == "42\n"
    assert nb.cells[1].outputs[0]["text"] == "False\n"  # no input history kept in ~/.ipython
    assert not folder.exists()
