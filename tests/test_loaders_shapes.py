"""Input shapes schools really get (issue 24): each column and file read as what it means, or refused.

Every fixture is synthetic, written from the published facts of each shape, with invented names.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import instagram_entry as _entry
from conftest import write_files as _write

from investigate.case import Case
from investigate.errors import FormatError, InputError
from investigate.importer import import_file
from investigate.loaders import LoadOptions, load

SHAPES = Path(__file__).parent / "data" / "shapes"
COMMENTS = LoadOptions(platform="instagram", list_kind="comments", timezone="Europe/London")


def T(text: str) -> pd.Timestamp:  # noqa: N802 - short for the many expected times
    return pd.Timestamp(text, tz="UTC")


# ----------------------------------------------------------------------------- 1. stored wrong, silently
def test_phantombuster_commenters_take_comment_date_never_the_scrape_time() -> None:
    result = load(SHAPES / "phantombuster_commenters.csv", options=COMMENTS)
    inter = result.frames["interactions"]
    assert inter["actor"].tolist() == ["quill.feather", "barnaby_t"]
    assert inter["at"].tolist() == [T("2025-07-14 18:02:11"), T("2025-07-15 07:45:00")]
    assert inter["text"].tolist() == ["so funny", "who is this"]
    assert any("commentDate" in note for note in result.notes)  # says which column is which time


def test_a_scrape_timestamp_alone_is_never_taken_as_the_comment_time(tmp_path: Path) -> None:
    path = tmp_path / "scraped.csv"
    path.write_text("username,comment,query,timestamp\nquill.feather,hi,https://x.example/p/1,2025-11-30T09:00:00Z\n")
    result = load(path, options=COMMENTS)
    assert result.frames["interactions"]["at"].isna().all()
    assert any("timestamp" in note and "scrape" in note for note in result.notes)


@pytest.mark.parametrize("separator", [";", ","])
def test_zeeschuimer_csv_times_are_utc(tmp_path: Path, separator: str) -> None:
    path = tmp_path / "zeeschuimer-export-tiktok-comments.csv"
    text = (SHAPES / "zeeschuimer_tiktok_comments.csv").read_text()
    path.write_text(text.replace(";", separator))
    options = LoadOptions(platform="tiktok", list_kind="comments", timezone="Europe/London")
    inter = load(path, options=options).frames["interactions"]
    # 18:02:11 written by formatUtcTimestamp is UTC, not British Summer Time (which would be 17:02 UTC)
    assert inter["at"].tolist() == [T("2025-07-14 18:02:11"), T("2025-07-14 19:30:00")]
    assert inter["actor"].tolist() == ["mossbottom.fan", "quill.feather"]
    assert inter["text"].tolist() == ["lol who made this", "not me"]


def test_a_comments_csv_is_never_guessed_to_be_posts_from_a_shared_column(case: Case, tmp_path: Path) -> None:
    # Zeeschuimer's comments CSV has likes (as posts do), and comment_url (as only comments do): comments
    result = import_file(case, SHAPES / "zeeschuimer_tiktok_comments.csv", platform="tiktok", account="fake.head")
    assert result.counts.get("interactions") == 2 and not result.counts.get("posts")
    # without its comment columns, nothing tells posts from comments: the kit asks
    path = tmp_path / "captured.csv"
    path.write_text("author;body;timestamp;likes\nmossbottom.fan;lol;2025-07-14 18:02:11;4\n")
    with pytest.raises(FormatError, match="--list") as info:
        import_file(case, path, platform="tiktok", account="fake.head")
    assert "import form" in str(info.value)
    assert case.table("posts").empty


def test_a_file_with_signs_of_two_kinds_is_refused_naming_both(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("username,caption,comment\nquill.feather,a caption,a comment\n")
    with pytest.raises(FormatError, match="comments or posts"):
        load(path, options=LoadOptions(platform="instagram"))


NOW = LoadOptions(observed_at=T("2025-11-20"))



@pytest.mark.parametrize("name", ["following.json", "threads_following.json"])
def test_threads_own_following_file_imported_alone_is_threads(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, {name: {"text_post_app_text_post_app_following": [_entry("thimble.wick")]}}) / name
    result = load(path, options=LoadOptions(account="fake.head", observed_at=T("2025-11-20")))
    rel = result.frames["relationships"]
    assert rel[["platform", "follower", "followed"]].values.tolist() == [["threads", "fake.head", "thimble.wick"]]
    accounts = result.frames["accounts"].set_index("handle_key")
    assert accounts.loc["thimble.wick", "platform"] == "threads"


def test_instagram_2018_media_only_photos_and_videos_are_posts(tmp_path: Path) -> None:
    root = _write(tmp_path / "export", {
        "profile.json": {"username": "fake.head", "name": "Not The Head"},
        "connections.json": {"followers": {}, "following": {"barnaby_t": "2019-03-01T10:00:00"}},
        "media.json": {
            "photos": [{"caption": "First day", "taken_at": "2019-03-04T12:34:56", "path": "p/1.jpg"}],
            "videos": [{"caption": "Assembly", "taken_at": "2019-03-05T08:00:00", "path": "v/1.mp4"}],
            "stories": [{"caption": "", "taken_at": "2019-03-06T08:00:00", "path": "s/1.mp4"},
                        {"caption": "", "taken_at": "2019-03-06T09:00:00", "path": "s/2.jpg"}],
            "profile": [{"caption": "", "taken_at": "2019-01-01T00:00:00", "path": "profile/1.jpg"}]},
    })
    result = load(root, options=NOW)
    assert result.frames["posts"]["media_type"].tolist() == ["photo", "video"]
    assert any("2 stories" in n for n in result.notes) and any("1 profile pictures" in n for n in result.notes)


def test_x_accounts_known_only_by_id_are_counted_and_the_way_to_name_them_said(tmp_path: Path) -> None:
    follower = 'window.YTD.follower.part0 = ' + json.dumps(
        [{"follower": {"accountId": str(n), "userLink": f"https://twitter.com/intent/user?user_id={n}"}}
         for n in (4000000001, 4000000002, 4000000003)])
    path = _write(tmp_path, {"follower.js": follower}) / "follower.js"
    result = load(path, options=LoadOptions(account="quill_feather", observed_at=T("2025-11-20")))
    assert result.frames["relationships"]["follower"].tolist() == ["id:4000000001", "id:4000000002", "id:4000000003"]
    [note] = [n for n in result.notes if "known only by" in n]
    assert note.startswith("3 account(s)") and "x.com/i/user/4000000001" in note


def test_xlsx_formula_cells_without_saved_values_are_refused_each_named(case: Case, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["username", "position"])
    for n in range(1, 6):
        sheet.append([f'="quill.feather{n}"', n])  # openpyxl saves the formula, never its result
    sheet.append(["barnaby_t", 6])
    path = tmp_path / "followers.xlsx"
    book.save(path)
    with pytest.raises(InputError, match="formula") as info:
        import_file(case, path, platform="instagram", account="fake.head", list_kind="followers")
    assert [(p.row, p.column) for p in info.value.problems] == [(r, "username") for r in range(2, 7)]
    assert "cell A2" in info.value.problems[0].reason
    assert case.table("relationships").empty


def test_a_symlink_inside_an_export_folder_is_refused_before_anything_is_read(case: Case, tmp_path: Path) -> None:
    outside = _write(tmp_path / "elsewhere", {"followers_1.json": [_entry("quill.feather")]})
    root = _write(tmp_path / "instagram-fake.head-2025-11-01", {
        "connections/followers_and_following/following.json": {"relationships_following": [_entry("barnaby_t")]}})
    (root / "connections/followers_and_following/followers_1.json").symlink_to(outside / "followers_1.json")
    with pytest.raises(FormatError, match="symlink") as info:
        import_file(case, root)
    assert "followers_and_following/followers_1.json" in str(info.value)
    assert case.table("relationships").empty and case.table("evidence").empty


DIALOG = """quill.feather's profile picture
quill.feather
Zephyrine Quillfeather
Remove
biscuit.tin's profile picture
biscuit.tin
Biscuit
Remove
thimble.wick's profile picture
thimble.wick
·
Follow
Remove
"""


def test_a_pasted_instagram_followers_dialog_never_stores_a_display_name_as_a_handle(tmp_path: Path) -> None:
    path = tmp_path / "followers.txt"
    path.write_text(DIALOG)
    options = LoadOptions(platform="instagram", account="fake.head", list_kind="followers")
    result = load(path, options=options)
    assert not result.problems
    rel = result.frames["relationships"]
    assert rel[["follower", "position"]].values.tolist() == [["quill.feather", 1], ["biscuit.tin", 2],
                                                             ["thimble.wick", 3]]
    names = result.frames["accounts"].set_index("handle_key")["display_name"]
    assert names["biscuit.tin"] == "Biscuit" and "biscuit" not in names.index


def test_a_line_out_of_place_in_a_pasted_dialog_is_a_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "followers.txt"
    path.write_text(DIALOG.replace("Biscuit\n", "Biscuit\nsomething else\n"))
    options = LoadOptions(platform="instagram", account="fake.head", list_kind="followers")
    result = load(path, options=options)
    assert [(p.row, p.value) for p in result.problems] == [(8, "something else")]


# ----------------------------------------------------------------------------- 2. hostile handles, wide files
@pytest.mark.parametrize("control", ["\x1b]0;pwned\x07", "\x1b[2J", "ab\x08\x08cd", "del\x7f"])
def test_handles_with_terminal_control_characters_are_refused_naming_row_and_field(
        case: Case, tmp_path: Path, control: str) -> None:
    path = tmp_path / "followers.csv"
    path.write_text(f"username\nquill.feather\n{control}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_file(case, path, platform="instagram", account="fake.head", list_kind="followers")
    [problem] = info.value.problems
    assert (problem.row, problem.column) == (3, "username") and "control character" in problem.reason
    assert "\x1b" not in str(problem) and "\x07" not in str(problem)  # shown escaped
    assert case.table("relationships").empty


@pytest.mark.parametrize(("platform", "limit", "word"), [("instagram", 30, "Instagram"), ("tiktok", 24, "TikTok"),
                                                         ("x", 15, "X"), ("other", 50, "no platform")])
def test_handles_longer_than_the_platform_allows_are_refused_saying_the_limit(
        tmp_path: Path, platform: str, limit: int, word: str) -> None:
    path = tmp_path / "followers.csv"
    path.write_text(f"username\n{'a' * limit}\n{'b' * (limit + 1)}\nid:12345678901234567890\n")
    result = load(path, options=LoadOptions(platform=platform, account="fake_head", list_kind="followers"))
    [problem] = result.problems
    assert problem.row == 3 and word in problem.reason and str(limit) in problem.reason
    assert result.frames["relationships"]["follower"].tolist() == ["a" * limit, "id:12345678901234567890"]


def test_a_file_wider_than_a_list_is_refused_before_it_is_read(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("INVESTIGATE_MAX_COLUMNS", "20")
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{n}" for n in range(25)) + "\n" + ",".join("x" * 25) + "\n")
    with pytest.raises(FormatError, match="more than 20 columns"):
        load(path, options=LoadOptions(platform="instagram", account="fake.head", list_kind="followers"))
    path.write_text("username," + "a" * 70_000 + "\n")
    with pytest.raises(FormatError, match="longer than 64 KB"):
        load(path, options=LoadOptions(platform="instagram", account="fake.head", list_kind="followers"))


# ----------------------------------------------------------------------------- 3. refused though readable
def _html(entries: list[tuple[str, str]]) -> str:
    blocks = "".join(f'<div class="_a6-p"><div><a target="_blank" href="https://www.instagram.com/{h}">{h}</a>'
                     f"</div><div>{d}</div></div>" for h, d in entries)
    return f"<html><body><main>{blocks}</main></body></html>"


def test_instagram_html_french_month_abbreviations_by_their_prefix(tmp_path: Path) -> None:
    root = _write(tmp_path / "export", {"connections/followers_and_following/followers_1.html": _html([
        ("barnaby_t", "4 fév 2024, 13:05"), ("quill.feather", "15 juil. 2024 09:30")])})
    result = load(root, options=LoadOptions(account="fake.head", observed_at=NOW.observed_at))
    rel = result.frames["relationships"].set_index("follower")
    assert rel.loc["barnaby_t", "followed_at"] == T("2024-02-04 13:05")  # GMT
    assert rel.loc["quill.feather", "followed_at"] == T("2024-07-15 08:30")  # BST
    assert not result.notes


def _facebook_2021(root: Path) -> Path:
    return _write(root, {
        "profile_information/profile_information.json": {"profile_v2": {"name": {"full_name": "Not The Head"}}},
        "friends_and_followers/friends.json": {"friends_v2": [{"name": "Zephyrine Quillfeather",
                                                                "timestamp": 1_700_000_000}]},
        "friends_and_followers/who_you_follow.json": {"following_v2": [{"name": "Barnaby Tumbleweed",
                                                                        "timestamp": 1_700_000_100}]},
        "friends_and_followers/followers.json": {"followers_v2": [{"name": "Mossbottom Fan",
                                                                   "timestamp": 1_700_000_200}]},
        "friends_and_followers/removed_friends.json": {"deleted_friends_v2": []},
    })


@pytest.mark.parametrize("as_zip", [False, True])
def test_facebook_2021_friends_and_followers_layout(tmp_path: Path, as_zip: bool) -> None:
    import shutil

    from investigate.loaders import detect

    root = _facebook_2021(tmp_path / "facebook-fakehead-2025")
    path = Path(shutil.make_archive(str(root), "zip", root)) if as_zip else root
    assert detect(path) == "facebook"
    result = load(path, options=LoadOptions(account="Fake Head", observed_at=NOW.observed_at))
    rel = result.frames["relationships"]
    assert sorted(rel["observed_list"].unique()) == ["followers of @Fake Head", "following of @Fake Head",
                                                     "friends of @Fake Head"]
    assert set(rel["follower"]) | set(rel["followed"]) == {"fake head", "zephyrine quillfeather",
                                                           "barnaby tumbleweed", "mossbottom fan"}


def test_a_facebook_export_is_never_read_as_instagram(tmp_path: Path) -> None:
    root = _facebook_2021(tmp_path / "facebook-fakehead-2025")
    with pytest.raises(FormatError):
        load(root, format="instagram", options=LoadOptions(account="fake.head"))
    with pytest.raises(FormatError):
        load(root / "friends_and_followers" / "followers.json", format="instagram",
             options=LoadOptions(account="fake.head"))


def _txt_blocks(entries: list[tuple[str, str]]) -> str:
    return "\n".join(f"Date: {when}\nUsername: {handle}\n" for when, handle in entries)


@pytest.mark.parametrize("layout", ["Profile And Settings/{}.txt", "Activity/{} List.txt"])
def test_tiktok_txt_download_is_read(tmp_path: Path, layout: str) -> None:
    root = _write(tmp_path / "TikTok_Data_1760000000", {
        layout.format("Follower"): _txt_blocks([("2025-07-14 18:02:11", "quill.feather"),
                                                ("2025-07-15 07:45:00", "barnaby_t")]),
        layout.format("Following"): _txt_blocks([("2025-08-01 12:00:00", "mossbottom.fan")]),
        "Profile And Settings/Profile Info.txt": "Username: fake.head\nBirthdate: 01-Jan-2000\n",
    })
    result = load(root, options=NOW)
    assert result.format == "tiktok"
    rel = result.frames["relationships"]
    assert rel[["follower", "followed", "position", "followed_at"]].values.tolist() == [
        ["quill.feather", "fake.head", 1, T("2025-07-14 18:02:11")],  # TikTok's dates are UTC
        ["barnaby_t", "fake.head", 2, T("2025-07-15 07:45:00")],
        ["fake.head", "mossbottom.fan", 1, T("2025-08-01 12:00:00")]]
    assert not result.problems


def test_one_tiktok_txt_list_file_and_its_bad_block(tmp_path: Path) -> None:
    path = tmp_path / "Follower.txt"
    path.write_text(_txt_blocks([("2025-07-14 18:02:11", "quill.feather"), ("not a date", "barnaby_t")]))
    result = load(path, options=LoadOptions(account="fake.head", observed_at=NOW.observed_at))
    assert result.format == "tiktok"
    assert result.frames["relationships"]["follower"].tolist() == ["quill.feather"]
    assert [(p.row, p.column) for p in result.problems] == [(4, "Date")]


# ----------------------------------------------------------------------------- 4. bounds
def _lying_zip(path: Path, name: str, data: bytes, claimed: int) -> Path:
    """A zip whose member's headers (local and central) claim ``claimed`` bytes, but which unpacks to ``data``."""
    import struct
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    raw = bytearray(path.read_bytes())
    local, central = raw.find(b"PK\x03\x04"), raw.find(b"PK\x01\x02")
    struct.pack_into("<I", raw, local + 22, claimed)
    struct.pack_into("<I", raw, central + 24, claimed)
    path.write_bytes(bytes(raw))
    return path


def test_a_zip_member_is_bounded_by_what_it_unpacks_to_not_by_what_its_header_claims(
        case: Case, tmp_path: Path, monkeypatch) -> None:
    import tracemalloc

    monkeypatch.setenv("INVESTIGATE_MAX_BYTES", str(1_000_000))
    bomb = _lying_zip(tmp_path / "export.zip", "instagram-fake.head-2025-11-01/connections/followers_and_following/"
                      "followers_1.json", b" " * 8_000_000, claimed=100)
    tracemalloc.start()
    try:
        with pytest.raises(FormatError, match="damaged or made to break readers"):
            import_file(case, bomb, account="fake.head")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4_000_000  # the 8 MB it holds were never unpacked at once
    assert case.table("relationships").empty


def _tiktok_user_data(followers: int, watched: int) -> dict[str, object]:
    return {
        "Profile And Settings": {
            "Profile Info": {"ProfileMap": {"userName": "Fake.Head_Grimblewood", "bioDescription": "x"}},
            "Follower": {"FansList": [{"Date": f"2025-10-17 19:{n // 60 % 60:02d}:{n % 60:02d}",
                                       "UserName": f"fan_{n}"} for n in range(followers)]},
            "Following": {"Following": [{"Date": "2025-10-01 12:00:00", "UserName": "mossbottom.fan"}]},
        },
        "Your Activity": {"Watch History": {"VideoList": [{"Date": "2025-10-01 12:00:00",
                                                           "Link": f"https://www.tiktokv.com/share/video/{n}/"}
                                                          for n in range(watched)]}},
        "Post": {"Posts": {"VideoList": [{"Date": "2025-10-02 08:00:00", "Link": "https://www.tiktokv.com/share/"
                                          "video/7377818545266803144/", "Likes": "12"}]}},
        "Comment": {"Comments": {"CommentsList": [{"Date": "2025-10-03 09:00:00", "Comment": "first"}]}},
    }


@pytest.mark.parametrize("bom", [False, True])
def test_a_large_tiktok_user_data_json_is_streamed_with_the_same_rows(tmp_path: Path, monkeypatch, bom: bool) -> None:
    text = json.dumps(_tiktok_user_data(followers=300, watched=3000), indent=1)
    path = tmp_path / "user_data_tiktok.json"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    whole = load(path, options=NOW)
    monkeypatch.setenv("INVESTIGATE_STREAM_BYTES", "10000")
    monkeypatch.setenv("INVESTIGATE_MAX_JSON_BYTES", "20000")  # far below the file: it is never parsed whole
    assert path.stat().st_size > 200_000
    streamed = load(path, options=NOW)
    assert streamed.problems == whole.problems == []
    for name, frame in whole.frames.items():
        pd.testing.assert_frame_equal(streamed.frames[name], frame)
    assert len(whole.frames["relationships"]) == 301 and len(whole.frames["posts"]) == 1


def test_a_streamed_tiktok_section_that_is_not_a_list_is_refused_as_in_a_whole_read(tmp_path: Path,
                                                                                     monkeypatch) -> None:
    data = _tiktok_user_data(followers=3, watched=3000)
    data["Profile And Settings"]["Following"]["Following"] = "not a list"  # type: ignore[index]
    path = _write(tmp_path, {"user_data_tiktok.json": data}) / "user_data_tiktok.json"
    whole = load(path, options=NOW)
    monkeypatch.setenv("INVESTIGATE_STREAM_BYTES", "10000")
    streamed = load(path, options=NOW)
    assert [p.column for p in streamed.problems] == [p.column for p in whole.problems] == ["Following"]


def test_a_json_too_large_to_read_whole_says_truly_which_are_read_in_pieces(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("INVESTIGATE_MAX_JSON_BYTES", "1000")
    root = _write(tmp_path / "export", {"connections/followers_and_following/followers_1.json": [_entry("a")],
                                        "content/posts_1.json": [{"media": [], "title": "x" * 2000,
                                                                  "creation_timestamp": 1_700_000_000}]})
    with pytest.raises(FormatError, match="This file is read whole"):
        load(root, options=LoadOptions(account="fake.head"))


def test_control_characters_in_any_loader_s_handles_or_names_are_refused_before_storing(
        case: Case, tmp_path: Path) -> None:
    path = _write(tmp_path, {"your_friends.json": {"friends_v2": [
        {"name": "Zephyrine Quillfeather", "timestamp": 1_700_000_000},
        {"name": "Evil\x1b]0;pwned\x07Name", "timestamp": 1_700_000_100}]}}) / "your_friends.json"
    with pytest.raises(InputError, match="control characters") as info:
        import_file(case, path, account="fake.head")
    assert {p.column for p in info.value.problems} >= {"follower", "display_name"}
    assert "\x1b" not in str(info.value) and "\x07" not in str(info.value)
    assert case.table("relationships").empty and case.table("evidence").empty


@pytest.mark.parametrize("encoding", ["utf-16-be", "utf-16-le"])
def test_utf16_without_a_byte_order_mark_is_read_even_with_characters_holding_a_zero_byte(
        tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "followers.csv"
    path.write_bytes("Username,Name\nquill.feather,Ābele Quillfeather\nbarnaby_t,Barnaby 一\n".encode(encoding))
    result = load(path, options=LoadOptions(platform="instagram", account="fake.head", list_kind="followers"))
    assert result.frames["relationships"]["follower"].tolist() == ["quill.feather", "barnaby_t"]
    names = result.frames["accounts"].set_index("handle_key")["display_name"]
    assert names["quill.feather"] == "Ābele Quillfeather"


def test_a_posts_file_whose_only_time_is_the_scrape_time_is_refused_saying_why(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("username,caption,postUrl,query,timestamp\nfake.head,hello,https://x.example/p/1,"
                    "https://x.example/fake.head,2025-11-30T09:00:00Z\n")
    with pytest.raises(InputError, match="when the scraper read the page"):
        load(path, options=LoadOptions(platform="instagram", list_kind="posts"))


def test_an_export_handle_with_a_control_character_or_too_long_is_refused_saying_why(tmp_path: Path) -> None:
    path = _write(tmp_path, {"followers_1.json": [_entry("quill.feather"), _entry("evil\x1b[2J"),
                                                  _entry("x" * 60)]}) / "followers_1.json"
    result = load(path, options=LoadOptions(account="fake.head", observed_at=NOW.observed_at))
    assert result.frames["relationships"]["follower"].tolist() == ["quill.feather"]
    assert [(p.row, p.reason[:34]) for p in result.problems] == [
        (2, "not a username: it holds a control"), (3, "not a username: 60 characters, lon")]
