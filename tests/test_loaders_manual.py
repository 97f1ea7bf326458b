from pathlib import Path

import pandas as pd
import pytest
from conftest import snapshot

from investigate import cli
from investigate.errors import FormatError, InputError
from investigate.importer import import_file
from investigate.loaders import LoadOptions, detect, load
from investigate.loaders._files import sniff_encoding

MANUAL = Path(__file__).parent / "data" / "manual"
FOLLOWERS = LoadOptions(platform="tiktok", account="@Fake.Mr.Thistle", list_kind="followers")
FOLLOWING = LoadOptions(platform="tiktok", account="@Fake.Mr.Thistle", list_kind="following")


def test_followers_csv_aliases_handles_and_times():
    result = load(MANUAL / "followers_utf8.csv", options=FOLLOWERS)
    rel = result.frames["relationships"]
    assert rel["follower"].tolist() == ["quill.feather", "barnaby_t", "mossbottom.fan"]
    assert set(rel["followed"]) == {"fake.mr.thistle"}
    assert rel["position"].tolist() == [1, 2, 3]
    assert rel["observed_list"].iloc[0] == "followers of @Fake.Mr.Thistle"
    # 27/11/2025 13:05 is day-first UK time (GMT in November); Z times stay UTC
    assert rel["followed_at"].iloc[0] == pd.Timestamp("2025-11-27T13:05Z")
    assert rel["followed_at"].iloc[1] == pd.Timestamp("2025-11-27T13:10Z")
    assert pd.isna(rel["followed_at"].iloc[2])
    accounts = result.frames["accounts"].set_index("handle_key")
    assert accounts.loc["quill.feather", "handle"] == "Quill.Feather"  # shown form kept
    assert accounts.loc["mossbottom.fan", "handle"] == "Mossbottom.Fan"
    assert accounts.loc["quill.feather", "display_name"] == "Zephyrine Quillfeather"
    assert not result.problems


@pytest.mark.parametrize("name", ["following_cp1252.csv", "following_utf16.csv"])
def test_excel_encodings(name):
    result = load(MANUAL / name, options=FOLLOWING)
    rel = result.frames["relationships"]
    assert rel["followed"].tolist() == ["zoë.pépin", "horatio_grubb"]
    assert set(rel["follower"]) == {"fake.mr.thistle"}
    names = result.frames["accounts"].set_index("handle_key")["display_name"]
    assert names["horatio_grubb"].startswith("Horatio Grübb")


def test_encoding_sniffing():
    assert sniff_encoding("é".encode()) == "utf-8"
    assert sniff_encoding("é,a".encode("cp1252")) == "cp1252"
    assert sniff_encoding("ab".encode("utf-16")) == "utf-16"
    assert sniff_encoding("abcd".encode("utf-16-le")) == "utf-16-le"
    assert sniff_encoding(b"\xef\xbb\xbfx") == "utf-8-sig"


def test_bom_and_upper_case_headers():
    rel = load(MANUAL / "followers_bom.csv", options=FOLLOWERS).frames["relationships"]
    assert rel["follower"].tolist() == ["quill.feather"]


def test_xlsx_with_real_dates_in_local_time():
    result = load(MANUAL / "following.xlsx", options=FOLLOWING)
    rel = result.frames["relationships"]
    assert rel["followed"].tolist() == ["quill.feather", "barnaby_t"]
    # 12:00 in July is BST (11:00 UTC); 12:00 in December is GMT
    assert rel["followed_at"].tolist() == [pd.Timestamp("2025-07-01T11:00Z"), pd.Timestamp("2025-12-01T12:00Z")]


def test_pasted_text_keeps_display_names_and_reports_junk():
    result = load(MANUAL / "pasted_followers.txt", options=FOLLOWERS)
    rel = result.frames["relationships"]
    assert rel["follower"].tolist() == ["quill.feather", "barnaby_t", "mossbottom.fan"]
    names = result.frames["accounts"].set_index("handle_key")["display_name"]
    assert names["quill.feather"] == "Zephyrine Quillfeather"
    [problem] = result.problems
    assert problem.row == 8 and "not a handle" in problem.reason


def test_events_day_first_and_comments():
    events = load(MANUAL / "events_uk.csv", options=LoadOptions()).frames["events"]
    assert events["at"].iloc[0] == pd.Timestamp("2025-11-03T08:40Z")
    assert events["kind"].tolist() == ["noticed", "platform_report"]
    assert events["accounts"].iloc[0] == "fake.mr.thistle"
    comments = load(MANUAL / "comments.csv", options=LoadOptions(platform="tiktok", account="fake.mr.thistle"))
    inter = comments.frames["interactions"]
    assert inter["actor"].tolist() == ["quill.feather", "barnaby_t"]
    assert inter["text"].iloc[1] == "<script>alert('x')</script>"  # kept as text, escaped at display
    assert set(inter["on_account"]) == {"fake.mr.thistle"} and set(inter["kind"]) == {"comment"}


def test_bad_dates_named_by_row_and_column():
    result = load(MANUAL / "events_bad_dates.csv", options=LoadOptions())
    assert [(p.row, p.column, p.field) for p in result.problems] == [(3, "Date", "at"), (4, "Date", "at")]
    assert "clock change" in result.problems[1].reason
    assert result.frames["events"]["summary"].tolist() == ["Fine row"]


def test_wrong_columns_and_missing_options():
    with pytest.raises(InputError, match="no column for 'handle'"):
        load(MANUAL / "wrong_columns.csv", options=FOLLOWERS)
    with pytest.raises(FormatError, match="--account"):
        load(MANUAL / "followers_utf8.csv", options=LoadOptions(platform="tiktok", list_kind="followers"))
    with pytest.raises(FormatError, match="--list"):
        load(MANUAL / "followers_utf8.csv", options=LoadOptions(platform="tiktok"))


def test_detect_by_name():
    assert detect(MANUAL / "followers_utf8.csv") == "csv"
    assert detect(MANUAL / "following.xlsx") == "xlsx"
    assert detect(MANUAL / "pasted_followers.txt") == "text"


def test_size_limit(monkeypatch):
    monkeypatch.setenv("INVESTIGATE_MAX_BYTES", "50")
    with pytest.raises(FormatError, match="INVESTIGATE_MAX_BYTES"):
        load(MANUAL / "followers_utf8.csv", options=FOLLOWERS)


@pytest.mark.parametrize("name", ["INVESTIGATE_MAX_BYTES", "INVESTIGATE_STREAM_BYTES"])
@pytest.mark.parametrize("value", ["lots", "1.5e9", "-5", "0"])
def test_a_size_setting_that_is_not_a_number_is_refused_not_replaced(monkeypatch, case, capsys, name, value):
    """Before, a setting that was not a whole number quietly became the default limit."""
    monkeypatch.setenv(name, value)
    before = snapshot(case.path)
    code = cli.main(["import", str(case.path), str(MANUAL / "followers_utf8.csv"), "--platform", "tiktok",
                     "--account", "@fake.head", "--list", "followers", "--order", "oldest-first"])
    err = capsys.readouterr().err
    assert code == 1 and f"The setting {name} is {value!r}: write a number of bytes above 0" in err
    assert snapshot(case.path) == before


def test_a_size_setting_may_be_written_with_underscores(monkeypatch):
    from investigate.errors import SettingError
    from investigate.loaders._files import DEFAULT_MAX_BYTES, env_size, max_json_bytes

    monkeypatch.setenv("INVESTIGATE_MAX_BYTES", " 2_000_000 ")
    assert env_size("INVESTIGATE_MAX_BYTES", DEFAULT_MAX_BYTES) == 2_000_000
    monkeypatch.setenv("INVESTIGATE_MAX_BYTES", "")
    assert env_size("INVESTIGATE_MAX_BYTES", DEFAULT_MAX_BYTES) == DEFAULT_MAX_BYTES
    monkeypatch.setenv("INVESTIGATE_MAX_JSON_BYTES", "256MB")
    with pytest.raises(SettingError, match="INVESTIGATE_MAX_JSON_BYTES is '256MB'"):
        max_json_bytes()


# ---------------------------------------------------------------- importing into a case
def _snapshot(case):
    tables = ("relationships", "accounts", "events", "evidence", "imports", "rejects", "audit")
    return {t: case.count(t) for t in tables}, sorted(p.name for p in case.evidence_dir.iterdir())


def test_import_stores_rows_with_evidence(case):
    result = import_file(case, MANUAL / "followers_utf8.csv", platform="tiktok", account="fake.mr.thistle",
                         list_kind="followers")
    assert result.counts["relationships"] == 3
    rel = case.table("relationships")
    assert set(rel["evidence_id"]) == {result.evidence_id}
    assert case.table("evidence")["original_name"].tolist() == ["followers_utf8.csv"]
    assert case.table("imports")["rows"].tolist() == [3]


@pytest.mark.parametrize("name, options", [
    ("events_bad_dates.csv", {}),
    ("wrong_columns.csv", {"platform": "tiktok", "account": "x", "list_kind": "followers"}),
    ("truncated.csv", {"platform": "tiktok", "account": "x", "list_kind": "followers"}),
])
def test_failed_import_leaves_case_exactly_as_it_was(case, name, options):
    import_file(case, MANUAL / "followers_utf8.csv", platform="tiktok", account="x", list_kind="followers")
    before = _snapshot(case)
    with pytest.raises((InputError, FormatError)):
        import_file(case, MANUAL / name, **options)
    assert _snapshot(case) == before


def test_skip_bad_rows_records_rejects(case):
    result = import_file(case, MANUAL / "events_bad_dates.csv", skip_bad_rows=True)
    assert result.counts["events"] == 1
    rejects = case.table("rejects")
    assert rejects["row"].tolist() == [3, 4]
    assert rejects["column"].tolist() == ["Date", "Date"]  # the file's heading


def test_same_file_twice_is_refused(case):
    args = dict(platform="tiktok", account="x", list_kind="followers")
    import_file(case, MANUAL / "followers_utf8.csv", **args)
    with pytest.raises(Exception, match="already imported"):
        import_file(case, MANUAL / "followers_utf8.csv", **args)
    assert case.count("relationships") == 3


def test_cli_import_errors_name_file_row_column(case, capsys):
    code = cli.main(["import", str(case.path), str(MANUAL / "events_bad_dates.csv")])
    err = capsys.readouterr().err
    assert code == 1
    assert "events_bad_dates.csv, row 3, column 'Date'" in err
    assert "Smarch" in err
    assert case.count("events") == 0
    code = cli.main(["import", str(case.path), str(MANUAL / "pasted_followers.txt"), "--platform", "instagram",
                     "--account", "@fake.mr.thistle", "--list", "followers", "--skip-bad-rows"])
    assert code == 0
    assert case.count("relationships") == 3 and case.count("rejects") == 1
    assert cli.main(["import", str(case.path), str(MANUAL / "nope.csv")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_row_problems_name_the_column_as_the_file_heads_it(tmp_path):
    """'Followed at', 'When', 'Site': the file's own headings, not the kit's followed_at, at, platform."""
    followers = tmp_path / "followers.csv"
    followers.write_text("Username,Followed at\nquill.feather,27/11/2025 13:05\nbarnaby_t,the 31st of Smarch\n",
                         encoding="utf-8")
    events = tmp_path / "events.csv"
    events.write_text("When,What happened\n13/25/2025,A post\n", encoding="utf-8")
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("Handle,Site\nfake.head,tiktk\nzeph.art,tiktok\n", encoding="utf-8")
    shown = [str(p) for path, options in ((followers, FOLLOWERS), (events, LoadOptions(list_kind="events")),
                                          (accounts, LoadOptions(list_kind="accounts")))
             for p in load(path, options=options).problems]
    assert [s.split(":")[0] for s in shown] == ["followers.csv, row 3, column 'Followed at'",
                                                "events.csv, row 2, column 'When'",
                                                "accounts.csv, row 2, column 'Site'"]
    assert "not a platform the kit knows" in shown[2]


def test_a_missing_column_lists_each_other_name_once():
    with pytest.raises(InputError) as caught:
        load(MANUAL / "wrong_columns.csv", options=FOLLOWERS)
    first = str(caught.value).splitlines()[0]
    assert "no column for 'handle' (or 'username', 'unique_id', 'account', 'user', 'screen_name')" in first
    assert first.count("'handle'") == 1


def test_a_second_people_list_without_ids_is_not_merged_into_the_first(case, tmp_path):
    """Both lists number their rows P0002, P0003...: a person of the second must not become one of the first."""
    import_file(case, MANUAL / "people.csv")
    other = tmp_path / "more_people.csv"
    other.write_text("Name,Role\nOphelia Crumpetworth,parent\nBarnaby Thistlewhite,staff\n", encoding="utf-8")
    before = snapshot(case.path)
    with pytest.raises(InputError) as caught:
        import_file(case, other, list_kind="people")
    assert "1 person id(s) in this list are already used in this case for someone else" in str(caught.value)
    assert "P0002 is already Zephyrine Quillfeather in this case (found 'P0002 Ophelia Crumpetworth')" in str(
        caught.value)
    assert snapshot(case.path) == before


def test_a_row_with_too_many_cells_is_named_in_words(tmp_path):
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("handle,notes\nfake.handle,ok\nfake.hand1e,a second account, same picture\n", encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        load(accounts, options=LoadOptions(platform="tiktok", list_kind="accounts"))
    assert str(caught.value).startswith("accounts.csv: row 3 has 3 cells but the header has 2")
    assert "C error" not in str(caught.value)


def test_a_people_lists_accounts_column_is_checked_like_an_accounts_list(tmp_path):
    """'@wilf<script>' in a people list's Accounts column was kept as the handle 'wilf<script>' (an accounts
    list, ``investigate person`` and the README refuse it): now its row is refused, naming row and field."""
    path = tmp_path / "people.csv"
    path.write_text("Name,Role,Accounts\nWilf Snorbury,learner,\"@wilf.snorb, @wilf<script>\"\n"
                    "Goldie Fizzwick,learner,@goldie.fizz; @gold.fizz2\n"
                    "Percy Plumtart,learner,@percy\x1b[31m\n", encoding="utf-8")
    result = load(path, options=LoadOptions(list_kind="people"))
    found = {(p.row, p.field): p.reason for p in result.problems}
    assert sorted(found) == [(2, "handles"), (4, "handles")], found  # spreadsheet rows (the header is row 1)
    assert found[(2, "handles")].startswith("not a username") and "control character" in found[(4, "handles")]
    kept = result.frames["people"]
    assert kept["handles"].tolist() == ["goldie.fizz,gold.fizz2"]
