"""The report: runs the report notebook against a case and writes one self-contained HTML file.

>>> from investigate.report import write_report  # doctest: +SKIP
>>> write_report(case, "report.html", redact=True)  # doctest: +SKIP
"""

from __future__ import annotations

from ._render import ReportError, write_report
from .naming import ReportNames
from .redact import Redactor, assign_pseudonyms, case_pseudonyms

__all__ = ["ReportError", "ReportNames", "Redactor", "assign_pseudonyms", "case_pseudonyms", "write_report"]
