"""The HTML report: runs the report notebook against a case and writes one self-contained file.

>>> from investigate.report import write_report  # doctest: +SKIP
>>> write_report(case, "report.html", redact=True)  # doctest: +SKIP
"""

from __future__ import annotations

from ._render import ReportError, write_report
from .redact import Redactor, assign_pseudonyms, case_pseudonyms

__all__ = ["ReportError", "Redactor", "assign_pseudonyms", "case_pseudonyms", "write_report"]
