"""Real Unix accounts for the tests of group cases and of the hub: made with groupadd/useradd, removed after.

Three analysts of an invented trust: two on the case's group (Zephyrine, Ottoline), one not (Barnaby).
Each has a random password (set with chpasswd), so that PAM can log them in. The tests run the kit
as them with ``runuser -u``. Only root can do any of this: the tests are skipped otherwise.
"""

from __future__ import annotations

import grp
import os
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

GROUP = "ivt-grimblewood"
#: every analyst of the trust: may log in to the hub and make cases in the store
ANALYSTS = "ivt-analysts"
IN_GROUP = ("ivt-zephyrine", "ivt-ottoline")
OUTSIDE = "ivt-barnaby"

_TOOLS = ("useradd", "userdel", "groupadd", "groupdel", "chpasswd", "runuser")
_ROOT = os.name == "posix" and hasattr(os, "geteuid") and os.geteuid() == 0
#: whether these tests can make Unix accounts here, and what a skip says when they cannot
CAN_MAKE_USERS = _ROOT and all(shutil.which(t) for t in _TOOLS)
WHY_NOT = "makes real Unix users and groups (useradd, groupadd, chpasswd, runuser): run the tests as root, as CI does"
needs_root = pytest.mark.skipif(not CAN_MAKE_USERS, reason=WHY_NOT)


@dataclass
class Analysts:
    """The test accounts: ``a`` and ``c`` are in ``group``, ``b`` is not; ``store`` is a case store they
    can all reach (the group's case goes in it)."""

    group: str
    analysts: str
    a: str
    c: str
    b: str
    passwords: dict[str, str]
    store: Path
    home: dict[str, Path] = field(default_factory=dict)

    def run(self, user: str, *args: str, env: dict[str, str] | None = None, timeout: float = 120,
            check: bool = False) -> subprocess.CompletedProcess[str]:
        """Run a command as ``user`` (runuser -u), in the store, with the kit's Python on PATH."""
        base = {k: v for k, v in os.environ.items() if not k.startswith(("INVESTIGATE_", "JUPYTER", "PYTEST"))}
        base["PATH"] = f"{Path(sys.executable).parent}:{base.get('PATH', '/usr/bin:/bin')}"
        base.update(env or {})
        return subprocess.run(["runuser", "-u", user, "--", *args], env=base, cwd=self.store, text=True,
                              capture_output=True, timeout=timeout, check=check)

    def kit(self, user: str, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
        """``investigate ARGS`` as ``user``."""
        return self.run(user, sys.executable, "-m", "investigate.cli", *args, **kwargs)  # type: ignore[arg-type]


def _quiet(*command: str) -> None:
    subprocess.run(command, capture_output=True, check=False)


def processes_of(user: str) -> list[int]:
    """The ids of the processes running as the test account ``user``."""
    import pwd

    try:
        uid = pwd.getpwnam(user).pw_uid
    except KeyError:
        return []
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _remove(users: tuple[str, ...], group: str) -> None:
    for user in users:
        for pid in processes_of(user):  # only processes of the accounts these tests made
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        _quiet("userdel", "-r", "-f", user)
    _quiet("groupdel", group)
    _quiet("groupdel", ANALYSTS)


@contextmanager
def traversable(*paths: Path) -> Iterator[None]:
    """Let every user enter the folders above ``paths`` (adding o+x where it is missing, and only that),
    so that the test accounts can run the kit from this checkout and venv; put back afterwards."""
    changed: list[tuple[Path, int]] = []
    try:
        for path in paths:
            for folder in [p for p in (path.resolve(), *path.resolve().parents) if p.is_dir()]:
                mode = stat.S_IMODE(folder.stat().st_mode)
                if not mode & stat.S_IXOTH:
                    changed.append((folder, mode))
                    os.chmod(folder, mode | stat.S_IXOTH)
        yield
    finally:
        for folder, mode in reversed(changed):
            os.chmod(folder, mode)


@contextmanager
def analysts() -> Iterator[Analysts]:
    """Make the group and the three accounts (removing leftovers of an earlier run first); remove them after."""
    users = (*IN_GROUP, OUTSIDE)
    _remove(users, GROUP)
    store = Path(tempfile.mkdtemp(prefix="investigate-store-", dir="/tmp"))
    try:
        for name in (GROUP, ANALYSTS):
            subprocess.run(["groupadd", name], check=True, capture_output=True)
        passwords = {}
        for user in users:
            groups = ["-G", f"{ANALYSTS},{GROUP}" if user in IN_GROUP else ANALYSTS]
            subprocess.run(["useradd", "-m", "-s", "/bin/sh", *groups, user], check=True, capture_output=True)
            passwords[user] = secrets.token_urlsafe(16)
        subprocess.run(["chpasswd"], input="".join(f"{u}:{p}\n" for u, p in passwords.items()), text=True,
                       check=True, capture_output=True)
        # the store, as deploy/hub/README.md makes it: the analysts may make cases in it, none may rename
        # or remove another's (sticky), nobody else may enter; each case is closed to all but its group
        os.chown(store, 0, grp.getgrnam(ANALYSTS).gr_gid)
        os.chmod(store, 0o1770)
        root = Path(__file__).resolve().parent.parent
        # the kit, its venv and the Python the venv was made from (pyenv keeps it under /root, say)
        with traversable(Path(sys.prefix), Path(sys.base_prefix), Path(os.path.realpath(sys.executable)), root, store):
            reach = subprocess.run(["runuser", "-u", IN_GROUP[0], "--", sys.executable, "-c", "import investigate"],
                                   capture_output=True, text=True, cwd=store, check=False)
            if reach.returncode != 0:  # the checkout or venv is not readable by other accounts (umask 077?)
                pytest.skip(f"the test accounts cannot run the kit from {root} ({reach.stderr.strip()[-300:]}): "
                            "make the checkout and its venv readable by all (chmod -R a+rX; see deploy/hub/README.md)")
            yield Analysts(GROUP, ANALYSTS, IN_GROUP[0], IN_GROUP[1], OUTSIDE, passwords, store,
                           {u: Path(os.path.expanduser(f"~{u}")) for u in users})
    finally:
        _remove(users, GROUP)
        shutil.rmtree(store, ignore_errors=True)
