"""The fictional world of a training case: schools, learners, staff, parents, friendship groups.

Every name is invented and obviously so (``Zephyrine Quillfeather`` at ``Grimblewood Academy``).
Everything is drawn from one :class:`random.Random`, so a seed gives the same world every time.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

FIRST = (
    "Zephyrine", "Barnaby", "Ottoline", "Crispin", "Marigold", "Thaddeus", "Perpetua", "Evander", "Clementine",
    "Bartholomew", "Isadora", "Fennimore", "Araminta", "Ludovic", "Wilhelmina", "Peregrine", "Hyacinth",
    "Cosmo", "Philippa", "Rufus", "Seraphina", "Ignatius", "Beatrix", "Florian", "Octavia", "Jolyon",
    "Persephone", "Lysander", "Honoria", "Caspian", "Elowen", "Tobias", "Zoë", "Anaïs", "Björn", "Renée",
    "Noémie", "Siân", "Chloé", "Mirabel", "Quentin", "Rosamund", "Gideon", "Tabitha", "Horatio", "Ursula",
    "Leopold", "Delphine", "Montague", "Posy", "Aurelio", "Cressida", "Ptolemy", "Juniper", "Benedikt",
    "Imogen", "Orson", "Wren", "Ambrose", "Coralie",
)
SURNAME_A = (
    "Quill", "Thistle", "Puddle", "Wobble", "Fizzle", "Crumpet", "Bumble", "Higgle", "Tumble", "Nettle",
    "Pickle", "Muddle", "Bramble", "Toffee", "Snork", "Wimble", "Gobble", "Dapple", "Frumple", "Pepper",
)
SURNAME_B = (
    "feather", "white", "ford", "thorpe", "beck", "worth", "shaw", "bottom", "wick", "stone", "by", "combe",
    "more", "ridge", "wood", "bury", "hurst", "field",
)
SCHOOL_A = ("Grimblewood", "Puddingstone", "Marrowvale", "Thistledown", "Quibbleford", "Wobbleton",
            "Bramblecombe", "Snorkelby", "Fiddlesworth", "Crumbleton")
SCHOOL_B = ("Academy", "High School", "Community College", "School")
TRUST = ("Bumblebrook Learning Trust", "Gigglewick Academies Trust", "Puddlemere Schools Partnership")
MASCULINE = {"Barnaby", "Crispin", "Thaddeus", "Evander", "Bartholomew", "Fennimore", "Ludovic", "Peregrine", "Cosmo",
             "Rufus", "Ignatius", "Florian", "Jolyon", "Lysander", "Caspian", "Tobias", "Björn", "Quentin", "Gideon",
             "Horatio", "Leopold", "Montague", "Aurelio", "Ptolemy", "Benedikt", "Orson", "Ambrose"}


def title_for(first: str, rng: random.Random) -> str:
    """A title that fits the (invented) first name."""
    return rng.choice(("Mr", "Mr", "Dr") if first in MASCULINE else ("Ms", "Mrs", "Miss", "Dr"))
STAFF_ROLES = ("Head of Year 9", "Science teacher", "Maths teacher", "Head of PE", "English teacher",
               "Deputy Head", "Music teacher", "Head of Year 10", "History teacher", "Art teacher",
               "Receptionist", "Site manager", "Head of Year 8", "Drama teacher")
EMOJI = ("✨", "🌸", "⚽", "🎮", "💀", "🦄", "🍕", "🎧", "🐸", "🌙", "🔥", "🐝")
HOSTILE_NAMES = ("<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "Robert'); DROP TABLE--",
                 "\"><svg onload=alert(1)>")


@dataclass
class Person:
    person_id: str
    name: str
    role: str  # learner, staff, parent
    school: int = 0
    year_group: str = ""
    tutor_group: str = ""
    group: int = -1  # friendship group index (learners)
    handle: str = ""  # personal TikTok handle ("" when none)
    display_name: str = ""
    known: bool = False  # the school knows this person's handle (it goes in people.csv)
    child: int = -1  # for parents: index of their child
    job: str = ""  # for staff


@dataclass
class School:
    name: str
    tiktok: str
    instagram: str
    display: str


@dataclass
class World:
    trust: str
    schools: list[School]
    people: list[Person]
    groups: list[list[int]] = field(default_factory=list)

    def learners(self, school: int | None = 0) -> list[int]:
        return [i for i, p in enumerate(self.people)
                if p.role == "learner" and (school is None or p.school == school)]

    def staff(self, school: int = 0) -> list[int]:
        return [i for i, p in enumerate(self.people) if p.role == "staff" and p.school == school]


def ascii_fold(text: str) -> str:
    """``'Zoë'`` -> ``'Zoe'``: accents dropped, for handles.

    >>> ascii_fold("Anaïs Noémie")
    'Anais Noemie'
    """
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _surname(rng: random.Random) -> str:
    return rng.choice(SURNAME_A) + rng.choice(SURNAME_B)


def _school(rng: random.Random, taken: set[str]) -> School:
    while True:
        name = f"{rng.choice(SCHOOL_A)} {rng.choice(SCHOOL_B)}"
        if name.split()[0] not in taken:
            taken.add(name.split()[0])
            break
    stem = ascii_fold(name.split()[0]).lower()
    word = "".join(w[0] for w in name.split()[1:]).lower()
    return School(name=name, tiktok=f"{stem}{word}", instagram=f"{stem}.{ascii_fold(name.split()[1]).lower()}",
                  display=f"{name} (official)")


TIKTOK_LONGEST = 24  # characters in a TikTok username at most


class Handles:
    """Unique personal handles in the styles learners use."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken: set[str] = set()

    def make(self, first: str, last: str) -> str:
        f, s = ascii_fold(first).lower(), ascii_fold(last).lower()
        rng = self.rng
        for _ in range(50):
            style = rng.randrange(8)
            n = rng.randrange(1, 99)
            handle = (f"{f}.{s[:4]}", f"{f}_{n:02d}", f"xx{f}xx", f"{f}{s[0]}{n:02d}", f"its.{f}",
                      f"{f}.{s}", f"{s}_{f[:3]}", f"{f}_{rng.choice(('games', 'vibes', 'edits', 'fc', 'art'))}")[style]
            if handle not in self.taken and len(handle) <= TIKTOK_LONGEST:  # the loaders refuse longer ones
                self.taken.add(handle)
                return handle
        raise RuntimeError("could not make a unique handle")  # pragma: no cover - 50 tries always suffice

    def reserve(self, handle: str) -> None:
        self.taken.add(handle)


def build_world(rng: random.Random, *, schools: int = 1, years: tuple[int, ...] = (8, 9, 10),
                forms: int = 4, per_form: int = 8) -> tuple[World, Handles]:
    """Make schools with learners in year and tutor groups, friendship groups, staff and parents."""
    taken: set[str] = set()
    school_list = [_school(rng, taken) for _ in range(schools)]
    handles = Handles(rng)
    for s in school_list:
        handles.reserve(s.tiktok)
        handles.reserve(s.instagram)
    people: list[Person] = []
    groups: list[list[int]] = []
    used_names: set[str] = set()

    def new_name() -> tuple[str, str]:
        while True:
            first, last = rng.choice(FIRST), _surname(rng)
            if f"{first} {last}" not in used_names:
                used_names.add(f"{first} {last}")
                return first, last

    for si, school in enumerate(school_list):
        letters = ascii_fold(school.name.split()[0]).upper()
        form_letters = [c for c in dict.fromkeys(letters) if c.isalpha()][:forms]
        prefix = "".join(w[0] for w in school.name.split())
        for year in years:
            year_members: list[int] = []
            for form in form_letters:
                for _ in range(per_form):
                    first, last = new_name()
                    index = len(people)
                    has_handle = rng.random() < 0.92
                    handle = handles.make(first, last) if has_handle else ""
                    display = _display(rng, first, last)
                    people.append(Person(
                        person_id=f"{prefix}-L{index + 1:04d}", name=f"{first} {last}", role="learner",
                        school=si, year_group=f"Year {year}", tutor_group=f"{year}{form}",
                        handle=handle, display_name=display, known=has_handle and rng.random() < 0.55,
                    ))
                    year_members.append(index)
            # friendship groups of 3-6, mostly inside a tutor group
            by_form: dict[str, list[int]] = {}
            for i in year_members:
                by_form.setdefault(people[i].tutor_group, []).append(i)
            pool: list[int] = []
            for members in by_form.values():
                members = members[:]
                rng.shuffle(members)
                pool.extend(members)
            # swap a few across forms so groups are not exactly forms
            for _ in range(len(pool) // 6):
                a, b = rng.randrange(len(pool)), rng.randrange(len(pool))
                pool[a], pool[b] = pool[b], pool[a]
            start = 0
            while start < len(pool):
                size = rng.randint(3, 6)
                chunk = pool[start:start + size]
                if len(chunk) < 3 and groups:
                    groups[-1].extend(chunk)
                    for i in chunk:
                        people[i].group = len(groups) - 1
                else:
                    for i in chunk:
                        people[i].group = len(groups)
                    groups.append(chunk)
                start += size
        jobs = list(STAFF_ROLES)
        rng.shuffle(jobs)
        for job in jobs[:12]:
            first, last = new_name()
            title = title_for(first, rng)
            index = len(people)
            has_handle = rng.random() < 0.25
            people.append(Person(
                person_id=f"{prefix}-S{index + 1:04d}", name=f"{title} {first} {last}", role="staff", school=si,
                handle=handles.make(first, last) if has_handle else "", display_name=f"{first} {last[0]}.",
                known=has_handle, job=job,
            ))
    learners = [i for i, p in enumerate(people) if p.role == "learner" and p.school == 0]
    for hostile, index in zip(HOSTILE_NAMES, rng.sample(learners, 2), strict=False):
        people[index].display_name = hostile  # reports and widgets must show these as text, never run them
    for child in rng.sample(learners, 4):
        first, last = rng.choice(FIRST), people[child].name.split()[-1]
        index = len(people)
        people.append(Person(
            person_id=f"{people[child].person_id.split('-')[0]}-P{index + 1:04d}",
            name=f"{title_for(first, rng)} {first} {last}", role="parent", school=0,
            handle=handles.make(first, last), display_name=f"{first} {last}", known=True, child=child,
        ))
    world = World(trust=rng.choice(TRUST), schools=school_list, people=people, groups=groups)
    return world, handles


def _display(rng: random.Random, first: str, last: str) -> str:
    roll = rng.random()
    if roll < 0.01:
        return rng.choice(HOSTILE_NAMES)
    if roll < 0.35:
        return f"{first} {rng.choice(EMOJI)}"
    if roll < 0.6:
        return f"{first} {last[0]}."
    if roll < 0.75:
        return f"{first.lower()} ✿ {last.lower()[:3]}"
    return f"{first} {last}"
