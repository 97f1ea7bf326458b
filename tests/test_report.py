"""The HTML report: contents, offline (nothing fetched), hostile text escaped, redaction complete.

A small hand-made case holds hostile text in handles, display names, comments, event summaries and
people's names; the report is written plain and redacted once per module (each run ~3-5 s).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from investigate.case import Case
from investigate.evidence import add_evidence, sha256_file, verify
from investigate.report import Redactor, assign_pseudonyms, case_pseudonyms, write_report
from investigate.schema import handle_key
from investigate.seal import parse_seal

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SVG = '"><svg onload=alert(1)>'
SUBJECT = "@Thistlewick.Fake"

PEOPLE = pd.DataFrame({
    "person_id": ["P1", "P2", "P3", "P4"],
    "name": ["Zephyrine Quillfeather", "Barnaby Thistlewick", "Percival <u>Wobblebottom</u>",
             "Ottoline Grubbington"],
    "role": ["learner", "staff", "learner", "parent"],
    "year_group": ["9", "", "9", ""],
    "tutor_group": ["9Q", "", "9Q", ""],
    "handles": ["zeph_q.2011, @quill.zephy", "", "percy.wobble", "otto.grubb"],
})
#: every name and name part of the people table, and every handle mapped to a person
NAMES = ["Zephyrine Quillfeather", "Zephyrine", "Quillfeather", "Barnaby Thistlewick", "Barnaby", "Thistlewick",
         "Percival", "Wobblebottom", "Ottoline Grubbington", "Ottoline", "Grubbington"]
PEOPLE_HANDLES = ["zeph_q.2011", "quill.zephy", "percy.wobble", "otto.grubb"]


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def build_case(path: Path) -> Case:
    """A small case with hostile text everywhere a user's text can go, and a people table."""
    case = Case.create(path, title="Impersonation of Barnaby Thistlewick", school=["Grimblewood Academy"],
                       analyst="Ms Wobblethorpe", reference="GA-2025-007")
    shot = path.parent / "screenshot_zephyrine_comment.png"
    shot.write_bytes(b"\x89PNG fake screenshot bytes")
    add_evidence(case, [shot], captured_by="Barnaby Thistlewick", captured_at="2025-11-27T13:05",
                 source_url="https://www.tiktok.com/@thistlewick.fake", description=f"comment {XSS_SCRIPT}")
    accounts = pd.DataFrame({
        "platform": "tiktok",
        "handle": ["Thistlewick.Fake", XSS_IMG, XSS_SVG, "zeph_q.2011", "percy.wobble", "otto.grubb",
                   "grimblewood_academy", "random.fan1"],
        "display_name": [f"Mr T {XSS_SCRIPT}", "img", "svg", "Zeph Q", "Percy", "Otto", "Grimblewood", "Fan"],
        "role": ["subject", "unknown", "unknown", "community", "community", "community", "school", "community"],
    })
    accounts["handle_key"] = accounts["handle"].map(handle_key)
    subject = handle_key(SUBJECT)
    followers = ["zeph_q.2011", handle_key(XSS_IMG), "percy.wobble", "random.fan1", "otto.grubb"]
    following = ["zeph_q.2011", handle_key(XSS_SVG), "grimblewood_academy"]
    rel = pd.DataFrame({
        "platform": "tiktok",
        "follower": followers + [subject] * len(following),
        "followed": [subject] * len(followers) + following,
        "observed_list": [f"followers of {SUBJECT}"] * len(followers) + [f"following of {SUBJECT}"] * len(following),
        "position": list(range(1, len(followers) + 1)) + list(range(1, len(following) + 1)),
        "observed_at": utc("2025-11-27 13:00"),
        "evidence_id": "E0001",
    })
    posts = pd.DataFrame({
        "platform": "tiktok", "account": subject, "post_id": ["p1", "p2", "p3"],
        "url": ["https://www.tiktok.com/@thistlewick.fake/video/1", "javascript:alert(1)", ""],
        "posted_at": [utc("2025-11-24 08:15"), utc("2025-11-25 13:10"), utc("2025-11-26 21:40")],
        "text": [f"Mr Thistlewick is a fraud {XSS_SCRIPT}", f"ask Zephyrine {XSS_IMG}", XSS_SVG],
        "evidence_id": "E0001",
    })
    interactions = pd.DataFrame({
        "platform": "tiktok",
        "actor": ["zeph_q.2011", handle_key(XSS_IMG), "percy.wobble"],
        "kind": ["comment", "comment", "like"],
        "on_account": subject, "post_id": ["p1", "p1", "p2"],
        "text": [f"lol @percy.wobble look {XSS_IMG}", XSS_SCRIPT, ""],
        "at": [utc("2025-11-24 08:20"), utc("2025-11-24 09:00"), utc("2025-11-25 13:30")],
        "evidence_id": "E0001",
    })
    case.add_rows({"accounts": accounts, "relationships": rel, "posts": posts, "interactions": interactions,
                   "people": PEOPLE}, what="test rows")
    case.add_event(at="2025-11-23 19:00", kind="account created",
                   summary=f"Account appears; QUILLFEATHER and barnaby mentioned {XSS_SVG}", accounts=subject)
    case.add_action(kind="platform_report", what=f"Reported {SUBJECT} to TikTok {XSS_IMG}", who="Ms Wobblethorpe",
                    at="2025-11-20 10:00", due="2025-11-23 10:00")  # overdue
    case.add_action(kind="posh", what="Asked POSH for help", who="Ottoline Grubbington",
                    at=pd.Timestamp.now(tz="UTC") - pd.Timedelta(hours=1),
                    due=pd.Timestamp.now(tz="UTC") + pd.Timedelta(hours=24))  # due soon
    case.add_action(kind="staff_support", what="Support meeting with Mr Thistlewick", who="Head",
                    at="2025-11-25 12:00", status="done", outcome="Agreed plan")
    return case


def plotly_free(page: str) -> str:
    """The page without the embedded plotly.js bundle (so scans see only the report's own text), and without
    the <wbr> break hints of file names and URLs (so that a scan finds a name with separators whole)."""
    from plotly.offline import get_plotlyjs

    from investigate.report._plotlyjs import small_bundle

    return re.sub(r"<wbr/?>", "", page.replace(small_bundle(), "").replace(get_plotlyjs(), ""))


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("report")
    case = build_case(base / "case")
    stages: list[tuple[str, float]] = []
    plain = write_report(case, base / "out" / "plain.html", progress=lambda s, f: stages.append((s, f)))
    redacted = write_report(case, base / "out" / "redacted.html", redact=True)
    return {"case": case, "plain": plain, "redacted": redacted, "stages": stages}


# ------------------------------------------------------------------------------------------- redaction units
def test_pseudonyms_are_stable_and_per_role(tmp_path: Path) -> None:
    case = Case.create(tmp_path / "c", title="t")
    case.add_rows({"people": PEOPLE}, what="people")
    first = case_pseudonyms(case)
    assert dict(zip(first.person_id, first.pseudonym, strict=True)) == {
        "P1": "Learner A", "P2": "Staff A", "P3": "Learner B", "P4": "Parent A"}
    more = pd.DataFrame({"person_id": ["P0"], "name": ["Aldous Pennywhistle"], "role": ["learner"]})
    case.add_rows({"people": more}, what="another person")
    again = case_pseudonyms(case)
    mapping = dict(zip(again.person_id, again.pseudonym, strict=True))
    assert mapping["P1"] == "Learner A" and mapping["P3"] == "Learner B"  # unchanged
    assert mapping["P0"] == "Learner C"  # the next letter, even though P0 sorts first
    assert case.count("pseudonyms") == 5
    assert len(case_pseudonyms(case)) == 5  # nothing new assigned twice


def test_assign_pseudonyms_runs_past_z() -> None:
    people = pd.DataFrame({"person_id": [f"P{i:03d}" for i in range(28)], "name": "x", "role": "staff"})
    got = assign_pseudonyms(people, pd.DataFrame({"person_id": [], "pseudonym": []}))
    assert got["pseudonym"].tolist()[-3:] == ["Staff Z", "Staff AA", "Staff AB"]


def test_redactor_texts_and_frames() -> None:
    pseudo = pd.DataFrame({"person_id": ["P1", "P2", "P3", "P4"],
                           "pseudonym": ["Learner A", "Staff A", "Learner B", "Parent A"]})
    r = Redactor.from_people(PEOPLE, pseudo)
    assert r.text("zephyrine\n QUILLFEATHER and Mr Thistlewick") == "Learner A and Staff A"  # title + surname
    assert r.text("@quill.zephy and zeph_q.2011's post") == "@Learner A (2) and Learner A's post"
    assert r.text("Wobblebottom was there") == "Learner B was there"
    assert r.text("zeph_q.20111 is someone else") == "zeph_q.20111 is someone else"
    # names run into other letters are caught inside handles and URLs (not in ordinary words)
    assert r.text("@xxottolinexx, https://instagram.com/zephyrinefan/") == \
        "@xxParent Axx, https://instagram.com/Learner Afan/"
    assert r.handle_key("xxottolinexx") == "xxparent axx"
    assert r.text("the Percivalian era") == "the Percivalian era"
    accented = pd.DataFrame({"person_id": ["P9"], "name": ["Siân Snorkcombe"], "role": ["learner"]})
    r2 = Redactor.from_people(accented, pd.DataFrame({"person_id": ["P9"], "pseudonym": ["Learner Q"]}))
    assert r2.text("Sian, SIÂN and @its.sian") == "Learner Q, Learner Q and @its.Learner Q"
    rel = pd.DataFrame({"follower": ["zeph_q.2011", "random.fan1"], "followed": ["thistlewick.fake"] * 2,
                        "observed_list": ["followers of @Thistlewick.Fake"] * 2})
    out = r.frame(rel, "relationships")
    assert out["follower"].tolist() == ["learner a", "random.fan1"]
    assert out["followed"].tolist() == ["staff a.fake"] * 2  # the teacher's name inside the fake handle
    assert out["observed_list"].iloc[0] == "followers of @Staff A.Fake"
    assert rel["follower"].iloc[0] == "zeph_q.2011"  # input unchanged
    people = r.frame(PEOPLE, "people")
    assert people["name"].tolist() == ["Learner A", "Staff A", "Learner B", "Parent A"]
    assert people["handles"].iloc[0] == "learner a,learner a (2)"


def test_shared_surname_becomes_ambiguous() -> None:
    people = pd.DataFrame({"person_id": ["P1", "P2"], "name": ["Ada Quill", "Bo Quill"], "role": ["learner"] * 2})
    r = Redactor.from_people(people, assign_pseudonyms(people, pd.DataFrame(columns=["person_id", "pseudonym"])))
    assert r.text("Ada Quill, Bo and the Quill family") == "Learner A, Learner B and the [name removed] family"


# ------------------------------------------------------------------------------------------- the written report
def test_report_written_copied_and_audited(written: dict) -> None:
    case: Case = written["case"]
    plain: Path = written["plain"]
    redacted: Path = written["redacted"]
    assert plain.is_file() and redacted.is_file()
    assert (case.exports_dir / "plain.html").read_bytes() == plain.read_bytes()
    assert (case.exports_dir / "redacted.html").read_bytes() == redacted.read_bytes()
    audit = case.table("audit")
    written_rows = audit[audit["what"] == "report written"]
    assert len(written_rows) == 2
    assert '"redacted": false' in written_rows["details"].iloc[0]
    assert '"redacted": true' in written_rows["details"].iloc[1]
    assert sha256_file(redacted) in written_rows["details"].iloc[1]
    assert verify(case).ok  # the audit chain is still intact after writing
    seal = parse_seal(html.unescape(plain.read_text(encoding="utf-8")).split("Seal of the case")[1])
    assert verify(case, seals=[str(seal)]).ok  # the report carries a seal the case still extends
    assert [s for s, _ in written["stages"]][0] == "Preparing the case"
    assert written["stages"][-1] == ("Done", 1.0)
    print(f"report sizes: plain {plain.stat().st_size:,} bytes, redacted {redacted.stat().st_size:,} bytes")


def test_report_contents(written: dict) -> None:
    page = plotly_free(Path(written["plain"]).read_text(encoding="utf-8"))
    text = html.unescape(page)
    assert text.count("OFFICIAL-SENSITIVE") >= 2  # marking at top and bottom
    for needed in ("GA-2025-007", "Grimblewood Academy", "Ms Wobblethorpe", "investigate 0.1.0",
                   "Summary", "Findings of the analyst", "Chronology of the incident", "follower overlap",
                   "leads to follow up, not findings", "Posting patterns", "Actions and decisions",
                   "Appendix A: the full chronology", "Appendix B: evidence", "Methodology", "Limitations",
                   "Verification at the time of writing", "Audit chain head"):
        assert needed in text, needed
    case: Case = written["case"]
    evidence = case.table("evidence").iloc[0]
    assert evidence["sha256"] in page and "screenshot_zephyrine_comment.png" in text
    assert "27/11/2025 13:05 GMT" in text  # captured at, in the case zone
    assert "24/11/2025 08:15 GMT" in text  # a post time in the chronology table
    assert "OK: 1 evidence file matches its recorded SHA-256" in text
    # mutuals of the subject: zeph_q.2011 is on both lists; leads give reasons
    overlap = text[text.index("On both lists of @Thistlewick.Fake"):text.index("Accounts around @Thistlewick.Fake")]
    assert "@zeph_q.2011" in overlap and "@random.fan1" not in overlap
    leads = text[text.index("Leads to follow up"):text.index("Posting patterns")]
    assert "@zeph_q.2011" in leads
    # overdue and due-soon actions are marked
    # (in the summary's open actions and in the actions log)
    assert page.count('class="inv-overdue"') == 2 and page.count('class="inv-due"') == 2
    assert "OVERDUE" in text and "due within 72 hours" in text
    # no code, no prompts
    assert "report.prepare" not in page and "import" not in text.split("</style>")[-1]
    assert not re.search(r'class="[^"]*jp-(?:InputArea|InputPrompt|OutputPrompt)\b', page)


def test_no_network_loads(written: dict) -> None:
    for key in ("plain", "redacted"):
        page = Path(written[key]).read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.IGNORECASE)
        assert not re.search(r"<link[^>]*\bhref\s*=", page, re.IGNORECASE)
        assert not re.search(r"<(?:img|iframe|embed|object|source|video|audio)\b", page, re.IGNORECASE)
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page, re.IGNORECASE)
        assert not re.search(r"@import", page, re.IGNORECASE)
        own = plotly_free(page)
        # any http(s) URL in the report's own markup is escaped text in a table cell, never an attribute
        assert not re.search(r"""(?:src|href|action|data)\s*=\s*["']?(?:https?:)?//""", own, re.IGNORECASE)
        for forbidden in ("require.js", "mathjax", "MathJax.js", "cdn.jsdelivr", "unpkg.com", "cdn.plot.ly",
                          "@jupyter-widgets/html-manager", "fonts.googleapis"):
            assert forbidden.lower() not in own.lower(), forbidden


def test_hostile_text_is_escaped(written: dict) -> None:
    for key in ("plain", "redacted"):
        page = Path(written[key]).read_text(encoding="utf-8")
        own = plotly_free(page)
        for hostile in (XSS_SCRIPT, XSS_IMG, "<svg onload", "<u>Wobblebottom</u>"):
            assert hostile not in own, (key, hostile)
        # the scripts in the page: plotly.js config + bundle, one per figure, nothing else
        figures = own.count('class="plotly-graph-div"')
        assert figures == 4  # timeline, account graph, leads, posting heatmap
        scripts = re.findall(r"<script\b[^>]*>", own, re.IGNORECASE)
        assert len(scripts) == figures + 1  # the bundle, once
    plain = html.unescape(plotly_free(Path(written["plain"]).read_text(encoding="utf-8")))
    assert XSS_SCRIPT in plain and XSS_IMG in plain  # shown as text


def test_redacted_report_has_no_names(written: dict) -> None:
    page = plotly_free(Path(written["redacted"]).read_text(encoding="utf-8"))
    haystacks = [page.casefold(), html.unescape(page).casefold()]
    for needle in NAMES + PEOPLE_HANDLES:
        for hay in haystacks:
            assert needle.casefold() not in hay, needle
    text = html.unescape(page)
    assert "Learner A" in text and "Staff A" in text
    assert "REDACTED" in text
    # the mapping itself is not in the page: no person ids next to pseudonyms
    assert not re.search(r"\bP[1-4]\b", text)
    # the plain report does name them (so the scan above can fail)
    plain = html.unescape(plotly_free(Path(written["plain"]).read_text(encoding="utf-8"))).casefold()
    assert "zeph_q.2011" in plain and "thistlewick" in plain


def test_cli_report_and_stable_pseudonyms(written: dict, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from investigate.cli import main

    case: Case = written["case"]
    assert main(["report", str(case.path), "-o", str(tmp_path / "again.html"), "--redact"]) == 0
    out, err = capsys.readouterr()
    assert "Report written:" in out and "redacted" in out and "Running the report notebook" in err
    again = tmp_path / "again.html"
    first = html.unescape(Path(written["redacted"]).read_text(encoding="utf-8"))
    second = html.unescape(again.read_text(encoding="utf-8"))
    for label in ("Learner A", "Learner B", "Staff A", "Parent A"):
        assert first.count(label) == second.count(label), label


def test_cli_report_on_a_missing_case(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from investigate.cli import main

    assert main(["report", str(tmp_path / "nowhere"), "-o", str(tmp_path / "r.html")]) == 1
    assert "is not a case folder" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


# ------------------------------------------------------------------------------------------- the sample case
def build_sample(path: Path) -> Case:
    """The bundled training case, built through the real loaders, with the demo's actions and findings."""
    from investigate.training import build_case as build_training_case
    from investigate.training._casework import record_casework

    case = build_training_case(path)
    record_casework(case)  # the demo's actions and findings
    return case


def name_needles(people: pd.DataFrame) -> list[str]:
    """Every name, and every first/middle/last name (titles and particles left out), of a people table."""
    from investigate.report.redact import _PARTICLES, fold_accents

    needles = set()
    for name in people["name"].dropna().astype(str):
        needles.add(" ".join(name.split()))
        needles.update(w for w in re.findall(r"\w{2,}", name) if w.casefold() not in _PARTICLES)
    return sorted(needles | {fold_accents(n) for n in needles})


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("sample")
    case = build_sample(base / "case")
    return {"case": case, "plain": write_report(case, base / "plain.html"),
            "redacted": write_report(case, base / "redacted.html", redact=True)}


def test_sample_case_report(sample: dict) -> None:
    case: Case = sample["case"]
    plain = html.unescape(plotly_free(Path(sample["plain"]).read_text(encoding="utf-8")))
    assert plain.count('class="plotly-graph-div"') >= 4
    assert "No follower or following lists are recorded" not in plain
    assert "No dated posts are recorded" not in plain
    leads = plain[plain.index("Leads to follow up"):plain.index("Posting patterns")]
    assert "Rank" in leads and "<th>Why</th>" in leads and "Points</th>" in leads and "Score</th>" in leads
    redacted_page = plotly_free(Path(sample["redacted"]).read_text(encoding="utf-8"))
    haystack = html.unescape(redacted_page).casefold()
    people = case.table("people")
    leaked = [n for n in name_needles(people)
              if re.search(rf"(?<![^\W\d_]){re.escape(n.casefold())}(?![^\W\d_])", haystack)]
    handles = {h.strip().lstrip("@").casefold() for hs in people["handles"].dropna() for h in hs.split(",")} - {""}
    leaked += [h for h in handles if re.search(rf"(?<![\w.]){re.escape(h)}(?![\w])", haystack)]
    mentions = re.findall(r"@[^\s@,;:!?()<>\"']+", haystack)
    leaked += [n for n in name_needles(people) if len(n) >= 4 and " " not in n
               and any(n.casefold() in m for m in mentions)]
    assert leaked == []
    print(f"sample report: plain {Path(sample['plain']).stat().st_size:,} bytes, redacted "
          f"{Path(sample['redacted']).stat().st_size:,} bytes; {len(people)} people checked")


def test_shown_handles_are_built_once_per_report(sample: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every table cell naming an account asks for its shown handle: the lookup is built once (building
    it per call made a 27k-row trust case's chronology table take over a minute)."""
    from investigate.report import naming, sections

    calls = []
    real = naming._shown_handles
    monkeypatch.setattr(naming, "_shown_handles", lambda accounts: calls.append(1) or real(accounts))
    ctx = sections.prepare(str(sample["case"].path), redact=False, accounts=None)
    keys = ctx.tables["accounts"]["handle_key"].dropna().astype(str).tolist()
    shown = [ctx.shown(k) for k in keys * 3]
    sections.chronology(ctx)
    sections.appendix_chronology(ctx)
    assert len(calls) == 1
    assert all(s.startswith("@") for s in shown)


def test_sample_report_leads_with_the_case_record(sample: dict) -> None:
    text = html.unescape(plotly_free(Path(sample["plain"]).read_text(encoding="utf-8")))
    order = ["Summary", "Findings of the analyst", "Chronology of the incident", "Leads to follow up",
             "Actions and decisions", "Appendix A: the full chronology", "Appendix B: evidence"]
    assert [text.index(h) for h in order] == sorted(text.index(h) for h in order)
    summary = text[text.index("Summary"):text.index("Findings of the analyst")]
    assert "Case open" in summary and "a takedown was recorded on 03/11/2025" in summary
    assert "Cyrillic \u0435 in place of e" in summary and "an underscore added at the start" in summary
    assert "@xxwilhelminaxx" in summary and "Among the first 5 followers" in summary  # top leads, with reasons
    assert "1 open, 1 overdue" in summary and "OVERDUE" in summary and "Report the lookalike" in summary
    assert "review the top leads with the Head of Year" in summary  # the findings' next steps: still to do
    record = text[text.index("Findings of the analyst"):text.index("Chronology of the incident")]
    for title in ("Summary of the concern", "What was done", "Assessment of the leads",
                  "Decisions and the reasons for them", "Next steps"):
        assert title in record, title
    assert "Reasons: No threats" in record and "(corrects entry 1)" in record
    assert "Corrected entries (kept as first written)" in record
    chronology = text[text.index("Chronology of the incident"):text.index("Accounts, lookalikes")]
    assert "accounts followed @wobbletonhs" not in chronology  # the school's own follows are not the incident
    assert "Interactions, summarised" in chronology and "No nude or semi-nude images seen." in chronology
    seconds = re.findall(r"\b\d\d:\d\d:\d\d\b", text)
    assert seconds == []  # times without seconds


def test_sample_redacted_report_keeps_the_accounts_apart(sample: dict) -> None:
    text = html.unescape(plotly_free(Path(sample["redacted"]).read_text(encoding="utf-8")))
    summary = text[text.index("Summary"):text.index("Findings of the analyst")]
    for label in ("subject account", "lookalike 1", "lookalike 2"):
        assert label in summary, label
    assert "Cyrillic \u0435 in place of e" in summary
    assert "[name removed].wobbleton" not in text and "@Learner" not in text and "@learner" not in text
    assert "@@" not in text


# ------------------------------------------------------------------------------------------- what a new user found
def _sections(case: Case, *, redact: bool = False) -> dict[str, str]:
    """Each report section's text (HTML unescaped, break hints dropped), written in this process."""
    from investigate.report import sections

    ctx = sections.prepare(str(case.path), redact=redact)
    return {s.__name__: html.unescape(str(s(ctx)).replace("<wbr>", "")) for s in sections.SECTIONS}


@pytest.fixture(scope="module")
def shown(sample: dict) -> dict[str, dict[str, str]]:
    case: Case = sample["case"]
    case.add_finding(section="decision", text="No sanction for the learners who only liked the posts.")
    return {"plain": _sections(case), "redacted": _sections(case, redact=True)}


def test_report_times_are_uk_day_first_with_their_zone(shown: dict, sample: dict) -> None:
    text = "".join(shown["plain"].values())
    assert "a takedown was recorded on 03/11/2025 15:48 GMT" in text
    assert "24/09/2025 20:08 BST" in text  # the first post, in the chronology
    assert not re.search(r"\b\d{4}-\d\d-\d\d \d\d:\d\d\b", text)  # never ISO
    page = html.unescape(plotly_free(Path(sample["plain"]).read_text(encoding="utf-8")))
    assert "03/11/2025 15:48 GMT" in page and not re.search(r"\b\d{4}-\d\d-\d\d \d\d:\d\d (GMT|BST)", page)
    assert not re.search(r"\d\d:\d\d UTC", text)  # the leads' reasons too (they were in UTC)


def test_actions_show_kinds_in_words_and_chronology_names_posts_by_time(shown: dict) -> None:
    actions = shown["plain"]["actions"]
    for label in ("Report to the platform", "Support for staff", "Professionals Online Safety Helpline (POSH)",
                  "LADO consultation", "Prevention"):
        assert label in actions, label
    for code in ("platform_report", "staff_support", "posh", ">lado<", ">prevention<"):
        assert code not in actions, code
    assert "<th>Follow-up</th>" in actions and "<th></th>" not in actions  # the OVERDUE column has a heading
    assert "<th></th>" not in shown["plain"]["summary"]
    for name in ("chronology", "appendix_chronology"):
        table = shown["plain"][name][shown["plain"][name].index("<table"):]  # the table, not the figure's data
        assert not re.search(r"\d{12,}", table), name  # no bare platform post ids
    assert "(post of 24/09/2025 20:08)" in shown["plain"]["chronology"]


def test_first_page_wording(shown: dict) -> None:
    summary = shown["plain"]["summary"]
    assert "(removed after POSH escalation))." in summary and ".)." not in summary
    assert "(s)" not in summary and "(s)" not in shown["plain"]["header"] and "(s)" not in shown["plain"]["evidence"]
    assert "Account under investigation: @brambleshaw.wobbleton" in summary
    # "Still to do" names the open action, who has it and when it was due
    todo = summary[summary.index("Still to do"):]
    assert "Report the lookalike @brambleshaw.wobbl[\u0435]ton (Cyrillic \u0435) to TikTok for impersonation " \
           "(Dr Noémie Muddleridge, due 13/10/2025 10:29 BST, OVERDUE)." in todo
    assert "open action(s) above" not in todo
    decisions = re.sub(r"<[^>]+>", "", shown["plain"]["findings"])
    assert "No sanction for the learners who only liked the posts. No reasons recorded." in decisions
    assert "16 evidence files match their recorded SHA-256" in shown["plain"]["evidence"]


def test_redacted_report_names_the_titled_teacher_and_never_doubles_a_word(shown: dict, sample: dict) -> None:
    from investigate.report.redact import AMBIGUOUS, case_pseudonyms

    case: Case = sample["case"]
    people = case.table("people").merge(case_pseudonyms(case), on="person_id")
    teacher = people.loc[people["name"].eq("Mr Jolyon Brambleshaw"), "pseudonym"].iloc[0]
    text = "".join(shown["redacted"].values())
    assert f"POV: {teacher} finds out the printer is broken" in text  # "Mr Brambleshaw" is the one teacher
    assert f"Mr {AMBIGUOUS}" not in text
    assert "Report the lookalike 2 (Cyrillic" in text and "lookalike lookalike" not in text


def test_lookalikes_are_told_apart_wherever_they_are_named(shown: dict, sample: dict) -> None:
    from investigate.report import sections

    summary, overlap, leads = (shown["plain"][s] for s in ("summary", "overlap", "leads"))
    marked = "@brambleshaw.wobbl[\u0435]ton"
    assert marked in summary and "[\u0435] = Cyrillic \u0435" in summary and "[\u0435] = Cyrillic \u0435" in overlap
    assert "confirmed lookalike accounts (@_brambleshaw.wobbleton, @brambleshaw.wobbl[\u0435]ton)" in leads
    ctx = sections.prepare(str(sample["case"].path))
    view = ctx.overview(ctx.subjects[0])
    labels = list(ctx.names.accounts(view.compared).values())  # the matrix's and the UpSet's labels
    assert len(set(labels)) == len(labels) == 3 and marked in labels


def test_posting_patterns_say_when_the_school_day_was_never_entered(shown: dict, tmp_path: Path) -> None:
    from investigate.patterns import SchoolDay, Terms
    from investigate.report import sections

    said = shown["plain"]["patterns"]
    assert "The school day was not entered: the kit's default day (08:40 to 15:05" in said
    assert "No term dates or holidays were entered, so no day is counted as a holiday." in said
    case = build_sample(tmp_path / "set")
    case.set_config(school_day=SchoolDay().to_dict(),
                       terms=Terms(terms=(("Autumn", "2025-09-03", "2025-12-19"),)).to_dict())
    entered = html.unescape(str(sections.patterns(sections.prepare(str(case.path)))))
    assert "was not entered" not in entered and "No term dates" not in entered


def test_evidence_ids_stay_whole_and_file_names_wrap_at_separators(sample: dict) -> None:
    from investigate.report import sections

    out = str(sections.evidence(sections.prepare(str(sample["case"].path))))
    assert "<td>E0001</td>" in out
    assert "01_<wbr>fake_<wbr>profile.<wbr>png" in out
    css = (Path(sections.__file__).parent / "templates" / "investigate_report" / "index.html.j2").read_text()
    assert "table.inv-evidence td:first-child { white-space: nowrap; }" in css
    assert "table.inv-evidence td { overflow-wrap: anywhere; }" not in css


def test_the_report_speaks_to_a_headteacher(sample: dict) -> None:
    """Plain words: no jargon, kinds in capitals, reasons one to a row with their points in a column of their
    own (strongest first), a glossary, how to read the UpSet chart, no empty 'Followed at' column, and the
    graph's "top lead" the same three accounts as the summary's."""
    page = html.unescape(plotly_free(Path(sample["plain"]).read_text(encoding="utf-8")))
    words = re.sub(r'<script type="text/javascript">.*?</script>', "", page, flags=re.DOTALL)
    for jargon in ("Jaccard", "homoglyph", "Zeeschuimer", "imported as zeeschuimer", "mutuals", "list observed",
                   "dsl informed", "<td>lado</td>", "(+0.", "(+1.", "(+2.", "(+3.", "(no points)"):
        assert jargon not in words, jargon
    assert "Words used in this report" in words and "<dt>Shared followers</dt>" in words
    assert "How to read 'Who follows which account'" in words
    assert "DSL informed" in words and "LADO referral" in words
    both = words[words.index("On both lists of"):words.index("How the followers lists overlap")]
    assert "Followed at" not in both  # no list of the sample gives follow times: the column says nothing
    leads = words[words.index("Leads to follow up"):words.index("Posting patterns")]
    table = leads[leads.index('<table class="inv-table inv-leads">'):]
    table = table[:table.index("</table>")]
    assert "<th>Why</th>" in table and '<th class="num">Points</th>' in table or "<th>Points</th>" in table
    rows = re.findall(r"<tr>(.*?)</tr>", table)[1:]
    first_lead = []
    for row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
        if cells[0] and first_lead:
            break
        first_lead.append(float(cells[-1]) if cells[-1] else None)
    points = [p for p in first_lead if p is not None]
    assert len(points) >= 3 and points == sorted(points, reverse=True)  # strongest first
    summary = words[words.index(">Summary<"):words.index("Findings of the analyst")]
    summary_leads = re.findall(r"<tr><td[^>]*>\d+</td><td>(@[^<]+)</td>", summary)
    assert len(summary_leads) == 3
    top = json.loads(re.search(r'"name":"top lead"[^{}]*?"text":(\[[^\]]*\])', page).group(1))
    assert sorted(top) == sorted(summary_leads)  # the graph's "top lead" is the summary's three


def test_the_readme_explains_the_words_the_report_explains() -> None:
    from investigate.plain import GLOSSARY

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for term, meaning in GLOSSARY.items():
        assert f"- **{term}**: {meaning}" in readme, term
