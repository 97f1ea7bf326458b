"""One subject overview: mutuals, lookalikes, list overlap (matrix and UpSet data), the graph and the leads.

Notebook 03 and the report both show :func:`subject_overview`'s result and compute nothing of their
own, so that they always show the same numbers. Pure: frames in, a :class:`SubjectOverview` out.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Final

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import network
from .errors import InvestigateError
from .handles import describe_difference, lookalike_candidates, lookalikes
from .leads import AROUND_COLUMNS, accounts_around, rank_leads
from .words import handle_key

log = logging.getLogger("investigate")

#: at most this many accounts are drawn in the graph (the subject, its lookalikes, mutuals, top leads).
MAX_GRAPH_NODES: Final = 300
#: at most this many lists are compared in the UpSet figure.
MAX_UPSET_LISTS: Final = 12
#: how many of the top leads are named in the graph.
LABELLED_LEADS: Final = 3


@dataclass(frozen=True)
class SubjectOverview:
    """Everything known around one subject account (handle keys throughout).

    ``compared``: the subject first, then its lookalikes/copycats (the lists the matrix and UpSet
    compare). ``lookalikes``: handle, handle_key, role, how (as found by :mod:`investigate.handles`,
    or "marked as a copycat") and difference (spelled out, e.g. "Cyrillic е in place of e").
    ``leads``: :func:`investigate.leads.rank_leads`'s frame (all leads, best first; empty when the
    case holds nothing around the subject). ``graph``: at most :data:`MAX_GRAPH_NODES` accounts;
    ``graph_total`` how many the full graph held. ``groups``: handle_key -> what the graph colours
    it by ("subject", "lookalike", "top lead", "on both lists", "other"). ``around``: the accounts
    around the subject whose role is known (:func:`investigate.leads.accounts_around`: copycats,
    the school, staff, targets, the DSL's monitoring account...), shown apart as context, never leads.
    """

    subject: str
    compared: list[str]
    mutuals: pd.DataFrame
    lookalikes: pd.DataFrame
    matrix: pd.DataFrame
    combinations: pd.DataFrame
    leads: pd.DataFrame
    graph: nx.DiGraph
    graph_total: int
    groups: dict[str, str]
    around: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(AROUND_COLUMNS)))

    @property
    def numbers(self) -> dict[str, int]:
        """The headline counts any view of the overview shows."""
        return {"mutuals": len(self.mutuals), "lookalikes": len(self.lookalikes), "leads": len(self.leads),
                "graph accounts": self.graph.number_of_nodes(), "lists compared": len(self.compared)}


def find_lookalikes(accounts: pd.DataFrame, subject: str) -> pd.DataFrame:
    """Accounts whose handle imitates the subject's, and accounts marked as copycats.

    Out: handle, handle_key, role, how, difference; closest first (then marked copycats).

    >>> acc = pd.DataFrame({"handle": ["head.teach", "head.teach_", "zed"], "handle_key": ["head.teach",
    ...                     "head.teach_", "zed"], "role": ["subject", "unknown", "copycat"]})
    >>> find_lookalikes(acc, "head.teach")[["handle_key", "how", "difference"]].values.tolist()[0]
    ['head.teach_', 'looks the same', 'an underscore added at the end']
    >>> find_lookalikes(acc, "head.teach")["how"].tolist()[1]
    'marked as a copycat'
    """
    key = handle_key(subject)
    acc = _lookalike_rows(accounts, key)
    acc = acc.dropna(subset=["handle_key"]).drop_duplicates("handle_key")
    shown = pd.Series(acc["handle"].astype("string").fillna(acc["handle_key"]).to_numpy(),
                      index=acc["handle_key"].astype(str).to_numpy())
    target = str(shown.get(key, key))
    found = lookalikes(shown.tolist(), [target])
    found = found.assign(handle_key=found["handle"].map(handle_key).astype("string"))
    role = pd.Series(acc["role"].astype("string").to_numpy(), index=shown.index)
    marked = role[role.str.casefold().eq("copycat").fillna(False)].index.difference(found["handle_key"].tolist())
    extra = pd.DataFrame({"handle": shown.loc[marked].astype(str).tolist(), "handle_key": list(marked),
                          "how": "marked as a copycat"})
    out = pd.concat([found[["handle", "handle_key", "how"]], extra], ignore_index=True)
    out = out[out["handle_key"] != key].drop_duplicates("handle_key").reset_index(drop=True)
    out["role"] = out["handle_key"].map(role).astype("string")
    out["difference"] = [describe_difference(h, target) for h in out["handle"]]
    return out[["handle", "handle_key", "role", "how", "difference"]].astype("string")


def ranked_leads(relationships: pd.DataFrame, interactions: pd.DataFrame, posts: pd.DataFrame,
                 accounts: pd.DataFrame, people: pd.DataFrame | None = None, *, subject: str, zone: str = "UTC",
                 events: pd.DataFrame | None = None) -> pd.DataFrame:
    """The overview's leads: :func:`investigate.leads.rank_leads`, or no lead (an empty frame) when the case
    holds nothing around the subject yet."""
    try:
        return rank_leads(relationships, interactions, posts, accounts, people, subject=subject, zone=zone,
                          events=events)
    except InvestigateError as exc:  # nothing around the subject in the case yet
        log.info("overview: no leads for %s: %s", subject, exc)
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ("rank", "handle", "handle_key", "score",
                                                                  "reasons")})


def _lookalike_rows(accounts: pd.DataFrame, key: str) -> pd.DataFrame:
    """The rows of ``accounts`` :func:`find_lookalikes` can rest on: every row of the subject's key, of a key
    marked as a copycat and of a key one of whose handles as shown could imitate the subject's
    (:func:`investigate.handles.lookalike_candidates`, in Arrow), in their order; the rest cannot change
    what it finds, so a million accounts are judged in bulk first."""
    keys = accounts["handle_key"].astype("string")
    handles = accounts["handle"].astype("string").fillna(keys)
    is_key = keys.eq(key).fillna(False)
    target = str(handles[is_key].iloc[0]) if is_key.any() else key  # the first row's handle, as shown
    near = np.asarray(lookalike_candidates(pa.array(handles.array, pa.string()), target), dtype=bool)
    near |= is_key.to_numpy(dtype=bool) | accounts["role"].astype("string").str.casefold().eq("copycat").fillna(
        False).to_numpy(dtype=bool)
    kept = pd.unique(keys[near].dropna())
    return accounts[keys.isin(kept).fillna(False).to_numpy(dtype=bool)]


def subject_overview(relationships: pd.DataFrame, interactions: pd.DataFrame, posts: pd.DataFrame,
                     accounts: pd.DataFrame, people: pd.DataFrame | None = None, *, subject: str,
                     max_graph_nodes: int = MAX_GRAPH_NODES, zone: str = "UTC",
                     events: pd.DataFrame | None = None, lookalikes: pd.DataFrame | None = None,
                     leads: pd.DataFrame | None = None, around: pd.DataFrame | None = None) -> SubjectOverview:
    """Mutuals, lookalikes, list overlap, the graph and the ranked leads of one subject account.

    In: the canonical relationships, interactions, posts, accounts (and people) frames. The
    matrix and the UpSet combinations compare the followers lists of the subject and its
    lookalikes (:func:`find_lookalikes`); the leads count only the copycats the analyst confirmed
    (role ``copycat``), as :func:`investigate.leads.rank_leads` does; times in their reasons are
    shown in ``zone`` (the case's); ``events`` (the chronology) tells the leads when the school warned.
    Accounts with a known role are never leads: they are in ``around``. ``lookalikes``: what
    ``find_lookalikes(accounts, subject)`` returned, when the caller has it already (the case view);
    ``leads`` and ``around`` likewise: what ``rank_leads`` and ``accounts_around`` return over these tables
    (the case view ranks over the rows the leads rest on, :mod:`investigate.lead_rows`: the same frames).
    """
    key = handle_key(subject)
    found = find_lookalikes(accounts, key) if lookalikes is None else lookalikes
    compared = [key, *found["handle_key"].astype(str)]
    mutual = network.mutuals(relationships, key)
    if leads is None:
        leads = ranked_leads(relationships, interactions, posts, accounts, people, subject=key, zone=zone,
                             events=events)
    if around is None:
        around = accounts_around(relationships, interactions, posts, accounts, people, subject=key)
    matrix = network.overlap_matrix(relationships, compared)
    combinations = network.set_combinations(relationships, compared[:MAX_UPSET_LISTS])
    # the accounts the full graph would hold, counted without building it; only the drawn ones are built
    reach = network.within(relationships, interactions, focus=compared, posts=posts)
    top = leads["handle_key"].astype(str).head(LABELLED_LEADS).tolist()
    groups = dict.fromkeys(mutual["handle_key"].astype(str), "on both lists")
    groups.update(dict.fromkeys(top, "top lead"))
    groups.update(dict.fromkeys(compared[1:], "lookalike"))
    groups[key] = "subject"
    drawn: Collection[str]
    if len(reach) > max_graph_nodes:
        wanted = list(dict.fromkeys([*compared, *top, *mutual["handle_key"].astype(str),
                                     *leads["handle_key"].astype(str)]))
        inside = pc.is_in(pa.array(wanted, pa.string()), value_set=reach).to_pylist()
        drawn = [n for n, ok in zip(wanted, inside, strict=True) if ok][:max_graph_nodes]
    else:
        drawn = reach.to_pylist()
    graph = network.build_graph(relationships, interactions, focus=compared, posts=posts, nodes=drawn)
    groups = {n: groups.get(n, "other") for n in map(str, graph.nodes)}
    return SubjectOverview(subject=key, compared=compared, mutuals=mutual, lookalikes=found, matrix=matrix,
                           combinations=combinations, leads=leads, graph=graph,
                           graph_total=len(reach), groups=groups, around=around)
