"""Ranked leads: which accounts are worth looking at first for a subject (fake) account.

Three steps a reader can follow one at a time: :func:`lead_features` measures what the case's
tables say about each account around the subject (lists, positions, times, comments);
:func:`score_leads` turns those measures into points, one column per entry of :data:`WEIGHTS`;
:func:`rank_leads` orders them, keeps the leads above :data:`LEAD_FLOOR` and writes, for the rows
shown only, one sentence per scoring reason with its points and the evidence it rests on.
Accounts that are all in one tutor group, or follow each other, are shown as a group
(:func:`group_leads`) instead of earning a bonus each. These are leads to follow up, not findings.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, Final

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import process

from .errors import InvestigateError
from .plain import format_time
from .words import handle_key, ordinal

log = logging.getLogger("investigate")

LEADS_STATEMENT: Final = (
    "These are leads to follow up, not findings. A high score means an account is worth looking at "
    "first; it does not show who made the subject account, and an account can score for innocent reasons."
)

#: points per reason (documented, additive: the score is the sum of a lead's reasons' points).
WEIGHTS: Final[dict[str, float]] = {
    "mutual": 3.0,  # on both lists: follows the subject and is followed back
    "followed_by": 1.0,  # the subject follows it, but it does not follow back
    "follows": 0.5,  # follows the subject, not followed back (never a lead on its own: see LEAD_FLOOR)
    "followed_first": 3.5,  # among the first accounts the subject followed, graded by FIRST_FOLLOW_BANDS
    "early_follower": 1.5,  # among the first EARLY_TOP followers, graded by rank (EARLY_BANDS); less to EARLY_NEAR
    "soon_after_creation": 1.5,  # first seen within an hour of the subject's creation; half within a day
    "prompt_comment": 3.0,  # times the share of the subject's posts it commented on within QUICK_MINUTES
    "first_posts_comment": 0.25,  # per one of the subject's first FIRST_POSTS posts commented on while new (max 4)
    "first_commenter": 1.5,  # times the share of the subject's posts on which it was the first to comment
    "comment": 0.05,  # per other comment (late ones included: a late binge weighs little; max 5)
    "reshare": 0.5,  # reshared, duetted or stitched the subject's posts (once): what fans do too
    "tagged": 0.5,  # it tagged or mentioned the subject (once); tagged BY the subject is a target's sign: no points
    "followed_back": 1.5,  # on both lists, but it followed only after the subject had followed it (prompted)
    "copycat": 0.5,  # per confirmed copycat account it follows (max 3)
    "victim_circle": 1.0,  # on the imported follower/following list of a targeted person's own account
    "victim_and_copycats": 5.0,  # close to a targeted person's own account AND follows every confirmed copycat
    "victim_and_early": 2.0,  # close to a targeted person's own account AND among the first EARLY_TOP followers
    "first_circle": 1.0,  # per other member of its family circle among the first CIRCLE_TOP follows (max 3)
    "left": 1.0,  # was in one capture of the subject's lists and gone from a later one (unfollowed)
    "left_after_warning": 2.0,  # the same, and the school's warning came between the two captures (instead)
    "dropped": 2.0,  # the subject itself stopped following it between two captures (the maker tidying up)
}
#: roles that make an account context, never a lead: shown apart in :func:`accounts_around` with the role.
CIRCLE_TOP: Final = 10  # the first accounts the subject followed, read for a family circle
CONTEXT_ROLES: Final = ("copycat", "school", "staff", "community", "monitoring", "target")
ROLE_WORDS: Final = {"subject": "the subject", "copycat": "copycat of the subject", "school": "the school's account",
                     "staff": "member of staff", "community": "community group",
                     "monitoring": "the DSL's monitoring account", "target": "a person the subject targets"}
VICTIM_ROLES: Final = ("staff", "target")  # whose own follower/following lists tell who is close to them
TARGET_MIN: Final = 3  # named by the subject in at least this many posts or replies: a target's sign
FOLLOW_BACK_HOURS: Final = 1.0  # following back more than this after the subject followed it is "prompted"
COMMENT_CAP: Final = 3.0  # all comment reasons together: being loud never outweighs being on both lists
#: being among the first followers and being first seen soon after the subject was made say one thing
#: (it was there at the start), so together they count no more than either can alone
EARLY_CAP: Final = 1.5
LEAD_FLOOR: Final = 1.0  # below this an account is not listed: following the subject alone is not a lead
EARLY_TOP: Final = 5
EARLY_NEAR: Final = 20
#: the first follow's share of its points by rank: the fake's very first follow is its maker's own choice
#: (most often the maker's own account); the next ones are the maker's circle, worth far less each
FIRST_FOLLOW_BANDS: Final = ((1, 1.0), (3, 0.3), (10, 0.15))
#: the early follower's share of its points by rank: the 1st is not the 5th
EARLY_BANDS: Final = ((1, 1.0), (2, 0.9), (3, 0.8), (EARLY_TOP, 0.65), (EARLY_NEAR, 0.4))
FIRST_POSTS: Final = 10
QUICK_MINUTES: Final = 30
NEW_HOURS: Final = 24  # a comment within a day of the post is on a "new" post
MIN_POSTS: Final = 3  # shares of posts are taken of at least this many (one post of one is not "all of them")
SCORED_ORDERS: Final = ("oldest-first", "newest-first")  # list orders in which a position is evidence

FEATURES: Final = (
    "follows_subject", "followed_by_subject", "mutual",
    "follower_rank", "follower_position", "followers_total", "followed_at",
    "following_rank", "following_position", "following_total", "subject_followed_at",
    "first_seen", "first_seen_hours",
    "posts_total", "comments", "prompt_comments", "early_comments", "first_comments", "quickest_comment_minutes",
    "reshares", "tagged", "targeted", "followed_back_hours", "left_seen", "left_by", "dropped_seen", "dropped_by",
    "arrived_by", "warning_at", "first_circle", "copycats_followed", "every_copycat", "victim_lists", "year_group",
    "tutor_group", "groups",
)
COLUMNS: Final = ("rank", "handle", "handle_key", "score", "reasons", "evidence", *FEATURES)

RESHARE_KINDS: Final = ("reshare", "duet", "stitch")
TAG_KINDS: Final = ("tag", "mention")
#: the columns of each table the leads read (``casework`` reads only these; which rows, :mod:`investigate.lead_rows`)
TABLE_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "relationships": ("follower", "followed", "observed_list", "position", "list_order", "followed_at", "observed_at",
                      "evidence_id"),
    "interactions": ("actor", "kind", "on_account", "post_id", "text", "at", "evidence_id"),
    "posts": ("account", "post_id", "posted_at", "text"),
    "accounts": ("handle", "handle_key", "role", "created_at"),
}


# ------------------------------------------------------------------------------------ helpers
def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _at(handles: Sequence[str], limit: int = 3) -> str:
    shown = ", ".join(f"@{h}" for h in handles[:limit])
    return shown + (f" and {len(handles) - limit} more" if len(handles) > limit else "")


def _points(value: float) -> str:
    """The points a reason adds, as the reader sees them.

    >>> _points(3.0), _points(0.75), _points(0.1666)
    ('(+3.0)', '(+0.75)', '(+0.17)')
    """
    text = f"{value:.2f}".rstrip("0")
    return f"(+{text}0)" if text.endswith(".") else f"(+{text})"


def _minutes(value: float) -> str:
    if value < 90:
        m = max(1, round(value))
        return f"{m} minute{'s' if m != 1 else ''}"
    if value < 48 * 60:
        return f"{value / 60:.1f} hours".replace(".0 ", " ")
    return f"{value / 1440:.0f} days"


def _arrow(values: pd.Series | pd.Index | pa.Array | Iterable[str]) -> pa.Array:
    """Handles (a Series, an Index, an Arrow array or any collection of strings) as one Arrow large_string array."""
    if isinstance(values, pa.Array):
        return values.cast(pa.large_string())
    array = values.array if isinstance(values, (pd.Series, pd.Index)) else pd.array(list(values), dtype="string")
    found = pa.array(array, from_pandas=True)
    found = found.combine_chunks() if isinstance(found, pa.ChunkedArray) else found
    return found.cast(pa.large_string())


def _isin(values: pd.Series | pd.Index, among: object) -> np.ndarray:
    """Boolean array: which ``values`` are in ``among`` (blanks never are), done in Arrow (fast on a
    million handles, where pandas' isin on Arrow strings walks ``among`` in Python)."""
    return pc.is_in(_arrow(values), value_set=_arrow(among), skip_nulls=True).to_numpy(zero_copy_only=False)


def _equals(values: pd.Series, key: str) -> np.ndarray:
    return pc.equal(_arrow(values), key).fill_null(False).to_numpy(zero_copy_only=False)


def _known_handles(relationships: pd.DataFrame, interactions: pd.DataFrame, posts: pd.DataFrame,
                   accounts: pd.DataFrame) -> pd.Index:
    parts = [accounts["handle_key"], relationships["followed"], posts["account"], interactions["on_account"]]
    return pd.Index(pd.concat([p.dropna().astype(object) for p in parts], ignore_index=True).unique())


def unknown_account_error(subject: str, known: Sequence[str]) -> InvestigateError:
    """An error naming the closest known handles to a handle the case does not hold."""
    close = [m[0] for m in process.extract(handle_key(subject), list(known), limit=5, score_cutoff=50)]
    hint = f" Close names in this case: {', '.join('@' + c for c in close)}." if close else (
        " The case holds no accounts yet: import a list or posts first." if not len(known) else "")
    return InvestigateError(f"The account @{handle_key(subject)} is not in this case.{hint}")


def _encode(parts: dict[str, pd.Series | pa.Array]) -> tuple[pa.Array, dict[str, np.ndarray]]:
    """Number the handle keys of all ``parts`` in one pass: (the distinct keys, each part's codes
    into them, -1 for a blank). Joins then run on integers, which keeps a million-row list fast."""
    arrays = [_arrow(p) for p in parts.values()]
    encoded = pa.concat_arrays(arrays).dictionary_encode()
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    blank = np.flatnonzero(pc.equal(encoded.dictionary, "").to_numpy(zero_copy_only=False))
    if len(blank):
        codes[codes == blank[0]] = -1
    bounds = np.cumsum([0, *(len(a) for a in arrays)])
    return encoded.dictionary, {name: codes[a:b] for name, a, b in zip(parts, bounds, bounds[1:], strict=False)}


def _keys(universe: pa.Array, codes: pd.Index | np.ndarray) -> pd.Series:
    return pd.Series(pd.array(universe.take(pa.array(np.asarray(codes, dtype=np.int64))), dtype="string"))


# ------------------------------------------------------------------------------------ features
def subject_created(relationships: pd.DataFrame, interactions: pd.DataFrame, posts: pd.DataFrame,
                    accounts: pd.DataFrame, subject: str) -> tuple[pd.Timestamp | None, str]:
    """When the subject account was made: (time, where that time comes from), or (None, why not).

    Its recorded creation time (``accounts.created_at``) where there is one, else its own earliest
    recorded act: a post, an account it followed, a comment or tag by it. (Others' acts are not
    used: the first follower would then always look as if it came "soon".)
    """
    s = handle_key(subject)
    made = accounts.loc[_equals(accounts["handle_key"], s), "created_at"].dropna()
    if len(made):
        return pd.Timestamp(made.min()), "its recorded creation time"
    times = [posts.loc[posts["account"] == s, "posted_at"],
             relationships.loc[_equals(relationships["follower"], s), "followed_at"],
             interactions.loc[interactions["actor"] == s, "at"]]
    found = [t.dropna() for t in times if t.notna().any()]
    if not found:
        return None, "no time of its own activity is recorded"
    return pd.Timestamp(min(t.min() for t in found)), "its first recorded post or follow"


def _list_side(relationships: pd.DataFrame, columns: dict[str, np.ndarray], mask: np.ndarray,
               codes: np.ndarray) -> pd.DataFrame:
    """Per account on one list of the subject (the ``mask`` rows; ``codes`` their accounts): smallest
    position, earliest follow time and its rank among the list's accounts, by time or by a position
    whose list order is recorded (oldest-first or newest-first; a position in the platform's own
    order is never a rank). Works on NumPy ``columns`` (position, followed_at, has_order,
    observed_at) of the relationships: the list may hold a million rows.

    Captures of the list at different ``observed_at`` times stay apart (:func:`_captures`): a
    position is read within its capture, an account's rank comes from the first capture that holds
    it (plus the accounts that had left by then, so an unfollow never promotes the next account),
    and who left or arrived between captures is kept (left_seen, left_by, arrived_by)."""
    position, at = columns["position"][mask], columns["followed_at"][mask]
    observed = columns["observed_at"][mask]
    ordinal = np.full(len(position), np.nan)
    recorded = columns["has_order"] & mask
    if recorded.any():  # (a million-row list with no order recorded skips the text work)
        order = _folded(relationships["list_order"][recorded])
        pos = position[recorded[mask]]
        known = np.isin(order, SCORED_ORDERS) & ~np.isnan(pos)
        lists = relationships["evidence_id"][recorded].astype("string").fillna(
            relationships["observed_list"][recorded].astype("string")).fillna("")
        capture = [pd.factorize(lists)[0], observed[recorded[mask]].astype("int64")]  # one list in one file, one time
        longest = pd.Series(np.where(known, pos, np.nan)).groupby(capture).transform("max").to_numpy()
        ordinal[recorded[mask]] = np.where(known, np.where(order == "newest-first", longest + 1 - pos, pos), np.nan)
    frame = pd.DataFrame({"code": codes, "position": position, "ordinal": ordinal, "at": at, "observed": observed})
    kept = codes >= 0
    frame = frame[kept]
    found = _captures(frame, lambda: _folded(relationships["observed_list"][mask])[kept])
    moves = None
    if found is not None:
        moves, ordinals = found
        frame = frame.assign(ordinal=ordinals)
    side = frame.groupby("code", sort=False).agg(position=("position", "min"), ordinal=("ordinal", "min"),
                                                 at=("at", "min"))
    side["at"] = side["at"].dt.tz_localize("UTC")
    by_time = side["at"].rank(method="min").to_numpy(float)
    by_order = side["ordinal"].rank(method="min").to_numpy(float)
    side["rank"] = np.fmin(by_time, by_order)
    side["rank_by"] = np.where(np.isnan(side["rank"]), "", np.where(by_time == side["rank"], "time", "order"))
    for column in ("left_seen", "left_by", "arrived_by"):
        side[column] = (moves[column].reindex(side.index) if moves is not None
                        else pd.Series(pd.NaT, index=side.index, dtype="datetime64[ns]")).dt.tz_localize("UTC")
    return side


def _folded(values: pd.Series) -> np.ndarray:
    """``values.astype(str).str.strip().str.casefold()`` as an object array (NaN where missing), each distinct
    text folded once: a million-row list holds a few list names and orders, not a million strings."""
    codes, uniques = pd.factorize(values)
    folded = np.array([str(u).strip().casefold() for u in uniques] + [np.nan], dtype=object)
    return folded[codes]


def _captures(frame: pd.DataFrame, labels: Any) -> tuple[pd.DataFrame, np.ndarray] | None:
    """Several captures of one list: rows of the same list (``labels()``: each row's observed_list)
    at different ``observed`` times. None when no list was captured more than once. Else (moves,
    ordinals): per account (index ``code``) left_seen (the last capture that held it, when a later
    one of that list does not), left_by (the first capture without it), arrived_by (the first
    capture that held it, when an earlier one did not); and per row of ``frame`` its ordinal, read
    in the account's first capture of that list plus the accounts of earlier captures gone from it
    (the same account's rows in later captures get none). Rows without an observed time, and lists
    captured once, keep their ordinal and never leave."""
    if len(np.unique(frame["observed"].dropna().to_numpy())) < 2:
        return None
    label = np.asarray(labels(), dtype=object)
    ordinal = frame["ordinal"].to_numpy(float).copy()
    parts = []
    for name in pd.unique(label):
        rows = label == name
        found = _list_captures(frame[rows])
        if found is not None:
            parts.append(found[0])
            ordinal[rows] = found[1]
    if not parts:
        return None
    moves = pd.concat(parts).groupby(level=0).first()
    moves.index.name = "code"
    return moves, ordinal


def _list_captures(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray] | None:
    """:func:`_captures` for the rows of one list."""
    times = np.unique(frame["observed"].dropna().to_numpy())
    if len(times) < 2:
        return None
    cap = np.searchsorted(times, frame["observed"].to_numpy())
    cap = np.where(frame["observed"].isna().to_numpy(), -1, cap)
    codes = frame["code"].to_numpy()
    held = [np.unique(codes[cap == c]) for c in range(len(times))]
    gone = [0] + [len(np.setdiff1d(np.unique(np.concatenate(held[:c])), held[c], assume_unique=True))
                  for c in range(1, len(times))]
    timed = cap >= 0
    first = pd.Series(cap[timed]).groupby(codes[timed]).min()
    last = pd.Series(cap[timed]).groupby(codes[timed]).max()
    own_first = cap == first.reindex(codes).to_numpy(float, na_value=-1)
    ordinal = frame["ordinal"].to_numpy(float) + np.asarray(gone)[np.maximum(cap, 0)]
    ordinal = np.where(~timed, frame["ordinal"].to_numpy(float), np.where(own_first, ordinal, np.nan))
    out = pd.DataFrame(index=first.index)
    left = last < len(times) - 1
    out["left_seen"] = pd.Series(np.where(left, times[last.to_numpy()], np.datetime64("NaT")), index=first.index)
    out["left_by"] = pd.Series(np.where(left, times[np.minimum(last.to_numpy() + 1, len(times) - 1)],
                                        np.datetime64("NaT")), index=first.index)
    arrived = first > 0
    out["arrived_by"] = pd.Series(np.where(arrived, times[first.to_numpy()], np.datetime64("NaT")), index=first.index)
    return out, ordinal


def _may_score(followers: pd.DataFrame, created: pd.Timestamp | None, coded: dict[str, np.ndarray]) -> np.ndarray:
    """Followers that can be leads: early ones, ones that came soon after the subject was made (not before), and
    ones that did anything else. The rest only follow, which never reaches :data:`LEAD_FLOOR`; they
    are left out before the joins (on a million-row list, nearly all of them)."""
    if WEIGHTS["follows"] >= LEAD_FLOOR:  # pragma: no cover - a guard for whoever changes the weights
        return np.ones(len(followers), dtype=bool)
    keep = (followers["rank"] <= EARLY_NEAR).to_numpy(copy=True) | followers["left_seen"].notna().to_numpy()
    if created is not None:
        soon = (followers["at"] >= created) & (followers["at"] <= created + pd.Timedelta(hours=NEW_HOURS))
        keep |= soon.fillna(False).to_numpy(bool)  # (a follow before the subject was made is never "soon")
    others = np.concatenate([coded[k] for k in ("following", "comments", "shares", "tagged", "copycats")])
    return keep | np.isin(followers.index.to_numpy(), others)


def _interactions_on(interactions: pd.DataFrame, posts: pd.DataFrame, s: str) -> pd.DataFrame:
    """Interactions of others on the subject's posts, with each post's time where the posts say it."""
    inter = interactions[["actor", "kind", "on_account", "post_id", "at", "evidence_id"]]
    blank = inter["on_account"].isna() | inter["on_account"].eq("")
    if blank.any():
        authors = posts[["post_id", "account"]].dropna().drop_duplicates("post_id").set_index("post_id")["account"]
        inter = inter.assign(on_account=inter["on_account"].where(~blank, inter["post_id"].map(authors)))
    inter = inter.assign(kind=inter["kind"].fillna("").str.casefold())
    mine = posts.loc[posts["account"] == s, ["post_id", "posted_at"]].dropna(subset=["post_id"])
    mine = mine.sort_values("posted_at", na_position="last", kind="stable").drop_duplicates("post_id")
    on_s = inter[(inter["on_account"] == s) & (inter["actor"] != s)].merge(mine, on="post_id", how="left")
    on_s["minutes"] = (on_s["at"] - on_s["posted_at"]).dt.total_seconds() / 60
    on_s["minutes"] = on_s["minutes"].where(on_s["minutes"] >= 0)
    on_s["first_post"] = on_s["post_id"].isin(set(mine["post_id"].head(FIRST_POSTS)))
    return on_s


def _comment_side(comments: pd.DataFrame) -> pd.DataFrame:
    """Per commenter (``code``): comments, posts commented on promptly / while among the first and
    new, posts on which it commented first (from the comments alone: the earliest time on each
    post; every account tied at that time counts), quickest delay, first comment time. Responders
    (column ``responder``: known roles and targets, whose comments answer the subject) are never the
    first commenter and do not push another account off that place."""
    c = comments
    new = c["minutes"] <= NEW_HOURS * 60
    lead = ~c["responder"].to_numpy(bool) if "responder" in c else np.ones(len(c), dtype=bool)
    first_at = c["at"].where(lead).groupby(c["post_id"]).transform("min")
    firsts = c[lead & c["at"].notna().to_numpy() & (c["at"] == first_at).to_numpy()]
    out = c.groupby("code", sort=False).agg(comments=("kind", "size"), quickest_comment_minutes=("minutes", "min"),
                                            first_comment_at=("at", "min"))
    out["prompt_comments"] = c[c["minutes"] <= QUICK_MINUTES].groupby("code")["post_id"].nunique()
    out["early_comments"] = c[c["first_post"] & new].groupby("code")["post_id"].nunique()
    out["first_comments"] = firsts.groupby("code")["post_id"].nunique()
    return out


def known_roles(accounts: pd.DataFrame, people: pd.DataFrame | None = None, *, subject: str,
                copycats: Sequence[str] = ()) -> pd.DataFrame:
    """The accounts whose role the case already knows, other than ``subject``: never leads, only context.

    Out: handle_key, role (one of :data:`CONTEXT_ROLES`), source. From the accounts' roles
    (copycat, school, staff, community, monitoring: the DSL's own watching account, target: a
    learner or person the subject targets), the ``copycats`` the caller names, and the people
    list's staff (their known handles). An account's own role wins over the people list.

    >>> acc = pd.DataFrame({"handle_key": ["fake", "ann", "bob"], "role": ["subject", "target", "unknown"]})
    >>> known_roles(acc, subject="fake")[["handle_key", "role"]].values.tolist()
    [['ann', 'target']]
    """
    s = handle_key(subject)
    roles = accounts.loc[accounts["role"].notna().to_numpy(), ["handle_key", "role"]].dropna()
    roles = roles.drop_duplicates("handle_key", keep="last")
    roles = roles.assign(role=roles["role"].astype(str).str.strip().str.casefold(), source="account role")
    roles = roles[roles["role"].isin(CONTEXT_ROLES)]
    named = pd.DataFrame({"handle_key": [handle_key(c) for c in copycats], "role": "copycat",
                          "source": "confirmed copycat"})
    staff = _people(people)
    staff = staff.loc[staff["role"].astype("string").str.casefold().eq("staff").fillna(False).to_numpy(),
                      ["handle_key"]].assign(role="staff", source="people list")
    out = pd.concat([roles, named, staff], ignore_index=True).drop_duplicates("handle_key")
    out = out[(out["handle_key"] != s) & (out["handle_key"] != "")]
    return out.astype("string").sort_values("handle_key", kind="stable").reset_index(drop=True)


def _roles(accounts: pd.DataFrame, people: pd.DataFrame | None, s: str,
           copycats: Sequence[str]) -> tuple[list[str], list[str], list[str]]:
    """(every account with a known role, the confirmed copycats, the own accounts of the people the
    subject targets: roles staff and target): see :func:`known_roles`."""
    known = known_roles(accounts, people, subject=s, copycats=copycats)
    role = known["role"]
    return (known["handle_key"].tolist(), sorted(known.loc[role == "copycat", "handle_key"]),
            sorted(known.loc[role.isin(VICTIM_ROLES), "handle_key"]))


def _family_name(name: object) -> str:
    """The last word of a person's name, folded to plain lower-case letters ('' when short or missing).

    >>> _family_name("Mr Bram Quillféather"), _family_name("Al Li")
    ('quillfeather', '')
    """
    if not isinstance(name, str) or not name.split():
        return ""
    word = unicodedata.normalize("NFKD", name.split()[-1].casefold())
    word = "".join(c for c in word if c.isalpha() and not unicodedata.combining(c))
    return word if len(word) >= 4 else ""


def first_follows_circle(first: Sequence[str], people: pd.DataFrame | None) -> dict[str, list[str]]:
    """Among the first accounts the subject followed (``first``, oldest first, order known), those
    that belong together: two or more linked in the people list to one family name, with any
    account whose handle holds that name (a family business). Out: handle_key -> its circle.

    >>> ppl = pd.DataFrame({"person_id": ["1", "2"], "name": ["Ida Quillfeather", "Mr Olaf Quillfeather"],
    ...                     "role": ["learner", "parent"], "year_group": None, "tutor_group": None,
    ...                     "handles": ["ida.q", "olaf.q"]})
    >>> first_follows_circle(["ida.q", "school", "quillfeather.plumbing", "olaf.q"], ppl)["olaf.q"]
    ['ida.q', 'quillfeather.plumbing', 'olaf.q']
    """
    linked = _people(people)
    names = dict(zip(linked["handle_key"].astype(str), linked["name"].map(_family_name), strict=True))
    family = {k: names[k] for k in first if names.get(k)}
    known = set(family.values())
    for key in first:
        if key not in family:
            bare = key.replace(".", "").replace("_", "")
            found = sorted(n for n in known if n in bare)
            if found:
                family[key] = found[0]
    circles: dict[str, list[str]] = {}
    for name in sorted(known):
        members = [k for k in first if family.get(k) == name]
        if len(members) >= 2:
            circles.update(dict.fromkeys(members, members))
    return circles


def _close_to(relationships: pd.DataFrame, personal: Sequence[str]) -> pd.DataFrame:
    """Accounts on the imported follower or following lists of ``personal`` accounts (the targeted
    people's own): handle_key, personal (which of them)."""
    if not personal:
        return pd.DataFrame({"handle_key": pd.Series(dtype="string"), "personal": pd.Series(dtype="string")})
    rel = relationships[["follower", "followed"]]
    fans = rel[_isin(rel["followed"], personal)].set_axis(["handle_key", "personal"], axis=1)
    friends = rel[_isin(rel["follower"], personal)][["followed", "follower"]].set_axis(["handle_key", "personal"],
                                                                                      axis=1)
    out = pd.concat([fans, friends], ignore_index=True).dropna().drop_duplicates()
    return out[~out["handle_key"].isin(personal)].astype("string").reset_index(drop=True)


def _targeted(interactions: pd.DataFrame, posts: pd.DataFrame, s: str) -> pd.Series:
    """How often the subject tags, mentions or names (``@handle`` in a post or reply) each account:
    signs that it is a target. Counted once per post or comment of the subject."""
    kind = interactions["kind"].fillna("").str.casefold()
    tags = interactions.loc[(interactions["actor"] == s) & kind.isin(TAG_KINDS), ["on_account", "post_id"]]
    tags = tags.rename(columns={"on_account": "handle_key"}).assign(act="post:" + tags["post_id"].fillna("?"))
    texts = [posts.loc[posts["account"] == s, ["post_id", "text"]].assign(prefix="post:"),
             interactions.loc[(interactions["actor"] == s) & (kind == "comment"), ["post_id", "text", "at"]]
             .assign(prefix="reply:")]
    named = []
    for frame in texts:
        frame = frame.dropna(subset=["text"])
        found = frame["text"].astype(str).str.findall(r"@([\w.]+)")
        if not len(found):
            continue
        act = frame["prefix"] + frame["post_id"].fillna("?").astype(str)
        if "at" in frame:
            act = act + frame["at"].astype(str)
        rows = pd.DataFrame({"handle_key": found, "act": act}).explode("handle_key").dropna()
        named.append(rows.assign(handle_key=rows["handle_key"].map(lambda h: handle_key(str(h).rstrip(".")))))
    acts = pd.concat([tags[["handle_key", "act"]], *named], ignore_index=True).dropna()
    acts = acts[(acts["handle_key"] != s) & (acts["handle_key"] != "")].drop_duplicates()
    return acts.groupby("handle_key")["act"].size().rename("targeted")


#: words that mark an event of the chronology as the school's warning (an assembly, a letter home).
WARNING_WORDS: Final = ("warning", "warned", "assembly", "letter", "announcement")


def school_warnings(events: pd.DataFrame | None) -> list[pd.Timestamp]:
    """When the school warned about the account (events whose kind or summary speaks of a warning,
    an assembly, a letter or an announcement), earliest first; none without an events table."""
    if events is None or not len(events) or "at" not in events:
        return []
    words = events["kind"].fillna("").astype(str) + " " + events.get("summary", pd.Series("", index=events.index)
                                                                     ).fillna("").astype(str)
    found = words.str.casefold().str.contains("|".join(WARNING_WORDS), regex=True)
    return sorted(pd.Timestamp(t) for t in events.loc[found.to_numpy(bool), "at"].dropna())


def _warning_between(warnings: list[pd.Timestamp], seen: pd.Series, gone: pd.Series) -> pd.Series:
    """Per row: the first warning after ``seen`` and no later than ``gone`` (NaT when none)."""
    out = pd.Series(pd.NaT, index=seen.index, dtype="datetime64[ns, UTC]")
    for when in reversed(warnings):
        out = out.mask((seen < when) & (gone >= when), when)
    return out


def lead_features(relationships: pd.DataFrame, interactions: pd.DataFrame, posts: pd.DataFrame,
                  accounts: pd.DataFrame, people: pd.DataFrame | None = None, *, subject: str,
                  copycats: Sequence[str] = (), events: pd.DataFrame | None = None) -> pd.DataFrame:
    """What the tables say about each account around ``subject``: one row per account, indexed
    by handle_key, one column per entry of :data:`FEATURES` (measures, not points).

    ``copycats``: copycat handles the analyst has confirmed, beside accounts with role ``copycat``
    (a lookalike found by :mod:`investigate.handles` counts only once confirmed). The subject
    and accounts with role ``school`` are left out. Raises :class:`InvestigateError` naming close
    handles when the subject is not in the frames.
    """
    features, universe, _ = _features(relationships, interactions, posts, accounts, people, subject=subject,
                                      copycats=copycats, events=events)
    features.index = pd.Index(_keys(universe, features.index), name="handle_key")
    return features


def _features(relationships: pd.DataFrame, interactions: pd.DataFrame, posts: pd.DataFrame,
              accounts: pd.DataFrame, people: pd.DataFrame | None, *, subject: str,
              copycats: Sequence[str], events: pd.DataFrame | None = None
              ) -> tuple[pd.DataFrame, pa.Array, dict[str, Any]]:
    """:func:`lead_features` indexed by integer codes into ``universe`` (fast at a million rows), and
    the facts about the subject the explanations need."""
    s = handle_key(subject)
    by_s, of_s = _equals(relationships["follower"], s), _equals(relationships["followed"], s)
    if not s or not (of_s.any() or by_s.any() or s in set(_known_handles(relationships.iloc[:0], interactions,
                                                                        posts, accounts))):
        raise unknown_account_error(subject, _known_handles(relationships, interactions, posts, accounts))
    known, copy_keys, personal = _roles(accounts, people, s, copycats)
    excluded = pd.Series(sorted({s, *known}), dtype="string")
    copy_rows = relationships.loc[_isin(relationships["followed"], copy_keys), ["follower", "followed"]]
    copy_rows = copy_rows.drop_duplicates()
    close = _close_to(relationships, personal)
    on_s = _interactions_on(interactions, posts, s)
    comments = on_s[on_s["kind"] == "comment"]
    shares = on_s[on_s["kind"].isin(RESHARE_KINDS)]
    tags = interactions[interactions["kind"].fillna("").str.casefold().isin(TAG_KINDS)]
    partners = tags.loc[tags["on_account"] == s, "actor"]  # it tagged the subject (the other way: a target's sign)
    targeted = _targeted(interactions, posts, s)
    universe, coded = _encode({
        "followers": _arrow(relationships["follower"]).filter(of_s), "following": relationships.loc[by_s, "followed"],
        "comments": comments["actor"], "shares": shares["actor"], "tagged": partners[partners != s],
        "copycats": copy_rows["follower"], "excluded": excluded, "targeted": pd.Series(targeted.index),
        "close": close["handle_key"]})

    created, created_from = subject_created(relationships, interactions, posts, accounts, s)
    warnings = school_warnings(events)
    columns = {"position": relationships["position"].astype("Float64").to_numpy(float, na_value=np.nan),
               "followed_at": relationships["followed_at"].dt.tz_convert(None).to_numpy(),
               "has_order": relationships["list_order"].notna().to_numpy(),
               "observed_at": relationships["observed_at"].dt.tz_convert(None).to_numpy()}
    followers = _list_side(relationships, columns, of_s, coded["followers"])
    following = _list_side(relationships, columns, by_s, coded["following"])
    total = len(followers)
    followers = followers[_may_score(followers, created, coded)]
    frame = pd.DataFrame({"follows_subject": True, "follower_rank": followers["rank"],
                          "follower_position": followers["position"], "followed_at": followers["at"],
                          "follower_rank_by": followers["rank_by"], "left_seen": followers["left_seen"],
                          "left_by": followers["left_by"], "arrived_by": followers["arrived_by"]},
                         index=followers.index)
    frame = frame.join(pd.DataFrame({
        "followed_by_subject": True, "following_rank": following["rank"], "following_position": following["position"],
        "subject_followed_at": following["at"], "following_rank_by": following["rank_by"],
        "dropped_seen": following["left_seen"], "dropped_by": following["left_by"]}, index=following.index),
        how="outer")
    responders = np.isin(coded["comments"], np.concatenate([coded["excluded"], coded["targeted"][
        targeted.to_numpy() >= TARGET_MIN]]))
    frame = frame.join(_comment_side(comments.assign(code=coded["comments"], responder=responders)), how="outer")
    shared = shares.assign(code=coded["shares"]).groupby("code").agg(reshares=("kind", "size"),
                                                                     first_share_at=("at", "min"))
    frame = frame.join(shared, how="outer")
    frame = frame.join(pd.Series(coded["tagged"]).value_counts().rename("tagged"), how="outer")
    frame = frame.join(pd.Series(targeted.to_numpy(), index=coded["targeted"], name="targeted"), how="left")
    copy_n = pd.Series(coded["copycats"]).value_counts().rename("copycats_followed")
    near = pd.Series(close["personal"].to_numpy(), index=coded["close"]).groupby(level=0).nunique()
    near = near.rename("victim_lists")
    every = copy_n.index[copy_n >= max(len(copy_keys), 1)] if copy_keys else copy_n.index[:0]
    add = copy_n.index[copy_n >= 2].union(near.index.intersection(every))
    frame = frame.reindex(frame.index.union(add)).join(copy_n, how="left").join(near, how="left")
    frame = frame[(frame.index >= 0) & ~frame.index.isin(coded["excluded"])]
    frame.index.name = "code"
    early = frame[(frame["following_rank"] <= CIRCLE_TOP) & frame["following_rank_by"].fillna("").ne("")]
    early = early.sort_values("following_rank", kind="stable")
    circles = first_follows_circle(_keys(universe, early.index).tolist(), people)
    frame["first_circle"] = 0
    if circles:
        in_circle = early.index[[k in circles for k in _keys(universe, early.index)]]
        frame.loc[in_circle, "first_circle"] = [len(circles[k]) for k in _keys(universe, in_circle)]

    frame["every_copycat"] = bool(copy_keys) & (frame["copycats_followed"].fillna(0) >= len(copy_keys))
    frame["following_total"] = len(following)
    frame["followers_total"] = total
    for column in ("follows_subject", "followed_by_subject"):
        frame[column] = frame[column].astype("boolean").fillna(False).astype(bool)
    frame["mutual"] = frame["follows_subject"] & frame["followed_by_subject"]
    for column in ("comments", "prompt_comments", "early_comments", "first_comments", "reshares", "tagged",
                   "targeted", "copycats_followed", "victim_lists"):
        frame[column] = frame[column].fillna(0).astype("int64")
    own = int(posts.loc[posts["account"] == s, "post_id"].dropna().nunique())
    frame["posts_total"] = own if own else comments["post_id"].dropna().nunique()
    frame["warning_at"] = _warning_between(warnings, frame["left_seen"], frame["left_by"])
    frame["followed_back_hours"] = (frame["followed_at"] - frame["subject_followed_at"]).dt.total_seconds() / 3600
    seen = frame[["followed_at", "subject_followed_at", "first_comment_at", "first_share_at"]]
    frame["first_seen"] = seen.min(axis=1) if len(frame) else pd.Series(dtype="datetime64[ns, UTC]")
    frame["first_seen_hours"] = ((frame["first_seen"] - created).dt.total_seconds() / 3600 if created is not None
                                 else np.nan)
    facts = {"subject": s, "created": created, "created_from": created_from,
             "first_posts": min(FIRST_POSTS, own),
             "copycats": copy_keys, "circles": circles,
             "rows": {"relationships": relationships, "of_s": of_s, "by_s": by_s, "copycats": copy_rows,
                      "close": close,
                      "comments": comments}}
    return frame, universe, facts


# ------------------------------------------------------------------------------------ score
def score_leads(features: pd.DataFrame) -> pd.DataFrame:
    """Points per reason for each row of :func:`lead_features` (same index; columns named as in
    :data:`WEIGHTS`). The score of a lead is the sum of its row."""
    w = WEIGHTS
    f = features

    def num(column: str) -> np.ndarray:
        return f[column].astype("Float64").to_numpy(float, na_value=np.nan)

    def steps(value: np.ndarray, full: float, bands: Sequence[tuple[float, float]]) -> np.ndarray:
        out = np.zeros(len(value))
        for limit, share in reversed(bands):
            out = np.where(value <= limit, full * share, out)
        return out

    mutual, follows, followed = (f[c].to_numpy(bool) for c in ("mutual", "follows_subject", "followed_by_subject"))
    back = num("followed_back_hours") if "followed_back_hours" in f else np.full(len(f), np.nan)
    prompted = mutual & (back > FOLLOW_BACK_HOURS)
    target = (f["targeted"].to_numpy() >= TARGET_MIN) if "targeted" in f else np.zeros(len(f), dtype=bool)
    responded = prompted | target  # its follow or comments may answer the subject, not make it
    points = pd.DataFrame(index=f.index)
    points["mutual"] = (mutual & ~prompted) * w["mutual"]
    points["followed_back"] = prompted * w["followed_back"]
    points["followed_by"] = (followed & ~mutual) * w["followed_by"]
    points["follows"] = (follows & ~mutual) * w["follows"]
    points["followed_first"] = steps(num("following_rank"), w["followed_first"], FIRST_FOLLOW_BANDS)
    points["early_follower"] = steps(num("follower_rank"), w["early_follower"], EARLY_BANDS) * ~responded
    hours = num("first_seen_hours")
    points["soon_after_creation"] = np.where(hours >= 0, steps(hours, w["soon_after_creation"],
                                                               [(1, 1.0), (NEW_HOURS, 0.5)]), 0.0) * ~responded
    early = ["early_follower", "soon_after_creation"]
    total = points[early].sum(axis=1).to_numpy()
    points[early] = points[early].mul(np.where(total > EARLY_CAP, EARLY_CAP / np.maximum(total, 1e-9), 1.0), axis=0)
    posts = np.maximum(f["posts_total"].to_numpy(float), MIN_POSTS)
    points["prompt_comment"] = np.minimum(f["prompt_comments"].to_numpy() / posts, 1.0) * w["prompt_comment"]
    points["first_posts_comment"] = f["early_comments"].clip(upper=4).to_numpy() * w["first_posts_comment"]
    points["first_commenter"] = np.minimum(f["first_comments"].to_numpy() / posts, 1.0) * w["first_commenter"]
    points["comment"] = f["comments"].clip(upper=5).to_numpy() * w["comment"]
    comment = ["prompt_comment", "first_posts_comment", "first_commenter", "comment"]
    total = points[comment].sum(axis=1).to_numpy()
    scale = np.where(total > COMMENT_CAP, COMMENT_CAP / np.maximum(total, 1e-9), 1.0) * ~target
    points[comment] = points[comment].mul(scale, axis=0)
    points["reshare"] = (f["reshares"] > 0).to_numpy() * w["reshare"]
    points["tagged"] = (f["tagged"] > 0).to_numpy() * w["tagged"]
    points["copycat"] = f["copycats_followed"].clip(upper=3).to_numpy() * w["copycat"]
    near = (f["victim_lists"].to_numpy() > 0) if "victim_lists" in f else np.zeros(len(f), dtype=bool)
    every = f["every_copycat"].to_numpy(bool) if "every_copycat" in f else np.zeros(len(f), dtype=bool)
    points["victim_circle"] = near * w["victim_circle"]
    points["victim_and_copycats"] = (near & every) * w["victim_and_copycats"]
    points["victim_and_early"] = (near & (num("follower_rank") <= EARLY_TOP)) * w["victim_and_early"]
    left = f["left_seen"].notna().to_numpy() if "left_seen" in f else np.zeros(len(f), dtype=bool)
    warned = f["warning_at"].notna().to_numpy() if "warning_at" in f else np.zeros(len(f), dtype=bool)
    circle = np.clip(f["first_circle"].to_numpy(float) - 1, 0, 3) if "first_circle" in f else np.zeros(len(f))
    points["first_circle"] = circle * w["first_circle"]
    points["left"] = (left & ~warned) * w["left"]
    points["left_after_warning"] = (left & warned) * w["left_after_warning"]
    points["dropped"] = (f["dropped_seen"].notna().to_numpy() if "dropped_seen" in f else False) * w["dropped"]
    return points


# ------------------------------------------------------------------------------------ rank
def rank_leads(
    relationships: pd.DataFrame,
    interactions: pd.DataFrame,
    posts: pd.DataFrame,
    accounts: pd.DataFrame,
    people: pd.DataFrame | None = None,
    *,
    subject: str,
    top: int | None = None,
    copycats: Sequence[str] = (),
    zone: str = "UTC",
    events: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Rank the accounts around ``subject`` by transparent reasons (leads, not findings).

    In: the canonical relationships, interactions, posts, accounts and (optional) people frames;
    ``subject`` as a handle or handle_key; ``copycats``: copycat handles the analyst confirmed,
    beside accounts with role ``copycat``. Out: the leads (score at least :data:`LEAD_FLOOR`),
    best first, with columns rank, handle (as shown), handle_key, score, reasons (plain
    sentences, each ending with its points), evidence (per reason: feature, points, text and
    the rows it rests on) and the measures of :data:`FEATURES`. Ties are broken by who appeared
    first, then by handle, never by a list position. Times in the reasons are shown in ``zone`` (the
    case's), day first. Raises :class:`InvestigateError` naming close handles when the subject is not
    in the frames.
    """
    frame, universe, facts = _features(relationships, interactions, posts, accounts, people, subject=subject,
                                       copycats=copycats, events=events)
    points = score_leads(frame)
    score = points.sum(axis=1).round(2)
    keep = score.to_numpy() >= LEAD_FLOOR
    frame, points, score = frame[keep], points[keep], score[keep]
    groups = group_leads(_keys(universe, frame.index[frame["mutual"].to_numpy(bool)]).tolist(), relationships, people)
    order = _order(score.to_numpy(float), frame["first_seen"], frame.index.to_numpy(), universe)
    if top is not None:
        order = order[:max(top, 0)]
    frame, points = frame.iloc[order].copy(), points.iloc[order]
    frame["score"] = score.iloc[order].to_numpy()
    frame["handle_key"] = _keys(universe, frame.index).to_numpy()
    frame = frame.reset_index(drop=True)
    points = points.reset_index(drop=True)
    frame["rank"] = pd.array(np.arange(1, len(frame) + 1), dtype="Int64")
    frame["handle"] = handles_shown(accounts, frame["handle_key"])
    _people_columns(frame, people)
    frame["groups"] = [[g["label"] for g in groups if k in g["members"]] for k in frame["handle_key"]]
    frame["reasons"], frame["evidence"] = _explain(frame, points, facts | {"zone": zone}, groups)
    for column in ("follower_rank", "follower_position", "following_rank", "following_position"):
        frame[column] = frame[column].astype("Float64").round().astype("Int64")
    for column in ("followers_total", "following_total", "posts_total"):
        frame[column] = frame[column].astype("Int64")
    frame["quickest_comment_minutes"] = frame["quickest_comment_minutes"].astype("Float64").round(1)
    frame["first_seen_hours"] = frame["first_seen_hours"].astype("Float64").round(2)
    return frame[list(COLUMNS)]


def _order(score: np.ndarray, first_seen: pd.Series, codes: np.ndarray, universe: pa.Array) -> np.ndarray:
    """Positions sorting rows by score (high first), first appearance (earliest first, unknown
    last), then handle as text. Numbers sort all rows; only rows tied on both are compared as text."""
    seen = first_seen.astype("datetime64[ns, UTC]").to_numpy("datetime64[ns]").astype("int64").astype(float)
    seen[first_seen.isna().to_numpy()] = np.inf
    order = np.lexsort((seen, -score))
    s, r = score[order], seen[order]
    same = (s[1:] == s[:-1]) & (r[1:] == r[:-1])
    if same.any():
        tied = np.zeros(len(order), dtype=bool)
        tied[1:] |= same
        tied[:-1] |= same
        slots = np.flatnonzero(tied)
        rows = order[slots]
        words = universe.take(pa.array(codes[rows])).to_numpy(zero_copy_only=False)
        order[slots] = rows[np.lexsort((words, seen[rows], -score[rows]))]
    return order


def handles_shown(accounts: pd.DataFrame, keys: pd.Series) -> pd.Series:
    """The handle as shown for each key (the key itself where no account shows it differently)."""
    handle = accounts["handle"]
    differs = accounts[handle.notna() & accounts["handle_key"].notna() & (handle != accounts["handle_key"])]
    keys = keys.astype("string")
    if not len(differs):
        return keys
    shown = differs.drop_duplicates("handle_key").set_index("handle_key")["handle"]
    return keys.map(shown).fillna(keys).astype("string")


def _people(people: pd.DataFrame | None) -> pd.DataFrame:
    """One row per handle linked to a person: handle_key, person_id, role, year_group, tutor_group, name."""
    columns = ["handle_key", "person_id", "role", "year_group", "tutor_group", "name"]
    if people is None or not len(people):
        return pd.DataFrame(columns=columns)
    ppl = people[["person_id", "role", "year_group", "tutor_group", "handles", "name"]].dropna(subset=["handles"])
    ppl = ppl.assign(handle_key=ppl["handles"].str.split(",")).explode("handle_key")
    ppl["handle_key"] = ppl["handle_key"].map(handle_key)
    return ppl.loc[ppl["handle_key"] != "", columns].drop_duplicates("handle_key")


def _people_columns(frame: pd.DataFrame, people: pd.DataFrame | None) -> None:
    linked = _people(people).set_index("handle_key")
    for column in ("year_group", "tutor_group"):
        frame[column] = frame["handle_key"].map(linked[column]).astype("string").to_numpy()


# ------------------------------------------------------------------------------------ context
AROUND_COLUMNS: Final = ("handle", "handle_key", "role", "role_words", "source", "links")


def accounts_around(relationships: pd.DataFrame, interactions: pd.DataFrame, posts: pd.DataFrame,
                    accounts: pd.DataFrame, people: pd.DataFrame | None = None, *, subject: str,
                    copycats: Sequence[str] = ()) -> pd.DataFrame:
    """The accounts around ``subject`` whose role is known (:func:`known_roles`): context, never leads.

    Out: one row per such account with handle (as shown), handle_key, role, role_words (the role
    in words), source (where the role comes from) and links (what ties it to the subject, in
    words, e.g. "on both lists; tagged by the subject 3 times; 12 comments"). Copycats and
    targets are listed even without a recorded link; other roles only when linked.
    """
    s = handle_key(subject)
    known = known_roles(accounts, people, subject=s, copycats=copycats)
    if not len(known):
        return pd.DataFrame({c: pd.Series(dtype="string") for c in AROUND_COLUMNS})
    keys = known["handle_key"].tolist()
    follows = set(relationships.loc[_equals(relationships["followed"], s) & _isin(relationships["follower"], keys),
                                    "follower"])
    followed = set(relationships.loc[_equals(relationships["follower"], s) & _isin(relationships["followed"], keys),
                                     "followed"])
    on_s = _interactions_on(interactions, posts, s)
    comments = on_s.loc[on_s["kind"] == "comment", "actor"].value_counts()
    targeted = _targeted(interactions, posts, s)
    links: list[str] = []
    for key in keys:
        bits = []
        if key in follows and key in followed:
            bits.append("on both lists")
        elif key in follows:
            bits.append(f"follows @{s}")
        elif key in followed:
            bits.append(f"followed by @{s}")
        if targeted.get(key, 0):
            bits.append(f"tagged or named by @{s} {_plural(int(targeted[key]), 'time')}")
        if comments.get(key, 0):
            bits.append(_plural(int(comments[key]), "comment") + " on its posts")
        links.append("; ".join(bits))
    out = known.assign(links=links)
    out = out[(out["links"] != "") | out["role"].isin(["copycat", "target"])].reset_index(drop=True)
    out["links"] = out["links"].replace("", "no link recorded")
    out["handle"] = handles_shown(accounts, out["handle_key"]).to_numpy()
    out["role_words"] = out["role"].map(ROLE_WORDS)
    return out[list(AROUND_COLUMNS)].astype("string")


# ------------------------------------------------------------------------------------ groups
def group_leads(mutuals: Sequence[str], relationships: pd.DataFrame, people: pd.DataFrame | None = None,
                *, min_size: int = 2) -> list[dict[str, Any]]:
    """Mutuals of the subject that belong together, as groups rather than a bonus to each.

    In: the handle keys of the subject's mutuals (e.g. ``leads.loc[leads["mutual"], "handle_key"]``),
    the relationships and people frames. Out:
    a list of ``{"label", "kind", "members", "text"}``: mutuals all linked to people in one tutor
    group (else one year group), and mutuals that follow each other (connected by follow links),
    each with at least ``min_size`` members, largest first. Groups carry no points.
    """
    mutual = [str(m) for m in mutuals]
    out: list[dict[str, Any]] = []
    linked = _people(people)
    linked = linked[linked["handle_key"].isin(mutual)]
    tutor_done: set[str] = set()
    for column, label in (("tutor_group", "tutor group"), ("year_group", "year group")):
        for value, members in linked.dropna(subset=[column]).groupby(column, sort=True)["handle_key"]:
            keys = [k for k in mutual if k in set(members)]
            if column == "year_group" and set(keys) <= tutor_done:
                continue  # the same accounts as a tutor group already shown
            if len(keys) >= min_size and str(value).strip():
                name = str(value) if str(value).casefold().startswith("year") else f"{label} {value}"
                out.append({"label": name, "kind": column, "members": keys,
                            "text": f"These {len(keys)} mutuals are all in {name}: {_at(keys, 6)}"})
                if column == "tutor_group":
                    tutor_done |= set(keys)
    pool = set(mutual)
    links = relationships.loc[_isin(relationships["follower"], mutual) & _isin(relationships["followed"], mutual),
                              ["follower", "followed"]].drop_duplicates()
    if len(links):
        graph = nx.Graph()
        graph.add_edges_from(sorted(map(tuple, links.astype(object).to_numpy().tolist())))
        for part in nx.connected_components(graph):
            keys = [k for k in mutual if k in part and k in pool]
            if len(keys) >= min_size:
                out.append({"label": f"follow each other ({_at(keys, 2)})", "kind": "follows", "members": keys,
                            "text": f"These {len(keys)} mutuals follow each other: {_at(keys, 6)}"})
    return sorted(out, key=lambda g: (-len(g["members"]), g["label"]))


# ------------------------------------------------------------------------------------ explain
def _explain(frame: pd.DataFrame, points: pd.DataFrame, facts: dict[str, Any],
             groups: list[dict[str, Any]]) -> tuple[list[list[str]], list[list[dict[str, Any]]]]:
    """For each shown row: its reasons (sentences ending with their points) and the same as
    structured evidence (feature, points, text, the rows it rests on)."""
    s = facts["subject"]
    keys = frame["handle_key"].tolist()
    rows = facts["rows"]
    rel = rows["relationships"]
    followers = _first_rows(rel[rows["of_s"] & _isin(rel["follower"], keys)], "follower")
    following = _first_rows(rel[rows["by_s"] & _isin(rel["followed"], keys)], "followed")
    copies = rows["copycats"][rows["copycats"]["follower"].isin(keys)].groupby("follower")["followed"].agg(sorted)
    comments = dict(tuple(rows["comments"][rows["comments"]["actor"].isin(keys)].groupby("actor")))
    close = rows["close"][rows["close"]["handle_key"].isin(keys)].groupby("handle_key")["personal"].agg(sorted)
    no_comments = rows["comments"].iloc[:0]
    reasons: list[list[str]] = []
    evidence: list[list[dict[str, Any]]] = []
    for p, row in zip(points.to_dict("records"), frame.astype(object).itertuples(index=False), strict=True):
        items: list[tuple[str, float, str, dict[str, Any]]] = []
        key = row.handle_key
        fol, fng = followers.get(key, {}), following.get(key, {})
        if row.mutual and p["followed_back"]:
            items.append(("followed_back", p["followed_back"],
                          f"On both lists, but it followed @{s} only {_minutes(row.followed_back_hours * 60)} after "
                          f"@{s} had followed it (followed back when prompted, not unprompted; how early it followed "
                          "earns no points)", {"followers_list": fol, "following_list": fng}))
        elif row.mutual:
            items.append(("mutual", p["mutual"], f"Follows @{s} and is followed back by it (on both lists)",
                          {"followers_list": fol, "following_list": fng}))
        elif row.followed_by_subject:
            items.append(("followed_by", p["followed_by"], f"Is followed by @{s} (it does not follow back)",
                          {"following_list": fng}))
        elif row.follows_subject:
            items.append(("follows", p["follows"], f"Follows @{s} (not followed back)", {"followers_list": fol}))
        if p["followed_first"]:
            items.append(("followed_first", p["followed_first"],
                          _rank_text(f"One of the first accounts @{s} followed", row.following_rank,
                                     row.following_total, row.following_rank_by, row.subject_followed_at, fng,
                                     "it followed", facts["zone"]), fng))
        if p["early_follower"]:
            items.append(("early_follower", p["early_follower"],
                          _rank_text(f"Among the first {EARLY_TOP if row.follower_rank <= EARLY_TOP else EARLY_NEAR} "
                                     "followers", row.follower_rank, row.followers_total, row.follower_rank_by,
                                     row.followed_at, fol, "to follow", facts["zone"]), fol))
        if p["soon_after_creation"]:
            items.append(("soon_after_creation", p["soon_after_creation"],
                          f"First seen {_minutes(row.first_seen_hours * 60)} after @{s} was made "
                          f"({facts['created_from']}, {format_time(facts['created'], facts['zone'])})",
                          {"first_seen": _iso(row.first_seen), "subject_created": _iso(facts["created"])}))
        items += _comment_items(row, p, comments.get(key, no_comments), facts)
        if row.reshares:
            items.append(("reshare", p["reshare"], f"Reshared, duetted or stitched its posts "
                          f"{_plural(row.reshares, 'time')}", {"count": int(row.reshares)}))
        if row.tagged:
            items.append(("tagged", p["tagged"], f"Tagged or mentioned @{s} {_plural(row.tagged, 'time')}",
                          {"count": int(row.tagged)}))
        if row.targeted >= TARGET_MIN:
            items.append(("targeted", 0.0, f"@{s} tags, mentions or names it in {_plural(row.targeted, 'post')} or "
                          "replies: a sign it is a target, not a maker (its comments and how early it followed earn "
                          "no points)", {"count": int(row.targeted)}))
        if row.copycats_followed:
            followed = list(copies.get(key, []))
            items.append(("copycat", p["copycat"], f"Follows {row.copycats_followed} confirmed copycat "
                          f"account{'s' if row.copycats_followed != 1 else ''} ({_at(followed)})",
                          {"copycats": followed}))
        if row.first_circle:
            others = [m for m in facts["circles"].get(key, []) if m != key]
            items.append(("first_circle", p["first_circle"], f"One of {row.first_circle} accounts among the first "
                          f"{CIRCLE_TOP} @{s} followed that share a family name in the people list (with "
                          f"{_at(others)}): a new account's first follows are often its maker's own circle",
                          {"circle": facts["circles"].get(key, [])}))
        if row.victim_lists:
            mine = sorted(close.get(key, []))
            items.append(("victim_circle", p["victim_circle"], f"On the follower or following list of the own "
                          f"account of a person @{s} targets ({_at(mine)})", {"accounts": mine}))
            if p["victim_and_copycats"]:
                items.append(("victim_and_copycats", p["victim_and_copycats"],
                              f"Close to that person's own account and follows every confirmed copycat "
                              f"({_at(facts['copycats'])}), even if the people list does not know it",
                              {"accounts": mine, "copycats": facts["copycats"]}))
            if p["victim_and_early"]:
                items.append(("victim_and_early", p["victim_and_early"],
                              f"Close to that person's own account and among the first {EARLY_TOP} followers of "
                              f"@{s}: there from the start, and close to the person it targets",
                              {"accounts": mine, "followers_list": fol}))
        items += _capture_items(row, p, facts)
        for group in groups:
            if key in group["members"]:
                others = [m for m in group["members"] if m != key]
                what = "who follow each other" if group["kind"] == "follows" else f"all in {group['label']}"
                items.append(("group", 0.0, f"One of {len(group['members'])} mutuals {what} (with {_at(others)}): "
                              "shown as a group", {"group": group["label"], "members": group["members"]}))
        shown = [(f, float(v), t, d) for f, v, t, d in items if v or f in NO_POINT_REASONS]
        reasons.append([f"{t} {_points(v)}" if v else f"{t} (no points)" for _, v, t, _ in shown])
        evidence.append([{"feature": f, "points": round(v, 2), "text": t, "detail": d} for f, v, t, d in shown])
    return reasons, evidence


def _capture_items(row: Any, p: dict[str, float],
                   facts: dict[str, Any]) -> list[tuple[str, float, str, dict[str, Any]]]:
    """The reasons read from several captures of the subject's lists: it left (after the school's
    warning or not), or it arrived between two captures (no points)."""
    s, zone = facts["subject"], facts["zone"]
    items: list[tuple[str, float, str, dict[str, Any]]] = []
    detail = {"left_seen": _iso(row.left_seen), "left_by": _iso(row.left_by), "dropped_seen": _iso(row.dropped_seen),
              "dropped_by": _iso(row.dropped_by), "warning_at": _iso(row.warning_at)}
    warned = "" if pd.isna(row.warning_at) else f", after the school's warning of {format_time(row.warning_at, zone)}"
    if not pd.isna(row.left_seen):
        feature = "left_after_warning" if warned else "left"
        items.append((feature, p[feature], f"Left between two captures of the lists: it followed @{s} in the capture "
                      f"of {format_time(row.left_seen, zone)} and is gone from the capture of "
                      f"{format_time(row.left_by, zone)}{warned}", detail))
    if not pd.isna(row.dropped_seen):
        items.append(("dropped", p["dropped"], f"@{s} followed it in the capture of "
                      f"{format_time(row.dropped_seen, zone)} and no longer does in the capture of "
                      f"{format_time(row.dropped_by, zone)} (the fake account itself stopped following it)", detail))
    if not pd.isna(row.arrived_by):
        items.append(("arrived", 0.0, f"Arrived on the followers list of @{s} between two captures (first in the "
                      f"capture of {format_time(row.arrived_by, zone)})", {"arrived_by": _iso(row.arrived_by)}))
    return items


#: reasons shown even when they add no points (they say what an account is, or why others are withheld)
NO_POINT_REASONS: Final = ("group", "follows", "followed_by", "mutual", "targeted", "arrived")


def _first_rows(rows: pd.DataFrame, column: str) -> dict[str, dict[str, Any]]:
    """The earliest list row of each account (by follow time, then position): list, position, order, time, file."""
    found = rows.sort_values(["followed_at", "position"], na_position="last", kind="stable")
    out = {}
    for row in found.drop_duplicates(column).astype(object).itertuples(index=False):
        out[getattr(row, column)] = {
            "list": None if pd.isna(row.observed_list) else row.observed_list,
            "position": None if pd.isna(row.position) else int(row.position),
            "order": None if pd.isna(row.list_order) else row.list_order,
            "followed_at": _iso(row.followed_at),
            "evidence_id": None if pd.isna(row.evidence_id) else row.evidence_id}
    return out


def _rank_text(head: str, rank: float, total: object, by: object, at: object, row: dict[str, Any],
               verb: str, zone: str) -> str:
    if by == "time":
        return f"{head} ({ordinal(int(rank))} of {total} {verb}, on {format_time(at, zone)})"
    where = f" in {row['list']}" if row.get("list") else ""
    return f"{head} (position {row.get('position')} of {total}{where}, listed {row.get('order')})"


def _comment_items(row: Any, p: dict[str, float], mine: pd.DataFrame,
                   facts: dict[str, Any]) -> list[tuple[str, float, str, dict[str, Any]]]:
    """The comment reasons (prompt ones, on the first posts while new, first on a post, all of them),
    each with the comments it rests on (post, times, delay, evidence id; the first 10)."""
    if not row.comments:
        return []

    def rows(which: pd.DataFrame) -> dict[str, Any]:
        return {"comments": [{"post_id": r.post_id, "at": _iso(r.at), "posted_at": _iso(r.posted_at),
                              "minutes": None if pd.isna(r.minutes) else round(float(r.minutes), 1),
                              "evidence_id": None if pd.isna(r.evidence_id) else r.evidence_id}
                             for r in which.sort_values("at").head(10).astype(object).itertuples(index=False)]}

    minutes = mine["minutes"]
    items = []
    if p["prompt_comment"]:
        items.append(("prompt_comment", p["prompt_comment"],
                      f"Commented within {QUICK_MINUTES} minutes of posting on {row.prompt_comments} of its "
                      f"{_plural(row.posts_total, 'post')}, the quickest {_minutes(row.quickest_comment_minutes)} "
                      "after", rows(mine[minutes <= QUICK_MINUTES])))
    if p["first_posts_comment"]:
        items.append(("first_posts_comment", p["first_posts_comment"],
                      f"Commented on {row.early_comments} of its first {facts['first_posts']} posts while they were "
                      f"new (within {NEW_HOURS} hours)", rows(mine[mine["first_post"] & (minutes <= NEW_HOURS * 60)])))
    if p["first_commenter"]:
        items.append(("first_commenter", p["first_commenter"],
                      f"The first to comment on {row.first_comments} of its {_plural(row.posts_total, 'post')} "
                      "(by the comments' own times)", rows(mine)))
    late = int((minutes > NEW_HOURS * 60).sum())
    text = f"{_plural(row.comments, 'comment')} on its posts in all"
    if late:
        text += f", {late} of them more than {NEW_HOURS} hours after the post"
    items.append(("comment", p["comment"], text, rows(mine)))
    return items


def _iso(value: object) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).isoformat()
