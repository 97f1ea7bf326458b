"""Ranked leads on small hand-written cases whose right answer comes from the story, not from WEIGHTS.

Each case is written as what happened (who made the account, who is only loud), then the
ranking is checked against that story. No expected score is computed from the weights.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from investigate.errors import InvestigateError
from investigate.leads import COLUMNS, LEADS_STATEMENT, group_leads, lead_features, rank_leads, score_leads
from investigate.schema import empty, validate

S = "grimblewood.gossip"
T0 = pd.Timestamp("2025-09-08 18:00", tz="UTC")  # the subject's first post


def _min(m: float) -> pd.Timestamp:
    return T0 + pd.Timedelta(minutes=m)


def _rel(rows: list[tuple], *, order: str | None = None) -> pd.DataFrame:
    """(follower, followed, position, followed_at) rows of one list."""
    frame = pd.DataFrame([(*r, *([None] * (4 - len(r)))) for r in rows],
                         columns=["follower", "followed", "position", "followed_at"])
    frame["followed_at"] = pd.to_datetime(frame["followed_at"], utc=True)
    label = np.where(frame["follower"] == S, f"following of @{S}", "followers of @" + frame["followed"])
    return validate(frame.assign(platform="tiktok", list_order=order, evidence_id="E0001", observed_list=label),
                    "relationships")


def _posts(n: int, *, every_days: float = 1.0) -> pd.DataFrame:
    return validate(pd.DataFrame({"platform": "tiktok", "account": S, "post_id": [f"p{i}" for i in range(n)],
                                  "posted_at": [T0 + pd.Timedelta(days=i * every_days) for i in range(n)]}), "posts")


def _comments(rows: list[tuple[str, str, pd.Timestamp]], *, on: str | None = S) -> pd.DataFrame:
    return validate(pd.DataFrame(rows, columns=["actor", "post_id", "at"]).assign(
        platform="tiktok", kind="comment", on_account=on, evidence_id="E0002"), "interactions")


def _accounts(rows: list[tuple[str, str]] = ()) -> pd.DataFrame:  # type: ignore[assignment]
    frame = pd.DataFrame([(S, "subject"), *rows], columns=["handle", "role"])
    return validate(frame.assign(platform="tiktok", handle_key=frame["handle"].str.casefold()), "accounts")


def _rank(rel: pd.DataFrame, inter: pd.DataFrame | None = None, posts: pd.DataFrame | None = None,
          accounts: pd.DataFrame | None = None, people: pd.DataFrame | None = None, **kw: object) -> pd.DataFrame:
    return rank_leads(rel, empty("interactions") if inter is None else inter,  # type: ignore[arg-type]
                      empty("posts") if posts is None else posts, _accounts() if accounts is None else accounts,
                      people, subject=S, **kw)


def _crowd(n: int, start: int = 0) -> list[tuple]:
    return [(f"fan{i}", S, None, _min(600 + 60 * i)) for i in range(start, start + n)]


# ------------------------------------------------------------------ the stories
def test_the_loud_super_fan_does_not_outrank_the_creator() -> None:
    """The super-fan comments first, within two minutes, on 11 of the 12 posts and reshares two,
    but the subject never followed it back and it arrived on day 2. The creator's friends followed
    as soon as the account was shared with them, before the creator did; but the subject followed
    the creator first, within minutes of being made, and the creator commented on two posts."""
    friends = [(f"friend{i}", S, None, _min(-58 + i)) for i in range(5)]
    rel = _rel([*friends, ("creator", S, None, _min(-50)), ("superfan", S, None, _min(60 * 26)), *_crowd(30)])
    rel = pd.concat([rel, _rel([(S, "creator", None, _min(-55)), (S, "popstar", None, _min(60 * 30))])])
    posts = _posts(12)
    loud = [("superfan", f"p{i}", T0 + pd.Timedelta(days=i, minutes=2)) for i in range(1, 12)]
    quiet = [("creator", "p0", _min(4)), ("creator", "p5", T0 + pd.Timedelta(days=5, minutes=20))]
    shares = validate(pd.DataFrame({"platform": "tiktok", "actor": "superfan", "kind": "reshare", "on_account": S,
                                    "post_id": ["p2", "p3"], "at": [_min(1500), _min(2900)]}), "interactions")
    inter = pd.concat([_comments(loud + quiet), shares], ignore_index=True)
    leads = _rank(rel, inter, posts).set_index("handle_key")
    assert leads.index[0] == "creator"
    assert leads.loc["superfan", "first_comments"] == 11 and leads.loc["superfan", "prompt_comments"] == 11
    assert leads.loc["superfan", "score"] < leads.loc["creator", "score"]
    assert not leads.loc["superfan", "mutual"]


def test_a_late_binge_weighs_little() -> None:
    """Seven comments in 18 minutes on weeks-old posts, by a mutual who joined late, against a
    mutual who commented within minutes on three posts while they were new."""
    posts = _posts(10)
    late = T0 + pd.Timedelta(days=40)
    binge = [("binger", f"p{i}", late + pd.Timedelta(minutes=3 * i)) for i in range(7)]
    prompt = [("prompt", f"p{i}", T0 + pd.Timedelta(days=i, minutes=6)) for i in (0, 2, 4)]
    rel = _rel([("prompt", S), ("binger", S), *[(f"fan{i}", S) for i in range(20)]])
    rel = pd.concat([rel, _rel([(S, "prompt"), (S, "binger")])])
    leads = _rank(rel, _comments(binge + prompt), posts).set_index("handle_key")
    assert list(leads.index[:2]) == ["prompt", "binger"]
    assert leads.loc["binger", "comments"] == 7 and leads.loc["binger", "prompt_comments"] == 0
    assert leads.loc["binger", "early_comments"] == 0  # its comments on the first posts came weeks late
    assert any("7 of them more than 24 hours after the post" in r for r in leads.loc["binger", "reasons"])


def test_the_careful_creator_is_found_by_the_subjects_own_following_list() -> None:
    """The creator never comments. Its friends followed the subject before it did and are
    followed back too; but the subject's own following list (typed oldest first) starts with the
    creator, and the creator is on both lists."""
    followers = [("friend1", S, 1), ("friend2", S, 2), ("friend3", S, 3), ("creator", S, 7),
                 *[(f"fan{i}", S, 8 + i) for i in range(30)]]
    following = [(S, "creator", 1), (S, "school.office", 2), (S, "friend2", 3), (S, "friend1", 4),
                 (S, "friend3", 5), (S, "popstar", 6)]
    rel = pd.concat([_rel(followers, order="oldest-first"), _rel(following, order="oldest-first")])
    leads = _rank(rel).set_index("handle_key")
    assert leads.index[0] == "creator"
    assert leads.loc["creator", "following_rank"] == 1 and leads.loc["friend1", "follower_rank"] == 1
    first = leads.loc["creator", "evidence"]
    detail = next(e["detail"] for e in first if e["feature"] == "followed_first")
    assert detail == {"list": f"following of @{S}", "position": 1, "order": "oldest-first", "followed_at": None,
                      "evidence_id": "E0001"}


def test_a_list_typed_newest_first_is_read_from_its_end_and_app_order_is_never_scored() -> None:
    followers = [(f"fan{i}", S, i) for i in range(1, 31)]  # fan30 at the end = the first to follow
    newest = _rank(_rel(followers, order="newest-first")).set_index("handle_key")
    assert set(newest.index[:5]) == {f"fan{i}" for i in range(26, 31)} and newest.loc["fan30", "follower_rank"] == 1
    assert any("position 30 of 30" in r and "newest-first" in r for r in newest.loc["fan30", "reasons"])
    assert "fan1" not in newest.index  # the newest follower, only following: not a lead
    for order in ("app", None):  # the platform's own order, or none recorded: positions are no evidence
        assert _rank(_rel(followers, order=order)).empty
        features = lead_features(_rel(followers, order=order), empty("interactions"), empty("posts"), _accounts(),
                                 subject=S)
        assert features["follower_rank"].isna().all() and features["follower_position"].notna().all()


def test_follow_times_rank_the_followers_whatever_the_positions() -> None:
    rows = [(f"fan{i}", S, i, _min(100 - i)) for i in range(1, 31)]  # positions in the app's order
    leads = _rank(_rel(rows, order="app")).set_index("handle_key")
    assert leads.index[0] == "fan30" and leads.loc["fan30", "follower_rank"] == 1
    assert any("1st of 30 to follow, on 08/09/2025 19:10 UTC" in r for r in leads.loc["fan30", "reasons"])


def test_times_in_the_reasons_are_in_the_cases_zone_day_first() -> None:
    """Before, reasons always wrote UTC ('08 Sep 2025 19:10 UTC') beside a report in the case's zone."""
    rows = [(f"fan{i}", S, i, _min(100 - i)) for i in range(1, 31)]
    leads = _rank(_rel(rows, order="app"), zone="Europe/London").set_index("handle_key")
    assert any("1st of 30 to follow, on 08/09/2025 20:10 BST" in r for r in leads.loc["fan30", "reasons"])


def test_only_following_the_subject_is_not_a_lead() -> None:
    rel = _rel([(f"fan{i}", S) for i in range(1000)] + [(S, "popstar")])
    leads = _rank(rel)
    assert leads["handle_key"].tolist() == ["popstar"]  # the subject chose to follow it: a (weak) lead
    assert leads.iloc[0]["reasons"] == [f"Is followed by @{S} (it does not follow back) (+1.0)"]


def test_no_posts_table_first_commenter_from_the_comments_alone_and_ties_share() -> None:
    """Comments with a post URL and a time only: the earliest on each post is its first commenter;
    two at the same second both count, whatever order the file listed them in."""
    url = "https://www.tiktok.com/@grimblewood.gossip/video/"
    rows = [("zed", url + "1", _min(3)), ("amy", url + "1", _min(3)), ("bob", url + "1", _min(50)),
            ("zed", url + "2", _min(1440)), ("bob", url + "2", _min(1441)), ("bob", url + "3", _min(2880))]
    rel = _rel([("zed", S), ("amy", S), ("bob", S)])
    leads = _rank(rel, _comments(rows)).set_index("handle_key")
    assert leads.loc["zed", "first_comments"] == 2 and leads.loc["amy", "first_comments"] == 1
    assert leads.loc["bob", "first_comments"] == 1 and leads.loc["zed", "posts_total"] == 3
    assert leads.index[0] == "zed"
    assert leads["quickest_comment_minutes"].isna().all()  # no post times: no delays are made up


def test_a_group_is_shown_as_a_group_and_adds_no_points() -> None:
    rel = _rel([(h, S) for h in ("ann", "ben", "cat", "dan")] + [(S, h) for h in ("ann", "ben", "cat", "dan")])
    people = validate(pd.DataFrame([("P1", "Ann Quill", "learner", "Year 9", "9W", "ann"),
                                    ("P2", "Ben Thistle", "learner", "Year 9", "9W", "ben"),
                                    ("P3", "Cat Wobble", "learner", "Year 9", "9W", "cat"),
                                    ("P4", "Mr Dan Fizzle", "parent", None, None, "dan")],
                                   columns=["person_id", "name", "role", "year_group", "tutor_group", "handles"]),
                      "people")
    alone = _rank(rel).set_index("handle_key")
    grouped = _rank(rel, people=people).set_index("handle_key")
    assert (grouped["score"] == alone["score"]).all()  # the parent loses nothing the learners get
    assert grouped.loc["ann", "groups"] == ["tutor group 9W"] and grouped.loc["dan", "groups"] == []
    assert "One of 3 mutuals all in tutor group 9W (with @ben, @cat): shown as a group (no points)" in \
        grouped.loc["ann", "reasons"]
    groups = group_leads(["ann", "ben", "cat", "dan"], rel, people)
    assert [g["text"] for g in groups] == ["These 3 mutuals are all in tutor group 9W: @ann, @ben, @cat"]


def test_mutuals_that_follow_each_other_make_a_group() -> None:
    rel = pd.concat([_rel([(h, S) for h in ("ann", "ben", "cat")] + [(S, h) for h in ("ann", "ben", "cat")]),
                     _rel([("ann", "ben"), ("ben", "cat")])])
    (group,) = group_leads(["ann", "ben", "cat"], rel)
    assert group["kind"] == "follows" and group["members"] == ["ann", "ben", "cat"]


def test_lookalikes_count_as_copycats_only_once_confirmed() -> None:
    rel = pd.concat([_rel([("eve", S), ("eve", "grimblewood.g0ssip"), ("eve", "grimblewood_gossip2")]),
                     _rel([(S, "eve")])])
    unconfirmed = _rank(rel, accounts=_accounts([("grimblewood.g0ssip", "unknown")]))
    assert unconfirmed.iloc[0]["copycats_followed"] == 0
    confirmed = _rank(rel, accounts=_accounts([("grimblewood.g0ssip", "copycat")]), copycats=["grimblewood_gossip2"])
    assert confirmed.iloc[0]["copycats_followed"] == 2
    assert confirmed.iloc[0]["score"] > unconfirmed.iloc[0]["score"]


# ------------------------------------------------------------------ laws of the output
def test_every_reason_shows_its_points_and_they_add_up_to_the_score() -> None:
    rel = pd.concat([_rel([("creator", S, 1, _min(-50)), *_crowd(25)], order="oldest-first"),
                     _rel([(S, "creator", 1, _min(-55))], order="oldest-first")])
    inter = _comments([("creator", "p0", _min(4)), ("fan3", "p1", T0 + pd.Timedelta(days=1, hours=2))])
    leads = _rank(rel, inter, _posts(5))
    assert list(leads.columns) == list(COLUMNS) and leads["rank"].tolist() == list(range(1, len(leads) + 1))
    assert leads["score"].is_monotonic_decreasing
    for _, row in leads.iterrows():
        shown = [float(m) for r in row["reasons"] for m in re.findall(r"\(\+([0-9.]+)\)$", r)]
        assert all(re.search(r"\((\+[0-9.]+|no points)\)$", r) for r in row["reasons"])
        assert sum(shown) == pytest.approx(row["score"], abs=0.011)
        assert sum(e["points"] for e in row["evidence"]) == pytest.approx(row["score"], abs=0.011)
        assert [e["text"] for e in row["evidence"]] == [re.sub(r" \((\+[0-9.]+|no points)\)$", "", r)
                                                       for r in row["reasons"]]
    creator = leads.set_index("handle_key").loc["creator", "evidence"]
    prompt = next(e["detail"]["comments"] for e in creator if e["feature"] == "prompt_comment")
    assert prompt == [{"post_id": "p0", "at": _min(4).isoformat(), "posted_at": T0.isoformat(), "minutes": 4.0,
                       "evidence_id": "E0002"}]
    points = score_leads(lead_features(rel, inter, _posts(5), _accounts(), subject=S))
    assert set(points.columns) >= {"mutual", "prompt_comment", "first_commenter"}


def test_top_cuts_after_ranking_and_explains_only_the_rows_shown() -> None:
    rel = _rel([(f"fan{i}", S, None, _min(i)) for i in range(30)])
    everyone = _rank(rel)
    two = _rank(rel, top=2)
    assert len(two) == 2 and two["handle_key"].tolist() == everyone["handle_key"].head(2).tolist()
    pd.testing.assert_frame_equal(two, everyone.head(2))


def test_unknown_subject_names_close_handles() -> None:
    with pytest.raises(InvestigateError, match="@grimblewood.gossip"):
        rank_leads(_rel([("a", S)]), empty("interactions"), empty("posts"), _accounts(), subject="grimblewood.gosip")


def test_empty_frames_and_statement() -> None:
    leads = rank_leads(_rel([("a", S)]), empty("interactions"), empty("posts"), empty("accounts"), None, subject=S)
    assert leads.empty and list(leads.columns) == list(COLUMNS)
    assert "not findings" in LEADS_STATEMENT


def test_school_accounts_and_the_subject_are_never_leads() -> None:
    rel = pd.concat([_rel([("grimblewood.academy", S), ("ann", S)]), _rel([(S, "grimblewood.academy"), (S, "ann")])])
    leads = _rank(rel, accounts=_accounts([("Grimblewood.Academy", "school"), ("Ann", "unknown")]))
    assert leads["handle_key"].tolist() == ["ann"] and leads["handle"].tolist() == ["Ann"]


def test_ties_break_on_first_appearance_then_handle_text_and_repeated_indexes_are_fine() -> None:
    """Equal scores: who appeared first, then the handle text (non-ASCII after ASCII, as Python
    sorts); never the position in a list. Frames glued together without a fresh index give the
    same answer."""
    names = ["zz.top", "éclair.fan", "aa.first", "mm.middle"]
    rel = pd.concat([_rel([(S, h, 5 - i) for i, h in enumerate(names)]), _rel([(S, "late", 9, _min(5)),
                                                                          (S, "early", 10, _min(1))])])
    assert rel.index.has_duplicates
    leads = _rank(rel)
    assert leads["handle_key"].tolist() == ["early", "late", "aa.first", "mm.middle", "zz.top", "éclair.fan"]
    pd.testing.assert_frame_equal(leads, _rank(rel.reset_index(drop=True)))


def test_a_big_list_keeps_only_the_leads() -> None:
    """200k followers, a mutual among them and followers of three confirmed copycats (speed is
    measured in benchmarks/, not here)."""
    rng = np.random.default_rng(1)
    n = 200_000
    owners = np.array([S, "copy.one", "copy.two", "copy.three"])
    rel = _rel(list(zip([f"u{i}" for i in rng.integers(0, 50_000, n)], owners[rng.integers(0, 4, n)],
                        range(1, n + 1), strict=True)))
    rel = pd.concat([rel, _rel([(S, "u5"), ("u5", S)])], ignore_index=True)
    accounts = _accounts([("copy.one", "copycat"), ("copy.two", "copycat"), ("copy.three", "copycat")])
    leads = _rank(rel, accounts=accounts)
    assert leads.iloc[0]["handle_key"] == "u5" and leads.iloc[0]["mutual"]
    only_subject = set(rel.loc[rel["followed"] == S, "follower"]) - set(rel.loc[rel["followed"] != S, "follower"])
    assert len(only_subject) > 1000 and not (only_subject - {"u5"}) & set(leads["handle_key"])


def test_cli_leads_over_a_case(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from investigate.case import Case
    from investigate.cli import main

    rel = pd.concat([_rel([("zeph.quill", S), ("bram", S), *[(f"fan{i}", S) for i in range(5)]]),
                     _rel([(S, "zeph.quill")])])
    case = Case.create(tmp_path / "case", title="Grimblewood gossip", analyst="tester")
    case.add_rows({"relationships": rel, "posts": _posts(3), "accounts": _accounts([("Zeph.Quill", "unknown")]),
                   "interactions": _comments([("zeph.quill", "p0", _min(3)), ("bram", "p1", _min(1500))])},
                  who="tester", what="test rows")
    assert main(["leads", str(case.path), "--account", "@Grimblewood.Gossip", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "not findings" in out and "  1. @Zeph.Quill" in out
    assert f"- Follows @{S} and is followed back by it (on both lists) (+3.0)" in out
    assert main(["leads", str(case.path), "--account", S, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["account"] == S and "not findings" in data["note"]
    assert data["leads"][0]["evidence"][0]["feature"] == "mutual"
    assert main(["leads", str(case.path), "--account", "grimblewood.gosip"]) == 1
    err = capsys.readouterr().err
    assert "not in this case" in err and "@grimblewood.gossip" in err


def test_cli_lists_the_groups_among_the_leads(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from investigate.case import Case
    from investigate.cli import main

    rel = _rel([(h, S) for h in ("ann", "ben")] + [(S, h) for h in ("ann", "ben")])
    people = validate(pd.DataFrame([("P1", "Ann Quill", "learner", "Year 9", "9W", "ann"),
                                    ("P2", "Ben Thistle", "learner", "Year 9", "9W", "ben")],
                                   columns=["person_id", "name", "role", "year_group", "tutor_group", "handles"]),
                      "people")
    case = Case.create(tmp_path / "case", title="Grimblewood gossip", analyst="tester")
    case.add_rows({"relationships": rel, "people": people, "accounts": _accounts()}, who="tester", what="rows")
    assert main(["leads", str(case.path), "--account", S]) == 0
    out = capsys.readouterr().out
    assert "Groups among these leads (shown as groups, no points):\n  - tutor group 9W: @ann, @ben" in out


# ------------------------------------------------------------------ known roles and targets (issue 25)
def _victim_case() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The fake mocks a learner (@tansy.target): its posts tag her, she is on both lists, the first
    to follow, and comments on every post within minutes asking for it to stop. The maker
    (@quill.maker) followed third, is the first account the fake followed, and commented twice."""
    followers = [("tansy.target", S, 1), ("pal.one", S, 2), ("quill.maker", S, 3), *[(f"fan{i}", S, 4 + i)
                                                                                     for i in range(20)]]
    following = [(S, "quill.maker", 1), (S, "tansy.target", 2), (S, "pal.one", 3), (S, "popstar", 4)]
    rel = pd.concat([_rel(followers, order="oldest-first"), _rel(following, order="oldest-first")])
    posts = _posts(10).assign(text=[f"look at @tansy.target {i} 😂" if i % 3 == 0 else f"post {i}" for i in range(10)])
    pleas = [("tansy.target", f"p{i}", T0 + pd.Timedelta(days=i, minutes=2)) for i in range(10)]
    maker = [("quill.maker", "p0", _min(6)), ("quill.maker", "p4", T0 + pd.Timedelta(days=4, minutes=9))]
    tags = validate(pd.DataFrame({"platform": "tiktok", "actor": S, "kind": "tag", "on_account": "tansy.target",
                                  "post_id": ["p0", "p3", "p6", "p9"], "at": [T0 + pd.Timedelta(days=d)
                                                                              for d in (0, 3, 6, 9)]}),
                    "interactions")
    return rel, pd.concat([_comments(pleas + maker), tags], ignore_index=True), posts


def test_the_tagged_and_mocked_victim_ranks_below_the_maker() -> None:
    """Before, the victim came first: both lists, first to follow, every post commented on, and
    being tagged by the subject even added points."""
    rel, inter, posts = _victim_case()
    leads = _rank(rel, inter, posts).set_index("handle_key")
    assert leads.index[0] == "quill.maker"
    assert leads.loc["tansy.target", "score"] < leads.loc["quill.maker", "score"]
    victim = {e["feature"]: e["points"] for e in leads.loc["tansy.target", "evidence"]}
    assert victim["targeted"] == 0 and "tagged" not in victim  # tagged BY the subject: no points
    assert not {"prompt_comment", "first_commenter", "early_follower", "comment"} & set(victim)
    assert any("a sign it is a target, not a maker" in r for r in leads.loc["tansy.target", "reasons"])
    assert leads.loc["tansy.target", "targeted"] == 4  # the tags and the @names in the same posts count once
    # her pleas came minutes before the maker's comments: a target's answers never push a lead off
    # 'first to comment' (before, the victim was first everywhere and the maker nowhere)
    assert leads.loc["quill.maker", "first_comments"] == 2 and leads.loc["tansy.target", "first_comments"] == 0


def test_accounts_with_a_known_role_are_context_never_leads() -> None:
    """The victim recorded as a target, a teacher from the people list, the school's account and the
    DSL's monitoring account all follow the subject and some comment: none of them is a lead; all
    are in the 'accounts around the subject' table with their role."""
    from investigate.leads import accounts_around

    rel, inter, posts = _victim_case()
    rel = pd.concat([rel, _rel([("mr.bramble", S, 30), ("dsl.watch", S, 31), ("grimblewood.academy", S, 32)],
                               order="oldest-first"), _rel([(S, "mr.bramble", 5)], order="oldest-first")])
    watch = _comments([("dsl.watch", "p1", T0 + pd.Timedelta(days=1, minutes=1)),
                       ("mr.bramble", "p2", T0 + pd.Timedelta(days=2, minutes=1))])
    inter = pd.concat([inter, watch], ignore_index=True)
    accounts = _accounts([("tansy.target", "target"), ("dsl.watch", "monitoring"), ("grimblewood.academy", "school"),
                          ("copy.cat", "copycat")])
    people = validate(pd.DataFrame([("P1", "Mr Bram Bramble", "staff", None, None, "mr.bramble"),
                                    ("P2", "Quill Maker", "learner", "Year 9", "9W", "quill.maker")],
                                   columns=["person_id", "name", "role", "year_group", "tutor_group", "handles"]),
                      "people")
    leads = _rank(rel, inter, posts, accounts=accounts, people=people)
    assert not {"tansy.target", "mr.bramble", "dsl.watch", "grimblewood.academy", "copy.cat"} & set(leads["handle_key"])
    assert leads.iloc[0]["handle_key"] == "quill.maker"
    around = accounts_around(rel, inter, posts, accounts, people, subject=S).set_index("handle_key")
    assert around["role"].to_dict() == {"copy.cat": "copycat", "dsl.watch": "monitoring",
                                        "grimblewood.academy": "school", "mr.bramble": "staff",
                                        "tansy.target": "target"}
    assert around.loc["tansy.target", "links"] == ("on both lists; tagged or named by @grimblewood.gossip 4 times; "
                                                   "10 comments on its posts")
    assert around.loc["mr.bramble", "source"] == "people list" and around.loc["copy.cat", "links"] == "no link recorded"


def test_following_back_when_followed_first_is_not_following_unprompted() -> None:
    """Two accounts on both lists, both following within the first hour: @eager followed the
    subject unprompted (the subject followed it back two minutes later); @prompted was followed by
    the subject first and followed back two days later."""
    rows = [("eager", S, None, _min(5)), ("prompted", S, None, _min(60 * 48 + 10)),
            *[(f"fan{i}", S, None, _min(60 * 49 + i)) for i in range(10)]]
    rel = pd.concat([_rel(rows), _rel([(S, "eager", None, _min(7)), (S, "prompted", None, _min(10))])])
    leads = _rank(rel).set_index("handle_key")
    assert leads.index[0] == "eager" and leads.loc["prompted", "score"] < leads.loc["eager", "score"]
    assert leads.loc["prompted", "followed_back_hours"] == pytest.approx(48.0)
    assert any("followed back when prompted" in r for r in leads.loc["prompted", "reasons"])
    assert not any("followed back when prompted" in r for r in leads.loc["eager", "reasons"])


# ------------------------------------------------------------------ captures of the same list (issue 25)
def _capture(rows: list[tuple], at: pd.Timestamp) -> pd.DataFrame:
    return _rel(rows, order="oldest-first").assign(observed_at=at)


def test_two_captures_stay_apart_who_left_after_the_warning_is_a_lead_and_nobody_is_promoted() -> None:
    """The followers list and the following list were copied before and after the school's warning
    assembly. The maker followed first and was the first account the subject followed; after the
    assembly it unfollowed and the subject stopped following it. Before, the two captures were one
    list: the maker's removal was invisible and @pal, next in line, became 'first followed'."""
    before, after = T0 + pd.Timedelta(days=10), T0 + pd.Timedelta(days=20)
    fans = [f"fan{i}" for i in range(10)]
    first = _capture([(h, S, n) for n, h in enumerate(["maker", "pal", *fans], start=1)], before)
    second = _capture([(h, S, n) for n, h in enumerate(["pal", *fans, "newbie"], start=1)], after)
    follows_1 = _capture([(S, h, n) for n, h in enumerate(["maker", "pal", "popstar"], start=1)], before)
    follows_2 = _capture([(S, h, n) for n, h in enumerate(["pal", "popstar"], start=1)], after)
    rel = pd.concat([first, second, follows_1, follows_2], ignore_index=True)
    events = validate(pd.DataFrame({"at": [T0 + pd.Timedelta(days=15)], "kind": ["assembly"],
                                    "summary": ["Year 9 assembly: warning about the fake account"]}), "events")
    leads = _rank(rel, events=events).set_index("handle_key")
    assert leads.index[0] == "maker"
    assert leads.loc["pal", "follower_rank"] == 2 and leads.loc["pal", "following_rank"] == 2  # not promoted
    assert leads.loc["maker", "follower_rank"] == 1 and leads.loc["maker", "following_rank"] == 1
    left = next(e for e in leads.loc["maker", "evidence"] if e["feature"].startswith("left"))
    assert left["feature"] == "left_after_warning" and "after the school's warning of 23/09/2025" in left["text"]
    assert left["detail"]["left_seen"] == before.isoformat() and left["detail"]["left_by"] == after.isoformat()
    assert "gone from the capture of 28/09/2025" in left["text"]
    dropped = next(e for e in leads.loc["maker", "evidence"] if e["feature"] == "dropped")
    assert "no longer does in the capture of 28/09/2025" in dropped["text"] and dropped["points"] > 0
    features = lead_features(rel, empty("interactions"), empty("posts"), _accounts(), subject=S)
    assert features.loc["newbie", "arrived_by"] == after and pd.isna(features.loc["pal", "left_seen"])
    assert features.loc["newbie", "follower_rank"] == 13  # after everyone of the first capture, the maker too
    quiet = _rank(rel).set_index("handle_key")  # no chronology: leaving still counts, less
    gone = {e["feature"]: e["points"] for e in quiet.loc["maker", "evidence"]}
    assert "left" in gone and "left_after_warning" not in gone
    assert gone["left"] < left["points"]


def test_one_capture_in_two_files_is_one_capture_and_other_lists_are_not_captures() -> None:
    """Two files of one list observed at the same time are one capture: nobody 'leaves'. Nor does
    the subject 'stop following' @ann because another list (the followers of @school.acct, copied
    a day later) holds the subject but not @ann: that is not a capture of the subject's list."""
    at = T0 + pd.Timedelta(days=3)
    theirs = _capture([(S, "school.acct", 1)], at + pd.Timedelta(days=1))
    theirs = theirs.assign(observed_list="followers of @school.acct")
    rel = pd.concat([_capture([("ann", S, 1), ("ben", S, 2)], at), _capture([("cat", S, 3)], at),
                     _capture([(S, "ann", 1)], at), theirs], ignore_index=True)
    features = lead_features(rel, empty("interactions"), empty("posts"), _accounts(), subject=S)
    assert features["left_seen"].isna().all() and features["arrived_by"].isna().all()
    assert features["dropped_seen"].isna().all()
    assert features.loc["cat", "follower_rank"] == 3


# ------------------------------------------------------------------ who the fake followed first (issue 25)
def test_the_fakes_first_follows_of_one_family_point_at_its_maker() -> None:
    """The fake's first four follows (oldest first) were one family: the maker, her brother, their
    father and the family business; none follows back or interacts. Ten classmates are on both
    lists (they followed after the first fans) and comment now and then; a super-fan comments first
    on everything. Before, the maker
    came far down; a family circle among the first follows is a reason even without interaction."""
    family = ["ida.q", "pip.q", "olaf.q", "quillfeather.plumbing"]
    mates = [f"mate{i}" for i in range(10)]
    following = [(S, h, n) for n, h in enumerate([*family, "school.office", *mates, "popstar"], start=1)]
    followers = [(h, S, n) for n, h in enumerate([*[f"fan{i}" for i in range(15)], "superfan", *mates], start=1)]
    rel = pd.concat([_rel(following, order="oldest-first"), _rel(followers, order="oldest-first")])
    posts = _posts(12)
    loud = [("superfan", f"p{i}", T0 + pd.Timedelta(days=i, minutes=1)) for i in range(12)]
    chat = [(m, f"p{(n + k) % 12}", T0 + pd.Timedelta(days=(n + k) % 12, hours=5)) for n, m in enumerate(mates)
            for k in (0, 5)]
    people = validate(pd.DataFrame(
        [("P1", "Ida Quillfeather", "learner", "Year 9", "9W", "ida.q"),
         ("P2", "Pip Quillfeather", "learner", "Year 7", "7R", "pip.q"),
         ("P3", "Mr Olaf Quillfeather", "parent", None, None, "olaf.q"),
         *[(f"M{n}", f"Mate {name}", "learner", "Year 9", "9W", m) for n, (m, name) in
           enumerate(zip(mates, ["Ashdown", "Brackley", "Corrow", "Dunmore", "Elstow", "Fenwick", "Garrow", "Hexley",
                                 "Ickworth", "Jessop"], strict=True))]],
        columns=["person_id", "name", "role", "year_group", "tutor_group", "handles"]), "people")
    leads = _rank(rel, _comments(loud + chat), posts, people=people).set_index("handle_key")
    assert leads.index[0] == "ida.q"
    assert all(any("share a family name" in r for r in leads.loc[h, "reasons"]) for h in family)
    reason = next(r for r in leads.loc["ida.q", "reasons"] if "share a family name" in r)
    assert "@pip.q, @olaf.q, @quillfeather.plumbing" in reason and "Quillfeather" not in reason  # no name shown
    without = _rank(rel, _comments(loud + chat), posts).set_index("handle_key")  # no people list: no circle
    assert not any("family name" in r for rs in without["reasons"] for r in rs)
    assert without.index.get_loc("ida.q") > 0  # before, the loud accounts came first


def test_a_family_circle_needs_a_known_order() -> None:
    """The same follows listed in the platform's own order: no position is evidence, so no circle."""
    following = [(S, h, n) for n, h in enumerate(["ida.q", "pip.q", "popstar"], start=1)]
    people = validate(pd.DataFrame([("P1", "Ida Quillfeather", "learner", "Year 9", "9W", "ida.q"),
                                    ("P2", "Pip Quillfeather", "learner", "Year 7", "7R", "pip.q")],
                                   columns=["person_id", "name", "role", "year_group", "tutor_group", "handles"]),
                      "people")
    leads = _rank(_rel(following, order="app"), people=people)
    assert not any("family name" in r or "first accounts" in r for rs in leads["reasons"] for r in rs)
    assert leads["following_rank"].isna().all()


def test_among_the_first_five_is_graded() -> None:
    """The 1st follower is not the 5th: each earlier place is worth more; in app order none is."""
    leads = _rank(_rel([(f"fan{i}", S, i) for i in range(1, 31)], order="oldest-first")).set_index("handle_key")
    scores = [leads.loc[f"fan{i}", "score"] for i in (1, 2, 3, 5, 6)]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 5
    assert "fan21" not in leads.index


# ------------------------------------------------------------------ outside the school (issue 25)
def test_an_adult_close_to_the_victims_own_account_and_every_copycat_is_a_lead() -> None:
    """A teacher's ex-partner made the account: unknown to the people list, it follows the
    teacher's own account (her followers list was imported) and both copycats, follows the
    subject on day three and never comments. Classmates followed on the first evening, were
    followed back and chat; one of them follows one copycat. Before, the teacher's own lists had no effect at all."""
    teacher, copies = "ms.fernsby", ["grimblewood.g0ssip", "grimblewood_gossip2"]
    mates = [f"mate{i}" for i in range(8)]
    crowd = [f"fan{i}" for i in range(30)]
    followers = [(h, S, None, _min(60 * 20 + 37 * n)) for n, h in enumerate([*crowd[:10], *mates, *crowd[10:]])]
    followers.append(("ex.partner", S, None, _min(60 * 24 * 3)))
    following = [(S, h, None, _min(5 + n)) for n, h in enumerate(["grimblewood.academy", "popstar", "meme.hub",
                                                                    "cat.daily", "goals.hub", "slime.world"])]
    following += [(S, m, None, _min(60 * 24 * 4 + n)) for n, m in enumerate(mates)]
    around = pd.concat([_rel(followers), _rel(following)])
    hers = _rel([(h, teacher) for h in ["ex.partner", "her.sister", "mr.colleague", "fan3"]])
    copied = _rel([("ex.partner", c) for c in copies] + [("mate1", copies[0]), ("fan7", copies[1])])
    chat = _comments([(m, f"p{n % 6}", T0 + pd.Timedelta(days=n % 6, hours=3)) for n, m in enumerate(mates)])
    accounts = _accounts([(teacher, "staff"), *[(c, "copycat") for c in copies]])
    leads = _rank(pd.concat([around, hers, copied]), chat, _posts(6), accounts=accounts).set_index("handle_key")
    assert leads.index[0] == "ex.partner"
    assert {"victim_circle", "victim_and_copycats"} <= {e["feature"] for e in leads.loc["ex.partner", "evidence"]}
    assert "victim_and_copycats" not in {e["feature"] for e in leads.loc["fan3", "evidence"]}  # the teacher only
    assert "her.sister" not in leads.index and "mr.colleague" not in leads.index  # near the victim alone: no lead
    before = _rank(pd.concat([around, copied]), chat, _posts(6), accounts=accounts)  # without the teacher's list
    assert before["handle_key"].iloc[0] != "ex.partner"


def test_cli_shows_the_accounts_around_the_subject_apart(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from investigate.case import Case
    from investigate.cli import main

    rel, inter, posts = _victim_case()
    case = Case.create(tmp_path / "case", title="Grimblewood gossip", analyst="tester")
    case.add_rows({"relationships": rel, "posts": posts, "interactions": inter,
                   "accounts": _accounts([("tansy.target", "target")])}, who="tester", what="test rows")
    assert main(["leads", str(case.path), "--account", S]) == 0
    out = capsys.readouterr().out
    assert "  1. @quill.maker" in out and "@tansy.target  score" not in out
    assert ("Accounts around @grimblewood.gossip (known roles: context, not leads):\n"
            "  - @tansy.target: a person the subject targets (on both lists; tagged or named by "
            "@grimblewood.gossip 4 times; 10 comments on its posts)") in out
    assert main(["leads", str(case.path), "--account", S, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [a["role"] for a in data["around"]] == ["target"]


# ------------------------------------------------------------------ the hard level's friends and tidy makers (issue 25)
def _friends_first(*, early_comment: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The maker shared the new account in a group chat: three friends followed it before the
    maker did; the fake then followed the maker first and the friends after. The friends are
    louder than the careful maker: each reshared a post, follows both copycats and commented on
    the first posts; the maker commented once, minutes after a post went up, and follows one copycat."""
    friends = ["friend1", "friend2", "friend3"]
    copies = ["grimblewood.g0ssip", "grimblewood_gossip2"]
    followers = [(h, S, n) for n, h in enumerate([*friends, "maker", *[f"fan{i}" for i in range(30)]], start=1)]
    following = [(S, h, n) for n, h in enumerate(["maker", *friends, "school.office", "popstar"], start=1)]
    copied = _rel([(f, c) for f in friends for c in copies] + [("maker", copies[0])])
    rel = pd.concat([_rel(followers, order="oldest-first"), _rel(following, order="oldest-first"), copied])
    chat = [(f, f"p{i}", T0 + pd.Timedelta(days=i, hours=3 + n)) for n, f in enumerate(friends) for i in (0, 1, 2)]
    if early_comment:  # friend1 commented on the first post 20 minutes after it went up: first seen soon
        chat[0] = ("friend1", "p0", _min(20))
    mine = [("maker", "p5", T0 + pd.Timedelta(days=5, minutes=4))]
    shares = validate(pd.DataFrame({"platform": "tiktok", "actor": friends, "kind": "reshare", "on_account": S,
                                    "post_id": ["p3", "p4", "p5"], "at": [T0 + pd.Timedelta(days=d, hours=6)
                                                                          for d in (3, 4, 5)]}), "interactions")
    accounts = _accounts([(c, "copycat") for c in copies])
    return rel, pd.concat([_comments(chat + mine), shares], ignore_index=True), accounts


def test_the_fakes_very_first_follow_outweighs_friends_who_followed_first_and_are_louder() -> None:
    """Before, each friend (first to follow, a reshare, both copycats, comments on the first posts)
    outscored the maker, whom the fake followed first: volume won again."""
    rel, inter, accounts = _friends_first()
    leads = _rank(rel, inter, _posts(12), accounts=accounts).set_index("handle_key")
    assert leads.index[0] == "maker"
    assert leads.loc["maker", "following_rank"] == 1 and leads.loc["friend1", "follower_rank"] == 1
    first = {h: next(e["points"] for e in leads.loc[h, "evidence"] if e["feature"] == "followed_first")
             for h in ("maker", "friend1")}
    assert first["maker"] > 2 * first["friend1"]  # the 1st follow is the maker's own choice, the 2nd its circle
    assert any("Reshared" in r for r in leads.loc["friend1", "reasons"])  # the friends' reasons are all kept


def test_being_among_the_first_followers_and_first_seen_soon_are_one_fact() -> None:
    """The same, but friend1 also commented 20 minutes after the first post went up. That it was
    first to follow and first seen soon both say it was there at the start: counted once, they do
    not lift it above the account the fake followed first. Both reasons are still shown."""
    rel, inter, accounts = _friends_first(early_comment=True)
    leads = _rank(rel, inter, _posts(12), accounts=accounts).set_index("handle_key")
    assert leads.index[0] == "maker"
    shown = {e["feature"] for e in leads.loc["friend1", "evidence"]}
    assert {"early_follower", "soon_after_creation"} <= shown


def test_the_fake_dropping_an_account_after_the_warning_points_at_its_maker() -> None:
    """Copies before and after the warning assembly: the maker and its friend @pal both unfollowed.
    Only the fake's own following list shows who tidied up: the fake stopped following the maker
    (only its maker decides whom it follows) and still follows @pal. @pal is louder (first to
    follow, two comments on the first posts, a reshare, a copycat); before, @pal came first."""
    before, after = T0 + pd.Timedelta(days=10), T0 + pd.Timedelta(days=20)
    fans = [f"fan{i}" for i in range(20)]
    rel = pd.concat([
        _capture([(h, S, n) for n, h in enumerate(["pal", "maker", *fans], start=1)], before),
        _capture([(h, S, n) for n, h in enumerate(fans, start=1)], after),
        _capture([(S, h, n) for n, h in enumerate(["school.office", "maker", "pal", "popstar"], start=1)], before),
        _capture([(S, h, n) for n, h in enumerate(["school.office", "pal", "popstar"], start=1)], after),
        _rel([("pal", "grimblewood.g0ssip")])], ignore_index=True)
    events = validate(pd.DataFrame({"at": [T0 + pd.Timedelta(days=15)], "kind": ["assembly"],
                                    "summary": ["Year 9 assembly: warning about the fake account"]}), "events")
    chat = _comments([*[(f"fan{i}", f"p{i}", T0 + pd.Timedelta(days=i, hours=1)) for i in range(8)],
                      *[("pal", f"p{i}", T0 + pd.Timedelta(days=i, hours=2)) for i in (0, 1)]])
    share = validate(pd.DataFrame({"platform": "tiktok", "actor": ["pal"], "kind": "reshare", "on_account": S,
                                   "post_id": ["p2"], "at": [T0 + pd.Timedelta(days=2, hours=5)]}), "interactions")
    accounts = _accounts([("grimblewood.g0ssip", "copycat")])
    leads = _rank(rel, pd.concat([chat, share], ignore_index=True), _posts(8), accounts=accounts,
                  events=events).set_index("handle_key")
    assert leads.index[0] == "maker"
    for h in ("maker", "pal"):  # both left after the warning: that alone tells them apart not at all
        assert "left_after_warning" in {e["feature"] for e in leads.loc[h, "evidence"]}
    assert "dropped" in {e["feature"] for e in leads.loc["maker", "evidence"]}
    assert "dropped" not in {e["feature"] for e in leads.loc["pal", "evidence"]}


def test_the_adult_close_to_the_teacher_and_there_from_the_start_outranks_a_parent_and_a_nosy_learner() -> None:
    """A teacher's ex-partner made the account and was its first follower, minutes after it was
    made; it follows the teacher's own account and both copycats, is never followed back and never
    comments. A parent followed on the first evening and was the first account the fake followed
    (it followed back). A learner joined in the wave, was followed back, follows the teacher and
    both copycats too, and commented twice, days after the posts. Before, the learner came first
    (both lists, the teacher and the copycats), and the parent scored on the fake's first follow."""
    teacher, copies = "ms.fernsby", ["grimblewood.g0ssip", "grimblewood_gossip2"]
    fans = [f"fan{i}" for i in range(30)]
    followers = [(h, S, n) for n, h in enumerate(["ex.partner", "olaf.parent", *fans[:24], "nosy.learner",
                                                  *fans[24:]], start=1)]
    following = [(S, h, n) for n, h in enumerate(["olaf.parent", "popstar", "meme.hub", "nosy.learner", "fan20"],
                                                 start=1)]
    hers = _rel([(h, teacher) for h in ["ex.partner", "nosy.learner", "her.sister", "fan3"]])
    copied = _rel([(h, c) for h in ("ex.partner", "nosy.learner") for c in copies] + [("fan7", copies[1])])
    rel = pd.concat([_rel(followers, order="oldest-first"), _rel(following, order="oldest-first"), hers, copied])
    chat = _comments([*[(f"fan{i}", f"p{i}", T0 + pd.Timedelta(days=i, hours=1)) for i in range(6)],
                      ("nosy.learner", "p2", T0 + pd.Timedelta(days=4, hours=4)),
                      ("nosy.learner", "p4", T0 + pd.Timedelta(days=6, hours=4))])
    accounts = _accounts([(teacher, "staff"), *[(c, "copycat") for c in copies]])
    leads = _rank(rel, chat, _posts(6), accounts=accounts).set_index("handle_key")
    assert leads.index[0] == "ex.partner"
    assert leads.loc["ex.partner", "score"] > leads.loc["nosy.learner", "score"] > 0
    assert "victim_and_early" in {e["feature"] for e in leads.loc["ex.partner", "evidence"]}
    assert "victim_and_early" not in {e["feature"] for e in leads.loc["nosy.learner", "evidence"]}
    assert "her.sister" not in leads.index  # close to the teacher alone: no lead
