"""Marking accounts (subject, copycat, school...) from the command line, audited; lookalikes suggested."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from investigate.accounts import copycat_suggestions, mark_account
from investigate.cli import main
from investigate.errors import InvestigateError


@pytest.fixture
def listed(case, tmp_path):
    """A case built as the README says: a followers list imported, no role marked yet."""
    from investigate.importer import import_file

    followers = tmp_path / "followers.txt"
    followers.write_text("@barnaby_t\n@grimb1ewood.gossip\n@quill.feather\n@grimblewood_official\n")
    import_file(case, followers, format="text", platform="tiktok", account="grimblewood.gossip",
                list_kind="followers")
    return case


def test_account_command_marks_the_subject_and_audits_it(listed, capsys):
    assert main(["account", str(listed.path), "@Grimblewood.Gossip", "--role", "subject", "--who", "Ms Q"]) == 0
    out = capsys.readouterr().out
    assert "@grimblewood.gossip (tiktok) is now marked: subject." in out
    assert "@grimb1ewood.gossip (tiktok): looks the same @grimblewood.gossip" in out  # a copycat to check
    accounts = listed.table("accounts").set_index("handle_key")
    assert accounts.loc["grimblewood.gossip", "role"] == "subject"
    entry = listed.table("audit").iloc[-1]
    assert entry["what"] == "account role set" and entry["who"] == "Ms Q"
    assert json.loads(entry["details"]) == {"platform": "tiktok", "handle": "grimblewood.gossip", "role": "subject",
                                            "was": "unknown"}
    # the lookalike, once confirmed, is a copycat; the subject keeps its role
    assert main(["account", str(listed.path), "grimb1ewood.gossip", "--role", "copycat"]) == 0
    roles = listed.table("accounts").set_index("handle_key")["role"]
    assert roles["grimb1ewood.gossip"] == "copycat" and roles["grimblewood.gossip"] == "subject"
    assert copycat_suggestions(listed.table("accounts")).empty


def test_account_command_refuses_an_unknown_handle_naming_close_ones(listed, capsys):
    before = listed.count("audit")
    assert main(["account", str(listed.path), "grimblewood.gosip", "--role", "subject"]) == 1
    err = capsys.readouterr().err
    assert "@grimblewood.gosip is not in this case" in err and "@grimblewood.gossip" in err
    assert listed.count("audit") == before
    with pytest.raises(SystemExit):  # argparse refuses a role that does not exist
        main(["account", str(listed.path), "barnaby_t", "--role", "suspect"])


def test_marking_asks_for_the_platform_when_the_handle_is_on_several(case):
    accounts = pd.DataFrame({"platform": ["tiktok", "instagram"], "handle": ["barnaby_t"] * 2,
                             "handle_key": ["barnaby_t"] * 2})
    case.add_rows({"accounts": accounts}, what="test data")
    with pytest.raises(InvestigateError, match="several platforms"):
        mark_account(case, "barnaby_t", "staff")
    assert mark_account(case, "barnaby_t", "staff", platform="instagram")["role"] == "staff"
    roles = case.table("accounts").set_index("platform")["role"]
    assert roles["instagram"] == "staff" and pd.isna(roles["tiktok"])


def test_a_marked_subject_gets_leads_in_the_report_path(listed, tmp_path):
    from investigate.casework import case_leads
    from investigate.importer import import_file

    following = tmp_path / "following.txt"  # barnaby_t is on both lists: a lead (a follower alone is not)
    following.write_text("@barnaby_t\n")
    import_file(listed, following, format="text", platform="tiktok", account="grimblewood.gossip",
                list_kind="following")
    mark_account(listed, "grimblewood.gossip", "subject")
    subjects = listed.table("accounts").query("role == 'subject'")["handle_key"].tolist()
    assert subjects == ["grimblewood.gossip"]
    assert len(case_leads(listed, account=subjects[0])) >= 1
