"""The kinds of action a case records (reports, referrals, support, prevention) and their due dates.

Pure helpers over the ``actions`` table: what each kind of action means, when a follow-up is
due (a platform report: 72 hours on, as the guidance says), and which open actions are overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # heavy libraries are imported where frames are made: opening a case and `verify` need none
    import pandas as pd



@dataclass(frozen=True)
class ActionKind:
    """One kind of action: its name in the log, a label, a starting text and a follow-up delay."""

    kind: str
    label: str
    prompt: str
    follow_up: timedelta | None = None


ACTION_KINDS: tuple[ActionKind, ...] = (
    ActionKind("platform_report", "Report to the platform",
               "Reported the account/content to the platform (reporting route, reference number, what was "
               "reported: impersonation, harassment, privacy). Allow at least 72 hours for a reply.",
               timedelta(hours=72)),
    ActionKind("lado", "LADO consultation",
               "Consulted the LADO about an allegation concerning a member of staff (harm threshold may be "
               "met?). Record the advice given and the decision, with reasons."),
    ActionKind("police", "Police (101, or 999 if immediate risk)",
               "Reported to the police on 101 (999 if anyone is in immediate danger). Possible offences are "
               "prompts for the police to decide, not findings. Record the crime reference."),
    ActionKind("posh", "Professionals Online Safety Helpline (POSH)",
               "Contacted POSH (UK Safer Internet Centre) to escalate with the platform after reporting to "
               "the platform first (straight away where there is a safeguarding concern)."),
    ActionKind("rhc", "Report Harmful Content (RHC)",
               "Reported to Report Harmful Content after the platform's reply (or no reply)."),
    ActionKind("staff_support", "Support for staff",
               "Support offered to the member(s) of staff affected (who, what was offered, by whom)."),
    ActionKind("sanction", "Sanction for creators",
               "Sanction decided under the behaviour policy, with the reasons."),
    ActionKind("creator_support", "Support for creators",
               "Support offered to the learner(s) who made the account (education, restorative work, "
               "early help)."),
    ActionKind("learner_note", "Note for the learner's file",
               "Note placed on the learner's file (CPOMS/MyConcern) after a decision, with reasons, that they "
               "made the account: sanctions, support and safeguarding follow-up."),
    ActionKind("prevention", "Prevention",
               "Preventative action taken (policies, lessons, staff training, advice to parents)."),
    ActionKind("decision", "Decision (with reasons)",
               "Decision taken, by whom, and why."),
    ActionKind("other", "Other action", ""),
)

#: preventative actions recorded in the case when ticked (the seed guidance's prevention step).
PREVENTION_CHECKLIST: tuple[str, ...] = (
    "Online safety and acceptable-use policies reviewed and updated",
    "Curriculum: lessons on respectful online behaviour, impersonation and its consequences",
    "Staff training on online safety and on what to do when this happens",
    "Staff advised to check the privacy settings of their own accounts",
    "Photos of staff on the school website and social media reviewed",
    "Parents and carers informed and given advice on reporting",
    "Learners told how to report worrying accounts (trusted adults, platform tools)",
)


def action_kind(kind: str) -> ActionKind:
    """The :class:`ActionKind` called ``kind`` (unknown names give the ``other`` kind).

    >>> action_kind("platform_report").follow_up
    datetime.timedelta(days=3)
    """
    for item in ACTION_KINDS:
        if item.kind == kind:
            return item
    return ACTION_KINDS[-1]


def due_for(kind: str, at: pd.Timestamp) -> pd.Timestamp | None:
    """When a follow-up is due for an action of ``kind`` taken at ``at`` (None: no follow-up).

    >>> import pandas as pd
    >>> due_for("platform_report", pd.Timestamp("2025-11-27 09:00", tz="UTC"))
    Timestamp('2025-11-30 09:00:00+0000', tz='UTC')
    >>> due_for("lado", pd.Timestamp("2025-11-27 09:00", tz="UTC")) is None
    True
    """
    delay = action_kind(kind).follow_up
    return None if delay is None else at + delay
