"""Large follower lists imported in pieces: the same stored tables as a whole-file import.

The threshold and the piece size are forced tiny (INVESTIGATE_STREAM_BYTES,
INVESTIGATE_STREAM_BLOCK_BYTES), so small hand-made files cross many pieces.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from investigate.case import Case
from investigate.errors import InputError, InvestigateError
from investigate.importer import import_file

OPTIONS = dict(format="csv", platform="tiktok", account="@Fake.Mr.Thistle", list_kind="followers",
               observed_at="2025-11-06T18:00:00+00:00", who="Ms Wobblethorpe")
TIMES = ["2025-04-01T08:00:{s:02d}", "27/11/2025 13:05", "1700000000", "", "2025-11-27T13:05Z", "03/02/2025"]


def _rows(count: int, *, position: bool = False, accents: bool = True) -> list[list[str]]:
    """Followers with aliases, URLs, repeats across pieces, quoted names and mixed time layouts."""
    rows = []
    for i in range(count):
        if i % 23 == 22:
            handle = f"@ZEPHYRINE.QUILL{i - 40}"  # the same account as 40 rows earlier, another case
        elif i % 31 == 30:
            handle = f"zephyrine.quill{i - 2}"  # ... and as two rows earlier (the same piece)
        elif i % 7 == 3:
            handle = f"https://www.tiktok.com/@Barnaby_T{i}?lang=en"
        else:
            handle = f"@Zephyrine.Quill{i}"
        name = (f"Zoë Pépin {i}" if accents and i % 5 == 0 else f'"Quillfeather, Zephyrine {i}"' if i % 4 == 1
                else f"Mossbottom Fan {i}")
        when = TIMES[i % len(TIMES)].format(s=i % 60)
        row = [handle, name, when]
        if position:
            row.append(str(i + 1) if i % 9 else "")
        rows.append(row)
    return rows


def _write(path: Path, rows: list[list[str]], *, encoding: str = "utf-8", position: bool = False,
           blank_every: int = 0, header: str = "Username,Full name,Followed at") -> Path:
    lines = [header + (",Rank" if position else "")]
    for i, row in enumerate(rows):
        lines.append(",".join(row))
        if blank_every and i % blank_every == blank_every - 1:
            lines.append("")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def _import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, file: Path, *, pieces: bool,
            block: int = 1024, **options):
    """A fresh case with ``file`` imported in pieces (of ``block`` bytes) or whole."""
    monkeypatch.setenv("INVESTIGATE_STREAM_BYTES", "1" if pieces else str(10**12))
    monkeypatch.setenv("INVESTIGATE_STREAM_BLOCK_BYTES", str(block))
    case = Case.create(tmp_path / name, title="Fake account: Grimblewood Academy", analyst="Ms Wobblethorpe")
    result = import_file(case, file, **{**OPTIONS, **options})
    return case, result


def _row_groups(case: Case, table: str) -> int:
    [part] = case.parts().query("table_name == @table")["file"]
    return pq.ParquetFile(case.parts_dir / part).num_row_groups


def _assert_same_case(streamed: Case, whole: Case) -> None:
    for table in ("relationships", "accounts", "rejects", "evidence"):
        pd.testing.assert_frame_equal(streamed.table(table).drop(columns=["registered_at"], errors="ignore"),
                                      whole.table(table).drop(columns=["registered_at"], errors="ignore"))
    columns = ["import_id", "file", "format", "list_kind", "account", "evidence_id", "rows", "rejected"]
    pd.testing.assert_frame_equal(streamed.table("imports")[columns], whole.table("imports")[columns])
    cols = ["import_id", "table_name", "file", "rows"]
    pd.testing.assert_frame_equal(streamed.parts()[cols], whole.parts()[cols])
    details = [case.table("audit")["details"].iloc[-1] for case in (streamed, whole)]
    assert details[0] == details[1]


def _snapshot(case: Case) -> tuple:
    counts = {t: case.count(t) for t in ("relationships", "accounts", "evidence", "imports", "rejects", "audit")}
    return counts, sorted(p.name for p in case.evidence_dir.iterdir()), sorted(p.name for p in case.parts_dir.iterdir())


@pytest.mark.parametrize("position, blank_every", [(False, 0), (True, 0), (False, 11)])
def test_pieces_store_the_same_tables_as_a_whole_read(tmp_path, monkeypatch, position, blank_every):
    file = _write(tmp_path / "followers.csv", _rows(200, position=position), position=position,
                  blank_every=blank_every)
    streamed, got = _import(tmp_path, monkeypatch, "streamed", file, pieces=True)
    whole, want = _import(tmp_path, monkeypatch, "whole", file, pieces=False)
    assert _row_groups(streamed, "relationships") > 5 and _row_groups(whole, "relationships") == 1
    _assert_same_case(streamed, whole)
    assert got.counts == want.counts
    assert got.counts["relationships"] == 200 and got.counts["accounts"] < 200
    rel = streamed.table("relationships")
    assert rel["position"].iloc[1:4].tolist() == [2, 3, 4]
    assert (rel["follower"] == "zephyrine.quill5").sum() == 2  # rows 7 and 47, pieces apart
    assert (rel["follower"] == "zephyrine.quill28").sum() == 3  # rows 30, 32 (one piece) and 70
    accounts = streamed.table("accounts").set_index("handle_key")
    assert accounts.loc["zephyrine.quill5", "display_name"] == "Zoë Pépin 5"  # first seen wins
    assert accounts.loc["zephyrine.quill5", "handle"] == "Zephyrine.Quill5"
    assert accounts.loc["fake.mr.thistle", "handle"] == "Fake.Mr.Thistle"  # the list's owner
    assert streamed.table("accounts")["handle_key"].iloc[0] == "fake.mr.thistle"


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig"])
def test_excel_encodings_across_pieces(tmp_path, monkeypatch, encoding):
    file = _write(tmp_path / "followers.csv", _rows(120), encoding=encoding)
    streamed, _ = _import(tmp_path, monkeypatch, "streamed", file, pieces=True)
    whole, _ = _import(tmp_path, monkeypatch, "whole", file, pieces=False)
    assert _row_groups(streamed, "relationships") > 3
    _assert_same_case(streamed, whole)
    names = streamed.table("accounts").set_index("handle_key")["display_name"]
    assert names["zephyrine.quill110"] == "Zoë Pépin 110"  # in the last piece, accent intact
    assert names["zephyrine.quill1"] == "Quillfeather, Zephyrine 1"


def test_bad_row_in_a_later_piece_stores_nothing(tmp_path, monkeypatch):
    rows = _rows(200, accents=False)
    rows[150][0] = "Zephyrine Quillfeather"  # a name, not a username: file row 152 (the header is row 1)
    rows[170][2] = "Smarch 32nd"
    file = _write(tmp_path / "followers.csv", rows)
    monkeypatch.setenv("INVESTIGATE_STREAM_BYTES", "1")
    monkeypatch.setenv("INVESTIGATE_STREAM_BLOCK_BYTES", "1024")
    case = Case.create(tmp_path / "case", title="Fake account: Grimblewood Academy", analyst="Ms Wobblethorpe")
    before = _snapshot(case)
    with pytest.raises(InputError) as caught:
        import_file(case, file, **OPTIONS)
    assert [(p.row, p.column) for p in caught.value.problems] == [(152, "Username"), (172, "Followed at")]
    message = str(caught.value)
    assert "2 row(s) could not be read, so nothing was imported" in message
    assert "followers.csv, row 152, column 'Username'" in message and "Zephyrine Quillfeather" in message
    assert "followers.csv, row 172, column 'Followed at'" in message
    assert _snapshot(case) == before
    assert not any(case.parts_dir.iterdir()) and not any(case.evidence_dir.iterdir())


def test_skipped_bad_rows_across_pieces_match_a_whole_read(tmp_path, monkeypatch):
    rows = _rows(240, position=True)
    rows[5][0] = ""  # no username (display name only)
    rows[100][0] = "two words"
    rows[101][2] = "2025-10-26 01:30"  # happened twice in London: refused, not guessed
    rows[180][3] = "lots"  # not a position
    rows[200][0] = ""
    file = _write(tmp_path / "followers.csv", rows, position=True)
    streamed, got = _import(tmp_path, monkeypatch, "streamed", file, pieces=True, skip_bad_rows=True)
    whole, want = _import(tmp_path, monkeypatch, "whole", file, pieces=False, skip_bad_rows=True)
    assert _row_groups(streamed, "relationships") > 5
    assert got.problems == want.problems  # the same rows, in the same order
    assert [(p.row, p.field) for p in got.problems] == [
        (7, "handle"), (202, "handle"), (102, "handle"), (103, "followed_at"), (182, "position")]
    _assert_same_case(streamed, whole)
    assert got.counts["relationships"] == 235


@pytest.mark.parametrize("case_name", ["short_row", "late_cp1252", "late_positions"])
def test_files_the_piece_reader_refuses_are_read_whole(tmp_path, monkeypatch, case_name):
    rows = _rows(3000 if case_name == "late_cp1252" else 150, accents=False, position=case_name == "late_positions")
    if case_name == "short_row":
        rows[120] = rows[120][:1]  # too few cells: the whole-file reader leaves them empty
    elif case_name == "late_cp1252":
        rows[2900][1] = "Zoë Pépin"  # after the first 64 KiB, which said UTF-8
    else:
        for row in rows[:60]:  # positions only from the third piece on: the whole file has them
            row[3] = ""
    file = tmp_path / "followers.csv"
    _write(file, rows, position=case_name == "late_positions",
           encoding="cp1252" if case_name == "late_cp1252" else "utf-8")
    block = 16384 if case_name == "late_cp1252" else 1024
    streamed, _ = _import(tmp_path, monkeypatch, "streamed", file, pieces=True, block=block)
    whole, _ = _import(tmp_path, monkeypatch, "whole", file, pieces=False)
    # read whole after all; except a cp1252 file, whose encoding comes from the whole file, not its start
    assert (_row_groups(streamed, "relationships") == 1) is (case_name != "late_cp1252")
    _assert_same_case(streamed, whole)
    assert sorted(p.name for p in streamed.parts_dir.iterdir()) == ["accounts-00001.parquet",
                                                                    "relationships-00001.parquet"]
    assert len(list(streamed.evidence_dir.iterdir())) == 1


def test_same_file_twice_in_pieces_is_refused(tmp_path, monkeypatch):
    file = _write(tmp_path / "followers.csv", _rows(60))
    case, _ = _import(tmp_path, monkeypatch, "streamed", file, pieces=True)
    before = _snapshot(case)
    with pytest.raises(InvestigateError, match="already imported"):
        import_file(case, file, **OPTIONS)
    assert _snapshot(case) == before
    following = import_file(case, file, **{**OPTIONS, "list_kind": "following"})  # another list: fine
    assert following.counts["relationships"] == 60
    assert case.count("relationships") == 120


def test_small_files_and_other_lists_are_read_whole(tmp_path, monkeypatch):
    file = _write(tmp_path / "followers.csv", _rows(60))
    monkeypatch.setenv("INVESTIGATE_STREAM_BYTES", str(file.stat().st_size))  # not larger: whole
    monkeypatch.setenv("INVESTIGATE_STREAM_BLOCK_BYTES", "1024")
    case = Case.create(tmp_path / "case", title="Fake account: Grimblewood Academy", analyst="Ms Wobblethorpe")
    import_file(case, file, **OPTIONS)
    assert _row_groups(case, "relationships") == 1


def test_missing_username_column_in_a_large_file_stores_nothing(tmp_path, monkeypatch):
    file = _write(tmp_path / "followers.csv", [row[1:] for row in _rows(40)], header="Full name,Followed at")
    monkeypatch.setenv("INVESTIGATE_STREAM_BYTES", "1")
    case = Case.create(tmp_path / "case", title="Fake account: Grimblewood Academy", analyst="Ms Wobblethorpe")
    before = _snapshot(case)
    with pytest.raises(InputError, match="no column for 'handle'.*Full name, Followed at"):
        import_file(case, file, **OPTIONS)
    assert _snapshot(case) == before


def test_first_accounts_tell_keys_sharing_a_hash_apart(tmp_path):
    from investigate.loaders._stream import FirstAccounts, key_hashes

    keys = pd.Series([f"{i}.{name}" for name in ("quill", "fan") for i in range(300_000)], dtype="string")
    by_hash = keys.groupby(key_hashes(keys)).agg(list)
    one, other = next(group for group in by_hash if len(group) > 1)[:2]  # different handles, one 32-bit hash
    first = FirstAccounts(tmp_path / "spill.parquet")
    first.add(pd.DataFrame({"handle_key": ["owner", one], "n": [1, 2]}))
    first.add(pd.DataFrame({"handle_key": ["owner", other, one, "new"], "n": [3, 4, 5, 6]}))
    kept = [p.to_dict("list") for p in first.pieces()]
    assert kept == [{"handle_key": ["owner", one], "n": [1, 2]}, {"handle_key": [other, "new"], "n": [4, 6]}]
    assert not (tmp_path / "spill.parquet").exists()
