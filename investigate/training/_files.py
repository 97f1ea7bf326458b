"""Which file holds what: the story written out as the files an analyst would really hold."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ._activity import CELEBS, Story, local, london, unambiguous
from ._difficulty import Harder
from ._screenshots import post_png, profile_png
from ._world import World, ascii_fold
from ._writers import (
    meta_json,
    stream_followers_csv,
    write_csv,
    write_json,
    write_ndjson,
    write_text,
    write_xlsx,
    write_zip,
)

BULK_SUFFIXES = ("parents.forum", "news", "fc", "memes", "sixthform", "pe.dept", "music", "confessions",
                 "drama.club", "alumni", "ptfa", "netball", "chess.club", "art.dept")


def iso(epoch: int) -> str:
    """UTC ISO text with an explicit offset: ``2025-10-03T18:05:00+00:00``."""
    return datetime.fromtimestamp(epoch, UTC).isoformat()


def uk(epoch: int) -> str:
    """Day-first local time as typed in a UK spreadsheet: ``03/10/2025 19:05``."""
    return london(epoch).strftime("%d/%m/%Y %H:%M")


def _entry(file: str, format: str, list_kind: str | None, observed: int, description: str, *,
           platform: str | None = "tiktok", account: str | None = None, order: str | None = None) -> dict[str, Any]:
    return {"file": file, "format": format, "platform": platform, "account": account, "list": list_kind,
            "order": order, "observed_at": iso(observed), "description": description}


def write_files(out: Path, world: World, story: Story, rng: random.Random, *, scale: str,
                seed: int, harder: Harder | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Write every data file and screenshot; returns (manifest entries, screenshot entries).

    ``harder`` (a realistic or hard case) may leave out the people table and the posts capture
    (the comments are then a spreadsheet typed from screenshots), give the following list its
    follow times, or type the followers list newest first."""
    harder = harder or Harder("easy")
    people = world.people
    nick = {p.handle: p.display_name for p in people if p.handle}
    subject = story.subject
    capture = story.capture
    manifest: list[dict[str, Any]] = []

    # people known to the school (the sensitive table): learners, staff, parents
    rows: list[tuple[object, ...]] = []  # each table's rows in turn
    for p in people:
        if p.school != 0:
            continue
        handles = f"@{p.handle}" if (p.known and p.handle) else ""
        note = p.job if p.role == "staff" else (f"parent of {people[p.child].name}" if p.role == "parent" else "")
        rows.append((p.person_id, p.name, p.role, p.year_group, p.tutor_group, handles, note))
    if not harder.no_people:
        write_csv(out / "people.csv", ("Ref", "Name", "Role", "Year", "Form", "Accounts", "Notes"), rows)
        manifest.append(_entry("people.csv", "csv", "people", capture, "People the school knows: learners, staff "
                               "and parents, with the accounts they are known to use (sensitive).", platform=None))

    # accounts the analyst knows about
    rows = [(f"@{subject.handle}", "tiktok", subject.display_name, subject.url, "subject", subject.note)]
    rows += [(f"@{c.handle}", "tiktok", c.display_name, c.url, "copycat", c.note) for c in story.copycats]
    rows += [(f"@{a.handle}", "tiktok", a.display_name, a.url, "school", "the school's official account")
             for a in story.school_accounts]
    if story.impersonated >= 0 and people[story.impersonated].handle:
        staff = people[story.impersonated]
        rows.append((f"@{staff.handle}", "tiktok", staff.display_name, f"https://www.tiktok.com/@{staff.handle}",
                     "staff", f"{staff.name}'s own account"))
    rows += [(f"@{h}", "tiktok", shown, f"https://www.tiktok.com/@{h}", role, note)
             for h, shown, role, note in harder.accounts]
    write_csv(out / "accounts.csv", ("Handle", "Platform", "Display name", "Profile URL", "Role", "Notes"), rows)
    manifest.append(_entry("accounts.csv", "csv", "accounts", capture,
                           "Accounts known so far: the fake account, lookalikes, the school's own account.",
                           platform="tiktok"))

    # Zeeschuimer capture of the fake account's posts and comments
    if harder.no_posts:
        manifest.append(_typed_comments(out / "comments_from_screenshots.csv", story))
    else:
        manifest.append(_zeeschuimer(out / "tiktok_posts_comments_zeeschuimer.ndjson", story, rng))

    if harder.first_capture:  # the hard level's "captures" shape: a first copy, before the school's warning
        manifest.extend(_first_copies(out, story, harder, nick))
    if harder.staff_account:  # the hard level's "adult" shape: the targeted member of staff's own followers
        name = "staff_own_account_followers.csv"
        write_csv(out / name, ("Username",), [(h,) for h in harder.staff_followers])
        manifest.append(_entry(name, "csv", "followers", capture, f"Followers of @{harder.staff_account}, the "
                               "targeted member of staff's own account, copied from the app (the app's order).",
                               account=harder.staff_account, order="app"))

    # followers copied by hand (Excel "CSV UTF-8": BOM, CRLF), oldest first
    followers = story.followers[subject.handle]
    followers = followers[::-1] if harder.newest_first else followers
    rows = []
    for n, (handle, _) in enumerate(followers, start=1):
        shown = f"@{handle}" if n % 5 == 0 else handle
        rows.append((n, shown, nick.get(handle, "")))
    write_csv(out / "fake_account_followers.csv", ("No", "Username", "Display name"), rows)
    manifest.append(_entry("fake_account_followers.csv", "csv", "followers", capture,
                           f"Followers of @{subject.handle}, typed from the app, "
                           f"{'newest' if harder.newest_first else 'oldest'} first.", account=subject.handle,
                           order="newest-first" if harder.newest_first else "oldest-first"))

    # following list in a workbook, some as profile links
    rows = []
    for n, (handle, at) in enumerate(story.following, start=1):
        shown = f"https://www.tiktok.com/@{handle}" if n % 4 == 0 else handle
        rows.append((n, shown, nick.get(handle, handle.replace(".", " ").title() if handle in CELEBS else ""),
                     *([uk(unambiguous(at))] if harder.follow_times else [])))
    if harder.follow_times:
        write_csv(out / "fake_account_following.csv", ("#", "Account", "Name", "Followed at"), rows)
        manifest.append(_entry("fake_account_following.csv", "csv", "following", capture,
                               f"Accounts @{subject.handle} follows with the time of each follow (UK time), from "
                               "the platform's disclosure.", account=subject.handle, order="oldest-first"))
    else:
        write_xlsx(out / "fake_account_following.xlsx", "following", ("#", "Account", "Name"), rows,
                   when=london(capture), author=story.analyst)
        manifest.append(_entry("fake_account_following.xlsx", "xlsx", "following", capture,
                               f"Accounts @{subject.handle} follows, in the order shown (oldest first).",
                               account=subject.handle, order="oldest-first"))

    # copycats' followers: one pasted from the app, the others saved from Excel
    for n, copy in enumerate(story.copycats, start=1):
        entries = story.followers[copy.handle]
        observed = capture + 600 * n
        if n == 1:
            lines = []
            for k, (handle, _) in enumerate(entries):
                lines.append((f"@{handle}", f"https://www.tiktok.com/@{handle}", handle)[k % 3])
                name = nick.get(handle, "")
                if " " in name.strip() and k % 2 == 0:
                    lines.append(name)
                lines.append("Follow" if k % 3 else "Friends")
            name = f"copycat{n}_followers_pasted.txt"
            write_text(out / name, lines)
            manifest.append(_entry(name, "text", "followers", observed,
                                   f"Followers of the lookalike @{copy.handle}, copied and pasted from the app.",
                                   account=copy.handle))
        else:
            name = f"copycat{n}_followers.csv"
            rows = [(handle, nick.get(handle, "")) for handle, _ in entries]
            write_csv(out / name, ("User Name", "Full Name"), rows, encoding="cp1252" if n == 2 else "utf-8-sig")
            manifest.append(_entry(name, "csv", "followers", observed,
                                   f"Followers of the lookalike @{copy.handle}, saved from Excel "
                                   f"({'Windows-1252' if n == 2 else 'UTF-8'}).", account=copy.handle))

    # reshares, duets, stitches and tags noted from learners' reports
    rows = []
    for item in sorted(story.interactions, key=lambda i: (i.at, i.actor)):
        actor = item.actor
        rows.append((uk(item.at), f"@{actor}", item.kind, item.post_id, f"@{item.on_account}",
                     "tagged in the caption" if item.kind == "tag" else "seen by learners"))
    write_csv(out / "shares_and_tags.csv", ("Date", "Username", "Type", "Post ID", "On account", "Notes"), rows)
    manifest.append(_entry("shares_and_tags.csv", "csv", "comments", capture,
                           "Reshares, duets, stitches and tags of the fake account's posts, noted by staff "
                           "from what learners showed them (UK dates).", account=subject.handle))

    # the chronology kept by the DSL
    rows = [(uk(e.at), e.kind, e.summary, ", ".join(f"@{a}" for a in e.accounts), e.precision, e.recorded_by)
            for e in story.events]
    write_csv(out / "chronology.csv", ("Date", "Type", "What happened", "Accounts", "Precision", "Recorded by"), rows)
    manifest.append(_entry("chronology.csv", "csv", "events", capture,
                           "The DSL's chronology: reports, meetings, LADO, takedown (UK dates, local time).",
                           platform=None))

    # the school's own accounts: Instagram "Download your information" zip and TikTok user data
    manifest.append(_instagram_zip(out / "school_instagram_export.zip", world, story, rng))
    manifest.append(_tiktok_user_data(out / "user_data_tiktok.json", world, story, rng))

    if scale in ("trust", "large"):
        manifest.extend(_bulk(out, world, story, scale=scale, seed=seed))
    screenshots = _screenshots(out, world, story)
    return manifest, screenshots


def _first_copies(out: Path, story: Story, harder: Harder, nick: dict[str, str]) -> list[dict[str, Any]]:
    """The followers and following lists of the fake as first copied (oldest first), the day after it
    was reported: the same lists as the final copies, at another time."""
    subject = story.subject
    followers = [(n, handle, nick.get(handle, "")) for n, (handle, _) in enumerate(harder.first_followers, start=1)]
    write_csv(out / "fake_account_followers_first_copy.csv", ("No", "Username", "Display name"), followers)
    following = [(n, handle, *([uk(unambiguous(at))] if harder.follow_times else []))
                 for n, (handle, at) in enumerate(harder.first_following, start=1)]
    write_csv(out / "fake_account_following_first_copy.csv",
              ("#", "Account", *(["Followed at"] if harder.follow_times else [])), following)
    when = harder.first_capture
    return [_entry("fake_account_followers_first_copy.csv", "csv", "followers", when,
                   f"Followers of @{subject.handle} as first copied, the day after it was reported (oldest first).",
                   account=subject.handle, order="oldest-first"),
            _entry("fake_account_following_first_copy.csv", "csv", "following", when,
                   f"Accounts @{subject.handle} followed when first copied (oldest first).",
                   account=subject.handle, order="oldest-first")]


def _typed_comments(path: Path, story: Story) -> dict[str, Any]:
    """Comments typed from screenshots when there is no capture: post link, who, when (UK time), text."""
    subject = story.subject
    rows = [(uk(unambiguous(c.at)), f"@{c.actor}", f"{subject.url}/video/{c.post_id}", c.text)
            for c in sorted(story.comments, key=lambda c: (c.at, c.cid)) if c.actor != subject.handle]
    write_csv(path, ("Date", "Username", "Post URL", "Comment"), rows)
    return _entry(path.name, "csv", "comments", story.capture, f"Comments on the posts of @{subject.handle}, typed "
                  "from screenshots (no capture of the posts themselves; UK time).", account=subject.handle)


def _zeeschuimer(path: Path, story: Story, rng: random.Random) -> dict[str, Any]:
    subject = story.subject
    collected = story.capture * 1000
    items: list[dict[str, Any]] = []
    author = {"id": str(6_900_000_000_000_000_000 + rng.getrandbits(40)), "uniqueId": subject.handle,
              "nickname": subject.display_name, "signature": "the REAL account 😎 dm for shoutouts",
              "verified": False, "privateAccount": False}
    by_post: dict[str, int] = {}
    for c in story.comments:
        by_post[c.post_id] = by_post.get(c.post_id, 0) + 1
    for post in sorted(story.posts, key=lambda p: -p.at):  # a profile page lists newest first
        collected += rng.randint(200, 900)
        text_extra = [{"hashtagName": tag, "userUniqueId": "", "type": 1} for tag in post.hashtags]
        text_extra += [{"hashtagName": "", "userUniqueId": m, "type": 0} for m in post.mentions]
        items.append({
            "item_id": post.post_id, "timestamp_collected": collected, "source_platform": "tiktok.com",
            "source_platform_url": subject.url, "source_url": "https://www.tiktok.com/api/post/item_list/?aid=1988",
            "data": {"id": post.post_id, "desc": post.text, "createTime": post.at, "author": author,
                     "stats": {"diggCount": post.likes, "shareCount": post.shares,
                               "commentCount": by_post.get(post.post_id, 0), "playCount": post.views,
                               "collectCount": post.likes // 7},
                     "textExtra": text_extra, "music": {"title": "original sound", "authorName": subject.handle},
                     "video": {"duration": rng.randint(7, 58)}},
        })
    for post in sorted(story.posts, key=lambda p: p.at):
        comments = [c for c in story.comments if c.post_id == post.post_id]
        if not comments:
            continue
        url = f"{subject.url}/video/{post.post_id}"
        for c in comments:
            collected += rng.randint(20, 120)
            items.append({
                "item_id": c.cid, "timestamp_collected": collected, "source_platform": "tiktok.com",
                "source_platform_url": url,
                "source_url": f"https://www.tiktok.com/api/comment/list/?aweme_id={post.post_id}&count=20",
                "data": {"cid": c.cid, "aweme_id": c.post_id, "text": c.text, "create_time": c.at,
                         "user": {"unique_id": c.actor, "nickname": c.nickname, "uid": str(abs(hash_text(c.actor)))},
                         "reply_id": c.reply_to, "digg_count": rng.randint(0, 40), "reply_comment_total": 0},
            })
    write_ndjson(path, items)
    return _entry(path.name, "zeeschuimer", None, story.capture,
                  f"Posts and comments of @{subject.handle} saved from the browser as they were shown.",
                  account=subject.handle)


def hash_text(text: str) -> int:
    """A stable number for a text (Python's hash() changes between runs).

    >>> hash_text("abc") == hash_text("abc")
    True
    """
    value = 1469598103934665603
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 1099511628211) % (1 << 63)
    return value


def _instagram_zip(path: Path, world: World, story: Story, rng: random.Random) -> dict[str, Any]:
    school = world.schools[0]
    people = world.people
    top = f"instagram-{school.instagram}-{london(story.capture + 86400):%Y-%m-%d}-Gr1mbL3w"
    start = int(datetime(2023, 1, 9, tzinfo=UTC).timestamp())
    span = story.capture - start
    fans = [p for p in people if p.handle and p.school == 0 and rng.random() < 0.6]
    fans += [p for p in people if p.role == "parent"]
    stamps = sorted(start + rng.randrange(span) for _ in fans)
    followers = [{"title": "", "media_list_data": [], "string_list_data": [
        {"href": f"https://www.instagram.com/{p.handle}", "value": p.handle, "timestamp": t}]}
        for p, t in zip(reversed(fans), reversed(stamps), strict=True)]  # newest first
    follows = [s.instagram for s in world.schools[1:]] + [p.handle for p in people if p.role == "staff" and p.handle]
    follows += ["bumblebrook.council", f"{ascii_fold(school.name.split()[0]).lower()}.library"]
    following = {"relationships_following": [
        {"title": h, "string_list_data": [{"href": f"https://www.instagram.com/_u/{h}/?igsh=Zm9vYmFy",
                                           "timestamp": start + rng.randrange(span)}]} for h in follows]}
    captions = ("Sports day 2025! 🏅 Well done to every house", "Year 9 trip to the Museum of Wobbly Science 🔬",
                "Our Anaïs won the regional poetry prize ✨", "Reminder: parents' evening on Thursday",
                "Harvest festival donations — thank you! 🍎", "Café Français club is back on Wednesdays ☕")
    posts: list[dict[str, object]] = []
    for n, caption in enumerate(captions):
        at = start + (n + 1) * span // (len(captions) + 1)
        uri = f"media/posts/{datetime.fromtimestamp(at, UTC):%Y%m}/1784{at}_{n}.jpg"
        if n % 2:
            posts.append({"media": [{"uri": uri, "creation_timestamp": at, "title": caption}]})
        else:
            posts.append({"media": [{"uri": uri, "creation_timestamp": at, "title": ""},
                                    {"uri": uri.replace(".jpg", "_2.jpg"), "creation_timestamp": at, "title": ""}],
                          "title": caption, "creation_timestamp": at})
    comments = [{"string_map_data": {"Comment": {"value": text}, "Media Owner": {"value": school.instagram},
                                     "Time": {"timestamp": start + rng.randrange(span)}}}
                for text in ("Thank you all! 🎉", "Congratulations Zoë 👏", "See you there!")]
    profile = {"profile_user": [{"string_map_data": {
        "Username": {"href": "", "value": school.instagram, "timestamp": 0},
        "Name": {"href": "", "value": school.name, "timestamp": 0}}}]}
    members = [
        (f"{top}/personal_information/personal_information/personal_information.json", meta_json(profile)),
        (f"{top}/connections/followers_and_following/followers_1.json", meta_json(followers)),
        (f"{top}/connections/followers_and_following/following.json", meta_json(following)),
        (f"{top}/your_instagram_activity/content/posts_1.json", meta_json(posts)),
        (f"{top}/your_instagram_activity/comments/post_comments_1.json", meta_json(comments)),
    ]
    write_zip(path, members)
    return _entry(path.name, "instagram", None, story.capture + 86400,
                  f"The school's own Instagram account @{school.instagram}: 'Download your information' (JSON).",
                  platform="instagram", account=school.instagram)


def _tiktok_user_data(path: Path, world: World, story: Story, rng: random.Random) -> dict[str, Any]:
    school = world.schools[0]
    people = world.people

    def stamp(epoch: int) -> str:
        return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S")

    start = int(datetime(2024, 2, 1, tzinfo=UTC).timestamp())
    fans = [(p.handle, start + rng.randrange(story.subject.created - start))
            for p in people if p.handle and p.school == 0 and rng.random() < 0.5]
    fans.append((story.subject.handle, story.subject.created + rng.randint(900, 3600)))
    fans += [(c.handle, c.created + rng.randint(600, 3600)) for c in story.copycats]
    fans.sort(key=lambda item: (-item[1], item[0]))  # newest first
    following = [s.tiktok for s in world.schools[1:]] + [p.handle for p in people
                                                         if p.role == "staff" and p.handle and p.school == 0]
    videos = []
    for n, title in enumerate(("Open evening tour 🏫", "Christmas concert rehearsal 🎄", "Science week: "
                               "exploding pumpkins 🎃", "Welcome back, Year 7!")):
        at = start + (n + 1) * (story.capture - start) // 5
        video_id = (at << 32) | rng.getrandbits(32)
        videos.append({"Date": stamp(at), "Link": f"https://www.tiktokv.com/share/video/{video_id}/",
                       "Likes": str(rng.randint(10, 300)), "WhoCanView": "Everyone", "AllowComments": "Yes",
                       "AllowStitches": "No", "AllowDuets": "No", "Sound": "original sound", "Location": "",
                       "Title": title, "AIGeneratedContent": "No"})
    data = {
        "Profile": {"Profile Info": {"ProfileMap": {"userName": school.tiktok, "bioDescription":
                                                    f"Official account of {school.name}", "likesReceived": "812"}}},
        "Your Activity": {
            "Follower": {"FansList": [{"Date": stamp(at), "UserName": h} for h, at in fans]},
            "Following": {"Following": [{"Date": stamp(start + rng.randrange(86400 * 30)), "UserName": h}
                                        for h in following]},
        },
        "Post": {"Posts": {"VideoList": videos}},
        "Comment": {"Comments": {"CommentsList": [
            {"date": stamp(start + rng.randrange(story.capture - start)), "comment": text}
            for text in ("Thank you for coming! 🙌", "Well done everyone 👏")]}},
    }
    write_json(path, data)
    return _entry(path.name, "tiktok", None, story.capture + 86400,
                  f"The school's own TikTok account @{school.tiktok}: 'Download your data' (JSON).",
                  account=school.tiktok)


def _bulk(out: Path, world: World, story: Story, *, scale: str, seed: int) -> list[dict[str, Any]]:
    """Big follower lists (streamed to disk): trust ~ tens of thousands of rows, large >= 1,000,000."""
    folder = out / "bulk"
    folder.mkdir()
    people = world.people
    entries = []
    if scale == "trust":
        accounts = [(s.tiktok, si) for si, s in enumerate(world.schools)]
        size = 9_000
    else:
        accounts = [(f"{ascii_fold(s.name.split()[0]).lower()}.{suffix}", si)
                    for si, s in enumerate(world.schools) for suffix in BULK_SUFFIXES]
        size = -(-1_000_000 // len(accounts))  # ceiling: at least 1,000,000 rows in all
    for k, (account, si) in enumerate(accounts):
        first = [p.handle for p in people if p.school == si and p.handle][: size // 10]
        name = f"bulk/followers_{account}.csv"
        stream_followers_csv(out / name, seed=seed * 1000 + k, count=size, first=first)
        entries.append(_entry(name, "csv", "followers", story.capture + 7200,
                              f"Followers of @{account} ({size:,} rows).", account=account))
    return entries


def _screenshots(out: Path, world: World, story: Story) -> list[dict[str, Any]]:
    folder = out / "screenshots"
    folder.mkdir()
    subject = story.subject
    when = story.noticed + 5400
    clock = london(when).strftime("%H:%M %d/%m/%Y")
    footer = f"Screenshot by {story.analyst} at {london(when):%d/%m/%Y %H:%M} (UK time)"
    followers = sum(1 for _, at in story.followers[subject.handle] if at < when)
    following = sum(1 for _, at in story.following if at < when)
    shown = [p for p in story.posts if p.at < when]
    profile_png(folder / "01_fake_profile.png", handle=subject.handle, display_name=subject.display_name,
                url=subject.url, followers=followers, following=following,
                likes=sum(p.likes for p in shown), bio="the REAL account dm for shoutouts", clock=clock,
                footer=footer, tiles=[p.text for p in sorted(shown, key=lambda p: -p.at)])
    items = [{"file": "screenshots/01_fake_profile.png", "captured_at": iso(when), "captured_by": story.analyst,
              "source_url": subject.url, "description": f"Profile of @{subject.handle} as first seen"}]
    # two posts with the most comments, captured with the lists just before the takedown
    when = story.capture - 1800
    clock = london(when).strftime("%H:%M %d/%m/%Y")
    footer = f"Screenshot by {story.analyst} at {london(when):%d/%m/%Y %H:%M} (UK time)"
    busiest = sorted(story.posts, key=lambda p: (-sum(c.post_id == p.post_id for c in story.comments), p.at))[:2]
    for n, post in enumerate(sorted(busiest, key=lambda p: p.at), start=2):
        url = f"{subject.url}/video/{post.post_id}"
        comments = [(c.actor, c.text) for c in sorted(story.comments, key=lambda c: c.at)
                    if c.post_id == post.post_id and c.at < when]
        name = f"screenshots/{n:02d}_fake_post_{london(post.at):%Y%m%d}.png"
        post_png(out / name, handle=subject.handle, display_name=subject.display_name, url=url,
                 posted=f"{london(post.at):%d/%m/%Y}", caption=post.text, comments=comments, clock=clock,
                 footer=footer)
        items.append({"file": name, "captured_at": iso(when + 60 * n), "captured_by": story.analyst,
                      "source_url": url, "description": f"Post by @{subject.handle} of "
                      f"{london(post.at):%d/%m/%Y %H:%M} with its first comments"})
    for n, copy in enumerate(story.copycats, start=len(items) + 1):
        seen = local(london(copy.created).date() + timedelta(days=1), 8, 10 + 5 * n)  # next morning
        clock = london(seen).strftime("%H:%M %d/%m/%Y")
        name = f"screenshots/{n:02d}_copycat_profile.png"
        count = sum(1 for _, at in story.followers[copy.handle] if at < seen)
        profile_png(out / name, handle=copy.handle, display_name=copy.display_name, url=copy.url,
                    followers=count, following=3, likes=0, bio="backup account of the real one",
                    clock=clock, footer=f"Screenshot by {story.analyst} at {london(seen):%d/%m/%Y %H:%M}",
                    tiles=[])
        items.append({"file": name, "captured_at": iso(seen), "captured_by": story.analyst,
                      "source_url": copy.url, "description": f"Profile of the lookalike @{copy.handle}"})
    return items
