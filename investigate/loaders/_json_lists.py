"""Instagram's large followers/following lists (a bare JSON list of entries) read in columns.

``followers_1.json`` of a big account is a list of a million entries or more, each
``{"title": "", "media_list_data": [], "string_list_data": [{"href", "value", "timestamp"}]}``.
Read entry by entry into Python objects (ijson), a million take ~12 s; here the bytes are turned
into one entry per line as they stream (:class:`_Lines`, vectorised with numpy: strings, escapes
and nesting tracked across pieces) and read by ``pyarrow.json`` in blocks, with the entry's fields
checked and cleaned with Arrow compute.

Only what this reader can read exactly as the entry-by-entry reader does is read here: the list's
shape and every entry's keys and types as above (nothing else), valid JSON and UTF-8. Anything
else (another key, a number where text is expected, a damaged file) returns None and the file is
read entry by entry, with that reader's messages. Entries it refuses (no username, not a username,
not a time) are listed in ``refused`` by number: the caller reads just those again entry by entry,
for the same problem rows, with the same values in them.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass, field
from typing import IO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from ._exports import fix_mojibake, text_or_none

#: an entry, exactly: another key or another type and the file is read entry by entry
ENTRY = pa.schema([
    ("title", pa.string()),
    ("media_list_data", pa.list_(pa.null())),
    ("string_list_data", pa.list_(pa.struct([("href", pa.string()), ("value", pa.string()),
                                               ("timestamp", pa.int64())]))),
])
#: bytes handed to pyarrow's JSON reader at a time (memory stays a few pieces of this)
PIECE_BYTES = 4 * 1024 * 1024
_LONGEST_HANDLE = 50  # as _exports.not_a_handle
_HREF = re.compile(r"instagram\.com/+(?:_u/+)?([^/?#\s]+)", re.IGNORECASE)  # as instagram.entry_handle
#: the largest epoch value read as a time: milliseconds up to 9999-12-31 (as _exports.epoch, which
#: reads numbers above 1e11 as milliseconds and refuses times past year 9999)
_LAST_MS = 253_402_300_799_999
_SPACE, _NEWLINE = 0x20, 0x0A
_WHITE = np.zeros(256, dtype=bool)
_WHITE[[0x20, 0x09, 0x0A, 0x0D]] = True
_QUOTE, _SLASH, _OPEN, _CLOSE, _COMMA, _LINE, _CONTROL = 1, 2, 3, 4, 5, 6, 7
_KIND = np.zeros(256, dtype=np.uint8)  # what each byte may be to the list's structure
_KIND[:0x20] = _CONTROL
_KIND[[0x09, 0x0A, 0x0D]] = _LINE
_KIND[0x22], _KIND[0x5C], _KIND[[0x7B, 0x5B]], _KIND[[0x7D, 0x5D]], _KIND[0x2C] = _QUOTE, _SLASH, _OPEN, _CLOSE, _COMMA
#: which mark of the list may follow which: [ then { or ]; { (an entry) then , or ]; , then {
_FOLLOWS = np.zeros(256 * 256, dtype=bool)
_FOLLOWS[[0x5B * 256 + 0x7B, 0x5B * 256 + 0x5D, 0x7B * 256 + 0x2C, 0x7B * 256 + 0x5D, 0x2C * 256 + 0x7B]] = True


class NotPlain(Exception):  # noqa: N818 - a signal to read the file entry by entry, never shown
    """The file is not a plain list of entries this reader reads exactly."""


class _Lines(io.RawIOBase):
    """A bare JSON list of objects, read as one object per line: the list's brackets and the commas
    between its entries become whitespace and newlines, whitespace inside an entry a space. Raises
    :class:`NotPlain` for anything but a list of objects of valid JSON structure (a string, number or
    null in the list, a comma too many, a control character, a file cut short...)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.depth = 0
        self.in_string = 0
        self.carry = 0  # the parity of the backslashes ending the last piece
        self.last = 0  # the last structural byte of the list: [ { , ]
        self.opened = self.closed_list = False
        self.utf8 = codecs.getincrementaldecoder("utf-8")()  # raises on bytes that are not UTF-8

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.handle.read(len(buffer))
        if not data:
            self.utf8.decode(b"", final=True)
            if not self.closed_list:
                raise NotPlain("the list does not end")
            return 0
        if not data.isascii():
            self.utf8.decode(data)
        out = self.lines(data)
        buffer[:len(out)] = out
        return len(out)

    def lines(self, data: bytes) -> bytes:
        """One piece of the file as lines (the same length). Only the bytes that can matter are looked at
        one by one (quotes, backslashes, brackets, commas, line ends: a few in ten)."""
        b = np.frombuffer(data, dtype=np.uint8)
        n = len(b)
        kind = _KIND[b]
        if (kind == _CONTROL).any():
            raise NotPlain("a control character")  # JSON allows none, except \t \n \r between tokens
        at = np.flatnonzero(kind)
        kinds = kind[at]
        is_quote = kinds == _QUOTE
        quotes = at[is_quote]
        carry = 0
        if (kinds == _SLASH).any():  # a quote after an odd run of backslashes is inside its string
            slash = np.zeros(n + 2, dtype=np.int8)
            slash[1:-1] = b == 0x5C
            edges = np.diff(slash)
            starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
            runs = ends - starts
            if len(starts) and starts[0] == 0:
                runs[0] += self.carry
            escaped = ends[(runs % 2 == 1) & (ends < n)]
            if len(ends) and ends[-1] == n:
                carry = int(runs[-1] % 2)
            if self.carry and b[0] != 0x5C:
                escaped = np.concatenate(([0], escaped))
            mask = np.zeros(n, dtype=bool)
            mask[escaped] = True
            is_quote &= ~mask[at]
        elif self.carry and len(at) and at[0] == 0:
            is_quote[0] = False
        self.carry = carry
        quotes = at[is_quote]
        counted = np.cumsum(is_quote, dtype=np.int64) - is_quote  # quotes before each byte looked at
        inside = ((counted + self.in_string) & 1).astype(bool) & ~is_quote
        if (inside & (kinds == _LINE)).any():
            raise NotPlain("a line end inside a string")
        marks = at[~inside & (kinds >= _OPEN) & (kinds <= _COMMA)]
        signs = b[marks]
        delta = np.where((signs == 0x7B) | (signs == 0x5B), 1, np.where(signs == 0x2C, 0, -1))
        after = self.depth + np.cumsum(delta)
        before = after - delta
        if (after < 0).any():
            raise NotPlain("a bracket closed that was not opened")
        top = before == 0
        if top.any() and (self.opened or top.sum() > 1 or signs[top][0] != 0x5B):
            raise NotPlain("not one list, or something after it")
        listed = before == 1
        if not np.isin(signs[listed], (0x7B, 0x2C, 0x5D)).all():
            raise NotPlain("something in the list that is not an entry")
        sequence = np.concatenate((np.array([self.last] if self.opened else [], dtype=np.int64),
                                   signs[top | listed].astype(np.int64)))
        if len(sequence) > 1 and not _FOLLOWS[sequence[:-1] * 256 + sequence[1:]].all():
            raise NotPlain("a comma too many or an entry without one")
        # between the list's marks (at depth 0 or 1) only whitespace: no number, string or null as an entry
        open_from = np.concatenate((np.array([0] if self.depth <= 1 else [], dtype=np.int64), marks[after <= 1] + 1))
        upto = np.append(marks, n)[np.searchsorted(marks, open_from, side="left")]
        lengths = upto - open_from
        if lengths.sum():
            shift = open_from - np.concatenate((np.zeros(1, dtype=np.int64), np.cumsum(lengths)[:-1]))
            gaps = np.repeat(shift, lengths) + np.arange(lengths.sum())
            if not _WHITE[b[gaps]].all():
                raise NotPlain("something in the list that is not an entry")
        out = b.copy()
        out[at[kinds == _LINE]] = _SPACE  # each entry on one line
        out[marks[top]] = _SPACE  # the list's [
        out[marks[listed & (signs == 0x5D)]] = _SPACE  # ... and its ]
        out[marks[listed & (signs == 0x2C)]] = _NEWLINE  # the commas between entries
        if len(sequence):
            self.last = int(sequence[-1])
        self.opened = self.opened or bool(top.any())
        self.closed_list = self.closed_list or bool((listed & (signs == 0x5D)).any())
        self.in_string = int((len(quotes) + self.in_string) & 1)
        if len(after):
            self.depth = int(after[-1])
        return out.tobytes()


@dataclass
class Listed:
    """The entries read: each good one's handle, time (µs since 1970, UTC; or None) and profile link,
    in file order; the numbers (from 1) of the entries refused, to be read again entry by entry."""

    handles: pa.Array
    times: np.ndarray  # int64 microseconds, np.iinfo(np.int64).min where there is no time
    urls: pa.Array
    entries: int = 0
    refused: list[int] = field(default_factory=list)


NO_TIME = np.iinfo(np.int64).min


def read(handle: IO[bytes]) -> Listed | None:
    """The entries of a bare list (the handle just past any BOM), or None when this reader cannot read it
    exactly (see the module's notes)."""
    handles: list[pa.Array] = []
    times: list[np.ndarray] = []
    urls: list[pa.Array] = []
    refused: list[int] = []
    count = 0
    try:
        reader = pj.open_json(
            _Lines(handle),
            read_options=pj.ReadOptions(use_threads=False, block_size=PIECE_BYTES),
            parse_options=pj.ParseOptions(explicit_schema=ENTRY, unexpected_field_behavior="error",
                                          newlines_in_values=False))
        for batch in reader:
            good, handle_of, time_of, url_of = _entries(batch)
            refused += (np.flatnonzero(~good) + count + 1).tolist()
            count += batch.num_rows
            handles.append(handle_of.filter(pa.array(good)))
            times.append(time_of[good])
            urls.append(url_of.filter(pa.array(good)))
    except (NotPlain, pa.ArrowException, UnicodeError, ValueError, OSError):
        return None
    finally:
        pa.default_memory_pool().release_unused()  # the reader's blocks, handed back before the frames are built
    if not count:
        return None
    return Listed(pa.concat_arrays(handles) if handles else pa.array([], pa.large_string()),
                  np.concatenate(times), pa.concat_arrays(urls) if urls else pa.array([], pa.large_string()),
                  count, refused)


def _cleaned(values: pa.Array) -> pa.Array:
    """``text_or_none(fix_mojibake(value))`` of each text (the entry-by-entry reader's repair, then
    strip): at once where a value is ASCII and starts and ends with a visible character, else one by one."""
    values = values.cast(pa.large_string())
    empty = pc.equal(pc.binary_length(values), 0)
    values = pc.if_else(empty, pa.scalar(None, pa.large_string()), values)  # "" is no text
    plain = pc.and_(pc.string_is_ascii(values), pc.match_substring_regex(values, r"^[!-~](?s:.*[!-~])?$"))
    odd = pc.fill_null(pc.invert(plain), False)
    if not pc.any(odd).as_py():
        return values
    fixed = [text_or_none(fix_mojibake(v)) for v in values.filter(odd).to_pylist()]
    return pc.replace_with_mask(values, odd, pa.array(fixed, pa.large_string()))


def _entries(batch: pa.RecordBatch) -> tuple[np.ndarray, pa.Array, np.ndarray, pa.Array]:
    """(good, handle, time, link) of each entry of a block, as ``instagram.entry_handle`` and
    ``_exports.epoch`` read them; an entry not good is read again entry by entry for its problem."""
    rows = batch.num_rows
    lists = batch.column("string_list_data")
    has = np.asarray(pc.fill_null(pc.greater(pc.list_value_length(lists), 0), False).to_numpy(zero_copy_only=False),
                     dtype=bool)
    firsts = pc.list_element(lists.filter(pa.array(has)), 0)  # each entry's first item (a struct, maybe null)
    where = np.cumsum(has) - 1
    at = pa.array(where, mask=~has)

    def item(name: str) -> pa.Array:
        return pc.take(pc.struct_field(firsts, name), at)

    value, href = _cleaned(item("value")), _cleaned(item("href"))
    title = _cleaned(batch.column("title"))
    source = pc.coalesce(value, title)
    handle = pc.utf8_ltrim(source, characters="@")
    if pc.any(pc.and_(pc.is_null(source), pc.is_valid(href))).as_py():  # the handle from the link: rare
        from_link = pc.and_(pc.is_null(source), pc.is_valid(href))
        found = [(m.group(1) if (m := _HREF.search(h)) else None) for h in href.filter(from_link).to_pylist()]
        handle = pc.replace_with_mask(handle, from_link, pa.array(found, pa.large_string()))
    named = pc.fill_null(pc.greater(pc.utf8_length(handle), 0), False)
    ascii_ = pc.fill_null(pc.string_is_ascii(handle), True)
    wrong = pc.or_(pc.fill_null(pc.match_substring_regex(handle, r"[\x00-\x20\x7f<>\"'`]"), False),
                   pc.fill_null(pc.greater(pc.utf8_length(handle), _LONGEST_HANDLE), False))
    good = np.asarray(pc.and_(named, pc.invert(wrong)).to_numpy(zero_copy_only=False), dtype=bool)
    wide = np.flatnonzero(good & ~np.asarray(ascii_.to_numpy(zero_copy_only=False), dtype=bool))
    if len(wide):  # a username with letters beyond ASCII: checked as _exports.not_a_handle does
        from ._exports import not_a_handle

        texts = pc.take(handle, pa.array(wide)).to_pylist()
        good[wide] = [not not_a_handle(t) for t in texts]
    stamps = item("timestamp").to_numpy(zero_copy_only=False)
    known = ~np.isnan(stamps) if stamps.dtype.kind == "f" else np.ones(rows, dtype=bool)
    seconds = np.where(known, np.nan_to_num(stamps, nan=0), 0).astype(np.int64)
    good &= ~known | ((seconds >= 0) & (seconds <= _LAST_MS))  # a negative or a far time: its problem, there
    millis = seconds > 100_000_000_000
    micros = np.where(millis, seconds * 1_000, seconds * 1_000_000)
    micros = np.where(known & (seconds != 0), micros, NO_TIME)  # none, or 0: no time (as epoch)
    return good, handle, micros, href
