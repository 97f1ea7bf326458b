"""--order on import: kept with the import and each relationship; the same list is not imported twice."""

from __future__ import annotations

import pytest
from conftest import snapshot

from investigate.case import Case
from investigate.chronology import build_chronology
from investigate.cli import main
from investigate.errors import InputError, InvestigateError
from investigate.importer import import_file


@pytest.fixture
def followers(tmp_path):
    path = tmp_path / "followers.csv"
    path.write_text("username\nquill.feather\nbarnaby_t\nmossbottom.fan\n", encoding="utf-8")
    return path


def test_order_is_stored_per_import_and_per_relationship(case: Case, followers, tmp_path) -> None:
    assert main(["import", str(case.path), str(followers), "--platform", "instagram", "--account", "fake.head",
                 "--list", "followers", "--order", "newest-first"]) == 0
    following = tmp_path / "following.csv"
    following.write_text("username\nquill.feather\n", encoding="utf-8")
    import_file(case, following, platform="instagram", account="fake.head", list_kind="following")
    imports = case.table("imports")
    assert imports["list_order"].fillna("").tolist() == ["newest-first", ""]
    rel = case.table("relationships")
    assert rel["list_order"].fillna("").tolist() == ["newest-first"] * 3 + [""]
    chron = build_chronology(case.table("posts"), case.table("interactions"), rel, case.table("events"),
                             case.table("accounts"), timezone=case.timezone)
    said = chron.loc[chron["kind"] == "list observed", "summary"].tolist()
    assert any("counting from the newest" in s for s in said)


def test_an_unknown_order_is_refused(case: Case, followers) -> None:
    with pytest.raises(InputError, match="oldest-first, newest-first, app"):
        import_file(case, followers, platform="instagram", account="fake.head", list_kind="followers",
                    order="alphabetical")


def test_the_same_list_under_another_spelling_of_the_account_is_refused(case: Case, followers) -> None:
    import_file(case, followers, platform="instagram", account="@Fake.Head", list_kind="followers", order="app")
    before = snapshot(case.path)
    with pytest.raises(InvestigateError, match="already imported"):
        import_file(case, followers, platform="instagram", account="fake.head", list_kind="followers", order="app")
    assert snapshot(case.path) == before
    assert len(case.table("relationships")) == 3


def test_a_list_without_its_order_says_positions_will_not_count(tmp_path) -> None:
    from investigate.case import Case
    from investigate.importer import import_file

    case = Case.create(tmp_path / "c", title="Order note")
    listed = tmp_path / "followers.csv"
    listed.write_text("username\nbarnaby_t\nquill.f\n", encoding="utf-8")
    result = import_file(case, listed, platform="tiktok", account="fake.head", list_kind="followers")
    assert "order was not given" in result.summary() and "never count as evidence" in result.summary()
    again = tmp_path / "following.csv"
    again.write_text("username\nbarnaby_t\n", encoding="utf-8")
    told = import_file(case, again, platform="tiktok", account="fake.head", list_kind="following",
                       order="oldest-first")
    assert "order was not given" not in told.summary()
