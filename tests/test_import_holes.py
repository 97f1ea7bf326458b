"""Input that used to end in a traceback: deeply nested JSON, a damaged case.sqlite, a case kept busy."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import snapshot

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
    monkeypatch.setattr(Case, "lock_wait", 0.2)
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


def test_a_device_is_refused_not_read_forever(case: Case) -> None:
    before = snapshot(case.path)
    for fmt in ("auto", "csv", "text", "instagram"):
        with pytest.raises(FormatError, match="not a file"):
            import_file(case, "/dev/zero", format=fmt, platform="tiktok", account="fake.head", list_kind="followers")
    assert snapshot(case.path) == before


def _zip(path, members: dict[str, bytes]):
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _followers(count: int, start: int = 0) -> bytes:
    import json

    return json.dumps([{"title": "", "string_list_data": [{"href": f"https://www.instagram.com/user_{n}",
                                                           "value": f"user_{n}", "timestamp": 1_700_000_000 + n}]}
                       for n in range(start, start + count)]).encode()


def test_what_a_zip_unpacks_to_is_bounded_in_total(case: Case, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("INVESTIGATE_MAX_BYTES", str(300_000))
    base = "instagram-fake.head-2025-11-01/connections/followers_and_following/"
    bomb = _zip(tmp_path / "export.zip", {base + "followers_1.json": _followers(2000),
                                          base + "followers_2.json": _followers(2000, 2000)})
    assert bomb.stat().st_size < 150_000  # each member alone is under the limit; together they are not
    before = snapshot(case.path)
    with pytest.raises(FormatError, match="unpack to more than"):
        import_file(case, bomb)
    assert snapshot(case.path) == before


def test_an_xz_that_unpacks_to_far_more_than_a_post_is_refused(case: Case, tmp_path, monkeypatch) -> None:
    import lzma

    from investigate.loaders import instaloader

    monkeypatch.setattr(instaloader, "UNPACKED_MAX_BYTES", 1_000_000)
    bomb = tmp_path / "2025-10-20_22-40-00_UTC.json.xz"
    bomb.write_bytes(lzma.compress(b'{"node": {"caption": "' + b"a" * 5_000_000 + b'"}}'))
    assert bomb.stat().st_size < 10_000
    with pytest.raises(FormatError, match="unpacked, this file is more than"):
        import_file(case, bomb)


@pytest.mark.parametrize("packed", ["file", "zip"])
def test_a_streamed_followers_json_is_not_refused_for_its_size_but_a_whole_read_is(
        tmp_path, monkeypatch, packed) -> None:
    """The size limit bounds what is read whole into memory: a list streamed entry by entry is
    imported whatever its size (the 1.5 GB followers_1.json of a 10M list), the same file read
    whole is refused naming it."""
    body = _followers(400)
    name = "instagram-fake.head-2025-11-01/connections/followers_and_following/followers_1.json"
    path = (_zip(tmp_path / "export.zip", {name: body}) if packed == "zip"
            else tmp_path / "followers_1.json")
    if packed == "file":
        path.write_bytes(body)
    monkeypatch.setenv("INVESTIGATE_MAX_BYTES", str(len(body) // 2))
    monkeypatch.setenv("INVESTIGATE_STREAM_BYTES", "1000")
    streamed = Case.create(tmp_path / "streamed", title="Fake account", analyst="Ms Wobblethorpe")
    result = import_file(streamed, path, format="instagram", account="fake.head")
    assert result.counts["relationships"] == 400 and not result.problems
    assert streamed.table("relationships")["follower"].tolist()[:2] == ["user_0", "user_1"]

    monkeypatch.setenv("INVESTIGATE_STREAM_BYTES", str(10 * len(body)))  # now read whole
    whole = Case.create(tmp_path / "whole", title="Fake account", analyst="Ms Wobblethorpe")
    before = snapshot(whole.path)
    what = "file inside the zip" if packed == "zip" else "file"
    with pytest.raises(FormatError, match=rf"^followers_1\.json: this {what} is .* more than the .* the kit reads "
                                          "at once.*INVESTIGATE_MAX_BYTES"):
        import_file(whole, path, format="instagram", account="fake.head")
    assert snapshot(whole.path) == before


def test_a_followers_csv_read_in_pieces_is_not_refused_for_its_size_but_a_whole_read_is(
        tmp_path, monkeypatch) -> None:
    path = tmp_path / "followers.csv"
    path.write_text("Username,Followed at\n" + "".join(f"fan_{n},2025-04-01 08:{n % 60:02d}\n" for n in range(500)),
                    encoding="utf-8")
    options = dict(format="csv", platform="tiktok", account="fake.head", list_kind="followers")
    monkeypatch.setenv("INVESTIGATE_MAX_BYTES", str(path.stat().st_size // 2))
    monkeypatch.setenv("INVESTIGATE_STREAM_BYTES", "1000")
    monkeypatch.setenv("INVESTIGATE_STREAM_BLOCK_BYTES", "2048")
    streamed = Case.create(tmp_path / "streamed", title="Fake account", analyst="Ms Wobblethorpe")
    assert import_file(streamed, path, **options).counts["relationships"] == 500
    monkeypatch.setenv("INVESTIGATE_STREAM_BYTES", str(10**9))
    whole = Case.create(tmp_path / "whole", title="Fake account", analyst="Ms Wobblethorpe")
    with pytest.raises(FormatError, match=r"^followers\.csv: this file is .* more than the .*INVESTIGATE_MAX_BYTES"):
        import_file(whole, path, **options)
    assert whole.count("relationships") == 0


@pytest.mark.parametrize("shape", ["list", "object", "bom"])
def test_large_followers_json_is_streamed_with_the_same_rows(tmp_path, monkeypatch, shape) -> None:
    import json

    from investigate.loaders import LoadOptions, load

    entries = json.loads(_followers(300))
    entries[7] = {"title": "", "string_list_data": [{"value": "<img src=x>", "timestamp": 1}]}
    entries[9]["string_list_data"][0]["value"] = "Zo\u00c3\u00ab.fan"  # the export's mojibake
    body = json.dumps(entries if shape != "object" else {"relationships_followers": entries}).encode()
    path = tmp_path / "followers_1.json"
    path.write_bytes(b"\xef\xbb\xbf" + body if shape == "bom" else body)
    options = LoadOptions(account="fake.head", observed_at=__import__("pandas").Timestamp("2025-11-20", tz="UTC"))
    whole = load(path, format="instagram", options=options)
    monkeypatch.setenv("INVESTIGATE_STREAM_BYTES", "1000")
    streamed = load(path, format="instagram", options=options)
    for name in ("relationships", "accounts"):
        assert streamed.frames[name].equals(whole.frames[name]), name
    assert streamed.problems == whole.problems and [p.row for p in streamed.problems] == [8]
    assert "zoë.fan" in set(streamed.frames["relationships"]["follower"])
    path.write_bytes(body[: len(body) // 2])
    with pytest.raises(FormatError, match="cut short"):
        load(path, format="instagram", options=options)
