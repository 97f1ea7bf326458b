"""Facebook "Download your information" (JSON): friends, followers and following.

``your_friends.json`` -> ``{"friends_v2": [{"name", "timestamp"}]}``; ``people_who_followed_you.json``
(``followers_v3`` or ``followers_v2``), or numbered ``people_who_followed_you_1.json``, ``_2.json``... in
Instagram's list shape (a bare list of ``{"string_list_data": [{"value", "timestamp"}]}``);
``who_you've_followed.json`` (``following_v3``). Since 2021 the three sit in ``friends_and_followers/``:
``friends.json`` (``friends_v2``), ``who_you_follow.json`` (``following_v2``), ``followers.json``; such an
export is never read as Instagram's, whose file names look alike. Facebook gives
display names only: each name is also used as the account's handle (it is not a username), and friends
count as following each other ("friends of @owner", one row each way). Strings are repaired from mojibake.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import MissingFieldError
from . import LoadOptions, LoadResult
from ._exports import Bundle, Rows, dig, epoch, get, head_text, listing, owner_handle, text_or_none, wrong_file

NAME = "facebook"
PLATFORM = "facebook"
FRIENDS = r"your_friends(?:_\d+)?\.json|friends(?:_\d+)?\.json"
FOLLOWERS = r"people_who_followed_you(?:_\d+)?\.json|followers(?:_\d+)?\.json"
FOLLOWING = r"who_you(?:'|’)?ve_followed(?:_\d+)?\.json|who_you_follow(?:_\d+)?\.json|following(?:_\d+)?\.json"
PROFILE = r"profile_information\.json"
_KEYS = re.compile(r'"(?:friends|followers|following)_v\d"\s*:')
_NOTE = "Facebook export: a display name, not a username"


def sniff(path: Path) -> bool:
    """A zip/folder with Facebook's friend/follower file names, or a JSON with ``friends_v2``-style keys."""
    bundle = listing(path)
    if bundle is None:
        return False
    if bundle.kind in ("zip", "folder"):
        return bool(bundle.find(r"your_friends(?:_\d+)?\.json|people_who_followed_you(?:_\d+)?\.json|"
                                r"who_you(?:'|’)?ve_followed(?:_\d+)?\.json|who_you_follow(?:_\d+)?\.json")
                    or any(re.search(r"(^|/)friends_and_followers/[^/]+\.json$", n, re.IGNORECASE)
                           for n in bundle.names))
    if re.fullmatch(r"people_who_followed_you(?:_\d+)?\.json|who_you_follow(?:_\d+)?\.json", path.name,
                    re.IGNORECASE):
        return True
    head = head_text(path)
    return head.lstrip().startswith("{") and bool(_KEYS.search(head[:4096]))


def load(path: Path, options: LoadOptions) -> LoadResult:
    """Friends, followers and following of a Facebook export (display names)."""
    if not sniff(path):
        raise wrong_file(path, NAME)
    bundle = Bundle.open(path)
    if bundle.kind == "file":
        files = bundle.names
    else:
        files = [n for n in bundle.find(f"{FRIENDS}|{FOLLOWERS}|{FOLLOWING}")
                 if "/" not in n or re.search(r"(^|/)(connections|friends|followers|friends_and_followers)/", n, re.I)]
    profile: dict[str, Any] = {}
    for name in bundle.find(PROFILE) if bundle.kind != "file" else []:
        profile = get(bundle.read_json(name, mojibake=True), "profile_v2") or profile
    owner = owner_handle(path, NAME, from_export=text_or_none(get(profile, "username")), options=options)
    rows = Rows(PLATFORM, options.observed_at or pd.Timestamp.now(tz="UTC"))
    rows.account(owner, display_name=text_or_none(dig(profile, "name", "full_name")))
    positions = {"friends": 0, "followers": 0, "following": 0}
    for name in files:
        data = bundle.read_json(name, mojibake=True)
        label = bundle.label(name)
        if isinstance(data, list) and re.fullmatch(FOLLOWERS, name.rsplit("/", 1)[-1], re.IGNORECASE):
            data = {"followers": [_flat(entry) for entry in data]}  # the numbered files: Instagram's shape
        if not isinstance(data, dict):
            rows.unreadable_part(label, MissingFieldError(f"expected an object like {{\"friends_v2\": [...]}}; "
                                                          f"found a {type(data).__name__}."))
            continue
        for key, entries in data.items():
            base = key.casefold().rsplit("_v", 1)[0]
            kind = {"friends": "friends", "followers": "followers", "following": "following"}.get(base)
            if kind is None or not isinstance(entries, list):
                continue
            for number, entry in enumerate(entries, start=1):
                person = text_or_none(get(entry, "name"))
                if not person:
                    rows.problem(label, number, f"{key} name", "no name in this entry", entry)
                    continue
                when, why = epoch(get(entry, "timestamp"))
                if why:
                    rows.problem(label, number, f"{key} timestamp", why, get(entry, "timestamp"))
                    continue
                positions[kind] += 1
                pairs = {"followers": [(person, owner)], "following": [(owner, person)],
                         "friends": [(person, owner), (owner, person)]}[kind]
                for follower, followed in pairs:
                    rows.follow(follower, followed, observed_list=f"{kind} of @{owner}",
                                position=positions[kind], followed_at=when)
                rows.account(person, display_name=person, notes=_NOTE)
    return rows.result(NAME, bundle=bundle)


def _flat(entry: Any) -> Any:
    """An Instagram-shaped entry (``{"title", "string_list_data": [{"value", "timestamp"}]}``) as
    ``{"name", "timestamp"}``; anything else unchanged (and then reported as unreadable)."""
    items = get(entry, "string_list_data")
    item = items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else None
    if item is None:
        return entry
    return {"name": get(item, "value") or get(entry, "title"), "timestamp": get(item, "timestamp")}
