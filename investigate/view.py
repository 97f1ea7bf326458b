"""One view of one case: its tables read once (:meth:`Case.snapshot`), each derived fact computed once.

Every output of a case (the HTML and Word report, the packs, the CPOMS/MyConcern export, the
tracker) reads a :class:`CaseView` instead of computing its own chronology, action states or
findings, so that they all say the same thing: the same overdue count, the same still-to-do items,
the same chronology entries. A view holds the real case; redaction is applied last, by the output,
to what it writes (:mod:`investigate.packs.redaction`, :mod:`investigate.report.naming`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from .words import handle_key, items

if TYPE_CHECKING:
    from .case import Case
    from .overview import SubjectOverview

#: the tables a view reads (every output reads these and no others).
TABLES = ("evidence", "accounts", "relationships", "posts", "interactions", "events", "people", "actions",
          "findings", "withdrawals")

#: how long the app's panels share one view of an unchanged case (:meth:`CaseView.current`)
FRESH = pd.Timedelta(minutes=5)
#: the last view read of each case folder in this process (one per case)
_CURRENT: dict[str, CaseView] = {}

#: the lanes of the chronology that are the conduct itself (packs and exports list these).
CONDUCT_LANES = ("events", "evidence", "posts", "markers")


def subject_keys(accounts: pd.DataFrame, chosen: list[str] | str | None = None) -> list[str]:
    """The subject accounts' handle keys: those ``chosen`` (handles, or one comma-separated text), else every
    account whose role is ``subject``; each once, in order."""
    if isinstance(chosen, str):
        chosen = items(chosen)
    if chosen:
        keys = [handle_key(a) for a in chosen]
    else:
        role = accounts["role"].astype("string").str.casefold()
        keys = accounts.loc[role.eq("subject").fillna(False), "handle_key"].astype(str).tolist()
    return list(dict.fromkeys(k for k in keys if k))


@dataclass
class CaseView:
    """A case's settings and tables as at one moment, and the facts derived from them (each computed once).

    Build one with :meth:`of`. ``now`` is the time every "overdue" is judged at; ``zone`` the case's.
    """

    config: dict[str, Any]
    zone: str
    now: pd.Timestamp
    tables: dict[str, pd.DataFrame] = field(repr=False)
    subjects: list[str] = field(default_factory=list)
    changes: int = -1  # the case's change count when it was read (Case.changes)
    #: subject key -> the rows its leads rest on (:func:`investigate.lead_rows.lead_tables`), read in the
    #: same snapshot: the overview ranks over these (the same ranking as over every row), then lets them go
    lead_rows: dict[str, dict[str, pd.DataFrame]] = field(default_factory=dict, repr=False)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, case: Case, *, now: pd.Timestamp | None = None,
           accounts: list[str] | str | None = None) -> CaseView:
        """The view of ``case`` now (or at ``now``): every table read in one snapshot."""
        from .lead_rows import lead_tables

        with case.snapshot():  # every table as at one moment, even while an import is being written
            frames = {name: case.table(name) for name in TABLES}
            subjects = subject_keys(frames["accounts"], accounts)
            rows = {key: lead_tables(case, key) for key in subjects}
            changes = case.changes()
        return cls(config=dict(case.config), zone=case.timezone,
                   now=now if now is not None else pd.Timestamp.now(tz="UTC"), tables=frames,
                   subjects=subjects, changes=changes, lead_rows=rows)

    @classmethod
    def current(cls, case: Case) -> CaseView:
        """The view of ``case`` as it is now, shared by the app's panels: the last one this process read while
        the case has not changed since (and at most :data:`FRESH` old, so that "overdue" is judged now),
        else a new one. Switching the subject in notebook 03 reads no table again."""
        key = str(case.path.resolve())
        view = _CURRENT.get(key)
        now = pd.Timestamp.now(tz="UTC")
        if view is None or view.changes != case.changes() or now - view.now > FRESH:
            view = _CURRENT[key] = cls.of(case, now=now)
        return view

    def _once(self, key: str, make: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    # ------------------------------------------------------------------ accounts
    def overview(self, key: str) -> SubjectOverview:
        """The subject overview of one subject account (:func:`investigate.overview.subject_overview`)."""
        from .overview import subject_overview

        def make() -> SubjectOverview:
            t = self.tables
            leads, around = self._leads(key)
            return subject_overview(t["relationships"], t["interactions"], t["posts"], t["accounts"], t["people"],
                                    subject=key, zone=self.zone, events=t["events"], lookalikes=self.lookalikes(key),
                                    leads=leads, around=around)

        found: SubjectOverview = self._once(f"overview:{key}", make)
        return found

    def _leads(self, key: str) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
        """The overview's leads and known accounts around ``key`` ranked over the rows they rest on (read with
        the view), or (None, None) for a key not read so (the overview then ranks over the whole tables)."""
        from .errors import InvestigateError
        from .leads import accounts_around, handles_shown, rank_leads
        from .overview import ranked_leads

        r, t = self.lead_rows.pop(key, None), self.tables  # read for this once (the overview is kept): let go
        if r is None:
            return None, None
        try:
            leads = rank_leads(r["relationships"], r["interactions"], r["posts"], r["accounts"], r["people"],
                               subject=key, zone=self.zone, events=r["events"])
            leads = leads.assign(handle=handles_shown(t["accounts"], leads["handle_key"]))  # as over every account
        except InvestigateError:  # nothing around it: as over the whole tables (which say so the same way)
            leads = ranked_leads(t["relationships"], t["interactions"], t["posts"], t["accounts"], t["people"],
                                 subject=key, zone=self.zone, events=t["events"])
        around = accounts_around(r["relationships"], r["interactions"], r["posts"], r["accounts"], r["people"],
                                 subject=key)
        return leads, around

    def lookalikes(self, key: str) -> pd.DataFrame:
        """The lookalikes and copycats of one subject (:func:`investigate.overview.find_lookalikes`): what the
        overview compares and the focus lists, found once."""
        from .overview import find_lookalikes

        found: pd.DataFrame = self._once(f"lookalikes:{key}", lambda: find_lookalikes(self.tables["accounts"], key))
        return found

    def focus(self) -> list[str]:
        """The accounts the incident is about: each subject, then its lookalikes and copycats."""
        def make() -> list[str]:
            keys: list[str] = []
            for key in self.subjects:  # as the overview's ``compared`` (the same lookalikes), without its leads
                keys += [key, *self.lookalikes(key)["handle_key"].astype(str)]
            return list(dict.fromkeys(keys))

        out: list[str] = self._once("focus", make)
        return out

    # ------------------------------------------------------------------ chronology
    def chronology(self) -> pd.DataFrame:
        """Every dated entry of the case (:func:`investigate.chronology.build_chronology`)."""
        from .chronology import build_chronology

        t = self.tables
        out: pd.DataFrame = self._once("chronology", lambda: build_chronology(
            t["posts"], t["interactions"], t["relationships"], t["events"], t["accounts"], timezone=self.zone))
        return out

    def incident(self) -> pd.DataFrame:
        """The chronology of the incident (:func:`investigate.chronology.incident_chronology`): what the
        report's chronology section and the export's ``chronology.csv`` both list."""
        from .chronology import incident_chronology

        out: pd.DataFrame = self._once("incident", lambda: incident_chronology(
            self.chronology(), self.focus(), timezone=self.zone))
        return out

    def conduct(self) -> pd.DataFrame:
        """The conduct: the incident chronology's events, markers and the focus accounts' posts, in its
        order (its follows and interactions, which name third parties and could read as leads, left out):
        what the packs and the export's ``chronology.csv`` list."""
        incident = self.incident()
        out: pd.DataFrame = incident[incident["lane"].astype("string").isin(CONDUCT_LANES).fillna(False)]
        return out.reset_index(drop=True)

    # ------------------------------------------------------------------ actions
    def states(self) -> pd.DataFrame:
        """Every action's state and due time (:func:`investigate.tracker.action_states`)."""
        from .tracker import action_states

        out: pd.DataFrame = self._once("states", lambda: action_states(self.tables["actions"], now=self.now,
                                                                       zone=self.zone))
        return out

    def tracked(self) -> pd.DataFrame:
        """The tracked reports and referrals (:func:`investigate.tracker.track`)."""
        from .tracker import tracked_of

        out: pd.DataFrame = self._once("tracked", lambda: tracked_of(self.states()))
        return out

    def still_to_do(self) -> pd.DataFrame:
        """The open actions (not closed), oldest done first."""
        states = self.states()
        return states[states["open"]]

    # ------------------------------------------------------------------ findings
    def findings(self) -> pd.DataFrame:
        """The findings record with ``current`` and ``amended_by`` (:func:`investigate.findings.findings_record`)."""
        from .findings import findings_record

        out: pd.DataFrame = self._once("findings", lambda: findings_record(self.tables["findings"]))
        return out

    def current_findings(self, section: str | None = None) -> pd.DataFrame:
        """The current findings entries (not corrected by a later one), oldest first, of one ``section``."""
        record = self.findings()
        out = record[record["current"]]
        if section is not None:
            out = out[out["section"].astype("string").str.casefold().eq(section).fillna(False)]
        return out.sort_values("at", kind="stable")
