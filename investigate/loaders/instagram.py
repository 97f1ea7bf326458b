"""Instagram "Download your information" (a zip or its folder, or one of its files), any era's layout.

- 2023+: ``followers_1.json``, ``followers_2.json``... (a bare list) and ``following.json``
  (``{"relationships_following": [...]}``); ~2021-22: ``followers.json`` (``{"relationships_followers": [...]}``);
  ~2018-20: ``connections.json`` (``{"followers": {user: date}, "following": {...}}``).
- ``posts_1.json`` (posts), ``post_comments_1.json`` and ``reels_comments.json`` (comments the owner made);
  ~2018-20: ``media.json`` (``photos``/``videos`` with ``taken_at``) and ``comments.json`` (``[time, text, user]``).
- Accounts linked to Threads: ``threads/followers.json`` / ``following.json`` (keys
  ``text_post_app_text_post_app_followers``...) are read as platform ``threads``.
- The HTML variant (``followers_1.html``, ``following.html``): links to profiles with a local date under each,
  its month names in English or in any of ``_times.MONTH_LOCALES`` (CLDR data through Babel).

A file that is recognised but lacks what the kit expects becomes one problem naming it (the rest is
read, as with --skip-bad-rows). Every string is repaired from the export's mojibake. The owner comes
from ``personal_information.json`` (or the old ``profile.json``; its labels in English or another
language), else ``--account``, else the export's folder name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

import pandas as pd

from ..errors import FormatError, MissingFieldError
from . import LoadOptions, LoadResult, _json_lists
from ._exports import (
    Bundle,
    Rows,
    dig,
    epoch,
    fix_tree,
    get,
    head_text,
    listing,
    not_a_handle,
    owner_handle,
    text_or_none,
    why_not_a_handle,
    wrong_file,
)
from ._stream import stream_bytes
from ._times import month_number, parse_times

NAME = "instagram"
PLATFORM = "instagram"

FOLLOWERS = r"followers(?:_\d+)?\.json"
FOLLOWING = r"following(?:_\d+)?\.json"
CONNECTIONS = r"connections\.json"
POSTS = r"posts_\d+\.json"
COMMENTS = r"post_comments(?:_\d+)?\.json|reels_comments\.json"
PROFILE = r"personal_information\.json|profile\.json"
MEDIA_2018 = r"media\.json"
COMMENTS_2018 = r"comments\.json"
#: the label of the username (and name) in personal_information.json, in the export languages seen
#: (no library holds Instagram's own labels; extend this list when a new language turns up)
USERNAME_LABELS = ("username", "nome utente", "nom d'utilisateur", "nom d’utilisateur", "nombre de usuario",
                   "benutzername", "gebruikersnaam", "nome de usuário", "nome de utilizador", "nome do usuário")
NAME_LABELS = ("name", "nome", "nom", "nombre", "naam")
FOLLOWERS_HTML = r"followers(?:_\d+)?\.html?"
FOLLOWING_HTML = r"following(?:_\d+)?\.html?"
_ALL = "|".join((FOLLOWERS, FOLLOWING, CONNECTIONS, POSTS, COMMENTS, FOLLOWERS_HTML, FOLLOWING_HTML,
                 r"personal_information\.json"))
_KEYS = re.compile(
    r'"(?:relationships_follow(?:ers|ing)|string_list_data|string_map_data|comments_reels_comments)"\s*:')
_OWNER_IN_NAME = re.compile(r"^instagram-([A-Za-z0-9._]{1,30})-\d{4}-\d{2}-\d{2}", re.IGNORECASE)


def sniff(path: Path) -> bool:
    """A zip/folder holding Instagram's file names, or one such file (by name or its keys); never
    a Facebook export, whose file names look alike (followers.json, following.json)."""
    from . import facebook

    if facebook.sniff(path):
        return False
    bundle = listing(path)
    if bundle is None:
        return False
    if bundle.kind in ("zip", "folder"):
        others = r".*_UTC(?:_comments)?\.json(?:\.xz)?|your_friends.*\.json|people_who_followed_you.*\.json"
        return bool(bundle.find(_ALL)) and not bundle.find(others)
    if re.fullmatch(_ALL, path.name, re.IGNORECASE):
        return True
    return path.suffix.lower() == ".json" and bool(_KEYS.search(head_text(path)))


def load(path: Path, options: LoadOptions) -> LoadResult:
    """Read followers, following, posts and comments of an Instagram export."""
    if not sniff(path):
        raise wrong_file(path, NAME)
    bundle = Bundle.open(path)
    single = bundle.kind == "file"
    profile = _profile(bundle)
    fallback = None
    if not single:
        top = bundle.names[0].split("/", 1)[0] if bundle.names else ""
        match = _OWNER_IN_NAME.match(top) or _OWNER_IN_NAME.match(path.name)
        fallback = match.group(1) if match else None
    owner = owner_handle(path, NAME, from_export=profile.get("handle"), options=options, fallback=fallback)
    rows = Rows(PLATFORM, options.observed_at or pd.Timestamp.now(tz="UTC"))
    rows.account(owner, display_name=profile.get("name"), profile_url=f"https://www.instagram.com/{owner}")

    def files(pattern: str) -> list[str]:
        if single:  # one file given: its content decides (a followers file may have been renamed)
            return bundle.names if re.fullmatch(pattern, path.name, re.IGNORECASE) else []
        return bundle.find(pattern)

    positions: dict[tuple[str, str], int] = {}
    read = 0
    for name in files(FOLLOWERS) + files(FOLLOWING) + files(CONNECTIONS):
        read += 1
        label = bundle.label(name)
        try:
            if re.fullmatch(CONNECTIONS, name.rsplit("/", 1)[-1], re.IGNORECASE):
                _connections(label, bundle.read_json(name, mojibake=True), owner, rows, positions)
                continue
            default = "followers" if re.fullmatch(FOLLOWERS, name.rsplit("/", 1)[-1], re.IGNORECASE) else "following"
            platform = "threads" if "threads" in name.casefold().split("/")[:-1] else PLATFORM
            if bundle.size(name) > stream_bytes() and _stream(bundle, name, default, owner, rows, positions,
                                                              platform=platform):
                continue
            _entries(label, bundle.read_json(name, mojibake=True), default, owner, rows, positions, platform=platform)
        except MissingFieldError as err:
            rows.unreadable_part(label, err)
    for name in files(FOLLOWERS_HTML) + files(FOLLOWING_HTML):
        read += 1
        kind = "followers" if re.fullmatch(FOLLOWERS_HTML, name.rsplit("/", 1)[-1], re.IGNORECASE) else "following"
        _html(bundle.label(name), bundle.read_text(name), kind, owner, rows, positions, options)
    # a file named just comments.json is the 2018-20 one only beside that era's connections.json or media.json
    era_2018 = bool(files(CONNECTIONS) or files(MEDIA_2018))
    for pattern, read_part in ((POSTS, _posts), (COMMENTS, _comments), (MEDIA_2018, _media_2018),
                               (COMMENTS_2018, _comments_2018)):
        for name in files(pattern) if pattern != COMMENTS_2018 or era_2018 else []:
            read += 1
            try:
                read_part(bundle.label(name), bundle.read_json(name, mojibake=True), owner, rows)
            except MissingFieldError as err:
                rows.unreadable_part(bundle.label(name), err)
    if single and not read:  # a file named otherwise: decide by its keys
        data = bundle.read_json(bundle.names[0], mojibake=True)
        if isinstance(data, dict) and get(data, "comments_reels_comments") is not None:
            _comments(bundle.label(bundle.names[0]), data, owner, rows)
        else:
            _entries(bundle.label(bundle.names[0]), data, None, owner, rows, positions, platform=PLATFORM)
    return rows.result(NAME, bundle=bundle)


# ----------------------------------------------------------------------------- parts
def _profile(bundle: Bundle) -> dict[str, str | None]:
    names = bundle.find(PROFILE) if bundle.kind != "file" else []
    for name in names:
        data = bundle.read_json(name, mojibake=True)
        if isinstance(data, dict) and get(data, "profile_user") is not None:
            users = get(data, "profile_user")
            first = users[0] if isinstance(users, list) and users else {}
            fields = get(first, "string_map_data") or {}
            handle = text_or_none(dig(fields, USERNAME_LABELS, "value"))
            if handle:
                return {"handle": handle, "name": text_or_none(dig(fields, NAME_LABELS, "value"))}
        elif isinstance(data, dict) and text_or_none(get(data, "username")):
            return {"handle": text_or_none(get(data, "username")), "name": text_or_none(get(data, "name"))}
    return {}


def entry_handle(entry: dict[str, Any]) -> tuple[str | None, Any, dict[str, Any]]:
    """(handle, its raw value, first string_list_data item) of a followers/following entry.

    Takes ``value``, else ``title``, else the last path part of ``href`` (``/_u/NAME/?igsh=..``).

    >>> entry_handle({"title": "", "string_list_data": [{"href": "https://www.instagram.com/_u/Ab.c/?igsh=x"}]})[0]
    'Ab.c'
    """
    items = get(entry, "string_list_data")
    item = items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else {}
    value = text_or_none(get(item, "value")) or text_or_none(get(entry, "title"))
    if value:
        return value.lstrip("@"), value, item
    href = text_or_none(get(item, "href"))
    if href:
        match = re.search(r"instagram\.com/+(?:_u/+)?([^/?#\s]+)", href, re.IGNORECASE)
        if match:
            return match.group(1), href, item
        return None, href, item
    return None, None, item


def _entries(label: str, data: Any, default: str | None, owner: str, rows: Rows,
             positions: dict[tuple[str, str], int], *, platform: str) -> None:
    """The followers/following lists of a parsed file (a bare list, or ``{"relationships_following": [...]}``)."""
    if isinstance(data, dict):  # relationships_followers, text_post_app_text_post_app_following (Threads)...
        found = [(k, "followers" if k.casefold().endswith("followers") else "following", v) for k, v in data.items()
                 if isinstance(v, list) and k.casefold().endswith(("_followers", "_following"))]
        if not found:
            raise MissingFieldError(f"{label}: expected a list of accounts (or relationships_followers / "
                              f"relationships_following); found the keys {', '.join(map(str, data))}.")
    elif isinstance(data, list):
        if default is None:
            raise MissingFieldError(f"{label}: a bare list of accounts, but the file name does not say whether "
                                    "they are followers or following; keep its name followers_1.json or "
                                    "following.json.")
        found = [("", default, data)]
    else:
        raise MissingFieldError(f"{label}: expected a list of accounts; found {type(data).__name__}.")
    for key, kind, entries in found:
        _list(label, entries, kind, owner, rows, positions, platform=_platform_of(key, platform))


def _platform_of(key: str, platform: str) -> str:
    """Threads' own lists (``text_post_app_text_post_app_following``) are Threads', wherever the file is.

    >>> _platform_of("text_post_app_text_post_app_following", "instagram")
    'threads'
    >>> _platform_of("relationships_following", "instagram")
    'instagram'
    """
    return "threads" if key.casefold().startswith("text_post_app") else platform


def _list(label: str, entries: Iterable[Any], kind: str, owner: str, rows: Rows,
          positions: dict[tuple[str, str], int], *, platform: str, repair: bool = False) -> None:
    """One list's entries (parsed, or streamed with ``repair`` of their mojibake) as columns."""
    handles: list[str] = []
    times: list[Any] = []
    urls: list[str | None] = []
    for number, entry in enumerate(entries, start=1):
        read = _entry(label, number, fix_tree(entry) if repair else entry, rows)
        if read is not None:
            handles.append(read[0])
            times.append(read[1])
            urls.append(read[2])
    _listed(kind, owner, rows, positions, handles, times, urls, platform=platform)


def _entry(label: str, number: int, entry: Any, rows: Rows) -> tuple[str, datetime | None, str | None] | None:
    """One entry of a list: (handle, follow time, profile link), or None with its problem in ``rows``."""
    if not isinstance(entry, dict):
        rows.problem(label, number, None, "not an account entry", entry)
        return None
    handle, raw, item = entry_handle(entry)
    if not handle or not_a_handle(handle):
        rows.problem(label, number, "string_list_data", "no username in this entry" if not handle
                     else why_not_a_handle(handle), raw if raw is not None else entry)
        return None
    when, why = epoch(get(item, "timestamp"))
    if why:
        rows.problem(label, number, "timestamp", why, get(item, "timestamp"))
        return None
    return handle, when, text_or_none(get(item, "href"))


def _listed(kind: str, owner: str, rows: Rows, positions: dict[tuple[str, str], int], handles: Any, times: Any,
            urls: Any, *, platform: str) -> None:
    """A list's good entries (in file order) as its follows, numbered on from the same list's last file."""
    first = positions.get((platform, kind), 0) + 1
    positions[platform, kind] = first - 1 + len(handles)
    rows.listed_many(kind, owner, handles, first_position=first, followed_at=times, profile_urls=urls,
                     platform=platform)
    if platform != PLATFORM:
        rows.account(owner, platform=platform)


def _stream(bundle: Bundle, name: str, default: str, owner: str, rows: Rows,
            positions: dict[tuple[str, str], int], *, platform: str) -> bool:
    """Read a large followers/following file entry by entry (ijson), never whole: True when done,
    False when its shape is not one list (then it is read whole)."""
    head = bundle.head(name, 4096)
    bom = head.startswith(b"\xef\xbb\xbf")
    start = head[3 if bom else 0:].lstrip()
    if start[:1] == b"[":
        kind, prefix = default, "item"
    else:
        keys = re.findall(rb'"([A-Za-z_]+_follow(?:ers|ing))"\s*:\s*\[', start)
        if not start.startswith(b"{") or len(keys) != 1:
            return False
        key = keys[0].decode()
        kind, prefix = ("followers" if key.endswith("followers") else "following"), f"{key}.item"
        platform = _platform_of(key, platform)
    label = bundle.label(name)
    if prefix == "item":  # a bare list (followers_1.json): in columns, where it is plain (see _json_lists)
        with bundle.open_binary(name) as handle:
            if bom:
                handle.read(3)
            listed = _json_lists.read(handle)
        if listed is not None:
            _columns(bundle, name, bom, listed, kind, owner, rows, positions, platform=platform)
            return True
    with bundle.open_binary(name) as handle:
        if bom:
            handle.read(3)
        _list(label, _items(handle, prefix, label), kind, owner, rows, positions, platform=platform, repair=True)
    return True


def _columns(bundle: Bundle, name: str, bom: bool, listed: _json_lists.Listed, kind: str, owner: str, rows: Rows,
             positions: dict[tuple[str, str], int], *, platform: str) -> None:
    """A list read in columns; the entries it refused read again one by one (ijson), for their problems."""
    import numpy as np
    import pyarrow as pa

    label = bundle.label(name)
    handles, times, urls = listed.handles, listed.times, listed.urls
    if listed.refused:
        wanted, late = set(listed.refused), {}
        with bundle.open_binary(name) as handle:
            if bom:
                handle.read(3)
            for number, entry in enumerate(_items(handle, "item", label), start=1):
                if number in wanted:
                    read = _entry(label, number, fix_tree(entry), rows)
                    if read is not None:  # (never expected: the columns refuse what the entry reader refuses)
                        late[number] = read
        if late:
            numbers = np.concatenate([np.setdiff1d(np.arange(1, listed.entries + 1), listed.refused), list(late)])
            order = np.argsort(numbers, kind="stable")
            found = list(late.values())
            extra = [pd.Timestamp(w).value // 1000 if w is not None else _json_lists.NO_TIME for _, w, _ in found]
            handles = pa.concat_arrays([handles, pa.array([h for h, _, _ in found], pa.large_string())]).take(order)
            urls = pa.concat_arrays([urls, pa.array([u for _, _, u in found], pa.large_string())]).take(order)
            times = np.concatenate([times, np.array(extra, dtype=np.int64)])[order]
    known = times != _json_lists.NO_TIME
    stamps = pd.Series(times.view("datetime64[us]"), dtype="datetime64[us]").dt.tz_localize("UTC")
    if not known.any():  # as pd.to_datetime of no time at all
        stamps = stamps.astype("datetime64[s, UTC]")
    _listed(kind, owner, rows, positions, handles, stamps, urls, platform=platform)


def _items(handle: IO[bytes], prefix: str, label: str) -> Iterator[Any]:
    """The items under ``prefix`` of a JSON file, one at a time, with the kit's messages for bad JSON."""
    import ijson

    try:
        yield from ijson.items(handle, prefix, use_float=True)
    except ijson.JSONError as exc:
        if "premature EOF" in str(exc) or "Incomplete" in type(exc).__name__ and "EOF" in str(exc):
            raise FormatError(f"{label}: the file is cut short (truncated); the JSON stops before it is "
                              "complete. Download or export it again; if it came in a zip, extract it again.") from None
        raise FormatError(f"{label}: the JSON cannot be read ({exc}). The file is damaged or is not JSON.") from None
    except UnicodeDecodeError as exc:
        raise FormatError(f"{label}: the text is not UTF-8 (byte {exc.start}); the file is damaged.") from None


def _connections(label: str, data: Any, owner: str, rows: Rows, positions: dict[tuple[str, str], int]) -> None:
    if not isinstance(data, dict):
        raise MissingFieldError(f"{label}: expected {{\"followers\": {{...}}, \"following\": {{...}}}}; "
                          f"found {type(data).__name__}.")
    for kind in ("followers", "following"):
        people = get(data, kind)
        if not isinstance(people, dict):
            continue
        handles = list(people)
        times, reasons = parse_times(pd.Series([str(v) for v in people.values()], dtype="string"), "UTC")
        times, reasons = times.tolist(), reasons.tolist()
        for number, handle in enumerate(handles, start=1):
            reason = reasons[number - 1]
            if pd.notna(reason):
                rows.problem(label, number, kind, str(reason), people[handle])
                continue
            position = positions[PLATFORM, kind] = positions.get((PLATFORM, kind), 0) + 1
            rows.listed(kind, owner, handle, position=position, followed_at=times[number - 1])
            rows.account(handle)


def _posts(label: str, data: Any, owner: str, rows: Rows) -> None:
    if isinstance(data, dict):  # some eras wrap the list
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list):
        raise MissingFieldError(f"{label}: expected a list of posts.")
    for number, post in enumerate(data, start=1):
        media = get(post, "media")
        media = [m for m in media if isinstance(m, dict)] if isinstance(media, list) else []
        if not isinstance(post, dict) or not media and get(post, "creation_timestamp") is None:
            rows.problem(label, number, None, "not a post entry (no media, no creation_timestamp)", post)
            continue
        first = media[0] if media else {}
        raw_time = get(post, "creation_timestamp") or get(first, "creation_timestamp")
        when, why = epoch(raw_time)
        if why:
            rows.problem(label, number, "creation_timestamp", why, raw_time)
            continue
        uri = text_or_none(get(first, "uri")) or ""
        kind = "carousel" if len(media) > 1 else ("video" if re.search(r"\.(mp4|mov|m4v)$", uri, re.I) else "photo")
        rows.post(account=owner, posted_at=when, media_type=kind,
                  text=text_or_none(get(post, "title")) or text_or_none(get(first, "title")))


def _comments(label: str, data: Any, owner: str, rows: Rows) -> None:
    if isinstance(data, dict):
        data = get(data, "comments_reels_comments", "comments_media_comments")
    if not isinstance(data, list):
        raise MissingFieldError(f"{label}: expected a list of comments (or comments_reels_comments).")
    for number, entry in enumerate(data, start=1):
        fields = get(entry, "string_map_data")
        if not isinstance(fields, dict):
            rows.problem(label, number, "string_map_data", "not a comment entry", entry)
            continue
        raw_time = dig(fields, "time", "timestamp")
        when, why = epoch(raw_time)
        if why:
            rows.problem(label, number, "Time", why, raw_time)
            continue
        on = text_or_none(dig(fields, "media owner", "value"))
        rows.interaction(actor=owner, kind="comment", on_account=on, text=text_or_none(dig(fields, "comment", "value")),
                         at=when)
        if on:
            rows.account(on)


def _media_2018(label: str, data: Any, owner: str, rows: Rows) -> None:
    """2018-20 ``media.json``: ``{"photos": [{"caption", "taken_at", "path"}], "videos": [...], ...}``."""
    if not isinstance(data, dict):
        raise MissingFieldError(f"{label}: expected {{\"photos\": [...], \"videos\": [...]}}; "
                                f"found a {type(data).__name__}.")
    for key, entries in data.items():
        if not isinstance(entries, list):
            continue
        kind = {"photos": "photo", "videos": "video"}.get(str(key).casefold())
        if kind is None:  # stories, profile (profile pictures), direct...: not posts on the profile
            what = {"stories": "stories (they last a day; they are not posts on the profile)",
                    "profile": "profile pictures (not posts)"}.get(str(key).casefold(), f"entries under {key!r}")
            if entries:
                rows.notes.append(f"{label}: {len(entries)} {what} were not imported as posts; only photos and "
                                  "videos are. Look at them in the export itself.")
            continue
        times, reasons = parse_times(pd.Series([text_or_none(get(e, "taken_at")) for e in entries], dtype="string"),
                                     "UTC")
        for number, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict) or pd.isna(times.iloc[number - 1]):
                why = reasons.iloc[number - 1] if isinstance(entry, dict) else None
                rows.problem(label, number, f"{key} taken_at", str(why) if pd.notna(why) else "no taken_at time",
                             get(entry, "taken_at") if isinstance(entry, dict) else entry)
                continue
            rows.post(account=owner, posted_at=times.iloc[number - 1], media_type=kind,
                      text=text_or_none(get(entry, "caption")))


def _comments_2018(label: str, data: Any, owner: str, rows: Rows) -> None:
    """2018-20 ``comments.json``: ``{"media_comments": [[time, text, user], ...], ...}``: comments the
    owner made, ``user`` being the owner of the post commented on."""
    lists = [v for v in data.values() if isinstance(v, list)] if isinstance(data, dict) else [data]
    if not lists or not all(isinstance(v, list) for v in lists):
        raise MissingFieldError(f"{label}: expected lists of [time, text, user] comments.")
    for entries in lists:
        times, reasons = parse_times(pd.Series([str(e[0]) if isinstance(e, list) and e else None for e in entries],
                                               dtype="string"), "UTC")
        for number, entry in enumerate(entries, start=1):
            if not isinstance(entry, list) or len(entry) < 3 or pd.isna(times.iloc[number - 1]):
                rows.problem(label, number, "[time, text, user]", "not a [time, text, user] comment", entry)
                continue
            on = text_or_none(entry[2])
            rows.interaction(actor=owner, kind="comment", on_account=on, text=text_or_none(entry[1]),
                             at=times.iloc[number - 1])
            if on:
                rows.account(on)


# ----------------------------------------------------------------------------- HTML variant
# "Nov 27, 2025 1:12 am" (English), or day first with the month in another language:
# "4 févr. 2024, 13:05", "15. Aug. 2024 um 13:05", "15 de ago. de 2024 13:05"
_MONTH_FIRST = re.compile(r"([^\W\d_]{3,12})\.?\s+(\d{1,2}),\s*(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
                          r"\s*([ap]\.?m\.?)?)?", re.IGNORECASE)
_DAY_FIRST = re.compile(r"(\d{1,2})\.?\s+(?:de\s+)?([^\W\d_]{3,12}\.?)\s+(?:de\s+)?(\d{4})"
                        r"(?:,?\s*(?:[^\W\d_]{1,5}\s+)?(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?",
                        re.IGNORECASE)


class _Tokens(HTMLParser):
    """Anchors (href, text) and text runs, in document order; class names are ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[str, str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.tokens.append(("a", self._href, "".join(self._text).strip()))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)
        elif data.strip():
            self.tokens.append(("text", "", data.strip()))


def html_dates(text: str) -> str | None:
    """Instagram's HTML date as a naive ISO time, or None; month names in any export language.

    >>> html_dates("Nov 27, 2025 1:12 am"), html_dates("Sept 3, 2024, 11:05 PM")
    ('2025-11-27T01:12:00', '2024-09-03T23:05:00')
    >>> html_dates("4 févr. 2024, 13:05"), html_dates("15 août 2024"), html_dates("15. Aug. 2024 um 9:05")
    ('2024-02-04T13:05:00', '2024-08-15T00:00:00', '2024-08-15T09:05:00')
    """
    found = _MONTH_FIRST.search(text)
    if found and month_number(found.group(1)):
        month, day, year, hour, minute, second, half = found.groups()
    elif (found := _DAY_FIRST.search(text)) and month_number(found.group(2)):
        day, month, year, hour, minute, second, half = found.groups()
    else:
        return None
    hours = int(hour or 0)
    if half:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if half.casefold().startswith("p") else 0)
    try:
        stamp = datetime(int(year), month_number(month) or 0, int(day), hours, int(minute or 0), int(second or 0))
    except ValueError:
        return None
    return stamp.isoformat()


def _html(label: str, text: str, kind: str, owner: str, rows: Rows, positions: dict[tuple[str, str], int],
          options: LoadOptions) -> None:
    parser = _Tokens()
    parser.feed(text)
    parser.close()
    found: list[tuple[str, str, str | None, str]] = []  # handle, href, date text, raw
    tokens = parser.tokens
    for index, (what, href, content) in enumerate(tokens):
        if what != "a" or "instagram.com" not in href.casefold():
            continue
        match = re.search(r"instagram\.com/+(?:_u/+)?([^/?#\s]+)", href, re.IGNORECASE)
        handle = content.lstrip("@") if content and not re.search(r"\s", content) else (match.group(1) if match else "")
        date = None
        for later in tokens[index + 1:]:
            if later[0] == "a":
                break
            date = html_dates(later[2])
            if date:
                break
        found.append((handle, href, date, content or href))
    times, reasons = parse_times(pd.Series([d for _, _, d, _ in found], dtype="string"), options.timezone)
    times, reasons = times.tolist(), reasons.tolist()
    for number, (handle, href, _date, raw) in enumerate(found, start=1):
        if not handle or not_a_handle(handle):
            rows.problem(label, number, "a", why_not_a_handle(handle) if handle else "no username in this link", raw)
            continue
        if pd.notna(reasons[number - 1]):
            rows.problem(label, number, "date", str(reasons[number - 1]), _date)
            continue
        position = positions[PLATFORM, kind] = positions.get((PLATFORM, kind), 0) + 1
        rows.listed(kind, owner, handle, position=position, followed_at=times[number - 1])
        rows.account(handle, profile_url=href)
    undated = sum(1 for _, _, date, _ in found if date is None)
    if undated:
        rows.notes.append(f"{label}: {undated} of {len(found)} entries have no follow date the kit can read "
                          "(left empty); if the export is in another language, say which one to the kit's maintainer.")


__all__ = ["NAME", "entry_handle", "html_dates", "load", "sniff"]
