"""What the packs read from a case: its tables, and small pure selections over them.

Every selection is a plain function of frames, so that each pack says the same thing the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import PackError
from ..view import CaseView, subject_keys
from ..words import is_missing

if TYPE_CHECKING:
    from ..case import Case

#: the roles of the accounts a pack reports (the fake account and its lookalikes).
REPORTED_ROLES = ("subject", "copycat")
#: chronology kinds that say how a concern reached the school.
NOTICED_KINDS = ("first noticed", "disclosure", "dsl informed", "concern raised", "reported to school")
#: how many rows a pack's tables show at most (the rest are counted).
MAX_ROWS = 60


@dataclass(frozen=True)
class CaseFacts:
    """A case's settings and tables, read once for a set of packs."""

    config: dict[str, Any]
    zone: str
    now: pd.Timestamp
    tables: dict[str, pd.DataFrame] = field(repr=False)
    view: CaseView | None = field(default=None, repr=False)

    def case_view(self) -> CaseView:
        """The one view of the case these facts come from (made over the tables when none was given)."""
        if self.view is None:
            object.__setattr__(self, "view", CaseView(config=self.config, zone=self.zone, now=self.now,
                                                      tables=self.tables,
                                                      subjects=subject_keys(self.tables["accounts"])))
        assert self.view is not None  # for mypy: set just above
        return self.view

    def time(self, value: object, precision: object = "exact") -> str:
        """A time as a reader sees it, in the case's zone: ``Fri 24/10/2025 10:00 BST`` (:func:`..words.show`)."""
        from ..words import show

        return show(value, zone=self.zone, style=precision, weekday=True)

    def tracked(self) -> pd.DataFrame:
        """The tracker's view of the case's reports and referrals (see :func:`investigate.tracker.track`)."""
        return self.case_view().tracked()

    def states(self) -> pd.DataFrame:
        """Every action's state and due time (:func:`investigate.tracker.action_states`)."""
        return self.case_view().states()


def gather(case: Case, *, now: pd.Timestamp | None = None) -> CaseFacts:
    """Read what the packs need from a case."""
    view = CaseView.of(case, now=now)
    return CaseFacts(config=view.config, zone=view.zone, now=view.now, tables=view.tables, view=view)


def text(value: object) -> str:
    """A cell as text ('' for missing values)."""
    return "" if is_missing(value) else str(value)


# ------------------------------------------------------------------------------------ people
def find_person(people: pd.DataFrame, given: str, *, role: str | None = None) -> pd.Series:
    """The people row whose person_id or name is ``given`` (either case); InputError naming the choices."""
    wanted = " ".join(given.split()).casefold()
    pool = people if role is None else people[people["role"].astype("string").str.casefold().eq(role).fillna(False)]
    ids = pool["person_id"].astype(str).str.casefold()
    names = pool["name"].astype("string").fillna("").map(lambda n: " ".join(n.split()).casefold())
    match = pool[ids.eq(wanted) | names.eq(wanted)]
    if len(match) == 1:
        return match.iloc[0]
    who = f"{role} " if role else ""
    if len(match) > 1:
        raise PackError(f"{given!r} matches {len(match)} {who}people: give their person id instead "
                         f"({', '.join(match['person_id'].astype(str))}).")
    choices = "; ".join(f"{p.person_id} {p.name}" for p in pool.head(40).itertuples(index=False))
    raise PackError(f"There is no {who}person {given!r} in the case's people table. "
                     f"Give a person id or a full name{': ' + choices if choices else ' (there is none yet)'}. "
                     + add_person_hint(given, role))


def add_person_hint(name: str = "Full name", role: str | None = None) -> str:
    """How to add a person to the case, for a message that needs one."""
    return (f'To add them: investigate person CASE "{name}" --role {role or "staff|learner|parent|other"} '
            "(or import a people list: investigate import CASE people.csv --list people).")


# ------------------------------------------------------------------------------------ accounts and posts
def reported_accounts(accounts: pd.DataFrame, platform: str | None = None) -> pd.DataFrame:
    """The fake account(s) and lookalikes (roles subject, copycat), optionally on one platform."""
    role = accounts["role"].astype("string").str.casefold()
    out = accounts[role.isin(REPORTED_ROLES).fillna(False)]
    if platform is not None:
        out = out[out["platform"].astype("string").str.casefold().eq(platform.casefold()).fillna(False)]
    return out.sort_values(["role", "handle_key"], ascending=[False, True], kind="stable")


def reported_posts(facts: CaseFacts, platform: str | None = None) -> pd.DataFrame:
    """Posts by the reported accounts, oldest first."""
    accounts = reported_accounts(facts.tables["accounts"], platform)
    posts = facts.tables["posts"]
    keys = set(accounts["handle_key"].astype(str))
    out = posts[posts["account"].astype(str).isin(keys)]
    if platform is not None:
        out = out[out["platform"].astype("string").str.casefold().eq(platform.casefold()).fillna(False)]
    return out.sort_values("posted_at", kind="stable")


def conduct(facts: CaseFacts) -> pd.DataFrame:
    """The conduct (:meth:`investigate.view.CaseView.conduct`: the report's chronology of the incident without
    third parties' follows and interactions, same entries, same order), in the packs' shape.

    Columns: at, precision, what (the entry's kind), details (its summary), link (a post's URL), evidence_id.
    """
    chron = facts.case_view().conduct()
    posts = facts.tables["posts"].dropna(subset=["posted_at"])
    urls: dict[tuple[str, pd.Timestamp], str] = {}
    for p in posts.itertuples(index=False):
        urls.setdefault((text(p.account), pd.Timestamp(p.posted_at)), text(p.url))
    rows = [(r.at, text(r.precision) or "exact", text(r.kind), " ".join(text(r.summary).split()),
             urls.get((text(r.accounts).split(",")[0], pd.Timestamp(r.at)), "") if text(r.kind) == "post" else "",
             text(r.evidence_id)) for r in chron.itertuples(index=False)]
    out = pd.DataFrame(rows, columns=["at", "precision", "what", "details", "link", "evidence_id"])
    out["at"] = pd.to_datetime(out["at"], utc=True)
    return out.reset_index(drop=True)


def shorten(value: str, most: int = 200) -> str:
    value = " ".join(value.split())
    return value if len(value) <= most else value[: most - 1] + "…"


def noticed(facts: CaseFacts) -> list[str]:
    """How the concern reached the school: the analyst's 'concern' findings and the matching events."""
    found = [f"{facts.time(f.at)}, {text(f.who)}: {text(f.text)}" for f in
             current_findings(facts.tables["findings"], "concern").itertuples(index=False)]
    events = facts.tables["events"]
    kinds = events["kind"].astype("string").str.casefold().isin(NOTICED_KINDS).fillna(False)
    found += [f"{facts.time(e.at, e.precision)}: {text(e.summary)}"
              for e in events[kinds].sort_values("at").itertuples(index=False)]
    return found


# ------------------------------------------------------------------------------------ findings and decisions
def current_findings(findings: pd.DataFrame, section: str | None = None) -> pd.DataFrame:
    """Findings entries not corrected by a later one (an amending entry replaces the one it amends):
    :func:`investigate.findings.findings_record`'s current entries, as the report shows them."""
    from ..findings import findings_record

    record = findings_record(findings)
    out = record[record["current"]]
    if section is not None:
        out = out[out["section"].astype("string").str.casefold().eq(section).fillna(False)]
    return out.sort_values("at", kind="stable")[list(findings.columns)]


def creator_decisions(findings: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """Learners the analyst has decided, with reasons, made the account.

    A current ``decision`` entry with non-empty reasons names a learner when its text holds the
    learner's full name or person id (any case, as whole words). Nothing else ever names a creator:
    leads are not findings. Columns: person_id, name, finding_id, at, who, text, reasons.
    """
    columns = ["person_id", "name", "finding_id", "at", "who", "text", "reasons"]
    decisions = current_findings(findings, "decision")
    decisions = decisions[decisions["reasons"].fillna("").astype(str).str.strip().ne("")]
    learners = people[people["role"].astype("string").str.casefold().eq("learner").fillna(False)]
    rows = []
    for d in decisions.itertuples(index=False):
        said = " ".join(text(d.text).split()).casefold()
        for p in learners.itertuples(index=False):
            name = " ".join(text(p.name).split()).casefold()
            if any(n and re.search(rf"(?<!\w){re.escape(n)}(?!\w)", said) for n in (name, str(p.person_id).casefold())):
                rows.append({"person_id": p.person_id, "name": p.name, "finding_id": d.finding_id, "at": d.at,
                             "who": d.who, "text": d.text, "reasons": d.reasons})
    return pd.DataFrame(rows, columns=columns)


# ------------------------------------------------------------------------------------ evidence and actions
def evidence_rows(facts: CaseFacts) -> tuple[tuple[str, ...], ...]:
    """The evidence list with hashes: id, file, captured at, by, URL, SHA-256."""
    ev = facts.tables["evidence"].sort_values("evidence_id", kind="stable")
    return tuple((text(e.evidence_id), text(e.original_name), facts.time(e.captured_at), text(e.captured_by),
                  text(e.source_url), text(e.sha256)) for e in ev.itertuples(index=False))


def done_rows(facts: CaseFacts, kinds: tuple[str, ...] | None = None) -> tuple[tuple[str, ...], ...]:
    """What the school has done so far (actions of ``kinds``, default all; drafted, unsent packs left out):
    when it was done, what (with route and reference), who, its state (:func:`investigate.tracker.action_states`,
    as every output shows it), outcome, oldest first."""
    acts = facts.states()
    made = ~acts["stage"].eq("drafted")
    if kinds is not None:
        made &= acts["kind"].isin(kinds)
    return tuple((facts.time(a.done_at), text(a.what) + _route_and_reference(a), text(a.who), text(a.stage),
                  text(a.outcome)) for a in acts[made].itertuples(index=False))


def _route_and_reference(action: Any) -> str:
    """" (harassment, ref TT-1)" for an action with a route or reference, else ""."""
    said = [text(action.route), f"ref {text(action.reference)}" if text(action.reference) else ""]
    said = [s for s in said if s]
    return f" ({', '.join(said)})" if said else ""
