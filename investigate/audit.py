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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .schema import TABLES

GENESIS = "0" * 64
CASE_TOML = "case.toml"
#: columns of the ``parts`` table (the list of imported Parquet files and their SHA-256)
PARTS_COLUMNS = ("import_id", "table_name", "file", "rows", "sha256")
#: every table whose rows the chain fingerprints (all but the audit log itself)
CONTENT_TABLES: tuple[str, ...] = (*(t for t in TABLES if t != "audit"), "parts")
_EMPTY = {"rows": 0, "sha256": hashlib.sha256(b"").hexdigest()}
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
               wrote: str | None = None) -> str:
    """The SHA-256 (hex) of one audit entry, over its fields and the previous hash."""
    fields: list[Any] = [seq, at, who, what, details, prev_hash]
    if wrote is not None:  # entries written before fingerprints were kept have none
        fields.append(wrote)
    payload = json.dumps(fields, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def table_digest(conn: sqlite3.Connection, table: str) -> dict[str, Any]:
    """A table's fingerprint: its row count and the SHA-256 of its rows in canonical form.

    Each row is a compact JSON array of its values in the schema's column order; the lines are
    sorted (so the order SQLite keeps rows in does not matter) and hashed one per line.
    """
    columns = PARTS_COLUMNS if table == "parts" else tuple(TABLES[table])
    quoted = ", ".join(f'"{c}"' for c in columns)
    lines = sorted(json.dumps(list(row), ensure_ascii=False, separators=(",", ":"), default=repr)
                   for row in conn.execute(f"SELECT {quoted} FROM {table}"))
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return {"rows": len(lines), "sha256": digest.hexdigest()}


def append(conn: sqlite3.Connection, who: str, what: str, details: dict[str, Any] | None = None, *,
           wrote: dict[str, Any] | None = None) -> str:
    """Add one entry inside the caller's transaction; returns its hash.

    ``wrote`` maps each table (or ``case.toml``) the change wrote to its fingerprint after the
    change, with ``was``: the SHA-256 it had before. A correction says which entry it corrects
    with ``details["amends_entry"]`` (an entry number): entries are never rewritten.
    """
    row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    text = json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str)
    wrote_text = json.dumps(wrote or {}, sort_keys=True, separators=(",", ":"))
    digest = entry_hash(seq, at, who, what, text, prev, wrote_text)
    conn.execute(
        "INSERT INTO audit (seq, at, who, what, details, prev_hash, hash, wrote) VALUES (?,?,?,?,?,?,?,?)",
        (seq, at, who, what, text, prev, digest, wrote_text),
    )
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (f"{seq}:{digest}",),
    )
    return digest


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
    rows = conn.execute(
        "SELECT seq, at, who, what, details, prev_hash, hash, wrote FROM audit ORDER BY seq"
    )
    for seq, at, who, what, details, prev_hash, digest, wrote in rows:
        if seq != expected_seq:
            problems.append(f"audit log: entry {expected_seq} is missing (next found is {seq})")
        if prev_hash != prev:
            problems.append(f"audit log: entry {seq} does not follow the entry before it")
        if entry_hash(seq, at, who or "", what, details or "", prev_hash, wrote) != digest:
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


@dataclass
class Replay:
    """The case's content as the audit log says it should be (see :func:`replay`)."""

    state: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> fingerprint
    by: dict[str, str] = field(default_factory=dict)  # key -> "entry N ('what')" that wrote it last
    problems: list[str] = field(default_factory=list)


def replay(conn: sqlite3.Connection) -> Replay:
    """Replay every entry's ``wrote``: the fingerprint each table and case.toml should have now.

    Notes a problem where an entry found a table already different from what the entries before
    it left (it was changed outside the kit in between, or an entry that wrote it was removed).
    """
    out = Replay(state={t: dict(_EMPTY) for t in CONTENT_TABLES})
    fingerprinted = False
    for seq, what, wrote in conn.execute("SELECT seq, what, wrote FROM audit ORDER BY seq"):
        try:
            changes = json.loads(wrote) if wrote else {}
        except ValueError:
            out.problems.append(f"audit log: entry {seq} ({what}) has an unreadable record of what it wrote")
            continue
        baseline = what == BASELINE and not fingerprinted  # only valid as the first entry with fingerprints
        if what == BASELINE and fingerprinted:
            out.problems.append(f"audit log: entry {seq} ('{what}') resets the fingerprints of a case that "
                                "already had them (only a case made by an older kit version gets this entry)")
        fingerprinted = fingerprinted or wrote is not None
        for key, print_ in changes.items():
            before = out.state.get(key, {}).get("sha256")
            if not baseline and print_.get("was") != before:
                out.problems.append(
                    f"{_name(key)}: entry {seq} ('{what}') found it already different from what "
                    f"{out.by.get(key, 'the case when it was made')} left (changed outside the kit, "
                    "or audit entries were removed)")
            out.state[key] = {k: v for k, v in print_.items() if k != "was"}
            out.by[key] = f"entry {seq} ('{what}')"
    return out


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def check_content(conn: sqlite3.Connection, case_toml_sha256: str | None) -> list[str]:
    """Compare every table and case.toml with what the audit log says they hold; problems in words."""
    replayed = replay(conn)
    problems = list(replayed.problems)
    for table in CONTENT_TABLES:
        want, now = replayed.state[table], table_digest(conn, table)
        if now["sha256"] == want["sha256"]:
            continue
        by = replayed.by.get(table)
        if by is None:
            change = f"it holds {_rows(now['rows'])}, but no audit entry records writing any"
        elif now["rows"] != want["rows"]:
            change = f"it holds {_rows(now['rows'])} where {by} left {want['rows']}"
        else:
            change = f"its {_rows(now['rows'])} {'differs' if now['rows'] == 1 else 'differ'} from what {by} " \
                     "recorded (rows were edited)"
        problems.append(f"{_name(table)}: changed outside the kit: {change}")
    toml = replayed.state.get(CASE_TOML, {}).get("sha256")
    if toml is None:
        problems.append("case.toml: no audit entry records its content")
    elif case_toml_sha256 != toml:
        problems.append(f"case.toml: changed outside the kit (it is not what {replayed.by[CASE_TOML]} wrote)")
    return problems


def _name(key: str) -> str:
    if key == CASE_TOML:
        return key
    return "the list of imported parts (parts table)" if key == "parts" else f"the {key} table"
