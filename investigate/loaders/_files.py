"""Reading input files safely: size limits, text encodings from Excel and friends."""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from ..errors import FormatError, SettingError

#: Largest single input file (or zip member) read, in bytes; override with INVESTIGATE_MAX_BYTES.
DEFAULT_MAX_BYTES = 1024 * 1024 * 1024


def env_size(name: str, default: int) -> int:
    """A size in bytes from the environment variable ``name`` (``default`` when unset or blank).

    A value that is not a whole number of bytes above 0 is refused (:class:`SettingError`), never
    replaced by the default: a limit someone set on purpose must not silently become another.
    """
    text = os.environ.get(name, "").strip().replace("_", "")
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise SettingError(f"The setting {name} is {os.environ[name]!r}: write a number of bytes above 0 "
                           f"(for example {default}), or remove the setting to use that default.")
    return int(text)


def max_bytes() -> int:
    return env_size("INVESTIGATE_MAX_BYTES", DEFAULT_MAX_BYTES)


#: Largest JSON file parsed whole (parsing takes ~10x its size in memory); followers/following lists
#: above the stream size are streamed instead. Override with INVESTIGATE_MAX_JSON_BYTES.
DEFAULT_MAX_JSON_BYTES = 256 * 1024 * 1024


def max_json_bytes() -> int:
    return env_size("INVESTIGATE_MAX_JSON_BYTES", DEFAULT_MAX_JSON_BYTES)


#: Most columns a list (CSV) may have; a list has a few dozen at most. Override with INVESTIGATE_MAX_COLUMNS.
DEFAULT_MAX_COLUMNS = 500


def max_columns() -> int:
    return env_size("INVESTIGATE_MAX_COLUMNS", DEFAULT_MAX_COLUMNS)


def check_regular(path: Path) -> None:
    """Refuse what is not a regular file or folder (a device such as /dev/zero, a pipe, a socket):
    reading one may never end."""
    if path.exists() and not (path.is_file() or path.is_dir()):
        raise FormatError(f"{path}: this is not a file (it is a device, a pipe or a socket); "
                          "give the kit a file or a folder saved on disk.")


def check_no_links(path: Path) -> None:
    """Refuse a folder holding a link (symlink) to a file or folder: the evidence copy of a folder holds
    the files inside it, so what a link points to would be imported without being kept as evidence."""
    if not path.is_dir():
        return
    for root, dirs, files in os.walk(path):  # links to folders are listed, never followed
        for name in sorted(dirs + files):
            inside = Path(root) / name
            if inside.is_symlink():
                raise FormatError(
                    f"{path.name}: {inside.relative_to(path).as_posix()} is a link (symlink) to "
                    f"{os.readlink(inside)}, not a file inside the folder. The evidence copy of the folder would "
                    "not hold what it points to, so nothing was imported. Put the real file in its place "
                    "(copy it, do not link it) and import the folder again.")


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


def check_size(path: Path, size: int | None = None, *, what: str = "file") -> None:
    """Refuse a file (or zip member) larger than the limit, with a message saying what to do."""
    if size is None:
        check_regular(path)
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
    if len(head) >= 4:  # NULs in one half of the bytes: the zero halves of UTF-16 code units; a character
        even, odd = head[0::2].count(0), head[1::2].count(0)  # such as Ā (U+0100) puts a few in the other
        if odd > len(head) // 4 and even <= odd // 8:
            return "utf-16-le"
        if even > len(head) // 4 and odd <= even // 8:
            return "utf-16-be"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # a character cut at the end of the sample
            return "utf-8"
        return "cp1252"


#: a valid multi-byte UTF-8 character: a file holding none is not UTF-8 at all
_UTF8_CHAR = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_ESCAPED = re.compile("[\udc80-\udcff]+")  # bytes that were not UTF-8, kept by surrogateescape
_CHUNK = 4 * 1024 * 1024


def file_encoding(path: Path) -> str:
    """The encoding of a whole text file: ``utf-16``/``utf-16-le``/``-be`` (from its first bytes),
    ``utf-8`` or ``utf-8-sig`` when every byte is UTF-8, ``cp1252`` when no byte is (Excel's "CSV"),
    or ``mixed``: UTF-8 with stray Windows-1252 bytes, which :func:`decode_text` repairs line by line.

    Read in chunks (memory stays small on a large file); unlike a sniff of the first bytes, a
    stray byte after them is found.
    """
    with open(path, "rb") as handle:
        head = handle.read(64 * 1024)
        first = sniff_encoding(head)
        if first.startswith("utf-16"):
            return first
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
        except UnicodeDecodeError:
            pass
        if head.startswith(codecs.BOM_UTF8):
            return "mixed"
        handle.seek(0)
        tail = b""
        while chunk := handle.read(_CHUNK):
            if _UTF8_CHAR.search(tail + chunk):
                return "mixed"
            tail = chunk[-3:]
    return "cp1252"


def decode_text(data: bytes, label: str, encoding: str | None = None) -> tuple[str, list[str]]:
    r"""Bytes of a text file -> (text, notes), the encoding decided from all of it (see
    :func:`file_encoding`; pass ``encoding`` when already known).

    In UTF-8 text, a byte that is not UTF-8 (a name typed in Excel on Windows, pasted in) is read
    as Windows-1252, and each line so repaired is named in the notes: the text never holds
    mojibake ("ZoÃ«") nor a replacement mark. A NUL character (binary data, or a file saved in
    an encoding it does not say) is refused with its line.

    >>> decode_text("Zoë\nRenée".encode() + b"\nChlo\xeb", "f.csv")
    ('Zoë\nRenée\nChloë', ["f.csv, line 3: the byte 0xEB is not UTF-8; read as Windows-1252: 'ë'"])
    >>> decode_text("Zoë".encode("cp1252"), "f.csv")
    ('Zoë', [])
    """
    encoding = encoding or _bytes_encoding(data)
    notes: list[str] = []
    if encoding == "mixed":
        text = data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
        found = list(_ESCAPED.finditer(text))
        parts, start, line, counted = [], 0, 1, 0
        for match in found:
            raw = bytes(ord(c) - 0xDC00 for c in match.group())
            line += text.count("\n", counted, match.start())
            counted = match.start()
            try:
                fixed = raw.decode("cp1252")
            except UnicodeDecodeError:
                raise FormatError(f"{label}, line {line}: the byte(s) {_hex(raw)} are neither UTF-8 nor "
                                  "Windows-1252; the file is damaged or not text.") from None
            notes.append(f"{label}, line {line}: the byte{'s' if len(raw) > 1 else ''} {_hex(raw)} "
                         f"{'are' if len(raw) > 1 else 'is'} not UTF-8; read as Windows-1252: {fixed!r}")
            parts += [text[start:match.start()], fixed]
            start = match.end()
        text = "".join([*parts, text[start:]])
    else:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise FormatError(f"{label}: the text cannot be read as {encoding} (byte {exc.start}).") from None
    text = text.removeprefix("\ufeff")
    nul = text.find("\x00")
    if nul >= 0:
        raise FormatError(f"{label}, line {text.count(chr(10), 0, nul) + 1}: a NUL character (byte 0) is in "
                          "the text; the file is binary, damaged, or saved in another encoding than it says. "
                          "Open it and save it again as CSV UTF-8.")
    return text, notes


def _hex(raw: bytes) -> str:
    return " ".join(f"0x{b:02X}" for b in raw)


def _bytes_encoding(data: bytes) -> str:
    """:func:`file_encoding` of bytes in memory."""
    first = sniff_encoding(data[:64 * 1024])
    if first.startswith("utf-16"):
        return first
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "mixed" if data.startswith(codecs.BOM_UTF8) or _UTF8_CHAR.search(data) else "cp1252"


def read_text(path: Path) -> tuple[str, list[str]]:
    """Read a whole text file (after the size check): its text and the notes on repaired lines."""
    check_size(path)
    return decode_text(path.read_bytes(), path.name)
