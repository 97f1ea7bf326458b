"""Manual Excel workbooks (.xlsx): the first sheet, or the sheet named like the list."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from ..errors import FormatError, InputError, Problem
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
    _refuse_unsaved_formulas(path, sheet)
    raw = raw.map(_cell_text)
    raw.columns = [str(c) for c in raw.columns]
    names = [re.sub(r"\.\d+$", "", c).strip().casefold() for c in raw.columns]
    repeated = sorted({n for n in names if names.count(n) > 1 and not n.startswith("unnamed:")})
    if repeated:  # pandas renamed the second one ("username.1"): which column holds the list would be a guess
        raise FormatError(f"{path.name}: the header row names the column(s) {', '.join(map(repr, repeated))} "
                          "more than once; rename or remove the extra column so the kit knows which one to read.")
    return raw.astype("string")


def _refuse_unsaved_formulas(path: Path, sheet: str | int) -> None:
    """Refuse a sheet whose formula cells have no saved result (openpyxl and some scripts write them so):
    read as empty, their rows would vanish and the positions after them shift. Each cell is named."""
    from openpyxl import load_workbook

    def cells(data_only: bool) -> list[tuple[object, ...]]:
        book = load_workbook(path, read_only=True, data_only=data_only)
        try:
            page = book[sheet] if isinstance(sheet, str) else book.worksheets[sheet]
            if data_only:
                return [tuple(row) for row in page.iter_rows(values_only=True)]
            return [tuple(getattr(c, "data_type", None) == "f" for c in row) for row in page.iter_rows()]
        finally:
            book.close()

    formulas = [(r, c) for r, row in enumerate(cells(False), start=1) for c, is_formula in enumerate(row) if is_formula]
    if not formulas:
        return
    values = cells(True)
    header = values[0] if values else ()
    unsaved = [(r, c) for r, c in formulas
               if r > len(values) or c >= len(values[r - 1]) or values[r - 1][c] is None]
    if not unsaved:
        return
    from openpyxl.utils import get_column_letter

    def column(c: int) -> str:
        name = header[c] if c < len(header) and header[c] is not None else None
        return str(name) if name is not None else get_column_letter(c + 1)

    problems = [Problem(str(path), r, column(c), f"cell {get_column_letter(c + 1)}{r} holds a formula whose result "
                        "was never saved, so its value is unknown") for r, c in unsaved]
    raise InputError(
        f"{path.name}: {len(unsaved)} cell(s) hold a formula whose result was never saved (the workbook was "
        "written by a program, not saved by Excel), so nothing was imported: those rows would be read as empty "
        "and the positions after them would shift. Open the workbook in Excel or LibreOffice, save it, and "
        "import it again.", problems)


def load(path: Path, options: LoadOptions) -> LoadResult:
    return to_frames(read_raw(path, options.list_kind), path, options, format=NAME)
