"""The differential redaction probe: every redacted output of a probe case names no one.

The probe case (invented names) writes its people's names in the shapes that leaked before (issue 22):
initials ("T.W."), a short form beside the surname ("seun Crumbleton" for Oluwaseun), a name split
by markup or by a hyphenated line break, a name without its apostrophe ("ORourke"), a hashtag, a
Cyrillic letter, a handle holding a surname, a copycat's handle with a digit for a letter (packs and
exports named accounts by cutting names out of their handles, the report by whole pseudonyms). Every
output that leaves the case redacted (the HTML and Word reports, each kind of pack, the CPOMS and
MyConcern exports, the seal file, and their file names) must hold no word of any person's names or
handles.
"""

from __future__ import annotations

import contextlib
import html
import io
import re
import unicodedata
from pathlib import Path

import pytest

from investigate.cli import main

pytestmark = pytest.mark.slow  # runs the report notebook once (about a minute)

PEOPLE = """Ref,Name,Role,Year,Form,Handles,Known as
P1,Oluwaseun Crumbleton,learner,9,9Q,@seun.crumbs,
P2,Mr Thaddeus Wobblecrust,staff,,,,Taddy Wobbles
P3,Fenella O'Rourke,parent,,,,
P4,Zephyrine Quillfeather,learner,9,9Q,@zeph.quill,Ziggy / Zed
"""
ACCOUNTS = """handle,notes
fake.wobblecrust,pretends to be a teacher
fake.wobb1ecrust,a copycat: its surname with a 1 for the l
seun.crumbs,
zeph.quill,
"""
EVENTS = ("Date,Type,What happened,Accounts,Recorded by\n"
          '03/11/2025 08:40,first noticed,"seun Crumbleton told the DSL that T.W. is being impersonated",'
          "@fake.wobblecrust,Mr Thaddeus Wobblecrust\n"
          '03/11/2025 09:10,concern raised,"Mrs ORourke rang: #TeamQuillfeather posts name Zephy<b>rine</b>",'
          "@fake.wobblecrust,Fenella O'Rourke\n"
          '04/11/2025 10:00,disclosure,"Zephy-\nrine said Z\u0435phyrine (with a Cyrillic e) and T. W. were tagged",'
          "@fake.wobblecrust,Mr Thaddeus Wobblecrust\n")
POSTS = ("account,post_id,url,posted_at,text\n"
         "fake.wobblecrust,1,https://www.tiktok.com/@fake.wobblecrust/video/1,2025-11-01T18:00:00Z,"
         '"T.W. is a joke #TeamWobblecrust, ask seun Crumbleton or ORourke, follow @fake.wobb1ecrust"\n'
         "fake.wobblecrust,2,https://www.tiktok.com/@fake.wobblecrust/video/2,2025-11-02T18:00:00Z,"
         '"Zephy<i>rine</i> and oluwa-\nseun know #QuillfeatherOut, Ziggy and Taddy Wobbles too"\n')
#: every word of the people's names and handles, and the short forms the probe writes
NEEDLES = ("oluwaseun", "crumbleton", "thaddeus", "wobblecrust", "fenella", "rourke", "orourke", "zephyrine",
           "quillfeather", "quilfeather", "zephyrin", "seun", "zeph", "t.w.", "t. w.",
           "ziggy", "taddy", "wobbles",  # names from the people list's "Known as" column
           "wobb1ecrust", "fake.")  # a copycat's handle: every account is named whole ("lookalike 1")


def _run(*args: object) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    assert code == 0, (args, err.getvalue())
    return out.getvalue()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """The probe case, and every redacted output written from it, by kind."""
    root = tmp_path_factory.mktemp("probe")
    case = root / "case"
    for name, text in (("people.csv", PEOPLE), ("accounts.csv", ACCOUNTS), ("events.csv", EVENTS),
                       ("posts.csv", POSTS)):
        (root / name).write_text(text, encoding="utf-8")
    _run("new", case, "--title", "Fake account of Mr Wobblecrust, seen by Zephyrine Quillfeather",
         "--school", "Wobbleton High School", "--analyst", "Dr Probe Analyst")
    _run("import", case, root / "people.csv", "--list", "people")
    _run("import", case, root / "accounts.csv", "--platform", "tiktok", "--list", "accounts")
    _run("import", case, root / "events.csv", "--list", "events")
    _run("import", case, root / "posts.csv", "--platform", "tiktok", "--account", "fake.wobblecrust", "--list", "posts")
    _run("account", case, "fake.wobblecrust", "--role", "subject")
    _run("account", case, "fake.wobb1ecrust", "--role", "copycat")
    _run("note", case, "--section", "concern", "--text", "seun Crumbleton and Fenella ORourke saw posts about T.W.; "
         "a parent thinks zephyrin quilfeather runs it")
    _run("note", case, "--section", "decision", "--text", "Zephyrine Quillfeather made the account",
         "--reasons", "She told Mrs O'Rourke and #TeamCrumbleton so")
    found: dict[str, list[Path]] = {}
    for kind, extra in (("lado", ["--person", "P2"]), ("police", ["--person", "P2"]),
                        ("platform", ["--person", "P2"]), ("rhc", []), ("staff", ["--person", "P2"]),
                        ("learner", ["--person", "P4"])):
        before = set((case / "exports").glob("pack-*"))
        _run("pack", case, kind, *extra, "--redact")
        found[f"pack {kind}"] = sorted(set((case / "exports").glob("pack-*")) - before)
    _run("report", case, "-o", root / "report.html", "--redact")
    _run("report", case, "-o", root / "report.docx", "--redact")
    found["report html"], found["report docx"] = [root / "report.html"], [root / "report.docx"]
    for system in ("cpoms", "myconcern"):
        _run("export", case, "--for", system, "--redact")
        found[system] = sorted(p for d in (case / "exports").glob(f"{system}-*") for p in d.iterdir())
    _run("seal", case)
    found["seal"] = sorted((case / "exports").glob("seal-*.txt"))
    assert all(found.values()), {k: v for k, v in found.items() if not v}
    return found


def _words(path: Path) -> list[str]:
    """What a file says: its text (HTML: with and without its tags; Word: its paragraphs and cells)."""
    if path.suffix == ".docx":
        from docx import Document

        doc = Document(str(path))
        parts = [p.text for p in doc.paragraphs]
        parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
        parts += [p.text for s in doc.sections for p in (*s.header.paragraphs, *s.footer.paragraphs)]
        return ["\n".join(parts)]
    raw = path.read_text(encoding="utf-8-sig")
    if path.suffix == ".html":
        raw = re.sub(r"<script\b[^>]*>[^<]{100000,}</script>", " ", raw)  # the plotly library (no case data)
        return [html.unescape(raw), html.unescape(re.sub(r"<[^>]+>", "", raw))]
    return [raw]


#: the lookalike letters the probe writes (its own list: the test does not share the redactor's folding)
_LOOKALIKES = str.maketrans({"\u0435": "e", "\u0430": "a", "\u043e": "o", "\u0456": "i"})


def _fold(text: str) -> str:
    """Text as a reader would read the names in it: accents, zero-width characters and lookalike letters
    gone, tags and hyphenated breaks inside words closed up, lower case."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c) and unicodedata.category(c) != "Cf")
    text = re.sub(r"<[^<>]{0,80}>", "", text)
    text = re.sub(r"(?<=[^\W\d_])-\s+(?=[^\W\d_])", "", text)
    return text.translate(_LOOKALIKES).casefold()


def _leaks(text: str) -> list[str]:
    """The needles found: initials as words, every other needle anywhere (run into other letters too)."""
    folded = _fold(text)
    return [n for n in NEEDLES if (n in folded if "." not in n else
                                   re.search(rf"(?<![\w.]){re.escape(n)}(?!\w)", folded))]


@pytest.mark.parametrize("kind", ["report html", "report docx", "pack lado", "pack police", "pack platform",
                                  "pack rhc", "pack staff", "pack learner", "cpoms", "myconcern", "seal"])
def test_no_redacted_output_names_anyone(outputs: dict[str, list[Path]], kind: str) -> None:
    for path in outputs[kind]:
        assert _leaks(path.name) == [], path.name  # file names too
        for text in _words(path):
            found = _leaks(text)
            where = {n: text[max(0, text.casefold().find(n) - 60):text.casefold().find(n) + 60] for n in found}
            assert found == [], (path.name, where)


def test_each_shape_becomes_the_pseudonym_and_ordinary_words_stay() -> None:
    """The shapes one by one (Redactor.thorough, the one redaction), and texts without names left alone."""
    import pandas as pd

    from investigate.report.redact import Redactor

    people = pd.DataFrame({"person_id": ["P1", "P2", "P3", "P4"], "role": ["learner", "staff", "parent", "learner"],
                           "name": ["Oluwaseun Crumbleton", "Mr Thaddeus Wobblecrust", "Fenella O'Rourke",
                                    "Zephyrine Quillfeather"], "handles": ["@seun.crumbs", "", "", ""],
                           "known_as": [None, "Taddy Wobbles", None, "Ziggy, Zed"]})
    pseudonyms = pd.DataFrame({"person_id": ["P1", "P2", "P3", "P4"],
                               "pseudonym": ["Learner A", "Staff A", "Parent A", "Learner B"]})
    hide = Redactor.from_people(people, pseudonyms).thorough
    assert hide("ask seun Crumbleton") == "ask Learner A"  # a short form beside the surname
    assert hide("T.W. and T. W. were tagged") == "Staff A and Staff A were tagged"  # initials
    assert hide("Mrs ORourke rang") == "Parent A rang"  # no apostrophe (the title goes with the surname)
    assert hide("Zephy<b>rine</b> wrote") == "Learner B</b> wrote"  # split by a tag
    assert hide("Zephy-\nrine said") == "Learner B said"  # hyphenated at a line break
    assert hide("i think zephyrin quilfeather did it") == "i think Learner B did it"  # misspelt, lower case
    assert hide("Ziggy and taddy wobbles") == "Learner B and Staff A"  # "Known as" names
    ordinary = ["Report to TikTok about the account, T.V. licence and A.M. meeting",
                "The teacher said the quiet feather was on the crumbling wall", "Seun and Crumbs went to the shop"]
    assert [hide(t) for t in ordinary] == ordinary
