"""Manual CSV spreadsheets (any header aliases, BOM, UTF-8, UTF-16 or Windows-1252, , ; or tab)."""

from __future__ import annotations

import csv as _csv
import io
import re
from pathlib import Path

import pandas as pd

from ..errors import FormatError
from . import LoadOptions, LoadResult
from ._files import check_regular, check_size, decode_text, file_encoding, max_columns
from ._tabular import to_frames

NAME = "csv"


def sniff(path: Path) -> bool:
    """A file named ``.csv`` or ``.tsv``."""
    return path.is_file() and path.suffix.lower() in (".csv", ".tsv")


def sniff_layout(path: Path) -> tuple[str, str]:
    """The (encoding, delimiter) of a CSV file: the encoding from the whole file (see
    :func:`._files.file_encoding`, read in chunks), the delimiter from its first line. No size limit
    here: :func:`read_raw` checks it before a whole-file read; a list read in pieces has none."""
    check_regular(path)
    with open(path, "rb") as handle:
        head = handle.read(64 * 1024)
    if not head.strip():
        raise FormatError(f"{path.name}: the file is empty.")
    limit = max_columns()
    if len(head) == 64 * 1024 and not any(end in head for end in (b"\n", b"\r")):
        raise FormatError(f"{path.name}: the first line (the header row) is longer than 64 KB, so this is not a "
                          "list the kit reads (a list's header names a few columns). Check that it is the right "
                          "file, and that its lines end where they should.")
    if max(head.split(b"\n", 1)[0].count(bytes([c])) for c in b",;\t|") >= limit:  # before reading the rest
        raise FormatError(f"{path.name}: the header row has more than {limit} columns; a list has a few dozen at "
                          "most, so this is not a file the kit reads. Check that it is the right file (raise "
                          "INVESTIGATE_MAX_COLUMNS if a list really is this wide).")
    encoding = file_encoding(path)
    sample = head.decode("utf-8" if encoding == "mixed" else encoding, errors="ignore")
    try:
        delimiter = _csv.Sniffer().sniff(sample.split("\n", 20)[0] if "\n" in sample else sample,
                                         delimiters=",;\t|").delimiter
    except _csv.Error:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    header = next(_csv.reader([sample.lstrip("\ufeff").splitlines()[0]], delimiter=delimiter), [])
    names = [name.strip().casefold() for name in header]
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:  # the readers would rename the second one: which column holds the list would be a guess
        raise FormatError(f"{path.name}: the header row names the column(s) {', '.join(map(repr, repeated))} "
                          "more than once; rename or remove the extra column so the kit knows which one to read.")
    return encoding, delimiter


def read_raw(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """Read a CSV as all-text columns, with its encoding and delimiter sniffed; also the notes on
    lines whose stray Windows-1252 bytes were repaired (see :func:`._files.decode_text`)."""
    check_size(path)
    encoding, delimiter = sniff_layout(path)
    if encoding in ("utf-8", "utf-8-sig"):
        fast = _read_fast(path, delimiter)
        if fast is not None:
            return fast, []
    source: Path | io.StringIO = path
    notes: list[str] = []
    if encoding == "mixed":
        text, notes = decode_text(path.read_bytes(), path.name, encoding)
        source, encoding = io.StringIO(text), "utf-8"
    try:
        raw = pd.read_csv(source, sep=delimiter, encoding=encoding, dtype="string", keep_default_na=False,
                          na_values=[""], skip_blank_lines=True, engine="c", on_bad_lines="error")
        return raw, notes
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path.name}: the text cannot be read as {encoding} (byte {exc.start}).") from None
    except pd.errors.ParserError as exc:
        cells = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if cells:
            wanted, row, seen = cells.groups()
            raise FormatError(f"{path.name}: row {row} has {seen} cells but the header has {wanted}, so nothing "
                              "was imported. A cell holding a comma needs double quotes around it (\"like, this\").") \
                from None
        raise FormatError(f"{path.name}: this is not a readable CSV table ({exc}).") from None
    except pd.errors.EmptyDataError:
        raise FormatError(f"{path.name}: the file has no header row.") from None


def _read_fast(path: Path, delimiter: str) -> pd.DataFrame | None:
    """A UTF-8 file read by pyarrow's reader: the same table as the C engine's, ~6x faster on a
    million rows and without a Python string per cell. None for anything it refuses (rows with
    too few or too many cells, bad UTF-8...): the C engine then reads it or says what is wrong."""
    try:
        return pd.read_csv(path, sep=delimiter, encoding="utf-8", dtype="string", keep_default_na=False,
                           na_values=[""], engine="pyarrow")
    except Exception:  # noqa: BLE001 - any refusal falls back to the C engine and its messages
        return None


def load(path: Path, options: LoadOptions) -> LoadResult:
    raw, notes = read_raw(path)
    result = to_frames(raw, path, options, format=NAME)
    result.notes += notes
    return result
