"""Manual Excel workbooks (.xlsx): the first sheet, or the sheet named like the list."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from ..errors import FormatError
from . import LoadOptions, LoadResult
from ._files import check_size
from ._tabular import to_frames

NAME = "xlsx"


def sniff(path: Path) -> bool:
    """A zip named ``.xlsx``/``.xlsm`` holding a workbook."""
    if not (path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm")):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _cell_text(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def read_raw(path: Path, list_kind: str | None = None) -> pd.DataFrame:
    """Read a workbook sheet as all-text columns (dates as ISO text in the sheet's local time)."""
    check_size(path)
    if not sniff(path):
        raise FormatError(f"{path.name}: this is not an Excel .xlsx workbook (it may be .xls or damaged).")
    try:
        with pd.ExcelFile(path, engine="openpyxl") as sheets:
            names = sheets.sheet_names
        sheet = next((s for s in names if list_kind and s.strip().casefold() == list_kind), 0)
        raw = pd.read_excel(path, sheet_name=sheet, dtype=object, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FormatError(f"{path.name}: the workbook cannot be read ({exc}).") from None
    raw = raw.map(_cell_text)
    raw.columns = [str(c) for c in raw.columns]
    names = [re.sub(r"\.\d+$", "", c).strip().casefold() for c in raw.columns]
    repeated = sorted({n for n in names if names.count(n) > 1 and not n.startswith("unnamed:")})
    if repeated:  # pandas renamed the second one ("username.1"): which column holds the list would be a guess
        raise FormatError(f"{path.name}: the header row names the column(s) {', '.join(map(repr, repeated))} "
                          "more than once; rename or remove the extra column so the kit knows which one to read.")
    return raw.astype("string")


def load(path: Path, options: LoadOptions) -> LoadResult:
    return to_frames(read_raw(path, options.list_kind), path, options, format=NAME)
