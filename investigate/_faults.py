"""Deterministic crash points for the crash-consistency tests.

``point("name")`` does nothing unless the process was started with
``INVESTIGATE_CRASH_AT=name`` (or ``name:N`` for the N-th time the point is reached), in which
case the process kills itself with SIGKILL there, as a power cut or ``kill -9`` would. The
variable is read once, when the kit is imported, so the normal path costs one comparison.
"""

from __future__ import annotations

import os
import signal

_AT, _, _NTH = (os.environ.get("INVESTIGATE_CRASH_AT") or "").partition(":")
_seen: dict[str, int] = {}


def point(name: str) -> None:
    """A named moment in a write where a test may crash the process (see the module docstring)."""
    if not _AT or name != _AT:
        return
    _seen[name] = _seen.get(name, 0) + 1
    if _seen[name] >= int(_NTH or 1):
        os.kill(os.getpid(), signal.SIGKILL)
