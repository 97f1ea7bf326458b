"""Follower overlap and the account graph: mutuals, overlap matrices, UpSet sets, communities.

Frames in (the canonical ``relationships`` and ``interactions`` tables, handles as handle_keys),
frames or a new networkx graph out; inputs are never changed. Vectorised for lists of millions of rows.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Literal

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .words import handle_key

log = logging.getLogger("investigate")

ListKind = Literal["followers", "following"]
SPRING_MAX = 400  # networkx's spring layout needs scipy above ~500 nodes; groups are laid out apart beyond


def _keys(accounts: str | Sequence[str]) -> list[str]:
    items = [accounts] if isinstance(accounts, str) else list(accounts)
    return list(dict.fromkeys(handle_key(a) for a in items if handle_key(a)))


def _arrow(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    """A column as Arrow (no copy for the canonical Arrow-backed strings): scans of millions of
    handles in Arrow compute take a fraction of pandas' comparisons and joins on strings."""
    return pa.array(values.array, from_pandas=True)


def _edges(relationships: pd.DataFrame) -> pd.DataFrame:
    """follower/followed as plain object columns (faster isin/merge), blanks dropped."""
    rel = relationships[["follower", "followed"]]
    return rel[rel["follower"].notna() & rel["followed"].notna()]


def mutuals(relationships: pd.DataFrame, account: str) -> pd.DataFrame:
    """Accounts on both the followers and the following list of ``account``.

    In: relationships (follower -> followed). Out: columns handle_key, follower_position (its place
    in the account's followers list), following_position (its place in the account's following
    list), followed_at (earliest known time it followed the account); sorted by follower_position.

    >>> rel = pd.DataFrame({"follower": ["a", "b", "x", "x"], "followed": ["x", "x", "a", "c"],
    ...                     "position": [1, 2, 1, 2], "followed_at": pd.NaT})
    >>> mutuals(rel, "@X")["handle_key"].tolist()
    ['a']
    """
    key = handle_key(account)
    cols = [c for c in ("follower", "followed", "position", "followed_at") if c in relationships.columns]
    rel = pa.table({c: _arrow(relationships[c]) for c in cols})  # no copy; rows picked in Arrow
    following = rel.filter(pc.fill_null(pc.equal(rel["follower"], key), False)).to_pandas()
    # a mutual must be on the account's (short) following list: pick its followers among those only
    followed_back = pa.array(following["followed"].dropna().unique().tolist(), rel["follower"].type)
    followers = rel.filter(pc.fill_null(pc.and_(pc.equal(rel["followed"], key),
                                                pc.is_in(rel["follower"], value_set=followed_back)), False)).to_pandas()
    fpos = followers.groupby("follower", sort=False).agg(
        follower_position=("position", "min") if "position" in cols else ("followed", "size"),
        followed_at=("followed_at", "min") if "followed_at" in cols else ("followed", "size"),
    )
    gpos = following.groupby("followed", sort=False).agg(
        following_position=("position", "min") if "position" in cols else ("follower", "size"))
    out = fpos.join(gpos, how="inner")
    out.index.name = "handle_key"
    out = out.reset_index()
    out = out[out["handle_key"] != key]
    out["handle_key"] = out["handle_key"].astype("string")
    for c in ("follower_position", "following_position"):
        out[c] = out[c].astype("Int64")
    if "followed_at" not in cols:
        out["followed_at"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns, UTC]")
    out = out.sort_values(["follower_position", "handle_key"], na_position="last", kind="stable")
    return out[["handle_key", "follower_position", "following_position", "followed_at"]].reset_index(drop=True)


def _membership(relationships: pd.DataFrame, accounts: list[str], list_kind: ListKind
                ) -> tuple[np.ndarray, pd.Index]:
    """Boolean matrix (member x account): is this member on the list of that account."""
    owner, member = ("followed", "follower") if list_kind == "followers" else ("follower", "followed")
    owners, members = _arrow(relationships[owner]), _arrow(relationships[member])
    keep = pc.and_(pc.is_in(owners, value_set=pa.array(accounts, pa.string())), pc.is_valid(members))
    owners, members = pc.filter(owners, keep), pc.filter(members, keep)
    owner_codes = np.asarray(pc.index_in(owners, value_set=pa.array(accounts, pa.string())))
    encoded = pc.dictionary_encode(members.combine_chunks() if isinstance(members, pa.ChunkedArray) else members)
    matrix = np.zeros((len(encoded.dictionary), len(accounts)), dtype=bool)
    matrix[np.asarray(encoded.indices), owner_codes] = True
    return matrix, pd.Index(encoded.dictionary.to_pandas(), dtype="string")


def overlap_matrix(relationships: pd.DataFrame, accounts: Sequence[str], *,
                   list: ListKind = "followers") -> pd.DataFrame:  # noqa: A002 - the documented name
    """How much the followers (or following) lists of several accounts overlap.

    In: relationships and the accounts to compare. Out: one row per ordered pair (diagonal
    included) with columns account_a, account_b, size_a, size_b, shared, jaccard (shared / union).
    Pivot for a square matrix: ``df.pivot(index="account_a", columns="account_b", values="jaccard")``.

    >>> rel = pd.DataFrame({"follower": ["p", "q", "r", "p"], "followed": ["a", "a", "a", "b"]})
    >>> m = overlap_matrix(rel, ["a", "b"])
    >>> m[(m.account_a == "a") & (m.account_b == "b")][["shared", "jaccard"]].values.tolist()
    [[1, 0.3333333333333333]]
    """
    keys = _keys(accounts)
    matrix, _ = _membership(relationships, keys, list)
    as_float = matrix.astype(np.float32)
    shared = np.rint(as_float.T @ as_float).astype(np.int64)  # exact below 2**24 members
    sizes = np.diag(shared)
    union = sizes[:, None] + sizes[None, :] - shared
    with np.errstate(invalid="ignore", divide="ignore"):
        jaccard = np.where(union > 0, shared / np.maximum(union, 1), 0.0)
    k = len(keys)
    a_idx, b_idx = np.repeat(np.arange(k), k), np.tile(np.arange(k), k)
    return pd.DataFrame({
        "account_a": pd.array([keys[i] for i in a_idx], dtype="string"),
        "account_b": pd.array([keys[i] for i in b_idx], dtype="string"),
        "size_a": pd.array(sizes[a_idx], dtype="Int64"),
        "size_b": pd.array(sizes[b_idx], dtype="Int64"),
        "shared": pd.array(shared[a_idx, b_idx], dtype="Int64"),
        "jaccard": jaccard[a_idx, b_idx].astype(float),
    })


def set_combinations(relationships: pd.DataFrame, accounts: Sequence[str], *,
                     list: ListKind = "followers") -> pd.DataFrame:  # noqa: A002
    """Exclusive set combinations for an UpSet-style figure.

    Out: one row per combination that occurs: a bool column per account (is the member on that
    account's list), ``degree`` (how many of the lists) and ``count`` (members with exactly that
    combination); sorted by count, largest first.

    >>> rel = pd.DataFrame({"follower": ["p", "q", "p"], "followed": ["a", "a", "b"]})
    >>> set_combinations(rel, ["a", "b"]).values.tolist()
    [[True, False, 1, 1], [True, True, 2, 1]]
    """
    keys = _keys(accounts)
    matrix, _ = _membership(relationships, keys, list)
    if len(keys) > 62:
        raise ValueError("An UpSet figure can compare at most 62 accounts at once.")
    weights = (1 << np.arange(len(keys), dtype=np.int64))
    codes = matrix.astype(np.int64) @ weights
    counts = pd.Series(codes).value_counts()
    counts = counts[counts.index > 0]
    out = pd.DataFrame({k: (counts.index.to_numpy() & (1 << i)) > 0 for i, k in enumerate(keys)})
    out["degree"] = out[keys].sum(axis=1).astype("Int64")
    out["count"] = pd.array(counts.to_numpy(), dtype="Int64")
    return out.sort_values(["count", "degree"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _interaction_edges(interactions: pd.DataFrame, posts: pd.DataFrame | None) -> pd.DataFrame:
    """actor -> account acted on, filling a blank on_account from the post's author."""
    inter = interactions[["actor", "kind", "on_account", "post_id"]].copy()
    if posts is not None and len(posts) and inter["on_account"].isna().any():
        authors = posts[["post_id", "account"]].dropna().drop_duplicates("post_id")
        inter = inter.merge(authors, on="post_id", how="left")
        inter["on_account"] = inter["on_account"].fillna(inter["account"])
    inter = inter[inter["actor"].notna() & inter["on_account"].notna() & (inter["actor"] != inter["on_account"])]
    return inter.rename(columns={"actor": "source", "on_account": "target"})[["source", "target", "kind"]]


def _all_edges(relationships: pd.DataFrame, interactions: pd.DataFrame | None,
               posts: pd.DataFrame | None) -> pd.DataFrame:
    """source, target, kind: every follow ("follows") and every interaction, blanks dropped."""
    edges = _edges(relationships).rename(columns={"follower": "source", "followed": "target"})
    edges = edges.assign(kind="follows")
    if interactions is not None and len(interactions):
        edges = pd.concat([edges, _interaction_edges(interactions, posts)], ignore_index=True)
    return edges


def _among(edges: pd.DataFrame, keys: Collection[str]) -> pd.DataFrame:
    """The edges whose two ends are both among ``keys`` (picked in Arrow: quick for a million keys)."""
    wanted = pa.array(list(dict.fromkeys(map(str, keys))), pa.string())
    keep = pc.and_(pc.is_in(_arrow(edges["source"].astype("string")), value_set=wanted),
                   pc.is_in(_arrow(edges["target"].astype("string")), value_set=wanted))
    return edges[np.asarray(pc.fill_null(keep, False), dtype=bool)]


def _chunks(values: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    return list(values.chunks) if isinstance(values, pa.ChunkedArray) else [values]


def _hop_keys(edges: pd.DataFrame, focus: str | Sequence[str], hops: int) -> list[pa.Array]:
    """The accounts first reached at each hop from ``focus`` (hop 0: the focus), each in the order they first
    appear (its links' sources, then their targets); found in Arrow, so a million links pass no Python loop."""
    frontier = seen = pa.array(_keys(focus), pa.string())
    found = [frontier]
    if hops < 1 or not len(edges):
        return found
    source, target = _arrow(edges["source"].astype("string")), _arrow(edges["target"].astype("string"))
    for _ in range(hops):
        touching = pc.fill_null(pc.or_(pc.is_in(source, value_set=frontier), pc.is_in(target, value_set=frontier)),
                                False)
        ends = pa.chunked_array([*_chunks(pc.filter(source, touching)), *_chunks(pc.filter(target, touching))],
                                source.type)
        ends = pc.unique(ends).cast(pa.string())  # in the order each first appears, as pandas' unique
        frontier = pc.filter(ends, pc.invert(pc.is_in(ends, value_set=seen)))
        found.append(frontier)
        seen = pa.concat_arrays([seen, frontier])
    return found


def _hops(edges: pd.DataFrame, focus: str | Sequence[str], hops: int) -> dict[str, int]:
    hop_of: dict[str, int] = {}
    for hop, keys in enumerate(_hop_keys(edges, focus, hops)):
        hop_of.update(dict.fromkeys(keys.to_pylist(), hop))
    return hop_of


def within(relationships: pd.DataFrame, interactions: pd.DataFrame | None = None, *,
           focus: str | Sequence[str], hops: int = 1, posts: pd.DataFrame | None = None) -> pa.Array:
    """The keys of :func:`neighbourhood`, in its order, as one Arrow array: for counting the accounts around
    the focus, or asking which of a few are among them, without a Python object per account.

    >>> rel = pd.DataFrame({"follower": ["a", "b", "c"], "followed": ["x", "a", "b"]})
    >>> within(rel, focus="x", hops=2).to_pylist()
    ['x', 'a', 'b']
    """
    return pa.concat_arrays(_hop_keys(_all_edges(relationships, interactions, posts), focus, hops))


def neighbourhood(relationships: pd.DataFrame, interactions: pd.DataFrame | None = None, *,
                  focus: str | Sequence[str], hops: int = 1, posts: pd.DataFrame | None = None) -> dict[str, int]:
    """The accounts within ``hops`` links of the focus accounts (either direction): handle_key -> hop.

    The nodes :func:`build_graph` would draw, found without building the graph (quick on a list of
    a million): count them first, then pick ``nodes`` for a readable figure.

    >>> rel = pd.DataFrame({"follower": ["a", "b", "c"], "followed": ["x", "a", "b"]})
    >>> neighbourhood(rel, focus="x", hops=2)
    {'x': 0, 'a': 1, 'b': 2}
    """
    return _hops(_all_edges(relationships, interactions, posts), focus, hops)


def build_graph(relationships: pd.DataFrame, interactions: pd.DataFrame | None = None, *,
                focus: str | Sequence[str] | None = None, hops: int = 1,
                posts: pd.DataFrame | None = None, nodes: Collection[str] | None = None) -> nx.DiGraph:
    """A new directed graph of accounts: follows and interactions, around ``focus`` by default.

    In: relationships, optionally interactions (and posts, to find the author of a post a comment
    names). With ``focus``, the graph holds the accounts within ``hops`` links of the focus accounts
    (either direction) and every link among them; with ``focus=None``, everything. ``nodes`` keeps
    only those accounts (and the focus) of the ones found. Edges carry ``kinds`` (sorted list such
    as ["comment", "follows"]) and ``weight`` (number of links); nodes carry ``hop`` (0 for the
    focus) when a focus is given. The inputs are not changed.

    >>> rel = pd.DataFrame({"follower": ["a", "b", "c"], "followed": ["x", "a", "b"]})
    >>> sorted(build_graph(rel, focus="x").nodes)
    ['a', 'x']
    """
    edges = _all_edges(relationships, interactions, posts)
    if nodes is not None and (focus is None or hops <= 1):
        # one hop: a kept account is found by a link to the focus, which is among the kept ones too;
        # so only links among them are read, however long the lists are
        edges = _among(edges, [*nodes, *(_keys(focus) if focus is not None else [])])
    hop_of: dict[str, int] = {}
    if focus is not None:
        hop_of = _hops(edges, focus, hops)
        if nodes is not None:
            wanted = set(nodes)
            hop_of = {n: h for n, h in hop_of.items() if h == 0 or n in wanted}
        edges = _among(edges, list(hop_of))
    edges = edges.astype({"source": object, "target": object, "kind": object})
    weights = edges.groupby(["source", "target"], sort=True).size()
    kinds = edges.drop_duplicates().sort_values(["source", "target", "kind"])  # kinds per pair, in one pass
    kinds_of = {pair: [kind for _, _, kind in group] for pair, group in
                groupby(zip(kinds["source"], kinds["target"], kinds["kind"], strict=True), key=itemgetter(0, 1))}
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(hop_of))
    graph.add_edges_from((source, target, {"weight": int(weight), "kinds": kinds_of[(source, target)]})
                         for (source, target), weight in weights.items())
    if hop_of:
        nx.set_node_attributes(graph, hop_of, "hop")
    return graph


def communities(graph: nx.Graph, *, method: Literal["louvain", "greedy"] = "louvain",
                seed: int = 7) -> pd.DataFrame:
    """Groups of accounts more linked to each other than to the rest (deterministic for a seed).

    Out: columns handle_key, community (1 = largest), size. Uses the undirected, weighted graph.

    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")])
    >>> communities(g).groupby("community")["handle_key"].apply(list).tolist()
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    undirected = _undirected(graph)
    if undirected.number_of_nodes() == 0:
        return pd.DataFrame({"handle_key": pd.Series(dtype="string"), "community": pd.Series(dtype="Int64"),
                             "size": pd.Series(dtype="Int64")})
    if method == "louvain":
        found = nx.community.louvain_communities(undirected, weight="weight", seed=seed)
    else:
        found = nx.community.greedy_modularity_communities(undirected, weight="weight")
    ordered = sorted((sorted(map(str, c)) for c in found), key=lambda c: (-len(c), c[0]))
    rows = [(node, n, len(c)) for n, c in enumerate(ordered, start=1) for node in c]
    out = pd.DataFrame(rows, columns=["handle_key", "community", "size"])
    return out.astype({"handle_key": "string", "community": "Int64", "size": "Int64"})


def _undirected(graph: nx.Graph) -> nx.Graph:
    undirected = nx.Graph()
    undirected.add_nodes_from(graph.nodes)
    for u, v, data in graph.edges(data=True):
        w = data.get("weight", 1)
        if undirected.has_edge(u, v):
            undirected[u][v]["weight"] += w
        else:
            undirected.add_edge(u, v, weight=w)
    return undirected


def centrality(graph: nx.DiGraph, *, seed: int = 7, sample_above: int = 2000) -> pd.DataFrame:
    """How central each account is. Out: handle_key, in_degree, out_degree, degree_centrality,
    betweenness (sampled over ``sample_above`` nodes when the graph is larger, seeded); sorted by
    degree_centrality.

    >>> centrality(nx.DiGraph([("a", "x"), ("b", "x")]))["handle_key"].iloc[0]
    'x'
    """
    n = graph.number_of_nodes()
    if n == 0:
        return pd.DataFrame(columns=["handle_key", "in_degree", "out_degree", "degree_centrality", "betweenness"])
    k = sample_above if n > sample_above else None
    between = nx.betweenness_centrality(graph.to_undirected(as_view=True), k=k, seed=seed)
    degree = nx.degree_centrality(graph)
    nodes = list(graph.nodes)
    out = pd.DataFrame({
        "handle_key": pd.array([str(x) for x in nodes], dtype="string"),
        "in_degree": pd.array([graph.in_degree(x) if graph.is_directed() else graph.degree(x) for x in nodes],
                              dtype="Int64"),
        "out_degree": pd.array([graph.out_degree(x) if graph.is_directed() else graph.degree(x) for x in nodes],
                               dtype="Int64"),
        "degree_centrality": [degree[x] for x in nodes],
        "betweenness": [between[x] for x in nodes],
    })
    return out.sort_values(["degree_centrality", "handle_key"], ascending=[False, True]).reset_index(drop=True)


def graph_layout(graph: nx.Graph, *, seed: int = 7, iterations: int = 50) -> pd.DataFrame:
    """Node positions for drawing (computed apart from drawing, seeded so it is repeatable).

    Out: columns handle_key, x, y. A spring layout for small graphs; from ``SPRING_MAX`` nodes, the
    graph's groups (label propagation) are laid out one by one (spring layout inside each small
    group) and placed on a spiral, largest first, so big graphs stay quick and readable.

    >>> graph_layout(nx.path_graph(3)).shape
    (3, 3)
    """
    n = graph.number_of_nodes()
    if n == 0:
        return pd.DataFrame({"handle_key": pd.Series(dtype="string"), "x": pd.Series(dtype=float),
                             "y": pd.Series(dtype=float)})
    undirected = _undirected(graph)
    if n <= SPRING_MAX:
        pos = nx.spring_layout(undirected, seed=seed, iterations=iterations)
    else:
        rng = np.random.default_rng(seed)
        groups = nx.community.label_propagation_communities(undirected)  # fast and deterministic
        ordered = sorted((sorted(c, key=str) for c in groups), key=lambda c: (-len(c), str(c[0])))
        pos = {}
        placed = 0.0
        for i, members in enumerate(ordered):
            size = len(members)
            radius = np.sqrt(size / n) * 1.5
            if 8 <= size <= SPRING_MAX:
                inner = nx.spring_layout(undirected.subgraph(members), seed=seed, iterations=iterations)
                local = np.array([inner[m] for m in members], dtype=float)
            else:
                local = rng.normal(scale=0.5, size=(size, 2))
            # golden-angle spiral: each group goes a little further out than the ones before it
            placed += size
            r, angle = 2.0 * np.sqrt(placed / n) if i else 0.0, i * 2.399963
            centre = np.array([r * np.cos(angle), r * np.sin(angle)])
            for m, xy in zip(members, local * radius + centre, strict=True):
                pos[m] = xy
    nodes = list(graph.nodes)
    xy = np.array([pos[x] for x in nodes], dtype=float)
    return pd.DataFrame({"handle_key": pd.array([str(x) for x in nodes], dtype="string"),
                         "x": xy[:, 0], "y": xy[:, 1]})
