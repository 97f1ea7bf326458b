"""Pasted lists: one handle per line (``name``, ``@name`` or a profile URL).

Instagram's web followers dialog, copied by hand, is recognised by its ``<handle>'s profile picture``
lines: each starts an entry (picture line, handle, display name, buttons). Other lists copied
from a platform's web page also hold display names (the line after a handle)
and button words (Follow, Remove...). In such a paste (it has button words) a display name is
kept and named in the import's notes; in a plain list, a line that is not a handle is refused
and listed. No line is dropped or reinterpreted silently.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import FormatError, Problem
from . import LoadOptions, LoadResult
from ._files import read_text
from ._tabular import to_frames

NAME = "text"

_BUTTONS = {"follow", "following", "follow back", "remove", "message", "requested", "friends", "verified"}
_PICTURE = re.compile(r"^(\S+?)(?:'|\u2019)s profile picture$", re.IGNORECASE)
_SEPARATORS = {"\u00b7", "\u2022", "-"}
_HANDLE_LINE = re.compile(r"^(?:\d+[.)]\s*)?(@?[\w.\-]{1,64}|https?://\S+)$")


def sniff(path: Path) -> bool:
    """A file named ``.txt`` (pasted lists)."""
    return path.is_file() and path.suffix.lower() in (".txt", ".text", ".list")


def load(path: Path, options: LoadOptions) -> LoadResult:
    if options.list_kind not in ("followers", "following"):
        raise FormatError(
            f"{path.name}: a pasted list needs --list followers or --list following "
            "(and --account for whose list it is)."
        )
    text, notes = read_text(path)
    lines_in = text.splitlines()
    if any(_PICTURE.match(line.strip()) for line in lines_in):
        entries = _dialog(path, lines_in)
        notes.append(f"{path.name}: read as a list copied from Instagram's web dialog ({len(entries[0])} entries, "
                     "each starting at its \"...'s profile picture\" line); the line under each handle is its "
                     "display name, never a handle")
        return _frames(path, options, *entries, notes)
    copied_page = any(line.strip().casefold() in _BUTTONS for line in lines_in)
    handles: list[str] = []
    names: list[str | None] = []
    lines: list[int] = []
    problems: list[Problem] = []
    previous_was_handle = False
    for number, line in enumerate(lines_in, start=1):
        value = line.strip().replace("\u200b", "")
        if not value:
            previous_was_handle = False
            continue
        if value.casefold() in _BUTTONS:
            previous_was_handle = False
            continue
        match = _HANDLE_LINE.match(value)
        if match:
            handles.append(match.group(1))
            names.append(None)
            lines.append(number)
            previous_was_handle = True
        elif copied_page and previous_was_handle and names and names[-1] is None:
            names[-1] = value  # the display name shown under the handle
            notes.append(f"{path.name}, line {number}: {value!r} kept as the display name of "
                         f"@{handles[-1].lstrip('@')}")
            previous_was_handle = False
        else:
            problems.append(
                Problem(str(path), number, None, "not a handle (one @name or profile link per line)", value)
            )
            previous_was_handle = False
    return _frames(path, options, handles, names, lines, problems, notes)


def _dialog(path: Path, lines_in: list[str]) -> tuple[list[str], list[str | None], list[int], list[Problem]]:
    """Entries of Instagram's web followers/following dialog, copied by hand: each is
    ``<handle>'s profile picture``, the handle, perhaps the display name, then buttons (Follow, Remove).
    A line that fits none of these is a problem; a display name is never taken as a handle."""
    handles: list[str] = []
    names: list[str | None] = []
    lines: list[int] = []
    problems: list[Problem] = []
    seen_handle = False
    for number, line in enumerate(lines_in, start=1):
        value = line.strip().replace("\u200b", "")
        if not value or value.casefold() in _BUTTONS or value in _SEPARATORS:
            continue
        picture = _PICTURE.match(value)
        if picture:
            handles.append(picture.group(1).lstrip("@"))
            names.append(None)
            lines.append(number)
            seen_handle = False
        elif not handles:
            problems.append(Problem(str(path), number, None, "before the first entry of the copied dialog (an entry "
                                    "starts with \"<handle>'s profile picture\")", value))
        elif not seen_handle and value.lstrip("@").casefold() == handles[-1].casefold():
            seen_handle = True
        elif seen_handle and names[-1] is None:
            names[-1] = value
        else:
            problems.append(Problem(str(path), number, None, f"not part of the entry of @{handles[-1]} (its picture "
                                    "line, handle, display name and buttons)", value))
    return handles, names, lines, problems


def _frames(path: Path, options: LoadOptions, handles: list[str], names: list[str | None], lines: list[int],
            problems: list[Problem], notes: list[str]) -> LoadResult:
    if not handles and not problems:
        raise FormatError(f"{path.name}: the list is empty.")
    raw = pd.DataFrame({"username": handles, "name": names, "position": range(1, len(handles) + 1)},
                       dtype="string")
    result = to_frames(raw, path, options, format=NAME)
    for problem in result.problems:  # report the line in the pasted text, not the table row
        problems.append(Problem(problem.file, lines[problem.row - 2] if problem.row else None,
                                None, problem.reason, problem.value))
    result.problems = problems
    result.notes += notes
    return result
