"""Byte-for-byte reproducible writers for the file formats investigators hold.

No wall-clock time anywhere: zip members get a fixed date, workbooks fixed created/modified
times, JSON keeps the order it was built in. Zips (and the zip inside an .xlsx) are written
uncompressed, so their bytes do not depend on the zlib build either.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np

ZIP_DATE = (2025, 11, 20, 16, 0, 0)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]], *,
              encoding: Literal["utf-8-sig", "cp1252", "utf-8"] = "utf-8-sig") -> int:
    """A CSV as Excel saves it: CRLF lines; ``cp1252`` turns characters it lacks into ``?`` as Excel does."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
        count += 1
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    return count


def write_text(path: Path, lines: Iterable[str]) -> None:
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


def write_json(path: Path, data: Any, *, ascii_only: bool = False, indent: int | None = 2) -> None:
    path.write_bytes(json.dumps(data, ensure_ascii=ascii_only, indent=indent).encode("utf-8") + b"\n")


def write_ndjson(path: Path, items: Iterable[dict[str, Any]]) -> None:
    with open(path, "wb") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")


def _stored_zip(members: Iterable[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, data)
    return buffer.getvalue()


def write_zip(path: Path, members: Iterable[tuple[str, bytes]]) -> None:
    """A zip with members in the given order, each dated :data:`ZIP_DATE`."""
    path.write_bytes(_stored_zip(members))


def write_xlsx(path: Path, sheet: str, header: Sequence[str], rows: Iterable[Sequence[object]], *,
               when: datetime, author: str) -> None:
    """An Excel workbook written by openpyxl, made reproducible (fixed times, re-zipped in order)."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    for column, width in zip("ABCDEFGH", (6, 26, 30, 20, 30, 30, 20, 20), strict=False):
        ws.column_dimensions[column].width = width
    book.properties.creator = author
    book.properties.lastModifiedBy = author
    book.properties.created = when.replace(tzinfo=None)
    book.properties.modified = when.replace(tzinfo=None)
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as archive:
        members = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    write_zip(path, members)


def mojibake(value: Any) -> Any:
    """Encode strings the way Instagram and Facebook exports do: each UTF-8 byte as ``\\u00XX``.

    >>> mojibake({"a": ["é"]})
    {'a': ['Ã©']}
    """
    if isinstance(value, str):
        return value.encode("utf-8").decode("latin-1")
    if isinstance(value, list):
        return [mojibake(v) for v in value]
    if isinstance(value, dict):
        return {k: mojibake(v) for k, v in value.items()}
    return value


def meta_json(data: Any) -> bytes:
    """JSON as in an Instagram export: mojibake strings, ``\\u00XX`` escapes, two-space indent."""
    return json.dumps(mojibake(data), ensure_ascii=True, indent=2).encode("ascii")


# ----------------------------------------------------------------------------- bulk lists
_WORDS = np.array([
    "alex", "sky", "luna", "max", "milo", "nova", "ella", "leo", "ruby", "finn", "iris", "kai", "maya", "otto",
    "pixel", "gamer", "vibes", "art", "fc", "music", "daily", "edits", "clips", "fan", "uk", "real", "its", "the",
    "x", "official", "life", "world", "studio", "cat", "frog", "bee", "moon", "star", "wave", "dream",
])
_SEPS = np.array(["", ".", "_", "__"])


def bulk_handles(seed: int, count: int) -> list[str]:
    """``count`` public handles (may repeat across lists, like real follower lists do).

    >>> bulk_handles(1, 3) == bulk_handles(1, 3)
    True
    """
    rng = np.random.default_rng(seed)
    a = _WORDS[rng.integers(0, len(_WORDS), count)]
    b = _WORDS[rng.integers(0, len(_WORDS), count)]
    s = _SEPS[rng.integers(0, len(_SEPS), count)]
    n = rng.integers(0, 100_000, count)
    return [f"{x}{y}{z}{k}" for x, y, z, k in zip(a.tolist(), s.tolist(), b.tolist(), n.tolist(), strict=True)]


def stream_followers_csv(path: Path, *, seed: int, count: int, first: Sequence[str] = (),
                         chunk: int = 100_000) -> int:
    """Write a follower list of ``count`` rows (``first`` at the top), chunk by chunk; returns rows written.

    Memory stays flat whatever ``count`` is: each chunk is formatted and written, then dropped.
    """
    written = 0
    with open(path, "wb") as handle:
        handle.write(b"\xef\xbb\xbfNo,Username\r\n")
        lines = [f"{i},{h}\r\n" for i, h in enumerate(first[:count], start=1)]
        handle.write("".join(lines).encode("utf-8"))
        written = len(lines)
        part = 0
        while written < count:
            size = min(chunk, count - written)
            handles = bulk_handles(seed * 1_000_003 + part, size)
            block = "".join(f"{written + i},{h}\r\n" for i, h in enumerate(handles, start=1))
            handle.write(block.encode("utf-8"))
            written += size
            part += 1
    return written
