"""What was written stays written: attacks by an insider with the case files and the kit's own Python API
(issue 23). Each is refused by the kit or named by verify, whatever label the audit entry carries."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from investigate import audit
from investigate.case import Case, current_login
from investigate.errors import CaseError
from investigate.evidence import add_evidence, stored_path, verify
from investigate.seal import make_seal


@pytest.fixture
def sealed(case: Case, tmp_path: Path) -> Case:
    """A case with evidence, an event and a finding, sealed; verify says OK."""
    for name in ("shot1.png", "shot2.png"):
        (tmp_path / name).write_bytes(f"synthetic screenshot {name}".encode())
    add_evidence(case, [tmp_path / "shot1.png", tmp_path / "shot2.png"], captured_by="Ms Wobblethorpe")
    case.add_event(at="2025-11-27 09:00", kind="post", summary="Fake account posted about Mr Thistle")
    case.add_finding(section="concern", text="A fake account impersonates Mr Thistle.", who="Ms Wobblethorpe")
    make_seal(case)
    assert verify(case).ok, verify(case).problems
    return case


def _problems(case: Case) -> str:
    result = verify(Case.open(case.path, read_only=True))
    assert not result.ok, "verify said OK"
    return "\n".join(result.problems)


def _raw(case: Case) -> sqlite3.Connection:
    """case.sqlite opened as an attacker would, every append-only trigger dropped."""
    conn = sqlite3.connect(case.path / "case.sqlite", isolation_level=None)
    for (trigger,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {trigger}")
    return conn


def _forged_entry(case: Case, what: str, *statements: str, params: tuple = ()) -> None:
    """Run ``statements`` outside the kit, then add an audit entry labelled ``what`` with a correct hash that
    records exactly what they did (each table before and after), as the kit would."""
    before = sqlite3.connect(case.path / "case.sqlite")
    conn = _raw(case)
    conn.execute("BEGIN IMMEDIATE")
    for statement in statements:
        conn.execute(statement, params if "?" in statement else ())
    wrote: dict = {}
    for table in audit.record_tables():
        was_rows, was = audit.running_hashes(before, table)
        rows, now = audit.running_hashes(conn, table)
        if now[rows] != was[was_rows]:
            wrote[table] = {"rows": rows, "chain": now[rows], "was_rows": was_rows, "was_chain": was[was_rows]}
    wrote[audit.SCHEMA] = {"sha256": audit.schema_digest(conn)}
    audit.append(conn, "Ms Wobblethorpe", what, {}, wrote=wrote, login=current_login())
    conn.execute("COMMIT")
    conn.close()
    before.close()


def _finding_row(case: Case) -> tuple:
    with case.snapshot() as conn:
        return conn.execute("SELECT finding_id, text FROM findings").fetchone()


# ------------------------------------------------------------------------------------- 1. append-only
def test_an_audited_rewrite_of_a_finding_through_the_kit_is_refused(sealed):
    case = sealed
    with pytest.raises((CaseError, sqlite3.IntegrityError), match="findings"):
        with case.transaction(what="report written", details={}) as k:
            k.execute("UPDATE findings SET text = 'No concern found.' WHERE finding_id = 1")
    assert _finding_row(case) == (1, "A fake account impersonates Mr Thistle.")
    assert verify(case).ok


def test_an_audited_rewrite_with_the_append_only_trigger_dropped_is_still_refused(sealed):
    case = sealed
    with pytest.raises(CaseError, match=r"would alter or remove findings row 1 \(finding_id 1\)"):
        with case.transaction(what="report written", details={}) as k:
            k.execute("DROP TRIGGER findings_no_update")
            k.execute("UPDATE findings SET text = 'No concern found.' WHERE finding_id = 1")
    assert _finding_row(case) == (1, "A fake account impersonates Mr Thistle.")
    assert verify(case).ok


def test_a_rewrite_recorded_by_a_forged_entry_names_the_row_and_the_entry(sealed):
    case = sealed
    _forged_entry(case, "report written", "UPDATE findings SET text = 'No concern found.' WHERE finding_id = 1")
    seq = audit.head(sqlite3.connect(case.path / "case.sqlite"))[0]
    problems = _problems(case)
    assert "findings row 1 (finding_id 1) changed after it was written (entry 4 ('finding recorded') wrote it)" \
        in problems
    assert f"entry {seq} ('report written') changed it instead of adding new rows" in problems


def test_evidence_bytes_replaced_and_the_row_rewritten_in_an_entry_labelled_seal_made(sealed):
    case = sealed
    row = case.table("evidence").iloc[0]
    old = stored_path(case, row["sha256"], row["original_name"])
    os.chmod(old, stat.S_IRUSR | stat.S_IWUSR)
    old.unlink()
    new_bytes = b"a different screenshot"
    new_sha = audit.sha256_bytes(new_bytes)
    stored_path(case, new_sha, row["original_name"]).write_bytes(new_bytes)
    with pytest.raises((CaseError, sqlite3.IntegrityError), match="evidence"):  # through the kit: refused
        with case.transaction(what="seal made", details={}) as k:
            k.execute("UPDATE evidence SET sha256 = ?, size_bytes = 22 WHERE evidence_id = 'E0001'", (new_sha,))
    _forged_entry(case, "seal made", "UPDATE evidence SET sha256 = ?, size_bytes = 22 WHERE evidence_id = 'E0001'",
                  params=(new_sha,))
    problems = _problems(case)
    assert "evidence row 1 (evidence_id E0001) changed after it was written (entry 2 ('evidence registered')" \
        in problems
    assert "('seal made') changed it instead of adding new rows" in problems


def test_a_row_removed_by_a_forged_entry_is_named(sealed):
    case = sealed
    _forged_entry(case, "event recorded", "DELETE FROM events")
    assert "events row 1 was removed after entry 3 ('event recorded') wrote it" in _problems(case)


def test_every_record_table_has_append_only_triggers_and_a_new_table_is_covered(sealed, monkeypatch):
    """Generic: every table of the schema not declared a state table is a record table (one added later too)."""
    from investigate import schema

    case = sealed
    with case.snapshot() as conn:
        triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for table in [*(t for t in schema.TABLES if t not in schema.STATE_TABLES), "parts"]:
        assert {f"{table}_no_update", f"{table}_no_delete"} <= triggers
    monkeypatch.setitem(schema.TABLES, "withdrawals", {"withdrawal_id": schema.INT, "reason": schema.TEXT})
    monkeypatch.setattr(audit, "CONTENT_TABLES", (*audit.CONTENT_TABLES, "withdrawals"))
    monkeypatch.setattr("investigate.case.CONTENT_TABLES", audit.CONTENT_TABLES)
    monkeypatch.setattr("investigate.case._EXPECTED", None)
    assert "withdrawals" in audit.record_tables()
    opened = Case.open(case.path)  # adds the table and its triggers, audited
    with opened.transaction(what="import withdrawn") as k:
        k.execute("INSERT INTO withdrawals (withdrawal_id, reason) VALUES (1, 'wrong account')")
    with pytest.raises(CaseError, match="withdrawals rows are never changed"):
        with opened.transaction(what="report written") as k:
            k.execute("UPDATE withdrawals SET reason = 'none'")
    assert verify(opened).ok, verify(opened).problems
    _forged_entry(opened, "report written", "UPDATE withdrawals SET reason = 'none'")
    assert "withdrawals row 1 (withdrawal_id 1) changed after it was written" in _problems(opened)
    monkeypatch.setattr("investigate.case._EXPECTED", None)


def test_state_tables_may_change_and_each_change_is_replayed_from_its_entry(sealed):
    case = sealed
    action = case.add_action(kind="platform_report", what="Reported @fake.head to TikTok")
    case.update_action(action, status="done", outcome="Account removed")
    case.add_rows({"accounts": pd.DataFrame([{"platform": "tiktok", "handle": "fake.head", "handle_key": "fake.head",
                                              "role": "subject"}])}, what="account role set")
    assert verify(case).ok, verify(case).problems
    entry = json.loads(case.table("audit")["wrote"].iloc[-2])
    assert entry["actions"]["changed"]["1"][6] == "done"  # the row as the change left it, in its entry
    conn = _raw(case)
    conn.execute("UPDATE accounts SET role = 'school'")
    conn.close()
    assert "the accounts table: changed outside the kit: its 1 row differs from what the entries that wrote " \
        "them recorded (rows were edited): row 1 (platform tiktok) is not what entry" in _problems(case)


# ------------------------------------------------------------------------------------- 2. the schema pinned
def test_a_planted_trigger_is_named_and_stopped_by_the_append_only_trigger(sealed):
    case = sealed
    conn = sqlite3.connect(case.path / "case.sqlite", isolation_level=None)
    conn.execute("CREATE TRIGGER quiet AFTER INSERT ON findings BEGIN "
                 "UPDATE findings SET text = 'No concern found.' WHERE finding_id = NEW.finding_id; END")
    conn.close()
    assert "case.sqlite: the kit never makes this: trigger quiet" in _problems(case)
    with pytest.raises(CaseError, match="findings rows are never changed"):
        case.add_finding(section="decision", text="Refer to the LADO.", reasons="An adult is involved.")
    assert case.table("findings")["text"].tolist() == ["A fake account impersonates Mr Thistle."]


def test_a_planted_trigger_that_rewrites_the_next_finding_is_caught(sealed):
    """With the append-only trigger dropped too, the analyst's next decision is rewritten as it is stored:
    verify names the trigger, the change of structure, and the row that does not say what was typed."""
    case = sealed
    conn = _raw(case)
    conn.execute("CREATE TRIGGER quiet AFTER INSERT ON findings BEGIN "
                 "UPDATE findings SET text = 'No concern found.' WHERE finding_id = NEW.finding_id; END")
    conn.close()
    case.add_finding(section="decision", text="Refer to the LADO.", reasons="An adult is involved.")
    assert case.table("findings")["text"].iloc[-1] == "No concern found."  # what the attack did
    problems = _problems(case)
    assert "case.sqlite: the kit never makes this: trigger quiet" in problems
    assert "its structure (tables, columns, triggers, indexes) was changed outside the kit between entry 5" \
        in problems
    assert "findings row 2 (finding_id 2): its text is not what entry 6 ('finding recorded') recorded the analyst " \
        "writing ('No concern found.' where 'Refer to the LADO.' was written)" in problems


def test_an_extra_table_is_named(sealed):
    case = sealed
    conn = sqlite3.connect(case.path / "case.sqlite", isolation_level=None)
    conn.execute("CREATE TABLE side_notes (text TEXT)")
    conn.close()
    problems = _problems(case)
    assert "case.sqlite: the kit never makes this: table side_notes" in problems
    assert "was changed outside the kit after entry 5 ('seal made')" in problems


def test_an_extra_column_is_named(sealed):
    case = sealed
    conn = sqlite3.connect(case.path / "case.sqlite", isolation_level=None)
    conn.execute("ALTER TABLE findings ADD COLUMN hidden TEXT")
    conn.close()
    assert "case.sqlite: the table findings is not as the kit makes it (extra column(s) hidden TEXT)" \
        in _problems(case)


def test_a_dropped_append_only_trigger_is_named_and_put_back_with_an_entry_saying_so(sealed):
    case = sealed
    conn = sqlite3.connect(case.path / "case.sqlite", isolation_level=None)
    conn.execute("DROP TRIGGER findings_no_update")
    conn.close()
    assert "case.sqlite: missing (the kit makes it): trigger findings_no_update" in _problems(case)
    reopened = Case.open(case.path)  # a normal open puts it back, in an audited entry
    assert reopened.table("audit")["what"].iloc[-1] == "case database upgraded"
    problems = "\n".join(verify(reopened).problems)
    assert "was changed outside the kit between entry 5 ('seal made') and entry 6 ('case database upgraded'); " \
        "the kit put back or added: trigger findings_no_update" in problems
    with pytest.raises(CaseError, match="findings rows are never changed"):
        with reopened.transaction(what="report written") as k:
            k.execute("UPDATE findings SET text = 'No concern found.'")


# ------------------------------------------------------------------------------------- 3. times and logins
def _append_raw_entry(case: Case, at: str) -> None:
    conn = _raw(case)
    seq, prev, _ = audit.head(conn)
    details, wrote = "{}", json.dumps({audit.SCHEMA: {"sha256": audit.schema_digest(conn)}})
    digest = audit.entry_hash(seq + 1, at, "Ms Wobblethorpe", "note", details, prev, wrote, "root")
    conn.execute("INSERT INTO audit (seq, at, who, what, details, prev_hash, hash, wrote, login) "
                 "VALUES (?,?,?,?,?,?,?,?,?)", (seq + 1, at, "Ms Wobblethorpe", "note", details, prev, digest, wrote,
                                                "root"))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{seq + 1}:{digest}",))
    conn.close()


def test_a_forged_entry_dated_a_year_before_the_one_above_it_fails(sealed):
    case = sealed
    with case.snapshot() as conn:
        seq, _, last = audit.head(conn)
    year_before = (datetime.fromisoformat(last) - timedelta(days=365)).isoformat(timespec="microseconds")
    _append_raw_entry(case, year_before)
    assert f"audit log: entry {seq + 1} (note) is dated {year_before}, before entry {seq} above it" \
        in _problems(case)


def test_an_entry_written_while_the_clock_is_set_back_keeps_the_time_order(sealed, monkeypatch):
    case = sealed

    class SetBack(datetime):
        @classmethod
        def now(cls, tz=None):  # noqa: ANN001, ANN206 - datetime's own signature
            return datetime.now(tz) - timedelta(days=365)

    monkeypatch.setattr(audit, "datetime", SetBack)
    case.add_event(at="2025-11-28 10:00", kind="post", summary="Second post")
    times = case.table("audit")["at"]
    assert times.is_monotonic_increasing and verify(case).ok


def test_every_entry_records_the_os_login_beside_the_name_typed(sealed):
    import pwd

    case = sealed
    case.add_finding(section="done", text="Reported the account.", who="Ms Wobblethorpe")
    entries = case.table("audit")
    assert set(entries["login"]) == {pwd.getpwuid(os.getuid()).pw_name}
    assert entries["who"].iloc[-1] == "Ms Wobblethorpe"
    conn = _raw(case)
    conn.execute("UPDATE audit SET login = 'someone.else' WHERE seq = 2")
    conn.close()
    assert "audit log: entry 2 (evidence registered) was changed after it was written" in _problems(case)
