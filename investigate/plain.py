"""Tables as an analyst reads them: column headers in words, times in the case's zone to the minute
(UK day first), nothing shown for a missing time, "due in 3 days" rather than "3 days, 0:00:00".

Pure functions, frames in and frames out, used by every panel that shows a table.

>>> t = pd.DataFrame({"at": pd.to_datetime(["2026-12-01 18:51:44.237444"], utc=True), "sha256": ["ab"]})
>>> plain_table(t, timezone="Europe/London").to_dict("records")
[{'When': '01/12/2026 18:51 GMT', 'SHA-256 fingerprint': 'ab'}]
>>> due_in(pd.Timestamp("2026-12-04 09:00", tz="UTC"), now=pd.Timestamp("2026-12-01 09:00", tz="UTC"))
'due in 3 days'
"""

from __future__ import annotations

import re
from typing import Final

import pandas as pd

from .errors import DateError
from .words import CLOCK, DAY, show

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
    """A time in the case's zone, UK day first, to the minute ('' when missing): :func:`investigate.words.show`."""
    return show(value, zone=timezone)


def plain_times(values: pd.Series, *, timezone: str) -> pd.Series:
    """:func:`plain_time` for a column of times (``string`` dtype). Refuses a column of times without a zone, as
    :func:`~investigate.words.show` does: whether they are UTC or local cannot be known."""
    times = pd.to_datetime(values, errors="coerce")
    if getattr(times.dt, "tz", None) is None:
        if times.notna().any():
            raise DateError(f"The times of {values.name or 'a column'} have no time zone, so they cannot be shown "
                            "exactly: store times in UTC.")
        return pd.Series("", index=values.index, dtype="string")
    return times.dt.tz_convert(timezone).dt.strftime(f"{DAY} {CLOCK}").fillna("").astype("string")


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


def format_time(value: object, zone: str, *, precision: object = "exact") -> str:
    """A UTC time shown in the case's zone, UK day first: '27/11/2025 13:05 GMT' (a day only for 'day').

    >>> format_time(pd.Timestamp("2025-07-01 12:00", tz="UTC"), "Europe/London")
    '01/07/2025 13:00 BST'
    >>> format_time(pd.Timestamp("2025-07-01 23:30", tz="UTC"), "Europe/London", precision="day")
    '02/07/2025'
    >>> format_time(pd.NaT, "Europe/London")
    ''
    """
    return show(value, zone=zone, style=precision)


def count(n: int, singular: str, plural: str | None = None) -> str:
    """A number and its noun, singular or plural as the number needs (never "file(s)").

    >>> count(1, "file"), count(16, "file"), count(1_200, "entry", "entries")
    ('1 file', '16 files', '1,200 entries')
    """
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


#: a lead's reason ends with its points, "(+0.19)", or says it is shown as a group "(no points)"
_POINTS = re.compile(r"\s*\(\+?(-?\d+(?:\.\d+)?)\)\s*$")
_NO_POINTS = re.compile(r":?\s*shown as a group \(no points\)\s*$")


def reason_points(reason: str) -> tuple[str, float | None]:
    """A lead's reason split into its words and its points (None for a reason that scores nothing).

    >>> reason_points("10 comments on its posts in all (+0.19)")
    ('10 comments on its posts in all', 0.19)
    >>> reason_points("One of 4 mutuals all in Year 9 (with @a): shown as a group (no points)")
    ('One of 4 accounts on both lists, all in Year 9 (with @a): shown as a group', None)
    """
    text = str(reason)
    found = _POINTS.search(text)
    points = float(found.group(1)) if found else None
    if found:
        text = text[:found.start()]
    elif _NO_POINTS.search(text):
        text = _NO_POINTS.sub(": shown as a group", text)
    return plain_words(text.rstrip(" ;.")), points


def reason_rows(leads: pd.DataFrame, *, most: int | None = None) -> pd.DataFrame:
    """One row per reason of each lead, strongest first, its points in a column of their own
    (rank, handle_key, reason, points; rank and handle_key only on a lead's first row). With
    ``most``, a lead's weaker reasons past that many are counted in one last row.

    >>> leads = pd.DataFrame({"rank": [1], "handle_key": ["a"], "reasons": [["Two (+0.5)", "One (+3.0)"]]})
    >>> reason_rows(leads).values.tolist()
    [[1, 'a', 'One', '3'], ['', '', 'Two', '0.5']]
    """
    rows = []
    for lead in leads.itertuples(index=False):
        split = [reason_points(r) for r in (lead.reasons if lead.reasons is not None else [])
                 if not isinstance(r, float)]
        split.sort(key=lambda rp: -(rp[1] if rp[1] is not None else -1.0))
        shown = split if most is None or len(split) <= most else split[:most]
        if len(shown) < len(split):
            shown.append((f"and {count(len(split) - len(shown), 'weaker reason')}, in the leads section", None))
        for n, (text, points) in enumerate(shown or [("", None)]):
            rows.append({"rank": lead.rank if n == 0 else "", "handle_key": lead.handle_key if n == 0 else "",
                         "reason": text,
                         "points": "" if points is None else f"{points:.2f}".rstrip("0").rstrip(".")})
    return pd.DataFrame(rows, columns=["rank", "handle_key", "reason", "points"])


#: words a technical text uses, and what a headteacher reads instead (whole words, case kept at the start)
_PLAIN_WORDS: Final = (
    (re.compile(r"\bmutuals\b"), "accounts on both lists"),
    (re.compile(r"\bmutual\b"), "account on both lists"),
    (re.compile(r"\bJaccard\b"), "share in common"),
    (re.compile(r"\bhomoglyphs?\b"), "letters from another alphabet that look the same"),
    (re.compile(r"\bZeeschuimer\b", re.IGNORECASE), "a browser capture"),
    # one word for one thing: the report says "lookalike" (the role stays "copycat" on the command line)
    (re.compile(r"\bcopycats\b"), "lookalikes"),
    (re.compile(r"\bcopycat\b"), "lookalike"),
)
#: "One of 4 accounts on both lists all in Year 9" reads better with a comma
_ALL_IN = re.compile(r"(accounts on both lists) all in\b")


def plain_words(text: str) -> str:
    """A sentence with the few technical words a report used put plainly.

    >>> plain_words("One of 3 mutuals all in tutor group 9W")
    'One of 3 accounts on both lists, all in tutor group 9W'
    """
    for pattern, words in _PLAIN_WORDS:
        text = pattern.sub(words, text)
    return _ALL_IN.sub(r"\1, all in", text)


#: an event or action kind as a heading word: the abbreviations in capitals
_KIND_WORDS: Final = {"dsl": "DSL", "lado": "LADO", "posh": "POSH", "rhc": "RHC", "sen": "SEN", "senco": "SENCO",
                      "cpoms": "CPOMS", "url": "URL", "id": "ID", "tiktok": "TikTok"}
_KIND_NAMES: Final = {"lado": "LADO referral", "list observed": "List taken", "posh": "POSH escalation",
                      "copycat": "Lookalike account",
                      "rhc": "Report Harmful Content"}


def kind_words(kind: object) -> str:
    """An event or action kind as a reader sees it: "dsl informed" -> "DSL informed", "lado" -> "LADO referral".

    >>> [kind_words(k) for k in ("dsl informed", "lado", "list observed", "follow")]
    ['DSL informed', 'LADO referral', 'List taken', 'Follow']
    """
    if kind is None or kind is pd.NA or (isinstance(kind, float) and kind != kind):
        return ""
    text = str(kind).strip()
    if text.casefold() in _KIND_NAMES:
        return _KIND_NAMES[text.casefold()]
    words = [_KIND_WORDS.get(w.casefold(), w) for w in text.replace("_", " ").split()]
    if words and words[0] == words[0].lower():
        words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


#: the few technical words the report keeps, explained (the report's glossary and the README's)
GLOSSARY: Final[dict[str, str]] = {
    "Account under investigation": "the fake or impersonating account the case is about (marked 'subject').",
    "Lookalike": "another account whose name looks like the one under investigation, e.g. with a letter changed, "
                 "an underscore added or a letter from another alphabet that looks the same (marked 'copycat' "
                 "in the case).",
    "On both lists": "an account that follows the account under investigation and is followed back by it. "
                     "The person behind a fake account is often among them.",
    "Lead": "an account worth looking at first. A lead is not a finding: it is a reason to look, never proof "
            "of who made the account.",
    "Points": "how much one reason adds to a lead's score. Only the order of the leads matters, not the number.",
    "Shared followers": "for two accounts, the followers they have in common out of all their followers: 0 means "
                        "none in common, 1 means the very same followers.",
    "Evidence no.": "the number under which a screenshot or file is kept in the case, unchanged since it was "
                    "registered.",
    "SHA-256 fingerprint": "a long code worked out from a file's exact bytes: if one byte of the file changed, "
                           "the code would not match. It shows a file is the one registered.",
    "Seal": "a short code for the whole case record at one moment; 'verify --seal' later shows nothing "
            "recorded before it was changed.",
    "Redacted": "a version in which people and their accounts are replaced by pseudonyms (Learner A, Staff B).",
}


#: what an imported file was, in words (the evidence register's description of an imported file)
_FORMAT_WORDS: Final = {"zeeschuimer": "a capture of the pages seen in the browser", "csv": "a spreadsheet (CSV)",
                        "xlsx": "a spreadsheet (Excel)", "text": "a pasted list",
                        "instagram": "an Instagram data download", "tiktok": "a TikTok data download",
                        "x": "an X (Twitter) data download"}


def format_words(format: str) -> str:
    """An import format as a reader says it: "zeeschuimer" -> "a capture of the pages seen in the browser".

    >>> format_words("xlsx"), format_words("snapchat")
    ('a spreadsheet (Excel)', 'snapchat')
    """
    return _FORMAT_WORDS.get(str(format).casefold(), str(format))
