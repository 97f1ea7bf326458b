"""The chronology: posts, interactions, follows, list observations and entered events in one frame.

Times stay UTC in ``at``; ``at_local`` shows them in the case's time zone (Europe/London by
default, so BST and GMT are both right). Every row says where it came from (``source``) and which
evidence backs it (``evidence_id``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from .errors import InvestigateError
from .plain import TIME_FORMAT
from .schema import LIST_ORDER_WORDS

log = logging.getLogger("investigate")

COLUMNS: Final = ("at", "at_local", "kind", "lane", "summary", "accounts", "source", "evidence_id",
                  "precision", "marker")
#: lanes in the order a timeline draws them (top to bottom)
LANES: Final = ("markers", "events", "posts", "interactions", "follows", "evidence")
#: marker name -> pattern on an event's kind
MARKER_KINDS: Final[dict[str, re.Pattern[str]]] = {
    "report made": re.compile(r"report", re.IGNORECASE),
    "takedown": re.compile(r"take\s*down|taken\s*down|removed|suspended|banned", re.IGNORECASE),
}


def check_timezone(timezone: str) -> ZoneInfo:
    """The zone for a name, or an :class:`InvestigateError` a person can act on."""
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise InvestigateError(
            f"{timezone!r} is not a time zone the kit knows; use a name like 'Europe/London'.") from None


def _one_line(text: pd.Series) -> pd.Series:
    """Texts on one line (runs of white space made one space), whole: never cut."""
    return text.astype("string").fillna("").str.replace(r"\s+", " ", regex=True).str.strip()


def _at(handles: pd.Series) -> pd.Series:
    return "@" + handles.astype("string").fillna("?")


def _frame(at: pd.Series, kind: object, lane: str, summary: pd.Series, accounts: pd.Series, source: str,
           evidence_id: pd.Series | None, precision: object = "exact", marker: object = pd.NA) -> pd.DataFrame:
    n = len(at)

    def column(value: object) -> object:  # a column kept as its array (no copy into Python objects)
        return pd.array(value.array, dtype="string") if isinstance(value, pd.Series) else value

    return pd.DataFrame({
        "at": at.array, "kind": column(kind), "lane": lane, "summary": column(summary),
        "accounts": column(accounts), "source": source,
        "evidence_id": column(evidence_id) if evidence_id is not None else pd.NA,
        "precision": column(precision), "marker": column(marker),
    }, index=range(n)).astype({c: "string" for c in ("kind", "lane", "source", "evidence_id", "precision",
                                                      "marker")})


def _list_owner(obs: pd.DataFrame) -> pd.Series:
    """Whose list each observed list is: the account every row shares (the followed account of a
    followers list, the follower of a following list), never an account listed on it. A list of one
    row shares both: the one its label names, else the followed account."""
    followed = obs["followed"].astype("string")
    follower = obs["follower"].astype("string")
    label = obs["observed_list"].astype("string").str.casefold()
    names_follower = pd.Series([isinstance(f, str) and f in str(lab) and not (isinstance(d, str) and d in str(lab))
                                for f, d, lab in zip(follower, followed, label, strict=True)], index=obs.index)
    owner = followed.where(obs["followeds"].eq(1), pd.NA)
    by_follower = obs["followers"].eq(1) & (obs["followeds"].ne(1) | names_follower)
    return owner.mask(by_follower, follower)


def _post_refs(post_ids: pd.Series, posts: pd.DataFrame, zone: ZoneInfo) -> pd.Series:
    """How a summary names the post an interaction was on: by its time ("post of 24/09/2025 20:08"),
    never by a platform's 19-digit id; a post the case does not hold by the end of its id.

    >>> posts = pd.DataFrame({"post_id": ["7553734615162491214"],
    ...                       "posted_at": pd.to_datetime(["2025-09-24 19:08"], utc=True)})
    >>> _post_refs(pd.Series(["7553734615162491214", "7553734615160000001", "p1"]), posts,
    ...            ZoneInfo("Europe/London")).tolist()
    ['post of 24/09/2025 20:08', 'unrecorded post …000001', 'unrecorded post p1']
    """
    ids = post_ids.astype("string")
    known = posts.dropna(subset=["post_id", "posted_at"]).drop_duplicates("post_id") if len(posts) else posts
    when = dict(zip(known["post_id"].astype(str), pd.to_datetime(known["posted_at"], utc=True).dt.tz_convert(zone),
                    strict=True)) if len(known) else {}
    return pd.Series([f"post of {when[i]:{TIME_FORMAT}}" if i in when else
                      f"unrecorded post {i if len(i) <= 8 else '…' + i[-6:]}" for i in ids.fillna("?")],
                     index=ids.index, dtype="string")


_VERBS: Final = {"comment": "commented on", "like": "liked", "reshare": "reshared", "tag": "tagged",
                 "mention": "mentioned", "duet": "duetted", "stitch": "stitched"}


def build_chronology(
    posts: pd.DataFrame,
    interactions: pd.DataFrame,
    relationships: pd.DataFrame,
    events: pd.DataFrame,
    accounts: pd.DataFrame,
    *,
    timezone: str = "Europe/London",
) -> pd.DataFrame:
    """One time-ordered frame of everything dated in the case.

    In: the canonical posts, interactions, relationships, events and accounts frames. Out: columns
    at (UTC), at_local (the case's zone), kind, lane (see :data:`LANES`), summary, accounts
    (handle_keys, comma-separated), source (posts, interactions, relationships, derived or the
    event's own source), evidence_id, precision, marker ("account created", "first post",
    "report made", "takedown" or empty). Rows without a time are left out (and logged).

    >>> from investigate.schema import empty
    >>> posts = pd.DataFrame({"account": ["fake.head"], "post_id": ["1"], "text": ["hello"],
    ...                       "posted_at": pd.to_datetime(["2025-03-30 01:30"], utc=True), "evidence_id": ["E1"]})
    >>> c = build_chronology(posts, empty("interactions"), empty("relationships"), empty("events"),
    ...                      empty("accounts"))
    >>> c["kind"].tolist(), str(c["at_local"].iloc[0])
    (['first post', 'post'], '2025-03-30 02:30:00+01:00')
    """
    zone = check_timezone(timezone)
    parts: list[pd.DataFrame] = []

    if len(posts):
        p = posts[posts["posted_at"].notna()]
        text = _one_line(p["text"]) if "text" in p else pd.Series("", index=p.index)
        summary = _at(p["account"]) + " posted" + text.where(text.eq(""), ": " + text)
        parts.append(_frame(p["posted_at"], "post", "posts", summary, p["account"], "posts",
                            p.get("evidence_id")))
        first = p.sort_values("posted_at", kind="stable").drop_duplicates("account")
        parts.append(_frame(first["posted_at"], "first post", "markers",
                            "First post by " + _at(first["account"]), first["account"], "derived",
                            first.get("evidence_id"), marker="first post"))

    if len(interactions):
        i = interactions[interactions["at"].notna()]
        kind = i["kind"].astype("string").fillna("interaction")
        verb = kind.map(lambda k: _VERBS.get(str(k).casefold(), str(k))).astype("string")
        target = _at(i["on_account"]).where(i["on_account"].notna(), "a post")
        target = target.where(i["post_id"].isna(), target + " (" + _post_refs(i["post_id"], posts, zone) + ")")
        text = _one_line(i["text"])
        summary = _at(i["actor"]) + " " + verb + " " + target + text.where(text.eq(""), ": " + text)
        who = i["actor"].astype("string").fillna("")
        who = who.where(i["on_account"].isna(), who + "," + i["on_account"].astype("string"))
        parts.append(_frame(i["at"], kind, "interactions", summary, who, "interactions", i.get("evidence_id")))

    if len(relationships):
        r = relationships[relationships["followed_at"].notna()]
        if len(r):
            parts.append(_frame(r["followed_at"], "follow", "follows",
                                _at(r["follower"]) + " followed " + _at(r["followed"]),
                                r["follower"].astype("string") + "," + r["followed"].astype("string"),
                                "relationships", r.get("evidence_id")))
        seen = relationships[relationships["observed_at"].notna()]
        if len(seen):
            order = seen["list_order"] if "list_order" in seen else pd.Series(pd.NA, index=seen.index)
            listed = seen.assign(observed_list=seen["observed_list"].astype("string").fillna("a list"),
                                 evidence_id=seen["evidence_id"].astype("string").fillna(""),
                                 list_order=("; positions " + _words_of(order.astype("string"), LIST_ORDER_WORDS))
                                 .fillna("").astype("string"))
            # one entry per list seen in one file, at the time it was first seen (a web-archive capture's list
            # has one capture time per page: it is still one list)
            obs = listed.groupby(["observed_list", "evidence_id", "list_order"], sort=False).agg(
                observed_at=("observed_at", "min"),
                rows=("follower", "size"), followed=("followed", "first"), follower=("follower", "first"),
                followeds=("followed", "nunique"), followers=("follower", "nunique")).reset_index()
            summary = ("Recorded " + obs["observed_list"] + " (" + obs["rows"].map("{:,}".format)
                       + " accounts" + obs["list_order"] + ")")
            parts.append(_frame(obs["observed_at"], "list observed", "evidence", summary.astype("string"),
                                _list_owner(obs), "relationships",
                                obs["evidence_id"].replace("", pd.NA)))

    if len(events):
        e = events[events["at"].notna()]
        kind = e["kind"].astype("string").fillna("event")
        marker = pd.Series(pd.NA, index=e.index, dtype="string")
        for name, pattern in MARKER_KINDS.items():
            hit = kind.fillna("").str.contains(pattern) & marker.isna()
            marker = marker.mask(hit, name)
        lane = "events"
        parts.append(_frame(e["at"], kind, lane, _one_line(e["summary"]), e["accounts"],
                            "", e.get("evidence_id"), precision=e["precision"].astype("string").fillna("exact"),
                            marker=marker).assign(source=e["source"].astype("string").fillna("entered").to_numpy()))

    if len(accounts) and "created_at" in accounts:
        a = accounts[accounts["created_at"].notna()]
        created = a["created_at"]
        midnight = (created.dt.tz_convert("UTC").dt.hour == 0) & (created.dt.minute == 0) & (created.dt.second == 0)
        parts.append(_frame(created, "account created", "markers", _at(a["handle_key"]) + " created",
                            a["handle_key"], "derived", a.get("evidence_id"),
                            precision=pd.Series(["day" if m else "exact" for m in midnight], index=a.index),
                            marker="account created"))

    dropped = sum(int(df[c].isna().sum()) for df, c in ((posts, "posted_at"), (interactions, "at"), (events, "at"))
                  if len(df) and c in df)
    if dropped:
        log.info("chronology: %d row(s) without a time left out", dropped)
    if not parts:
        out = pd.DataFrame({c: pd.Series(dtype="string") for c in COLUMNS})
        out["at"] = pd.Series(dtype="datetime64[ns, UTC]")
        out["at_local"] = pd.Series(dtype=f"datetime64[ns, {timezone}]")
        return out[list(COLUMNS)]
    out = pd.concat(parts, ignore_index=True)
    out["at"] = pd.to_datetime(out["at"], utc=True).astype("datetime64[ns, UTC]")
    out["lane_order"] = out["lane"].map({lane: n for n, lane in enumerate(LANES)})
    out = out.sort_values(["at", "lane_order"], kind="stable").reset_index(drop=True)
    out["at_local"] = out["at"].dt.tz_convert(zone)
    for c in COLUMNS:
        if c not in ("at", "at_local"):
            out[c] = out[c].astype("string")
    return out[list(COLUMNS)]


_POST_REF: Final = re.compile(r"\(((?:unrecorded )?post [^)]*)\)")


def _day(stamp: pd.Timestamp, zone: ZoneInfo) -> str:
    local = pd.Timestamp(stamp).tz_convert(zone)
    return f"{local.day} {local:%b %Y}"  # "%-d" is not a directive on Windows


def _words_of(values: pd.Series, words: dict[str, str]) -> pd.Series:
    """``values.map(words)``, each distinct value looked up once (a list of a million rows has one order)."""
    codes, uniques = pd.factorize(values)
    found = pd.array([*pd.Series(uniques, dtype="string").map(words), pd.NA], dtype="string")
    return pd.Series(found.take(codes), index=values.index)


def _first_and_last(accounts: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The first and the last of each row's comma-separated accounts ("" where none), in Arrow: a
    chronology may hold a million follows.

    >>> [s.tolist() for s in _first_and_last(pd.Series(["a,b", "c", None, "d,e,f"]))]
    [['a', 'c', '', 'd'], ['b', 'c', '', 'f']]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(accounts.astype("string").fillna("").array, type=pa.large_string())
    ends = [pc.struct_field(pc.extract_regex(text, pattern), [0]) for pattern in (r"^(?P<x>[^,]*)", r"(?P<x>[^,]*)$")]
    first, last = (pd.Series(pd.array(e, dtype="string"), index=accounts.index) for e in ends)
    return first, last


def incident_chronology(chronology: pd.DataFrame, focus: list[str] | tuple[str, ...], *, keep: int = 3,
                        timezone: str = "Europe/London") -> pd.DataFrame:
    """The chronology of the incident, not of everything: bulk rows summarised.

    In: :func:`build_chronology`'s frame and the accounts the incident is about (handle keys: the
    subject and its lookalikes). Kept whole: events, markers, list observations and the focus
    accounts' posts. Follows of one account and interactions on one post are kept up to ``keep``
    rows; beyond that, one row (kind "follows, summarised" / "interactions, summarised") says how
    many, between which days, with the first and the last. Interactions on and follows of other
    accounts are left out (the full chronology keeps them). Same columns as :func:`build_chronology`.

    >>> at = pd.to_datetime(["2025-09-24 10:00", "2025-09-25 10:00", "2025-10-03 10:00"], utc=True)
    >>> chron = pd.DataFrame({"at": at, "kind": "follow", "lane": "follows", "accounts": ["a,x", "b,x", "c,x"],
    ...                       "summary": ["@a followed @x", "@b followed @x", "@c followed @x"],
    ...                       "source": "relationships", "evidence_id": pd.NA, "precision": "exact", "marker": pd.NA})
    >>> incident_chronology(chron, ["x"], keep=2)["summary"].tolist()
    ['3 accounts followed @x between 24 Sep 2025 and 3 Oct 2025 (first @a, last @c)']
    """
    zone = check_timezone(timezone)
    focus_set = set(focus)
    lane = chronology["lane"].astype("string")
    first_account, last_account = _first_and_last(chronology["accounts"])
    whole = lane.isin(["events", "evidence"]) | (lane.isin(["posts", "markers"]) & first_account.isin(focus_set))
    parts = [chronology[whole]]
    on_focus = last_account.isin(focus_set)
    follows = chronology[lane.eq("follows") & on_focus]
    follows = follows.assign(_group=last_account[follows.index])
    inter = chronology[lane.eq("interactions") & on_focus]
    inter = inter.assign(_group=last_account[inter.index] + " " + inter["summary"].astype("string")
                         .str.extract(_POST_REF, expand=False).fillna(""))
    for frame, what in ((follows, "follows"), (inter, "interactions")):
        for _, group in frame.sort_values("at", kind="stable").groupby("_group", sort=False):
            if len(group) <= keep:
                parts.append(group.drop(columns="_group"))
                continue
            first, last = group.iloc[0], group.iloc[-1]
            actors = first_account[group.index].tolist()  # (one follow list may hold a million rows)
            target = str(first["accounts"]).split(",")[-1]
            span = f"between {_day(first['at'], zone)} and {_day(last['at'], zone)}"
            if what == "follows":
                text = f"{len(group):,} accounts followed @{target} {span} (first @{actors[0]}, last @{actors[-1]})"
            else:
                post = _POST_REF.search(str(first["summary"]))
                on = f"@{target}'s {post.group(1)}" if post else f"@{target}"
                kinds = ", ".join(f"{n} {k}{'' if n == 1 else 's'}" for k, n in group["kind"].value_counts().items())
                text = (f"{len(group):,} interactions ({kinds}) on {on} by {len(set(actors)):,} accounts {span} "
                        f"(first @{actors[0]}, last @{actors[-1]})")
            row = first.drop(labels="_group").copy()
            row["kind"], row["summary"] = f"{what}, summarised", text
            row["accounts"] = ",".join(dict.fromkeys([*actors, target]))
            row["source"], row["evidence_id"] = "derived", pd.NA
            parts.append(row.to_frame().T)
    out = pd.concat(parts, ignore_index=True).astype({c: "string" for c in ("kind", "summary", "accounts",
                                                                             "source", "evidence_id")})
    out["at"] = pd.to_datetime(out["at"], utc=True).astype(chronology["at"].dtype)
    out["at_local"] = out["at"].dt.tz_convert(zone)
    return out.sort_values("at", kind="stable").reset_index(drop=True)[list(chronology.columns)]


def select_events(chronology: pd.DataFrame, *, kinds: Sequence[str] = (), account: str | None = None,
                  start: str | pd.Timestamp | None = None,
                  end: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """The rows of a chronology (:func:`build_chronology`) matching the filters; same columns, fewer rows.

    ``kinds``: keep these kinds (all when empty); ``account``: a handle key listed in ``accounts``;
    ``start``/``end``: days (``YYYY-MM-DD``) in the case's zone, inclusive, compared with ``at_local``.

    >>> c = pd.DataFrame({"kind": ["post", "report made"], "accounts": ["a,b", "c"],
    ...                   "at_local": pd.to_datetime(["2025-11-01 10:00", "2025-11-03 09:00"])})
    >>> select_events(c, account="b")["kind"].tolist()
    ['post']
    >>> len(select_events(c, kinds=["report made"], start="2025-11-02"))
    1
    """
    if chronology.empty:
        return chronology
    keep = pd.Series(True, index=chronology.index)
    if kinds:
        keep &= chronology["kind"].isin(list(kinds))
    if account:
        listed = chronology["accounts"].fillna("").astype(str).str.split(",")
        keep &= listed.map(lambda keys: account in keys).astype(bool)
    local = pd.to_datetime(chronology["at_local"])
    if local.dt.tz is not None:
        local = local.dt.tz_localize(None)
    day = local.dt.normalize()
    if start:
        keep &= day >= pd.Timestamp(start)
    if end:
        keep &= day <= pd.Timestamp(end)
    return chronology[keep.fillna(False)]
