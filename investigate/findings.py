"""The findings record: the analyst's own words, section by section, with corrections kept.

Entries are written with :meth:`investigate.case.Case.add_finding` and
:meth:`~investigate.case.Case.amend_finding` (a correction is a new entry whose ``amends`` names
the entry it corrects; nothing is edited). This module only reads the ``findings`` table.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from .schema import FINDING_SECTIONS

#: the heading of each section of the findings record, in the order a report shows them.
SECTION_TITLES: Final[dict[str, str]] = {
    "concern": "Summary of the concern",
    "done": "What was done",
    "assessment": "Assessment of the leads",
    "decision": "Decisions and the reasons for them",
    "outcome": "Outcome",
    "next_steps": "Next steps",
}


def findings_record(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings table with what corrects what: in section order, oldest first within a section.

    Adds ``amended_by`` (the finding_id of the newest entry correcting this one, or NA) and
    ``current`` (True when no later entry amends it). A correction chain (3 amends 2 amends 1)
    leaves only the newest entry current.

    >>> f = pd.DataFrame({"finding_id": [1, 2, 3], "section": ["concern", "decision", "concern"],
    ...                   "at": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03"], utc=True),
    ...                   "text": ["a", "b", "a, corrected"], "amends": pd.array([None, None, 1], dtype="Int64")})
    >>> findings_record(f)[["finding_id", "current", "amended_by"]].values.tolist()
    [[1, False, 3], [3, True, <NA>], [2, True, <NA>]]
    """
    out = findings.copy()
    ids = out["finding_id"].astype("Int64")
    amends = out["amends"].astype("Int64") if "amends" in out else pd.Series(pd.NA, index=out.index, dtype="Int64")
    latest = pd.Series(ids.to_numpy(), index=amends.to_numpy()).dropna()
    latest = latest[latest.index.notna()].groupby(level=0).max() if len(latest) else latest
    out["amended_by"] = pd.array([latest.get(i, pd.NA) if pd.notna(i) else pd.NA for i in ids], dtype="Int64")
    out["current"] = out["amended_by"].isna().to_numpy(dtype=bool)
    order = {s: n for n, s in enumerate(FINDING_SECTIONS)}
    out["_order"] = out["section"].map(order).fillna(len(order)).astype(int)
    out = out.sort_values(["_order", "at", "finding_id"], kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)
