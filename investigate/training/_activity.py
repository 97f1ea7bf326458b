"""The fake account's life: who made it, when it posted, who followed, commented and reshared.

Times are epoch seconds (UTC); they are chosen as local times in Europe/London, so posts
land in evenings, lunchtimes and weekends as a learner's would (across the October clock change).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ._world import TIKTOK_LONGEST, World, ascii_fold

LONDON = ZoneInfo("Europe/London")
CYRILLIC = {"o": "\u043e", "a": "\u0430", "e": "\u0435", "c": "\u0441", "p": "\u0440"}
CELEBS = ("chonky.cat.daily", "premier.goals.hub", "slime.asmr.world", "gcse.revision.memes", "uk.drill.clips",
          "dance.trends.uk", "mr.beastly.fan", "frog.facts.daily")
SPAM = ("f0llow.4.f0llow", "promo_gains_2025", "free.vbucks.real", "crypto.queen.uk")


@dataclass
class Account:
    handle: str
    display_name: str
    role: str  # subject, copycat, school, staff, community, unknown
    owner: int = -1  # person index, -1 for none/unknown
    created: int = 0
    note: str = ""

    @property
    def url(self) -> str:
        return f"https://www.tiktok.com/@{self.handle}"


@dataclass
class Post:
    post_id: str
    at: int
    text: str
    mentions: list[str]
    hashtags: list[str]
    likes: int
    shares: int
    views: int


@dataclass
class Comment:
    cid: str
    post_id: str
    actor: str
    nickname: str
    text: str
    at: int
    reply_to: str = "0"


@dataclass
class Interaction:
    actor: str
    kind: str  # reshare, duet, stitch, tag
    post_id: str
    on_account: str
    at: int
    note: str = ""


@dataclass
class Event:
    at: int
    precision: str
    kind: str
    summary: str
    accounts: list[str]
    recorded_by: str


@dataclass
class Story:
    """Everything that happened around the fake account (the ground truth of the case)."""

    kind: str  # learner, parent, group
    creators: list[int]  # person indices, main creator first
    friends: list[int]
    impersonated: int  # staff person index, or -1 for the school
    subject: Account
    copycats: list[Account]
    school_accounts: list[Account]
    followers: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # account -> [(handle, at)]
    following: list[tuple[str, int]] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    capture: int = 0  # when the analyst copied the lists and ran Zeeschuimer
    takedown: int = 0
    noticed: int = 0
    analyst: str = ""
    dsl: int = -1


def local(day: date, hour: int, minute: int, second: int = 0) -> int:
    """Epoch seconds of a Europe/London wall-clock time.

    >>> local(date(2025, 10, 27), 19, 0) - local(date(2025, 10, 24), 19, 0)  # clocks went back on the 26th
    262800
    """
    return int(datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=LONDON).timestamp())


def london(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, LONDON)


def unambiguous(epoch: int) -> int:
    """Move a time out of the hour that happens twice when the clocks go back.

    Spreadsheets hold local times without an offset; such a time in that hour cannot be read
    back (the loader refuses it rather than guess), so times that staff type avoid it.

    >>> unambiguous(local(date(2025, 10, 26), 1, 30)) - local(date(2025, 10, 26), 1, 30)
    7200
    """
    moment = london(epoch)
    if moment.replace(fold=1 - moment.fold).utcoffset() != moment.utcoffset():
        return epoch + 7200
    return epoch


def lookalike(handle: str, rng: random.Random, *, ascii_only: bool, taken: set[str]) -> str:
    """A copycat handle: homoglyphs (Cyrillic о, 0/o, l/1, rn/m) or extra underscores."""
    tricks = []
    if not ascii_only and any(c in handle for c in CYRILLIC):
        tricks.append("cyrillic")
    if "o" in handle:
        tricks.append("zero")
    if "l" in handle or "i" in handle:
        tricks.append("one")
    if "m" in handle:
        tricks.append("rn")
    tricks.append("underscore")
    for attempt in range(20):
        trick = "cyrillic" if attempt == 0 and "cyrillic" in tricks else rng.choice(tricks)
        if trick == "cyrillic":
            spots = [i for i, c in enumerate(handle) if c in CYRILLIC]
            i = rng.choice(spots)
            out = handle[:i] + CYRILLIC[handle[i]] + handle[i + 1:]
        elif trick == "zero":
            i = rng.choice([i for i, c in enumerate(handle) if c == "o"])
            out = handle[:i] + "0" + handle[i + 1:]
        elif trick == "one":
            i = rng.choice([i for i, c in enumerate(handle) if c in "li"])
            out = handle[:i] + "1" + handle[i + 1:]
        elif trick == "rn":
            i = rng.choice([i for i, c in enumerate(handle) if c == "m"])
            out = handle[:i] + "rn" + handle[i + 1:]
        else:
            out = rng.choice((handle.replace(".", "_"), handle + "_", "_" + handle, handle.replace(".", "__"),
                              handle + "2"))
        if out != handle and out not in taken and len(out) <= TIKTOK_LONGEST:
            taken.add(out)
            return out
    raise RuntimeError("no lookalike handle found")  # pragma: no cover


def creator_kind(seed: int) -> str:
    """Who made the fake account in this seed: mostly one learner, sometimes a parent or a group.

    >>> [creator_kind(s) for s in (7, 9, 11)]
    ['learner', 'parent', 'group']
    """
    return ("learner", "learner", "learner", "parent", "learner", "group")[seed % 6]


def tell_story(world: World, rng: random.Random, *, seed: int, copycats: int = 2,
               reach: float = 1.0, copy_makers: list[int] | None = None) -> Story:
    """Decide the creator, the fake account, its copycats, and everything they did.

    ``copy_makers``: people (indices) who make the first copycats, e.g. the maker of a sibling
    school's fake account; the others are drawn as usual."""
    people = world.people
    school = world.schools[0]
    learners = [i for i in world.learners(0) if people[i].handle]
    kind = creator_kind(seed)
    # the creator: a learner in a friendship group (or a parent, or a small group)
    candidates = [i for i in learners if people[i].year_group == "Year 9"] or learners
    if kind == "parent":
        parent = rng.choice([i for i, p in enumerate(people) if p.role == "parent"])
        child = people[parent].child
        creators = [parent]
        friends = [child] + [i for i in world.groups[people[child].group] if i != child and people[i].handle]
        if not people[child].handle:
            friends = friends[1:]
    else:
        main = rng.choice(candidates)
        group = [i for i in world.groups[people[main].group] if i != main and people[i].handle]
        rng.shuffle(group)
        creators = [main] + (group[:rng.randint(1, 2)] if kind == "group" else [])
        friends = [i for i in group if i not in creators]
    for c in creators:
        people[c].known = True  # the creator's handle must be linkable to a person
    staff = world.staff(0)
    impersonated = -1 if seed % 4 == 2 else rng.choice([i for i in staff if "teacher" in people[i].job
                                                       or "Head" in people[i].job])
    taken = {p.handle for p in people if p.handle} | {school.tiktok, school.instagram}
    if impersonated >= 0:
        person = people[impersonated]
        title, last = person.name.split()[0].lower(), ascii_fold(person.name.split()[-1]).lower()
        stem = ascii_fold(school.name.split()[0]).lower()
        handles: tuple[str, ...] = (f"{title}.{last}", f"{title}_{last}_official", f"{last}.{stem}",
                                    f"real.{title}{last}")
        fits = tuple(h for h in handles if len(h) <= TIKTOK_LONGEST)  # the loaders refuse longer ones
        handle = rng.choice(fits)
        display = f"{person.name.split()[0]} {person.name.split()[-1]} {rng.choice(('👔', '🧑‍🏫', '📚'))}"
    else:
        handles = (f"{school.tiktok}.official", f"{school.tiktok}_news", f"the.real.{school.tiktok}")
        fits = tuple(h for h in handles if len(h) <= TIKTOK_LONGEST)
        handle = rng.choice(fits)
        display = f"{school.name} ✅"
    taken.add(handle)
    day0 = date(2025, 9, 22) + timedelta(days=rng.randrange(0, 12))
    created = local(day0, rng.randint(19, 21), rng.randrange(60))
    subject = Account(handle, display, "subject", owner=creators[0], created=created,
                      note="fake account under investigation")
    noticed_day = day0 + timedelta(days=rng.randint(3, 6))
    while noticed_day.weekday() >= 5:
        noticed_day += timedelta(days=1)
    takedown_day = day0 + timedelta(days=rng.randint(40, 48))
    capture_day = takedown_day - timedelta(days=2)
    while capture_day.weekday() >= 5:
        capture_day -= timedelta(days=1)
    capture = local(capture_day, 16, rng.randint(5, 40))
    story = Story(kind=kind, creators=creators, friends=friends, impersonated=impersonated, subject=subject,
                  copycats=[], school_accounts=[], capture=capture,
                  takedown=local(takedown_day, rng.randint(9, 15), rng.randrange(60)),
                  noticed=local(noticed_day, 8, rng.randint(35, 55)))
    story.school_accounts = [Account(s.tiktok, s.display, "school", created=local(date(2021, 3, 1), 10, 0))
                             for s in world.schools]
    # copycats, made by other learners once the fake account is known
    circle = {*creators, *friends}
    others = [i for i in learners if i not in circle and people[i].group != people[creators[0]].group]
    chosen = list(copy_makers or [])[:copycats]
    copy_creators = chosen + rng.sample([i for i in others if i not in chosen], copycats - len(chosen))
    for n, owner in enumerate(copy_creators):
        when = local(day0 + timedelta(days=10 + 8 * n + rng.randint(0, 5)), rng.randint(18, 22), rng.randrange(60))
        copy_handle = lookalike(handle, rng, ascii_only=(n % 2 == 1), taken=taken)
        story.copycats.append(Account(copy_handle, display, "copycat", owner=owner, created=when,
                                      note="lookalike of the fake account"))
    _follows(world, story, rng, reach=reach)
    _posts(world, story, rng)
    _comments(world, story, rng)
    _shares(world, story, rng)
    _events(world, story, rng)
    return story


def _follows(world: World, story: Story, rng: random.Random, *, reach: float) -> None:
    people = world.people
    created, capture, noticed = story.subject.created, story.capture, story.noticed
    followers: list[tuple[str, int]] = []
    seen: set[str] = set()

    def add(handle: str, at: int) -> None:
        if handle and handle not in seen and at < capture:
            seen.add(handle)
            followers.append((handle, at))

    t = created + rng.randint(120, 600)
    add(people[story.creators[0]].handle, t)  # the creator follows within minutes
    for c in story.creators[1:]:
        t += rng.randint(60, 900)
        add(people[c].handle, t)
    for f in story.friends:
        if rng.random() < 0.9:
            t += rng.randint(300, 9000)
            add(people[f].handle, t)
    creator_year = people[story.creators[0]].year_group if people[story.creators[0]].role == "learner" else "Year 9"
    for i in world.learners(None):
        p = people[i]
        if not p.handle or p.handle in seen:
            continue
        chance = (0.8 if p.year_group == creator_year else 0.45) if p.school == 0 else 0.08 * reach
        if rng.random() < chance:
            wave = noticed - 86400 + int(rng.expovariate(1 / (4 * 86400)))
            add(p.handle, max(wave, created + 86400))
    for handle in SPAM[:2]:
        add(handle, created + rng.randint(2, 20) * 86400)
    for copy in story.copycats:
        add(copy.handle, copy.created + rng.randint(600, 7200))
    followers.sort(key=lambda item: (item[1], item[0]))
    story.followers[story.subject.handle] = followers
    # the accounts the fake account follows: its creator first, friends, the school, memes, follow-backs
    following: list[tuple[str, int]] = []
    t = created + rng.randint(30, 300)
    following.append((people[story.creators[0]].handle, t))
    for c in story.creators[1:]:
        t += rng.randint(30, 600)
        following.append((people[c].handle, t))
    for f in story.friends:
        if rng.random() < 0.85:
            t += rng.randint(120, 7200)
            following.append((people[f].handle, t))
    following.append((story.school_accounts[0].handle, t + rng.randint(600, 3600)))
    if story.impersonated >= 0 and people[story.impersonated].handle:
        following.append((people[story.impersonated].handle, t + rng.randint(600, 7200)))
    for celeb in rng.sample(CELEBS, 4):
        following.append((celeb, created + rng.randint(1, 12) * 86400 + rng.randint(0, 86399)))
    fans = [h for h, _ in followers[len(story.friends) + len(story.creators):]
            if h not in SPAM and h not in {c.handle for c in story.copycats}]
    follow_back = {h: at for h, at in followers}
    for handle in rng.sample(fans, min(8, len(fans))):
        following.append((handle, follow_back[handle] + rng.randint(3600, 3 * 86400)))
    following = [(h, at) for h, at in following if at < capture]
    following.sort(key=lambda item: (item[1], item[0]))
    story.following = list(dict((h, (h, at)) for h, at in following).values())
    # copycats' followers: the copycat's maker first, their friends, the original creator's circle, others
    for copy in story.copycats:
        maker = people[copy.owner]
        rows = [(maker.handle, copy.created + rng.randint(60, 600))]
        for f in world.groups[maker.group]:
            if f != copy.owner and people[f].handle and rng.random() < 0.8:
                rows.append((people[f].handle, copy.created + rng.randint(600, 86400)))
        for c in story.creators:
            rows.append((people[c].handle, copy.created + rng.randint(3600, 2 * 86400)))
        for f in story.friends:
            if rng.random() < 0.5:
                rows.append((people[f].handle, copy.created + rng.randint(3 * 3600, 4 * 86400)))
        for handle, _ in rng.sample(followers, min(len(followers), rng.randint(12, 25))):
            rows.append((handle, copy.created + rng.randint(86400, 8 * 86400)))
        unique = dict()
        for h, at in sorted(rows, key=lambda item: (item[1], item[0])):
            if at < capture and h not in unique and h != copy.handle:
                unique[h] = at
        story.followers[copy.handle] = list(unique.items())


POST_TEMPLATES = (
    "POV: {who} finds out the printer is broken AGAIN 😤 #{tag} #teacherlife",
    "rating the canteen chips out of 10 🍟 today: {n}/10 #{tag}",
    "{who}'s guide to the perfect register ✅ #{tag}",
    "when year 9 says they forgot their homework again 💀 #{tag} #fyp",
    "detention speedrun any% 🏃 #{tag}",
    "new tie who dis 👔 #{tag} #fyp",
    "things {who} says every lesson pt {n} #{tag}",
    "answering your questions 📨 (keep them clean lol) #{tag}",
    "the staffroom kettle is my only friend ☕ #{tag}",
    "fire drill in the rain AGAIN 🌧️ #{tag}",
    "parents evening be like 😬 #{tag} #fyp",
    "<b>bold</b> & 'quotes' \"everywhere\" — café edition #{tag}",
    "marking 200 books on a sunday 📚😩 #{tag}",
    "{who} vs the smartboard: round {n} 🥊 #{tag}",
)
CREATOR_COMMENTS = ("first 😂", "LMAOOO", "part 2 when", "so accurate 😭", "🔥🔥🔥", "sir pls 💀",
                    "this one 😂😂", "do the one about the kettle", "HAHAHA", "ok this is the best one")
FRIEND_COMMENTS = ("😂😂", "no way 💀", "who made this lol", "the tie 👔 lmaooo", "stop 😭", "part 2 pls",
                   "this is so wrong but 😭")
OTHER_COMMENTS = ("sir would never 💀", "this is bullying tbh", "reported.", "Très drôle 😂", "naaah 💀💀",
                  "<script>alert(1)</script>", "delete this", "ratio", "he actually says that", "😭😭",
                  "who runs this account??", "Zoë said the same thing ngl", "not funny", "🤣",
                  "<img src=x onerror=alert(1)>", "lol", "bro got exposed", "ça va pas ou quoi")
REPLIES = ("thank you 🙏", "keep watching 👀", "no comment 🤐", "you'll see", "😂")


def _slot(rng: random.Random, day: date, kind: str) -> int:
    weekend = day.weekday() >= 5
    if kind == "parent" and not weekend and rng.random() < 0.5:
        return local(day, rng.randint(9, 14), rng.randrange(60))
    if weekend:
        return local(day, rng.randint(10, 22), rng.randrange(60))
    roll = rng.random()
    if roll < 0.25:
        return local(day, 12, rng.randint(15, 55))  # lunch
    if roll < 0.9:
        return local(day, rng.randint(18, 22), rng.randrange(60))  # evening
    return local(day, 23, rng.randint(0, 50))  # late


def _posts(world: World, story: Story, rng: random.Random) -> None:
    people = world.people
    who = (people[story.impersonated].name.split()[0] + " " + people[story.impersonated].name.split()[-1]
           if story.impersonated >= 0 else world.schools[0].name)
    tag = ascii_fold(world.schools[0].name.split()[0]).lower()
    day = london(story.subject.created).date()
    last = london(story.capture).date()
    times = [story.subject.created + rng.randint(600, 1500)]
    day += timedelta(days=1)
    while day < last:
        chance = 0.6 if day.weekday() >= 5 else 0.42
        if rng.random() < chance:
            times.append(_slot(rng, day, story.kind))
        day += timedelta(days=1)
    mates = [people[i].handle for i in story.friends]
    crowd = [h for h, _ in story.followers[story.subject.handle] if h in {p.handle for p in people if p.handle}
             and h not in mates]
    templates = list(POST_TEMPLATES)
    for n, at in enumerate(sorted(times)):
        template = templates[n % len(templates)] if n < len(templates) else rng.choice(templates)
        text = template.format(who=who, tag=tag, n=rng.randint(2, 9))
        mentions = []
        if rng.random() < 0.15:  # tagging someone to draw them in: a friend, or any follower
            pool = mates if mates and rng.random() < 0.4 else crowd
            mentions = [rng.choice(pool)]
            text += f" @{mentions[0]}"
        post_id = str((at << 32) | rng.getrandbits(32))
        hashtags = [w[1:] for w in text.split() if w.startswith("#")]
        views = rng.randint(150, 4000)
        story.posts.append(Post(post_id, at, text, mentions, hashtags, likes=views // rng.randint(4, 12),
                                shares=0, views=views))


def _comments(world: World, story: Story, rng: random.Random) -> None:
    people = world.people
    follower_times = dict(story.followers[story.subject.handle])
    nick = {p.handle: p.display_name for p in people if p.handle}
    others = [h for h in follower_times if h in nick and h not in
              {people[i].handle for i in story.creators + story.friends}]
    counter = 0

    def add(post: Post, actor: str, text: str, at: int, reply_to: str = "0") -> str | None:
        nonlocal counter
        if at >= story.capture:
            return None
        counter += 1
        cid = str(7_300_000_000_000_000_000 + (post.at % 1_000_000) * 1000 + counter)
        name = nick.get(actor, story.subject.display_name if actor == story.subject.handle else actor)
        story.comments.append(Comment(cid, post.post_id, actor, name, text, at, reply_to))
        return cid

    for post in story.posts:
        rows: list[tuple[int, str, str]] = []
        main = people[story.creators[0]].handle
        if rng.random() < 0.75:
            rows.append((post.at + rng.randint(40, 600), main, rng.choice(CREATOR_COMMENTS)))
        for c in story.creators[1:]:
            if rng.random() < 0.45:
                rows.append((post.at + rng.randint(180, 1800), people[c].handle, rng.choice(CREATOR_COMMENTS)))
        for f in story.friends:
            if rng.random() < 0.2:
                rows.append((post.at + rng.randint(300, 10800), people[f].handle, rng.choice(FRIEND_COMMENTS)))
        crowd = [h for h in others if follower_times[h] < post.at + 86400]
        for handle in rng.sample(crowd, min(len(crowd), rng.randint(0, 7))):
            rows.append((post.at + rng.randint(1200, 36 * 3600), handle, rng.choice(OTHER_COMMENTS)))
        for at, actor, text in sorted(rows):
            cid = add(post, actor, text, at)
            if cid and actor != main and rng.random() < 0.2:
                add(post, story.subject.handle, rng.choice(REPLIES), at + rng.randint(60, 3600), reply_to=cid)


def _shares(world: World, story: Story, rng: random.Random) -> None:
    people = world.people
    main = people[story.creators[0]].handle
    crowd = [h for h, _ in story.followers[story.subject.handle] if h not in SPAM]
    for post in story.posts:
        rows: list[Interaction] = []
        if rng.random() < 0.4:
            rows.append(Interaction(main, "reshare", post.post_id, story.subject.handle,
                                    post.at + rng.randint(120, 3600)))
        for f in story.friends + story.creators[1:]:
            if rng.random() < 0.1:
                rows.append(Interaction(people[f].handle, "reshare", post.post_id, story.subject.handle,
                                        post.at + rng.randint(1800, 86400)))
        if rng.random() < 0.25:
            kind = rng.choice(("reshare", "reshare", "duet", "stitch"))
            rows.append(Interaction(rng.choice(crowd), kind, post.post_id, story.subject.handle,
                                    post.at + rng.randint(3 * 3600, 3 * 86400)))
        for mention in post.mentions:
            rows.append(Interaction(story.subject.handle, "tag", post.post_id, mention, post.at))
        for row in rows:
            row.at = unambiguous(row.at)
            if row.at < story.capture:
                story.interactions.append(row)
        post.shares = sum(1 for r in rows if r.kind == "reshare") + rng.randint(0, 6)


def _events(world: World, story: Story, rng: random.Random) -> None:
    people = world.people
    staff = world.staff(0)
    dsl = rng.choice([i for i in staff if i != story.impersonated])
    story.dsl = dsl
    analyst = people[dsl].name
    story.analyst = analyst
    subject = story.subject.handle
    target = people[story.impersonated].name if story.impersonated >= 0 else world.schools[0].name
    tutor = rng.choice([i for i in staff if i not in (dsl, story.impersonated)])
    ev = story.events

    def add(at: int, kind: str, summary: str, accounts: list[str] | None = None, precision: str = "exact",
            by: str | None = None) -> None:
        ev.append(Event(unambiguous(at), precision, kind, summary, accounts or [subject], by or analyst))

    add(story.subject.created, "account created",
        f"@{subject} appears to have been created the evening of its first post (estimate).",
        precision="approximate")
    add(story.noticed, "first noticed",
        f"A learner told {people[tutor].name} about a TikTok account @{subject} pretending to be {target}.",
        by=people[tutor].name)
    add(story.noticed + 3600, "dsl informed", f"{people[tutor].name} passed the concern to the DSL ({analyst}).")
    add(story.noticed + 5400, "evidence", "Screenshots of the profile and two posts taken (URL, date and "
        "username visible) and registered as evidence. No nude or semi-nude images seen.")
    report = story.noticed + 2 * 3600 + rng.randint(0, 1800)
    add(report, "platform report", f"Reported @{subject} to TikTok (impersonation and harassment); "
        f"report reference TT-{rng.randint(100000, 999999)}. Follow-up due in 72 hours.")
    meet = story.noticed + 86400 + 4 * 3600
    add(meet, "meeting", f"Meeting with {target} to explain what is known and offer support"
        if story.impersonated >= 0 else "Senior leadership briefed; staff reminded not to engage with the account.")
    add(report + 3 * 86400 + 3600, "follow-up", "No reply from TikTok after 72 hours; contacted the Professionals "
        "Online Safety Helpline (POSH) to escalate.")
    if story.impersonated >= 0:
        add(story.noticed + 4 * 86400, "lado", "Consulted the LADO because posts made claims about "
            f"{target}; advised that the harm threshold is not met, to be recorded as a concern about the "
            "account, not about the staff member.")
    for copy in story.copycats:
        seen = copy.created + rng.randint(1, 3) * 86400
        add(seen, "copycat", f"A lookalike account @{copy.handle} was reported by learners; it copies the "
            f"name and picture of @{subject}.", accounts=[copy.handle, subject], precision="day")
    add(story.capture, "evidence", f"Followers and following lists of @{subject} copied by hand; posts and "
        "comments saved from the browser as they were shown.")
    year = people[story.friends[0] if story.kind == "parent" and story.friends else story.creators[0]].year_group
    add(story.capture + 86400, "letter", f"Letter to parents of {year or 'Year 9'} "
        "about online conduct and reporting fake accounts.")
    add(story.takedown, "takedown", f"@{subject} no longer available on TikTok (removed after POSH escalation).")
    ev.sort(key=lambda e: e.at)
