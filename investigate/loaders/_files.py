"""Reading input files safely: size limits, text encodings from Excel and friends."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from ..errors import FormatError

#: Largest single input file (or zip member) read, in bytes; override with INVESTIGATE_MAX_BYTES.
DEFAULT_MAX_BYTES = 1024 * 1024 * 1024


def max_bytes() -> int:
    try:
        return int(os.environ.get("INVESTIGATE_MAX_BYTES", DEFAULT_MAX_BYTES))
    except ValueError:
        return DEFAULT_MAX_BYTES


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


def check_size(path: Path, size: int | None = None, *, what: str = "file") -> None:
    """Refuse a file (or zip member) larger than the limit, with a message saying what to do."""
    size = path.stat().st_size if size is None else size
    limit = max_bytes()
    if size > limit:
        raise FormatError(
            f"{path.name}: this {what} is {human_size(size)}, more than the {human_size(limit)} the kit "
            "reads at once. Split it into smaller files (for example by date), or raise the limit "
            "with the environment variable INVESTIGATE_MAX_BYTES if this computer has the memory."
        )


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def sniff_encoding(head: bytes) -> str:
    """Guess the encoding of a text file from its first bytes.

    BOMs first (Excel's "Unicode text" is UTF-16 with a BOM); UTF-16 without BOM by its NUL
    bytes; then UTF-8 if it decodes; else Windows-1252 (Excel's "CSV" on Windows in the UK).
    """
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if len(head) >= 4:
        if head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
            return "utf-16-le"
        if head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) == 0:
            return "utf-16-be"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # a character cut at the end of the sample
            return "utf-8"
        return "cp1252"


def read_text(path: Path) -> str:
    """Read a whole text file with its sniffed encoding (after the size check)."""
    check_size(path)
    data = path.read_bytes()
    encoding = sniff_encoding(data[: 64 * 1024])
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        if encoding == "utf-8":
            return data.decode("cp1252", errors="replace")
        raise FormatError(f"{path.name}: the text cannot be read as {encoding}.") from None
