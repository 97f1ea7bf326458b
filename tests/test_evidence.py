import os
import sqlite3
import stat

import pytest

from investigate import cli
from investigate.evidence import add_evidence, sha256_file, verify


@pytest.fixture
def shot(tmp_path):
    path = tmp_path / "screenshot 1.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\nnot really an image, but bytes to hash")
    return path


def test_register_copies_read_only_under_hash(case, shot):
    [(name, evidence_id, new)] = add_evidence(case, [shot], captured_by="Ms Wobblethorpe",
                                              captured_at="2025-11-03T19:30", source_url="https://www.tiktok.com/@x",
                                              description="Profile page")
    assert (name, evidence_id, new) == ("screenshot 1.png", "E0001", True)
    stored = case.evidence_dir / f"{sha256_file(shot)}.png"
    assert stored.is_file()
    assert not stored.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    row = case.table("evidence").iloc[0]
    assert row["captured_by"] == "Ms Wobblethorpe" and str(row["captured_at"]) == "2025-11-03 19:30:00+00:00"
    assert row["size_bytes"] == shot.stat().st_size
    # the same bytes again keep their first id
    assert add_evidence(case, [shot])[0][1:] == ("E0001", False)
    assert verify(case).ok


def test_verify_detects_changed_and_missing_files(case, shot, tmp_path):
    other = tmp_path / "b.txt"
    other.write_text("second")
    add_evidence(case, [shot, other])
    stored = case.evidence_dir / f"{sha256_file(shot)}.png"
    os.chmod(stored, stat.S_IWUSR | stat.S_IRUSR)
    stored.write_bytes(b"tampered")
    (case.evidence_dir / f"{sha256_file(other)}.txt").unlink()
    problems = verify(case).problems
    assert any("E0001" in p and "changed" in p for p in problems)
    assert any("E0002" in p and "missing" in p for p in problems)


def test_verify_detects_audit_tampering(case, shot):
    add_evidence(case, [shot])
    conn = sqlite3.connect(case.path / "case.sqlite")
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET who = 'someone else' WHERE seq = 2")
    conn.commit()
    assert any("entry 2" in p and "changed" in p for p in verify(case).problems)


def test_verify_detects_audit_deletion(case, shot):
    add_evidence(case, [shot])
    conn = sqlite3.connect(case.path / "case.sqlite")
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DELETE FROM audit WHERE seq = 2")
    conn.commit()
    assert any("removed" in p for p in verify(case).problems)


def test_missing_file_registers_nothing(case, shot, tmp_path):
    with pytest.raises(Exception, match="not a file"):
        add_evidence(case, [shot, tmp_path / "nope.png"])
    assert case.count("evidence") == 0
    assert [p.name for p in case.evidence_dir.iterdir()] == []


def test_cli_evidence_add_shows_rule_and_verify_exit_codes(case, shot, capsys):
    assert cli.main(["evidence", "add", str(case.path), str(shot), "--captured-by", "Ms W"]) == 0
    captured = capsys.readouterr()
    assert "nude or semi-nude" in captured.err and "E0001" in captured.out
    assert cli.main(["verify", str(case.path)]) == 0
    stored = next(case.evidence_dir.iterdir())
    os.chmod(stored, stat.S_IWUSR | stat.S_IRUSR)
    stored.write_bytes(b"changed")
    assert cli.main(["verify", str(case.path)]) == 1
    assert "E0001" in capsys.readouterr().out


def test_verify_detects_changed_imported_rows(case, data_dir):
    from investigate.importer import import_file

    import_file(case, data_dir / "manual" / "followers_utf8.csv", platform="tiktok", account="x",
                list_kind="followers")
    assert verify(case).ok
    part = next(case.parts_dir.glob("relationships-*.parquet"))
    os.chmod(part, stat.S_IWUSR | stat.S_IRUSR)
    part.write_bytes(part.read_bytes() + b"\0")
    assert any(part.name in p and "changed" in p for p in verify(case).problems)


def test_an_unzipped_export_folder_is_imported_and_kept_as_one_zip(case, tmp_path, capsys):
    """An export handed over unzipped: the folder's files are stored as one zip (same folder, same hash)."""
    import shutil
    import zipfile
    from pathlib import Path

    source = Path(__file__).parent / "data" / "exports" / "instagram" / "export_2023"
    folder = shutil.copytree(source, tmp_path / "instagram-quill-2025")
    assert cli.main(["import", str(case.path), str(folder), "--format", "auto", "--skip-bad-rows"]) == 0
    evidence = case.table("evidence")
    assert evidence["original_name"].tolist() == ["instagram-quill-2025.zip"]
    stored = case.evidence_dir / f"{evidence['sha256'].iloc[0]}.zip"
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    with zipfile.ZipFile(stored) as archive:
        assert archive.namelist() == [p.relative_to(folder).as_posix() for p in files]
        assert all(archive.read(p.relative_to(folder).as_posix()) == p.read_bytes() for p in files)
    assert case.count("relationships") > 0
    assert (case.table("relationships")["evidence_id"] == evidence["evidence_id"].iloc[0]).all()
    assert verify(case).ok
    # the same folder copied elsewhere (new dates) is the same evidence: a second import is refused
    again = shutil.copytree(source, tmp_path / "copy" / "instagram-quill-2025")
    os.utime(next(again.rglob("*.json")), (1_700_000_000, 1_700_000_000))
    assert cli.main(["import", str(case.path), str(again), "--format", "auto", "--skip-bad-rows"]) != 0
    assert "already imported" in capsys.readouterr().err
    assert len(case.table("evidence")) == 1
