"""TikTok "Download your data" JSON (``user_data.json``, newer ``user_data_tiktok.json``), or a zip/folder holding it.

Older layout: ``Activity -> "Follower List" -> FansList``, ``Activity -> "Following List" -> Following``,
``Video -> Videos -> VideoList``, ``Comment -> Comments -> CommentsList``. Newer: ``"Your Activity" ->
Follower / Following``, ``Post -> Posts -> VideoList``. Since mid-2025 followers, following and the
profile sit under ``"Profile And Settings"`` (``Follower -> FansList``, ``Following -> Following``,
``"Profile Info" -> ProfileMap -> userName``). Dates ``YYYY-MM-DD HH:MM:SS`` are UTC; ``Likes``
may be text; a slideshow's ``Link`` holds several URLs; a video id encodes its creation time (id >> 32).
The TXT download holds the same lists as ``Follower.txt`` / ``Following.txt`` (older ``Follower List.txt``...)
in blocks of ``Date: ...`` and ``Username: ...`` lines (dates in UTC); its owner is in ``Profile Info.txt``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import FormatError, MissingFieldError
from . import LoadOptions, LoadResult
from ._exports import (
    Bundle,
    Rows,
    count,
    dig,
    head_text,
    listing,
    not_a_handle,
    owner_handle,
    text_or_none,
    why_not_a_handle,
    wrong_file,
)
from ._stream import stream_bytes
from ._times import parse_times

NAME = "tiktok"
PLATFORM = "tiktok"
FILES = r"user_data(?:_tiktok)?\.json"
_ACTIVITY = ("activity", "your activity", "profile and settings")
_PROFILE = ("profile", "profile and settings")
_HINTS = re.compile(r'"(?:(?:Your )?Activity|Profile And Settings)"\s*:', re.IGNORECASE)
_DETAIL = re.compile(r'"(?:ProfileMap|Profile Info|FansList|VideoList|CommentsList|Follower List|Following List)"',
                     re.IGNORECASE)
_ID = re.compile(r"/(?:video|photo|v)/(\d{6,})|(\d{15,})")


#: the TXT download: "Profile And Settings/Follower.txt", "Activity/Follower List.txt"... in blocks of
#: ``Date: 2024-03-01 10:15:02`` / ``Username: name`` lines, dates in UTC
TXT_FOLLOWERS = r"(?:follower|fans)(?: list)?\.txt"
TXT_FOLLOWING = r"following(?: list)?\.txt"
TXT_PROFILE = r"profile info(?:rmation)?\.txt"
_TXT_BLOCK = re.compile(r"^\s*Date:\s*\S.*\n\s*Username:", re.IGNORECASE | re.MULTILINE)


def _txt_lists(bundle: Bundle) -> list[str]:
    """The followers/following TXT files of a TikTok TXT download (named so, and in its blocks)."""
    found = bundle.find(f"{TXT_FOLLOWERS}|{TXT_FOLLOWING}")
    return [n for n in found if _TXT_BLOCK.search(bundle.head(n, 4096).decode("utf-8", "replace"))
            or not bundle.head(n, 4096).strip()]


def sniff(path: Path) -> bool:
    """``user_data*.json`` with TikTok's sections (by its keys), or a zip/folder holding one; or the TXT
    download (its ``Follower.txt``/``Following.txt`` in ``Date:``/``Username:`` blocks), or one such file."""
    bundle = listing(path)
    if bundle is None:
        return False
    if bundle.kind in ("zip", "folder"):
        return bool(bundle.find(FILES)) or bool(_txt_lists(bundle))
    head = head_text(path)
    if path.suffix.lower() == ".txt":
        return bool(_TXT_BLOCK.match(head.lstrip()))
    return bool(head.lstrip().startswith("{") and _HINTS.search(head) and _DETAIL.search(head))


def video_time(video_id: str | int) -> pd.Timestamp | None:
    """A TikTok video's creation time from its id (the id's top 32 bits are epoch seconds).

    >>> video_time("7377818545266803144")
    Timestamp('2024-06-07 17:44:00+0000', tz='UTC')
    """
    try:
        seconds = int(video_id) >> 32
    except (TypeError, ValueError):
        return None
    if not 1_400_000_000 < seconds < 4_000_000_000:  # TikTok ids began in 2014
        return None
    return pd.Timestamp(seconds, unit="s", tz="UTC")


def load(path: Path, options: LoadOptions) -> LoadResult:
    """Followers, following, videos and comments of a TikTok data download."""
    if not sniff(path):
        raise wrong_file(path, NAME)
    bundle = Bundle.open(path)
    names = bundle.names if bundle.kind == "file" else bundle.find(FILES)
    if (not names or bundle.kind == "file" and path.suffix.lower() == ".txt") and (
            bundle.kind == "file" or _txt_lists(bundle)):
        return _load_txt(path, bundle, options)
    if len(names) > 1:
        raise FormatError(f"{path.name}: holds {len(names)} TikTok data files ({', '.join(names)}); import each "
                          "one on its own.")
    name = names[0]
    label = bundle.label(name)
    data = _read_parts(bundle, name, label) if bundle.size(name) > stream_bytes() else bundle.read_json(name)
    if not isinstance(data, dict):
        raise FormatError(f"{label}: expected a JSON object with Profile and Activity sections; found a "
                          f"{type(data).__name__}.")
    profile = _first(data, _PROFILE, ("profile info", "profile information"), "profilemap") or {}
    owner = owner_handle(path, NAME, from_export=text_or_none(dig(profile, "username")), options=options)
    rows = Rows(PLATFORM, options.observed_at or pd.Timestamp.now(tz="UTC"))
    rows.account(owner, display_name=text_or_none(get_name(profile)),
                 profile_url=f"https://www.tiktok.com/@{owner}")
    parts = (
        ("FansList", lambda: _people(label, _first(data, _ACTIVITY, ("follower list", "follower"), "fanslist"),
                                     "followers", owner, rows)),
        ("Following", lambda: _people(label, _first(data, _ACTIVITY, ("following list", "following"), "following"),
                                      "following", owner, rows)),
        ("VideoList", lambda: _videos(label, dig(data, ("video", "post"), ("videos", "posts"), "videolist"),
                                      owner, rows)),
        ("CommentsList", lambda: _comments(label, dig(data, ("comment", "comments"), ("comments", "comment"),
                                                      "commentslist"), owner, rows)),
    )
    for field, read in parts:
        try:
            read()
        except MissingFieldError as err:  # this section is not as expected: say so, read the others
            rows.unreadable_part(label, err, field)
    return rows.result(NAME, bundle=bundle)


#: the parts of user_data.json the kit reads (each three keys down, compared without case); a large file
#: is mostly other sections (watch history, logins...), which are streamed past and never kept
_PARTS: tuple[tuple[frozenset[str], ...], ...] = tuple(tuple(frozenset(step) for step in part) for part in (
    (_ACTIVITY, ("follower list", "follower"), ("fanslist",)),
    (_ACTIVITY, ("following list", "following"), ("following",)),
    (_PROFILE, ("profile info", "profile information"), ("profilemap",)),
    (("video", "post"), ("videos", "posts"), ("videolist",)),
    (("comment", "comments"), ("comments", "comment"), ("commentslist",)),
))


def _wanted(keys: list[str]) -> bool:
    folded = [k.casefold() for k in keys]
    return any(all(k in step for k, step in zip(folded, part, strict=True)) for part in _PARTS)


def _read_parts(bundle: Bundle, name: str, label: str) -> dict[str, Any]:
    """The parts of a large user_data.json the kit reads, streamed with ijson (never parsed whole):
    the same tree as a whole read, with only those parts in it."""
    import ijson

    tree: dict[str, Any] = {}
    builder: Any = None
    depth = 0
    where: list[str] = []
    with bundle.open_binary(name) as handle:
        if bundle.head(name, 3) == b"\xef\xbb\xbf":
            handle.read(3)
        try:
            for prefix, event, value in ijson.parse(handle, use_float=True):
                if builder is not None:
                    builder.event(event, value)
                    depth += {"start_map": 1, "start_array": 1, "end_map": -1, "end_array": -1}.get(event, 0)
                    if depth == 0:
                        node = tree.setdefault(where[0], {}).setdefault(where[1], {})
                        if isinstance(node, dict):
                            node[where[2]] = builder.value
                        builder = None
                    continue
                if event != "map_key" and prefix.count(".") == 2:
                    keys = prefix.split(".")
                    if not _wanted(keys):
                        continue
                    if event in ("start_map", "start_array"):
                        builder, depth, where = ijson.ObjectBuilder(), 1, keys
                        builder.event(event, value)
                    else:  # a value where a list should be: kept, so that it is refused as a whole read does
                        node = tree.setdefault(keys[0], {}).setdefault(keys[1], {})
                        if isinstance(node, dict):
                            node[keys[2]] = value
        except ijson.IncompleteJSONError as exc:
            raise FormatError(f"{label}: the file is cut short (truncated) or damaged ({exc}); export or "
                              "download it again.") from None
        except ijson.JSONError as exc:
            raise FormatError(f"{label}: the JSON cannot be read ({exc}). The file is damaged or is not "
                              "JSON.") from None
        except UnicodeDecodeError as exc:
            raise FormatError(f"{label}: the text is not UTF-8 (byte {exc.start}); the file is damaged.") from None
    if not tree:
        raise FormatError(f"{label}: none of the sections the kit reads (Profile, Follower, Following, Video, "
                          "Comment) are in this file.")
    return tree


def _first(data: Any, tops: tuple[str, ...], *path: str | tuple[str, ...]) -> Any:
    """:func:`dig` under the first of ``tops`` that holds ``path`` (layouts moved between sections)."""
    return next((found for top in tops if (found := dig(data, top, *path)) is not None), None)


def get_name(profile: Any) -> Any:
    return dig(profile, ("nickname", "displayname", "display name"))


def _list(label: str, value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise MissingFieldError(f"{label}: {where} should be a list; found {type(value).__name__}.")
    return value


def _people(label: str, entries: Any, kind: str, owner: str, rows: Rows) -> None:
    where = "FansList" if kind == "followers" else "Following"
    entries = _list(label, entries, where)
    dates = pd.Series([text_or_none(dig(e, ("Date", "date"))) for e in entries], dtype="string")
    times, reasons = parse_times(dates, "UTC")
    times, reasons = times.tolist(), reasons.tolist()
    position = 0
    for number, entry in enumerate(entries, start=1):
        handle = text_or_none(dig(entry, ("UserName", "username", "user name", "uniqueid")))
        if not handle or not_a_handle(handle):
            rows.problem(label, number, f"{where} UserName", "no username in this entry" if not handle
                         else why_not_a_handle(handle), handle if handle else entry)
            continue
        if pd.notna(reasons[number - 1]):
            rows.problem(label, number, f"{where} Date", str(reasons[number - 1]), dates[number - 1])
            continue
        position += 1
        rows.listed(kind, owner, handle, position=position, followed_at=times[number - 1])
        rows.account(handle, profile_url=f"https://www.tiktok.com/@{handle.lstrip('@')}")


def _videos(label: str, entries: Any, owner: str, rows: Rows) -> None:
    entries = _list(label, entries, "VideoList")
    dates = pd.Series([text_or_none(dig(e, ("Date", "date"))) for e in entries], dtype="string")
    times, reasons = parse_times(dates, "UTC")
    times, reasons = times.tolist(), reasons.tolist()
    for number, entry in enumerate(entries, start=1):
        links = [u for u in re.split(r"\s+", str(dig(entry, "link") or "")) if u]
        match = _ID.search(links[0]) if links else None
        post_id = (match.group(1) or match.group(2)) if match else None
        when = times[number - 1]
        if pd.notna(reasons[number - 1]):
            rows.problem(label, number, "VideoList Date", str(reasons[number - 1]), dates[number - 1])
            continue
        if pd.isna(when) and post_id:
            when = video_time(post_id)
        likes, why = count(dig(entry, "likes"))
        if why:
            rows.problem(label, number, "VideoList Likes", why, dig(entry, "likes"))
            continue
        if not links and pd.isna(when):
            rows.problem(label, number, "VideoList", "no link and no date in this video entry", entry)
            continue
        rows.post(account=owner, post_id=post_id, url=links[0] if links else None,
                  posted_at=None if when is None or pd.isna(when) else when,
                  text=text_or_none(dig(entry, ("title", "description", "desc"))),
                  media_type="slideshow" if len(links) > 1 else "video", likes=likes)


def _comments(label: str, entries: Any, owner: str, rows: Rows) -> None:
    entries = _list(label, entries, "CommentsList")
    dates = pd.Series([text_or_none(dig(e, ("Date", "date"))) for e in entries], dtype="string")
    times, reasons = parse_times(dates, "UTC")
    times, reasons = times.tolist(), reasons.tolist()
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            rows.problem(label, number, "CommentsList", "not a comment entry", entry)
            continue
        if pd.notna(reasons[number - 1]):
            rows.problem(label, number, "CommentsList date", str(reasons[number - 1]), dates[number - 1])
            continue
        when = times[number - 1]
        rows.interaction(actor=owner, kind="comment", on_account=None,
                         text=text_or_none(dig(entry, "comment")), at=None if pd.isna(when) else when)


# ----------------------------------------------------------------------------- TXT download
def _load_txt(path: Path, bundle: Bundle, options: LoadOptions) -> LoadResult:
    """Followers and following of TikTok's TXT download (or one of its list files)."""
    if bundle.kind == "file":
        kind = ("followers" if re.fullmatch(TXT_FOLLOWERS, path.name, re.IGNORECASE) else
                "following" if re.fullmatch(TXT_FOLLOWING, path.name, re.IGNORECASE) else options.list_kind)
        if kind not in ("followers", "following"):
            raise FormatError(f"{path.name}: a TikTok list in Date:/Username: blocks, but its name does not say "
                              "whether it holds followers or following; say it with --list followers or "
                              "--list following.")
        lists = [(bundle.names[0], kind)]
        owner_from = None
    else:
        lists = [(n, "followers" if re.fullmatch(TXT_FOLLOWERS, n.rsplit("/", 1)[-1], re.IGNORECASE) else "following")
                 for n in _txt_lists(bundle)]
        profiles = bundle.find(TXT_PROFILE)
        owner_from = _txt_value(bundle.read_text(profiles[0]), "username") if profiles else None
    owner = owner_handle(path, NAME, from_export=owner_from, options=options)
    rows = Rows(PLATFORM, options.observed_at or pd.Timestamp.now(tz="UTC"))
    rows.account(owner, profile_url=f"https://www.tiktok.com/@{owner}")
    for name, kind in sorted(lists, key=lambda item: item[1]):
        _txt_people(bundle.label(name), bundle.read_text(name), kind, owner, rows)
    return rows.result(NAME, bundle=bundle)


def _txt_value(text: str, label: str) -> str | None:
    """The value of the first ``Label: value`` line (any case)."""
    match = re.search(rf"^\s*{re.escape(label)}\s*:\s*(\S.*?)\s*$", text, re.IGNORECASE | re.MULTILINE)
    return match.group(1) if match else None


def _txt_people(label: str, text: str, kind: str, owner: str, rows: Rows) -> None:
    """One list's blocks (``Date:`` then ``Username:``, a blank line between): each block one entry."""
    blocks: list[tuple[int, dict[str, str]]] = []
    current: dict[str, str] = {}
    start = 0
    for number, line in enumerate(text.splitlines() + [""], start=1):
        if not line.strip():
            if current:
                blocks.append((start, current))
            current = {}
            continue
        if not current:
            start = number
        key, colon, value = line.partition(":")
        if not colon:
            rows.problem(label, number, None, "not a 'Date: ...' or 'Username: ...' line", line.strip())
            continue
        current[key.strip().casefold()] = value.strip()
    times, reasons = parse_times(pd.Series([b.get("date") for _, b in blocks], dtype="string"), "UTC")
    position = 0
    for index, (first_line, block) in enumerate(blocks):
        handle = block.get("username")
        if not handle or not_a_handle(handle):
            rows.problem(label, first_line, "Username",
                         "no username in this entry" if not handle else why_not_a_handle(handle), handle)
            continue
        if pd.notna(reasons.iloc[index]):
            rows.problem(label, first_line, "Date", str(reasons.iloc[index]), block.get("date"))
            continue
        position += 1
        rows.listed(kind, owner, handle, position=position, followed_at=times.iloc[index])
        rows.account(handle, profile_url=f"https://www.tiktok.com/@{handle.lstrip('@')}")
