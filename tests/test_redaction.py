"""Redaction after analysis: the real case is analysed, names are replaced only where the report shows them.

Probes hide people's names the ways real texts do (hashtags, run-together names, file names, accents,
zero-width characters, Cyrillic letters, spaced letters); every one must go, and ordinary words that merely
contain a name must stay.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from investigate.case import Case
from investigate.evidence import add_evidence
from investigate.report import sections, write_report
from investigate.report.naming import ReportNames
from investigate.report.redact import fold_text
from investigate.schema import handle_key

PEOPLE = pd.DataFrame({
    "person_id": ["P1", "P2", "P3", "P4", "P5"],
    "name": ["Zephyrine Quillfeather", "Rosalind Pemberton-Hightower", "Siân Snorkcombe", "Ottoline Grubbington",
             "Barnaby Thistlewick"],
    "role": ["learner", "staff", "learner", "parent", "staff"],
    "handles": ["zeph_q.2011", "", "xxsianxx", "otto.grubb", ""],
})
PSEUDONYMS = pd.DataFrame({"person_id": ["P1", "P2", "P3", "P4", "P5"],
                           "pseudonym": ["Learner A", "Staff A", "Learner B", "Parent A", "Staff B"]})
NAME_PARTS = ["zephyrine", "quillfeather", "rosalind", "pemberton", "hightower", "sian", "snorkcombe", "ottoline",
              "grubbington", "barnaby", "thistlewick"]
PROBES = [
    "#RosalindPembertonHightower", "#rosalindpemberton", "ZephyrineQuillfeather.png", "screenshot_zephyrine_1.png",
    "Siân said", "Sian said", "SIÂN", "Zeph\u200byrine", "Quill\u200dfeather", "Z\u00adephyrine",
    "Z\u0435phyrine", "Ott\u043eline", "Z e p h y r i n e", "O.t.t.o.l.i.n.e", "T-h-i-s-t-l-e-w-i-c-k",
    "@xxottolinexx", "https://instagram.com/zephyrinefan/", "snorkcombe's phone", "Barnaby Thistlewick",
    "BARNABY\nTHISTLEWICK", "thistlewick.fake", "Grubbington-Smith",
    "\uff3a\uff25\uff30\uff28\uff39\uff32\uff29\uff2e\uff25",  # fullwidth ZEPHYRINE
    "Z\u00e9phyrine", "quillfeather123", "#TeamOttoline", "(Rosalind)", "ROSALIND_PEMBERTON", "hightower's",
    "b a r n a b y", "Ot\u2060toline", "Ms Pemberton-Hightower", "s n o r k c o m b e", "QuillFeather",
    "zephyrinequillfeather",  # a whole name run together in lower case (was kept)
]


def leaked(text: str) -> list[str]:
    """Name parts still readable in a text: after folding (zero-width gone, homoglyphs and accents folded)
    and also with every separator removed (spaced letters)."""
    folded = fold_text(text)[0]
    squeezed = re.sub(r"[\W_]+", "", folded)
    return [n for n in NAME_PARTS if n in folded or n in squeezed]


@pytest.fixture(scope="module")
def names() -> ReportNames:
    accounts = pd.DataFrame({"handle": ["Thistlewick.Fake", "zeph_q.2011", "its.rosalind"],
                             "role": ["subject", "unknown", "unknown"]})
    accounts["handle_key"] = accounts["handle"].map(handle_key)
    return ReportNames.redacted(accounts, PEOPLE, PSEUDONYMS, subjects=["thistlewick.fake"], lookalikes=[],
                                secret=b"test")


def test_there_are_at_least_25_probes_and_each_hides_a_name() -> None:
    assert len(PROBES) >= 25
    assert all(leaked(p) for p in PROBES)  # the probes do hold names (so the check below can fail)


@pytest.mark.parametrize("probe", PROBES)
def test_every_probe_is_removed(names: ReportNames, probe: str) -> None:
    shown = str(names.text(f"before {probe} after"))
    assert leaked(shown) == [], shown
    assert shown.startswith("before ") and shown.endswith(" after")


@pytest.mark.parametrize("word", ["the Ottolinean style", "Hightowers of the world", "Rosalindale Road",
                                  "a barnabyesque plan", "quill and feather"])
def test_ordinary_words_stay(names: ReportNames, word: str) -> None:
    assert names.text(word) == word


def test_whole_handles_are_pseudonymised(names: ReportNames) -> None:
    assert names.account("thistlewick.fake") == "subject account"
    assert names.account("zeph_q.2011") == "Learner A"  # a person's handle: the person's pseudonym
    code = names.account("its.rosalind")
    assert re.fullmatch(r"Account [A-Z]{3}-\d\d", code) and names.account("its.rosalind") == code
    assert names.account("its.ursula") != names.account("its.evander")  # never merged into one
    assert names.text("@its.rosalind and its.rosalind, @ZEPH_Q.2011.") == f"{code} and {code}, Learner A."


def test_a_title_and_surname_names_the_one_adult_it_can_mean() -> None:
    from investigate.report.redact import AMBIGUOUS, Redactor

    people = pd.DataFrame({"person_id": ["S1", "L1", "S2", "S3", "S4"],
                           "name": ["Mr Jolyon Brambleshaw", "Florian Brambleshaw", "Wilfred Crumpetstone",
                                    "Mrs Ada Nettlebeck", "Mr Tobias Nettlebeck"],
                           "role": ["staff", "learner", "staff", "staff", "staff"]})
    labels = pd.DataFrame({"person_id": people["person_id"],
                           "pseudonym": ["Staff H", "Learner K", "Staff C", "Staff D", "Staff E"]})
    r = Redactor.from_people(people, labels)
    # the surname alone is shared by a teacher and a learner; with the teacher's title it is the teacher's
    assert r.text("Mr Brambleshaw's guide; Brambleshaw said") == f"Staff H's guide; {AMBIGUOUS} said"
    assert r.text("Dr Crumpetstone") == "Staff C"  # an adult written without a title: any title
    assert r.text("Mrs Nettlebeck and Mr Nettlebeck") == "Staff D and Staff E"
    assert r.text("Ms Snorkcombe") == "Ms Snorkcombe"  # nobody of that name
    same = pd.DataFrame({"person_id": ["A", "B"], "name": ["Mr Ivo Quill", "Mr Otto Quill"], "role": "staff"})
    two = Redactor.from_people(same, pd.DataFrame({"person_id": ["A", "B"], "pseudonym": ["Staff A", "Staff B"]}))
    assert two.text("Mr Quill") == AMBIGUOUS  # two teachers: it could be either


def test_a_pseudonym_never_doubles_the_word_before_it() -> None:
    accounts = pd.DataFrame({"handle": ["fake.head", "fake.h\u0435ad"], "role": ["subject", "copycat"]})
    accounts["handle_key"] = accounts["handle"].map(handle_key)
    names = ReportNames.redacted(accounts, PEOPLE.head(0), PSEUDONYMS.head(0), subjects=["fake.head"],
                                 lookalikes=[handle_key("fake.h\u0435ad")], secret=b"k")
    assert names.text("Report the lookalike @fake.h\u0435ad and the subject account @fake.head.") == \
        "Report the lookalike 1 and the subject account."
    assert names.text("a lookalike of the account") == "a lookalike of the account"


# ------------------------------------------------------------------------------------------- the whole report
def build_case(path: Path) -> Case:
    case = Case.create(path, title="Fake account about Barnaby Thistlewick", school=["Grimblewood Academy"],
                       analyst="Rosalind Pemberton-Hightower", reference="GA-2025-099")
    shot = path.parent / "ZephyrineQuillfeather.png"
    shot.write_bytes(b"\x89PNG probe bytes")
    add_evidence(case, [shot], captured_by="Siân Snorkcombe", description="#RosalindPembertonHightower")
    subject = "thistlewick.fake"
    followers = ["zeph_q.2011", "its.ursula", "its.evander", "its.gideon", "xxsianxx", "otto.grubb"]
    accounts = pd.DataFrame({"platform": "tiktok", "handle": ["Thistlewick.Fake", "Thistlewick.Fakе", *followers],
                             "display_name": ["Mr T", "Mr T", "Zeph", "Ursula", "Evander", "Gideon", "Siân", "Otto"],
                             "role": ["subject", "copycat", *["unknown"] * len(followers)]})
    accounts["handle_key"] = accounts["handle"].map(handle_key)
    rel = pd.DataFrame({"platform": "tiktok", "follower": followers + [subject] * 4,
                        "followed": [subject] * len(followers) + followers[:4],
                        "observed_list": [f"followers of @{subject}"] * len(followers)
                        + [f"following of @{subject}"] * 4,
                        "position": list(range(1, len(followers) + 1)) + [1, 2, 3, 4],
                        "observed_at": pd.Timestamp("2025-11-27 13:00", tz="UTC")})
    case.add_rows({"accounts": accounts, "relationships": rel, "people": PEOPLE}, what="test rows")
    for n, probe in enumerate(PROBES):
        case.add_event(at=f"2025-11-{1 + n % 28:02d} 10:00", kind="note", summary=f"probe {n}: {probe}",
                       accounts=subject)
    case.add_finding(section="concern", text="Zeph\u200byrine and Z e p h y r i n e were named by #TeamOttoline",
                     who="Rosalind Pemberton-Hightower")
    return case


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("redaction")
    case = build_case(base / "case")
    return {"case": case, "plain": write_report(case, base / "plain.html"),
            "redacted": write_report(case, base / "redacted.html", redact=True)}


def test_the_redacted_report_holds_no_name_anywhere(reports: dict) -> None:
    from test_report import plotly_free

    page = html.unescape(plotly_free(Path(reports["redacted"]).read_text(encoding="utf-8")))
    assert leaked(page) == []
    for handle in ("zeph_q.2011", "xxsianxx", "otto.grubb", "its.ursula", "thistlewick.fake"):
        assert handle not in page.casefold(), handle
    assert "subject account" in page and "lookalike 1" in page and "Learner A" in page
    plain = html.unescape(plotly_free(Path(reports["plain"]).read_text(encoding="utf-8")))
    assert set(leaked(plain)) == set(NAME_PARTS)  # the internal report names them (the scan can fail)


def test_redacted_and_internal_reports_rank_the_same_leads_in_the_same_order(reports: dict) -> None:
    case: Case = reports["case"]
    internal = sections.ranked_leads(sections.prepare(case.path))
    redacted = sections.ranked_leads(sections.prepare(case.path, redact=True))
    assert len(internal) == len(redacted) >= 4  # its.ursula, its.evander, its.gideon (never merged) and zeph_q
    assert internal["rank"].tolist() == redacted["rank"].tolist()
    assert internal["score"].tolist() == redacted["score"].tolist()
    pairs = set(zip(internal["account"], redacted["account"], strict=True))
    assert len({a for a, _ in pairs}) == len({b for _, b in pairs}) == len(pairs)  # one to one: nothing merged
    assert set(redacted["subject"]) == {"subject account"}


# ------------------------------------------------------------------------------------------- a law of redaction
#: invented name parts (4 to 10 letters; some accented) and the ways texts write a name
_PART = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéëïôü", min_size=4, max_size=10).map(str.capitalize)
_FORMS = ["{f} {l}", "{l}, {f}", "{f}{l}", "{fl}{ll}", "{l}{f}", "#{f}{l}", "{f}_{l}.png", "{F} {L}", "{l}'s",
          "@{f}{l}123", "({f})", "{f}\u200b{l}", "Ms {l}", "{f}-{l}", "{f}\n{l}", "https://instagram.com/{f}{l}fan/",
          "{L}"]
_AROUND = st.text(alphabet=" .,;:!?'\"()#@/_-\n0123456789abcxyz😀", max_size=12)


@settings(max_examples=300, deadline=None)
@given(first=_PART, last=_PART, form=st.sampled_from(_FORMS), before=_AROUND, after=_AROUND)
def test_redaction_never_leaves_a_name_of_the_people_table(first: str, last: str, form: str, before: str,
                                                           after: str) -> None:
    """Whatever surrounds it and however it is written, no part of a person's name survives redaction
    (parts of 4 letters or more; a part that the surrounding text itself holds is left out)."""
    people = pd.DataFrame({"person_id": ["P1"], "name": [f"{first} {last}"], "role": ["learner"], "handles": [""]})
    names = ReportNames.redacted(pd.DataFrame({"handle": [], "handle_key": [], "role": []}), people,
                                 pd.DataFrame({"person_id": ["P1"], "pseudonym": ["Learner A"]}),
                                 subjects=[], lookalikes=[], secret=b"test")
    parts = [fold_text(p.casefold())[0] for p in (first, last)]
    assume(not any(p in fold_text(str(names.text(before + " " + after)).casefold())[0] for p in parts))
    probe = form.format(f=first, l=last, F=first.upper(), L=last.upper(), fl=first.lower(), ll=last.lower())
    text = f"{before} {probe} {after}"  # a name run into other letters is an ordinary word ("Ottolinean") and stays
    shown = fold_text(str(names.text(text)).casefold())[0]
    assert not [p for p in parts if p in shown], (text, shown)
