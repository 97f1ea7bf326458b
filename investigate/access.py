"""Who may open a case folder: its analyst alone, or the Unix group of the analysts on it.

This module is the one place that decides the modes of a case's folders and files:

- a case made with ``investigate new CASE`` is private to its analyst: folders 0700, files 0600,
  evidence and imported parts 0400;
- a case made with ``investigate new CASE --group NAME`` (a trust's case store on a shared server)
  belongs to that Unix group: folders 2770 (setgid, so that everything made inside keeps the
  group), files 0660, evidence and imported parts 0440. Other users of the server still get
  nothing: they cannot list, read or verify it.

The case's ``case.toml`` names the group (``group = "NAME"``); :func:`modes_for` reads it for any
path inside the case, so every writer of the kit (the store, reports, packs, seals, the notebooks'
copy) gets the same answer. A path outside every case gets the private modes.

:func:`check_can_open` turns the file system's "permission denied" into a message that says
whose case it is and what to ask for; :func:`lock_holder` names who holds a case's write lock
(so a second analyst's change says whom it waits for).
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import CaseError

CASE_TOML = "case.toml"


@dataclass(frozen=True)
class Modes:
    """The modes a case's folders and files get (see the module docstring)."""

    folder: int
    file: int
    read_only: int
    group: str | None = None

    @property
    def shared(self) -> bool:
        return self.group is not None


#: a case for its analyst alone
PRIVATE = Modes(folder=0o700, file=0o600, read_only=0o400)


def group_modes(group: str) -> Modes:
    """The modes of a case that belongs to the Unix group ``group``."""
    return Modes(folder=0o2770, file=0o660, read_only=0o440, group=group)


def login() -> str:
    """The OS login of this process (its effective user), whatever USER or LOGNAME say."""
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError, AttributeError):  # Windows, or a uid with no name
        import getpass

        try:
            return getpass.getuser()
        except Exception:  # noqa: BLE001 - no user name on this system
            return "unknown"


def group_id(group: str) -> int:
    """The id of the Unix group ``group``, refusing a group this computer does not have."""
    try:
        import grp
    except ImportError:
        raise CaseError("A case for a group (--group) needs a Linux or macOS server; "
                        "on Windows, share the case folder through its own permissions.") from None
    try:
        return grp.getgrnam(group).gr_gid
    except KeyError:
        raise CaseError(f"There is no group called {group!r} on this computer. The server's administrator "
                        f"makes it (groupadd {group}) and adds the case's analysts to it "
                        f"(usermod -aG {group} LOGIN).") from None


def is_member(user: str, group: str) -> bool:
    """Whether the login ``user`` is in the Unix group ``group`` (as a member or by its own group)."""
    import grp
    import pwd

    try:
        entry = grp.getgrnam(group)
        account = pwd.getpwnam(user)
    except KeyError:
        return False
    return user in entry.gr_mem or account.pw_gid == entry.gr_gid


def check_group(group: str) -> Modes:
    """The modes for a new case of ``group``, once this login may give a folder to that group."""
    gid = group_id(group)
    if os.geteuid() != 0 and gid != os.getegid() and gid not in os.getgroups():
        raise CaseError(f"You ({login()}) are not in the group {group!r}, so you cannot make a case for it. "
                        f"Ask the server's administrator to add you (usermod -aG {group} {login()}), "
                        "then log in again.")
    return group_modes(group)


def _case_root(path: Path) -> Path | None:
    """The case folder holding ``path`` (the nearest folder with a case.toml), if any."""
    for folder in (path, *path.parents):
        try:
            if (folder / CASE_TOML).is_file():
                return folder
        except OSError:  # a folder we cannot look into: no case of ours above it
            return None
    return None


@lru_cache(maxsize=64)
def _case_group(toml: Path, _changed: int) -> str | None:
    try:
        value = tomllib.loads(toml.read_text(encoding="utf-8")).get("group")
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    return str(value) if value else None


def modes_for(path: str | os.PathLike[str]) -> Modes:
    """The modes for a folder or file at ``path``: its case's group modes if it lies in a case made
    with ``--group``, else the private ones."""
    root = _case_root(Path(os.path.abspath(path)))
    if root is None:
        return PRIVATE
    toml = root / CASE_TOML
    try:
        changed = toml.stat().st_mtime_ns
    except OSError:
        return PRIVATE
    group = _case_group(toml, changed)
    return group_modes(group) if group else PRIVATE


def apply(path: Path, mode: int, *, modes: Modes | None = None) -> None:
    """Give ``path`` ``mode`` (and, in a group's case, that group). A file another analyst of the group
    made keeps the mode it has: only its owner may change it, and it was made with the same modes."""
    modes = modes or modes_for(path)
    try:
        if modes.group is not None and os.name == "posix":
            gid = group_id(modes.group)
            if os.stat(path).st_gid != gid:
                os.chown(path, -1, gid)
        os.chmod(path, mode)
    except PermissionError:
        if os.stat(path).st_uid == os.geteuid():
            raise


def check_can_open(path: Path) -> None:
    """Refuse, with a message that says why, a case folder this login may not open."""
    if os.name != "posix" or not path.is_dir() or os.access(path, os.R_OK | os.X_OK):
        return
    info = path.stat()
    me = login()
    if info.st_mode & stat.S_IRWXG and info.st_mode & stat.S_ISGID:
        group = _group_name(info.st_gid)
        raise CaseError(f"The case {path.name} belongs to the group {group!r}, and you ({me}) are not in it: "
                        f"only the analysts on the case can open it. If you should be, ask the server's "
                        f"administrator to add you (usermod -aG {group} {me}), then log in again.")
    raise CaseError(f"The case {path.name} is private to {_user_name(info.st_uid)}, who made it: you ({me}) "
                    "cannot open it. A case several analysts share is made with investigate new CASE --group NAME.")


def _group_name(gid: int) -> str:
    try:
        import grp

        return grp.getgrgid(gid).gr_name
    except (ImportError, KeyError):
        return str(gid)


def _user_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return str(uid)


#: where SQLite's unix VFS locks a WAL database's writer: byte 120 of its -shm file
_WAL_WRITE_LOCK_BYTE = 120


def lock_holder(database: Path) -> tuple[str, int] | None:
    """Who holds the write lock of the SQLite database ``database`` (WAL mode): (login, process id).

    Read from ``/proc/locks`` (Linux), so nothing is opened: closing a file SQLite has open would drop
    this process's own locks on it. None when it cannot be told (another system, this same process).
    """
    try:
        inode = os.stat(f"{database}-shm").st_ino
        lines = Path("/proc/locks").read_text(encoding="ascii", errors="replace").splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if "->" in fields:  # a request waiting for a lock, not a lock held
            continue
        try:
            kind, mode, pid, where, start, end = fields[1], fields[3], int(fields[4]), fields[5], fields[6], fields[7]
        except (IndexError, ValueError):
            continue
        if kind not in ("POSIX", "OFDLCK") or mode != "WRITE" or where.rsplit(":", 1)[-1] != str(inode):
            continue
        last = float("inf") if end == "EOF" else int(end)
        if int(start) <= _WAL_WRITE_LOCK_BYTE <= last and pid != os.getpid():
            try:
                return _user_name(os.stat(f"/proc/{pid}").st_uid), pid
            except OSError:
                return None
    return None
