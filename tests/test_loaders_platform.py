"""Platform export loaders: each layout to its exact rows, auto detection through the CLI, and broken or
mismatched files refused with the case unchanged. Fixtures: tests/data/exports (synthetic, invented names)."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from investigate import cli
from investigate.case import Case
from investigate.errors import FormatError, InputError
from investigate.importer import import_file
from investigate.loaders import LoadOptions, detect, formats, load
from investigate.loaders._exports import fix_mojibake
from investigate.loaders.tiktok import video_time

EXPORTS = Path(__file__).parent / "data" / "exports"
IG_2023 = EXPORTS / "instagram" / "export_2023"
OBSERVED = pd.Timestamp("2025-11-01T12:00Z")
PLATFORM_FORMATS = ["zeeschuimer", "instaloader", "tiktok", "x", "facebook", "snapchat", "instagram"]


def T(text: str) -> pd.Timestamp:  # noqa: N802 - short for the many expected times
    return pd.Timestamp(text, tz="UTC")


def opts(account: str | None = None, timezone: str = "Europe/London") -> LoadOptions:
    return LoadOptions(account=account, observed_at=OBSERVED, timezone=timezone)


def zipped(folder: Path, target: Path) -> Path:
    """A zip of ``folder``'s contents (as the platform hands it over), built by the test."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(folder).as_posix())
    return target


def rel_rows(result) -> list[tuple]:  # type: ignore[no-untyped-def]
    rel = result.frames["relationships"]
    return [(r.follower, r.followed, r.observed_list, r.position, r.followed_at)
            for r in rel.itertuples()]


def state(case: Case) -> tuple:
    """Everything an import could change: tables, audit length, files under evidence/ and parts/."""
    tables = {name: case.table(name).to_json(date_format="iso") for name in
              ("relationships", "posts", "interactions", "accounts", "evidence", "imports", "rejects")}
    files = sorted(p.relative_to(case.path).as_posix() for folder in (case.evidence_dir, case.parts_dir)
                   for p in folder.rglob("*") if p.is_file())
    return tables, case.count("audit"), files


# ----------------------------------------------------------------------------- registry
def test_platform_formats_registered_before_manual_ones():
    names = formats()
    assert names[:len(PLATFORM_FORMATS)] == PLATFORM_FORMATS
    assert names[-3:] == ["xlsx", "csv", "text"]


def test_mojibake_repair_per_string():
    assert fix_mojibake("Z\u00c3\u00a9phyrine \u00f0\u009f\u00aa\u00b6") == "Zéphyrine 🪶"
    assert fix_mojibake("café") == "café"  # real Latin-1 text, not mojibake: kept
    assert fix_mojibake("Zoë 👏") == "Zoë 👏"  # already right (cannot be Latin-1 encoded): kept


# ----------------------------------------------------------------------------- Instagram
@pytest.mark.parametrize("as_zip", [False, True])
def test_instagram_2023_export(as_zip, tmp_path):
    path = zipped(IG_2023, tmp_path / "instagram-quill.feather.zip") if as_zip else IG_2023
    result = load(path, options=opts())
    assert result.format == "instagram"
    assert rel_rows(result) == [
        ("barnaby_t", "quill.feather", "followers of @quill.feather", 1, T("2025-10-10 21:17:56")),
        ("zoë.pépin", "quill.feather", "followers of @quill.feather", 2, T("2025-10-01 15:37:31")),
        ("mossbottom.fan", "quill.feather", "followers of @quill.feather", 3, T("2025-09-18 15:50:11")),  # followers_2
        ("quill.feather", "horatio_grubb", "following of @quill.feather", 1, T("2024-03-09 19:38:11")),
        ("quill.feather", "florian_fc", "following of @quill.feather", 2, T("2024-01-22 02:38:07")),  # title
        ("quill.feather", "noemie.muddleridge", "following of @quill.feather", 3, T("2023-05-25 11:10:54")),  # href
    ]
    assert set(result.frames["relationships"]["observed_at"]) == {OBSERVED}
    posts = result.frames["posts"]
    assert posts[["account", "posted_at", "media_type", "text"]].values.tolist() == [
        ["quill.feather", T("2023-06-04 16:05:42"), "carousel", "Sports day at Grimblewood 🏅 well done"],
        ["quill.feather", T("2023-10-29 08:11:25"), "video", "Trip to the Museum of Wobbly Science 🔬 café après"],
    ]
    inter = result.frames["interactions"]
    assert inter[["actor", "kind", "on_account", "text", "at"]].values.tolist() == [
        ["quill.feather", "comment", "grimblewood.academy", "Congratulations Zoë 👏", T("2023-12-19 06:26:43")],
        ["quill.feather", "comment", "prank.page", "so funny 😂", T("2025-06-12 17:49:21")],  # reels_comments
    ]
    accounts = result.frames["accounts"].set_index("handle_key")
    assert accounts.loc["quill.feather", "display_name"] == "Zéphyrine Quillfeather 🪶"  # personal_information
    assert accounts.loc["zoë.pépin", "handle"] == "Zoë.Pépin"
    assert accounts.loc["florian_fc", "handle"] == "Florian_FC"
    assert accounts["evidence_id"].isna().all() if "evidence_id" in accounts else True
    # the entry with neither value, title nor href is reported, not dropped
    assert [(Path(p.file).name, p.row, p.reason) for p in result.problems] == [
        ("following.json", 4, "no username in this entry")]


def test_instagram_2021_layout_needs_account():
    with pytest.raises(FormatError, match="does not say whose account it is; say it with --account"):
        load(EXPORTS / "instagram" / "export_2021", options=opts())
    result = load(EXPORTS / "instagram" / "export_2021", options=opts("@Quill.Feather"))
    assert rel_rows(result) == [
        ("barnaby_t", "quill.feather", "followers of @Quill.Feather", 1, T("2022-01-01 00:00")),
        ("ottoline.wembley", "quill.feather", "followers of @Quill.Feather", 2, T("2022-01-02 00:00")),
        ("quill.feather", "grimblewood.academy", "following of @Quill.Feather", 1, T("2022-01-03 00:00")),
    ]
    assert not result.problems


def test_instagram_2019_connections_json():
    result = load(EXPORTS / "instagram" / "export_2019", options=opts())
    assert rel_rows(result) == [
        ("barnaby_t", "quill.feather", "followers of @quill.feather", 1, T("2019-03-05 19:43:04")),
        ("ottoline.wembley", "quill.feather", "followers of @quill.feather", 2, T("2019-04-01 08:00:00")),
        ("quill.feather", "grimblewood.academy", "following of @quill.feather", 1, T("2019-02-01 12:00:00")),
    ]


def test_instagram_html_variant_by_structure_in_local_time():
    result = load(EXPORTS / "instagram" / "export_html", options=opts("quill.feather"))
    assert rel_rows(result) == [
        ("barnaby_t", "quill.feather", "followers of @quill.feather", 1, T("2025-11-27 01:12")),  # GMT
        ("zoë.pepin", "quill.feather", "followers of @quill.feather", 2, T("2025-07-04 14:30")),  # BST 3:30 pm
        ("quill.feather", "grimblewood.academy", "following of @quill.feather", 1, T("2024-01-02 09:05")),
    ]


def test_instagram_account_that_contradicts_the_export_is_refused():
    with pytest.raises(FormatError, match="belongs to @quill.feather, but --account says someone.else"):
        load(IG_2023, options=opts("someone.else"))


def test_instagram_empty_lists_give_no_rows(case):
    result = load(EXPORTS / "instagram" / "export_empty", options=opts())
    assert result.rows == 0 and not result.problems
    before = state(case)
    with pytest.raises(InputError, match="no rows to import"):
        import_file(case, zipped(EXPORTS / "instagram" / "export_empty", case.path.parent / "empty.zip"),
                    format="instagram")
    assert state(case) == before


def test_zip_member_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    path = zipped(IG_2023, tmp_path / "export.zip")
    monkeypatch.setenv("INVESTIGATE_MAX_BYTES", "200")
    with pytest.raises(FormatError, match="this file inside the zip is .* more than the 200 bytes"):
        load(path, options=opts())


# ----------------------------------------------------------------------------- TikTok
def test_tiktok_old_layout():
    result = load(EXPORTS / "tiktok" / "user_data.json", options=opts())
    assert result.format == "tiktok"
    assert rel_rows(result) == [
        ("barnaby_t", "quill.feather", "followers of @quill.feather", 1, T("2023-05-01 10:00")),
        ("zoë.pépin", "quill.feather", "followers of @quill.feather", 2, T("2023-05-02 11:30")),
        ("quill.feather", "grimblewood.academy", "following of @quill.feather", 1, T("2023-04-01 09:00")),
    ]
    posts = result.frames["posts"]
    assert posts[["post_id", "posted_at", "media_type", "likes"]].values.tolist() == [
        ["7239843250000000001", T("2023-06-02 07:15"), "video", 12]]
    inter = result.frames["interactions"]
    assert inter[["actor", "kind", "text", "at"]].values.tolist() == [
        ["quill.feather", "comment", "nice one 🔥", T("2023-06-01 18:45")]]
    assert not result.problems


def test_tiktok_new_layout_slideshow_string_likes_and_id_time():
    result = load(EXPORTS / "tiktok" / "user_data_tiktok.json", options=opts())
    assert rel_rows(result) == [
        ("barnaby_t", "quill.feather", "followers of @Quill.Feather", 1, T("2025-10-17 19:58:32")),
        ("brambleshaw.wobblеton", "quill.feather", "followers of @Quill.Feather", 2, T("2025-10-07 21:50:59")),
        ("quill.feather", "florian_fc", "following of @Quill.Feather", 1, T("2024-02-08 14:13:07")),
    ]
    assert "brambleshaw.wobbleton" not in set(result.frames["relationships"]["follower"])  # Cyrillic е kept
    posts = result.frames["posts"]
    assert posts[["post_id", "url", "posted_at", "media_type", "likes", "text"]].values.tolist() == [
        ["7377818545266803144", "https://www.tiktokv.com/share/video/7377818545266803144/", T("2024-06-07 17:44"),
         "slideshow", 1204, "Open evening 🏫 café"],
        # no Date: the time comes from the video id (id >> 32)
        ["7425220553270391370", "https://www.tiktokv.com/share/video/7425220553270391370/", T("2024-10-13 11:28"),
         "video", 7, "Concert rehearsal 🎄"],
    ]
    assert [(p.row, p.column, p.value) for p in result.problems] == [
        (3, "FansList Date", "not a date"),
        (4, "FansList UserName", '{"Date": "2025-10-01 08:00:00", "UserName": ""}'),
    ]
    assert result.frames["accounts"].set_index("handle_key").loc["quill.feather", "handle"] == "Quill.Feather"


def test_video_id_encodes_creation_time():
    assert video_time("7377818545266803144") == T("2024-06-07 17:44")
    assert video_time("12") is None and video_time("abc") is None


def test_tiktok_empty_lists_and_truncated_file():
    assert load(EXPORTS / "tiktok" / "empty" / "user_data_tiktok.json", options=opts()).rows == 0
    with pytest.raises(FormatError, match=r"user_data_tiktok.json: the file is cut short \(truncated\) at line 35"):
        load(EXPORTS / "tiktok" / "truncated" / "user_data_tiktok.json", options=opts())


# ----------------------------------------------------------------------------- X
def test_x_archive_ids_resolved_where_the_archive_allows(tmp_path):
    result = load(zipped(EXPORTS / "x", tmp_path / "twitter-2025.zip"), options=opts())
    assert rel_rows(result) == [
        ("barnaby_t", "quill_feather", "followers of @Quill_Feather", 1, pd.NaT),  # id resolved from a reply
        ("id:3000000003", "quill_feather", "followers of @Quill_Feather", 2, pd.NaT),  # unknown: id kept
        ("quill_feather", "grimblewood_ac", "following of @Quill_Feather", 1, pd.NaT),  # from a mention
    ]
    accounts = result.frames["accounts"].set_index("handle_key")
    assert accounts.loc["id:3000000003", "platform_id"] == "3000000003"
    assert accounts.loc["barnaby_t", "platform_id"] == "2000000002"
    assert accounts.loc["quill_feather", ["handle", "platform_id", "display_name"]].tolist() == [
        "Quill_Feather", "1000000001", "Zéphyrine 🪶"]
    posts = result.frames["posts"]  # tweets.js (part 0) then tweets-part1.js
    assert posts[["post_id", "posted_at", "likes", "shares"]].values.tolist() == [
        ["1627000000000000001", T("2023-02-18 19:45:15"), 3, 1],
        ["1627000000000000002", T("2023-02-19 08:00:00"), 0, 0]]
    inter = result.frames["interactions"]
    assert inter[["kind", "on_account", "post_id"]].values.tolist() == [
        ["comment", "barnaby_t", "1626999999999999999"],
        ["reshare", "prank_page", "1627000000000000002"],
        ["mention", "grimblewood_ac", "1627000000000000002"]]
    assert [(Path(p.file).name, p.row, p.column) for p in result.problems] == [("follower.js", 3, "accountId")]


def test_x_single_follower_file_keeps_ids():
    result = load(EXPORTS / "x" / "twitter-2025-11-01-quill" / "data" / "follower.js", options=opts("quill_feather"))
    assert result.frames["relationships"]["follower"].tolist() == ["id:2000000002", "id:3000000003"]


def test_x_truncated_js(tmp_path):
    text = (EXPORTS / "x" / "twitter-2025-11-01-quill" / "data" / "following.js").read_text(encoding="utf-8")
    cut = tmp_path / "following.js"
    cut.write_text(text[:60], encoding="utf-8")
    with pytest.raises(FormatError, match=r"following.js: the file is cut short \(truncated\)"):
        load(cut, options=opts("quill_feather"))


# ----------------------------------------------------------------------------- Facebook, Snapchat
def test_facebook_friends_followers_following():
    result = load(EXPORTS / "facebook", options=opts())
    assert rel_rows(result) == [
        ("ottoline wembley 🌸", "zephyrine.quill", "followers of @zephyrine.quill", 1, T("2022-04-15 05:20:00")),
        ("zephyrine.quill", "grimblewood academy", "following of @zephyrine.quill", 1, T("2019-02-12 19:33:20")),
        ("barnaby thistlewood", "zephyrine.quill", "friends of @zephyrine.quill", 1, T("2020-09-13 12:26:40")),
        ("zephyrine.quill", "barnaby thistlewood", "friends of @zephyrine.quill", 1, T("2020-09-13 12:26:40")),
        ("zoë pépin", "zephyrine.quill", "friends of @zephyrine.quill", 2, T("2020-09-14 12:26:40")),
        ("zephyrine.quill", "zoë pépin", "friends of @zephyrine.quill", 2, T("2020-09-14 12:26:40")),
    ]
    accounts = result.frames["accounts"].set_index("handle_key")
    assert accounts.loc["zoë pépin", "display_name"] == "Zoë Pépin"  # mojibake repaired
    assert accounts.loc["zephyrine.quill", "display_name"] == "Zéphyrine Quillfeather"
    assert [(p.row, p.column) for p in result.problems] == [(2, "following_v3 name")]


def test_snapchat_friends():
    result = load(EXPORTS / "snapchat", options=opts())
    assert rel_rows(result) == [
        ("barnaby_t", "quillfeather", "friends of @quillfeather", 1, T("2022-07-22 19:28:21")),
        ("quillfeather", "barnaby_t", "friends of @quillfeather", 1, T("2022-07-22 19:28:21")),
        ("zoe.pepin", "quillfeather", "friends of @quillfeather", 2, T("2023-01-05 08:00:00")),
        ("quillfeather", "zoe.pepin", "friends of @quillfeather", 2, T("2023-01-05 08:00:00")),
    ]
    names = result.frames["accounts"].set_index("handle_key")["display_name"]
    assert names["barnaby_t"] == "Barnaby 🦔" and names["zoe.pepin"] == "Zoë Pépin"
    with pytest.raises(FormatError, match="--account"):  # friends.json alone does not name its owner
        load(next(EXPORTS.glob("snapchat/*/json/friends.json")), options=opts())


# ----------------------------------------------------------------------------- Zeeschuimer, Instaloader
def test_zeeschuimer_tiktok_and_instagram_posts_and_comments():
    result = load(EXPORTS / "zeeschuimer" / "capture.ndjson", options=opts())
    posts = result.frames["posts"]
    assert posts[["platform", "account", "post_id", "posted_at", "likes", "comments", "shares", "views",
                  "media_type"]].astype(object).where(posts.notna(), None).values.tolist() == [
        ["tiktok", "fake.mr.thistle", "7566734657488555887", T("2025-10-29 19:55"), 660, 3, 5, 3960, "video"],
        ["instagram", "fake.mr.thistle", "DAbCdEfGhIj", T("2025-10-20 22:40"), 42, 1, None, None, "carousel"],
        ["instagram", "prank.page", "CXyZ123", T("2025-10-09 08:53:20"), 9, 0, None, None, "video"],
    ]  # the post captured twice is read once
    assert posts["url"].iloc[0] == "https://www.tiktok.com/@Fake.Mr.Thistle/video/7566734657488555887"
    assert posts["text"].iloc[2] == "lol ñ"
    inter = result.frames["interactions"]
    assert inter[["platform", "actor", "kind", "on_account", "post_id", "at"]].values.tolist() == [
        ["tiktok", "fake.mr.thistle", "mention", "barnaby_t", "7566734657488555887", T("2025-10-29 19:55")],
        ["tiktok", "zoë.pépin", "comment", "fake.mr.thistle", "7566734657488555887", T("2025-10-29 20:33:20")],
        # a reply (reply_id != "0") is still a comment, on the post's author
        ["tiktok", "barnaby_t", "comment", "fake.mr.thistle", "7566734657488555887", T("2025-10-29 20:50")],
        # post not in the file: the account comes from the page address
        ["tiktok", "mossbottom.fan", "comment", "other.page", "7555555555555555555", T("2025-10-29 21:06:40")],
        ["instagram", "ottoline.wembley", "comment", "fake.mr.thistle", "DAbCdEfGhIj", T("2025-10-20 23:40")],
    ]
    accounts = result.frames["accounts"]
    assert len(accounts[accounts["handle_key"] == "fake.mr.thistle"]) == 2  # one per platform
    assert [(p.row, p.column) for p in result.problems] == [(9, "source_platform")]  # a twitter.com item


def test_zeeschuimer_truncated_last_line_is_a_problem(case):
    result = load(EXPORTS / "zeeschuimer" / "truncated.ndjson", options=opts())
    assert [(p.row, p.reason) for p in result.problems] == [
        (3, "this line is cut short (the capture file is truncated)")]
    before = state(case)
    assert cli.main(["import", str(case.path), str(EXPORTS / "zeeschuimer" / "truncated.ndjson")]) == 1
    assert state(case) == before


def test_instaloader_folder_and_single_comments_file():
    result = load(EXPORTS / "instaloader" / "fake.mr.thistle", options=opts())
    posts = result.frames["posts"]
    assert posts[["platform", "account", "post_id", "posted_at", "text", "likes", "comments", "media_type"]
                 ].values.tolist() == [["instagram", "fake.mr.thistle", "DAbCdEfGhIj", T("2025-10-20 22:40"),
                                        "Grimblewood café ☕ #school", 42, 2, "carousel"]]
    inter = result.frames["interactions"]
    assert inter[["actor", "on_account", "post_id", "text", "at"]].values.tolist() == [
        ["ottoline.wembley", "fake.mr.thistle", "DAbCdEfGhIj", "this is so mean 😡", T("2025-10-20 23:40")],
        ["barnaby_t", "fake.mr.thistle", "DAbCdEfGhIj", "agreed ñ", T("2025-10-21 00:40")],  # an answer
    ]
    assert [(p.row, p.column, p.value) for p in result.problems] == [(2, "created_at", "yesterday")]
    alone = load(EXPORTS / "instaloader" / "fake.mr.thistle" / "2025-10-20_22-40-00_UTC_comments.json",
                 options=opts("fake.mr.thistle"))
    assert set(alone.frames["interactions"]["on_account"]) == {"fake.mr.thistle"}
    with pytest.raises(FormatError, match="cut short"):
        load(EXPORTS / "instaloader" / "truncated" / "2025-10-20_22-40-00_UTC.json.xz", options=opts())


# ----------------------------------------------------------------------------- through the CLI
AUTO = [  # (fixture, zip it?, extra CLI options, format, rows expected per table, rows rejected)
    ("instagram/export_2023", True, ["--skip-bad-rows"], "instagram",
     {"relationships": 6, "posts": 2, "interactions": 2}, 1),
    ("instagram/export_html", True, ["--account", "quill.feather"], "instagram", {"relationships": 3}, 0),
    ("tiktok/user_data.json", False, [], "tiktok", {"relationships": 3, "posts": 1, "interactions": 1}, 0),
    ("x", True, ["--skip-bad-rows"], "x", {"relationships": 3, "posts": 2, "interactions": 3}, 1),
    ("facebook", True, ["--skip-bad-rows"], "facebook", {"relationships": 6}, 1),
    ("snapchat", True, [], "snapchat", {"relationships": 4}, 0),
    ("zeeschuimer/capture.ndjson", False, ["--skip-bad-rows"], "zeeschuimer", {"posts": 3, "interactions": 5}, 1),
    ("instaloader/fake.mr.thistle", True, ["--skip-bad-rows"], "instaloader", {"posts": 1, "interactions": 2}, 1),
]


@pytest.mark.parametrize(("fixture", "as_zip", "extra", "name", "expected", "rejected"), AUTO,
                         ids=[a[0] for a in AUTO])
def test_format_auto_imports_each_export(fixture, as_zip, extra, name, expected, rejected, tmp_path, capsys):
    source = EXPORTS / fixture
    path = zipped(source, tmp_path / f"{source.name}.zip") if as_zip else source
    assert detect(path) == name
    case = Case.create(tmp_path / "case", title="Fake account: Grimblewood Academy")
    assert cli.main(["import", str(case.path), str(path), "--format", "auto",
                     "--observed-at", "2025-11-01T12:00Z", *extra]) == 0, capsys.readouterr().err
    case = Case.open(case.path)
    evidence_id = case.table("evidence")["evidence_id"].tolist()
    assert len(evidence_id) == 1 and case.table("imports")["format"].tolist() == [name]
    for table, rows in expected.items():
        frame = case.table(table)
        assert len(frame) == rows, table
        assert frame["evidence_id"].tolist() == evidence_id * rows  # each row points at the source file
    assert set(case.table("accounts")["evidence_id"]) == set(evidence_id)
    assert case.count("rejects") == rejected


@pytest.mark.parametrize(("fixture", "as_zip", "format", "message"), [
    ("tiktok/user_data_tiktok.json", False, "instagram", "looks like a TikTok export, not an Instagram export"),
    ("zeeschuimer/capture.ndjson", False, "tiktok", "looks like a Zeeschuimer capture, not a TikTok export"),
    ("instagram/export_2023", True, "x", "looks like an Instagram export, not an X"),
    ("x", True, "facebook", r"looks like an X \(Twitter\) archive, not a Facebook export"),
    ("instaloader/fake.mr.thistle", True, "zeeschuimer", "looks like an Instaloader download, not a Zeeschuimer"),
    ("facebook", True, "snapchat", "looks like a Facebook export, not a Snapchat export"),
    ("snapchat", True, "instaloader", "looks like a Snapchat export, not an Instaloader download"),
    ("../manual/followers_utf8.csv", False, "tiktok", "not a TikTok export; the kit expected user_data.json"),
    ("tiktok/truncated/user_data_tiktok.json", False, "auto", r"cut short \(truncated\) at line 35, column 4"),
    ("instagram/truncated/followers_1.json", False, "instagram", r"followers_1.json: the file is cut short"),
    ("zeeschuimer/empty.ndjson", False, "zeeschuimer", "not a Zeeschuimer capture.* found an empty file"),
])
def test_wrong_or_broken_file_fails_clearly_and_leaves_the_case_unchanged(fixture, as_zip, format, message,
                                                                         case, tmp_path, capsys):
    import_file(case, EXPORTS / "tiktok" / "user_data.json", format="tiktok")  # something already there
    source = (EXPORTS / fixture).resolve()
    path = zipped(source, tmp_path / f"{source.name}.zip") if as_zip else source
    before = state(case)
    assert cli.main(["import", str(case.path), str(path), "--format", format, "--account", "quill.feather"]) == 1
    err = capsys.readouterr().err
    assert re.search(message, err), err
    assert state(Case.open(case.path)) == before


def test_folder_copy_and_zip_give_the_same_rows(tmp_path):
    folder = shutil.copytree(IG_2023, tmp_path / "unzipped")
    from_folder = load(folder, options=opts())
    from_zip = load(zipped(IG_2023, tmp_path / "export.zip"), options=opts())
    for name in ("relationships", "posts", "interactions", "accounts"):
        pd.testing.assert_frame_equal(from_folder.frames[name], from_zip.frames[name])


def test_sniffers_look_at_content_not_only_names(tmp_path):
    project = tmp_path / "web_project"
    (project / "src").mkdir(parents=True)
    (project / "src" / "account.js").write_text("export function account() { return [1]; }\n", encoding="utf-8")
    with pytest.raises(FormatError, match="does not recognise"):
        detect(project)
    bom = tmp_path / "follower.js"  # an archive file saved again by an editor that adds a BOM
    original = EXPORTS / "x" / "twitter-2025-11-01-quill" / "data" / "follower.js"
    bom.write_bytes(b"\xef\xbb\xbf" + original.read_bytes())
    assert detect(bom) == "x"
    assert load(bom, options=opts("quill_feather")).frames["relationships"]["position"].tolist() == [1, 2]
