"""Text encodings decided from the whole file: stray Windows-1252 bytes repaired and listed, never mojibake."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from conftest import snapshot

from investigate.case import Case
from investigate.errors import FormatError
from investigate.importer import import_file
from investigate.loaders import LoadOptions, load

FOLLOWERS = LoadOptions(platform="instagram", account="fake.head", list_kind="followers")
ROWS = 100_000


def _list(tmp_path: Path, bad_row: int, *, bom: bool) -> Path:
    """A followers CSV in UTF-8 (names with ë and é), one row's name typed in Excel on Windows (cp1252)."""
    lines = [b"username,full_name"]
    for row in range(2, ROWS + 2):  # the header is row 1
        name = "Chlo\xeb Bramblewick".encode("cp1252") if row == bad_row else f"Zoë Renée {row}".encode()
        lines.append(b"user_%d," % row + name)
    path = tmp_path / f"followers-{bad_row}-{'bom' if bom else 'plain'}.csv"
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + b"\n".join(lines) + b"\n")
    return path


@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("bad_row", [5, ROWS])
def test_a_stray_cp1252_byte_is_repaired_on_its_row_and_listed(tmp_path: Path, bad_row: int, bom: bool) -> None:
    result = load(_list(tmp_path, bad_row, bom=bom), options=FOLLOWERS)
    names = result.frames["accounts"].set_index("handle_key")["display_name"]
    assert names[f"user_{bad_row}"] == "Chloë Bramblewick"
    assert names["user_2"] == "Zoë Renée 2" and names[f"user_{ROWS + 1}"] == f"Zoë Renée {ROWS + 1}"
    assert not names.str.contains("Ã|\ufffd", regex=True).any()  # no mojibake, no replacement mark
    assert len(result.frames["relationships"]) == ROWS and not result.problems
    [note] = result.notes
    assert f"line {bad_row}:" in note and "0xEB" in note and "'ë'" in note


def test_the_import_summary_lists_each_repaired_row(case: Case, tmp_path: Path) -> None:
    path = tmp_path / "followers.csv"
    path.write_bytes("username,full_name\nzoe_r,Zoë\n".encode() + b"chloe_b,Chlo\xeb\nrenee_q,Ren\xe9e\n")
    result = import_file(case, path, platform="instagram", account="fake.head", list_kind="followers")
    assert "line 3:" in result.summary() and "line 4:" in result.summary()
    assert set(case.table("accounts")["display_name"].dropna()) == {"Zoë", "Chloë", "Renée"}


def test_a_whole_cp1252_file_is_read_as_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "followers.csv"
    path.write_bytes(b"username,full_name\n" + "zoe_r,Zoë Müller\n".encode("cp1252") * 3)
    result = load(path, options=FOLLOWERS)
    assert result.frames["accounts"]["display_name"].dropna().tolist() == ["Zoë Müller"]
    assert result.notes == []


def test_nul_bytes_and_repeated_headers_are_refused_and_the_case_is_unchanged(case: Case, tmp_path: Path) -> None:
    before = snapshot(case.path)
    nul = tmp_path / "nul.txt"
    nul.write_bytes(b"zoe_r\nchlo\x00e_b\n")
    with pytest.raises(FormatError, match="line 2: a NUL character"):
        import_file(case, nul, platform="instagram", account="fake.head", list_kind="followers")
    nul_csv = tmp_path / "nul.csv"
    nul_csv.write_bytes(b"username\nzoe_r\nchlo\x00e_b\n")
    result = load(nul_csv, options=FOLLOWERS)
    assert [(p.row, p.reason[:16]) for p in result.problems] == [(3, "not a username (")]
    twice = tmp_path / "twice.csv"
    twice.write_text("username,Username\nzoe_r,chloe_b\n", encoding="utf-8")
    with pytest.raises(FormatError, match="more than once"):
        import_file(case, twice, platform="instagram", account="fake.head", list_kind="followers")
    assert snapshot(case.path) == before


def test_a_repeated_header_in_a_workbook_is_refused(tmp_path: Path) -> None:
    import pandas as pd

    path = tmp_path / "followers.xlsx"
    pd.DataFrame([["zoe_r", "chloe_b"]], columns=["Username", "username"]).to_excel(path, index=False)
    with pytest.raises(FormatError, match="more than once"):
        load(path, options=FOLLOWERS)


def test_a_stray_byte_in_an_export_is_repaired_and_noted(tmp_path: Path) -> None:
    path = tmp_path / "user_data_tiktok.json"
    path.write_bytes(b'{"Profile": {"Profile Info": {"ProfileMap": {"userName": "fake.head", '
                     b'"nickName": "Zo\xc3\xab"}}},'
                     b'\n"Your Activity": {"Follower": {"FansList": [\n{"Date": "2025-10-17 19:58:32", '
                     b'"UserName": "chlo\xeb_b"}]}}}')
    result = load(path, options=LoadOptions())
    assert result.frames["relationships"]["follower"].tolist() == ["chloë_b"]
    assert result.frames["accounts"].set_index("handle_key").loc["fake.head", "display_name"] == "Zoë"
    [note] = result.notes
    assert "line 3:" in note and "0xEB" in note
