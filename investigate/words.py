"""The shared words of every output: how a time is shown, how a handle and a name are compared, what
counts as a missing value and how a listed cell is split.

Times: :func:`show` is the one formatter of a stored time: the report (:func:`investigate.plain.format_time`)
and the packs (``CaseFacts.time``) call it. The zone is a required keyword (a time is never shown in
whatever zone it happens to carry), and a time without a zone is refused: it cannot be read exactly.

>>> import pandas as pd
>>> show(pd.Timestamp("2025-10-24 09:00", tz="UTC"), zone="Europe/London")
'24/10/2025 10:00 BST'
>>> show(pd.Timestamp("2025-10-24 09:00", tz="UTC"), zone="Europe/London", weekday=True, style="day")
'Fri 24/10/2025'
>>> show(None, zone="Europe/London")
''
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Final

from .errors import DateError

if TYPE_CHECKING:
    import pandas as pd

#: how precisely a time is known, and so how it is shown: to the minute, to the day, or "about".
STYLES: Final = ("exact", "day", "approximate")
DAY: Final = "%d/%m/%Y"
CLOCK: Final = "%H:%M %Z"


def is_missing(value: object) -> bool:
    """True for None, pandas' NA and NaT, and a float NaN (a cell that holds nothing).

    >>> import pandas as pd
    >>> [is_missing(v) for v in (None, float("nan"), pd.NA, pd.NaT, "", 0)]
    [True, True, True, True, False, False]
    """
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    if type(value).__module__.startswith("pandas"):
        import pandas as pd

        return value is pd.NA or value is pd.NaT
    return False


def name_key(name: object) -> str:
    """A person's name as compared: spaces collapsed, case ignored ('' for a missing value).

    >>> name_key("mr  J Bloggs") == name_key("Mr J BLOGGS")
    True
    """
    return "" if is_missing(name) else " ".join(str(name).split()).casefold()


def items(value: object, separators: str = ",") -> list[str]:
    """The items of a listed cell ("a, b;c"), each trimmed, spaces collapsed, empty ones dropped; none
    for a missing value. ``separators`` are the characters that part the items (default a comma).

    >>> items(" @a, @b ,, ")
    ['@a', '@b']
    >>> items("Zed / Zeddy; Z", separators=",;/")
    ['Zed', 'Zeddy', 'Z']
    >>> items(None)
    []
    """
    if is_missing(value):
        return []
    parts = re.split("[" + re.escape(separators) + "]", str(value)) if separators else [str(value)]
    return [n for n in (" ".join(p.split()) for p in parts) if n]


# profile URL forms: instagram.com/_u/name/?igsh=.., tiktok.com/@name, x.com/name, facebook.com/name
_URL = re.compile(
    r"^(?:https?://)?(?:[a-z0-9-]+\.)*(?P<host>[a-z0-9-]+\.[a-z]{2,})(?::\d+)?/+"
    r"(?:_u/+)?@?(?P<name>[^/?#\s]+)",
    re.IGNORECASE,
)

#: what comes off the front of a handle: "@" signs and every kind of space, in any order
_LEADING: Final = "@" + "".join(c for c in map(chr, range(0x3000 + 1)) if c.isspace())


def handle_key(handle: object) -> str:
    """Normalise one handle: NFKC, trimmed, no ``@``, URL forms reduced to the name, casefolded.

    >>> handle_key(" @Fake.Head_Teacher ")
    'fake.head_teacher'
    >>> handle_key("https://www.instagram.com/_u/Fake.Head/?igsh=abc")
    'fake.head'
    >>> handle_key("https://www.tiktok.com/@Prank.Page")
    'prank.page'
    """
    if is_missing(handle):
        return ""
    text = unicodedata.normalize("NFKC", str(handle)).lstrip(_LEADING).rstrip()  # "@" typed before a link too
    match = _URL.match(text)
    if match:
        text = match.group("name")
    text = text.lstrip("@").strip()
    return text.casefold()


def shown_handles(handles: pd.Series) -> pd.Series:
    """Handles as shown, without ``@`` or URL parts, case kept (``string`` dtype).

    >>> import pandas as pd
    >>> list(shown_handles(pd.Series(["@A.b", "https://x.com/Cc?s=1"])))
    ['A.b', 'Cc']
    """
    text = handles.astype("string").fillna("")
    wide = ~text.str.isascii()
    if wide.any():
        text = text.where(~wide, text[wide].str.normalize("NFKC"))
    text = text.str.lstrip(_LEADING).str.rstrip()
    url_like = text.str.contains("/", regex=False)
    if url_like.any():  # the regex only where needed: it is the slow part on a million rows
        urls = text[url_like].str.extract(_URL)["name"]
        text = text.where(~url_like | urls.isna(), urls)
    return text.str.lstrip("@").str.strip().astype("string")


def handle_keys(handles: pd.Series) -> pd.Series:
    """Vectorised :func:`handle_key` for a Series of shown handles (returns ``string`` dtype).

    >>> import pandas as pd
    >>> list(handle_keys(pd.Series(["@A.b", "https://x.com/Cc"])))
    ['a.b', 'cc']
    """
    return fold_case(shown_handles(handles))


def fold_case(text: pd.Series) -> pd.Series:
    """A Series of texts casefolded (lower case for ASCII: the same, and much faster)."""
    lowered = text.str.lower()  # the same as casefold for ASCII, and much faster
    wide = ~text.str.isascii()
    return lowered.where(~wide, text[wide].str.casefold()) if wide.any() else lowered


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th... 11th, 12th, 13th, 21st.

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 102, 111)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '102nd', '111th']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def show(value: object, *, zone: str, style: object = "exact", weekday: bool = False) -> str:
    """A stored time in ``zone``, UK day first: '24/10/2025 10:00 BST', a day only for style 'day',
    'about ...' for 'approximate' (any other style is shown exact); '' for a missing value.

    Raises DateError for a time without a zone (naive): whether it is UTC or local cannot be known.
    """
    if is_missing(value):
        return ""
    import pandas as pd

    stamp = pd.Timestamp(value)
    if stamp is pd.NaT:
        return ""
    if stamp.tzinfo is None:
        raise DateError(f"The time {stamp} has no time zone, so it cannot be shown exactly: store times in UTC.")
    local = stamp.tz_convert(zone)
    day = local.strftime(("%a " if weekday else "") + DAY)
    if style == "day":
        return day
    text = f"{day} {local.strftime(CLOCK)}"
    return f"about {text}" if style == "approximate" else text
