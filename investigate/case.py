"""A case folder: ``case.toml``, ``case.sqlite`` (the canonical tables), ``evidence/``, ``exports/``.

Every write goes through :meth:`Case.transaction`, which opens one SQLite transaction and adds
an audit entry inside it, with the fingerprint of every table it wrote: either everything is
written, or nothing is.

Files a change writes (evidence copies, Parquet parts, a new ``case.toml``) are first written
under ``.staging/`` and moved into place only after the transaction has committed. After a crash
(power cut, ``kill -9``), the next :meth:`Case.open` finishes what was committed and deletes the
rest, so ``evidence/`` and ``tables/`` only ever hold recorded files and nothing is left behind.

Rows imported from files in bulk (follower lists of hundreds of thousands of rows) are kept as
one read-only Parquet file per import and table under ``tables/``, listed with their SHA-256 in
the ``parts`` table of case.sqlite (so ``verify`` checks them); :meth:`Case.table` returns them
together with the rows in SQLite. SQLite alone stores a million rows with indexes in ~7 s;
a Parquet part takes well under a second.
"""

from __future__ import annotations

import errno
import getpass
import logging
import os
import shutil
import sqlite3
import stat
import time
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomli_w

from . import __version__, _faults, access, audit
from .audit import CASE_TOML, CONTENT_TABLES, sha256_file
from .dates import read_optional, read_when
from .errors import CaseError, InvestigateError
from .schema import FINDING_SECTIONS, INT, TABLES, UTC_TIME, empty, validate

if TYPE_CHECKING:  # heavy libraries are imported where frames are made: opening a case and `verify` need none
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

log = logging.getLogger("investigate")

CASE_FILE = CASE_TOML
DB_FILE = "case.sqlite"
PARTS_DIR = "tables"
#: where a change writes its files before they are moved into place (see the module docstring)
STAGING_DIR = ".staging"
#: staging areas and the folder (relative to the case) each one's files are moved into
_AREAS = {"evidence": "evidence", PARTS_DIR: PARTS_DIR, "case": ".", "exports": "exports"}
#: outputs made before their change starts (a report being rendered) wait in .staging/ under this prefix
DRAFT_PREFIX = ".draft-"
#: ... and are removed by the next open this many hours after a crash left them
DRAFT_HOURS = 12
#: the folder of a case's outputs (reports, packs, exports, seals): each recorded as ``exports/<name>``
EXPORTS = "exports"
#: a case folder and its subfolders: only the analyst may list or enter them (a group's case: see access.py)
PRIVATE_DIR = access.PRIVATE.folder
#: a case file: only the analyst may read or write it
PRIVATE_FILE = access.PRIVATE.file
#: an evidence file or imported part: only the analyst may read it, nobody may change it
READ_ONLY_FILE = access.PRIVATE.read_only
_WRITES = (sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE)
#: how long opening a case waits for another process's write before saying the case is busy, in seconds
LOCK_WAIT_SECONDS = 30.0
#: tables whose imported rows are stored as Parquet parts
BULK_TABLES = ("relationships", "accounts", "posts", "interactions")

_KEYS = {
    "accounts": ("platform", "handle_key"),
    "people": ("person_id",),
}
#: the parts whose import was not withdrawn (a withdrawal is a row of ``withdrawals``, never a deletion)
_COUNTING = "import_id NOT IN (SELECT import_id FROM withdrawals WHERE import_id IS NOT NULL)"
_WITHDRAWN_ROWS = {"findings": " WHERE finding_id NOT IN (SELECT finding_id FROM withdrawals "
                               "WHERE finding_id IS NOT NULL)"}
_AUTO_ID = {"actions": "action_id", "imports": "import_id", "findings": "finding_id",
            "withdrawals": "withdrawal_id"}


def _sql_type(dtype: str) -> str:
    return "INTEGER" if dtype == INT else "TEXT"


def _ddl() -> list[str]:
    statements = [
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
        "CREATE TABLE IF NOT EXISTS parts (import_id INTEGER, table_name TEXT, file TEXT UNIQUE, "
        "rows INTEGER, sha256 TEXT)",
    ]
    for table, columns in TABLES.items():
        cols = []
        for name, dtype in columns.items():
            col = f'"{name}" {_sql_type(dtype)}'
            if _AUTO_ID.get(table) == name or (table == "audit" and name == "seq"):
                col += " PRIMARY KEY"
            cols.append(col)
        if table in _KEYS:
            cols.append(f"UNIQUE ({', '.join(_KEYS[table])})")
        if table == "evidence":
            cols.append("UNIQUE (sha256)")
        statements.append(f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(cols)})")
    statements += [
        "CREATE INDEX IF NOT EXISTS rel_followed ON relationships (followed)",
        "CREATE INDEX IF NOT EXISTS rel_follower ON relationships (follower)",
        "CREATE INDEX IF NOT EXISTS int_on ON interactions (on_account)",
        "CREATE INDEX IF NOT EXISTS posts_account ON posts (account)",
        # the audit log is append-only: refuse edits and deletions through SQL
        "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    ]
    # so are the record tables (all but the state tables; see schema.STATE_TABLES): a correction is a new row
    for table in audit.record_tables():
        for verb in ("update", "delete"):
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb} BEFORE {verb.upper()} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} rows are never changed or removed once written: "
                "a correction is a new row'); END")
    return statements


def expected_schema() -> dict[str, str]:
    """The schema this kit version builds (:func:`investigate.audit.schema_objects` of a new case.sqlite)."""
    global _EXPECTED
    if _EXPECTED is None:
        with closing(sqlite3.connect(":memory:")) as conn:
            for statement in _ddl():
                conn.execute(statement)
            _EXPECTED = audit.schema_objects(conn)
    return dict(_EXPECTED)


_EXPECTED: dict[str, str] | None = None


def schema_problems(conn: sqlite3.Connection) -> list[str]:
    """What in case.sqlite's structure is not what this kit builds: extra, missing or different tables,
    columns, triggers and indexes, named (a planted trigger, a dropped append-only one, an extra table).
    (What a case made by an older kit, not opened since, lacks is not named: opening it adds it.)"""
    want, have = expected_schema(), audit.schema_objects(conn)
    problems = []
    missing = [name for name in sorted(want) if name not in have] if _fingerprinted(conn) else []
    extra = [name for name in sorted(have) if name not in want]
    if missing:
        problems.append(f"case.sqlite: missing (the kit makes {'it' if len(missing) == 1 else 'them'}): "
                        f"{', '.join(missing)}")
    if extra:
        problems.append(f"case.sqlite: the kit never makes {'this' if len(extra) == 1 else 'these'}: "
                        f"{', '.join(extra)}")
    for name in sorted(set(want) & set(have)):
        if want[name] != have[name]:
            if name.startswith("table "):
                w, h = set(want[name].split(", ")), set(have[name].split(", "))
                more, gone = ", ".join(sorted(h - w)), ", ".join(sorted(w - h))
                words = "; ".join(x for x in (f"extra column(s) {more}" if more else "",
                                              f"missing column(s) {gone}" if gone else "") if x)
                problems.append(f"case.sqlite: the {name} is not as the kit makes it ({words})")
            else:
                problems.append(f"case.sqlite: the {name} is not as the kit makes it (it was changed)")
    return problems


def evidence_file_name(sha256: str, original_name: str) -> str:
    """The name a registered file is stored under in ``evidence/``: its SHA-256 and suffix."""
    return f"{sha256}{''.join(Path(original_name).suffixes[-2:])[:20]}"


def recorded_files(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """The names of the files the case records, by folder: ``evidence`` and ``tables``."""
    return {"evidence": {evidence_file_name(sha, name)
                         for sha, name in conn.execute("SELECT sha256, original_name FROM evidence")},
            PARTS_DIR: {r[0] for r in conn.execute("SELECT file FROM parts")}}


class Writing(sqlite3.Connection):
    """The connection of one :meth:`Case.transaction`: it notes which tables its statements write
    (``touched``), which staged files to move into place after the commit (``staged``) and the
    fingerprints of files it changed (``files``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.touched: set[str] = set()
        self.staged: list[tuple[Path, Path]] = []
        self.files: dict[str, dict[str, Any]] = {}
        #: record every table whole in this change's entry (the first entry of a case made by an older kit)
        self.baseline = False
        #: names of the outputs (files or folders in exports/) this change writes
        self.outputs: set[str] = set()
        self.set_authorizer(self._authorize)

    def _authorize(self, action: int, table: str | None, _column: str | None, db: str | None,
                   _source: str | None) -> int:
        if action in _WRITES and db == "main" and table:
            self.touched.add(table)
        return sqlite3.SQLITE_OK


def _new_columns(conn: sqlite3.Connection) -> list[str]:
    """ALTER TABLE statements adding the columns a case made by an older kit version lacks."""
    statements = []
    for table, columns in TABLES.items():
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        statements += [f'ALTER TABLE {table} ADD COLUMN "{name}" {_sql_type(dtype)}'
                       for name, dtype in columns.items() if have and name not in have]
    return statements


def write_private(path: Path, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` (text in ``encoding``, or bytes) to ``path``, readable by its owner only (0600,
    whatever the umask, and also when the file was already there with another mode), or by the
    case's group for a file in a group's case (0660, see :mod:`investigate.access`)."""
    mode = access.modes_for(path).file
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        if hasattr(os, "fchmod"):  # POSIX
            settle_fd(handle.fileno(), mode)
        handle.write(data.encode(encoding) if isinstance(data, str) else data)
    return path


def settle_fd(fd: int, mode: int) -> None:
    """Give an open file ``mode`` (a file made by another analyst of a group's case keeps its own)."""
    try:
        os.fchmod(fd, mode)
    except PermissionError:
        if os.fstat(fd).st_uid == os.geteuid():
            raise


def private_dir(path: Path) -> Path:
    """Make the folder ``path`` (and its missing parents) open to its owner only (0700, whatever the umask),
    or to the case's group inside a group's case (2770, see :mod:`investigate.access`).

    Folders that were already there are left as they are (the case's own are made private by
    :meth:`Case.create`).
    """
    missing = []
    folder = path
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    modes = access.modes_for(path)
    path.mkdir(mode=modes.folder & 0o777, parents=True, exist_ok=True)
    for folder in missing:
        access.apply(folder, modes.folder, modes=modes)  # mkdir's mode is cut by the umask, parents get the default
    return path


def _fingerprinted(conn: sqlite3.Connection) -> bool:
    """Whether the newest audit entry carries this kit's fingerprints (the schema's among them)."""
    if "wrote" not in {r[1] for r in conn.execute("PRAGMA table_info(audit)")}:
        return False
    row = conn.execute("SELECT wrote FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return bool(row and row[0] and f'"{audit.SCHEMA}":' in row[0])


def _read_only(db: Path, timeout: float) -> sqlite3.Connection:
    """case.sqlite opened so that nothing can write to it (``mode=ro``); on a medium SQLite cannot even
    keep its shared-memory file on, as an immutable file (its write-ahead log, if any, then unread)."""
    from urllib.parse import quote

    uri = f"file:{quote(str(db.resolve()))}"
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout, isolation_level=None)
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        if db.with_name(db.name + "-wal").is_file() and db.with_name(db.name + "-wal").stat().st_size:
            log.warning("%s is on a read-only medium with changes still in its log (%s-wal); they are not read.",
                        db, db.name)
        return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=timeout, isolation_level=None)


def _keep_private(path: Path) -> None:
    """Close a case folder made by an older kit (mode 755) to other users of the computer."""
    if os.name != "posix":  # Windows keeps a user's folders private through their ACLs
        return
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        modes = access.modes_for(path)
        if mode & (0o007 if modes.shared else 0o077):
            access.apply(path, modes.folder, modes=modes)
            log.warning("%s could be opened by other users of this computer: it is now %s (%o)", path,
                        f"for the group {modes.group} only" if modes.shared else "private", modes.folder)
    except OSError as exc:  # a read-only copy of a case, say: still open it
        log.warning("%s could not be made private: %s", path, exc.strerror)


def current_login() -> str:
    """The operating-system account running the kit (recorded in every audit entry beside the typed name)."""
    return access.login()


def current_user() -> str:
    """The name of the person at the keyboard, for the audit log."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on this system
        return "unknown"


class Case:
    """An open case folder. Create one with :meth:`create`, open one with :meth:`open`."""

    #: seconds a change waits for another one (an import) to finish before it is refused
    lock_wait: float = 600.0

    def __init__(self, path: Path, config: dict[str, Any], *, read_only: bool = False) -> None:
        self.path = path
        self.config = config
        #: opened with ``read_only``: the database is opened read-only and nothing can be written
        self.read_only = read_only
        self._pinned: sqlite3.Connection | None = None

    # ---------------------------------------------------------------- folder
    @classmethod
    def create(
        cls,
        path: str | Path,
        *,
        title: str,
        school: list[str] | tuple[str, ...] = (),
        analyst: str | None = None,
        timezone_name: str = "Europe/London",
        reference: str | None = None,
        classification: str = "OFFICIAL-SENSITIVE",
        group: str | None = None,
    ) -> Case:
        """Make a new case folder (it must not exist or be empty) and return it open.

        With ``group`` (a Unix group), the case belongs to that group's analysts (see
        :mod:`investigate.access`); without, to its analyst alone.
        """
        path = Path(path)
        modes = access.check_group(group) if group else access.PRIVATE
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise CaseError(f"{path} already exists and is not empty: choose a new folder for the case.")
        try:
            ZoneInfo(timezone_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise CaseError(
                f"{timezone_name!r} is not a time zone the kit knows; use a name like 'Europe/London'."
            ) from None
        if not title.strip():
            raise CaseError("A case needs a title.")
        now = datetime.now(UTC)
        config: dict[str, Any] = {
            "title": title,
            "reference": reference or f"CASE-{now:%Y%m%d-%H%M%S}",
            "school": list(school),
            "analyst": analyst or current_user(),
            "timezone": timezone_name,
            "classification": classification,
            "created_at": now.isoformat(timespec="seconds"),
            "kit_version": __version__,
        }
        if group:
            config["group"] = group
        path.mkdir(parents=True, exist_ok=True)
        access.apply(path, modes.folder, modes=modes)  # mkdir's mode is cut by the umask, and the folder may exist
        write_private(path / CASE_FILE, tomli_w.dumps(config))  # first: it tells the modes of all the rest
        access.apply(path / CASE_FILE, modes.file, modes=modes)
        for folder in ("evidence", "exports", PARTS_DIR, STAGING_DIR, *(f"{STAGING_DIR}/{a}" for a in _AREAS)):
            private_dir(path / folder)
        # SQLite gives case.sqlite-wal and -shm the mode of case.sqlite: make that 0600 first
        write_private(path / DB_FILE, "")
        case = cls(path, config)
        with closing(case._connect()) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            for statement in _ddl():
                conn.execute(statement)
        with case.transaction(who=config["analyst"], what="case created", details=config) as conn:
            conn.files[CASE_TOML] = {"sha256": sha256_file(path / CASE_FILE), "was": None}
        return case

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> Case:
        """Open an existing case folder, checking it holds a case.

        A case made by an older kit version gets the tables, columns and triggers this version adds
        (in one audited entry) and, once, the fingerprints of everything it holds. ``read_only``
        opens it without writing anything (no upgrade, no recovery): what ``verify`` uses, so that a
        write-protected copy can be checked.
        """
        path = Path(path)
        toml = path / CASE_FILE
        access.check_can_open(path)
        if not toml.is_file() or not (path / DB_FILE).is_file():
            raise CaseError(
                f"{path} is not a case folder (it has no {CASE_FILE} and {DB_FILE}). "
                "Make one with: investigate new CASE_DIR --title ..."
            )
        if not read_only:
            _keep_private(path)
        case = cls(path, {}, read_only=read_only)
        try:
            with closing(case._connect()) as conn:
                have = audit.schema_objects(conn)
                if "table audit" not in have:
                    raise sqlite3.DatabaseError("it has no audit log")
                missing = [name for name in expected_schema() if name not in have]
                missing += [s.split(" ADD COLUMN ")[0].removeprefix("ALTER TABLE ") + "." + s.split('"')[1]
                            for s in _new_columns(conn)]
                entries = conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
                baseline = entries > 0 and not _fingerprinted(conn)
        except sqlite3.OperationalError as err:
            raise case._busy() if "locked" in str(err) else CaseError(
                f"{path / DB_FILE} cannot be opened ({err}).") from err
        except sqlite3.DatabaseError as err:
            raise CaseError(
                f"{path / DB_FILE} is damaged or is not a case database ({err}). Nothing was changed. "
                "Restore the case folder from its last copy (and run investigate verify on it)."
            ) from err
        if not read_only and entries and (missing or baseline):
            # tables, columns and triggers of a newer kit version (or put back, which verify reports)
            details = {"reason": "kit upgraded", "added": missing}
            with case.transaction(what=audit.BASELINE if baseline else "case database upgraded",
                                  details=details) as conn:
                for statement in [*_ddl(), *_new_columns(conn)]:
                    conn.execute(statement)
                if baseline:  # a case made before these fingerprints were kept: record them once, from now on
                    conn.baseline = True
                    conn.files[CASE_TOML] = {"sha256": sha256_file(toml), "was": None}
                    outputs = case.exports_dir
                    conn.files.update({f"{EXPORTS}/{p.relative_to(outputs).as_posix()}": {"sha256": sha256_file(p),
                                                                                             "was": None}
                                       for p in sorted(outputs.rglob("*")) if p.is_file()} if outputs.is_dir() else {})
        if not read_only:
            case.recover()
        try:
            case.config = tomllib.loads(toml.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise CaseError(f"{toml} cannot be read: {exc}") from None
        return case

    def _busy(self) -> CaseError:
        return CaseError(
            f"The case {self.path.name} is busy: another import (or the app) has been writing to it for more "
            f"than {LOCK_WAIT_SECONDS:g} s. Nothing was changed; wait for it to finish, then try again."
        )

    @property
    def evidence_dir(self) -> Path:
        return self.path / "evidence"

    @property
    def exports_dir(self) -> Path:
        return self.path / "exports"

    @property
    def parts_dir(self) -> Path:
        return self.path / PARTS_DIR

    @property
    def timezone(self) -> str:
        """The case's time zone name (times are stored UTC and shown in this zone)."""
        return str(self.config.get("timezone", "Europe/London"))

    @property
    def title(self) -> str:
        return str(self.config.get("title", ""))

    # ---------------------------------------------------------------- database
    def _connect(self, *, timeout: float | None = None, factory: type[sqlite3.Connection] = sqlite3.Connection
                 ) -> Any:
        wait = LOCK_WAIT_SECONDS if timeout is None else timeout
        if self.read_only:
            return _read_only(self.path / DB_FILE, wait)
        conn = sqlite3.connect(self.path / DB_FILE, timeout=wait, isolation_level=None, factory=factory)
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """The pinned :meth:`snapshot` connection if one is open, else a new one closed after."""
        if self._pinned is not None:
            yield self._pinned
            return
        conn = self._connect()
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Read the case as it was at one moment, even while another process writes to it.

        Inside the ``with`` block :meth:`table`, :meth:`parts`, :meth:`count` and :meth:`meta`
        all read the same committed state (one SQLite read transaction).
        """
        if self._pinned is not None:
            yield self._pinned
            return
        conn = self._connect()
        try:
            conn.execute("BEGIN")
            conn.execute("SELECT COUNT(*) FROM audit")  # the read snapshot starts here
            self._pinned = conn
            yield conn
        finally:
            self._pinned = None
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.close()

    def _begin(self, conn: sqlite3.Connection) -> None:
        """Take the case's write lock, waiting (with a message) while another change is written."""
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise CaseError(f"The case database {self.path / DB_FILE} cannot be written: {exc}") from exc
        minutes = max(self.lock_wait / 60, 0)
        holder = access.lock_holder(self.path / DB_FILE)
        if holder:
            log.warning("Another change to this case is still being written by %s (process %d); waiting for %s "
                        "to finish, up to %s minute(s)...", holder[0], holder[1], holder[0], f"{minutes:g}")
        else:
            log.warning("Another change to this case (an import, perhaps) is still being written; "
                        "waiting up to %s minute(s) for it to finish...", f"{minutes:g}")
        conn.execute(f"PRAGMA busy_timeout = {int(self.lock_wait * 1000)}")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise CaseError(
                f"The case {self.path.name} is busy: another change (an import, perhaps) was still being "
                f"written after {minutes:g} minute(s). Nothing was changed; try again when it has finished."
            ) from exc

    def changes(self) -> int:
        """How many changes the case has had (its audit entries, append-only): a view read at the same count
        is up to date."""
        with self.snapshot() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0])

    @contextmanager
    def transaction(
        self, *, who: str | None = None, what: str, details: dict[str, Any] | None = None
    ) -> Iterator[Writing]:
        """One write transaction with its audit entry. Rolls back everything on any error.

        The entry records the fingerprint (:func:`investigate.audit.table_digest`) of every table
        the transaction's statements wrote, before and after. Files staged with :meth:`stage`
        are moved into place once the transaction has committed.
        """
        if self.read_only:
            raise CaseError(f"The case {self.path.name} was opened read-only (to check it): nothing can be changed.")
        conn: Writing = self._connect(timeout=0.25, factory=Writing)
        try:
            self._begin(conn)
            schema_was = audit.schema_digest(conn)
            yield conn
            wrote = self._fingerprints(conn)
            schema_now = audit.schema_digest(conn)
            wrote[audit.SCHEMA] = {"sha256": schema_now, **({"was": schema_was} if schema_now != schema_was else {})}
            audit.append(conn, who or current_user(), what, details, wrote=wrote, login=current_login())
            _faults.point("before commit")
            conn.execute("COMMIT")
        except BaseException as exc:
            try:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            except sqlite3.Error:  # a full disk can refuse even this; SQLite undoes the change when it is closed
                pass
            for tmp, _ in conn.staged:
                tmp.unlink(missing_ok=True)
            if isinstance(exc, sqlite3.IntegrityError) and "never changed" in str(exc):  # an append-only trigger
                raise CaseError(f"This change was refused: {exc}. Nothing was changed.") from exc
            if isinstance(exc, sqlite3.OperationalError) and ("full" in str(exc) or "disk I/O" in str(exc)):
                raise CaseError(
                    f"The change ({what}) could not be saved: the disk holding {self.path} is full, or failing "
                    f"(SQLite: {exc}). Nothing was changed; free some space and try again.") from exc
            if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise write_error(exc, self.path, f"The change ({what})") from exc
            raise
        finally:
            conn.close()
        _faults.point("after commit")
        for tmp, final in conn.staged:
            _put_in_place(tmp, final)
            _faults.point("file put in place")

    def _fingerprints(self, conn: Writing) -> dict[str, dict[str, Any]]:
        """Each table the transaction changed, before and after (see :func:`investigate.audit.fingerprints`),
        and the files it wrote. Refuses a change that altered or removed a row of a record table."""
        wrote: dict[str, dict[str, Any]] = dict(conn.files)
        touched = list(CONTENT_TABLES) if conn.baseline else [t for t in CONTENT_TABLES if t in conn.touched]
        if touched:
            before = None if conn.baseline else self._connect()  # the last committed state, without this change
            try:
                wrote.update(audit.fingerprints(before, conn, touched, baseline=conn.baseline))
            except audit.RecordChanged as exc:
                row = f"row {exc.position}" if exc.position > 0 else "a row"
                key = f" ({next(iter(TABLES[exc.table])) if exc.table in TABLES else 'file'} {exc.key})" \
                    if exc.key is not None else ""
                raise CaseError(
                    f"This change would alter or remove {exc.table} {row}{key}, written earlier. {exc.table} rows "
                    "are never changed once written: a correction is a new row. Nothing was changed.") from None
            finally:
                if before is not None:
                    before.close()
        return wrote

    def stage(self, conn: Writing, area: str, name: str) -> Path:
        """A path under ``.staging/`` for a file that ``conn``'s transaction puts at ``area/name``.

        ``area`` is ``evidence``, ``tables`` or ``case`` (the case folder itself). The file is
        moved into place (read-only, except case.toml) after the commit, or deleted on rollback.
        """
        if area not in _AREAS:
            raise CaseError(f"Files cannot be staged for {area!r}.")
        tmp = self.path / STAGING_DIR / area / name
        private_dir(tmp.parent)
        conn.staged.append((tmp, (self.path / _AREAS[area] / name)))
        return tmp

    def locate(self, area: str, name: str) -> Path:
        """Where a recorded file is: in place, or still staged (committed a moment ago)."""
        final = self.path / _AREAS[area] / name
        if final.exists():
            return final
        staged = self.path / STAGING_DIR / area / name
        return staged if staged.exists() else final

    def recover(self) -> None:
        """Finish or undo what a crashed change left under ``.staging/`` (called by :meth:`open`).

        Files of a committed change are moved into place; anything else is deleted. Skipped while
        another process is writing: the staged files are then its own.
        """
        staging = self.path / STAGING_DIR
        for area in _AREAS:
            private_dir(staging / area)
        for old in staging.glob(f"{DRAFT_PREFIX}*"):  # an output being made outside a change (a report), long gone
            if old.is_file() and time.time() - old.stat().st_mtime > DRAFT_HOURS * 3600:
                old.unlink(missing_ok=True)
        leftovers = [p for area in _AREAS for p in (staging / area).iterdir()]
        if not leftovers:
            return
        conn = self._connect(timeout=0)
        try:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return  # a change is being written now
            recorded = {**recorded_files(conn), "case": set(), EXPORTS: audit.written_outputs(conn)}
            toml = audit.replay(conn).state.get(CASE_TOML, {}).get("sha256")
            if toml and (staging / "case" / CASE_FILE).is_file() and toml != sha256_file(self.path / CASE_FILE) \
                    and sha256_file(staging / "case" / CASE_FILE) == toml:
                recorded["case"].add(CASE_FILE)
            for tmp in leftovers:
                area = tmp.parent.name
                if area == EXPORTS and tmp.is_dir():  # an export's folder: each of its files
                    for file in sorted(p for p in tmp.rglob("*") if p.is_file()):
                        self._finish(file, file.relative_to(staging / EXPORTS).as_posix(), area, recorded)
                    shutil.rmtree(tmp, ignore_errors=True)
                    continue
                self._finish(tmp, tmp.name, area, recorded)
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.close()

    def _finish(self, tmp: Path, name: str, area: str, recorded: dict[str, set[str]]) -> None:
        """Put one file a crashed change left staged in place, if its change was saved; else delete it."""
        final = self.path / _AREAS[area] / name
        if tmp.is_file() and name in recorded[area] and (area == "case" or not final.exists()):
            _put_in_place(tmp, final)
            log.warning("Finished a change that was interrupted: %s is now in place.",
                        final.relative_to(self.path).as_posix())
        elif tmp.is_dir():
            shutil.rmtree(tmp)
        else:
            tmp.unlink(missing_ok=True)
            log.info("Removed %s, left by a change that was interrupted before it was saved.", tmp.name)

    # ---------------------------------------------------------------- outputs
    def output_name(self, conn: Writing, name: str) -> str:
        """``name`` (a file, or ``folder/file``) made unique among the case's outputs: when a file or folder of
        that name is in ``exports/``, being written, or recorded by an earlier entry, ``stem-2.suffix``,
        ``stem-3.suffix``... Outputs are never overwritten (two packs written in the same minute both stay)."""
        top, _, rest = name.partition("/")
        if top in conn.outputs:  # a folder this change is writing already
            return name
        stem, suffix = (top, "") if rest else (Path(top).stem, Path(top).suffix)
        candidate, n = top, 1
        while (self.exports_dir / candidate).exists() or (self.path / STAGING_DIR / EXPORTS / candidate).exists() \
                or candidate in conn.outputs or audit.output_recorded(conn, candidate):
            n += 1
            candidate = f"{stem}-{n}{suffix}"
        conn.outputs.add(candidate)
        return candidate + (f"/{rest}" if rest else "")

    def write_output(self, conn: Writing, name: str, data: str | bytes | Callable[[Path], Any], *,
                     encoding: str = "utf-8") -> Path:
        """Write an output of the case (a report, pack, export or seal) as ``exports/<name>``, in ``conn``'s change.

        The one way outputs are written: under a unique name (:meth:`output_name`: never over another
        one); staged under ``.staging/`` and moved into place only when the change is saved, so
        ``exports/`` never holds a part-written file; its SHA-256 recorded in the change's audit entry
        (``verify`` checks it, and ``verify --file`` recognises a copy). ``data`` is the text, the bytes,
        or a function that writes the file at the path it is given. Returns the file's final path.
        """
        name = self.output_name(conn, name)
        tmp = self.stage(conn, EXPORTS, name)
        try:
            if callable(data):
                data(tmp)
                os.chmod(tmp, PRIVATE_FILE)
            else:
                write_private(tmp, data, encoding=encoding)
        except OSError as exc:
            raise write_error(exc, self.exports_dir, f"The output {name}") from None
        _faults.point("output staged")
        conn.files[f"{EXPORTS}/{name}"] = {"sha256": sha256_file(tmp), "was": None}
        return self.exports_dir / name

    def record_output(self, conn: Writing, path: Path) -> None:
        """Record in ``conn``'s entry the SHA-256 of an output written outside the case (``-o FILE``), so that
        ``verify --file`` recognises it."""
        conn.files.setdefault(audit.OUTSIDE, {})[str(path.name)] = sha256_file(path)

    def table(self, name: str, *, columns: Sequence[str] | None = None, where: pc.Expression | None = None
              ) -> pd.DataFrame:
        """Read a canonical table as a DataFrame with canonical dtypes (SQLite rows and imported parts).

        ``accounts`` is merged on (platform, handle_key): what the analyst entered comes first,
        then each import in order, and the first non-empty value of each column is kept. The rows
        of a withdrawn import, and withdrawn findings entries, are left out (see ``withdrawals.py``).

        ``columns``: only these columns, in this order (the same values as ``table(name)[columns]``);
        ``where``: only the rows for which this pyarrow expression is true (null counts as false),
        e.g. ``pc.field("followed") == "fake"``; it may name columns not in ``columns``. Both are
        pushed into the Parquet read, so that a million-row part is never held whole for a few of its
        rows or columns. The rows kept are in the same order as in the whole table. For ``accounts``
        the rows are chosen before they are merged: give a condition that keeps or leaves out all the
        rows of one handle_key together (e.g. ``pc.field("handle_key").isin(keys)``).
        """
        import pandas as pd

        every = TABLES.get(name)
        if every is None:
            return validate(pd.DataFrame(), name)  # raises SchemaError naming the tables
        wanted = list(every) if columns is None else list(columns)
        unknown = [c for c in wanted if c not in every]
        if unknown:
            raise CaseError(f"The {name} table has no column {', '.join(map(repr, unknown))}; "
                            f"its columns are {', '.join(every)}.")
        keys = ["platform", "handle_key"] if name == "accounts" else []
        read = [*wanted, *(k for k in keys if k not in wanted)]
        sql = read if where is None else list(every)  # (the condition may name any column: SQLite's rows are few)
        with self._reading() as conn:
            quoted = ", ".join(f'"{c}"' for c in sql)
            raw = pd.read_sql_query(f"SELECT {quoted} FROM {name}{_WITHDRAWN_ROWS.get(name, '')}", conn)
            parts = [r[0] for r in conn.execute(  # a withdrawn import's rows no longer count (withdrawals.py)
                f"SELECT file FROM parts WHERE table_name = ? AND {_COUNTING} ORDER BY import_id", (name,))]
        frames = [] if raw.empty else [self._from_sql(raw, {c: every[c] for c in sql})]
        if where is not None and frames:
            frames = [_rows_where(frames[0], where)[read]]
        if where is None:
            frames += [pd.read_parquet(self.locate(PARTS_DIR, file), columns=read) for file in parts]
        else:  # (a filtered read loses the pandas dtypes kept in the file: they are put back)
            frames = [f for f in frames if len(f)]
            for file in parts:
                found = pd.read_parquet(self.locate(PARTS_DIR, file), columns=read, filters=where)
                if len(found):
                    frames.append(found.astype({c: every[c] for c in read if str(found[c].dtype) != every[c]}))
        if not frames:
            return empty(name)[wanted]
        out = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
        if name == "accounts":
            out = _merge_accounts(out)
        return (out if read == wanted else out[wanted]).reset_index(drop=True)

    @staticmethod
    def _from_sql(raw: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
        import pandas as pd

        out = pd.DataFrame(index=raw.index)
        for column, dtype in columns.items():
            values = raw[column]
            if dtype == UTC_TIME:
                out[column] = pd.to_datetime(values, utc=True, format="ISO8601").astype(UTC_TIME)
            else:
                out[column] = values.astype(dtype)
        return out

    def write_part(self, conn: Writing, table: str, import_id: int, df: pd.DataFrame) -> Path:
        """Store an imported table's rows as a read-only Parquet part, inside the caller's transaction.

        The file is staged, and put in ``tables/`` when the transaction commits. Returns its final path.
        """
        writer = self.part_writer(table, import_id)
        writer.write(df)
        return writer.finish(conn)

    def part_writer(self, table: str, import_id: int) -> PartWriter:
        """A Parquet part written piece by piece (for a file read in pieces): see :class:`PartWriter`."""
        if table not in BULK_TABLES:
            raise CaseError(f"{table} rows are stored in SQLite, not as imported parts.")
        name = f"{table}-{import_id:05d}.parquet"
        private_dir(self.path / STAGING_DIR / PARTS_DIR)
        return PartWriter(self, table, import_id, name)

    def parts(self) -> pd.DataFrame:
        """The imported Parquet parts: import_id, table_name, file, rows, sha256."""
        import pandas as pd

        with self._reading() as conn:
            return pd.read_sql_query("SELECT import_id, table_name, file, rows, sha256 FROM parts", conn)

    def count(self, name: str) -> int:
        """Number of rows in a table."""
        if name not in TABLES:
            raise CaseError(f"There is no table called {name!r}.")
        if name == "accounts":
            return len(self.table("accounts"))
        with self._reading() as conn:
            rows = conn.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
            parts = conn.execute(f"SELECT SUM(rows) FROM parts WHERE table_name = ? AND {_COUNTING}",
                                 (name,)).fetchone()[0]
            return int(rows) + int(parts or 0)

    def meta(self, key: str) -> str | None:
        with self._reading() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # ---------------------------------------------------------------- writing
    def add_rows(
        self,
        frames: dict[str, pd.DataFrame],
        *,
        who: str | None = None,
        what: str,
        details: dict[str, Any] | None = None,
    ) -> None:
        """Validate and append frames to their tables in one audited transaction.

        ``accounts`` and ``people`` rows are merged on their keys: a new value fills a
        blank one, and a given role or note replaces the old one.
        """
        checked = {name: validate(df, name) for name, df in frames.items()}
        with self.transaction(who=who, what=what, details=details) as conn:
            for name, df in checked.items():
                insert_frame(conn, name, df)

    def add_event(self, *, at: Any, kind: str, summary: str, accounts: str = "", precision: str = "exact",
                  evidence_id: str | None = None, who: str | None = None) -> None:
        """Record one chronology event entered by the analyst (``at`` in the case's zone if naive)."""
        import pandas as pd

        stamp = read_when(at, self.timezone, what="the event's time")
        row = pd.DataFrame([{
            "at": stamp, "precision": precision, "kind": kind, "summary": summary,
            "accounts": accounts, "evidence_id": evidence_id, "recorded_by": who or current_user(),
            "source": "entered",
        }])
        self.add_rows({"events": row}, who=who, what="event recorded", details={"kind": kind, "summary": summary})

    def add_action(self, *, kind: str, what: str, who: str | None = None, at: Any = None,
                   due: Any = None, status: str = "open", outcome: str = "",
                   recorded_by: str | None = None, tracker: Mapping[str, Any] | None = None) -> int:
        """Log an action or decision; returns its action_id.

        ``tracker`` fills the tracker's columns of a report or referral (platform, route, reference,
        affected, drafted_at, sent_at, answered_at; see :mod:`investigate.tracker`).
        """
        import pandas as pd

        extra = self._tracker_values(tracker)
        row = validate(pd.DataFrame([{
            "kind": kind, "what": what, "who": who or "",
            "at": self._when(at, "when it was done") or pd.Timestamp.now(tz="UTC"),
            "due": self._when(due, "when it is due"), "status": status, "outcome": outcome, **extra,
        }]), "actions")
        details: dict[str, Any] = {"kind": kind, "what": what}
        with self.transaction(who=recorded_by, what="action logged", details=details) as conn:
            insert_frame(conn, "actions", row)
            details["action_id"] = int(conn.execute("SELECT last_insert_rowid()").fetchone()[0])
        return int(details["action_id"])

    def update_action(self, action_id: int, *, status: str | None = None, outcome: str | None = None,
                      recorded_by: str | None = None, due: Any = None,
                      tracker: Mapping[str, Any] | None = None) -> None:
        """Change an action's status, outcome, due time or tracker columns (audited, as an entry that
        amends the one that logged it)."""
        import pandas as pd

        changes: dict[str, Any] = {k: v for k, v in {"status": status, "outcome": outcome}.items() if v is not None}
        if due is not None:
            changes["due"] = self._when(due, "when it is due")
        changes.update(self._tracker_values(tracker))
        if not changes:
            return
        values = [v.isoformat() if isinstance(v, pd.Timestamp) else v for v in changes.values()]
        details: dict[str, Any] = {"action_id": action_id, **dict(zip(changes, values, strict=True))}
        with self.transaction(who=recorded_by, what="action updated", details=details) as conn:
            sets = ", ".join(f'"{k}" = ?' for k in changes)
            cur = conn.execute(f"UPDATE actions SET {sets} WHERE action_id = ?", (*values, action_id))
            if cur.rowcount == 0:
                raise CaseError(f"There is no action number {action_id} in this case.")
            logged = conn.execute(
                "SELECT MAX(seq) FROM audit WHERE what IN ('action logged', 'action updated') "
                "AND json_extract(details, '$.action_id') = ?", (action_id,)).fetchone()[0]
            if logged is not None:
                details[audit.AMENDS] = int(logged)

    _TRACKER_COLUMNS = ("platform", "route", "reference", "affected", "drafted_at", "sent_at", "answered_at")

    def _tracker_values(self, tracker: Mapping[str, Any] | None) -> dict[str, Any]:
        unknown = set(tracker or {}) - set(self._TRACKER_COLUMNS)
        if unknown:
            raise CaseError(f"The tracker has no column(s) {', '.join(sorted(unknown))}; "
                            f"it has {', '.join(self._TRACKER_COLUMNS)}.")
        return {k: self._when(v, f"the tracker's {k.replace('_', ' ')}") if k.endswith("_at") else v
                for k, v in (tracker or {}).items()}

    def _when(self, value: Any, what: str) -> pd.Timestamp | None:
        """A typed time (``what`` names it in a refusal) as UTC, read day first in the case's zone
        (:func:`investigate.dates.read_optional`); None for nothing."""
        return read_optional(value, self.timezone, what=what)

    def add_finding(self, *, section: str, text: str, reasons: str = "", who: str | None = None,
                    at: Any = None, amends: int | None = None) -> int:
        """Record one entry of the findings record (the analyst's own words); returns its finding_id.

        ``section`` is one of :data:`~investigate.schema.FINDING_SECTIONS` (concern, done, assessment,
        decision, outcome, next_steps); ``reasons`` says why (for decisions above all). Entries are
        never edited: a correction is a new entry with ``amends`` naming the entry it corrects (see
        :meth:`amend_finding`). Audited through :meth:`transaction`.
        """
        if section not in FINDING_SECTIONS:
            raise CaseError(f"{section!r} is not a part of the findings record; use one of: "
                            f"{', '.join(FINDING_SECTIONS)}.")
        if not str(text or "").strip():
            raise CaseError("A findings entry needs some text: say what you found, did or decided.")
        import pandas as pd

        stamp = self._when(at, "the time of the entry") or pd.Timestamp.now(tz="UTC")
        writer = who or current_user()
        row = validate(pd.DataFrame([{
            "at": stamp, "who": writer, "section": section, "text": str(text).strip(),
            "reasons": str(reasons or "").strip(), "amends": amends,
        }]), "findings")
        with self.transaction(who=writer, what="finding recorded" if amends is None else "finding amended",
                              details={"section": section, "amends": amends, "text": str(text).strip(),
                                       "reasons": str(reasons or "").strip()}) as conn:
            if amends is not None:
                found = conn.execute("SELECT section FROM findings WHERE finding_id = ?", (int(amends),)).fetchone()
                if found is None:
                    raise CaseError(f"There is no findings entry number {amends} in this case to amend.")
            insert_frame(conn, "findings", row)
            return int(conn.execute("SELECT last_insert_rowid()").fetchone()[0])

    def amend_finding(self, finding_id: int, *, text: str, reasons: str = "", who: str | None = None,
                      section: str | None = None) -> int:
        """Correct an earlier findings entry by adding a new one that amends it (the old one stays).

        The section defaults to the amended entry's. Returns the new entry's finding_id.
        """
        old = self.table("findings")
        match = old[old["finding_id"] == int(finding_id)]
        if match.empty:
            raise CaseError(f"There is no findings entry number {finding_id} in this case to amend.")
        return self.add_finding(section=section or str(match["section"].iloc[0]), text=text, reasons=reasons,
                                who=who, amends=int(finding_id))

    def set_config(self, **values: Any) -> None:
        """Change settings in case.toml (audited; the new file is put in place when the change commits)."""
        config = {**self.config, **values}
        text = tomli_w.dumps(config).encode("utf-8")
        with self.transaction(what="case settings changed", details=values) as conn:
            self.stage(conn, "case", CASE_FILE).write_bytes(text)
            conn.files[CASE_TOML] = {"sha256": audit.sha256_bytes(text),
                                     "was": sha256_file(self.path / CASE_FILE)}
        self.config = config


class PartWriter:
    """An imported table's read-only Parquet part, appended one validated frame at a time.

    The same file :meth:`Case.write_part` writes for the whole frame (same columns, dtypes and
    hash check), in one row group per piece. :meth:`finish` records it inside the caller's
    transaction; :meth:`discard` removes it when the import fails (before or after ``finish``).
    """

    def __init__(self, case: Case, table: str, import_id: int, name: str) -> None:
        self.case, self.table, self.import_id = case, table, import_id
        self.target = case.parts_dir / name
        self.tmp = case.path / STAGING_DIR / PARTS_DIR / name
        self.rows = 0
        self._schema: pa.Schema | None = None
        self._writer: pq.ParquetWriter | None = None

    def write(self, df: pd.DataFrame) -> None:
        """Append a validated frame (the first one, even empty, fixes the columns and dtypes)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._schema is None:
            self._schema = pa.Schema.from_pandas(df, preserve_index=False)
            # small dictionary pages: columns of mostly different values (handles, names) give up
            # dictionary encoding early in each piece; ~30% faster, smaller files
            self._writer = pq.ParquetWriter(self.tmp, self._schema, dictionary_pagesize_limit=64 * 1024)
        if len(df):
            assert self._writer is not None
            self._writer.write_table(pa.Table.from_pandas(df, schema=self._schema, preserve_index=False))
            self.rows += len(df)

    def finish(self, conn: Writing) -> Path:
        """Close the file and list it in ``parts``; it is put in ``tables/`` when ``conn`` commits."""
        if self._writer is None:
            raise CaseError(f"No {self.table} rows were given for import {self.import_id}.")
        self._writer.close()
        self._writer = None
        digest = sha256_file(self.tmp)
        self.case.stage(conn, PARTS_DIR, self.target.name)
        conn.execute("INSERT INTO parts (import_id, table_name, file, rows, sha256) VALUES (?,?,?,?,?)",
                     (self.import_id, self.table, self.target.name, self.rows, digest))
        return self.target

    def discard(self) -> None:
        """Remove the staged part, for an import that failed (the transaction's rollback does too)."""
        if self._writer is not None:
            try:
                self._writer.close()
            except Exception:  # noqa: BLE001 - the import failed already; its error is the one to show
                pass
            self._writer = None
        self.tmp.unlink(missing_ok=True)


def _put_in_place(tmp: Path, final: Path) -> None:
    """Move a staged file to its place (read-only, except case.toml and outputs); done already is fine."""
    if not tmp.exists():
        return  # put in place by the next open's recovery, between this commit and now
    output = f"/{STAGING_DIR}/{EXPORTS}/" in tmp.as_posix()  # never overwritten (unique names), and the analyst's
    modes = access.modes_for(final)
    access.apply(tmp, modes.file if final.name == CASE_FILE or output else modes.read_only, modes=modes)
    if not final.parent.is_dir():  # an export's own folder, or exports/ of an older case
        private_dir(final.parent)
    os.replace(tmp, final)


def write_error(exc: OSError, folder: Path, what: str) -> InvestigateError:
    """The message for a file that could not be written: a full disk said so, naming the folder."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return CaseError(f"{what} could not be written: the disk holding {folder} is full. Nothing was changed; "
                         "free some space (or move the case to a bigger disk) and try again.")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return CaseError(f"{what} could not be written: {folder} cannot be written to ({exc.strerror}). "
                         "Nothing was changed.")
    return CaseError(f"{what} could not be written in {folder}: {exc.strerror or exc}. Nothing was changed.")


def _merge_accounts(accounts: pd.DataFrame) -> pd.DataFrame:
    """One row per (platform, handle_key): the first non-empty value of each column, in order."""
    import pandas as pd

    keys = ["platform", "handle_key"]
    repeated = accounts.duplicated(keys, keep=False)
    if not repeated.any():
        return accounts
    merged = accounts[repeated].groupby(keys, sort=False, as_index=False).first()
    return pd.concat([accounts[~repeated], merged[accounts.columns]], ignore_index=True)


def _rows_where(frame: pd.DataFrame, where: pc.Expression) -> pd.DataFrame:
    """The rows of a frame (SQLite's, with canonical dtypes) for which ``where`` is true, in order: what a
    Parquet read with the same ``filters`` keeps."""
    import numpy as np
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.append_column("__row", pa.array(np.arange(len(frame))))
    kept = table.filter(where).column("__row").to_numpy()
    return frame.iloc[kept]


def _column_values(series: pd.Series, dtype: str) -> list[Any]:
    import numpy as np
    import pandas as pd

    if dtype == UTC_TIME:
        array = series.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[us]")
        text = np.datetime_as_string(array, unit="us")
        return [None if t == "NaT" else t + "+00:00" for t in text.tolist()]
    if dtype == INT:
        return [None if v is pd.NA else int(v) for v in series.astype(object).tolist()]
    return [None if v is pd.NA else v for v in series.astype(object).tolist()]


def insert_frame(conn: sqlite3.Connection, table: str, df: pd.DataFrame) -> None:
    """Insert a validated frame into a table inside an open transaction."""
    if df.empty:
        return
    columns = TABLES[table]
    names = [c for c in columns if not (c == _AUTO_ID.get(table) and df[c].isna().all())]
    data = [_column_values(df[c], columns[c]) for c in names]
    quoted = ", ".join(f'"{c}"' for c in names)
    marks = ", ".join("?" for _ in names)
    sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"
    if table in _KEYS:
        keys = _KEYS[table]
        updates = ", ".join(
            f'"{c}" = COALESCE(NULLIF(excluded."{c}", \'\'), "{table}"."{c}")'
            for c in names if c not in keys
        )
        sql += f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    conn.executemany(sql, zip(*data, strict=True))
