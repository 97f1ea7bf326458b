"""The investigate kit: evidence, chronology and leads for fake-account cases in schools.

Results are leads to follow up, never findings.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .case import Case  # noqa: E402
from .errors import InvestigateError  # noqa: E402

__all__ = ["Case", "InvestigateError", "__version__"]
