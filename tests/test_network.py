"""Mutuals, overlap, UpSet sets, the account graph, communities and centrality."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from investigate.network import (
    build_graph,
    centrality,
    communities,
    mutuals,
    overlap_matrix,
    set_combinations,
)
from investigate.schema import validate


def _rel() -> pd.DataFrame:
    rows = [("zeph", "fake", 3), ("bram", "fake", 1), ("odile", "fake", 2), ("fake", "zeph", 2), ("fake", "odile", 1),
            ("fake", "popstar", 3), ("zeph", "copy", 1), ("bram", "copy", 2), ("kit", "copy", 3),
            ("zeph", "bram", 1), ("bram", "zeph", 1), ("kit", "far", 1), ("far", "farther", 1)]
    return validate(pd.DataFrame(rows, columns=["follower", "followed", "position"]).assign(platform="tiktok"),
                    "relationships")


def test_mutuals_with_positions() -> None:
    rel = _rel()
    before = rel.copy()
    m = mutuals(rel, "@Fake")
    assert m["handle_key"].tolist() == ["odile", "zeph"]  # ordered by place in the followers list
    assert m["follower_position"].tolist() == [2, 3] and m["following_position"].tolist() == [1, 2]
    assert rel.equals(before)


def test_overlap_counts_and_jaccard() -> None:
    o = overlap_matrix(_rel(), ["fake", "copy"]).set_index(["account_a", "account_b"])
    assert o.loc[("fake", "copy"), "shared"] == 2  # zeph, bram
    assert o.loc[("fake", "copy"), "jaccard"] == 0.5  # 2 of {zeph, bram, odile, kit}
    assert o.loc[("fake", "fake"), "shared"] == 3 and o.loc[("copy", "copy"), "size_a"] == 3
    following = overlap_matrix(_rel(), ["zeph", "bram"], list="following").set_index(["account_a", "account_b"])
    assert following.loc[("zeph", "bram"), "shared"] == 2  # both follow fake and copy


def test_set_combinations() -> None:
    s = set_combinations(_rel(), ["fake", "copy"])
    as_rows = {(r.fake, r.copy): r.count for r in s.itertuples()}
    assert as_rows == {(True, True): 2, (True, False): 1, (False, True): 1}
    assert s["count"].tolist() == [2, 1, 1]


def test_graph_is_the_relevant_subgraph_and_inputs_stay_unchanged() -> None:
    rel = _rel()
    inter = validate(pd.DataFrame({"platform": "tiktok", "actor": ["kit"], "kind": ["comment"], "on_account": [None],
                                   "post_id": ["p1"]}), "interactions")
    posts = validate(pd.DataFrame({"platform": "tiktok", "account": ["fake"], "post_id": ["p1"]}), "posts")
    g = build_graph(rel, inter, focus="fake", posts=posts)
    assert set(g.nodes) == {"fake", "zeph", "bram", "odile", "popstar", "kit"}
    assert g.nodes["fake"]["hop"] == 0 and g.nodes["kit"]["hop"] == 1
    assert g.edges["kit", "fake"]["kinds"] == ["comment"]  # found through the post's author
    assert g.edges["zeph", "bram"]["kinds"] == ["follows"]
    assert "far" not in g  # two hops away
    assert "far" in build_graph(rel, inter, focus="fake", hops=2, posts=posts)
    assert inter["on_account"].isna().all()
    assert build_graph(rel).number_of_nodes() == 9


def test_communities_are_deterministic_and_centrality() -> None:
    g = nx.DiGraph()
    g.add_edges_from([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"), ("z", "x"), ("c", "x")])
    first = communities(g, seed=3)
    assert first.equals(communities(g, seed=3))
    groups = first.groupby("community")["handle_key"].apply(sorted).tolist()
    assert groups == [["a", "b", "c"], ["x", "y", "z"]]
    assert communities(g, method="greedy").groupby("community")["handle_key"].apply(sorted).tolist() == groups
    c = centrality(g).set_index("handle_key")
    assert c.loc["c", "betweenness"] > c.loc["a", "betweenness"]
    assert c.loc["x", "in_degree"] == 2


def test_overlap_of_a_million_rows_counts_every_member() -> None:
    rng = np.random.default_rng(2)
    n = 1_000_000
    owners = np.array(["fake", "copy.one", "copy.two", "copy.three", "copy.four"])
    rel = pd.DataFrame({"follower": pd.array([f"u{i}" for i in rng.integers(0, 400_000, n)], dtype="string"),
                        "followed": pd.array(owners[rng.integers(0, 5, n)], dtype="string")})
    o = overlap_matrix(rel, list(owners))
    sets = set_combinations(rel, list(owners))
    assert int(sets["count"].sum()) == rel["follower"].nunique()
    assert (o["shared"] <= o[["size_a", "size_b"]].min(axis=1)).all()
    lists = {k: set(rel.loc[rel["followed"] == k, "follower"]) for k in ("fake", "copy.one")}
    pair = o[(o["account_a"] == "fake") & (o["account_b"] == "copy.one")].iloc[0]
    assert pair["shared"] == len(lists["fake"] & lists["copy.one"])
    assert pair["size_a"] == len(lists["fake"]) and pair["size_b"] == len(lists["copy.one"])


def test_blanks_and_plain_object_columns_give_the_same_answers() -> None:
    rel = pd.DataFrame({"follower": pd.Series(["a", "b", "x", "x", None, "c"], dtype=object),
                        "followed": pd.Series(["x", "x", "a", "c", "x", None], dtype=object),
                        "position": [1, 2, 1, 2, 3, 4]})
    canonical = rel.astype({"follower": "string", "followed": "string"})
    assert mutuals(rel, "x")["handle_key"].tolist() == ["a"]  # c is followed by x but does not follow it
    assert mutuals(rel, "x").equals(mutuals(canonical, "x"))
    o = overlap_matrix(rel, ["x", "a"]).set_index(["account_a", "account_b"])
    assert o.loc[("x", "x"), "size_a"] == 2 and o.loc[("x", "a"), "shared"] == 0  # the blank follower not counted
    assert overlap_matrix(rel, ["x", "a"]).equals(overlap_matrix(canonical, ["x", "a"]))
