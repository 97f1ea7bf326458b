"""Input that used to end in a traceback: deeply nested JSON, a damaged case.sqlite, a case kept busy."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import snapshot

from investigate import case as case_module
from investigate.case import Case
from investigate.cli import main
from investigate.errors import CaseError, FormatError
from investigate.importer import import_file


def test_deeply_nested_json_is_a_message(case: Case, tmp_path) -> None:
    path = tmp_path / "followers_1.json"
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    before = snapshot(case.path)
    with pytest.raises(FormatError, match="nested too deeply"):
        import_file(case, path, format="instagram", account="fake.head")
    assert snapshot(case.path) == before


def test_a_damaged_case_database_is_a_message(case: Case, tmp_path, capsys) -> None:
    (case.path / "case.sqlite-wal").unlink(missing_ok=True)
    (case.path / "case.sqlite").write_bytes(b"this is not a database, it was overwritten" * 100)
    with pytest.raises(CaseError, match="damaged or is not a case database"):
        Case.open(case.path)
    assert main(["verify", str(case.path)]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and "Traceback" not in err


def test_a_case_busy_with_another_write_is_a_message_not_a_hang(case: Case, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(case_module, "LOCK_WAIT_SECONDS", 0.2)
    listed = tmp_path / "followers.csv"
    listed.write_text("username\nbarnaby_t\n", encoding="utf-8")
    other = sqlite3.connect(case.path / "case.sqlite", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another import in another window, still writing
    try:
        with pytest.raises(CaseError, match="is busy"):
            import_file(case, listed, platform="tiktok", account="fake.head", list_kind="followers")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert case.count("relationships") == 0
    assert not list(case.evidence_dir.iterdir())
