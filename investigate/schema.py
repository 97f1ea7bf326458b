"""The canonical tables: their columns, dtypes and validation, and handle normalisation.

Every loader returns frames shaped like these; the case store keeps them in SQLite;
analysis functions take them as pandas DataFrames. Times are UTC (``datetime64[ns, UTC]``).

Handles appear in three forms: as shown (``@Fake.Head_Teacher``), as a profile URL, and
normalised (``fake.head_teacher``). Tables other than ``accounts`` store the normalised key;
``accounts`` keeps the shown form beside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from .errors import SchemaError
from .words import handle_key, handle_keys, shown_handles  # noqa: F401 - their home is words

if TYPE_CHECKING:  # pandas is imported where frames are made: opening a case or `verify` needs none
    import pandas as pd

UTC_TIME: Final = "datetime64[ns, UTC]"
TEXT: Final = "string"
INT: Final = "Int64"

#: table name -> {column: dtype}; column order is the canonical order.
TABLES: Final[dict[str, dict[str, str]]] = {
    "evidence": {
        "evidence_id": TEXT,  # "E0001"
        "sha256": TEXT,
        "original_name": TEXT,
        "media_type": TEXT,
        "size_bytes": INT,
        "captured_at": UTC_TIME,
        "captured_by": TEXT,
        "source_url": TEXT,
        "description": TEXT,
        "registered_at": UTC_TIME,
        "registered_by": TEXT,
    },
    "accounts": {
        "platform": TEXT,
        "handle": TEXT,  # as shown
        "handle_key": TEXT,  # normalised, see handle_key()
        "display_name": TEXT,
        "profile_url": TEXT,
        "platform_id": TEXT,  # numeric id where a platform gives only ids (X)
        "role": TEXT,  # subject, copycat, school, staff, community, monitoring, target, unknown
        "created_at": UTC_TIME,  # account creation, where known
        "notes": TEXT,
        "evidence_id": TEXT,
    },
    "relationships": {
        "platform": TEXT,
        "follower": TEXT,  # handle_key
        "followed": TEXT,  # handle_key
        "observed_list": TEXT,  # e.g. "followers of @x"
        "position": INT,  # 1-based position in the list as shown
        # the order the list was taken in: oldest-first, newest-first or app (the platform's own
        # order, so position is shown but never scored); empty when not recorded
        "list_order": TEXT,
        "followed_at": UTC_TIME,
        "observed_at": UTC_TIME,
        "evidence_id": TEXT,
    },
    "posts": {
        "platform": TEXT,
        "account": TEXT,  # handle_key
        "post_id": TEXT,
        "url": TEXT,
        "posted_at": UTC_TIME,
        "text": TEXT,
        "media_type": TEXT,
        "likes": INT,
        "comments": INT,
        "shares": INT,
        "views": INT,
        "evidence_id": TEXT,
    },
    "interactions": {
        "platform": TEXT,
        "actor": TEXT,  # handle_key of who commented/liked/...
        "kind": TEXT,  # comment, like, reshare, tag, mention, duet, stitch
        "on_account": TEXT,  # handle_key of the account acted on
        "post_id": TEXT,
        "text": TEXT,
        "at": UTC_TIME,
        "evidence_id": TEXT,
    },
    "events": {
        "at": UTC_TIME,
        "precision": TEXT,  # exact, day, approximate
        "kind": TEXT,
        "summary": TEXT,
        "accounts": TEXT,  # handle_keys, comma-separated
        "evidence_id": TEXT,
        "recorded_by": TEXT,
        "source": TEXT,  # entered or derived
    },
    "people": {
        "person_id": TEXT,
        "name": TEXT,
        "role": TEXT,  # learner, staff, parent, other
        "year_group": TEXT,
        "tutor_group": TEXT,
        "handles": TEXT,  # handle_keys, comma-separated
        "known_as": TEXT,  # other names the person goes by (a nickname, a short form), comma-separated
    },
    "actions": {
        "action_id": INT,
        "kind": TEXT,  # platform_report, lado, police, posh, rhc, staff_support, sanction, ...
        "what": TEXT,
        "who": TEXT,
        "at": UTC_TIME,  # when it was done or logged
        "due": UTC_TIME,
        "status": TEXT,  # open, done, cancelled
        "outcome": TEXT,
        # the tracker (investigate.tracker): a report or referral, its route and reference
        "platform": TEXT,  # platform reports: tiktok, instagram, ...
        "route": TEXT,  # e.g. impersonation, privacy, harassment, copyright; 101 or 999; allegation
        "reference": TEXT,  # the reference the platform, police or LADO gave
        "affected": TEXT,  # person_id of the person affected, or "school" (the school's name or logo)
        "drafted_at": UTC_TIME,  # when its pack was first drafted
        "sent_at": UTC_TIME,  # when the report or referral was made
        "answered_at": UTC_TIME,  # when the recipient replied
    },
    "imports": {
        "import_id": INT,
        "at": UTC_TIME,
        "who": TEXT,
        "file": TEXT,
        "format": TEXT,
        "list_kind": TEXT,
        "account": TEXT,
        "list_order": TEXT,  # oldest-first, newest-first or app (see relationships.list_order)
        "evidence_id": TEXT,
        "rows": INT,
        "rejected": INT,
    },
    "rejects": {
        "import_id": INT,
        "file": TEXT,
        "row": INT,
        "column": TEXT,
        "value": TEXT,
        "reason": TEXT,
    },
    "audit": {
        "seq": INT,
        "at": UTC_TIME,
        "who": TEXT,
        "what": TEXT,
        "details": TEXT,
        "prev_hash": TEXT,
        "hash": TEXT,
        "wrote": TEXT,  # JSON: fingerprint of each table (and case.toml) the change wrote, see audit.py
        "login": TEXT,  # the operating-system account that ran the change (``who`` is the name typed)
    },
    "findings": {  # the analyst's own words; a correction is a new entry that amends an earlier one
        "finding_id": INT,
        "at": UTC_TIME,
        "who": TEXT,
        "section": TEXT,  # one of FINDING_SECTIONS
        "text": TEXT,
        "reasons": TEXT,  # for decisions: the reasons, in the analyst's words
        "amends": INT,  # finding_id of the entry this one corrects, if any
    },
    # web-archive captures (WACZ/WARC): what checking each one proved, one row per capture imported
    "captures": {
        "evidence_id": TEXT,
        "import_id": INT,  # empty for a capture refused (nothing was imported)
        "format": TEXT,  # "WACZ 1.1.1", "WACZ 1.2.0", "WARC"
        "outcome": TEXT,  # verified, or refused (a check failed: nothing was imported from it)
        "proof": TEXT,  # in words: each failure, then what the hashes, digest and signature prove
        "signature": TEXT,  # none, anonymous, domain
        "key_fingerprint": TEXT,  # SHA-256 of an anonymous signing key (DER), hex
        "signed_domain": TEXT,
        "created": TEXT,  # when the capture says it was packaged or signed, as it says it
        "software": TEXT,
        "first_record_at": UTC_TIME,  # the first and last WARC-Date of the records read
        "last_record_at": UTC_TIME,
        "pages": INT,
    },
    # where each imported row of a capture came from: one row per WARC record read, and per page listed
    "capture_records": {
        "evidence_id": TEXT,
        "import_id": INT,
        "record_id": TEXT,  # WARC-Record-ID (urn:uuid:...); empty for a page of pages.jsonl
        "kind": TEXT,  # ig-friends, ig-json, ig-page, tt-comments, tt-users, tt-posts, tt-page, screenshot, page
        "content": TEXT,  # what it showed, in words ("followers of @x, page 2 of 3 (25 accounts)"), or a page title
        "target_uri": TEXT,  # WARC-Target-URI (urn:view:... for a screenshot)
        "captured_at": UTC_TIME,  # WARC-Date, or the page's time
        "payload_digest": TEXT,  # WARC-Payload-Digest
        "warc_file": TEXT,  # the WARC inside the WACZ
        "offset": INT,  # the record's offset in that WARC
        "media_type": TEXT,
        # JSON {table: [first, count]}: the rows read from this record, by position in the import's part
        "rows": TEXT,
    },
    "withdrawals": {  # a mistake undone: an import or a findings entry that no longer counts (append-only)
        "withdrawal_id": INT,
        "at": UTC_TIME,
        "who": TEXT,
        "import_id": INT,  # the import withdrawn (its rows stop counting; its evidence stays registered)
        "finding_id": INT,  # or the findings entry withdrawn
        "what": TEXT,  # what was withdrawn, in words (the file and the list, or the entry's first words)
        "reason": TEXT,  # why, in the analyst's words
    },
    "pseudonyms": {  # redaction: stable pseudonyms for people (kept in the case, never in a report)
        "person_id": TEXT,
        "pseudonym": TEXT,  # "Learner A", "Staff B"
        "assigned_at": UTC_TIME,
    },
}

#: The state tables: their rows may change after they are written (an account's role, a person's details,
#: an action's status). Each entry that changes one records the rows it changed, and verify replays them.
#: Every other table (and any table added to :data:`TABLES` later) is a record table: append-only, its rows
#: never updated or deleted once their change is saved; a correction is a new row (see investigate.audit).
STATE_TABLES: Final = frozenset({"accounts", "people", "actions"})

#: columns that must be present and non-empty in each table.
REQUIRED: Final[dict[str, tuple[str, ...]]] = {
    "evidence": ("evidence_id", "sha256", "original_name"),
    "accounts": ("platform", "handle", "handle_key"),
    "relationships": ("platform", "follower", "followed"),
    "posts": ("platform", "account"),
    "interactions": ("platform", "actor", "kind"),
    "events": ("at", "kind", "summary"),
    "people": ("person_id", "name", "role"),
    "actions": ("kind", "what"),
    "imports": ("import_id", "file"),
    "rejects": ("file", "reason"),
    "audit": ("seq", "at", "what", "hash"),
    "findings": ("section", "text"),
    "pseudonyms": ("person_id", "pseudonym"),
    "captures": ("format", "outcome"),  # evidence_id is filled in when the file is registered
    "capture_records": ("kind",),
    "withdrawals": ("reason",),
}

ROLES: Final = ("subject", "copycat", "school", "staff", "community", "monitoring", "target", "unknown")
#: the platforms the kit knows by name (as stored: lower case); "other" for one it does not list
PLATFORMS: Final = ("tiktok", "instagram", "x", "facebook", "snapchat", "youtube", "other")
#: names people type for a platform the kit stores under another name
_PLATFORM_ALIASES: Final = {"twitter": "x", "insta": "instagram", "ig": "instagram", "fb": "facebook",
                            "snap": "snapchat", "yt": "youtube", "tik tok": "tiktok"}
INTERACTION_KINDS: Final = ("comment", "like", "reshare", "tag", "mention", "duet", "stitch")
PRECISIONS: Final = ("exact", "day", "approximate")
PERSON_ROLES: Final = ("learner", "staff", "parent", "other")
LIST_ORDERS: Final = ("oldest-first", "newest-first", "app")
#: how a list's positions are counted, in words (for the chronology, the report, the leads' reasons)
LIST_ORDER_WORDS: Final = {
    "oldest-first": "counting from the oldest (list sorted by date followed, earliest first)",
    "newest-first": "counting from the newest (list sorted by date followed, latest first)",
    "app": "in the app's own order (not a time order: positions are shown, never scored)",
}
FINDING_SECTIONS: Final = ("concern", "done", "assessment", "decision", "outcome", "next_steps")

def known_platform(name: str) -> str:
    """The platform ``name`` as the kit stores it (trimmed, lower case), when it is one of :data:`PLATFORMS`.

    Anything else is refused (a platform the kit does not list is "other"), with the closest known name:

    >>> known_platform(" TikTok ")
    'tiktok'
    >>> known_platform("tiktk")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    investigate.errors.InputError: 'tiktk' is not a platform the kit knows: did you mean tiktok? ...
    """
    from difflib import get_close_matches

    from .errors import InputError

    key = " ".join(str(name).split()).casefold()
    if key in PLATFORMS:
        return key
    close = [_PLATFORM_ALIASES[key]] if key in _PLATFORM_ALIASES else get_close_matches(key, PLATFORMS, n=1)
    hint = f": did you mean {close[0]}?" if close else "."
    raise InputError(f"{str(name).strip()!r} is not a platform the kit knows{hint} The platforms are "
                     f"{', '.join(PLATFORMS[:-1])}, or other for one not listed.")


def empty(table: str) -> pd.DataFrame:
    """An empty frame with the table's columns and dtypes."""
    import pandas as pd

    columns = _columns(table)
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in columns.items()})


def validate(df: pd.DataFrame, table: str, *, source: str | None = None) -> pd.DataFrame:
    """Check a frame against a canonical table and return a copy with canonical dtypes.

    Missing optional columns are added empty; unknown columns are dropped. Raises
    :class:`SchemaError` naming every missing required column, every column whose values
    cannot take the expected type, and every required column with empty values.

    >>> import pandas as pd
    >>> validate(pd.DataFrame({"platform": ["tiktok"], "follower": ["a"], "followed": ["b"]}),
    ...          "relationships").dtypes["position"]
    Int64Dtype()
    """
    import pandas as pd

    columns = _columns(table)
    where = f" in {source}" if source else ""
    missing = [c for c in REQUIRED[table] if c not in df.columns]
    if missing:
        raise SchemaError(
            f"The {table} table{where} is missing the column(s) {', '.join(missing)}. "
            f"Expected columns: {', '.join(columns)}."
        )
    out = pd.DataFrame(index=df.index)
    errors: list[str] = []
    for column, dtype in columns.items():
        if column not in df.columns:
            out[column] = pd.Series(pd.NA, index=df.index, dtype=dtype)
            continue
        try:
            out[column] = _coerce(df[column], dtype)
        except (ValueError, TypeError) as exc:
            errors.append(f"column '{column}' should hold {_describe(dtype)}: {exc}")
    for column in REQUIRED[table]:
        if column in out and not errors:
            blank = out[column].isna()
            if out[column].dtype == TEXT:
                blank |= out[column].fillna("").str.strip().eq("")
            if blank.any():
                first = int(blank.to_numpy().argmax())
                errors.append(
                    f"column '{column}' must not be empty ({int(blank.sum())} empty, "
                    f"first at row {first + 1})"
                )
    if errors:
        raise SchemaError(f"The {table} table{where} has problems:\n  - " + "\n  - ".join(errors))
    return out.reset_index(drop=True)


def _columns(table: str) -> dict[str, str]:
    try:
        return TABLES[table]
    except KeyError:
        raise SchemaError(
            f"There is no table called {table!r}. Tables: {', '.join(TABLES)}."
        ) from None


def _coerce(values: pd.Series, dtype: str) -> pd.Series:
    import pandas as pd

    if dtype == UTC_TIME:
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            return values.dt.tz_convert("UTC").astype(UTC_TIME)
        if pd.api.types.is_datetime64_dtype(values.dtype):
            return values.dt.tz_localize("UTC").astype(UTC_TIME)
        return pd.to_datetime(values, utc=True, format="ISO8601").astype(UTC_TIME)
    if dtype == INT:
        if pd.api.types.is_integer_dtype(values.dtype):
            return values.astype(INT)
        return pd.to_numeric(values, errors="raise").astype(INT)
    if values.dtype == TEXT:
        return values
    return values.astype(TEXT)


def _describe(dtype: str) -> str:
    return {UTC_TIME: "dates and times", INT: "whole numbers", TEXT: "text"}[dtype]
