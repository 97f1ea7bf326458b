"""The referral packs, one builder each: case facts in, a :class:`Pack` out (nothing written, nothing redacted).

Each pack holds what its recipient asks for (see ../shared/domain.md), pre-filled from the case,
with a :class:`Gap` wherever the analyst must add something. No pack names a learner as the person
behind an account unless the analyst has recorded that decision with its reasons (see
:func:`._facts.creator_decisions`); leads are never copied into a pack.
"""

from __future__ import annotations

import pandas as pd

from ..errors import PackError
from ..tracker import FOLLOW_UP, next_working_day
from ..words import show
from ._facts import (
    MAX_ROWS,
    CaseFacts,
    conduct,
    creator_decisions,
    current_findings,
    done_rows,
    evidence_rows,
    noticed,
    reported_accounts,
    reported_posts,
    shorten,
    text,
)
from ._model import Bullets, Fields, Gap, Pack, Paragraph, Section, Table, Value

LEADS_LINE = ("Leads, not findings: the kit ranks accounts worth looking at, but sharing followers with a fake "
              "account does not show that someone runs it. This pack copies no leads.")
EVIDENCE_HEADERS = ("Id", "File", "Captured at", "Captured by", "URL", "SHA-256")
CONDUCT_HEADERS = ("When", "What", "Link", "Evidence")
DONE_HEADERS = ("When", "What", "Who", "Status", "Outcome")
#: the possible offences a police pack lists as prompts for the police's decision.
OFFENCES: tuple[tuple[str, str], ...] = (
    ("Malicious Communications Act 1988, s1",
     "sending a message that is indecent, grossly offensive, threatening or false, to cause distress or anxiety"),
    ("Communications Act 2003, s127",
     "a message sent over a public network that is grossly offensive, indecent, obscene or menacing"),
    ("Protection from Harassment Act 1997",
     "a course of conduct (two or more incidents) amounting to harassment, which the person knew or ought to "
     "have known"),
    ("Online Safety Act 2023",
     "the false communications and threatening communications offences; sharing or threatening to share "
     "intimate images"),
)
#: a platform's reporting routes: (route, who may report, what it asks for).
ROUTES: tuple[tuple[str, str, str], ...] = (
    ("impersonation", "the person impersonated (or their authorised representative)",
     "a copy of the person's photo ID; the URL of the impersonating account"),
    ("privacy", "the person shown or named (a parent or guardian for a child; on YouTube the person themselves)",
     "the URLs of the content, and which personal information or image is shown"),
    ("harassment", "anyone, including the school", "the account URL and the URL of each post or comment"),
    ("copyright", "the owner of the school's name or logo (the school or trust)",
     "the school's trademark or proof that it owns the logo; the URLs where the logo is used"),
)


#: platform names as their owners write them (others are shown as recorded).
PLATFORM_NAMES: dict[str, str] = {"tiktok": "TikTok", "instagram": "Instagram", "x": "X", "twitter": "X",
                                  "facebook": "Facebook", "snapchat": "Snapchat", "youtube": "YouTube"}


# ------------------------------------------------------------------------------------ shared parts
def marking(config: dict[str, object], *, redacted: bool) -> str:
    """The classification line at the top and bottom of a pack."""
    level = str(config.get("classification") or "OFFICIAL-SENSITIVE")
    return f"{level} · " + ("REDACTED: people replaced by pseudonyms" if redacted
                            else "INTERNAL: names people; share only with the recipient")


def _header(facts: CaseFacts, recipient: str, about: Value) -> Section:
    schools = ", ".join(str(s) for s in facts.config.get("school", []) if s) or Gap("school name")
    return Section("About this pack", (
        Fields((("For", recipient), ("About", about), ("Case", text(facts.config.get("title"))),
                ("Case reference", text(facts.config.get("reference"))), ("School", schools),
                ("Prepared by", text(facts.config.get("analyst")) or Gap("your name and role")),
                ("Contact", Gap("your phone number and email")),
                ("Drafted", facts.time(facts.now)), ("Times shown in", facts.zone))),
        Paragraph("Pre-filled from the case. Every field marked TO FILL is yours to complete before sending; "
                  "check every pre-filled fact against the evidence.", "note"),
        Paragraph(LEADS_LINE, "note"),
    ))


def _creator(facts: CaseFacts, *, show_decision: bool = True) -> Section:
    """Who made the account: only ever the analyst's recorded decision, with its reasons.

    With ``show_decision`` False (packs for the LADO or a staff file) the pack says only that one is recorded.
    """
    decided = creator_decisions(facts.tables["findings"], facts.tables["people"])
    if decided.empty:
        return Section("Who is behind the account", (Paragraph(
            "Not identified. No decision, with reasons, naming who made the account is recorded in the case's "
            "findings, so this pack names no one as its creator.", "note"),))
    if not show_decision:
        return Section("Who is behind the account", (Paragraph(
            "The school has recorded a decision about who made the account; it is not repeated in this pack.",
            "note"),))
    items = tuple(f"{d.name}: decided {facts.time(d.at)} by {text(d.who)}: {text(d.text)} Reasons: {text(d.reasons)}"
                  for d in decided.itertuples(index=False))
    return Section("Who is behind the account (the school's recorded decision)", (
        Bullets(items), Paragraph("This is the school's decision with its reasons, not a finding of the kit.",
                                  "note")))


def _sharing() -> Section:
    return Section("Record of sharing", (
        Fields((("Sent to", Gap("name, role and organisation")), ("Sent on", Gap("date and time")),
                ("Sent by", Gap("your name")), ("How", Gap("secure email, portal, phone"))),),
        Paragraph("Shared for safeguarding, a lawful reason to share. Record what was shared, with whom and why; "
                  "pseudonymised information is still personal data.", "note"),
    ))


def _table(headers: tuple[str, ...], rows: tuple[tuple[str, ...], ...], empty: Value) -> list[Paragraph | Table]:
    shown = rows[:MAX_ROWS]
    out: list[Paragraph | Table] = [Table(headers, shown, empty)]
    if len(rows) > MAX_ROWS:
        out.append(Paragraph(f"… and {len(rows) - MAX_ROWS:,} more in the case.", "note"))
    return out


def _evidence(facts: CaseFacts) -> Section:
    return Section("Evidence (files unchanged, with their SHA-256)", tuple(_table(
        EVIDENCE_HEADERS, evidence_rows(facts), Gap("no evidence is registered: register the screenshots first"))))


def _conduct_rows(facts: CaseFacts) -> tuple[tuple[str, ...], ...]:
    return tuple((facts.time(r.at, r.precision), f"{r.what}: {shorten(r.details) or '(no text captured)'}", r.link,
                  r.evidence_id) for r in conduct(facts).itertuples(index=False))


def _posts_rows(facts: CaseFacts, platform: str | None = None) -> tuple[tuple[str, ...], ...]:
    return tuple((facts.time(p.posted_at), f"@{p.account}", shorten(text(p.text)), text(p.url),
                  text(p.evidence_id)) for p in reported_posts(facts, platform).itertuples(index=False))


def _accounts_rows(facts: CaseFacts, platform: str | None = None) -> tuple[tuple[str, ...], ...]:
    return tuple((text(a.platform), f"@{text(a.handle) or text(a.handle_key)}", text(a.role), text(a.display_name),
                  text(a.profile_url)) for a in reported_accounts(facts.tables["accounts"], platform)
                 .itertuples(index=False))


def _person_label(person: pd.Series) -> str:
    role = text(person.get("role"))
    return f"{text(person['name'])} ({role})" if role else text(person["name"])


def _tracked(facts: CaseFacts, kind: str, *, affected: str | None = None, platform: str | None = None) -> pd.DataFrame:
    rows = facts.tracked()
    rows = rows[rows["kind"].eq(kind)]
    if affected is not None:
        rows = rows[rows["affected"].astype("string").eq(affected).fillna(False)]
    if platform is not None:
        rows = rows[rows["platform"].astype("string").str.casefold().eq(platform.casefold()).fillna(False)]
    return rows


def _latest(rows: pd.DataFrame, column: str, gap: str) -> Value:
    values = rows[column].dropna()
    if len(values) == 0:
        return Gap(gap)
    value = values.iloc[-1]
    return show(value, zone=str(value.tz), weekday=True) if isinstance(value, pd.Timestamp) else str(value)


# ------------------------------------------------------------------------------------ the packs
def lado_pack(facts: CaseFacts, person: pd.Series) -> Pack:
    """For the LADO: an allegation or low-level concern about one member of staff."""
    pid = str(person["person_id"])
    tracked = _tracked(facts, "lado", affected=pid)
    drafted = tracked["drafted_at"].dropna()
    start = drafted.iloc[0] if len(drafted) else facts.now
    due = next_working_day(pd.Timestamp(start).tz_convert("UTC"), facts.zone)
    sections = (
        _header(facts, "The LADO (Local Authority Designated Officer)", _person_label(person)),
        Section("The member of staff", (Fields((
            ("Name", text(person["name"])), ("Role in the school", Gap("job title and responsibilities")),
            ("Known accounts", text(person.get("handles")) or "none recorded"),
            ("Told about this referral?", Gap("yes or no, and when (ask the LADO first if unsure)")))),)),
        Section("When to refer", (Paragraph(
            f"Refer within one working day of the concern: by {facts.time(due)} (bank holidays not counted by "
            "the kit).", "warning"),)),
        Section("The harm threshold (the LADO decides, with you)", (
            Bullets(("Has the member of staff behaved in a way that has harmed, or may have harmed, a child?",
                     "Have they possibly committed a criminal offence against or related to a child?",
                     "Have they behaved towards a child in a way that indicates they may pose a risk of harm?",
                     "Have they behaved in a way that indicates they may not be suitable to work with children?")),
            Paragraph("An allegation goes to the LADO when the threshold may be met, even if the school thinks it "
                      "malicious; below it, it is a low-level concern.", "note"),
            Fields((("The school's view", Gap("allegation (threshold may be met) or low-level concern, and why")),)),
        )),
        Section("What was posted, and when", tuple(_table(
            ("When", "Account", "What was posted", "Link", "Evidence"), _posts_rows(facts),
            Gap("no posts are recorded: describe what was posted and when")))),
        Section("How it came to the school's attention", (
            Bullets(tuple(noticed(facts)) or (Gap("who told whom, when, and what they said"),)),)),
        Section("What the school has done", (
            *_table(DONE_HEADERS, done_rows(facts), Gap("actions taken so far")),
            Fields((("Anything else", Gap("other steps taken, or none")),)))),
        _evidence(facts),
        _creator(facts, show_decision=False),
        Section("The LADO's advice", (Fields((
            ("LADO's name", Gap("name")), ("Advice given", Gap("the advice, word for word where possible")),
            ("Decision and reasons", Gap("what was decided, by whom, and why")),
            ("LADO reference", _latest(tracked, "reference", "reference given by the LADO")))),)),
        _sharing(),
    )
    return Pack("lado", "LADO referral: allegation or low-level concern about a member of staff",
                "The LADO", _person_label(person), marking(facts.config, redacted=False), False, sections, affected=pid)


def police_pack(facts: CaseFacts, affected: list[pd.Series], *, school: bool = False) -> Pack:
    """For the police (101, or 999 where there is immediate risk), about the people ``affected`` and, with
    ``school``, the school; about no one named (a gap to fill) without either."""
    posts = reported_posts(facts)
    days = posts["posted_at"].dropna().dt.tz_convert(facts.zone).dt.date.nunique()
    tracked = _tracked(facts, "police")
    named = [_person_label(p) for p in affected] + (["the school"] if school else [])
    who: tuple[Value, ...] = tuple(named) or (Gap("who is affected: names and roles"),)
    reports = tuple((r.label, text(r.platform), text(r.route), text(r.reference), facts.time(r.sent_at),
                     facts.time(r.answered_at)) for r in facts.tracked().itertuples(index=False)
                    if r.kind != "police" and r.stage != "drafted")
    about: Value = ", ".join(named) or Gap("who is affected: names and roles")
    sections = (
        _header(facts, "The police", about),
        Section("How urgent", (
            Paragraph("Call 999 if anyone is in immediate danger. Otherwise report on 101 (or online).", "warning"),
            Fields((("Immediate risk to anyone?", Gap("yes or no, and why")),)))),
        Section("Possible offences: prompts for the police's decision, never findings", (
            Bullets(tuple(f"{name}: {what}." for name, what in OFFENCES)),
            Paragraph("The police decide whether any offence is made out. The school records facts only.", "note"),
        )),
        Section("Course of conduct", (Fields((
            ("Posts by the account(s) recorded", f"{len(posts):,} post(s) on {days:,} different day(s)"),
            ("Harassment", "needs a course of conduct: two or more incidents (the police decide whether it is one)"),
            ("Other incidents known to the school", Gap("anything not in the chronology below, or none")))),)),
        Section("Who is affected", (Bullets(who),)),
        Section("Chronology of the conduct", tuple(_table(CONDUCT_HEADERS, _conduct_rows(facts),
                                                          Gap("what happened, when, in date order")))),
        Section("Accounts involved", tuple(_table(("Platform", "Account", "Role", "Display name", "Profile URL"),
                                                  _accounts_rows(facts), Gap("the account(s) and their URLs")))),
        _evidence(facts),
        Section("Reports already made", tuple(_table(("Report", "Platform", "Route", "Reference", "Made", "Answered"),
                                                     reports, "No other reports recorded yet."))),
        _creator(facts),
        Section("The police's reply", (Fields((
            ("Crime or incident reference", _latest(tracked, "reference", "reference given by the police")),
            ("Officer", Gap("name and collar number")), ("Advice given", Gap("what the police advised")))),)),
        _sharing(),
    )
    return Pack("police", "Report to the police", "The police", str(about), marking(facts.config, redacted=False),
                False, sections)


def platform_pack(facts: CaseFacts, platform: str, affected: pd.Series | None) -> Pack:
    """For one platform, about one person (or, with ``affected`` None, the school's name and logo)."""
    key = "school" if affected is None else str(affected["person_id"])
    about = "the school (its name and logo)" if affected is None else _person_label(affected)
    tracked = _tracked(facts, "platform_report", affected=key, platform=platform)
    accounts = _accounts_rows(facts, platform)
    if not accounts:
        raise PackError(f"No account on {platform} is marked as the fake account (subject) or a lookalike "
                         "(copycat) in this case: mark one first (notebook 01, or investigate account).")
    suggested = "copyright" if affected is None else "impersonation (by the person) or harassment/privacy"
    made = tracked[tracked["stage"].ne("drafted")]
    route_fields: tuple[tuple[str, Value], ...] = (
        ("Route used", _latest(made, "route", f"the route chosen (suggested: {suggested})")),
        ("Reported by", Gap("who made the report (the person, a parent, the school)")))
    if affected is None:
        route_fields += (("School's trademark or logo ownership", Gap("trademark number, or how the school owns "
                                                                      "the logo")),)
    name = PLATFORM_NAMES.get(platform.casefold(), platform)
    sections = (
        _header(facts, f"{name}: its reporting routes", about),
        Section("Accounts to report", tuple(_table(("Platform", "Account", "Role", "Display name", "Profile URL"),
                                                   accounts, Gap("the account URL")))),
        Section("Content to report", tuple(_table(("When", "Account", "What was posted", "Link", "Evidence"),
                                                  _posts_rows(facts, platform),
                                                  Gap("the URL of each post or comment")))),
        Section("Which route, and what it asks for", (
            Table(("Route", "Who may report", "What it asks for"), ROUTES),
            Paragraph("A school usually cannot report an impersonation itself: the person impersonated reports it, "
                      "with ID; the school reports the content as harassment or privacy and escalates through "
                      "POSH.", "note"),
            Fields(route_fields))),
        Section("The report", (Fields((
            ("Report reference", _latest(made, "reference", "the reference the platform gives, once made")),
            ("Reported on", _latest(made, "sent_at", "date and time reported")),
            ("Follow up by", _latest(made, "due", f"{int(FOLLOW_UP.total_seconds() // 3600)} hours after reporting")),
            ("Report Harmful Content possible from", _latest(made, "rhc_from",
                                                             "the platform's reply, or 48 hours without one")),
            ("Platform's reply", _latest(made, "answered_at", "date of the reply, and what it said")))),)),
        _evidence(facts),
        _sharing(),
    )
    return Pack("platform", f"Report to {name}", name, about, marking(facts.config, redacted=False), False,
                sections, affected=key, platform=platform)


def rhc_pack(facts: CaseFacts) -> Pack:
    """For Report Harmful Content and the Professionals Online Safety Helpline (POSH)."""
    reports = facts.tracked()
    reports = reports[reports["kind"].eq("platform_report") & reports["stage"].ne("drafted")]
    rows = tuple((text(r.platform), text(r.route), text(r.reference), facts.time(r.sent_at),
                  facts.time(r.answered_at) or "no reply recorded", facts.time(r.rhc_from))
                 for r in reports.itertuples(index=False))
    ready = reports["rhc_from"].dropna()
    ready = ready[ready <= facts.now]
    if reports.empty:
        state = Paragraph("No platform report is recorded yet: RHC asks for a report to the platform first (and its "
                          "reply). Report to the platform, then come back.", "warning")
    elif ready.empty:
        state = Paragraph(f"RHC becomes possible on {facts.time(reports['rhc_from'].min())} (the platform's reply, "
                          "or 48 hours without one).", "warning")
    else:
        state = Paragraph("RHC can be used now: the platform has replied, or 48 hours have passed without a reply.",
                          "note")
    sections = (
        _header(facts, "Report Harmful Content (RHC) and POSH", "the account(s) below"),
        Section("Reports to the platforms", (state, *_table(
            ("Platform", "Route", "Reference", "Reported", "Reply", "RHC possible from"), rows,
            Gap("platform, reference and date of the report")))),
        Section("Report Harmful Content", (
            Paragraph("RHC (UK Safer Internet Centre) takes impersonation (fake and hijacked accounts), bullying "
                      "and harassment, threats, abuse and more, after a report to the platform. Call 999 if anyone "
                      "is in immediate danger.", "note"),
            Fields((("Kind of harm", Gap("impersonation, bullying or harassment, threats, ...")),
                    ("The platform's reply", Gap("paste the platform's reply, or say none came")),
                    ("RHC reference", _latest(_tracked(facts, "rhc"), "reference", "the reference RHC gives")))),)),
        Section("Accounts and content", (
            *_table(("Platform", "Account", "Role", "Display name", "Profile URL"), _accounts_rows(facts),
                    Gap("the account URL")),
            *_table(("When", "Account", "What was posted", "Link", "Evidence"), _posts_rows(facts),
                    Gap("the URL of each post")))),
        Section("POSH: the Professionals Online Safety Helpline", (
            Paragraph("For anyone working with children. Report to the platform first and allow about 48 hours, "
                      "except where there is a safeguarding concern: then contact POSH straight away. POSH can "
                      "escalate to TikTok, Meta and Snapchat.", "note"),
            Fields((("Your role", Gap("e.g. DSL at the school")),
                    ("Safeguarding concern?", Gap("yes or no, and why (yes: contact POSH now)")),
                    ("POSH reference", _latest(_tracked(facts, "posh"), "reference", "the reference POSH gives")))),)),
        _evidence(facts),
        _sharing(),
    )
    return Pack("rhc", "Report Harmful Content and POSH", "Report Harmful Content / POSH", "the account(s) below",
                marking(facts.config, redacted=False), False, sections)


def staff_pack(facts: CaseFacts, person: pd.Series) -> Pack:
    """The staff support record for one member of staff (duty of care, third-party harassment)."""
    pid = str(person["person_id"])
    posts = reported_posts(facts)
    first, last = (posts["posted_at"].min(), posts["posted_at"].max()) if len(posts) else (None, None)
    rows = done_rows(facts, ("staff_support",))
    sections = (
        _header(facts, "The member of staff's file (support record)", _person_label(person)),
        Section("The member of staff", (Fields((("Name", text(person["name"])),
                                                ("Role in the school", Gap("job title")))),)),
        Section("What happened", (Fields((
            ("Account(s)", ", ".join(r[1] for r in _accounts_rows(facts)) or Gap("the account(s)")),
            ("Posts recorded", f"{len(posts):,}" + (f", from {facts.time(first)} to {facts.time(last)}"
                                                    if first is not None else "")),
            ("In their words", Gap("how it has affected them (ask them)")))),)),
        Section("Duty of care", (
            Paragraph("The employer's duty of care covers harassment of staff by third parties, including online. "
                      "Offer support early and review it.", "note"),
            Bullets(("Has the member of staff been told what is known, and by whom?",
                     "Do they want to report to the police or the platform themselves (impersonation needs them)?",
                     "Are their own accounts' privacy settings checked, and school photos of them reviewed?",
                     "Is a union or professional association representative involved, if they wish?")))),
        Section("Support offered", (
            *_table(DONE_HEADERS, rows, Gap("support offered so far")),
            Fields((("Employee assistance / occupational health", Gap("offered? when?")),
                    ("Check-ins", Gap("dates and who")), ("Review date", Gap("when support will be reviewed")))))),
        _creator(facts, show_decision=False),
        _sharing(),
    )
    return Pack("staff", "Staff support record", "The member of staff's file", _person_label(person),
                marking(facts.config, redacted=False), False, sections, affected=pid)


def learner_pack(facts: CaseFacts, person: pd.Series) -> Pack:
    """A note for the learner's file, only where a decision with reasons names them as the creator."""
    pid = str(person["person_id"])
    decided = creator_decisions(facts.tables["findings"], facts.tables["people"])
    decided = decided[decided["person_id"].astype(str).eq(pid)]
    if decided.empty:
        raise PackError(
            "A note for a learner's file is written only where the case records a decision, with reasons, that "
            f"this learner made the account. No such decision names {pid}: record one first (a findings entry, "
            "section 'decision', naming the learner, with the reasons).")
    rows = done_rows(facts, ("sanction", "creator_support"))
    outcome = tuple(f"{facts.time(f.at)}, {text(f.who)}: {text(f.text)}"
                    for f in current_findings(facts.tables["findings"], "outcome").itertuples(index=False))
    sections = (
        _header(facts, "The learner's file (CPOMS / MyConcern)", _person_label(person)),
        Section("The learner", (Fields((
            ("Name", text(person["name"])), ("Year group", text(person.get("year_group")) or Gap("year group")),
            ("Tutor group", text(person.get("tutor_group")) or Gap("tutor group")))),)),
        _creator(facts),
        Section("Sanctions and support", (
            *_table(DONE_HEADERS, rows, Gap("sanction under the behaviour policy, and support offered")),
            Fields((("Parents or carers informed", Gap("who, when, how")),)))),
        Section("Safeguarding follow-up", (
            Bullets(outcome or (Gap("outcome so far"),)),
            Fields((("Is the learner at risk themselves?", Gap("yes or no, and why")),
                    ("Early help or referral", Gap("made? to whom?")), ("Review date", Gap("date")))),
            Paragraph("Child protection files are kept until the child's date of birth + 25 years.", "note"))),
        _sharing(),
    )
    return Pack("learner", "Note for the learner's file", "The learner's file", _person_label(person),
                marking(facts.config, redacted=False), False, sections, affected=pid)

