"""The rows of a case's tables that one subject's leads can rest on, read with only the columns they use.

:func:`investigate.leads.rank_leads` reads, of the whole case, only: the subject's own lists (its
followers and the accounts it follows), the lists of the confirmed copycats' followers and of the
targeted people's own accounts, the follows among the accounts the subject follows (mutuals that
follow each other), the subject's posts and what was done on them or by the subject, and the
accounts that have a role or are the subject; the handles of the leads are read once they are known
(:func:`lead_handles`). :func:`lead_tables`
reads exactly these from the case, with the conditions pushed into the Parquet scan
(:meth:`investigate.case.Case.table`'s ``where``), so that a million-account import is never held
whole to rank the accounts around one subject. Every row a lead can rest on is kept, in the order of
the whole table, so the ranking is the same as over the whole tables (``tests/test_lead_rows.py``).
A feature that comes to read other rows says so here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .leads import TABLE_COLUMNS, VICTIM_ROLES, handles_shown, known_roles
from .words import handle_key

if TYPE_CHECKING:
    from .case import Case


def _among(column: str, values: pd.Series | list[str]) -> pc.Expression:
    return pc.field(column).isin(pa.array(pd.unique(pd.Series(values, dtype="string").dropna()), pa.large_string()))


def lead_tables(case: Case, subject: str) -> dict[str, pd.DataFrame]:
    """The tables :func:`investigate.leads.rank_leads` needs for ``subject``, read from ``case`` in one
    snapshot: relationships, interactions, posts, accounts (the columns of
    :data:`investigate.leads.TABLE_COLUMNS`, the rows a lead can rest on), people and events (whole)."""
    s = handle_key(subject)
    f = pc.field
    with case.snapshot():
        people, events = case.table("people"), case.table("events")
        role = f("role")
        marked = (role.is_valid() & (role != "unknown")) | (f("handle_key") == s)  # known roles, the subject
        keys = case.table("accounts", columns=["handle_key"], where=marked)["handle_key"]
        accounts = case.table("accounts", columns=TABLE_COLUMNS["accounts"], where=_among("handle_key", keys))
        known = known_roles(accounts, people, subject=s)
        copycats = known.loc[known["role"] == "copycat", "handle_key"]
        personal = known.loc[known["role"].isin(VICTIM_ROLES), "handle_key"]

        follower, followed = f("follower"), f("followed")
        following = case.table("relationships", columns=["followed"], where=follower == s)["followed"]
        rows = (follower == s) | (followed == s)
        if len(copycats):
            rows |= _among("followed", copycats)
        if len(personal):
            rows |= _among("follower", personal) | _among("followed", personal)
        if len(following):  # the mutuals are among these: follows between them make a group
            rows |= _among("follower", following) & _among("followed", following)
        relationships = case.table("relationships", columns=TABLE_COLUMNS["relationships"], where=rows)

        own = case.table("posts", columns=["post_id"], where=f("account") == s)["post_id"]
        posts = case.table("posts", columns=TABLE_COLUMNS["posts"],
                           where=(f("account") == s) | _among("post_id", own))  # every author of those post ids
        on_account = f("on_account")
        blank = on_account.is_null() | (on_account == "")  # its account is read from the post's author
        interactions = case.table("interactions", columns=TABLE_COLUMNS["interactions"],
                                  where=(f("actor") == s) | (on_account == s) | (blank & _among("post_id", own)))
    return {"relationships": relationships, "interactions": interactions, "posts": posts, "accounts": accounts,
            "people": people, "events": events}


def lead_handles(case: Case, keys: pd.Series) -> pd.Series:
    """The handle as shown of each of ``keys`` (the leads ranked), as :func:`investigate.leads.rank_leads`
    shows it over the whole accounts table: read for these keys only."""
    accounts = case.table("accounts", columns=["handle", "handle_key"], where=_among("handle_key", keys))
    return handles_shown(accounts, keys)  # the leads' own rule, over the accounts of the leads kept
