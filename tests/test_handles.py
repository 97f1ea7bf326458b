"""Lookalike handles: homoglyphs, ASCII lookalikes, edit distance, copycat groups."""

from __future__ import annotations

import pytest

from investigate.handles import copycat_groups, lookalikes, marked, marked_note, skeleton


@pytest.mark.parametrize(("fake", "real"), [
    ("grimblew\u043e\u043ed.academy", "grimblewood.academy"),  # Cyrillic о
    ("grimblew00d.academy", "grimblewood.academy"),  # zero for o
    ("rnrs.quillfeather", "mrs.quillfeather"),  # rn for m
    ("Zephyrine.Quil1feather", "zephyrine.quillfeather"),  # 1 for l
    ("ZephyrIne_quillfeather", "zephyrine.quillfeather"),  # capital I for l/i
    ("\uff47\uff52\uff49\uff4d\uff42\uff4c\uff45", "grimble"),  # fullwidth letters (NFKC)
    ("grimbléwood", "grimblewood"),  # accent
    ("grimblewood_academy", "grimble.wood-academy"),  # separators
])
def test_lookalikes_share_a_skeleton(fake: str, real: str) -> None:
    assert skeleton(fake) == skeleton(real)


def test_different_handles_keep_different_skeletons() -> None:
    assert skeleton("grimblewood.academy") != skeleton("thornbury.academy")
    assert skeleton(None) == "" and skeleton(float("nan")) == ""


def test_lookalikes_against_targets() -> None:
    handles = ["grimblew00d_academy", "grimblewood.academy", "grimblewood.acadamy", "grimblewood.academy.fanz",
               "thornbury.high", "m.quillfeather", "rn.quillfeather", "m.quilfeather"]
    found = lookalikes(handles, ["Grimblewood.Academy", "m.quillfeather"], max_distance=1)
    pairs = {(r.handle, r.target): (r.distance, r.how) for r in found.itertuples()}
    assert pairs[("grimblew00d_academy", "Grimblewood.Academy")] == (0, "looks the same")
    assert pairs[("grimblewood.acadamy", "Grimblewood.Academy")] == (1, "differs by 1 character")
    assert pairs[("grimblewood.academy.fanz", "Grimblewood.Academy")] == (0, "contains the name")
    assert pairs[("rn.quillfeather", "m.quillfeather")] == (0, "looks the same")
    assert pairs[("m.quilfeather", "m.quillfeather")][0] == 1
    assert ("grimblewood.academy", "Grimblewood.Academy") not in pairs  # the real account itself
    assert not any(h == "thornbury.high" for h, _ in pairs)
    assert found["distance"].is_monotonic_increasing


def test_copycat_groups() -> None:
    groups = copycat_groups(["grimble.gossip", "grimb1e_gossip", "grimble.gossip2", "gr1mble.goss1p",
                             "thornbury.high", "thornbury.hlgh", "zeph.art", "abc", "abd"])
    by_group = groups.groupby("group")["handle"].apply(sorted).tolist()
    assert by_group == [["gr1mble.goss1p", "grimb1e_gossip", "grimble.gossip", "grimble.gossip2"],
                        ["thornbury.high", "thornbury.hlgh"]]
    assert groups.loc[groups["handle"] == "grimble.gossip", "size"].item() == 4


def test_marked_handles_tell_lookalikes_apart_in_print() -> None:
    real, copy = "brambleshaw.wobbleton", "brambleshaw.wobbl\u0435ton"  # the copy has a Cyrillic е
    assert marked(real) == real and marked(copy) == "brambleshaw.wobbl[\u0435]ton"
    assert marked("zo\u00eb.p") == "zo\u00eb.p"  # an accent shows: nothing to mark
    assert marked_note([real, copy]) == ("A letter in brackets looks like a Latin letter but is not one: "
                                         "[\u0435] = Cyrillic \u0435.")
    assert marked_note([real, "zo\u00eb.p"]) == ""
