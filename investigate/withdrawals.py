"""Mistakes a DSL can undo: withdrawing an import or a findings entry (audited, nothing deleted).

A withdrawal is a new row of the append-only ``withdrawals`` table, written in one audited
transaction. After it, a withdrawn import's rows no longer count anywhere (:meth:`Case.table`
leaves its parts out, so the leads, the overlap and the report no longer see them); its file stays
registered as evidence and its rows stay in the case's files, so ``verify`` still checks them and
the record shows what was withdrawn, when, by whom and why. A withdrawn findings entry is shown as
withdrawn, with its reason, and no longer counts as current. The same file can then be imported
again (with the options it should have had).
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from .case import BULK_TABLES, Case, current_user, insert_frame
from .errors import CaseError
from .schema import validate


def withdraw_import(case: Case, import_id: int, *, reason: str, who: str | None = None) -> dict[str, Any]:
    """Withdraw import ``import_id``: its rows stop counting; returns the withdrawal row.

    Refuses an empty reason, an import the case does not hold, one already withdrawn, and one that
    stored chronology events or people (those rows are kept in the case's database without a link
    to their import, so they could not be left out exactly).
    """
    reason = _reason(reason)
    with case.snapshot() as conn:
        found = conn.execute("SELECT file, list_kind, account, evidence_id FROM imports WHERE import_id = ?",
                             (int(import_id),)).fetchone()
        if found is None:
            known = [str(r[0]) for r in conn.execute("SELECT import_id FROM imports ORDER BY import_id")]
            raise CaseError(f"There is no import number {import_id} in this case"
                            + (f" (its imports are numbered {', '.join(known)})." if known else
                               ": nothing has been imported yet."))
        _refuse_twice(conn, "import_id", int(import_id), f"Import {import_id}")
        tables = _tables_written(conn, int(import_id), found[0], found[3])
    file, list_kind, account, evidence_id = found
    stored_apart = sorted(t for t in tables if t not in BULK_TABLES)
    if stored_apart:
        raise CaseError(f"Import {import_id} ({file}) stored {' and '.join(stored_apart)}, which cannot be "
                        "withdrawn yet: enter a correction instead (a findings entry, or the corrected rows).")
    what = f"Import {import_id}, {file}" + (f", {list_kind} of @{account}" if list_kind and account else
                        f", {list_kind}" if list_kind else "") + f" (evidence {evidence_id}, kept)"
    return _append(case, {"import_id": int(import_id), "what": what, "reason": reason}, who=who,
                   audit_what="import withdrawn")


def withdraw_finding(case: Case, finding_id: int, *, reason: str, who: str | None = None) -> dict[str, Any]:
    """Withdraw findings entry ``finding_id`` (entered by mistake): shown as withdrawn, with ``reason``."""
    reason = _reason(reason)
    with case.snapshot() as conn:
        found = conn.execute("SELECT section, text FROM findings WHERE finding_id = ?", (int(finding_id),)).fetchone()
        if found is None:
            raise CaseError(f"There is no findings entry number {finding_id} in this case to withdraw.")
        _refuse_twice(conn, "finding_id", int(finding_id), f"Findings entry {finding_id}")
    what = f"Findings entry {finding_id} ({found[0]}): {' '.join(str(found[1]).split())}"
    return _append(case, {"finding_id": int(finding_id), "what": what, "reason": reason}, who=who,
                   audit_what="finding withdrawn")


def withdrawn(withdrawals: pd.DataFrame, column: str) -> dict[int, str]:
    """The ids withdrawn (``column`` is ``import_id`` or ``finding_id``) and the reason given for each.

    >>> w = pd.DataFrame({"import_id": pd.array([2, None], dtype="Int64"),
    ...                   "finding_id": pd.array([None, 5], dtype="Int64"), "reason": ["wrong list", "typed twice"]})
    >>> withdrawn(w, "import_id"), withdrawn(w, "finding_id")
    ({2: 'wrong list'}, {5: 'typed twice'})
    """
    if withdrawals.empty or column not in withdrawals:
        return {}
    rows = withdrawals[withdrawals[column].notna()]
    return {int(i): str(r) for i, r in zip(rows[column], rows["reason"], strict=True)}


def _reason(reason: str | None) -> str:
    text = " ".join(str(reason or "").split())
    if not text:
        raise CaseError("Say why it is withdrawn (--reason), e.g. --reason \"imported as the wrong list\": "
                        "the record keeps the reason.")
    return text


def _refuse_twice(conn: Any, column: str, value: int, name: str) -> None:
    earlier = conn.execute(f"SELECT at, reason FROM withdrawals WHERE {column} = ?", (value,)).fetchone()
    if earlier is not None:
        raise CaseError(f"{name} was already withdrawn ({earlier[1]}); nothing was changed.")


def _tables_written(conn: Any, import_id: int, file: str, evidence_id: str) -> set[str]:
    """The tables an import stored rows in: its parts, and what its audit entry counted."""
    tables = {str(r[0]) for r in conn.execute("SELECT table_name FROM parts WHERE import_id = ?", (import_id,))}
    sha = conn.execute("SELECT sha256 FROM evidence WHERE evidence_id = ?", (evidence_id,)).fetchone()
    for (details,) in conn.execute("SELECT details FROM audit WHERE what = 'file imported'"):
        try:
            info = json.loads(details or "{}")
        except ValueError:
            continue
        if info.get("import_id") == import_id or (
                "import_id" not in info and info.get("file") == file and sha and info.get("sha256") == sha[0]):
            tables |= {t for t, n in (info.get("rows") or {}).items() if n}
    return tables


def _append(case: Case, values: dict[str, Any], *, who: str | None, audit_what: str) -> dict[str, Any]:
    writer = who or current_user()
    row = {"at": pd.Timestamp.now(tz="UTC"), "who": writer, **values}
    frame = validate(pd.DataFrame([row]), "withdrawals")
    details = {k: v for k, v in values.items()}
    with case.transaction(who=writer, what=audit_what, details=details) as conn:
        insert_frame(conn, "withdrawals", frame)
        row["withdrawal_id"] = int(conn.execute("SELECT last_insert_rowid()").fetchone()[0])
    return row
