"""The kernel that runs notebooks for the demo and the report: Unix sockets in a private folder.

Jupyter's default is loopback TCP: any other user logged in to the same computer could connect to
the ports and read what the notebook prints (names of children and staff). On Linux and macOS the
kit's kernels talk over Unix sockets in a folder only the analyst can open, instead. They keep no
input history either (see :data:`KERNEL_OPTIONS`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

from jupyter_client import AsyncKernelManager

#: options for every kernel the kit starts: no IPython input history (it would keep each cell run,
#: with case data, in ~/.ipython/profile_default/history.sqlite, outside the case)
KERNEL_OPTIONS = ("--HistoryManager.enabled=False",)


class PrivateKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` using IPC transport in a fresh 0700 folder (TCP on Windows)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._socket_dir: str | None = None
        if os.name == "posix":
            self._socket_dir = tempfile.mkdtemp(prefix="investigate-kernel-")  # mode 0700
            self.transport = "ipc"
            self.ip = os.path.join(self._socket_dir, "kernel")

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        """The kernel's command line, with :data:`KERNEL_OPTIONS` once (the kit's own kernelspec has them
        already: given twice, IPython refuses to start)."""
        command = super().format_kernel_cmd(extra_arguments)
        return [*command, *(option for option in KERNEL_OPTIONS if option not in command)]

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        """Remove the sockets' folder with the kernel's other files."""
        await super()._async_cleanup_resources(restart=restart)
        if self._socket_dir and not restart:
            shutil.rmtree(self._socket_dir, ignore_errors=True)

    cleanup_resources = _async_cleanup_resources
