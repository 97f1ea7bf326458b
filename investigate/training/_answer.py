"""The answer key: who made the fake account, and the evidence in the files that points there."""

from __future__ import annotations

from statistics import median
from typing import Any

from ..words import handle_key
from ._activity import Story, london
from ._difficulty import Harder, describe
from ._world import Person, World


def _person(p: Person) -> dict[str, Any]:
    return {"person_id": p.person_id, "name": p.name, "role": p.role, "year_group": p.year_group or None,
            "tutor_group": p.tutor_group or None, "handle": p.handle, "handle_key": handle_key(p.handle)}


def _account_reasons(story: Story, h: str, harder: Harder | None = None) -> list[str]:
    """What the lists, comments, shares and copycat lists say about one handle."""
    subject = story.subject.handle
    followers = [x for x, _ in story.followers[subject]]
    following = [x for x, _ in story.following]
    order = "newest" if harder is not None and harder.newest_first else "oldest"
    source = "comments_from_screenshots.csv" if harder is not None and harder.no_posts else "the Zeeschuimer capture"
    reasons: list[str] = []
    at = {x: (len(followers) - n if order == "newest" else n + 1) for n, x in enumerate(followers)}  # as listed
    if h in followers and h in following:
        reasons.append(f"@{h} is on both lists of @{subject}: it follows the fake account (follower "
                       f"{at[h]} of {len(followers)}) and the fake account follows it back "
                       f"(number {following.index(h) + 1} of {len(following)} it follows).")
    elif h in followers:
        reasons.append(f"@{h} was follower {at[h]} of {len(followers)} of @{subject}.")
    if h in followers and followers.index(h) < 3:
        reasons.append(f"@{h} followed @{subject} within minutes of it being set up: it is among the very first "
                       f"followers in fake_account_followers.csv (listed {order} first).")
    posts = {post.post_id: post for post in story.posts}
    mine = [c for c in story.comments if c.actor == h]
    if mine:
        first = 0
        for post_id in {c.post_id for c in mine}:
            on_post = sorted((c for c in story.comments if c.post_id == post_id), key=lambda c: c.at)
            first += on_post[0].actor == h
        delay = median((c.at - posts[c.post_id].at) / 60 for c in mine)
        reasons.append(f"@{h} commented on {len({c.post_id for c in mine})} of {len(story.posts)} posts and was the "
                       f"first to comment on {first} of them, typically {delay:.0f} minutes after posting "
                       f"({source}).")
    shares = [i for i in story.interactions if i.actor == h and i.kind == "reshare"]
    if shares:
        reasons.append(f"@{h} reshared {len(shares)} of the posts, usually within the hour (shares_and_tags.csv).")
    copies = [c.handle for c in story.copycats if h in dict(story.followers[c.handle])]
    if copies and len(copies) == len(story.copycats):
        reasons.append(f"@{h} also follows every lookalike account ({', '.join('@' + c for c in copies)}).")
    return reasons


def _reasons(world: World, story: Story, index: int, harder: Harder | None = None) -> list[str]:
    """Plain-words reasons, each checkable in the case's files, that point at one person's handle."""
    people = world.people
    p = people[index]
    h = p.handle
    subject = story.subject.handle
    followers = [x for x, _ in story.followers[subject]]
    following = [x for x, _ in story.following]
    reasons = _account_reasons(story, h, harder)
    if harder is not None and harder.no_people:
        return reasons
    if p.role == "learner":
        mates = [people[i] for i in story.friends if people[i].handle in followers and people[i].handle in following]
        if mates:
            reasons.append(f"people.csv links @{h} to {p.name} ({p.year_group}, tutor group {p.tutor_group}); "
                           f"{len(mates)} other accounts on both lists belong to their friendship group "
                           f"({', '.join(m.name for m in mates)}).")
        else:
            reasons.append(f"people.csv links @{h} to {p.name} ({p.year_group}, tutor group {p.tutor_group}).")
    elif p.role == "parent":
        child = people[p.child]
        reasons.append(f"people.csv links @{h} to {p.name}, a parent of {child.name} ({child.year_group}, "
                       f"tutor group {child.tutor_group}), whose friends follow and comment early too.")
    return reasons


def _second(story: Story, harder: Harder | None) -> list[str]:
    """The reasons pointing at the creator's second account, when there is one."""
    if harder is None or not harder.second_account:
        return []
    alt = harder.second_account
    return [f"The creator also used @{alt}, an account the school did not know (it is in no people list):",
            *_account_reasons(story, alt, harder)]


def _rhythm(story: Story) -> str:
    local = [london(post.at) for post in story.posts]
    weekend = sum(t.weekday() >= 5 for t in local)
    lunch = sum(t.weekday() < 5 and t.hour == 12 for t in local)
    evening = sum(t.weekday() < 5 and t.hour >= 18 for t in local)
    lessons = sum(t.weekday() < 5 and 9 <= t.hour < 15 and t.hour != 12 for t in local)
    text = (f"Of {len(local)} posts, {weekend} were at weekends, {evening} on weekday evenings and {lunch} at "
            f"lunchtime; {lessons} in lesson time.")
    if lessons:
        return text + " Posting during lessons on weekdays points away from a learner in school (an adult?)."
    return text + " Nothing in lesson time: the rhythm of someone in school all day, such as a learner."


def answer_key(world: World, story: Story, *, seed: int, scale: str, harder: Harder | None = None) -> dict[str, Any]:
    """The key as a dict (written to answer_key.json). A realistic or hard case's key also says
    how hard it is, which evidence its files hold, the creator's second account and the decoys."""
    people = world.people
    main = people[story.creators[0]]
    target = people[story.impersonated].name if story.impersonated >= 0 else world.schools[0].name
    key: dict[str, Any] = {
        "training_case": True,
        "seed": seed,
        "scale": scale,
        "school": world.schools[0].name,
        "subject": {"platform": "tiktok", "handle": story.subject.handle,
                    "handle_key": handle_key(story.subject.handle), "impersonates": target,
                    "created_about": london(story.subject.created).isoformat()},
        "creator": {"kind": story.kind, **_person(main),
                    "others": [_person(people[i]) for i in story.creators[1:]]},
        "reasons": _reasons(world, story, story.creators[0], harder) + _second(story, harder) + [_rhythm(story)],
        "copycats": [{"handle": c.handle, "handle_key": handle_key(c.handle),
                      "made_by": _person(people[c.owner]),
                      "why_not_the_creator": f"@{people[c.owner].handle} is the first follower of the lookalike "
                      f"@{c.handle}, not of @{story.subject.handle}; it joined in after the fake account was "
                      "already known."} for c in story.copycats],
        "friends": [_person(people[i]) for i in story.friends],
    }
    for extra in story.creators[1:]:
        key["creator"]["others"][story.creators.index(extra) - 1]["reasons"] = _reasons(world, story, extra, harder)
    if harder is not None and harder.adult:
        key["creator"] = {"kind": "adult", "person_id": None, "name": f"an adult outside the school "
                          f"({harder.adult_of}'s ex-partner)", "role": "other", "year_group": None,
                          "tutor_group": None, "handle": harder.adult, "handle_key": handle_key(harder.adult),
                          "others": []}
        key["reasons"] = [f"@{harder.adult} follows @{harder.staff_account} ({harder.adult_of}'s own account: "
                          "staff_own_account_followers.csv) and every lookalike account, and followed the fake "
                          "account within minutes of it being made; it never comments and is in no people list.",
                          _rhythm(story)]
    if harder is not None and harder.unfollowed:
        key["reasons"].insert(0, f"The lists were copied twice: in the first copy (the day after it was reported) "
                              f"{', '.join('@' + h for h in harder.unfollowed)} follow @{story.subject.handle}; after "
                              "the assembly's warning they are gone from the final copy (the creator also deleted "
                              "its comments, and the fake stopped following it).")
    if harder is not None and harder.circle:
        key["reasons"].insert(0, f"The first accounts @{story.subject.handle} followed (oldest first) are one "
                              f"family: {', '.join('@' + h for h in harder.circle)}; none follows back or comments.")
    if harder is not None and harder.difficulty != "easy":
        told = describe(harder)
        key["creator"]["second_account"] = told.pop("second_account")
        key = {**key, **told}
    return key


def creator_handles(key: dict[str, Any]) -> set[str]:
    """Every handle_key the key says the creator(s) used: a lead on any of them is a hit."""
    c = key["creator"]
    found = {c["handle_key"], *(o["handle_key"] for o in c.get("others", []))}
    return found | ({handle_key(c["second_account"])} if c.get("second_account") else set())


def answer_markdown(key: dict[str, Any]) -> str:
    """The key as the markdown a notebook cell shows at the end of a training session."""
    c = key["creator"]
    who = {"learner": "a learner", "parent": "a parent", "group": "a small group of learners",
           "adult": "an adult outside the school"}[c["kind"]]
    group = f", {c['year_group']}, tutor group {c['tutor_group']}" if c.get("year_group") else ""
    lines = [
        f"# Answer key: training case (seed {key['seed']}, {key['scale']})",
        "",
        "*Fictional training data: every school, person and account is invented.*",
        "",
        f"**The fake account** @{key['subject']['handle']} (TikTok), impersonating {key['subject']['impersonates']} "
        f"at {key['school']}.",
        "",
        f"**Made by {who}:** {c['name']} ({c['role']}{group}), using the account **@{c['handle']}**.",
    ]
    for other in c["others"]:
        lines.append(f"- with {other['name']} ({other['year_group']}, tutor group {other['tutor_group']}), "
                     f"@{other['handle']}")
    if c.get("second_account"):
        lines.append(f"- who also used a second account the school did not know: **@{c['second_account']}**")
    if "difficulty" in key:
        have = [name.replace("_", " ") + ("" if value is True else f": {value}")
                for name, value in key["evidence"].items() if value]
        missing = [name.replace("_", " ") for name, value in key["evidence"].items() if value is False]
        lines += ["", f"**Difficulty:** {key['difficulty']}. Evidence in the files: {'; '.join(have)}.",
                  f"Missing: {'; '.join(missing) or 'nothing'}."]
        if key.get("shape"):
            lines += ["", f"**Shape of this case:** {key['shape']['name']}: {key['shape']['what']}."]
        if key["decoys"]:
            lines += ["", "## Decoys (accounts that look like leads)", ""]
            lines += [f"- @{d['handle']}: {d['what']}" for d in key["decoys"]]
    lines += ["", "## Why the evidence points there", ""]
    lines += [f"{n}. {reason}" for n, reason in enumerate(key["reasons"], start=1)]
    lines += ["", "## The lookalike (copycat) accounts", ""]
    for copy in key["copycats"]:
        made = copy["made_by"]
        lines.append(f"- @{copy['handle']}: made by {made['name']} ({made['year_group']}) as @{made['handle']}. "
                     f"{copy['why_not_the_creator']}")
    lines += ["", "Remember: in a real case these are leads to follow up with care, never findings on their own.",
              ""]
    return "\n".join(lines)
