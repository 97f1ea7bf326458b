"""The training case's casework: the actions its DSL logged and the findings they wrote.

``investigate demo`` records them, so that a newcomer sees an actions log (one platform report still
open and overdue) and a findings record with a correction; the bundled case itself stays as the files
make it. Times follow the case's own chronology events.
"""

from __future__ import annotations

import pandas as pd

from ..case import Case

#: (event kind the action follows, action kind, what, offset, status, outcome); offset after the event.
ACTIONS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("platform report", "platform_report", "Reported @brambleshaw.wobbleton to TikTok for impersonation and "
     "harassment (reference TT-194326).", "0h", "done", "No reply after 72 hours: escalated to POSH."),
    ("meeting", "staff_support", "Met the member of staff impersonated: explained what is known, offered "
     "support and the employee assistance line.", "0h", "done", "Weekly check-in agreed."),
    ("follow-up", "posh", "Asked the Professionals Online Safety Helpline to escalate the report with TikTok.",
     "0h", "done", "TikTok removed the account (see the takedown in the chronology)."),
    ("lado", "lado", "Consulted the LADO about the posts' claims about the member of staff.", "0h", "done",
     "Harm threshold not met: recorded as a concern about the account, not about the member of staff."),
    ("copycat", "platform_report", "Report the lookalike @brambleshaw.wobblеton (Cyrillic е) to TikTok for "
     "impersonation.", "12h", "open", ""),
    ("letter", "prevention", "Letter to parents of Year 9 about online conduct and reporting fake accounts.",
     "0h", "done", "Sent."),
)

#: (event kind the entry follows, section, text, reasons, offset)
FINDINGS: tuple[tuple[str, str, str, str, str], ...] = (
    ("dsl informed", "concern", "A TikTok account, @brambleshaw.wobbleton, impersonates a member of staff of "
     "Wobbleton High School and posts mocking videos about lessons; learners comment on and reshare them.",
     "", "1h"),
    ("takedown", "done", "Evidence captured and registered; the account reported to TikTok and escalated "
     "through POSH until it was removed; the LADO consulted; the member of staff supported; parents of Year 9 "
     "written to.", "", "2h"),
    ("takedown", "assessment", "The leads in this report are reasons to look further, not findings: the "
     "strongest follow the account from its first days, comment within minutes and follow both lookalikes.",
     "", "3h"),
    ("takedown", "decision", "Handle the matter under the behaviour policy with the Head of Year; no referral "
     "to the police.", "No threats, no sexual content and no risk of immediate harm were seen; the LADO advised "
     "that the harm threshold is not met.", "4h"),
    ("takedown", "next_steps", "Follow up the open report of the lookalike accounts with TikTok; review the top "
     "leads with the Head of Year before any learner is spoken to.", "", "5h"),
)


def record_casework(case: Case, *, who: str | None = None) -> None:
    """Log the training case's actions and findings (each audited), timed after its chronology events."""
    events = case.table("events").sort_values("at", kind="stable")
    first = events.drop_duplicates("kind").set_index("kind")["at"]

    def at(kind: str, offset: str) -> pd.Timestamp:
        return first[kind] + pd.Timedelta(offset)

    writer = who or case.config.get("analyst")
    for kind, action, what, offset, status, outcome in ACTIONS:
        if kind in first:
            when = at(kind, offset)
            due = when + pd.Timedelta(hours=72) if action == "platform_report" else None
            case.add_action(kind=action, what=what, who=writer, at=when, due=due, status=status, outcome=outcome,
                            recorded_by=writer)
    for kind, section, text, reasons, offset in FINDINGS:
        if kind in first:
            case.add_finding(section=section, text=text, reasons=reasons, who=writer, at=at(kind, offset))
    concern = case.table("findings").iloc[0]
    case.amend_finding(int(concern["finding_id"]), who=writer, text=str(concern["text"]) + " Two lookalike "
                       "accounts (@brambleshaw.wobblеton and @_brambleshaw.wobbleton) appeared in October.")
