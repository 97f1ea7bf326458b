"""Tables as an analyst reads them: column headers in words, times in the case's zone to the minute
(UK day first), nothing shown for a missing time, "due in 3 days" rather than "3 days, 0:00:00".

Pure functions, frames in and frames out, used by every panel that shows a table.

>>> t = pd.DataFrame({"at": pd.to_datetime(["2026-12-01 18:51:44.237444"], utc=True), "sha256": ["ab"]})
>>> plain_table(t, timezone="Europe/London").to_dict("records")
[{'When': '01/12/2026 18:51', 'SHA-256 fingerprint': 'ab'}]
>>> due_in(pd.Timestamp("2026-12-04 09:00", tz="UTC"), now=pd.Timestamp("2026-12-01 09:00", tz="UTC"))
'due in 3 days'
"""

from __future__ import annotations

from typing import Final

import pandas as pd

#: column names as headers in words (columns not listed are shown with _ as spaces)
COLUMN_LABELS: Final[dict[str, str]] = {
    "at": "When", "at_local": "When", "posted_at": "Posted", "followed_at": "Followed",
    "observed_at": "Seen on the list", "captured_at": "Captured", "captured_by": "Captured by",
    "registered_at": "Registered", "registered_by": "Registered by", "created_at": "Account created",
    "due": "Due", "due_in": "Follow-up", "evidence_id": "Evidence no.", "sha256": "SHA-256 fingerprint",
    "original_name": "File",
    "media_type": "Kind of file", "size_bytes": "Size (bytes)", "source_url": "Seen at (URL)",
    "handle": "Handle", "handle_key": "Handle", "display_name": "Shown name", "profile_url": "Profile",
    "platform": "Platform", "role": "Role", "notes": "Notes", "import_id": "Import no.", "file": "File",
    "format": "Format", "list_kind": "List", "list_order": "List order", "account": "Whose list",
    "rows": "Rows", "rejected": "Rejected", "row": "Row", "column": "Column", "value": "Value found",
    "reason": "Reason", "reasons": "Why", "action_id": "No.", "kind": "Kind", "what": "What", "who": "Who",
    "status": "Status", "outcome": "Outcome", "overdue": "Overdue", "summary": "What happened",
    "accounts": "Accounts", "source": "Recorded how", "precision": "Time is", "rank": "Rank",
    "score": "Score", "description": "Description", "follower": "Follower", "followed": "Follows",
}
#: how times are shown: UK day first, to the minute
TIME_FORMAT: Final = "%d/%m/%Y %H:%M"


def label(column: str) -> str:
    """A column's header in words.

    >>> label("at_local"), label("year_group")
    ('When', 'Year group')
    """
    return COLUMN_LABELS.get(column, column.replace("_", " ").capitalize())


def plain_time(value: object, *, timezone: str) -> str:
    """A time in the case's zone, UK day first, to the minute ('' when missing)."""
    if value is None or value is pd.NA:
        return ""
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        return ""
    if stamp.tzinfo is None:
        return stamp.strftime(TIME_FORMAT)
    return stamp.tz_convert(timezone).strftime(TIME_FORMAT)


def plain_times(values: pd.Series, *, timezone: str) -> pd.Series:
    """:func:`plain_time` for a column of times (naive times are taken as already in the case's zone)."""
    times = pd.to_datetime(values, errors="coerce")
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_convert(timezone)
    return times.dt.strftime(TIME_FORMAT).fillna("").astype("string")


def due_in(due: object, *, now: pd.Timestamp) -> str:
    """When something is due, in words: 'due in 3 days', 'due in 5 hours', '2 days overdue'."""
    if due is None or due is pd.NA or pd.isna(due):
        return ""
    gap = pd.Timestamp(due) - now
    hours = abs(gap.total_seconds()) / 3600
    amount = (f"{round(hours / 24)} day{'s' if round(hours / 24) != 1 else ''}" if hours >= 36 else
              f"{max(1, round(hours))} hour{'s' if max(1, round(hours)) != 1 else ''}")
    return f"due in {amount}" if gap.total_seconds() >= 0 else f"{amount} overdue"


def duration(gap: object) -> str:
    """A length of time in words: whole days and hours, never '3 days, 0:00:00'.

    >>> duration(pd.Timedelta(hours=72)), duration(pd.Timedelta(hours=48)), duration(pd.Timedelta(hours=5))
    ('3 days (72 hours)', '2 days (48 hours)', '5 hours')
    """
    hours = round(pd.Timedelta(gap).total_seconds() / 3600)
    if hours < 24:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days, rest = divmod(hours, 24)
    words = f"{days} day{'s' if days != 1 else ''}" + (f" {rest} hour{'s' if rest != 1 else ''}" if rest else "")
    return f"{words} ({hours} hours)"


def without_empty_columns(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` without the columns that hold nothing in any row (missing or blank text), for display only.
    A frame with no rows is returned as it is.

    >>> without_empty_columns(pd.DataFrame({"a": ["x", None], "b": [None, " "]})).columns.tolist()
    ['a']
    """
    if df.empty:
        return df
    filled = df.notna() & ~df.astype("string").fillna("").apply(lambda col: col.str.strip().eq(""))
    return df.loc[:, filled.any().to_numpy()]


def plain_table(df: pd.DataFrame, *, timezone: str, columns: list[str] | None = None) -> pd.DataFrame:
    """``df`` (or its ``columns``) with headers in words, times as :func:`plain_time`, lists as
    '; '-joined sentences and yes/no for true/false. The frame given is not changed."""
    shown = df[columns] if columns is not None else df
    out = pd.DataFrame(index=shown.index)
    for column in shown.columns:
        values = shown[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            values = plain_times(values, timezone=timezone)
        elif pd.api.types.is_bool_dtype(values):
            values = values.map({True: "yes", False: ""}).astype("string")
        elif values.dtype == object and values.map(lambda v: isinstance(v, list | tuple)).any():
            values = values.map(lambda v: "; ".join(map(str, v)) if isinstance(v, list | tuple) else v)
        name = label(str(column))
        out[name if name not in out.columns else f"{name} ({column})"] = values
    return out


#: how a report writes a day: UK day first, as the app and the evidence descriptions do.
DAY_FORMAT = "%d/%m/%Y"


def format_time(value: object, zone: str, *, precision: object = "exact") -> str:
    """A UTC time shown in the case's zone, UK day first: '27/11/2025 13:05 GMT' (a day only for 'day').

    >>> format_time(pd.Timestamp("2025-07-01 12:00", tz="UTC"), "Europe/London")
    '01/07/2025 13:00 BST'
    >>> format_time(pd.Timestamp("2025-07-01 23:30", tz="UTC"), "Europe/London", precision="day")
    '02/07/2025'
    >>> format_time(pd.NaT, "Europe/London")
    ''
    """
    from .words import is_missing, show

    if is_missing(value):
        return ""
    stamp = pd.Timestamp(value)
    if stamp is pd.NaT:
        return ""
    if stamp.tzinfo is None:  # the report's tables hold UTC times read without their zone
        stamp = stamp.tz_localize("UTC")
    return show(stamp, zone=zone, style=precision)


def count(n: int, singular: str, plural: str | None = None) -> str:
    """A number and its noun, singular or plural as the number needs (never "file(s)").

    >>> count(1, "file"), count(16, "file"), count(1_200, "entry", "entries")
    ('1 file', '16 files', '1,200 entries')
    """
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"
