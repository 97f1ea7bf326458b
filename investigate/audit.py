"""The append-only audit log: each entry carries the SHA-256 of the previous one.

An edited, inserted or deleted row breaks the chain, and :func:`check_chain` names where.
The newest entry's hash is also kept in the ``meta`` table, so that removing the last
entries is caught too (unless both are edited together: keep copies of exported reports,
which print the chain head).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def entry_hash(seq: int, at: str, who: str, what: str, details: str, prev_hash: str) -> str:
    """The SHA-256 (hex) of one audit entry, over its fields and the previous hash."""
    payload = json.dumps([seq, at, who, what, details, prev_hash], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(conn: sqlite3.Connection, who: str, what: str, details: dict[str, Any] | None = None) -> str:
    """Add one entry inside the caller's transaction; returns its hash."""
    row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    text = json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str)
    digest = entry_hash(seq, at, who, what, text, prev)
    conn.execute(
        "INSERT INTO audit (seq, at, who, what, details, prev_hash, hash) VALUES (?,?,?,?,?,?,?)",
        (seq, at, who, what, text, prev, digest),
    )
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (f"{seq}:{digest}",),
    )
    return digest


def check_chain(conn: sqlite3.Connection) -> list[str]:
    """Recompute the chain; returns a list of problems in plain words (empty when intact)."""
    problems: list[str] = []
    prev = GENESIS
    expected_seq = 1
    last = (0, GENESIS)
    rows = conn.execute(
        "SELECT seq, at, who, what, details, prev_hash, hash FROM audit ORDER BY seq"
    )
    for seq, at, who, what, details, prev_hash, digest in rows:
        if seq != expected_seq:
            problems.append(f"audit log: entry {expected_seq} is missing (next found is {seq})")
        if prev_hash != prev:
            problems.append(f"audit log: entry {seq} does not follow the entry before it")
        if entry_hash(seq, at, who or "", what, details or "", prev_hash) != digest:
            problems.append(f"audit log: entry {seq} ({what}) was changed after it was written")
        prev, expected_seq, last = digest, seq + 1, (seq, digest)
    head = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    if head and head[0] != f"{last[0]}:{last[1]}":
        problems.append(
            f"audit log: the newest entry should be {head[0].split(':')[0]}, "
            f"but the log ends at {last[0]} (entries were removed or changed)"
        )
    return problems
