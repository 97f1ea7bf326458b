"""Zeeschuimer browser captures (NDJSON: one captured item per line) of TikTok and Instagram.

Each line: ``item_id``, ``timestamp_collected`` (ms), ``source_platform`` (``tiktok.com``,
``instagram.com``...), ``source_platform_url``, ``source_url``, ``data``. TikTok posts (``data.id``,
``author.uniqueId``...) and comments (``data.cid``, ``aweme_id``, ``user.unique_id``; replies too, when
``reply_id`` is not ``"0"``); Instagram posts (API shape ``code``/``taken_at`` or graph shape
``shortcode``/``taken_at_timestamp``) and comments (``pk``, ``text``, ``created_at``, ``user.username``).
A comment's ``on_account`` is the author of its post when the post is in the same file, else the
``@name`` in the page address it was captured on. A line that cannot be read is a problem, never dropped.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import FormatError
from . import LoadOptions, LoadResult
from ._exports import Rows, count, decode, dig, epoch, get, head_text, not_a_handle, text_or_none, wrong_file
from ._files import check_size

NAME = "zeeschuimer"
log = logging.getLogger("investigate")
_FIELDS = {"item_id", "source_platform", "data"}
_PAGE_ACCOUNT = re.compile(r"tiktok\.com/@([^/?#\s]+)/(?:video|photo)/(\d+)", re.IGNORECASE)


def sniff(path: Path) -> bool:
    """A file whose first line is a JSON object with ``item_id``, ``source_platform`` and ``data``."""
    head = head_text(path, 1024 * 1024).lstrip()
    if not head.startswith("{"):
        return False
    first = head.split("\n", 1)[0]
    try:
        item = json.loads(first)
    except (json.JSONDecodeError, RecursionError):  # a first line longer than the head, or cut short: its fields
        return all(f'"{f}"' in first[:4096] or f'"{f}"' in first for f in ("item_id", "source_platform"))
    return isinstance(item, dict) and _FIELDS <= set(item)


def load(path: Path, options: LoadOptions) -> LoadResult:
    """Posts, comments and mentions from a Zeeschuimer capture."""
    if not path.is_file() or not sniff(path):
        raise wrong_file(path, NAME)
    check_size(path)
    items: list[tuple[int, dict[str, Any]]] = []
    rows = Rows("tiktok", options.observed_at or pd.Timestamp.now(tz="UTC"))
    text = decode(path.read_bytes(), path.name, rows.notes)
    label = path.name
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except RecursionError:
            rows.problem(label, number, None, "this line is nested too deeply to be a captured item", line[:80])
            continue
        except json.JSONDecodeError as exc:
            last = number == len(lines) and not text.endswith(("\n", "\r"))
            cut = last or exc.pos >= len(line.rstrip()) - 1
            rows.problem(label, number, None, "this line is cut short (the capture file is truncated)" if cut
                         else f"this line is not JSON ({exc.msg} at column {exc.colno})", line[:80])
            continue
        if not isinstance(item, dict) or not isinstance(item.get("data"), dict):
            rows.problem(label, number, "data", "not a captured item (no data object)", line[:80])
            continue
        items.append((number, item))
    seen: set[tuple[str, str]] = set()
    authors: dict[str, tuple[str, str]] = {}  # "platform:post or media id" -> (author handle, post id)
    unique: list[tuple[int, str, str, dict[str, Any], dict[str, Any]]] = []
    for number, item in items:
        source = str(item.get("source_platform") or "").casefold()
        platform = "tiktok" if source.startswith("tiktok") else "instagram" if source.startswith("instagram") else ""
        data = item["data"]
        kind = _kind(platform, data)
        if not platform or not kind:
            what = f"a {source or 'unknown'} item" if not platform else "an item that is neither a post nor a comment"
            rows.problem(label, number, "source_platform" if not platform else "data",
                         f"{what}: the kit reads TikTok and Instagram posts and comments", item.get("item_id"))
            continue
        key = (platform, str(item.get("item_id") or number))
        if key in seen:
            continue
        seen.add(key)
        if kind == "post":
            post_id, author = _post_id_author(platform, data)
            if post_id and author:
                authors[f"{platform}:{post_id}"] = (author, post_id)
                for alias in (text_or_none(get(data, "pk")), text_or_none(get(data, "id"))):
                    if alias:
                        authors.setdefault(f"{platform}:{alias}", (author, post_id))
        unique.append((number, platform, kind, item, data))
    if len(seen) < len(items):
        log.info("%s: %d item(s) captured twice were read once", label, len(items) - len(seen))
    for number, platform, kind, item, data in unique:
        rows.platform = platform
        if kind == "post":
            (_tiktok_post if platform == "tiktok" else instagram_post)(label, number, data, rows)
        else:
            (_tiktok_comment if platform == "tiktok" else _instagram_comment)(label, number, item, data, authors, rows)
    if not unique and not rows.problems and not text.strip():
        raise FormatError(f"{label}: the capture is empty.")
    return rows.result(NAME)


def _kind(platform: str, data: dict[str, Any]) -> str | None:
    if platform == "tiktok":
        if "cid" in data:
            return "comment"
        if "id" in data and ("author" in data or "createTime" in data):
            return "post"
    if platform == "instagram":
        if any(k in data for k in ("code", "shortcode")):
            return "post"
        if "pk" in data and "text" in data and "user" in data:
            return "comment"
    return None


def _post_id_author(platform: str, data: dict[str, Any]) -> tuple[str | None, str | None]:
    """The post's id and its author's handle (None when it is missing or not a handle, e.g. markup)."""
    if platform == "tiktok":
        author = get(data, "author")
        name = text_or_none(get(author, "uniqueId")) if isinstance(author, dict) else text_or_none(author)
        post_id = text_or_none(get(data, "id"))
    else:
        post_id, name = text_or_none(get(data, "code", "shortcode")), text_or_none(
            get(get(data, "user") or get(data, "owner"), "username"))
    return post_id, None if name is None or not_a_handle(name) else name


def _tiktok_post(label: str, number: int, data: dict[str, Any], rows: Rows) -> None:
    post_id, author = _post_id_author("tiktok", data)
    when, why = epoch(get(data, "createTime"))
    if not post_id or not author or why:
        rows.problem(label, number, "createTime" if why else "author.uniqueId" if not author else "id",
                     why or "a TikTok post without its id or author", get(data, "createTime") if why else None)
        return
    stats = get(data, "stats") or get(data, "statsV2") or {}
    numbers = {}
    for column, field in (("likes", "diggCount"), ("comments", "commentCount"), ("shares", "shareCount"),
                          ("views", "playCount")):
        numbers[column], bad = count(get(stats, field))
        if bad:
            rows.problem(label, number, f"stats.{field}", bad, get(stats, field))
            return
    author_data = get(data, "author")
    rows.post(account=author, post_id=post_id, url=f"https://www.tiktok.com/@{author}/video/{post_id}",
              posted_at=when, text=text_or_none(get(data, "desc")),
              media_type="slideshow" if get(data, "imagePost") else "video", **numbers)
    rows.account(author, display_name=text_or_none(get(author_data, "nickname")),
                 platform_id=text_or_none(get(author_data, "id")), profile_url=f"https://www.tiktok.com/@{author}")
    for extra in get(data, "textExtra") or []:
        mentioned = text_or_none(get(extra, "userUniqueId"))
        if mentioned:
            rows.interaction(actor=author, kind="mention", on_account=mentioned, post_id=post_id, at=when,
                             text=text_or_none(get(data, "desc")))
            rows.account(mentioned, profile_url=f"https://www.tiktok.com/@{mentioned}")


def _tiktok_comment(label: str, number: int, item: dict[str, Any], data: dict[str, Any],
                    authors: dict[str, tuple[str, str]], rows: Rows) -> None:
    user = get(data, "user") or {}
    actor = text_or_none(get(user, "unique_id", "uniqueId"))
    when, why = epoch(get(data, "create_time"))
    if not actor or why:
        rows.problem(label, number, "create_time" if why else "user.unique_id", why or "a comment without its author",
                     get(data, "create_time") if why else None)
        return
    video = text_or_none(get(data, "aweme_id"))
    on = authors.get(f"tiktok:{video}", (None, None))[0]
    if on is None:
        page = _PAGE_ACCOUNT.search(str(item.get("source_platform_url") or ""))
        on = page.group(1) if page and (video is None or page.group(2) == video) else None
    rows.interaction(actor=actor, kind="comment", on_account=on, post_id=video, text=text_or_none(get(data, "text")),
                     at=when)
    rows.account(actor, display_name=text_or_none(get(user, "nickname")),
                 platform_id=text_or_none(get(user, "uid")), profile_url=f"https://www.tiktok.com/@{actor}")
    if on:
        rows.account(on, profile_url=f"https://www.tiktok.com/@{on}")


def instagram_post(label: str, number: int, data: dict[str, Any], rows: Rows) -> None:
    code, author = _post_id_author("instagram", data)
    raw_time = get(data, "taken_at") or get(data, "taken_at_timestamp")
    when, why = epoch(raw_time)
    if not code or not author or why:
        rows.problem(label, number, "taken_at" if why else "owner.username" if not author else "code",
                     why or "an Instagram post without its code or author", raw_time if why else None)
        return
    caption = dig(data, "caption", "text") if isinstance(get(data, "caption"), dict) else get(data, "caption")
    if caption is None:
        edges = dig(data, "edge_media_to_caption", "edges") or []
        caption = dig(edges[0], "node", "text") if edges else None
    likes, bad_likes = count(get(data, "like_count") if get(data, "like_count") is not None
                             else dig(data, ("edge_liked_by", "edge_media_preview_like"), "count"))
    comments, bad_comments = count(get(data, "comment_count") if get(data, "comment_count") is not None
                                   else dig(data, "edge_media_to_comment", "count"))
    views, bad_views = count(get(data, "play_count", "view_count", "video_view_count"))
    if bad_likes or bad_comments or bad_views:
        rows.problem(label, number, "like_count" if bad_likes else "comment_count" if bad_comments else "view_count",
                     "not a number")
        return
    media = get(data, "media_type")
    kind = {1: "photo", 2: "video", 8: "carousel"}.get(media) if isinstance(media, int) else None
    kind = kind or {"GraphImage": "photo", "GraphVideo": "video", "GraphSidecar": "carousel"}.get(
        str(get(data, "__typename")), text_or_none(media))
    owner = get(data, "user") or get(data, "owner")
    rows.post(account=author, post_id=code, url=f"https://www.instagram.com/p/{code}/", posted_at=when,
              text=text_or_none(caption), media_type=kind, likes=likes, comments=comments, views=views)
    rows.account(author, display_name=text_or_none(get(owner, "full_name")),
                 platform_id=text_or_none(get(owner, "pk", "id")), profile_url=f"https://www.instagram.com/{author}")


def _instagram_comment(label: str, number: int, item: dict[str, Any], data: dict[str, Any],
                       authors: dict[str, tuple[str, str]], rows: Rows) -> None:
    actor = text_or_none(dig(data, "user", "username"))
    when, why = epoch(get(data, "created_at", "created_at_utc"))
    if not actor or why:
        rows.problem(label, number, "created_at" if why else "user.username", why or "a comment without its author")
        return
    media = text_or_none(get(data, "media_id", "media_pk"))
    on, code = authors.get(f"instagram:{media}", (None, None)) if media else (None, None)
    rows.interaction(actor=actor, kind="comment", on_account=on, post_id=code or media,
                     text=text_or_none(get(data, "text")), at=when)
    rows.account(actor, display_name=text_or_none(dig(data, "user", "full_name")))
