"""The leads read from a case only the rows and columns they rest on, and rank exactly as over the whole tables.

:func:`investigate.lead_rows.lead_tables` prunes before ranking (issue 30: a million-row list's accounts
are never held whole); the ranking over what it reads must be the ranking over every row: checked on
the bundled training case and on generated hard cases of every shape, for the subjects, the copycats
and leads taken as subjects (other accounts' lists then count).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from investigate.case import Case
from investigate.casework import case_accounts_around, case_leads
from investigate.errors import InvestigateError
from investigate.importer import import_file
from investigate.lead_rows import lead_tables
from investigate.leads import accounts_around, rank_leads
from investigate.training import SHAPES, build_case, generate


def _whole_leads(case: Case, account: str) -> pd.DataFrame:
    t = {name: case.table(name) for name in ("relationships", "interactions", "posts", "accounts", "people", "events")}
    return rank_leads(t["relationships"], t["interactions"], t["posts"], t["accounts"], t["people"],
                      subject=account, zone=case.timezone, events=t["events"])


def _whole_around(case: Case, account: str) -> pd.DataFrame:
    t = {name: case.table(name) for name in ("relationships", "interactions", "posts", "accounts", "people")}
    return accounts_around(t["relationships"], t["interactions"], t["posts"], t["accounts"], t["people"],
                           subject=account)


def _accounts_to_check(case: Case) -> list[str]:
    """The subjects and copycats, and the top leads of the first subject taken as subjects themselves."""
    accounts = case.table("accounts")
    role = accounts["role"].astype("string")
    marked = accounts.loc[role.isin(["subject", "copycat"]).fillna(False), "handle_key"].astype(str).tolist()
    subject = accounts.loc[role.eq("subject").fillna(False), "handle_key"].astype(str).iloc[0]
    top = _whole_leads(case, subject)["handle_key"].astype(str).head(3).tolist()
    return list(dict.fromkeys([*marked, *top]))


def _same_leads(case: Case) -> int:
    checked = 0
    for account in _accounts_to_check(case):
        pruned, whole = case_leads(case, account=account), _whole_leads(case, account)
        pd.testing.assert_frame_equal(pruned, whole)
        pd.testing.assert_frame_equal(case_accounts_around(case, account=account), _whole_around(case, account))
        checked += len(whole) > 0
    return checked


@pytest.fixture(scope="module")
def sample_case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    return build_case(tmp_path_factory.mktemp("sample") / "case")


def test_the_training_case_ranks_the_same_from_the_rows_the_leads_rest_on(sample_case: Case) -> None:
    assert _same_leads(sample_case) >= 2  # the subject's leads, and a lead's own (non-empty) ranking


@pytest.mark.parametrize("shape", ["", *SHAPES])
def test_hard_cases_rank_the_same_from_the_rows_the_leads_rest_on(tmp_path: Path, shape: str) -> None:
    folder = generate(tmp_path / "data", seed=11, difficulty="hard", shape=shape)
    case = build_case(tmp_path / "case", source=folder)
    assert _same_leads(case) >= 1


def test_rows_no_lead_rests_on_are_not_read(sample_case: Case, tmp_path: Path) -> None:
    """An unrelated account's list and its followers' accounts are left out; the subject's lists are read whole,
    and a lead's handle as shown (not its key) is read once it is a lead."""
    import shutil

    case = Case.open(shutil.copytree(sample_case.path, tmp_path / "case"))
    accounts = case.table("accounts")
    subject = str(accounts.loc[accounts["role"].eq("subject").fillna(False), "handle_key"].iloc[0])
    crowd = tmp_path / "crowd.csv"
    crowd.write_text("Username\n" + "".join(f"Crowd.Member{i}\n" for i in range(300)), encoding="utf-8")
    import_file(case, crowd, format="csv", platform="tiktok", account="someone.else", list_kind="followers",
                who="test")
    shown = tmp_path / "following.csv"
    shown.write_text("Username\nEarly.Fan\n", encoding="utf-8")
    import_file(case, shown, format="csv", platform="tiktok", account=subject, list_kind="following", who="test")
    t = lead_tables(case, subject)
    whole = case.table("relationships")
    assert not t["relationships"]["followed"].eq("someone.else").any()
    mine = whole["followed"].eq(subject) | whole["follower"].eq(subject)
    assert t["relationships"]["follower"].eq(subject).sum() + t["relationships"]["followed"].eq(subject).sum() \
        == int(mine.sum())
    assert not t["accounts"]["handle_key"].str.startswith("crowd.member").any()
    assert len(t["accounts"]) < len(case.table("accounts"))
    leads = case_leads(case, account=subject)
    pd.testing.assert_frame_equal(leads, _whole_leads(case, subject))
    assert leads.loc[leads["handle_key"] == "early.fan", "handle"].tolist() == ["Early.Fan"]  # read for the leads


def test_an_account_not_in_the_case_names_the_same_close_handles(sample_case: Case) -> None:
    accounts = sample_case.table("accounts")
    subject = str(accounts.loc[accounts["role"].eq("subject").fillna(False), "handle_key"].iloc[0])
    typo = subject[:-1] + ("x" if subject[-1] != "x" else "y")
    with pytest.raises(InvestigateError) as whole:
        _whole_leads(sample_case, typo)
    with pytest.raises(InvestigateError) as pruned:
        case_leads(sample_case, account=typo)
    assert str(pruned.value) == str(whole.value) and "Close names" in str(pruned.value)
