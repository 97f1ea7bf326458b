"""The one place packs and exports get their redaction from (the report's Redactor, over the case's people)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..case import Case


def pack_redactor(case: Case, redact: bool) -> Callable[[str], str]:
    """A function replacing people's names and handles by their pseudonyms (the identity without ``redact``).

    Pseudonyms are the case's stable ones (assigned and stored on first use), so a redacted pack says
    "Staff A" where the redacted report does.
    """
    if not redact:
        return lambda text: text
    from ..report.redact import Redactor, case_pseudonyms

    redactor = Redactor.from_people(case.table("people"), case_pseudonyms(case))
    return lambda text: str(redactor.text(text))
