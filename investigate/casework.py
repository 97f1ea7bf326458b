"""Thin adapters from an open case to the pure analysis functions (the CLI and notebooks call these)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .errors import InvestigateError
from .leads import rank_leads

if TYPE_CHECKING:
    from .case import Case


def case_leads(case: Case, *, account: str, top: int | None = None,
               tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """:func:`investigate.leads.rank_leads` over the case's tables (raises InvestigateError naming
    close handles when the account is not in the case).

    Only the rows and columns the leads rest on are read (:func:`investigate.lead_rows.lead_tables`):
    the same ranking as over the whole tables, without holding a million-row list's accounts. ``tables``:
    what ``lead_tables(case, account)`` returned, to read them once for :func:`case_accounts_around` too."""
    from .lead_rows import lead_handles, lead_tables

    with case.snapshot():  # one read: the handles of the leads are read as the rest was
        t = tables if tables is not None else lead_tables(case, account)
        try:
            leads = rank_leads(t["relationships"], t["interactions"], t["posts"], t["accounts"], t["people"],
                               subject=account, top=top, zone=case.timezone, events=t["events"])
        except InvestigateError:  # not in the case: the close names it gives come from the whole tables
            w = _whole(case)
            return rank_leads(w["relationships"], w["interactions"], w["posts"], w["accounts"], w["people"],
                              subject=account, top=top, zone=case.timezone, events=w["events"])
        return leads.assign(handle=lead_handles(case, leads["handle_key"]))


def _whole(case: Case) -> dict[str, pd.DataFrame]:
    """The tables of :func:`investigate.lead_rows.lead_tables`, every row (the columns the leads read)."""
    from .leads import TABLE_COLUMNS

    with case.snapshot():
        return {name: case.table(name, columns=TABLE_COLUMNS.get(name))
                for name in ("relationships", "interactions", "posts", "accounts", "people", "events")}


def case_accounts_around(case: Case, *, account: str,
                         tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """:func:`investigate.leads.accounts_around` over the case's tables: the known-role accounts (context),
    read as :func:`case_leads` reads them (``tables``: the same)."""
    from .lead_rows import lead_tables
    from .leads import accounts_around

    t = tables if tables is not None else lead_tables(case, account)
    return accounts_around(t["relationships"], t["interactions"], t["posts"], t["accounts"], t["people"],
                           subject=account)


def case_chronology(case: Case) -> pd.DataFrame:
    """:func:`investigate.chronology.build_chronology` over the case's tables, in the case's zone: the case
    view's chronology (:meth:`investigate.view.CaseView.chronology`, one snapshot), as the report shows it."""
    from .view import CaseView

    return CaseView.of(case).chronology()
