"""Ranked leads: which accounts are worth looking at first for a subject (fake) account.

Every point a lead gets comes from one feature in :data:`WEIGHTS`, and every feature that scores
adds one plain-English sentence to ``reasons``. The score is the plain sum: nothing hidden. These
are leads to follow up, not findings: an account can score for innocent reasons.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Sequence
from typing import Final, Literal

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
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


def _arrow(values: object) -> pa.Array:
    """Handles (a Series, an Index or any collection of strings) as one Arrow large_string array."""
    array = values.array if isinstance(values, (pd.Series, pd.Index)) else pd.array(list(values), dtype="string")  # type: ignore[attr-defined,arg-type]
    found = pa.array(array, from_pandas=True)
    found = found.combine_chunks() if isinstance(found, pa.ChunkedArray) else found
    return found.cast(pa.large_string())


def _isin(values: pd.Series | pd.Index, among: object) -> np.ndarray:
    """Boolean array: which ``values`` are in ``among`` (blanks never are).

    Same answer as ``Series.isin``, done in Arrow: pandas' isin on Arrow-backed strings walks a
    large ``among`` in Python, which took seconds on a million handles.
    """
    return pc.is_in(_arrow(values), value_set=_arrow(among), skip_nulls=True).to_numpy(zero_copy_only=False)


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
    follower, followed = relationships["follower"], relationships["followed"]
    by_s, of_s = (follower == s).fillna(False).to_numpy(bool), (followed == s).fillna(False).to_numpy(bool)
    if not s or not (of_s.any() or by_s.any() or s in set(_known_handles(relationships.iloc[:0], interactions,
                                                                        posts, accounts))):
        raise unknown_account_error(subject, _known_handles(relationships, interactions, posts, accounts))
    roles = accounts[["handle_key", "role"]].dropna(subset=["handle_key"])
    roles = roles[roles["role"].notna()].drop_duplicates("handle_key", keep="last")
    role = roles["role"].astype(str).str.casefold()
    excluded = {s, *roles.loc[role == "school", "handle_key"].tolist()}
    copy_keys = {*roles.loc[role == "copycat", "handle_key"], *(handle_key(c) for c in copycats)} - {s, ""}
    # only the subject's own lists and the copycats' followers count below (a cheap cut of a big table)
    rel = relationships.loc[by_s | of_s | _isin(followed, copy_keys), ["follower", "followed", "position",
                                                                        "followed_at"]]

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
    tags = inter[kind.isin(TAG_KINDS)]
    tag_partner = pd.concat([tags.loc[tags["actor"] == s, "on_account"], tags.loc[tags["on_account"] == s, "actor"]])
    copy_rows = rel[_isin(rel["followed"], copy_keys)].drop_duplicates(["follower", "followed"])

    # --- number every handle that can score: joins and sorts then run on integers
    mine = rel["followed"] == s
    ppl = pd.DataFrame(columns=["person_id", "role", "year_group", "tutor_group", "handles", "handle_key"])
    if people is not None and len(people):
        ppl = people[["person_id", "role", "year_group", "tutor_group", "handles"]].dropna(subset=["handles"])
        ppl = ppl.assign(handle_key=ppl["handles"].str.split(",")).explode("handle_key")
        ppl["handle_key"] = ppl["handle_key"].map(handle_key).astype("string")
    universe, coded = _encode({
        "followers": rel.loc[mine, "follower"], "following": rel.loc[rel["follower"] == s, "followed"],
        "comments": on_s.loc[kind_on_s == "comment", "actor"],
        "reshares": on_s.loc[kind_on_s.isin(RESHARE_KINDS), "actor"], "tagged": tag_partner[tag_partner != s],
        "copycats": copy_rows["follower"], "excluded": pd.Series(sorted(excluded), dtype="string"),
        "people": ppl["handle_key"]})

    # --- follows: followers of the subject (with rank), accounts the subject follows
    fol = rel[mine].assign(follower=coded["followers"])
    fol = fol[fol["follower"] >= 0].groupby("follower", sort=False).agg(
        follower_position=("position", "min"), followed_at=("followed_at", "min"))
    total = len(fol)
    pos = fol["follower_position"].astype("Float64")
    if position_order == "newest_first" and pos.notna().any():
        pos = pos.max() + 1 - pos
    rank_pos = pos.rank(method="min").astype("Float64")  # (pandas gives UInt64 where positions are missing)
    rank_time = fol["followed_at"].rank(method="min") if fol["followed_at"].notna().any() else rank_pos * np.nan
    fol["follower_rank"] = pd.concat([rank_pos, rank_time.astype("Float64")], axis=1).min(axis=1)
    fol["rank_by_time"] = rank_time.astype("Float64").notna() & (rank_time.astype("Float64") <= rank_pos.fillna(np.inf))
    fol["follows_subject"] = True
    following = pd.Index(np.unique(coded["following"]))

    # --- comments, reshares, tags
    comments = on_s[kind_on_s == "comment"].assign(actor=coded["comments"]).merge(subject_posts, on="post_id",
                                                                                 how="left")
    first_ids = set(subject_posts["post_id"].head(FIRST_POSTS))
    n_first = min(len(subject_posts), FIRST_POSTS)
    comments["minutes"] = (comments["at"] - comments["posted_at"]).dt.total_seconds() / 60
    comments["minutes"] = comments["minutes"].where(comments["minutes"] >= 0)
    comments["first"] = comments["post_id"].isin(first_ids)
    com = comments.groupby("actor", sort=False).agg(
        comments=("kind", "size"), quickest_comment_minutes=("minutes", "min"))
    com["early_comments"] = comments[comments["first"]].groupby("actor")["post_id"].nunique()
    reshares = pd.Series(coded["reshares"]).value_counts().rename("reshares")
    tagged = pd.Series(coded["tagged"]).value_counts().rename("tagged")
    copy_n = pd.Series(coded["copycats"]).value_counts().rename("copycats_followed")

    # --- assemble the candidates
    frame = fol.join([com, reshares, tagged], how="outer")
    frame = frame.join(pd.Series(True, index=following, name="followed_by_subject"), how="outer")
    several = copy_n.index[copy_n >= 2]  # following several copycats makes a candidate by itself
    frame = frame.reindex(frame.index.union(several)).join(copy_n, how="left")
    frame = frame[(frame.index >= 0) & ~frame.index.isin(coded["excluded"])]
    frame.index.name = "code"
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
    frame["community"] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    frame["community_mutuals"] = 0
    mutual_codes = frame.index[frame["mutual"].to_numpy(bool)]
    mates: dict[str, list[str]] = {}
    if len(mutual_codes) >= 2:
        pool_codes = score.sort_values(ascending=False, kind="stable").head(COMMUNITY_POOL).index.union(mutual_codes)
        pool = pd.Series(pool_codes, index=universe.take(pa.array(pool_codes.to_numpy())).to_pylist())
        links = relationships.loc[_isin(follower, pool.index) & _isin(followed, pool.index), ["follower", "followed"]]
        links = links.drop_duplicates().astype(object)
        if len(links):
            g = nx.Graph()
            g.add_edges_from(sorted(map(tuple, links.to_numpy().tolist())))
            found = nx.community.louvain_communities(g, seed=seed)
            ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
            comm = pd.Series({n: i for i, c in enumerate(ordered, start=1) for n in c}, dtype="Int64")
            comm = comm[comm.index.isin(pool.index)]  # the pool only: a few thousand at most
            frame["community"] = pd.Series(comm.to_numpy(), index=pool[comm.index].to_numpy()).reindex(frame.index)
            mutual = set(pool[pool.isin(mutual_codes)].index)
            members = comm[comm.index.isin(mutual)].groupby(comm[comm.index.isin(mutual)]).groups
            for key, c in comm.items():
                others = sorted(set(members.get(c, [])) - {key})
                if others:
                    mates[key] = others
            frame["community_mutuals"] = pd.Series({pool[k]: len(v) for k, v in mates.items()}, dtype="int64").reindex(
                frame.index).fillna(0).astype("int64")
    points["community"] = (frame["community_mutuals"] > 0).astype(float) * w["community"]
    score = points.sum(axis=1)

    # --- linked people sharing a tutor/year group with other strong leads
    frame["shared_group_leads"] = 0
    group_mates: dict[str, tuple[str, str, list[str]]] = {}
    ppl = ppl.assign(code=coded["people"])
    ppl = ppl[ppl["code"].isin(frame.index)].drop_duplicates("handle_key").set_index("handle_key")
    if len(ppl):
        strong = ppl[ppl["code"].isin(score.index[score >= STRONG_SCORE])]
        in_group: dict[tuple[str, object], list[tuple[str, object]]] = {}
        for column in ("tutor_group", "year_group"):
            for key, person, value in zip(strong.index, strong["person_id"], strong[column], strict=True):
                in_group.setdefault((column, value), []).append((key, person))
        for key, person, tutor, year in zip(ppl.index, ppl["person_id"], ppl["tutor_group"], ppl["year_group"],
                                            strict=True):
            for column, value in (("tutor_group", tutor), ("year_group", year)):
                if pd.isna(value) or not str(value).strip():
                    continue
                same = sorted(k for k, p in in_group.get((column, value), []) if p != person)
                if same:
                    group_mates[key] = (column, str(value), same)
                    break
        linked = {int(ppl.loc[k, "code"]): v for k, v in group_mates.items()}
        frame["shared_group_leads"] = pd.Series({c: len(v[2]) for c, v in linked.items()}, dtype="int64").reindex(
            frame.index).fillna(0).astype("int64")
        points["group"] = pd.Series({c: w[v[0]] for c, v in linked.items()}, dtype=float).reindex(
            frame.index).fillna(0.0)
    score = points.sum(axis=1)

    # --- order (score, then earliest follower, then handle), cut, explain
    frame["score"] = score.round(2)
    frame["followers_total"] = total
    frame = frame[frame["score"] > 0]
    order = _order(frame["score"].to_numpy(float), frame["follower_rank"].astype("Float64").to_numpy(
        float, na_value=np.inf), frame.index.to_numpy(), universe)
    if top is not None:
        order = order[:max(top, 0)]
    frame = frame.iloc[order]
    by_code = ppl.set_index("code")  # year and tutor group of the accounts linked to a person
    for c in ("year_group", "tutor_group"):
        frame[c] = by_code[c].astype("string").reindex(frame.index).array
    frame.insert(0, "handle_key", pd.array(universe.take(pa.array(frame.index.to_numpy())), dtype="string"))
    frame = frame.reset_index(drop=True)
    frame["rank"] = pd.array(np.arange(1, len(frame) + 1), dtype="Int64")
    frame["handle"] = _shown_handles(accounts, frame["handle_key"])
    copy_rows = copy_rows[copy_rows["follower"].isin(frame.loc[frame["copycats_followed"] > 0, "handle_key"])]
    shown_rows = copy_rows.sort_values("followed")
    copy_lists = shown_rows.groupby("follower")["followed"].agg(list)
    frame["reasons"] = _reasons(frame, s, n_first, total, mates, group_mates, copy_lists)
    for c in ("follower_rank", "follower_position"):
        frame[c] = frame[c].round().astype("Int64")
    frame["quickest_comment_minutes"] = frame["quickest_comment_minutes"].astype("Float64").round(1)
    frame["followers_total"] = frame["followers_total"].astype("Int64")
    return frame[list(COLUMNS)]


def _encode(parts: dict[str, pd.Series]) -> tuple[pa.Array, dict[str, np.ndarray]]:
    """Number the handle keys of all ``parts`` in one pass: (the distinct keys, each part's codes
    into them, -1 for a blank). Joins then run on integers, which is what keeps a
    million-follower list fast."""
    arrays = [_arrow(p) for p in parts.values()]
    encoded = pa.concat_arrays(arrays).dictionary_encode()
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    blank = np.flatnonzero(pc.equal(encoded.dictionary, "").to_numpy(zero_copy_only=False))
    if len(blank):
        codes[codes == blank[0]] = -1
    bounds = np.cumsum([0, *(len(a) for a in arrays)])
    return encoded.dictionary, {name: codes[a:b] for name, a, b in zip(parts, bounds, bounds[1:], strict=False)}


def _order(score: np.ndarray, rank: np.ndarray, codes: np.ndarray, universe: pa.Array) -> np.ndarray:
    """Positions sorting rows by score (high first), follower rank (low first, none last), then
    handle as text. Numbers sort all rows; only rows tied on both are compared as text."""
    order = np.lexsort((rank, -score))
    s, r = score[order], rank[order]
    same = (s[1:] == s[:-1]) & (r[1:] == r[:-1])
    if same.any():
        tied = np.zeros(len(order), dtype=bool)
        tied[1:] |= same
        tied[:-1] |= same
        slots = np.flatnonzero(tied)
        rows = order[slots]
        words = universe.take(pa.array(codes[rows])).to_numpy(zero_copy_only=False)
        order[slots] = rows[np.lexsort((words, rank[rows], -score[rows]))]
    return order


def _shown_handles(accounts: pd.DataFrame, keys: pd.Series) -> pd.Series:
    """The handle as shown for each key (the key itself where no account shows it differently)."""
    handle = accounts["handle"]
    differs = accounts[handle.notna() & accounts["handle_key"].notna() & (handle != accounts["handle_key"])]
    keys = keys.astype("string")
    if not len(differs):
        return keys
    shown = differs.drop_duplicates("handle_key")
    at = pc.index_in(_arrow(keys), value_set=_arrow(shown["handle_key"]))
    found = _arrow(shown["handle"]).take(at)
    return pd.Series(pd.array(found, dtype="string"), index=keys.index).fillna(keys)


def _reasons(frame: pd.DataFrame, s: str, n_first: int, total: int, mates: dict[str, list[str]],
             group_mates: dict[str, tuple[str, str, list[str]]], copy_lists: pd.Series) -> list[list[str]]:
    """One list of sentences per row of ``frame``. At scale nearly every row only follows the
    subject (or is only followed by it): those share one sentence, the rest are written out."""
    rank = frame["follower_rank"].astype("Float64").fillna(np.inf).to_numpy(float)
    plain = ((rank > EARLY_NEAR) & ~frame["mutual"].to_numpy(bool)
             & (frame[["comments", "reshares", "tagged", "copycats_followed", "community_mutuals",
                       "shared_group_leads"]].to_numpy() == 0).all(axis=1))
    follows = frame["follows_subject"].to_numpy(bool).tolist()
    rest = iter(_written_reasons(frame[~plain], s, n_first, total, mates, group_mates, copy_lists))
    a, b = f"Follows @{s}", f"Is followed by @{s}"
    # a million small lists: without the cycle collector rescanning them as they are made (4x faster)
    enabled = gc.isenabled()
    gc.disable()
    try:
        return [([a] if f else [b]) if p else next(rest) for p, f in zip(plain.tolist(), follows, strict=True)]
    finally:
        if enabled:
            gc.enable()


def _written_reasons(frame: pd.DataFrame, s: str, n_first: int, total: int, mates: dict[str, list[str]],
                     group_mates: dict[str, tuple[str, str, list[str]]], copy_lists: pd.Series) -> list[list[str]]:
    out: list[list[str]] = []
    for row in frame.astype(object).itertuples(index=False):
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
        if row.comments:
            text = (f"Commented on {row.early_comments} of its first {n_first} posts" if row.early_comments
                    else f"Commented {_plural(row.comments, 'time')} on its posts")
            if pd.notna(row.quickest_comment_minutes):
                text += f", the quickest within {_minutes(row.quickest_comment_minutes)} of posting"
            r.append(text)
        if row.reshares:
            r.append(f"Reshared, duetted or stitched its posts {_plural(row.reshares, 'time')}")
        if row.tagged:
            r.append(f"Tagged or mentioned together with @{s} {_plural(row.tagged, 'time')}")
        if row.copycats_followed:
            r.append(f"Follows {_plural(row.copycats_followed, 'copycat account')} ({_at(copy_lists.get(key, []))})")
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
