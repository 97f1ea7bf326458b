"""Manual CSV spreadsheets (any header aliases, BOM, UTF-8, UTF-16 or Windows-1252, , ; or tab)."""

from __future__ import annotations

import csv as _csv
from pathlib import Path

import pandas as pd

from ..errors import FormatError
from . import LoadOptions, LoadResult
from ._files import check_size, sniff_encoding
from ._tabular import to_frames

NAME = "csv"


def sniff(path: Path) -> bool:
    """A file named ``.csv`` or ``.tsv``."""
    return path.is_file() and path.suffix.lower() in (".csv", ".tsv")


def sniff_layout(path: Path) -> tuple[str, str]:
    """The (encoding, delimiter) of a CSV file, from its first 64 KiB (after the size check)."""
    check_size(path)
    with open(path, "rb") as handle:
        head = handle.read(64 * 1024)
    if not head.strip():
        raise FormatError(f"{path.name}: the file is empty.")
    encoding = sniff_encoding(head)
    sample = head.decode(encoding, errors="ignore")
    try:
        delimiter = _csv.Sniffer().sniff(sample.split("\n", 20)[0] if "\n" in sample else sample,
                                         delimiters=",;\t|").delimiter
    except _csv.Error:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    return encoding, delimiter


def read_raw(path: Path) -> pd.DataFrame:
    """Read a CSV as all-text columns, with its encoding and delimiter sniffed."""
    encoding, delimiter = sniff_layout(path)
    if encoding in ("utf-8", "utf-8-sig"):
        fast = _read_fast(path, delimiter)
        if fast is not None:
            return fast
    try:
        return pd.read_csv(path, sep=delimiter, encoding=encoding, dtype="string", keep_default_na=False,
                           na_values=[""], skip_blank_lines=True, engine="c", on_bad_lines="error")
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise FormatError(f"{path.name}: the text cannot be read as {encoding}.") from None
        return pd.read_csv(path, sep=delimiter, encoding="cp1252", dtype="string", keep_default_na=False,
                           na_values=[""], skip_blank_lines=True, engine="c", on_bad_lines="error")
    except pd.errors.ParserError as exc:
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
    return to_frames(read_raw(path), path, options, format=NAME)
