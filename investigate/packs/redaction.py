"""The one redaction for everything that leaves the case redacted: packs, CPOMS/MyConcern exports, file
names and the seal file (the report's :class:`~investigate.report.redact.Redactor`, over the case's people).

It is the thorough one (:meth:`Redactor.thorough`), the same the redacted report applies: names hidden
in hashtags, run together, behind zero-width or lookalike letters, initials, short forms beside a
surname, names split by markup or a hyphenated line break, names without their apostrophe. It is
applied last, to the text an output is about to write.
"""

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
    return lambda text: str(redactor.thorough(text))
