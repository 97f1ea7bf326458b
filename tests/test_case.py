import os
import sqlite3
import stat
import tomllib

import pandas as pd
import pytest

from investigate.case import Case
from investigate.errors import CaseError, SchemaError


def test_new_case_folder(case):
    assert (case.path / "case.toml").is_file()
    assert (case.path / "evidence").is_dir() and (case.path / "exports").is_dir()
    config = tomllib.loads((case.path / "case.toml").read_text())
    assert config["title"] == "Fake account: Grimblewood Academy"
    assert config["timezone"] == "Europe/London"
    conn = sqlite3.connect(case.path / "case.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert case.count("audit") == 1


def test_refuses_existing_folder_and_bad_zone(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(CaseError, match="not empty"):
        Case.create(tmp_path / "full", title="t")
    with pytest.raises(CaseError, match="time zone"):
        Case.create(tmp_path / "new", title="t", timezone_name="Mars/Olympus")
    with pytest.raises(CaseError, match="not a case folder"):
        Case.open(tmp_path / "full")


def test_add_rows_round_trip_and_audit(case):
    posts = pd.DataFrame({"platform": ["tiktok"], "account": ["fake.mr.thistle"], "post_id": ["7301"],
                          "posted_at": [pd.Timestamp("2025-11-03 19:02", tz="Europe/London")], "likes": [5]})
    case.add_rows({"posts": posts}, what="posts entered", who="Ms Wobblethorpe")
    back = case.table("posts")
    assert back.loc[0, "posted_at"] == pd.Timestamp("2025-11-03T19:02:00Z")
    assert back.loc[0, "likes"] == 5
    audit = case.table("audit")
    assert audit["what"].tolist() == ["case created", "posts entered"]
    assert audit.loc[1, "who"] == "Ms Wobblethorpe"


def test_failed_write_leaves_case_unchanged(case):
    good = pd.DataFrame({"platform": ["tiktok"], "follower": ["a"], "followed": ["b"]})
    bad = pd.DataFrame({"platform": ["tiktok"], "account": ["a"], "posted_at": ["never"]})
    with pytest.raises(SchemaError):
        case.add_rows({"relationships": good, "posts": bad}, what="mixed")
    assert case.count("relationships") == 0 and case.count("audit") == 1


def test_accounts_merge_keeps_role(case):
    first = pd.DataFrame({"platform": ["tiktok"], "handle": ["Fake.Mr.Thistle"], "handle_key": ["fake.mr.thistle"],
                          "role": ["subject"]})
    later = pd.DataFrame({"platform": ["tiktok"], "handle": ["fake.mr.thistle"], "handle_key": ["fake.mr.thistle"],
                          "display_name": ["Mr Thistle (parody)"]})
    case.add_rows({"accounts": first}, what="a")
    case.add_rows({"accounts": later}, what="b")
    accounts = case.table("accounts")
    assert len(accounts) == 1
    assert accounts.loc[0, "role"] == "subject"
    assert accounts.loc[0, "display_name"] == "Mr Thistle (parody)"


def test_events_in_case_zone_and_actions(case):
    case.add_event(at="2025-10-26 00:30", kind="noticed", summary="Seen by a form tutor")  # BST still
    events = case.table("events")
    assert events.loc[0, "at"] == pd.Timestamp("2025-10-25T23:30:00Z")
    action = case.add_action(kind="platform_report", what="Reported to TikTok", due="2025-10-29 09:00")
    case.update_action(action, status="done", outcome="Account removed")
    actions = case.table("actions")
    assert actions.loc[0, "status"] == "done" and actions.loc[0, "outcome"] == "Account removed"
    with pytest.raises(CaseError, match="no action number 99"):
        case.update_action(99, status="done")
    assert case.table("audit")["what"].tolist()[-3:] == ["event recorded", "action logged", "action updated"]


def test_audit_table_refuses_sql_edits(case):
    conn = sqlite3.connect(case.path / "case.sqlite")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit")


def _modes(folder):
    return {p.relative_to(folder).as_posix(): stat.S_IMODE(p.stat().st_mode)
            for p in [folder, *folder.rglob("*")]}


@pytest.mark.skipif(os.name != "posix", reason="Unix file modes")
def test_a_new_cases_files_are_not_readable_by_another_user(tmp_path, data_dir):
    """Folders 0700, files 0600 (or 0400 read-only), whatever the umask: also SQLite's -wal and -shm."""
    from investigate.evidence import add_evidence
    from investigate.importer import import_file

    old = os.umask(0o022)  # the usual umask, which leaves new files readable by everyone
    try:
        case = Case.create(tmp_path / "case", title="Fake account: Grimblewood Academy")
        add_evidence(case, [data_dir / "manual" / "people.csv"])
        import_file(case, data_dir / "manual" / "followers_utf8.csv", platform="tiktok", account="fake.mr.thistle",
                    list_kind="followers")
        case.set_config(analyst="Ms Wobblethorpe")
        conn = sqlite3.connect(case.path / "case.sqlite")  # an open reader keeps -wal and -shm in place
        try:
            conn.execute("SELECT COUNT(*) FROM audit").fetchone()
            case.add_event(at="2025-11-03 19:02", kind="post", summary="first post")
            modes = _modes(case.path)
        finally:
            conn.close()
    finally:
        os.umask(old)
    assert {"case.sqlite-wal", "case.sqlite-shm", "case.toml", "evidence", "tables"} <= set(modes)
    assert any(name.startswith("tables/") for name in modes) and any(n.startswith("evidence/") for n in modes)
    readable = {name: oct(mode) for name, mode in modes.items() if mode & 0o077}
    assert not readable, f"readable by other users: {readable}"
    assert modes["."] == 0o700 and modes["case.sqlite"] == 0o600


@pytest.mark.skipif(os.name != "posix", reason="Unix file modes")
def test_opening_an_old_world_readable_case_closes_it(case):
    os.chmod(case.path, 0o755)
    Case.open(case.path)
    assert stat.S_IMODE(case.path.stat().st_mode) == 0o700


@pytest.mark.skipif(os.name != "posix", reason="Unix file modes")
def test_exports_packs_reports_and_seals_are_private_whatever_the_umask(case):
    """What the kit writes inside a case after it is made (export folders, packs, reports, seals, the
    notebooks' copy) is 0700/0600 too, also in folders it makes for them."""
    from investigate import cli
    from investigate.launch import working_notebooks

    exports = case.exports_dir
    old = os.umask(0o022)
    try:
        for argv in (["export", str(case.path), "--for", "cpoms"],
                     ["export", str(case.path), "--for", "myconcern", "-o", str(exports / "new" / "myconcern")],
                     ["pack", str(case.path), "police"],
                     ["pack", str(case.path), "rhc", "-o", str(exports / "packs" / "rhc.html")],
                     ["seal", str(case.path)],
                     ["report", str(case.path), "-o", str(exports / "reports" / "report.docx")]):
            assert cli.main(argv) == 0, argv
        working_notebooks(case.path)  # investigate lab's copy of the notebooks, which will hold outputs
        modes = _modes(case.path)
    finally:
        os.umask(old)
    assert {"new", "new/myconcern", "packs", "reports", "reports/report.docx", "packs/rhc.html"} <= {
        name.removeprefix("exports/") for name in modes}
    assert any(name.startswith("exports/cpoms-internal-") for name in modes)
    assert any(name.startswith("exports/seal-") for name in modes)
    assert any(name.startswith("notebooks/") for name in modes)
    readable = {name: oct(mode) for name, mode in modes.items() if mode & 0o077}
    assert not readable, f"readable by other users: {readable}"


def test_table_reads_only_the_columns_and_rows_asked_for(case, data_dir):
    """``columns`` and ``where`` (pushed into the Parquet read) give the whole table's rows and columns cut, in
    order, with the same dtypes: over SQLite's rows and imported parts alike; accounts still merged."""
    import pyarrow.compute as pc

    from investigate.importer import import_file

    case.add_rows({"relationships": pd.DataFrame({"platform": ["tiktok"] * 2, "follower": ["fake.mr.thistle", "x"],
                                                  "followed": ["barnaby_t", "fake.mr.thistle"]}),
                   "accounts": pd.DataFrame({"platform": ["tiktok"], "handle": ["Barnaby_T"],
                                             "handle_key": ["barnaby_t"], "role": ["target"]})}, what="entered")
    import_file(case, data_dir / "manual" / "followers_utf8.csv", platform="tiktok", account="fake.mr.thistle",
                list_kind="followers")
    for name, columns, where, keep in [
        ("relationships", ["followed_at", "follower"], pc.field("follower") == "barnaby_t",
         lambda t: t["follower"].eq("barnaby_t").fillna(False)),
        ("relationships", None, (pc.field("followed") == "fake.mr.thistle") & pc.field("followed_at").is_valid(),
         lambda t: (t["followed"].eq("fake.mr.thistle") & t["followed_at"].notna()).fillna(False)),
        ("accounts", ["role", "handle"], pc.field("handle_key").isin(["barnaby_t", "quill.feather"]),
         lambda t: t["handle_key"].isin(["barnaby_t", "quill.feather"])),
        ("accounts", ["created_at"], None, lambda t: t["handle_key"].notna()),
    ]:
        whole = case.table(name)
        expected = whole[keep(whole).to_numpy(bool)][columns or list(whole.columns)].reset_index(drop=True)
        got = case.table(name, columns=columns, where=where)
        pd.testing.assert_frame_equal(got, expected)
        assert 0 < len(got) < len(whole) or where is None
    merged = case.table("accounts", columns=["role", "handle"], where=pc.field("handle_key") == "barnaby_t")
    assert merged.to_dict("records") == [{"role": "target", "handle": "Barnaby_T"}]  # one row: SQLite's and the part's
    empty = case.table("posts", columns=["post_id"], where=pc.field("account") == "nobody")
    assert list(empty.columns) == ["post_id"] and empty.empty
    with pytest.raises(CaseError, match="no column 'handel'"):
        case.table("accounts", columns=["handel"])
