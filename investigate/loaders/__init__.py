"""Loaders: one file format each, file -> canonical frames (see ``investigate.schema``).

Every loader module defines::

    NAME: str                       # the --format name
    def sniff(path: Path) -> bool   # True when the file (or folder/zip) is in this format
    def load(path: Path, options: LoadOptions) -> LoadResult

:func:`load` picks the loader (``format="auto"`` asks each ``sniff`` in turn) and returns a
:class:`LoadResult`: the frames, plus a :class:`~investigate.errors.Problem` for every row that
could not be read. Loaders never touch the case; :mod:`investigate.importer` does that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

from ..errors import FormatError, Problem
from ._files import check_no_links, check_regular

if TYPE_CHECKING:  # pandas is imported by the loaders themselves (the CLI's --help needs none of it)
    import pandas as pd

ListKind = Literal["followers", "following", "posts", "comments", "events", "people", "accounts"]
LIST_KINDS: tuple[str, ...] = ("followers", "following", "posts", "comments", "events", "people", "accounts")


@dataclass(frozen=True)
class LoadOptions:
    """What the person importing told the kit about the file."""

    platform: str | None = None  # e.g. "tiktok"; required for manual lists
    account: str | None = None  # the account the list belongs to (its followers, its posts...)
    list_kind: str | None = None  # one of LIST_KINDS, for manual spreadsheets and pasted text
    timezone: str = "Europe/London"  # how to read times written without a zone
    observed_at: pd.Timestamp | None = None  # when the list was seen (default: now)
    order: str | None = None  # how the list was sorted when taken: one of schema.LIST_ORDERS, or None


@dataclass
class LoadResult:
    """Canonical frames read from one file, and the rows that could not be read."""

    format: str
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the person should know: repaired lines, skipped files
    #: what the file's evidence row says, where the loader knows better than the importer (a capture's
    #: captured_at, source_url, description and proof)
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        """Rows read, not counting accounts (derived from the other tables) nor a capture's provenance."""
        return sum(len(df) for name, df in self.frames.items()
                   if name not in ("accounts", "captures", "capture_records"))


def _registry() -> dict[str, ModuleType]:
    from . import csv, facebook, instagram, instaloader, snapchat, text, tiktok, wacz, x, xlsx, zeeschuimer

    # platform exports first (each sniffs by content), web-archive captures, then the manual formats (by file name)
    modules: list[ModuleType] = [zeeschuimer, instaloader, tiktok, x, facebook, snapchat, instagram, wacz, xlsx, csv,
                                 text]
    return {module.NAME: module for module in modules}


def formats() -> list[str]:
    """The names accepted by ``--format`` (besides ``auto``)."""
    return list(_registry())


def detect(path: str | Path) -> str:
    """The format name of a file, by its content (and, for spreadsheets, its name)."""
    path = Path(path)
    if not path.exists():
        raise FormatError(f"{path} does not exist.")
    check_regular(path)
    check_no_links(path)
    for name, module in _registry().items():
        if module.sniff(path):
            return name
    raise FormatError(
        f"{path.name}: the kit does not recognise this file. Known formats: {', '.join(formats())}. "
        "If it is a spreadsheet or a pasted list, say so with --format csv, xlsx or text."
    )


def load(path: str | Path, *, format: str = "auto", options: LoadOptions | None = None) -> LoadResult:
    """Read one file into canonical frames, with the problems found on the way."""
    path = Path(path)
    options = options or LoadOptions()
    if not path.exists():
        raise FormatError(f"{path} does not exist.")
    check_regular(path)
    check_no_links(path)
    registry = _registry()
    name = detect(path) if format == "auto" else format
    if name not in registry:
        raise FormatError(f"Unknown format {format!r}. Known formats: auto, {', '.join(registry)}.")
    return registry[name].load(path, options)


#: what the importer uses from the loaders' own modules (big lists in pieces, the handle checks), by name
_SHARED = {"FirstAccounts": "_stream", "StreamRefused": "_stream", "order_problems": "_stream",
           "read_pieces": "_stream", "streamable": "_stream", "CONTROL": "_tabular", "bad_handles": "_tabular"}


def __getattr__(name: str) -> Any:
    """The names of :data:`_SHARED`, imported on first use (they need pandas; the CLI's --help does not)."""
    if name in _SHARED:
        from importlib import import_module

        return getattr(import_module(f".{_SHARED[name]}", __name__), name)
    raise AttributeError(f"module 'investigate.loaders' has no attribute {name!r}")
