"""Tampering with a case behind the kit's back, as someone with access to its files would: each attack
is caught by verify, with a message naming what changed."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pandas as pd
import pytest

from investigate import audit, cli
from investigate.case import Case
from investigate.evidence import add_evidence, sha256_file, stored_path, verify
from investigate.importer import import_file
from investigate.seal import make_seal, parse_seal

DATA = Path(__file__).parent / "data"


@pytest.fixture
def sealed(case: Case, tmp_path: Path) -> tuple[Case, str]:
    """A case with every kind of record, sealed (a seal file in exports/): verify says OK."""
    for name in ("shot1.png", "shot2.png"):
        (tmp_path / name).write_bytes(f"synthetic screenshot {name}".encode())
    add_evidence(case, [tmp_path / "shot1.png", tmp_path / "shot2.png"], captured_by="Ms Wobblethorpe")
    import_file(case, DATA / "manual" / "followers_utf8.csv", platform="tiktok", account="fake.head",
                list_kind="followers")
    case.add_event(at="2025-11-27 09:00", kind="post", summary="Fake account posted about Mr Thistle")
    action = case.add_action(kind="platform_report", what="Reported @fake.head to TikTok")
    case.update_action(action, status="done", outcome="Account removed")
    case.add_rows({"people": pd.DataFrame([{"person_id": "P1", "name": "Zephyrine Quillfeather",
                                            "role": "learner", "year_group": "9"}])}, what="people listed")
    case.add_rows({"findings": pd.DataFrame([{"at": pd.Timestamp("2025-11-28", tz="UTC"), "who": "Ms Wobblethorpe",
                                              "section": "concern", "text": "A fake account impersonates staff."}])},
                  what="finding recorded")
    case.set_config(school_day={"start": "08:40", "end": "15:20"})
    seal, _ = make_seal(case)
    assert verify(case).ok, verify(case).problems
    return case, str(seal)


def _sql(case: Case, *statements: str, params: tuple = ()) -> None:
    """Edit case.sqlite directly, as an attacker would (dropping every append-only trigger first)."""
    conn = sqlite3.connect(case.path / "case.sqlite", isolation_level=None)
    for (trigger,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                   "AND (name LIKE '%no_update' OR name LIKE '%no_delete')").fetchall():
        conn.execute(f"DROP TRIGGER {trigger}")
    for statement in statements:
        conn.execute(statement, params if "?" in statement else ())
    conn.close()


def _writable(path: Path) -> Path:
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    return path


def _problems(case: Case, **kwargs) -> str:
    result = verify(Case.open(case.path), **kwargs)
    assert not result.ok
    return "\n".join(result.problems)


def _rewrite_chain(case: Case, edit) -> None:
    """Rewrite the audit log with ``edit`` (on the list of entries) and recompute every hash and the head."""
    conn = sqlite3.connect(case.path / "case.sqlite", isolation_level=None)
    conn.row_factory = sqlite3.Row
    entries = [dict(r) for r in conn.execute("SELECT * FROM audit ORDER BY seq")]
    conn.close()
    entries = edit(entries)
    prev = audit.GENESIS
    for seq, entry in enumerate(entries, start=1):
        entry.update(seq=seq, prev_hash=prev)
        entry["hash"] = prev = audit.entry_hash(seq, entry["at"], entry["who"], entry["what"], entry["details"],
                                                prev, entry["wrote"])
    _sql(case, "DELETE FROM audit")
    conn = sqlite3.connect(case.path / "case.sqlite", isolation_level=None)
    conn.executemany("INSERT INTO audit (seq, at, who, what, details, prev_hash, hash, wrote) "
                     "VALUES (:seq, :at, :who, :what, :details, :prev_hash, :hash, :wrote)", entries)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{len(entries)}:{prev}",))
    conn.close()


def _drop_saved_seals(case: Case) -> None:
    for path in case.exports_dir.glob("seal-*.txt"):
        path.unlink()


# ------------------------------------------------------------------------------------- the audit log
def test_recomputed_chain_after_editing_entry_4_and_deleting_entry_7_fails_against_the_seal(sealed):
    case, seal = sealed

    def edit(entries):
        entries[3]["details"] = json.dumps({"kind": "post", "summary": "nothing happened"})
        return entries[:6] + entries[7:]

    _rewrite_chain(case, edit)
    _drop_saved_seals(case)  # the attacker also deletes the seal kept in the case: the shared copy remains
    assert audit.check_chain(sqlite3.connect(case.path / "case.sqlite")) == []  # the chain itself is consistent
    problems = _problems(case, seals=[seal])
    assert f"seal {seal}: entry {parse_seal(seal).entries} of the audit log is not the one sealed" in problems


def test_a_chain_rewritten_consistently_is_still_caught_by_the_seal_saved_in_exports(sealed):
    case, seal = sealed
    _rewrite_chain(case, lambda entries: [{**e, "who": "someone else"} if e["seq"] == 4 else e for e in entries])
    problems = _problems(case)
    assert f"seal-{parse_seal(seal).entries:05d}-" in problems and "rewritten" in problems


def test_emptied_audit_log(sealed):
    case, _ = sealed
    _sql(case, "DELETE FROM audit", "DELETE FROM meta WHERE key = 'audit_head'")
    _drop_saved_seals(case)
    problems = _problems(case)
    assert "audit log: it is empty" in problems
    assert "the events table: changed outside the kit" in problems  # rows no entry accounts for


def test_truncated_audit_log(sealed):
    case, _ = sealed
    _sql(case, "DELETE FROM audit WHERE seq >= (SELECT MAX(seq) - 1 FROM audit)")
    _rewrite_chain(case, lambda entries: entries)  # and the stored head updated to match
    _drop_saved_seals(case)
    assert "case.toml: changed outside the kit" in _problems(case)  # the settings change's entry is gone


def test_audit_entry_edited_through_sql(sealed):
    case, _ = sealed
    _sql(case, "UPDATE audit SET who = 'someone else' WHERE seq = 3")
    assert "audit log: entry 3 (file imported) was changed after it was written" in _problems(case)


# ------------------------------------------------------------------------------------- evidence
def test_evidence_file_swapped_and_its_hash_row_updated(sealed):
    case, _ = sealed
    row = case.table("evidence").iloc[0]
    old = stored_path(case, row["sha256"], row["original_name"])
    _writable(old).unlink()
    new_bytes = b"a different screenshot"
    new_sha = audit.sha256_bytes(new_bytes)
    stored_path(case, new_sha, row["original_name"]).write_bytes(new_bytes)
    _sql(case, "UPDATE evidence SET sha256 = ?, size_bytes = 22 WHERE evidence_id = 'E0001'", params=(new_sha,))
    assert "the evidence table: changed outside the kit: its 3 rows differ" in _problems(case)


def test_evidence_metadata_edited(sealed):
    case, _ = sealed
    _sql(case, "UPDATE evidence SET captured_by = 'Mr Nobody' WHERE evidence_id = 'E0002'")
    assert "the evidence table: changed outside the kit" in _problems(case)


def test_evidence_unregistered(sealed):
    case, _ = sealed
    row = case.table("evidence").iloc[1]
    _writable(stored_path(case, row["sha256"], row["original_name"])).unlink()
    _sql(case, "DELETE FROM evidence WHERE evidence_id = 'E0002'")
    assert "the evidence table: changed outside the kit: it holds 2 rows where" in _problems(case)


def test_evidence_file_changed(sealed):
    case, _ = sealed
    row = case.table("evidence").iloc[0]
    _writable(stored_path(case, row["sha256"], row["original_name"])).write_bytes(b"edited")
    assert "E0001 shot1.png: the stored file has changed" in _problems(case)


def test_hidden_incoming_file_in_evidence(sealed):
    case, _ = sealed
    (case.evidence_dir / ".incoming-abc123").write_bytes(b"hidden here")
    assert "evidence/.incoming-abc123: a file in evidence/ that was never registered" in _problems(case)


# ------------------------------------------------------------------------------------- imported parts
def _part(case: Case) -> Path:
    return case.parts_dir / case.parts().query("table_name == 'relationships'")["file"].iloc[0]


def test_parquet_part_replaced_with_its_stored_hash(sealed):
    case, _ = sealed
    part = _part(case)
    rows = pd.read_parquet(part)
    rows.loc[0, "follower"] = "someone.innocent"
    rows.to_parquet(_writable(part), index=False)
    _sql(case, "UPDATE parts SET sha256 = ? WHERE file = ?", params=(sha256_file(part), part.name))
    problems = _problems(case)
    assert "the list of imported parts (parts table): changed outside the kit" in problems


def test_parquet_part_replaced_with_its_row(sealed):
    case, _ = sealed
    part = _part(case)
    rows = pd.read_parquet(part).iloc[1:]
    rows.to_parquet(_writable(part), index=False)
    _sql(case, "UPDATE parts SET sha256 = ?, rows = ? WHERE file = ?",
         params=(sha256_file(part), len(rows), part.name))
    assert "the list of imported parts (parts table): changed outside the kit" in _problems(case)


def test_parquet_part_file_rewritten(sealed):
    case, _ = sealed
    part = _part(case)
    _writable(part).write_bytes(part.read_bytes() + b"\0")
    assert f"imported rows {part.name}: the file has changed since it was imported" in _problems(case)


def test_parquet_part_removed_with_its_row(sealed):
    case, _ = sealed
    part = _part(case)
    _writable(part).unlink()
    _sql(case, "DELETE FROM parts WHERE file = ?", params=(part.name,))
    assert "the list of imported parts (parts table): changed outside the kit: it holds 1 row" in _problems(case)


def test_extra_parquet_file(sealed):
    case, _ = sealed
    pd.DataFrame({"follower": ["planted.account"]}).to_parquet(case.parts_dir / "relationships-00099.parquet")
    assert "tables/relationships-00099.parquet: a file in tables/ that is not one of the imported parts" \
        in _problems(case)


# ------------------------------------------------------------------------------------- tables and settings
@pytest.mark.parametrize("table, statement", [
    ("events", "UPDATE events SET summary = 'nothing happened'"),
    ("actions", "UPDATE actions SET status = 'open', outcome = ''"),
    ("people", "UPDATE people SET year_group = '11'"),
    ("findings", "UPDATE findings SET text = 'No concern.'"),
    ("imports", "DELETE FROM imports"),
])
def test_table_edited_through_sql(sealed, table, statement):
    case, _ = sealed
    _sql(case, statement)
    assert f"the {table} table: changed outside the kit" in _problems(case)


def test_case_toml_edited(sealed):
    case, _ = sealed
    toml = case.path / "case.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("Grimblewood", "Elsewhere"), encoding="utf-8")
    assert "case.toml: changed outside the kit (it is not what entry" in _problems(case)


def test_an_edit_is_not_laundered_by_the_next_change(sealed):
    """A table edited outside the kit, then changed through the kit: the next entry notices the edit."""
    case, _ = sealed
    _sql(case, "UPDATE events SET summary = 'nothing happened'")
    case.add_event(at="2025-11-28 10:00", kind="post", summary="Second post")
    assert "the events table: entry" in _problems(case) and "found it already different" in _problems(case)


# ------------------------------------------------------------------------------------- legitimate changes
def test_changes_through_the_kit_verify_and_corrections_point_at_what_they_correct(sealed):
    case, seal = sealed
    action = case.add_action(kind="lado", what="Consulted the LADO")
    case.update_action(action, status="done")
    case.add_rows({"accounts": pd.DataFrame([{"platform": "tiktok", "handle": "fake.head", "handle_key": "fake.head",
                                              "role": "subject"}])}, what="account role set")
    case.set_config(title="Fake account: Grimblewood Academy (renamed)")
    assert verify(Case.open(case.path), seals=[seal]).ok
    entries = case.table("audit")
    logged = entries[entries["what"].eq("action logged")]["seq"].iloc[-1]
    assert json.loads(entries["details"].iloc[-3])[audit.AMENDS] == logged
    # only what the change wrote, and the schema (pinned in every entry)
    assert json.loads(entries["wrote"].iloc[-3]).keys() == {"actions", audit.SCHEMA}


def test_a_correction_pointing_at_a_later_entry_is_flagged(sealed):
    case, _ = sealed
    with case.transaction(what="correction", details={audit.AMENDS: 999}):
        pass
    assert "corrects entry 999, which is not an earlier entry" in _problems(case)


# ------------------------------------------------------------------------------------- the command line
def test_cli_seal_and_verify_with_it(sealed, capsys):
    case, _ = sealed
    assert cli.main(["seal", str(case.path)]) == 0
    seal = capsys.readouterr().out.splitlines()[0]
    assert (case.exports_dir / f"seal-{parse_seal(seal).entries:05d}-{parse_seal(seal).day}.txt").is_file()
    assert cli.main(["verify", str(case.path), "--seal", seal]) == 0
    assert f"OK: the case still extends seal {seal}" in capsys.readouterr().out
    _rewrite_chain(case, lambda entries: [{**e, "who": "someone else"} if e["seq"] == 2 else e for e in entries])
    assert cli.main(["verify", str(case.path), "--seal", seal]) == 1
    assert f"FAILED: seal {seal}: entry" in capsys.readouterr().out
    assert cli.main(["verify", str(case.path), "--seal", "not-a-seal"]) == 1
    assert "is not a seal" in capsys.readouterr().err


# ------------------------------------------------------------------------------------- older cases
def _as_made_by_an_older_kit(case: Case) -> None:
    """The audit log as kits before fingerprints wrote it: no ``wrote`` column, hashes without it."""
    def edit(entries):
        return [{**e, "wrote": None} for e in entries]

    _rewrite_chain(case, edit)
    _sql(case, "ALTER TABLE audit DROP COLUMN wrote")


def test_a_case_from_an_older_kit_gets_its_fingerprints_once_and_is_checked_from_then_on(sealed):
    case, _ = sealed
    _drop_saved_seals(case)
    _as_made_by_an_older_kit(case)
    upgraded = Case.open(case.path)
    assert verify(upgraded).ok, verify(upgraded).problems
    assert upgraded.table("audit")["what"].tolist().count(audit.BASELINE) == 1
    Case.open(case.path)  # opened again: no second baseline
    assert upgraded.table("audit")["what"].tolist().count(audit.BASELINE) == 1
    _sql(case, "UPDATE events SET summary = 'nothing happened'")
    assert "the events table: changed outside the kit" in _problems(case)


def test_a_baseline_entry_added_to_launder_an_edit_is_flagged(sealed):
    case, _ = sealed
    _sql(case, "UPDATE events SET summary = 'nothing happened'")
    with case.transaction(what=audit.BASELINE) as conn:
        conn.files.update({t: {**audit.table_digest(conn, t), "was": None} for t in audit.CONTENT_TABLES})
    assert "resets the fingerprints of a case that already had them" in _problems(case)
