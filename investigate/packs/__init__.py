"""Referral packs: the short documents a DSL sends the LADO, the police, a platform, RHC/POSH, a staff file.

>>> from investigate.packs import write_packs  # doctest: +SKIP
>>> write_packs(case, "lado", people=["WHS-S0104"])  # doctest: +SKIP
[PosixPath('.../exports/pack-lado-whs-s0104-internal-20251024-1000.html'), ...docx]

Each pack is pre-filled from the case, with the gaps the analyst must fill marked, as HTML and DOCX,
internal or redacted. Drafting a pack records it in the tracker (an ``actions`` row with
``drafted_at``) the first time, so that :mod:`investigate.tracker` shows it as drafted.
"""

from __future__ import annotations

from typing import Any

#: the packs the kit writes (``investigate pack CASE KIND``)
PACK_KINDS: tuple[str, ...] = ("lado", "police", "platform", "rhc", "staff", "learner")
#: the record systems ``investigate export --for`` writes for
SYSTEMS: tuple[str, ...] = ("cpoms", "myconcern")

_LAZY = {"write_packs", "build_packs", "file_stem", "ACTION_OF", "SCHOOL", "PackKind"}
_MODEL = {"Pack", "Gap"}
_RENDER = {"to_html", "write_docx"}
_FACTS = {"find_person"}


def __getattr__(name: str) -> Any:
    """The packs' functions, imported on first use (they need pandas; the command line's --help does not)."""
    if name in _LAZY:
        from . import _write
        return getattr(_write, name)
    if name in _MODEL:
        from . import _model
        return getattr(_model, name)
    if name in _FACTS:
        from . import _facts
        return getattr(_facts, name)
    if name in _RENDER:
        from . import render
        return getattr(render, name)
    raise AttributeError(f"module 'investigate.packs' has no attribute {name!r}")
