"""What was written stays written: attacks by an insider with the case files and the kit's own Python API
(issue 23). Each is refused by the kit or named by verify, whatever label the audit entry carries."""

from __future__ import annotations

import json
import os
import re
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


def test_a_row_removed_through_the_kit_with_the_trigger_dropped_is_refused(sealed):
    case = sealed
    with pytest.raises(CaseError, match=r"would alter or remove events row 1"):
        with case.transaction(what="event recorded", details={}) as k:
            k.execute("DROP TRIGGER events_no_delete")
            k.execute("DELETE FROM events")
    assert case.count("events") == 1 and verify(case).ok


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
    monkeypatch.setitem(schema.TABLES, "notes_added_later", {"note_id": schema.INT, "reason": schema.TEXT})
    monkeypatch.setattr(audit, "CONTENT_TABLES", (*audit.CONTENT_TABLES, "notes_added_later"))
    monkeypatch.setattr("investigate.case.CONTENT_TABLES", audit.CONTENT_TABLES)
    monkeypatch.setattr("investigate.case._EXPECTED", None)
    assert "notes_added_later" in audit.record_tables()
    opened = Case.open(case.path)  # adds the table and its triggers, audited
    with opened.transaction(what="note added") as k:
        k.execute("INSERT INTO notes_added_later (note_id, reason) VALUES (1, 'a later kind of record')")
    with pytest.raises(CaseError, match="notes_added_later rows are never changed"):
        with opened.transaction(what="report written") as k:
            k.execute("UPDATE notes_added_later SET reason = 'none'")
    assert verify(opened).ok, verify(opened).problems
    _forged_entry(opened, "report written", "UPDATE notes_added_later SET reason = 'none'")
    assert "notes_added_later row 1 (note_id 1) changed after it was written" in _problems(opened)
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


# ------------------------------------------------------------------------------------- 4. every written file
def _written(case: Case, name: str, text: str, what: str = "report written") -> Path:
    with case.transaction(what=what, details={}) as conn:
        return case.write_output(conn, name, text)


def test_outputs_are_written_under_unique_names_each_hashed_in_its_entry(sealed):
    case = sealed
    first = _written(case, "lado-pack-20261207-2310.html", "<p>first</p>", "pack written")
    second = _written(case, "lado-pack-20261207-2310.html", "<p>second</p>", "pack written")
    assert (first.name, second.name) == ("lado-pack-20261207-2310.html", "lado-pack-20261207-2310-2.html")
    assert first.read_text(encoding="utf-8") == "<p>first</p>" and second.read_text(encoding="utf-8") == "<p>second</p>"
    wrote = json.loads(case.table("audit")["wrote"].iloc[-1])
    assert wrote[f"exports/{second.name}"]["sha256"] == audit.sha256_bytes(b"<p>second</p>")
    first.unlink()  # a file deleted from exports/ is not reused: its name is in the record
    assert _written(case, "lado-pack-20261207-2310.html", "<p>third</p>").name == "lado-pack-20261207-2310-3.html"
    assert verify(case).ok, verify(case).problems


def test_two_packs_of_the_same_kind_in_the_same_minute_both_survive(sealed):
    from investigate.packs import write_packs

    case = sealed
    now = pd.Timestamp("2026-12-07 23:10", tz="UTC")
    one = write_packs(case, "rhc", now=now)
    two = write_packs(case, "rhc", now=now)
    assert len(one) == len(two) == 2 and not set(one) & set(two)
    assert all(p.is_file() for p in one + two)
    entries = case.table("audit")
    names = [json.loads(d)["files"] for d in entries[entries["what"] == "pack written"]["details"]]
    assert names == [[p.name for p in one], [p.name for p in two]]
    assert verify(case).ok, verify(case).problems


def test_an_edited_output_fails_verify_naming_the_file_and_the_entry(sealed):
    case = sealed
    report = _written(case, "report.html", "<p>No concern was found.</p>")
    seq = audit.head(sqlite3.connect(case.path / "case.sqlite"))[0]
    os.chmod(report, stat.S_IRUSR | stat.S_IWUSR)
    report.write_text("<p>Nothing happened.</p>", encoding="utf-8")
    assert f"exports/report.html: changed after entry {seq} ('report written') wrote it" in _problems(case)


def test_a_file_put_in_exports_that_the_case_never_wrote_is_named(sealed):
    case = sealed
    (case.exports_dir / "report.html").write_text("<p>planted</p>", encoding="utf-8")
    assert "exports/report.html: a file in exports/ that the case never wrote" in _problems(case)


def test_verify_file_says_whether_a_copy_is_what_the_case_wrote(sealed, tmp_path, capsys):
    from investigate import cli

    case = sealed
    report = _written(case, "report.html", "<p>A fake account impersonates Mr Thistle.</p>")
    seq = audit.head(sqlite3.connect(case.path / "case.sqlite"))[0]
    copy = tmp_path / "copy.html"
    copy.write_bytes(report.read_bytes())
    assert cli.main(["verify", str(case.path), "--file", str(copy)]) == 0
    out = capsys.readouterr().out
    assert f"OK: copy.html is what the case wrote: exports/report.html, written by entry {seq} ('report written')" \
        in out
    assert re.search(r"written by entry \d+ \('report written'\) at \d\d/\d\d/\d{4} \d\d:\d\d (GMT|BST)", out), out
    assert "(UTC)" not in out and "+00:00" not in out  # it printed 2026-12-08T02:42:09.726441+00:00 (UTC)
    copy.write_text("<p>No concern.</p>", encoding="utf-8")
    assert cli.main(["verify", str(case.path), "--file", str(copy)]) == 1
    assert "FAILED: copy.html is NOT what this case wrote: no audit entry records a file with its SHA-256" \
        in capsys.readouterr().out


def test_verify_file_calls_an_imported_list_evidence_not_something_the_case_wrote(case, tmp_path, capsys):
    from investigate import cli
    from investigate.importer import import_file

    listed = tmp_path / "followers.csv"
    listed.write_text("username\nzeb.crumpet\ngoldie.fizz\n", encoding="utf-8")
    import_file(case, listed, platform="tiktok", account="fake.head", list_kind="followers", order="app")
    assert cli.main(["verify", str(case.path), "--file", str(listed)]) == 0
    out = capsys.readouterr().out
    assert "followers.csv is evidence E" in out and "what the case wrote" not in out


def test_a_seal_file_is_an_output_in_the_record(sealed):
    case = sealed
    entries = case.table("audit")
    wrote = json.loads(entries[entries["what"] == "seal made"]["wrote"].iloc[-1])
    seal_file = next(k for k in wrote if k.startswith("exports/seal-"))
    assert wrote[seal_file]["sha256"] == audit.sha256_file(case.path / seal_file)


# ------------------------------------------------------------------------------------- 5. regular files only
def test_a_symlink_or_a_hard_link_is_refused_at_registration(case, tmp_path):
    from investigate.errors import EvidenceError

    real = tmp_path / "shot.png"
    real.write_bytes(b"synthetic screenshot")
    (tmp_path / "link.png").symlink_to(real)
    with pytest.raises(EvidenceError, match="link.png is a link to .*shot.png, not a file"):
        add_evidence(case, [tmp_path / "link.png"])
    os.link(real, tmp_path / "other-name.png")
    with pytest.raises(EvidenceError, match="has 2 names \\(hard links\\)"):
        add_evidence(case, [real])
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "posts.json").symlink_to(tmp_path / "link.png")
    with pytest.raises(EvidenceError, match="posts.json is a link"):
        add_evidence(case, [folder])
    assert case.count("evidence") == 0


def test_an_evidence_file_replaced_by_a_link_to_an_identical_copy_outside_is_flagged(sealed, tmp_path):
    case = sealed
    row = case.table("evidence").iloc[0]
    stored = stored_path(case, row["sha256"], row["original_name"])
    outside = tmp_path / "elsewhere.png"
    outside.write_bytes(stored.read_bytes())
    stored.unlink()
    stored.symlink_to(outside)
    assert f"E0001 shot1.png: the stored file is a link to {outside}, not a file inside the case" in _problems(case)


def test_an_evidence_file_with_a_hard_link_outside_is_flagged(sealed, tmp_path):
    case = sealed
    row = case.table("evidence").iloc[1]
    os.link(stored_path(case, row["sha256"], row["original_name"]), tmp_path / "spare.png")
    assert "E0002 shot2.png: the stored file has 2 names (hard links)" in _problems(case)


def test_the_evidence_folder_replaced_by_a_link_to_an_identical_copy_is_flagged(sealed, tmp_path):
    import shutil

    case = sealed
    copy = tmp_path / "evidence-copy"
    shutil.copytree(case.evidence_dir, copy)
    shutil.rmtree(case.evidence_dir)
    case.evidence_dir.symlink_to(copy)
    problems = _problems(case)
    assert f"E0001 shot1.png: its folder evidence/ is a link to {copy}, not a folder inside the case" in problems
    assert "E0002 shot2.png: its folder evidence/ is a link" in problems


# ------------------------------------------------------------------------------------- 6. faults are messages
def _disk_full(*_args, **_kwargs):
    raise sqlite3.OperationalError("database or disk is full")


def _leftovers(case: Case) -> list[str]:
    return sorted(p.name for p in (case.path / ".staging").rglob("*") if p.is_file())


def test_a_note_on_a_full_disk_says_so_and_names_the_folder(sealed, monkeypatch, capsys):
    from investigate import _faults, cli

    case = sealed
    monkeypatch.setattr(_faults, "point", lambda name: _disk_full() if name == "before commit" else None)
    assert cli.main(["note", str(case.path), "--section", "done", "--text", "Reported the account."]) == 1
    err = capsys.readouterr().err
    assert f"could not be saved: the disk holding {case.path} is full" in err and "Traceback" not in err
    assert "Nothing was changed" in err
    monkeypatch.undo()
    assert len(case.table("findings")) == 1 and verify(case).ok


def _no_space(path, data, *, encoding="utf-8"):  # noqa: ARG001 - write_private's signature
    """Half the file written, then the disk is full."""
    with open(path, "wb") as handle:
        handle.write((data.encode(encoding) if isinstance(data, str) else data)[: max(len(data) // 2, 1)])
    raise OSError(28, "No space left on device", str(path))


def test_a_seal_on_a_full_disk_says_so_and_leaves_nothing_half_written(sealed, monkeypatch, capsys):
    from investigate import cli

    case = sealed
    before = sorted(p.name for p in case.exports_dir.iterdir())
    monkeypatch.setattr("investigate.case.write_private", _no_space)
    assert cli.main(["seal", str(case.path)]) == 1
    err = capsys.readouterr().err
    assert f"could not be written: the disk holding {case.exports_dir} is full" in err and "Traceback" not in err
    assert sorted(p.name for p in case.exports_dir.iterdir()) == before and _leftovers(case) == []
    monkeypatch.undo()
    assert verify(case).ok


def test_a_pack_on_a_full_disk_says_so_and_exports_holds_no_part_of_it(sealed, monkeypatch, capsys):
    from investigate import cli

    case = sealed
    before = sorted(p.name for p in case.exports_dir.iterdir())
    monkeypatch.setattr("investigate.case.write_private", _no_space)
    monkeypatch.setattr("investigate.packs.render.write_private", _no_space)
    assert cli.main(["pack", str(case.path), "rhc"]) == 1
    err = capsys.readouterr().err
    assert f"the disk holding {case.exports_dir} is full" in err and "Traceback" not in err
    assert sorted(p.name for p in case.exports_dir.iterdir()) == before and _leftovers(case) == []


def _seal_killed_at(case: Case, point: str) -> None:
    import signal
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", "import sys; from investigate.cli import main; sys.exit(main())",
                          "seal", str(case.path)], env={**os.environ, "INVESTIGATE_CRASH_AT": point},
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == -signal.SIGKILL, run.stderr


@pytest.mark.slow
def test_an_output_killed_while_written_never_appears_in_exports(sealed):
    case = sealed
    before = sorted(p.name for p in case.exports_dir.iterdir())
    _seal_killed_at(case, "output staged")  # the file is whole in .staging/, the change not saved
    reopened = Case.open(case.path)
    assert sorted(p.name for p in reopened.exports_dir.iterdir()) == before and _leftovers(reopened) == []
    assert verify(reopened).ok
    _seal_killed_at(reopened, "after commit")  # saved, not yet moved: the next open finishes it
    again = Case.open(case.path)
    assert len(list(again.exports_dir.iterdir())) == len(before) + 1 and _leftovers(again) == []
    assert verify(again).ok, verify(again).problems


def test_verify_opens_the_database_read_only(sealed, monkeypatch, capsys):
    from investigate import cli

    case = sealed
    opened: list[str] = []
    connect = sqlite3.connect

    def watched(database, *args, **kwargs):
        opened.append(str(database))
        return connect(database, *args, **kwargs)

    files = {p: p.read_bytes() for p in case.path.rglob("*") if p.is_file() and not p.name.endswith(("-wal", "-shm"))}
    monkeypatch.setattr(sqlite3, "connect", watched)
    assert cli.main(["verify", str(case.path)]) == 0, capsys.readouterr().out
    assert opened and all(d.startswith("file:") and "mode=ro" in d for d in opened), opened
    assert {p: p.read_bytes() for p in files} == files


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0 or not Path("/usr/bin/setpriv").exists(),
                    reason="needs root (to hand a copy to another user) and setpriv")
def test_verify_works_on_a_write_protected_copy(sealed, tmp_path):
    """A copy of the case that its reader cannot write to (as root, chmod does not stop writes: so verify runs
    as the unprivileged user nobody, on a copy it owns with every write bit removed)."""
    import shutil
    import subprocess
    import sys
    import tempfile

    case = sealed
    holder = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        copy = holder / "case"
        shutil.copytree(case.path, copy, symlinks=True)
        for path in [holder, *holder.rglob("*")]:
            os.chown(path, 65534, 65534, follow_symlinks=False)
        for path in [*copy.rglob("*"), copy]:
            os.chmod(path, stat.S_IMODE(path.stat().st_mode) & ~0o222)
        os.chmod(holder, 0o555)
        run = subprocess.run(["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable,
                              "-c", "import sys; from investigate.cli import main; sys.exit(main())",
                              "verify", str(copy)], capture_output=True, text=True, timeout=120,
                             env={**os.environ, "HOME": str(holder)}, cwd=str(holder))
        assert run.returncode == 0, run.stdout + run.stderr
        assert "OK: 2 evidence file(s) match" in run.stdout
    finally:
        os.chmod(holder, 0o700)
        shutil.rmtree(holder, ignore_errors=True)


# ------------------------------------------------------------------------------------- 7. what a seal proves
def test_the_report_and_the_readme_say_what_a_seal_proves(sealed):
    import html

    from investigate.report import sections

    appendix = html.unescape(str(sections.evidence(sections.prepare(sealed.path)).html))
    assert all(text in appendix for text in sections.SEAL_WORDS)
    words = " ".join(sections.SEAL_WORDS)
    assert "What only a seal kept outside the case proves" in words and "rebuild the whole case" in words
    assert "A seal proves nothing while it is only inside the case" in words
    assert "investigate verify CASE --file REPORT" in words
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "everything above is caught by `verify` alone,\nwithout a seal" in readme
    assert "A\nseal kept only in the case proves nothing against that" in readme
