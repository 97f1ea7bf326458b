"""Exports in the layouts they arrive in today (fixtures written here from the published facts; names invented)."""

from __future__ import annotations

import json
import lzma
from pathlib import Path

import pandas as pd
import pytest
from conftest import instagram_entry as _entry
from conftest import snapshot
from conftest import write_files as _write

from investigate.case import Case
from investigate.errors import InputError
from investigate.importer import import_file
from investigate.loaders import LoadOptions, load

NOW = LoadOptions(observed_at=pd.Timestamp("2025-11-20", tz="UTC"))



def _personal(label: str, handle: str) -> dict[str, object]:
    return {"profile_user": [{"string_map_data": {label: {"value": handle}, "Nome": {"value": "Preside Finto"}}}]}


def test_tiktok_profile_and_settings_layout(tmp_path: Path) -> None:
    data = {
        "Profile And Settings": {
            "Profile Info": {"ProfileMap": {"userName": "Fake.Head_Grimblewood"}},
            "Follower": {"FansList": [{"Date": "2025-10-17 19:58:32", "UserName": "barnaby_t"},
                                      {"Date": "2025-10-18 07:00:00", "UserName": "quill.feather"}]},
            "Following": {"Following": [{"Date": "2025-10-01 12:00:00", "UserName": "mossbottom.fan"}]},
        },
        "Your Activity": {"Watch History": {"VideoList": []}},
    }
    path = _write(tmp_path, {"user_data_tiktok.json": data}) / "user_data_tiktok.json"
    result = load(path, options=NOW)  # no --account needed: the export says whose it is
    rel = result.frames["relationships"]
    assert rel["follower"].tolist() == ["barnaby_t", "quill.feather", "fake.head_grimblewood"]
    assert rel["followed"].tolist() == ["fake.head_grimblewood", "fake.head_grimblewood", "mossbottom.fan"]
    assert rel["followed_at"].iloc[0] == pd.Timestamp("2025-10-17 19:58:32", tz="UTC")


def test_instagram_threads_lists_load_as_threads_and_never_break_the_instagram_lists(tmp_path: Path) -> None:
    root = _write(tmp_path / "instagram-fake.head-2025-11-01", {
        "connections/followers_and_following/followers_1.json": [_entry("barnaby_t"), _entry("quill.feather")],
        "connections/followers_and_following/following.json": {"relationships_following": [_entry("mossbottom.fan")]},
        "your_instagram_activity/threads/followers.json": {
            "text_post_app_text_post_app_followers": [_entry("thimble.wick")]},
        "your_instagram_activity/threads/following.json": {
            "text_post_app_text_post_app_following": [_entry("barnaby_t")]},
    })
    result = load(root, options=NOW)
    rel = result.frames["relationships"]
    insta = rel[rel["platform"] == "instagram"]
    threads = rel[rel["platform"] == "threads"]
    assert insta["follower"].tolist() == ["barnaby_t", "quill.feather", "fake.head"]
    assert threads[["follower", "followed", "position"]].values.tolist() == [
        ["thimble.wick", "fake.head", 1], ["fake.head", "barnaby_t", 1]]
    assert not result.problems


@pytest.mark.parametrize("label", ["Nome utente", "Nom d'utilisateur", "Benutzername", "Username"])
def test_instagram_owner_is_read_from_labels_in_other_languages(tmp_path: Path, label: str) -> None:
    root = _write(tmp_path / "export", {
        "personal_information/personal_information/personal_information.json": _personal(label, "finto.preside"),
        "connections/followers_and_following/followers_1.json": [_entry("barnaby_t")],
    })
    result = load(root, options=NOW)
    assert result.frames["relationships"]["followed"].tolist() == ["finto.preside"]


def _html(entries: list[tuple[str, str]]) -> str:
    blocks = "".join(f'<div class="_a6-p"><div><a target="_blank" href="https://www.instagram.com/{h}">{h}</a>'
                     f"</div><div>{d}</div></div>" for h, d in entries)
    return f"<html><body><main>{blocks}</main></body></html>"


def test_instagram_html_month_names_in_other_languages_and_a_note_when_dates_are_empty(tmp_path: Path) -> None:
    root = _write(tmp_path / "export", {
        "connections/followers_and_following/followers_1.html": _html([
            ("barnaby_t", "4 févr. 2024, 13:05"), ("quill.feather", "15 août 2024 09:30"),
            ("mossbottom.fan", "15 ago 2024, 10:00"), ("thimble.wick", "3. Okt. 2024, 08:15")]),
        "connections/followers_and_following/following.html": _html([("barnaby_t", "le quinze du mois")]),
    })
    result = load(root, options=LoadOptions(account="fake.head", observed_at=NOW.observed_at))
    rel = result.frames["relationships"].set_index("follower")
    # naive local times in the case zone (Europe/London): GMT in February and October... BST in August
    assert rel.loc["barnaby_t", "followed_at"] == pd.Timestamp("2024-02-04 13:05", tz="UTC")
    assert rel.loc["quill.feather", "followed_at"] == pd.Timestamp("2024-08-15 08:30", tz="UTC")
    assert rel.loc["mossbottom.fan", "followed_at"] == pd.Timestamp("2024-08-15 09:00", tz="UTC")
    assert rel.loc["thimble.wick", "followed_at"] == pd.Timestamp("2024-10-03 07:15", tz="UTC")
    [note] = result.notes
    assert "following.html" in note and "1 of 1 entries have no follow date" in note


def test_instagram_2018_media_and_comments(tmp_path: Path) -> None:
    root = _write(tmp_path / "export", {
        "profile.json": {"username": "fake.head", "name": "Not The Head"},
        "connections.json": {"followers": {"barnaby_t": "2019-03-01T10:00:00"}, "following": {}},
        "media.json": {"photos": [{"caption": "First day", "taken_at": "2019-03-04T12:34:56", "path": "p/1.jpg"}],
                       "videos": [{"caption": "Assembly", "taken_at": "2019-03-05T08:00:00+00:00", "path": "v/1.mp4"}]},
        "comments.json": {"media_comments": [["2019-03-06T19:00:00", "lol look at this", "quill.feather"],
                                             ["not a time", "??", "barnaby_t"]]},
    })
    result = load(root, options=NOW)
    posts = result.frames["posts"]
    assert posts[["media_type", "text"]].values.tolist() == [["photo", "First day"], ["video", "Assembly"]]
    assert posts["posted_at"].iloc[0] == pd.Timestamp("2019-03-04 12:34:56", tz="UTC")
    inter = result.frames["interactions"]
    assert inter[["actor", "on_account", "text"]].values.tolist() == [["fake.head", "quill.feather",
                                                                       "lol look at this"]]
    assert [(p.row, "comments.json" in p.file) for p in result.problems] == [(2, True)]


def test_instaloader_410_date_and_iphone_struct(tmp_path: Path) -> None:
    node = {"node": {"shortcode": "Cz9Fake1", "date": 1_761_000_000, "__typename": "GraphImage",
                     "iphone_struct": {"code": "Cz9Fake1", "taken_at": 1_761_000_000,
                                       "user": {"username": "fake.mr.thistle", "pk": "55"},
                                       "caption": {"text": "Guess who"}}},
            "instaloader": {"node_type": "Post", "version": "4.14"}}
    path = tmp_path / "2025-10-20_22-40-00_UTC.json.xz"
    path.write_bytes(lzma.compress(json.dumps(node).encode()))
    posts = load(path, options=NOW).frames["posts"]
    assert posts[["account", "post_id", "text"]].values.tolist() == [["fake.mr.thistle", "Cz9Fake1", "Guess who"]]
    assert posts["posted_at"].iloc[0] == pd.Timestamp(1_761_000_000, unit="s", tz="UTC")


def test_x_full_text_is_html_unescaped(tmp_path: Path) -> None:
    tweets = [{"tweet": {"id_str": "1", "created_at": "Sat Feb 18 19:45:15 +0000 2023",
                         "full_text": "Staff &amp; pupils &gt; everyone &lt;3", "favorite_count": "2",
                         "retweet_count": "0", "entities": {"user_mentions": []}}}]
    root = _write(tmp_path / "twitter-2025", {
        "data/account.js": "window.YTD.account.part0 = " + json.dumps([{"account": {"username": "fake_head",
                                                                                    "accountId": "9"}}]),
        "data/tweets.js": "window.YTD.tweets.part0 = " + json.dumps(tweets),
    })
    assert load(root, options=NOW).frames["posts"]["text"].tolist() == ["Staff & pupils > everyone <3"]


def test_facebook_numbered_followers_files_in_instagram_shape(tmp_path: Path) -> None:
    root = _write(tmp_path / "facebook-fake-2025", {
        "connections/followers/people_who_followed_you_1.json": [_entry("Barnaby Tumbleweed"), _entry("Quill Feather")],
        "connections/followers/people_who_followed_you_2.json": [_entry("Moss Bottom")],
    })
    rel = load(root, options=LoadOptions(account="fake.head", observed_at=NOW.observed_at)).frames["relationships"]
    assert rel["position"].tolist() == [1, 2, 3] and len(set(rel["follower"])) == 3


def test_a_recognised_file_missing_its_field_is_named_and_the_rest_imports(case: Case, tmp_path: Path) -> None:
    root = _write(tmp_path / "instagram-fake.head-2025-11-01", {
        "connections/followers_and_following/followers_1.json": [_entry("barnaby_t"), _entry("<b>bold</b>")],
        "connections/followers_and_following/following.json": {"relationships_blocked": []},
    })
    before = snapshot(case.path)
    with pytest.raises(InputError) as err:
        import_file(case, root)
    assert "following.json" in str(err.value) and "relationships_following" in str(err.value)
    assert snapshot(case.path) == before
    result = import_file(case, root, skip_bad_rows=True)
    assert result.counts["relationships"] == 1  # the markup handle is refused like a typed one
    rejects = case.table("rejects")
    assert rejects["file"].str.contains("following.json").any() and rejects["value"].str.contains("<b>").any()


def test_markup_as_a_handle_in_a_capture_is_refused_like_a_typed_one(tmp_path: Path) -> None:
    def item(n: int, author: str) -> str:
        return json.dumps({"item_id": str(n), "timestamp_collected": 1_761_000_000_000, "source_platform": "tiktok.com",
                           "source_platform_url": "https://www.tiktok.com/", "source_url": "https://www.tiktok.com/",
                           "data": {"id": f"73{n:017d}", "desc": "hi", "createTime": 1_761_000_000,
                                    "author": {"uniqueId": author}, "stats": {}}})
    path = tmp_path / "capture.ndjson"
    path.write_text(item(1, "quill.feather") + "\n" + item(2, '<a href="https://evil.example">x</a>') + "\n",
                    encoding="utf-8")
    result = load(path, options=NOW)
    assert result.frames["posts"]["account"].tolist() == ["quill.feather"]
    assert [p.row for p in result.problems] == [2]
