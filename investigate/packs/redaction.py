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
    from ..view import CaseView


def pack_redactor(case: Case, redact: bool, view: CaseView | None = None) -> Callable[[str], str]:
    """A function showing a text as every redacted output does (the identity without ``redact``): the
    report's own naming (:func:`investigate.report.naming.case_names`), so that a redacted pack says
    "Staff A" and "lookalike 1" where the redacted report does, and never an account's handle.

    ``view`` is the case view the output is drawn from (read now when not given).
    """
    if not redact:
        return lambda text: text
    from ..report.naming import case_names
    from ..view import CaseView

    names = case_names(case, view if view is not None else CaseView.of(case), redact=True)
    return lambda text: str(names.text(text))
