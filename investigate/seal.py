"""Seals: a short text that fixes the audit log as it is now, to keep outside the case.

A seal such as ``S42-20261201-9f2c4a1be0d3a7c1e5f0b2d4c6a8e0f1`` names the number of entries in
the audit log, the day of the newest one and the first 128 bits of its SHA-256. Paste it into an
email, a CPOMS/MyConcern note or a printed report: whoever holds it can later check, with
``investigate verify CASE --seal SEAL``, that the case still extends that log unchanged. Someone
who rewrites the log (even recomputing every hash) cannot make it match a seal already shared.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from . import audit
from .case import Case
from .errors import CaseError

_SEAL = re.compile(r"\bS(\d+)-(\d{8})-([0-9a-fA-F]{32})\b")
SEAL_FILES = "seal-*.txt"


@dataclass(frozen=True)
class Seal:
    """A sealed moment of the audit log: its entry count, the day and its head hash (32 hex digits)."""

    entries: int
    day: str  # YYYYMMDD (UTC) of the newest entry
    head: str

    def __str__(self) -> str:
        return f"S{self.entries}-{self.day}-{self.head}"


def parse_seal(text: str) -> Seal:
    """The seal in ``text`` (a seal alone, or a sentence or file holding one).

    >>> parse_seal("Seal: S3-20261201-0123456789abcdef0123456789ABCDEF.").entries
    3
    """
    match = _SEAL.search(text)
    if not match:
        raise CaseError(f"{text.strip()[:80]!r} is not a seal: a seal looks like "
                        "S42-20261201-9f2c4a1be0d3a7c1e5f0b2d4c6a8e0f1.")
    return Seal(int(match.group(1)), match.group(2), match.group(3).lower())


def _seal_of(seq: int, digest: str, at: str) -> Seal:
    return Seal(seq, at[:10].replace("-", ""), digest[:32])


def current_seal(case: Case) -> Seal:
    """The seal of the case's audit log as it is now (what a report prints)."""
    with case.snapshot() as conn:
        return _seal_of(*audit.head(conn))


def make_seal(case: Case, *, who: str | None = None) -> tuple[Seal, Path]:
    """Seal the case now: writes ``exports/seal-<entries>-<day>.txt`` and audits it; returns both."""
    seal = current_seal(case)
    with case.snapshot() as conn:
        full = conn.execute("SELECT hash, at FROM audit WHERE seq = ?", (seal.entries,)).fetchone()
    text = (
        f"{seal}\n\n"
        f"Seal of the case {case.config.get('reference', '')}: its audit log had "  # no title: it may name people
        f"{seal.entries} entries, the newest written at {full[1] if full else '-'} (UTC), with SHA-256 "
        f"{full[0] if full else '-'}.\n"
        "Keep this seal outside the case (an email, a CPOMS/MyConcern note, the printed report). "
        f"`investigate verify CASE --seal {seal}` checks that the case still extends it unchanged.\n")
    details: dict[str, str] = {"seal": str(seal)}
    with case.transaction(who=who, what="seal made", details=details) as conn:
        path = case.write_output(conn, f"seal-{seal.entries:05d}-{seal.day}.txt", text)
        details["file"] = path.name
    return seal, path


def check_seal(conn: sqlite3.Connection, text: str) -> list[str]:
    """Problems (in words) if the audit log read through ``conn`` does not extend the seal in ``text``.

    The entries after the sealed one are checked by :func:`investigate.audit.check_chain`.
    """
    try:
        seal = parse_seal(text)
    except CaseError as exc:
        return [str(exc)]
    row = conn.execute("SELECT hash, at FROM audit WHERE seq = ?", (seal.entries,)).fetchone()
    if row is None:
        return [f"seal {seal}: the audit log no longer has entry {seal.entries} (entries were removed "
                "after the seal was made)"]
    if _seal_of(seal.entries, row[0], row[1]) != seal:
        return [f"seal {seal}: entry {seal.entries} of the audit log is not the one sealed on {seal.day} "
                "(the log was rewritten after the seal was made)"]
    return []


def saved_seals(case: Case) -> list[tuple[str, str]]:
    """Each seal saved in ``exports/``, as (its text, "file name: ") for messages."""
    if not case.exports_dir.is_dir():
        return []
    return [(path.read_text(encoding="utf-8", errors="replace"), f"{path.name}: ")
            for path in sorted(case.exports_dir.glob(SEAL_FILES)) if path.is_file()]
