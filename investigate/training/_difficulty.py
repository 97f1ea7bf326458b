"""How hard a training case is: decoys, a careful creator, missing files.

``easy`` is the story as :func:`~._activity.tell_story` tells it (the bundled sample case). The
other levels change that story afterwards, with their own random stream, so an easy case of a
seed stays byte for byte what it was:

- decoys: a super-fan who comments first on nearly everything but is never followed back;
  friends who followed before the creator; a mutual who joined late and never interacts; a
  late binge of comments on weeks-old posts; a parent and a member of staff among the followers;
- a careful creator: few comments and reshares, not every copycat followed, and sometimes a
  second personal account (unknown to the school) that does the following;
- missing data: no posts capture (comments only, as a spreadsheet), no follow times, no people
  table; the followers list typed newest first;
- hard only: one of the case shapes of :mod:`._shapes` (a victim tagged and mocked, two captures
  with an unfollow, the maker's family as the first follows, an adult outside the school).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Literal

from ._activity import Comment, Story
from ._shapes import SHAPES, apply_shape, shape_for
from ._world import World

Difficulty = Literal["easy", "realistic", "hard"]
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "realistic", "hard")


@dataclass(frozen=True)
class Knobs:
    """What a difficulty changes (chances are per post, per copycat or per case)."""

    creator_comments: float  # share of the creator's comments kept (easy: all)
    creator_reshares: float
    creator_copycats: float  # chance the creator follows each copycat
    friends_first: tuple[int, int]  # how many friends follow before the creator (range)
    decoys: bool
    second_account: float  # chance the creator acts through a second, unknown account
    no_posts: float  # chance there is no posts capture (comments typed from screenshots instead)
    follow_times: float  # chance the following list comes with follow times
    no_people: float  # chance there is no people table
    newest_first: float  # chance the followers list was typed newest first


KNOBS: dict[str, Knobs] = {
    "easy": Knobs(1.0, 1.0, 1.0, (0, 0), False, 0.0, 0.0, 0.0, 0.0, 0.0),
    "realistic": Knobs(0.5, 0.4, 0.8, (1, 3), True, 0.25, 0.2, 0.6, 0.2, 0.3),
    "hard": Knobs(0.15, 0.1, 0.5, (3, 6), True, 0.5, 0.4, 0.35, 0.4, 0.5),
}


@dataclass
class Harder:
    """What the difficulty did, for the files and the answer key."""

    difficulty: str
    second_account: str = ""
    no_posts: bool = False
    follow_times: bool = False
    no_people: bool = False
    newest_first: bool = False
    decoys: dict[str, str] | None = None  # handle -> what it is
    # the hard level's shape (see ._shapes) and what it did
    shape: str = ""
    accounts: list[tuple[str, str, str, str]] = field(default_factory=list)  # extra rows for accounts.csv
    victim: str = ""
    victim_known: bool = False
    first_capture: int = 0
    warning: int = 0
    first_followers: list[tuple[str, int]] = field(default_factory=list)
    first_following: list[tuple[str, int]] = field(default_factory=list)
    unfollowed: list[str] = field(default_factory=list)
    circle: list[str] = field(default_factory=list)
    staff_account: str = ""
    staff_followers: list[str] = field(default_factory=list)
    adult: str = ""
    adult_of: str = ""


def make_harder(world: World, story: Story, *, seed: int, difficulty: str, shape: str | None = None) -> Harder:
    """Change ``story`` in place for ``difficulty`` (nothing for easy); say what was done.

    ``shape`` (hard only; by default :func:`~._shapes.shape_for` the seed): one of
    :data:`~._shapes.SHAPES`, or "" for the plain hard story."""
    knobs = KNOBS[difficulty]
    done = Harder(difficulty)
    if difficulty == "easy":
        return done
    done.shape = (shape_for(seed) if shape is None else shape) if difficulty == "hard" else ""
    if done.shape and done.shape not in SHAPES:
        raise ValueError(f"unknown shape {done.shape!r}")  # generate() refuses it in words first
    rng = random.Random(f"{difficulty}-{seed}")
    done.no_posts = rng.random() < knobs.no_posts
    done.follow_times = rng.random() < knobs.follow_times
    done.no_people = rng.random() < knobs.no_people
    done.newest_first = rng.random() < knobs.newest_first
    main = world.people[story.creators[0]].handle
    _careful(story, rng, main, knobs)
    _friends_first(world, story, rng, main, knobs)
    if rng.random() < knobs.second_account and done.shape not in ("circle", "adult"):
        done.second_account = _second_account(world, story, rng, main)
    done.decoys = _decoys(world, story, rng) if knobs.decoys else {}
    apply_shape(world, story, random.Random(f"shape-{done.shape}-{seed}"), done)
    if done.shape == "adult":  # the learner of the plain story is a classmate here, not a maker
        done.second_account = ""
    story.followers[story.subject.handle].sort(key=lambda item: (item[1], item[0]))
    story.following.sort(key=lambda item: (item[1], item[0]))
    return done


def _careful(story: Story, rng: random.Random, main: str, knobs: Knobs) -> None:
    """The creator comments and reshares less, and skips some copycats."""
    story.comments = [c for c in story.comments if c.actor != main or rng.random() < knobs.creator_comments]
    story.interactions = [i for i in story.interactions
                          if i.actor != main or i.kind != "reshare" or rng.random() < knobs.creator_reshares]
    for copy in story.copycats:
        if rng.random() >= knobs.creator_copycats:
            story.followers[copy.handle] = [(h, at) for h, at in story.followers[copy.handle] if h != main]


def _friends_first(world: World, story: Story, rng: random.Random, main: str, knobs: Knobs) -> None:
    """Some friends follow the new account before its creator does (it is shared in a group chat)."""
    count = rng.randint(*knobs.friends_first)
    friends = [world.people[i].handle for i in story.friends if world.people[i].handle][:count]
    followers = dict(story.followers[story.subject.handle])
    if not friends or main not in followers:
        return
    for n, handle in enumerate(friends):
        followers[handle] = story.subject.created + 60 * (n + 1)
    followers[main] = story.subject.created + 60 * len(friends) + rng.randint(600, 4 * 3600)
    story.followers[story.subject.handle] = list(followers.items())


def _second_account(world: World, story: Story, rng: random.Random, main: str) -> str:
    """The creator follows and comments from a second account the school does not know; the main
    account only follows later, like any classmate, and never comments."""
    taken = {p.handle for p in world.people if p.handle}
    stem = main.strip("._").split(".")[-1].split("_")[0] or "x"
    alt = next(h for h in (f"{stem}.priv", f"not.{stem}", f"{stem}_spam", f"{stem}.fin", f"{stem}.alt2")
               if h not in taken)
    subject = story.subject
    followers = dict(story.followers[subject.handle])
    if main in followers:
        followers[alt] = followers[main]
        followers[main] = subject.created + rng.randint(2, 5) * 86400
    story.followers[subject.handle] = list(followers.items())
    story.following = [(alt if h == main else h, at) for h, at in story.following]
    if rng.random() < 0.5:
        story.following.append((main, subject.created + rng.randint(3, 8) * 86400))
    story.comments = [_as(c, alt) if c.actor == main else c for c in story.comments]
    for item in story.interactions:
        if item.actor == main:
            item.actor = alt
    return alt


def _as(comment: Comment, actor: str) -> Comment:
    return Comment(comment.cid, comment.post_id, actor, actor, comment.text, comment.at, comment.reply_to)


def _decoys(world: World, story: Story, rng: random.Random) -> dict[str, str]:
    """A super-fan, a late binge, a late mutual, a parent and a member of staff."""
    people = world.people
    subject = story.subject
    circle = {people[i].handle for i in story.creators + story.friends}
    followers = dict(story.followers[subject.handle])
    following = {h for h, _ in story.following}
    pool = [p.handle for i, p in enumerate(people) if p.role == "learner" and p.school == 0 and p.handle
            and p.handle not in circle and p.handle not in following]
    fan, binger, late = rng.sample(pool, 3)
    out = {fan: "super-fan: comments first on nearly every post, never followed back",
           binger: "late binge: seven comments in minutes on weeks-old posts",
           late: "late mutual: followed back weeks in, never interacts"}
    posts = sorted(story.posts, key=lambda p: p.at)
    followers[fan] = subject.created + rng.randint(20, 40) * 3600
    counter = 0
    for post in posts:
        if post.at > followers[fan] and rng.random() < 0.85:
            counter += 1
            text = rng.choice(("FIRST 😂", "first!!", "1st 🔥"))
            story.comments.append(Comment(f"9{post.at}{counter:03d}", post.post_id, fan, fan, text,
                                          post.at + rng.randint(20, 150)))
    binge_at = story.capture - rng.randint(2, 5) * 86400
    followers[binger] = binge_at - rng.randint(1, 3) * 86400
    story.following.append((binger, followers[binger] + rng.randint(3600, 86400)))
    old = [p for p in posts if p.at < binge_at - 14 * 86400][:7]
    for n, post in enumerate(old):
        story.comments.append(Comment(f"8{post.at}{n:03d}", post.post_id, binger, binger, "😂😂",
                                      binge_at + n * rng.randint(120, 170)))
    followers[late] = subject.created + rng.randint(18, 26) * 86400
    story.following.append((late, followers[late] + rng.randint(3600, 2 * 86400)))
    parents = [i for i, p in enumerate(people) if p.role == "parent" and p.handle and i not in story.creators]
    for index in rng.sample(parents, min(1, len(parents))):
        handle = people[index].handle
        followers[handle] = subject.created + rng.randint(2, 6) * 3600
        story.following.append((handle, followers[handle] + rng.randint(600, 7200)))
        out[handle] = "parent: followed on the first evening and was followed back"
    staff = [people[i].handle for i in world.staff(0) if people[i].handle and i != story.impersonated]
    if staff:
        watcher = rng.choice(staff)
        followers[watcher] = story.noticed + rng.randint(1, 3) * 3600
        out[watcher] = "member of staff: followed to keep an eye on the account once it was reported"
    story.followers[subject.handle] = [(h, at) for h, at in followers.items() if at < story.capture]
    story.following = [(h, at) for h, at in dict((h, (h, at)) for h, at in story.following).values()
                       if at < story.capture]
    story.comments = [c for c in story.comments if c.at < story.capture]
    story.comments.sort(key=lambda c: (c.at, c.cid))
    return {h: why for h, why in out.items() if h in dict(story.followers[subject.handle])}


def describe(done: Harder) -> dict[str, object]:
    """The answer key's account of how hard the case is and which evidence is in its files."""
    return {
        "difficulty": done.difficulty,
        "evidence": {
            "posts_capture": not done.no_posts,
            "comment_times": True,
            "follow_times_of_following_list": done.follow_times,
            "people_table": not done.no_people,
            "followers_list_order": "newest first" if done.newest_first else "oldest first",
            "list_order_recorded_in_the_case": True,
        },
        "second_account": done.second_account or None,
        "decoys": [{"handle": h, "what": why} for h, why in sorted((done.decoys or {}).items())],
        "shape": _shape(done),
    }


def _shape(done: Harder) -> dict[str, object] | None:
    """The answer key's account of the hard level's shape (None for the plain story)."""
    if not done.shape:
        return None
    out: dict[str, object] = {"name": done.shape}
    if done.shape == "victim":
        out |= {"victim": done.victim, "victim_recorded_as_target": done.victim_known,
                "what": "a learner the posts tag and mock; she follows back and comments on every post asking "
                "for it to stop: a target, never a lead"}
    elif done.shape == "captures":
        out |= {"unfollowed": done.unfollowed, "what": "the lists were copied twice; between the copies the school "
                "warned learners in an assembly and these accounts unfollowed (the maker deleted its comments)"}
    elif done.shape == "circle":
        out |= {"circle": done.circle, "what": "the first accounts the fake followed are the maker's family; none "
                "follows back or interacts"}
    elif done.shape == "adult":
        out |= {"adult": done.adult, "staff_account": done.staff_account,
                "what": f"an adult outside the school ({done.adult_of}'s ex-partner) made it: it follows "
                f"{done.adult_of}'s own account, every copycat and the fake itself, and never comments"}
    return out

