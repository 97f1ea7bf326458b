"""What a captured page showed, read from the WARC records of a web-archive capture.

The browser recorded every response it loaded; the kit reads only those that hold what the analyst
saw (an allow-list: anything else, such as background feed or explore requests, is counted and
left): Instagram's follower/following dialog (``/api/v1/friendships/<id>/followers/?max_id=..``,
paged), profile and post JSON (``web_profile_info``, ``media/<id>/info``, ``media/<id>/comments``,
GraphQL, and the JSON embedded in a profile or post page's HTML), TikTok's comment, user-list and
post-list API JSON (and the JSON embedded in its pages). Items are parsed by the Zeeschuimer
loader's functions (one parser for Instagram/TikTok items). ``for (;;);`` prefixes are stripped.

Every record used becomes a provenance row (``capture_records``: its WARC-Record-ID, WARC-Target-URI,
WARC-Date, payload digest, and the positions of the rows read from it in the import's tables); each
list (all its pages) and each other record read becomes a chronology entry; screenshots
(``urn:view:``/``urn:thumbnail:`` resource records) are listed, not read: the report reads them back
from the stored capture.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from ..words import handle_key
from ._capture_proof import Page
from ._exports import Rows, dig, get, not_a_handle, text_or_none
from ._files import human_size, max_json_bytes
from .zeeschuimer import _instagram_comment, _kind, _tiktok_comment, _tiktok_post, instagram_post

_IG = r"^https?://(?:[a-z0-9-]+\.)*instagram\.com"
_TT = r"^https?://(?:[a-z0-9-]+\.)*tiktok\.com"
_IG_FRIENDS = re.compile(_IG + r"/api/v1/friendships/(\d+)/(followers|following)/", re.IGNORECASE)
_IG_JSON = re.compile(_IG + r"/(?:api/v1/users/web_profile_info/|api/v1/media/\d+(?:_\d+)?/(?:info|comments)/"
                      r"|api/v1/users/\d+/info/|graphql/query|api/graphql)", re.IGNORECASE)
_IG_PAGE = re.compile(_IG + r"/(?!api/|graphql|explore|reels?/|direct/|accounts/|stories/|ajax/)"
                      r"(?:p/[^/?#]+|[A-Za-z0-9._]+)/?(?:[?#]|$)", re.IGNORECASE)
_TT_COMMENTS = re.compile(_TT + r"/api/comment/list/(?:reply/)?", re.IGNORECASE)
_TT_USERS = re.compile(_TT + r"/api/user/list/", re.IGNORECASE)
_TT_POSTS = re.compile(_TT + r"/api/(?:post/item_list|item/detail)/", re.IGNORECASE)
_TT_PAGE = re.compile(_TT + r"/@[^/?#]+(?:/(?:video|photo)/\d+)?/?(?:[?#]|$)", re.IGNORECASE)
_IG_PROFILE_URL = re.compile(_IG + r"/(?!api/|p/|explore|reels?/|direct/|accounts/|stories/)([A-Za-z0-9._]+)/?",
                             re.IGNORECASE)
_TT_PROFILE_URL = re.compile(_TT + r"/@([^/?#]+)", re.IGNORECASE)
_JSON_SCRIPT = re.compile(r"<script\b[^>]*\btype=[\"']application/(?:ld\+)?json[\"'][^>]*>(.*?)</script>",
                          re.IGNORECASE | re.DOTALL)
_SHARED_DATA = re.compile(r"window\._sharedData\s*=\s*", re.IGNORECASE)
_PREFIXES = ("for (;;);", "for(;;);", ")]}'")
#: TikTok's user-list "scene": which list of the account it is
_TT_SCENES = {"67": "followers", "21": "following"}
#: how deep captured JSON is walked for items (embedded page state nests deeply, not this deep)
_MAX_DEPTH = 64


@dataclass
class Captured:
    """One WARC record the kit reads: where and when it was captured, and the JSON it held."""

    record_id: str
    uri: str
    at: pd.Timestamp | None
    payload_digest: str | None
    warc_file: str
    offset: int | None
    kind: str  # what it holds: ig-friends, ig-json, ig-page, tt-comments, tt-users, tt-posts, tt-page, screenshot
    content_type: str | None = None
    values: list[Any] = field(default_factory=list)
    checker: Any = None  # warcio's digest checker: passed is True, False (mismatch) or None (no digest)
    length: int | None = None


def classify(uri: str, rec_type: str) -> str | None:
    """What a record holds, by its address (None: not something the analyst saw, e.g. a feed request).

    >>> classify("https://www.instagram.com/api/v1/friendships/4455/followers/?count=12&max_id=24", "response")
    'ig-friends'
    >>> classify("https://www.instagram.com/api/v1/feed/timeline/", "response") is None
    True
    >>> classify("urn:view:https://www.instagram.com/fake.head/", "resource")
    'screenshot'
    """
    if rec_type == "resource":
        return "screenshot" if uri.startswith(("urn:view:", "urn:thumbnail:")) else None
    if rec_type != "response":
        return None
    for kind, pattern in (("ig-friends", _IG_FRIENDS), ("ig-json", _IG_JSON), ("tt-comments", _TT_COMMENTS),
                          ("tt-users", _TT_USERS), ("tt-posts", _TT_POSTS), ("ig-page", _IG_PAGE),
                          ("tt-page", _TT_PAGE)):
        if pattern.match(uri):
            return kind
    return None


def read_records(stream: IO[bytes], warc_file: str, label: str, rows: Rows) -> tuple[list[Captured], int]:
    """The records of one WARC that the kit reads, and how many other responses were left unread.

    Payloads are read up to the kit's JSON limit, each and all together (beyond it, a problem naming the
    record); an encoding the kit cannot undo is a problem too.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.bufferedreaders import BufferedReader
    from warcio.exceptions import ArchiveLoadFailed

    found: list[Captured] = []
    ignored = kept = 0
    limit = max_json_bytes()
    iterator = ArchiveIterator(stream, check_digests=True)
    try:
        for record in iterator:
            uri = str(record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")  # WARC 1.0: <uri>
            kind = classify(uri, record.rec_type)
            if kind is None:
                ignored += record.rec_type == "response"
                continue
            item = Captured(
                record_id=str(record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>"),
                uri=uri, at=_warc_date(record.rec_headers.get_header("WARC-Date")),
                payload_digest=record.rec_headers.get_header("WARC-Payload-Digest")
                or record.rec_headers.get_header("WARC-Block-Digest"),
                warc_file=warc_file, offset=None, kind=kind,
                content_type=(record.http_headers.get_header("Content-Type") if record.http_headers
                              else record.rec_headers.get_header("Content-Type")),
                checker=record.digest_checker)
            where = f"{label}: record {item.record_id or '(no id)'}"  # no "/": problems name files by it
            if kind == "screenshot":
                item.length = int(record.rec_headers.get_header("Content-Length") or 0)
                item.offset = iterator.get_record_offset()
                found.append(item)
                continue
            status = record.http_headers.get_statuscode() if record.http_headers else None
            if status and not str(status).startswith("2"):
                ignored += 1
                continue
            encoding = (record.http_headers.get_header("Content-Encoding") or "").strip().lower()
            if encoding and encoding not in ("identity", "x-gzip", *BufferedReader.get_supported_decompressors()):
                rows.problem(where, None, "Content-Encoding", f"compressed with {encoding}, which the kit cannot "
                             f"undo; this response ({_short(uri)}) was not read", encoding)
                continue
            try:
                body = record.content_stream().read(limit + 1)
            except Exception as exc:  # noqa: BLE001 - a damaged gzip/br body: one problem, named
                rows.problem(where, None, None, f"the response cannot be decompressed ({exc})")
                continue
            if len(body) > limit:
                rows.problem(where, None, None, f"the response ({_short(uri)}) is larger than the {human_size(limit)} "
                             "the kit reads as JSON (INVESTIGATE_MAX_JSON_BYTES)")
                continue
            kept += len(body)
            if kept > limit:  # parsed JSON takes ~10x its size: all of them together stay under the JSON limit
                rows.problem(where, None, None, f"the responses read from this capture come to more than the "
                             f"{human_size(limit)} the kit parses as JSON (INVESTIGATE_MAX_JSON_BYTES); this one "
                             f"({_short(uri)}) and those after it were not read")
                continue
            item.offset = iterator.get_record_offset()
            item.values = _json_values(body, kind)
            found.append(item)
    except ArchiveLoadFailed as exc:
        rows.problem(label, None, None, f"the WARC records cannot be read past this point ({exc})")
    return found, ignored


def _warc_date(value: str | None) -> pd.Timestamp | None:
    if not value:
        return None
    try:
        return pd.Timestamp(value).tz_convert("UTC") if pd.Timestamp(value).tzinfo else \
            pd.Timestamp(value).tz_localize("UTC")
    except (ValueError, TypeError):
        return None


def _short(uri: str, size: int = 90) -> str:
    return uri if len(uri) <= size else uri[:size - 3] + "..."


def _json_values(body: bytes, kind: str) -> list[Any]:
    """The JSON a response held: the whole body (``for (;;);`` stripped), or each JSON block in a page."""
    text = body.decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix):].lstrip()
    if text.startswith(("{", "[")):
        value = _parse(text)
        return [] if value is None else [value]
    if not kind.endswith("-page"):
        return []
    values = [v for v in (_parse(block.strip()) for block in _JSON_SCRIPT.findall(text)) if v is not None]
    shared = _SHARED_DATA.search(text)
    if shared:
        try:
            value, _ = json.JSONDecoder().raw_decode(text, shared.end())
            values.append(value)
        except (json.JSONDecodeError, RecursionError):
            pass
    return values


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return None


def walk(value: Any, *, skip: tuple[str, ...] = ("caption", "edge_media_to_caption")) -> Iterator[dict[str, Any]]:
    """Every JSON object inside ``value`` (depth-first, in document order), not entering ``skip`` keys
    (an Instagram caption looks like a comment).

    >>> [sorted(o) for o in walk({"a": [{"b": 1}], "caption": {"pk": 1, "text": "x"}})]
    [['a', 'caption'], ['b']]
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        current, depth = stack.pop()
        if depth > _MAX_DEPTH:
            continue
        if isinstance(current, dict):
            yield current
            children = [v for k, v in current.items() if k not in skip and isinstance(v, dict | list)]
        elif isinstance(current, list):
            children = [v for v in current if isinstance(v, dict | list)]
        else:
            continue
        stack.extend((child, depth + 1) for child in reversed(children))


# ----------------------------------------------------------------------------- what the records showed
@dataclass
class Provenance:
    """The capture_records rows: one per record used, with where its rows are in the import's tables."""

    records: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)


class CaptureReader:
    """Turns the records of one capture into canonical rows (through :class:`Rows`) and provenance."""

    def __init__(self, rows: Rows, label: str, *, account: str | None, pages: list[Page]) -> None:
        self.rows = rows
        self.label = label
        self.account = account
        self.pages = pages
        self.provenance = Provenance()
        self.seen_posts: set[str] = set()
        self.seen_comments: set[str] = set()
        self.ig_names: dict[str, str] = {}  # Instagram user id -> username, from profile JSON in the capture
        self.tt_names: dict[str, str] = {}  # TikTok secUid -> uniqueId
        self.authors: dict[str, tuple[str, str]] = {}  # "platform:post id" -> (author, post id), for comments

    def read(self, items: list[Captured]) -> None:
        """Read every record: profiles first (they name the accounts lists belong to), then lists and items."""
        for item in items:
            self._learn_names(item)
        lists = [i for i in items if i.kind in ("ig-friends", "tt-users")]
        for item in items:
            if item.kind == "screenshot":
                self._record(item, "screenshot", {})
            elif item not in lists:
                self._items(item)
        groups = _list_groups(lists)
        twice = len(lists) - sum(len(g) for g in groups)
        if twice:
            self.rows.notes.append(f"{self.label}: {twice} page(s) of a followers/following list were captured "
                                   "twice (the same place in the list); each was read once")
        for group in groups:
            self._list(group)

    # -- names
    def _learn_names(self, item: Captured) -> None:
        for value in item.values:
            for obj in walk(value):
                if item.kind.startswith("ig"):
                    name, pk = text_or_none(get(obj, "username")), text_or_none(get(obj, "pk", "id"))
                    if name and pk and not not_a_handle(name) and pk.isdigit():
                        self.ig_names.setdefault(pk, name)
                else:
                    name, sec = text_or_none(get(obj, "uniqueId", "unique_id")), text_or_none(get(obj, "secUid"))
                    if name and sec and not not_a_handle(name):
                        self.tt_names.setdefault(sec, name)
                if not item.kind.startswith("ig") and "author" in obj and _kind("tiktok", obj) == "post":
                    author = get(obj, "author")
                    handle = text_or_none(get(author, "uniqueId")) if isinstance(author, dict) else None
                    post_id = text_or_none(get(obj, "id"))
                    if handle and post_id:
                        self.authors.setdefault(f"tiktok:{post_id}", (handle, post_id))

    # -- posts, comments, profiles
    def _items(self, item: Captured) -> None:
        platform = "instagram" if item.kind.startswith("ig") else "tiktok"
        self.rows.platform = platform
        before = self._sizes()
        what: list[str] = []
        for value in item.values:
            for obj in walk(value):
                self._object(item, platform, obj, what)
        counts = self._counted(before)
        if counts or what:
            self._record(item, _describe(what, counts), before)

    def _object(self, item: Captured, platform: str, obj: dict[str, Any], what: list[str]) -> None:
        rows, label = self.rows, f"{self.label}: record {item.record_id}"
        if platform == "instagram":
            kind = _kind("instagram", obj)
            if kind == "post" and get(obj, "taken_at", "taken_at_timestamp") is not None:
                code = text_or_none(get(obj, "code", "shortcode"))
                if code and code not in self.seen_posts:
                    self.seen_posts.add(code)
                    instagram_post(label, None, obj, rows)  # type: ignore[arg-type]
                    owner = text_or_none(dig(obj, ("user", "owner"), "username"))
                    for alias in (text_or_none(get(obj, "pk")), text_or_none(get(obj, "id"))):
                        if alias and owner:
                            self.authors.setdefault(f"instagram:{alias}", (owner, code))
                    self.authors.setdefault(f"instagram:{code}", (owner or "", code))
            elif kind == "comment" and get(obj, "created_at", "created_at_utc") is not None:
                key = text_or_none(get(obj, "pk")) or ""
                if key not in self.seen_comments:
                    self.seen_comments.add(key)
                    media = text_or_none(get(obj, "media_id", "media_pk")) or _media_from(item.uri)
                    data = {**obj, "media_id": media} if media else obj
                    _instagram_comment(label, None, {}, data, self.authors, rows)  # type: ignore[arg-type]
            elif text_or_none(get(obj, "username")) and any(
                    k in obj for k in ("edge_followed_by", "follower_count", "biography")):
                name = str(get(obj, "username")).strip()
                if not not_a_handle(name):
                    rows.account(name, display_name=text_or_none(get(obj, "full_name")),
                                 platform_id=text_or_none(get(obj, "id", "pk")),
                                 profile_url=f"https://www.instagram.com/{name}")
                    what.append(f"profile of @{name}")
            return
        if "cid" in obj and get(obj, "create_time") is not None:
            key = text_or_none(get(obj, "cid")) or ""
            if key not in self.seen_comments:
                self.seen_comments.add(key)
                _tiktok_comment(label, None, {"source_platform_url": self._tiktok_page(obj)}, obj,  # type: ignore[arg-type]
                                self.authors, rows)
        elif "author" in obj and _kind("tiktok", obj) == "post" and ("desc" in obj or "video" in obj):
            post_id = text_or_none(get(obj, "id")) or ""
            if post_id not in self.seen_posts:
                self.seen_posts.add(post_id)
                _tiktok_post(label, None, obj, rows)  # type: ignore[arg-type]
        elif text_or_none(get(obj, "uniqueId")) and "secUid" in obj and isinstance(get(obj, "nickname"), str) \
                and item.kind == "tt-page":
            name = str(get(obj, "uniqueId")).strip()
            if not not_a_handle(name) and f"profile of @{name}" not in what:
                rows.account(name, display_name=text_or_none(get(obj, "nickname")),
                             platform_id=text_or_none(get(obj, "id")), profile_url=f"https://www.tiktok.com/@{name}")
                what.append(f"profile of @{name}")

    def _tiktok_page(self, comment: dict[str, Any]) -> str:
        """The TikTok video page a comment was shown on (from the pages the capture lists)."""
        video = text_or_none(get(comment, "aweme_id"))
        for page in self.pages:
            if video and f"/video/{video}" in page.url:
                return page.url
        return ""

    # -- follower / following lists
    def _list(self, group: list[Captured]) -> None:
        first = group[0]
        platform = "instagram" if first.kind == "ig-friends" else "tiktok"
        self.rows.platform = platform
        kind, owner = self._list_owner(first)
        if owner is None:
            self.rows.problem(f"{self.label}: record {first.record_id}", None, None,
                              f"a {kind} list of an account the capture does not name (id "
                              f"{_list_key(first)[1]}); say whose list it is with --account", _short(first.uri))
            return
        position = 1
        for number, item in enumerate(group, start=1):
            before = self._sizes()
            self.rows.observed_at = item.at if item.at is not None else self.rows.observed_at
            for value in item.values[:1]:
                entries = get(value, "users") if platform == "instagram" else get(value, "userList")
                for entry in entries if isinstance(entries, list) else []:
                    user = entry if platform == "instagram" else get(entry, "user")
                    name = text_or_none(get(user, "username" if platform == "instagram" else "uniqueId"))
                    if not name or not_a_handle(name):
                        self.rows.problem(f"{self.label}: record {item.record_id}", position, "username",
                                          "a listed account without a username", name)
                        continue
                    self.rows.listed(kind, owner, name, position=position)
                    url = f"https://www.instagram.com/{name}" if platform == "instagram" \
                        else f"https://www.tiktok.com/@{name}"
                    self.rows.account(name, display_name=text_or_none(get(user, "full_name", "nickname")),
                                      platform_id=text_or_none(get(user, "pk", "id")), profile_url=url)
                    position += 1
            counts = self._counted(before)
            shown = counts.get("relationships", 0)
            self._record(item, f"{kind} of @{owner}, page {number} of {len(group)} "
                               f"({shown} account{'s' if shown != 1 else ''})", before, account=owner, event=False)
        # one chronology entry per list (a long list is many pages), naming its first and last record
        total = position - 1
        ids = [i.record_id for i in group]
        pages = f"{len(group)} pages" if len(group) > 1 else "1 page"
        records = f"records {ids[0]} to {ids[-1]}" if len(ids) > 1 else f"record {ids[0]}"
        self._event(first, f"{kind} of @{owner}, {pages} ({total} account{'s' if total != 1 else ''}) "
                           f"({records})", owner)

    def _list_owner(self, item: Captured) -> tuple[str, str | None]:
        """Which list (followers/following) and whose, from the address, the profiles captured, the pages, --account."""
        if item.kind == "ig-friends":
            match = _IG_FRIENDS.match(item.uri)
            assert match is not None  # classify() matched it
            kind, user_id = match.group(2).lower(), match.group(1)
            owner = self.ig_names.get(user_id) or self._page_owner(_IG_PROFILE_URL, kind)
        else:
            query = parse_qs(urlsplit(item.uri).query)
            kind = _TT_SCENES.get((query.get("scene") or [""])[0], "followers")
            sec = (query.get("secUid") or [""])[0]
            owner = self.tt_names.get(sec) or self._page_owner(_TT_PROFILE_URL, kind)
        return kind, owner or (self.account.lstrip("@") if self.account else None)

    def _page_owner(self, pattern: re.Pattern[str], kind: str) -> str | None:
        """The account whose profile the capture's pages show, when they show exactly one."""
        names = {m.group(1) for p in self.pages if (m := pattern.match(p.url))}
        keys = {handle_key(n) for n in names}
        return next(iter(names)) if len(keys) == 1 else None

    # -- provenance
    def _sizes(self) -> dict[str, int]:
        return {"relationships": len(self.rows.relationships), "posts": len(self.rows.posts),
                "interactions": len(self.rows.interactions)}

    def _counted(self, before: dict[str, int]) -> dict[str, int]:
        now = self._sizes()
        return {t: now[t] - before[t] for t in now if now[t] > before[t]}

    def _record(self, item: Captured, content: str, before: dict[str, int], *, account: str | None = None,
                event: bool = True) -> None:
        """One capture_records row (and, for what the page showed, one chronology entry unless ``event`` is off)."""
        counts = self._counted(before) if before else {}
        self.provenance.records.append({
            "record_id": item.record_id, "kind": item.kind, "content": content, "target_uri": item.uri,
            "captured_at": item.at, "payload_digest": item.payload_digest, "warc_file": item.warc_file,
            "offset": item.offset, "media_type": item.content_type,
            "rows": json.dumps({t: [before[t], n] for t, n in counts.items()}, sort_keys=True) if counts else None,
        })
        if event and item.kind != "screenshot":
            self._event(item, f"{content} (record {item.record_id})", account)

    def _event(self, item: Captured, what: str, account: str | None) -> None:
        """A chronology entry at the record's capture time: "Captured from instagram.com: ..."."""
        if item.at is None:
            return
        host = (urlsplit(item.uri).hostname or "").removeprefix("www.")
        self.provenance.events.append({
            "at": item.at, "precision": "exact", "kind": "captured", "summary": f"Captured from {host}: {what}",
            "accounts": handle_key(account) if account else "", "source": "capture"})


def _media_from(uri: str) -> str | None:
    match = re.search(r"/api/v1/media/(\d+)", uri)
    return match.group(1) if match else None


def _describe(what: list[str], counts: dict[str, int]) -> str:
    words = {"posts": ("post", "posts"), "interactions": ("comment or mention", "comments or mentions"),
             "relationships": ("follow", "follows")}
    parts = list(dict.fromkeys(what)) + [f"{n} {words[t][n != 1]}" for t, n in counts.items()]
    return ", ".join(parts)


def _list_key(item: Captured) -> tuple[str, str, str]:
    """(platform list, whose id, which list) for grouping the pages of one list."""
    if item.kind == "ig-friends":
        match = _IG_FRIENDS.match(item.uri)
        return ("ig", match.group(1), match.group(2).lower()) if match else ("ig", "", "")
    query = parse_qs(urlsplit(item.uri).query)
    return ("tt", (query.get("secUid") or [""])[0], (query.get("scene") or [""])[0])


def _cursor(item: Captured) -> str:
    """Where in the list a page starts: Instagram's ``max_id``, TikTok's ``minCursor`` ("" or "0": the top)."""
    query = parse_qs(urlsplit(item.uri).query)
    value = (query.get("max_id" if item.kind == "ig-friends" else "minCursor") or [""])[0]
    return "" if value == "0" else value


def _next_cursor(item: Captured) -> str:
    """Where the page after this one starts (the cursor the app asks for next)."""
    value = item.values[0] if item.values else None
    found = get(value, "next_max_id") if item.kind == "ig-friends" else get(value, "minCursor")
    return "" if found in (None, 0, "0") else str(found)


def _list_groups(lists: list[Captured]) -> list[list[Captured]]:
    """The pages of each list, in the app's order: the page without a cursor first, then each page whose
    cursor is the one the page before gave; pages the links do not reach follow in capture order. A page
    captured twice (same cursor) is read once."""
    groups: dict[tuple[str, str, str], list[Captured]] = {}
    for item in sorted(lists, key=lambda i: (i.at is None, i.at or datetime.min)):
        groups.setdefault(_list_key(item), []).append(item)
    ordered = []
    for pages in groups.values():
        by_cursor: dict[str, Captured] = {}
        for page in pages:
            by_cursor.setdefault(_cursor(page), page)
        chain: list[Captured] = []
        cursor = "" if "" in by_cursor else _cursor(pages[0])
        while cursor in by_cursor and by_cursor[cursor] not in chain:
            chain.append(by_cursor[cursor])
            cursor = _next_cursor(chain[-1])
            if not cursor:  # the last page
                break
        chain += [p for p in by_cursor.values() if p not in chain]
        ordered.append(chain)
    return ordered
