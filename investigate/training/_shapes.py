"""The hard level's case shapes: what a DSL meets that a plain story does not show.

Each shape changes the story after :mod:`._difficulty` has made it harder, with its own random
stream, and says what it did on the :class:`~._difficulty.Harder` record (the files and the answer
key read it from there):

- ``victim``: a learner the posts tag and mock; she is followed early by the fake, follows back,
  and comments on every post asking for it to stop; the fake replies mocking her. Half the time
  the DSL has recorded her account as a target.
- ``captures``: the lists were copied twice, the day it was reported and at the end; between the
  two the school warned learners in an assembly, and the maker (with a friend) unfollowed and
  deleted their comments.
- ``circle``: the fake's first follows (oldest first) are the maker's family: the maker, a
  sibling, a parent and the family business; none follows back or interacts.
- ``adult``: a staff member's ex-partner made the account, an adult the school does not know: it
  follows the staff member's own account (her followers list is imported), every copycat and the
  fake itself, and never comments. The learner of the plain story is only a classmate.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from ._activity import Comment, Event, Interaction, Story, unambiguous
from ._world import FIRST, TIKTOK_LONGEST, Person, World, ascii_fold

if TYPE_CHECKING:
    from ._difficulty import Harder

SHAPES: tuple[str, ...] = ("victim", "captures", "circle", "adult")
PLEAS = ("please delete this", "this isn't funny", "stop posting about me", "why are you doing this 😢",
         "reported.", "everyone report this account", "leave me alone", "I know who you are")
MOCKS = ("cry about it 😂", "🤡🤡", "someone's upset lol", "ratio + L")
TRADES = ("roofing", "plumbing", "bakery", "motors", "lettings", "cleaning")


def shape_for(seed: int) -> str:
    """The shape a hard case of ``seed`` takes when none is asked for ("" is the plain story).

    >>> [shape_for(s) for s in range(5)]
    ['', 'victim', 'captures', 'circle', 'adult']
    """
    return ("", *SHAPES)[seed % (len(SHAPES) + 1)]


def apply_shape(world: World, story: Story, rng: random.Random, done: Harder) -> None:
    """Change ``story`` (and ``world``'s people) in place for ``done.shape``; record what was done."""
    if done.shape == "victim":
        _victim(world, story, rng, done)
    elif done.shape == "captures":
        _captures(world, story, rng, done)
    elif done.shape == "circle":
        _circle(world, story, rng, done)
    elif done.shape == "adult":
        _adult(world, story, rng, done)


def _taken(world: World, story: Story) -> set[str]:
    return ({p.handle for p in world.people if p.handle} | {story.subject.handle}
            | {c.handle for c in story.copycats} | {a.handle for a in story.school_accounts})


def _unique(base: str, taken: set[str], rng: random.Random) -> str:
    base = base[:TIKTOK_LONGEST - 2]  # room for a number, within TikTok's limit
    handle = base
    while handle in taken:
        handle = f"{base}{rng.randint(2, 99)}"
    taken.add(handle)
    return handle


def _makers(world: World, story: Story, done: Harder) -> list[str]:
    found = [world.people[i].handle for i in story.creators if world.people[i].handle]
    return found + ([done.second_account] if done.second_account else [])


def _bystanders(world: World, story: Story, done: Harder) -> list[str]:
    """Learners of the school with a handle who play no part yet (not the circle, a copycat's maker or a decoy)."""
    people = world.people
    busy = {people[i].handle for i in story.creators + story.friends} | set(done.decoys or {})
    busy |= {people[c.owner].handle for c in story.copycats}
    return [p.handle for p in people if p.role == "learner" and p.school == 0 and p.handle and p.handle not in busy]


# ---------------------------------------------------------------------------------------------- victim
def _victim(world: World, story: Story, rng: random.Random, done: Harder) -> None:
    subject = story.subject
    victim = rng.choice(_bystanders(world, story, done))
    person = next(p for p in world.people if p.handle == victim)
    followers = dict(story.followers[subject.handle])
    followed = subject.created + rng.randint(1800, 3 * 3600)
    followers[victim] = followed + rng.randint(600, 3 * 3600)  # follows back once the fake follows her
    story.followers[subject.handle] = sorted(followers.items(), key=lambda item: (item[1], item[0]))
    story.following = [(h, at) for h, at in story.following if h != victim] + [(victim, followed)]
    posts = sorted(story.posts, key=lambda p: p.at)
    mocked = [p for p in posts if rng.random() < 0.4] or posts[:3]
    for post in mocked:
        post.text += f" @{victim} 🤡"
        post.mentions.append(victim)
        story.interactions.append(Interaction(subject.handle, "tag", post.post_id, victim, post.at))
    counter = 0
    for post in posts:
        at = post.at + rng.randint(120, 1800)
        if at <= followers[victim] or at >= story.capture:
            continue
        counter += 1
        cid = f"6{post.at}{counter:03d}"
        story.comments.append(Comment(cid, post.post_id, victim, person.display_name or victim, rng.choice(PLEAS), at))
        if rng.random() < 0.3 and at + 900 < story.capture:
            story.comments.append(Comment(f"5{post.at}{counter:03d}", post.post_id, subject.handle,
                                          subject.display_name, f"@{victim} {rng.choice(MOCKS)}", at + 600, cid))
    story.comments.sort(key=lambda c: (c.at, c.cid))
    done.victim = victim
    done.victim_known = rng.random() < 0.5
    if done.victim_known:
        done.accounts.append((victim, person.display_name or victim, "target",
                              "learner the posts tag and mock (recorded by the DSL)"))


# -------------------------------------------------------------------------------------------- captures
def _captures(world: World, story: Story, rng: random.Random, done: Harder) -> None:
    subject = story.subject
    first = unambiguous(story.noticed + 86400 + rng.randint(6, 8) * 3600)
    warning = unambiguous(first + rng.randint(2, 5) * 86400 - rng.randint(4, 6) * 3600)
    makers = [h for h in _makers(world, story, done) if h in dict(story.followers[subject.handle])
              and dict(story.followers[subject.handle])[h] < first]
    friends = [world.people[i].handle for i in story.friends if world.people[i].handle
               and dict(story.followers[subject.handle]).get(world.people[i].handle, first) < first]
    leaving = makers + rng.sample(friends, min(1, len(friends)))
    done.first_capture = first
    done.warning = warning
    done.first_followers = [(h, at) for h, at in story.followers[subject.handle] if at < first]
    done.first_following = [(h, at) for h, at in story.following if at < first]
    done.unfollowed = leaving
    gone = set(leaving)
    story.followers[subject.handle] = [(h, at) for h, at in story.followers[subject.handle] if h not in gone]
    story.following = [(h, at) for h, at in story.following if h not in set(makers)]  # it drops its maker
    story.comments = [c for c in story.comments if c.actor not in set(makers)]  # the maker deletes its comments
    story.interactions = [i for i in story.interactions if i.actor not in set(makers)]
    year = world.people[story.creators[0]].year_group or "Year 9"
    story.events.append(Event(first, "exact", "evidence", f"Followers and following lists of @{subject.handle} "
                              "copied by hand the day after it was reported (first copy).", [subject.handle],
                              story.analyst))
    story.events.append(Event(warning, "exact", "assembly", f"{year} assembly: learners warned about the fake "
                              f"account @{subject.handle} and told how to report it.", [subject.handle],
                              story.analyst))
    story.events.sort(key=lambda e: e.at)


# ---------------------------------------------------------------------------------------------- circle
def _family(world: World, story: Story, rng: random.Random) -> list[str]:
    """The maker's family as accounts: the maker, a sibling, a parent (or the child), a business."""
    people = world.people
    taken = _taken(world, story)
    main = people[story.creators[0]]
    surname = main.name.split()[-1]
    stem = ascii_fold(surname).lower()
    prefix = main.person_id.split("-")[0]
    child = people[main.child] if main.role == "parent" else main
    relatives: list[Person] = []
    if main.role == "parent":
        relatives.append(child)
    else:
        parent = next((p for p in people if p.role == "parent" and p.child == story.creators[0]), None)
        if parent is None:
            first = rng.choice(FIRST)
            parent = Person(f"{prefix}-P{len(people) + 1:04d}", f"Mx {first} {surname}", "parent", school=0,
                            handle=_unique(f"{ascii_fold(first).lower()}.{stem}", taken, rng),
                            display_name=f"{first} {surname}", known=True, child=story.creators[0])
            people.append(parent)
        relatives.append(parent)
    first = rng.choice(FIRST)
    year = "Year 7" if child.year_group != "Year 7" else "Year 8"
    sibling = Person(f"{prefix}-L{len(people) + 1:04d}", f"{first} {surname}", "learner", school=0, year_group=year,
                     tutor_group=year.split()[-1] + "Q", handle=_unique(f"{ascii_fold(first).lower()}_{stem[:5]}",
                                                                         taken, rng),
                     display_name=first, known=True)
    people.append(sibling)
    for person in (main, *relatives):
        person.known = True
    business = _unique(f"{stem}.{rng.choice(TRADES)}", taken, rng)
    family = [sibling.handle, *(p.handle for p in relatives), business]
    rng.shuffle(family)
    return [main.handle, *family]


def _dissolve(world: World, story: Story, rng: random.Random, handles: set[str]) -> None:
    """These accounts lose the early pattern of the maker's circle: they follow in the wave like any
    classmate, the fake does not follow them, and only a few of their comments stay."""
    subject = story.subject
    followers = dict(story.followers[subject.handle])
    for handle in handles & set(followers):
        followers[handle] = max(story.noticed - 86400 + int(rng.expovariate(1 / (4 * 86400))),
                                subject.created + 86400)
    story.followers[subject.handle] = sorted(((h, at) for h, at in followers.items() if at < story.capture),
                                             key=lambda item: (item[1], item[0]))
    story.following = [(h, at) for h, at in story.following if h not in handles]
    story.comments = [c for c in story.comments if c.actor not in handles or rng.random() < 0.2]
    story.interactions = [i for i in story.interactions if i.actor not in handles]


def _circle(world: World, story: Story, rng: random.Random, done: Harder) -> None:
    people = world.people
    subject = story.subject
    family = _family(world, story, rng)
    _dissolve(world, story, rng, {people[i].handle for i in story.friends if people[i].handle})
    followers = [(h, at) for h, at in story.followers[subject.handle] if h not in set(family)]
    story.followers[subject.handle] = followers  # none of the family follows back
    story.comments = [c for c in story.comments if c.actor not in set(family)]
    story.interactions = [i for i in story.interactions if i.actor not in set(family)]
    start = subject.created + rng.randint(20, 90)
    following = [(h, start + 40 * n + rng.randint(0, 30)) for n, h in enumerate(family)]
    story.following = following + [(h, at) for h, at in story.following if h not in set(family)]
    story.following.sort(key=lambda item: (item[1], item[0]))
    done.circle = family
    done.no_people = False  # the shape is read from the people list


# ----------------------------------------------------------------------------------------------- adult
def _adult(world: World, story: Story, rng: random.Random, done: Harder) -> None:
    people = world.people
    subject = story.subject
    taken = _taken(world, story)
    staff = story.impersonated if story.impersonated >= 0 else rng.choice(world.staff(0))
    teacher = people[staff]
    if not teacher.handle:
        first, last = teacher.name.split()[1], teacher.name.split()[-1]
        teacher.handle = _unique(f"{ascii_fold(first).lower()}.{ascii_fold(last).lower()}", taken, rng)
        teacher.display_name = teacher.display_name or f"{first} {last[0]}."
    if staff != story.impersonated:
        done.accounts.append((teacher.handle, teacher.display_name, "staff",
                              f"{teacher.name}'s own account (targeted in the posts)"))
    adult = _unique(f"{ascii_fold(rng.choice(FIRST)).lower()}_{rng.randint(1972, 1994)}", taken, rng)
    circle = {people[i].handle for i in story.creators + story.friends if people[i].handle}
    _dissolve(world, story, rng, circle)
    followers = dict(story.followers[subject.handle])
    followers[adult] = subject.created + rng.randint(120, 1800)  # the maker looks at its own account
    story.followers[subject.handle] = sorted(followers.items(), key=lambda item: (item[1], item[0]))
    for copy in story.copycats:
        rows = [(h, at) for h, at in story.followers[copy.handle] if h not in {people[i].handle
                                                                             for i in story.creators}]
        rows.append((adult, copy.created + rng.randint(3600, 86400)))
        story.followers[copy.handle] = sorted(((h, at) for h, at in rows if at < story.capture),
                                              key=lambda item: (item[1], item[0]))
    colleagues = [people[i].handle for i in world.staff(0) if people[i].handle and i != staff]
    learners = rng.sample(_bystanders(world, story, done), 4)
    family = [_unique(f"{ascii_fold(rng.choice(FIRST)).lower()}.{w}", taken, rng)
              for w in ("home", "x", "mum", "runs", "pics", "bakes")]
    shown = [adult, *colleagues, *learners, *family]
    rng.shuffle(shown)
    done.staff_account = teacher.handle
    done.staff_followers = shown
    done.adult = adult
    done.adult_of = teacher.name
