"""A case for a group of analysts (``investigate new CASE --group NAME``) on a shared server.

The folders are setgid and the group's (2770), files 0660, evidence 0440, everywhere the kit used to
make things private to one analyst; an analyst outside the group is refused by the kit (with a
message saying why) and by the file system; two analysts writing at once take turns on the store's
lock, the second saying whom it waits for. Run with real Unix accounts (see unix_accounts.py).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from unix_accounts import CAN_MAKE_USERS, WHY_NOT, Analysts, analysts, needs_root

from investigate import access
from investigate.case import Case
from investigate.errors import CaseError

TITLE = "Fake staff accounts at Grimblewood Academy"


@pytest.fixture(scope="module")
def team() -> Iterator[Analysts]:
    if not CAN_MAKE_USERS:
        pytest.skip(WHY_NOT)
    with analysts() as made:
        yield made


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _group_of(path: Path) -> str:
    import grp

    return grp.getgrgid(path.stat().st_gid).gr_name


def test_a_private_case_keeps_its_modes(tmp_path: Path) -> None:
    case = Case.create(tmp_path / "case", title=TITLE)
    assert access.modes_for(case.path / "exports" / "report.html") == access.PRIVATE
    if os.name == "posix":
        assert _mode(case.path) == 0o700 and _mode(case.path / "case.toml") == 0o600
        assert _mode(case.path / "evidence") == 0o700 and _mode(case.path / ".staging" / "evidence") == 0o700
    assert "group" not in case.config


def test_a_group_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match="There is no group called 'ivt-no-such-group'"):
        Case.create(tmp_path / "case", title=TITLE, group="ivt-no-such-group")
    assert not (tmp_path / "case").exists()


def _find_mode_problems(folder: Path, group: str) -> list[str]:
    problems = []
    for path in [folder, *folder.rglob("*")]:
        mode, where = _mode(path), path.relative_to(folder).as_posix()
        if _group_of(path) != group:
            problems.append(f"{where}: group {_group_of(path)}")
        if path.is_dir():
            if mode != 0o2770:
                problems.append(f"{where}: folder {mode:o}")
        elif path.parent.name in ("evidence", "tables") and path.parent.parent == folder:
            if mode != 0o440:
                problems.append(f"{where}: read-only file {mode:o}")
        elif mode != 0o660:
            problems.append(f"{where}: file {mode:o}")
    return problems


@pytest.mark.skipif(os.name != "posix", reason="Unix groups")
def test_every_writer_of_the_kit_gives_a_group_case_the_groups_modes(tmp_path: Path) -> None:
    """Store, evidence, imported parts, exports, seals, the Word report, the notebooks' copy: all with the
    group's modes (here the analyst's own group, which needs no root)."""
    import grp

    import pandas as pd

    from investigate.evidence import add_evidence
    from investigate.launch import working_notebooks
    from investigate.packs.export import write_export
    from investigate.report import write_report
    from investigate.schema import validate
    from investigate.seal import make_seal

    own = grp.getgrgid(os.getegid()).gr_name
    case = Case.create(tmp_path / "case", title=TITLE, group=own)
    assert case.config["group"] == own and Case.open(case.path).config["group"] == own
    shot = tmp_path / "post.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n synthetic screenshot")
    add_evidence(case, [shot], description="the fake account's first post")
    links = validate(pd.DataFrame({"platform": ["tiktok"], "follower": ["quill.feather"],
                                   "followed": ["fake.head_teacher"]}), "relationships")
    with case.transaction(what="test import") as conn:
        case.write_part(conn, "relationships", 1, links)
    case.add_finding(section="concern", text="A fake account impersonates the head teacher.")
    write_export(case, "cpoms")
    make_seal(case)
    write_report(case, case.exports_dir / "report.docx")
    working_notebooks(case.path)
    assert list((case.path / "tables").iterdir()) and list((case.path / "notebooks").iterdir())
    assert not _find_mode_problems(case.path, own)


@needs_root
@pytest.mark.slow
def test_a_group_case_is_the_groups_everywhere_and_closed_to_everyone_else(team: Analysts, tmp_path: Path) -> None:
    case = team.store / "grimblewood-modes"
    made = team.kit(team.a, "new", str(case), "--title", TITLE, "--group", team.group)
    assert made.returncode == 0, made.stderr
    assert f"It belongs to the group {team.group}" in made.stdout
    screenshot = team.store / "post.png"
    screenshot.write_bytes(b"\x89PNG\r\n\x1a\n synthetic screenshot of a fake account's post")
    os.chmod(screenshot, 0o644)
    followers = team.store / "followers.csv"
    followers.write_text("Username,Full name,Followed at\n@quill.feather,Quill Feather,2025-04-01T08:00:00Z\n"
                         "@mossbottom.fan,Moss Bottom,2025-04-02T08:00:00Z\n", encoding="utf-8")
    os.chmod(followers, 0o644)
    steps = [
        ("evidence", "add", str(case), str(screenshot), "--description", "the fake account's first post"),
        ("import", str(case), str(followers), "--format", "csv", "--platform", "tiktok", "--account",
         "fake.head_teacher", "--list", "followers"),
        ("note", str(case), "--section", "concern", "--text", "A fake account impersonates the head teacher."),
        ("seal", str(case)),
        ("report", str(case), "-o", str(case / "exports" / "report.html")),
    ]
    for args in steps:  # by both analysts of the group, in turn
        for user in (team.a, team.c):
            if args[0] in ("evidence", "import", "report") and user == team.c:
                continue  # the same file twice is the same evidence: once is enough
            done = team.kit(user, *args, timeout=300)
            assert done.returncode == 0, (args, user, done.stderr)
    assert _mode(case) & stat.S_ISGID
    assert not _find_mode_problems(case, team.group)
    assert any((case / "evidence").iterdir()) and any((case / "tables").iterdir())
    assert list((case / "exports").glob("report*.html")) and list((case / "exports").glob("seal-*.txt"))

    # the analyst outside the group: the kit says why, the file system says no
    for args in (("verify", str(case)), ("note", str(case), "--section", "done", "--text", "Looked"),
                 ("leads", str(case), "--account", "fake.head_teacher")):
        refused = team.kit(team.b, *args)
        assert refused.returncode == 1, refused
        assert (f"The case grimblewood-modes belongs to the group '{team.group}', and you ({team.b}) are not in it"
                in refused.stderr), refused.stderr
        assert "Traceback" not in refused.stderr
    for command in (["ls", str(case)], ["cat", str(case / "case.toml")], ["ls", str(case / "evidence")]):
        denied = team.run(team.b, *command)
        assert denied.returncode != 0 and "Permission denied" in denied.stderr, (command, denied)

    # both analysts of the group can verify it, and every change is audited
    for user in (team.a, team.c):
        checked = team.kit(user, "verify", str(case))
        assert checked.returncode == 0 and checked.stdout.startswith("OK"), checked


HOLD = """
import sys, time
from investigate.case import Case
case = Case.open(sys.argv[1])
with case.transaction(who="Ms Zephyrine Quill", what="a long import") as conn:
    conn.execute("INSERT INTO meta (key, value) VALUES ('held', 'yes')")
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


@needs_root
def test_two_analysts_writing_at_once_take_turns_and_say_whom_they_wait_for(team: Analysts) -> None:
    case = team.store / "grimblewood-lock"
    assert team.kit(team.a, "new", str(case), "--title", TITLE, "--group", team.group).returncode == 0
    holder = subprocess.Popen(["runuser", "-u", team.a, "--", sys.executable, "-c", HOLD, str(case), "4"],
                              cwd=team.store, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding", holder.stderr
        second = team.kit(team.c, "note", str(case), "--section", "concern", "--text",
                          "Reported by two staff.", "--who", "Ms Ottoline Marsh")
        assert holder.wait(timeout=120) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    assert second.returncode == 0, second.stderr
    assert f"waiting for {team.a} to finish" in second.stderr, second.stderr
    checked = team.kit(team.a, "verify", str(case))
    assert checked.returncode == 0, checked.stdout
    opened = Case.open(case)
    entries = opened.table("audit")
    assert list(entries["what"])[-2:] == ["a long import", "finding recorded"]
    assert opened.meta("held") == "yes" and opened.count("findings") == 1


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="reads /proc/locks (Linux)")
def test_a_change_waiting_for_another_process_names_its_login(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    case = Case.create(tmp_path / "case", title=TITLE)
    case.table("findings")  # pandas imported before the other change begins
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(case.path), "5"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        assert access.lock_holder(case.path / "case.sqlite") == (access.login(), holder.pid)
        with caplog.at_level(logging.WARNING, logger="investigate"):
            case.add_finding(section="concern", text="Reported by two staff.")
        assert holder.wait(timeout=60) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    assert f"being written by {access.login()} (process {holder.pid}); waiting for {access.login()}" in caplog.text
    assert access.lock_holder(case.path / "case.sqlite") is None
    assert list(Case.open(case.path).table("audit")["what"])[-2:] == ["a long import", "finding recorded"]


@needs_root
def test_the_kit_names_whose_private_case_it_is(team: Analysts) -> None:
    case = team.store / "zephyrines-own"
    assert team.kit(team.a, "new", str(case), "--title", TITLE).returncode == 0
    assert _mode(case) == 0o700
    refused = team.kit(team.c, "verify", str(case))
    assert refused.returncode == 1
    assert f"The case zephyrines-own is private to {team.a}, who made it: you ({team.c}) cannot open it" \
        in refused.stderr


@needs_root
def test_an_analyst_outside_the_group_cannot_make_a_case_for_it(team: Analysts) -> None:
    refused = team.kit(team.b, "new", str(team.store / "not-mine"), "--title", TITLE, "--group", team.group)
    assert refused.returncode == 1
    assert f"You ({team.b}) are not in the group '{team.group}'" in refused.stderr
    assert not (team.store / "not-mine").exists()
