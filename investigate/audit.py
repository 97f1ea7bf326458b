"""The append-only audit log: every change to the case, chained by SHA-256, with what it wrote.

Each entry carries the SHA-256 of the previous one, so an edited, inserted or deleted entry
breaks the chain. Each entry also records, in ``wrote``, the content fingerprint of every table
it changed (row count and the SHA-256 of the table's rows in a canonical form, see
:func:`table_digest`) and of ``case.toml``, both as it found them (``was``) and as it left them.
Evidence files and imported Parquet parts are fingerprinted through their rows (each row holds the
file's SHA-256). :func:`check_content` replays the chain and compares the result with the case
as it is now, so a table or file edited outside the kit is named even when the chain itself
was recomputed; a rewritten chain is caught by any earlier seal (:mod:`investigate.seal`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .schema import STATE_TABLES, TABLES

GENESIS = "0" * 64
CASE_TOML = "case.toml"
#: columns of the ``parts`` table (the list of imported Parquet files and their SHA-256)
PARTS_COLUMNS = ("import_id", "table_name", "file", "rows", "sha256")
#: every table whose rows the chain fingerprints (all but the audit log itself)
CONTENT_TABLES: tuple[str, ...] = (*(t for t in TABLES if t != "audit"), "parts")
_EMPTY = {"rows": 0, "sha256": hashlib.sha256(b"").hexdigest()}
#: the running hash of a record table with no rows
EMPTY_CHAIN = hashlib.sha256(b"").hexdigest()
#: an entry that adds at most this many rows to a record table also lists each row's short hash
ROW_HASHES = 100
#: the key of an entry's ``wrote`` listing outputs written outside the case ({file name: SHA-256})
OUTSIDE = "outside"
#: the key of an entry's ``wrote`` that holds the schema's fingerprint (every entry has one)
SCHEMA = "schema"
#: the entry that records every fingerprint once, when a case made before fingerprints is upgraded
BASELINE = "fingerprints recorded"
#: the details key of a correction: the number of the entry it corrects
AMENDS = "amends_entry"


def sha256_file(path: Path) -> str:
    """SHA-256 (hex) of a file, read in chunks (any size)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    """SHA-256 (hex) of some bytes."""
    return hashlib.sha256(data).hexdigest()


def entry_hash(seq: int, at: str, who: str, what: str, details: str, prev_hash: str,
               wrote: str | None = None, login: str | None = None) -> str:
    """The SHA-256 (hex) of one audit entry, over its fields and the previous hash."""
    fields: list[Any] = [seq, at, who, what, details, prev_hash]
    if wrote is not None:  # entries written before fingerprints were kept have none
        fields.append(wrote)
    if login is not None:  # nor did they record the login that ran them
        fields.append(login)
    payload = json.dumps(fields, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _columns(conn: sqlite3.Connection, table: str) -> str | None:
    """The SELECT list of a table's canonical columns as ``conn`` has them (NULL for a column it lacks),
    or None when the table is not there."""
    have = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
    if not have:
        return None
    columns = PARTS_COLUMNS if table == "parts" else tuple(TABLES[table])
    return ", ".join(f'"{c}"' if c in have else "NULL" for c in columns)


def _line(row: Sequence[Any]) -> str:
    """A row in canonical form: a compact JSON array of its values, trailing empty (NULL) values left out
    (so a column a newer kit adds, empty in older rows, leaves their form as it was)."""
    values = list(row)
    while values and values[-1] is None:
        values.pop()
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"), default=repr)


def table_digest(conn: sqlite3.Connection, table: str) -> dict[str, Any]:
    """A table's fingerprint: its row count and the SHA-256 of its rows in canonical form.

    Each row is a compact JSON array of its values in the schema's column order; the lines are
    sorted (so the order SQLite keeps rows in does not matter) and hashed one per line.
    """
    columns = _columns(conn, table)
    rows = conn.execute(f"SELECT {columns} FROM {table}") if columns else []
    lines = sorted(json.dumps(list(row), ensure_ascii=False, separators=(",", ":"), default=repr) for row in rows)
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return {"rows": len(lines), "sha256": digest.hexdigest()}


def record_tables() -> tuple[str, ...]:
    """The append-only tables whose rows an entry can only add to: every content table but the state tables."""
    return tuple(t for t in CONTENT_TABLES if t not in STATE_TABLES)


def _record_rows(conn: sqlite3.Connection, table: str, skip: int = 0) -> Iterator[tuple[Any, str]]:
    """A record table's rows in the order they were written, after the first ``skip``: (the row's first
    value, its canonical line)."""
    columns = _columns(conn, table)
    if columns is None:
        return
    for row in conn.execute(f"SELECT {columns} FROM {table} ORDER BY rowid LIMIT -1 OFFSET ?", (skip,)):
        yield row[0], _line(row)


def row_hash(line: str) -> str:
    """A short hash of one row's canonical line (an entry lists those of the rows it added, see ROW_HASHES)."""
    return hashlib.sha256(line.encode("utf-8")).hexdigest()[:16]


def running_hashes(conn: sqlite3.Connection, table: str, at: Iterable[int] = ()) -> tuple[int, dict[int, str]]:
    """A record table's running hash: (its number of rows, {n: SHA-256 of its first n rows in insert order})
    for each n in ``at`` that it has, and for its whole length."""
    wanted = set(at)
    digest = hashlib.sha256()
    out = {0: EMPTY_CHAIN} if 0 in wanted else {}
    count = 0
    for _, line in _record_rows(conn, table):
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
        count += 1
        if count in wanted:
            out[count] = digest.hexdigest()
    out[count] = digest.hexdigest() if count else EMPTY_CHAIN
    return count, out


def first_changed_row(before: sqlite3.Connection, after: sqlite3.Connection, table: str) -> tuple[int, Any]:
    """The first row (1-based position, and its first value) where a record table differs between two views."""
    old, new = _record_rows(before, table), _record_rows(after, table)
    position = 0
    for was in old:
        position += 1
        now = next(new, None)
        if now is None or was[1] != now[1]:  # changed, or removed
            return position, was[0]
    return -1, None


def state_rows(conn: sqlite3.Connection, table: str) -> dict[str, list[Any]]:
    """A state table's rows by rowid (as text, the way JSON keeps them): {rowid: values}."""
    columns = _columns(conn, table)
    if columns is None:
        return {}
    return {str(row[0]): json.loads(_line(row[1:])) for row in conn.execute(f"SELECT rowid, {columns} FROM {table}")}


def state_digest(rows: Mapping[str, list[Any]]) -> str:
    """The SHA-256 of a state table's rows (by rowid), as :func:`state_rows` gives them or a replay rebuilds them."""
    text = json.dumps(sorted(rows.items(), key=lambda kv: int(kv[0])), ensure_ascii=False, separators=(",", ":"),
                      default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def schema_objects(conn: sqlite3.Connection) -> dict[str, str]:
    """What case.sqlite is built of: {"table findings": its columns, "trigger x": its SQL, ...} (SQLite's own
    objects left out); the schema verify pins."""
    out: dict[str, str] = {}
    for kind, name, sql in conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"):
        if kind == "table":
            columns = sorted(f"{r[1]} {r[2]}".strip() for r in conn.execute(f'PRAGMA table_info("{name}")'))
            out[f"table {name}"] = ", ".join(columns)
        else:
            out[f"{kind} {name}"] = " ".join(str(sql or "").split())
    return out


def schema_digest(conn: sqlite3.Connection) -> str:
    """The SHA-256 of :func:`schema_objects`: every entry records it."""
    text = json.dumps(sorted(schema_objects(conn).items()), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append(conn: sqlite3.Connection, who: str, what: str, details: dict[str, Any] | None = None, *,
           wrote: dict[str, Any] | None = None, login: str | None = None) -> str:
    """Add one entry inside the caller's transaction; returns its hash.

    ``wrote`` maps each table (or file) the change wrote to its fingerprint after the change
    (see :func:`fingerprints`). ``login`` is the operating-system account running the change. A
    correction says which entry it corrects with ``details["amends_entry"]`` (an entry number):
    entries are never rewritten. An entry is never dated before the one above it (a clock set back
    gives the previous entry's time).
    """
    row = conn.execute("SELECT seq, hash, at FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
    now = datetime.now(UTC)
    last = _time(row[2]) if row else None
    at = (last if last is not None and last > now else now).isoformat(timespec="microseconds")
    text = json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str)
    wrote_text = json.dumps(wrote or {}, sort_keys=True, separators=(",", ":"))
    digest = entry_hash(seq, at, who, what, text, prev, wrote_text, login)
    conn.execute(
        "INSERT INTO audit (seq, at, who, what, details, prev_hash, hash, wrote, login) VALUES (?,?,?,?,?,?,?,?,?)",
        (seq, at, who, what, text, prev, digest, wrote_text, login),
    )
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (f"{seq}:{digest}",),
    )
    return digest


def _time(text: str | None) -> datetime | None:
    try:
        when = datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def head(conn: sqlite3.Connection) -> tuple[int, str, str]:
    """The newest entry: (number, hash, time written); (0, GENESIS, "") for an empty log."""
    row = conn.execute("SELECT seq, hash, at FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1]), str(row[2])) if row else (0, GENESIS, "")


def check_chain(conn: sqlite3.Connection) -> list[str]:
    """Recompute the chain; returns a list of problems in plain words (empty when intact)."""
    problems: list[str] = []
    prev = GENESIS
    expected_seq = 1
    last = (0, GENESIS)
    seqs: set[int] = set()
    have = {row[1] for row in conn.execute("PRAGMA table_info(audit)")}
    extra = ", ".join(c if c in have else "NULL" for c in ("wrote", "login"))
    rows = conn.execute(f"SELECT seq, at, who, what, details, prev_hash, hash, {extra} FROM audit ORDER BY seq")
    last_at: tuple[int, datetime] | None = None
    for seq, at, who, what, details, prev_hash, digest, wrote, login in rows:
        when = _time(at)
        if when is None:
            problems.append(f"audit log: entry {seq} ({what}) has no readable time ({at!r})")
        elif last_at is not None and when < last_at[1]:
            problems.append(f"audit log: entry {seq} ({what}) is dated {at}, before entry {last_at[0]} above it "
                            f"({last_at[1].isoformat()}): entries are never written out of time order "
                            "(it was inserted or back-dated)")
        if when is not None:
            last_at = (seq, when)
        if seq != expected_seq:
            problems.append(f"audit log: entry {expected_seq} is missing (next found is {seq})")
        if prev_hash != prev:
            problems.append(f"audit log: entry {seq} does not follow the entry before it")
        if entry_hash(seq, at, who or "", what, details or "", prev_hash, wrote, login) != digest:
            problems.append(f"audit log: entry {seq} ({what}) was changed after it was written")
        amends = _amends(details)
        if amends is not None and amends not in seqs:
            problems.append(f"audit log: entry {seq} ({what}) corrects entry {amends}, which is not an earlier entry")
        seqs.add(seq)
        prev, expected_seq, last = digest, seq + 1, (seq, digest)
    if not seqs:
        problems.append("audit log: it is empty, but every case starts with a 'case created' entry "
                        "(its entries were removed)")
    stored = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    if stored and stored[0] != f"{last[0]}:{last[1]}":
        problems.append(
            f"audit log: the newest entry should be {stored[0].split(':')[0]}, "
            f"but the log ends at {last[0]} (entries were removed or changed)"
        )
    return problems


def _amends(details: str | None) -> int | None:
    try:
        value = json.loads(details or "{}").get(AMENDS)
    except (ValueError, AttributeError):
        return None
    return int(value) if isinstance(value, int) else None


class RecordChanged(Exception):
    """A change that would alter or remove rows of a record table (see :func:`fingerprints`)."""

    def __init__(self, table: str, position: int, key: Any) -> None:
        super().__init__(table, position, key)
        self.table, self.position, self.key = table, position, key


def fingerprints(before: sqlite3.Connection | None, after: sqlite3.Connection, tables: Iterable[str], *,
                 baseline: bool = False) -> dict[str, dict[str, Any]]:
    """What a change wrote, for its audit entry: each of ``tables`` as ``before`` (the last saved state)
    and ``after`` (the change's own connection) see it, and the schema.

    A record table gets ``{"rows", "chain", "was_rows", "was_chain"}``: its length and running hash
    after the change and before it; raises :class:`RecordChanged` when the change altered or removed a
    row that was there before (record tables are append-only). A state table gets ``{"rows",
    "changed", "was"}``: each row the change wrote or removed (by rowid; None for removed) and the
    SHA-256 of the table before. ``baseline`` records every table whole, as from an empty case.
    """
    out: dict[str, dict[str, Any]] = {}
    for table in tables:
        if table in STATE_TABLES:
            old = {} if before is None else state_rows(before, table)
            new = state_rows(after, table)
            changed: dict[str, Any] = {k: v for k, v in new.items() if old.get(k) != v}
            changed.update({k: None for k in old if k not in new})
            if changed or baseline:
                out[table] = {"rows": len(new), "changed": changed, "was": None if baseline else state_digest(old)}
            continue
        was_rows, was = (0, {0: EMPTY_CHAIN}) if before is None else running_hashes(before, table)
        rows, now = running_hashes(after, table, at=(was_rows,))
        if rows < was_rows or now[was_rows] != was[was_rows]:
            position, key = first_changed_row(before, after, table) if before is not None else (-1, None)
            raise RecordChanged(table, position, key)
        if rows != was_rows or baseline:
            out[table] = {"rows": rows, "chain": now[rows], "was_rows": None if baseline else was_rows,
                          "was_chain": None if baseline else was[was_rows]}
            if 0 < rows - was_rows <= ROW_HASHES and not baseline:  # so that verify can name the row changed
                out[table]["row_hashes"] = [row_hash(line) for _, line in _record_rows(after, table, was_rows)]
    return out


@dataclass
class Mark:
    """One entry's record of a record table's running hash at a length."""

    rows: int
    chain: str
    seq: int
    what: str
    row_hashes: list[str] = field(default_factory=list)  # of the rows the entry added (when it listed them)


@dataclass
class Replay:
    """The case's content as the audit log says it should be (see :func:`replay`)."""

    state: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> fingerprint
    by: dict[str, str] = field(default_factory=dict)  # key -> "entry N ('what')" that wrote it last
    problems: list[str] = field(default_factory=list)
    marks: dict[str, list[Mark]] = field(default_factory=dict)  # record table -> every length an entry recorded
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # state table -> rowid -> values
    writer: dict[str, dict[str, str]] = field(default_factory=dict)  # state table -> rowid -> entry that wrote it
    schema: str | None = None  # the schema's fingerprint the newest entry recorded
    schema_by: str = ""
    added: dict[tuple[str, int], int] = field(default_factory=dict)  # (record table, entry) -> rows before it


def _by(seq: int, what: str) -> str:
    return f"entry {seq} ('{what}')"


def replay(conn: sqlite3.Connection) -> Replay:
    """Replay every entry's ``wrote``: the fingerprint each table, file and the schema should have now.

    Notes a problem where an entry found a table already different from what the entries before
    it left (it was changed outside the kit in between, or an entry that wrote it was removed).
    """
    out = Replay(state={t: dict(_EMPTY) for t in CONTENT_TABLES})
    fingerprinted = False
    columns = "seq, what, wrote, details" if _columns(conn, "audit") else "seq, what, NULL, NULL"
    for seq, what, wrote, details in conn.execute(f"SELECT {columns} FROM audit ORDER BY seq"):
        try:
            changes = json.loads(wrote) if wrote else {}
        except ValueError:
            out.problems.append(f"audit log: entry {seq} ({what}) has an unreadable record of what it wrote")
            continue
        baseline = what == BASELINE and not fingerprinted  # only valid as the first entry with fingerprints
        if what == BASELINE and fingerprinted:
            out.problems.append(f"audit log: entry {seq} ('{what}') resets the fingerprints of a case that "
                                "already had them (only a case made by an older kit version gets this entry)")
        fingerprinted = fingerprinted or SCHEMA in changes
        for key, print_ in changes.items():
            if key == OUTSIDE:
                continue
            if not isinstance(print_, dict):
                out.problems.append(f"audit log: entry {seq} ({what}) has an unreadable record of {key}")
            elif key == SCHEMA:
                _replay_schema(out, seq, what, print_, details)
            elif "chain" in print_:
                _replay_record(out, key, seq, what, print_, baseline)
            elif "changed" in print_:
                _replay_state(out, key, seq, what, print_, baseline)
            else:
                _replay_digest(out, key, seq, what, print_, baseline and wrote is not None)
    return out


def _replay_digest(out: Replay, key: str, seq: int, what: str, print_: dict[str, Any], baseline: bool) -> None:
    """A whole-table or whole-file fingerprint (case.toml, output files, tables in entries of older kits)."""
    before = out.state.get(key, {}).get("sha256")
    if not baseline and print_.get("was") != before:
        out.problems.append(
            f"{_name(key)}: entry {seq} ('{what}') found it already different from what "
            f"{out.by.get(key, 'the case when it was made')} left (changed outside the kit, "
            "or audit entries were removed)")
    out.state[key] = {k: v for k, v in print_.items() if k != "was"}
    out.by[key] = _by(seq, what)


def _replay_record(out: Replay, table: str, seq: int, what: str, print_: dict[str, Any], baseline: bool) -> None:
    marks = out.marks.setdefault(table, [])
    last = marks[-1] if marks else Mark(0, EMPTY_CHAIN, 0, "")
    was = (print_.get("was_rows"), print_.get("was_chain"))
    if not baseline and was != (last.rows, last.chain):
        out.problems.append(
            f"{_name(table)}: entry {seq} ('{what}') found it already different from what "
            f"{_by(last.seq, last.what) if last.seq else 'the case when it was made'} left (changed outside "
            "the kit, or audit entries were removed)")
    if not baseline and isinstance(was[0], int) and isinstance(was[1], str):
        marks.append(Mark(was[0], was[1], seq, what))
        out.added[(table, seq)] = was[0]
    marks.append(Mark(int(print_.get("rows") or 0), str(print_.get("chain")), seq, what,
                      [str(h) for h in print_.get("row_hashes") or []]))
    out.state[table] = {"rows": int(print_.get("rows") or 0), "chain": print_.get("chain")}
    out.by[table] = _by(seq, what)


def _replay_state(out: Replay, table: str, seq: int, what: str, print_: dict[str, Any], baseline: bool) -> None:
    rows = out.rows.setdefault(table, {})
    if baseline:
        rows.clear()
    elif print_.get("was") != state_digest(rows):
        out.problems.append(
            f"{_name(table)}: entry {seq} ('{what}') found it already different from what "
            f"{out.by.get(table, 'the case when it was made')} left (changed outside the kit, "
            "or audit entries were removed)")
    writer = out.writer.setdefault(table, {})
    for rowid, values in dict(print_.get("changed") or {}).items():
        if values is None:
            rows.pop(rowid, None)
        else:
            rows[rowid] = values
        writer[rowid] = _by(seq, what)
    out.state[table] = {"rows": len(rows), "replayed": True}
    out.by[table] = _by(seq, what)


def _replay_schema(out: Replay, seq: int, what: str, print_: dict[str, Any], details: str | None) -> None:
    was = print_.get("was", print_.get("sha256"))
    if out.schema is not None and was != out.schema:
        added = ""
        try:
            names = json.loads(details or "{}").get("added") or []
            added = f"; the kit put back or added: {', '.join(map(str, names))}" if names else ""
        except (ValueError, AttributeError):
            pass
        out.problems.append(
            f"case.sqlite: its structure (tables, columns, triggers, indexes) was changed outside the kit "
            f"between {out.schema_by} and entry {seq} ('{what}'){added}")
    out.schema, out.schema_by = str(print_.get("sha256")), _by(seq, what)


def written_outputs(conn: sqlite3.Connection) -> set[str]:
    """The names (relative to exports/) of every output an audit entry records writing."""
    found: set[str] = set()
    for (wrote,) in conn.execute("SELECT wrote FROM audit WHERE instr(wrote, '\"exports/')"):
        try:
            found.update(k.removeprefix("exports/") for k in json.loads(wrote) if k.startswith("exports/"))
        except (ValueError, AttributeError):
            continue
    return found


def output_recorded(conn: sqlite3.Connection, name: str) -> bool:
    """Whether an entry records an output called ``name`` (a file, or a folder holding outputs) in exports/."""
    for prefix in (f'"exports/{name}"', f'"exports/{name}/'):
        if conn.execute("SELECT 1 FROM audit WHERE instr(wrote, ?) LIMIT 1", (prefix,)).fetchone():
            return True
    return False


def check_outputs(conn: sqlite3.Connection, exports: Path) -> list[str]:
    """Every output an entry recorded (``exports/<name>``) that is still in the case against its SHA-256, and
    every file in ``exports/`` that no entry records writing. (An output taken out of the case is not a problem.)"""
    replayed = replay(conn)
    problems = []
    recorded = {k.removeprefix("exports/"): v for k, v in replayed.state.items() if k.startswith("exports/")}
    for name, print_ in sorted(recorded.items()):
        path = exports / name
        if path.is_symlink() or (path.exists() and not path.is_file()):
            problems.append(f"exports/{name}: it is no longer the file {replayed.by[f'exports/{name}']} wrote "
                            "(it was replaced by a link or a folder)")
        elif path.is_file() and sha256_file(path) != print_.get("sha256"):
            problems.append(f"exports/{name}: changed after {replayed.by[f'exports/{name}']} wrote it (its SHA-256 is "
                            "not the one recorded)")
    if exports.is_dir() and replayed.schema is not None:  # (an older kit's outputs are recorded when it is opened)
        for path in sorted(p for p in exports.rglob("*") if p.is_file() or p.is_symlink()):
            name = path.relative_to(exports).as_posix()
            if name not in recorded:
                problems.append(f"exports/{name}: a file in exports/ that the case never wrote (no audit entry "
                                "records it)")
    return problems


def find_output(conn: sqlite3.Connection, sha256: str, *, zone: str) -> list[str]:
    """Where the case's audit log records writing a file with this SHA-256: ["exports/report.html, written by
    entry 12 ('report written') at 07/12/2026 10:00 GMT", ...], times in ``zone``."""
    from .words import show

    found = []
    for seq, at, what, wrote, details in conn.execute(
            "SELECT seq, at, what, wrote, details FROM audit WHERE instr(wrote, ?) OR instr(details, ?) ORDER BY seq",
            (sha256, sha256)):
        try:
            changes = json.loads(wrote or "{}")
        except ValueError:
            continue
        names = [k for k, v in changes.items() if isinstance(v, dict) and v.get("sha256") == sha256]
        names += [f"{k} (written outside the case)" for k, v in dict(changes.get(OUTSIDE) or {}).items()
                  if v == sha256]
        if not names:
            try:
                file = json.loads(details or "{}").get("file")
            except (ValueError, AttributeError):
                file = None
            names = [str(file or "a file")]
        found += [f"{n}, written by {_by(seq, what)} at {show(at, zone=zone)}" for n in names]
    return found


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def check_content(conn: sqlite3.Connection, case_toml_sha256: str | None) -> list[str]:
    """Compare every table, case.toml and the schema with what the audit log says they hold; problems in words."""
    replayed = replay(conn)
    problems = list(replayed.problems)
    for table in CONTENT_TABLES:
        if table in replayed.marks:
            problems += _check_record(conn, table, replayed)
        elif table in replayed.rows:
            problems += _check_state(conn, table, replayed)
        else:
            problems += _check_digest(conn, table, replayed)
    toml = replayed.state.get(CASE_TOML, {}).get("sha256")
    if toml is None:
        problems.append("case.toml: no audit entry records its content")
    elif case_toml_sha256 != toml:
        problems.append(f"case.toml: changed outside the kit (it is not what {replayed.by[CASE_TOML]} wrote)")
    problems += _check_typed(conn, replayed)
    if replayed.schema is not None and schema_digest(conn) != replayed.schema:
        problems.append(f"case.sqlite: its structure (tables, columns, triggers, indexes) was changed outside the "
                        f"kit after {replayed.schema_by}")
    return problems


def _check_digest(conn: sqlite3.Connection, table: str, replayed: Replay) -> list[str]:
    """A table whose newest fingerprint is a whole-table one (an older kit's), or that no entry wrote."""
    want, now = replayed.state[table], table_digest(conn, table)
    if now["sha256"] == want.get("sha256") or (now["rows"] == 0 and table not in replayed.by):
        return []
    by = replayed.by.get(table)
    if by is None:
        change = f"it holds {_rows(now['rows'])}, but no audit entry records writing any"
    elif now["rows"] != want["rows"]:
        change = f"it holds {_rows(now['rows'])} where {by} left {want['rows']}"
    else:
        change = f"its {_rows(now['rows'])} {'differs' if now['rows'] == 1 else 'differ'} from what {by} " \
                 "recorded (rows were edited)"
    return [f"{_name(table)}: changed outside the kit: {change}"]


def _check_record(conn: sqlite3.Connection, table: str, replayed: Replay) -> list[str]:
    """A record table against every length and running hash the entries recorded for it."""
    marks = replayed.marks[table]
    count, actual = running_hashes(conn, table, at=(m.rows for m in marks))
    first: dict[int, Mark] = {}
    rewriters: dict[int, Mark] = {}
    for mark in marks:
        if mark.rows not in first:
            first[mark.rows] = mark
        elif mark.chain != first[mark.rows].chain and mark.rows not in rewriters:
            rewriters[mark.rows] = mark
    last = marks[-1]
    good = 0
    for rows in sorted(first):
        mark = first[rows]
        if rows <= count and actual.get(rows) == mark.chain:
            good = rows
            continue
        # rows good+1..rows were written by the entry that first recorded this length
        if len(mark.row_hashes) == rows - good and rows <= count:  # it listed them: name the first one changed
            lines = [row_hash(line) for _, line in _record_rows(conn, table, good)][:rows - good]
            good += next((i for i, (h, w) in enumerate(zip(lines, mark.row_hashes, strict=True)) if h != w), 0)
            rows = good + 1
        span = f"row {rows}" if rows == good + 1 else f"rows {good + 1}-{rows}"
        key = _key_of(conn, table, good + 1)
        one = rows == good + 1
        what = f"{table} {span}{key} changed after {'it was' if one else 'they were'} written " \
               f"({_by(mark.seq, mark.what)} wrote {'it' if one else 'them'})"
        if rows > count:
            what = f"{table} {span}{key} {'was' if one else 'were'} removed after {_by(mark.seq, mark.what)} " \
                   f"wrote {'it' if one else 'them'}"
        rewriter = next((m for r, m in sorted(rewriters.items()) if r >= rows), None)
        if rewriter is not None and actual.get(rewriter.rows) == rewriter.chain:
            return [f"{_name(table)}: {what}; {_by(rewriter.seq, rewriter.what)} changed "
                    f"{'it' if rows == good + 1 else 'them'} instead of adding new rows (record tables are "
                    "append-only: a correction is a new row)"]
        if count != last.rows:
            head = f"it holds {_rows(count)} where {_by(last.seq, last.what)} left {last.rows}"
        else:
            head = f"its {_rows(count)} {'differs' if count == 1 else 'differ'} from what " \
                   f"{_by(last.seq, last.what)} recorded (rows were edited)"
        return [f"{_name(table)}: changed outside the kit: {head}: {what}"]
    if count > last.rows:
        return [f"{_name(table)}: changed outside the kit: it holds {_rows(count)} where {_by(last.seq, last.what)} "
                f"left {last.rows}: {table} rows {last.rows + 1}-{count} were added without an audit entry"]
    return []


#: entries that record the words the analyst typed, and the record table row that holds them
TYPED = {"finding recorded": "findings", "finding amended": "findings"}


def _check_typed(conn: sqlite3.Connection, replayed: Replay) -> list[str]:
    """Each findings entry's stored row against the words its audit entry recorded the analyst typing
    (a trigger planted in case.sqlite could rewrite the row as it is written)."""
    problems = []
    for seq, what, details in conn.execute(
            f"SELECT seq, what, details FROM audit WHERE what IN ({', '.join('?' for _ in TYPED)}) ORDER BY seq",
            tuple(TYPED)):
        table = TYPED[what]
        before = replayed.added.get((table, seq))
        try:
            typed = json.loads(details or "{}")
        except ValueError:
            continue
        if before is None or "text" not in typed:
            continue
        row = conn.execute(f"SELECT finding_id, section, text, reasons FROM {table} ORDER BY rowid LIMIT 1 OFFSET ?",
                           (before,)).fetchone()
        if row is None:
            continue  # a removed row is named by the record table's check
        for field_name, stored in zip(("section", "text", "reasons"), row[1:], strict=True):
            if field_name in typed and str(typed[field_name] or "") != str(stored or ""):
                problems.append(f"{table} row {before + 1} (finding_id {row[0]}): its {field_name} is not what "
                                f"{_by(seq, what)} recorded the analyst writing ({str(stored)[:60]!r} where "
                                f"{str(typed[field_name])[:60]!r} was written)")
    return problems


def _key_of(conn: sqlite3.Connection, table: str, position: int) -> str:
    """" (finding_id 3)": the first column of a record table's row at a position, to name it."""
    columns = _columns(conn, table)
    if columns is None:
        return ""
    row = conn.execute(f"SELECT {columns} FROM {table} ORDER BY rowid LIMIT 1 OFFSET ?", (position - 1,)).fetchone()
    name = PARTS_COLUMNS[2] if table == "parts" else next(iter(TABLES[table]))
    value = row[2 if table == "parts" else 0] if row else None
    return "" if value is None else f" ({name} {value})"


def _check_state(conn: sqlite3.Connection, table: str, replayed: Replay) -> list[str]:
    """A state table against its rows as the entries' recorded changes rebuild them."""
    want, now = replayed.rows[table], state_rows(conn, table)
    if want == now:
        return []
    by = replayed.by[table]
    head = (f"it holds {_rows(len(now))} where {by} left {len(want)}" if len(now) != len(want)
            else f"its {_rows(len(now))} {'differs' if len(now) == 1 else 'differ'} from what the entries "
                 "that wrote them recorded (rows were edited)")
    keys = list(TABLES[table])
    details = []
    for rowid in sorted(set(want) | set(now), key=int):
        if want.get(rowid) == now.get(rowid):
            continue
        row = now.get(rowid) or want.get(rowid) or []
        name = f"{keys[0]} {row[0]}" if row else f"rowid {rowid}"
        if rowid not in want:
            details.append(f"row {rowid} ({name}) was added without an audit entry")
        elif rowid not in now:
            details.append(f"row {rowid} ({name}) was removed (written by {replayed.writer[table][rowid]})")
        else:
            details.append(f"row {rowid} ({name}) is not what {replayed.writer[table][rowid]} left")
        if len(details) == 3:
            break
    return [f"{_name(table)}: changed outside the kit: {head}: {'; '.join(details)}"]


def _name(key: str) -> str:
    if key == CASE_TOML or "/" in key:
        return key
    return "the list of imported parts (parts table)" if key == "parts" else f"the {key} table"
