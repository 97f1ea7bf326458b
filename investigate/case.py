"""A case folder: ``case.toml``, ``case.sqlite`` (the canonical tables), ``evidence/``, ``exports/``.

Every write goes through :meth:`Case.transaction`, which opens one SQLite transaction and adds
an audit entry inside it: either everything is written, or nothing is.

Rows imported from files in bulk (follower lists of hundreds of thousands of rows) are kept as
one read-only Parquet file per import and table under ``tables/``, listed with their SHA-256 in
the ``parts`` table of case.sqlite (so ``verify`` checks them); :meth:`Case.table` returns them
together with the rows in SQLite. SQLite alone stores a million rows with indexes in ~7 s;
a Parquet part takes well under a second.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
import stat
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomli_w

from . import __version__, audit
from .errors import CaseError
from .schema import INT, TABLES, UTC_TIME, empty, validate

if TYPE_CHECKING:  # imported where frames are read or written: opening a case and `verify` need none
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

CASE_FILE = "case.toml"
DB_FILE = "case.sqlite"
PARTS_DIR = "tables"
#: tables whose imported rows are stored as Parquet parts
BULK_TABLES = ("relationships", "accounts", "posts", "interactions")

_KEYS = {
    "accounts": ("platform", "handle_key"),
    "people": ("person_id",),
}
_AUTO_ID = {"actions": "action_id", "imports": "import_id", "findings": "finding_id"}


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
    return statements


def current_user() -> str:
    """The name of the person at the keyboard, for the audit log."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on this system
        return "unknown"


class Case:
    """An open case folder. Create one with :meth:`create`, open one with :meth:`open`."""

    def __init__(self, path: Path, config: dict[str, Any]) -> None:
        self.path = path
        self.config = config

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
    ) -> Case:
        """Make a new case folder (it must not exist or be empty) and return it open."""
        path = Path(path)
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
        config = {
            "title": title,
            "reference": reference or f"CASE-{now:%Y%m%d-%H%M%S}",
            "school": list(school),
            "analyst": analyst or current_user(),
            "timezone": timezone_name,
            "classification": classification,
            "created_at": now.isoformat(timespec="seconds"),
            "kit_version": __version__,
        }
        path.mkdir(parents=True, exist_ok=True)
        (path / "evidence").mkdir()
        (path / "exports").mkdir()
        (path / PARTS_DIR).mkdir()
        (path / CASE_FILE).write_text(tomli_w.dumps(config), encoding="utf-8")
        case = cls(path, config)
        with case._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            for statement in _ddl():
                conn.execute(statement)
        with case.transaction(who=config["analyst"], what="case created", details=config):
            pass
        return case

    @classmethod
    def open(cls, path: str | Path) -> Case:
        """Open an existing case folder, checking it holds a case."""
        path = Path(path)
        toml = path / CASE_FILE
        if not toml.is_file() or not (path / DB_FILE).is_file():
            raise CaseError(
                f"{path} is not a case folder (it has no {CASE_FILE} and {DB_FILE}). "
                "Make one with: investigate new CASE_DIR --title ..."
            )
        try:
            config = tomllib.loads(toml.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise CaseError(f"{toml} cannot be read: {exc}") from None
        case = cls(path, config)
        with case._connect() as conn:  # add tables introduced by newer kit versions
            for statement in _ddl():
                conn.execute(statement)
        return case

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
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path / DB_FILE, timeout=30, isolation_level=None)
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    @contextmanager
    def transaction(
        self, *, who: str | None = None, what: str, details: dict[str, Any] | None = None
    ) -> Iterator[sqlite3.Connection]:
        """One write transaction with its audit entry. Rolls back everything on any error."""
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            audit.append(conn, who or current_user(), what, details)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()

    def table(self, name: str) -> pd.DataFrame:
        """Read a canonical table as a DataFrame with canonical dtypes (SQLite rows and imported parts).

        ``accounts`` is merged on (platform, handle_key): what the analyst entered comes first,
        then each import in order, and the first non-empty value of each column is kept.
        """
        import pandas as pd

        columns = TABLES.get(name)
        if columns is None:
            return validate(pd.DataFrame(), name)  # raises SchemaError naming the tables
        conn = self._connect()
        try:
            quoted = ", ".join(f'"{c}"' for c in columns)
            raw = pd.read_sql_query(f"SELECT {quoted} FROM {name}", conn)
            parts = [r[0] for r in conn.execute(
                "SELECT file FROM parts WHERE table_name = ? ORDER BY import_id", (name,))]
        finally:
            conn.close()
        frames = [self._from_sql(raw, columns)] if not raw.empty else []
        frames += [pd.read_parquet(self.parts_dir / file) for file in parts]
        if not frames:
            return empty(name)
        out = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
        if name == "accounts":
            out = _merge_accounts(out)
        return out.reset_index(drop=True)

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

    def write_part(self, conn: sqlite3.Connection, table: str, import_id: int, df: pd.DataFrame) -> Path:
        """Store an imported table's rows as a read-only Parquet part, inside the caller's transaction.

        Returns the file, which the caller removes if the transaction fails.
        """
        if table not in BULK_TABLES:
            raise CaseError(f"{table} rows are stored in SQLite, not as imported parts.")
        self.parts_dir.mkdir(exist_ok=True)
        target = self.parts_dir / f"{table}-{import_id:05d}.parquet"
        tmp = target.with_suffix(".incoming")
        df.to_parquet(tmp, index=False)
        from .evidence import sha256_file  # evidence imports case: import here

        digest = sha256_file(tmp)
        os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        os.replace(tmp, target)
        conn.execute("INSERT INTO parts (import_id, table_name, file, rows, sha256) VALUES (?,?,?,?,?)",
                     (import_id, table, target.name, len(df), digest))
        return target

    def part_writer(self, table: str, import_id: int) -> PartWriter:
        """A Parquet part written piece by piece (for a file read in pieces): see :class:`PartWriter`."""
        if table not in BULK_TABLES:
            raise CaseError(f"{table} rows are stored in SQLite, not as imported parts.")
        self.parts_dir.mkdir(exist_ok=True)
        return PartWriter(table, import_id, self.parts_dir / f"{table}-{import_id:05d}.parquet")

    def parts(self) -> pd.DataFrame:
        """The imported Parquet parts: import_id, table_name, file, rows, sha256."""
        import pandas as pd

        conn = self._connect()
        try:
            return pd.read_sql_query("SELECT import_id, table_name, file, rows, sha256 FROM parts", conn)
        finally:
            conn.close()

    def count(self, name: str) -> int:
        """Number of rows in a table."""
        if name not in TABLES:
            raise CaseError(f"There is no table called {name!r}.")
        conn = self._connect()
        try:
            if name == "accounts":
                return len(self.table("accounts"))
            rows = conn.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
            parts = conn.execute("SELECT SUM(rows) FROM parts WHERE table_name = ?", (name,)).fetchone()[0]
            return int(rows) + int(parts or 0)
        finally:
            conn.close()

    def meta(self, key: str) -> str | None:
        conn = self._connect()
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        finally:
            conn.close()
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

        stamp = pd.Timestamp(at)
        if stamp.tzinfo is None:
            stamp = stamp.tz_localize(self.timezone, ambiguous="raise", nonexistent="raise")
        row = pd.DataFrame([{
            "at": stamp.tz_convert("UTC"), "precision": precision, "kind": kind, "summary": summary,
            "accounts": accounts, "evidence_id": evidence_id, "recorded_by": who or current_user(),
            "source": "entered",
        }])
        self.add_rows({"events": row}, who=who, what="event recorded", details={"kind": kind, "summary": summary})

    def add_action(self, *, kind: str, what: str, who: str | None = None, at: Any = None,
                   due: Any = None, status: str = "open", outcome: str = "",
                   recorded_by: str | None = None) -> int:
        """Log an action or decision; returns its action_id."""
        import pandas as pd

        def utc(value: Any) -> pd.Timestamp | None:
            if value is None or value == "":
                return None
            stamp = pd.Timestamp(value)
            return (stamp.tz_localize(self.timezone) if stamp.tzinfo is None else stamp).tz_convert("UTC")

        row = validate(pd.DataFrame([{
            "kind": kind, "what": what, "who": who or "", "at": utc(at) or pd.Timestamp.now(tz="UTC"),
            "due": utc(due), "status": status, "outcome": outcome,
        }]), "actions")
        with self.transaction(who=recorded_by, what="action logged", details={"kind": kind, "what": what}) as conn:
            insert_frame(conn, "actions", row)
            return int(conn.execute("SELECT last_insert_rowid()").fetchone()[0])

    def update_action(self, action_id: int, *, status: str | None = None, outcome: str | None = None,
                      recorded_by: str | None = None) -> None:
        """Change an action's status or outcome (the change is audited)."""
        changes = {k: v for k, v in {"status": status, "outcome": outcome}.items() if v is not None}
        if not changes:
            return
        with self.transaction(who=recorded_by, what="action updated",
                              details={"action_id": action_id, **changes}) as conn:
            sets = ", ".join(f"{k} = ?" for k in changes)
            cur = conn.execute(f"UPDATE actions SET {sets} WHERE action_id = ?", (*changes.values(), action_id))
            if cur.rowcount == 0:
                raise CaseError(f"There is no action number {action_id} in this case.")

    def set_config(self, **values: Any) -> None:
        """Change settings in case.toml (the change is audited)."""
        with self.transaction(what="case settings changed", details=values):
            self.config.update(values)
            (self.path / CASE_FILE).write_text(tomli_w.dumps(self.config), encoding="utf-8")


class PartWriter:
    """An imported table's read-only Parquet part, appended one validated frame at a time.

    The same file :meth:`Case.write_part` writes for the whole frame (same columns, dtypes and
    hash check), in one row group per piece. :meth:`finish` records it inside the caller's
    transaction; :meth:`discard` removes it when the import fails (before or after ``finish``).
    """

    def __init__(self, table: str, import_id: int, target: Path) -> None:
        self.table, self.import_id, self.target = table, import_id, target
        self.tmp = target.with_suffix(".incoming")
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

    def finish(self, conn: sqlite3.Connection) -> Path:
        """Close the file, make it read-only under its final name and list it in ``parts``."""
        if self._writer is None:
            raise CaseError(f"No {self.table} rows were given for import {self.import_id}.")
        self._writer.close()
        self._writer = None
        from .evidence import sha256_file  # evidence imports case: import here

        digest = sha256_file(self.tmp)
        os.chmod(self.tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        os.replace(self.tmp, self.target)
        conn.execute("INSERT INTO parts (import_id, table_name, file, rows, sha256) VALUES (?,?,?,?,?)",
                     (self.import_id, self.table, self.target.name, self.rows, digest))
        return self.target

    def discard(self) -> None:
        """Remove the part (unfinished or finished), for an import that failed."""
        if self._writer is not None:
            try:
                self._writer.close()
            except Exception:  # noqa: BLE001 - the import failed already; its error is the one to show
                pass
            self._writer = None
        self.tmp.unlink(missing_ok=True)
        self.target.unlink(missing_ok=True)


def _merge_accounts(accounts: pd.DataFrame) -> pd.DataFrame:
    """One row per (platform, handle_key): the first non-empty value of each column, in order."""
    import pandas as pd

    keys = ["platform", "handle_key"]
    repeated = accounts.duplicated(keys, keep=False)
    if not repeated.any():
        return accounts
    merged = accounts[repeated].groupby(keys, sort=False, as_index=False).first()
    return pd.concat([accounts[~repeated], merged[accounts.columns]], ignore_index=True)


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
