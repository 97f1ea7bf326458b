"""Referral packs and the record-system export, from the bundled training case.

The case is built once per module (~1 s); each pack is written internal and redacted, as HTML and DOCX.
"""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from investigate import tracker
from investigate.case import Case
from investigate.cli import main
from investigate.errors import InputError, PackError
from investigate.packs import Gap, Pack, build_packs, to_html, write_packs
from investigate.packs.export import ACTIONS_COLUMNS, CHRONOLOGY_COLUMNS, write_export
from investigate.training import build_case

SAMPLE = Path(__file__).parent.parent / "sample_data"
STAFF = "WHS-S0104"  # Mr Jolyon Brambleshaw, the teacher the fake account impersonates
NOW = pd.Timestamp("2025-10-03 12:00", tz="UTC")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Case:
    case = build_case(tmp_path_factory.mktemp("packs") / "case")
    report = case.add_action(kind="platform_report", what="Reported to TikTok", at="2025-09-29 11:00",
                             tracker={"platform": "tiktok", "affected": STAFF})
    tracker.record_sent(case, report, at="29/09/2025 11:00", reference="TT-194326", route="harassment")
    return case


@pytest.fixture(scope="module")
def creator() -> dict[str, str]:
    return json.loads((SAMPLE / "answer_key.json").read_text(encoding="utf-8"))["creator"]


def page_text(path: Path) -> str:
    """The words of an HTML pack (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.sections[0].header.paragraphs]  # the marking, as on every page
    parts += [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def name_needles(people: pd.DataFrame, role: str | None = None) -> list[str]:
    """Every full name and every name part (titles and particles left out) of the people table."""
    from investigate.report.redact import _PARTICLES, fold_accents

    if role:
        people = people[people["role"].eq(role)]
    needles = set()
    for name in people["name"].dropna().astype(str):
        needles.add(" ".join(name.split()))
        needles.update(w for w in re.findall(r"\w{2,}", name) if w.casefold() not in _PARTICLES)
    return sorted(needles | {fold_accents(n) for n in needles})


def leaked(text: str, people: pd.DataFrame) -> list[str]:
    """Names and people's handles found in a text (as whole words, and name parts inside @mentions/URLs)."""
    hay = text.casefold()
    found = [n for n in name_needles(people)
             if re.search(rf"(?<![^\W\d_]){re.escape(n.casefold())}(?![^\W\d_])", hay)]
    handles = {h.strip().lstrip("@").casefold() for hs in people["handles"].dropna() for h in hs.split(",")} - {""}
    found += [h for h in handles if re.search(rf"(?<![\w.]){re.escape(h)}(?![\w])", hay)]
    mentions = re.findall(r"@[^\s@,;:!?()<>\"']+|https?://\S+", hay)
    found += [n for n in name_needles(people) if len(n) >= 4 and " " not in n and any(n.casefold() in m
                                                                                       for m in mentions)]
    return found


@pytest.fixture(scope="module")
def written(sample: Case) -> dict[tuple[str, bool], list[Path]]:
    asks = {"lado": {"people": [STAFF]}, "police": {"people": [STAFF]},
            "platform": {"people": ["Mr Jolyon Brambleshaw"], "school": True}, "rhc": {}, "staff": {"people": [STAFF]}}
    return {(kind, redact): write_packs(sample, kind, redact=redact, now=NOW, **ask)
            for kind, ask in asks.items() for redact in (False, True)}


def pack_words(written: dict, kind: str, redact: bool = False, which: int = 0) -> str:
    htmls = [p for p in written[(kind, redact)] if p.suffix == ".html"]
    return page_text(htmls[which])


# ------------------------------------------------------------------------------------ what each pack holds
def test_each_pack_is_written_as_html_and_docx_with_its_gaps_marked(written: dict) -> None:
    for (kind, redact), files in written.items():
        suffixes = [p.suffix for p in files]
        assert suffixes.count(".html") == suffixes.count(".docx") >= 1 and len(suffixes) % 2 == 0, kind
        for path in files:
            words = page_text(path) if path.suffix == ".html" else docx_text(path)
            assert "[TO FILL:" in words, path.name
            assert ("REDACTED" in words) == redact and ("INTERNAL" in words) != redact, path.name
            assert "Leads, not findings" in words
            assert path.stat().st_mode & 0o777 == 0o600, path.name  # personal data: the analyst's only
        page = next(p for p in files if p.suffix == ".html").read_text(encoding="utf-8")
        assert '<span class="gap">[TO FILL:' in page and "<script" not in page


def test_a_drafted_packs_action_says_what_it_is_and_leaves_its_state_to_the_tracker(sample: Case,
                                                                                  written: dict) -> None:
    """Its description was "...: drafted" for good, shown beside "closed" or "sent" once the tracker moved on."""
    from investigate.tracker import action_states

    drafted = sample.table("actions").dropna(subset=["drafted_at"])
    assert len(drafted) >= 4 and not drafted["what"].astype(str).str.contains("drafted").any()
    states = action_states(drafted, now=NOW, zone=sample.timezone)
    assert set(states["stage"]) <= {"drafted", "sent", "answered", "closed"}


def test_lado_pack_holds_what_the_lado_asks_for(sample: Case, written: dict) -> None:
    words = pack_words(written, "lado")
    for field in ("The member of staff", "Mr Jolyon Brambleshaw", "Role in the school", "What was posted, and when",
                  "How it came to the school's attention", "What the school has done",
                  "Evidence (files unchanged, with their SHA-256)", "within one working day", "harm threshold",
                  "low-level concern"):
        assert field in words, field
    assert "A learner told Mr Ambrose Bumblefeather about a TikTok account" in words  # the 'first noticed' event
    posts = sample.table("posts")
    assert posts["url"].iloc[0] in words
    for digest in sample.table("evidence")["sha256"]:
        assert digest in words
    assert "TT-194326" in words  # the report made, under what the school has done


def test_police_pack_gives_offences_as_prompts_and_the_conduct(sample: Case, written: dict) -> None:
    words = pack_words(written, "police")
    for field in ("999", "101", "Malicious Communications Act 1988", "Communications Act 2003, s127",
                  "Protection from Harassment Act 1997", "two or more incidents", "Online Safety Act 2023",
                  "prompts for the police's decision, never findings", "Chronology of the conduct",
                  "Who is affected", "Mr Jolyon Brambleshaw (staff)", "17 post(s)", "Crime or incident reference"):
        assert field in words, field
    for digest in sample.table("evidence")["sha256"]:
        assert digest in words
    assert "TT-194326" in words  # reports already made


def test_platform_packs_one_per_person_or_brand_with_each_routes_needs(written: dict) -> None:
    files = [p.name for p in written[("platform", False)] if p.suffix == ".html"]
    assert len(files) == 2 and any("whs-s0104" in f for f in files) and any("school" in f for f in files)
    person = pack_words(written, "platform", which=[i for i, f in enumerate(files) if "whs-s0104" in f][0])
    school = pack_words(written, "platform", which=[i for i, f in enumerate(files) if "school" in f][0])
    for words in (person, school):
        for field in ("impersonation", "privacy", "harassment", "copyright", "photo ID", "Who may report",
                      "https://www.tiktok.com/@brambleshaw.wobbleton", "/video/", "Report reference"):
            assert field in words, field
    assert "TT-194326" in person and "harassment" in person  # the report recorded for this person
    assert "TT-194326" not in school and "trademark number" in school


def test_rhc_and_posh_pack(written: dict) -> None:
    words = pack_words(written, "rhc")
    for field in ("Report Harmful Content", "POSH", "48 hours", "TT-194326", "RHC can be used now",
                  "Safeguarding concern?"):
        assert field in words, field


def test_staff_support_record(written: dict) -> None:
    words = pack_words(written, "staff")
    for field in ("Duty of care", "third parties", "Support offered", "Mr Jolyon Brambleshaw", "Review date"):
        assert field in words, field


def test_drafts_are_tracked_once(sample: Case, written: dict) -> None:
    rows = tracker.track(sample.table("actions"), now=NOW, zone=sample.timezone)
    drafted = rows[rows["stage"].eq("drafted")]
    assert sorted(drafted["kind"]) == ["lado", "platform_report", "police", "rhc", "staff_support"]
    assert drafted.loc[drafted["kind"].eq("platform_report"), "affected"].tolist() == ["school"]
    lado = drafted[drafted["kind"].eq("lado")].iloc[0]
    assert lado["affected"] == STAFF and lado["due"] == pd.Timestamp("2025-10-06 13:00", tz="Europe/London")
    # the earlier draft says who the next pack is about
    assert [p.affected for p in build_packs(sample, "lado", now=NOW)] == [STAFF]


# ------------------------------------------------------------------------------------ names
def test_redacted_packs_name_no_one(sample: Case, written: dict) -> None:
    people = sample.table("people")
    for (_, redact), files in written.items():
        if not redact:
            continue
        for path in files:
            words = page_text(path) if path.suffix == ".html" else docx_text(path)
            assert leaked(words, people) == [], path.name
            assert not re.search(r"WHS-[LS]\d{4}", words) and "whs-s" not in path.name, path.name
    assert "Staff " in pack_words(written, "lado", redact=True)
    assert leaked(pack_words(written, "lado"), people)  # the internal pack does name them (the scan can fail)


def test_no_pack_names_the_creator_without_a_recorded_decision(sample: Case, written: dict,
                                                               creator: dict[str, str]) -> None:
    for files in written.values():
        for path in files:
            words = page_text(path) if path.suffix == ".html" else docx_text(path)
            assert creator["name"] not in words and creator["handle"] not in words, path.name
            if "Who is behind the account" in words:
                assert "Not identified" in words, path.name


def test_learner_note_only_after_a_decision_with_reasons(tmp_path: Path, creator: dict[str, str]) -> None:
    case = build_case(tmp_path / "case")
    with pytest.raises(PackError, match="decision"):
        write_packs(case, "learner")
    with pytest.raises(PackError, match="decision"):
        write_packs(case, "learner", people=[creator["person_id"]])
    findings = pd.DataFrame([
        {"section": "decision", "text": f"{creator['name']} made the account.", "reasons": "", "who": "DSL",
         "at": pd.Timestamp("2025-11-04 10:00", tz="UTC")},  # no reasons: not a recorded decision
        {"section": "assessment", "text": f"{creator['name']} is a strong lead.", "reasons": "overlap",
         "who": "DSL", "at": pd.Timestamp("2025-11-04 10:00", tz="UTC")}])
    case.add_rows({"findings": findings}, what="findings")
    with pytest.raises(PackError, match="decision"):
        write_packs(case, "learner")
    assert creator["name"] not in pack_text(build_packs(case, "police")[0])
    decision = pd.DataFrame([{"section": "decision", "who": "Head", "at": pd.Timestamp("2025-11-05 10:00", tz="UTC"),
                              "text": f"We decided that {creator['name']} made the account.",
                              "reasons": "She admitted it in a meeting with her parents on 05/11/2025."}])
    case.add_rows({"findings": decision}, what="decision")
    files = write_packs(case, "learner")
    words = page_text(next(p for p in files if p.suffix == ".html"))
    for field in (creator["name"], "Year 9", "9W", "admitted it in a meeting", "Sanctions and support",
                  "Safeguarding follow-up", "date of birth + 25 years"):
        assert field in words, field
    assert creator["name"] in pack_text(build_packs(case, "police")[0])  # the decision, with its reasons
    staff = pack_text(build_packs(case, "staff", people=[STAFF])[0])
    assert creator["name"] not in staff and "not repeated in this pack" in staff  # not on a staff file
    redacted = write_packs(case, "learner", redact=True)
    assert leaked(page_text(next(p for p in redacted if p.suffix == ".html")), case.table("people")) == []
    # the decision is amended away: no note any more
    finding_id = int(case.table("findings").query("section == 'decision' and reasons != ''")["finding_id"].iloc[0])
    case.add_rows({"findings": pd.DataFrame([{"section": "decision", "text": "Withdrawn: not established.",
                                              "reasons": "She withdrew the admission.", "amends": finding_id}])},
                  what="amendment")
    with pytest.raises(PackError, match="decision"):
        write_packs(case, "learner")


def pack_text(pack: Pack) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", to_html(pack)))


def test_hostile_text_is_escaped(case: Case) -> None:
    case.add_rows({"accounts": pd.DataFrame([{"platform": "tiktok", "handle": "<img src=x onerror=alert(1)>",
                                              "handle_key": "x1", "role": "subject",
                                              "profile_url": "javascript:alert(1)"}])}, what="accounts")
    page = to_html(build_packs(case, "rhc")[0])
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="javascript' not in page


# ------------------------------------------------------------------------------------ LibreOffice
@pytest.mark.slow
def test_docx_packs_are_a4_with_the_marking_in_every_pages_header(written: dict) -> None:
    """As the report's Word file, through the same writer (before: US Letter, the marking only as a paragraph)."""
    from docx import Document

    for path in (p for files in written.values() for p in files if p.suffix == ".docx"):
        doc = Document(str(path))
        section = doc.sections[0]
        size = (round(section.page_width.mm), round(section.page_height.mm))  # stored in twips: 210.01 mm
        assert size == (210, 297), path.name
        said = section.header.paragraphs[0].text
        assert said == section.footer.paragraphs[0].text and " · " in said, path.name
        assert said not in [p.text for p in doc.paragraphs]  # as in the report's Word file: in the margins only
        assert ("REDACTED" in said) == ("-redacted-" in path.name), path.name


def test_a_packs_word_file_is_its_html_page_through_the_reports_word_writer(written: dict) -> None:
    """One body, two renderings: the same headings in the same order, every gap highlighted in Word, and no
    hidden author in the file's properties (the report's Word writer does this for both)."""
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX

    for files in written.values():
        for page, word in zip(files[::2], files[1::2], strict=True):
            assert (page.suffix, word.suffix) == (".html", ".docx") and page.stem == word.stem
            text = page.read_text(encoding="utf-8")
            in_html = [html.unescape(re.sub(r"<[^>]+>", "", h)) for h in re.findall(r"<h[12]>(.*?)</h[12]>", text)]
            doc = Document(str(word))
            assert [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")] == in_html, word.name
            runs = [r for p in doc.paragraphs for r in p.runs] + [
                r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
            gaps = [r for r in runs if r.text.startswith("[TO FILL:")]
            assert len(gaps) == text.count('<span class="gap">') > 0, word.name
            assert all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW and r.bold for r in gaps), word.name
            assert doc.core_properties.author == "" and doc.core_properties.last_modified_by == ""


def test_docx_packs_open_in_libreoffice(written: dict, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    docs = [p for (_, redact), files in written.items() for p in files if p.suffix == ".docx" and not redact]
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "txt:Text", "--outdir", str(tmp_path / "out"), *map(str, docs)],
                   check=True, capture_output=True, timeout=300)
    for doc in docs:
        text = (tmp_path / "out" / (doc.stem + ".txt")).read_text(encoding="utf-8-sig")
        assert "[TO FILL:" in text and "Leads, not findings" in text, doc.name  # the marking: in the margins


# ------------------------------------------------------------------------------------ CLI and export
def test_cli_pack_one_file_and_refusals(sample: Case, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "lado.docx"
    assert main(["pack", str(sample.path), "lado", "--person", STAFF, "-o", str(out), "--redact"]) == 0
    assert out.is_file() and "redacted" in capsys.readouterr().out
    assert main(["pack", str(sample.path), "staff", "--person", "Nobody Atall"]) == 1
    assert "no staff person 'Nobody Atall'" in capsys.readouterr().err
    both = ["pack", str(sample.path), "platform", "--person", STAFF, "--school", "-o", str(tmp_path / "a.html")]
    assert main(both) == 1
    assert "2 packs" in capsys.readouterr().err
    assert "pack written" in set(sample.table("audit")["what"])


def test_cli_track_records_a_report_and_lists_it(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    case = Case.create(tmp_path / "c", title="t")
    assert main(["track", str(case.path), "--new", "platform_report", "--platform", "tiktok", "--school",
                 "--sent", "24/10/2025 10:00", "--reference", "TT-9", "--route", "copyright"]) == 0
    out = capsys.readouterr().out
    assert "OVERDUE Report to the platform (tiktok): sent, ref TT-9" in out and "Mon 27/10/2025 09:00" in out
    assert main(["track", str(case.path), "1", "--answered", "26/10/2025 01:30"]) == 1
    assert "happened twice" in capsys.readouterr().err
    assert main(["track", str(case.path), "1", "--answered", "27/10/2025 12:00", "--outcome", "Removed"]) == 0
    assert "closed, ref TT-9. Closed (Removed)." in capsys.readouterr().out  # an outcome closes what it answers
    row = case.table("actions").iloc[0]
    assert (row["affected"], row["outcome"]) == ("school", "Removed")


def test_export_for_cpoms_has_the_documented_shape(sample: Case, tmp_path: Path) -> None:
    files = write_export(sample, "cpoms", out_dir=tmp_path / "cpoms", now=NOW)
    assert [p.name for p in files] == ["chronology.csv", "actions.csv", "summary.txt"]
    with files[0].open(encoding="utf-8-sig", newline="") as handle:
        chron = list(csv.DictReader(handle))
    assert tuple(chron[0]) == CHRONOLOGY_COLUMNS
    from investigate.view import CaseView

    conduct = CaseView.of(sample, now=NOW).conduct()  # the report's incident chronology, without third parties
    assert len(chron) == len(conduct) >= len(sample.table("events")) + 17  # every event and the 17 posts
    assert [r["what"] for r in chron] == conduct["kind"].astype(str).tolist()
    first = next(r for r in chron if r["what"] == "first noticed")
    assert (first["date"], first["time"], first["zone"]) == ("29/09/2025", "08:36", "BST")
    assert all(not r["details"].startswith(("=", "+", "-", "@")) for r in chron)  # no spreadsheet formulas
    with files[1].open(encoding="utf-8-sig", newline="") as handle:
        acts = list(csv.DictReader(handle))
    assert tuple(acts[0]) == ACTIONS_COLUMNS
    report = next(r for r in acts if r["reference"] == "TT-194326")
    assert (report["made"], report["due"], report["route"]) == ("29/09/2025 11:00 BST", "02/10/2025 11:00 BST",
                                                                "harassment")
    summary = files[2].read_text(encoding="utf-8")
    assert "TT-194326" in summary and "Overdue: 1 item(s)." in summary and "Leads, not findings" in summary
    assert "not identified" in summary


def test_redacted_export_names_no_one(sample: Case, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["export", str(sample.path), "--for", "myconcern", "--redact", "-o", str(tmp_path / "x")]) == 0
    assert "summary.txt" in capsys.readouterr().out
    people = sample.table("people")
    for path in (tmp_path / "x").iterdir():
        assert leaked(path.read_text(encoding="utf-8-sig"), people) == [], path.name


# ------------------------------------------------------------------------------------ notebook 05's panel
def test_pack_panel_writes_records_and_exports(tmp_path: Path) -> None:
    from investigate import widgets as ui

    case = build_case(tmp_path / "case")
    panel = ui.PackPanel(case)
    assert ("Mr Jolyon Brambleshaw (staff)", STAFF) in panel.person.options
    files = panel.write("platform", person="school")
    assert len(files) == 2 and all(p.is_file() for p in files) and "TO FILL" in panel.result.value
    assert panel.sent_id.options == ((f"{1}: Report to the platform (drafted)", 1),)
    panel.record(1, sent="24/10/2025 10:00", reference="TT-7", route="copyright")
    assert "TT-7" in panel.table.value and "OVERDUE" in panel.table.value  # long past its follow-up
    assert 'class="inv-overdue"' in panel.table.value
    assert ui.overdue_actions(case)["reference"].tolist() == ["TT-7"]
    panel.record(1, answered="27/10/2025 12:00")
    assert ui.overdue_actions(case).empty
    panel.write("lado")  # no one chosen and no earlier LADO draft: the panel says so, nothing is written
    assert "Choose who the LADO referral is about under &#x27;About&#x27;" in panel.status.text.value
    exported = panel.export("cpoms")
    assert [p.name for p in exported] == ["chronology.csv", "actions.csv", "summary.txt"]


def test_export_dates_each_action_when_it_was_done(tmp_path: Path) -> None:
    """A report recorded on another day than it was made is dated by when it was made (the tracker's
    sent_at), a drafted pack by its draft; actions.csv is in that order."""
    case = Case.create(tmp_path / "c", title="t")
    typed = pd.Timestamp("2026-01-12 09:00", tz="UTC")  # the day it was all typed in
    case.add_action(kind="sanction", what="Detention", at="2025-11-10 12:00")
    late = case.add_action(kind="platform_report", what="Reported to TikTok", at=typed, tracker={"platform": "tiktok"})
    tracker.record_sent(case, late, at="05/11/2025 14:30", reference="TT-1")
    case.add_action(kind="lado", what="LADO pack", at=typed, tracker={"drafted_at": "07/11/2025 10:15"})
    files = write_export(case, "cpoms", out_dir=tmp_path / "out", now=NOW)
    with files[1].open(encoding="utf-8-sig", newline="") as handle:
        acts = [(r["action_id"], r["date"], r["time"]) for r in csv.DictReader(handle)]
    assert acts == [("2", "05/11/2025", "14:30"), ("3", "07/11/2025", "10:15"), ("1", "10/11/2025", "12:00")]


def test_a_police_pack_is_about_whom_it_is_told_not_whom_other_packs_were(tmp_path: Path) -> None:
    """An earlier platform pack about the school (or a LADO pack about a member of staff) does not make the
    police pack about them: without --person or --school it leaves who is affected to fill."""
    case = Case.create(tmp_path / "c", title="t")
    case.add_rows({"people": pd.DataFrame([{"person_id": "S1", "name": "Mr Quentin Fizzlewick", "role": "staff"}])},
                  what="people")
    case.add_action(kind="platform_report", what="pack drafted", tracker={"affected": "school", "platform": "tiktok"})
    case.add_action(kind="lado", what="pack drafted", tracker={"affected": "S1"})
    pack = build_packs(case, "police", now=NOW)[0]
    assert pack.about == "[TO FILL: who is affected: names and roles]"
    header = dict(pack.sections[0].blocks[0].rows)  # the "About this pack" fields
    assert header["About"] == Gap("who is affected: names and roles") and "Fizzlewick" not in pack_text(pack)
    assert build_packs(case, "police", school=True, now=NOW)[0].about == "the school"
    assert build_packs(case, "police", people=["S1"], now=NOW)[0].about == "Mr Quentin Fizzlewick (staff)"
    case.add_action(kind="police", what="101 call", tracker={"affected": "school"})  # recorded for its own kind
    assert build_packs(case, "police", now=NOW)[0].about == "the school"


def test_a_mistyped_platform_is_refused_not_packed(case: Case) -> None:
    with pytest.raises(InputError, match="did you mean tiktok"):
        build_packs(case, "platform", platform="tiktk", school=True)
