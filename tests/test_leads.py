"""Ranked leads on hand-made cases whose right answer is known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from investigate.errors import InvestigateError
from investigate.leads import COLUMNS, LEADS_STATEMENT, WEIGHTS, rank_leads
from investigate.schema import empty, validate

SUBJECT = "grimblewood.gossip"
T0 = pd.Timestamp("2025-09-08 18:00", tz="UTC")


def _rel(rows: list[tuple[str, str, int | None]]) -> pd.DataFrame:
    return validate(pd.DataFrame(rows, columns=["follower", "followed", "position"]).assign(platform="tiktok"),
                    "relationships")


def _case() -> dict[str, pd.DataFrame]:
    followers = ["zeph.quill", "grimblewood.academy", "bram.thistle", "odile.pennywhistle", "a1", "a2", "a3",
                 "a4", "a5", "a6", "a7", "a8", "a9", "a10", "a11", "a12", "a13", "a14", "a15", "a16", "a17",
                 "a18", "a19", "a20", "a21", "late.lurker"]
    rows = [(f, SUBJECT, i) for i, f in enumerate(followers, start=1)]
    rows += [(SUBJECT, f, i) for i, f in enumerate(["zeph.quill", "late.lurker", "popstar"], start=1)]
    rows += [("zeph.quill", "grimblewood.g0ssip", 1), ("zeph.quill", "grimblewood_gossip2", 1),
             ("bram.thistle", "grimblewood.g0ssip", 2), ("late.lurker", "zeph.quill", 1),
             ("zeph.quill", "late.lurker", 1)]
    posts = validate(pd.DataFrame({
        "platform": "tiktok", "account": SUBJECT, "post_id": [f"p{i}" for i in range(12)],
        "posted_at": [T0 + pd.Timedelta(days=i) for i in range(12)]}), "posts")
    inter = validate(pd.DataFrame([
        # zeph comments on 3 of the first posts; on_account blank: found through the post
        ("zeph.quill", "comment", None, "p0", T0 + pd.Timedelta(minutes=4)),
        ("zeph.quill", "comment", None, "p1", T0 + pd.Timedelta(days=1, minutes=20)),
        ("zeph.quill", "comment", SUBJECT, "p2", T0 + pd.Timedelta(days=2, hours=3)),
        ("bram.thistle", "reshare", SUBJECT, "p3", T0 + pd.Timedelta(days=3, hours=1)),
        ("bram.thistle", "comment", SUBJECT, "p11", T0 + pd.Timedelta(days=11, hours=5)),
        (SUBJECT, "tag", "odile.pennywhistle", "p4", T0 + pd.Timedelta(days=4)),
    ], columns=["actor", "kind", "on_account", "post_id", "at"]).assign(platform="tiktok"), "interactions")
    accounts = validate(pd.DataFrame([
        ("Grimblewood.Gossip", "subject"), ("Grimblewood.Academy", "school"), ("Zeph.Quill", "unknown"),
        ("grimblewood.g0ssip", "copycat"), ("grimblewood_gossip2", "copycat"),
    ], columns=["handle", "role"]).assign(platform="tiktok", handle_key=lambda d: d["handle"].str.casefold()),
        "accounts")
    people = validate(pd.DataFrame([
        ("P1", "Zephyrine Quillfeather", "learner", "9", "9Q", "zeph.quill"),
        ("P2", "Bramwell Thistle", "learner", "9", "9Q", "bram.thistle, bram.alt"),
        ("P3", "Odile Pennywhistle", "learner", "10", "10T", "odile.pennywhistle"),
    ], columns=["person_id", "name", "role", "year_group", "tutor_group", "handles"]), "people")
    return {"relationships": _rel(rows), "interactions": inter, "posts": posts, "accounts": accounts,
            "people": people}


def test_creator_ranks_first_with_the_right_reasons() -> None:
    leads = rank_leads(**_case(), subject="@Grimblewood.Gossip")
    assert list(leads.columns) == list(COLUMNS)
    first = leads.iloc[0]
    assert first["handle"] == "Zeph.Quill" and first["handle_key"] == "zeph.quill" and first["rank"] == 1
    assert first["reasons"][:3] == [
        "Follows @grimblewood.gossip and is followed back by it (mutual)",
        "Among the first 5 followers (position 1 of 26)",
        "Commented on 3 of its first 10 posts, the quickest within 4 minutes of posting",
    ]
    assert "Follows 2 copycat accounts (@grimblewood.g0ssip, @grimblewood_gossip2)" in first["reasons"]
    assert "In the same follow group as 1 other mutual (@late.lurker)" in first["reasons"]
    assert first["mutual"] and first["early_comments"] == 3 and first["copycats_followed"] == 2
    w = WEIGHTS
    expected = (w["follows"] + w["followed_by"] + w["mutual"] + w["early_follower"] + 3 * w["first_posts_comment"]
                + w["quick_comment"] + 2 * w["copycat"] + w["community"] + w["tutor_group"])
    assert first["score"] == pytest.approx(expected)
    # the tutor-group reason points at the other strong lead in 9Q
    assert "Linked to a person in tutor group 9Q, as is 1 other strong lead (@bram.thistle)" in first["reasons"]


def test_other_leads_and_exclusions() -> None:
    leads = rank_leads(**_case(), subject=SUBJECT).set_index("handle_key")
    assert SUBJECT not in leads.index and "grimblewood.academy" not in leads.index  # subject and school
    bram = leads.loc["bram.thistle"]
    assert "Reshared, duetted or stitched its posts 1 time" in bram["reasons"]
    assert bram["comments"] == 1 and bram["early_comments"] == 0
    assert bram["copycats_followed"] == 1
    assert "Tagged or mentioned together with @grimblewood.gossip 1 time" in leads.loc["odile.pennywhistle", "reasons"]
    # followed by the subject only, never a follower: still listed, a lower score
    assert leads.loc["popstar", "reasons"] == ["Is followed by @grimblewood.gossip"]
    assert leads.loc["popstar", "score"] < leads.loc["late.lurker", "score"]
    assert leads["rank"].tolist() == list(range(1, len(leads) + 1))
    assert leads["score"].is_monotonic_decreasing


def test_top_and_newest_first_lists() -> None:
    frames = _case()
    assert len(rank_leads(**frames, subject=SUBJECT, top=2)) == 2
    newest = rank_leads(**frames, subject=SUBJECT, position_order="newest_first").set_index("handle_key")
    assert "Among the first 5 followers (position 26 of 26)" in newest.loc["late.lurker", "reasons"]


def test_followed_at_orders_early_followers() -> None:
    frames = _case()
    rel = frames["relationships"].copy()
    rel.loc[(rel["followed"] == SUBJECT) & (rel["follower"] == "a21"), "followed_at"] = T0 - pd.Timedelta(days=2)
    leads = rank_leads(**{**frames, "relationships": rel}, subject=SUBJECT).set_index("handle_key")
    assert "Among the first 5 followers (1st of 26 to follow, on 06 Sep 2025)" in leads.loc["a21", "reasons"]


def test_unknown_subject_names_close_handles() -> None:
    with pytest.raises(InvestigateError, match="@grimblewood.gossip"):
        rank_leads(**_case(), subject="grimblewood.gosip")


def test_empty_frames_and_statement() -> None:
    rel = _rel([("a", SUBJECT, 1)])
    leads = rank_leads(rel, empty("interactions"), empty("posts"), empty("accounts"), None, subject=SUBJECT)
    assert leads["handle_key"].tolist() == ["a"]
    assert "not findings" in LEADS_STATEMENT


def test_a_big_list_ranks_with_copycats_counted() -> None:
    """A 200k-row table of four accounts' followers (speed is measured in benchmarks/, not here)."""
    rng = np.random.default_rng(1)
    n = 200_000
    owners = np.array([SUBJECT, "copy.one", "copy.two", "copy.three"])
    follower = pd.array([f"u{i}" for i in rng.integers(0, 50_000, n)], dtype="string")
    followed = pd.array(owners[rng.integers(0, 4, n)], dtype="string")
    rel = pd.DataFrame({"platform": pd.array(["tiktok"] * n, dtype="string"), "follower": follower,
                        "followed": followed, "observed_list": pd.array([pd.NA] * n, dtype="string"),
                        "position": pd.array(np.arange(1, n + 1), dtype="Int64"),
                        "followed_at": pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns, UTC]"),
                        "observed_at": pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns, UTC]"),
                        "evidence_id": pd.array([pd.NA] * n, dtype="string")})
    rel.loc[0, ["follower", "followed"]] = [SUBJECT, "u5"]
    rel.loc[1, ["follower", "followed"]] = ["u5", SUBJECT]
    accounts = validate(pd.DataFrame({"platform": "tiktok", "handle": ["copy.one", "copy.two", "copy.three"],
                                      "handle_key": ["copy.one", "copy.two", "copy.three"], "role": "copycat"}),
                        "accounts")
    leads = rank_leads(rel, empty("interactions"), empty("posts"), accounts, None, subject=SUBJECT, top=50)
    assert len(leads) == 50 and leads.iloc[0]["handle_key"] == "u5"  # mutual and the first follower
    total = leads.iloc[0]["followers_total"]
    assert leads.iloc[0]["reasons"][:2] == [f"Follows @{SUBJECT} and is followed back by it (mutual)",
                                            f"Among the first 5 followers (position 2 of {total})"]
    # each score is the sum of its features' points, and the list is in score order
    rank = leads["follower_rank"].astype(float)
    early = np.where(rank <= 5, WEIGHTS["early_follower"], np.where(rank <= 20, WEIGHTS["early_follower"] / 2, 0))
    points = (leads["follows_subject"] * WEIGHTS["follows"] + leads["followed_by_subject"] * WEIGHTS["followed_by"]
              + leads["mutual"] * WEIGHTS["mutual"] + early + leads["copycats_followed"] * WEIGHTS["copycat"])
    assert np.allclose(points.astype(float), leads["score"].astype(float))
    assert leads["score"].is_monotonic_decreasing
    # past the early followers: followers of the subject and all three copycats, earliest first
    late = leads[rank > 20]
    assert len(late) and (late["score"] == 2.75).all() and late["copycats_followed"].eq(3).all()
    assert late["follower_position"].is_monotonic_increasing
    followers = rel[rel["followed"] == SUBJECT].groupby("follower")["position"].min()
    assert (late["follower_position"].to_numpy() == followers[late["handle_key"]].to_numpy()).all()


def test_cli_leads_over_a_case(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from investigate.case import Case
    from investigate.cli import main

    frames = _case()
    case = Case.create(tmp_path / "case", title="Grimblewood gossip", analyst="tester")
    case.add_rows({k: frames[k] for k in ("relationships", "interactions", "posts", "accounts", "people")},
                  who="tester", what="test rows")
    assert main(["leads", str(case.path), "--account", "@Grimblewood.Gossip", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "not findings" in out and "  1. @Zeph.Quill" in out
    assert "- Follows @grimblewood.gossip and is followed back by it (mutual)" in out
    assert main(["leads", str(case.path), "--account", "zeph.quill", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["account"] == "zeph.quill" and "not findings" in data["note"]
    assert main(["leads", str(case.path), "--account", "grimblewood.gosip"]) == 1
    err = capsys.readouterr().err
    assert "not in this case" in err and "@grimblewood.gossip" in err


def test_ties_break_on_the_handle_as_text_and_repeated_indexes_are_fine() -> None:
    """Equal score and follower rank: ordered by handle text (non-ASCII after ASCII, as Python sorts);
    frames glued together without a fresh index (repeated labels) give the same answer."""
    case = _case()
    rel = case["relationships"]
    extra = _rel([(h, SUBJECT, None) for h in ["zz.top", "éclair.fan", "aa.first", "mm.middle"]])
    glued = pd.concat([rel, extra])  # index labels 0.. repeat
    assert glued.index.has_duplicates
    leads = rank_leads(**{**case, "relationships": glued}, subject=SUBJECT)
    plain = leads[leads["handle_key"].isin(["zz.top", "éclair.fan", "aa.first", "mm.middle"])]
    assert plain["handle_key"].tolist() == ["aa.first", "mm.middle", "zz.top", "éclair.fan"]
    assert plain["rank"].is_monotonic_increasing
    assert all(r == [f"Follows @{SUBJECT}"] for r in plain["reasons"])
    fresh = rank_leads(**{**case, "relationships": glued.reset_index(drop=True)}, subject=SUBJECT)
    pd.testing.assert_frame_equal(leads, fresh)
