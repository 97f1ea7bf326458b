"""The command line starts without the heavy libraries it does not need (pandas, plotly, papermill)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from investigate.evidence import add_evidence

HEAVY = ("pandas", "numpy", "pyarrow", "networkx", "plotly", "papermill", "nbformat", "nbconvert", "jsonschema")


def _loaded_after(argv: list[str]) -> tuple[int, list[str]]:
    """Run the CLI in a fresh interpreter; return its exit code and the heavy modules it imported."""
    code = (
        "import json, sys\n"
        "from investigate.cli import main\n"
        "try:\n"
        f"    rc = main({argv!r})\n"
        "except SystemExit as exc:\n"
        "    rc = exc.code\n"
        f"heavy = sorted(m for m in {HEAVY!r} if m in sys.modules)\n"
        "print('LOADED ' + json.dumps([rc, heavy]))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    line = next(x for x in run.stdout.splitlines() if x.startswith("LOADED "))
    rc, heavy = json.loads(line.removeprefix("LOADED "))
    return rc, heavy


def test_help_imports_no_heavy_library() -> None:
    assert _loaded_after(["--help"]) == (0, [])


def test_verify_imports_no_heavy_library(case, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG synthetic screenshot")
    add_evidence(case, [shot], captured_by="Quill Tester")
    assert _loaded_after(["verify", str(case.path)]) == (0, [])
    next(case.evidence_dir.iterdir()).chmod(0o600)
    next(case.evidence_dir.iterdir()).write_bytes(b"changed")
    assert _loaded_after(["verify", str(case.path)]) == (1, [])  # still found, still without pandas


def test_import_refuses_an_unknown_platform_and_an_account_with_a_space(case, data_dir: Path, capsys) -> None:
    """A mistyped --platform ("tiktk") and an --account that is not a username are refused before anything
    is stored, with the known platforms and the closest one; "other" stays allowed."""
    from conftest import snapshot

    from investigate.cli import main

    followers = str(data_dir / "manual" / "followers_utf8.csv")
    before = snapshot(case.path)
    base = ["import", str(case.path), followers, "--list", "followers"]
    assert main([*base, "--platform", "tiktk", "--account", "fake.head"]) == 1
    err = capsys.readouterr().err
    assert "'tiktk' is not a platform the kit knows: did you mean tiktok?" in err
    assert "tiktok, instagram, x, facebook, snapchat, youtube, or other" in err
    assert main([*base, "--platform", "tiktok", "--account", "fake handle"]) == 1
    assert "The account 'fake handle' is not a username" in capsys.readouterr().err
    assert snapshot(case.path) == before
    assert main([*base, "--platform", "Other", "--account", "@fake.head"]) == 0
    assert set(case.table("relationships")["platform"]) == {"other"}


def test_report_refuses_pdf_and_other_formats_before_writing(case, tmp_path: Path, capsys) -> None:
    from investigate.cli import main

    assert main(["report", str(case.path), "-o", str(tmp_path / "report.pdf")]) == 1
    assert "PDF is not written; print the HTML report to PDF from the browser" in capsys.readouterr().err
    assert main(["report", str(case.path), "-o", str(tmp_path / "report.txt")]) == 1
    assert "a report is written as .html or .docx" in capsys.readouterr().err
    assert list(tmp_path.glob("report*")) == [] and list(case.exports_dir.iterdir()) == []


def test_the_help_overview_reads_whole() -> None:
    """Each command's one line in `investigate --help` is a whole phrase (none cut off with '...')."""
    import argparse

    from investigate.cli import build_parser

    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    helps = {c.dest: c.help or "" for c in commands._choices_actions}
    assert {"account", "person", "seal"} <= set(helps)
    assert [name for name, text in helps.items() if not text or text.rstrip().endswith("...")] == []


def _every_option(parser, path: str = "investigate"):  # noqa: ANN001, ANN202
    """(command path, option or argument name, help) for every argument of every command and subcommand."""
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _every_option(sub, f"{path} {name}")
        elif action.help != argparse.SUPPRESS:
            yield path, "/".join(action.option_strings) or action.dest, action.help


def test_every_option_and_argument_has_a_help_line() -> None:
    from investigate.cli import build_parser

    options = list(_every_option(build_parser()))
    assert len(options) > 80  # the walk reaches every command's options
    assert [(cmd, name) for cmd, name, text in options if not (text or "").strip()] == []


def test_a_mistyped_command_gets_did_you_mean(capsys) -> None:
    from investigate.cli import main

    assert main(["evidnce", "add", "case", "x.png"]) == 2
    err = capsys.readouterr().err
    assert "'evidnce' is not a command. Did you mean: investigate evidence?" in err
    assert main(["-v", "reprot", "case"]) == 2
    assert "Did you mean: investigate report?" in capsys.readouterr().err
    assert main(["zzzz"]) == 2
    assert "Did you mean" not in capsys.readouterr().err


def test_track_refuses_an_unknown_route_and_says_a_day_without_time_is_midnight(case, capsys) -> None:
    from investigate.cli import main

    base = ["track", str(case.path), "--new", "platform_report", "--platform", "tiktok", "--sent", "15/10/2025"]
    assert main([*base, "--route", "impersination"]) == 1
    err = capsys.readouterr().err
    assert "'impersination' is not a route the kit knows: did you mean impersonation?" in err
    assert "privacy" in err and "999" in err
    assert case.table("actions").empty  # refused before anything was stored
    assert main([*base, "--route", "Impersonation"]) == 0
    err = capsys.readouterr().err
    assert "'15/10/2025' gives no time of day, so 00:00 (midnight) that day was recorded" in err
    assert case.table("actions")["route"].tolist() == ["impersonation"]
    assert main([*base[:-1], "15/10/2025 10:30", "--route", "privacy"]) == 0
    assert "midnight" not in capsys.readouterr().err
    assert main(["track", str(case.path), "1", "--answered", "21/10/2025"]) == 0
    err = capsys.readouterr().err  # the note names the option that was typed (it said --sent)
    assert "e.g. --answered \"15/10/2025 10:30\"" in err and "--sent" not in err
