"""Chronology: one time-ordered frame, right across the BST/GMT changes."""

from __future__ import annotations

import pandas as pd
import pytest

from investigate.chronology import COLUMNS, build_chronology, select_events
from investigate.errors import InvestigateError
from investigate.schema import empty, validate

UTC = "UTC"


def _frames() -> dict[str, pd.DataFrame]:
    posts = validate(pd.DataFrame({
        "platform": "tiktok", "account": ["fake.head", "fake.head", "fake.head"], "post_id": ["p1", "p2", "p3"],
        # 00:30 UTC on 30 Mar 2025 is 00:30 GMT; 01:30 UTC is 02:30 BST (clocks went forward at 01:00 UTC)
        "posted_at": ["2025-03-30T00:30:00Z", "2025-03-30T01:30:00Z", "2025-10-26T00:30:00Z"],
        "text": ["first <b>post</b>", "second", "third"], "evidence_id": ["E1", "E1", "E2"]}), "posts")
    inter = validate(pd.DataFrame({
        "platform": "tiktok", "actor": ["zeph.quill"], "kind": ["comment"], "on_account": ["fake.head"],
        "post_id": ["p1"], "text": ["lol"], "at": ["2025-10-26T01:30:00Z"], "evidence_id": ["E3"]}), "interactions")
    rel = validate(pd.DataFrame({
        "platform": "tiktok", "follower": ["zeph.quill", "bram.thistle"], "followed": ["fake.head", "fake.head"],
        "observed_list": "followers of @fake.head", "position": [1, 2],
        "followed_at": ["2025-03-29T12:00:00Z", None], "observed_at": "2025-11-01T09:00:00Z",
        "evidence_id": "E4"}), "relationships")
    events = validate(pd.DataFrame({
        "at": ["2025-10-27T10:00:00Z", "2025-10-30T16:00:00Z", "2025-10-28T09:00:00Z"],
        "precision": ["exact", "day", "exact"],
        "kind": ["platform_report", "takedown", "meeting"], "summary": ["Reported to TikTok", "Account removed",
                                                                          "Met the DSL"],
        "accounts": "fake.head", "source": "entered"}), "events")
    accounts = validate(pd.DataFrame({"platform": "tiktok", "handle": ["Fake.Head"], "handle_key": ["fake.head"],
                                      "created_at": ["2025-03-28T00:00:00Z"]}), "accounts")
    return {"posts": posts, "interactions": inter, "relationships": rel, "events": events, "accounts": accounts}


def test_rows_are_ordered_and_carry_their_source() -> None:
    c = build_chronology(**_frames(), timezone="Europe/London")
    assert list(c.columns) == list(COLUMNS)
    assert c["at"].is_monotonic_increasing
    assert c["at"].dt.tz is not None and str(c["at"].dt.tz) == UTC
    kinds = c["kind"].tolist()
    assert kinds[:3] == ["account created", "follow", "first post"]
    assert set(kinds) >= {"post", "comment", "list observed", "platform_report", "takedown", "meeting"}
    created = c[c["kind"] == "account created"].iloc[0]
    assert created["marker"] == "account created" and created["precision"] == "day"
    assert created["source"] == "derived"
    assert c.loc[c["kind"] == "platform_report", "marker"].tolist() == ["report made"]
    assert c.loc[c["kind"] == "takedown", "marker"].tolist() == ["takedown"]
    assert c.loc[c["kind"] == "meeting", "marker"].isna().all()
    obs = c[c["kind"] == "list observed"].iloc[0]
    assert obs["summary"] == "Recorded followers of @fake.head (2 accounts)" and obs["evidence_id"] == "E4"
    comment = c[c["kind"] == "comment"].iloc[0]
    # the post is named by its time, never by the platform's id (a 19-digit number means nothing to a reader)
    assert comment["summary"] == "@zeph.quill commented on @fake.head (post of 30/03/2025 00:30): lol"
    assert comment["evidence_id"] == "E3" and comment["source"] == "interactions"
    # the text is kept as it is (escaping is the figure's job)
    assert c[c["kind"] == "post"].iloc[0]["summary"] == "@fake.head posted: first <b>post</b>"


def test_local_times_across_the_clock_changes() -> None:
    c = build_chronology(**_frames(), timezone="Europe/London")
    local = dict(zip(c.loc[c["kind"] == "post", "at"].astype(str), c.loc[c["kind"] == "post", "at_local"],
                     strict=True))
    spring_before = local["2025-03-30 00:30:00+00:00"]
    spring_after = local["2025-03-30 01:30:00+00:00"]
    assert (spring_before.hour, spring_before.utcoffset()) == (0, pd.Timedelta(0))  # GMT
    assert (spring_after.hour, spring_after.utcoffset()) == (2, pd.Timedelta(hours=1))  # BST
    autumn = local["2025-10-26 00:30:00+00:00"]  # 01:30 BST, the first of the two 01:30s
    assert (autumn.hour, autumn.minute, autumn.utcoffset()) == (1, 30, pd.Timedelta(hours=1))
    comment = c.loc[c["kind"] == "comment", "at_local"].iloc[0]  # 01:30 UTC = 01:30 GMT, the second one
    assert (comment.hour, comment.minute, comment.utcoffset()) == (1, 30, pd.Timedelta(0))
    assert comment > autumn  # ordered by the real instant, not by the local clock


def test_other_timezone_and_bad_timezone() -> None:
    c = build_chronology(**_frames(), timezone="America/New_York")
    assert str(c["at_local"].dt.tz) == "America/New_York"
    with pytest.raises(InvestigateError, match="Europe/London"):
        build_chronology(**_frames(), timezone="Mars/Olympus")


def test_empty_case() -> None:
    c = build_chronology(empty("posts"), empty("interactions"), empty("relationships"), empty("events"),
                         empty("accounts"))
    assert list(c.columns) == list(COLUMNS) and c.empty


def test_list_observed_rows_name_the_lists_owner_not_an_account_on_it() -> None:
    """A following list's rows all have the owner as follower: the event names the owner, never the first
    account listed (a learner's handle)."""
    rel = validate(pd.DataFrame({
        "platform": "tiktok", "follower": ["fake.head", "fake.head", "zeph.quill", "bram.thistle", "solo.fan"],
        "followed": ["zeph.quill", "bram.thistle", "fake.head", "fake.head", "other.fake"],
        "observed_list": ["following of @fake.head"] * 2 + ["followers of @fake.head"] * 2
        + ["followers of @other.fake"],
        "observed_at": ["2025-11-01T09:00:00Z"] * 2 + ["2025-11-01T09:05:00Z"] * 2 + ["2025-11-01T09:10:00Z"],
        "evidence_id": "E4"}), "relationships")
    c = build_chronology(empty("posts"), empty("interactions"), rel, empty("events"), empty("accounts"))
    seen = c[c["kind"] == "list observed"].set_index("summary")["accounts"].to_dict()
    assert seen == {"Recorded following of @fake.head (2 accounts)": "fake.head",
                    "Recorded followers of @fake.head (2 accounts)": "fake.head",
                    "Recorded followers of @other.fake (1 accounts)": "other.fake"}


def test_entered_event_texts_are_never_cut() -> None:
    text = "No nude or semi-nude images were seen; " * 6
    events = validate(pd.DataFrame({"at": ["2025-10-27T10:00:00Z"], "kind": ["evidence"], "summary": [text],
                                    "source": "entered"}), "events")
    c = build_chronology(empty("posts"), empty("interactions"), empty("relationships"), events, empty("accounts"))
    assert c["summary"].iloc[0] == text.strip()


def test_the_incident_chronology_summarises_bulk_follows_and_interactions() -> None:
    from investigate.chronology import incident_chronology

    at = pd.date_range("2025-09-24 10:00", periods=6, freq="D", tz="UTC")
    rel = validate(pd.DataFrame({"platform": "tiktok", "follower": [f"fan{i}" for i in range(6)],
                                 "followed": ["fake.head"] * 5 + ["school"], "followed_at": at}), "relationships")
    inter = validate(pd.DataFrame({"platform": "tiktok", "actor": [f"fan{i}" for i in range(5)], "kind": "comment",
                                   "on_account": "fake.head", "post_id": "p1", "text": "lol", "at": at[:5]}),
                     "interactions")
    events = validate(pd.DataFrame({"at": ["2025-10-27T10:00:00Z"], "kind": ["meeting"], "summary": ["Met"],
                                    "source": "entered"}), "events")
    full = build_chronology(empty("posts"), inter, rel, events, empty("accounts"))
    incident = incident_chronology(full, ["fake.head"], keep=3)
    assert len(full) == 12 and incident["kind"].tolist() == ["follows, summarised", "interactions, summarised",
                                                             "meeting"]
    assert incident["summary"].iloc[0] == ("5 accounts followed @fake.head between 24 Sep 2025 and 28 Sep 2025 "
                                           "(first @fan0, last @fan4)")
    assert incident["summary"].iloc[1].startswith("5 interactions (5 comments) on @fake.head's unrecorded post p1 by 5 "
                                                   "accounts")
    assert str(incident["at_local"].dt.tz) == "Europe/London"


def test_select_events_filters_by_kind_account_and_day() -> None:
    chron = pd.DataFrame({
        "kind": ["post", "comment", "report made"],
        "accounts": ["fake.head", "barnaby_t,fake.head", "fake.head"],
        "at_local": pd.to_datetime(["2025-11-01 23:30", "2025-11-02 08:00", "2025-11-04 09:00"]).tz_localize(
            "Europe/London"),
    })
    assert select_events(chron, account="barnaby_t")["kind"].tolist() == ["comment"]
    assert select_events(chron, start="2025-11-02", end="2025-11-02")["kind"].tolist() == ["comment"]
    assert select_events(chron, kinds=["post", "report made"])["kind"].tolist() == ["post", "report made"]
    assert select_events(chron, account="fake.head_teacher").empty  # a whole key, never part of one
    assert select_events(chron, start="2025-11-03")["kind"].tolist() == ["report made"]  # days in the case zone
    assert list(select_events(chron.iloc[0:0], kinds=["post"]).columns) == list(chron.columns)
