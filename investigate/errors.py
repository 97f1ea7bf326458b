"""The kit's own exceptions: one family, messages a non-programmer can act on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class InvestigateError(Exception):
    """Base of every error the kit raises on purpose."""


class CaseError(InvestigateError):
    """The case folder is missing, damaged or not a case."""


class SchemaError(InvestigateError):
    """A table does not have the columns or types the kit expects."""


class EvidenceError(InvestigateError):
    """An evidence file could not be registered or checked."""


class SettingError(InvestigateError):
    """A setting of the kit (an ``INVESTIGATE_*`` environment variable) holds a value it cannot use."""


class FormatError(InvestigateError):
    """A file is not in the format the kit was told (or guessed) it is."""


@dataclass(frozen=True)
class Problem:
    """One unreadable row or value in an input file."""

    file: str
    row: int | None
    column: str | None  # the column as the file heads it ("Followed at")
    reason: str
    value: str | None = None
    field: str | None = None  # the kit's own name for that column ("followed_at"), where it differs

    def __str__(self) -> str:
        where = [Path(self.file).name]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        text = ", ".join(where) + f": {self.reason}"
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            text += f" (found {shown!r})"
        return text


class InputError(InvestigateError):
    """An input file has rows or columns the kit cannot read.

    ``problems`` lists each one with its file, row and column.
    """

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        self.problems = list(problems or [])
        lines = [message] + [f"  - {p}" for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"  ... and {len(self.problems) - 50} more")
        super().__init__("\n".join(lines))


class PackError(InvestigateError):
    """A referral pack or a record-system export cannot be written as asked (who it is about, its kind)."""


class NobodyChosenError(PackError):
    """A pack must say who it is about (a person, or the school) and nobody was chosen; the message says
    how on the command line, and the app's pack panel says how on its form."""


class DateError(InvestigateError):
    """A date or time a person typed cannot be read exactly (ambiguous, impossible, or in a clock change)."""


class MissingFieldError(FormatError):
    """A recognised file (or section) lacks what the kit expects: the rest of the export can still be read."""


class CaptureError(FormatError):
    """A web-archive capture (WACZ/WARC) failed a check of its hashes, digest or signature: nothing is
    imported from it. ``proof`` says what was checked and what failed (it is recorded with the file)."""

    def __init__(self, message: str, proof: str) -> None:
        self.proof = proof
        super().__init__(message)
