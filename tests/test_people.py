"""Adding a person by hand (investigate person), so that a pack about them can be written on a new case."""

from __future__ import annotations

import pytest
from conftest import snapshot

from investigate.case import Case
from investigate.cli import main


def test_a_lado_pack_on_a_new_case_says_how_to_add_the_person_then_works(case: Case, capsys) -> None:
    pack = ["pack", str(case.path), "lado", "--person", "Mr Jolyon Brambleshaw"]
    assert main(pack) == 1
    err = capsys.readouterr().err
    assert 'investigate person CASE "Mr Jolyon Brambleshaw" --role staff' in err and "--list people" in err
    assert main(["person", str(case.path), "Mr Jolyon  Brambleshaw", "--role", "staff",
                 "--handles", "@J.Bramble", "x.y,z"]) == 0
    assert "P0001 Mr Jolyon Brambleshaw (staff, accounts @j.bramble, @x.y, @z) added" in capsys.readouterr().out
    person = case.table("people").iloc[0]
    assert (person["person_id"], person["name"], person["role"], person["handles"]) == (
        "P0001", "Mr Jolyon Brambleshaw", "staff", "j.bramble,x.y,z")
    assert case.table("audit")["what"].iloc[-1] == "person added"
    assert main(pack) == 0
    assert "pack-lado-p0001-internal-" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "words"), [
    (["Mr Jolyon Brambleshaw", "--role", "staff"], "already in the case's people table (P0001)"),
    (["Zed Quill", "--role", "learner", "--handles", "two words"], "'two words': not a username"),
    (["Zed Quill", "--role", "learner", "--id", "p0001"], "already used"),
    (["  ", "--role", "staff"], "full name")])
def test_a_person_that_cannot_be_added_exactly_is_refused(case: Case, capsys, argv: list[str], words: str) -> None:
    assert main(["person", str(case.path), "Mr Jolyon Brambleshaw", "--role", "staff"]) == 0
    before = snapshot(case.path)
    assert main(["person", str(case.path), *argv]) == 1
    assert words in capsys.readouterr().err
    assert snapshot(case.path) == before
