"""Chronology: one time-ordered frame, right across the BST/GMT changes."""

from __future__ import annotations

import pandas as pd
import pytest

from investigate.chronology import COLUMNS, build_chronology
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
    assert comment["summary"] == "@zeph.quill commented on @fake.head (post p1): lol"
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
