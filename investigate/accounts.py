"""Marking the accounts of a case: the subject under investigation, its copycats, the school's own.

Leads are ranked for the accounts marked ``subject`` (and compared with those marked
``copycat``), so a case needs them marked: ``investigate account CASE HANDLE --role subject`` or
the form in notebook 01. :func:`copycat_suggestions` lists handles that look like a subject's
(found by :mod:`investigate.handles`) for the analyst to confirm; the kit never marks them itself.
"""

from __future__ import annotations

import pandas as pd

from .case import Case
from .errors import InvestigateError
from .handles import lookalikes
from .leads import unknown_account_error
from .schema import ROLES
from .words import handle_key

#: roles whose accounts are not offered again as copycats
SETTLED_ROLES = ("subject", "copycat", "school", "staff", "monitoring", "target")


def find_account(accounts: pd.DataFrame, handle: str, *, platform: str | None = None) -> pd.Series:
    """The one row of ``accounts`` for ``handle`` (on ``platform``, when given).

    Raises :class:`InvestigateError` naming close handles when the case does not hold it, and
    asking for the platform when it holds the handle on several.
    """
    key = handle_key(handle)
    rows = accounts[accounts["handle_key"] == key]
    if platform:
        rows = rows[rows["platform"].fillna("").str.casefold() == platform.casefold()]
    if rows.empty:
        raise unknown_account_error(key, accounts["handle_key"].dropna().unique().tolist())
    if len(rows) > 1:
        platforms = ", ".join(sorted(rows["platform"].fillna("(none)").astype(str)))
        raise InvestigateError(f"@{key} is in this case on several platforms ({platforms}): say which one "
                               "(--platform NAME).")
    return rows.iloc[0]


def mark_account(case: Case, handle: str, role: str, *, platform: str | None = None,
                 who: str | None = None) -> pd.Series:
    """Give an account of the case a role (subject, copycat, school, staff, community, unknown).

    The change is written with an audit entry naming the account, the old and the new role.
    Returns the account's row as it is now.
    """
    if role not in ROLES:
        raise InvestigateError(f"{role!r} is not a role; choose one of: {', '.join(ROLES)}.")
    row = find_account(case.table("accounts"), handle, platform=platform)
    old = row["role"] if isinstance(row["role"], str) and row["role"] else "unknown"
    update = pd.DataFrame([{"platform": row["platform"], "handle": row["handle"], "handle_key": row["handle_key"],
                            "role": role}])
    case.add_rows({"accounts": update}, who=who, what="account role set",
                  details={"platform": row["platform"], "handle": row["handle_key"], "role": role, "was": old})
    row = row.copy()
    row["role"] = role
    return row


def copycat_suggestions(accounts: pd.DataFrame, *, max_distance: int = 2) -> pd.DataFrame:
    """Handles that look like a subject's and are not marked yet, for the analyst to confirm.

    Out: columns platform, handle, handle_key, subject, how (e.g. "looks the same", "differs by 1
    character"), distance; closest first. Empty when no account is marked ``subject``.

    >>> a = pd.DataFrame({"platform": "tiktok", "handle": ["fake.head", "fake.head_", "zeph.art"],
    ...                   "handle_key": ["fake.head", "fake.head_", "zeph.art"],
    ...                   "role": ["subject", None, None]})
    >>> copycat_suggestions(a)[["handle", "subject", "how"]].values.tolist()
    [['fake.head_', 'fake.head', 'looks the same']]
    """
    columns = ["platform", "handle", "handle_key", "subject", "how", "distance"]
    roles = accounts["role"].fillna("unknown")
    subjects = accounts[roles == "subject"]
    candidates = accounts[~roles.isin(SETTLED_ROLES)]
    if subjects.empty or candidates.empty:
        return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "distance" else "string") for c in columns})
    found = lookalikes(candidates["handle_key"].dropna(), subjects["handle_key"].dropna(), max_distance=max_distance)
    found = found.rename(columns={"handle": "handle_key", "target": "subject"})
    out = found.merge(candidates[["platform", "handle", "handle_key"]], on="handle_key", how="left")
    out = out.sort_values(["distance", "handle_key"], kind="stable").drop_duplicates(["platform", "handle_key"])
    return out[columns].reset_index(drop=True)
