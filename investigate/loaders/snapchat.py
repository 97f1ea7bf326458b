"""Snapchat "My Data" (JSON): ``json/friends.json`` -> ``{"Friends": [{"Username", "Display Name",
"Creation Timestamp": "2022-07-22 19:28:21 UTC", ...}], ...}``, in a zip, its folder, or the file itself.

Friends count as following each other ("friends of @owner", one row each way); ``Creation Timestamp``
is when the friendship began. The owner comes from ``json/account.json`` (Basic Information ->
Username), else ``--account``. Other lists (requests sent, blocked, deleted) are not imported.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import FormatError
from . import LoadOptions, LoadResult
from ._exports import (
    Bundle,
    Rows,
    dig,
    get,
    head_text,
    listing,
    not_a_handle,
    owner_handle,
    text_or_none,
    why_not_a_handle,
    wrong_file,
)
from ._times import parse_times

NAME = "snapchat"
PLATFORM = "snapchat"
FRIENDS = r"friends\.json"
ACCOUNT = r"account\.json"
_KEYS = re.compile(r'"Friends"\s*:\s*\[', re.IGNORECASE)


def sniff(path: Path) -> bool:
    """``json/friends.json`` in a zip/folder, or a JSON object with a ``Friends`` list of ``Username`` entries."""
    bundle = listing(path)
    if bundle is None:
        return False
    if bundle.kind in ("zip", "folder"):
        return any(re.search(r"(^|/)json/friends\.json$", n, re.IGNORECASE) for n in bundle.names)
    head = head_text(path)
    return head.lstrip().startswith("{") and bool(_KEYS.search(head)) and '"Username"' in head


def load(path: Path, options: LoadOptions) -> LoadResult:
    """Friends of a Snapchat account."""
    if not sniff(path):
        raise wrong_file(path, NAME)
    bundle = Bundle.open(path)
    if bundle.kind == "file":
        name, account = bundle.names[0], None
    else:
        name = next(n for n in bundle.names if re.search(r"(^|/)json/friends\.json$", n, re.IGNORECASE))
        found = [n for n in bundle.find(ACCOUNT) if re.search(r"(^|/)json/", n, re.IGNORECASE)]
        account = bundle.read_json(found[0]) if found else None
    owner = owner_handle(path, NAME, options=options,
                         from_export=text_or_none(dig(account, "basic information", "username")))
    rows = Rows(PLATFORM, options.observed_at or pd.Timestamp.now(tz="UTC"))
    rows.account(owner, display_name=text_or_none(dig(account, "basic information", "name")))
    label = bundle.label(name)
    data = bundle.read_json(name)
    friends = get(data, "friends")
    if not isinstance(friends, list):
        raise FormatError(f"{label}: expected {{\"Friends\": [...]}}.")
    stamps = pd.Series([text_or_none(get(f, "creation timestamp")) for f in friends], dtype="string")
    times, reasons = parse_times(stamps, "UTC")
    times, reasons = times.tolist(), reasons.tolist()
    position = 0
    for number, friend in enumerate(friends, start=1):
        handle = text_or_none(get(friend, "username"))
        if not handle or not_a_handle(handle):
            rows.problem(label, number, "Username",
                         "no username in this entry" if not handle else why_not_a_handle(handle), handle or friend)
            continue
        if pd.notna(reasons[number - 1]):
            rows.problem(label, number, "Creation Timestamp", str(reasons[number - 1]), stamps[number - 1])
            continue
        position += 1
        when = times[number - 1]
        for follower, followed in ((handle, owner), (owner, handle)):
            rows.follow(follower, followed, observed_list=f"friends of @{owner}", position=position,
                        followed_at=None if pd.isna(when) else when)
        rows.account(handle, display_name=text_or_none(get(friend, "display name")))
    return rows.result(NAME, bundle=bundle)
