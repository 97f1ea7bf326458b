"""Lookalike handles: homoglyphs, ASCII lookalikes, edit distance, copycat groups."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from investigate.handles import copycat_groups, lookalikes, marked, marked_note, skeleton, skeletons


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


# the alphabet of plain handles (folded in Arrow) mixed with what takes the one-by-one path
_HANDLE_CHARS = st.sampled_from(list("abcilmnorsvwIO0135._-@|$ ") + ["\u0435", "\u00e9", "\uff41", "\u200b", "\t"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_HANDLE_CHARS, max_size=12), max_size=30))
def test_skeletons_in_bulk_equal_one_by_one(handles: list[str]) -> None:
    assert skeletons(handles) == [skeleton(h) for h in handles]


def _lookalikes_one_by_one(handles: list[str], targets: list[str], max_distance: int = 2,
                           min_length: int = 4) -> set[tuple[str, str, int, str]]:
    """The rule of :func:`lookalikes` written out pair by pair (the oracle for its bulk version)."""
    from rapidfuzz.distance import Levenshtein

    from investigate.handles import _plain_key, _target_skeleton

    out = set()
    for target in targets:
        tsk = _target_skeleton(target)
        for handle in handles:
            hsk = skeleton(handle)
            if not hsk or _plain_key(handle) == _plain_key(target):
                continue
            distance = Levenshtein.distance(hsk, tsk)
            if distance == 0:
                out.add((handle, target, 0, "looks the same"))
            elif len(tsk) >= min_length and distance <= max_distance:
                out.add((handle, target, distance, f"differs by {distance} character{'s' if distance > 1 else ''}"))
            elif len(tsk) >= min_length and tsk in hsk:
                out.add((handle, target, 0, "contains the name"))
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(_HANDLE_CHARS, min_size=1, max_size=10), min_size=1, max_size=25, unique=True),
       st.lists(st.text(_HANDLE_CHARS, min_size=1, max_size=8), min_size=1, max_size=3, unique=True))
def test_lookalikes_in_bulk_find_what_pair_by_pair_finds(handles: list[str], targets: list[str]) -> None:
    handles = [h for h in handles if h.strip()]
    targets = [t for t in targets if t.strip()]
    found = lookalikes(handles, targets)
    got = {(r.handle, r.target, int(r.distance), r.how) for r in found.itertuples()}
    assert got == _lookalikes_one_by_one(handles, targets)
