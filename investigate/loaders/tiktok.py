"""TikTok "Download your data" JSON (``user_data.json``, newer ``user_data_tiktok.json``), or a zip/folder holding it.

Older layout: ``Activity -> "Follower List" -> FansList``, ``Activity -> "Following List" -> Following``,
``Video -> Videos -> VideoList``, ``Comment -> Comments -> CommentsList``. Newer: ``"Your Activity" ->
Follower / Following``, ``Post -> Posts -> VideoList``. Since mid-2025 followers, following and the
profile sit under ``"Profile And Settings"`` (``Follower -> FansList``, ``Following -> Following``,
``"Profile Info" -> ProfileMap -> userName``). Dates ``YYYY-MM-DD HH:MM:SS`` are UTC; ``Likes``
may be text; a slideshow's ``Link`` holds several URLs; a video id encodes its creation time (id >> 32).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import FormatError, MissingFieldError
from . import LoadOptions, LoadResult
from ._exports import Bundle, Rows, count, dig, head_text, listing, not_a_handle, owner_handle, text_or_none, wrong_file
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


def sniff(path: Path) -> bool:
    """``user_data*.json`` with TikTok's sections (by its keys), or a zip/folder holding one."""
    bundle = listing(path)
    if bundle is None:
        return False
    if bundle.kind in ("zip", "folder"):
        return bool(bundle.find(FILES))
    head = head_text(path)
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
    if len(names) > 1:
        raise FormatError(f"{path.name}: holds {len(names)} TikTok data files ({', '.join(names)}); import each "
                          "one on its own.")
    name = names[0]
    label = bundle.label(name)
    data = bundle.read_json(name)
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
                         else "not a username", handle if handle else entry)
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
