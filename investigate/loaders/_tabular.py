"""Manual spreadsheets (CSV/XLSX) -> canonical frames: header aliases, handles, times, numbers.

A spreadsheet's row numbers in messages are those the person sees: the header is row 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from ..errors import FormatError, InputError, Problem
from ..words import fold_case, handle_keys, items, shown_handles
from . import LIST_KINDS, LoadOptions, LoadResult
from ._times import parse_times

_HANDLE = ("username", "user_name", "userName", "handle", "unique_id", "uniqueid", "account", "user",
           "screen_name", "profile", "profile_url", "profile link", "link", "href", "instagram", "tiktok")
_NAME = ("full_name", "fullName", "name", "nickname", "display name", "display_name")
_WHEN = ("date", "time", "datetime", "date time", "timestamp", "when", "at", "created", "created_at",
         "date and time", "date/time")

#: list kind -> canonical field -> accepted headers (compared without case, spaces or punctuation)
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "relationship": {
        "handle": _HANDLE,
        "display_name": _NAME,
        "followed_at": ("followed_at", "followed on", "date followed", "followed", *_WHEN),
        "position": ("position", "no", "number", "rank", "order", "index"),
    },
    "posts": {
        "account": ("account", "username", "user", "handle", "author", "posted by", "owner"),
        "post_id": ("post_id", "id", "post id", "video id", "media id", "shortcode", "code"),
        "url": ("url", "link", "post url", "post link", "video link", "href", "tiktok_url", "post_url"),
        "posted_at": ("posted_at", "posted", "posted on", "date posted", "post date", "postTimestamp", *_WHEN),
        "text": ("text", "caption", "description", "desc", "title", "content", "body"),
        "media_type": ("media_type", "media type", "type", "media", "format"),
        "likes": ("likes", "like count", "like_count", "diggcount", "hearts"),
        "comments": ("comments", "comment count", "comment_count", "commentcount"),
        "shares": ("shares", "share count", "sharecount", "reshares", "reposts"),
        "views": ("views", "view count", "plays", "playcount", "play count"),
    },
    "comments": {
        "actor": ("actor", "commenter", "author", "from", "by", *_HANDLE),
        "text": ("text", "comment", "message", "content", "body"),
        "at": ("at", "commented at", "commented on", "commentDate", "comment date", *_WHEN),
        "post_id": ("post_id", "post", "post id", "video id", "media id", "on post", "post url"),
        "on_account": ("on_account", "on account", "post owner", "media owner", "owner", "on"),
        "kind": ("kind", "type", "interaction", "action"),
    },
    "events": {
        "at": ("at", *_WHEN),
        "kind": ("kind", "type", "category", "event type"),
        "summary": ("summary", "description", "what", "event", "details", "what happened"),
        "accounts": ("accounts", "account", "handles", "usernames", "handle", "username"),
        "precision": ("precision", "accuracy"),
        "recorded_by": ("recorded_by", "recorded by", "by", "who", "entered by", "staff"),
        "evidence_id": ("evidence_id", "evidence", "evidence id", "exhibit"),
    },
    "people": {
        "person_id": ("person_id", "id", "person id", "ref", "reference", "upn"),
        "name": ("name", "full name", "full_name", "person"),
        "role": ("role", "type", "relationship"),
        "year_group": ("year_group", "year", "year group", "yr"),
        "tutor_group": ("tutor_group", "tutor group", "tutor", "form", "form group", "class", "reg group"),
        "handles": ("handles", "handle", "accounts", "usernames", "username", "account"),
        "known_as": ("known_as", "known as", "also known as", "aka", "nickname", "nicknames", "preferred name",
                     "other names"),
    },
    "accounts": {
        "handle": _HANDLE,
        "display_name": _NAME,
        "platform": ("platform", "site", "app", "service"),
        "profile_url": ("profile_url", "url", "profile url"),
        "role": ("role", "type", "category"),
        "created_at": ("created_at", "created", "account created", "created on"),
        "notes": ("notes", "note", "comment", "comments"),
    },
}
REQUIRED_FIELDS = {
    "relationship": ("handle",),
    "posts": ("posted_at",),
    "comments": ("actor",),
    "events": ("at", "summary"),
    "people": ("name",),
    "accounts": ("handle",),
}
NO_USERNAME = "no username in this row"
_BAD_HANDLE = re.compile(r"[\s<>\"'`\x00-\x1f\x7f-\x9f]")
# the same on ASCII text, its whitespace written out (not \s) so that pandas hands it to pyarrow's
# regex engine: ~8x faster on a million handles; non-ASCII handles are checked with _BAD_HANDLE
_BAD_ASCII_HANDLE = r"[\x00-\x20\x7f<>\"'`]"
CONTROL = r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"  # ESC, BEL, backspace, DEL... (not tab or line ends)
#: the longest username each platform allows (their help pages: X 15, Snapchat 15, TikTok 24, Instagram,
#: Threads and YouTube 30, Facebook 50); a longer "handle" is not one, whatever the file says
HANDLE_LIMITS: dict[str, int] = {"x": 15, "snapchat": 15, "tiktok": 24, "instagram": 30, "threads": 30,
                                 "youtube": 30, "facebook": 50}
LONGEST_HANDLE = max(HANDLE_LIMITS.values())
_PLATFORM_NAMES = {"x": "X", "tiktok": "TikTok", "youtube": "YouTube"}
NOT_A_USERNAME = "not a username (it contains spaces, quotes, < > or a NUL character)"
CONTROL_CHARACTER = ("not a username: it holds a control character (such as ESC, BEL, backspace or DEL), which "
                     "could take over the terminal it is shown in")
_NUMBER = re.compile(r"^\s*([\d.,]+)\s*([kKmM]?)\s*$")


def header_key(text: object) -> str:
    """Header text reduced for matching: ``'User Name '`` -> ``'username'``, ``'#'`` -> ``'no'``."""
    raw = str(text).strip().casefold().replace("#", "no")
    return re.sub(r"[^0-9a-z]+", "", raw)


def match_columns(columns: list[str], kind: str) -> dict[str, str]:
    """Map canonical field -> the file's column, by aliases. The first alias that matches wins."""
    by_key: dict[str, str] = {}
    for name in columns:
        by_key.setdefault(header_key(name), name)
    found: dict[str, str] = {}
    used: set[str] = set()
    for field, aliases in ALIASES[kind].items():
        for alias in (field, *aliases):
            column = by_key.get(header_key(alias))
            if column is not None and column not in used:
                found[field] = column
                used.add(column)
                break
    return found


def other_names(kind: str, field: str) -> list[str]:
    """The headers accepted for ``field`` besides its own name, each once (``userName`` is ``username``).

    >>> other_names("relationship", "handle")[:4]
    ['username', 'unique_id', 'account', 'user']
    """
    seen = {header_key(field)}
    names = []
    for alias in ALIASES[kind][field]:
        if header_key(alias) not in seen:
            seen.add(header_key(alias))
            names.append(alias)
    return names


#: headers that only one kind of list has (a column several kinds share, such as likes, views, text
#: or date, never decides: a comments file has likes too)
_KIND_SIGNS: dict[str, set[str]] = {
    "events": {"summary", "whathappened", "event"},
    "comments": {"comment", "commenter", "commentdate", "commentedat", "iscommentoncomment", "commenturl"},
    "posts": {"caption", "postedat", "posted", "dateposted"},
}


def guess_kinds(columns: list[str]) -> list[str]:
    """The kinds of list a spreadsheet's headers point to: one when sure, none or several when not.

    >>> guess_kinds(["Username", "Comment"]), guess_kinds(["author", "likes"]), guess_kinds(["caption", "comment"])
    (['comments'], [], ['comments', 'posts'])
    """
    keys = {header_key(c) for c in columns}
    kinds = [kind for kind, signs in _KIND_SIGNS.items() if keys & signs]
    if keys & {"yeargroup", "tutorgroup", "form", "year"} and keys & {"name", "fullname"}:
        kinds.append("people")
    return kinds


def guess_kind(columns: list[str]) -> str | None:
    """Which list a spreadsheet holds from its headers, or None unless exactly one kind fits."""
    kinds = guess_kinds(columns)
    return kinds[0] if len(kinds) == 1 else None


@dataclass(frozen=True)
class Layout:
    """Which list a table holds and which of its columns feeds each canonical field."""

    list_kind: str  # one of LIST_KINDS
    kind: str  # the ALIASES key: "relationship" for followers and following lists
    columns: dict[str, str]  # canonical field -> the file's column
    zone: str | None = None  # the zone the file's times are written in, when the file's kind says so
    notes: tuple[str, ...] = ()  # which column was taken as which time, and which was not used


#: the time field of each kind, and what it is in words
TIME_FIELDS = {"relationship": ("followed_at", "when each follow began"),
               "posts": ("posted_at", "when each post was made"),
               "comments": ("at", "when each comment was made"), "events": ("at", "when each event happened"),
               "accounts": ("created_at", "when each account was made")}
_TIME_WORDS = re.compile(r"date|time|when|created|posted|followed|^at$")


def _time_columns(columns: list[str], found: dict[str, str], kind: str,
                  timezone: str) -> tuple[dict[str, str], str | None, tuple[str, ...]]:
    """Decide what the file's time columns mean: (columns without a scrape time, zone, notes).

    - a Phantombuster export (``query`` and ``timestamp`` columns): ``timestamp`` is when the page was
      scraped, the same for every row; it is never taken as the time of a follow, post or comment.
    - a Zeeschuimer CSV export (``collected_from_url`` and ``timestamp``): times are written in UTC.
    """
    keys = {header_key(c) for c in columns}
    field, meaning = TIME_FIELDS.get(kind, (None, ""))
    notes: list[str] = []
    zone = None
    if field is None:
        return found, zone, ()
    chosen = found.get(field)
    if {"query", "timestamp"} <= keys and chosen is not None and header_key(chosen) == "timestamp":
        found = {k: v for k, v in found.items() if k != field}
        notes.append(f"the column {chosen!r} is when the scraper read the page (the same time for every row), "
                     f"not {meaning}: it was not used as a time")
        chosen = None
    if {"collectedfromurl", "timestamp"} <= keys:
        zone = "UTC"
    if chosen is not None:
        used = set(found.values())  # a column read as something else ("posted by") is not a time left out
        others = [c for c in columns if c not in used and _TIME_WORDS.search(header_key(c))]
        if others or zone:
            where = ("in UTC (a Zeeschuimer CSV export writes its times in UTC)" if zone
                     else f"in {timezone} when written without a zone")
            notes.append(f"the column {chosen!r} was read as {meaning}, {where}"
                         + (f"; not used as a time: {', '.join(map(repr, others))}" if others else ""))
    return found, zone, tuple(notes)


@dataclass
class Numbering:
    """Positions in a list read in pieces: the next position, and whether the file gives them.

    ``given`` is None until rows are seen, then True when the file's position column has
    values, False when positions are counted (no such column, or it is empty). A piece's
    accounts are then left as listed (the reader de-duplicates them across all pieces).
    """

    next: int = 1
    given: bool | None = None


class MixedNumbering(Exception):  # noqa: N818 - a signal, not an error the person sees
    """A list read in pieces has positions only after rows already numbered by counting:
    read it whole instead (the whole file decides whether its position column is used)."""


def layout(columns: list[str], path: Path, options: LoadOptions) -> Layout:
    """The list kind and column mapping of a table with these header names (checks the required ones)."""
    kinds = guess_kinds(columns)
    list_kind = options.list_kind or (kinds[0] if len(kinds) == 1 else None)
    if list_kind is None or list_kind not in LIST_KINDS:
        could = f"it could hold {' or '.join(kinds)}; " if len(kinds) > 1 else ""
        raise FormatError(
            f"{path.name}: say which list this file holds with --list ({'|'.join(LIST_KINDS)}), or choose "
            f"it in the import form; {could}the kit does not guess it from columns several lists share. "
            f"Its columns are: {', '.join(map(str, columns))}."
        )
    kind = "relationship" if list_kind in ("followers", "following") else list_kind
    found = match_columns([str(c) for c in columns], kind)
    found, zone, notes = _time_columns([str(c) for c in columns], found, kind, options.timezone)
    missing = [f for f in REQUIRED_FIELDS[kind] if f not in found]
    if missing:
        wanted = "; ".join(f"'{f}' (or {', '.join(repr(a) for a in other_names(kind, f)[:5])})" for f in missing)
        raise InputError(
            f"{path.name}: no column for {wanted}. The columns found are: "
            f"{', '.join(map(str, columns))}." + "".join(f" Note: {note}." for note in notes),
            [Problem(str(path), 1, None, f"missing column {f!r}") for f in missing],
        )
    return Layout(list_kind, kind, found, zone, notes)


def to_frames(raw: pd.DataFrame, path: Path, options: LoadOptions, *, format: str) -> LoadResult:
    """Turn a raw all-text table (as read from the file) into canonical frames."""
    result = LoadResult(format=format)
    plan = layout(list(raw.columns), path, options)
    result.frames = convert(raw, path, options, plan, result.problems)
    result.notes += [f"{path.name}: {note}" for note in plan.notes]
    return result


def convert(raw: pd.DataFrame, path: Path, options: LoadOptions, plan: Layout, problems: list[Problem], *,
            first_row: int = 2, numbering: Numbering | None = None) -> dict[str, pd.DataFrame]:
    """Canonical frames from a raw all-text table (or a piece of one whose first row is ``first_row``).

    Rows that cannot be read are left out and listed in ``problems`` with their spreadsheet row
    numbers (the header is row 1). ``numbering`` carries list positions from one piece to the next.
    """
    if plan.zone:
        options = replace(options, timezone=plan.zone)
    data = raw.rename(columns={v: k for k, v in plan.columns.items()})[list(plan.columns)]
    data.index = pd.RangeIndex(first_row, first_row + len(data))  # spreadsheet row numbers
    blank = data.isna().all(axis=1) | data.astype("string").fillna("").apply(lambda c: c.str.strip()).eq("").all(axis=1)
    data = data[~blank]
    bad = pd.Series(False, index=data.index)
    found: list[Problem] = []
    if plan.kind == "relationship":
        frames = _relationships(data, path, options, plan.list_kind, found, bad, numbering=numbering)
    else:
        builder = {"posts": _posts, "comments": _comments, "events": _events, "people": _people,
                   "accounts": _accounts}[plan.kind]
        frames = builder(data, path, options, plan.list_kind, found, bad)
    problems += [_as_headed(p, plan.columns) for p in found]
    return {name: df[~bad.reindex(df.index, fill_value=False)].reset_index(drop=True)
            for name, df in frames.items()}


# ----------------------------------------------------------------------------- helpers
def _as_headed(problem: Problem, columns: dict[str, str]) -> Problem:
    """A row problem naming its column as the file heads it (``Followed at``), the kit's field kept beside."""
    heading = columns.get(problem.column or "")
    return problem if heading is None else replace(problem, column=heading, field=problem.column)


def _text(data: pd.DataFrame, field: str) -> pd.Series:
    if field not in data:
        return pd.Series(pd.NA, index=data.index, dtype="string")
    values = data[field].astype("string").str.strip()
    return values.mask(values.eq(""))


def _flag(problems: list[Problem], bad: pd.Series, path: Path, rows: pd.Index, column: str,
          values: pd.Series, reason: str | pd.Series) -> None:
    for row in rows:
        why = reason if isinstance(reason, str) else str(reason[row])
        problems.append(Problem(str(path), int(row), column, why, None if pd.isna(values[row]) else str(values[row])))
        bad[row] = True


def _handles(data: pd.DataFrame, field: str, path: Path, columns: str, problems: list[Problem],
             bad: pd.Series, *, required: bool, platform: str | pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
    raw = _text(data, field)
    shown = shown_handles(raw.fillna(""))
    keys = fold_case(shown)
    empty = keys.eq("") | raw.isna()
    if required:
        _flag(problems, bad, path, data.index[empty & ~bad], columns, raw, NO_USERNAME)
    wrong = bad_handles(shown)
    if wrong.any():
        control = shown.str.contains(CONTROL, regex=True).fillna(False)
        _flag(problems, bad, path, data.index[wrong & ~empty & control], columns, raw, CONTROL_CHARACTER)
        _flag(problems, bad, path, data.index[wrong & ~empty & ~control], columns, raw, NOT_A_USERNAME)
    long = too_long(shown, platform)
    if long.any():
        _flag(problems, bad, path, data.index[long.notna() & ~wrong & ~empty], columns, raw, long)
    return shown.mask(shown.eq("")).astype("string"), keys.mask(keys.eq("")).astype("string")


def too_long(shown: pd.Series, platform: str | pd.Series | None) -> pd.Series:
    """Why each handle is longer than its platform allows (None where it is not); ``id:N`` handles
    (accounts known only by their number) are not usernames and have no such limit.

    >>> why = too_long(pd.Series(["ok", "a" * 31], dtype="string"), "instagram")
    >>> pd.isna(why[0]), why[1]
    (True, 'longer than any Instagram username can be: 31 characters, and Instagram allows 30 at most')
    """
    names: pd.Series | None = None
    if isinstance(platform, pd.Series):
        names = platform.reindex(shown.index).fillna("").astype(str)
        limits: pd.Series | int = names.map(HANDLE_LIMITS).fillna(LONGEST_HANDLE).astype(int)
    else:  # one platform for the whole list: one limit, no per-row lookup
        limits = HANDLE_LIMITS.get(platform or "", LONGEST_HANDLE)
    lengths = shown.fillna("").str.len().astype(int)
    over = lengths > limits
    if over.any():  # the id:N test only where a handle is long (rare)
        over &= ~shown.fillna("").str.match(r"^id:[0-9]+$")
    out = pd.Series(None, index=shown.index, dtype=object)
    for row in shown.index[over]:
        name = names[row] if names is not None else platform or ""
        limit = limits[row] if isinstance(limits, pd.Series) else limits
        label = _PLATFORM_NAMES.get(name, name.capitalize()) if name in HANDLE_LIMITS else None
        out[row] = (f"longer than any {label} username can be: {lengths[row]} characters, and {label} allows "
                    f"{limit} at most" if label else
                    f"longer than any username can be: {lengths[row]} characters, and no platform the kit "
                    f"knows allows more than {LONGEST_HANDLE}")
    return out


def bad_handles(shown: pd.Series) -> pd.Series:
    """True where a handle has whitespace, quotes or < > in it (what ``_BAD_HANDLE`` finds).

    >>> bad_handles(pd.Series(["ok.name", "two words", "nbsp\\u00a0x", "zoë"], dtype="string")).tolist()
    [False, True, True, False]
    """
    wrong = shown.str.contains(_BAD_ASCII_HANDLE)
    wide = ~shown.str.isascii()
    if wide.any():
        wrong[wide] = shown[wide].str.contains(_BAD_HANDLE)
    return wrong


def _times(data: pd.DataFrame, field: str, path: Path, options: LoadOptions, problems: list[Problem],
           bad: pd.Series, *, required: bool) -> pd.Series:
    values = _text(data, field)
    times, reasons = parse_times(values, options.timezone)
    unreadable = reasons.notna()
    _flag(problems, bad, path, data.index[unreadable], field, values, reasons)
    if required:
        _flag(problems, bad, path, data.index[values.isna()], field, values, "no date or time in this row")
    return times


def _numbers(data: pd.DataFrame, field: str, path: Path, problems: list[Problem], bad: pd.Series) -> pd.Series:
    values = _text(data, field)
    out = pd.Series(pd.NA, index=data.index, dtype="Int64")
    for row, value in values.dropna().items():
        match = _NUMBER.match(value)
        if not match:
            _flag(problems, bad, path, pd.Index([row]), field, values, "not a number")
            continue
        number = float(match.group(1).replace(",", "")) * {"": 1, "k": 1e3, "m": 1e6}[match.group(2).lower()]
        out[row] = int(round(number))
    return out


def _require_account(options: LoadOptions, path: Path, what: str) -> tuple[str, str]:
    if not options.account:
        raise FormatError(f"{path.name}: say whose {what} this is with --account HANDLE.")
    keys = handle_keys(pd.Series([options.account]))
    return options.account.lstrip("@"), str(keys.iloc[0])


def _platform(options: LoadOptions, path: Path) -> str:
    if not options.platform:
        raise FormatError(f"{path.name}: say which platform this list is from with --platform (e.g. tiktok).")
    return options.platform.strip().casefold()


def _accounts_frame(platform: str, shown: pd.Series, keys: pd.Series, names: pd.Series | None = None, *,
                    unique: bool = True) -> pd.DataFrame:
    frame = pd.DataFrame({"platform": platform, "handle": shown, "handle_key": keys,
                          "display_name": names if names is not None else pd.NA})
    frame = frame.dropna(subset=["handle_key"])
    return frame.drop_duplicates("handle_key", keep="first") if unique else frame


def _owner_row(platform: str, shown: str, key: str) -> pd.DataFrame:
    return pd.DataFrame({"platform": [platform], "handle": [shown], "handle_key": [key]})


# ----------------------------------------------------------------------------- builders
def _relationships(data: pd.DataFrame, path: Path, options: LoadOptions, list_kind: str,
                   problems: list[Problem], bad: pd.Series, *,
                   numbering: Numbering | None = None) -> dict[str, pd.DataFrame]:
    platform = _platform(options, path)
    owner_shown, owner = _require_account(options, path, list_kind)
    shown, keys = _handles(data, "handle", path, "handle", problems, bad, required=True, platform=platform)
    followed_at = _times(data, "followed_at", path, options, problems, bad, required=False)
    position = _numbers(data, "position", path, problems, bad) if "position" in data else None
    whole = numbering is None
    numbering = numbering or Numbering()
    counted = position is None or position.isna().all()
    if len(data) and numbering.given is None:
        numbering.given = not counted
    if counted and numbering.given is not True:
        position = pd.Series(range(numbering.next, numbering.next + len(data)), index=data.index, dtype="Int64")
    elif not counted and numbering.given is False:
        raise MixedNumbering(f"{path.name}: positions start after row {numbering.next}")
    numbering.next += len(data)
    observed = options.observed_at if options.observed_at is not None else pd.Timestamp.now(tz="UTC")
    followers = list_kind == "followers"
    rel = pd.DataFrame({
        "platform": platform,
        "follower": keys if followers else owner,
        "followed": owner if followers else keys,
        "observed_list": f"{list_kind} of @{owner_shown}",
        "position": position,
        "followed_at": followed_at,
        "observed_at": observed,
    }, index=data.index)
    listed = _accounts_frame(platform, shown[~bad], keys[~bad], _text(data, "display_name")[~bad], unique=whole)
    # the owner first, once (in a whole list, the listed accounts are each there once already)
    accounts = pd.concat([_owner_row(platform, owner_shown, owner), listed[listed["handle_key"] != owner]])
    return {"relationships": rel, "accounts": accounts}


def _posts(data: pd.DataFrame, path: Path, options: LoadOptions, list_kind: str,
           problems: list[Problem], bad: pd.Series) -> dict[str, pd.DataFrame]:
    platform = _platform(options, path)
    if "account" in data:
        shown, keys = _handles(data, "account", path, "account", problems, bad, required=False, platform=platform)
    else:
        shown = keys = pd.Series(pd.NA, index=data.index, dtype="string")
    if keys.isna().any():
        if options.account:
            owner_shown, owner = _require_account(options, path, "posts")
            shown, keys = shown.fillna(owner_shown), keys.fillna(owner)
        else:
            _flag(problems, bad, path, data.index[keys.isna() & ~bad], "account", shown,
                  "no account for this post (add an account column or use --account)")
    posts = pd.DataFrame({
        "platform": platform, "account": keys, "post_id": _text(data, "post_id"), "url": _text(data, "url"),
        "posted_at": _times(data, "posted_at", path, options, problems, bad, required=True),
        "text": _text(data, "text"), "media_type": _text(data, "media_type"),
        **{n: _numbers(data, n, path, problems, bad) for n in ("likes", "comments", "shares", "views")},
    }, index=data.index)
    return {"posts": posts, "accounts": _accounts_frame(platform, shown[~bad], keys[~bad])}


def _comments(data: pd.DataFrame, path: Path, options: LoadOptions, list_kind: str,
              problems: list[Problem], bad: pd.Series) -> dict[str, pd.DataFrame]:
    platform = _platform(options, path)
    shown, keys = _handles(data, "actor", path, "actor", problems, bad, required=True, platform=platform)
    on_shown, on_keys = _handles(data, "on_account", path, "on_account", problems, bad, required=False,
                                 platform=platform)
    if options.account:
        owner_shown, owner = _require_account(options, path, "comments")
        on_shown, on_keys = on_shown.fillna(owner_shown), on_keys.fillna(owner)
    kinds = _text(data, "kind").str.casefold().fillna("comment")
    from ..schema import INTERACTION_KINDS
    wrong = ~kinds.isin(INTERACTION_KINDS)
    _flag(problems, bad, path, data.index[wrong], "kind", kinds,
          f"kind should be one of {', '.join(INTERACTION_KINDS)}")
    interactions = pd.DataFrame({
        "platform": platform, "actor": keys, "kind": kinds, "on_account": on_keys,
        "post_id": _text(data, "post_id"), "text": _text(data, "text"),
        "at": _times(data, "at", path, options, problems, bad, required=False),
    }, index=data.index)
    accounts = pd.concat([_accounts_frame(platform, shown[~bad], keys[~bad]),
                          _accounts_frame(platform, on_shown[~bad], on_keys[~bad])])
    return {"interactions": interactions, "accounts": accounts.drop_duplicates("handle_key")}


def _events(data: pd.DataFrame, path: Path, options: LoadOptions, list_kind: str,
            problems: list[Problem], bad: pd.Series) -> dict[str, pd.DataFrame]:
    from ..schema import PRECISIONS
    precision = _text(data, "precision").str.casefold().fillna("exact")
    wrong = ~precision.isin(PRECISIONS)
    _flag(problems, bad, path, data.index[wrong], "precision", precision,
          f"precision should be one of {', '.join(PRECISIONS)}")
    summary = _text(data, "summary")
    _flag(problems, bad, path, data.index[summary.isna()], "summary", summary, "no summary in this row")
    accounts = _text(data, "accounts").fillna("")
    accounts = accounts.map(lambda s: ",".join(k for k in handle_keys(pd.Series(re.split(r"[,;\s]+", s))) if k))
    events = pd.DataFrame({
        "at": _times(data, "at", path, options, problems, bad, required=True),
        "precision": precision, "kind": _text(data, "kind").str.casefold().fillna("note"),
        "summary": summary, "accounts": accounts.astype("string"),
        "evidence_id": _text(data, "evidence_id"), "recorded_by": _text(data, "recorded_by"),
        "source": "entered",
    }, index=data.index)
    return {"events": events}


def _people(data: pd.DataFrame, path: Path, options: LoadOptions, list_kind: str,
            problems: list[Problem], bad: pd.Series) -> dict[str, pd.DataFrame]:
    from ..schema import PERSON_ROLES
    name = _text(data, "name")
    _flag(problems, bad, path, data.index[name.isna()], "name", name, "no name in this row")
    role = _text(data, "role").str.casefold().fillna("learner")
    wrong = ~role.isin(PERSON_ROLES)
    _flag(problems, bad, path, data.index[wrong], "role", role, f"role should be one of {', '.join(PERSON_ROLES)}")
    person_id = _text(data, "person_id")
    person_id = person_id.fillna(pd.Series([f"P{r:04d}" for r in data.index], index=data.index, dtype="string"))
    handles = _text(data, "handles").fillna("")
    pairs = [(row, h) for row, cell in handles.items() for h in re.split(r"[,;\s]+", cell) if h]
    listed = pd.Series([h for _, h in pairs], index=[row for row, _ in pairs], dtype="string")
    if len(listed):  # each handle of the cell checked as an accounts list's are (markup, quotes, control characters)
        shown = shown_handles(listed.astype("string"))
        control = shown.str.contains(CONTROL, regex=True).fillna(False)
        wrong = (bad_handles(shown) | control).to_numpy()
        _flag(problems, bad, path, listed.index[wrong & control.to_numpy()].unique(), "handles", handles,
              CONTROL_CHARACTER)
        _flag(problems, bad, path, listed.index[wrong & ~control.to_numpy()].unique().difference(
            listed.index[wrong & control.to_numpy()]), "handles", handles, NOT_A_USERNAME)
    handles = handles.map(lambda s: ",".join(k for k in handle_keys(pd.Series(re.split(r"[,;\s]+", s))) if k))
    people = pd.DataFrame({
        "person_id": person_id, "name": name, "role": role, "year_group": _text(data, "year_group"),
        "tutor_group": _text(data, "tutor_group"), "handles": handles.astype("string"),
        "known_as": _text(data, "known_as").map(_other_names, na_action="ignore").astype("string"),
    }, index=data.index)
    return {"people": people}


def _other_names(text: str) -> str | None:
    """A "Known as" cell as the people table keeps it: names separated by ", " ("Zeph / Ziggy" -> "Zeph, Ziggy")."""
    return ", ".join(items(text, ",;/")) or None


def _accounts(data: pd.DataFrame, path: Path, options: LoadOptions, list_kind: str,
              problems: list[Problem], bad: pd.Series) -> dict[str, pd.DataFrame]:
    from ..schema import PLATFORMS, ROLES
    shown, keys = _handles(data, "handle", path, "handle", problems, bad, required=True,
                           platform=_text(data, "platform").str.casefold().fillna((options.platform or "").casefold()))
    platform = _text(data, "platform").str.casefold()
    if platform.isna().any():
        if not options.platform:
            _flag(problems, bad, path, data.index[platform.isna() & ~bad], "platform", platform,
                  "no platform in this row (add a platform column or use --platform)")
        platform = platform.fillna((options.platform or "").casefold())
    unknown = platform.ne("").fillna(False) & ~platform.isin(PLATFORMS) & ~bad
    _flag(problems, bad, path, data.index[unknown], "platform", platform,
          f"not a platform the kit knows: {', '.join(PLATFORMS[:-1])} (or other for one not listed)")
    role = _text(data, "role").str.casefold()
    wrong = role.notna() & ~role.isin(ROLES)
    _flag(problems, bad, path, data.index[wrong], "role", role, f"role should be one of {', '.join(ROLES)}")
    accounts = pd.DataFrame({
        "platform": platform, "handle": shown, "handle_key": keys,
        "display_name": _text(data, "display_name"), "profile_url": _text(data, "profile_url"),
        "role": role, "created_at": _times(data, "created_at", path, options, problems, bad, required=False),
        "notes": _text(data, "notes"),
    }, index=data.index)
    return {"accounts": accounts}
