"""Shared parts of the platform-export loaders: reading a zip, folder or file by member name,
JSON with clear errors, the Meta mojibake repair, epoch times, and building canonical frames.

Nothing here knows one platform; each loader module (instagram, tiktok, x, ...) uses these.
"""

from __future__ import annotations

import json
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import pandas as pd
import pyarrow as pa

from ..errors import FormatError, Problem
from ..words import handle_keys, shown_handles
from . import LoadOptions, LoadResult
from ._files import check_regular, check_size, decode_text, human_size, max_bytes, max_json_bytes, sniff_encoding

log = logging.getLogger("investigate")

#: How much of a file the sniffers read (they must stay cheap on a 1 GB export).
HEAD_BYTES = 64 * 1024
#: How much of a zip member is unpacked at a time (zipfile's read() of a whole member unpacks as much
#: as the data holds in one call, whatever the member's header says).
_UNPACK_PIECE = 256 * 1024
#: A folder is listed up to this many files when sniffing.
MAX_LISTED = 50_000

#: Human names of the formats, for messages ("this looks like a TikTok export").
LABELS = {
    "instagram": "an Instagram export", "tiktok": "a TikTok export", "x": "an X (Twitter) archive",
    "facebook": "a Facebook export", "snapchat": "a Snapchat export", "zeeschuimer": "a Zeeschuimer capture",
    "instaloader": "an Instaloader download", "xlsx": "an Excel workbook", "csv": "a CSV file",
    "text": "a pasted text list",
}


# ----------------------------------------------------------------------------- text repair
def fix_mojibake(text: str) -> str:
    """Undo the Instagram/Facebook export encoding (each UTF-8 byte written as one ``\\u00XX``).

    Text that was not encoded that way is returned unchanged.

    >>> fix_mojibake("Zo\\u00c3\\u00ab \\u00f0\\u009f\\u0091\\u008f"), fix_mojibake("café"), fix_mojibake("ok")
    ('Zoë 👏', 'café', 'ok')
    """
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def fix_tree(value: Any) -> Any:
    """:func:`fix_mojibake` on every string (keys too) of parsed JSON.

    >>> fix_tree({"t\\u00c3\\u00a9": ["\\u00c3\\u00a9", 1]})
    {'té': ['é', 1]}
    """
    if isinstance(value, str):
        return fix_mojibake(value)
    if isinstance(value, list):
        return [fix_tree(v) for v in value]
    if isinstance(value, dict):
        return {fix_tree(k): fix_tree(v) for k, v in value.items()}
    return value


# ----------------------------------------------------------------------------- JSON
_HIGH_ESCAPE = re.compile(r"\\u00[89a-fA-F][0-9a-fA-F]")

def parse_json(text: str, label: str, *, start: int = 0) -> Any:
    """Parse JSON text (from ``start``; trailing text such as ``;`` is ignored when ``start`` > 0).

    Raises :class:`FormatError` naming the file, line, column and whether it looks cut short.

    >>> parse_json('{"a": [1, 2', "f.json")
    Traceback (most recent call last):
    ...
    investigate.errors.FormatError: f.json: the file is cut short (truncated) at line 1, column 12 ...
    """
    try:
        if start:
            value, _ = json.JSONDecoder().raw_decode(text, start)
            return value
        return json.loads(text)
    except RecursionError:
        raise FormatError(f"{label}: the JSON is nested too deeply to be an export (lists inside lists "
                          "thousands of levels down); the file is damaged or made to break readers.") from None
    except json.JSONDecodeError as exc:
        end = len(text.rstrip())
        if exc.pos >= end - 1 or exc.msg.startswith("Unterminated"):
            raise FormatError(
                f"{label}: the file is cut short (truncated) at line {exc.lineno}, column {exc.colno} "
                f"(character {exc.pos}); the JSON stops before it is complete. Download or export it again; "
                "if it came in a zip, extract it again."
            ) from None
        raise FormatError(
            f"{label}: the JSON cannot be read at line {exc.lineno}, column {exc.colno} (character {exc.pos}): "
            f"{exc.msg}. The file is damaged or is not JSON."
        ) from None


def decode(data: bytes, label: str, notes: list[str] | None = None) -> str:
    """Bytes of a text file -> text, the encoding decided from all of it (exports are UTF-8, sometimes
    with a BOM); each line whose stray Windows-1252 bytes were repaired is added to ``notes`` (see
    :func:`._files.decode_text`)."""
    text, repaired = decode_text(data, label)
    if notes is not None:
        notes += repaired
    return text


def get(mapping: Any, *names: str) -> Any:
    """``mapping[name]`` for the first of ``names`` present, compared without case; else None.

    >>> get({"Your Activity": 1}, "activity", "your activity")
    1
    """
    if not isinstance(mapping, dict):
        return None
    for name in names:  # the exact spelling first: the common case, and fast on a million entries
        if name in mapping:
            return mapping[name]
    lowered = {str(k).casefold(): v for k, v in mapping.items()}
    for name in names:
        if name.casefold() in lowered:
            return lowered[name.casefold()]
    return None


def dig(mapping: Any, *path: str | tuple[str, ...]) -> Any:
    """Follow keys (each a name or a tuple of alternative names), case-insensitively; None if missing.

    >>> data = {"Activity": {"Follower List": {"FansList": [1]}}}
    >>> dig(data, ("activity", "your activity"), "follower list", "fanslist")
    [1]
    """
    value = mapping
    for step in path:
        names = step if isinstance(step, tuple) else (step,)
        value = get(value, *names)
        if value is None:
            return None
    return value


# ----------------------------------------------------------------------------- zip / folder / file
def natural(name: str) -> list[Any]:
    """Sort key putting ``followers_2.json`` before ``followers_10.json``."""
    return [int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", name)]


@dataclass
class Bundle:
    """A zip, a folder or a single file, whose files are found by name pattern.

    ``names`` are paths inside the zip or folder (``/``-separated); a single file is its own name.
    """

    path: Path
    kind: str = ""  # "zip", "folder" or "file"
    names: list[str] = field(default_factory=list)
    _sizes: dict[str, int] = field(default_factory=dict)
    unpacked: int = 0  # bytes unpacked from the zip so far: all of them together stay under the limit
    notes: list[str] = field(default_factory=list)  # lines repaired while reading (see decode)

    @classmethod
    def open(cls, path: Path, *, limit: int | None = None) -> Bundle:
        if path.is_dir():
            names: list[str] = []
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(p.startswith(".") for p in child.relative_to(path).parts):
                    names.append(child.relative_to(path).as_posix())
                    if limit is not None and len(names) >= limit:
                        break
            return cls(path, "folder", names)
        if path.is_file() and zipfile.is_zipfile(path):
            try:
                with zipfile.ZipFile(path) as archive:
                    infos = [i for i in archive.infolist() if not i.is_dir()]
            except (zipfile.BadZipFile, OSError) as exc:
                raise FormatError(f"{path.name}: the zip cannot be opened ({exc}).") from None
            return cls(path, "zip", [i.filename for i in infos], {i.filename: i.file_size for i in infos})
        return cls(path, "file", [path.name])

    def find(self, pattern: str) -> list[str]:
        """Names whose last part matches ``pattern`` (a regex, whole name, any case), in natural order."""
        rx = re.compile(pattern, re.IGNORECASE)
        found = [n for n in self.names if rx.fullmatch(n.rsplit("/", 1)[-1])]
        return sorted(found, key=natural)

    def label(self, name: str) -> str:
        """How a member is named in messages and problems: ``export.zip: connections/followers_1.json``."""
        return self.path.name if self.kind == "file" else f"{self.path.name}: {name}"

    def _unpack(self, name: str) -> None:
        """Count a zip member read whole against the import's total (a small zip may unpack to gigabytes)."""
        size = self._sizes.get(name, 0)
        check_size(Path(name), size, what="file inside the zip")
        self.unpacked += size
        if self.unpacked > max_bytes():
            raise FormatError(
                f"{self.path.name}: the files the kit reads from this zip unpack to more than "
                f"{human_size(max_bytes())} together; it may be a zip bomb. Import its folders one at a time, "
                "or raise INVESTIGATE_MAX_BYTES if the export really is this large.")

    @contextmanager
    def open_binary(self, name: str) -> Iterator[IO[bytes]]:
        """One member as a binary file object, read as it is consumed (for streaming large lists).

        Never refused for its size: the size limits (:func:`._files.check_size`, the zip's total) bound
        what is read whole into memory, and a streamed file is held a piece at a time. (A zip member
        stops at the size its header gives, and one that unpacks to something else fails its check.)
        """
        if self.kind == "zip":
            try:
                with zipfile.ZipFile(self.path) as archive, archive.open(name) as handle:
                    yield handle
            except (zipfile.BadZipFile, EOFError) as exc:
                raise FormatError(f"{self.label(name)}: cannot be read from the zip ({exc}).") from None
            return
        target = self.path if self.kind == "file" else self.path / name
        check_regular(target)
        with open(target, "rb") as handle:
            yield handle

    def size(self, name: str) -> int:
        """A member's size in bytes (unpacked, for a zip)."""
        if self.kind == "zip":
            return self._sizes.get(name, 0)
        return (self.path if self.kind == "file" else self.path / name).stat().st_size

    def read_bytes(self, name: str) -> bytes:
        if self.kind == "zip":
            self._unpack(name)
            try:
                with zipfile.ZipFile(self.path) as archive, archive.open(name) as handle:
                    return self._bounded(handle, name)
            except zipfile.BadZipFile as exc:
                if "CRC" in str(exc):
                    raise FormatError(
                        f"{self.label(name)}: what this file holds in the zip does not match the zip's own record "
                        "of it (its size or checksum); the zip is damaged or made to break readers, so nothing "
                        "was read from it. Download or export it again.") from None
                raise FormatError(f"{self.label(name)}: cannot be read from the zip ({exc}).") from None
            except (OSError, EOFError) as exc:
                raise FormatError(f"{self.label(name)}: cannot be read from the zip ({exc}).") from None
        target = self.path if self.kind == "file" else self.path / name
        check_size(target)
        return target.read_bytes()

    def _bounded(self, handle: IO[bytes], name: str) -> bytes:
        """A zip member read piece by piece, counting what is really unpacked (never what its header
        claims): a member whose header says 100 bytes but which unpacks to gigabytes stops at the limit."""
        limit = max_bytes()
        parts: list[bytes] = []
        total = 0
        while chunk := handle.read(min(_UNPACK_PIECE, limit + 1)):
            total += len(chunk)
            if total > limit:
                raise FormatError(
                    f"{self.label(name)}: this file unpacks to more than {human_size(limit)}, although the zip "
                    "says it is smaller; it may be a zip bomb, so nothing was read from it.")
            parts.append(chunk)
        return b"".join(parts)

    def read_text(self, name: str) -> str:
        return decode(self.read_bytes(name), self.label(name), self.notes)

    def read_json(self, name: str, *, mojibake: bool = False) -> Any:
        if self.size(name) > max_json_bytes():
            raise FormatError(
                f"{self.label(name)}: this JSON file is {human_size(self.size(name))}, more than the "
                f"{human_size(max_json_bytes())} the kit reads whole (reading it takes about ten times that in "
                "memory). This file is read whole (only Instagram's followers/following lists and TikTok's "
                "user_data.json are read in pieces): raise INVESTIGATE_MAX_JSON_BYTES if this computer has "
                "the memory.")
        text = self.read_text(name)
        value = parse_json(text, self.label(name))
        if mojibake and (not text.isascii() or _HIGH_ESCAPE.search(text)):  # pure ASCII needs no repair
            try:
                return fix_tree(value)
            except RecursionError:
                raise FormatError(f"{self.label(name)}: the JSON is nested too deeply to be an export.") from None
        return value

    def head(self, name: str, size: int = HEAD_BYTES) -> bytes:
        """The first bytes of one member (for sniffing)."""
        if self.kind == "zip":
            with zipfile.ZipFile(self.path) as archive, archive.open(name) as handle:
                return handle.read(size)
        target = self.path if self.kind == "file" else self.path / name
        with open(target, "rb") as handle:
            return handle.read(size)


def listing(path: Path) -> Bundle | None:
    """A cheap :class:`Bundle` for sniffing (folders listed up to a limit); None if unreadable."""
    try:
        return Bundle.open(path, limit=MAX_LISTED)
    except (FormatError, OSError):
        return None


def head_text(path: Path, size: int = HEAD_BYTES) -> str:
    """The first ``size`` bytes of a plain file as text ("" when it cannot be read)."""
    if not path.is_file():
        return ""
    try:
        with open(path, "rb") as handle:
            data = handle.read(size)
    except OSError:
        return ""
    return data.decode(sniff_encoding(data), errors="replace").lstrip("\ufeff")


# ----------------------------------------------------------------------------- wrong file
def wrong_file(path: Path, expected: str) -> FormatError:
    """The error for a file given to the wrong loader: what was expected, and what it looks like."""
    from . import _registry  # at call time: the registry imports the loaders

    found = None
    for name, module in _registry().items():
        if name == expected or name in ("csv", "xlsx", "text"):
            continue
        try:
            if module.sniff(path):
                found = name
                break
        except Exception:  # noqa: BLE001 - a sniffer's failure only means "not this one"
            continue
    want = LABELS[expected]
    if found:
        return FormatError(f"{path.name}: this looks like {LABELS[found]}, not {want}. "
                           f"Import it with --format {found} (or --format auto).")
    return FormatError(f"{path.name}: this is not {want}; the kit expected {EXPECTED[expected]}, "
                       f"but found {describe(path)}.")


EXPECTED = {
    "instagram": "a 'Download your information' zip or folder (followers_1.json, following.json, posts_1.json...)",
    "tiktok": "user_data.json or user_data_tiktok.json (with Profile and Activity sections)",
    "x": "an X archive zip or folder, or one of its data/*.js files (follower.js, following.js, tweets.js)",
    "facebook": "a Facebook export with your_friends.json, people_who_followed_you.json or who_you've_followed.json",
    "snapchat": "a Snapchat export with json/friends.json",
    "zeeschuimer": "an .ndjson file, one captured item per line (item_id, source_platform, data)",
    "instaloader": "Instaloader files named like 2025-11-27_13-05-00_UTC.json.xz or ..._UTC_comments.json",
}


def describe(path: Path) -> str:
    """A short description of what a file holds, for error messages."""
    bundle = listing(path)
    if bundle is None:
        return "a file the kit cannot open"
    if bundle.kind in ("zip", "folder"):
        shown = ", ".join(n.rsplit("/", 1)[-1] for n in bundle.names[:5])
        more = f" and {len(bundle.names) - 5} more" if len(bundle.names) > 5 else ""
        return f"a {bundle.kind} holding {len(bundle.names)} file(s): {shown}{more}" if bundle.names \
            else f"an empty {bundle.kind}"
    text = head_text(path, 4096).strip()
    if text.startswith("{"):
        keys = re.findall(r'^\s{0,4}"([^"]{1,40})"\s*:', text, re.MULTILINE)[:6]
        keys = keys or re.findall(r'"([^"]{1,40})"\s*:', text)[:6]
        return "a JSON object with the keys " + ", ".join(keys) if keys else "a JSON object"
    if text.startswith("["):
        return "a JSON list"
    return f"a file starting {text[:40]!r}" if text else "an empty file"


# ----------------------------------------------------------------------------- times and numbers
def epoch(value: Any) -> tuple[datetime | None, str | None]:
    """Epoch seconds (or milliseconds) -> UTC time; (None, None) for empty/0, (None, reason) if unreadable.

    >>> str(epoch(1676354318)[0]), str(epoch("1676354318000")[0]), epoch(0), epoch("x")[1][:10]
    ('2023-02-14 05:58:38+00:00', '2023-02-14 05:58:38+00:00', (None, None), 'not a time')
    """
    if value is None or value == "" or value == 0 or value == "0":
        return None, None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None, "not a time (epoch seconds expected)"
    if number != number or number < 0:
        return None, "not a time (epoch seconds expected)"
    try:  # datetime, not pd.Timestamp: ten times faster on a million rows; frames convert them at once
        stamp = datetime.fromtimestamp(int(number) / 1000 if number > 1e11 else int(number), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None, "a time out of range"
    return stamp, None


_COUNT = re.compile(r"^\s*([\d.,]+)\s*([kKmM]?)\s*$")


def count(value: Any) -> tuple[int | None, str | None]:
    """A count written as a number or text (``"1,204"``, ``"1.2K"``) -> int; (None, reason) if unreadable.

    >>> count("1,204"), count("1.2K"), count(7), count(None), count("lots")[1]
    ((1204, None), (1200, None), (7, None), (None, None), 'not a number')
    """
    if value is None or value == "":
        return None, None
    if isinstance(value, bool):
        return None, "not a number"
    if isinstance(value, int | float):
        return int(value), None
    match = _COUNT.match(str(value))
    if not match:
        return None, "not a number"
    try:
        number = float(match.group(1).replace(",", ""))
    except ValueError:
        return None, "not a number"
    return int(round(number * {"": 1, "k": 1e3, "m": 1e6}[match.group(2).lower()])), None


_NOT_A_HANDLE = re.compile(r"[\s<>\"'`\x00-\x1f\x7f-\x9f]")
#: no platform allows a longer username (Facebook's 50; see _tabular.HANDLE_LIMITS)
_LONGEST_HANDLE = 50


def not_a_handle(text: str) -> bool:
    """True for text no platform allows in a username (whitespace, quotes, markup, NUL, control
    characters such as ESC, or longer than any platform allows): refused like a typed one, so that
    markup in an export is never used as a link or a style, nor an escape sequence sent to a terminal.

    >>> not_a_handle("quill.feather"), not_a_handle("<b>x</b>"), not_a_handle("two words"), not_a_handle("a\x1b[2J")
    (False, True, True, True)
    """
    return bool(_NOT_A_HANDLE.search(text)) or len(text) > _LONGEST_HANDLE


_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def why_not_a_handle(text: str) -> str:
    """Why :func:`not_a_handle` refuses ``text``, in words.

    >>> why_not_a_handle("a\x1b[2J")[:40], why_not_a_handle("a" * 51)[:37]
    ('not a username: it holds a control chara', 'not a username: 51 characters, longer')
    """
    if _CONTROL.search(text):
        return ("not a username: it holds a control character (such as ESC, BEL, backspace or DEL), which could "
                "take over the terminal it is shown in")
    if len(text) > _LONGEST_HANDLE:
        return f"not a username: {len(text)} characters, longer than any platform allows ({_LONGEST_HANDLE} at most)"
    return "not a username (it contains spaces, quotes, < > or a NUL character)"


def text_or_none(value: Any) -> str | None:
    """A JSON value as stripped text, None when empty or not text-like."""
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


# ----------------------------------------------------------------------------- owners
def owner_handle(path: Path, expected: str, *, from_export: str | None, options: LoadOptions,
                 fallback: str | None = None) -> str:
    """The export's owner as shown: from the export itself, else ``--account``, else ``fallback``.

    A ``--account`` that names someone else than the export does is refused (wrong file or typo).
    """
    given = (options.account or "").strip()
    if from_export:
        shown = str(shown_handles(pd.Series([from_export])).iloc[0])
        if given and handle_keys(pd.Series([given])).iloc[0] != handle_keys(pd.Series([shown])).iloc[0]:
            raise FormatError(
                f"{path.name}: this export belongs to @{shown}, but --account says {given}. "
                "Check you picked the right file, or leave out --account."
            )
        return shown
    if given:
        return str(shown_handles(pd.Series([given])).iloc[0])
    if fallback:
        return fallback
    raise FormatError(
        f"{path.name}: this {LABELS[expected].split(' ', 1)[1]} does not say whose account it is; "
        "say it with --account HANDLE."
    )


# ----------------------------------------------------------------------------- building frames
@dataclass
class Rows:
    """Collects rows (handles as shown) and turns them into canonical frames with handle keys."""

    platform: str
    observed_at: pd.Timestamp
    relationships: list[dict[str, Any]] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    interactions: list[dict[str, Any]] = field(default_factory=list)
    accounts: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    listed_blocks: list[pd.DataFrame] = field(default_factory=list)  # whole lists at once (see listed_many)
    account_blocks: list[pd.DataFrame] = field(default_factory=list)

    def problem(self, file: str, row: int | None, column: str | None, reason: str, value: Any = None) -> None:
        shown = value if value is None or isinstance(value, str) else json.dumps(value, ensure_ascii=False)[:200]
        self.problems.append(Problem(file, row, column, reason, shown))

    def account(self, handle: str, **values: Any) -> None:
        self.accounts.append({"platform": values.pop("platform", self.platform), "handle": handle, **values})

    def follow(self, follower: str, followed: str, *, observed_list: str, position: int,
               followed_at: pd.Timestamp | None = None, platform: str | None = None) -> None:
        self.relationships.append({"platform": platform or self.platform, "follower": follower,
                                   "followed": followed, "observed_list": observed_list, "position": position,
                                   "followed_at": followed_at, "observed_at": self.observed_at})

    def listed(self, kind: str, owner: str, handle: str, *, position: int, followed_at: Any = None,
               platform: str | None = None) -> None:
        """``handle`` seen on the owner's ``kind`` list ("followers" or "following"), as one follow."""
        follower, followed = (handle, owner) if kind == "followers" else (owner, handle)
        self.follow(follower, followed, observed_list=f"{kind} of @{owner.lstrip('@')}", position=position,
                    followed_at=None if followed_at is None or pd.isna(followed_at) else followed_at,
                    platform=platform)

    def listed_many(self, kind: str, owner: str, handles: list[str] | pa.Array, *, first_position: int,
                    followed_at: list[datetime | None] | pd.Series, profile_urls: list[str | None] | pa.Array,
                    platform: str | None = None) -> None:
        """Many handles of one list at once, as columns (:meth:`listed` for each, without a dict per
        row: a million-entry list stays within memory); lists, or Arrow columns and a Series of times."""
        if not len(handles):
            return
        platform = platform or self.platform
        listed = _text_column(handles)
        when = followed_at if isinstance(followed_at, pd.Series) else pd.Series(followed_at, dtype=object)
        self.listed_blocks.append(pd.DataFrame({
            "platform": platform, "follower": listed if kind == "followers" else owner,
            "followed": owner if kind == "followers" else listed, "observed_list": f"{kind} of @{owner.lstrip('@')}",
            "position": pd.RangeIndex(first_position, first_position + len(handles)),
            "followed_at": pd.to_datetime(when, utc=True),
            "observed_at": self.observed_at}))
        self.account_blocks.append(pd.DataFrame({"platform": platform, "handle": listed,
                                                 "profile_url": _text_column(profile_urls)}))

    def unreadable_part(self, label: str, err: FormatError, field: str | None = None) -> None:
        """A recognised file (or part of one) that lacks what the kit expects: one problem naming the
        file and the field, so that the rest imports with --skip-bad-rows (and without it, the import
        stops and says so) instead of the whole export failing."""
        self.problem(label, None, field, str(err).removeprefix(f"{label}: "))

    def post(self, **values: Any) -> None:
        self.posts.append({"platform": self.platform, **values})

    def interaction(self, **values: Any) -> None:
        self.interactions.append({"platform": self.platform, **values})

    def result(self, format: str, *, bundle: Bundle | None = None) -> LoadResult:
        """The frames; all empty (accounts too) when no relationship, post or interaction was read.
        The notes of ``bundle`` (lines repaired while reading it) come with them."""
        if bundle is not None:
            self.notes[:0] = bundle.notes
        frames: dict[str, pd.DataFrame] = {}
        if self.relationships or self.listed_blocks:
            parts = ([pd.DataFrame(self.relationships)] if self.relationships else []) + self.listed_blocks
            rel = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
            rel["follower"] = handle_keys(rel["follower"])
            rel["followed"] = handle_keys(rel["followed"])
            rel["followed_at"] = pd.to_datetime(rel["followed_at"], utc=True)
            frames["relationships"] = rel
        if self.posts:
            posts = pd.DataFrame(self.posts)
            posts["account"] = handle_keys(posts["account"])
            frames["posts"] = _times(posts, "posted_at")
        if self.interactions:
            inter = pd.DataFrame(self.interactions)
            inter["actor"] = handle_keys(inter["actor"])
            if "on_account" in inter:
                keys = handle_keys(inter["on_account"].fillna(""))
                inter["on_account"] = keys.mask(keys.eq(""))
            frames["interactions"] = _times(inter, "at")
        if frames and (self.accounts or self.account_blocks):
            frames["accounts"] = accounts_frame(self.accounts, self.account_blocks)
        return LoadResult(format=format, frames=frames, problems=self.problems, notes=self.notes)


def _text_column(values: list[str] | list[str | None] | pa.Array) -> pd.Series:
    """A list of texts, or an Arrow column of them, as a ``string`` Series."""
    if isinstance(values, pa.Array):
        text = values.cast(pa.large_string()).to_pandas(types_mapper={pa.large_string(): pd.StringDtype()}.get)
        return pd.Series(text, dtype="string")
    return pd.Series(values, dtype="string")


def _times(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    if column in frame:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def accounts_frame(records: Iterable[dict[str, Any]], blocks: Iterable[pd.DataFrame] = ()) -> pd.DataFrame:
    """One row per (platform, handle key): the first value seen of each column wins (records, then blocks)."""
    parts = [pd.DataFrame(list(records)), *blocks]
    frame = pd.concat([p for p in parts if len(p)], ignore_index=True) if len(parts) > 1 else parts[0]
    frame["handle"] = shown_handles(frame["handle"].fillna("").astype("string"))
    frame["handle_key"] = handle_keys(frame["handle"])
    frame = frame[frame["handle_key"].ne("")]
    if "created_at" in frame:
        frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].astype("string")
    return frame.groupby(["platform", "handle_key"], sort=False, as_index=False, dropna=False).first()
