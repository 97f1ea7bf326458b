"""Ranked leads: which accounts are worth looking at first for a subject (fake) account.

Every point a lead gets comes from one feature in :data:`WEIGHTS`, and every feature that scores
adds one plain-English sentence to ``reasons``. The score is the plain sum: nothing hidden. These
are leads to follow up, not findings: an account can score for innocent reasons.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Final, Literal

import networkx as nx
import numpy as np
import pandas as pd
from rapidfuzz import process

from .errors import InvestigateError
from .schema import handle_key

log = logging.getLogger("investigate")

LEADS_STATEMENT: Final = (
    "These are leads to follow up, not findings. A high score means an account is worth looking at "
    "first; it does not show who made the subject account, and an account can score for innocent reasons."
)

#: points per feature (documented, additive; the score is the sum).
WEIGHTS: Final[dict[str, float]] = {
    "follows": 0.5,  # follows the subject
    "followed_by": 1.0,  # the subject follows it (a new fake account follows few)
    "mutual": 2.0,  # both of the above (added on top of them)
    "early_follower": 2.0,  # among the first EARLY_TOP followers; half among the first EARLY_NEAR
    "first_posts_comment": 1.0,  # per post of the subject's first FIRST_POSTS it commented on (max 5)
    "comment": 0.25,  # per other comment on the subject's posts (max 4)
    "quick_comment": 1.0,  # a comment within QUICK_MINUTES of the post going up
    "reshare": 1.5,  # reshared, duetted or stitched the subject's posts (once)
    "tagged": 1.5,  # tagged or mentioned with the subject (once)
    "copycat": 0.75,  # per copycat account it follows
    "community": 1.0,  # in the same follow group (community) as other mutuals
    "tutor_group": 1.0,  # linked person shares a tutor group with other strong leads
    "year_group": 0.5,  # ... or only a year group
}
EARLY_TOP: Final = 5
EARLY_NEAR: Final = 20
FIRST_POSTS: Final = 10
QUICK_MINUTES: Final = 30
STRONG_SCORE: Final = 3.0  # a "strong lead" for the year/tutor group feature
COMMUNITY_POOL: Final = 2000  # at most this many candidates go into the community detection

FEATURES: Final = ("follows_subject", "followed_by_subject", "mutual", "follower_rank", "follower_position",
                   "followers_total", "followed_at", "early_comments", "comments", "quickest_comment_minutes",
                   "reshares", "tagged", "copycats_followed", "community", "community_mutuals",
                   "year_group", "tutor_group", "shared_group_leads")
COLUMNS: Final = ("rank", "handle", "handle_key", "score", "reasons", *FEATURES)

RESHARE_KINDS: Final = ("reshare", "duet", "stitch")
TAG_KINDS: Final = ("tag", "mention")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _at(handles: list[str], limit: int = 3) -> str:
    shown = ", ".join(f"@{h}" for h in handles[:limit])
    return shown + (f" and {len(handles) - limit} more" if len(handles) > limit else "")


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
    position_order: Literal["oldest_first", "newest_first"] = "oldest_first",
    seed: int = 7,
) -> pd.DataFrame:
    """Rank the accounts around ``subject`` by transparent features (leads, not findings).

    In: the canonical relationships, interactions, posts, accounts and (optional) people frames;
    ``subject`` as a handle or handle_key; ``copycats``: more copycat handles (e.g. from
    :func:`investigate.handles.copycat_groups`) beside accounts with role ``copycat``;
    ``position_order``: whether position 1 of a followers list is the oldest follower (default)
    or the newest. Out: one row per account that scores, with columns rank, handle (as shown),
    handle_key, score, reasons (list of sentences) and one column per feature (:data:`FEATURES`),
    best first. The subject and accounts with role ``school`` are never listed. Raises
    :class:`InvestigateError` naming close handles when the subject is not in the frames.
    """
    s = handle_key(subject)
    rel = relationships[["follower", "followed", "position", "followed_at"]]
    known = _known_handles(relationships, interactions, posts, accounts)
    if not s or (s not in set(known) and not (rel["follower"] == s).any()):
        raise unknown_account_error(subject, known)
    roles = accounts[["handle_key", "role"]].dropna(subset=["handle_key"]).drop_duplicates("handle_key", keep="last")
    excluded = {s, *roles.loc[roles["role"].fillna("").str.casefold() == "school", "handle_key"].tolist()}

    # --- follows: followers of the subject (with rank), accounts the subject follows
    fol = rel[rel["followed"] == s].groupby("follower", sort=False).agg(
        follower_position=("position", "min"), followed_at=("followed_at", "min"))
    total = len(fol)
    pos = fol["follower_position"].astype("Float64")
    if position_order == "newest_first" and pos.notna().any():
        pos = pos.max() + 1 - pos
    rank_pos = pos.rank(method="min")
    rank_time = fol["followed_at"].rank(method="min") if fol["followed_at"].notna().any() else rank_pos * np.nan
    fol["follower_rank"] = pd.concat([rank_pos, rank_time.astype("Float64")], axis=1).min(axis=1)
    fol["rank_by_time"] = rank_time.astype("Float64").notna() & (rank_time.astype("Float64") <= rank_pos.fillna(np.inf))
    fol["follows_subject"] = True
    following = pd.Index(rel.loc[rel["follower"] == s, "followed"].dropna().unique())

    # --- interactions, with the account acted on filled in from the post where blank
    inter = interactions[["actor", "kind", "on_account", "post_id", "at"]]
    subject_posts = posts.loc[posts["account"] == s, ["post_id", "posted_at"]].dropna(subset=["post_id"])
    subject_posts = subject_posts.sort_values("posted_at", na_position="last", kind="stable").drop_duplicates("post_id")
    blank = inter["on_account"].isna() | inter["on_account"].eq("")
    if blank.any():
        authors = posts[["post_id", "account"]].dropna().drop_duplicates("post_id").set_index("post_id")["account"]
        inter = inter.assign(on_account=inter["on_account"].where(~blank, inter["post_id"].map(authors)))
    kind = inter["kind"].fillna("").str.casefold()
    on_s = inter[(inter["on_account"] == s) & (inter["actor"] != s)]
    kind_on_s = kind[on_s.index]

    comments = on_s[kind_on_s == "comment"].merge(subject_posts, on="post_id", how="left")
    first_ids = set(subject_posts["post_id"].head(FIRST_POSTS))
    n_first = min(len(subject_posts), FIRST_POSTS)
    comments["minutes"] = (comments["at"] - comments["posted_at"]).dt.total_seconds() / 60
    comments["minutes"] = comments["minutes"].where(comments["minutes"] >= 0)
    comments["first"] = comments["post_id"].isin(first_ids)
    com = comments.groupby("actor", sort=False).agg(
        comments=("kind", "size"), quickest_comment_minutes=("minutes", "min"))
    com["early_comments"] = comments[comments["first"]].groupby("actor")["post_id"].nunique()
    reshares = on_s[kind_on_s.isin(RESHARE_KINDS)].groupby("actor").size().rename("reshares")
    tags = inter[kind.isin(TAG_KINDS)]
    tag_partner = pd.concat([tags.loc[tags["actor"] == s, "on_account"], tags.loc[tags["on_account"] == s, "actor"]])
    tagged = tag_partner[tag_partner != s].value_counts().rename("tagged")

    # --- copycats followed
    copy_keys = set(roles.loc[roles["role"].fillna("").str.casefold() == "copycat", "handle_key"])
    copy_keys |= {handle_key(c) for c in copycats}
    copy_keys -= {s, ""}
    copy_rows = rel[rel["followed"].isin(copy_keys)].drop_duplicates(["follower", "followed"])
    copy_n = copy_rows.groupby("follower")["followed"].size().rename("copycats_followed")

    # --- assemble the candidates
    frame = fol.join([com, reshares, tagged], how="outer")
    frame = frame.join(pd.Series(True, index=following, name="followed_by_subject"), how="outer")
    several = copy_n.index[copy_n >= 2]  # following several copycats makes a candidate by itself
    frame = frame.reindex(frame.index.union(several)).join(copy_n, how="left")
    frame = frame[~frame.index.isin(list(excluded)) & frame.index.notna()]
    frame.index.name = "handle_key"
    bools = ["follows_subject", "followed_by_subject"]
    frame[bools] = frame[bools].astype("boolean").fillna(False)
    frame["mutual"] = frame["follows_subject"] & frame["followed_by_subject"]
    counts = ["comments", "early_comments", "reshares", "tagged", "copycats_followed"]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    rank = frame["follower_rank"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)

    w = WEIGHTS
    points = pd.DataFrame(index=frame.index)
    points["follows"] = frame["follows_subject"].astype(float) * w["follows"]
    points["followed_by"] = frame["followed_by_subject"].astype(float) * w["followed_by"]
    points["mutual"] = frame["mutual"].astype(float) * w["mutual"]
    points["early"] = np.where(rank <= EARLY_TOP, w["early_follower"],
                               np.where(rank <= EARLY_NEAR, w["early_follower"] / 2, 0.0))
    points["first_posts"] = frame["early_comments"].clip(upper=5) * w["first_posts_comment"]
    points["comment"] = (frame["comments"] - frame["early_comments"]).clip(0, 4) * w["comment"]
    quick = frame["quickest_comment_minutes"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    points["quick"] = (quick <= QUICK_MINUTES).astype(float) * w["quick_comment"]
    points["reshare"] = (frame["reshares"] > 0).astype(float) * w["reshare"]
    points["tagged"] = (frame["tagged"] > 0).astype(float) * w["tagged"]
    points["copycat"] = frame["copycats_followed"] * w["copycat"]
    score = points.sum(axis=1)

    # --- same community as other mutuals (follow links among the strongest candidates)
    frame["community"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    frame["community_mutuals"] = 0
    mutual_keys = frame.index[frame["mutual"]]
    mates: dict[str, list[str]] = {}
    if len(mutual_keys) >= 2:
        pool = score.sort_values(ascending=False, kind="stable").head(COMMUNITY_POOL).index.union(mutual_keys)
        links = rel[rel["follower"].isin(pool) & rel["followed"].isin(pool)][["follower", "followed"]]
        links = links.drop_duplicates().astype(object)
        if len(links):
            g = nx.Graph()
            g.add_edges_from(sorted(map(tuple, links.to_numpy().tolist())))
            found = nx.community.louvain_communities(g, seed=seed)
            ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
            comm = pd.Series({n: i for i, c in enumerate(ordered, start=1) for n in c}, dtype="Int64")
            frame["community"] = comm.reindex(frame.index).astype("Int64")
            mutual_comm = frame.loc[frame["mutual"] & frame["community"].notna(), "community"]
            members = mutual_comm.groupby(mutual_comm).groups
            for key, c in frame["community"].dropna().items():
                others = sorted(set(members.get(c, [])) - {key})
                if others:
                    mates[key] = others
            frame["community_mutuals"] = pd.Series({k: len(v) for k, v in mates.items()}, dtype="int64").reindex(
                frame.index).fillna(0).astype("int64")
    points["community"] = (frame["community_mutuals"] > 0).astype(float) * w["community"]
    score = points.sum(axis=1)

    # --- linked people sharing a tutor/year group with other strong leads
    frame["year_group"] = pd.array([pd.NA] * len(frame), dtype="string")
    frame["tutor_group"] = pd.array([pd.NA] * len(frame), dtype="string")
    frame["shared_group_leads"] = 0
    group_mates: dict[str, tuple[str, str, list[str]]] = {}
    if people is not None and len(people):
        ppl = people[["person_id", "role", "year_group", "tutor_group", "handles"]].dropna(subset=["handles"])
        ppl = ppl.assign(handle_key=ppl["handles"].str.split(",")).explode("handle_key")
        ppl["handle_key"] = ppl["handle_key"].map(handle_key)
        ppl = ppl[ppl["handle_key"].isin(frame.index)].drop_duplicates("handle_key").set_index("handle_key")
        frame["year_group"] = ppl["year_group"].reindex(frame.index).astype("string")
        frame["tutor_group"] = ppl["tutor_group"].reindex(frame.index).astype("string")
        strong = ppl[ppl.index.isin(score.index[score >= STRONG_SCORE])]
        for key, person in ppl.iterrows():  # only accounts linked to a person: a handful
            for column, feature in (("tutor_group", "tutor_group"), ("year_group", "year_group")):
                value = person[column]
                if pd.isna(value) or not str(value).strip():
                    continue
                same = strong[(strong[column] == value) & (strong["person_id"] != person["person_id"])]
                if len(same):
                    group_mates[key] = (feature, str(value), sorted(same.index))
                    break
        frame["shared_group_leads"] = pd.Series({k: len(v[2]) for k, v in group_mates.items()},
                                                dtype="int64").reindex(frame.index).fillna(0).astype("int64")
        points["group"] = [w[group_mates[k][0]] if k in group_mates else 0.0 for k in frame.index]
    score = points.sum(axis=1)

    # --- order, cut, explain
    frame["score"] = score.round(2)
    frame["followers_total"] = total
    frame = frame[frame["score"] > 0].reset_index()
    frame = frame.sort_values(["score", "follower_rank", "handle_key"], ascending=[False, True, True],
                              na_position="last", kind="stable")
    if top is not None:
        frame = frame.head(top)
    frame = frame.reset_index(drop=True)
    frame["rank"] = pd.array(np.arange(1, len(frame) + 1), dtype="Int64")
    shown = accounts.dropna(subset=["handle_key", "handle"]).drop_duplicates("handle_key").set_index(
        "handle_key")["handle"]
    frame["handle_key"] = frame["handle_key"].astype("string")
    frame["handle"] = frame["handle_key"].map(dict(shown.items())).astype("string").fillna(frame["handle_key"])
    frame["handle_key"] = frame["handle_key"].astype("string")
    shown_rows = copy_rows[copy_rows["follower"].isin(frame["handle_key"])].sort_values("followed")
    copy_lists = shown_rows.groupby("follower")["followed"].agg(list)
    frame["reasons"] = _reasons(frame, s, n_first, total, mates, group_mates, copy_lists)
    for c in ("follower_rank", "follower_position"):
        frame[c] = frame[c].round().astype("Int64")
    frame["quickest_comment_minutes"] = frame["quickest_comment_minutes"].astype("Float64").round(1)
    frame["followers_total"] = frame["followers_total"].astype("Int64")
    return frame[list(COLUMNS)]


def _reasons(frame: pd.DataFrame, s: str, n_first: int, total: int, mates: dict[str, list[str]],
             group_mates: dict[str, tuple[str, str, list[str]]], copy_lists: pd.Series) -> list[list[str]]:
    out: list[list[str]] = []
    for row in frame.itertuples(index=False):
        key = row.handle_key
        r: list[str] = []
        if row.mutual:
            r.append(f"Follows @{s} and is followed back by it (mutual)")
        elif row.follows_subject:
            r.append(f"Follows @{s}")
        elif row.followed_by_subject:
            r.append(f"Is followed by @{s}")
        rank = row.follower_rank
        if pd.notna(rank) and rank <= EARLY_NEAR:
            first = EARLY_TOP if rank <= EARLY_TOP else EARLY_NEAR
            if pd.notna(row.followed_at) and bool(row.rank_by_time):
                r.append(f"Among the first {first} followers ({_ordinal(int(rank))} of {total} to follow, "
                         f"on {row.followed_at:%d %b %Y})")
            else:
                r.append(f"Among the first {first} followers (position {int(row.follower_position)} of {total})")
        if row.early_comments:
            text = f"Commented on {row.early_comments} of its first {n_first} posts"
            if pd.notna(row.quickest_comment_minutes):
                text += f", the quickest within {_minutes(row.quickest_comment_minutes)} of posting"
            r.append(text)
        elif row.comments:
            text = f"Commented {_plural(row.comments, 'time')} on its posts"
            if pd.notna(row.quickest_comment_minutes):
                text += f", the quickest within {_minutes(row.quickest_comment_minutes)} of posting"
            r.append(text)
        if row.reshares:
            r.append(f"Reshared, duetted or stitched its posts {_plural(row.reshares, 'time')}")
        if row.tagged:
            r.append(f"Tagged or mentioned together with @{s} {_plural(row.tagged, 'time')}")
        if row.copycats_followed:
            r.append(f"Follows {row.copycats_followed} copycat accounts ({_at(copy_lists.get(key, []))})")
        if key in mates:
            r.append(f"In the same follow group as {_plural(len(mates[key]), 'other mutual')} ({_at(mates[key])})")
        if key in group_mates:
            feature, value, others = group_mates[key]
            label = "tutor group" if feature == "tutor_group" else "year group"
            r.append(f"Linked to a person in {label} {value}, as {'is' if len(others) == 1 else 'are'} "
                     f"{_plural(len(others), 'other strong lead')} ({_at(others)})")
        out.append(r)
    return out


def _minutes(value: float) -> str:
    if value < 90:
        m = max(1, round(value))
        return f"{m} minute{'s' if m != 1 else ''}"
    hours = round(value / 60, 1)
    return f"{hours:g} hours"
