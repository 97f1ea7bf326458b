"""The investigate kit: evidence, chronology and leads for fake-account cases in schools.

Results are leads to follow up, never findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import InvestigateError

__version__ = "0.1.0"
__all__ = ["Case", "InvestigateError", "__version__"]

if TYPE_CHECKING:
    from .case import Case


def __getattr__(name: str) -> Any:
    """``investigate.Case`` is imported when first used, so ``investigate --help`` needs no pandas."""
    if name == "Case":
        from .case import Case

        return Case
    raise AttributeError(f"module 'investigate' has no attribute {name!r}")
