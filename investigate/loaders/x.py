"""X (Twitter) archive: the zip or its folder, or one ``data/*.js`` file.

``follower.js`` / ``following.js`` hold numeric account ids only (no handles, no dates): each is kept
in ``accounts.platform_id`` and shown as ``id:<number>`` until a handle is known for it, from
``account.js`` (the owner) or from the tweets (mentions and replies carry id and handle together).
``tweets.js`` (``tweet.js`` in older archives, more parts as ``tweets-part1.js``) become posts, with
replies as comments, ``RT @name:`` as reshares and other mentions as mentions.
Every ``.js`` file is ``window.YTD.<name>.partN = [...]``: parsed from the first ``[``.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import FormatError
from . import LoadOptions, LoadResult
from ._exports import Bundle, Rows, count, get, head_text, listing, owner_handle, parse_json, text_or_none, wrong_file

NAME = "x"
PLATFORM = "x"
FOLLOWER = r"follower\.js"
FOLLOWING = r"following\.js"
ACCOUNT = r"account\.js"
TWEETS = r"tweets?(?:-part\d+)?\.js"
_YTD = re.compile(r"window\.YTD\.(\w+)\.part\d+\s*=", re.IGNORECASE)
_TIME = "%a %b %d %H:%M:%S %z %Y"


def sniff(path: Path) -> bool:
    """A ``window.YTD...`` file, or a zip/folder holding X's ``data/*.js`` files."""
    bundle = listing(path)
    if bundle is None:
        return False
    if bundle.kind in ("zip", "folder"):
        found = bundle.find(f"{FOLLOWER}|{FOLLOWING}|{ACCOUNT}|{TWEETS}")
        try:  # one member's first bytes tell an X archive from any folder with an account.js
            head = bundle.head(found[0], 512).decode("utf-8", "replace") if found else ""
            return bool(_YTD.match(head.lstrip("\ufeff \r\n\t")))
        except (OSError, zipfile.BadZipFile, KeyError):
            return False
    return bool(_YTD.match(head_text(path, 512).lstrip()))


def _part(name: str) -> int:
    """``tweets.js`` is part 0, ``tweets-part1.js`` part 1..."""
    match = re.search(r"-part(\d+)\.js$", name, re.IGNORECASE)
    return int(match.group(1)) if match else 0


def parse_js(text: str, label: str) -> list[Any]:
    """The list in ``window.YTD.x.part0 = [ ... ]`` (parsed from the first ``[``).

    >>> parse_js('window.YTD.follower.part0 = [{"follower": {"accountId": "12"}}];', "follower.js")
    [{'follower': {'accountId': '12'}}]
    """
    start = text.find("[")
    if start < 0:
        raise FormatError(f"{label}: no list found (an X archive file looks like window.YTD.name.part0 = [ ... ]).")
    value = parse_json(text, label, start=start)
    if not isinstance(value, list):
        raise FormatError(f"{label}: expected a list after '='.")
    return value


def load(path: Path, options: LoadOptions) -> LoadResult:
    """Followers/following (ids, resolved where the archive allows) and tweets of an X archive."""
    if not sniff(path):
        raise wrong_file(path, NAME)
    bundle = Bundle.open(path)
    groups: dict[str, list[str]] = {"follower": [], "following": [], "account": [], "tweets": []}
    if bundle.kind == "file":
        match = _YTD.match(head_text(path, 512).lstrip())
        kind = match.group(1).casefold() if match else ""
        groups["tweets" if kind in ("tweet", "tweets") else kind] = bundle.names
    else:
        for kind, pattern in (("follower", FOLLOWER), ("following", FOLLOWING), ("account", ACCOUNT),
                              ("tweets", TWEETS)):
            groups[kind] = sorted(bundle.find(pattern), key=_part)
    parsed = {kind: [(bundle.label(n), parse_js(bundle.read_text(n), bundle.label(n))) for n in names]
              for kind, names in groups.items() if kind in ("follower", "following", "account", "tweets")}
    account: dict[str, Any] = {}
    for _label, items in parsed["account"]:
        for item in items:
            account = get(item, "account") or account
    owner = owner_handle(path, NAME, from_export=text_or_none(get(account, "username")), options=options)
    owner_id = text_or_none(get(account, "accountId"))
    names: dict[str, tuple[str, str | None]] = {}  # id -> (handle, display name)
    if owner_id:
        names[owner_id] = (owner, text_or_none(get(account, "accountDisplayName")))
    tweets = [(label, number, get(item, "tweet") or item)
              for label, items in parsed["tweets"] for number, item in enumerate(items, start=1)]
    for _label, _number, tweet in tweets:
        for mention in get(get(tweet, "entities"), "user_mentions") or []:
            if text_or_none(get(mention, "id_str")) and text_or_none(get(mention, "screen_name")):
                names.setdefault(str(get(mention, "id_str")), (str(get(mention, "screen_name")),
                                                                text_or_none(get(mention, "name"))))
        reply_id, reply_name = text_or_none(get(tweet, "in_reply_to_user_id_str")), text_or_none(
            get(tweet, "in_reply_to_screen_name"))
        if reply_id and reply_name:
            names.setdefault(reply_id, (reply_name, None))
    rows = Rows(PLATFORM, options.observed_at or pd.Timestamp.now(tz="UTC"))
    rows.account(owner, display_name=names.get(owner_id or "", (None, None))[1], platform_id=owner_id,
                 profile_url=f"https://x.com/{owner}",
                 created_at=pd.to_datetime(text_or_none(get(account, "createdAt")), utc=True, errors="coerce"))
    for kind, items_by_file in (("followers", parsed["follower"]), ("following", parsed["following"])):
        position = 0
        key = "follower" if kind == "followers" else "following"
        for label, items in items_by_file:
            for number, item in enumerate(items, start=1):
                account_id = text_or_none(get(get(item, key), "accountId"))
                if not account_id or not account_id.isdigit():
                    rows.problem(label, number, "accountId", "no account id in this entry", item)
                    continue
                handle, display = names.get(account_id, (f"id:{account_id}", None))
                position += 1
                rows.listed(kind, owner, handle, position=position)
                rows.account(handle, platform_id=account_id, display_name=display,
                             profile_url=f"https://x.com/{handle}" if account_id in names
                             else f"https://x.com/i/user/{account_id}",
                             notes=None if account_id in names else "the X archive gives only this account's id")
    unnamed = sorted({item for kind in ("follower", "following") for _label, items in parsed[kind] for item in
                      [text_or_none(get(get(i, kind), "accountId")) for i in items]
                      if item and item.isdigit() and item not in names})
    if unnamed:
        rows.notes.append(
            f"{len(unnamed)} account(s) on the followers/following lists are known only by their X id (shown as "
            f"id:{unnamed[0]}): the archive does not name them. Their page (https://x.com/i/user/{unnamed[0]}), "
            "a capture of it, or X itself can name them.")
    _tweets(tweets, owner, names, rows)
    return rows.result(NAME, bundle=bundle)


def _tweets(tweets: list[tuple[str, int, Any]], owner: str, names: dict[str, tuple[str, str | None]],
            rows: Rows) -> None:
    times = pd.to_datetime(pd.Series([text_or_none(get(t, "created_at")) for _, _, t in tweets], dtype="object"),
                           format=_TIME, errors="coerce", utc=True)
    ids = {handle.casefold(): account_id for account_id, (handle, _name) in names.items()}
    for index, (label, number, tweet) in enumerate(tweets):
        tweet_id = text_or_none(get(tweet, "id_str")) or text_or_none(get(tweet, "id"))
        when = times.iloc[index]
        if not isinstance(tweet, dict) or not tweet_id:
            rows.problem(label, number, "id_str", "not a tweet (no id)", tweet)
            continue
        if pd.isna(when):
            rows.problem(label, number, "created_at", "not a time like 'Sat Feb 18 19:45:15 +0000 2023'",
                         get(tweet, "created_at"))
            continue
        likes, why_likes = count(get(tweet, "favorite_count"))
        shares, why_shares = count(get(tweet, "retweet_count"))
        if why_likes or why_shares:
            rows.problem(label, number, "favorite_count" if why_likes else "retweet_count", "not a number",
                         get(tweet, "favorite_count" if why_likes else "retweet_count"))
            continue
        text = text_or_none(get(tweet, "full_text")) or text_or_none(get(tweet, "text"))
        text = html.unescape(text) if text else text  # the archive writes &amp; &gt; &lt; for & > <
        rows.post(account=owner, post_id=tweet_id, url=f"https://x.com/{owner}/status/{tweet_id}", posted_at=when,
                  text=text, media_type="tweet", likes=likes, shares=shares)
        done: set[str] = set()
        reply_name = text_or_none(get(tweet, "in_reply_to_screen_name"))
        if reply_name:
            rows.interaction(actor=owner, kind="comment", on_account=reply_name, at=when, text=text,
                             post_id=text_or_none(get(tweet, "in_reply_to_status_id_str")))
            rows.account(reply_name, platform_id=text_or_none(get(tweet, "in_reply_to_user_id_str")))
            done.add(reply_name.casefold())
        retweet = re.match(r"RT @(\w{1,15}):", text or "")
        if retweet and retweet.group(1).casefold() not in done:
            rows.interaction(actor=owner, kind="reshare", on_account=retweet.group(1), at=when, post_id=tweet_id)
            rows.account(retweet.group(1), platform_id=ids.get(retweet.group(1).casefold()))
            done.add(retweet.group(1).casefold())
        for mention in get(get(tweet, "entities"), "user_mentions") or []:
            name = text_or_none(get(mention, "screen_name"))
            if name and name.casefold() not in done and name.casefold() != owner.casefold():
                rows.interaction(actor=owner, kind="mention", on_account=name, at=when, post_id=tweet_id)
                rows.account(name, platform_id=text_or_none(get(mention, "id_str")),
                             display_name=text_or_none(get(mention, "name")))
                done.add(name.casefold())
