"""The fast redaction matcher gives exactly what the plain regular expressions give.

``Redactor(..., reference=True)`` runs only the two big regular expressions (the original,
slow algorithm); the default runs the Aho-Corasick matcher. Both are run over many generated
values and must agree character for character. Correctness only: speed is measured elsewhere.
"""

from __future__ import annotations

import random
import unicodedata

import pandas as pd
import pytest

from investigate.report.redact import Redactor, assign_pseudonyms, fold_accents

PEOPLE = pd.DataFrame({
    "person_id": [f"P{i:02d}" for i in range(1, 15)],
    "name": ["Zephyrine Quillfeather", "Mr Barnaby Thistlewick", "Ottoline Wobblebottom", "Siân Zoë Snorkcombe",
             "Yıldız Crumpetby", "Ada Quill", "Bo Quill", "Anne-Marie O'Dapple", "Jolyon de la Puddle",
             "Chloé Ffinch-Grümble", "Ævar Strauß", "Lili ¨Mox", "Kelvin Kray", "Ignatius Ignatiusson"],
    "role": ["learner", "staff", "parent", "learner", "learner", "learner", "learner", "staff", "other",
             "learner", "learner", "parent", "staff", "learner"],
    "handles": ["@zeph_q.2011, quill.zephy", "thistlewick", "xx.otto", "sian.s", "yildiz_c", "ada", "", "annemarie.o",
                "j@puddle", "chloe_ff, ffinch", "strauss.ae", "", "kk", "iggy.i, iggy.ii"],
})

SEPARATORS = ["", " ", "  ", "\n\t ", "_", ".", "..", "@", "@@", "-", "'", "\u2019", "/", ",", ";", "1", "99", "x",
              "xx", "fan", "é", "\u0301", "😀", "<b>", "</script>", "<img src=x onerror=alert(1)>", "&amp;",
              "https://instagram.com/", "www.", "http://x.y/@", "\u00a0", "²", "Ω", "ß", "İ", "\x1c", "."]


def _redactors() -> tuple[Redactor, Redactor]:
    pseudonyms = assign_pseudonyms(PEOPLE, pd.DataFrame(columns=["person_id", "pseudonym"]))
    fast = Redactor.from_people(PEOPLE, pseudonyms)
    slow = Redactor(handles=fast.handles, names=fast.names, reference=True)
    return fast, slow


def _variants(word: str) -> list[str]:
    """A word as it may be written: cases, accents folded, look-alike letters regex treats as the same."""
    return [word, word.upper(), word.title(), word.swapcase(), fold_accents(word), word.replace("s", "ſ"),
            word.replace("i", "ı"), word.replace("k", "\u212a"), word.replace("I", "İ").replace("i", "İ"),
            unicodedata.normalize("NFD", word)]


def _values(seed: int, count: int) -> list[str]:
    fast, _ = _redactors()
    words = sorted(set(fast.names) | set(fast.handles) | {w for n in fast.names for w in n.split()})
    words += [w[:-1] for w in words if len(w) > 4] + ["Percivalian", "Learner A", "name removed"]
    rng = random.Random(seed)
    values = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 7)):
            if rng.random() < 0.5:
                parts.append(rng.choice(_variants(rng.choice(words))))
            else:
                parts.append(rng.choice(SEPARATORS))
        values.append("".join(parts))
    return values


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_texts_and_handles_match_the_regular_expressions(seed: int) -> None:
    fast, slow = _redactors()
    assert fast._matcher() is not None and slow._matcher() is None  # the two paths really differ
    changed = 0
    for value in _values(seed, 4000):
        expected = slow.text(value)
        assert fast.text(value) == expected, value
        assert fast.handle_key(value) == slow.handle_key(value), value
        assert fast.shown_handle(value) == slow.shown_handle(value), value
        changed += expected != value
    assert changed > 1000  # the values do hold names and handles


def test_hand_picked_boundaries() -> None:
    fast, slow = _redactors()
    cases = {
        "zephyrine\n QUILLFEATHER and Mr Thistlewick": "Learner A and Staff A",  # title + surname: the one adult
        "@quill.zephy and zeph_q.2011's post": "@Learner A (2) and Learner A's post",
        "zeph_q.20111 is someone else": "zeph_q.20111 is someone else",
        "zeph_q.2011.x zeph_q.2011. _zeph_q.2011": "zeph_q.2011.x Learner A. _zeph_q.2011",
        "x@ada @ada .ada ada": "x@Learner D @Learner D .Learner D Learner D",
        "Adam and Ada_ and 2Ada": "Adam and Learner D_ and 2Learner D",
        # the handle "ada" is found before the whole name "Ada Quill" (as the regex always did)
        "the Quill family, Ada Quill, bo  quill": "the [name removed] family, Learner D [name removed], Learner E",
        "https://instagram.com/zephyrinefan/ @xxottolinexx": "https://instagram.com/Learner Afan/ @xxParent Axx",
        "the Percivalian era": "the Percivalian era",
        # look-alike letters match as re.IGNORECASE does; an unknown spelling becomes "[name removed]"
        "THIſTLEWICK and thıstlewick": "Staff A and [name removed]",
        "Sian, SIÂN and @its.sian": "Learner B, Learner B and @its.Learner B",
    }
    for value, expected in cases.items():
        assert slow.text(value) == expected, value
        assert fast.text(value) == expected, value


def test_frames_match_the_regular_expressions() -> None:
    fast, slow = _redactors()
    values = _values(7, 1500)
    handles = [v.strip().lstrip("@").casefold() or "x" for v in values]
    frames = {
        "people": PEOPLE,
        "accounts": pd.DataFrame({"platform": "instagram", "handle": values, "handle_key": handles,
                                  "display_name": values[::-1], "profile_url": pd.NA, "platform_id": pd.NA,
                                  "notes": values}).astype("string"),
        "relationships": pd.DataFrame({"platform": "instagram", "follower": handles, "followed": "zeph_q.2011",
                                       "observed_list": values}).astype("string"),
        "events": pd.DataFrame({"summary": values[:50], "accounts": [",".join(handles[i:i + 3]) for i in range(50)]}),
        "posts": pd.DataFrame({"account": pd.Series([*handles[:99], None], dtype=object),  # object dtype, missing
                               "text": pd.Series([*values[:99], None], dtype="str")}),
    }
    frames["relationships"].loc[::7, ["follower", "observed_list"]] = pd.NA
    got, expected = fast.tables(frames), slow.tables(frames)
    for name in frames:
        pd.testing.assert_frame_equal(got[name], expected[name])


def test_ambiguous_characters_fall_back_to_the_regular_expressions() -> None:
    fast, slow = _redactors()
    matcher = fast._matcher()
    assert matcher is not None and matcher.fold("Zoë") is not None
    matcher._unsafe.add("ë")  # as if "ë" folded two ways: such texts go to the regex
    assert matcher.fold("Zoë") is None and matcher.fold("Zoe") is not None
    values = ["Siân Zoë Snorkcombe", "zoë@sian.s", "https://x.com/zoëfan", "Zoë", "zoë", "xyz", "ada"]
    for value in values:
        assert fast.text(value) == slow.text(value)
        assert fast.handle_key(value) == slow.handle_key(value)
    assert matcher.quiet(values) == [False, False, False, False, False, True, False]
    frame = pd.DataFrame({"handle": values, "handle_key": values, "notes": values}).astype("string")
    pd.testing.assert_frame_equal(fast.frame(frame, "accounts"), slow.frame(frame, "accounts"))


def test_names_of_spaces_only_use_the_regular_expressions() -> None:
    odd = Redactor(handles={"ab": "Learner A"}, names={"  ": "Learner A", "cd": "Learner B"})
    assert odd._matcher() is None
    assert odd.text("ab cd") == Redactor(handles=odd.handles, names=odd.names, reference=True).text("ab cd")


def test_no_people_changes_nothing() -> None:
    empty = Redactor()
    assert empty.text("Zephyrine @zeph") == "Zephyrine @zeph"
    assert empty.handle_key("zeph") == "zeph"
